//! `status.findings`, the severity counts of `status.summary`, `evaluationCoverage` and
//! `capabilities`, from the pure-evaluation fixtures: one finding per failing subject, counts
//! that agree with the headline, deterministic and bounded, and no write for a new evidence
//! time alone.

mod fixtures;

use fixtures::*;
use pacto_crds::status::{Finding, FindingSeverity};
use pacto_crds::vocabulary::findings as codes;
use pacto_crds::{ContractStatus, Target, WorkloadKind, WorkloadRef};
use pacto_operator::eval::{Check, Evaluation, Observed, ObservedDependency, Unavailable};
use serde_json::json;

fn with_code<'a>(e: &'a Evaluation, code: &str) -> Vec<&'a Finding> {
    e.status
        .findings
        .iter()
        .filter(|f| f.code == code)
        .collect()
}

fn one<'a>(e: &'a Evaluation, code: &str) -> &'a Finding {
    match with_code(e, code).as_slice() {
        [f] => f,
        other => panic!("{code}: {other:#?}\nall: {:#?}", e.status.findings),
    }
}

fn counts(e: &Evaluation) -> (i32, i32, i32, i32) {
    let s = e.status.summary.as_ref().expect("summary");
    (
        s.error_count,
        s.warning_count,
        s.unknown_count,
        s.info_count,
    )
}

