//! The text exposition lines each per-Pacto family writes for one Pacto (Prometheus text
//! format 0.0.4, labels sorted by name as the `prometheus` crate's encoder writes them).

use std::fmt::Write;

use pacto_crds::status::ReadinessStatus;
use pacto_crds::{ContractStatus, reasons};

pub const STATUS_NAME: &str = "pacto_contract_status";
pub const CHECK_NAME: &str = "pacto_check_result";

/// (namespace, name) of a Pacto.
pub type Key = (Box<str>, Box<str>);

/// One Pacto's series: its status, its checks' outcomes (check names are static) and its
/// readiness when the contract declares one.
pub struct Series {
    pub status: &'static str,
    pub checks: Vec<(&'static str, bool)>,
    pub readiness: Option<Readiness>,
}

/// The readiness gauges of one Pacto.
#[derive(Clone, Copy)]
pub struct Readiness {
    pub score: i32,
    pub gate: bool,
    pub status: &'static str,
    /// done, partial, not-done, deferred.
    pub checks: [i32; 4],
}

impl Readiness {
    pub fn of(r: &ReadinessStatus) -> Self {
        let status = if r.expired {
            reasons::READINESS_EXPIRED
        } else if r.passing {
            reasons::READINESS_SATISFIED
        } else {
            reasons::READINESS_BELOW_MIN_SCORE
        };
        Self {
            score: r.score,
            gate: r.passing && !r.expired,
            status,
            checks: [
                r.done_count,
                r.partial_count,
                r.not_done_count,
                r.deferred_count,
            ],
        }
    }
}

const READINESS_STATUSES: [&str; 3] = [
    reasons::READINESS_SATISFIED,
    reasons::READINESS_BELOW_MIN_SCORE,
    reasons::READINESS_EXPIRED,
];
const CHECK_STATES: [&str; 4] = ["done", "partial", "not-done", "deferred"];

pub(super) fn check_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    for (check, ok) in &s.checks {
        let _ = writeln!(
            out,
            "{CHECK_NAME}{{check=\"{}\",name=\"{}\",namespace=\"{}\"}} {}",
            escape(check),
            escape(name),
            escape(ns),
            u8::from(*ok)
        );
    }
}

pub(super) fn status_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    for status in ContractStatus::ALL.map(ContractStatus::as_str) {
        let _ = writeln!(
            out,
            "{STATUS_NAME}{{name=\"{}\",namespace=\"{}\",status=\"{status}\"}} {}",
            escape(name),
            escape(ns),
            u8::from(status == s.status)
        );
    }
}

pub(super) fn readiness_score_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    if let Some(r) = &s.readiness {
        let _ = writeln!(
            out,
            "pacto_readiness_score{{name=\"{}\",namespace=\"{}\"}} {}",
            escape(name),
            escape(ns),
            r.score
        );
    }
}

pub(super) fn readiness_gate_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    if let Some(r) = &s.readiness {
        let _ = writeln!(
            out,
            "pacto_readiness_gate{{name=\"{}\",namespace=\"{}\"}} {}",
            escape(name),
            escape(ns),
            u8::from(r.gate)
        );
    }
}

pub(super) fn readiness_status_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    if let Some(r) = &s.readiness {
        for status in READINESS_STATUSES {
            let _ = writeln!(
                out,
                "pacto_readiness_status{{name=\"{}\",namespace=\"{}\",status=\"{status}\"}} {}",
                escape(name),
                escape(ns),
                u8::from(status == r.status)
            );
        }
    }
}

pub(super) fn readiness_checks_lines(out: &mut String, (ns, name): &Key, s: &Series) {
    if let Some(r) = &s.readiness {
        for (state, count) in CHECK_STATES.iter().zip(r.checks) {
            let _ = writeln!(
                out,
                "pacto_readiness_checks{{name=\"{}\",namespace=\"{}\",status=\"{state}\"}} {count}",
                escape(name),
                escape(ns),
            );
        }
    }
}

pub(super) fn header(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// Label value escaping of the text format (backslash, double quote, newline).
fn escape(v: &str) -> std::borrow::Cow<'_, str> {
    if v.contains(['\\', '"', '\n']) {
        v.replace('\\', r"\\")
            .replace('"', r#"\""#)
            .replace('\n', r"\n")
            .into()
    } else {
        v.into()
    }
}
