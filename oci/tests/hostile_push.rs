//! Pushes against small hostile HTTP servers on loopback: error answers and token replies are
//! read under the same caps as reads, a push asks its token service for `pull,push` (and a
//! pull-only token is never reused for one), an upload sent to another host (127.0.0.2 is
//! another loopback host on Linux) goes without the registry's credentials, and the digest the
//! registry reports for the manifest must be the one sent.

mod support;

use std::sync::Arc;
use std::time::Duration;

use pacto_core::oci_ref::OciRef;
use pacto_oci::{OciError, PushResult, RegistryClient};
use support::fake::{Later, Reply, bounded, get, peak_rss_kib, seen, serve, set, whole};
use support::{client_with, client_within, oref, sized_bundle};

/// Large enough that reading it whole shows in the peak RSS; small enough to be safe if it is.
const HUGE: u64 = 128 << 20;

async fn push(c: &RegistryClient, r: &OciRef) -> Result<PushResult, OciError> {
    bounded(c.push(r, &sized_bundle("svc", "1.0.0", 256))).await
}

/// `WWW-Authenticate` naming the token service at `http://{addr}/token`.
fn bearer_challenge(addr: &str) -> String {
    format!("WWW-Authenticate: Bearer realm=\"http://{addr}/token\",service=\"fake\"")
}

#[tokio::test]
async fn a_huge_upload_error_body_is_capped_and_the_error_names_the_operation() {
    let before = peak_rss_kib();
    let (addr, _) = serve("127.0.0.1", |head| {
        if head.starts_with("head ") {
            whole("404 Not Found", &[], "")
        } else {
            Reply::Streamed(
                "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n\u{1b}[2J".into(),
                HUGE,
            )
        }
    })
    .await;
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    let client = client_within(&[], Duration::from_secs(10));
    match push(&client, &r).await {
        Err(e @ OciError::Registry { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("HTTP 500")
                    && msg.contains("starting the upload of blob sha256:")
                    && msg.contains(&r.to_string()),
                "{msg}"
            );
            assert!(msg.len() < 2048, "{} bytes: {msg}", msg.len());
            assert!(!msg.chars().any(char::is_control), "{msg:?}");
        }
        other => panic!("expected a registry error, got {other:?}"),
    }
    let grown = peak_rss_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "peak RSS grew by {grown} KiB");
}

#[tokio::test]
async fn an_oversized_token_reply_during_a_push_is_refused() {
    let me: Later = Arc::default();
    let me_in = me.clone();
    let (addr, _) = serve("127.0.0.1", move |head| {
        if head.starts_with("get /token") {
            let head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"token\":\"";
            Reply::Streamed(head.into(), HUGE)
        } else {
            whole("401 Unauthorized", &[&bearer_challenge(&get(&me_in))], "")
        }
    })
    .await;
    set(&me, &addr);
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match push(&client_with(&[]), &r).await {
        Err(e @ OciError::TooLarge { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("token reply") && msg.contains("limit of 65536 bytes"),
                "{msg}"
            );
        }
        other => panic!("expected a too-large token reply, got {other:?}"),
    }
}

#[tokio::test]
async fn a_push_asks_for_pull_and_push_and_never_reuses_a_pull_token() {
    let me: Later = Arc::default();
    let me_in = me.clone();
    let (addr, log) = serve("127.0.0.1", move |head| {
        if head.starts_with("get /token") {
            let token = if head.contains("%3apull%2cpush&") {
                "tok-push"
            } else {
                "tok-pull"
            };
            return whole("200 OK", &[], &format!("{{\"token\":\"{token}\"}}"));
        }
        let writes = head.starts_with("post ") || head.starts_with("put ");
        if head.contains("authorization: bearer tok-pull") && writes {
            let denied = r#"{"errors":[{"code":"DENIED","message":"push needs a push token"}]}"#;
            return whole("403 Forbidden", &[], denied);
        }
        if !head.contains("authorization: bearer tok-") {
            return whole("401 Unauthorized", &[&bearer_challenge(&get(&me_in))], "");
        }
        let line = head.lines().next().unwrap_or_default();
        if line.starts_with("head /v2/acme/svc/blobs/sha256:") {
            whole("404 Not Found", &[], "")
        } else if line.starts_with("get /v2/acme/svc/manifests/1.0.0 ") {
            let unknown = r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"none"}]}"#;
            whole("404 Not Found", &[], unknown)
        } else if line == "post /v2/acme/svc/blobs/uploads/ http/1.1" {
            let at = "Location: /v2/acme/svc/blobs/uploads/u-1?state=s1";
            whole("202 Accepted", &[at], "")
        } else if line.starts_with("put /v2/acme/svc/blobs/uploads/u-1?state=s1&digest=sha256%3a")
            || line == "put /v2/acme/svc/manifests/1.0.0 http/1.1"
        {
            whole("201 Created", &[], "")
        } else {
            whole("400 Bad Request", &[], "unexpected request")
        }
    })
    .await;
    set(&me, &addr);
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    let client = client_with(&[]);
    // A pull first: its token (pull scope) is remembered for reads only.
    match bounded(client.pull(&r)).await {
        Err(OciError::NotFound { .. }) => {}
        other => panic!("expected not found, got {other:?}"),
    }
    let pushed = push(&client, &r).await;
    let heads = seen(&log);
    let pushed = pushed.unwrap_or_else(|e| panic!("push: {e}; saw {heads:#?}"));
    assert_eq!(pushed.reference, r);
    assert!(
        heads
            .iter()
            .any(|h| h.starts_with("get /token?scope=repository%3aacme%2fsvc%3apull%2cpush&")),
        "{heads:#?}"
    );
    assert!(
        heads
            .iter()
            .any(|h| h.starts_with("put /v2/acme/svc/manifests/1.0.0 ")
                && h.contains("content-type: application/vnd.oci.image.manifest.v1+json")
                && h.contains("authorization: bearer tok-push")),
        "{heads:#?}"
    );
    let uploads = heads
        .iter()
        .filter(|h| h.starts_with("put /v2/acme/svc/blobs/uploads/"))
        .count();
    assert_eq!(uploads, 2, "layer and config: {heads:#?}");
}

