//! Impact of a version change: which consumers break if a service moves from one contract
//! version to another. The diff's classified changes ([`crate::diff`]) joined with the
//! service's transitive dependents ([`walk`]) and each direct consumer's `compatibility`
//! range ([`verdict`]). Pure: the caller diffs the two contracts and says who depends on
//! whom (from contracts with [`DependentsIndex`], or from the dashboard's snapshot).
//!
//! Verdicts: a direct consumer by its range (the table in [`verdict`]). Then, repeated
//! until nothing changes, any consumer that *requires* a consumer which is incompatible and
//! itself cannot work without the service (`required`) becomes incompatible too. Every other
//! transitive consumer is `compatible` when the change is NON_BREAKING and `unknown`
//! otherwise: its range is declared against the service it depends on, not the changed one.

mod index;
mod report;
pub mod verdict;
pub mod walk;

#[cfg(test)]
mod tests;

pub use index::DependentsIndex;
pub use report::{Consumer, ImpactReport, Limitation, LimitationCode, SCHEMA_VERSION, Verdict};
pub use walk::{Edge, MAX_REACHED, Reached, Walk};

use crate::diff::{Classification, ContractDiff};
use std::collections::BTreeSet;
use std::convert::Infallible;

/// The report for `service` moving from `versions.0` to `versions.1`, given the diff of the
/// two contracts and `dependents(name)`, the direct dependents of one service.
pub fn analyze(
    service: &str,
    versions: (&str, &str),
    diff: ContractDiff,
    mut dependents: impl FnMut(&str) -> Vec<Edge>,
) -> ImpactReport {
    let (old_version, new_version) = versions;
    let classification = diff.classification;
    let walked = match walk::walk::<Infallible>(service, |n| Ok(dependents(n))) {
        Ok(w) => w,
        Err(never) => match never {},
    };
    let mut consumers: Vec<Consumer> = walked
        .reached
        .iter()
        .map(|r| {
            let (compatibility_verdict, reason) = if r.depth == 1 {
                verdict::direct(
                    r.edge.compatibility.as_deref(),
                    old_version,
                    new_version,
                    classification,
                )
            } else if classification == Classification::NonBreaking {
                (
                    Verdict::Compatible,
                    format!("a non-breaking change reaches it only through {}", r.via()),
                )
            } else {
                (
                    Verdict::Unknown,
                    format!(
                        "reached through {}; its compatibility is declared against {}, not {service}",
                        r.via(),
                        r.via()
                    ),
                )
            };
            Consumer {
                service: r.name.clone(),
                depth: r.depth,
                direct: r.depth == 1,
                path: r.path.clone(),
                required: r.required_path,
                compatibility: (r.depth == 1)
                    .then(|| r.edge.compatibility.clone())
                    .flatten(),
                compatibility_verdict,
                reason,
            }
        })
        .collect();
    propagate(&mut consumers, &walked);
    let mut report = ImpactReport {
        schema_version: SCHEMA_VERSION.to_string(),
        service: service.to_string(),
        old_version: old_version.to_string(),
        new_version: new_version.to_string(),
        classification,
        breaking_changes: Vec::new(),
        potentially_breaking_changes: Vec::new(),
        non_breaking_changes: Vec::new(),
        consumers,
        limitations: Vec::new(),
    };
    for c in diff.changes {
        match c.classification {
            Classification::Breaking => report.breaking_changes.push(c),
            Classification::PotentialBreaking => report.potentially_breaking_changes.push(c),
            Classification::NonBreaking => report.non_breaking_changes.push(c),
        }
    }
    if walked.truncated {
        report.limitations.push(Limitation::new(
            LimitationCode::ConsumersTruncated,
            format!("only the first {MAX_REACHED} consumers were walked"),
        ));
    }
    if old_version == new_version {
        report.limitations.push(Limitation::new(
            LimitationCode::SameVersion,
            format!("both sides are {service} {old_version}: nothing to compare"),
        ));
    }
    report
}

/// A consumer that requires a broken one (incompatible and unable to work without the
/// service) is broken too; repeated until nothing changes (each pass marks one at least).
fn propagate(consumers: &mut [Consumer], walked: &Walk) {
    let broken = |c: &Consumer| c.required && c.compatibility_verdict == Verdict::Incompatible;
    let mut down: BTreeSet<String> = consumers
        .iter()
        .filter(|c| broken(c))
        .map(|c| c.service.clone())
        .collect();
    loop {
        let mut changed = false;
        for c in consumers.iter_mut() {
            if down.contains(&c.service) {
                continue;
            }
            let culprit = walked.edges.iter().find_map(|(target, edges)| {
                let requires = edges.iter().any(|e| e.name == c.service && e.required);
                (requires && down.contains(target)).then(|| target.clone())
            });
            if let Some(t) = culprit {
                if c.compatibility_verdict != Verdict::Incompatible {
                    c.compatibility_verdict = Verdict::Incompatible;
                    c.reason = format!("requires {t}, which is incompatible");
                }
                // Requiring a consumer that cannot work without the service.
                c.required = true;
                down.insert(c.service.clone());
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
