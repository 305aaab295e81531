//! Shared fixture: the repository's examples plus hostile and cross-referencing
//! contracts in one local directory, served by the real router.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use pacto_dashboard::{AppState, Config, K8sMode, router};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// `examples/*` (without the k8s manifests) and `tests/fixtures/*`.
pub fn fixture_dir() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for src in [root.join("../examples"), root.join("tests/fixtures")] {
        for e in std::fs::read_dir(&src).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() && e.file_name() != "k8s" {
                copy_dir(&e.path(), &t.path().join(e.file_name()));
            }
        }
    }
    t
}

pub struct App {
    pub dir: tempfile::TempDir,
    pub state: Arc<AppState>,
    pub router: Router,
}

pub async fn app_with(f: impl FnOnce(&mut Config)) -> App {
    let dir = fixture_dir();
    let mut c = Config {
        dirs: vec![dir.path().to_path_buf()],
        k8s: K8sMode::Off,
        no_cache: true,
        ..Config::default()
    };
    f(&mut c);
    let state = AppState::start(c).await.unwrap();
    state.refresh(true).await;
    App {
        router: router(state.clone()),
        dir,
        state,
    }
}

pub async fn app() -> App {
    app_with(|_| {}).await
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

pub async fn send(r: &Router, req: Request<Body>) -> Resp {
    let res = r.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

pub async fn get(r: &Router, uri: &str) -> Resp {
    send(r, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub fn path_of(t: &tempfile::TempDir, rel: &str) -> PathBuf {
    t.path().join(rel)
}
