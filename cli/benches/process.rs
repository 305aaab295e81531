//! Whole-process benchmark: wall time of `pacto validate` / `explain` / `diff` on the
//! shipped examples, each run as a fresh process (what a CI job or pre-commit hook
//! pays). Prints min, median, p99 and mean; never asserts on timings.
//!
//! It also validates `payments-api` (1.1) and a 2.0 twin of it (the same files, its
//! `pacto.yaml` in the 2.0 model: top-level workload/state, health and metrics as
//! capabilities) in alternating runs, and prints both medians and their ratio (the
//! target: 2.0 within 10% of 1.x).
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
            let Some(t) = time(bin, &args) else {
                eprintln!("{label}: could not run {bin}");
                return;
            };
            times.push(t);
        }
        report(label, &mut times);
    }
    versions(bin, &root.join("examples/payments-api"));
}

/// Wall time of one `bin args` process, or `None` when it cannot be started.
fn time(bin: &str, args: &[String]) -> Option<Duration> {
    let start = Instant::now();
    Command::new(bin)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    Some(start.elapsed())
}

/// Prints min, median, p99 and mean of `times`; returns the median.
fn report(label: &str, times: &mut [Duration]) -> Duration {
    times.sort();
    let n = times.len();
    let mean = times.iter().sum::<Duration>() / n as u32;
    let p = |q: f64| times[((n as f64 - 1.0) * q).round() as usize];
    println!(
        "{label:<32} min {:>7.2} ms  median {:>7.2} ms  p99 {:>7.2} ms  mean {:>7.2} ms",
        ms(times[0]),
        ms(p(0.5)),
        ms(p(0.99)),
        ms(mean)
    );
    p(0.5)
}

/// `payments-api` as written (1.1) against its 2.0 twin, in alternating runs so drift
/// in the machine's load hits both alike.
fn versions(bin: &str, v1: &Path) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let v2 = tmp.path().join("payments-api");
    copy_dir(v1, &v2);
    std::fs::write(v2.join("pacto.yaml"), PAYMENTS_API_V2).expect("write 2.0 contract");
    std::fs::write(v2.join("policy/schema.json"), POLICY_V2).expect("write 2.0 policy");
    let args = |dir: &Path| vec!["validate".to_string(), dir.display().to_string()];
    let (a1, a2) = (args(v1), args(&v2));
    for (label, a) in [("1.1", &a1), ("2.0", &a2)] {
        let ok = Command::new(bin)
            .args(a)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "the {label} payments-api bundle must be valid");
    }
    let (mut t1, mut t2) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
    for _ in 0..RUNS {
        t1.extend(time(bin, &a1));
        t2.extend(time(bin, &a2));
    }
    let m1 = report("validate payments-api (1.1)", &mut t1);
    let m2 = report("validate payments-api (2.0 twin)", &mut t2);
    println!(
        "2.0 / 1.x median ratio: {:.3} (target <= 1.10)",
        m2.as_secs_f64() / m1.as_secs_f64()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// The example's platform policy, said of a 2.0 contract: an owner and a health
/// capability (2.0 has no `runtime`, and scaling is the cluster's).
const POLICY_V2: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Platform policy: production services",
  "type": "object",
  "required": ["service", "capabilities"],
  "properties": {
    "service": {"type": "object", "required": ["owner"]},
    "capabilities": {
      "type": "array",
      "contains": {"type": "object", "required": ["type"], "properties": {"type": {"const": "health"}}}
    }
  }
}
"#;

/// `examples/payments-api/pacto.yaml` in the 2.0 model: the same service, files,
/// configuration, policy and dependencies; `runtime` becomes top-level `workload` and
/// `state`, health and metrics become capabilities bound to the OpenAPI interface;
/// ports, the image, lifecycle and scaling stay with the cluster.
const PAYMENTS_API_V2: &str = r##"pactoVersion: "2.0"
service:
  name: payments-api
  version: 2.1.0
  owner:
    team: payments
    dri: alice
    contacts:
      - type: email
        value: payments@example.com
        purpose: ownership
      - type: chat
        value: "#payments-oncall"
        purpose: oncall
interfaces:
  - name: rest-api
    type: openapi
    visibility: public
    ref: interfaces/openapi.yaml
configurations:
  - name: default
    required: true
    schema: configuration/schema.json
    values:
      LOG_LEVEL: info
      DB_POOL_SIZE: 20
      CURRENCY: EUR
policies:
  - name: platform
    schema: policy/schema.json
dependencies:
  - name: user-service
    ref: file://../user-service
    required: true
    compatibility: ^3.0.0
  - name: postgresql
    ref: ../postgresql
    required: true
    compatibility: ^16.0.0
  - name: order-processor
    ref: ../order-processor
    required: false
    compatibility: ~1.4.0
workload: service
state:
  type: stateless
  persistence:
    scope: local
    durability: ephemeral
  dataCriticality: high
capabilities:
  - type: health
    binding:
      type: http
      interface: rest-api
      path: /health
  - type: metrics
    binding:
      type: http
      interface: rest-api
      path: /metrics
metadata:
  tier: critical
  domain: billing
"##;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
