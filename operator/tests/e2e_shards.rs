//! Sharding (`--shards 2`): three replicas, two shard Leases. Each of the two shard holders
//! writes the statuses of its own shard's Pactos and no other (told apart at the API server
//! by per-replica field managers); the third stands by. Kill a shard holder: the standby
//! takes its Lease over and the shard's new Pactos get their statuses from it.

mod cluster;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cluster::*;
use k8s_openapi::api::coordination::v1::Lease;
use kube::Api;
use pacto_crds::ContractStatus;
use pacto_operator::pacto_key::PactoKey;
use pacto_operator::shard::shard_of;

const SHARDS: u32 = 2;

/// Holder of every shard Lease, by shard.
async fn holders(w: &World) -> BTreeMap<u32, String> {
    let (ns, base) = lease(w);
    let api = Api::<Lease>::namespaced(w.client.clone(), &ns);
    let mut out = BTreeMap::new();
    for k in 0..SHARDS {
        if let Some(h) = api
            .get_opt(&format!("{base}-shard-{k}"))
            .await
            .ok()
            .flatten()
            .and_then(|l| l.spec)
            .and_then(|s| s.holder_identity)
        {
            out.insert(k, h);
        }
    }
    out
}

/// Waits (up to 30 s) until every shard is held, by distinct replicas, none of them `not`.
async fn wait_all_held(w: &World, not: &str, logs: &[&Operator]) -> BTreeMap<u32, String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let h = holders(w).await;
        let distinct: std::collections::BTreeSet<&String> = h.values().collect();
        if h.len() == SHARDS as usize && distinct.len() == h.len() && !h.values().any(|v| v == not)
        {
            return h;
        }
        let all: Vec<String> = logs.iter().map(|o| o.logs()).collect();
        assert!(
            Instant::now() < deadline,
            "shards not held by distinct live replicas: {h:?}\n{}",
            all.join("\n-----\n")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn create(w: &World, names: &[String]) {
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
}

#[tokio::test(flavor = "multi_thread")]
async fn each_shard_is_checked_by_its_holder_and_taken_over_when_it_dies() {
    let Some(w) = World::new("op-shard").await else {
        return;
    };
    let replica = |id: &str| {
        let flags = [
            "--leader-elect",
            "--lease-duration-seconds",
            "4",
            "--lease-renew-seconds",
            "1",
            "--shards",
            "2",
            "--identity",
            id,
            "--field-manager",
            id,
        ];
        Operator::start(&w, &flags)
    };
    let mut ops: BTreeMap<String, Operator> = ["replica-a", "replica-b", "replica-c"]
        .into_iter()
        .map(|id| (id.to_string(), replica(id)))
        .collect();
    let held = wait_all_held(&w, "", &ops.values().collect::<Vec<_>>()).await;

    let shard = |n: &str| shard_of(&PactoKey::new(&w.ns, n), SHARDS);
    let names: Vec<String> = (0..8).map(|i| format!("svc-{i}")).collect();
    for k in 0..SHARDS {
        assert!(
            names.iter().any(|n| shard(n) == k),
            "the fixture has a Pacto in shard {k}"
        );
    }
    create(&w, &names).await;
    for n in &names {
        assert_eq!(
            status_managers(&w, n).await,
            vec![held[&shard(n)].clone()],
            "{n} (shard {}) is written by its shard's holder only",
            shard(n)
        );
    }
    let standby = ops
        .keys()
        .find(|id| !held.values().any(|h| h == *id))
        .cloned()
        .expect("one replica stands by");
    assert!(
        ops[&standby].metrics().await.contains("pacto_shard -1"),
        "the standby holds no shard"
    );

    // The holder of shard 0 dies (SIGKILL: its Lease must expire); the standby takes it over.
    let dead = held[&0].clone();
    if let Some(mut op) = ops.remove(&dead) {
        op.kill();
    }
    let after = wait_all_held(&w, &dead, &ops.values().collect::<Vec<_>>()).await;
    assert_eq!(after[&0], standby, "the standby took shard 0 over");
    assert_eq!(after[&1], held[&1], "shard 1 stays with its holder");
    let more: Vec<String> = (8..16)
        .map(|i| format!("svc-{i}"))
        .filter(|n| shard(n) == 0)
        .collect();
    assert!(!more.is_empty());
    create(&w, &more).await;
    for n in &more {
        assert_eq!(status_managers(&w, n).await, vec![standby.clone()], "{n}");
    }
    assert!(ops[&standby].metrics().await.contains("pacto_shard 0"));
    w.cleanup().await;
}
