use serde::{Deserialize, Serialize};

/// A configuration section: a bundled JSON Schema (`schema`, with optional `values`)
/// or a reference to another contract's schema (`ref`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Configuration {
    /// Required in 1.1+ `configurations[]`; absent in the 1.0 singular form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<serde_json::Value>,
    /// 2.0 (mandatory there): whether the configuration must be present at runtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// A policy: a JSON Schema the contract itself must satisfy, bundled or referenced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// 2.0: what the policy evaluates (only `contract`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

impl Configuration {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(super::DEFAULT_SECTION_NAME)
    }
}

impl Policy {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(super::DEFAULT_SECTION_NAME)
    }
}
