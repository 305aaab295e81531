//! The one finding of a check result that did not pass and named no findings itself: code,
//! category, subject, contract path and evidence by check (the message is the condition's).

use pacto_core::Contract;
use pacto_crds::reasons;
use pacto_crds::vocabulary::findings as codes;

use super::super::EvalInput;
use super::super::check::{Check, CheckResult, Outcome};
use super::super::draft::{Evidence, FindingDraft};
use super::super::target_snapshot::workload_of;

/// The finding standing for `r` (which did not pass).
pub(super) fn finding(input: &EvalInput<'_>, r: &CheckResult) -> FindingDraft {
    let severity = r.finding_severity();
    if r.check == Check::ContractResolved {
        let code = match r.outcome {
            Outcome::Unknown => codes::CONTRACT_UNAVAILABLE,
            _ => codes::PULL_SECRET_REJECTED,
        };
        return FindingDraft::new(
            code,
            severity,
            codes::CATEGORY_CONTRACT_RESOLUTION,
            r.message.clone(),
        );
    }
    if r.check == Check::ContractValid {
        return FindingDraft::new(
            codes::CONTRACT_INVALID,
            severity,
            codes::CATEGORY_CONTRACT_VALIDATION,
            r.message.clone(),
        );
    }
    let (code, evidence) = match r.outcome {
        Outcome::Unknown if r.reason == reasons::NOT_PROBED_YET => (codes::EVIDENCE_MISSING, None),
        Outcome::Unknown => (codes::COLLECTION_FAILED, None),
        _ => drift_code(r),
    };
    let category = match r.outcome {
        Outcome::Unknown => codes::CATEGORY_OBSERVATION,
        _ => codes::CATEGORY_RUNTIME_DRIFT,
    };
    let mut f = FindingDraft::new(code, severity, category, r.message.clone())
        .maybe_path(input.contract.and_then(|c| contract_path(c, r.check)));
    f.subject = subject(input, r.check);
    f.evidence = evidence;
    f
}

/// Code and evidence of a failed runtime check.
fn drift_code(r: &CheckResult) -> (&'static str, Option<Evidence>) {
    let k8s = Some(Evidence::Kubernetes);
    match r.check {
        Check::HealthEndpointValid | Check::MetricsEndpointValid => {
            if r.reason == reasons::INTERFACE_NOT_FOUND
                || r.reason == reasons::INTERFACE_HAS_NO_PORT
            {
                (codes::CAPABILITY_UNBOUND, None)
            } else {
                (codes::CAPABILITY_ABSENT, Some(Evidence::Probe))
            }
        }
        Check::ServiceExists => (codes::SERVICE_ABSENT, k8s),
        Check::WorkloadExists => (codes::WORKLOAD_ABSENT, k8s),
        Check::PortsValid => (codes::INTERFACE_ABSENT, k8s),
        Check::ServiceSelectsWorkload => (codes::SELECTOR_MISMATCH, k8s),
        Check::WorkloadTypeMatch => (codes::WORKLOAD_MISMATCH, k8s),
        Check::StateModelMatch => (codes::PERSISTENCE_MISMATCH, k8s),
        Check::UpgradeStrategyMatch => (codes::UPGRADE_STRATEGY_MISMATCH, k8s),
        Check::GracefulShutdownMatch => (codes::GRACEFUL_SHUTDOWN_MISMATCH, k8s),
        Check::ImageMatch => (codes::IMAGE_MISMATCH, k8s),
        Check::HealthProbeMatch => (codes::HEALTH_PROBE_MISMATCH, k8s),
        Check::HealthTimingMatch => (codes::HEALTH_TIMING_MISMATCH, k8s),
        Check::ScalingMatch => (codes::SCALING_MISMATCH, k8s),
        Check::DependenciesSatisfied => (codes::DEPENDENCY_UNREACHABLE, k8s),
        Check::ConfigurationValid if r.reason == reasons::CONFIGURATION_INVALID => {
            (codes::CONFIGURATION_MISMATCH, k8s)
        }
        Check::ConfigurationValid | Check::ConfigurationMounted => {
            (codes::CONFIGURATION_ABSENT, k8s)
        }
        Check::ContractResolved | Check::ContractValid => (codes::CONTRACT_INVALID, None),
    }
}

/// What a check is about: the Service, the workload, or the capability.
fn subject(input: &EvalInput<'_>, check: Check) -> Option<String> {
    let target = input.target?;
    match check {
        Check::ServiceExists | Check::PortsValid | Check::ServiceSelectsWorkload => {
            target.service_name.as_ref().map(|s| format!("Service/{s}"))
        }
        Check::HealthEndpointValid => Some("health".into()),
        Check::MetricsEndpointValid => Some("metrics".into()),
        Check::DependenciesSatisfied
        | Check::ContractResolved
        | Check::ContractValid
        | Check::ConfigurationValid => None,
        _ => match input.snapshot.workload.found() {
            Some(w) => Some(format!("{}/{}", w.kind().as_str(), w.name())),
            None => workload_of(target).map(|(k, n)| format!("{}/{n}", k.as_str())),
        },
    }
}

/// The contract field a check compares (1.x `runtime.*`, 2.0 top-level `workload`/`state`).
fn contract_path(c: &Contract, check: Check) -> Option<String> {
    let runtime = c.runtime.is_some();
    let path = match check {
        Check::WorkloadTypeMatch if runtime => "runtime.workload",
        Check::WorkloadTypeMatch => "workload",
        Check::StateModelMatch if runtime => "runtime.state",
        Check::StateModelMatch => "state",
        Check::UpgradeStrategyMatch => "runtime.lifecycle.upgradeStrategy",
        Check::GracefulShutdownMatch => "runtime.lifecycle.gracefulShutdownSeconds",
        Check::ImageMatch if c.service.image.is_some() => "service.image.ref",
        Check::HealthProbeMatch | Check::HealthEndpointValid => "runtime.health",
        Check::HealthTimingMatch => "runtime.health.initialDelaySeconds",
        Check::MetricsEndpointValid => "runtime.metrics",
        Check::ScalingMatch if c.scaling.is_some() => "scaling",
        Check::DependenciesSatisfied => "dependencies",
        Check::ConfigurationValid | Check::ConfigurationMounted => "spec.target.configBindings",
        _ => return None,
    };
    Some(path.to_string())
}
