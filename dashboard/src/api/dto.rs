//! The JSON records only the API answers with (the shared ones come from `model` and
//! `queries`). The OpenAPI document is derived from all of them.

use crate::model::{SourceInfo, SourceKind};
use serde::Serialize;
use utoipa::ToSchema;

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
pub struct SourcesResponse {
    pub sources: Vec<SourceInfo>,
    pub snapshot_id: u64,
    pub ready: bool,
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
