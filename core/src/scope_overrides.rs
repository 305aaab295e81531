//! Per-scope configuration overrides (a Pacto's `spec.overrides.configurations`) applied to
//! the raw contract document before validation: each named configuration scope gets its
//! values replaced key by key (the override wins). An unknown scope name is an error, as in
//! the reference, so a typo is not silently ignored. Shared by the operator and the dashboard
//! so both see the same effective contract.

use crate::model::DEFAULT_SECTION_NAME;
use crate::value_overrides::{infer_scalar, merge_values};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// An override that names no configuration scope of the contract.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error(
    "spec.overrides.configurations[{index}]: the contract has no configuration named {name:?} \
     (declared: {declared})"
)]
pub struct UnknownScope {
    pub index: usize,
    pub name: String,
    pub declared: String,
}

/// Keys overridden per scope name, for status.
pub type OverriddenKeys = Vec<(String, Vec<String>)>;

/// One scope's overrides: its name and the values as written (strings, as in the CRD).
pub type ScopeValues<'a> = (&'a str, &'a BTreeMap<String, String>);

/// Applies `scopes` to `doc` in place; returns the keys each scope had overridden.
/// On error `doc` is left untouched.
pub fn apply(doc: &mut Value, scopes: &[ScopeValues<'_>]) -> Result<OverriddenKeys, UnknownScope> {
    if scopes.is_empty() {
        return Ok(Vec::new());
    }
    // pactoVersion 1.0 has one unnamed `configuration`: it is the scope named "default".
    if doc.get("configurations").is_none() && doc.get("configuration").is_some_and(Value::is_object)
    {
        if let Some((index, (name, _))) = scopes
            .iter()
            .enumerate()
            .find(|(_, (n, _))| *n != DEFAULT_SECTION_NAME)
        {
            return Err(UnknownScope {
                index,
                name: name.to_string(),
                declared: DEFAULT_SECTION_NAME.to_string(),
            });
        }
        let mut keys = Vec::new();
        for (name, values) in scopes {
            merge_values(
                doc,
                &serde_json::json!({ "configuration": { "values": inferred(values) } }),
            );
            keys.push((name.to_string(), values.keys().cloned().collect()));
        }
        return Ok(keys);
    }
    let declared: Vec<String> = doc
        .get("configurations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut overlay = Vec::new();
    let mut keys = Vec::new();
    for (index, (name, values)) in scopes.iter().enumerate() {
        if !declared.iter().any(|d| d == name) {
            return Err(UnknownScope {
                index,
                name: name.to_string(),
                declared: if declared.is_empty() {
                    "none".to_string()
                } else {
                    declared.join(", ")
                },
            });
        }
        keys.push((name.to_string(), values.keys().cloned().collect()));
        overlay.push(serde_json::json!({ "name": name, "values": inferred(values) }));
    }
    merge_values(doc, &serde_json::json!({ "configurations": overlay }));
    Ok(keys)
}

/// Values are strings in the CRD; infer scalars so a schema asking for an integer accepts
/// "5", as `pacto validate --set` does.
fn inferred(values: &BTreeMap<String, String>) -> Map<String, Value> {
    values
        .iter()
        .map(|(k, v)| (k.clone(), infer_scalar(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn doc() -> Value {
        serde_json::json!({
            "configurations": [
                {"name": "default", "values": {"LOG_LEVEL": "info", "KEEP": "x"}},
                {"name": "other", "values": {"A": "1"}}
            ]
        })
    }

    #[test]
    fn override_wins_and_other_keys_stay() {
        let mut d = doc();
        let v = values(&[("LOG_LEVEL", "debug"), ("PORT", "80")]);
        let keys = apply(&mut d, &[("default", &v)]).unwrap();
        assert_eq!(d["configurations"][0]["values"]["LOG_LEVEL"], "debug");
        assert_eq!(d["configurations"][0]["values"]["KEEP"], "x");
        assert_eq!(d["configurations"][0]["values"]["PORT"], 80);
        assert_eq!(d["configurations"][1]["values"]["A"], "1");
        assert_eq!(
            keys,
            vec![(
                "default".to_string(),
                vec!["LOG_LEVEL".to_string(), "PORT".to_string()]
            )]
        );
    }

    #[test]
    fn unknown_scope_is_an_error_naming_it() {
        let mut d = doc();
        let v = values(&[("A", "b")]);
        let e = apply(&mut d, &[("typo", &v)]).unwrap_err();
        assert_eq!(e.name, "typo");
        assert!(e.to_string().contains("default, other"), "{e}");
        assert_eq!(d, doc(), "document untouched on error");
    }

    #[test]
    fn singular_configuration_is_the_default_scope() {
        let v = values(&[("A", "2")]);
        let mut d = serde_json::json!({"configuration": {"values": {"A": "1"}}});
        let keys = apply(&mut d, &[("default", &v)]).unwrap();
        assert_eq!(d["configuration"]["values"]["A"], 2);
        assert_eq!(keys.len(), 1);
        let mut d = serde_json::json!({"configuration": {"values": {"A": "1"}}});
        let before = d.clone();
        assert!(apply(&mut d, &[("default", &v), ("x", &v)]).is_err());
        assert_eq!(d, before, "document untouched on error");
    }

    #[test]
    fn no_overrides_is_a_no_op() {
        let mut d = doc();
        assert_eq!(apply(&mut d, &[]), Ok(Vec::new()));
        assert_eq!(d, doc());
    }
}
