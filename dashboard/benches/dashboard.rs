//! Benchmark: 1,000 services × 10 versions from a synthetic local directory.
//! Prints `/api/services` latency, service page server time, global graph layout time
//! and RSS after visiting every service. Usage: `cargo bench -p pacto-dashboard --bench dashboard -- [services] [versions]`.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use pacto_dashboard::queries::graph::{self, GraphQuery};
use pacto_dashboard::{AppState, Config, K8sMode, router};
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn write_service(root: &Path, i: usize, versions: usize, n: usize) -> std::io::Result<()> {
    for v in 0..versions {
        let dir = root.join(format!("svc-{i:04}-v{v}"));
        std::fs::create_dir_all(dir.join("interfaces"))?;
        // Each service depends on up to two lower-numbered ones, so the graph is layered.
        let mut deps = String::new();
        for d in [i / 2, i / 3] {
            if d < i && d < n {
                deps.push_str(&format!(
                    "  - name: svc-{d:04}\n    ref: oci://registry.example/acme/svc-{d:04}:1.0.0\n    required: true\n    compatibility: ^1.0.0\n"
                ));
            }
        }
        let extra_path = if v % 3 == 2 {
            ""
        } else {
            "  /items/{id}:\n    get:\n      summary: Get one\n      responses:\n        \"200\": {description: ok}\n"
        };
        std::fs::write(
            dir.join("interfaces/openapi.yaml"),
            format!(
                "openapi: 3.0.3\ninfo: {{title: svc-{i}, version: 1.{v}.0}}\npaths:\n  /items:\n    get:\n      summary: List items\n      responses:\n        \"200\": {{description: ok}}\n{extra_path}"
            ),
        )?;
        std::fs::write(
            dir.join("pacto.yaml"),
            format!(
                "pactoVersion: \"1.1\"\nservice:\n  name: svc-{i:04}\n  version: 1.{v}.0\n  owner: team/t{}\ninterfaces:\n  - name: api\n    type: http\n    port: 8080\n    contract: interfaces/openapi.yaml\n{}runtime:\n  workload: service\n  state:\n    type: stateless\n    persistence: {{scope: local, durability: ephemeral}}\n    dataCriticality: low\n  health: {{interface: api, path: /items}}\n",
                i % 17,
                if deps.is_empty() {
                    String::new()
                } else {
                    format!("dependencies:\n{deps}")
                }
            ),
        )?;
    }
    Ok(())
}

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let idx = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(idx).copied().unwrap_or_default()
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

async fn get(r: &axum::Router, uri: &str) -> (u16, usize) {
    let Ok(req) = Request::get(uri).body(Body::empty()) else {
        return (0, 0);
    };
    match r.clone().oneshot(req).await {
        Ok(res) => {
            let s = res.status().as_u16();
            let n = res
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes().len())
                .unwrap_or(0);
            (s, n)
        }
        Err(_) => (0, 0),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1000);
    let versions = args.get(1).copied().unwrap_or(10);
    let Ok(tmp) = tempfile::tempdir() else {
        eprintln!("cannot create a temp dir");
        return std::process::ExitCode::FAILURE;
    };
    let t = Instant::now();
    for i in 0..n {
        if let Err(e) = write_service(tmp.path(), i, versions, n) {
            eprintln!("cannot write fixtures: {e}");
            return std::process::ExitCode::FAILURE;
        }
    }
    println!(
        "fixture: {n} services x {versions} versions written in {:?}",
        t.elapsed()
    );
    let config = Config {
        dirs: vec![tmp.path().to_path_buf()],
        k8s: K8sMode::Off,
        no_cache: true,
        ..Config::default()
    };
    let Ok(state) = AppState::start(config).await else {
        eprintln!("cannot start");
        return std::process::ExitCode::FAILURE;
    };
    let t = Instant::now();
    state.refresh(true).await;
    println!(
        "first snapshot (scan + validate {} bundles): {:?}, RSS {:.1} MiB",
        n * versions,
        t.elapsed(),
        rss_mib()
    );
    let r = router(state.clone());

    let mut list = Vec::new();
    let mut size = 0;
    for _ in 0..500 {
        let t = Instant::now();
        let (s, b) = get(&r, "/api/services").await;
        list.push(t.elapsed());
        size = b;
        if s != 200 {
            eprintln!("unexpected status {s}");
            return std::process::ExitCode::FAILURE;
        }
    }
    println!(
        "/api/services ({size} bytes): p50 {:?} p99 {:?}",
        pct(list.clone(), 0.5),
        pct(list, 0.99)
    );

    let snap = state.snapshot();
    let mut layout = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let g = graph::build(&snap, &GraphQuery::default());
        layout.push(t.elapsed());
        if g.nodes.len() != n {
            eprintln!("graph has {} nodes, expected {n}", g.nodes.len());
            return std::process::ExitCode::FAILURE;
        }
    }
    println!(
        "global graph build + layout ({n} nodes): p50 {:?} max {:?}",
        pct(layout.clone(), 0.5),
        pct(layout, 1.0)
    );

    let mut pages = Vec::new();
    let mut api = Vec::new();
    for i in 0..n {
        let t = Instant::now();
        let (s, _) = get(&r, &format!("/services/svc-{i:04}")).await;
        pages.push(t.elapsed());
        if s != 200 {
            eprintln!("unexpected status {s}");
            return std::process::ExitCode::FAILURE;
        }
        let t = Instant::now();
        let (s, _) = get(&r, &format!("/api/services/svc-{i:04}")).await;
        api.push(t.elapsed());
        if s != 200 {
            eprintln!("unexpected status {s}");
            return std::process::ExitCode::FAILURE;
        }
    }
    println!(
        "service page, first visit (reads 10 bundles, 9 diffs): p50 {:?} p99 {:?}",
        pct(pages.clone(), 0.5),
        pct(pages, 0.99)
    );
    println!(
        "service detail API, second visit: p50 {:?} p99 {:?}",
        pct(api.clone(), 0.5),
        pct(api, 0.99)
    );
    let t = Instant::now();
    let (s, _) = get(&r, "/").await;
    println!(
        "services page (list + {n}-node graph SVG): {:?} (status {s})",
        t.elapsed()
    );
    println!(
        "LRU resident: {} bytes in {} entries",
        state.loader.resident_bytes(),
        state.loader.resident_entries()
    );
    println!("RSS after visiting every service: {:.1} MiB", rss_mib());
    std::process::ExitCode::SUCCESS
}
