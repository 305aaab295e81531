//! Layer 4, configuration side: `configurations[].ref` resolved to the referenced
//! contract's `configuration/schema.json`, which must be a usable JSON Schema. Only with
//! a resolver that handles configuration refs; an unresolvable ref is then an error
//! (fail closed), like policy refs. (`values` beside a `ref` are already rejected by the
//! structural schema, so there is nothing else to check them against.)

use super::ValidateOptions;
use super::codes;
use crate::finding::Finding;
use crate::model::Contract;

pub fn check(contract: &Contract, opts: &ValidateOptions<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(resolver) = opts.policy_resolver else {
        return out;
    };
    for (at, c) in contract.all_configurations() {
        let Some(reference) = &c.reference else {
            continue;
        };
        let name = c.display_name();
        let schema = match resolver.resolve_config(reference) {
            None => continue,
            Some(Err(e)) => {
                out.push(Finding::error(
                    codes::CONFIG_REF_UNRESOLVED,
                    format!("{at}.ref"),
                    format!("configuration '{name}' ref \"{reference}\" could not be resolved ({e}): fix the reference or make it reachable; unresolved configuration refs fail validation"),
                ));
                continue;
            }
            Some(Ok(s)) => s,
        };
        if let Err(e) = jsonschema::options().build(&schema) {
            out.push(Finding::error(
                codes::CONFIG_REF_UNRESOLVED,
                format!("{at}.ref"),
                format!("configuration '{name}' ref \"{reference}\" resolved to something that is not a usable JSON Schema ({e}): fix the referenced contract's configuration/schema.json"),
            ));
        }
    }
    out
}
