//! The v1.x contract rule table (reference/contract.md §5.2): (rule path, change type)
//! → classification. Rule paths are change paths with bracketed keys removed
//! (`interfaces[api].port` → `interfaces.port`). Any pair not listed is
//! POTENTIAL_BREAKING.

use super::change::{ChangeType, Classification};

const N: Option<Classification> = Some(Classification::NonBreaking);
const P: Option<Classification> = Some(Classification::PotentialBreaking);
const B: Option<Classification> = Some(Classification::Breaking);
const X: Option<Classification> = None;

/// One row: rule path and the classification for added / modified / removed
/// (`None` = not ruled, falls to the POTENTIAL_BREAKING default).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub path: &'static str,
    pub added: Option<Classification>,
    pub modified: Option<Classification>,
    pub removed: Option<Classification>,
}

const fn r(
    path: &'static str,
    added: Option<Classification>,
    modified: Option<Classification>,
    removed: Option<Classification>,
) -> Rule {
    Rule {
        path,
        added,
        modified,
        removed,
    }
}

/// Every v1.x rule. Field-level rows under `service.image` / `service.chart` and
/// `pactoVersion` (NON) are our additions: the format version is not
/// consumer-facing, and the normalised model makes 1.0 and 1.1 contracts comparable.
pub const V1_RULES: &[Rule] = &[
    r("pactoVersion", X, N, X),
    r("service.name", X, B, X),
    r("service.version", X, N, X),
    r("service.owner", N, N, N),
    r("service.owner.team", N, N, N),
    r("service.owner.dri", N, N, N),
    r("service.owner.contacts", N, N, N),
    r("service.image", N, N, N),
    r("service.image.ref", X, N, X),
    r("service.image.private", X, N, X),
    r("service.chart", N, N, N),
    r("service.chart.ref", X, N, X),
    r("service.chart.version", X, N, X),
    r("interfaces", N, X, B),
    r("interfaces.type", X, B, X),
    r("interfaces.port", P, B, B),
    r("interfaces.visibility", X, P, X),
    r("interfaces.contract", X, P, X),
    r("configurations", N, X, B),
    r("configurations.schema", N, P, B),
    r("configurations.ref", N, P, B),
    r("configurations.values", N, N, N),
    r("policies", N, X, P),
    r("policies.schema", X, P, X),
    r("policies.ref", N, P, P),
    r("runtime.workload", X, B, X),
    r("runtime.state.type", X, B, X),
    r("runtime.state.persistence.scope", X, B, X),
    r("runtime.state.persistence.durability", X, B, X),
    r("runtime.state.dataCriticality", X, P, X),
    r("runtime.lifecycle.upgradeStrategy", N, P, P),
    r("runtime.lifecycle.gracefulShutdownSeconds", N, N, N),
    r("runtime.health.interface", N, P, P),
    r("runtime.health.path", N, P, P),
    r("runtime.health.initialDelaySeconds", N, N, N),
    r("runtime.metrics.interface", N, P, P),
    r("runtime.metrics.path", N, P, P),
    r("scaling", N, P, P),
    r("scaling.replicas", X, P, X),
    r("scaling.min", X, P, X),
    r("scaling.max", X, N, X),
    r("dependencies", N, X, B),
    r("dependencies.ref", X, P, X),
    r("dependencies.compatibility", X, P, X),
    r("dependencies.required", X, P, X),
    r("readiness", N, N, N),
    r("readiness.minScore", N, N, N),
    r("readiness.expires", N, N, N),
    r("readiness.partialCredit", N, N, N),
    r("readiness.checks", N, N, N),
];

/// `interfaces[api].port` → `interfaces.port`.
pub fn rule_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for ch in path.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Classification of a change at `path` (brackets stripped before lookup).
pub fn classify(path: &str, ct: ChangeType) -> Classification {
    let key = rule_path(path);
    V1_RULES
        .iter()
        .find(|r| r.path == key)
        .and_then(|r| match ct {
            ChangeType::Added => r.added,
            ChangeType::Modified => r.modified,
            ChangeType::Removed => r.removed,
        })
        .unwrap_or(Classification::PotentialBreaking)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_keys_including_nested_brackets() {
        assert_eq!(rule_path("interfaces[api].port"), "interfaces.port");
        assert_eq!(rule_path("configurations[a[b]].ref"), "configurations.ref");
        assert_eq!(rule_path("service.name"), "service.name");
    }

    #[test]
    fn unmatched_pairs_default_to_potential() {
        assert_eq!(
            classify("service.name", ChangeType::Added),
            Classification::PotentialBreaking
        );
        assert_eq!(
            classify("nowhere.at.all", ChangeType::Removed),
            Classification::PotentialBreaking
        );
        assert_eq!(
            classify("interfaces[x]", ChangeType::Removed),
            Classification::Breaking
        );
    }

    #[test]
    fn rule_paths_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in V1_RULES {
            assert!(seen.insert(r.path), "duplicate rule {}", r.path);
        }
    }
}
