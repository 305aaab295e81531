//! The diff result model shared by every differ.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a change affects consumers. Ordered: the overall result is the maximum.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Classification {
    #[default]
    NonBreaking,
    PotentialBreaking,
    Breaking,
}

impl Classification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NonBreaking => "NON_BREAKING",
            Self::PotentialBreaking => "POTENTIAL_BREAKING",
            Self::Breaking => "BREAKING",
        }
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeType {
    Added,
    Modified,
    Removed,
}

impl ChangeType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Modified => "modified",
            Self::Removed => "removed",
        }
    }
}

impl fmt::Display for ChangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One classified change. Paths use dotted segments with bracketed keys
/// (`openapi.paths[/users].methods[GET]`, `interfaces[api].port`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub path: String,
    #[serde(rename = "type")]
    pub change_type: ChangeType,
    pub classification: Classification,
    pub reason: String,
    pub old_value: Option<serde_json::Value>,
    pub new_value: Option<serde_json::Value>,
}

impl Change {
    pub fn new(
        path: impl Into<String>,
        change_type: ChangeType,
        classification: Classification,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            change_type,
            classification,
            reason: reason.into(),
            old_value: None,
            new_value: None,
        }
    }

    pub fn with_old(mut self, v: impl Into<serde_json::Value>) -> Self {
        self.old_value = Some(v.into());
        self
    }

    pub fn with_new(mut self, v: impl Into<serde_json::Value>) -> Self {
        self.new_value = Some(v.into());
        self
    }
}

/// The worst classification among `changes` (NON_BREAKING when empty).
pub fn overall(changes: &[Change]) -> Classification {
    changes
        .iter()
        .map(|c| c.classification)
        .max()
        .unwrap_or_default()
}
