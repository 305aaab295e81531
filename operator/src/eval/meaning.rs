//! "Changed in meaning": equality ignoring volatile fields, so a quiet cluster causes no writes.

use pacto_crds::PactoStatus;
use pacto_crds::status::EndpointStatus;

/// Whether `next` differs from `previous` in anything but latencies, lastCheckedTime,
/// lastReconciledAt and the findings' `evidenceRefs[].observedAt`.
pub fn meaning_changed(previous: &PactoStatus, next: &PactoStatus) -> bool {
    strip(previous) != strip(next)
}

fn strip(s: &PactoStatus) -> PactoStatus {
    let mut s = s.clone();
    s.last_checked_time = None;
    s.last_reconciled_at = None;
    if let Some(e) = s.endpoints.as_mut() {
        e.health.as_mut().map(strip_endpoint);
        e.metrics.as_mut().map(strip_endpoint);
    }
    for f in &mut s.findings {
        for e in &mut f.evidence_refs {
            e.observed_at.clear();
        }
    }
    s
}

fn strip_endpoint(e: &mut EndpointStatus) {
    e.latency_ms = None;
    for r in &mut e.replicas {
        r.latency_ms = None;
    }
}
