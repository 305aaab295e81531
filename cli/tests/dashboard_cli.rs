//! `pacto dashboard` through the real binary: served over examples/, read over TCP, killed.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Minimal HTTP/1.1 GET: (status code, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    get_with(port, path, "")
}

/// GET with extra header lines (each ending in `\r\n`).
fn get_with(port: u16, path: &str, headers: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, body.to_string()))
}

#[test]
fn dashboard_serves_the_examples() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cache = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("dashboard")
        .arg(repo.join("examples"))
        .args(["--host", "127.0.0.1", "--diagnostics"])
        // The port and the k8s switch through their environment variables.
        .env("PACTO_DASHBOARD_PORT", port.to_string())
        .env("PACTO_DASHBOARD_NO_K8S", "1")
        .env("PACTO_CACHE_DIR", cache.path())
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pacto dashboard");
    let mut child = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok((200, _)) = get(port, "/readyz") {
            break;
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("pacto dashboard exited early: {status}");
        }
        assert!(Instant::now() < deadline, "not ready after 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (code, body) = get(port, "/api/services").unwrap();
    assert_eq!(code, 200, "{body}");
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "order-processor",
            "payments-api",
            "platform-policy",
            "postgresql",
            "product-catalog",
            "report-generator",
            "user-service"
        ]
    );
    let pc = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "product-catalog")
        .unwrap();
    assert_eq!(pc["versionCount"], 2, "{pc}");
    assert_eq!(pc["sources"], serde_json::json!(["local"]), "{pc}");
    // --diagnostics is on: the debug endpoints are served.
    let (code, body) = get(port, "/api/debug/sources").unwrap();
    assert_eq!(code, 200, "{body}");
    let (code, _) = get(port, "/").unwrap();
    assert_eq!(code, 200);
    child.0.kill().unwrap();
    child.0.wait().unwrap();
}

#[test]
fn dashboard_token_file_protects_it() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret-token\n").unwrap();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("dashboard")
        .arg(repo.join("examples/postgresql"))
        .args(["--port", &port.to_string(), "--no-k8s"])
        .env("PACTO_DASHBOARD_TOKEN_FILE", &token)
        .env("PACTO_CACHE_DIR", dir.path().join("cache"))
        .env_remove("KUBECONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pacto dashboard");
    let mut child = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    // /readyz stays open so probes work without the token.
    while !matches!(get(port, "/readyz"), Ok((200, _))) {
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("pacto dashboard exited early: {status}");
        }
        assert!(Instant::now() < deadline, "not ready after 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(get(port, "/api/services").unwrap().0, 401);
    assert_eq!(get(port, "/").unwrap().0, 401);
    let wrong = get_with(port, "/api/services", "Authorization: Bearer nope\r\n").unwrap();
    assert_eq!(wrong.0, 401, "{}", wrong.1);
    let (code, body) = get_with(
        port,
        "/api/services",
        "Authorization: Bearer s3cret-token\r\n",
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("postgresql"), "{body}");
    assert!(!body.contains("s3cret"), "{body}");
}
