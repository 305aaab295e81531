//! Against small hostile HTTP servers started here on loopback: answers too large are refused
//! while they stream (memory stays small), the Bearer token flow works, and credentials never
//! follow a redirect to another host (127.0.0.2 is another loopback host on Linux).

mod support;

use std::sync::{Arc, Mutex};

use pacto_oci::{OciError, RegistryClient};
use support::fake::{Reply, bounded, peak_rss_kib, serve, whole};
use support::{client_with, oref};

fn anon() -> RegistryClient {
    client_with(&[])
}

#[tokio::test]
async fn an_endless_manifest_is_refused_while_it_streams() {
    let before = peak_rss_kib();
    for claimed in [Some(2u64 << 30), None] {
        let (addr, _) = serve("127.0.0.1", move |_| {
            let length = claimed
                .map(|n| format!("Content-Length: {n}\r\n"))
                .unwrap_or_default();
            Reply::Endless(format!(
                "HTTP/1.1 200 OK\r\nConnection: close\r\n{length}Content-Type: \
                 application/vnd.oci.image.manifest.v1+json\r\n\r\n"
            ))
        })
        .await;
        let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
        match bounded(anon().pull(&r)).await {
            Err(e @ OciError::InvalidArtifact { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("4194304") && msg.contains(&r.to_string()),
                    "{msg}"
                );
            }
            other => panic!("expected a too-large manifest, got {other:?}"),
        }
    }
    let grown = peak_rss_kib().saturating_sub(before);
    assert!(grown < 512 * 1024, "peak RSS grew by {grown} KiB");
}

