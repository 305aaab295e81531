//! `pacto migrate` over the shipped examples (1.x ones migrate; 2.0 ones answer "already 2.0"): the time to migrate
//! the whole examples directory, in process (read each bundle from disk, validate as
//! 1.x, migrate, validate the result as 2.0) and as one `pacto migrate -o` process per
//! bundle. Target: under 50 ms for the directory. Prints min, median and p99; never
//! asserts on timings.
//!
//! Run: `cargo bench -p pacto-cli --bench migrate`

use pacto_core::bundle::{Bundle, Limits};
use pacto_core::migrate::{MigrateOptions, migrate_bundle};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 50;

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("pacto.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<44} min {:>8.2?}  median {:>8.2?}  p99 {:>8.2?}",
        times[0],
        p(0.5),
        p(0.99)
    );
}

fn main() {
    let dirs = examples();
    let opts = MigrateOptions {
        today: "2026-04-15".into(),
        drop_lossy: false,
    };
    let mut migrated = 0;
    let mut refused = 0;
    for d in &dirs {
        let b = Bundle::from_dir(d, &Limits::default()).expect("bundle");
        match migrate_bundle(&b, &opts) {
            Ok(_) => migrated += 1,
            Err(e) => {
                refused += 1;
                println!("refused {}: {e}", d.display());
            }
        }
    }
    println!(
        "{} example bundles: {migrated} migrated, {refused} refused; {RUNS} runs",
        dirs.len()
    );

    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        for d in &dirs {
            let b = Bundle::from_dir(d, &Limits::default()).expect("bundle");
            let _ = std::hint::black_box(migrate_bundle(&b, &opts));
        }
        times.push(start.elapsed());
    }
    report("in process, whole examples dir", times);

    let bin = env!("CARGO_BIN_EXE_pacto");
    let tmp = std::env::temp_dir().join(format!("pacto-migrate-bench-{}", std::process::id()));
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let start = Instant::now();
        for (i, d) in dirs.iter().enumerate() {
            let out = tmp.join(format!("{run}-{i}"));
            let status = Command::new(bin)
                .arg("migrate")
                .arg(d)
                .arg("-o")
                .arg(&out)
                .arg("--today")
                .arg("2026-04-15")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            if status.is_err() {
                eprintln!("could not run {bin}");
                return;
            }
        }
        times.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&tmp);
    report("one `pacto migrate -o` process per bundle", times);
}
