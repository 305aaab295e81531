//! 2.0 `capabilities[]`: standard observability endpoints bound to an interface, or
//! namespaced extensions.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Capability {
    #[serde(rename = "type")]
    pub kind: CapabilityType,
    /// Extensions only: a namespaced identifier such as `example.com/feature`.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<Binding>,
}

impl Capability {
    /// What makes two capabilities the same assertion: the standard type, or an
    /// extension's ref (`None` for an extension without one, already an error).
    pub fn assertion_key(&self) -> Option<&str> {
        match self.kind {
            CapabilityType::Extension => self.reference.as_deref(),
            other => Some(other.as_str()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CapabilityType {
    Health,
    Metrics,
    Extension,
}

impl CapabilityType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Health => "health",
            Self::Metrics => "metrics",
            Self::Extension => "extension",
        }
    }
}

/// Where a standard capability is served: an http endpoint on a declared interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Binding {
    /// Only `http` in 2.0.
    #[serde(rename = "type")]
    pub kind: String,
    pub interface: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}
