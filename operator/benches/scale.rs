//! Scale benchmark: N Pactos (default 1,000) with their Services, Deployments and
//! EndpointSlices in the local control plane, their bundles (200 distinct) in a local registry,
//! and the real `pacto-operator` binary. Prints:
//! - time from operator start until every Pacto has a status, the operator's peak RSS and the
//!   objects its watch-fed stores hold; then until its revisions and events (written after the
//!   statuses) are written too, and the API requests per Pacto;
//! - over a quiet period (default 300 s): status writes (resourceVersions that changed) and the
//!   operator's API requests per second, counted at the API server (its audit log), watch
//!   streams and Lease calls apart;
//! - one change in the quiet cluster (a Service port edited): time until that Pacto's status
//!   says so, and how many other Pactos were written meanwhile.
//!
//! Run: `cargo bench -p pacto-operator --bench scale`; settings: PACTO_BENCH_N,
//! PACTO_BENCH_QUIET_SECONDS, PACTO_BENCH_OPERATOR (binary path), PACTO_BENCH_CONCURRENCY
//! (the operator's `--concurrency`, default 16).

#[path = "scale_parts/audit.rs"]
mod audit;
#[path = "../tests/cluster/mod.rs"]
mod cluster;
#[path = "scale_parts/cpu.rs"]
mod cpu;
#[path = "scale_parts/progress.rs"]
mod progress;
#[path = "scale_parts/setup.rs"]
mod setup;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use audit::AuditLog;
use cluster::*;
use k8s_openapi::api::core::v1::Service;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use pacto_crds::Pacto;

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .filter(|l| l.starts_with(name) && !l.starts_with('#'))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

