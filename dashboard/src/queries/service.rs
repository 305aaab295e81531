//! The service answer (`/api/services/{name}`, the service page): contract sections, the
//! k8s overlay, dependencies and dependents, versions, and where each section came from.

use crate::model::{
    CapabilityView, ConfigurationView, ContractStatus, DependencyRef, DocPage, Instance,
    InterfaceView, Overview, PolicyView, ReadinessView, ReferenceRef, RuntimeView, Sbom,
    SourceKind,
};
use serde::Serialize;
use utoipa::ToSchema;

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
    pub capabilities: SectionMeta,
    pub configurations: SectionMeta,
    pub policies: SectionMeta,
    pub readiness: SectionMeta,
    pub dependencies: SectionMeta,
    pub dependents: SectionMeta,
    pub runtime: SectionMeta,
    /// The operator's findings of every instance.
    pub findings: SectionMeta,
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
pub struct DependencyView {
    #[serde(flatten)]
    pub dependency: DependencyRef,
    /// The dependency is a service the dashboard knows.
    pub known: bool,
    #[schema(value_type = Option<crate::model::ContractStatusSchema>)]
    pub contract_status: Option<ContractStatus>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dependent {
    pub name: String,
    pub version: Option<String>,
    pub required: bool,
    pub compatibility: String,
    #[schema(value_type = crate::model::ContractStatusSchema)]
    pub contract_status: ContractStatus,
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
    #[schema(value_type = crate::model::ContractStatusSchema)]
    pub contract_status: ContractStatus,
    pub source: Option<SourceKind>,
    pub sources: Vec<SourceKind>,
    pub blast_radius: u32,
    pub validation: Validation,
    pub overview: Option<Overview>,
    pub interfaces: Vec<InterfaceView>,
    /// 2.0 `capabilities[]`, or 1.x `runtime.health`/`runtime.metrics`, read one way.
    pub capabilities: Vec<CapabilityView>,
    pub configurations: Vec<ConfigurationView>,
    pub policies: Vec<PolicyView>,
    /// 1.x readiness checks or 2.0 claims, with the gate.
    pub readiness: Option<ReadinessView>,
    pub dependencies: Vec<DependencyView>,
    pub references: Vec<ReferenceRef>,
    pub dependents: Vec<Dependent>,
    pub runtime: Vec<RuntimeView>,
    /// Every Pacto object of the service (namespace/name, status, contract version), in
    /// namespace then name order; empty for a historical version.
    pub instances: Vec<Instance>,
    pub versions: Vec<VersionInfo>,
    pub docs: Vec<DocPage>,
    pub sbom: Option<Sbom>,
    pub section_meta: SectionsMeta,
}
