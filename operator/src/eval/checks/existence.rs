//! ServiceExists and WorkloadExists.

use pacto_crds::Target;
use pacto_crds::reasons;

use super::super::EvalInput;
use super::super::check::{Check, CheckResult};
use super::super::target_snapshot::{Observed, workload_of};

pub(super) fn check(input: &EvalInput<'_>, target: &Target) -> Vec<CheckResult> {
    let mut out = Vec::new();
    let snap = input.snapshot;
    if let Some(name) = &target.service_name {
        out.push(match &snap.service {
            Observed::Found(_) => CheckResult::pass(
                Check::ServiceExists,
                reasons::FOUND,
                format!("Service {name} exists"),
            ),
            Observed::Missing => CheckResult::fail(
                Check::ServiceExists,
                reasons::NOT_FOUND,
                format!("Service {name} not found"),
            ),
            Observed::Unobservable(why) => CheckResult::unknown(
                Check::ServiceExists,
                reasons::OBSERVATION_FAILED,
                format!("Service {name} could not be read: {why}"),
            ),
        });
    }
    if let Some((kind, name)) = workload_of(target) {
        let kind = kind.as_str();
        out.push(match &snap.workload {
            Observed::Found(w) if w.kind().as_str() != kind => CheckResult::fail(
                Check::WorkloadExists,
                reasons::NOT_FOUND,
                format!(
                    "{kind} {name} not found (a {} was observed)",
                    w.kind().as_str()
                ),
            ),
            Observed::Found(_) => CheckResult::pass(
                Check::WorkloadExists,
                reasons::FOUND,
                format!("{kind} {name} exists"),
            ),
            Observed::Missing => CheckResult::fail(
                Check::WorkloadExists,
                reasons::NOT_FOUND,
                format!("{kind} {name} not found"),
            ),
            Observed::Unobservable(why) => CheckResult::unknown(
                Check::WorkloadExists,
                reasons::OBSERVATION_FAILED,
                format!("{kind} {name} could not be read: {why}"),
            ),
        });
    }
    out
}
