//! Whole-process benchmark of `pacto graph` over a 100-service dependency tree in a real
//! local registry (`e2e/registry.sh`): cold cache (every bundle fetched, bounded by
//! registry round trips) and warm cache (tag answers and bundles from disk, within the
//! tag TTL). Prints figures; asserts nothing about timings.
//!
//! Run: `cargo bench -p pacto-cli --bench graph100` (add `--profile dev` for a debug build).

use pacto_e2e_support::pacto_cli as support;

use std::time::{Duration, Instant};
use support::*;

const WARM_RUNS: usize = 20;
const COLD_RUNS: usize = 5;

fn main() {
    let Some(reg) = Registries::start("bench-graph100") else {
        return;
    };
    let lib = library_client();
    let t = Instant::now();
    push_tree(&lib, &reg.anon);
    println!(
        "pushed {TREE_SIZE} services (150 artifacts) in {:?}",
        t.elapsed()
    );
    let root = format!("oci://{}/tree/{}", reg.anon, tree_name(0));
    let concurrency = std::env::var("PACTO_OCI_CONCURRENCY").unwrap_or_else(|_| "8".into());
    println!("binary: {}", env!("CARGO_BIN_EXE_pacto"));
    println!("concurrency: {concurrency}");

    let run = |home: &Home| -> Duration {
        let start = Instant::now();
        let o = home
            .cmd()
            .args(["graph", &root, "--output-format", "json"])
            .env("PACTO_OCI_CONCURRENCY", &concurrency)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let took = start.elapsed();
        assert!(o.status.success(), "{}", text(&o));
        took
    };
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..COLD_RUNS {
        let home = Home::new();
        cold.push(run(&home));
        if warm.is_empty() {
            for _ in 0..WARM_RUNS {
                warm.push(run(&home));
            }
        }
    }
    report("cold cache (fresh HOME each run)", &mut cold);
    report("warm cache (within the 60 s tag TTL)", &mut warm);
}

fn report(label: &str, t: &mut [Duration]) {
    t.sort();
    let mean = t.iter().sum::<Duration>() / t.len() as u32;
    println!(
        "{label}: runs {} min {:.1} ms median {:.1} ms max {:.1} ms mean {:.1} ms",
        t.len(),
        t[0].as_secs_f64() * 1e3,
        t[t.len() / 2].as_secs_f64() * 1e3,
        t[t.len() - 1].as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    );
}