async fn scrape(port: u16) -> String {
    match reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// resourceVersion (and status summary) of every bench Pacto, by namespace/name.
async fn versions(all: &Api<Pacto>, prefix: &str) -> BTreeMap<String, (String, String)> {
    let list = all.list(&ListParams::default()).await.expect("list Pactos");
    list.items
        .into_iter()
        .filter(|p| p.namespace().is_some_and(|ns| ns.starts_with(prefix)))
        .map(|p| {
            let status = p
                .status
                .as_ref()
                .map(|s| format!("{:?} {}", s.contract_status, s.conditions.len()))
                .unwrap_or_default();
            (
                format!("{}/{}", p.namespace().unwrap_or_default(), p.name_any()),
                (p.resource_version().unwrap_or_default(), status),
            )
        })
        .collect()
}

fn changed(
    a: &BTreeMap<String, (String, String)>,
    b: &BTreeMap<String, (String, String)>,
) -> Vec<String> {
    b.iter()
        .filter(|(k, v)| a.get(*k).map(|x| &x.0) != Some(&v.0))
        .map(|(k, _)| k.clone())
        .collect()
}

#[tokio::main]
async fn main() {
    let n = env_num("PACTO_BENCH_N", 1000) as usize;
    let quiet = env_num("PACTO_BENCH_QUIET_SECONDS", 300);
    let concurrency = env_num("PACTO_BENCH_CONCURRENCY", 16);
    let distinct = 200usize.min(n.max(1));
    let namespaces = 10usize;
    let Some(w) = World::new("bench").await else {
        return;
    };
    println!("setup: {n} Pactos in {namespaces} namespaces, {distinct} distinct bundles");
    let s = setup::create(&w, n, distinct, namespaces).await;

    let port = free_port();
    let bin = std::env::var("PACTO_BENCH_OPERATOR")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_pacto-operator").to_string());
    let kubeconfig = target_dir().join("e2e-tests/bench-operator.kubeconfig");
    audit::impersonating_kubeconfig(&w.kubeconfig, &kubeconfig).expect("operator kubeconfig");
    let mut audit_log = AuditLog::of(&w.kubeconfig);
    if audit_log.is_none() {
        println!(
            "(no audit log: this control plane was not started by the bench; API requests not counted at the server)"
        );
    }
    let log =
        std::fs::File::create(target_dir().join("e2e-tests/bench-operator.log")).expect("log");
    let cpu0 = cpu::sample(0);
    let t0 = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "--metrics-addr",
            &format!("127.0.0.1:{port}"),
            "--concurrency",
            &concurrency.to_string(),
        ])
        .args(["--log-format", "json"])
        .env("KUBECONFIG", &kubeconfig)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {bin}: {e}"));
    let pid = child.id();
    let all: Api<Pacto> = Api::all(w.client.clone());
    let done_at = progress::all_have_status(&all, &w.ns, n, t0, Duration::from_secs(900)).await;
    let cpu_start = cpu::sample(pid) - cpu0;
    let text = scrape(port).await;
    match done_at {
        Some(d) => println!(
            "all {n} Pactos have a status after {:.2}s (operator RSS then {:.1} MiB, peak so far {:.1} MiB)",
            d.as_secs_f64(),
            vm_kib(pid, "VmRSS:") as f64 / 1024.0,
            vm_kib(pid, "VmHWM:") as f64 / 1024.0
        ),
        None => println!("NOT all Pactos had a status after 900s"),
    }
    let mut statuses = BTreeMap::new();
    for (_, st) in versions(&all, &w.ns).await.values() {
        *statuses
            .entry(st.split(' ').next().unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    println!("statuses: {statuses:?}");
    println!("CPU time until then: {cpu_start}");
    println!(
        "operator-side counters until then: API requests {}, status writes {}",
        metric(&text, "pacto_api_requests_total"),
        metric(&text, "pacto_status_writes_total")
    );
    let watched: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("pacto_watched_objects{"))
        .collect();
    println!("watch-fed stores: {watched:?}");
    if let Some(a) = &audit_log {
        let c = a.count_since_mark();
        println!(
            "at the API server until then: {} requests, {} watch streams, {} Lease calls; {:?}",
            c.requests, c.watches, c.leases, c.by_kind
        );
    }

    // Revisions and events trail the statuses (the operator's `trailing` queue): the quiet
    // period starts once they are written.
    let tt = Instant::now();
    while metric(&scrape(port).await, "pacto_trailing_writes_pending") > 0
        && tt.elapsed() < Duration::from_secs(900)
    {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "revisions and events written after {:.2}s (operator peak RSS so far {:.1} MiB)",
        t0.elapsed().as_secs_f64(),
        vm_kib(pid, "VmHWM:") as f64 / 1024.0
    );
    if let Some(a) = &audit_log {
        let c = a.count_since_mark();
        println!(
            "at the API server until then: {} requests ({:.2} per Pacto); {:?}",
            c.requests,
            c.requests as f64 / n.max(1) as f64,
            c.by_kind
        );
    }

    // Quiet period.
    let writes_before = metric(&scrape(port).await, "pacto_status_writes_total");
    let before = versions(&all, &w.ns).await;
    if let Some(a) = &mut audit_log {
        a.mark();
    }
    let tq = Instant::now();
    tokio::time::sleep(Duration::from_secs(quiet)).await;
    let secs = tq.elapsed().as_secs_f64();
    let counted = audit_log.as_ref().map(AuditLog::count_since_mark);
    let after = versions(&all, &w.ns).await;
    println!(
        "quiet {secs:.0}s: status writes {} (Pactos whose resourceVersion changed: {})",
        metric(&scrape(port).await, "pacto_status_writes_total") - writes_before,
        changed(&before, &after).len()
    );
    if let Some(c) = counted {
        println!(
            "quiet {secs:.0}s at the API server: {} requests ({:.3}/s) excluding {} watch streams and {} Lease calls; {:?}",
            c.requests,
            c.requests as f64 / secs,
            c.watches,
            c.leases,
            c.by_kind
        );
    }

    // One change: Pacto 0's Service port edited.
    let ns0 = setup::ns_of(&s, 0).to_string();
    let key0 = format!("{ns0}/app-0");
    let svc: Api<Service> = Api::namespaced(w.client.clone(), &ns0);
    let patch =
        serde_json::json!({"spec": {"ports": [{"name": "api", "port": 9090, "targetPort": 9090}]}});
    let tc = Instant::now();
    svc.patch("app-0", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch Service");
    let mut took = None;
    while tc.elapsed() < Duration::from_secs(60) {
        let p = Api::<Pacto>::namespaced(w.client.clone(), &ns0)
            .get("app-0")
            .await
            .expect("get");
        if p.resource_version() != after.get(&key0).map(|v| v.0.clone()) {
            took = Some(tc.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let others: Vec<String> = changed(&after, &versions(&all, &w.ns).await)
        .into_iter()
        .filter(|k| *k != key0)
        .collect();
    match took {
        Some(t) => println!(
            "one change (Service port edited): its Pacto's status written after {:.2}s; other Pactos written within 5 s after: {}",
            t.as_secs_f64(),
            others.len()
        ),
        None => println!("one change: the Pacto's status was NOT written within 60 s"),
    }
    println!(
        "operator peak RSS (VmHWM): {:.1} MiB",
        vm_kib(pid, "VmHWM:") as f64 / 1024.0
    );
    println!(
        "operator RSS at the end (VmRSS): {:.1} MiB",
        vm_kib(pid, "VmRSS:") as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
    for ns in &s.namespaces {
        let _ = Api::<k8s_openapi::api::core::v1::Namespace>::all(w.client.clone())
            .delete(ns, &Default::default())
            .await;
    }
    w.cleanup().await;
}
