//! Fault-injection helpers for `e2e_faults`: control plane components killed and relaunched,
//! a registry proxy that can fail, a tarpit, and the "every status correct" wait that measures
//! recovery time.

pub mod huge_manifest;
pub mod registry_proxy;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use pacto_crds::ContractStatus;
use pacto_e2e_support::Component;

use crate::cluster::{Operator, World, status_of};

/// SIGKILLs a control plane component (kill -9, no graceful shutdown).
pub fn kill(kubeconfig: &Path, c: Component) {
    pacto_e2e_support::kill_component(kubeconfig, c).unwrap_or_else(|e| panic!("{e}"));
}

/// Relaunches a killed component with its original arguments; returns once it is healthy.
pub fn relaunch(kubeconfig: &Path, c: Component) {
    pacto_e2e_support::start_component(kubeconfig, c).unwrap_or_else(|e| panic!("{e}"));
}

/// Runs a blocking fault step off the async runtime's worker.
pub async fn blocking(f: impl FnOnce() + Send + 'static) {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| panic!("fault step panicked: {e}"));
}

/// Whether a process runs (a zombie counts as gone).
pub fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(") ")
                .and_then(|(_, rest)| rest.chars().next())
        })
        .is_some_and(|state| state != 'Z')
}

/// The operator survived the fault: the same process (same PID) is still running.
pub fn assert_same_operator(op: &Operator, pid_before: u32) {
    assert_eq!(op.pid(), pid_before, "the operator was replaced");
    assert!(
        process_alive(pid_before),
        "the operator (pid {pid_before}) died during the fault; log {}:\n{}",
        op.log.display(),
        tail(&op.logs(), 40)
    );
}

pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The statuses every Pacto of `w` must reach, by name.
pub type Expected = BTreeMap<String, ContractStatus>;

/// Waits (tolerating an unreachable API server) until every Pacto in `expected` has its
/// status; returns the time it took. Panics after `secs` with every Pacto still wrong.
pub async fn wait_all(w: &World, expected: &Expected, secs: u64) -> Duration {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let mut wrong: Vec<String> = vec!["(no successful list yet)".into()];
    while Instant::now() < deadline {
        let listed =
            tokio::time::timeout(Duration::from_secs(5), w.pactos().list(&Default::default()))
                .await;
        if let Ok(Ok(list)) = listed {
            let got: BTreeMap<String, Option<ContractStatus>> = list
                .items
                .iter()
                .map(|p| (p.metadata.name.clone().unwrap_or_default(), status_of(p)))
                .collect();
            wrong = expected
                .iter()
                .filter(|(name, want)| got.get(*name).copied().flatten() != Some(**want))
                .map(|(name, want)| {
                    format!(
                        "{name}: want {want:?}, got {:?}",
                        got.get(name).copied().flatten()
                    )
                })
                .collect();
            if wrong.is_empty() {
                return start.elapsed();
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!(
        "statuses did not converge within {secs}s in {}:\n{}",
        w.ns,
        wrong.join("\n")
    );
}

/// Counts the Pactos of `w` that have any contract status yet (None when the list fails).
pub async fn with_status(w: &World) -> Option<usize> {
    let list = w.pactos().list(&Default::default()).await.ok()?;
    Some(list.items.iter().filter(|p| status_of(p).is_some()).count())
}

/// Prints the measured recovery of one fault (visible with `--nocapture`).
pub fn report(fault: &str, recovery: Duration, detail: &str) {
    eprintln!(
        "[fault] {fault}: statuses correct {:.1} s after the fault ended ({detail})",
        recovery.as_secs_f64()
    );
}
