//! Check results -> `metav1.Condition`s whose lastTransitionTime only moves on a status flip.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use pacto_crds::PactoStatus;

/// Builds a condition, keeping `previous`'s lastTransitionTime when the status is unchanged.
pub(crate) fn condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    previous: Option<&PactoStatus>,
    generation: Option<i64>,
    now: &Time,
) -> Condition {
    let last_transition_time = previous
        .and_then(|p| find(p, type_))
        .filter(|c| c.status == status)
        .map(|c| c.last_transition_time.clone())
        .unwrap_or_else(|| now.clone());
    Condition {
        type_: type_.to_string(),
        status: status.to_string(),
        reason: sanitize_reason(reason),
        message: cap_message(message),
        last_transition_time,
        observed_generation: generation,
    }
}

/// Longest condition message kept (the API allows 32 KiB; status stays small and readable).
pub(crate) const MAX_MESSAGE: usize = 1024;

/// Cuts long messages on a character boundary, marking the cut.
fn cap_message(message: &str) -> String {
    if message.len() <= MAX_MESSAGE {
        return message.to_string();
    }
    let mut end = MAX_MESSAGE - 3;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &message[..end])
}

/// The condition of `type_` in `status`.
pub(crate) fn find<'a>(status: &'a PactoStatus, type_: &str) -> Option<&'a Condition> {
    status.conditions.iter().find(|c| c.type_ == type_)
}

/// The API rejects reasons outside `[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?` (max 1024); reasons
/// coming from the runtime are forced into that shape rather than failing the status write.
fn sanitize_reason(reason: &str) -> String {
    let mut out: String = reason
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(1024)
        .collect();
    while out.starts_with(|c: char| !c.is_ascii_alphabetic()) {
        out.remove(0);
    }
    if out.is_empty() {
        "Unspecified".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_capped_on_char_boundaries() {
        let long = "é".repeat(2000);
        let capped = cap_message(&long);
        assert!(capped.len() <= MAX_MESSAGE);
        assert!(capped.ends_with("..."));
        assert_eq!(cap_message("short"), "short");
    }

    #[test]
    fn reasons_are_made_api_valid() {
        assert_eq!(
            sanitize_reason("Registry Unavailable!"),
            "RegistryUnavailable"
        );
        assert_eq!(sanitize_reason("404NotFound"), "NotFound");
        assert_eq!(sanitize_reason("---"), "Unspecified");
    }
}
