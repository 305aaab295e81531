//! Source-independent records: what the sources produce and the snapshot is built from,
//! and the sections and rows derived from them. The bottom layer: it imports no other
//! module of the crate.

mod contract_sections;
mod inline;
mod listing;
mod runtime_sections;

pub use contract_sections::{
    CapabilityView, ConfigurationView, DocPage, Endpoint, EventChannel, GrpcService, InterfaceView,
    Overview, PolicyView, PropertyView, ReadinessItemView, ReadinessView, Sbom, SbomPackageView,
};
pub use inline::InlineContract;
pub use listing::{ServiceListEntry, SourceInfo};
pub use runtime_sections::{
    Check, ConditionView, ConfigBindingView, CoverageView, EndpointCheck, EvidenceView,
    FindingView, Instance, InterfaceBindingView, ObservationWindowView, ReadinessScoreView,
    ReplicaResult, RuntimeCapabilityView, RuntimeView, ServicePort, SeverityCounts,
};

use pacto_core::Finding;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use utoipa::ToSchema;

/// Where contract content or runtime state came from. The order is the merge priority
/// for contract content (local wins over oci, oci over cache, cache over the inline
/// contracts of Pacto objects); k8s also overlays runtime state.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Local,
    Oci,
    Cache,
    K8s,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Oci => "oci",
            Self::Cache => "cache",
            Self::K8s => "k8s",
        }
    }

    pub const ALL: [SourceKind; 4] = [Self::Local, Self::Oci, Self::Cache, Self::K8s];
}

/// Headline state of a service: the CRD vocabulary itself (`Reference` = not monitored at
/// runtime). The dashboard adds only where a status is counted ([`kpi`]) and its OpenAPI
/// schema ([`ContractStatusSchema`]), both derived from `ContractStatus::ALL`.
pub use pacto_crds::ContractStatus;

/// The KPI card a status is counted under (NonCompliant and Invalid share one).
pub fn kpi(status: ContractStatus) -> &'static str {
    match status {
        ContractStatus::Compliant => "compliant",
        ContractStatus::Warning => "warning",
        ContractStatus::NonCompliant | ContractStatus::Invalid => "failing",
        ContractStatus::Unknown => "unknown",
        ContractStatus::Reference => "reference",
    }
}

/// OpenAPI schema of [`ContractStatus`] (a string enum of `ContractStatus::ALL`), named
/// `ContractStatus` in the document. The type lives in pacto-crds, which knows no OpenAPI.
pub struct ContractStatusSchema;

impl utoipa::PartialSchema for ContractStatusSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "Headline state (pacto-crds vocabulary; Reference = not monitored at runtime).",
            ))
            .enum_values(Some(ContractStatus::ALL.iter().map(|s| s.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for ContractStatusSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ContractStatus")
    }
}

/// How to fetch the full bundle of one version again, on demand.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Locator {
    /// A bundle directory on disk.
    Dir(PathBuf),
    /// An OCI reference `registry/repo:tag`.
    Oci(String),
    /// An entry directory `<cache>/blobs/sha256/<hex>` of the digest-keyed disk cache.
    CacheFile(PathBuf),
    /// The inline contract of a Pacto object (its text and overrides, as last seen).
    Inline(Arc<InlineContract>),
}

/// A dependency as declared, with the name it resolves to in the fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DependencyRef {
    pub name: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub required: bool,
    pub compatibility: String,
}

/// A configuration or policy `ref` to another contract (a dashed graph edge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceRef {
    /// `config` or `policy`.
    pub kind: String,
    /// Section name in this contract.
    pub section: String,
    /// Name of the referenced contract.
    pub target: String,
    #[serde(rename = "ref")]
    pub reference: String,
}

/// What the list, graph and versions need to know about a version, without its bundle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub owner: Option<String>,
    pub valid: bool,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub dependencies: Vec<DependencyRef>,
    pub references: Vec<ReferenceRef>,
    /// sha256 hex of `pacto.yaml`.
    pub contract_hash: String,
    /// Approximate resident size of the full bundle, for the LRU.
    pub bundle_bytes: u64,
}

/// One version of one service as a contract source sees it.
#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub name: String,
    pub version: String,
    pub source: SourceKind,
    pub locator: Locator,
    /// `None` until the bundle was read (OCI tags listed but not pulled).
    pub summary: Option<Arc<Summary>>,
}

/// Runtime state of one Pacto object (k8s overlay).
#[derive(Debug, Clone)]
pub struct RuntimeRecord {
    pub namespace: String,
    pub object: String,
    pub service: String,
    pub status: Arc<pacto_crds::PactoStatus>,
    /// The spec's runtime target (its interface and configuration bindings are shown).
    pub target: Option<Arc<pacto_crds::Target>>,
}

/// One PactoRevision (k8s version history).
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRecord {
    pub namespace: String,
    pub service: String,
    pub version: String,
    pub reference: String,
    pub created_at: Option<String>,
}

/// Everything the sources produced for one snapshot build.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub versions: Vec<VersionRecord>,
    pub runtime: Vec<RuntimeRecord>,
    pub revisions: Vec<RevisionRecord>,
    pub sources: Vec<SourceInfo>,
}

#[cfg(test)]
mod status_vocabulary_tests {
    use super::*;
    use utoipa::PartialSchema;

    #[test]
    fn the_openapi_enum_and_the_kpi_cards_cover_every_status() {
        let schema = serde_json::to_value(ContractStatusSchema::schema()).unwrap_or_default();
        let names: Vec<&str> = ContractStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(schema["enum"], serde_json::json!(names));
        for s in ContractStatus::ALL {
            assert!(
                ["compliant", "warning", "failing", "unknown", "reference"].contains(&kpi(s)),
                "{s}"
            );
        }
    }
}
