//! JSON endpoints. Each reads one immutable snapshot, so an answer is never torn.

use super::dto::*;
use super::error::RequestError;
use crate::model::{ServiceListEntry, SourceKind};
use crate::queries::diff::{DiffResponse, compare};
use crate::queries::graph::{self, GraphParams, GraphResponse};
use crate::queries::impact::{self, ImpactParams, ImpactResponse};
use crate::queries::service::{Dependent, ServiceDetail, VersionInfo};
use crate::queries::{detail, find, versions};
use crate::state::AppRef;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::convert::Infallible;
use utoipa::IntoParams;

#[utoipa::path(get, path = "/api/services", tag = "services",
    responses((status = 200, description = "Every service, sorted by name", body = [ServiceListEntry])))]
pub async fn list_services(State(app): AppRef) -> Response {
    let snap = app.snapshot();
    (
        [(header::CONTENT_TYPE, "application/json")],
        snap.list_json.to_vec(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/services/{name}", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, body = ServiceDetail), (status = 404, body = ApiError)))]
pub async fn get_service(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<ServiceDetail>, RequestError> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    Ok(Json(
        detail::service_detail(&snap, svc, None, &app.loader).await?,
    ))
}

#[utoipa::path(get, path = "/api/services/{name}/versions", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, description = "Newest first, classified against the previous version", body = [VersionInfo]), (status = 404, body = ApiError)))]
pub async fn versions(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<Vec<VersionInfo>>, RequestError> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    Ok(Json(versions::versions(svc, &app.loader).await))
}

#[utoipa::path(get, path = "/api/services/{name}/versions/{version}", tag = "services",
    params(("name" = String, Path, description = "Service name"), ("version" = String, Path, description = "Version")),
    responses((status = 200, body = ServiceDetail), (status = 404, body = ApiError)))]
pub async fn version(
    State(app): AppRef,
    Path((name, version)): Path<(String, String)>,
) -> Result<Json<ServiceDetail>, RequestError> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    Ok(Json(
        detail::service_detail(&snap, svc, Some(&version), &app.loader).await?,
    ))
}

#[utoipa::path(get, path = "/api/services/{name}/sources", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, body = ServiceSources), (status = 404, body = ApiError)))]
pub async fn service_sources(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<ServiceSources>, RequestError> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    let mut sources = Vec::new();
    for kind in SourceKind::ALL {
        let versions: Vec<String> = svc
            .versions
            .iter()
            .filter(|m| m.sources.contains(&kind))
            .map(|m| m.record.version.clone())
            .collect();
        let namespaces: Vec<String> = if kind == SourceKind::K8s {
            svc.runtime.iter().map(|r| r.namespace.clone()).collect()
        } else {
            Vec::new()
        };
        if !versions.is_empty() || !namespaces.is_empty() {
            sources.push(ServiceSourceEntry {
                source: kind,
                versions,
                namespaces,
            });
        }
    }
    Ok(Json(ServiceSources {
        name: svc.name.clone(),
        contract_source: svc.current().map(|m| m.record.source),
        sources,
    }))
}

#[utoipa::path(get, path = "/api/services/{name}/dependents", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, body = [Dependent]), (status = 404, body = ApiError)))]
pub async fn dependents(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<Vec<Dependent>>, RequestError> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    let d = detail::service_detail(&snap, svc, None, &app.loader).await?;
    Ok(Json(d.dependents))
}

#[utoipa::path(get, path = "/api/graph", tag = "graph", params(GraphParams),
    responses((status = 200, body = GraphResponse), (status = 400, body = ApiError)))]
