//! End to end: at rest the operator costs the API server nothing. Once every Pacto has its
//! status, periodic re-evaluation (checkIntervalSeconds) keeps running, but from the watch-fed
//! stores: no read beyond the watch streams and no write while nothing changes. A change then
//! reaches the status through the watch alone.

mod cluster;

use std::time::Duration;

use cluster::*;
use pacto_crds::ContractStatus;

const IMAGE: &str = "ghcr.io/acme/quiet:1.0.0";
const SERVICES: [&str; 2] = ["quiet-a", "quiet-b"];

/// Sum of a counter family in the operator's `/metrics`, over the series `keep` accepts.
fn counter_sum(metrics: &str, family: &str, keep: impl Fn(&str) -> bool) -> u64 {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix(family))
        .filter(|rest| rest.starts_with('{') || rest.starts_with(' '))
        .filter(|rest| keep(rest))
        .filter_map(|rest| rest.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|v| v as u64)
        .sum()
}

/// API requests the operator issued other than watch streams.
fn non_watch_requests(metrics: &str) -> u64 {
    counter_sum(metrics, "pacto_api_requests_total", |s| {
        !s.contains(r#"verb="WATCH""#)
    })
}

fn reconciles(metrics: &str) -> u64 {
    counter_sum(metrics, "pacto_reconciliations_total", |_| true)
}

#[tokio::test(flavor = "multi_thread")]
async fn steady_state_issues_no_api_request_and_a_change_arrives_by_watch() {
    let Some(w) = World::new("op-quiet").await else {
        return;
    };
    let replicas: Vec<Replica> = SERVICES
        .iter()
        .map(|_| Replica::start(&[8080, 9090]))
        .collect();
    for (name, r) in SERVICES.iter().zip(&replicas) {
        workload(&w, name, 8080, IMAGE, &[r]).await;
    }
    let op = Operator::start(&w, &[]);
    for name in SERVICES {
        w.apply(pacto(
            name,
            serde_json::json!({"inline": contract(name, "1.0.0", 8080, IMAGE)}),
            Some(serde_json::json!({"serviceName": name})),
        ))
        .await;
    }
    for name in SERVICES {
        let p = w.wait_status(name, ContractStatus::Compliant, 90).await;
        // The reference status fields are there, and stay put at rest like the rest.
        let s = p.status.as_ref().expect("status");
        let coverage = s.evaluation_coverage.as_ref().expect("evaluationCoverage");
        assert!(
            coverage.required > 1 && coverage.evaluated == coverage.required,
            "{coverage:?}"
        );
        assert_eq!(s.summary.as_ref().map(|c| c.error_count), Some(0));
        assert_eq!(s.capabilities.len(), 2, "{:?}", s.capabilities);
    }
    // Let the reconciles that wrote those statuses (and their events) finish.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let before = op.metrics().await;
    // Longer than twice checkIntervalSeconds (30): every Pacto is re-evaluated at least once.
    tokio::time::sleep(Duration::from_secs(65)).await;
    let after = op.metrics().await;

    let requests = non_watch_requests(&after) - non_watch_requests(&before);
    let reevaluated = reconciles(&after) - reconciles(&before);
    assert!(
        reevaluated >= SERVICES.len() as u64,
        "periodic re-evaluation keeps running at rest ({reevaluated} reconciles in 65 s)\n{after}"
    );
    assert!(
        counter_sum(&after, "pacto_watched_objects", |s| s
            .contains(r#"kind="Service""#))
            >= 2,
        "the Services come from the watch-fed store\n{after}"
    );
    assert_eq!(
        requests,
        0,
        "{reevaluated} reconciles at rest issued {requests} API requests besides watches; log {}",
        op.log.display()
    );

    // A change (the Service loses the contract's port) reaches that Pacto's status from the
    // watch; the other Pacto is not written.
    let other_version = w
        .pactos()
        .get(SERVICES[1])
        .await
        .expect("get")
        .metadata
        .resource_version;
    w.apply(serde_json::json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": SERVICES[0]},
        "spec": {
            "selector": {"app": SERVICES[0]},
            "ports": [
                {"name": "api", "port": 8081, "targetPort": 8081},
                {"name": "metrics", "port": 9090, "targetPort": 9090}
            ]
        }
    }))
    .await;
    let p = w
        .wait_status(SERVICES[0], ContractStatus::NonCompliant, 30)
        .await;
    assert_eq!(
        condition(&p, "PortsValid").map(|c| c.0).as_deref(),
        Some("False"),
        "{:?}",
        p.status
    );
    // The condition says which ports; the finding says which interface.
    let s = p.status.as_ref().expect("status");
    let absent: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.code == "INTERFACE_ABSENT")
        .map(|f| f.subject.as_deref())
        .collect();
    assert_eq!(absent, [Some("api")], "{:?}", s.findings);
    assert!(s.summary.as_ref().is_some_and(|c| c.error_count >= 1));
    let untouched = w.pactos().get(SERVICES[1]).await.expect("get");
    assert_eq!(status_of(&untouched), Some(ContractStatus::Compliant));
    assert_eq!(
        untouched.metadata.resource_version, other_version,
        "a change to {}'s Service wrote {}",
        SERVICES[0], SERVICES[1]
    );
    drop(op);
    w.cleanup().await;
}
