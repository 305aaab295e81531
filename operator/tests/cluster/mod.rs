//! End-to-end harness: the real local control plane (e2e/controlplane/cluster.sh), real
//! `docker-registry` processes, workload HTTP servers in network namespaces (e2e/netns.sh) and
//! the real `pacto-operator` binary run out of cluster, one per test, scoped to the test's
//! namespace. Without the control plane binaries every test is skipped with a loud message.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kube::api::{DeleteParams, Patch, PatchParams};
use kube::{Api, Client, ResourceExt};
use pacto_crds::{ContractStatus, Pacto};
use pacto_e2e_support::{Setup, SharedControlPlane};
use serde_json::Value;

mod pods;

pub use pacto_e2e_support::{client_for, repo_root, target_dir};

static CONTROL_PLANE: SharedControlPlane = SharedControlPlane::new();

pub const MANAGER: &str = "pacto-operator-e2e";

/// Kubeconfig of the shared control plane (CRDs installed), or `None` to skip the test.
pub fn kubeconfig() -> Option<PathBuf> {
    if !pacto_e2e_support::control_plane_available() {
        return None;
    }
    let setup = || Setup {
        // One control plane per test binary: a shared one would be stopped by the watcher of
        // whichever binary finished first.
        state: format!("pacto-operator-{}", env!("CARGO_CRATE_NAME")),
        crd_files: Vec::new(),
        field_manager: MANAGER.into(),
        crds: pacto_crds::generate::crds(),
        // The scale benchmark counts the operator's requests at the API server.
        audit_log: env!("CARGO_CRATE_NAME") == "scale",
    };
    match CONTROL_PLANE.kubeconfig(setup) {
        Ok(p) => Some(p),
        Err(e) => panic!("{e}"),
    }
}

/// A test's world: a client and a namespace of its own.
pub struct World {
    pub client: Client,
    pub kubeconfig: PathBuf,
    pub ns: String,
}

impl World {
    pub async fn new(prefix: &str) -> Option<Self> {
        let kubeconfig = kubeconfig()?;
        let client = client_for(&kubeconfig)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let ns = pacto_e2e_support::unique_namespace(prefix);
        pacto_e2e_support::create_namespace(&client, &ns)
            .await
            .expect("create namespace");
        Some(Self {
            client,
            kubeconfig,
            ns,
        })
    }

    /// Server-side applies a manifest (namespace filled in).
    pub async fn apply(&self, mut obj: Value) {
        obj["metadata"]["namespace"] = Value::String(self.ns.clone());
        let api_version = obj["apiVersion"].as_str().unwrap_or_default().to_string();
        let kind = obj["kind"].as_str().unwrap_or_default().to_string();
        let name = obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let gvk = kube::core::GroupVersionKind::try_from(&kube::core::TypeMeta {
            api_version,
            kind: kind.clone(),
        })
        .expect("gvk");
        let (ar, _) = kube::discovery::pinned_kind(&self.client, &gvk)
            .await
            .expect("discover kind");
        let api: Api<kube::core::DynamicObject> =
            Api::namespaced_with(self.client.clone(), &self.ns, &ar);
        api.patch(
            &name,
            &PatchParams::apply(MANAGER).force(),
            &Patch::Apply(&obj),
        )
        .await
        .unwrap_or_else(|e| panic!("apply {kind} {name}: {e}"));
    }

    pub async fn delete_dynamic(&self, api_version: &str, kind: &str, name: &str) {
        let gvk = kube::core::GroupVersionKind::try_from(&kube::core::TypeMeta {
            api_version: api_version.into(),
            kind: kind.into(),
        })
        .expect("gvk");
        let (ar, _) = kube::discovery::pinned_kind(&self.client, &gvk)
            .await
            .expect("discover kind");
        let api: Api<kube::core::DynamicObject> =
            Api::namespaced_with(self.client.clone(), &self.ns, &ar);
        let _ = api.delete(name, &DeleteParams::default()).await;
    }

    pub fn pactos(&self) -> Api<Pacto> {
        Api::namespaced(self.client.clone(), &self.ns)
    }