/// The headline and the counts say the same thing.
fn assert_counts_agree(e: &Evaluation) {
    let (err, warn, unknown, _) = counts(e);
    let status = e.status.contract_status.expect("status");
    let expected = match status {
        ContractStatus::Invalid | ContractStatus::NonCompliant => err > 0,
        ContractStatus::Unknown => err == 0 && unknown > 0,
        ContractStatus::Warning => err == 0 && unknown == 0 && warn > 0,
        ContractStatus::Compliant => err == 0 && warn == 0 && unknown == 0,
        // A reference is not checked against a cluster, so a warning does not make it Warning.
        ContractStatus::Reference => err == 0 && unknown == 0,
    };
    assert!(
        expected,
        "{status:?} with counts {:?}: {:#?}",
        counts(e),
        e.status.findings
    );
    // Listed most severe first.
    let ranks: Vec<usize> = e
        .status
        .findings
        .iter()
        .map(|f| f.severity.rank())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

/// Required checks versus the ones that ran with a verdict (ContractResolved is neither).
fn coverage(e: &Evaluation) -> (i32, i32) {
    let c = e.status.evaluation_coverage.as_ref().expect("coverage");
    (c.evaluated, c.required)
}

fn ran(e: &Evaluation) -> i32 {
    e.checks
        .iter()
        .filter(|r| r.check != Check::ContractResolved)
        .count() as i32
}

#[test]
fn a_compliant_world_has_no_finding_beyond_info_and_full_coverage() {
    for w in [
        World::base(),
        World::base().statefulset(),
        World::base().migrated(),
    ] {
        let e = w.eval();
        assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
        assert_counts_agree(&e);
        assert!(
            e.status
                .findings
                .iter()
                .all(|f| f.severity == FindingSeverity::Info),
            "{:#?}",
            e.status.findings
        );
        // Every check the contract and target call for ran: `required` and the checks agree.
        assert_eq!(coverage(&e), (ran(&e), ran(&e)), "{:?}", e.checks);
        let summary = e.status.summary.as_ref().expect("summary");
        assert_eq!((summary.total, summary.failed), (ran(&e), 0));
    }
}

#[test]
fn a_missing_port_is_one_interface_finding_beside_the_condition() {
    let mut w = World::base();
    del(w.service_mut(), "/spec/ports/1");
    let e = w.eval();
    assert_eq!(cond(&e, "PortsValid").reason, "MissingPorts");
    let f = one(&e, codes::INTERFACE_ABSENT);
    assert_eq!(f.severity, FindingSeverity::Error);
    assert_eq!(f.category, codes::CATEGORY_RUNTIME_DRIFT);
    assert_eq!(f.subject.as_deref(), Some("admin"));
    assert_eq!(f.contract_path.as_deref(), Some("interfaces[1].port"));
    assert!(f.message.contains("port 9090"), "{}", f.message);
    assert_eq!(f.evidence_refs[0].source, "k8s");
    assert_eq!(f.evidence_refs[0].observed_at, "2023-11-14T22:13:20Z");
    assert_counts_agree(&e);
}

#[test]
fn an_unresolved_target_port_names_the_interface() {
    let mut w = World::base();
    set(w.service_mut(), "/spec/ports/0/targetPort", json!(12345));
    let e = w.eval();
    assert_eq!(cond(&e, "PortsValid").reason, "TargetPortUnresolved");
    let f = one(&e, codes::TARGET_PORT_UNRESOLVED);
    assert_eq!(f.subject.as_deref(), Some("api"));
    assert!(f.message.contains("12345"), "{}", f.message);
    assert_counts_agree(&e);
}

#[test]
fn missing_target_objects_are_findings_and_lower_the_coverage() {
    let mut w = World::base();
    w.service = Observed::Missing;
    let e = w.eval();
    let f = one(&e, codes::SERVICE_ABSENT);
    assert_eq!(f.subject.as_deref(), Some("Service/orders"));
    let (evaluated, required) = coverage(&e);
    assert!(evaluated < required, "{evaluated}/{required}");
    assert_counts_agree(&e);

    let mut w = World::base();
    w.workload = Observed::Missing;
    let e = w.eval();
    assert_eq!(
        one(&e, codes::WORKLOAD_ABSENT).subject.as_deref(),
        Some("Deployment/orders")
    );
    assert_counts_agree(&e);

    let mut w = World::base();
    w.workload = Observed::Unobservable("timeout".into());
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    // WorkloadExists and PortsValid (targetPorts need the pod template) could not tell.
    let unread = with_code(&e, codes::COLLECTION_FAILED);
    let subjects: Vec<_> = unread.iter().map(|f| f.subject.as_deref()).collect();
    assert_eq!(
        subjects,
        [Some("Deployment/orders"), Some("Service/orders")]
    );
    assert!(
        unread
            .iter()
            .all(|f| f.severity == FindingSeverity::Unknown && f.evidence_refs.is_empty())
    );
    assert_counts_agree(&e);
}

fn workload_ref(kind: Option<WorkloadKind>) -> Option<Target> {
    Some(Target {
        service_name: Some("orders".into()),
        workload_ref: Some(WorkloadRef {
            kind,
            name: "orders".into(),
        }),
        ..Target::default()
    })
}

#[test]
fn the_workload_kind_is_compared_only_when_asserted() {
    // Asserted StatefulSet, a Deployment observed: WORKLOAD_MISMATCH.
    let mut w = World::base();
    w.target = workload_ref(Some(WorkloadKind::StatefulSet));
    let e = w.eval();
    assert_eq!(cond(&e, "WorkloadExists").status, "False");
    assert_eq!(
        one(&e, codes::WORKLOAD_MISMATCH).subject.as_deref(),
        Some("StatefulSet/orders")
    );
    assert_counts_agree(&e);
    // Not asserted: whatever kind was observed under the name is the workload.
    let mut w = World::base().statefulset();
    w.target = workload_ref(None);
    let e = w.eval();
    assert_eq!(cond(&e, "WorkloadExists").status, "True");
    assert_eq!(e.status.contract_status, Some(ContractStatus::Compliant));
    assert!(with_code(&e, codes::WORKLOAD_MISMATCH).is_empty());
    // The kind it is looked up as: Deployment.
    let resources = e.status.resources.as_ref().expect("resources");
    let workload = resources.workload.as_ref().expect("workload");
    assert_eq!(workload.kind.as_deref(), Some("Deployment"));
}

#[test]
fn each_failing_dependency_is_its_own_finding() {
    let mut w = World::base();
    w.deps[0].pacto = None;
    w.deps[1].found_version = Some("2.0.0".into());
    let e = w.eval();
    let f = one(&e, codes::DEPENDENCY_UNREACHABLE);
    assert_eq!(
        (f.severity, f.subject.as_deref(), f.contract_path.as_deref()),
        (
            FindingSeverity::Error,
            Some("payments"),
            Some("dependencies[0]")
        )
    );
    let f = one(&e, codes::DEPENDENCY_INCOMPATIBLE);
    assert_eq!(
        (f.severity, f.subject.as_deref()),
        (FindingSeverity::Warning, Some("audit"))
    );
    assert_counts_agree(&e);

    // An unobservable lookup is unknown, not a contradiction.
    let mut w = World::base();
    w.deps = vec![ObservedDependency {
        name: "payments".into(),
        unobservable: Some("forbidden".into()),
        ..ObservedDependency::default()
    }];
    let e = w.eval();
    let unknown: Vec<_> = e
        .status
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Unknown)
        .map(|f| (f.code.as_str(), f.subject.as_deref()))
        .collect();
    assert_eq!(
        unknown,
        [
            (codes::COLLECTION_FAILED, Some("payments")),
            (codes::EVIDENCE_MISSING, Some("audit"))
        ]
    );
    assert_counts_agree(&e);
}

#[test]
fn a_failing_probe_is_a_capability_finding_with_probe_evidence() {
    let mut w = World::base();
    w.probes.health = Some(probe("http://orders:8080/healthz", false, 0, 3));
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Warning));
    let f = one(&e, codes::CAPABILITY_ABSENT);
    assert_eq!(
        (f.severity, f.subject.as_deref(), f.contract_path.as_deref()),
        (
            FindingSeverity::Warning,
            Some("health"),
            Some("runtime.health")
        )
    );
    assert_eq!(f.message, cond(&e, "HealthEndpointValid").message);
    assert_eq!(f.evidence_refs[0].source, "probe");
    assert_counts_agree(&e);

    let mut w = World::base();
    w.probes.metrics = None;
    let e = w.eval();
    let f = one(&e, codes::EVIDENCE_MISSING);
    assert_eq!(
        (f.severity, f.subject.as_deref()),
        (FindingSeverity::Unknown, Some("metrics"))
    );
}

