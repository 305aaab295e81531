//! `spec.overrides` applied to the raw contract document before validation. The logic lives
//! in `pacto_core::scope_overrides` (the dashboard applies it too); this adapts the CRD type.

pub use pacto_core::scope_overrides::{OverriddenKeys, UnknownScope};
use pacto_crds::Overrides;
use serde_json::Value;

/// Applies `overrides` to `doc` in place; returns the keys each scope had overridden.
pub fn apply(
    doc: &mut Value,
    overrides: Option<&Overrides>,
) -> Result<OverriddenKeys, UnknownScope> {
    let scopes: Vec<_> = overrides
        .into_iter()
        .flat_map(|o| &o.configurations)
        .map(|c| (c.name.as_str(), &c.values))
        .collect();
    pacto_core::scope_overrides::apply(doc, &scopes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_crds::ConfigurationOverride;

    #[test]
    fn crd_overrides_reach_the_document() {
        let o = Overrides {
            configurations: vec![ConfigurationOverride {
                name: "default".to_string(),
                values: [("PORT".to_string(), "80".to_string())].into(),
            }],
        };
        let mut d = serde_json::json!({"configurations": [{"name": "default", "values": {}}]});
        let keys = apply(&mut d, Some(&o)).expect("applies");
        assert_eq!(d["configurations"][0]["values"]["PORT"], 80);
        assert_eq!(
            keys,
            vec![("default".to_string(), vec!["PORT".to_string()])]
        );
        let mut typo = o.clone();
        typo.configurations[0].name = "typo".into();
        assert!(apply(&mut d, Some(&typo)).is_err());
        assert_eq!(apply(&mut d, None), Ok(Vec::new()));
    }
}
