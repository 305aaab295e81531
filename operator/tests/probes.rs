//! Probe planning from Service + EndpointSlices, result folding and the HTTP verdict rules.

mod fixtures;

use fixtures::*;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use pacto_core::Contract;
use pacto_operator::eval::probes::{
    EndpointProbe, ProbeKind, judge_health, judge_metrics, plan_probes,
};
use serde_json::json;

fn contract() -> Contract {
    serde_json::from_value(fixture("contract.yaml")).expect("contract")
}

fn typed<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("object")
}

#[test]
fn plans_ready_addresses_at_the_resolved_port() {
    let svc: Service = typed(fixture("service.yaml"));
    let slice: EndpointSlice = typed(fixture("endpointslice.yaml"));
    let plans = plan_probes(&contract(), None, true, "shop", "orders", &svc, &[slice]);
    assert_eq!(plans.len(), 2);
    let health = plans[0].as_ref().expect("health plan");
    assert_eq!(health.kind, ProbeKind::Health);
    assert_eq!(health.url, "http://orders:8080/healthz");
    assert_eq!(health.port, 8080);
    // 10.0.0.3 is not ready; absent `ready` counts as ready; sorted.
    assert_eq!(
        health.addresses,
        vec![
            ("10.0.0.1".to_string(), Some("orders-0".to_string())),
            ("10.0.0.2".to_string(), Some("orders-1".to_string())),
        ]
    );
    let metrics = plans[1].as_ref().expect("metrics plan");
    assert_eq!((metrics.port, metrics.path.as_str()), (9090, "/metrics"));
}

#[test]
fn slice_port_wins_over_named_target_port() {
    let mut svc = fixture("service.yaml");
    set(&mut svc, "/spec/ports/0/targetPort", json!("web"));
    let mut slice = fixture("endpointslice.yaml");
    set(&mut slice, "/ports/0/port", json!(18080));
    let plans = plan_probes(
        &contract(),
        None,
        true,
        "shop",
        "orders",
        &typed(svc.clone()),
        &[typed(slice)],
    );
    assert_eq!(plans[0].as_ref().map(|p| p.port), Ok(18080));
    // No slice port and a named targetPort: cannot be probed, says why.
    let plans = plan_probes(&contract(), None, true, "shop", "orders", &typed(svc), &[]);
    let err = plans[0].as_ref().expect_err("unprobeable");
    assert!(err.reason.contains("named targetPort"), "{}", err.reason);
}

#[test]
fn unexposed_port_is_unprobeable() {
    let mut svc = fixture("service.yaml");
    del(&mut svc, "/spec/ports/1");
    let plans = plan_probes(&contract(), None, true, "shop", "orders", &typed(svc), &[]);
    assert!(plans[1].as_ref().is_err_and(|e| e.reason.contains("9090")));
}

#[test]
fn record_counts_streaks() {
    let ok = || {
        vec![
            replica("b", true, Some(200), 1),
            replica("a", true, Some(200), 1),
        ]
    };
    let bad = || vec![replica("a", false, Some(500), 1)];
    let p1 = EndpointProbe::record(None, "u".into(), ok(), None);
    assert_eq!((p1.consecutive_successes, p1.consecutive_failures), (1, 0));
    assert_eq!(p1.replicas[0].address, "a", "sorted by address");
    let p2 = EndpointProbe::record(Some(&p1), "u".into(), ok(), None);
    assert_eq!(p2.consecutive_successes, 2);
    let p3 = EndpointProbe::record(Some(&p2), "u".into(), bad(), None);
    assert_eq!((p3.consecutive_successes, p3.consecutive_failures), (0, 1));
    let p4 = EndpointProbe::record(Some(&p3), "u".into(), bad(), None);
    assert_eq!(p4.consecutive_failures, 2);
    // No replicas is a failing round; an unobservable round continues neither streak.
    let p5 = EndpointProbe::record(Some(&p4), "u".into(), vec![], None);
    assert_eq!(p5.consecutive_failures, 3);
    let p6 = EndpointProbe::record(Some(&p5), "u".into(), vec![], Some("no slices".into()));
    assert_eq!((p6.consecutive_successes, p6.consecutive_failures), (0, 0));
}

#[test]
fn verdict_rules() {
    assert!(judge_health(200).is_ok());
    assert!(judge_health(204).is_ok());
    assert_eq!(judge_health(302), Err("HTTP 302".to_string()));
    assert!(judge_health(503).is_err());
    assert!(judge_metrics(200, b"# TYPE up gauge\nup 1\n").is_ok());
    assert!(judge_metrics(500, b"up 1\n").is_err());
    assert!(judge_metrics(200, b"").is_err());
    assert!(judge_metrics(200, b"{\"up\":1}").is_err());
}

const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";

