//! `status.evaluationCoverage`: the checks the contract and the target call for (`required`)
//! and how many of them reached a verdict (`evaluated`: passed or failed; a check that was
//! Unknown, or skipped because what it needs was not observed, is not). ContractResolved is
//! about fetching, not an assertion, and counts in neither. Explanatory only: it never changes
//! `contractStatus`.
//!
//! `required` mirrors the conditions under which `checks::run` runs each check given all the
//! facts; a test keeps the two in step.

use pacto_crds::status::EvaluationCoverage;

use super::EvalInput;
use super::check::{Check, CheckResult, Outcome};
use super::checks::is_targeted;
use super::target_snapshot::workload_of;

/// The checks this Pacto calls for, in condition order.
pub(crate) fn required(input: &EvalInput<'_>) -> Vec<Check> {
    let mut out = vec![Check::ContractValid];
    let (Some(c), Some(t)) = (input.contract, input.target) else {
        return out;
    };
    if !is_targeted(Some(t)) || !input.validation.is_valid() {
        return out;
    }
    let svc = t.service_name.is_some();
    let wl = workload_of(t).is_some();
    let lifecycle = c.lifecycle();
    let lifecycle = lifecycle.as_ref();
    let health = c.health();
    let health = health.as_ref();
    let wanted = [
        (Check::ServiceExists, svc),
        (Check::WorkloadExists, wl),
        (Check::PortsValid, svc),
        (Check::ServiceSelectsWorkload, svc && wl),
        (Check::WorkloadTypeMatch, wl && c.workload().is_some()),
        (Check::StateModelMatch, wl && c.state().is_some()),
        (
            Check::UpgradeStrategyMatch,
            wl && lifecycle.is_some_and(|l| l.upgrade_strategy.is_some()),
        ),
        (
            Check::GracefulShutdownMatch,
            wl && lifecycle.is_some_and(|l| l.graceful_shutdown_seconds.is_some()),
        ),
        (Check::ImageMatch, wl && c.image().is_some()),
        (Check::HealthProbeMatch, wl && health.is_some()),
        (
            Check::HealthTimingMatch,
            wl && health.is_some_and(|h| h.initial_delay_seconds.is_some()),
        ),
        (
            Check::ScalingMatch,
            wl && c.scaling().and_then(|s| s.bounds()).is_some(),
        ),
        (Check::DependenciesSatisfied, !c.dependencies.is_empty()),
        (Check::HealthEndpointValid, svc && health.is_some()),
        (Check::MetricsEndpointValid, svc && c.metrics().is_some()),
        (Check::ConfigurationValid, !t.config_bindings.is_empty()),
        (
            Check::ConfigurationMounted,
            wl && !t.config_bindings.is_empty(),
        ),
    ];
    out.extend(wanted.into_iter().filter(|(_, on)| *on).map(|(c, _)| c));
    out.sort_by_key(|c| Check::ALL.iter().position(|a| a == c));
    out
}

/// Required versus evaluated checks.
pub(crate) fn of(input: &EvalInput<'_>, results: &[CheckResult]) -> EvaluationCoverage {
    let required = required(input);
    let evaluated = required
        .iter()
        .filter(|c| {
            results
                .iter()
                .any(|r| r.check == **c && r.outcome != Outcome::Unknown)
        })
        .count();
    EvaluationCoverage {
        evaluated: i32::try_from(evaluated).unwrap_or(i32::MAX),
        required: i32::try_from(required.len()).unwrap_or(i32::MAX),
    }
}
