//! The contract rule tables: (rule path, change type) → classification. [`V1_RULES`] is
//! the v1.x table (reference/contract.md §5.2), [`V2_RULES`] the rows for the paths only
//! a 2.0 contract has (the Go reference's `pkg/diff/classification.go` and
//! `docs/contract-reference/diff.md`, plus our additions marked there). Rule paths are
//! change paths with bracketed keys removed (`interfaces[api].port` →
//! `interfaces.port`). Any pair not listed is POTENTIAL_BREAKING. Two rules depend on
//! the values, not only the path ([`classify_change`]): `pactoVersion` across a major
//! version and `configurations.required` turned off.

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

/// Rows for the 2.0 paths. From the reference: `workload`, `state.*`, `capabilities`,
/// `interfaces.ref`, `readiness.claims`. Ours (the reference does not diff them):
/// `capabilities.binding*` (as the 1.x `runtime.health.*` they replace),
/// `configurations.required` (false → true BREAKING: deployers must now supply it;
/// true → false NON_BREAKING, see [`classify_change`]), `policies.target` and
/// `extensions` (namespaced, not consumer-facing: NON_BREAKING).
pub const V2_RULES: &[Rule] = &[
    r("workload", N, B, N),
    r("state.type", X, B, X),
    r("state.persistence.scope", X, B, X),
    r("state.persistence.durability", X, B, X),
    r("state.dataCriticality", N, P, N),
    r("capabilities", N, X, P),
    r("capabilities.binding", N, X, P),
    r("capabilities.binding.interface", X, P, X),
    r("capabilities.binding.path", N, P, P),
    r("interfaces.ref", X, P, X),
    r("configurations.required", X, B, X),
    r("policies.target", X, P, X),
    r("readiness.claims", N, N, N),
    r("extensions", N, N, N),
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
        .chain(V2_RULES)
        .find(|r| r.path == key)
        .and_then(|r| match ct {
            ChangeType::Added => r.added,
            ChangeType::Modified => r.modified,
            ChangeType::Removed => r.removed,
        })
        .unwrap_or(Classification::PotentialBreaking)
}

/// Classification of a change that also looks at the values: a `pactoVersion` change
/// across a major version (1.x ↔ 2.0) is POTENTIAL_BREAKING (the fields one format has
/// and the other lacks are reported as their own changes); `configurations.required`
/// going from true to false is NON_BREAKING. Everything else is [`classify`].
pub fn classify_change(
    path: &str,
    ct: ChangeType,
    old: Option<&serde_json::Value>,
    new: Option<&serde_json::Value>,
) -> Classification {
    let key = rule_path(path);
    let major = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_str)
            .and_then(|s| s.split('.').next())
            .map(str::to_string)
    };
    match (key.as_str(), ct) {
        ("pactoVersion", ChangeType::Modified) if major(old) != major(new) => {
            Classification::PotentialBreaking
        }
        ("configurations.required", ChangeType::Modified)
            if old.and_then(serde_json::Value::as_bool) == Some(true)
                && new.and_then(serde_json::Value::as_bool) == Some(false) =>
        {
            Classification::NonBreaking
        }
        _ => classify(path, ct),
    }
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
    fn value_dependent_rules() {
        use serde_json::json;
        let c = |p, a: serde_json::Value, b: serde_json::Value| {
            classify_change(p, ChangeType::Modified, Some(&a), Some(&b))
        };
        assert_eq!(
            c("pactoVersion", json!("1.0"), json!("1.2")),
            Classification::NonBreaking
        );
        assert_eq!(
            c("pactoVersion", json!("1.2"), json!("2.0")),
            Classification::PotentialBreaking
        );
        assert_eq!(
            c("configurations[app].required", json!(false), json!(true)),
            Classification::Breaking
        );
        assert_eq!(
            c("configurations[app].required", json!(true), json!(false)),
            Classification::NonBreaking
        );
    }

    #[test]
    fn rule_paths_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in V1_RULES.iter().chain(V2_RULES) {
            assert!(seen.insert(r.path), "duplicate rule {}", r.path);
        }
    }
}
