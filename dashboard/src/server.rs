//! Router, security middleware and `serve`.

use crate::api::error::RequestError;
use crate::api::handlers as h;
use crate::config::Config;
use crate::host_guard::host_allowed;
use crate::html::pages;
use crate::state::{AppState, StartError};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tower::ServiceExt;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

/// Every API route, for the OpenAPI drift test (debug routes excluded on purpose).
pub const API_ROUTES: &[&str] = &[
    "/api/services",
    "/api/services/{name}",
    "/api/services/{name}/versions",
    "/api/services/{name}/versions/{version}",
    "/api/services/{name}/sources",
    "/api/services/{name}/dependents",
    "/api/services/{name}/graph",
    "/api/graph",
    "/api/diff",
    "/api/impact",
    "/api/sources",
    "/api/events",
    "/api/refresh",
];

/// The dashboard's routes. Under a `--base-path` they answer both `/prefix/x` (an Ingress
/// that keeps the path) and `/x` (a proxy that strips it, such as `kubectl proxy`).
pub fn router(state: Arc<AppState>) -> Router {
    let base = state.config.base_path.clone();
    let app = routes(state);
    if base.is_root() {
        return app;
    }
    // `Router::layer` runs after routing, too late to change the path routed on: the prefix
    // is stripped in a service wrapped around the whole router, which an otherwise empty
    // outer router hands every request to.
    let strip = move |mut req: Request| {
        if let Some(uri) = base.strip_uri(req.uri()) {
            *req.uri_mut() = uri;
        }
        req
    };
    Router::new().fallback_service(ServiceExt::<Request>::map_request(app, strip))
}

fn routes(state: Arc<AppState>) -> Router {
    let mut r = Router::new()
        .route("/", get(pages::index))
        .route("/services/{name}", get(pages::service))
        .route(
            "/services/{name}/versions/{version}",
            get(pages::service_version),
        )
        .route("/graph", get(pages::graph_page))
        .route("/diff", get(pages::diff_page))
        .route("/impact", get(pages::impact_page))
        .route("/api/services", get(h::list_services))
        .route("/api/services/{name}", get(h::get_service))
        .route("/api/services/{name}/versions", get(h::versions))
        .route("/api/services/{name}/versions/{version}", get(h::version))
        .route("/api/services/{name}/sources", get(h::service_sources))
        .route("/api/services/{name}/dependents", get(h::dependents))
        .route("/api/services/{name}/graph", get(h::service_graph))
        .route("/api/graph", get(h::global_graph))
        .route("/api/diff", get(h::diff))
        .route("/api/impact", get(h::impact))
        .route("/api/sources", get(h::sources))
        .route("/api/events", get(h::events))
        .route("/api/refresh", post(h::refresh))
        .route("/api/openapi.json", get(openapi))
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    if state.config.diagnostics {
        r = r
            .route("/api/debug/sources", get(h::debug_sources))
            .route("/api/debug/cache", get(h::debug_cache));
    }
    r.fallback(|| async { RequestError::NotFound("no such route".into()) })
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

fn asset(ct: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// Under a `--base-path` the document names it as its server, so clients built from it call
/// the API through the same prefix.
async fn openapi(State(app): State<Arc<AppState>>) -> Json<utoipa::openapi::OpenApi> {
    let mut doc = crate::api::openapi::document();
    let base = &app.config.base_path;
    if !base.is_root() {
        doc.servers = Some(vec![utoipa::openapi::server::Server::new(base.as_str())]);
    }
    Json(doc)
}

async fn readyz(State(app): State<Arc<AppState>>) -> Response {
    if app.ready.load(Ordering::Acquire) {
        "ready".into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "first snapshot not built yet",
        )
            .into_response()
    }
}

async fn metrics(State(app): State<Arc<AppState>>) -> Response {
    if let Some(g) = &app.metrics.resident_bytes {
        g.set(app.loader.resident_bytes() as i64);
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
        .into_response()
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorised(req: &Request, token: &str) -> bool {
    let hdr = req.headers();
    if let Some(v) = hdr.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return same(t.trim().as_bytes(), token.as_bytes());
    }
    // Browsers cannot attach a header to navigations: accept the same token as a cookie.
    hdr.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix("pacto_dashboard_token="))
        .any(|t| same(t.as_bytes(), token.as_bytes()))
}

/// A state-changing request must come from our own pages.
fn same_origin(req: &Request) -> bool {
    let hdr = req.headers();
    if let Some(site) = hdr.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    match (hdr.get(header::ORIGIN), hdr.get(header::HOST)) {
        (None, _) => true,
        (Some(o), Some(h)) => {
            let o = o.to_str().unwrap_or("");
            let h = h.to_str().unwrap_or("");
            o == format!("http://{h}") || o == format!("https://{h}")
        }
        (Some(_), None) => false,
    }
}

async fn guard(State(app): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let open = matches!(req.uri().path(), "/healthz" | "/readyz" | "/metrics");
    // Probes and scrapes address the pod by IP or by whatever name the kubelet uses; they
    // reveal nothing, so only the rest is held to the Host check.
    let host = req
        .headers()
        .get(header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    let mut resp = if !open
        && !host_allowed(host.as_deref(), &app.config.host, &app.config.allowed_hosts)
    {
        let mut shown = host.unwrap_or_default();
        shown.truncate(253);
        RequestError::MisdirectedHost(shown).into_response()
    } else if !open && app.token.as_deref().is_some_and(|t| !authorised(&req, t)) {
        RequestError::Unauthorized.into_response()
    } else if req.method() != Method::GET && req.method() != Method::HEAD && !same_origin(&req) {
        RequestError::CrossOrigin.into_response()
    } else {
        next.run(req).await
    };
    let hs = resp.headers_mut();
    hs.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    hs.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    hs.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    hs.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(c) = &app.metrics.requests {
        let class = format!("{}xx", resp.status().as_u16() / 100);
        c.with_label_values(&[route.as_str(), class.as_str()]).inc();
    }
    resp
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// Starts the sources, builds the first snapshot, and serves until Ctrl-C/SIGTERM.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let addr = format!("{}:{}", config.host, config.port);
    let state = AppState::start(config).await?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.clone(),
            source,
        })?;
    let bound = listener.local_addr().map(|a| a.to_string()).unwrap_or(addr);
    state.refresh(true).await;
    state.spawn_refresher();
    for s in &state.snapshot().sources {
        tracing::info!(source = s.kind.as_str(), enabled = s.enabled, reason = %s.reason, "source");
    }
    tracing::info!("pacto dashboard listening on http://{bound}");
    println!("pacto dashboard: http://{bound}");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(ServeError::Serve)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
