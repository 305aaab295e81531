//! `runtime.health` and `runtime.metrics`: they must point at a declared, probe-able
//! interface, with a path when it is http.

use crate::finding::Finding;
use crate::model::{Contract, InterfaceType};
use crate::validate::codes;

struct Probe<'a> {
    section: &'a str,
    interface: &'a str,
    path: Option<&'a str>,
    not_found: &'static str,
    invalid: &'static str,
    path_required: &'static str,
    path_ignored: &'static str,
    example_path: &'a str,
}

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let Some(runtime) = &contract.runtime else {
        return;
    };
    if let Some(h) = &runtime.health {
        probe(
            contract,
            &Probe {
                section: "health",
                interface: &h.interface,
                path: h.path.as_deref(),
                not_found: codes::HEALTH_INTERFACE_NOT_FOUND,
                invalid: codes::HEALTH_INTERFACE_INVALID,
                path_required: codes::HEALTH_PATH_REQUIRED,
                path_ignored: codes::HEALTH_PATH_IGNORED,
                example_path: "/health",
            },
            out,
        );
    }
    if let Some(m) = &runtime.metrics {
        probe(
            contract,
            &Probe {
                section: "metrics",
                interface: &m.interface,
                path: m.path.as_deref(),
                not_found: codes::METRICS_INTERFACE_NOT_FOUND,
                invalid: codes::METRICS_INTERFACE_INVALID,
                path_required: codes::METRICS_PATH_REQUIRED,
                path_ignored: codes::METRICS_PATH_IGNORED,
                example_path: "/metrics",
            },
            out,
        );
    }
}

fn probe(contract: &Contract, p: &Probe<'_>, out: &mut Vec<Finding>) {
    let base = format!("runtime.{}", p.section);
    let Some(iface) = contract.interface(p.interface) else {
        let mut declared: Vec<&str> = contract
            .interfaces
            .iter()
            .filter(|i| i.kind != InterfaceType::Event)
            .map(|i| i.name.as_str())
            .collect();
        declared.sort_unstable();
        declared.dedup();
        let hint = if declared.is_empty() {
            "declare an http or grpc interface under `interfaces` first".to_string()
        } else {
            format!("use one of: {}", declared.join(", "))
        };
        out.push(Finding::error(
            p.not_found,
            format!("{base}.interface"),
            format!(
                "{} interface '{}' is not declared in `interfaces`: {hint}",
                p.section, p.interface
            ),
        ));
        return;
    };
    match iface.kind {
        InterfaceType::Event => out.push(Finding::error(
            p.invalid,
            format!("{base}.interface"),
            format!("{} cannot be served by event interface '{}': point it at an http or grpc interface", p.section, iface.name),
        )),
        InterfaceType::Http if p.path.is_none_or(|s| s.trim().is_empty()) => out.push(Finding::error(
            p.path_required,
            format!("{base}.path"),
            format!("{} on http interface '{}' needs a path: add `path: {}`", p.section, iface.name, p.example_path),
        )),
        InterfaceType::Grpc if p.path.is_some() => out.push(Finding::warning(
            p.path_ignored,
            format!("{base}.path"),
            format!("{} on grpc interface '{}' uses the standard gRPC protocol, so `path` is ignored: remove it", p.section, iface.name),
        )),
        _ => {}
    }
}
