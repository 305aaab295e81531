//! The operator's default registry credentials (PACTO_REGISTRY_*) never reach a registry a
//! Pacto names unless that host is listed in PACTO_REGISTRY_HOST: whoever may edit a Pacto
//! must not be able to collect them with a server of their own.

mod cluster;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cluster::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A fake registry on another loopback address that records every request head and answers
/// 401 with a Basic challenge (so a client holding credentials would send them on retry).
struct Recorder {
    host: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.2:0")
            .await
            .expect("bind 127.0.0.2");
        let host = listener.local_addr().expect("addr").to_string();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 16 * 1024];
                    let mut head = Vec::new();
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
                        match sock.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    if let Ok(mut v) = seen.lock() {
                        v.push(String::from_utf8_lossy(&head).to_ascii_lowercase());
                    }
                    let body = r#"{"errors":[{"code":"UNAUTHORIZED","message":"auth required"}]}"#;
                    let reply = format!(
                        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"trap\"\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(reply.as_bytes()).await;
                });
            }
        });
        Self { host, heads }
    }

    fn requests(&self) -> usize {
        self.heads.lock().map(|v| v.len()).unwrap_or(0)
    }

    fn saw_authorization(&self) -> bool {
        self.heads
            .lock()
            .map(|v| v.iter().any(|h| h.contains("\r\nauthorization:")))
            .unwrap_or(false)
    }
}

async fn wait_for_requests(rec: &Recorder, at_least: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while rec.requests() < at_least && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn default_credentials_go_only_to_listed_hosts() {
    let Some(w) = World::new("op-creds").await else {
        return;
    };
    let trap = Recorder::start().await;
    let creds = [
        ("PACTO_REGISTRY_USERNAME", "operator-bot"),
        ("PACTO_REGISTRY_PASSWORD", "operator-secret"),
    ];

    // No PACTO_REGISTRY_HOST: a Pacto pointing at the trap gets an anonymous request only.
    let op = Operator::start_with_env(&w, &[], &creds);
    w.apply(pacto(
        "leak",
        serde_json::json!({"oci": format!("{}/team/svc:1.0.0", trap.host)}),
        None,
    ))
    .await;
    wait_for_requests(&trap, 1).await;
    // Let the retries (1-2 s backoff in the harness) hit the trap a few more times.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(trap.requests() >= 1, "the operator never asked the trap");
    assert!(
        !trap.saw_authorization(),
        "credentials reached an unlisted host: {:?}",
        trap.heads.lock().map(|v| v.clone()).unwrap_or_default()
    );
    assert!(
        op.logs().contains("PACTO_REGISTRY_HOST is not"),
        "no startup warning about unscoped credentials"
    );
    drop(op);

    // Control: the same credentials with the trap listed are sent there, so the check above
    // would have seen them.
    let listed = [
        creds[0],
        creds[1],
        ("PACTO_REGISTRY_HOST", trap.host.as_str()),
    ];
    let before = trap.requests();
    let op = Operator::start_with_env(&w, &[], &listed);
    w.apply(pacto(
        "listed",
        serde_json::json!({"oci": format!("{}/team/svc:2.0.0", trap.host)}),
        None,
    ))
    .await;
    wait_for_requests(&trap, before + 2).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !trap.saw_authorization() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        trap.saw_authorization(),
        "listed host never received the credentials (log: {})",
        op.logs()
    );
    drop(op);
    w.cleanup().await;
}
