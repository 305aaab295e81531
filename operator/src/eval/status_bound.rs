//! Keeps a status writable: whatever a hostile metrics body, thousands of replicas or a huge
//! contract produce, the serialised status stays under [`MAX_STATUS_BYTES`]. Long lists are
//! cut and the cut is counted in a condition message, never silent.

use pacto_crds::PactoStatus;
use pacto_crds::READY;
use pacto_crds::status::{EndpointStatus, ReplicaProbe};

use super::check::Check;
use super::probes::cap_error;

/// Budget of one serialised status (the API server's own limit is far higher; a status this
/// large is already unreadable).
pub const MAX_STATUS_BYTES: usize = 64 * 1024;

/// Replicas listed per endpoint; `replicasProbed` keeps the full count.
pub const MAX_LISTED_REPLICAS: usize = 32;

/// Longest condition message kept (bytes).
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// Longest metadata value kept (bytes).
const MAX_METADATA_VALUE_BYTES: usize = 1024;

/// Rounds of list halving before giving up (each round halves the largest list).
const MAX_ROUNDS: usize = 128;

/// Bounds `s` in place (see the module documentation).
pub(crate) fn bound(s: &mut PactoStatus) {
    let mut notes = Vec::new();
    if let Some(e) = s.endpoints.as_mut() {
        for (check, ep, field) in [
            (Check::HealthEndpointValid, e.health.as_mut(), "health"),
            (Check::MetricsEndpointValid, e.metrics.as_mut(), "metrics"),
        ] {
            let Some(ep) = ep else { continue };
            let total = ep.replicas.len();
            let dropped = bound_endpoint(ep, MAX_LISTED_REPLICAS);
            if dropped > 0 {
                let note = format!(
                    "status.endpoints.{field}.replicas lists {} of {total} replicas ({dropped} not listed)",
                    total - dropped
                );
                append_to_condition(&mut s.conditions, check.as_str(), &note);
            }
        }
    }
    for v in s.metadata.values_mut() {
        *v = cap_bytes(v, MAX_METADATA_VALUE_BYTES);
    }
    for c in &mut s.conditions {
        c.message = cap_bytes(&c.message, MAX_MESSAGE_BYTES);
    }
    for _ in 0..MAX_ROUNDS {
        if size(s) <= MAX_STATUS_BYTES {
            break;
        }
        match halve_largest_list(s) {
            Some(note) => notes.push(note),
            None => break,
        }
    }
    if !notes.is_empty() {
        let note = format!(
            "status cut to stay under {} KiB: {}",
            MAX_STATUS_BYTES / 1024,
            merge_notes(&notes)
        );
        append_to_condition(&mut s.conditions, READY, &note);
    }
}

fn size(s: &PactoStatus) -> usize {
    serde_json::to_vec(s).map(|v| v.len()).unwrap_or(usize::MAX)
}

