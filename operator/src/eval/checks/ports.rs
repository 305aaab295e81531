//! PortsValid and ServiceSelectsWorkload, plus targetPort resolution shared with the health
//! checks. Which Service port serves an interface is [`super::super::interfaces`]' answer.

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use pacto_core::model::{Interface, Protocol};
use pacto_crds::reasons;
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;

use super::super::check::{Check, CheckResult};
use super::super::draft::{Evidence, FindingDraft};
use super::super::interfaces::{Interfaces, Resolution, Source, Wanted};
use super::super::service_ports::service_ports;
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

/// The Service ports the contract's interfaces are served on, as far as known (bound,
/// declared, or found by name), sorted.
pub(crate) fn contract_ports(ifs: &Interfaces<'_>) -> Vec<i32> {
    let c = ifs.contract();
    let resolved: Vec<Resolution<'_>> = c.interfaces.iter().map(|i| ifs.resolve(&i.name)).collect();
    sorted_ports(resolved.iter())
}

fn sorted_ports<'r, 'a: 'r>(resolutions: impl Iterator<Item = &'r Resolution<'a>>) -> Vec<i32> {
    let mut ports: Vec<i32> = resolutions.filter_map(Resolution::port_number).collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// A served interface nothing places on the Service (event channels are not served on a port).
fn unbound(i: &Interface, r: &Resolution<'_>) -> bool {
    *r == Resolution::Unbound && i.protocol() != Protocol::Event
}

/// PortsValid: every interface with a binding or a declared port is a Service port, and (when
/// the workload was read) each such Service port's targetPort reaches a declared container
/// port. Unbound interfaces and bindings to undeclared interfaces are noted (info).
pub(super) fn ports_valid(
    ifs: &Interfaces<'_>,
    svc: &Service,
    workload: &Observed<Workload>,
) -> CheckResult {
    let c = ifs.contract();
    let resolved: Vec<(usize, &Interface, Resolution<'_>)> = c
        .interfaces
        .iter()
        .enumerate()
        .map(|(n, i)| (n, i, ifs.resolve(&i.name)))
        .collect();
    let notes = notes(ifs, &resolved);
    // Derived from the resolutions above rather than resolving every interface again.
    let expected = sorted_ports(resolved.iter().map(|(_, _, r)| r));
    let observed = service_ports(svc);
    let absent: Vec<(&Interface, &Wanted, Source)> = resolved
        .iter()
        .filter_map(|(_, i, r)| match r {
            Resolution::Absent { wanted, source } => Some((*i, wanted, *source)),
            _ => None,
        })
        .collect();
    if !absent.is_empty() {
        let mut findings: Vec<FindingDraft> = absent
            .iter()
            .map(|(i, wanted, source)| {
                let via = match source {
                    Source::Binding(n) => format!(" (interfaceBindings[{n}])"),
                    _ => String::new(),
                };
                drift(
                    codes::INTERFACE_ABSENT,
                    &i.name,
                    source.path(c, &i.name),
                    format!(
                        "interface {} port {}{via} is not exposed by the Service (it exposes {})",
                        i.name,
                        wanted.show(),
                        list(&observed)
                    ),
                )
            })
            .collect();
        findings.extend(notes);
        let mut missing: Vec<&Wanted> = absent.iter().map(|(_, w, _)| *w).collect();
        missing.sort_by_key(|w| match w {
            Wanted::Number(n) => (0, *n, String::new()),
            Wanted::Name(s) => (1, 0, s.clone()),
        });
        missing.dedup();
        let missing: Vec<String> = missing.iter().map(|w| w.show()).collect();
        return CheckResult::fail(
            Check::PortsValid,
            reasons::MISSING_PORTS,
            format!(
                "contract ports {} are not exposed by the Service (it exposes {})",
                missing.join(", "),
                list(&observed)
            ),
        )
        .with_findings(findings);
    }
    let served: Vec<(&Interface, &ServicePort, Source)> = resolved
        .iter()
        .filter_map(|(_, i, r)| match r {
            Resolution::Served { port, source } => Some((*i, *port, *source)),
            _ => None,
        })
        .collect();
    if served.is_empty() {
        let unbound = resolved.iter().filter(|(_, i, r)| unbound(i, r)).count();
        let message = if unbound > 0 && c.pacto_version.is_v2() {
            format!("no interface is bound to a Service port ({unbound} unbound)")
        } else {
            "the contract declares no ports".to_string()
        };
        return CheckResult::pass(Check::PortsValid, reasons::NO_PORTS_DECLARED, message)
            .with_findings(notes);
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
        )
        .with_findings(notes);
    };
    let unresolved: Vec<(&Interface, Source, String)> = served
        .iter()
        .filter_map(|(i, sp, source)| {
            resolve_target_port(sp, pod)
                .err()
                .map(|why| (*i, *source, why))
        })
        .collect();
    if unresolved.is_empty() {
        return CheckResult::pass(
            Check::PortsValid,
            reasons::ALL_PORTS_MATCH,
            format!(
                "ports {} are exposed and reach container ports",
                list(&expected)
            ),
        )
        .with_findings(notes);
    }
    let mut findings: Vec<FindingDraft> = unresolved
        .iter()
        .map(|(i, source, why)| {
            drift(
                codes::TARGET_PORT_UNRESOLVED,
                &i.name,
                source.path(c, &i.name),
                format!("interface {}: {why}", i.name),
            )
        })
        .collect();
    findings.extend(notes);
    let mut messages: Vec<&str> = unresolved.iter().map(|(_, _, why)| why.as_str()).collect();
    messages.dedup();
    CheckResult::fail(
        Check::PortsValid,
        reasons::TARGET_PORT_UNRESOLVED,
        messages.join("; "),
    )
    .with_findings(findings)
}

fn drift(code: &str, subject: &str, path: Option<String>, message: String) -> FindingDraft {
    FindingDraft::new(
        code,
        FindingSeverity::Error,
        codes::CATEGORY_RUNTIME_DRIFT,
        message,
    )
    .subject(subject.to_string())
    .maybe_path(path)
    .evidence(Evidence::Kubernetes)
}

/// Info findings: served interfaces nothing places on the Service (event channels excepted:
/// they are not served on a port) and bindings naming undeclared interfaces.
fn notes(
    ifs: &Interfaces<'_>,
    resolved: &[(usize, &Interface, Resolution<'_>)],
) -> Vec<FindingDraft> {
    let info = |code: &str, message: String| {
        FindingDraft::new(
            code,
            FindingSeverity::Info,
            codes::CATEGORY_OBSERVATION,
            message,
        )
    };
    let unbound = resolved
        .iter()
        .filter(|(_, i, r)| unbound(i, r))
        .map(|(n, i, _)| {
            info(
                codes::INTERFACE_UNBOUND,
                format!(
                    "interface {} is not bound to a Service port: no interfaceBindings entry, \
                     no declared port and no Service port named {}",
                    i.name, i.name
                ),
            )
            .subject(i.name.clone())
            .path(format!("interfaces[{n}]"))
        });
    let stray = ifs.stray_bindings().into_iter().map(|(n, name)| {
        info(
            codes::INTERFACE_BINDING_UNKNOWN,
            format!(
                "interfaceBindings[{n}] names interface {name}, which the contract does not declare"
            ),
        )
        .subject(name.to_string())
        .path(format!("spec.target.interfaceBindings[{n}].interface"))
    });
    unbound.chain(stray).collect()
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