#[tokio::test]
async fn an_upload_location_on_another_host_gets_no_credentials() {
    let (storage, storage_log) = serve("127.0.0.2", |head| {
        if head.starts_with("put /upload/") {
            whole("201 Created", &[], "")
        } else {
            whole("400 Bad Request", &[], "")
        }
    })
    .await;
    let (registry, registry_log) = serve("127.0.0.1", move |head| {
        // user:secret
        if !head.contains("authorization: basic dxnlcjpzzwnyzxq=") {
            return whole(
                "401 Unauthorized",
                &["WWW-Authenticate: Basic realm=\"x\""],
                "",
            );
        }
        let line = head.lines().next().unwrap_or_default();
        if line.starts_with("head ") {
            whole("404 Not Found", &[], "")
        } else if line.starts_with("post /v2/acme/svc/blobs/uploads/ ") {
            let at = format!("Location: http://{storage}/upload/u-1?sig=s1");
            whole("202 Accepted", &[&at], "")
        } else if line.starts_with("post /v2/far/svc/blobs/uploads/ ") {
            whole(
                "202 Accepted",
                &["Location: http://203.0.113.7/upload/u-2"],
                "",
            )
        } else if line.starts_with("put /v2/acme/svc/manifests/1.0.0 ") {
            whole("201 Created", &[], "")
        } else {
            whole("400 Bad Request", &[], "")
        }
    })
    .await;
    let client = client_with(&[
        ("PACTO_REGISTRY_USERNAME", "user"),
        ("PACTO_REGISTRY_PASSWORD", "secret"),
        ("PACTO_REGISTRY_HOST", &registry),
    ]);
    let r = oref(&format!("oci://{registry}/acme/svc:1.0.0"));
    if let Err(e) = push(&client, &r).await {
        let (reg, sto) = (seen(&registry_log), seen(&storage_log));
        panic!("push: {e}; registry saw {reg:#?}, storage saw {sto:#?}");
    }
    let stored = seen(&storage_log);
    assert_eq!(stored.len(), 2, "layer and config: {stored:#?}");
    for h in &stored {
        assert!(
            h.starts_with("put /upload/u-1?sig=s1&digest=sha256%3a"),
            "{h}"
        );
        assert!(!h.contains("authorization"), "credentials went along: {h}");
    }
    // Plain HTTP to a host that is neither loopback nor listed: refused before any request.
    let far = oref(&format!("oci://{registry}/far/svc:1.0.0"));
    match push(&client, &far).await {
        Err(e @ OciError::Refused { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("plain HTTP") && msg.contains("upload"),
                "{msg}"
            );
        }
        other => panic!("expected a refused upload location, got {other:?}"),
    }
}

#[tokio::test]
async fn a_manifest_digest_the_registry_disagrees_with_is_an_error() {
    let zeros = format!("Docker-Content-Digest: sha256:{}", "0".repeat(64));
    let (addr, _) = serve("127.0.0.1", move |head| {
        let line = head.lines().next().unwrap_or_default();
        if line.starts_with("head ") {
            // Both blobs are already there: nothing to upload.
            whole("200 OK", &[], "")
        } else if line.starts_with("put /v2/acme/svc/manifests/") {
            whole("201 Created", &[&zeros], "")
        } else {
            whole("400 Bad Request", &[], "")
        }
    })
    .await;
    let r = oref(&format!("oci://{addr}/acme/svc:1.0.0"));
    match push(&client_with(&[]), &r).await {
        Err(e @ OciError::Registry { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("digest") && msg.contains(&"0".repeat(64)),
                "{msg}"
            );
        }
        other => panic!("expected a digest mismatch, got {other:?}"),
    }
}
