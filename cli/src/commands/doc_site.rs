//! `pacto doc --html DIR` / `--serve`: the dashboard's pages for this bundle as static
//! files, written to a directory or served on loopback.

use crate::commands::doc_files::{bundle_dir, write_error};
use crate::error::CliError;
use crate::load::Loaded;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The rendered page set, by relative path.
pub struct Site {
    files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn write_to(&self, dir: &Path) -> Result<(), CliError> {
        for (rel, bytes) in &self.files {
            let file = dir.join(rel);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            std::fs::write(&file, bytes).map_err(|e| write_error(&file, e))?;
        }
        Ok(())
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))
}

pub fn build(loaded: &Loaded, service: &str, markdown: &str) -> Result<Site, CliError> {
    let (dir, _tmp) = bundle_dir(loaded)?;
    let files = runtime()?
        .block_on(pacto_dashboard::export::static_site(dir, service, markdown))
        .map_err(|e| CliError::Failed(format!("doc: {e}")))?;
    Ok(Site {
        files: files.into_iter().collect(),
    })
}

/// Serves the site on 127.0.0.1:`port` until the process is stopped.
pub fn serve(site: Site, port: u16) -> Result<(), CliError> {
    let site = Arc::new(site);
    runtime()?.block_on(async move {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::Failed(format!("cannot listen on {addr}: {e}")))?;
        eprintln!("Serving the docs on http://{addr}/ (Ctrl-C stops)");
        let app = axum::Router::new().fallback(page).with_state(site);
        axum::serve(listener, app)
            .await
            .map_err(|e| CliError::Failed(format!("doc server: {e}")))
    })
}

async fn page(State(site): State<Arc<Site>>, req: Request) -> Response {
    // Loopback names only: a rebound DNS name gets nothing (as the dashboard does).
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !pacto_dashboard::host_guard::host_allowed(host, "127.0.0.1", &[]) {
        return (StatusCode::MISDIRECTED_REQUEST, "unknown host\n").into_response();
    }
    let path = req.uri().path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    match site.files.get(path) {
        Some(bytes) => {
            let kind = if path.ends_with(".css") {
                "text/css; charset=utf-8"
            } else {
                "text/html; charset=utf-8"
            };
            (
                [
                    (header::CONTENT_TYPE, kind),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        pacto_dashboard::server::CSP,
                    ),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                bytes.clone(),
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}
