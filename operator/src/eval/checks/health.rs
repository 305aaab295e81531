//! HealthProbeMatch and HealthTimingMatch: the pod's readiness or liveness probe checks the
//! contract's health interface (its port, by number or container port name, and path), and
//! waits at least the declared initial delay.
//!
//! The interface's port is a Service port (bound, declared or found by name, see
//! [`super::super::interfaces`]); when the Service exposes it, the expected container port is
//! that Service port's resolved targetPort, otherwise the port number itself. Works alike for
//! 1.x `runtime.health` and a 2.0 bound `health` capability ([`pacto_core::Contract::health`]).

use k8s_openapi::api::core::v1::{Container, PodSpec, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use pacto_core::model::{Endpoint, Protocol};
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult};
use super::super::interfaces::{Interfaces, Resolution, Wanted, unbound_reason};
use super::ports::resolve_target_port;

/// A probe that targets the health endpoint, and which one it is.
pub(crate) struct HealthProbe<'a> {
    pub kind: &'static str,
    pub probe: &'a Probe,
}

fn probe_port(c: &Container, port: &IntOrString) -> Option<i32> {
    match port {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => c
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.as_deref() == Some(name))
            .map(|p| p.container_port),
    }
}

fn normalise_path(p: &str) -> &str {
    let p = p.split('?').next().unwrap_or(p);
    if p.is_empty() { "/" } else { p }
}

enum Verdict<'a> {
    Match(HealthProbe<'a>),
    Miss(&'static str, String),
}

fn judge<'a>(
    c: &'a Container,
    kind: &'static str,
    probe: &'a Probe,
    port: i32,
    path: Option<&str>,
    grpc: bool,
) -> Verdict<'a> {
    if let Some(h) = &probe.http_get {
        let got = probe_port(c, &h.port);
        if got != Some(port) {
            return Verdict::Miss(
                reasons::PORT_MISMATCH,
                format!(
                    "{kind} probe of {} uses port {} instead of {port}",
                    c.name,
                    show(&h.port)
                ),
            );
        }
        let got_path = normalise_path(h.path.as_deref().unwrap_or("/"));
        if let Some(want) = path
            && normalise_path(want) != got_path
        {
            return Verdict::Miss(
                reasons::PATH_MISMATCH,
                format!(
                    "{kind} probe of {} checks path {got_path} instead of {want}",
                    c.name
                ),
            );
        }
        return Verdict::Match(HealthProbe { kind, probe });
    }
    if let Some(g) = &probe.grpc {
        if grpc && g.port == port {
            return Verdict::Match(HealthProbe { kind, probe });
        }
        return Verdict::Miss(
            reasons::PORT_MISMATCH,
            format!(
                "{kind} probe of {} is a gRPC probe on port {}",
                c.name, g.port
            ),
        );
    }
    if let Some(t) = &probe.tcp_socket {
        return Verdict::Miss(
            reasons::PROBE_TYPE_MISMATCH,
            format!(
                "{kind} probe of {} only opens TCP port {} (no {} check)",
                c.name,
                show(&t.port),
                if grpc { "gRPC health" } else { "HTTP path" }
            ),
        );
    }
    Verdict::Miss(
        reasons::PROBE_TYPE_MISMATCH,
        format!("{kind} probe of {} is an exec probe", c.name),
    )
}

fn show(p: &IntOrString) -> String {
    match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// Finds the readiness (preferred) or liveness probe hitting `port`/`path`; else why not.
pub(crate) fn find_health_probe<'a>(
    pod: &'a PodSpec,
    port: i32,
    path: Option<&str>,
    grpc: bool,
) -> Result<HealthProbe<'a>, Vec<(&'static str, String)>> {
    let mut misses = Vec::new();
    for kind in ["readiness", "liveness"] {
        for c in &pod.containers {
            let probe = if kind == "readiness" {
                &c.readiness_probe
            } else {
                &c.liveness_probe
            };
            if let Some(p) = probe {
                match judge(c, kind, p, port, path, grpc) {
                    Verdict::Match(m) => return Ok(m),
                    Verdict::Miss(reason, why) => misses.push((reason, why)),
                }
            }
        }
    }
    Err(misses)
}

