//! Streamable HTTP transport at `/mcp` on 127.0.0.1. Like the dashboard, only requests
//! addressed to a loopback name are answered (DNS-rebinding defence: other `Host` values
//! get 421), and a browser `Origin` must be loopback too (else 403). Bodies are capped.

use super::server::PactoServer;
use super::{Context, MAX_MESSAGE_BYTES};
use crate::error::CliError;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pacto_dashboard::host_guard::{host_allowed, host_name};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::net::IpAddr;
use std::sync::Arc;

const BIND: &str = "127.0.0.1";

pub fn router(ctx: Arc<Context>) -> axum::Router {
    // The Host check below is ours (421, the dashboard's rule); the SDK's own is disabled.
    let config = StreamableHttpServerConfig::default()
        .with_max_request_body_bytes(MAX_MESSAGE_BYTES)
        .disable_allowed_hosts();
    let service = StreamableHttpService::new(
        move || Ok(PactoServer::new(ctx.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    axum::Router::new()
        .route_service("/mcp", service)
        .layer(axum::middleware::from_fn(guard))
}

pub async fn serve(ctx: Arc<Context>, port: u16) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind((BIND, port))
        .await
        .map_err(|e| CliError::Failed(format!("cannot listen on {BIND}:{port}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    eprintln!("pacto mcp: Streamable HTTP on http://{addr}/mcp");
    axum::serve(listener, router(ctx))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| CliError::Failed(format!("mcp http: {e}")))
}

async fn guard(req: Request, next: Next) -> Response {
    match refusal(&req) {
        Some(r) => r,
        None => next.run(req).await,
    }
}

fn refusal(req: &Request) -> Option<Response> {
    let host = req
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    if !host_allowed(host, BIND, &[]) || host.is_some_and(|h| !loopback(&host_name(h))) {
        return Some((StatusCode::MISDIRECTED_REQUEST, "unknown Host\n").into_response());
    }
    if let Some(origin) = req.headers().get(header::ORIGIN)
        && !origin.to_str().ok().is_some_and(origin_allowed)
    {
        return Some((StatusCode::FORBIDDEN, "cross-origin request refused\n").into_response());
    }
    None
}

/// The server binds loopback only, so only loopback names address it.
fn loopback(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `http(s)://<loopback>[:port]`.
fn origin_allowed(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    !rest.contains('/') && loopback(&host_name(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_origins_pass() {
        assert!(origin_allowed("http://localhost:3000"));
        assert!(origin_allowed("http://127.0.0.1:8585"));
        assert!(origin_allowed("https://[::1]:8585"));
        assert!(!origin_allowed("https://evil.example"));
        assert!(!origin_allowed("http://10.0.0.1"));
        assert!(!origin_allowed("null"));
        assert!(loopback("app.localhost"));
        assert!(!loopback("rebind.example"));
    }
}
