//! Faults survived, measured: the real operator against its own control plane (this binary's,
//! so killing its kube-apiserver or etcd touches no other test binary) and real registries.
//! Each case injects one fault, then asserts that every Pacto reaches its expected status with
//! the same operator process still running (or, for the operator's own death, a successor) and
//! prints the fault with its measured recovery time (`--nocapture` shows it):
//! the time from the end of the fault to every status correct.
//!
//! Run: `cargo test -p pacto-operator --test e2e_faults -- --nocapture`. Cases that kill a
//! control plane component run alone (a lock), the others side by side.

mod cluster;
mod faults;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use cluster::*;
use faults::huge_manifest::HugeManifest;
use faults::registry_proxy::{FlakyProxy, Tarpit};
use faults::*;
use pacto_crds::ContractStatus;
use pacto_e2e_support::Component;

const IMAGE: &str = "ghcr.io/acme/shop:1.0.0";

/// Cases that kill a control plane component hold this exclusively; the others share it. The
/// cases run in parallel (cargo's default) on one control plane, and an etcd killed while
/// another case relaunches kube-apiserver leaves that kube-apiserver unable to start.
static CONTROL_PLANE_FAULTS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// Held for a whole fault case: see [`CONTROL_PLANE_FAULTS`].
enum FaultGuard {
    Exclusive(#[allow(dead_code)] tokio::sync::RwLockWriteGuard<'static, ()>),
    Shared(#[allow(dead_code)] tokio::sync::RwLockReadGuard<'static, ()>),
}

/// The world of a fault case, or `None` to skip. A control plane given from outside
/// (`PACTO_E2E_KUBECONFIG`) is never faulted: other test binaries may be using it.
/// `kills_control_plane`: the case kills etcd or kube-apiserver, so no other case may run.
async fn fault_world(prefix: &str, kills_control_plane: bool) -> Option<(World, FaultGuard)> {
    if std::env::var("PACTO_E2E_KUBECONFIG").is_ok() {
        eprintln!(
            "SKIPPED {prefix}: fault injection needs this binary's own control plane; \
             unset PACTO_E2E_KUBECONFIG"
        );
        return None;
    }
    let guard = if kills_control_plane {
        FaultGuard::Exclusive(CONTROL_PLANE_FAULTS.write().await)
    } else {
        FaultGuard::Shared(CONTROL_PLANE_FAULTS.read().await)
    };
    World::new(prefix).await.map(|w| (w, guard))
}

/// Applies `n` inline Pactos named `{prefix}-{i}` of three kinds, returning the status each
/// must reach: no target (Reference), a target whose Service does not exist (NonCompliant),
/// an invalid contract (Invalid).
async fn apply_inline(w: &World, prefix: &str, n: usize) -> Expected {
    let (manifests, expected) = inline_pactos(prefix, n);
    for m in manifests {
        w.apply(m).await;
    }
    expected
}

/// As [`apply_inline`], all at once: a burst the operator is still working through when the
/// call returns.
async fn apply_inline_burst(w: &World, prefix: &str, n: usize) -> Expected {
    let (manifests, expected) = inline_pactos(prefix, n);
    futures_util::future::join_all(manifests.into_iter().map(|m| w.apply(m))).await;
    expected
}

fn inline_pactos(prefix: &str, n: usize) -> (Vec<serde_json::Value>, Expected) {
    let mut expected = Expected::new();
    let mut manifests = Vec::new();
    for i in 0..n {
        let name = format!("{prefix}-{i}");
        let (version, target, want) = match i % 3 {
            0 => ("1.0.0", None, ContractStatus::Reference),
            1 => (
                "1.0.0",
                Some(serde_json::json!({"serviceName": format!("ghost-{i}")})),
                ContractStatus::NonCompliant,
            ),
            _ => ("not-semver", None, ContractStatus::Invalid),
        };
        manifests.push(pacto(
            &name,
            serde_json::json!({"inline": contract(&name, version, 8080, IMAGE)}),
            target,
        ));
        expected.insert(name, want);
    }
    (manifests, expected)
}

/// What a component-kill case checks once the in-flight Pactos have converged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Afterwards {
    /// Nothing more.
    Nothing,
    /// Pactos applied after the fault get their statuses: the operator's watches work again.
    NewPactos,
    /// As `NewPactos`, and the operator log shows a watch answered 410 Gone (`Expired`), which
    /// a fresh kube-apiserver's watch cache answers to a resume from an older resourceVersion.
    NewPactosAfterExpiredWatch,
}

/// One control plane component SIGKILLed right after Pactos were applied (the operator is
/// reconciling them), relaunched `down` later with the same arguments.
async fn survive_component_kill(
    prefix: &str,
    component: Component,
    down: Duration,
    afterwards: Afterwards,
) {
    let Some((w, _serial)) = fault_world(prefix, true).await else {
        return;
    };
    let op = Operator::start(&w, &[]);
    let pid = op.pid();
    // A first batch settled, so the fault hits a running operator with established watches.
    let mut expected = apply_inline(&w, "before", 3).await;
    wait_all(&w, &expected, 60).await;

    let during = apply_inline_burst(&w, "during", 30).await;
    let done_at_kill = with_status(&w).await.unwrap_or_default() - expected.len();
    expected.extend(during);
    let kc = w.kubeconfig.clone();
    blocking(move || kill(&kc, component)).await;
    tokio::time::sleep(down).await;
    let kc = w.kubeconfig.clone();
    blocking(move || relaunch(&kc, component)).await;
    let fault_end = Instant::now();

    let recovery = wait_all(&w, &expected, 180).await;
    assert_same_operator(&op, pid);
    report(
        &format!("{} SIGKILL, down {:?}", component.name(), down),
        recovery,
        &format!(
            "{} Pactos, {done_at_kill} of the 30-Pacto burst had a status at the kill, \
             operator pid {pid} unchanged",
            expected.len()
        ),
    );

    if afterwards != Afterwards::Nothing {
        // The watches work again: Pactos created after the fault get their statuses.
        expected.extend(apply_inline(&w, "after", 3).await);
        // PACTO_E2E_FAULT_AFTER_SECONDS: a longer bound, to measure a slow recovery.
        let bound = std::env::var("PACTO_E2E_FAULT_AFTER_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120);
        let after = wait_all(&w, &expected, bound).await;
        assert_same_operator(&op, pid);
        eprintln!(
            "[fault] {}: Pactos applied after recovery got their statuses in {:.1} s \
             ({:.1} s after the fault ended)",
            component.name(),
            after.as_secs_f64(),
            fault_end.elapsed().as_secs_f64()
        );
    }
    if afterwards == Afterwards::NewPactosAfterExpiredWatch {
        let log = op.logs();
        assert!(
            log.contains("Expired"),
            "no watch answered 410 Gone (Expired) after the restart; log {}",
            op.log.display()
        );
    }
    drop(op);
    w.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kube_apiserver_killed_mid_reconcile() {
    survive_component_kill(
        "flt-api",
        Component::KubeApiserver,
        Duration::from_secs(4),
        Afterwards::Nothing,
    )
    .await;
}

/// A restarted kube-apiserver starts an empty watch cache, so the operator's watches resume
/// from a resourceVersion it no longer has and get 410 Gone: they must re-list, and Pactos
/// created afterwards must still be reconciled.
#[tokio::test(flavor = "multi_thread")]
async fn watch_expired_by_apiserver_restart_then_new_pactos_get_statuses() {
    survive_component_kill(
        "flt-410",
        Component::KubeApiserver,
        Duration::from_secs(4),
        Afterwards::NewPactosAfterExpiredWatch,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn etcd_killed_and_restarted() {
    survive_component_kill(
        "flt-etcd",
        Component::Etcd,
        Duration::from_secs(4),
        Afterwards::NewPactos,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn operator_killed_during_status_writes() {
    let Some((w, _serial)) = fault_world("flt-op", false).await else {
        return;
    };
    let expected = apply_inline(&w, "many", 45).await;
    let mut first = Operator::start(&w, &[]);
    // Kill it while it is writing: some statuses are written, not all.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut written = 0;
    while Instant::now() < deadline {
        written = with_status(&w).await.unwrap_or(0);
        if written > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill();
    let at_kill = with_status(&w).await.unwrap_or(written);
    assert!(at_kill > 0, "the first operator wrote no status in 60 s");
    let fault_end = Instant::now();
    let second = Operator::start(&w, &[]);
    let pid = second.pid();
    let recovery = wait_all(&w, &expected, 120).await;
    assert_same_operator(&second, pid);
    assert!(fault_end.elapsed() >= recovery);
    report(
        "operator SIGKILL during status writes, successor started",
        recovery,
        &format!(
            "{at_kill} of {} statuses written when killed, none lost",
            expected.len()
        ),
    );
    drop(second);
    w.cleanup().await;
}

/// Registry reasons a Pacto's conditions may carry while its registry fails.
fn registry_reason(p: &pacto_crds::Pacto) -> Option<String> {
    p.status.as_ref()?.conditions.iter().find_map(|c| {
        (c.reason == pacto_crds::reasons::REGISTRY_UNAVAILABLE).then(|| c.message.clone())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_answering_500_then_recovering() {
    let Some((w, _serial)) = fault_world("flt-500", false).await else {
        return;
    };
    let reg = Registry::new(false);
    reg.push(
        "acme/flaky",
        "1.0.0",
        &contract("flaky", "1.0.0", 8080, IMAGE),
    )
    .await;
    let proxy = FlakyProxy::start(reg.host(), true).await;
    let op = Operator::start(&w, &[]);
    let pid = op.pid();
    let mut expected = apply_inline(&w, "bystander", 3).await;
    w.apply(pacto(
        "flaky",
        serde_json::json!({"oci": format!("{}/acme/flaky:1.0.0", proxy.host)}),
        None,
    ))
    .await;
    let failing = w
        .wait_pacto("flaky", 60, "Unknown with RegistryUnavailable", |p| {
            status_of(p) == Some(ContractStatus::Unknown) && registry_reason(p).is_some()
        })
        .await;
    assert!(
        proxy.answered_500.load(Ordering::Relaxed) > 0,
        "the operator never reached the failing registry"
    );
    let message = registry_reason(&failing).unwrap_or_default();
    assert!(
        message.contains("500"),
        "the reason says what failed: {message}"
    );
    // The other Pactos are not held back by the failing registry.
    wait_all(&w, &expected, 60).await;

    proxy.set_failing(false);
    let fault_end = Instant::now();
    expected.insert("flaky".into(), ContractStatus::Reference);
    let recovery = wait_all(&w, &expected, 60).await;
    assert_same_operator(&op, pid);
    let p = w.pactos().get("flaky").await.expect("get");
    assert_eq!(
        p.status.and_then(|s| s.contract_version).as_deref(),
        Some("1.0.0")
    );
    report(
        "registry answering 500, then healthy",
        recovery,
        &format!(
            "{} requests answered 500; status Unknown/RegistryUnavailable meanwhile: {message}",
            proxy.answered_500.load(Ordering::Relaxed)
        ),
    );
    assert!(fault_end.elapsed() >= recovery);
    drop(op);
    w.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tarpit_registry_does_not_hold_back_other_pactos() {
    let Some((w, _serial)) = fault_world("flt-tarpit", false).await else {
        return;
    };
    let tarpit = Tarpit::start().await;
    let op = Operator::start(&w, &[]);
    let pid = op.pid();
    w.apply(pacto(
        "stuck",
        serde_json::json!({"oci": format!("{}/acme/stuck:1.0.0", tarpit.host)}),
        None,
    ))
    .await;
    // Wait until the operator is inside the tarpit before the others arrive.
    let deadline = Instant::now() + Duration::from_secs(30);
    while tarpit.accepted.load(Ordering::Relaxed) == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        tarpit.accepted.load(Ordering::Relaxed) > 0,
        "the operator never connected to the tarpit"
    );
    let applied = Instant::now();
    let expected = apply_inline(&w, "other", 9).await;
    // Generous bound: a whole registry operation timeout (60 s) plus slack; the measured time
    // is what matters, printed below.
    let others = wait_all(&w, &expected, 90).await;
    let since_applied = applied.elapsed();
    assert_same_operator(&op, pid);
    report(
        "tarpit registry (accepts, never answers) for one Pacto",
        others,
        &format!(
            "the other {} Pactos' statuses {:.1} s after they were applied",
            expected.len(),
            since_applied.as_secs_f64()
        ),
    );
    // The stuck Pacto itself ends Unknown once its registry operation times out.
    let stuck_since = Instant::now();
    let p = w
        .wait_pacto("stuck", 150, "Unknown", |p| {
            status_of(p) == Some(ContractStatus::Unknown)
        })
        .await;
    eprintln!(
        "[fault] tarpit: the stuck Pacto became Unknown {:.1} s later ({} connections accepted): {:?}",
        stuck_since.elapsed().as_secs_f64(),
        tarpit.accepted.load(Ordering::Relaxed),
        p.status.map(|s| s
            .conditions
            .into_iter()
            .map(|c| (c.reason, c.message))
            .collect::<Vec<_>>())
    );
    assert_same_operator(&op, pid);
    drop(op);
    w.cleanup().await;
}

/// Peak resident memory of a process (VmHWM), in bytes.
fn peak_rss(pid: u32) -> u64 {
    vm_kib(pid, "VmHWM:") * 1024
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_answering_a_2_gib_manifest() {
    let Some((w, _serial)) = fault_world("flt-huge", false).await else {
        return;
    };
    let huge = HugeManifest::start().await;
    let op = Operator::start(&w, &[]);
    let pid = op.pid();
    let applied = Instant::now();
    w.apply(pacto(
        "huge",
        serde_json::json!({"oci": format!("{}/acme/huge:1.0.0", huge.host)}),
        None,
    ))
    .await;
    let expected = apply_inline(&w, "beside", 6).await;
    // The answer is refused for its size: the Pacto gets a status that says so, not a crash.
    let p = w
        .wait_pacto("huge", 90, "a status", |p| status_of(p).is_some())
        .await;
    let took = applied.elapsed();
    let status = p.status.clone().expect("status");
    let said: Vec<String> = status
        .conditions
        .iter()
        .map(|c| format!("{}: {}", c.reason, c.message))
        .collect();
    assert!(
        matches!(
            status.contract_status,
            Some(ContractStatus::Invalid | ContractStatus::Unknown)
        ),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|m| m.contains("4194304") || m.contains("too large") || m.contains("larger")),
        "the status does not name the size limit: {said:?}"
    );
    let others = wait_all(&w, &expected, 90).await;
    assert_same_operator(&op, pid);
    let peak = peak_rss(pid);
    let streamed = huge.sent.load(Ordering::Relaxed);
    // Far below 2 GiB: the answer was refused while it streamed, not after.
    assert!(peak < 256 * 1024 * 1024, "operator peak RSS {peak} bytes");
    report(
        "registry answering a 2 GiB manifest",
        others,
        &format!(
            "the Pacto refused in {:.1} s ({:?}), operator peak RSS {:.1} MiB, {} KiB streamed by the registry",
            took.as_secs_f64(),
            status.contract_status,
            peak as f64 / 1048576.0,
            streamed / 1024
        ),
    );
    drop(op);
    w.cleanup().await;
}
