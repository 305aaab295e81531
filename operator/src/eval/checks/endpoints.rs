//! HealthEndpointValid and MetricsEndpointValid from the probe pool's results.
//!
//! A round passes when at least one ready replica was probed and all of them passed. The
//! first value is taken at once; after that the condition flips only when `probe_threshold`
//! rounds in a row disagree with it (one slow answer does not flap the status).

use pacto_crds::PactoStatus;
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult, Outcome};
use super::super::conditions::find;
use super::super::interfaces::{Interfaces, Resolution, unbound_reason};
use super::super::probes::{EndpointProbe, ProbeKind};

/// Failing replicas quoted in a message.
const QUOTED_REPLICAS: usize = 3;

pub(super) fn endpoint_check(
    kind: ProbeKind,
    ifs: &Interfaces<'_>,
    interface: &str,
    probe: Option<&EndpointProbe>,
    previous: Option<&PactoStatus>,
    threshold: u32,
) -> CheckResult {
    let check = match kind {
        ProbeKind::Health => Check::HealthEndpointValid,
        ProbeKind::Metrics => Check::MetricsEndpointValid,
    };
    let c = ifs.contract();
    if c.interface(interface).is_none() {
        return CheckResult::fail(
            check,
            reasons::INTERFACE_NOT_FOUND,
            format!("interface {interface} is not declared"),
        );
    }
    if ifs.resolve(interface) == Resolution::Unbound {
        let message = unbound_reason(c, interface);
        return CheckResult::fail(check, reasons::INTERFACE_HAS_NO_PORT, message);
    }
    let prev = previous.and_then(|p| find(p, check.as_str()));
    let kept = || {
        prev.and_then(|p| {
            let outcome = match p.status.as_str() {
                "True" => Outcome::Pass,
                "False" => Outcome::Fail,
                _ => return None,
            };
            let mut r = CheckResult::pass(check, &p.reason, p.message.clone());
            r.outcome = outcome;
            Some(r)
        })
    };
    let Some(probe) = probe else {
        // Not probed since the operator started: the stored verdict still stands.
        return kept().unwrap_or_else(|| {
            CheckResult::unknown(
                check,
                reasons::NOT_PROBED_YET,
                "the endpoint has not been probed yet",
            )
        });
    };
    if let Some(why) = &probe.unobservable {
        return CheckResult::unknown(check, reasons::PROBE_NOT_RUN, why.clone());
    }
    let mut candidate = verdict(kind, check, probe);
    if let Some(skipped) = &probe.skipped {
        // Left-out slices are never silent: the condition says what was not probed.
        candidate.message = format!("{}; {skipped}", candidate.message);
    }
    let (agreeing, prev_outcome) = match candidate.outcome {
        Outcome::Pass => (probe.consecutive_successes, Outcome::Fail),
        _ => (probe.consecutive_failures, Outcome::Pass),
    };
    match kept() {
        Some(k) if k.outcome == prev_outcome && agreeing < threshold.max(1) => k,
        _ => candidate,
    }
}

fn verdict(kind: ProbeKind, check: Check, p: &EndpointProbe) -> CheckResult {
    let total = p.replicas.len();
    let passing = p.passing();
    let what = match kind {
        ProbeKind::Health => "healthy",
        ProbeKind::Metrics => "serving Prometheus metrics",
    };
    if total == 0 {
        return CheckResult::fail(
            check,
            reasons::NO_READY_ENDPOINTS,
            format!("{}: the Service has no ready endpoint to probe", p.url),
        );
    }
    if p.round_ok() {
        return CheckResult::pass(
            check,
            reasons::OK,
            format!("{passing}/{total} replicas {what} at {}", p.url),
        );
    }
    let failing: Vec<_> = p.replicas.iter().filter(|r| !r.ok).collect();
    let reason = match failing.first() {
        Some(r) if kind == ProbeKind::Metrics && r.status_code == Some(200) => {
            reasons::INVALID_METRICS
        }
        Some(r) if r.status_code.is_some() => reasons::INVALID_STATUS_CODE,
        _ => reasons::CONNECTION_FAILED,
    };
    let mut detail: Vec<String> = failing
        .iter()
        .take(QUOTED_REPLICAS)
        .map(|r| {
            let why = match (&r.error, r.status_code) {
                (Some(e), _) => e.clone(),
                (None, Some(code)) => format!("HTTP {code}"),
                (None, None) => "failed".to_string(),
            };
            format!("{}: {why}", r.address)
        })
        .collect();
    if failing.len() > QUOTED_REPLICAS {
        detail.push(format!("and {} more", failing.len() - QUOTED_REPLICAS));
    }
    CheckResult::fail(
        check,
        reason,
        format!(
            "{passing}/{total} replicas {what} at {}; {}",
            p.url,
            detail.join("; ")
        ),
    )
}
