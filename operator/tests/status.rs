//! Status precedence, Ready, lastTransitionTime, meaning_changed, probe thresholds, events.

mod fixtures;

use fixtures::*;
use pacto_crds::{ContractStatus, Target, reasons};
use pacto_operator::eval::events::{
    REASON_REVISION_CREATED, REASON_STATUS_CHANGED, REASON_TAG_OVERWRITTEN,
};
use pacto_operator::eval::{
    Check, EventType, Observed, Outcome, ResolutionIssue, Severity, Unavailable,
};
use serde_json::json;

#[test]
fn no_target_is_reference() {
    let mut w = World::base();
    w.target = None;
    w.service = Observed::Missing; // never looked at
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Reference));
    let types: Vec<&str> = e
        .status
        .conditions
        .iter()
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(types, ["ContractResolved", "ContractValid", "Ready"]);
    let ready = cond(&e, "Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("True", "Reference")
    );
    assert!(e.status.resources.is_none());
    // An empty target is no target either.
    w.target = Some(Target::default());
    assert_eq!(
        w.eval().status.contract_status,
        Some(ContractStatus::Reference)
    );
}

#[test]
fn unparsable_contract_is_invalid_whatever_the_cluster() {
    let mut w = World::base();
    w.contract_loads = false;
    w.service = Observed::Missing;
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Invalid));
    let c = cond(&e, "ContractValid");
    assert_eq!((c.status.as_str(), c.reason.as_str()), ("False", "Invalid"));
    assert!(c.message.contains("YAML_PARSE_ERROR"), "{}", c.message);
    assert_eq!(cond(&e, "Ready").status, "False");
    let stalled = cond(&e, "Stalled");
    assert_eq!(
        (stalled.status.as_str(), stalled.reason.as_str()),
        ("True", "Invalid")
    );
    assert!(e.status.conditions.iter().all(|c| c.type_ != "Reconciling"));
    // Target checks are not run against a contract that does not exist.
    assert!(e.checks.iter().all(|r| r.check != Check::ServiceExists));
    let v = e.status.validation.as_ref().expect("validation");
    assert!(!v.valid);
    assert_eq!(v.errors[0].code, "YAML_PARSE_ERROR");
}

#[test]
fn validation_errors_are_invalid() {
    let mut w = World::base();
    set(&mut w.contract, "/service/version", json!("not-semver"));
    set(&mut w.contract, "/expectInvalid", json!(true));
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Invalid));
    assert_eq!(cond(&e, "ContractValid").status, "False");
}

#[test]
fn unknown_beats_warning() {
    let mut w = World::base();
    set(
        w.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
        json!(1),
    );
    w.hpa = Observed::Unobservable("horizontalpodautoscalers is forbidden".into());
    let e = w.eval();
    assert_eq!(cond(&e, "GracefulShutdownMatch").status, "False");
    assert_eq!(cond(&e, "ScalingMatch").status, "Unknown");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    let ready = cond(&e, "Ready");
    assert_eq!(ready.status, "Unknown");
    assert!(ready.message.contains("forbidden"), "{}", ready.message);
    assert_eq!(cond(&e, "Reconciling").status, "True");
    assert!(e.status.conditions.iter().all(|c| c.type_ != "Stalled"));
    // Back to normal: the abnormal-true condition disappears.
    let mut w2 = World::base();
    w2.previous = Some(e.status.clone());
    let e2 = w2.eval();
    assert!(
        e2.status
            .conditions
            .iter()
            .all(|c| c.type_ != "Reconciling" && c.type_ != "Stalled")
    );
}

#[test]
fn non_compliant_beats_unknown() {
    let mut w = World::base();
    w.service = Observed::Missing;
    w.hpa = Observed::Unobservable("timeout".into());
    assert_eq!(
        w.eval().status.contract_status,
        Some(ContractStatus::NonCompliant)
    );
}

#[test]
fn api_read_failure_is_unknown_not_non_compliant() {
    let mut w = World::base();
    w.workload = Observed::Unobservable("503 Service Unavailable".into());
    let e = w.eval();
    let c = cond(&e, "WorkloadExists");
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("Unknown", "ObservationFailed")
    );
    assert_eq!(cond(&e, "PortsValid").status, "Unknown");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
}

