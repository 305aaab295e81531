//! One failing fixture per check: the right condition, severity, reason and contractStatus.

mod fixtures;

use fixtures::*;
use pacto_crds::ContractStatus;
use pacto_operator::eval::{Check, Observed, Severity};
use serde_json::json;

fn assert_only_failure(
    e: &pacto_operator::eval::Evaluation,
    check: Check,
    reason: &str,
    severity: Severity,
    status: ContractStatus,
) {
    let r = result(e, check);
    assert_eq!(r.reason, reason, "{}: {}", check, r.message);
    assert_eq!(r.severity, severity, "{check}");
    let c = cond(e, check.as_str());
    assert_eq!(c.status, "False");
    assert_eq!(c.reason, reason);
    assert_eq!(e.status.contract_status, Some(status));
    let others: Vec<String> = not_true(e)
        .into_iter()
        .filter(|s| !s.starts_with(check.as_str()) && !s.starts_with("Ready="))
        .collect();
    assert!(others.is_empty(), "other failures: {others:?}");
}

#[test]
fn compliant_world() {
    let e = World::base().eval();
    assert_eq!(not_true(&e), Vec::<String>::new());
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    let ready = cond(&e, "Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("True", "Compliant")
    );
    let s = e.status.summary.as_ref().expect("summary");
    assert_eq!((s.failed, s.passed, s.total), (0, s.total, s.total));
    // Every check of the issue ran.
    for c in [
        Check::ServiceExists,
        Check::WorkloadExists,
        Check::PortsValid,
        Check::ServiceSelectsWorkload,
        Check::WorkloadTypeMatch,
        Check::StateModelMatch,
        Check::UpgradeStrategyMatch,
        Check::GracefulShutdownMatch,
        Check::ImageMatch,
        Check::HealthProbeMatch,
        Check::HealthTimingMatch,
        Check::ScalingMatch,
        Check::DependenciesSatisfied,
        Check::HealthEndpointValid,
        Check::MetricsEndpointValid,
    ] {
        assert_eq!(cond(&e, c.as_str()).status, "True", "{c}");
    }
    assert_eq!(s.total, 16);
    assert!(e.meaning_changed);
    // Observed facts are in status for the dashboard.
    let rt = e.status.observed_runtime.as_ref().expect("observed");
    assert_eq!(rt.workload_kind.as_deref(), Some("Deployment"));
    assert_eq!(rt.health_probe_initial_delay_seconds, Some(5));
    assert_eq!(e.status.ports.as_ref().map(|p| p.missing.len()), Some(0));
    assert_eq!(e.status.contract_version.as_deref(), Some("1.2.0"));
    assert_eq!(
        e.status.metadata.get("replicasHint").map(String::as_str),
        Some("3")
    );
}

#[test]
fn service_missing() {
    let mut w = World::base();
    w.service = Observed::Missing;
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ServiceExists,
        "NotFound",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
    let ready = cond(&e, "Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", "NonCompliant")
    );
}

#[test]
fn workload_missing() {
    let mut w = World::base();
    w.workload = Observed::Missing;
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::WorkloadExists,
        "NotFound",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn port_not_exposed() {
    let mut w = World::base();
    del(w.service_mut(), "/spec/ports/1");
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::PortsValid,
        "MissingPorts",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
    assert_eq!(
        e.status.ports.as_ref().map(|p| p.missing.clone()),
        Some(vec![9090])
    );
}

#[test]
fn named_target_port_not_in_pod() {
    let mut w = World::base();
    set(w.service_mut(), "/spec/ports/0/targetPort", json!("web"));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::PortsValid,
        "TargetPortUnresolved",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
    assert!(result(&e, Check::PortsValid).message.contains("\"web\""));
}

#[test]
fn numeric_target_port_not_in_pod() {
    let mut w = World::base();
    set(w.service_mut(), "/spec/ports/1/targetPort", json!(9999));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::PortsValid,
        "TargetPortUnresolved",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn selector_does_not_match() {
    let mut w = World::base();
    set(w.service_mut(), "/spec/selector/app", json!("payments"));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ServiceSelectsWorkload,
        "SelectorMismatch",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn wrong_workload_type() {
    let mut w = World::base();
    set(&mut w.contract, "/runtime/workload", json!("scheduled"));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::WorkloadTypeMatch,
        "Mismatch",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn stateless_with_pvc() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/volumes",
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "orders-data"}}]),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::StateModelMatch,
        "UnexpectedPersistentStorage",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn stateful_local_persistent_needs_claim_templates() {
    let mut w = World::base();
    set(&mut w.contract, "/runtime/state/type", json!("stateful"));
    set(
        &mut w.contract,
        "/runtime/state/persistence/durability",
        json!("persistent"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::StateModelMatch,
        "MissingPersistentStorage",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
    // The same contract is met by a StatefulSet with volumeClaimTemplates.
    let mut w = World::base().statefulset();
    set(&mut w.contract, "/runtime/state/type", json!("stateful"));
    set(
        &mut w.contract,
        "/runtime/state/persistence/durability",
        json!("persistent"),
    );
    let e = w.eval();
    assert_eq!(not_true(&e), Vec::<String>::new());
}

#[test]
fn shared_persistent_accepts_a_plain_pvc() {
    let mut w = World::base();
    set(&mut w.contract, "/runtime/state/type", json!("hybrid"));
    set(
        &mut w.contract,
        "/runtime/state/persistence/durability",
        json!("persistent"),
    );
    set(
        &mut w.contract,
        "/runtime/state/persistence/scope",
        json!("shared"),
    );
    set(
        w.workload_mut(),
        "/spec/template/spec/volumes",
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "shared"}}]),
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
}

