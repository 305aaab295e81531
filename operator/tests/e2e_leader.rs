//! Two operator replicas: one leads through the Lease, the standby takes over when the
//! leader is killed (SIGKILL, so the lease is not released and must expire), and a leader
//! paused past its term (SIGSTOP) writes nothing when it resumes (its write fence closed).

mod cluster;

use std::time::{Duration, Instant};

use cluster::*;
use k8s_openapi::api::coordination::v1::Lease;
use kube::Api;
use pacto_crds::ContractStatus;

async fn holder(w: &World) -> Option<String> {
    let (ns, name) = lease(w);
    Api::<Lease>::namespaced(w.client.clone(), &ns)
        .get_opt(&name)
        .await
        .ok()
        .flatten()
        .and_then(|l| l.spec)
        .and_then(|s| s.holder_identity)
}

/// Waits (up to 30 s) until `identity` holds the Lease; else fails with `what` and the log of
/// the replica expected to lead.
async fn wait_holder(w: &World, identity: &str, replica: &Operator, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while holder(w).await.as_deref() != Some(identity) {
        assert!(Instant::now() < deadline, "{what}:\n{}", replica.logs());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn standby_takes_over_when_the_leader_dies() {
    let Some(w) = World::new("op-lead").await else {
        return;
    };
    let flags = [
        "--leader-elect",
        "--lease-duration-seconds",
        "4",
        "--lease-renew-seconds",
        "1",
    ];
    let mut a = Operator::start(&w, &[&flags[..], &["--identity", "replica-a"]].concat());
    // Let replica a win before b starts, so the roles are known.
    wait_holder(&w, "replica-a", &a, "replica-a never took the lease").await;
    let b = Operator::start(&w, &[&flags[..], &["--identity", "replica-b"]].concat());
    w.apply(pacto(
        "one",
        serde_json::json!({"inline": contract("one", "1.0.0", 8080, "x/y:1")}),
        None,
    ))
    .await;
    w.wait_status("one", ContractStatus::Reference, 60).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(holder(&w).await.as_deref(), Some("replica-a"));
    assert!(
        b.metrics().await.contains("pacto_leader 0"),
        "standby must not lead"
    );
    assert!(a.metrics().await.contains("pacto_leader 1"));

    a.kill();
    wait_holder(&w, "replica-b", &b, "replica-b did not take over").await;
    // The new leader reconciles: a Pacto created now gets a status.
    w.apply(pacto(
        "two",
        serde_json::json!({"inline": contract("two", "1.0.0", 8080, "x/y:1")}),
        None,
    ))
    .await;
    w.wait_status("two", ContractStatus::Reference, 60).await;
    assert!(b.metrics().await.contains("pacto_leader 1"));
    w.cleanup().await;
}

fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill {sig} {pid}");
}

/// SIGSTOP the leader past its lease: the standby takes over and writes the statuses of Pactos
/// created meanwhile. SIGCONT the old leader: its watch then delivers those Pactos (without
/// status, as it last saw them), yet the API server records no status write by it, because
/// its term ended while it was stopped. Each replica has its own field manager so the writes
/// can be told apart from the API server's side. The write fence is what guarantees this
/// (`fence::tests`); without it the resumed replica usually, not always, loses the race to its
/// own election loop, which steps down first. The old leader then stands by without exiting
/// and leads again (and writes) once the new leader is killed.
#[tokio::test(flavor = "multi_thread")]
async fn a_paused_leader_writes_nothing_after_it_resumes() {
    let Some(w) = World::new("op-fence").await else {
        return;
    };
    let flags = [
        "--leader-elect",
        "--lease-duration-seconds",
        "4",
        "--lease-renew-seconds",
        "1",
    ];
    let a = Operator::start(
        &w,
        &[
            &flags[..],
            &["--identity", "replica-a", "--field-manager", "pacto-op-a"],
        ]
        .concat(),
    );
    wait_holder(&w, "replica-a", &a, "replica-a never led").await;
    let b = Operator::start(
        &w,
        &[
            &flags[..],
            &["--identity", "replica-b", "--field-manager", "pacto-op-b"],
        ]
        .concat(),
    );
    w.apply(pacto(
        "before",
        serde_json::json!({"inline": contract("before", "1.0.0", 8080, "x/y:1")}),
        None,
    ))
    .await;
    w.wait_status("before", ContractStatus::Reference, 60).await;
    assert_eq!(status_managers(&w, "before").await, ["pacto-op-a"]);

    signal(a.pid(), "-STOP");
    let stopped = Instant::now();
    wait_holder(&w, "replica-b", &b, "replica-b did not take over").await;
    eprintln!("takeover {:?} after SIGSTOP", stopped.elapsed());
    let names = ["during-1", "during-2", "during-3"];
    for n in names {
        w.apply(pacto(
            n,
            serde_json::json!({"inline": contract(n, "1.0.0", 8080, "x/y:1")}),
            None,
        ))
        .await;
    }
    for n in names {
        w.wait_status(n, ContractStatus::Reference, 60).await;
    }
    signal(a.pid(), "-CONT");
    // Long enough for the resumed process to drain its watch and reconcile what it missed.
    tokio::time::sleep(Duration::from_secs(6)).await;
    for n in names {
        let managers = status_managers(&w, n).await;
        assert_eq!(
            managers,
            ["pacto-op-b"],
            "{n}: only the new leader may write its status\nreplica-a log:\n{}",
            a.logs()
        );
    }
    assert_eq!(holder(&w).await.as_deref(), Some("replica-b"));
    // The old leader stepped down without exiting: it stands by as a candidate and leads
    // again when the new leader dies.
    assert!(a.metrics().await.contains("pacto_leader 0"), "{}", a.logs());
    let mut b = b;
    b.kill();
    wait_holder(&w, "replica-a", &a, "replica-a did not lead again").await;
    w.apply(pacto(
        "after",
        serde_json::json!({"inline": contract("after", "1.0.0", 8080, "x/y:1")}),
        None,
    ))
    .await;
    w.wait_status("after", ContractStatus::Reference, 60).await;
    assert_eq!(status_managers(&w, "after").await, ["pacto-op-a"]);
    assert!(a.metrics().await.contains("pacto_leader 1"));
    w.cleanup().await;
}
