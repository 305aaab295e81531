//! The JSON wire types (camelCase). The OpenAPI document is derived from these.

use crate::model::{ContractStatus, DependencyRef, ReferenceRef, SourceKind};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One row of `/api/services`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceListEntry {
    pub name: String,
    pub version: Option<String>,
    pub owner: Option<String>,
    pub namespaces: Vec<String>,
    pub contract_status: ContractStatus,
    pub checks_passed: u32,
    pub checks_total: u32,
    /// Services that transitively depend on this one through required dependencies.
    pub blast_radius: u32,
    pub sources: Vec<SourceKind>,
    pub version_count: u32,
}

/// Whether a section has content, and where it came from or why it is empty.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionMeta {
    /// `present`, `empty` or `unavailable`.
    pub state: String,
    pub source: Option<SourceKind>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionsMeta {
    pub overview: SectionMeta,
    pub interfaces: SectionMeta,
    pub configurations: SectionMeta,
    pub policies: SectionMeta,
    pub dependencies: SectionMeta,
    pub dependents: SectionMeta,
    pub runtime: SectionMeta,
    pub conditions: SectionMeta,
    pub versions: SectionMeta,
    pub docs: SectionMeta,
    pub sbom: SectionMeta,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Issue {
    pub code: String,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    pub valid: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

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
pub struct DependencyView {
    #[serde(flatten)]
    pub dependency: DependencyRef,
    /// The dependency is a service the dashboard knows.
    pub known: bool,
    pub contract_status: Option<ContractStatus>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dependent {
    pub name: String,
    pub version: Option<String>,
    pub required: bool,
    pub compatibility: String,
    pub contract_status: ContractStatus,
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

/// One probe against one replica.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaResult {
    pub address: String,
    pub pod: Option<String>,
    pub reachable: bool,
    pub status_code: Option<i32>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointCheck {
    /// `health` or `metrics`.
    pub kind: String,
    pub url: Option<String>,
    pub reachable: bool,
    pub status_code: Option<i32>,
    pub replicas: Vec<ReplicaResult>,
}

/// A compliance check: what the contract declares vs what the cluster shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: String,
    pub declared: Option<String>,
    pub observed: Option<String>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConditionView {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_time: Option<String>,
}

/// Runtime state of one Pacto object.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeView {
    pub namespace: String,
    pub object: String,
    pub contract_status: Option<ContractStatus>,
    pub contract_version: Option<String>,
    pub resolved_ref: Option<String>,
    pub checks_passed: u32,
    pub checks_total: u32,
    pub checks: Vec<Check>,
    pub endpoints: Vec<EndpointCheck>,
    pub conditions: Vec<ConditionView>,
    pub last_checked: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub version: String,
    pub source: SourceKind,
    pub sources: Vec<SourceKind>,
    pub contract_hash: Option<String>,
    /// Status of the contract at that version (Invalid when it fails validation), if read.
    pub valid: Option<bool>,
    /// Classification of the change from the previous (older) version, when both were readable.
    pub classification: Option<String>,
    pub previous: Option<String>,
    pub is_current: bool,
    pub created_at: Option<String>,
}

/// `/api/services/{name}` and `…/versions/{version}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetail {
    pub name: String,
    pub version: Option<String>,
    pub current_version: Option<String>,
    pub owner: Option<String>,
    pub namespaces: Vec<String>,
    pub contract_status: ContractStatus,
    pub source: Option<SourceKind>,
    pub sources: Vec<SourceKind>,
    pub blast_radius: u32,
    pub validation: Validation,
    pub overview: Option<Overview>,
    pub interfaces: Vec<InterfaceView>,
    pub configurations: Vec<ConfigurationView>,
    pub policies: Vec<PolicyView>,
    pub dependencies: Vec<DependencyView>,
    pub references: Vec<ReferenceRef>,
    pub dependents: Vec<Dependent>,
    pub runtime: Vec<RuntimeView>,
    pub versions: Vec<VersionInfo>,
    pub docs: Vec<DocPage>,
    pub sbom: Option<Sbom>,
    pub section_meta: SectionsMeta,
}

/// `/api/services/{name}/sources`: what each source knows of the service.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSources {
    pub name: String,
    /// The source the contract content is taken from.
    pub contract_source: Option<SourceKind>,
    pub sources: Vec<ServiceSourceEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSourceEntry {
    pub source: SourceKind,
    pub versions: Vec<String>,
    pub namespaces: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    #[serde(rename = "type")]
    pub kind: SourceKind,
    pub enabled: bool,
    /// Why the source is active or not.
    pub reason: String,
    pub service_count: u32,
    /// Low-cardinality error code (auth_failed, not_found, unreachable…), never credentials.
    pub error: Option<String>,
    /// k8s only: the namespaces watched when scoped; null when watching all namespaces
    /// (and for the other sources).
    pub namespaces: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourcesResponse {
    pub sources: Vec<SourceInfo>,
    pub snapshot_id: u64,
    pub ready: bool,
}

/// A node of the dependency graph with its layered position.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphNode {
    pub id: String,
    /// `service`, `external` (not in any source) or `unmonitored` (no runtime state).
    pub kind: String,
    pub status: Option<ContractStatus>,
    pub version: Option<String>,
    pub owner: Option<String>,
    pub sources: Vec<SourceKind>,
    pub layer: u32,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// `dependency` (solid) or `reference` (dashed config/policy ref).
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub compatibility: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GraphResponse {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub width: f64,
    pub height: f64,
    pub direction: String,
    pub focus: Option<String>,
    pub depth: Option<u32>,
    /// Dependency cycles found (each as the services on it).
    pub cycles: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffSide {
    pub name: String,
    pub version: String,
    pub source: SourceKind,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeView {
    pub path: String,
    #[serde(rename = "type")]
    pub change_type: String,
    pub classification: String,
    pub reason: String,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiffResponse {
    pub from: DiffSide,
    pub to: DiffSide,
    pub classification: String,
    pub changes: Vec<ChangeView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub status: u16,
    /// Stable code, e.g. `not_found`, `bad_request`, `unavailable`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshResponse {
    pub snapshot_id: u64,
}
