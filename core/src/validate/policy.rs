//! Layer 4: every policy schema applied to the contract (AND semantics).
//!
//! Inline (`schema`) policies come from the bundle. `ref` policies need a resolver:
//! with one, a ref that cannot be resolved is an error (fail closed); without one the
//! policy is skipped with a warning so local-only checks stay honest about it.

use super::codes;
use super::cross_field::sections::load_schema;
use super::schema_errors::{ErrorContext, findings_for};
use super::{RefError, ValidateOptions};
use crate::bundle::Bundle;
use crate::finding::Finding;
use crate::model::Contract;
use serde_json::Value;

pub fn check(contract: &Contract, bundle: &Bundle, opts: &ValidateOptions<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let policies = contract.all_policies();
    if policies.is_empty() {
        return out;
    }
    // Policies see the normalised contract (defaults filled in), as diffs do.
    let doc = match serde_json::to_value(contract) {
        Ok(d) => d,
        Err(e) => {
            out.push(Finding::error(
                codes::POLICY_ENFORCEMENT_ERROR,
                "",
                format!("the contract could not be prepared for policy checks ({e}); this is a bug in pacto, please report it"),
            ));
            return out;
        }
    };
    for (at, p) in &policies {
        let name = p.display_name();
        if let Some(file) = &p.schema {
            // Unreadable schemas were reported by the cross-field layer.
            if let Ok((schema, validator)) = load_schema(bundle, file) {
                apply(
                    &doc,
                    &schema,
                    &validator,
                    &format!("policy '{name}' (`{file}`): "),
                    &mut out,
                );
            }
        }
        let Some(reference) = &p.reference else {
            continue;
        };
        let ref_path = format!("{at}.ref");
        match opts.policy_resolver {
            None => out.push(Finding::warning(
                codes::POLICY_REF_NOT_ENFORCED,
                ref_path,
                format!("policy '{name}' refers to \"{reference}\", which this local check cannot fetch, so it was not enforced: run `pacto validate` with registry access to enforce it"),
            )),
            Some(resolver) => match resolver.resolve_policy(reference) {
                Err(RefError::Cycle(chain)) => out.push(Finding::error(
                    codes::POLICY_REF_CYCLE,
                    ref_path,
                    format!("policy '{name}' ref \"{reference}\" leads to a cycle ({}): remove one of the policy refs in that chain", chain.join(" -> ")),
                )),
                Err(RefError::Unresolved(e)) => out.push(Finding::error(
                    codes::POLICY_REF_UNRESOLVED,
                    ref_path,
                    format!("policy '{name}' ref \"{reference}\" could not be resolved ({e}): fix the reference or make it reachable; unresolved policies fail validation"),
                )),
                Ok(schema) => match jsonschema::options().build(&schema) {
                    Err(e) => out.push(Finding::error(
                        codes::POLICY_REF_UNRESOLVED,
                        ref_path,
                        format!("policy '{name}' ref \"{reference}\" resolved to something that is not a usable JSON Schema ({e}): fix the referenced policy"),
                    )),
                    Ok(validator) => apply(
                        &doc,
                        &schema,
                        &validator,
                        &format!("policy '{name}' (`{reference}`): "),
                        &mut out,
                    ),
                },
            },
        }
    }
    out
}

fn apply(
    doc: &Value,
    schema: &Value,
    validator: &jsonschema::Validator,
    label: &str,
    out: &mut Vec<Finding>,
) {
    let ctx = ErrorContext {
        code: codes::POLICY_VIOLATION,
        prefix: "",
        instance: doc,
        schema,
        label,
    };
    for err in validator.iter_errors(doc) {
        out.extend(findings_for(&err, &ctx));
    }
}
