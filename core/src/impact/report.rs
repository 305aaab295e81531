//! The impact report: the wire shape of `pacto impact --output-format json` and the
//! dashboard's `/api/impact` (`schemaVersion: pacto.dev/impact/v1`, the Go reference's
//! field names; its snapshot and fleet-only fields are left out).

use crate::diff::{Change, Classification};
use serde::Serialize;
use std::fmt;

/// The report's `schemaVersion`.
pub const SCHEMA_VERSION: &str = "pacto.dev/impact/v1";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpactReport {
    pub schema_version: String,
    pub service: String,
    pub old_version: String,
    pub new_version: String,
    /// The diff's overall classification (the worst change).
    pub classification: Classification,
    pub breaking_changes: Vec<Change>,
    pub potentially_breaking_changes: Vec<Change>,
    pub non_breaking_changes: Vec<Change>,
    /// Every transitive dependent, breadth-first (by depth).
    pub consumers: Vec<Consumer>,
    /// What the answer could not take into account.
    pub limitations: Vec<Limitation>,
}

impl ImpactReport {
    /// The change breaks a consumer that cannot work without the service: the change is
    /// BREAKING and a consumer reached through required dependencies only is incompatible.
    /// `pacto impact` exits 1 then.
    pub fn blocking(&self) -> bool {
        self.classification == Classification::Breaking
            && self
                .consumers
                .iter()
                .any(|c| c.required && c.compatibility_verdict == Verdict::Incompatible)
    }

    /// How many consumers have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.consumers
            .iter()
            .filter(|c| c.compatibility_verdict == verdict)
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consumer {
    pub service: String,
    /// Hops from the changed service (1 = depends on it directly).
    pub depth: u32,
    pub direct: bool,
    /// The shortest chain of dependents, `[changed service, …, this consumer]`.
    pub path: Vec<String>,
    /// It cannot work without the changed service: reached through required dependencies
    /// only, on some path.
    pub required: bool,
    /// The range a direct consumer declares on the changed service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<String>,
    pub compatibility_verdict: Verdict,
    /// Why the verdict is what it is.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Compatible,
    Incompatible,
    Unknown,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Self::Incompatible, Self::Unknown, Self::Compatible];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compatible => "compatible",
            Self::Incompatible => "incompatible",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limitation {
    pub code: LimitationCode,
    pub message: String,
}

impl Limitation {
    pub fn new(code: LimitationCode, message: impl Into<String>) -> Self {
        Limitation {
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitationCode {
    /// No known contract is the service or depends on it: its consumers may be elsewhere.
    ServiceNotInFleet,
    /// The old and new contracts name different services; consumers of the old name count.
    ServiceRenamed,
    /// A consumer contract could not be read or fails validation, so its dependencies are
    /// not known.
    ConsumerInvalid,
    /// More consumers than a walk visits (`walk::MAX_REACHED`), or than a scan reads.
    ConsumersTruncated,
    /// Both sides are the same version: nothing changes.
    SameVersion,
}

impl LimitationCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServiceNotInFleet => "SERVICE_NOT_IN_FLEET",
            Self::ServiceRenamed => "SERVICE_RENAMED",
            Self::ConsumerInvalid => "CONSUMER_INVALID",
            Self::ConsumersTruncated => "CONSUMERS_TRUNCATED",
            Self::SameVersion => "SAME_VERSION",
        }
    }
}

impl fmt::Display for LimitationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
