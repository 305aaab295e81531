//! HTML page handlers.

use crate::api::handlers::{AppRef, GraphParams, find, parse_side};
use crate::detail;
use crate::graph::{self, GraphQuery};
use crate::html;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

fn not_found_page(snapshot_id: u64, what: &str) -> Response {
    let body =
        maud::html! { h1 { "Not found" } p { (what) } p { a href="/" { "Back to services" } } };
    (
        StatusCode::NOT_FOUND,
        Html(html::layout::page("Not found", "", snapshot_id, body).into_string()),
    )
        .into_response()
}

pub async fn index(State(app): AppRef) -> Response {
    let snap = app.snapshot();
    let g = graph::build(&snap, &GraphQuery::default());
    Html(html::list::render(&snap, &g).into_string()).into_response()
}

pub async fn service(State(app): AppRef, Path(name): Path<String>) -> Response {
    service_at(app, name, None).await
}

pub async fn service_version(
    State(app): AppRef,
    Path((name, v)): Path<(String, String)>,
) -> Response {
    service_at(app, name, Some(v)).await
}

async fn service_at(
    app: std::sync::Arc<crate::state::AppState>,
    name: String,
    v: Option<String>,
) -> Response {
    let snap = app.snapshot();
    let Ok(svc) = find(&snap, &name) else {
        return not_found_page(snap.id, "No service with that name.");
    };
    match detail::service_detail(&snap, svc, v.as_deref(), &app.loader).await {
        Ok(d) => {
            let q = GraphQuery {
                focus: Some(name),
                depth: Some(2),
                ..GraphQuery::default()
            };
            let g = graph::build(&snap, &q);
            Html(html::service::render(&d, v.is_some(), &g, snap.id).into_string()).into_response()
        }
        Err(_) => not_found_page(snap.id, "That service has no such version."),
    }
}

pub async fn graph_page(State(app): AppRef, Query(p): Query<GraphParams>) -> Response {
    let snap = app.snapshot();
    let (q, err) = match p.query() {
        Ok(q)
            if q.focus
                .as_deref()
                .is_none_or(|f| snap.services.contains_key(f)) =>
        {
            (q, None)
        }
        Ok(_) => (
            GraphQuery::default(),
            Some("unknown focus service".to_string()),
        ),
        Err(e) => (GraphQuery::default(), Some(e)),
    };
    let g = graph::build(&snap, &q);
    Html(html::graph_page::render(&snap, &p, &g, err.as_deref()).into_string()).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct DiffPageParams {
    pub from: Option<String>,
    pub to: Option<String>,
}

pub async fn diff_page(State(app): AppRef, Query(p): Query<DiffPageParams>) -> Response {
    let snap = app.snapshot();
    let (from, to) = (p.from.unwrap_or_default(), p.to.unwrap_or_default());
    if from.is_empty() || to.is_empty() {
        return Html(html::diff::render(&snap, &from, &to, Ok(None)).into_string()).into_response();
    }
    let result = async {
        let a = parse_side(&snap, &from).map_err(|e| e.2)?;
        let b = parse_side(&snap, &to).map_err(|e| e.2)?;
        let la = app
            .loader
            .load(&a.record.locator)
            .await
            .map_err(|e| e.to_string())?;
        let lb = app
            .loader
            .load(&b.record.locator)
            .await
            .map_err(|e| e.to_string())?;
        let body =
            detail::diff(&la, &lb).ok_or("one side fails validation, so it cannot be diffed")?;
        Ok::<_, String>(crate::api::types::DiffResponse {
            from: crate::api::types::DiffSide {
                name: a.record.name.clone(),
                version: a.record.version.clone(),
                source: a.record.source,
            },
            to: crate::api::types::DiffSide {
                name: b.record.name.clone(),
                version: b.record.version.clone(),
                source: b.record.source,
            },
            classification: body.classification,
            changes: body.changes,
        })
    }
    .await;
    let page = match &result {
        Ok(d) => html::diff::render(&snap, &from, &to, Ok(Some(d))),
        Err(e) => html::diff::render(&snap, &from, &to, Err(e)),
    };
    Html(page.into_string()).into_response()
}
