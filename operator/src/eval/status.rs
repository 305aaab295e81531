//! Desired status: contractStatus by precedence, conditions, summary and observed facts.

use pacto_crds::status::{CheckSummary, ValidationIssue, ValidationResult};
use pacto_crds::{
    ContractStatus, PactoStatus, READINESS_SATISFIED, READY, RECONCILING, STALLED, reasons,
};

use super::check::{Check, CheckResult, Outcome, Severity};
use super::conditions::condition;
use super::{EvalInput, checks, coverage, findings, observed_fields, project, readiness};

/// Headline status by precedence: Invalid > NonCompliant > Unknown > Warning > Compliant;
/// a Pacto without target is Reference once its contract is valid.
pub(crate) fn contract_status(checks: &[CheckResult], targeted: bool) -> ContractStatus {
    let failed = |sev: Severity| {
        checks
            .iter()
            .any(|c| c.outcome == Outcome::Fail && c.severity == sev)
    };
    if checks
        .iter()
        .any(|c| c.check == Check::ContractValid && c.outcome == Outcome::Fail)
    {
        return ContractStatus::Invalid;
    }
    if failed(Severity::Error) {
        return ContractStatus::NonCompliant;
    }
    if checks.iter().any(|c| c.outcome == Outcome::Unknown) {
        return ContractStatus::Unknown;
    }
    if !targeted {
        return ContractStatus::Reference;
    }
    if failed(Severity::Warning) {
        return ContractStatus::Warning;
    }
    ContractStatus::Compliant
}

/// Builds the complete desired status.
pub(crate) fn build(input: &EvalInput<'_>, results: &[CheckResult]) -> PactoStatus {
    let mut s = PactoStatus::default();
    match input.contract {
        Some(c) => project::project(
            &mut s,
            c,
            input.overrides,
            input.source.resolved_ref.as_deref(),
        ),
        // The contract could not be fetched: keep showing what was last known about it.
        None if input.unavailable.is_some() => carry_projection(&mut s, input.previous),
        None => {}
    }
    if let Some(r) = input.contract.and_then(|c| c.readiness.as_ref()) {
        s.readiness = Some(readiness::score(r, input.now));
    }
    s.validation = if input.contract.is_none() && input.unavailable.is_some() {
        input.previous.and_then(|p| p.validation.clone())
    } else {
        Some(validation(input))
    };
    let targeted = checks::is_targeted(input.target);
    let headline = contract_status(results, targeted);
    s.contract_status = Some(headline);
    s.resolution_policy = input.source.resolution_policy;
    s.resolved_ref = input.source.resolved_ref.clone();
    s.digest = input.source.digest.clone();
    s.current_revision = input.source.current_revision.clone();
    s.revisions = input.source.revisions.clone();
    let counted = results
        .iter()
        .filter(|r| r.check != Check::ContractResolved && r.outcome != Outcome::Unknown);
    let passed = counted
        .clone()
        .filter(|r| r.outcome == Outcome::Pass)
        .count();
    let failed = counted.filter(|r| r.outcome == Outcome::Fail).count();
    let (found, counts) = findings::collect(input, results);
    s.findings = found;
    s.summary = Some(CheckSummary {
        total: count(passed + failed),
        passed: count(passed),
        failed: count(failed),
        error_count: counts.error,
        warning_count: counts.warning,
        info_count: counts.info,
        unknown_count: counts.unknown,
    });
    s.evaluation_coverage = Some(coverage::of(input, results));
    if targeted && input.contract.is_some() {
        observed_fields::fill(&mut s, input);
    }
    s.conditions = results
        .iter()
        .map(|r| {
            condition(
                r.check.as_str(),
                r.outcome.condition_status(),
                &r.reason,
                &r.message,
                input.previous,
                input.generation,
                input.now,
            )
        })
        .collect();
    let (ready, reason, message) = ready(headline, results);
    s.conditions.push(condition(
        READY,
        ready,
        reason,
        &message,
        input.previous,
        input.generation,
        input.now,
    ));
    // Readiness is reported beside the checks, never weighed in contractStatus or Ready.
    if let Some(r) = &s.readiness {
        let (status, reason, message) = readiness::condition(r);
        s.conditions.push(condition(
            READINESS_SATISFIED,
            status,
            reason,
            &message,
            input.previous,
            input.generation,
            input.now,
        ));
    }
    let abnormal = match headline {
        ContractStatus::Invalid => Some((STALLED, reasons::STALLED_INVALID)),
        ContractStatus::Unknown => Some((RECONCILING, reasons::RECONCILING_RETRYING)),
        _ => None,
    };
    if let Some((type_, reason)) = abnormal {
        s.conditions.push(condition(
            type_,
            "True",
            reason,
            &message,
            input.previous,
            input.generation,
            input.now,
        ));
    }
    s.last_checked_time = Some(input.now.clone());
    s.last_reconciled_at = Some(input.now.clone());
    s.observed_generation = input.generation;
    super::status_bound::bound(&mut s);
    s
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// `Ready` per kstatus: True when the contract holds (Compliant, Warning, Reference), False
/// when it is broken, Unknown when it could not be observed.
fn ready(
    headline: ContractStatus,
    results: &[CheckResult],
) -> (&'static str, &'static str, String) {
    let first = |pred: &dyn Fn(&CheckResult) -> bool| {
        results
            .iter()
            .find(|r| pred(r))
            .map(|r| format!("{}: {}", r.check, r.message))
            .unwrap_or_default()
    };
    let (status, message) = match headline {
        ContractStatus::Compliant => ("True", "every check passed".to_string()),
        ContractStatus::Reference => ("True", "contract is valid; no target to check".to_string()),
        ContractStatus::Warning => ("True", first(&|r| r.outcome == Outcome::Fail)),
        ContractStatus::Unknown => ("Unknown", first(&|r| r.outcome == Outcome::Unknown)),
        ContractStatus::NonCompliant => (
            "False",
            first(&|r| r.outcome == Outcome::Fail && r.severity == Severity::Error),
        ),
        ContractStatus::Invalid => ("False", first(&|r| r.check == Check::ContractValid)),
    };
    // The Ready reason is the headline status itself.
    (status, headline.as_str(), message)
}

fn validation(input: &EvalInput<'_>) -> ValidationResult {
    let issue = |f: &pacto_core::Finding| ValidationIssue {
        code: f.code.clone(),
        path: (!f.path.is_empty()).then(|| f.path.clone()),
        message: f.message.clone(),
    };
    let v = input.validation;
    ValidationResult {
        valid: v.is_valid() && input.contract.is_some(),
        errors: v.errors.iter().map(issue).collect(),
        warnings: v.warnings.iter().map(issue).collect(),
    }
}

fn carry_projection(s: &mut PactoStatus, previous: Option<&PactoStatus>) {
    let Some(p) = previous else { return };
    s.contract_version = p.contract_version.clone();
    s.contract = p.contract.clone();
    s.interfaces = p.interfaces.clone();
    s.capabilities = p.capabilities.clone();
    s.configurations = p.configurations.clone();
    s.dependencies = p.dependencies.clone();
    s.policies = p.policies.clone();
    s.runtime = p.runtime.clone();
    s.scaling = p.scaling.clone();
    s.readiness = p.readiness.clone();
    s.metadata = p.metadata.clone();
}
