//! `pacto status` against the real local control plane (`e2e/controlplane/cluster.sh`): Pactos
//! applied, their status written through the status subresource, then listed by the binary.
//! `PACTO_E2E_KUBECONFIG` selects an already running control plane.

mod cluster;
use cluster::{client, install_crds};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{DeleteParams, Patch, PatchParams};
use kube::{Api, Client};
use pacto_crds::Pacto;

const MANAGER: &str = "pacto-cli-tests";

async fn namespace(client: &Client, name: &str) {
    let ns: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
    Api::<Namespace>::all(client.clone())
        .patch(name, &PatchParams::apply(MANAGER), &Patch::Apply(&ns))
        .await
        .unwrap();
}

fn condition(kind: &str, status: &str) -> serde_json::Value {
    serde_json::json!({"type": kind, "status": status, "reason": "Checked", "message": "",
        "lastTransitionTime": "2026-01-01T00:00:00Z"})
}

/// A Pacto with an inline contract, and its status written server-side through /status.
async fn pacto(client: &Client, ns: &str, name: &str, status: serde_json::Value) {
    let api: Api<Pacto> = Api::namespaced(client.clone(), ns);
    let obj = serde_json::json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"contractRef": {"inline": "pactoVersion: \"1.0\"\n"}}
    });
    let pp = PatchParams::apply(MANAGER).force();
    api.patch(name, &pp, &Patch::Apply(&obj)).await.unwrap();
    let st = serde_json::json!({
        "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
        "metadata": {"name": name, "namespace": ns},
        "status": status
    });
    api.patch_status(name, &pp, &Patch::Apply(&st))
        .await
        .unwrap();
}

fn pacto_status(kubeconfig: &Path, args: &[&str]) -> (String, String, i32, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("status")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env_remove("PACTO_OUTPUT_FORMAT")
        .output()
        .expect("run pacto");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
        start.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn status_lists_pactos_of_the_cluster() {
    let kubeconfig = tokio::task::spawn_blocking(|| cluster::control_plane("pacto-cli"))
        .await
        .unwrap();
    let client = client(&kubeconfig).await;
    install_crds(&client, MANAGER).await;
    let pid = std::process::id();
    let (ns1, ns2) = (format!("st-a-{pid}"), format!("st-b-{pid}"));
    namespace(&client, &ns1).await;
    namespace(&client, &ns2).await;
    pacto(
        &client,
        &ns1,
        "orders",
        serde_json::json!({
            "contractStatus": "NonCompliant", "contractVersion": "1.4.0",
            "summary": {"total": 5, "passed": 3, "failed": 2},
            "conditions": [condition("ServiceExists", "True"), condition("PortsMatch", "False"),
                condition("WorkloadExists", "False"), condition("Ready", "False")]
        }),
    )
    .await;
    pacto(
        &client,
        &ns2,
        "payments",
        serde_json::json!({
            "contractStatus": "Compliant", "contractVersion": "2.0.1",
            "summary": {"total": 4, "passed": 4, "failed": 0},
            "conditions": [condition("ServiceExists", "True"), condition("Ready", "True")]
        }),
    )
    .await;

    // -A: both, in namespace order (other tests' Pactos may share a reused control plane).
    let (out, err, code, _) = pacto_status(&kubeconfig, &["-A"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("NAMESPACE") && lines[0].ends_with("FAILING"),
        "{out}"
    );
    let ours: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| l.starts_with(&ns1) || l.starts_with(&ns2))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        ours,
        vec![
            vec![
                ns1.as_str(),
                "orders",
                "NonCompliant",
                "1.4.0",
                "3/5",
                "PortsMatch,WorkloadExists"
            ],
            vec![ns2.as_str(), "payments", "Compliant", "2.0.1", "4/4", "-"],
        ],
        "{out}"
    );

    // -n: only that namespace, as JSON.
    let (out, err, code, _) = pacto_status(&kubeconfig, &["-n", &ns2, "--output-format", "json"]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"items": [{"namespace": ns2, "name": "payments",
            "contractStatus": "Compliant", "version": "2.0.1", "passed": 4, "total": 4,
            "failing": []}]})
    );
    let (out, err, code, _) = pacto_status(&kubeconfig, &["-n", &ns1]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("PortsMatch,WorkloadExists"), "{out}");
    // A name narrows the list.
    let (out, err, code, _) =
        pacto_status(&kubeconfig, &["-A", "payments", "--output-format", "json"]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["namespace"] == ns1 || i["namespace"] == ns2)
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(names, ["payments"], "{out}");
    let (out, err, code, _) = pacto_status(&kubeconfig, &["-n", &ns1, "payments"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("No Pacto resources found in namespace {ns1}.\n")
    );
    let (out, _, code, _) = pacto_status(&kubeconfig, &["-n", "st-empty-ns"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "No Pacto resources found in namespace st-empty-ns.\n")
    );

    for ns in [ns1, ns2] {
        let _ = Api::<Namespace>::all(client.clone())
            .delete(&ns, &DeleteParams::default())
            .await;
    }
}

/// A kubeconfig pointing at `server`, with a token user.
fn kubeconfig_for(dir: &Path, server: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"{server}\", insecure-skip-tls-verify: true}}}}]\nusers: [{{name: u, user: {{token: t}}}}]\ncontexts: [{{name: c, context: {{cluster: c, user: u}}}}]\ncurrent-context: c\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn status_fails_clearly_without_a_cluster() {
    let tmp = tempfile::tempdir().unwrap();
    // Nothing listens on the port: refused at once.
    let port = pacto_e2e_support::free_port();
    let kc = kubeconfig_for(tmp.path(), &format!("https://127.0.0.1:{port}"));
    let (out, err, code, _) = pacto_status(&kc, &["-A"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.starts_with(&format!(
            "Error: cannot reach the Kubernetes API at https://127.0.0.1:{port}/"
        )),
        "{err}"
    );
    // A server that accepts and never answers: bounded by the client timeouts.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap();
    let kc = kubeconfig_for(tmp.path(), &format!("https://{addr}"));
    let (_, err, code, took) = pacto_status(&kc, &["-A"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("Error: "), "{err}");
    // The 5 s connect timeout covers the TLS handshake.
    assert!(took < Duration::from_secs(12), "took {took:?}");
    drop(silent);
    // No kubeconfig at all.
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("status")
        .env("KUBECONFIG", tmp.path().join("missing"))
        .env("HOME", tmp.path())
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("Error: no Kubernetes configuration"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
