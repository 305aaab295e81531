//! The k8s overlay: a Pacto's status turned into the runtime section of a service page.

use crate::model::{
    Check, ConditionView, ContractStatus, EndpointCheck, Instance, ReplicaResult, RuntimeRecord,
    RuntimeView,
};
use crate::runtime_findings as rf;
use pacto_crds::status::EndpointStatus;

pub fn owner(r: &RuntimeRecord) -> Option<String> {
    let c = r.status.contract.as_ref()?;
    c.owner_display.clone().or_else(|| {
        c.owner
            .as_ref()
            .and_then(|o| o.team.clone().or_else(|| o.dri.clone()))
    })
}

/// The status a Pacto object reports; Unknown until the operator has written one.
pub fn status(r: &RuntimeRecord) -> ContractStatus {
    r.status.contract_status.unwrap_or(ContractStatus::Unknown)
}

/// A Pacto object as one row of the instance table.
pub fn instance(r: &RuntimeRecord) -> Instance {
    let summary = r.status.summary.as_ref();
    Instance {
        namespace: r.namespace.clone(),
        name: r.object.clone(),
        contract_status: status(r),
        contract_version: r.status.contract_version.clone(),
        checks_passed: summary.map(|s| s.passed.max(0) as u32).unwrap_or(0),
        checks_total: summary.map(|s| s.total.max(0) as u32).unwrap_or(0),
        last_checked: r.status.last_checked_time.as_ref().map(|t| t.0.to_string()),
    }
}

pub fn view(r: &RuntimeRecord) -> RuntimeView {
    let st = &r.status;
    let summary = st.summary.as_ref();
    RuntimeView {
        namespace: r.namespace.clone(),
        object: r.object.clone(),
        contract_status: st.contract_status,
        contract_version: st.contract_version.clone(),
        resolved_ref: st.resolved_ref.clone(),
        checks_passed: summary.map(|s| s.passed.max(0) as u32).unwrap_or(0),
        checks_total: summary.map(|s| s.total.max(0) as u32).unwrap_or(0),
        checks: checks(st),
        endpoints: st
            .endpoints
            .as_ref()
            .map(|e| {
                [("health", &e.health), ("metrics", &e.metrics)]
                    .into_iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| endpoint(k, v)))
                    .collect()
            })
            .unwrap_or_default(),
        conditions: st
            .conditions
            .iter()
            .map(|c| ConditionView {
                kind: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: c.message.clone(),
                last_transition_time: Some(c.last_transition_time.0.to_string()),
            })
            .collect(),
        last_checked: st.last_checked_time.as_ref().map(|t| t.0.to_string()),
        findings: rf::findings(st),
        severity_counts: rf::severity_counts(st),
        coverage: rf::coverage(st),
        observation_windows: rf::observation_windows(st),
        capabilities: rf::capabilities(st),
        readiness: rf::readiness(st),
        interface_bindings: rf::interface_bindings(r.target.as_deref()),
        config_bindings: rf::config_bindings(r.target.as_deref()),
    }
}

fn endpoint(kind: &str, e: &EndpointStatus) -> EndpointCheck {
    EndpointCheck {
        kind: kind.to_string(),
        url: e.url.clone(),
        reachable: e.reachable,
        status_code: e.status_code,
        replicas: e
            .replicas
            .iter()
            .map(|p| ReplicaResult {
                address: p.address.clone(),
                pod: p.pod_name.clone(),
                reachable: p.reachable,
                status_code: p.status_code,
                latency_ms: p.latency_ms,
                error: p.error.clone(),
            })
            .collect(),
    }
}

/// Declared vs observed rows derived from the status (the operator evaluates; we show).
fn checks(st: &pacto_crds::PactoStatus) -> Vec<Check> {
    let mut out = Vec::new();
    if let Some(res) = &st.resources {
        for (name, p) in [
            ("Service exists", &res.service),
            ("Workload exists", &res.workload),
        ] {
            if let Some(p) = p {
                out.push(Check {
                    name: name.to_string(),
                    declared: Some(p.name.clone()),
                    observed: Some(if p.exists { "present" } else { "missing" }.to_string()),
                    passed: p.exists,
                });
            }
        }
    }
    if let Some(p) = &st.ports {
        out.push(Check {
            name: "Ports".into(),
            declared: Some(join(&p.expected)),
            observed: Some(join(&p.observed)),
            passed: p.missing.is_empty(),
        });
    }
    if let (Some(rt), Some(obs)) = (&st.runtime, &st.observed_runtime) {
        if let Some(w) = &rt.workload {
            let expected = match w.as_str() {
                "service" => "Deployment",
                "job" => "Job",
                "scheduled" => "CronJob",
                other => other,
            };
            let observed = obs.workload_kind.clone();
            out.push(Check {
                name: "Workload type".into(),
                declared: Some(w.clone()),
                passed: observed.as_deref().is_some_and(|o| {
                    o == expected || (expected == "Deployment" && o == "StatefulSet")
                }),
                observed,
            });
        }
        if let Some(g) = rt.graceful_shutdown_seconds {
            out.push(Check {
                name: "Graceful shutdown".into(),
                declared: Some(format!("{g}s")),
                observed: obs
                    .termination_grace_period_seconds
                    .map(|o| format!("{o}s")),
                passed: obs
                    .termination_grace_period_seconds
                    .is_some_and(|o| o >= i64::from(g)),
            });
        }
    }
    out
}

fn join(v: &[i32]) -> String {
    v.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}
