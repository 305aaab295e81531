//! Prints how long one `evaluate` takes on the typical fixture world (contract with every
//! runtime section, Service, Deployment, two probed endpoints, two dependencies), with and
//! without a previous status. Run: `cargo bench -p pacto-operator --bench eval_timing`.

use std::time::Instant;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use pacto_core::bundle::Bundle;
use pacto_core::validate::{ValidateOptions, validate_bundle};
use pacto_crds::Target;
use pacto_operator::eval::{
    EndpointProbe, EvalInput, EvalSettings, Observed, ObservedDependency, ObservedSnapshot,
    ProbeResults, ReplicaResult, SourceInfo, Workload, evaluate,
};

const CONTRACT: &str = include_str!("../tests/fixtures/contract.yaml");
const SERVICE: &str = include_str!("../tests/fixtures/service.yaml");
const DEPLOYMENT: &str = include_str!("../tests/fixtures/deployment.yaml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut bundle = Bundle::new();
    bundle.insert("pacto.yaml", CONTRACT.as_bytes().to_vec());
    let report = validate_bundle(&bundle, &ValidateOptions::default());
    let contract = report.contract.clone().ok_or("fixture contract invalid")?;
    let service = serde_saphyr::from_str(SERVICE)?;
    let deployment = serde_saphyr::from_str(DEPLOYMENT)?;
    let deps = ["payments", "audit"].map(|n| ObservedDependency {
        name: n.into(),
        pacto: Some(format!("shop/{n}")),
        found_version: Some(if n == "payments" { "2.1.0" } else { "1.0.0" }.into()),
        unobservable: None,
    });
    let snapshot = ObservedSnapshot {
        service: Observed::Found(service),
        workload: Observed::Found(Workload::Deployment(deployment)),
        endpoint_slices: Observed::Found(Vec::new()),
        hpa: Observed::Found(None),
        dependencies: deps.to_vec(),
        configuration: Default::default(),
    };
    let probe = |url: &str| EndpointProbe {
        url: url.into(),
        replicas: (1..=3)
            .map(|i| ReplicaResult {
                address: format!("10.0.0.{i}"),
                ok: true,
                status_code: Some(200),
                latency_ms: 3,
                ..ReplicaResult::default()
            })
            .collect(),
        consecutive_successes: 5,
        ..EndpointProbe::default()
    };
    let probes = ProbeResults {
        health: Some(probe("http://orders:8080/healthz")),
        metrics: Some(probe("http://orders:9090/metrics")),
    };
    let target = Target {
        service_name: Some("orders".into()),
        ..Target::default()
    };
    let now = Time(k8s_openapi::jiff::Timestamp::from_second(1_700_000_000)?);
    let source = SourceInfo::default();
    let settings = EvalSettings::default();
    let mut input = EvalInput {
        contract: Some(&contract),
        validation: &report,
        unavailable: None,
        resolution_issue: None,
        overrides: None,
        target: Some(&target),
        snapshot: &snapshot,
        probes: &probes,
        previous: None,
        source: &source,
        generation: Some(1),
        now: &now,
        settings: &settings,
    };
    let first = evaluate(&input);
    let n = 20_000u32;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(evaluate(std::hint::black_box(&input)));
    }
    let cold = t.elapsed() / n;
    input.previous = Some(&first.status);
    let t = Instant::now();
    let mut writes = 0;
    for _ in 0..n {
        writes += usize::from(evaluate(std::hint::black_box(&input)).meaning_changed);
    }
    let warm = t.elapsed() / n;
    println!("evaluate, no previous status:   {cold:?} per call ({n} calls)");
    println!("evaluate, with previous status: {warm:?} per call; writes needed: {writes}");
    println!("1,000 Pactos: {:?}", warm * 1000);
    Ok(())
}