pub async fn global_graph(
    State(app): AppRef,
    Query(p): Query<GraphParams>,
) -> Result<Json<GraphResponse>, RequestError> {
    let q = p.query()?;
    let snap = app.snapshot();
    if let Some(f) = &q.focus {
        find(&snap, f)?;
    }
    Ok(Json(graph::build(&snap, &q)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceGraphParams {
    /// Hops (1..=10, default 2).
    pub depth: Option<u32>,
    /// `dependencies`, `dependents` or `both` (default).
    pub direction: Option<String>,
    /// `TB` (default) or `LR`.
    pub layout: Option<String>,
}

#[utoipa::path(get, path = "/api/services/{name}/graph", tag = "graph",
    params(("name" = String, Path, description = "Service name"), ServiceGraphParams),
    responses((status = 200, body = GraphResponse), (status = 404, body = ApiError)))]
pub async fn service_graph(
    State(app): AppRef,
    Path(name): Path<String>,
    Query(p): Query<ServiceGraphParams>,
) -> Result<Json<GraphResponse>, RequestError> {
    let snap = app.snapshot();
    find(&snap, &name)?;
    let q = GraphParams {
        focus: Some(name),
        depth: Some(p.depth.unwrap_or(2)),
        direction: p.direction,
        layout: p.layout,
    }
    .query()?;
    Ok(Json(graph::build(&snap, &q)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// `name@version` (or `name` for its current version).
    pub from: String,
    /// `name@version` (or `name` for its current version).
    pub to: String,
}

#[utoipa::path(get, path = "/api/diff", tag = "diff", params(DiffParams),
    responses((status = 200, body = DiffResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn diff(
    State(app): AppRef,
    Query(p): Query<DiffParams>,
) -> Result<Json<DiffResponse>, RequestError> {
    let snap = app.snapshot();
    Ok(Json(compare(&snap, &app.loader, &p.from, &p.to).await?))
}

#[utoipa::path(get, path = "/api/impact", tag = "diff", params(ImpactParams),
    responses((status = 200, body = ImpactResponse), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn impact(
    State(app): AppRef,
    Query(p): Query<ImpactParams>,
) -> Result<Json<ImpactResponse>, RequestError> {
    let q = p.query()?;
    let snap = app.snapshot();
    Ok(Json(impact::impact(&snap, &app.loader, &q).await?))
}

#[utoipa::path(get, path = "/api/sources", tag = "sources",
    responses((status = 200, body = SourcesResponse)))]
pub async fn sources(State(app): AppRef) -> Json<SourcesResponse> {
    let snap = app.snapshot();
    Json(SourcesResponse {
        sources: snap.sources.clone(),
        snapshot_id: snap.id,
        ready: app.ready.load(std::sync::atomic::Ordering::Acquire),
    })
}

#[utoipa::path(get, path = "/api/events", tag = "events",
    responses((status = 200, description = "text/event-stream; one `snapshot` event (JSON {type, snapshotId}) each time the snapshot changes", content_type = "text/event-stream", body = String)))]
pub async fn events(
    State(app): AppRef,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = app.events.subscribe();
    let hello = Event::default()
        .event("hello")
        .data(format!("{{\"snapshotId\":{}}}", app.snapshot().id));
    let stream = futures_util::stream::unfold((rx, Some(hello)), |(mut rx, first)| async move {
        if let Some(h) = first {
            return Some((Ok(h), (rx, None)));
        }
        let data = match rx.recv().await {
            Ok(data) => data,
            // A slow client missed some: it only needs to know something changed.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => "{}".to_string(),
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((
            Ok(Event::default().event("snapshot").data(data)),
            (rx, None),
        ))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[utoipa::path(post, path = "/api/refresh", tag = "sources",
    responses((status = 200, body = RefreshResponse), (status = 403, description = "cross-origin request", body = ApiError)))]
pub async fn refresh(State(app): AppRef) -> Json<RefreshResponse> {
    Json(RefreshResponse {
        snapshot_id: app.requested_refresh().await,
    })
}

pub async fn debug_sources(State(app): AppRef) -> Json<serde_json::Value> {
    let snap = app.snapshot();
    Json(serde_json::json!({
        "sources": snap.sources,
        "repos": app.repos(),
        "localDirs": app.config.dirs,
        "namespaces": app.config.namespaces.names(),
        "snapshotId": snap.id,
        "fingerprint": snap.fingerprint,
    }))
}

pub async fn debug_cache(State(app): AppRef) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "residentBytes": app.loader.resident_bytes(),
        "residentEntries": app.loader.resident_entries(),
        "capacityBytes": app.config.lru_bytes,
    }))
}
