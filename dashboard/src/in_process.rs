//! Requests to the dashboard's router without a listener: `pacto doc --html` renders its pages
//! this way and `pacto mcp --fleet` reads its API. The Host guard admits loopback, and no token
//! is configured in-process.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

/// GETs `url` (path and query, segments already encoded); the body is read up to `max_bytes`.
/// The error text says what failed, for the caller to put in its own error.
pub async fn get(app: &Router, url: &str, max_bytes: usize) -> Result<(StatusCode, Bytes), String> {
    let req = Request::get(url)
        .header("host", "127.0.0.1")
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let res = app.clone().oneshot(req).await.map_err(|e| e.to_string())?;
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), max_bytes)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}