/// The container port the health interface reaches (its Service port's resolved targetPort;
/// without one, the interface's port number itself) and whether it speaks gRPC, or the failed
/// result saying why there is none.
pub(crate) fn health_port(
    ifs: &Interfaces<'_>,
    h: &Endpoint,
    pod: &PodSpec,
) -> Result<(i32, bool), CheckResult> {
    let c = ifs.contract();
    let Some(iface) = c.interface(&h.interface) else {
        return Err(CheckResult::fail(
            Check::HealthProbeMatch,
            reasons::INTERFACE_NOT_FOUND,
            format!("health interface {} is not declared", h.interface),
        ));
    };
    let grpc = iface.protocol() == Protocol::Grpc;
    let no_port = |why: String| {
        Err(CheckResult::fail(
            Check::HealthProbeMatch,
            reasons::INTERFACE_HAS_NO_PORT,
            why,
        ))
    };
    match ifs.resolve(&h.interface) {
        Resolution::Served { port, .. } => Ok((
            resolve_target_port(port, pod).map_or(port.port, |r| r.number),
            grpc,
        )),
        Resolution::Absent {
            wanted: Wanted::Number(n),
            ..
        }
        | Resolution::Unchecked {
            wanted: Wanted::Number(n),
            ..
        } => Ok((n, grpc)),
        Resolution::Absent {
            wanted: Wanted::Name(name),
            ..
        }
        | Resolution::Unchecked {
            wanted: Wanted::Name(name),
            ..
        } => no_port(format!(
            "health interface {} is bound to Service port {name}, which no observed Service has",
            h.interface
        )),
        Resolution::Unbound => no_port(format!("health {}", unbound_reason(c, &h.interface))),
    }
}

pub(super) fn probe_match(ifs: &Interfaces<'_>, h: &Endpoint, pod: &PodSpec) -> CheckResult {
    let (port, grpc) = match health_port(ifs, h, pod) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match find_health_probe(pod, port, h.path.as_deref(), grpc) {
        Ok(m) => CheckResult::pass(
            Check::HealthProbeMatch,
            reasons::MATCH,
            format!(
                "{} probe checks port {port}{}",
                m.kind,
                h.path
                    .as_deref()
                    .map(|p| format!(" path {p}"))
                    .unwrap_or_default()
            ),
        ),
        Err(misses) if misses.is_empty() => CheckResult::fail(
            Check::HealthProbeMatch,
            reasons::NO_PROBE,
            "no container has a readiness or liveness probe",
        ),
        Err(misses) => {
            // A probe on the right port with the wrong path is the most specific finding.
            let reason = misses
                .iter()
                .map(|(r, _)| *r)
                .find(|r| *r == reasons::PATH_MISMATCH)
                .or_else(|| misses.first().map(|(r, _)| *r))
                .unwrap_or(reasons::PORT_MISMATCH);
            let text: Vec<&str> = misses.iter().map(|(_, m)| m.as_str()).collect();
            CheckResult::fail(Check::HealthProbeMatch, reason, text.join("; "))
        }
    }
}

pub(super) fn timing_match(
    ifs: &Interfaces<'_>,
    h: &Endpoint,
    want: u64,
    pod: &PodSpec,
) -> CheckResult {
    let found = health_port(ifs, h, pod)
        .ok()
        .and_then(|(port, grpc)| find_health_probe(pod, port, h.path.as_deref(), grpc).ok());
    // Without a probe on the health endpoint, fall back to any readiness/liveness probe.
    let probe = found.or_else(|| {
        pod.containers.iter().find_map(|c| {
            c.readiness_probe
                .as_ref()
                .map(|p| HealthProbe {
                    kind: "readiness",
                    probe: p,
                })
                .or_else(|| {
                    c.liveness_probe.as_ref().map(|p| HealthProbe {
                        kind: "liveness",
                        probe: p,
                    })
                })
        })
    });
    let Some(p) = probe else {
        return CheckResult::fail(
            Check::HealthTimingMatch,
            reasons::NO_PROBE,
            format!("no readiness or liveness probe to wait the declared {want}s"),
        );
    };
    let got = p.probe.initial_delay_seconds.unwrap_or(0);
    let want_i = i32::try_from(want).unwrap_or(i32::MAX);
    if got >= want_i {
        CheckResult::pass(
            Check::HealthTimingMatch,
            reasons::MATCH,
            format!("{} probe initialDelaySeconds {got} >= {want}", p.kind),
        )
    } else {
        CheckResult::fail(
            Check::HealthTimingMatch,
            reasons::MISMATCH,
            format!(
                "{} probe initialDelaySeconds {got} is shorter than the contract's {want}",
                p.kind
            ),
        )
    }
}
