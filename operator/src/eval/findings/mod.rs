//! `status.findings` and the severity counts of `status.summary`: the per-subject detail of the
//! checks. Every check that did not pass yields at least one finding (its own, else one standing
//! for the whole check, see [`fallback`]); contract validation yields one per error (`error`)
//! and per warning (`info`: validation warnings never change `contractStatus`). So the counts
//! agree with the headline: an `error` finding exactly when a check failed with severity Error
//! (NonCompliant, Invalid), `unknown` when one could not be observed, `warning` for a failed
//! warning-severity check. A passing check may attach `info` findings (an unbound interface).
//!
//! Deterministic: sorted (most severe first, then code, subject, path, message), duplicates
//! dropped, no clock in the meaning; `evidenceRefs[].observedAt` is the evaluation time and is
//! ignored by `meaning_changed`. Bounded by the limits of `pacto_crds::findings`.

mod fallback;

use pacto_crds::findings::{
    MAX_EVIDENCE_REFS, MAX_FINDING_FIELD_BYTES, MAX_FINDING_MESSAGE_BYTES, MAX_FINDINGS,
};
use pacto_crds::status::{EvidenceRef, Finding, FindingSeverity};
use pacto_crds::vocabulary::findings as codes;

use super::EvalInput;
use super::check::{Check, CheckResult, Outcome};
use super::draft::FindingDraft;
use super::status_bound::cap_bytes;

/// Findings by severity, of every finding (also those left out of the list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub error: i32,
    pub warning: i32,
    pub info: i32,
    pub unknown: i32,
}

/// The status findings (sorted, bounded) and their counts.
pub(crate) fn collect(input: &EvalInput<'_>, results: &[CheckResult]) -> (Vec<Finding>, Counts) {
    let mut drafts = validation(input, results);
    for r in results {
        if r.outcome == Outcome::Pass {
            // A passing check may still note something (info: an unbound interface).
            drafts.extend(r.findings.iter().cloned());
            continue;
        }
        if r.check == Check::ContractValid && !input.validation.errors.is_empty() {
            continue; // one finding per validation error, above
        }
        if r.findings.is_empty() {
            drafts.push(fallback::finding(input, r));
        } else {
            drafts.extend(r.findings.iter().cloned());
        }
    }
    let observed_at = input.now.0.to_string();
    let mut findings: Vec<Finding> = drafts
        .into_iter()
        .map(|d| finding(d, &observed_at))
        .collect();
    findings.sort_by(|a, b| {
        (
            a.severity.rank(),
            &a.code,
            &a.subject,
            &a.contract_path,
            &a.message,
        )
            .cmp(&(
                b.severity.rank(),
                &b.code,
                &b.subject,
                &b.contract_path,
                &b.message,
            ))
    });
    findings.dedup();
    let mut counts = Counts::default();
    for f in &findings {
        let n = match f.severity {
            FindingSeverity::Error => &mut counts.error,
            FindingSeverity::Warning => &mut counts.warning,
            FindingSeverity::Info => &mut counts.info,
            FindingSeverity::Unknown => &mut counts.unknown,
        };
        *n = n.saturating_add(1);
    }
    findings.truncate(MAX_FINDINGS);
    (findings, counts)
}

/// One finding per validation error (when ContractValid failed) and per warning.
fn validation(input: &EvalInput<'_>, results: &[CheckResult]) -> Vec<FindingDraft> {
    let Some(valid) = results.iter().find(|r| r.check == Check::ContractValid) else {
        return Vec::new();
    };
    let v = input.validation;
    let errors = v
        .errors
        .iter()
        .filter(|_| valid.outcome == Outcome::Fail)
        .map(|f| (f, FindingSeverity::Error));
    let warnings = v.warnings.iter().map(|f| (f, FindingSeverity::Info));
    errors
        .chain(warnings)
        .map(|(f, severity)| {
            FindingDraft::new(
                &f.code,
                severity,
                codes::CATEGORY_CONTRACT_VALIDATION,
                f.message.clone(),
            )
            .maybe_path((!f.path.is_empty()).then(|| f.path.clone()))
        })
        .collect()
}

fn finding(d: FindingDraft, observed_at: &str) -> Finding {
    let field = |s: Option<String>| s.map(|s| cap_bytes(&s, MAX_FINDING_FIELD_BYTES));
    let mut evidence_refs: Vec<EvidenceRef> = d
        .evidence
        .into_iter()
        .map(|e| EvidenceRef {
            source: e.as_str().to_string(),
            observed_at: observed_at.to_string(),
        })
        .collect();
    evidence_refs.truncate(MAX_EVIDENCE_REFS);
    Finding {
        code: cap_bytes(&d.code, MAX_FINDING_FIELD_BYTES),
        severity: d.severity,
        category: d.category.to_string(),
        subject: field(d.subject),
        contract_path: field(d.contract_path),
        message: cap_bytes(&d.message, MAX_FINDING_MESSAGE_BYTES),
        evidence_refs,
    }
}
