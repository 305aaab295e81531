//! ConfigurationMounted: the pod template references every bound object, through a volume
//! (`configMap`, `secret`, or a `projected` source) or a container's `envFrom` /
//! `env[].valueFrom` (init containers included).

use k8s_openapi::api::core::v1::{Container, PodSpec};
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;
use pacto_crds::{ConfigBinding, ConfigBindingKind, reasons};

use super::super::super::check::{Check, CheckResult};
use super::super::super::draft::{Evidence, FindingDraft};
use super::super::super::target_snapshot::{ConfigObject, Observed, Workload};
use super::subject;

/// Every (kind, name) the pod spec references.
fn references(pod: &PodSpec) -> Vec<(ConfigBindingKind, String)> {
    let mut out = Vec::new();
    let cm = ConfigBindingKind::ConfigMap;
    let sec = ConfigBindingKind::Secret;
    for v in pod.volumes.iter().flatten() {
        if let Some(c) = &v.config_map {
            out.push((cm, c.name.clone()));
        }
        if let Some(n) = v.secret.as_ref().and_then(|s| s.secret_name.clone()) {
            out.push((sec, n));
        }
        for s in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(c) = &s.config_map {
                out.push((cm, c.name.clone()));
            }
            if let Some(c) = &s.secret {
                out.push((sec, c.name.clone()));
            }
        }
    }
    let containers = pod
        .containers
        .iter()
        .chain(pod.init_containers.iter().flatten());
    for c in containers {
        container_refs(c, &mut out);
    }
    out
}

fn container_refs(c: &Container, out: &mut Vec<(ConfigBindingKind, String)>) {
    for e in c.env_from.iter().flatten() {
        if let Some(r) = &e.config_map_ref {
            out.push((ConfigBindingKind::ConfigMap, r.name.clone()));
        }
        if let Some(r) = &e.secret_ref {
            out.push((ConfigBindingKind::Secret, r.name.clone()));
        }
    }
    for v in c.env.iter().flatten().filter_map(|e| e.value_from.as_ref()) {
        if let Some(r) = &v.config_map_key_ref {
            out.push((ConfigBindingKind::ConfigMap, r.name.clone()));
        }
        if let Some(r) = &v.secret_key_ref {
            out.push((ConfigBindingKind::Secret, r.name.clone()));
        }
    }
}

/// ConfigurationMounted (a warning: the object may be read through the API instead). A bound
/// object that does not exist is left out (ConfigurationValid reports it when it matters).
pub(crate) fn mounted(
    bindings: &[ConfigBinding],
    objects: &[Observed<ConfigObject>],
    w: &Workload,
    pod: &PodSpec,
) -> CheckResult {
    let refs = references(pod);
    let workload = format!("{}/{}", w.kind().as_str(), w.name());
    let mut seen = Vec::new();
    let findings: Vec<FindingDraft> = bindings
        .iter()
        .enumerate()
        .filter(|(i, _)| !matches!(objects.get(*i), Some(Observed::Missing)))
        .filter(|(_, b)| !refs.iter().any(|(k, n)| *k == b.kind && *n == b.name))
        .filter(|(_, b)| {
            let s = subject(b);
            let first = !seen.contains(&s);
            seen.push(s);
            first
        })
        .map(|(i, b)| {
            FindingDraft::new(
                codes::CONFIGURATION_ABSENT,
                FindingSeverity::Warning,
                codes::CATEGORY_RUNTIME_DRIFT,
                format!(
                    "{workload} neither mounts nor envFroms {} (configuration {:?}, configBindings[{i}])",
                    subject(b),
                    b.configuration
                ),
            )
            .subject(subject(b))
            .path(format!("spec.target.configBindings[{i}]"))
            .evidence(Evidence::Kubernetes)
        })
        .collect();
    if findings.is_empty() {
        return CheckResult::pass(
            Check::ConfigurationMounted,
            reasons::MOUNTED,
            format!("{workload} mounts or envFroms every bound ConfigMap and Secret"),
        );
    }
    let names: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.subject.as_deref())
        .collect();
    CheckResult::fail(
        Check::ConfigurationMounted,
        reasons::NOT_MOUNTED,
        format!(
            "{workload} neither mounts nor envFroms {}",
            names.join(", ")
        ),
    )
    .with_findings(findings)
}
