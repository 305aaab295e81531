//! Check identities, severities and outcomes.

use std::fmt;

/// Every condition type the evaluator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
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
}

impl Check {
    /// Condition `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContractResolved => "ContractResolved",
            Self::ContractValid => "ContractValid",
            Self::ServiceExists => "ServiceExists",
            Self::WorkloadExists => "WorkloadExists",
            Self::PortsValid => "PortsValid",
            Self::ServiceSelectsWorkload => "ServiceSelectsWorkload",
            Self::WorkloadTypeMatch => "WorkloadTypeMatch",
            Self::StateModelMatch => "StateModelMatch",
            Self::UpgradeStrategyMatch => "UpgradeStrategyMatch",
            Self::GracefulShutdownMatch => "GracefulShutdownMatch",
            Self::ImageMatch => "ImageMatch",
            Self::HealthProbeMatch => "HealthProbeMatch",
            Self::HealthTimingMatch => "HealthTimingMatch",
            Self::ScalingMatch => "ScalingMatch",
            Self::DependenciesSatisfied => "DependenciesSatisfied",
            Self::HealthEndpointValid => "HealthEndpointValid",
            Self::MetricsEndpointValid => "MetricsEndpointValid",
        }
    }

    /// Severity of a failure of this check (DependenciesSatisfied lowers it to `Warning`
    /// when only optional dependencies fail).
    pub fn default_severity(self) -> Severity {
        match self {
            Self::ContractResolved
            | Self::ContractValid
            | Self::ServiceExists
            | Self::WorkloadExists
            | Self::PortsValid
            | Self::ServiceSelectsWorkload
            | Self::WorkloadTypeMatch
            | Self::StateModelMatch
            | Self::ImageMatch
            | Self::DependenciesSatisfied => Severity::Error,
            Self::UpgradeStrategyMatch
            | Self::GracefulShutdownMatch
            | Self::HealthProbeMatch
            | Self::HealthTimingMatch
            | Self::ScalingMatch
            | Self::HealthEndpointValid
            | Self::MetricsEndpointValid => Severity::Warning,
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a failed check weighs in `contractStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Failure ⇒ `NonCompliant`.
    Error,
    /// Failure ⇒ `Warning`.
    Warning,
}

impl Severity {
    /// Lowercase label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// Result of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Condition `True`.
    Pass,
    /// Condition `False`.
    Fail,
    /// Condition `Unknown`: the facts could not be observed.
    Unknown,
}

impl Outcome {
    /// Condition `status` string.
    pub fn condition_status(self) -> &'static str {
        match self {
            Self::Pass => "True",
            Self::Fail => "False",
            Self::Unknown => "Unknown",
        }
    }
}

/// One check's verdict, later turned into a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    /// Which check.
    pub check: Check,
    /// Pass, fail or unknown.
    pub outcome: Outcome,
    /// Weight of a failure.
    pub severity: Severity,
    /// CamelCase reason.
    pub reason: String,
    /// Human-readable detail (stable: no timings, so it never causes a write on its own).
    pub message: String,
}

impl CheckResult {
    /// A passing result.
    pub fn pass(check: Check, reason: &str, message: impl Into<String>) -> Self {
        Self::new(check, Outcome::Pass, reason, message)
    }

    /// A failing result with the check's default severity.
    pub fn fail(check: Check, reason: &str, message: impl Into<String>) -> Self {
        Self::new(check, Outcome::Fail, reason, message)
    }

    /// An unobservable result.
    pub fn unknown(check: Check, reason: &str, message: impl Into<String>) -> Self {
        Self::new(check, Outcome::Unknown, reason, message)
    }

    /// Overrides the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    fn new(check: Check, outcome: Outcome, reason: &str, message: impl Into<String>) -> Self {
        Self {
            check,
            outcome,
            severity: check.default_severity(),
            reason: reason.to_string(),
            message: message.into(),
        }
    }
}
