//! PortsValid and ServiceSelectsWorkload, plus port resolution shared with the health checks.

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use pacto_core::Contract;
use pacto_crds::reasons;
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;

use super::super::check::{Check, CheckResult};
use super::super::draft::{Evidence, FindingDraft};
use super::super::service_ports::{service_port, service_ports};
use super::super::target_snapshot::{Observed, Workload};

/// A container port the pod template declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContainerPortRef {
    pub container: String,
    pub number: i32,
}

fn containers(pod: &PodSpec) -> impl Iterator<Item = &Container> {
    pod.containers.iter()
}

/// Resolves a Service port's targetPort (absent = the port number; a number; or a container
/// port name) to a declared container port of the pod template.
pub(crate) fn resolve_target_port(
    sp: &ServicePort,
    pod: &PodSpec,
) -> Result<ContainerPortRef, String> {
    match &sp.target_port {
        None => find_number(pod, sp.port),
        Some(IntOrString::Int(n)) => find_number(pod, *n),
        Some(IntOrString::String(name)) => containers(pod)
            .find_map(|c| {
                c.ports
                    .iter()
                    .flatten()
                    .find(|p| p.name.as_deref() == Some(name))
                    .map(|p| ContainerPortRef {
                        container: c.name.clone(),
                        number: p.container_port,
                    })
            })
            .ok_or_else(|| {
                format!(
                    "targetPort {name:?} of Service port {} names no container port",
                    sp.port
                )
            }),
    }
}

fn find_number(pod: &PodSpec, n: i32) -> Result<ContainerPortRef, String> {
    containers(pod)
        .find_map(|c| {
            c.ports
                .iter()
                .flatten()
                .any(|p| p.container_port == n)
                .then(|| ContainerPortRef {
                    container: c.name.clone(),
                    number: n,
                })
        })
        .ok_or_else(|| format!("targetPort {n} is not a container port of the pod template"))
}

/// Contract interface ports (interfaces without a port, e.g. events, are skipped).
pub(crate) fn contract_ports(c: &Contract) -> Vec<i32> {
    let mut ports: Vec<i32> = c
        .interfaces
        .iter()
        .filter_map(|i| i.port.and_then(|p| i32::try_from(p).ok()))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// PortsValid: every contract port is a Service port, and (when the workload was read) each
/// such Service port's targetPort reaches a declared container port.
pub(super) fn ports_valid(
    c: &Contract,
    svc: &Service,
    workload: &Observed<Workload>,
) -> CheckResult {
    let expected = contract_ports(c);
    if expected.is_empty() {
        return CheckResult::pass(
            Check::PortsValid,
            reasons::NO_PORTS_DECLARED,
            "the contract declares no ports",
        );
    }
    let observed = service_ports(svc);
    let missing: Vec<i32> = expected
        .iter()
        .copied()
        .filter(|p| !observed.contains(p))
        .collect();
    if !missing.is_empty() {
        let findings = missing
            .iter()
            .flat_map(|p| {
                interface_findings(c, *p, codes::INTERFACE_ABSENT, |name| {
                    format!(
                        "interface {name} port {p} is not exposed by the Service (it exposes {})",
                        list(&observed)
                    )
                })
            })
            .collect();
        return CheckResult::fail(
            Check::PortsValid,
            reasons::MISSING_PORTS,
            format!(
                "contract ports {} are not exposed by the Service (it exposes {})",
                list(&missing),
                list(&observed)
            ),
        )
        .with_findings(findings);
    }
    let pod = match workload {
        Observed::Found(w) => w.pod_spec(),
        Observed::Unobservable(why) => {
            return CheckResult::unknown(
                Check::PortsValid,
                reasons::OBSERVATION_FAILED,
                format!(
                    "Service exposes {}, but targetPorts could not be checked: {why}",
                    list(&expected)
                ),
            );
        }
        Observed::Missing => None,
    };
    let Some(pod) = pod else {
        return CheckResult::pass(
            Check::PortsValid,
            reasons::ALL_PORTS_MATCH,
            format!(
                "Service exposes {} (no pod template to resolve targetPorts)",
                list(&expected)
            ),
        );
    };
    let unresolved: Vec<(i32, String)> = expected
        .iter()
        .filter_map(|p| service_port(svc, *p).map(|sp| (*p, sp)))
        .filter_map(|(p, sp)| resolve_target_port(sp, pod).err().map(|e| (p, e)))
        .collect();
    if unresolved.is_empty() {
        CheckResult::pass(
            Check::PortsValid,
            reasons::ALL_PORTS_MATCH,
            format!(
                "ports {} are exposed and reach container ports",
                list(&expected)
            ),
        )
    } else {
        let findings = unresolved
            .iter()
            .flat_map(|(p, why)| {
                interface_findings(c, *p, codes::TARGET_PORT_UNRESOLVED, |name| {
                    format!("interface {name}: {why}")
                })
            })
            .collect();
        let messages: Vec<&str> = unresolved.iter().map(|(_, why)| why.as_str()).collect();
        CheckResult::fail(
            Check::PortsValid,
            reasons::TARGET_PORT_UNRESOLVED,
            messages.join("; "),
        )
        .with_findings(findings)
    }
}

/// One finding per contract interface declaring `port`.
fn interface_findings(
    c: &Contract,
    port: i32,
    code: &str,
    message: impl Fn(&str) -> String,
) -> Vec<FindingDraft> {
    c.interfaces
        .iter()
        .enumerate()
        .filter(|(_, i)| i.port.and_then(|p| i32::try_from(p).ok()) == Some(port))
        .map(|(n, i)| {
            FindingDraft::new(
                code,
                FindingSeverity::Error,
                codes::CATEGORY_RUNTIME_DRIFT,
                message(&i.name),
            )
            .subject(i.name.clone())
            .path(format!("interfaces[{n}].port"))
            .evidence(Evidence::Kubernetes)
        })
        .collect()
}

/// ServiceSelectsWorkload: every selector pair is a pod template label.
pub(super) fn selects(svc: &Service, template: &PodTemplateSpec) -> CheckResult {
    let selector = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty());
    let Some(selector) = selector else {
        return CheckResult::fail(
            Check::ServiceSelectsWorkload,
            reasons::NO_SELECTOR,
            "the Service has no selector, so it does not route to the workload's pods",
        );
    };
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    let unmatched: Vec<String> = selector
        .iter()
        .filter(|(k, v)| labels.and_then(|l| l.get(*k)) != Some(*v))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if unmatched.is_empty() {
        CheckResult::pass(
            Check::ServiceSelectsWorkload,
            reasons::MATCH,
            "the Service selector matches the pod template labels",
        )
    } else {
        CheckResult::fail(
            Check::ServiceSelectsWorkload,
            reasons::SELECTOR_MISMATCH,
            format!("pod template labels lack selector {}", unmatched.join(", ")),
        )
    }
}

pub(crate) fn list(ports: &[i32]) -> String {
    if ports.is_empty() {
        return "none".to_string();
    }
    ports
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
