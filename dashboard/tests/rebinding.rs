//! DNS-rebinding defence and the single-flight refresh, through the real router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, app_with, send};
use std::sync::atomic::Ordering;

fn get_with_host(uri: &str, host: &str) -> Request<Body> {
    Request::get(uri)
        .header("host", host)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_rebound_name_is_refused_with_421_on_pages_and_api() {
    let a = app().await;
    for uri in ["/", "/api/services", "/api/graph", "/assets/app.js"] {
        let r = send(&a.router, get_with_host(uri, "attacker.example:3000")).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{uri}");
        if uri.starts_with("/api") {
            let body = r.json();
            assert_eq!(body["code"], "misdirected_host", "{body}");
            assert!(
                body["message"].as_str().unwrap().contains("--allowed-host"),
                "{body}"
            );
        }
    }
    // A state change through a rebound name is refused before anything runs.
    let post = Request::post("/api/refresh")
        .header("host", "attacker.example:3000")
        .header("origin", "http://attacker.example:3000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&a.router, post).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    assert_eq!(a.state.requested_refreshes.load(Ordering::Acquire), 0);
}

#[tokio::test]
async fn loopback_localhost_and_allowed_names_are_answered() {
    let a = app_with(|c| c.allowed_hosts = vec!["pacto.example.internal".into()]).await;
    for host in [
        "127.0.0.1:3000",
        "localhost:3000",
        "[::1]:3000",
        "pacto.example.internal",
        "pacto.example.internal:443",
    ] {
        let r = send(&a.router, get_with_host("/api/services", host)).await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
    }
    // Probes and scrapes are answered whatever Host the kubelet or Prometheus sends.
    for uri in ["/healthz", "/readyz", "/metrics"] {
        let r = send(&a.router, get_with_host(uri, "pacto-dashboard-7d9f:3000")).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn concurrent_refresh_requests_share_one_refresh() {
    let a = app().await;
    let post = || {
        Request::post("/api/refresh")
            .header("host", "127.0.0.1:3000")
            .body(Body::empty())
            .unwrap()
    };
    // Hold the gate so all 8 calls are queued before the first can run: without the
    // single-flight rule each would run its own rescan once it gets the gate.
    let gate = a.state.hold_refresh_gate().await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let (router, req) = (a.router.clone(), post());
            tokio::spawn(async move { send(&router, req).await.status })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(a.state.requested_refreshes.load(Ordering::Acquire), 0);
    drop(gate);
    for call in calls {
        assert_eq!(call.await.unwrap(), StatusCode::OK);
    }
    let ran = a.state.requested_refreshes.load(Ordering::Acquire);
    assert_eq!(ran, 1, "{ran} refreshes for 8 concurrent calls");
    // A later request, alone, runs its own.
    assert_eq!(send(&a.router, post()).await.status, StatusCode::OK);
    assert_eq!(a.state.requested_refreshes.load(Ordering::Acquire), ran + 1);
}

#[tokio::test]
async fn refresh_requires_the_token_when_one_is_set() {
    let t = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(t.path(), "s3cret\n").unwrap();
    let a = app_with(|c| c.token_file = Some(t.path().to_path_buf())).await;
    let post = |auth: Option<&str>| {
        let mut b = Request::post("/api/refresh").header("host", "127.0.0.1:3000");
        if let Some(v) = auth {
            b = b.header("authorization", v);
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&a.router, post(None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(a.state.requested_refreshes.load(Ordering::Acquire), 0);
    assert_eq!(
        send(&a.router, post(Some("Bearer s3cret"))).await.status,
        StatusCode::OK
    );
    assert_eq!(a.state.requested_refreshes.load(Ordering::Acquire), 1);
}
