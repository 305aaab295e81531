//! DependenciesSatisfied: each declared dependency has a Pacto in the cluster whose contract
//! version satisfies `compatibility`. A failing required dependency is an error, a failing
//! optional one a warning; a lookup that could not run makes the check Unknown. Each failing
//! or unobservable dependency is also one finding.

use pacto_core::Contract;
use pacto_core::model::Dependency;
use pacto_core::semver_range::{Constraint, parse_version_lenient};
use pacto_crds::reasons;
use pacto_crds::status::FindingSeverity;
use pacto_crds::vocabulary::findings as codes;

use super::super::check::{Check, CheckResult, Severity};
use super::super::draft::{Evidence, FindingDraft};
use super::super::target_snapshot::ObservedDependency;

/// What one dependency contributes.
enum Verdict {
    Satisfied,
    /// Not satisfied: the finding code and the message.
    Failed(&'static str, String),
    /// Could not be told: the finding code and the message.
    Unknown(&'static str, String),
}

fn judge(d: &Dependency, key: &str, observed: &[ObservedDependency]) -> Verdict {
    let kind = if d.required { "required" } else { "optional" };
    let Some(o) = observed.iter().find(|o| o.name == key) else {
        return Verdict::Unknown(codes::EVIDENCE_MISSING, format!("{key}: not looked up"));
    };
    if let Some(why) = &o.unobservable {
        return Verdict::Unknown(codes::COLLECTION_FAILED, format!("{key}: {why}"));
    }
    let Some(pacto) = &o.pacto else {
        return Verdict::Failed(
            codes::DEPENDENCY_UNREACHABLE,
            format!("{kind} dependency {key} has no Pacto in the cluster"),
        );
    };
    let Some(version) = &o.found_version else {
        return Verdict::Unknown(
            codes::EVIDENCE_MISSING,
            format!("{key}: Pacto {pacto} has no contract version yet"),
        );
    };
    let range = match Constraint::parse(&d.compatibility) {
        Ok(r) => r,
        Err(e) => return Verdict::Failed(codes::DEPENDENCY_INCOMPATIBLE, format!("{key}: {e}")),
    };
    if parse_version_lenient(version).is_some_and(|v| range.matches(&v)) {
        Verdict::Satisfied
    } else {
        Verdict::Failed(
            codes::DEPENDENCY_INCOMPATIBLE,
            format!(
                "{kind} dependency {key} is at {version} ({pacto}), outside {}",
                d.compatibility
            ),
        )
    }
}

pub(super) fn dependencies_satisfied(
    c: &Contract,
    observed: &[ObservedDependency],
) -> Option<CheckResult> {
    if c.dependencies.is_empty() {
        return None;
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut unknown = Vec::new();
    let mut findings = Vec::new();
    for (i, d) in c.dependencies.iter().enumerate() {
        let key = d.key();
        let finding = |code: &str, severity: FindingSeverity, category, msg: &str| {
            FindingDraft::new(code, severity, category, msg)
                .subject(key.clone())
                .path(format!("dependencies[{i}]"))
        };
        match judge(d, &key, observed) {
            Verdict::Satisfied => {}
            Verdict::Failed(code, msg) => {
                let severity = if d.required {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                findings.push(
                    finding(
                        code,
                        severity.finding(),
                        codes::CATEGORY_RUNTIME_DRIFT,
                        &msg,
                    )
                    .evidence(Evidence::Kubernetes),
                );
                match severity {
                    Severity::Error => errors.push(msg),
                    Severity::Warning => warnings.push(msg),
                }
            }
            Verdict::Unknown(code, msg) => {
                findings.push(finding(
                    code,
                    FindingSeverity::Unknown,
                    codes::CATEGORY_OBSERVATION,
                    &msg,
                ));
                unknown.push(msg);
            }
        }
    }
    let result = if !errors.is_empty() {
        errors.extend(warnings);
        CheckResult::fail(
            Check::DependenciesSatisfied,
            reasons::UNSATISFIED,
            errors.join("; "),
        )
    } else if !unknown.is_empty() {
        CheckResult::unknown(
            Check::DependenciesSatisfied,
            reasons::OBSERVATION_FAILED,
            unknown.join("; "),
        )
    } else if !warnings.is_empty() {
        CheckResult::fail(
            Check::DependenciesSatisfied,
            reasons::OPTIONAL_UNSATISFIED,
            warnings.join("; "),
        )
        .with_severity(Severity::Warning)
    } else {
        CheckResult::pass(
            Check::DependenciesSatisfied,
            reasons::SATISFIED,
            format!(
                "{} dependencies present and compatible",
                c.dependencies.len()
            ),
        )
    };
    Some(result.with_findings(findings))
}
