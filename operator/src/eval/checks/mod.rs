//! Every check: a pure function of (contract, observed snapshot, probes) -> [`CheckResult`].
//! Checks whose facts are absent (no runtime section, workload not read) are skipped, not
//! failed: the existence checks already say why.

mod configuration;
mod contract;
mod deps;
mod endpoints;
mod existence;
pub(crate) mod health;
mod image;
pub(crate) mod ports;
mod scaling;
pub(crate) mod workload;

use pacto_crds::Target;

use super::EvalInput;
use super::check::CheckResult;
use super::interfaces::Interfaces;
use super::probes::ProbeKind;
use super::target_snapshot::{Observed, asserted_kind};

/// Whether the Pacto has a runtime target (else it is a Reference).
pub(crate) fn is_targeted(target: Option<&Target>) -> bool {
    target.is_some_and(|t| t.service_name.is_some() || t.workload_ref.is_some())
}

/// Runs every applicable check, in condition order.
pub(crate) fn run(input: &EvalInput<'_>) -> Vec<CheckResult> {
    let mut out = contract::check(input);
    let (Some(c), Some(target)) = (input.contract, input.target) else {
        return out;
    };
    if !is_targeted(Some(target)) || !input.validation.is_valid() {
        return out;
    }
    out.extend(existence::check(input, target));
    let snap = input.snapshot;
    let svc = target.service_name.as_ref().and(snap.service.found());
    // A workload of another kind than the one asserted is treated as absent.
    let asserted = asserted_kind(target);
    let workload = snap
        .workload
        .found()
        .filter(|w| asserted.is_none_or(|k| k == w.kind()));
    let pod = workload.and_then(|w| w.pod_spec());
    let ifs = Interfaces::new(c, Some(target), svc, input.settings.interface_name_match);

    if let Some(s) = svc {
        out.push(ports::ports_valid(&ifs, s, &snap.workload));
        if let Some(t) = workload.and_then(|w| w.pod_template()) {
            out.push(ports::selects(s, t));
        }
    }
    if let (Some(declared), Some(w)) = (c.workload(), workload) {
        out.push(workload::type_match(declared, w));
    }
    if let (Some(state), Some(w)) = (c.state(), workload) {
        out.push(workload::state_match(state, w));
    }
    // lifecycle: 1.x `runtime.lifecycle`, or the one `pacto migrate` kept in a 2.0 contract.
    if let (Some(lifecycle), Some(w)) = (c.lifecycle(), workload) {
        if let Some(u) = lifecycle.upgrade_strategy {
            out.push(workload::strategy_match(u, w));
        }
        if let Some(g) = lifecycle.graceful_shutdown_seconds {
            out.push(workload::grace_match(g, w));
        }
    }
    // image and scaling: 1.x fields, or the ones `pacto migrate` kept in a 2.0 contract.
    if let (Some(img), Some(pod)) = (c.image(), pod) {
        out.push(image::image_match(&img.reference, pod));
    }
    // health and metrics: 1.x `runtime.*`, or a 2.0 capability bound to an interface.
    let (health, metrics) = (c.health(), c.metrics());
    if let (Some(h), Some(pod)) = (&health, pod) {
        out.push(health::probe_match(&ifs, h, pod));
        if let Some(d) = h.initial_delay_seconds {
            out.push(health::timing_match(&ifs, h, d, pod));
        }
    }
    if let (Some(s), Some(w)) = (c.scaling(), workload)
        && let Some(r) = scaling::scaling_match(&s, w, &snap.hpa)
    {
        out.push(r);
    }
    if let Some(r) = deps::dependencies_satisfied(c, &snap.dependencies) {
        out.push(r);
    }
    // Endpoints are probed through the Service's EndpointSlices, so they need the Service.
    if matches!(snap.service, Observed::Found(_)) && target.service_name.is_some() {
        let threshold = input.settings.probe_threshold;
        if let Some(h) = &health {
            out.push(endpoints::endpoint_check(
                ProbeKind::Health,
                &ifs,
                &h.interface,
                input.probes.health.as_ref(),
                input.previous,
                threshold,
            ));
        }
        if let Some(m) = &metrics {
            out.push(endpoints::endpoint_check(
                ProbeKind::Metrics,
                &ifs,
                &m.interface,
                input.probes.metrics.as_ref(),
                input.previous,
                threshold,
            ));
        }
    }
    out.extend(configuration::check(
        c,
        target,
        &snap.configuration,
        workload,
    ));
    out
}