/// `text` cut to `max` bytes at a character boundary, `…` marking the cut.
pub fn cap_bytes(text: &str, max: usize) -> String {
    const MARK: &str = "…";
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(MARK.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{MARK}", &text[..end])
}

/// Caps the error texts and lists at most `keep` replicas (failing ones first, then by
/// address); returns how many were left out.
fn bound_endpoint(ep: &mut EndpointStatus, keep: usize) -> usize {
    ep.error = ep.error.as_deref().map(cap_error);
    for r in &mut ep.replicas {
        r.error = r.error.as_deref().map(cap_error);
        r.address = cap_bytes(&r.address, 64);
        r.pod_name = r.pod_name.as_deref().map(|p| cap_bytes(p, 253));
    }
    let total = ep.replicas.len();
    if total <= keep {
        return 0;
    }
    let mut replicas: Vec<ReplicaProbe> = std::mem::take(&mut ep.replicas);
    replicas.sort_by(|a, b| {
        a.reachable
            .cmp(&b.reachable)
            .then(a.address.cmp(&b.address))
    });
    replicas.truncate(keep);
    replicas.sort_by(|a, b| a.address.cmp(&b.address));
    ep.replicas = replicas;
    total - keep
}

fn append_to_condition(
    conditions: &mut [k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition],
    type_: &str,
    note: &str,
) {
    if let Some(c) = conditions.iter_mut().find(|c| c.type_ == type_) {
        c.message = if c.message.is_empty() {
            note.to_string()
        } else {
            format!("{}; {note}", c.message)
        };
    }
}

/// Merges repeated cuts of the same list into one count each.
fn merge_notes(notes: &[(&'static str, usize)]) -> String {
    let mut merged: Vec<(&'static str, usize)> = Vec::new();
    for (name, n) in notes {
        match merged.iter_mut().find(|(m, _)| m == name) {
            Some((_, total)) => *total += n,
            None => merged.push((name, *n)),
        }
    }
    merged
        .iter()
        .map(|(name, n)| format!("{name}: {n} dropped"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_len<T: serde::Serialize>(v: &T) -> usize {
    serde_json::to_vec(v).map(|v| v.len()).unwrap_or(0)
}

/// Keeps the first half of the list that takes the most bytes; `None` when no list has more
/// than one entry left.
fn halve_largest_list(s: &mut PactoStatus) -> Option<(&'static str, usize)> {
    fn halve<T>(v: &mut Vec<T>) -> usize {
        let keep = v.len() / 2;
        let dropped = v.len() - keep;
        v.truncate(keep);
        dropped
    }
    let validation = s.validation.as_ref();
    let endpoints = s.endpoints.as_ref();
    let candidates: [(&'static str, usize, usize); 14] = [
        ("findings", json_len(&s.findings), s.findings.len()),
        (
            "capabilities",
            json_len(&s.capabilities),
            s.capabilities.len(),
        ),
        (
            "validation.errors",
            validation.map_or(0, |v| json_len(&v.errors)),
            validation.map_or(0, |v| v.errors.len()),
        ),
        (
            "validation.warnings",
            validation.map_or(0, |v| json_len(&v.warnings)),
            validation.map_or(0, |v| v.warnings.len()),
        ),
        ("interfaces", json_len(&s.interfaces), s.interfaces.len()),
        (
            "configurations",
            json_len(&s.configurations),
            s.configurations.len(),
        ),
        (
            "dependencies",
            json_len(&s.dependencies),
            s.dependencies.len(),
        ),
        ("policies", json_len(&s.policies), s.policies.len()),
        ("metadata", json_len(&s.metadata), s.metadata.len()),
        ("revisions", json_len(&s.revisions), s.revisions.len()),
        (
            "observedRuntime.containerImages",
            s.observed_runtime
                .as_ref()
                .map_or(0, |o| json_len(&o.container_images)),
            s.observed_runtime
                .as_ref()
                .map_or(0, |o| o.container_images.len()),
        ),
        (
            "endpoints.health.replicas",
            endpoints
                .and_then(|e| e.health.as_ref())
                .map_or(0, |h| json_len(&h.replicas)),
            endpoints
                .and_then(|e| e.health.as_ref())
                .map_or(0, |h| h.replicas.len()),
        ),
        (
            "endpoints.metrics.replicas",
            endpoints
                .and_then(|e| e.metrics.as_ref())
                .map_or(0, |h| json_len(&h.replicas)),
            endpoints
                .and_then(|e| e.metrics.as_ref())
                .map_or(0, |h| h.replicas.len()),
        ),
        (
            "ports",
            s.ports.as_ref().map_or(0, json_len),
            s.ports.as_ref().map_or(0, |p| {
                p.expected
                    .len()
                    .max(p.observed.len())
                    .max(p.missing.len())
                    .max(p.unexpected.len())
            }),
        ),
    ];
    let (name, _, _) = candidates
        .into_iter()
        .filter(|(_, _, len)| *len > 1)
        .max_by_key(|(_, bytes, _)| *bytes)?;
    let dropped = match name {
        "validation.errors" => s.validation.as_mut().map_or(0, |v| halve(&mut v.errors)),
        "validation.warnings" => s.validation.as_mut().map_or(0, |v| halve(&mut v.warnings)),
        "findings" => halve(&mut s.findings),
        "capabilities" => halve(&mut s.capabilities),
        "interfaces" => halve(&mut s.interfaces),
        "configurations" => halve(&mut s.configurations),
        "dependencies" => halve(&mut s.dependencies),
        "policies" => halve(&mut s.policies),
        "metadata" => {
            let keep = s.metadata.len() / 2;
            let dropped = s.metadata.len() - keep;
            s.metadata = std::mem::take(&mut s.metadata)
                .into_iter()
                .take(keep)
                .collect();
            dropped
        }
        "revisions" => halve(&mut s.revisions),
        "observedRuntime.containerImages" => s
            .observed_runtime
            .as_mut()
            .map_or(0, |o| halve(&mut o.container_images)),
        "endpoints.health.replicas" => s
            .endpoints
            .as_mut()
            .and_then(|e| e.health.as_mut())
            .map_or(0, |h| halve(&mut h.replicas)),
        "endpoints.metrics.replicas" => s
            .endpoints
            .as_mut()
            .and_then(|e| e.metrics.as_mut())
            .map_or(0, |h| halve(&mut h.replicas)),
        _ => s.ports.as_mut().map_or(0, |p| {
            halve(&mut p.expected)
                + halve(&mut p.observed)
                + halve(&mut p.missing)
                + halve(&mut p.unexpected)
        }),
    };
    Some((name, dropped))
}
