//! `pacto-plugin-k8s` end to end: the plugin's output (workload, Service, HPA, PDB and the
//! `Pacto` with the contract inline), applied unchanged to the local control plane, is found
//! Compliant by the real operator binary, every check of the contract having run.
//!
//! No kubelet runs, so the Deployment's replicas are harness Pods made from the generated pod
//! template (its labels and named ports) at netns addresses serving /health and /metrics:
//! Kubernetes' EndpointSlice controller routes the generated Service to them, and the
//! operator probes them. The StatefulSet, CronJob and Job need no running Pod for their checks.
//!
//! The plugin binary is `PACTO_E2E_PLUGIN_K8S_BIN`, else built by
//! `cargo build -p pacto-plugins --bin pacto-plugin-k8s` (a no-op when fresh).

mod cluster;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use cluster::*;
use pacto_crds::ContractStatus;
use serde_json::{Value, json};

const API: &str = r#"pactoVersion: "1.1"
service:
  name: gen-api
  version: 1.0.0
  owner:
    team: e2e
  image:
    ref: ghcr.io/acme/gen-api:1.0.0
interfaces:
  - name: api
    type: http
    port: 8080
  - name: metrics
    type: http
    port: 9090
runtime:
  workload: service
  state:
    type: stateless
    persistence:
      scope: local
      durability: ephemeral
    dataCriticality: low
  lifecycle:
    upgradeStrategy: rolling
    gracefulShutdownSeconds: 45
  health:
    interface: api
    path: /health
    initialDelaySeconds: 3
  metrics:
    interface: metrics
    path: /metrics
scaling:
  min: 2
  max: 4
"#;

const DB: &str = r#"pactoVersion: "1.0"
service:
  name: gen-db
  version: 16.4.0
  owner: infra/databases
  image:
    ref: docker.io/library/postgres:16.4
interfaces:
  - name: sql
    type: http
    port: 5432
runtime:
  workload: service
  state:
    type: stateful
    persistence:
      scope: local
      durability: persistent
    dataCriticality: high
  lifecycle:
    upgradeStrategy: ordered
    gracefulShutdownSeconds: 60
scaling:
  replicas: 1
"#;

const NIGHTLY: &str = r#"pactoVersion: "1.2"
service:
  name: gen-nightly
  version: 1.2.0
  owner:
    team: analytics
  image:
    ref: ghcr.io/acme/report-generator:1.2.0
interfaces:
  - name: health
    type: http
    port: 8080
runtime:
  workload: scheduled
  state:
    type: stateless
    persistence:
      scope: local
      durability: ephemeral
    dataCriticality: low
  health:
    interface: health
    path: /ready
metadata:
  schedule: "0 2 * * *"
"#;

const MIGRATE_V2: &str = r#"pactoVersion: "2.0"
service:
  name: gen-migrate
  version: 2.0.0
  owner:
    team: e2e
workload: job
state:
  type: stateless
  persistence:
    scope: local
    durability: ephemeral
  dataCriticality: low
"#;

fn plugin_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("PACTO_E2E_PLUGIN_K8S_BIN") {
        return PathBuf::from(p);
    }
    let status = Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .args([
            "build",
            "-q",
            "-p",
            "pacto-plugins",
            "--bin",
            "pacto-plugin-k8s",
        ])
        .arg("--manifest-path")
        .arg(repo_root().join("Cargo.toml"))
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build -p pacto-plugins failed");
    target_dir().join("debug/pacto-plugin-k8s")
}