fn refused(reason: &str, message: &str) -> ResolutionIssue {
    ResolutionIssue {
        reason: reason.into(),
        message: message.into(),
        severity: Severity::Error,
    }
}

#[test]
fn a_refused_pull_secret_is_invalid_with_its_own_reason() {
    for (reason, message) in [
        (
            reasons::PULL_SECRET_REGISTRY_MISMATCH,
            "pull secret shop/regcred is bound to registry a.io, but spec.contractRef.oci is on registry evil.example",
        ),
        (
            reasons::PULL_SECRET_UNBOUND,
            "pull secret shop/regcred is not bound to a registry: add `registry: a.io`",
        ),
    ] {
        let mut w = World::base();
        w.contract_loads = false;
        w.resolution_issue = Some(refused(reason, message));
        let e = w.eval();
        assert_eq!(e.status.contract_status, Some(ContractStatus::Invalid));
        let c = cond(&e, "ContractResolved");
        assert_eq!((c.status.as_str(), c.reason.as_str()), ("False", reason));
        assert_eq!(c.message, message);
        let r = e
            .checks
            .iter()
            .find(|r| r.check == Check::ContractResolved)
            .expect("ContractResolved");
        assert_eq!(r.severity, Severity::Error);
        assert_eq!(cond(&e, "Stalled").status, "True");
        assert_eq!(cond(&e, "Ready").status, "False");
        assert!(
            cond(&e, "ContractValid")
                .message
                .contains("PULL_SECRET_REFUSED")
        );
        assert!(e.status.conditions.iter().all(|c| c.type_ != "Reconciling"));
        assert!(e.checks.iter().all(|r| r.check != Check::ServiceExists));
    }
}

#[test]
fn an_unbound_pull_secret_in_use_is_a_warning_that_says_how_to_bind_it() {
    let message = "pull secret shop/regcred is not bound to a registry: add `registry: a.io` to the Secret's data";
    let mut w = World::base();
    w.resolution_issue = Some(ResolutionIssue {
        reason: reasons::PULL_SECRET_UNBOUND_USED.into(),
        message: message.into(),
        severity: Severity::Warning,
    });
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
    let c = cond(&e, "ContractResolved");
    assert_eq!(
        (c.status.as_str(), c.reason.as_str(), c.message.as_str()),
        ("False", reasons::PULL_SECRET_UNBOUND_USED, message)
    );
    assert_eq!(cond(&e, "Ready").status, "True");
    assert_eq!(cond(&e, "ServiceExists").status, "True");
    // Without a target the contract is still a valid Reference; the condition still shows.
    w.target = None;
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Reference));
    assert_eq!(
        cond(&e, "ContractResolved").reason,
        reasons::PULL_SECRET_UNBOUND_USED
    );
    // An outage wins: the contract could not be obtained at all.
    let mut w = World::base();
    w.resolution_issue = Some(ResolutionIssue {
        reason: reasons::PULL_SECRET_UNBOUND_USED.into(),
        message: message.into(),
        severity: Severity::Warning,
    });
    w.unavailable = Some(Unavailable {
        reason: "RegistryAuthFailed".into(),
        message: "401".into(),
    });
    let e = w.eval();
    assert_eq!(cond(&e, "ContractResolved").reason, "RegistryAuthFailed");
}

#[test]
fn registry_outage_is_unknown_and_keeps_last_known_contract() {
    let first = World::base().eval();
    let mut w = World::base();
    w.contract_loads = false;
    w.unavailable = Some(Unavailable {
        reason: "RegistryUnavailable".into(),
        message: "GET https://ghcr.io/v2/: connection refused".into(),
    });
    w.previous = Some(first.status.clone());
    w.now = time(1_700_000_600);
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    let c = cond(&e, "ContractResolved");
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("Unknown", "RegistryUnavailable")
    );
    assert_eq!(e.status.contract_version.as_deref(), Some("1.2.0"));
    assert_eq!(e.status.validation, first.status.validation);
    assert!(e.meaning_changed);
    // With the cached contract the checks still run, and the outage still shows.
    let mut w = World::base();
    w.unavailable = Some(Unavailable {
        reason: "RegistryUnavailable".into(),
        message: "tag list: timeout".into(),
    });
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    assert_eq!(cond(&e, "ServiceExists").status, "True");
}

