use serde::{Deserialize, Serialize};

/// Production-readiness assessment (1.1, 1.2 `checks`; 2.0 `claims`, the same items
/// renamed). Never affects compliance; diffs are always NON_BREAKING.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Readiness {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u32>,
    /// 1.2: assessment-level expiry date `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// 1.2: credit for `partial` checks, 0..1 (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_credit: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ReadinessRevision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<ReadinessCheck>,
    /// 2.0 name of `checks`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ReadinessCheck>,
}

impl Readiness {
    /// The checks (1.x) or claims (2.0): one list whatever the version.
    pub fn items(&self) -> &[ReadinessCheck] {
        if self.claims.is_empty() {
            &self.checks
        } else {
            &self.claims
        }
    }

    /// The YAML name of the list in this assessment (`checks` or `claims`).
    pub fn items_field(&self) -> &'static str {
        if self.claims.is_empty() {
            "checks"
        } else {
            "claims"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReadinessCheck {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub evidence: String,
    pub weight: u32,
    /// 1.1: per-check expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 1.2: done, partial, not-done, deferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReadinessRevision {
    pub date: String,
    pub version: String,
    pub author: String,
    pub description: String,
}
