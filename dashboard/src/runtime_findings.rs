//! What the operator's newest status says beyond the checks (findings, severity counts,
//! evaluation coverage, observation windows, resolved capabilities, readiness score) and the
//! spec's interface and configuration bindings, turned into the rows of a runtime card.

use crate::model::{
    ConfigBindingView, CoverageView, EvidenceView, FindingView, InterfaceBindingView,
    ObservationWindowView, ReadinessScoreView, RuntimeCapabilityView, ServicePort, SeverityCounts,
};
use pacto_crds::PactoStatus;
use pacto_crds::Target;

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Most severe first: the operator already sorts, a stable sort keeps its order otherwise.
pub fn findings(st: &PactoStatus) -> Vec<FindingView> {
    let mut sorted: Vec<_> = st.findings.iter().collect();
    sorted.sort_by_key(|f| f.severity.rank());
    sorted
        .into_iter()
        .map(|f| FindingView {
            code: f.code.clone(),
            severity: f.severity.as_str().to_string(),
            category: f.category.clone(),
            subject: f.subject.clone(),
            contract_path: f.contract_path.clone(),
            message: f.message.clone(),
            evidence: f
                .evidence_refs
                .iter()
                .map(|e| EvidenceView {
                    source: e.source.clone(),
                    observed_at: e.observed_at.clone(),
                })
                .collect(),
        })
        .collect()
}

pub fn severity_counts(st: &PactoStatus) -> Option<SeverityCounts> {
    st.summary.as_ref().map(|s| SeverityCounts {
        error: count(s.error_count),
        warning: count(s.warning_count),
        info: count(s.info_count),
        unknown: count(s.unknown_count),
    })
}

pub fn coverage(st: &PactoStatus) -> Option<CoverageView> {
    st.evaluation_coverage.as_ref().map(|c| CoverageView {
        evaluated: count(c.evaluated),
        required: count(c.required),
    })
}

pub fn observation_windows(st: &PactoStatus) -> Vec<ObservationWindowView> {
    st.observation_windows
        .iter()
        .map(|w| ObservationWindowView {
            kind: enum_text(&w.kind),
            subject: w.subject.clone(),
            first_observed_negative_at: w.first_observed_negative_at.0.to_string(),
        })
        .collect()
}

pub fn capabilities(st: &PactoStatus) -> Vec<RuntimeCapabilityView> {
    st.capabilities
        .iter()
        .map(|c| RuntimeCapabilityView {
            kind: c.type_.clone(),
            reference: c.ref_.clone(),
        })
        .collect()
}

pub fn readiness(st: &PactoStatus) -> Option<ReadinessScoreView> {
    st.readiness.as_ref().map(|r| ReadinessScoreView {
        score: r.score,
        min_score: r.min_score,
        passing: r.passing,
        expired: r.expired,
        expires: r.expires.clone(),
        days_remaining: r.days_remaining,
    })
}

pub fn interface_bindings(t: Option<&Target>) -> Vec<InterfaceBindingView> {
    t.map(|t| {
        t.interface_bindings
            .iter()
            .map(|b| InterfaceBindingView {
                interface: b.interface.clone(),
                // IntOrString serialises as a number or a string.
                service_port: match serde_json::to_value(&b.service_port) {
                    Ok(serde_json::Value::Number(n)) => n
                        .as_i64()
                        .and_then(|n| i32::try_from(n).ok())
                        .map_or_else(|| ServicePort::Name(n.to_string()), ServicePort::Number),
                    Ok(serde_json::Value::String(s)) => ServicePort::Name(s),
                    Ok(other) => ServicePort::Name(other.to_string()),
                    Err(_) => ServicePort::Name(String::new()),
                },
            })
            .collect()
    })
    .unwrap_or_default()
}

pub fn config_bindings(t: Option<&Target>) -> Vec<ConfigBindingView> {
    t.map(|t| {
        t.config_bindings
            .iter()
            .map(|b| ConfigBindingView {
                configuration: b.configuration.clone(),
                kind: enum_text(&b.kind),
                name: b.name.clone(),
                key: b.key.clone(),
                format: b.format.as_ref().map(enum_text),
            })
            .collect()
    })
    .unwrap_or_default()
}

/// A CRD enum as it is spelled on the wire (`ConfigMap`, `yaml`, `dependency`).
fn enum_text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bindings_keep_port_numbers_and_names_and_spell_enums_as_the_crd() {
        let t: Target = serde_json::from_value(json!({
            "interfaceBindings": [
                {"interface": "api", "servicePort": 8080},
                {"interface": "admin", "servicePort": "admin-http"}
            ],
            "configBindings": [
                {"configuration": "default", "kind": "ConfigMap", "name": "app", "key": "c.yaml", "format": "yaml"},
                {"configuration": "secrets", "kind": "Secret", "name": "app-secrets"}
            ]
        }))
        .unwrap();
        let i = interface_bindings(Some(&t));
        assert_eq!(i[0].service_port, ServicePort::Number(8080));
        assert_eq!(i[1].service_port, ServicePort::Name("admin-http".into()));
        let c = config_bindings(Some(&t));
        assert_eq!(
            (c[0].kind.as_str(), c[0].format.as_deref()),
            ("ConfigMap", Some("yaml"))
        );
        assert_eq!((c[1].kind.as_str(), c[1].key.as_deref()), ("Secret", None));
        assert!(interface_bindings(None).is_empty());
    }

    #[test]
    fn findings_come_most_severe_first() {
        let st: PactoStatus = serde_json::from_value(json!({
            "findings": [
                {"code": "I", "severity": "info", "category": "c", "message": "m"},
                {"code": "E", "severity": "error", "category": "c", "message": "m"},
                {"code": "U", "severity": "unknown", "category": "c", "message": "m"},
                {"code": "W", "severity": "warning", "category": "c", "message": "m"}
            ],
            "observationWindows": [
                {"kind": "dependency", "subject": "auth", "firstObservedNegativeAt": "2026-01-01T00:00:00Z"}
            ]
        }))
        .unwrap();
        let codes: Vec<_> = findings(&st).into_iter().map(|f| f.code).collect();
        assert_eq!(codes, ["E", "W", "U", "I"]);
        let w = observation_windows(&st);
        assert_eq!(
            (w[0].kind.as_str(), w[0].subject.as_str()),
            ("dependency", "auth")
        );
        assert!(
            w[0].first_observed_negative_at
                .starts_with("2026-01-01T00:00:00")
        );
        assert_eq!(severity_counts(&st), None);
    }
}
