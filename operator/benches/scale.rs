//! Scale benchmark: N Pactos (default 1,000) with their Services and Deployments in the local
//! control plane, their bundles in a local registry, and the real `pacto-operator` binary.
//! Prints: time from operator start until every Pacto has a status, the operator's peak RSS,
//! API requests it issued, and status writes during a quiet period (default 120 s).
//!
//!   cargo bench -p pacto-operator --bench scale   # PACTO_BENCH_N, PACTO_BENCH_QUIET_SECONDS,
//!                                                 # PACTO_BENCH_OPERATOR (binary path)

#[path = "../tests/cluster/mod.rs"]
mod cluster;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cluster::*;
use futures_util::StreamExt;
use kube::Api;
use kube::api::ListParams;
use pacto_crds::Pacto;

fn contract_yaml(i: usize) -> String {
    format!(
        "pactoVersion: \"1.1\"\nservice:\n  name: svc-{i}\n  version: 1.0.{i}\n  owner:\n    team: bench\ninterfaces:\n  - name: api\n    type: http\n    port: 8080\nruntime:\n  workload: service\n  state:\n    type: stateless\n    persistence:\n      scope: local\n      durability: ephemeral\n    dataCriticality: low\n"
    )
}

fn metric_sum(text: &str, name: &str) -> u64 {
    text.lines()
        .filter(|l| l.starts_with(name) && !l.starts_with('#'))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

fn vm_hwm_kib(pid: u32) -> u64 {
    vm_kib(pid, "VmHWM:")
}

async fn scrape(port: u16) -> String {
    match reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::main]
async fn main() {
    let n = env_num("PACTO_BENCH_N", 1000) as usize;
    let quiet = env_num("PACTO_BENCH_QUIET_SECONDS", 120);
    let distinct = 50usize.min(n.max(1));
    let namespaces = 10usize;
    let Some(w) = World::new("bench").await else {
        return;
    };
    println!("setup: {n} Pactos in {namespaces} namespaces, {distinct} distinct bundles");

    let reg = Registry::new(false);
    for i in 0..distinct {
        reg.push(
            &format!("bench/svc-{i}"),
            &format!("1.0.{i}"),
            &contract_yaml(i),
        )
        .await;
    }
    let t_setup = Instant::now();
    let nss: Vec<String> = (0..namespaces).map(|k| format!("{}-{k}", w.ns)).collect();
    for ns in &nss {
        let obj: k8s_openapi::api::core::v1::Namespace =
            serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).expect("ns");
        Api::<k8s_openapi::api::core::v1::Namespace>::all(w.client.clone())
            .create(&Default::default(), &obj)
            .await
            .expect("namespace");
    }
    let host = reg.host();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(16, |i| {
            let client = w.client.clone();
            let ns = nss[i % namespaces].clone();
            let host = host.clone();
            async move {
                let sub = World { client, kubeconfig: Default::default(), ns };
                let name = format!("app-{i}");
                let b = i % distinct;
                sub.apply(serde_json::json!({
                    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                        "template": {"metadata": {"labels": {"app": name}},
                            "spec": {"containers": [{"name": "c", "image": "x/y:1", "ports": [{"containerPort": 8080}]}]}}}
                }))
                .await;
                sub.apply(serde_json::json!({
                    "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                    "spec": {"clusterIP": "None", "selector": {"app": name}, "ports": [{"name": "api", "port": 8080, "targetPort": 8080}]}
                }))
                .await;
                sub.apply(pacto(
                    &name,
                    serde_json::json!({"oci": format!("{host}/bench/svc-{b}:1.0.{b}")}),
                    Some(serde_json::json!({"serviceName": name})),
                ))
                .await;
            }
        })
        .await;
    println!(
        "created {} objects in {:.1}s",
        n * 3,
        t_setup.elapsed().as_secs_f64()
    );

    let port = free_port();
    // Cargo builds the operator binary with the same profile as this bench.
    let bin = std::env::var("PACTO_BENCH_OPERATOR")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_pacto-operator").to_string());
    let log =
        std::fs::File::create(target_dir().join("e2e-tests/bench-operator.log")).expect("log");
    let t0 = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "--metrics-addr",
            &format!("127.0.0.1:{port}"),
            "--concurrency",
            "16",
            "--log-format",
            "json",
        ])
        .env("KUBECONFIG", &w.kubeconfig)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {bin}: {e}"));
    let pid = child.id();
    let all: Api<Pacto> = Api::all(w.client.clone());
    let lp = ListParams::default();
    let mut done_at = None;
    while t0.elapsed() < Duration::from_secs(600) {
        let list = all.list(&lp).await.expect("list");
        let with_status = list
            .items
            .iter()
            .filter(|p| {
                p.metadata
                    .namespace
                    .as_deref()
                    .is_some_and(|ns| ns.starts_with(&w.ns))
            })
            .filter(|p| p.status.as_ref().and_then(|s| s.contract_status).is_some())
            .count();
        if with_status >= n {
            done_at = Some(t0.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let text = scrape(port).await;
    let requests_at_done = metric_sum(&text, "pacto_api_requests_total");
    let writes_at_done = metric_sum(&text, "pacto_status_writes_total");
    match done_at {
        Some(d) => println!(
            "all {n} Pactos have a status after {:.2}s (operator RSS then {:.1} MiB, peak so far {:.1} MiB)",
            d.as_secs_f64(),
            vm_kib(pid, "VmRSS:") as f64 / 1024.0,
            vm_hwm_kib(pid) as f64 / 1024.0
        ),
        None => println!("NOT all Pactos had a status after 600s"),
    }
    let mut statuses = std::collections::BTreeMap::new();
    for p in all.list(&lp).await.expect("list").items {
        if p.metadata
            .namespace
            .as_deref()
            .is_some_and(|ns| ns.starts_with(&w.ns))
        {
            *statuses
                .entry(format!("{:?}", p.status.and_then(|s| s.contract_status)))
                .or_insert(0) += 1;
        }
    }
    println!("statuses: {statuses:?}");
    println!("API requests until then: {requests_at_done}; status writes: {writes_at_done}");

    let rv = |items: Vec<Pacto>| -> Vec<(String, Option<String>)> {
        items
            .into_iter()
            .map(|p| {
                (
                    format!("{:?}/{:?}", p.metadata.namespace, p.metadata.name),
                    p.metadata.resource_version,
                )
            })
            .collect()
    };
    let before = rv(all.list(&lp).await.expect("list").items);
    tokio::time::sleep(Duration::from_secs(quiet)).await;
    let after = rv(all.list(&lp).await.expect("list").items);
    let changed = before
        .iter()
        .zip(after.iter())
        .filter(|(a, b)| a != b)
        .count();
    let text = scrape(port).await;
    println!(
        "quiet {quiet}s: status writes {} (Pactos whose resourceVersion changed: {changed}); API requests {}",
        metric_sum(&text, "pacto_status_writes_total") - writes_at_done,
        metric_sum(&text, "pacto_api_requests_total") - requests_at_done,
    );
    println!(
        "operator peak RSS (VmHWM): {:.1} MiB",
        vm_hwm_kib(pid) as f64 / 1024.0
    );
    println!(
        "operator RSS at the end (VmRSS): {:.1} MiB",
        vm_kib(pid, "VmRSS:") as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
    for ns in nss {
        let _ = Api::<k8s_openapi::api::core::v1::Namespace>::all(w.client.clone())
            .delete(&ns, &Default::default())
            .await;
    }
    w.cleanup().await;
}
