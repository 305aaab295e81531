//! What the fleet listings show: one row per service (`/api/services`, built with each
//! snapshot) and the state of each source (`/api/sources`, reported by the sources).

use super::{ContractStatus, SourceKind};
use serde::Serialize;
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
    #[schema(value_type = super::ContractStatusSchema)]
    pub contract_status: ContractStatus,
    /// How many of the service's Pacto objects report each status, e.g. `{"Compliant": 2,
    /// "Warning": 1}` (the KPI cards count these); empty when no Pacto targets the service.
    pub instance_statuses: BTreeMap<String, u32>,
    pub checks_passed: u32,
    pub checks_total: u32,
    /// Services that transitively depend on this one through required dependencies.
    pub blast_radius: u32,
    pub sources: Vec<SourceKind>,
    pub version_count: u32,
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
