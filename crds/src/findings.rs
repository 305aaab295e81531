//! Status fields of the reference operator's newest CRD: `findings[]`, `evaluationCoverage`,
//! `observationWindows[]` and `capabilities[]` (the severity counts live in
//! [`crate::status::CheckSummary`]). Codes and categories: [`crate::vocabulary::findings`].
//!
//! Limits (the operator keeps to them; the schema enforces the list sizes):
//! - at most [`MAX_FINDINGS`] findings, most severe first; `summary` counts every finding,
//!   also those left out of the list;
//! - a finding's `message` at most [`MAX_FINDING_MESSAGE_BYTES`] bytes (cut with `…`), its
//!   `subject` and `contractPath` at most [`MAX_FINDING_FIELD_BYTES`];
//! - at most [`MAX_EVIDENCE_REFS`] evidence references per finding;
//! - at most [`MAX_OBSERVATION_WINDOWS`] observation windows.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most findings listed in a status.
pub const MAX_FINDINGS: usize = 100;
/// Longest finding message kept (bytes).
pub const MAX_FINDING_MESSAGE_BYTES: usize = 512;
/// Longest finding subject or contract path kept (bytes).
pub const MAX_FINDING_FIELD_BYTES: usize = 256;
/// Most evidence references per finding.
pub const MAX_EVIDENCE_REFS: usize = 8;
/// Most observation windows listed in a status.
pub const MAX_OBSERVATION_WINDOWS: usize = 100;

/// One typed conclusion about the Pacto: the per-subject detail a condition cannot hold.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable code, e.g. `INTERFACE_ABSENT` or a contract validation code.
    pub code: String,
    /// How much it weighs.
    pub severity: FindingSeverity,
    /// Group of related codes, e.g. `RuntimeDrift`.
    pub category: String,
    /// What the finding is about: an interface, dependency or capability name, or `Kind/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Path of the contract field concerned, e.g. `interfaces[0].port`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_path: Option<String>,
    /// Human-readable description.
    pub message: String,
    /// The evidence it rests on (absent for contract-only findings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 8))]
    pub evidence_refs: Vec<EvidenceRef>,
}

/// Severity of a finding.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    /// A contradiction of the contract (`NonCompliant` or `Invalid`).
    Error,
    /// A weaker contradiction (`Warning`).
    Warning,
    /// Worth knowing; never changes `contractStatus`.
    Info,
    /// Something required could not be evaluated (`Unknown`).
    Unknown,
}

impl FindingSeverity {
    /// Every severity, most severe first (the order findings are listed in).
    pub const ALL: [Self; 4] = [Self::Error, Self::Warning, Self::Unknown, Self::Info];

    /// The name written into status.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Unknown => "unknown",
        }
    }

    /// Position in [`Self::ALL`] (0 = most severe).
    pub fn rank(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Where the evidence of a finding came from and when it was collected.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRef {
    /// `k8s` (the watched objects), `probe` (endpoint probes) or `registry`.
    pub source: String,
    /// RFC 3339 time of the evaluation that used it. Not part of the status' meaning: it
    /// changes only when the status is written for another reason.
    pub observed_at: String,
}

/// How many required checks reached a conclusion. Explanatory only: never changes
/// `contractStatus`.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationCoverage {
    /// Required checks that passed or failed (not Unknown, not skipped).
    pub evaluated: i32,
    /// Checks the contract and the target call for.
    pub required: i32,
}

/// The start of a sustained negative observation of one assertion (the stabilization window).
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObservationWindow {
    /// Which kind of assertion.
    pub kind: ObservationKind,
    /// Its identity: an interface, dependency or configuration name, or a capability key.
    pub subject: String,
    /// When the current negative streak began.
    pub first_observed_negative_at: Time,
}

/// Kinds of assertion an observation window tracks.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ObservationKind {
    /// A contract interface.
    Interface,
    /// A dependency.
    Dependency,
    /// A configuration.
    Configuration,
    /// A capability.
    Capability,
}

/// A capability the contract declares.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityInfo {
    /// `health`, `metrics` or `extension`.
    #[serde(rename = "type")]
    pub type_: String,
    /// An extension's namespaced identifier.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub ref_: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_serialise_lowercase_and_rank_most_severe_first() {
        for s in FindingSeverity::ALL {
            assert_eq!(serde_json::to_value(s).expect("json"), s.as_str());
        }
        assert!(FindingSeverity::Error.rank() < FindingSeverity::Warning.rank());
        assert!(FindingSeverity::Unknown.rank() < FindingSeverity::Info.rank());
    }

    #[test]
    fn schema_list_limits_are_the_documented_ones() {
        use kube::CustomResourceExt;
        let crd = serde_json::to_value(crate::Pacto::crd()).expect("json");
        let status = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["status"]
            ["properties"];
        assert_eq!(status["findings"]["maxItems"], MAX_FINDINGS);
        assert_eq!(
            status["findings"]["items"]["properties"]["evidenceRefs"]["maxItems"],
            MAX_EVIDENCE_REFS
        );
        assert_eq!(
            status["observationWindows"]["maxItems"],
            MAX_OBSERVATION_WINDOWS
        );
    }

    #[test]
    fn reference_status_fields_read_back() {
        let f: Finding = serde_json::from_value(serde_json::json!({
            "code": "WORKLOAD_MISMATCH", "severity": "error", "category": "RuntimeDrift",
            "message": "m", "evidenceRefs": [{"source": "k8s", "observedAt": "2026-01-01T00:00:00Z"}]
        }))
        .expect("finding");
        assert_eq!(f.severity, FindingSeverity::Error);
        assert_eq!(f.evidence_refs[0].source, "k8s");
        let w: ObservationWindow = serde_json::from_value(serde_json::json!({
            "kind": "dependency", "subject": "auth",
            "firstObservedNegativeAt": "2026-01-01T00:00:00Z"
        }))
        .expect("window");
        assert_eq!(w.kind, ObservationKind::Dependency);
    }
}
