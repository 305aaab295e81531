//! Typed contract model for every `pactoVersion`: 1.0, 1.1, 1.2 and 2.0.
//!
//! One struct holds the fields of every version; the embedded JSON Schema of the
//! contract's version has already refused fields that version lacks, so a parsed
//! contract only carries its own version's fields. The model mirrors the YAML faithfully
//! (so serialize → parse round-trips); `view.rs` and `all_configurations`/`all_policies`
//! are the normalised view every consumer reads. Defaults are materialised at parse time
//! (`visibility` absent == `internal`, `required` absent == `false`).

mod capability;
mod dependency;
mod interface;
mod preserved;
mod readiness;
mod runtime;
mod sections;
mod service;
mod view;

pub use capability::{Binding, Capability, CapabilityType};
pub use dependency::Dependency;
pub use interface::{Interface, InterfaceType, Protocol, Visibility};
pub use preserved::{PRESERVED_EXTENSION, Preserved};
pub use readiness::{Readiness, ReadinessCheck, ReadinessRevision};
pub use runtime::{
    DataCriticality, Durability, Health, Lifecycle, Metrics, Persistence, PersistenceScope,
    Runtime, Scaling, State, StateType, UpgradeStrategy, Workload,
};
pub use sections::{Configuration, Policy};
pub use service::{Chart, Contact, Image, Owner, OwnerInfo, Service};
pub use view::Endpoint;

use serde::{Deserialize, Serialize};
use std::fmt;

/// The contract format versions this implementation reads.
pub const SUPPORTED_VERSIONS: [&str; 4] = ["1.0", "1.1", "1.2", "2.0"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PactoVersion {
    #[serde(rename = "1.0")]
    V1_0,
    #[serde(rename = "1.1")]
    V1_1,
    #[serde(rename = "1.2")]
    V1_2,
    #[serde(rename = "2.0")]
    V2_0,
}

impl PactoVersion {
    /// Every version, oldest first.
    pub const ALL: [PactoVersion; 4] = [Self::V1_0, Self::V1_1, Self::V1_2, Self::V2_0];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "1.0" => Some(Self::V1_0),
            "1.1" => Some(Self::V1_1),
            "1.2" => Some(Self::V1_2),
            "2.0" => Some(Self::V2_0),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V1_1 => "1.1",
            Self::V1_2 => "1.2",
            Self::V2_0 => "2.0",
        }
    }

    /// The 2.0 model (interfaces by spec kind, capabilities, no runtime section).
    pub fn is_v2(self) -> bool {
        self >= Self::V2_0
    }
}

impl fmt::Display for PactoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed `pacto.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contract {
    pub pacto_version: PactoVersion,
    pub service: Service,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<Interface>,
    /// 1.0 singular form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<Configuration>,
    /// 1.1+ named form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<Configuration>,
    /// 1.0 singular form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// 1.1+ named form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<Policy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// 1.x only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Runtime>,
    /// 2.0: top-level `workload` (1.x has it under `runtime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    /// 2.0: top-level `state` (1.x has it under `runtime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    /// 2.0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// 2.0: namespaced extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Name given to the 1.0 singular `configuration` / `policy` in normalised views.
pub const DEFAULT_SECTION_NAME: &str = "default";

impl Contract {
    /// Every configuration, the 1.0 singular form first under the name `default`.
    /// Each item carries the YAML path it came from, for messages.
    pub fn all_configurations(&self) -> Vec<(String, Configuration)> {
        let mut out = Vec::new();
        if let Some(c) = &self.configuration {
            let mut c = c.clone();
            c.name
                .get_or_insert_with(|| DEFAULT_SECTION_NAME.to_string());
            out.push(("configuration".to_string(), c));
        }
        for (i, c) in self.configurations.iter().enumerate() {
            out.push((format!("configurations[{i}]"), c.clone()));
        }
        out
    }

    /// Every policy, the 1.0 singular form first under the name `default`.
    pub fn all_policies(&self) -> Vec<(String, Policy)> {
        let mut out = Vec::new();
        if let Some(p) = &self.policy {
            let mut p = p.clone();
            p.name
                .get_or_insert_with(|| DEFAULT_SECTION_NAME.to_string());
            out.push(("policy".to_string(), p));
        }
        for (i, p) in self.policies.iter().enumerate() {
            out.push((format!("policies[{i}]"), p.clone()));
        }
        out
    }

    pub fn interface(&self, name: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.name == name)
    }

    /// Every bundle-relative file the contract names (interface specs, schemas).
    pub fn referenced_files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, iface) in self.interfaces.iter().enumerate() {
            if let Some(c) = iface.spec_file() {
                out.push((
                    format!("interfaces[{i}].{}", iface.spec_field()),
                    c.to_string(),
                ));
            }
        }
        for (path, c) in self.all_configurations() {
            if let Some(s) = c.schema {
                out.push((format!("{path}.schema"), s));
            }
        }
        for (path, p) in self.all_policies() {
            if let Some(s) = p.schema {
                out.push((format!("{path}.schema"), s));
            }
        }
        out
    }
}
