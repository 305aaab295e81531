//! JSON endpoints. Each reads one immutable snapshot, so an answer is never torn.

use super::types::*;
use crate::detail::{self, DetailError};
use crate::graph::{self, GraphQuery, Walk};
use crate::layout::Orientation;
use crate::snapshot::{ServiceEntry, Snapshot};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use utoipa::IntoParams;

pub type AppRef = State<Arc<AppState>>;

#[derive(Debug)]
pub struct ApiErr(pub StatusCode, pub &'static str, pub String);

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        let body = ApiError {
            status: self.0.as_u16(),
            code: self.1.to_string(),
            message: self.2,
        };
        (self.0, Json(body)).into_response()
    }
}

pub fn not_found(what: impl Into<String>) -> ApiErr {
    ApiErr(StatusCode::NOT_FOUND, "not_found", what.into())
}

fn bad_request(what: impl Into<String>) -> ApiErr {
    ApiErr(StatusCode::BAD_REQUEST, "bad_request", what.into())
}

pub fn find<'a>(snap: &'a Snapshot, name: &str) -> Result<&'a ServiceEntry, ApiErr> {
    snap.services
        .get(name)
        .ok_or_else(|| not_found(format!("no service named {name:?}")))
}

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
) -> Result<Json<ServiceDetail>, ApiErr> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    detail::service_detail(&snap, svc, None, &app.loader)
        .await
        .map(Json)
        .map_err(|DetailError::NoVersion| not_found("no such version"))
}

#[utoipa::path(get, path = "/api/services/{name}/versions", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, description = "Newest first, classified against the previous version", body = [VersionInfo]), (status = 404, body = ApiError)))]
pub async fn versions(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<Vec<VersionInfo>>, ApiErr> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    Ok(Json(detail::versions(svc, &app.loader).await))
}

#[utoipa::path(get, path = "/api/services/{name}/versions/{version}", tag = "services",
    params(("name" = String, Path, description = "Service name"), ("version" = String, Path, description = "Version")),
    responses((status = 200, body = ServiceDetail), (status = 404, body = ApiError)))]
pub async fn version(
    State(app): AppRef,
    Path((name, version)): Path<(String, String)>,
) -> Result<Json<ServiceDetail>, ApiErr> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    detail::service_detail(&snap, svc, Some(&version), &app.loader)
        .await
        .map(Json)
        .map_err(|DetailError::NoVersion| not_found(format!("{name} has no version {version:?}")))
}

#[utoipa::path(get, path = "/api/services/{name}/sources", tag = "services",
    params(("name" = String, Path, description = "Service name")),
    responses((status = 200, body = ServiceSources), (status = 404, body = ApiError)))]
pub async fn service_sources(
    State(app): AppRef,
    Path(name): Path<String>,
) -> Result<Json<ServiceSources>, ApiErr> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    let mut sources = Vec::new();
    for kind in crate::model::SourceKind::ALL {
        let versions: Vec<String> = svc
            .versions
            .iter()
            .filter(|m| m.sources.contains(&kind))
            .map(|m| m.record.version.clone())
            .collect();
        let namespaces: Vec<String> = if kind == crate::model::SourceKind::K8s {
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
) -> Result<Json<Vec<Dependent>>, ApiErr> {
    let snap = app.snapshot();
    let svc = find(&snap, &name)?;
    let d = detail::service_detail(&snap, svc, None, &app.loader)
        .await
        .map_err(|_| not_found("no such version"))?;
    Ok(Json(d.dependents))
}

/// Graph controls shared by the API and the graph page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraphParams {
    /// Centre the graph on this service.
    pub focus: Option<String>,
    /// Hops from the focus (1..=10); all when absent.
    pub depth: Option<u32>,
    /// `dependencies`, `dependents` or `both` (default).
    pub direction: Option<String>,
    /// `TB` (default) or `LR`.
    pub layout: Option<String>,
}

impl GraphParams {
    pub fn query(&self) -> Result<GraphQuery, String> {
        let walk = match self.direction.as_deref() {
            None | Some("") => Walk::Both,
            Some(d) => Walk::parse(d).ok_or_else(|| {
                format!("direction must be dependencies, dependents or both, not {d:?}")
            })?,
        };
        let orientation = match self.layout.as_deref() {
            None | Some("") | Some("TB") => Orientation::TopDown,
            Some("LR") => Orientation::LeftRight,
            Some(l) => return Err(format!("layout must be TB or LR, not {l:?}")),
        };
        if let Some(d) = self.depth
            && !(1..=10).contains(&d)
        {
            return Err("depth must be between 1 and 10".into());
        }
        Ok(GraphQuery {
            focus: self.focus.clone().filter(|f| !f.is_empty()),
            depth: self.depth,
            walk,
            orientation,
        })
    }
}

#[utoipa::path(get, path = "/api/graph", tag = "graph", params(GraphParams),
    responses((status = 200, body = GraphResponse), (status = 400, body = ApiError)))]
pub async fn global_graph(
    State(app): AppRef,
    Query(p): Query<GraphParams>,
) -> Result<Json<GraphResponse>, ApiErr> {
    let q = p.query().map_err(bad_request)?;
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
) -> Result<Json<GraphResponse>, ApiErr> {
    let snap = app.snapshot();
    find(&snap, &name)?;
    let q = GraphParams {
        focus: Some(name),
        depth: Some(p.depth.unwrap_or(2)),
        direction: p.direction,
        layout: p.layout,
    }
    .query()
    .map_err(bad_request)?;
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

/// Splits `name@version`; a bare name means the current version.
pub fn parse_side<'a>(
    snap: &'a Snapshot,
    s: &str,
) -> Result<&'a crate::snapshot::MergedVersion, ApiErr> {
    let (name, ver) = match s.rsplit_once('@') {
        Some((n, v)) => (n, Some(v)),
        None => (s, None),
    };
    let svc = find(snap, name)?;
    match ver {
        Some(v) => svc
            .version(v)
            .ok_or_else(|| not_found(format!("{name} has no version {v:?}"))),
        None => svc
            .current()
            .ok_or_else(|| not_found(format!("{name} has no contract"))),
    }
}

#[utoipa::path(get, path = "/api/diff", tag = "diff", params(DiffParams),
    responses((status = 200, body = DiffResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn diff(
    State(app): AppRef,
    Query(p): Query<DiffParams>,
) -> Result<Json<DiffResponse>, ApiErr> {
    let snap = app.snapshot();
    let (a, b) = (parse_side(&snap, &p.from)?, parse_side(&snap, &p.to)?);
    let unavailable = |e: String| ApiErr(StatusCode::BAD_GATEWAY, "unavailable", e);
    let la = app
        .loader
        .load(&a.record.locator)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    let lb = app
        .loader
        .load(&b.record.locator)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    let body = detail::diff(&la, &lb).ok_or_else(|| {
        ApiErr(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_contract",
            "one side fails validation, so it cannot be diffed".into(),
        )
    })?;
    let side = |m: &crate::snapshot::MergedVersion| DiffSide {
        name: m.record.name.clone(),
        version: m.record.version.clone(),
        source: m.record.source,
    };
    Ok(Json(DiffResponse {
        from: side(a),
        to: side(b),
        classification: body.classification,
        changes: body.changes,
    }))
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
    app.loader.clear();
    app.refresh(true).await;
    Json(RefreshResponse {
        snapshot_id: app.snapshot().id,
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