/// Runs the plugin on `contract` as `pacto generate k8s` would; returns the generated objects.
fn generate(bin: &PathBuf, contract: &str, options: &[(&str, &str)]) -> Vec<Value> {
    let contract = pacto_core::parse::parse_yaml(contract).expect("contract parses");
    let options: serde_json::Map<String, Value> = options
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let req = json!({
        "protocolVersion": "1", "contract": contract, "bundleDir": ".",
        "outputDir": "k8s-output", "options": options,
    });
    let mut child = Command::new(bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pacto-plugin-k8s");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(req.to_string().as_bytes())
        .expect("write request");
    let out = child.wait_with_output().expect("plugin output");
    assert!(
        out.status.success(),
        "plugin failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let resp: Value = serde_json::from_slice(&out.stdout).expect("response JSON");
    resp["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| serde_saphyr::from_str(f["content"].as_str().expect("content")).expect("YAML"))
        .collect()
}

fn find<'a>(objs: &'a [Value], kind: &str) -> &'a Value {
    objs.iter()
        .find(|o| o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} generated"))
}

/// Applies every object but the Pacto; returns the Pacto.
async fn apply_all(w: &World, objs: &[Value]) -> Value {
    for o in objs.iter().filter(|o| o["kind"] != "Pacto") {
        w.apply(o.clone()).await;
    }
    find(objs, "Pacto").clone()
}

fn assert_true(p: &pacto_crds::Pacto, checks: &[&str]) {
    for c in checks {
        assert_eq!(
            condition(p, c).map(|c| c.0).as_deref(),
            Some("True"),
            "{c} of {:?}: {:?}",
            p.metadata.name,
            p.status
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_manifests_are_compliant() {
    let start = std::time::Instant::now();
    let Some(w) = World::new("op-gen").await else {
        return;
    };
    eprintln!("control plane ready after {:?}", start.elapsed());
    let bin = plugin_bin();
    eprintln!("plugin built after {:?}", start.elapsed());
    let api = generate(&bin, API, &[]);
    let db = generate(&bin, DB, &[]);
    let nightly = generate(&bin, NIGHTLY, &[]);
    let migrate = generate(&bin, MIGRATE_V2, &[("image", "ghcr.io/acme/migrate:2.0.0")]);
    assert_eq!(
        api.iter()
            .map(|o| o["kind"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            "Service",
            "Deployment",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "Pacto"
        ]
    );
    assert_eq!(find(&db, "StatefulSet")["kind"], "StatefulSet");
    assert_eq!(find(&nightly, "CronJob")["kind"], "CronJob");
    assert_eq!(find(&migrate, "Job")["kind"], "Job");

    let mut pactos = Vec::new();
    for objs in [&api, &db, &nightly, &migrate] {
        pactos.push(apply_all(&w, objs).await);
    }
    // Two replicas of the Deployment, as its controller would run them.
    let r1 = Replica::start(&[8080, 9090]);
    let r2 = Replica::start(&[8080, 9090]);
    let template = &find(&api, "Deployment")["spec"]["template"];
    w.pods_from_template("gen-api", template, &[&r1, &r2]).await;

    let _op = Operator::start(&w, &[]);
    for p in pactos {
        w.apply(p).await;
    }
    let p = w
        .wait_status("gen-api", ContractStatus::Compliant, 60)
        .await;
    eprintln!("gen-api Compliant after {:?}", start.elapsed());
    assert_true(
        &p,
        &[
            "ServiceExists",
            "WorkloadExists",
            "PortsValid",
            "ServiceSelectsWorkload",
            "WorkloadTypeMatch",
            "StateModelMatch",
            "UpgradeStrategyMatch",
            "GracefulShutdownMatch",
            "ImageMatch",
            "HealthProbeMatch",
            "HealthTimingMatch",
            "ScalingMatch",
            "HealthEndpointValid",
            "MetricsEndpointValid",
        ],
    );
    let p = w.wait_status("gen-db", ContractStatus::Compliant, 30).await;
    assert_true(
        &p,
        &[
            "PortsValid",
            "ServiceSelectsWorkload",
            "WorkloadTypeMatch",
            "StateModelMatch",
            "UpgradeStrategyMatch",
            "GracefulShutdownMatch",
            "ImageMatch",
            "ScalingMatch",
        ],
    );
    let p = w
        .wait_status("gen-nightly", ContractStatus::Compliant, 30)
        .await;
    assert_true(
        &p,
        &[
            "WorkloadExists",
            "WorkloadTypeMatch",
            "ImageMatch",
            "HealthProbeMatch",
        ],
    );
    let p = w
        .wait_status("gen-migrate", ContractStatus::Compliant, 30)
        .await;
    assert_true(
        &p,
        &["WorkloadExists", "WorkloadTypeMatch", "StateModelMatch"],
    );
    w.cleanup().await;
}