#[test]
fn quiet_pass_keeps_transition_times_writes_nothing_and_emits_nothing() {
    let first = World::base().eval();
    assert!(
        first
            .events
            .iter()
            .any(|e| e.reason == REASON_STATUS_CHANGED)
    );
    let mut w = World::base();
    w.previous = Some(first.status.clone());
    w.now = time(1_700_000_300);
    // Only latencies moved.
    for p in [w.probes.health.as_mut(), w.probes.metrics.as_mut()]
        .into_iter()
        .flatten()
    {
        for r in &mut p.replicas {
            r.latency_ms += 250;
        }
        p.consecutive_successes += 1;
    }
    let second = w.eval();
    assert!(
        !second.meaning_changed,
        "latency/time-only change must not write"
    );
    assert!(second.events.is_empty(), "{:?}", second.events);
    for (a, b) in first
        .status
        .conditions
        .iter()
        .zip(&second.status.conditions)
    {
        assert_eq!(
            a.last_transition_time, b.last_transition_time,
            "{}",
            a.type_
        );
    }
    assert_ne!(
        second.status.last_checked_time,
        first.status.last_checked_time
    );
    assert_ne!(
        second
            .status
            .endpoints
            .as_ref()
            .and_then(|e| e.health.as_ref())
            .and_then(|h| h.latency_ms),
        first
            .status
            .endpoints
            .as_ref()
            .and_then(|e| e.health.as_ref())
            .and_then(|h| h.latency_ms),
    );
}

#[test]
fn a_flip_moves_only_that_transition_time() {
    let first = World::base().eval();
    let mut w = World::base();
    w.previous = Some(first.status.clone());
    w.now = time(1_700_000_900);
    set(
        w.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
        json!(5),
    );
    let e = w.eval();
    assert!(e.meaning_changed);
    assert_eq!(
        cond(&e, "GracefulShutdownMatch").last_transition_time,
        time(1_700_000_900)
    );
    assert_eq!(
        cond(&e, "ServiceExists").last_transition_time,
        time(1_700_000_000)
    );
    // Ready stays True (Warning is still ready), so its time is kept too.
    assert_eq!(cond(&e, "Ready").last_transition_time, time(1_700_000_000));
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
    let ev = e
        .events
        .iter()
        .find(|x| x.reason == REASON_STATUS_CHANGED)
        .expect("event");
    assert_eq!(ev.type_, EventType::Warning);
    assert!(ev.note.contains("Compliant -> Warning"), "{}", ev.note);
    assert!(
        ev.note.contains("GracefulShutdownMatch=Mismatch"),
        "{}",
        ev.note
    );
    // A message change alone is a meaning change but keeps the transition time.
    let mut w2 = World::base();
    w2.previous = Some(e.status.clone());
    w2.now = time(1_700_001_000);
    set(
        w2.workload_mut(),
        "/spec/template/spec/terminationGracePeriodSeconds",
        json!(6),
    );
    let e2 = w2.eval();
    assert!(e2.meaning_changed);
    assert!(e2.events.is_empty());
    assert_eq!(
        cond(&e2, "GracefulShutdownMatch").last_transition_time,
        time(1_700_000_900)
    );
}

#[test]
fn probe_threshold_delays_flips_both_ways() {
    let first = World::base().eval();
    assert_eq!(cond(&first, "HealthEndpointValid").status, "True");
    let mut prev = first.status.clone();
    // Failing rounds 1 and 2 keep True; the 3rd flips to False.
    for (round, expect) in [(1, "True"), (2, "True"), (3, "False")] {
        let mut w = World::base();
        w.previous = Some(prev.clone());
        w.probes.health = Some(probe("http://orders:8080/healthz", false, 0, round));
        let e = w.eval();
        assert_eq!(
            cond(&e, "HealthEndpointValid").status,
            expect,
            "round {round}"
        );
        prev = e.status.clone();
    }
    assert_eq!(
        World {
            previous: Some(prev.clone()),
            ..World::base()
        }
        .eval()
        .checks
        .len(),
        World::base().eval().checks.len()
    );
    // Recovery needs 3 passing rounds as well.
    for (round, expect) in [(1, "False"), (2, "False"), (3, "True")] {
        let mut w = World::base();
        w.previous = Some(prev.clone());
        w.probes.health = Some(probe("http://orders:8080/healthz", true, round, 0));
        let e = w.eval();
        assert_eq!(
            cond(&e, "HealthEndpointValid").status,
            expect,
            "round {round}"
        );
        prev = e.status.clone();
    }
}

