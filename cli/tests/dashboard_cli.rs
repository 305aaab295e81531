//! `pacto dashboard` through the real binary: served over examples/, read over TCP, killed.

#[path = "dash/http.rs"]
mod http;

use http::{KillOnDrop, free_port, request, request_with, wait_ready_within};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    request(port, "GET", path)
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
    wait_ready_within(&mut child, port, Duration::from_secs(60));
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
            "inventory-grpc",
            "ledger-api",
            "nightly-export",
            "order-processor",
            "payments-api",
            "platform-policy",
            "postgresql",
            "product-catalog",
            "report-generator",
            "shipment-events",
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
    // /readyz stays open so probes work without the token.
    wait_ready_within(&mut child, port, Duration::from_secs(60));
    assert_eq!(get(port, "/api/services").unwrap().0, 401);
    assert_eq!(get(port, "/").unwrap().0, 401);
    let wrong = request_with(
        port,
        "GET",
        "/api/services",
        "Authorization: Bearer nope\r\n",
    )
    .unwrap();
    assert_eq!(wrong.0, 401, "{}", wrong.1);
    let (code, body) = request_with(
        port,
        "GET",
        "/api/services",
        "Authorization: Bearer s3cret-token\r\n",
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("postgresql"), "{body}");
    assert!(!body.contains("s3cret"), "{body}");
}
