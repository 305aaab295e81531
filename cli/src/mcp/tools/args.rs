//! Tool inputs: typed, with real arrays and objects; their JSON Schemas (derived) are what
//! `tools/list` announces, and unknown keys are refused.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterfaceArg {
    /// Interface name, unique within the service.
    pub name: String,
    /// Spec kind: `openapi`, `asyncapi` or `grpc` (1.x names `http` and `event` are accepted).
    #[serde(rename = "type")]
    pub kind: String,
    /// `public` or `internal` (default).
    #[serde(default)]
    pub visibility: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyArg {
    /// Dependency name; derived from the last path segment of `ref` when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// `oci://registry/repo@sha256:…` (or a tag) or a local path of the dependency's bundle.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Whether the service cannot work without it (default false).
    #[serde(default)]
    pub required: Option<bool>,
    /// Semver range of compatible versions (default `*`).
    #[serde(default)]
    pub compatibility: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigPropertyArg {
    /// Property name in the configuration schema.
    pub name: String,
    /// JSON Schema type: string (default), integer, number, boolean, array or object.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Whether the property is required.
    #[serde(default)]
    pub required: Option<bool>,
}

/// How the service keeps data; any of these sets the contract's `state`.
#[derive(Debug, Clone, Default)]
pub struct StateArgs {
    pub stores_data: Option<bool>,
    pub data_survives_restart: Option<bool>,
    pub data_shared_across_instances: Option<bool>,
    pub data_loss_impact: Option<String>,
}

impl StateArgs {
    pub fn any(&self) -> bool {
        self.stores_data.is_some()
            || self.data_survives_restart.is_some()
            || self.data_shared_across_instances.is_some()
            || self.data_loss_impact.is_some()
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArgs {
    /// Service name (DNS label: lowercase letters, digits, dashes).
    pub name: String,
    /// Bundle directory, relative to the working directory (default: the name).
    #[serde(default)]
    pub path: Option<String>,
    /// Service version (default 0.1.0).
    #[serde(default)]
    pub version: Option<String>,
    /// Owning team.
    #[serde(default)]
    pub owner: Option<String>,
    /// `2.0` (default) or `1.2`.
    #[serde(default)]
    pub pacto_version: Option<String>,
    /// Interfaces; a stub spec file is written for each.
    #[serde(default)]
    pub interfaces: Vec<InterfaceArg>,
    /// Dependencies on other services' contracts.
    #[serde(default)]
    pub dependencies: Vec<DependencyArg>,
    /// `service`, `job` or `scheduled`.
    #[serde(default)]
    pub workload: Option<String>,
    /// The service keeps data of its own (stateful).
    #[serde(default)]
    pub stores_data: Option<bool>,
    /// Its data must survive a restart (persistent).
    #[serde(default)]
    pub data_survives_restart: Option<bool>,
    /// Its instances share one store (shared scope).
    #[serde(default)]
    pub data_shared_across_instances: Option<bool>,
    /// Business impact of losing the data: low, medium or high.
    #[serde(default)]
    pub data_loss_impact: Option<String>,
    /// Properties of a `default` configuration (its JSON Schema is written).
    #[serde(default)]
    pub config_properties: Vec<ConfigPropertyArg>,
    /// Free-form metadata.
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    /// Return what would be written without writing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditArgs {
    /// Bundle directory, relative to the working directory (default `.`).
    #[serde(default)]
    pub path: Option<String>,
    /// New service name.
    #[serde(default)]
    pub name: Option<String>,
    /// New service version.
    #[serde(default)]
    pub version: Option<String>,
    /// New owning team.
    #[serde(default)]
    pub owner: Option<String>,
    /// Interfaces to add (a stub spec file is written when missing).
    #[serde(default)]
    pub add_interfaces: Vec<InterfaceArg>,
    /// Names of interfaces to remove (their spec files are kept).
    #[serde(default)]
    pub remove_interfaces: Vec<String>,
    /// Dependencies to add.
    #[serde(default)]
    pub add_dependencies: Vec<DependencyArg>,
    /// Dependencies to remove, by `ref` or by name.
    #[serde(default)]
    pub remove_dependencies: Vec<String>,
    /// `service`, `job` or `scheduled`.
    #[serde(default)]
    pub workload: Option<String>,
    /// The service keeps data of its own (stateful).
    #[serde(default)]
    pub stores_data: Option<bool>,
    /// Its data must survive a restart (persistent).
    #[serde(default)]
    pub data_survives_restart: Option<bool>,
    /// Its instances share one store (shared scope).
    #[serde(default)]
    pub data_shared_across_instances: Option<bool>,
    /// Business impact of losing the data: low, medium or high.
    #[serde(default)]
    pub data_loss_impact: Option<String>,
    /// Properties added to the `default` configuration's JSON Schema.
    #[serde(default)]
    pub add_config_properties: Vec<ConfigPropertyArg>,
    /// Metadata keys to set.
    #[serde(default)]
    pub set_metadata: Option<Map<String, Value>>,
    /// Metadata keys to remove.
    #[serde(default)]
    pub remove_metadata: Vec<String>,
    /// Return the changes without writing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckArgs {
    /// Bundle directory (default `.`) or `oci://` ref.
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaArgs {
    /// pactoVersion of the schema: 1.0, 1.1, 1.2 or 2.0 (default).
    #[serde(default)]
    pub pacto_version: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffArgs {
    /// Old bundle directory or `oci://` ref.
    pub old: String,
    /// New bundle directory or `oci://` ref.
    pub new: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterfacesArgs {
    /// Only this interface.
    #[serde(default)]
    pub interface: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrateArgs {
    /// The 1.x bundle: a directory (default `.`) or an `oci://` ref.
    #[serde(default)]
    pub path: Option<String>,
    /// Directory (relative to the working directory, new or empty) the whole migrated
    /// bundle is written to; without it nothing is written and the result is returned.
    #[serde(default)]
    pub output: Option<String>,
    /// Drop the 1.x-only deployment facts instead of preserving them under an extension.
    #[serde(default)]
    pub drop_lossy: bool,
    /// Return the result without writing, even with `output`.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetSearchArgs {
    /// Case-insensitive substring of the service name or owner.
    #[serde(default)]
    pub query: Option<String>,
    /// Case-insensitive substring of the owning team.
    #[serde(default)]
    pub owner: Option<String>,
    /// Most services returned (default 50).
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetNameArgs {
    /// Service name.
    pub name: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetMaybeNameArgs {
    /// Service name; without it, the whole fleet.
    #[serde(default)]
    pub name: Option<String>,
}

macro_rules! state_of {
    ($t:ty) => {
        impl $t {
            pub fn state(&self) -> StateArgs {
                StateArgs {
                    stores_data: self.stores_data,
                    data_survives_restart: self.data_survives_restart,
                    data_shared_across_instances: self.data_shared_across_instances,
                    data_loss_impact: self.data_loss_impact.clone(),
                }
            }
        }
    };
}
state_of!(CreateArgs);
state_of!(EditArgs);