#[test]
fn probe_threshold_of_one_flips_at_once_and_first_value_is_immediate() {
    let mut w = World::base();
    w.probes.health = Some(probe("http://orders:8080/healthz", false, 0, 1));
    assert_eq!(cond(&w.eval(), "HealthEndpointValid").status, "False");
    let mut w2 = World::base();
    w2.previous = Some(World::base().eval().status);
    w2.settings.probe_threshold = 1;
    w2.probes.health = Some(probe("http://orders:8080/healthz", false, 0, 1));
    assert_eq!(cond(&w2.eval(), "HealthEndpointValid").status, "False");
}

#[test]
fn not_yet_probed_keeps_previous_verdict_or_is_unknown() {
    let mut w = World::base();
    w.probes.health = None;
    let e = w.eval();
    let c = cond(&e, "HealthEndpointValid");
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("Unknown", "NotProbedYet")
    );
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    // After an operator restart the stored verdict stands: no write.
    let stored = World::base().eval().status;
    let mut w = World::base();
    w.previous = Some(stored);
    w.probes.health = None;
    w.probes.metrics = None;
    let e = w.eval();
    assert_eq!(cond(&e, "HealthEndpointValid").status, "True");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
}

#[test]
fn probe_that_cannot_run_is_unknown() {
    let mut w = World::base();
    let mut p = probe("http://orders:8080/healthz", false, 0, 0);
    p.unobservable = Some("EndpointSlices could not be listed".into());
    w.probes.health = Some(p);
    let e = w.eval();
    let r = e
        .checks
        .iter()
        .find(|c| c.check == Check::HealthEndpointValid)
        .expect("check");
    assert_eq!(
        (r.outcome, r.reason.as_str()),
        (Outcome::Unknown, "ProbeNotRun")
    );
}

#[test]
fn revision_and_tag_events_only_on_change() {
    // The first status names the first revision in its one event.
    let first = World::base().eval();
    let reasons: Vec<&str> = first.events.iter().map(|x| x.reason).collect();
    assert_eq!(reasons, [REASON_STATUS_CHANGED]);
    assert!(
        first.events[0].note.contains("recorded revision "),
        "{:?}",
        first.events
    );
    // Same tag, new digest and revision: tag overwritten + revision created, no status change.
    let mut w = World::base();
    w.previous = Some(first.status.clone());
    w.source.digest =
        Some("sha256:2222222222222222222222222222222222222222222222222222222222222222".into());
    w.source.current_revision = Some("orders-1-2-0-2222222222".into());
    let e = w.eval();
    let reasons: Vec<&str> = e.events.iter().map(|x| x.reason).collect();
    assert_eq!(reasons, [REASON_REVISION_CREATED, REASON_TAG_OVERWRITTEN]);
    assert!(e.meaning_changed);
    // Next pass with the same source: nothing.
    let mut w2 = World::base();
    w2.previous = Some(e.status.clone());
    w2.source = w.source.clone();
    let e2 = w2.eval();
    assert!(e2.events.is_empty(), "{:?}", e2.events);
    assert!(!e2.meaning_changed);
}

#[test]
fn conditions_carry_generation_and_api_valid_reasons() {
    let e = World::base().eval();
    assert_eq!(e.status.observed_generation, Some(1));
    for c in &e.status.conditions {
        assert_eq!(c.observed_generation, Some(1));
        assert!(
            c.reason
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_alphabetic()),
            "{}",
            c.reason
        );
        assert!(["True", "False", "Unknown"].contains(&c.status.as_str()));
    }
}

