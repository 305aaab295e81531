//! Whole-process benchmark: wall time of `pacto validate` / `explain` / `diff` on the
//! shipped examples, each run as a fresh process (what a CI job or pre-commit hook
//! pays). Prints min, median, p99 and mean; never asserts on timings.
//!
//! Run: `cargo bench -p pacto-cli --bench process`

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn main() {
    let bin = env!("CARGO_BIN_EXE_pacto");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let ex = |name: &str| root.join("examples").join(name).display().to_string();
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "validate payments-api",
            vec!["validate".into(), ex("payments-api")],
        ),
        (
            "validate user-service (proto)",
            vec!["validate".into(), ex("user-service")],
        ),
        (
            "explain order-processor",
            vec!["explain".into(), ex("order-processor")],
        ),
        (
            "diff product-catalog v1 v2",
            vec![
                "diff".into(),
                ex("product-catalog-v1"),
                ex("product-catalog-v2"),
            ],
        ),
        (
            "graph payments-api",
            vec!["graph".into(), ex("payments-api")],
        ),
    ];
    println!("whole-process timings over {RUNS} runs each ({bin})");
    for (label, args) in cases {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            let status = Command::new(bin)
                .args(&args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            times.push(start.elapsed());
            if status.is_err() {
                eprintln!("{label}: could not run {bin}");
                return;
            }
        }
        times.sort();
        let mean = times.iter().sum::<Duration>() / RUNS as u32;
        let p = |q: f64| times[((RUNS as f64 - 1.0) * q).round() as usize];
        println!(
            "{label:<32} min {:>7.2} ms  median {:>7.2} ms  p99 {:>7.2} ms  mean {:>7.2} ms",
            ms(times[0]),
            ms(p(0.5)),
            ms(p(0.99)),
            ms(mean)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