    /// Waits until the Pacto's status satisfies `pred`; panics with the last status otherwise.
    pub async fn wait_pacto(
        &self,
        name: &str,
        secs: u64,
        what: &str,
        pred: impl Fn(&Pacto) -> bool,
    ) -> Pacto {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = None;
        while Instant::now() < deadline {
            if let Ok(p) = self.pactos().get(name).await {
                if pred(&p) {
                    return p;
                }
                last = Some(p);
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        panic!(
            "Pacto {}/{name}: not {what} after {secs}s; last status:\n{}",
            self.ns,
            serde_json::to_string_pretty(&last.and_then(|p| p.status)).unwrap_or_default()
        );
    }

    pub async fn wait_status(&self, name: &str, want: ContractStatus, secs: u64) -> Pacto {
        self.wait_pacto(name, secs, &format!("{want:?}"), |p| {
            status_of(p) == Some(want)
        })
        .await
    }

    pub async fn cleanup(self) {
        // No kubelet confirms a graceful Pod deletion: remove them at once, or the namespace
        // would stay Terminating.
        self.delete_pods_now().await;
        pacto_e2e_support::delete_namespace(&self.client, &self.ns).await;
    }
}

pub fn status_of(p: &Pacto) -> Option<ContractStatus> {
    p.status.as_ref().and_then(|s| s.contract_status)
}

/// A condition of the Pacto: (status, reason).
pub fn condition(p: &Pacto, type_: &str) -> Option<(String, String)> {
    p.status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .map(|c| (c.status.clone(), c.reason.clone()))
}

pub use pacto_e2e_support::free_port;

/// The kubeconfig the operator process uses: `PACTO_E2E_OPERATOR_KUBECONFIG` (e.g. the Helm
/// chart's ServiceAccount token, for the RBAC proof) or the harness's own admin one.
pub fn operator_kubeconfig(w: &World) -> PathBuf {
    std::env::var("PACTO_E2E_OPERATOR_KUBECONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|_| w.kubeconfig.clone())
}

/// The operator's Lease (namespace, name): the test's namespace, or the chart's Lease given by
/// `PACTO_E2E_LEASE_NAMESPACE` / `PACTO_E2E_LEASE_NAME` (the only one its RBAC lets it update).
pub fn lease(w: &World) -> (String, String) {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    (
        var("PACTO_E2E_LEASE_NAMESPACE").unwrap_or_else(|| w.ns.clone()),
        var("PACTO_E2E_LEASE_NAME").unwrap_or_else(|| "pacto-operator".into()),
    )
}

/// Field managers that applied to the status subresource of Pacto `name`, as the API server
/// recorded them (replicas with their own `--field-manager` are told apart by it).
pub async fn status_managers(w: &World, name: &str) -> Vec<String> {
    let p = w.pactos().get(name).await.expect("pacto");
    p.managed_fields()
        .iter()
        .filter(|m| m.subresource.as_deref() == Some("status"))
        .filter_map(|m| m.manager.clone())
        .collect()
}

/// A running `pacto-operator` process; killed on drop.
pub struct Operator {
    child: Option<Child>,
    pub metrics_port: u16,
    pub log: PathBuf,
}

impl Operator {
    /// Starts the binary scoped to `ns` with fast probe/retry settings; `extra` adds flags.
    pub fn start(w: &World, extra: &[&str]) -> Self {
        Self::start_scoped(w, &["--namespaces", &w.ns], extra)
    }

    /// As [`Operator::start`], with extra environment variables for the operator process.
    pub fn start_with_env(w: &World, extra: &[&str], env: &[(&str, &str)]) -> Self {
        Self::spawn(w, &["--namespaces", &w.ns], extra, env)
    }

    /// Starts the binary with explicit scope flags (`--namespaces ...`, `--namespace-selector ...`).
    pub fn start_scoped(w: &World, scope: &[&str], extra: &[&str]) -> Self {
        Self::spawn(w, scope, extra, &[])
    }

    fn spawn(w: &World, scope: &[&str], extra: &[&str], env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let dir = target_dir().join("e2e-tests").join("operator-logs");
        std::fs::create_dir_all(&dir).expect("log dir");
        let log = dir.join(format!("{}-{port}.log", w.ns));
        let file = std::fs::File::create(&log).expect("log file");
        let (lease_ns, lease_name) = lease(w);
        // PACTO_E2E_OPERATOR_BIN: a copy of the binary, when a shared target dir may be
        // rebuilt by others meanwhile.
        let bin = std::env::var_os("PACTO_E2E_OPERATOR_BIN")
            .map(PathBuf::from)
            .or_else(|| option_env!("CARGO_BIN_EXE_pacto-operator").map(PathBuf::from))
            .unwrap_or_else(|| target_dir().join("debug/pacto-operator"));
        // Failures are asserted at once unless a test sets a stabilization window itself.
        let window: &[&str] = if extra
            .iter()
            .any(|a| a.starts_with("--stabilization-window"))
        {
            &[]
        } else {
            &["--stabilization-window", "0s"]
        };
        let child = Command::new(bin)
            .args(scope)
            .args(window)
            .args([
                "--metrics-addr",
                &format!("127.0.0.1:{port}"),
                "--probe-interval-seconds",
                "1",
                "--probe-threshold",
                "2",
                // Generous, so a loaded machine cannot turn a slow netns answer into a failing
                // health check in a case that breaks some other fact.
                "--probe-timeout-ms",
                "3000",
                "--retry-min-seconds",
                "1",
                "--retry-max-seconds",
                "2",
                "--tag-cache-seconds",
                "1",
                "--log-format",
                "pretty",
                "--lease-namespace",
                &lease_ns,
                "--lease-name",
                &lease_name,
            ])
            .args(extra)
            .envs(env.iter().copied())
            .env("KUBECONFIG", operator_kubeconfig(w))
            .env("RUST_LOG", "info,pacto_operator=debug,kube=warn")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("spawn pacto-operator");
        Self {
            child: Some(child),
            metrics_port: port,
            log,
        }
    }

    pub async fn metrics(&self) -> String {
        let url = format!("http://127.0.0.1:{}/metrics", self.metrics_port);
        for _ in 0..50 {
            if let Ok(r) = reqwest::get(&url).await
                && let Ok(t) = r.text().await
            {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!(
            "metrics endpoint {url} did not answer; log {}",
            self.log.display()
        );
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or_default()
    }

    /// SIGKILL (no lease release): the hard failure case.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Operator {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A workload replica: a network namespace serving /health and /metrics.
pub struct Replica {
    pub name: String,
    pub addr: String,
}

fn netns(args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg(repo_root().join("e2e/netns.sh"))
        .args(args)
        .output()
        .expect("run netns.sh");
    assert!(
        out.status.success(),
        "netns.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn reserve_netns_range() {
    // netns.sh allocates the lowest /30 index free in *its* state dir; keep ours far from the
    // indexes `make up` and other checkouts use, so two state dirs never pick the same subnet.
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let dir = target_dir().join("e2e").join("netns").join("_reserved");
        let _ = std::fs::create_dir_all(&dir);
        let lines: Vec<String> = (0..3000).map(|i| i.to_string()).collect();
        let _ = std::fs::write(dir.join("index"), lines.join("\n") + "\n");
    });
}

impl Replica {
    /// Starts a namespace serving the default routes on `ports`.
    pub fn start(ports: &[u16]) -> Self {
        reserve_netns_range();
        let seq = pacto_e2e_support::next_seq();
        let name = format!("op{}{seq}", std::process::id() % 10000);
        let addr = netns(&["up", &name]);
        for p in ports {
            netns(&["serve", &name, &p.to_string()]);
        }
        Self { name, addr }
    }

    pub fn set(&self, port: u16, path: &str, status: u16, body: &str) {
        netns(&[
            "set",
            &self.name,
            &port.to_string(),
            path,
            &status.to_string(),
            body,
        ]);
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(repo_root().join("e2e/netns.sh"))
            .args(["down", &self.name])
            .output();
    }
}

/// A `docker-registry` on a fixed loopback port that can be stopped and restarted.
pub struct Registry {
    dir: PathBuf,
    pub port: u16,
    child: Option<Child>,
    pub auth: Option<(String, String)>,
}

impl Registry {
    pub fn new(htpasswd: bool) -> Self {
        let port = free_port();
        let dir = target_dir()
            .join("e2e-tests")
            .join("registries")
            .join(format!("{}-{port}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).expect("registry dir");
        let mut cfg = format!(
            "version: 0.1\nlog: {{level: warn}}\nstorage:\n  filesystem: {{rootdirectory: {}}}\n  delete: {{enabled: true}}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: e2e-{port}\n",
            dir.join("data").display()
        );
        let auth = if htpasswd {
            let out = Command::new("htpasswd")
                .args(["-Bbn", "pacto", "pacto-secret"])
                .output()
                .expect("htpasswd");
            std::fs::write(dir.join("htpasswd"), &out.stdout).expect("write htpasswd");
            cfg.push_str(&format!(
                "auth:\n  htpasswd: {{realm: e2e, path: {}}}\n",
                dir.join("htpasswd").display()
            ));
            Some(("pacto".to_string(), "pacto-secret".to_string()))
        } else {
            None
        };
        std::fs::write(dir.join("config.yml"), cfg).expect("config");
        let mut r = Self {
            dir,
            port,
            child: None,
            auth,
        };
        r.start();
        r
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn start(&mut self) {
        let log = std::fs::File::create(self.dir.join("registry.log")).expect("log");
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(self.dir.join("config.yml"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("docker-registry (apt install docker-registry)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("registry on {} did not start", self.port);
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Pushes `pacto_yaml` as a bundle to `repo:tag`; returns the manifest digest.
    pub async fn push(&self, repo: &str, tag: &str, pacto_yaml: &str) -> String {
        let mut bundle = pacto_core::Bundle::new();
        bundle.insert("pacto.yaml", pacto_yaml.as_bytes().to_vec());
        self.push_bundle(repo, tag, &bundle).await
    }

    /// Pushes `bundle` to `repo:tag`; returns the manifest digest.
    pub async fn push_bundle(&self, repo: &str, tag: &str, bundle: &pacto_core::Bundle) -> String {
        use pacto_oci::creds::{CredentialHelper, HelperCreds, HelperError};
        struct NoHelper;
        impl CredentialHelper for NoHelper {
            fn get(&self, _: &str, _: &str) -> Result<Option<HelperCreds>, HelperError> {
                Ok(None)
            }
        }
        let mut env = std::collections::HashMap::new();
        if let Some((u, p)) = &self.auth {
            env.insert("PACTO_REGISTRY_USERNAME".to_string(), u.clone());
            env.insert("PACTO_REGISTRY_PASSWORD".to_string(), p.clone());
        }
        let kc = pacto_oci::Keychain::new(Box::new(env), None, None, Box::new(NoHelper));
        let client = pacto_oci::RegistryClient::new(kc, pacto_oci::RegistryOptions::default())
            .expect("registry client");
        let r = pacto_core::oci_ref::parse(&format!("{}/{repo}:{tag}", self.host())).expect("ref");
        client.push(&r, bundle).await.expect("push").digest
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A minimal valid contract with an http interface on `port` and health/metrics endpoints.
pub fn contract(name: &str, version: &str, port: u16, image: &str) -> String {
    format!(
        r#"pactoVersion: "1.1"
service:
  name: {name}
  version: {version}
  owner:
    team: e2e
  image:
    ref: {image}
interfaces:
  - name: api
    type: http
    port: {port}
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
  health:
    interface: api
    path: /health
  metrics:
    interface: metrics
    path: /metrics
"#
    )
}

/// Deployment, Service and one ready Pod per replica (at its netns address): Kubernetes'
/// EndpointSlice controller writes the Service's EndpointSlice from them.
pub async fn workload(w: &World, name: &str, port: u16, image: &str, replicas: &[&Replica]) {
    w.apply(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas.len().max(1),
            "selector": {"matchLabels": {"app": name}},
            "strategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "terminationGracePeriodSeconds": 30,
                    "containers": [{
                        "name": name, "image": image,
                        "ports": [{"containerPort": port}, {"containerPort": 9090}],
                        "readinessProbe": {"httpGet": {"path": "/health", "port": port}}
                    }]
                }
            }
        }
    }))
    .await;
    w.apply(serde_json::json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name},
        "spec": {
            "selector": {"app": name},
            "ports": [
                {"name": "api", "port": port, "targetPort": port},
                {"name": "metrics", "port": 9090, "targetPort": 9090}
            ]
        }
    }))
    .await;
    w.pods_at(
        name,
        serde_json::json!({"app": name}),
        &[port, 9090],
        replicas,
    )
    .await;
}

/// A Pacto manifest.
pub fn pacto(name: &str, contract_ref: Value, target: Option<Value>) -> Value {
    let mut spec = serde_json::json!({"contractRef": contract_ref, "checkIntervalSeconds": 30});
    if let Some(t) = target {
        spec["target"] = t;
    }
    serde_json::json!({"apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto", "metadata": {"name": name}, "spec": spec})
}

/// A `/proc/<pid>/status` memory field (`VmHWM:`, `VmRSS:`) in KiB; 0 when unreadable. Shared by
/// the fault suite and the memory/scale benchmarks.
pub fn vm_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A numeric environment setting of a benchmark, or its default.
pub fn env_num(k: &str, d: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}