#[test]
fn readiness_is_reported_but_never_changes_contract_status() {
    let mut w = World::base();
    set(&mut w.contract, "/pactoVersion", json!("1.2"));
    set(
        &mut w.contract,
        "/readiness",
        json!({"minScore": 80, "expires": "2099-01-01", "checks": [
            {"id": "runbook", "type": "url", "evidence": "https://wiki/runbook", "weight": 50, "status": "done"},
            {"id": "load-test", "type": "report", "evidence": "jira-1", "weight": 50, "status": "not-done"}
        ]}),
    );
    let e = w.eval();
    let r = e.status.readiness.as_ref().expect("readiness");
    assert_eq!((r.score, r.passing), (50, false));
    let c = cond(&e, "ReadinessSatisfied");
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("False", "BelowMinScore")
    );
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    assert_eq!(cond(&e, "Ready").status, "True");
    assert!(
        e.checks
            .iter()
            .all(|c| c.check.as_str() != "ReadinessSatisfied")
    );
}

#[test]
fn skipped_slices_are_named_on_the_endpoint_condition() {
    let mut w = World::base();
    let mut p = probe("http://orders:8080/healthz", true, 1, 0);
    p.skipped = Some("not probed: EndpointSlice rogue has addressType \"FQDN\"".into());
    w.probes.health = Some(p);
    let e = w.eval();
    let c = cond(&e, "HealthEndpointValid");
    assert_eq!(c.status, "True");
    assert!(c.message.contains("rogue"), "{}", c.message);
}

fn serialized_len(e: &pacto_operator::eval::Evaluation) -> usize {
    serde_json::to_vec(&e.status).expect("json").len()
}

#[test]
fn thousands_of_failing_replicas_with_hostile_errors_keep_the_status_bounded() {
    use pacto_operator::eval::status_bound::{MAX_LISTED_REPLICAS, MAX_STATUS_BYTES};
    let mut w = World::base();
    for slot in [&mut w.probes.health, &mut w.probes.metrics] {
        let p = slot.as_mut().expect("probe");
        p.replicas = (0..5000)
            .map(|i| {
                let mut r = replica(
                    &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                    i % 2 == 0,
                    Some(200),
                    1,
                );
                r.error =
                    (i % 2 == 1).then(|| format!("not Prometheus text: {}", "A".repeat(4_000)));
                r.pod_name = Some(format!("orders-{i}"));
                r
            })
            .collect();
        p.consecutive_failures = 5;
        p.consecutive_successes = 0;
    }
    let e = w.eval();
    assert!(
        serialized_len(&e) <= MAX_STATUS_BYTES,
        "{}",
        serialized_len(&e)
    );
    let health = e
        .status
        .endpoints
        .as_ref()
        .and_then(|x| x.health.as_ref())
        .expect("health");
    assert_eq!(health.replicas_probed, Some(5000));
    assert!(health.replicas.len() <= MAX_LISTED_REPLICAS);
    assert!(
        health.replicas.iter().all(|r| !r.reachable),
        "failing ones are listed first"
    );
    assert!(
        health
            .replicas
            .iter()
            .all(|r| r.error.as_ref().is_some_and(|x| x.len() <= 256))
    );
    let c = cond(&e, "HealthEndpointValid");
    assert!(c.message.contains("not listed"), "{}", c.message);
    assert!(c.message.contains("4968"), "{}", c.message);
}

#[test]
fn a_huge_contract_keeps_the_status_bounded_and_counts_what_was_cut() {
    use pacto_operator::eval::status_bound::MAX_STATUS_BYTES;
    let mut w = World::base();
    let big: serde_json::Map<String, serde_json::Value> = (0..4000)
        .map(|i| (format!("key-{i:05}"), json!("v".repeat(100))))
        .collect();
    set(&mut w.contract, "/metadata", serde_json::Value::Object(big));
    let e = w.eval();
    assert!(
        serialized_len(&e) <= MAX_STATUS_BYTES,
        "{}",
        serialized_len(&e)
    );
    let ready = cond(&e, "Ready");
    assert!(
        ready.message.contains("metadata:") && ready.message.contains("dropped"),
        "{}",
        ready.message
    );
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
}