#[test]
fn deployment_strategy_mismatch() {
    let mut w = World::base();
    set(w.workload_mut(), "/spec/strategy/type", json!("Recreate"));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::UpgradeStrategyMatch,
        "Mismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
    let ready = cond(&e, "Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("True", "Warning")
    );
}

#[test]
fn statefulset_ordered_needs_ordered_ready() {
    let mut w = World::base().statefulset();
    set(
        &mut w.contract,
        "/runtime/lifecycle/upgradeStrategy",
        json!("ordered"),
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
    set(
        w.workload_mut(),
        "/spec/podManagementPolicy",
        json!("Parallel"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::UpgradeStrategyMatch,
        "Mismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
    assert!(
        result(&e, Check::UpgradeStrategyMatch)
            .message
            .contains("Parallel")
    );
}

#[test]
fn statefulset_on_delete_is_not_rolling() {
    let mut w = World::base().statefulset();
    set(
        w.workload_mut(),
        "/spec/updateStrategy/type",
        json!("OnDelete"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::UpgradeStrategyMatch,
        "Mismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn grace_period_too_short() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
        json!(10),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::GracefulShutdownMatch,
        "Mismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
    // Absent means the Kubernetes default of 30 s, which covers 20 s.
    let mut w = World::base();
    del(
        w.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
}

#[test]
fn image_tag_mismatch() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/image",
        json!("ghcr.io/acme/orders:1.1.0"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ImageMatch,
        "Mismatch",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn image_missing() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/image",
        json!("ghcr.io/acme/other:1.2.0"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ImageMatch,
        "Missing",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn image_short_names_are_normalised() {
    let mut w = World::base();
    set(
        &mut w.contract,
        "/service/image/ref",
        json!("envoyproxy/envoy:v1.30.0"),
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
    set(
        &mut w.contract,
        "/service/image/ref",
        json!("docker.io/envoyproxy/envoy:v1.30.0"),
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
    set(&mut w.contract, "/service/image/ref", json!("nginx"));
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/1/image",
        json!("docker.io/library/nginx:1.27"),
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
}

#[test]
fn health_probe_wrong_path() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe/httpGet/path",
        json!("/ready"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::HealthProbeMatch,
        "PathMismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn health_probe_wrong_port() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe/httpGet/port",
        json!("admin"),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::HealthProbeMatch,
        "PortMismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn health_probe_absent() {
    let mut w = World::base();
    del(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe",
    );
    let e = w.eval();
    assert_eq!(result(&e, Check::HealthProbeMatch).reason, "NoProbe");
    assert_eq!(result(&e, Check::HealthTimingMatch).reason, "NoProbe");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
}

#[test]
fn health_probe_via_liveness_and_target_port_number() {
    // The Service maps 8080 -> named port http; a liveness probe on 8080 by number matches.
    let mut w = World::base();
    let probe =
        w.workload_mut()["spec"]["template"]["spec"]["containers"][0]["readinessProbe"].take();
    del(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe",
    );
    let mut probe = probe;
    probe["httpGet"]["port"] = json!(8080);
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/livenessProbe",
        probe,
    );
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
}

#[test]
fn health_timing_too_short() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/containers/0/readinessProbe/initialDelaySeconds",
        json!(1),
    );
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::HealthTimingMatch,
        "Mismatch",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn replicas_out_of_range() {
    let mut w = World::base();
    set(w.workload_mut(), "/spec/replicas", json!(7));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ScalingMatch,
        "ReplicasOutOfRange",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn hpa_out_of_range_and_inside() {
    let mut w = World::base();
    let mut hpa = fixture("hpa.yaml");
    set(w.workload_mut(), "/spec/replicas", json!(9)); // the HPA governs, not replicas
    w.hpa = Observed::Found(Some(hpa.clone()));
    assert_eq!(not_true(&w.eval()), Vec::<String>::new());
    set(&mut hpa, "/spec/maxReplicas", json!(10));
    w.hpa = Observed::Found(Some(hpa));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::ScalingMatch,
        "HpaOutOfRange",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn required_dependency_missing() {
    let mut w = World::base();
    w.deps[0].pacto = None;
    w.deps[0].found_version = None;
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::DependenciesSatisfied,
        "Unsatisfied",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
}

#[test]
fn required_dependency_incompatible() {
    let mut w = World::base();
    w.deps[0].found_version = Some("1.9.0".into());
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::DependenciesSatisfied,
        "Unsatisfied",
        Severity::Error,
        ContractStatus::NonCompliant,
    );
    assert!(
        result(&e, Check::DependenciesSatisfied)
            .message
            .contains("1.9.0")
    );
}

#[test]
fn optional_dependency_missing_is_a_warning() {
    let mut w = World::base();
    w.deps[1].pacto = None;
    w.deps[1].found_version = None;
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::DependenciesSatisfied,
        "OptionalUnsatisfied",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn dependency_lookup_failed_is_unknown() {
    let mut w = World::base();
    w.deps[0].unobservable = Some("pactos is forbidden".into());
    let e = w.eval();
    assert_eq!(cond(&e, "DependenciesSatisfied").status, "Unknown");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    assert_eq!(cond(&e, "Ready").status, "Unknown");
}

#[test]
fn health_endpoint_failing() {
    let mut w = World::base();
    w.probes.health = Some(probe("http://orders:8080/healthz", false, 0, 1));
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::HealthEndpointValid,
        "InvalidStatusCode",
        Severity::Warning,
        ContractStatus::Warning,
    );
    let msg = &result(&e, Check::HealthEndpointValid).message;
    assert!(msg.starts_with("1/2 replicas healthy"), "{msg}");
    let h = e
        .status
        .endpoints
        .as_ref()
        .and_then(|x| x.health.as_ref())
        .expect("health");
    assert_eq!(
        (h.reachable, h.replicas_passing, h.replicas_probed),
        (false, Some(1), Some(2))
    );
}

#[test]
fn metrics_endpoint_unreachable() {
    let mut w = World::base();
    let mut p = probe("http://orders:9090/metrics", false, 0, 1);
    p.replicas[1] = replica("10.0.0.2", false, None, 5000);
    w.probes.metrics = Some(p);
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::MetricsEndpointValid,
        "ConnectionFailed",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

#[test]
fn metrics_endpoint_not_prometheus() {
    let mut w = World::base();
    let mut p = probe("http://orders:9090/metrics", true, 0, 1);
    let verdict = pacto_operator::eval::probes::judge_metrics(200, b"<html>hello</html>");
    p.replicas[1].ok = verdict.is_ok();
    p.replicas[1].error = verdict.err();
    p.consecutive_successes = 0;
    w.probes.metrics = Some(p);
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::MetricsEndpointValid,
        "InvalidMetrics",
        Severity::Warning,
        ContractStatus::Warning,
    );
    assert!(
        result(&e, Check::MetricsEndpointValid)
            .message
            .contains("not Prometheus text")
    );
}

#[test]
fn no_ready_endpoints() {
    let mut w = World::base();
    let mut p = probe("http://orders:8080/healthz", false, 0, 1);
    p.replicas.clear();
    w.probes.health = Some(p);
    let e = w.eval();
    assert_only_failure(
        &e,
        Check::HealthEndpointValid,
        "NoReadyEndpoints",
        Severity::Warning,
        ContractStatus::Warning,
    );
}

/// A 2.0 contract: workload and state are top-level, and the same checks read them
/// through the normalised view.
fn v2_world(workload: &str) -> World {
    let mut w = World::base();
    w.probes = Default::default();
    w.contract = json!({
        "pactoVersion": "2.0",
        "service": {"name": "orders", "version": "1.2.0", "owner": {"team": "shop"}},
        "workload": workload,
        "state": {
            "type": "stateless",
            "persistence": {"scope": "local", "durability": "ephemeral"},
            "dataCriticality": "low"
        },
        "capabilities": [{"type": "health"}]
    });
    w
}

#[test]
fn v2_contract_checks_workload_and_state_from_top_level_fields() {
    let e = v2_world("service").eval();
    assert_eq!(cond(&e, Check::WorkloadTypeMatch.as_str()).status, "True");
    assert_eq!(cond(&e, Check::StateModelMatch.as_str()).status, "True");
    let rt = e.status.runtime.as_ref().expect("runtime info");
    assert_eq!(rt.workload.as_deref(), Some("service"));
    assert_eq!(rt.state_type.as_deref(), Some("stateless"));

    let e = v2_world("job").eval();
    let r = result(&e, Check::WorkloadTypeMatch);
    assert_eq!(r.reason, "Mismatch", "{}", r.message);
    assert!(r.message.contains("a Job"), "{}", r.message);
}
