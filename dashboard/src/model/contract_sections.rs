//! The contract sections of a service page (overview, interfaces, capabilities,
//! configurations, policies, readiness, docs, SBOM), as the API serialises and the pages render them. Built from one bundle by
//! `contract_view` and kept in the loader's LRU with the bundle.

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub pacto_version: Option<String>,
    pub image: Option<String>,
    pub chart: Option<String>,
    pub workload: Option<String>,
    pub state: Option<String>,
    pub persistence: Option<String>,
    pub data_criticality: Option<String>,
    pub upgrade_strategy: Option<String>,
    pub health: Option<String>,
    pub metrics: Option<String>,
    pub scaling: Option<String>,
    pub metadata: BTreeMap<String, Value>,
    pub contacts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GrpcService {
    pub name: String,
    pub rpcs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventChannel {
    pub name: String,
    /// `publish`, `subscribe`, `send` or `receive`.
    pub operations: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// What travels on the wire: `http`, `grpc` or `event` (1.x and 2.0 alike).
    pub protocol: String,
    /// 1.x `interfaces[].port`; a 2.0 contract has none (the Pacto's interface bindings
    /// name the Service port), except one `pacto migrate` preserved.
    pub port: Option<u32>,
    pub visibility: String,
    pub contract_file: Option<String>,
    /// The YAML field naming the spec file: `contract` (1.x) or `ref` (2.0).
    pub contract_field: String,
    pub endpoints: Vec<Endpoint>,
    pub grpc_services: Vec<GrpcService>,
    pub channels: Vec<EventChannel>,
    /// Why the interface contract could not be read, if it could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PropertyView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub required: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationView {
    pub name: String,
    pub schema: Option<String>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// 2.0 `required`: whether the configuration must be present at runtime (1.x has no
    /// such flag).
    pub required: Option<bool>,
    pub properties: Vec<PropertyView>,
    /// Values whose keys the schema does not declare.
    pub extra_values: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    pub name: String,
    pub schema: Option<String>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocPage {
    pub path: String,
    pub title: String,
    /// Rendered from Markdown and sanitised (safe to insert as HTML).
    pub html: String,
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SbomPackageView {
    pub name: String,
    pub version: Option<String>,
    pub license: Option<String>,
    pub supplier: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sbom {
    pub format: String,
    pub path: String,
    pub packages: Vec<SbomPackageView>,
}

/// A capability the contract declares: a 2.0 `capabilities[]` entry, or the 1.x
/// `runtime.health` / `runtime.metrics` (read through the same normalised accessors).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityView {
    /// `health`, `metrics` or `extension`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Served on an interface (a standard capability with a binding, or the 1.x form).
    pub bound: bool,
    /// The interface serving it, when bound.
    pub interface: Option<String>,
    /// The path on that interface, when given.
    pub path: Option<String>,
    /// An extension's namespaced identifier.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The YAML path of the declaration (`capabilities[0]`, `runtime.health`).
    pub declared_at: String,
}

/// The readiness assessment: its gate and each check (1.x) or claim (2.0). The score is
/// the operator's (per instance, in the runtime section), which knows the date it scored on.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessView {
    /// `checks` (1.x) or `claims` (2.0).
    pub list: String,
    /// The declared gate (absent: 100).
    pub min_score: Option<u32>,
    /// Assessment-level expiry `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// Credit for `partial` items, 0..1 (absent: 0.5).
    pub partial_credit: Option<f64>,
    pub items: Vec<ReadinessItemView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessItemView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `done`, `partial`, `not-done`, `deferred` (absent before 1.2).
    pub status: Option<String>,
    pub weight: u32,
    pub category: Option<String>,
    pub evidence: String,
    pub description: Option<String>,
    /// 1.1 per-check expiry.
    pub expires: Option<String>,
}