fn managed(mut slice: serde_json::Value, manager: &str) -> serde_json::Value {
    slice["metadata"]["labels"][MANAGED_BY] = json!(manager);
    slice
}

fn health_plan(
    slices: Vec<serde_json::Value>,
) -> Result<pacto_operator::eval::probes::ProbePlan, String> {
    let svc: Service = typed(fixture("service.yaml"));
    let slices: Vec<EndpointSlice> = slices.into_iter().map(typed).collect();
    plan_probes(&contract(), None, true, "shop", "orders", &svc, &slices)
        .swap_remove(0)
        .map_err(|u| u.reason)
}

#[test]
fn fqdn_slices_are_never_probed() {
    let mut slice = fixture("endpointslice.yaml");
    set(&mut slice, "/addressType", json!("FQDN"));
    set(
        &mut slice,
        "/endpoints/0/addresses/0",
        json!("attacker.example.com"),
    );
    let err = health_plan(vec![slice]).expect_err("nothing to probe");
    assert!(err.contains("FQDN") && err.contains("not probed"), "{err}");
}

#[test]
fn slices_not_written_by_kubernetes_controllers_are_not_probed() {
    let mut hand_written = fixture("endpointslice.yaml");
    if let Some(labels) = hand_written["metadata"]["labels"].as_object_mut() {
        labels.remove(MANAGED_BY);
    }
    let err = health_plan(vec![hand_written.clone()]).expect_err("no label");
    assert!(err.contains("managed-by"), "{err}");
    let other = managed(hand_written.clone(), "someone.example.com/ctl");
    let err = health_plan(vec![other]).expect_err("foreign manager");
    assert!(err.contains("someone.example.com/ctl"), "{err}");
    // The mirroring controller (a selector-less Service's Endpoints) is trusted.
    let mirrored = managed(
        hand_written.clone(),
        "endpointslicemirroring-controller.k8s.io",
    );
    assert_eq!(
        health_plan(vec![mirrored]).map(|p| p.addresses.len()),
        Ok(2)
    );
    // A trusted slice beside a hand-written one: only the trusted one is probed (and its port
    // used), the other is named on the plan.
    let mut rogue = hand_written;
    set(&mut rogue, "/metadata/name", json!("rogue"));
    set(&mut rogue, "/endpoints/0/addresses/0", json!("10.9.9.9"));
    set(&mut rogue, "/ports/0/port", json!(6666));
    let plan = health_plan(vec![rogue, fixture("endpointslice.yaml")]).expect("plan");
    assert!(plan.addresses.iter().all(|(a, _)| a != "10.9.9.9"));
    assert_eq!(plan.port, 8080);
    let skipped = plan.skipped.expect("skip is visible");
    assert!(skipped.contains("rogue"), "{skipped}");
}

#[test]
fn addresses_targeting_another_namespace_are_not_probed() {
    let mut slice = fixture("endpointslice.yaml");
    set(
        &mut slice,
        "/endpoints/0/targetRef/namespace",
        json!("bank"),
    );
    let plan = health_plan(vec![slice]).expect("plan");
    assert_eq!(
        plan.addresses,
        vec![("10.0.0.1".to_string(), Some("orders-0".to_string()))]
    );
    let skipped = plan.skipped.expect("skip is visible");
    assert!(
        skipped.contains("10.0.0.2") && skipped.contains("bank"),
        "{skipped}"
    );
    // Every address elsewhere: nothing to probe, and the endpoint says why.
    let mut slice = fixture("endpointslice.yaml");
    set(
        &mut slice,
        "/endpoints/0/targetRef/namespace",
        json!("bank"),
    );
    set(
        &mut slice,
        "/endpoints/1/targetRef/namespace",
        json!("bank"),
    );
    let err = health_plan(vec![slice]).expect_err("nothing to probe");
    assert!(err.contains("bank"), "{err}");
}

#[test]
fn probe_errors_are_capped() {
    use pacto_operator::eval::probes::MAX_ERROR_BYTES;
    let hostile = format!("# TYPE x gauge\nx{}\n", "é\u{1b}[31m".repeat(10_000));
    let err = judge_metrics(200, hostile.as_bytes()).expect_err("not metrics");
    assert!(err.len() <= MAX_ERROR_BYTES, "{}", err.len());
    assert!(!err.chars().any(char::is_control), "{err:?}");
    let mut r = replica("a", false, Some(200), 1);
    r.error = Some("ü".repeat(100_000));
    let p = EndpointProbe::record(None, "u".into(), vec![r], Some("x".repeat(10_000)));
    let e = p.replicas[0].error.as_deref().unwrap_or_default();
    assert!(
        e.len() <= MAX_ERROR_BYTES && e.ends_with('…'),
        "{}",
        e.len()
    );
    assert!(p.unobservable.is_some_and(|u| u.len() <= MAX_ERROR_BYTES));
}
