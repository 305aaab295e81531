//! The OpenAPI document, derived from the handlers' annotations and the wire types.

use super::dto::{ApiError, RefreshResponse, ServiceSources, SourcesResponse};
use super::handlers;
use crate::model::{
    ContractStatusSchema, DependencyRef, ReferenceRef, ServiceListEntry, SourceKind,
};
use crate::queries::diff::DiffResponse;
use crate::queries::graph::GraphResponse;
use crate::queries::impact::ImpactResponse;
use crate::queries::service::{Dependent, ServiceDetail, VersionInfo};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pacto dashboard API",
        description = "Contracts, versions, diffs, impact of a version change, dependency graph and compliance."
    ),
    paths(
        handlers::list_services,
        handlers::get_service,
        handlers::versions,
        handlers::version,
        handlers::service_sources,
        handlers::dependents,
        handlers::service_graph,
        handlers::global_graph,
        handlers::diff,
        handlers::impact,
        handlers::sources,
        handlers::events,
        handlers::refresh,
    ),
    components(schemas(
        SourceKind,
        ContractStatusSchema,
        DependencyRef,
        ReferenceRef,
        ServiceListEntry,
        ServiceDetail,
        VersionInfo,
        ServiceSources,
        Dependent,
        GraphResponse,
        DiffResponse,
        ImpactResponse,
        SourcesResponse,
        ApiError,
        RefreshResponse,
    ))
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
