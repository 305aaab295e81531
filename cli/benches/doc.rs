//! Whole-process benchmark of `pacto doc`: Markdown for the largest example (by bundle
//! bytes) and the v2 doc fixture, and the static HTML page set. Target: Markdown of the
//! largest example < 50 ms. Prints min/median/p99; never asserts on timings.
//!
//! Run: `cargo bench -p pacto-cli --bench doc`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 100;

fn bundle_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        bundle_bytes(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn largest_example(root: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("pacto.yaml").is_file())
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(bundle_bytes(d)));
    dirs.remove(0)
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_pacto");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let largest = largest_example(&root);
    let fixture = root.join("core/tests/fixtures/doc/v2-orders");
    let site = std::env::temp_dir().join(format!("pacto-doc-bench-{}", std::process::id()));
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            format!(
                "doc {} (largest, {} B)",
                name(&largest),
                bundle_bytes(&largest)
            ),
            vec!["doc".into(), largest.display().to_string()],
        ),
        (
            "doc v2-orders (every section)".into(),
            vec!["doc".into(), fixture.display().to_string()],
        ),
        (
            "doc v2-orders --html".into(),
            vec![
                "doc".into(),
                fixture.display().to_string(),
                "--html".into(),
                site.display().to_string(),
            ],
        ),
    ];
    println!("whole-process timings over {RUNS} runs each ({bin})");
    for (label, args) in cases {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            let ok = Command::new(bin)
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            times.push(start.elapsed());
            if !ok {
                eprintln!("{label}: pacto failed");
                return;
            }
        }
        times.sort();
        let p = |q: f64| times[((RUNS as f64 - 1.0) * q).round() as usize];
        println!(
            "{label:<44} min {:>7.2} ms  median {:>7.2} ms  p99 {:>7.2} ms",
            ms(times[0]),
            ms(p(0.5)),
            ms(p(0.99))
        );
    }
    let _ = std::fs::remove_dir_all(&site);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
