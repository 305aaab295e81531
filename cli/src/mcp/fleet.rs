//! `pacto mcp --fleet`: the dashboard library started in-process without a listener
//! (sources, snapshot, refresher), asked through its own router with in-memory GET
//! requests, as `pacto_dashboard::export` renders pages. The fleet tools read its JSON API.

use crate::error::CliError;
use axum::http::StatusCode;
use pacto_dashboard::{AppState, Config, K8sMode, NamespaceScope, router};
use serde_json::Value;
use std::path::PathBuf;

/// Largest API answer read back.
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// The in-process dashboard.
pub struct Fleet {
    app: axum::Router,
    runtime: tokio::runtime::Handle,
}

/// What the dashboard API answered to one GET.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Found(Value),
    /// 404, with the API's message.
    NotFound(String),
}

/// The dashboard configuration for `--fleet` sources: directories and `oci://`
/// repositories, plus the Kubernetes source unless `no_k8s` (auto-detected otherwise).
pub fn config(sources: &[String], no_k8s: bool, namespaces: Option<NamespaceScope>) -> Config {
    let mut c = Config {
        namespaces: namespaces.unwrap_or_default(),
        k8s: if no_k8s { K8sMode::Off } else { K8sMode::Auto },
        ..Config::default()
    };
    for s in sources {
        if s.starts_with("oci://") {
            c.repos.push(s.clone());
        } else {
            c.dirs
                .push(PathBuf::from(s.strip_prefix("file://").unwrap_or(s)));
        }
    }
    c
}

impl Fleet {
    /// Starts the sources and builds the first snapshot; later changes (cluster watches,
    /// edited directories, new tags) are picked up by the dashboard's refresher.
    pub async fn start(config: Config) -> Result<Fleet, CliError> {
        let state = AppState::start(config).await.map_err(|e| {
            CliError::Failed(format!("--fleet: the dashboard could not start: {e}"))
        })?;
        state.refresh(true).await;
        state.spawn_refresher();
        Ok(Fleet {
            app: router(state),
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// GETs `url` (path and query, segments already encoded). Blocks: tools run on
    /// blocking threads, never on the reactor.
    pub fn get(&self, url: &str) -> Result<Answer, String> {
        self.runtime.block_on(fetch(&self.app, url))
    }
}

async fn fetch(app: &axum::Router, url: &str) -> Result<Answer, String> {
    let failed = |detail: String| format!("fleet request {url} failed: {detail}");
    let (status, body) = pacto_dashboard::in_process::get(app, url, MAX_ANSWER_BYTES)
        .await
        .map_err(failed)?;
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match status {
        StatusCode::OK => Ok(Answer::Found(value)),
        StatusCode::NOT_FOUND => Ok(Answer::NotFound(
            value["message"].as_str().unwrap_or("not found").to_string(),
        )),
        s => Err(failed(format!(
            "HTTP {s}: {}",
            value["message"].as_str().unwrap_or_default()
        ))),
    }
}

/// `s` as one URL path segment: everything but RFC 3986 unreserved bytes percent-encoded.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(segment("payments-api"), "payments-api");
        assert_eq!(segment("a/b c?d#é"), "a%2Fb%20c%3Fd%23%C3%A9");
        assert_eq!(segment(".."), "..");
    }

    #[test]
    fn sources_split_into_dirs_and_repos() {
        let c = config(
            &["examples".into(), "oci://127.0.0.1:5000/acme/svc".into()],
            true,
            None,
        );
        assert_eq!(c.dirs, vec![PathBuf::from("examples")]);
        assert_eq!(c.repos, vec!["oci://127.0.0.1:5000/acme/svc".to_string()]);
        assert_eq!(c.k8s, K8sMode::Off);
        assert_eq!(config(&[], false, None).k8s, K8sMode::Auto);
    }

    #[test]
    fn answers_from_the_router_without_a_listener() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let examples = format!("{}/../examples", env!("CARGO_MANIFEST_DIR"));
        let mut c = config(&[examples], true, None);
        c.no_cache = true;
        let fleet = rt.block_on(Fleet::start(c)).unwrap();
        let got = std::thread::scope(|s| {
            s.spawn(|| {
                (
                    fleet.get("/api/services/payments-api"),
                    fleet.get("/api/services/nope"),
                )
            })
            .join()
            .unwrap()
        });
        match got.0.unwrap() {
            Answer::Found(v) => assert_eq!(v["name"], "payments-api"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(got.1.unwrap(), Answer::NotFound(_)));
    }
}
