//! DependenciesSatisfied: each declared dependency has a Pacto in the cluster whose contract
//! version satisfies `compatibility`. A failing required dependency is an error, a failing
//! optional one a warning; a lookup that could not run makes the check Unknown.

use pacto_core::Contract;
use pacto_core::semver_range::{Constraint, parse_version_lenient};
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult, Severity};
use super::super::target_snapshot::ObservedDependency;

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
    for d in &c.dependencies {
        let key = d.key();
        let kind = if d.required { "required" } else { "optional" };
        let bucket = |msg: String, errors: &mut Vec<String>, warnings: &mut Vec<String>| {
            if d.required {
                errors.push(msg)
            } else {
                warnings.push(msg)
            }
        };
        let Some(o) = observed.iter().find(|o| o.name == key) else {
            unknown.push(format!("{key}: not looked up"));
            continue;
        };
        if let Some(why) = &o.unobservable {
            unknown.push(format!("{key}: {why}"));
            continue;
        }
        let Some(pacto) = &o.pacto else {
            bucket(
                format!("{kind} dependency {key} has no Pacto in the cluster"),
                &mut errors,
                &mut warnings,
            );
            continue;
        };
        let Some(version) = &o.found_version else {
            unknown.push(format!("{key}: Pacto {pacto} has no contract version yet"));
            continue;
        };
        let range = match Constraint::parse(&d.compatibility) {
            Ok(r) => r,
            Err(e) => {
                bucket(format!("{key}: {e}"), &mut errors, &mut warnings);
                continue;
            }
        };
        let ok = parse_version_lenient(version).is_some_and(|v| range.matches(&v));
        if !ok {
            bucket(
                format!(
                    "{kind} dependency {key} is at {version} ({pacto}), outside {}",
                    d.compatibility
                ),
                &mut errors,
                &mut warnings,
            );
        }
    }
    Some(if !errors.is_empty() {
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
    })
}
