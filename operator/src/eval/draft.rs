//! A finding as a check states it, before [`super::findings`] turns it into a status entry
//! (evidence time, caps, order).

use pacto_crds::status::FindingSeverity;

/// What a finding's evidence came from (its `evidenceRefs[].source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// The watched Kubernetes objects.
    Kubernetes,
    /// The endpoint probes.
    Probe,
}

impl Evidence {
    /// The `source` written into status.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kubernetes => "k8s",
            Self::Probe => "probe",
        }
    }
}

/// One finding of a check (see `pacto_crds::vocabulary::findings` for codes and categories).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FindingDraft {
    /// Stable code.
    pub code: String,
    /// Severity.
    pub severity: FindingSeverity,
    /// Category of the code.
    pub category: &'static str,
    /// Interface, dependency or capability name, or `Kind/name`.
    pub subject: Option<String>,
    /// Contract field concerned.
    pub contract_path: Option<String>,
    /// Human-readable, stable text (no timings).
    pub message: String,
    /// Where the evidence came from; `None` for contract-only findings.
    pub evidence: Option<Evidence>,
}

impl FindingDraft {
    /// A finding without subject, path or evidence.
    pub fn new(
        code: &str,
        severity: FindingSeverity,
        category: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code: code.to_string(),
            severity,
            category,
            subject: None,
            contract_path: None,
            message: message.into(),
            evidence: None,
        }
    }

    /// Sets the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the contract path.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.contract_path = Some(path.into());
        self
    }

    /// Sets the contract path when there is one.
    pub fn maybe_path(mut self, path: Option<String>) -> Self {
        self.contract_path = path;
        self
    }

    /// Sets the evidence source.
    pub fn evidence(mut self, evidence: Evidence) -> Self {
        self.evidence = Some(evidence);
        self
    }
}
