//! Kubernetes events for transitions only: a quiet pass yields none.

use pacto_crds::{ContractStatus, PactoStatus, READY, RECONCILING, STALLED, reasons};

use super::SourceInfo;

/// Event type (`Normal` or `Warning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    /// Informational.
    Normal,
    /// Something needs attention.
    Warning,
}

/// Event reason: status changed.
pub const REASON_STATUS_CHANGED: &str = reasons::EVENT_STATUS_CHANGED;
/// Event reason: a new PactoRevision was recorded.
pub const REASON_REVISION_CREATED: &str = reasons::EVENT_REVISION_CREATED;
/// Event reason: the same tag now points at different content.
pub const REASON_TAG_OVERWRITTEN: &str = reasons::EVENT_TAG_OVERWRITTEN;

/// One event to publish on the Pacto.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionEvent {
    /// Normal or Warning.
    pub type_: EventType,
    /// CamelCase reason (one of the `REASON_*` constants).
    pub reason: &'static str,
    /// Human-readable note.
    pub note: String,
}

/// A status in an event note (`none` before the first status).
fn status_name(s: Option<ContractStatus>) -> &'static str {
    s.map_or("none", ContractStatus::as_str)
}

/// Events between `previous` and the new `status`.
pub(crate) fn transitions(
    previous: Option<&PactoStatus>,
    status: &PactoStatus,
    source: &SourceInfo,
) -> Vec<TransitionEvent> {
    let mut out = Vec::new();
    let before = previous.and_then(|p| p.contract_status);
    let new_revision = source.current_revision.as_ref().filter(|rev| {
        !previous.is_some_and(|p| {
            p.current_revision.as_ref() == Some(*rev) || p.revisions.iter().any(|r| &r.name == *rev)
        })
    });
    let revision_note = |rev: &str| {
        format!(
            "recorded revision {rev} (version {})",
            status.contract_version.as_deref().unwrap_or("unknown")
        )
    };
    // A Pacto's first status says its first revision in the same event: one event, not two,
    // per new Pacto (thousands at an operator's first start).
    let first_status = previous.is_none_or(|p| p.contract_status.is_none());
    let mut revision_told = false;
    if before != status.contract_status {
        let type_ = match status.contract_status {
            Some(ContractStatus::Compliant | ContractStatus::Reference) => EventType::Normal,
            _ => EventType::Warning,
        };
        let mut note = format!(
            "contract status {} -> {}",
            status_name(before),
            status_name(status.contract_status)
        );
        let why = failing_reasons(status);
        if !why.is_empty() {
            note.push_str(&format!(": {why}"));
        }
        if let Some(rev) = new_revision.filter(|_| first_status) {
            note.push_str(&format!("; {}", revision_note(rev)));
            revision_told = true;
        }
        out.push(TransitionEvent {
            type_,
            reason: REASON_STATUS_CHANGED,
            note,
        });
    }
    if let Some(rev) = new_revision.filter(|_| !revision_told) {
        out.push(TransitionEvent {
            type_: EventType::Normal,
            reason: REASON_REVISION_CREATED,
            note: revision_note(rev),
        });
    }
    if let (Some(prev), Some(now_ref), Some(now_digest)) =
        (previous, &source.resolved_ref, &source.digest)
        && prev.resolved_ref.as_ref() == Some(now_ref)
        && prev.digest.as_ref().is_some_and(|d| d != now_digest)
    {
        let old = prev.digest.as_deref().unwrap_or_default();
        out.push(TransitionEvent {
            type_: EventType::Warning,
            reason: REASON_TAG_OVERWRITTEN,
            note: format!("{now_ref} moved from {old} to {now_digest}"),
        });
    }
    out
}

/// `Type: reason` of the failing or unknown conditions, for the status-change note.
fn failing_reasons(status: &PactoStatus) -> String {
    status
        .conditions
        .iter()
        .filter(|c| {
            // Leaves out the summaries of the checks; a failing ReadinessSatisfied is named.
            ![READY, STALLED, RECONCILING].contains(&c.type_.as_str()) && c.status != "True"
        })
        .map(|c| format!("{}={}", c.type_, c.reason))
        .collect::<Vec<_>>()
        .join(", ")
}
