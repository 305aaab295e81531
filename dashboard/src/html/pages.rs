//! HTML page handlers: the same queries as the API, rendered.

use super::{diff, graph_page, impact, layout, list, service};
use crate::queries::diff::compare;
use crate::queries::graph::{self, GraphParams, GraphQuery};
use crate::queries::impact::{ImpactParams, ImpactParamsError};
use crate::queries::{detail, find};
use crate::state::{AppRef, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

/// The `--base-path` every URL on a page starts with (`""` at the root).
fn base(app: &AppState) -> &str {
    app.config.base_path.as_str()
}

fn not_found_page(base: &str, snapshot_id: u64, what: &str) -> Response {
    let body = maud::html! { h1 { "Not found" } p { (what) } p { a href={ (base) "/" } { "Back to services" } } };
    (
        StatusCode::NOT_FOUND,
        Html(layout::page(base, "Not found", "", snapshot_id, body).into_string()),
    )
        .into_response()
}

pub async fn index(State(app): AppRef) -> Response {
    let snap = app.snapshot();
    let g = graph::build(&snap, &GraphQuery::default());
    Html(list::render(base(&app), &snap, &g).into_string()).into_response()
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

async fn service_at(app: Arc<AppState>, name: String, v: Option<String>) -> Response {
    let snap = app.snapshot();
    let Ok(svc) = find(&snap, &name) else {
        return not_found_page(base(&app), snap.id, "No service with that name.");
    };
    match detail::service_detail(&snap, svc, v.as_deref(), &app.loader).await {
        Ok(d) => {
            let q = GraphQuery {
                focus: Some(name),
                depth: Some(2),
                ..GraphQuery::default()
            };
            let g = graph::build(&snap, &q);
            let page = service::render(base(&app), &d, v.is_some(), &g, snap.id);
            Html(page.into_string()).into_response()
        }
        Err(_) => not_found_page(base(&app), snap.id, "That service has no such version."),
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
        Err(e) => (GraphQuery::default(), Some(e.to_string())),
    };
    let g = graph::build(&snap, &q);
    Html(graph_page::render(base(&app), &snap, &p, &g, err.as_deref()).into_string())
        .into_response()
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
        return Html(diff::render(base(&app), &snap, &from, &to, Ok(None)).into_string())
            .into_response();
    }
    let page = match compare(&snap, &app.loader, &from, &to).await {
        Ok(d) => diff::render(base(&app), &snap, &from, &to, Ok(Some(&d))),
        Err(e) => diff::render(base(&app), &snap, &from, &to, Err(&e.to_string())),
    };
    Html(page.into_string()).into_response()
}

/// The impact page. Bad or unknown parameters are shown on the page (as the diff page
/// does); `/api/impact` answers them with 400 and 404.
pub async fn impact_page(State(app): AppRef, Query(p): Query<ImpactParams>) -> Response {
    let snap = app.snapshot();
    let none = impact::Selection {
        service: None,
        from: None,
        to: None,
    };
    let q = match p.query() {
        Ok(q) => q,
        Err(ImpactParamsError::MissingService) => {
            return Html(impact::render(base(&app), &snap, &none, Ok(None)).into_string())
                .into_response();
        }
        Err(e) => {
            let why = e.to_string();
            return Html(impact::render(base(&app), &snap, &none, Err(&why)).into_string())
                .into_response();
        }
    };
    let answer = crate::queries::impact::impact(&snap, &app.loader, &q).await;
    let page = match &answer {
        Ok(r) => {
            let sel = impact::Selection {
                service: Some(&q.service),
                from: Some(&r.old_version),
                to: Some(&r.new_version),
            };
            impact::render(base(&app), &snap, &sel, Ok(Some(r)))
        }
        Err(e) => {
            let sel = impact::Selection {
                service: Some(&q.service),
                from: q.from.as_deref(),
                to: q.to.as_deref(),
            };
            impact::render(base(&app), &snap, &sel, Err(&e.to_string()))
        }
    };
    Html(page.into_string()).into_response()
}
