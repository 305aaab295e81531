//! Test world: base YAML fixtures, JSON-pointer mutations, one call to `evaluate`.
#![allow(dead_code)]

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use pacto_core::bundle::Bundle;
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_bundle};
use pacto_crds::{PactoStatus, Target, WorkloadKind, WorkloadRef};
use pacto_operator::eval::{
    Check, CheckResult, EndpointProbe, EvalInput, EvalSettings, Evaluation, Observed,
    ObservedDependency, ObservedSnapshot, ProbeResults, ReplicaResult, SourceInfo, Unavailable,
    Workload, evaluate,
};
use serde_json::Value;

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_saphyr::from_str(&text).expect("yaml")
}

#[allow(unused_imports)] // each test binary uses its own part
pub use pacto_e2e_support::json_pointer::{del, set};

pub fn time(secs: i64) -> Time {
    Time(k8s_openapi::jiff::Timestamp::from_second(secs).expect("time"))
}

pub fn replica(addr: &str, ok: bool, code: Option<u16>, latency: u64) -> ReplicaResult {
    ReplicaResult {
        address: addr.to_string(),
        pod_name: None,
        ok,
        status_code: code,
        error: (!ok && code.is_none()).then(|| "connection refused".to_string()),
        latency_ms: latency,
    }
}

pub fn probe(url: &str, ok: bool, successes: u32, failures: u32) -> EndpointProbe {
    EndpointProbe {
        url: url.to_string(),
        replicas: vec![
            replica("10.0.0.1", true, Some(200), 3),
            replica("10.0.0.2", ok, if ok { Some(200) } else { Some(503) }, 4),
        ],
        consecutive_failures: failures,
        consecutive_successes: successes,
        unobservable: None,
    }
}

pub struct World {
    pub contract: Value,
    /// `None`: the contract failed to load (a synthetic error).
    pub contract_loads: bool,
    pub unavailable: Option<Unavailable>,
    pub target: Option<Target>,
    pub service: Observed<Value>,
    pub workload: Observed<Value>,
    pub slices: Observed<Vec<Value>>,
    pub hpa: Observed<Option<Value>>,
    pub deps: Vec<ObservedDependency>,
    pub probes: ProbeResults,
    pub previous: Option<PactoStatus>,
    pub source: SourceInfo,
    pub settings: EvalSettings,
    pub now: Time,
}

impl World {
    /// A compliant world: every check passes.
    pub fn base() -> World {
        World {
            contract: fixture("contract.yaml"),
            contract_loads: true,
            unavailable: None,
            target: Some(Target {
                service_name: Some("orders".into()),
                workload_ref: None,
            }),
            service: Observed::Found(fixture("service.yaml")),
            workload: Observed::Found(fixture("deployment.yaml")),
            slices: Observed::Found(vec![fixture("endpointslice.yaml")]),
            hpa: Observed::Found(None),
            deps: vec![
                ObservedDependency {
                    name: "payments".into(),
                    pacto: Some("shop/payments".into()),
                    found_version: Some("2.3.0".into()),
                    unobservable: None,
                },
                ObservedDependency {
                    name: "audit".into(),
                    pacto: Some("ops/audit".into()),
                    found_version: Some("1.0.4".into()),
                    unobservable: None,
                },
            ],
            probes: ProbeResults {
                health: Some(probe("http://orders:8080/healthz", true, 1, 0)),
                metrics: Some(probe("http://orders:9090/metrics", true, 1, 0)),
            },
            previous: None,
            source: SourceInfo {
                resolved_ref: Some("ghcr.io/acme/orders-contract:1.2.0".into()),
                digest: Some(
                    "sha256:1111111111111111111111111111111111111111111111111111111111111111"
                        .into(),
                ),
                current_revision: Some("orders-1-2-0-1111111111".into()),
                ..SourceInfo::default()
            },
            settings: EvalSettings::default(),
            now: time(1_700_000_000),
        }
    }

    /// A stateful contract (local persistent state) on a StatefulSet with claim templates.
    pub fn statefulset(mut self) -> World {
        set(
            &mut self.contract,
            "/runtime/state/type",
            serde_json::json!("stateful"),
        );
        set(
            &mut self.contract,
            "/runtime/state/persistence/durability",
            serde_json::json!("persistent"),
        );
        self.workload = Observed::Found(fixture("statefulset.yaml"));
        self.target = Some(Target {
            service_name: Some("orders".into()),
            workload_ref: Some(WorkloadRef {
                kind: WorkloadKind::StatefulSet,
                name: "orders".into(),
            }),
        });
        self
    }

