//! `dependencies[]`: unique names, well-formed refs and semver ranges.

use super::{first_seen, refs};
use crate::finding::Finding;
use crate::model::Contract;
use crate::validate::codes;

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    for (i, dep) in contract.dependencies.iter().enumerate() {
        let at = format!("dependencies[{i}]");
        let key = dep.key();
        if let Some(name) = &dep.name
            && let Some(first) = first_seen(&mut seen, name)
        {
            out.push(Finding::error(
                codes::DUPLICATE_DEPENDENCY_NAME,
                format!("{at}.name"),
                format!("dependency name '{name}' is already used by dependencies[{first}]: give each dependency a unique name"),
            ));
        }
        let r = &dep.reference;
        if r.starts_with("oci://") {
            match refs::parse_oci(r) {
                Err(e) => out.push(Finding::error(
                    codes::INVALID_OCI_REF,
                    format!("{at}.ref"),
                    format!("dependency '{key}' ref \"{r}\" is not a valid OCI reference ({e}): use `oci://registry/repository@sha256:<64 hex digits>` or `oci://registry/repository:tag`"),
                )),
                Ok(parts) if parts.tag.is_some() && parts.digest.is_none() => {
                    out.push(Finding::warning(
                        codes::TAG_NOT_DIGEST,
                        format!("{at}.ref"),
                        format!("dependency '{key}' is pinned by tag only, and tags can move: pin the digest too (`{r}@sha256:<digest>`)"),
                    ));
                }
                Ok(_) => {}
            }
        }
        let range = dep.compatibility.trim();
        if range.is_empty() {
            out.push(Finding::error(
                codes::EMPTY_COMPATIBILITY,
                format!("{at}.compatibility"),
                format!("dependency '{key}' has an empty compatibility range: state the versions you support, e.g. `compatibility: ^2.0.0`"),
            ));
        } else if let Some(e) = refs::constraint_error(range) {
            out.push(Finding::error(
                codes::INVALID_COMPATIBILITY,
                format!("{at}.compatibility"),
                format!("dependency '{key}' compatibility \"{range}\" is not a semver range ({e}): use e.g. `^2.0.0`, `~1.4`, `>=1.2.0, <2.0.0`"),
            ));
        }
    }
}