#[tokio::test]
async fn an_endless_tag_list_and_error_body_are_capped() {
    let (addr, _) = serve("127.0.0.1", |head| {
        if head.contains("/tags/list") {
            Reply::Endless("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"tags\":[\"".into())
        } else {
            Reply::Endless("HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\n\u{1b}[2J".into())
        }
    })
    .await;
    let untagged = oref(&format!("oci://{addr}/acme/svc"));
    match bounded(anon().list_tags(&untagged)).await {
        Err(OciError::TooLarge { what, limit, .. }) => {
            assert_eq!(
                (what, limit),
                ("tag list", pacto_oci::client::MAX_TAG_LIST_BYTES)
            );
        }
        other => panic!("expected a too-large tag list, got {other:?}"),
    }
    let tagged = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match bounded(anon().pull(&tagged)).await {
        Err(e @ OciError::Registry { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("HTTP 500") && msg.len() < 2048, "{msg}");
            assert!(!msg.chars().any(char::is_control), "{msg:?}");
        }
        other => panic!("expected a registry error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_endless_token_reply_is_refused() {
    let realm: Arc<Mutex<String>> = Arc::default();
    let realm_in = realm.clone();
    let (addr, _) = serve("127.0.0.1", move |head| {
        if head.starts_with("get /token") {
            Reply::Endless("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"token\":\"".into())
        } else {
            let realm = realm_in.lock().map(|r| r.clone()).unwrap_or_default();
            let challenge = format!("WWW-Authenticate: Bearer realm=\"{realm}\",service=\"x\"");
            whole("401 Unauthorized", &[&challenge], "")
        }
    })
    .await;
    if let Ok(mut r) = realm.lock() {
        *r = format!("http://{addr}/token");
    }
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match bounded(anon().pull(&r)).await {
        Err(OciError::TooLarge { what, limit, .. }) => {
            assert_eq!(
                (what, limit),
                ("token reply", pacto_oci::client::MAX_TOKEN_REPLY_BYTES)
            );
        }
        other => panic!("expected a too-large token reply, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plain_http_realm_on_a_public_host_is_refused() {
    let (addr, seen) = serve("127.0.0.1", |_| {
        whole(
            "401 Unauthorized",
            &["WWW-Authenticate: Bearer realm=\"http://auth.example.com/token\""],
            "",
        )
    })
    .await;
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match bounded(anon().pull(&r)).await {
        Err(e @ OciError::Refused { .. }) => {
            assert!(e.to_string().contains("plain HTTP"), "{e}");
        }
        other => panic!("expected a refused realm, got {other:?}"),
    }
    assert_eq!(seen.lock().map(|s| s.len()).unwrap_or(0), 1);
}

#[tokio::test]
async fn the_token_flow_works_and_credentials_never_follow_a_redirect_elsewhere() {
    // The other host: records what arrives, has nothing.
    let (storage, storage_seen) = serve("127.0.0.2", |_| whole("404 Not Found", &[], "{}")).await;
    let registry_addr: Arc<Mutex<String>> = Arc::default();
    let addr_in = registry_addr.clone();
    let (registry, registry_seen) = serve("127.0.0.1", move |head| {
        let me = addr_in.lock().map(|a| a.clone()).unwrap_or_default();
        if head.starts_with("get /token") {
            // user:secret
            if head.contains("authorization: basic dxnlcjpzzwnyzxq=") {
                whole("200 OK", &[], r#"{"token":"tok-1"}"#)
            } else {
                whole("401 Unauthorized", &[], "bad credentials")
            }
        } else if head.contains("authorization: bearer tok-1") {
            let to = format!("Location: http://{storage}/blobs/manifest?sig=1");
            whole("307 Temporary Redirect", &[&to], "")
        } else {
            let challenge = format!(
                "WWW-Authenticate: Bearer realm=\"http://{me}/token\",service=\"fake\",\
                 scope=\"repository:acme/svc:pull\""
            );
            whole("401 Unauthorized", &[&challenge], "")
        }
    })
    .await;
    if let Ok(mut a) = registry_addr.lock() {
        *a = registry.clone();
    }
    let client = client_with(&[
        ("PACTO_REGISTRY_USERNAME", "user"),
        ("PACTO_REGISTRY_PASSWORD", "secret"),
        ("PACTO_REGISTRY_HOST", &registry),
    ]);
    let r = oref(&format!("oci://{registry}/acme/svc:1.0.0"));
    match bounded(client.pull(&r)).await {
        Err(OciError::NotFound { .. }) => {}
        other => panic!("expected the storage host's 404, got {other:?}"),
    }
    let registry_seen = registry_seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(
        registry_seen
            .iter()
            .any(|h| h.starts_with("get /token?scope=repository%3aacme%2fsvc%3apull&service=fake")),
        "{registry_seen:?}"
    );
    assert!(
        registry_seen
            .iter()
            .any(|h| h.contains("/manifests/1.0.0") && h.contains("bearer tok-1")),
        "{registry_seen:?}"
    );
    let storage_seen = storage_seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(storage_seen.len(), 1, "{storage_seen:?}");
    assert!(
        storage_seen.iter().all(|h| !h.contains("authorization")),
        "credentials followed the redirect: {storage_seen:?}"
    );
}

#[tokio::test]
async fn login_checks_credentials_with_the_token_service() {
    let realm: Arc<Mutex<String>> = Arc::default();
    let realm_in = realm.clone();
    let (addr, _) = serve("127.0.0.1", move |head| {
        if head.starts_with("get /token") {
            // user:secret
            if head.contains("authorization: basic dxnlcjpzzwnyzxq=") {
                whole("200 OK", &[], r#"{"access_token":"tok"}"#)
            } else {
                whole("401 Unauthorized", &[], "\u{1b}[31mwrong password")
            }
        } else {
            let realm = realm_in.lock().map(|r| r.clone()).unwrap_or_default();
            let challenge = format!("WWW-Authenticate: Bearer realm=\"{realm}\",service=\"x\"");
            whole("401 Unauthorized", &[&challenge], "")
        }
    })
    .await;
    if let Ok(mut r) = realm.lock() {
        *r = format!("http://{addr}/token");
    }
    let c = anon();
    assert!(
        bounded(c.verify_credentials(&addr, "user", "secret"))
            .await
            .is_ok()
    );
    match bounded(c.verify_credentials(&addr, "user", "nope")).await {
        Err(e @ OciError::Auth { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("401") && !msg.chars().any(char::is_control),
                "{msg:?}"
            );
        }
        other => panic!("expected refused credentials, got {other:?}"),
    }
}

#[tokio::test]
async fn redirects_to_plain_http_elsewhere_and_redirect_loops_are_refused() {
    let (addr, _) = serve("127.0.0.1", |head| {
        if head.contains("/loop/") {
            whole("302 Found", &["Location: /v2/loop/svc/manifests/1.0.0"], "")
        } else {
            whole(
                "307 Temporary Redirect",
                &["Location: http://203.0.113.7/m"],
                "",
            )
        }
    })
    .await;
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match bounded(anon().pull(&r)).await {
        Err(e @ OciError::Refused { .. }) => assert!(e.to_string().contains("plain HTTP"), "{e}"),
        other => panic!("expected a refused redirect, got {other:?}"),
    }
    let r = oref(&format!("oci://{addr}/loop/svc:1.0.0"));
    match bounded(anon().pull(&r)).await {
        Err(e @ OciError::Refused { .. }) => assert!(e.to_string().contains("redirects"), "{e}"),
        other => panic!("expected a refused redirect loop, got {other:?}"),
    }
}
