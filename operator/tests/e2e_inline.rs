//! End to end with inline contracts: the real operator binary against the local control plane
//! and workload health servers in network namespaces.

mod cluster;

use std::time::Duration;

use cluster::*;
use pacto_crds::ContractStatus;

const IMAGE: &str = "ghcr.io/acme/shop:1.0.0";

#[tokio::test(flavor = "multi_thread")]
async fn compliant_then_health_outage_warns_and_recovers() {
    let Some(w) = World::new("op-ok").await else {
        return;
    };
    let r1 = Replica::start(&[8080, 9090]);
    let r2 = Replica::start(&[8080, 9090]);
    workload(&w, "shop", 8080, IMAGE, &[&r1, &r2]).await;
    let op = Operator::start(&w, &[]);
    w.apply(pacto(
        "shop",
        serde_json::json!({"inline": contract("shop", "1.0.0", 8080, IMAGE)}),
        Some(serde_json::json!({"serviceName": "shop"})),
    ))
    .await;
    let p = w.wait_status("shop", ContractStatus::Compliant, 60).await;
    let st = p.status.clone().expect("status");
    assert_eq!(st.contract_version.as_deref(), Some("1.0.0"));
    assert!(
        st.current_revision.is_some(),
        "a revision is recorded: {st:?}"
    );
    assert_eq!(
        condition(&p, "HealthEndpointValid").map(|c| c.0).as_deref(),
        Some("True")
    );

    // One replica's health endpoint fails: after the threshold, Warning.
    r2.set(8080, "/health", 503, "down");
    let p = w.wait_status("shop", ContractStatus::Warning, 60).await;
    assert_eq!(
        condition(&p, "HealthEndpointValid").map(|c| c.0).as_deref(),
        Some("False")
    );
    r2.set(8080, "/health", 200, "ok");
    w.wait_status("shop", ContractStatus::Compliant, 60).await;

    // The metrics follow the status write (and its events) in the same reconcile: poll
    // briefly rather than racing the reconcile that is still finishing.
    let ns = &w.ns;
    let want =
        format!(r#"pacto_contract_status{{name="shop",namespace="{ns}",status="Compliant"}} 1"#);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let m = op.metrics().await;
        if m.contains(&want) || std::time::Instant::now() > deadline {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(metrics.contains(&want), "{metrics}");
    assert!(
        metrics.contains("pacto_probe_duration_seconds_bucket"),
        "{metrics}"
    );
    drop(op);
    w.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_invalid_and_missing_workload() {
    let Some(w) = World::new("op-ref").await else {
        return;
    };
    let _op = Operator::start(&w, &[]);
    w.apply(pacto(
        "ref",
        serde_json::json!({"inline": contract("ref", "2.0.0", 8080, IMAGE)}),
        None,
    ))
    .await;
    w.apply(pacto(
        "bad",
        serde_json::json!({"inline": contract("bad", "not-semver", 8080, IMAGE)}),
        Some(serde_json::json!({"serviceName": "bad"})),
    ))
    .await;
    w.apply(pacto(
        "ghost",
        serde_json::json!({"inline": contract("ghost", "1.0.0", 8080, IMAGE)}),
        Some(serde_json::json!({"serviceName": "ghost"})),
    ))
    .await;
    let p = w.wait_status("ref", ContractStatus::Reference, 60).await;
    assert_eq!(
        p.status.and_then(|s| s.contract_version).as_deref(),
        Some("2.0.0")
    );
    let p = w.wait_status("bad", ContractStatus::Invalid, 60).await;
    let v = p.status.and_then(|s| s.validation).expect("validation");
    assert!(!v.valid && !v.errors.is_empty(), "{v:?}");
    let p = w
        .wait_status("ghost", ContractStatus::NonCompliant, 60)
        .await;
    assert_eq!(
        condition(&p, "ServiceExists").map(|c| c.0).as_deref(),
        Some("False")
    );
    w.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_cluster_causes_zero_status_writes() {
    let Some(w) = World::new("op-quiet").await else {
        return;
    };
    let r1 = Replica::start(&[8080, 9090]);
    workload(&w, "calm", 8080, IMAGE, &[&r1]).await;
    let op = Operator::start(&w, &[]);
    w.apply(pacto(
        "calm",
        serde_json::json!({"inline": contract("calm", "1.0.0", 8080, IMAGE)}),
        Some(serde_json::json!({"serviceName": "calm"})),
    ))
    .await;
    w.wait_status("calm", ContractStatus::Compliant, 60).await;
    // Let the probe counters settle, then watch the resourceVersion through a quiet period
    // in which probes run every second and the requeue (30 s) fires at least once.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let before = w
        .pactos()
        .get("calm")
        .await
        .expect("get")
        .metadata
        .resource_version;
    let writes_before = writes(&op.metrics().await);
    let events_before = events(&w).await;
    assert!(
        events_before
            .iter()
            .any(|(reason, _)| reason == "StatusChanged"),
        "a transition event was published: {events_before:?}"
    );
    let quiet = std::env::var("PACTO_E2E_QUIET_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    tokio::time::sleep(Duration::from_secs(quiet)).await;
    let after = w
        .pactos()
        .get("calm")
        .await
        .expect("get")
        .metadata
        .resource_version;
    let writes_after = writes(&op.metrics().await);
    assert_eq!(before, after, "the Pacto changed during {quiet}s of quiet");
    assert_eq!(
        writes_before, writes_after,
        "status writes during the quiet period"
    );
    assert_eq!(
        events_before,
        events(&w).await,
        "events published during the quiet period"
    );
    w.cleanup().await;
}

/// (reason, series count) of every event in the test namespace.
async fn events(w: &World) -> Vec<(String, i32)> {
    let api: kube::Api<k8s_openapi::api::events::v1::Event> =
        kube::Api::namespaced(w.client.clone(), &w.ns);
    let mut v: Vec<(String, i32)> = api
        .list(&Default::default())
        .await
        .expect("list events")
        .items
        .into_iter()
        .map(|e| {
            (
                e.reason.unwrap_or_default(),
                e.series.map(|s| s.count).unwrap_or(1),
            )
        })
        .collect();
    v.sort();
    v
}

fn writes(metrics: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("pacto_status_writes_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn namespace_selector_scopes_the_operator() {
    use k8s_openapi::api::core::v1::Namespace;
    use kube::api::{Patch, PatchParams};
    let Some(w) = World::new("op-sel").await else {
        return;
    };
    let Some(other) = World::new("op-sel-out").await else {
        return;
    };
    let label = format!("pacto-e2e-{}", std::process::id());
    let _op = Operator::start_scoped(&w, &["--namespace-selector", &format!("{label}=on")], &[]);
    let body = contract("s", "1.0.0", 8080, IMAGE);
    w.apply(pacto("inside", serde_json::json!({"inline": body}), None))
        .await;
    other
        .apply(pacto("outside", serde_json::json!({"inline": body}), None))
        .await;
    // The namespace joins the selector after the operator started: its controller starts.
    let ns_api: kube::Api<Namespace> = kube::Api::all(w.client.clone());
    let patch = serde_json::json!({"metadata": {"labels": {label.clone(): "on"}}});
    ns_api
        .patch(&w.ns, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("label namespace");
    w.wait_status("inside", ContractStatus::Reference, 60).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let outside = other.pactos().get("outside").await.expect("get");
    assert!(
        outside.status.is_none(),
        "a namespace outside the selector was reconciled: {:?}",
        outside.status
    );
    w.cleanup().await;
    other.cleanup().await;
}

/// A 2.0 contract with readiness claims: the score, the `ReadinessSatisfied` condition and the
/// upstream operator's `pacto_readiness_*` gauges, on a Pacto without target (readiness is a
/// separate dimension: it never changes the contract status).
#[tokio::test(flavor = "multi_thread")]
async fn readiness_claims_give_a_condition_and_gauges() {
    let Some(w) = World::new("op-ready").await else {
        return;
    };
    let op = Operator::start(&w, &[]);
    let contract = r#"pactoVersion: "2.0"
service:
  name: ready
  version: 1.0.0
  owner:
    team: platform
workload: service
state:
  type: stateless
  persistence:
    scope: local
    durability: ephemeral
  dataCriticality: low
readiness:
  minScore: 75
  expires: "2099-01-01"
  history:
    - date: "2026-11-20"
      version: 1.0.0
      author: carol
      description: First assessment
  claims:
    - id: api-reviewed
      type: document
      evidence: https://wiki.example.com/api-review
      weight: 50
      status: done
      category: architecture
    - id: pentest
      type: ticket
      evidence: SEC-1
      weight: 50
      status: not-done
      category: security
"#;
    w.apply(pacto(
        "ready",
        serde_json::json!({"inline": contract}),
        None,
    ))
    .await;
    let p = w.wait_status("ready", ContractStatus::Reference, 60).await;
    let r = p
        .status
        .as_ref()
        .and_then(|s| s.readiness.clone())
        .expect("readiness in status");
    assert_eq!((r.score, r.min_score, r.passing), (50, 75, false), "{r:?}");
    assert_eq!(
        condition(&p, "ReadinessSatisfied"),
        Some(("False".to_string(), "BelowMinScore".to_string()))
    );
    let ns = &w.ns;
    let want = [
        format!(r#"pacto_readiness_score{{name="ready",namespace="{ns}"}} 50"#),
        format!(r#"pacto_readiness_gate{{name="ready",namespace="{ns}"}} 0"#),
        format!(
            r#"pacto_readiness_status{{name="ready",namespace="{ns}",status="BelowMinScore"}} 1"#
        ),
        format!(r#"pacto_readiness_checks{{name="ready",namespace="{ns}",status="done"}} 1"#),
        format!(r#"pacto_readiness_checks{{name="ready",namespace="{ns}",status="not-done"}} 1"#),
    ];
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let metrics = loop {
        let m = op.metrics().await;
        if want.iter().all(|l| m.lines().any(|x| x == l)) || std::time::Instant::now() > deadline {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for l in &want {
        assert!(metrics.lines().any(|x| x == l), "missing {l}:\n{metrics}");
    }
    drop(op);
    w.cleanup().await;
}
