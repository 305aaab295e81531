//! The contract sections of a service page (overview, interfaces, configurations, policies,
//! docs, SBOM), as the API serialises and the pages render them. Built from one bundle by
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
    pub port: Option<u32>,
    pub visibility: String,
    pub contract_file: Option<String>,
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
