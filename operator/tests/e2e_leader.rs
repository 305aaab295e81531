//! Two operator replicas: one leads through the Lease, the standby takes over when the
//! leader is killed (SIGKILL, so the lease is not released and must expire).

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
    let deadline = Instant::now() + Duration::from_secs(30);
    while holder(&w).await.as_deref() != Some("replica-a") {
        assert!(
            Instant::now() < deadline,
            "replica-a never took the lease:\n{}",
            a.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
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
    let deadline = Instant::now() + Duration::from_secs(30);
    while holder(&w).await.as_deref() != Some("replica-b") {
        assert!(
            Instant::now() < deadline,
            "replica-b did not take over:\n{}",
            b.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
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
