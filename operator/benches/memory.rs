//! Memory benchmark: N Pactos (default 200), each naming a distinct bundle of about 20 MiB
//! unpacked (gzip-bomb shaped: two files of repeated bytes, a few KiB on the wire, under the
//! unpack cap), in a local registry and the local control plane, checked by the real
//! `pacto-operator` binary with `--memory-cache-bytes` set. Prints the operator's peak RSS
//! (VmHWM) against the cap; the target is peak RSS < cap + 64 MiB.
//!
//!   cargo bench -p pacto-operator --bench memory   # PACTO_BENCH_N, PACTO_BENCH_BUNDLE_MIB,
//!                                                  # PACTO_BENCH_CAP_MIB, PACTO_BENCH_OPERATOR

#[path = "../tests/cluster/mod.rs"]
mod cluster;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cluster::*;
use futures_util::StreamExt;
use kube::Api;
use kube::api::ListParams;
use pacto_crds::Pacto;

/// The unpack cap of one file (`core::bundle::limits`): each bundle splits its bulk in two.
const MAX_FILE: usize = 10 * 1024 * 1024;

fn contract_yaml(i: usize) -> String {
    format!(
        "pactoVersion: \"1.1\"\nservice:\n  name: mem-{i}\n  version: 1.0.{i}\n  owner:\n    team: bench\n"
    )
}

/// A distinct bundle of about `mib` MiB unpacked: `pacto.yaml` plus files of one repeated byte.
fn bundle(i: usize, mib: usize) -> pacto_core::Bundle {
    let mut b = pacto_core::Bundle::new();
    b.insert("pacto.yaml", contract_yaml(i).into_bytes());
    let mut left = mib * 1024 * 1024;
    let mut part = 0;
    while left > 0 {
        let n = left.min(MAX_FILE - 4096);
        b.insert(format!("docs/blob-{part}.bin"), vec![(i % 251) as u8; n]);
        left -= n;
        part += 1;
    }
    b
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[tokio::main]
async fn main() {
    let n = env_num("PACTO_BENCH_N", 200) as usize;
    let bundle_mib = env_num("PACTO_BENCH_BUNDLE_MIB", 20) as usize;
    let cap_mib = env_num("PACTO_BENCH_CAP_MIB", 64);
    let Some(w) = World::new("membench").await else {
        return;
    };
    println!("setup: {n} Pactos, each a distinct ~{bundle_mib} MiB bundle; cap {cap_mib} MiB");
    let reg = Registry::new(false);
    let host = reg.host();
    let t_push = Instant::now();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(2, |i| {
            let reg = &reg;
            async move {
                let b = bundle(i, bundle_mib);
                reg.push_bundle(&format!("mem/svc-{i}"), "1.0.0", &b).await;
            }
        })
        .await;
    println!(
        "pushed {n} bundles in {:.1}s",
        t_push.elapsed().as_secs_f64()
    );
    futures_util::stream::iter(0..n)
        .for_each_concurrent(16, |i| {
            let w = &w;
            let host = host.clone();
            async move {
                w.apply(pacto(
                    &format!("mem-{i}"),
                    serde_json::json!({"oci": format!("{host}/mem/svc-{i}:1.0.0")}),
                    None,
                ))
                .await;
            }
        })
        .await;

    let port = free_port();
    let bin = std::env::var("PACTO_BENCH_OPERATOR")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_pacto-operator").to_string());
    let log = std::fs::File::create(target_dir().join("e2e-tests/bench-memory-operator.log"))
        .expect("log");
    let t0 = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "--namespaces",
            &w.ns,
            "--metrics-addr",
            &format!("127.0.0.1:{port}"),
            "--memory-cache-bytes",
            &format!("{cap_mib}Mi"),
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
    let api: Api<Pacto> = w.pactos();
    let mut done_at = None;
    while t0.elapsed() < Duration::from_secs(900) {
        let list = api.list(&ListParams::default()).await.expect("list");
        let with_status = list
            .items
            .iter()
            .filter(|p| p.status.as_ref().and_then(|s| s.contract_status).is_some())
            .count();
        if with_status >= n {
            done_at = Some(t0.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    match done_at {
        Some(d) => println!("all {n} Pactos have a status after {:.1}s", d.as_secs_f64()),
        None => println!("NOT all Pactos had a status after 900s"),
    }
    // A second round of checks (tag-cache TTL expiry, requeues) should not grow it either.
    tokio::time::sleep(Duration::from_secs(env_num(
        "PACTO_BENCH_QUIET_SECONDS",
        20,
    )))
    .await;
    let mut statuses = std::collections::BTreeMap::new();
    for p in api.list(&ListParams::default()).await.expect("list").items {
        *statuses
            .entry(format!("{:?}", p.status.and_then(|s| s.contract_status)))
            .or_insert(0) += 1;
    }
    println!("statuses: {statuses:?}");
    let hwm = vm_kib(pid, "VmHWM:");
    let rss = vm_kib(pid, "VmRSS:");
    let cap_kib = cap_mib * 1024;
    println!(
        "operator peak RSS (VmHWM) {:.1} MiB, RSS now {:.1} MiB; cap {cap_mib} MiB; target < {} MiB: {}",
        mib(hwm),
        mib(rss),
        cap_mib + 64,
        if hwm < cap_kib + 64 * 1024 {
            "met"
        } else {
            "NOT met"
        }
    );
    let _ = child.kill();
    let _ = child.wait();
    w.cleanup().await;
}
