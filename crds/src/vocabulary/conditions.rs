//! Condition types of `status.conditions`: one per check, plus the summary conditions.

use super::named_enum;

named_enum! {
    /// A check the operator runs; each writes one condition of this `type`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum CheckCondition as "check condition" {
        /// The contract was fetched (registry, Secret).
        ContractResolved,
        /// The contract parses and validates.
        ContractValid,
        /// The target Service exists.
        ServiceExists,
        /// The target workload exists.
        WorkloadExists,
        /// Every interface port is a Service port whose targetPort reaches a container port.
        PortsValid,
        /// The Service selector matches the pod template labels.
        ServiceSelectsWorkload,
        /// Workload kind fits `runtime.workload`.
        WorkloadTypeMatch,
        /// Volumes fit `runtime.state`.
        StateModelMatch,
        /// Deployment/StatefulSet update strategy fits `lifecycle.upgradeStrategy`.
        UpgradeStrategyMatch,
        /// terminationGracePeriodSeconds >= `lifecycle.gracefulShutdownSeconds`.
        GracefulShutdownMatch,
        /// `service.image.ref` is one of the containers' images.
        ImageMatch,
        /// A readiness/liveness probe hits the health interface port and path.
        HealthProbeMatch,
        /// The probe's initialDelaySeconds >= `health.initialDelaySeconds`.
        HealthTimingMatch,
        /// Replicas (or HPA min/max) inside `scaling`.
        ScalingMatch,
        /// Every dependency has a compatible Pacto in the cluster.
        DependenciesSatisfied,
        /// The health endpoint answers on every ready replica.
        HealthEndpointValid,
        /// The metrics endpoint serves Prometheus text on every ready replica.
        MetricsEndpointValid,
        /// Every `target.configBindings` object exists, its value at `key` decodes as `format`
        /// and validates against the configuration's JSON Schema.
        ConfigurationValid,
        /// The workload mounts or envFroms every bound ConfigMap/Secret (warning only).
        ConfigurationMounted,
    }
}

/// Summary condition (Argo CD / Flux health; True for Compliant, Warning, Reference).
pub const READY: &str = "Ready";
/// Readiness gate condition (a separate dimension: never weighed in contractStatus).
pub const READINESS_SATISFIED: &str = "ReadinessSatisfied";
/// kstatus abnormal-true condition: present (True) only while the contract is Invalid, which
/// needs a user change to recover.
pub const STALLED: &str = "Stalled";
/// kstatus abnormal-true condition: present (True) only while something could not be
/// observed and the operator keeps retrying (Unknown).
pub const RECONCILING: &str = "Reconciling";

/// Every condition type that is not a check: it summarises the checks (or reports
/// readiness), so it is never counted as a passed or failed check.
pub const SUMMARY_CONDITIONS: [&str; 4] = [READY, STALLED, RECONCILING, READINESS_SATISFIED];

impl CheckCondition {
    /// Whether `type_` names a check condition (not a summary one).
    pub fn is_check(type_: &str) -> bool {
        type_.parse::<Self>().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_condition_type_is_unique_and_either_a_check_or_a_summary() {
        let checks: BTreeSet<&str> = CheckCondition::ALL.map(CheckCondition::as_str).into();
        let summaries: BTreeSet<&str> = SUMMARY_CONDITIONS.into();
        assert_eq!(checks.len(), CheckCondition::ALL.len());
        assert_eq!(summaries.len(), SUMMARY_CONDITIONS.len());
        assert!(checks.is_disjoint(&summaries));
        for c in CheckCondition::ALL {
            assert_eq!(c.as_str().parse::<CheckCondition>(), Ok(c));
            assert!(CheckCondition::is_check(c.as_str()));
        }
        assert!(
            SUMMARY_CONDITIONS
                .iter()
                .all(|s| !CheckCondition::is_check(s))
        );
    }
}
