//! Check identities, severities and outcomes.

use pacto_crds::status::FindingSeverity;

use super::draft::FindingDraft;

/// Every condition type the evaluator writes for a check; the vocabulary lives in
/// `pacto-crds` so the CLI and the dashboard read the same names.
pub use pacto_crds::CheckCondition as Check;

/// Severity of a failure of `check` (DependenciesSatisfied lowers it to `Warning` when only
/// optional dependencies fail).
pub fn default_severity(check: Check) -> Severity {
    match check {
        Check::ContractResolved
        | Check::ContractValid
        | Check::ServiceExists
        | Check::WorkloadExists
        | Check::PortsValid
        | Check::ServiceSelectsWorkload
        | Check::WorkloadTypeMatch
        | Check::StateModelMatch
        | Check::ImageMatch
        | Check::DependenciesSatisfied
        | Check::ConfigurationValid => Severity::Error,
        Check::UpgradeStrategyMatch
        | Check::GracefulShutdownMatch
        | Check::HealthProbeMatch
        | Check::HealthTimingMatch
        | Check::ScalingMatch
        | Check::HealthEndpointValid
        | Check::MetricsEndpointValid
        | Check::ConfigurationMounted => Severity::Warning,
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

    /// The severity of a finding about a failure of this weight.
    pub fn finding(self) -> FindingSeverity {
        match self {
            Self::Error => FindingSeverity::Error,
            Self::Warning => FindingSeverity::Warning,
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
    /// Per-subject findings; empty: one finding is derived from the result itself when it did
    /// not pass (`eval::findings`).
    pub findings: Vec<FindingDraft>,
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

    /// Attaches the per-subject findings.
    pub fn with_findings(mut self, findings: Vec<FindingDraft>) -> Self {
        self.findings = findings;
        self
    }

    /// The severity of a finding about this result: its weight when it failed, `unknown` when
    /// it could not be observed, `info` when it passed.
    pub fn finding_severity(&self) -> FindingSeverity {
        match self.outcome {
            Outcome::Fail => self.severity.finding(),
            Outcome::Unknown => FindingSeverity::Unknown,
            Outcome::Pass => FindingSeverity::Info,
        }
    }

    fn new(check: Check, outcome: Outcome, reason: &str, message: impl Into<String>) -> Self {
        Self {
            check,
            outcome,
            severity: default_severity(check),
            reason: reason.to_string(),
            message: message.into(),
            findings: Vec::new(),
        }
    }
}