#[test]
fn validation_errors_are_findings_with_their_contract_path() {
    let mut w = World::base();
    set(&mut w.contract, "/service/version", json!("not-semver"));
    set(&mut w.contract, "/expectInvalid", json!(true));
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Invalid));
    let v = e.status.validation.as_ref().expect("validation");
    let errors: Vec<_> = e
        .status
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .collect();
    assert_eq!(errors.len(), v.errors.len());
    for (f, issue) in errors.iter().zip(&v.errors) {
        assert_eq!(f.code, issue.code);
        assert_eq!(f.category, codes::CATEGORY_CONTRACT_VALIDATION);
        assert_eq!(f.contract_path, issue.path);
        assert!(f.evidence_refs.is_empty());
    }
    assert!(errors.iter().any(|f| f.contract_path.is_some()));
    assert_eq!(coverage(&e), (1, 1));
    assert_counts_agree(&e);

    let mut w = World::base();
    w.contract_loads = false;
    let e = w.eval();
    assert_eq!(one(&e, "YAML_PARSE_ERROR").severity, FindingSeverity::Error);
    assert_counts_agree(&e);
}

#[test]
fn an_unavailable_contract_is_an_unknown_finding() {
    let mut w = World::base();
    w.contract_loads = false;
    w.unavailable = Some(Unavailable {
        reason: "RegistryUnavailable".into(),
        message: "registry ghcr.io unreachable".into(),
    });
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Unknown));
    let f = one(&e, codes::CONTRACT_UNAVAILABLE);
    assert_eq!(f.category, codes::CATEGORY_CONTRACT_RESOLUTION);
    assert_eq!(coverage(&e), (0, 1));
    assert_counts_agree(&e);
}

#[test]
fn a_new_evidence_time_alone_writes_nothing() {
    let mut w = World::base();
    del(w.service_mut(), "/spec/ports/1");
    w.deps[0].pacto = None;
    let first = w.eval();
    assert!(first.meaning_changed);
    w.previous = Some(first.status.clone());
    w.now = time(1_700_000_600);
    let second = w.eval();
    assert_ne!(
        second.status.findings[0].evidence_refs, first.status.findings[0].evidence_refs,
        "evidence carries the evaluation time"
    );
    assert!(!second.meaning_changed, "only observedAt moved");
    assert_eq!(second.status.summary, first.status.summary);
    // A round trip through JSON (what the API server stores) changes nothing either.
    let stored: pacto_crds::PactoStatus =
        serde_json::from_value(serde_json::to_value(&first.status).expect("json")).expect("back");
    w.previous = Some(stored);
    assert!(!w.eval().meaning_changed);
}

#[test]
fn findings_are_bounded_and_counted_in_full() {
    let mut w = World::base();
    let deps: Vec<_> = (0..300)
        .map(|i| {
            json!({ "name": format!("dep-{i:03}"), "ref": format!("oci://ghcr.io/acme/dep-{i:03}"),
                          "compatibility": "^1.0.0", "required": true })
        })
        .collect();
    set(&mut w.contract, "/dependencies", json!(deps));
    w.deps = (0..300)
        .map(|i| ObservedDependency {
            name: format!("dep-{i:03}"),
            ..ObservedDependency::default()
        })
        .collect();
    let e = w.eval();
    assert_eq!(e.status.findings.len(), pacto_crds::findings::MAX_FINDINGS);
    assert_eq!(counts(&e).0, 300);
    assert!(
        e.status
            .findings
            .iter()
            .all(|f| f.message.len() <= pacto_crds::findings::MAX_FINDING_MESSAGE_BYTES)
    );
    // Sorted by code then subject: the first hundred dependencies, in order.
    assert_eq!(e.status.findings[0].subject.as_deref(), Some("dep-000"));
    assert_eq!(e.status.findings[99].subject.as_deref(), Some("dep-099"));
    assert_counts_agree(&e);
}

#[test]
fn capabilities_come_from_the_contract() {
    let e = World::base().eval();
    let types: Vec<_> = e
        .status
        .capabilities
        .iter()
        .map(|c| (c.type_.as_str(), c.ref_.as_deref()))
        .collect();
    assert_eq!(types, [("health", None), ("metrics", None)]);

    let mut w = World::base().migrated();
    set(
        &mut w.contract,
        "/capabilities/-",
        json!({ "type": "extension", "ref": "example.com/feature" }),
    );
    let e = w.eval();
    let types: Vec<_> = e
        .status
        .capabilities
        .iter()
        .map(|c| (c.type_.as_str(), c.ref_.as_deref()))
        .collect();
    assert_eq!(
        types,
        [
            ("health", None),
            ("metrics", None),
            ("extension", Some("example.com/feature"))
        ]
    );
}

#[test]
fn a_reference_pacto_is_covered_by_its_validation_alone() {
    let mut w = World::base();
    w.target = None;
    let e = w.eval();
    assert_eq!(e.status.contract_status, Some(ContractStatus::Reference));
    assert_eq!(coverage(&e), (1, 1));
    assert_counts_agree(&e);
}