    pub fn workload_mut(&mut self) -> &mut Value {
        match &mut self.workload {
            Observed::Found(v) => v,
            _ => panic!("no workload"),
        }
    }

    pub fn service_mut(&mut self) -> &mut Value {
        match &mut self.service {
            Observed::Found(v) => v,
            _ => panic!("no service"),
        }
    }

    pub fn validate(&self) -> ValidationReport {
        let mut b = Bundle::new();
        let text = serde_json::to_string(&self.contract).expect("json");
        b.insert("pacto.yaml", text.into_bytes());
        validate_bundle(&b, &ValidateOptions::default())
    }

    pub fn eval(&self) -> Evaluation {
        let report = if self.contract_loads {
            self.validate()
        } else {
            ValidationReport::from_error(pacto_core::Finding::error(
                "YAML_PARSE_ERROR",
                "",
                "mapping values are not allowed here",
            ))
        };
        assert!(
            !self.contract_loads || report.is_valid() || self.expect_invalid(),
            "fixture contract invalid: {:?}",
            report.errors
        );
        let contract = if self.unavailable.is_some() && !self.contract_loads {
            None
        } else {
            report.contract.clone().filter(|_| report.is_valid())
        };
        let report = if self.unavailable.is_some() && !self.contract_loads {
            ValidationReport::default()
        } else {
            report
        };
        let snapshot = ObservedSnapshot {
            service: map(&self.service, typed::<Service>),
            workload: map(&self.workload, to_workload),
            endpoint_slices: map(&self.slices, |v| {
                v.iter().map(typed::<EndpointSlice>).collect()
            }),
            hpa: map(&self.hpa, |v| {
                v.as_ref().map(typed::<HorizontalPodAutoscaler>)
            }),
            dependencies: self.deps.clone(),
        };
        let input = EvalInput {
            contract: contract.as_ref(),
            validation: &report,
            unavailable: self.unavailable.as_ref(),
            overrides: None,
            target: self.target.as_ref(),
            snapshot: &snapshot,
            probes: &self.probes,
            previous: self.previous.as_ref(),
            source: &self.source,
            generation: Some(1),
            now: &self.now,
            settings: &self.settings,
        };
        evaluate(&input)
    }

    fn expect_invalid(&self) -> bool {
        self.contract.get("expectInvalid").is_some()
    }
}

fn typed<T: serde::de::DeserializeOwned>(v: &Value) -> T {
    serde_json::from_value(v.clone()).expect("k8s object")
}

fn to_workload(v: &Value) -> Workload {
    match v["kind"].as_str() {
        Some("Deployment") => Workload::Deployment(typed(v)),
        Some("StatefulSet") => Workload::StatefulSet(typed(v)),
        Some("ReplicaSet") => Workload::ReplicaSet(typed(v)),
        Some("Job") => Workload::Job(typed(v)),
        Some("CronJob") => Workload::CronJob(typed(v)),
        other => panic!("kind {other:?}"),
    }
}

fn map<A, B>(o: &Observed<A>, f: impl Fn(&A) -> B) -> Observed<B> {
    match o {
        Observed::Found(a) => Observed::Found(f(a)),
        Observed::Missing => Observed::Missing,
        Observed::Unobservable(s) => Observed::Unobservable(s.clone()),
    }
}

pub fn cond<'a>(e: &'a Evaluation, type_: &str) -> &'a Condition {
    e.status
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .unwrap_or_else(|| panic!("no condition {type_}: {:#?}", e.status.conditions))
}

pub fn result(e: &Evaluation, check: Check) -> &CheckResult {
    e.checks
        .iter()
        .find(|c| c.check == check)
        .unwrap_or_else(|| panic!("no check {check}"))
}

/// Conditions that are not True, as `Type=Reason`.
pub fn not_true(e: &Evaluation) -> Vec<String> {
    e.status
        .conditions
        .iter()
        .filter(|c| c.status != "True")
        .map(|c| format!("{}={}", c.type_, c.reason))
        .collect()
}
