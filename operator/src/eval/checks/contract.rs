//! ContractResolved and ContractValid.

use super::super::EvalInput;
use super::super::check::{Check, CheckResult};
use pacto_crds::reasons;

/// Findings quoted in the ContractValid message before "and N more".
const QUOTED_FINDINGS: usize = 3;

pub(super) fn check(input: &EvalInput<'_>) -> Vec<CheckResult> {
    let mut out = Vec::new();
    match (input.unavailable, input.resolution_issue) {
        (Some(u), _) => out.push(CheckResult::unknown(
            Check::ContractResolved,
            &u.reason,
            u.message.clone(),
        )),
        (None, Some(issue)) => out.push(
            CheckResult::fail(
                Check::ContractResolved,
                &issue.reason,
                issue.message.clone(),
            )
            .with_severity(issue.severity),
        ),
        (None, None) => out.push(CheckResult::pass(
            Check::ContractResolved,
            reasons::RESOLVED,
            match &input.source.resolved_ref {
                Some(r) => format!("contract pulled from {r}"),
                None => "inline contract".to_string(),
            },
        )),
    }
    let v = input.validation;
    match input.contract {
        Some(c) if v.is_valid() => {
            let mut msg = format!(
                "contract {} v{} is valid",
                c.service.name, c.service.version
            );
            if !v.warnings.is_empty() {
                msg.push_str(&format!(" ({} warnings)", v.warnings.len()));
            }
            out.push(CheckResult::pass(Check::ContractValid, reasons::VALID, msg));
        }
        None if input.unavailable.is_some() => {}
        _ => {
            let mut parts: Vec<String> = v
                .errors
                .iter()
                .take(QUOTED_FINDINGS)
                .map(|f| {
                    if f.path.is_empty() {
                        format!("{}: {}", f.code, f.message)
                    } else {
                        format!("{} at {}: {}", f.code, f.path, f.message)
                    }
                })
                .collect();
            if v.errors.len() > QUOTED_FINDINGS {
                parts.push(format!("and {} more", v.errors.len() - QUOTED_FINDINGS));
            }
            if parts.is_empty() {
                parts.push("the contract could not be loaded".to_string());
            }
            out.push(CheckResult::fail(
                Check::ContractValid,
                reasons::INVALID,
                parts.join("; "),
            ));
        }
    }
    out
}
