//! `spec.overrides` applied to the raw contract document before validation: each named
//! configuration scope gets its values replaced key by key (the override wins). An unknown
//! scope name is an error, as in the reference, so a typo is not silently ignored.

use pacto_core::model::DEFAULT_SECTION_NAME;
use pacto_core::overrides::{infer_scalar, merge_values};
use pacto_crds::Overrides;
use serde_json::{Map, Value};

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

/// Applies `overrides` to `doc` in place; returns the keys each scope had overridden.
pub fn apply(
    doc: &mut Value,
    overrides: Option<&Overrides>,
) -> Result<OverriddenKeys, UnknownScope> {
    let Some(o) = overrides else {
        return Ok(Vec::new());
    };
    if o.configurations.is_empty() {
        return Ok(Vec::new());
    }
    // pactoVersion 1.0 has one unnamed `configuration`: it is the scope named "default".
    if doc.get("configurations").is_none() && doc.get("configuration").is_some_and(Value::is_object)
    {
        let mut keys = Vec::new();
        for (index, c) in o.configurations.iter().enumerate() {
            if c.name != DEFAULT_SECTION_NAME {
                return Err(UnknownScope {
                    index,
                    name: c.name.clone(),
                    declared: DEFAULT_SECTION_NAME.to_string(),
                });
            }
            let values: Map<String, Value> = c
                .values
                .iter()
                .map(|(k, v)| (k.clone(), infer_scalar(v)))
                .collect();
            merge_values(
                doc,
                &serde_json::json!({ "configuration": { "values": values } }),
            );
            keys.push((c.name.clone(), c.values.keys().cloned().collect()));
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
    for (index, c) in o.configurations.iter().enumerate() {
        if !declared.iter().any(|d| d == &c.name) {
            return Err(UnknownScope {
                index,
                name: c.name.clone(),
                declared: if declared.is_empty() {
                    "none".to_string()
                } else {
                    declared.join(", ")
                },
            });
        }
        // Values are strings in the CRD; infer scalars so a schema asking for an integer
        // accepts "5", as `pacto validate --set` does.
        let values: Map<String, Value> = c
            .values
            .iter()
            .map(|(k, v)| (k.clone(), infer_scalar(v)))
            .collect();
        keys.push((c.name.clone(), c.values.keys().cloned().collect()));
        overlay.push(serde_json::json!({ "name": c.name, "values": values }));
    }
    merge_values(doc, &serde_json::json!({ "configurations": overlay }));
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::ConfigurationOverride;
    use std::collections::BTreeMap;

    fn overrides(name: &str, pairs: &[(&str, &str)]) -> Overrides {
        Overrides {
            configurations: vec![ConfigurationOverride {
                name: name.to_string(),
                values: pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            }],
        }
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
        let keys = apply(
            &mut d,
            Some(&overrides(
                "default",
                &[("LOG_LEVEL", "debug"), ("PORT", "80")],
            )),
        )
        .expect("applies");
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
        let e = apply(&mut d, Some(&overrides("typo", &[("A", "b")]))).err();
        let e = e.expect("error");
        assert_eq!(e.name, "typo");
        assert!(e.to_string().contains("default, other"), "{e}");
        assert_eq!(d, doc(), "document untouched on error");
    }

    #[test]
    fn singular_configuration_is_the_default_scope() {
        let mut d = serde_json::json!({"configuration": {"values": {"A": "1"}}});
        let keys = apply(&mut d, Some(&overrides("default", &[("A", "2")]))).expect("applies");
        assert_eq!(d["configuration"]["values"]["A"], 2);
        assert_eq!(keys.len(), 1);
        let mut d = serde_json::json!({"configuration": {"values": {"A": "1"}}});
        assert!(apply(&mut d, Some(&overrides("x", &[("A", "2")]))).is_err());
    }

    #[test]
    fn no_overrides_is_a_no_op() {
        let mut d = doc();
        assert_eq!(apply(&mut d, None), Ok(Vec::new()));
        assert_eq!(d, doc());
    }
}
