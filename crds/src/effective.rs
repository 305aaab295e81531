//! A Pacto's effective contract: its `pacto.yaml` text parsed, `spec.overrides` applied per
//! configuration scope, then validated. This is the one pipeline of every reader of Pacto
//! objects (the operator's dereference, the dashboard's inline-contract source), so they
//! cannot disagree on what a Pacto's contract is; each only maps the result to its own shape.
//!
//! It lives in this crate rather than in `pacto-core` because its input is a Pacto spec: core
//! knows contracts and generic per-scope overrides (`pacto_core::scope_overrides`, which takes
//! plain `(scope, values)` pairs), while `spec.overrides` is this crate's type, adapted here.
//! Core thus stays free of Kubernetes types, and the adapter exists once.

use pacto_core::finding::Finding;
use pacto_core::scope_overrides::{self, OverriddenKeys, ScopeValues, UnknownScope};
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_value};
use pacto_core::{Bundle, parse};
use serde_json::Value;

use crate::Overrides;

/// Finding code of an override naming a configuration scope the contract does not declare.
pub const UNKNOWN_OVERRIDE_SCOPE: &str = "UNKNOWN_OVERRIDE_SCOPE";

/// The contract as overridden, and its validation (which may hold errors: an invalid
/// contract is still a result, not a failed stage).
#[derive(Debug)]
pub struct EffectiveContract {
    /// The parsed document with `spec.overrides` applied: what was validated.
    pub document: Value,
    /// Keys replaced by overrides, per configuration scope.
    pub overridden: OverriddenKeys,
    /// Validation of `document` (holds the typed contract when it passed the structural layer).
    pub report: ValidationReport,
}

/// The stage that stopped the pipeline before validation, and why.
#[derive(Debug, thiserror::Error)]
pub enum EffectiveContractError {
    /// `pacto.yaml` is not YAML of a mapping (or is over the core's size cap).
    #[error("pacto.yaml does not parse: {}", .0.message)]
    Parse(Finding),
    /// `spec.overrides` names a configuration scope the contract does not declare.
    #[error("{error}")]
    Override {
        /// The parsed document, untouched by overrides (boxed: a document is large).
        document: Box<Value>,
        error: UnknownScope,
    },
}

impl EffectiveContractError {
    /// The error as a finding, for reports and status.
    pub fn finding(&self) -> Finding {
        match self {
            Self::Parse(f) => f.clone(),
            Self::Override { error, .. } => {
                Finding::error(UNKNOWN_OVERRIDE_SCOPE, "spec.overrides", error.to_string())
            }
        }
    }

    /// The parsed document, when parsing succeeded (an override failed).
    pub fn document(&self) -> Option<&Value> {
        match self {
            Self::Parse(_) => None,
            Self::Override { document, .. } => Some(document),
        }
    }
}

/// Parses `contract_yaml` (with the core's size cap), applies `overrides`, and validates the
/// result against `bundle` with default options. Pure: no I/O.
pub fn effective_contract(
    contract_yaml: &str,
    bundle: &Bundle,
    overrides: Option<&Overrides>,
) -> Result<EffectiveContract, EffectiveContractError> {
    let mut document = parse::parse_yaml(contract_yaml).map_err(EffectiveContractError::Parse)?;
    let overridden = match scope_overrides::apply(&mut document, &scope_values(overrides)) {
        Ok(keys) => keys,
        Err(error) => {
            return Err(EffectiveContractError::Override {
                document: Box::new(document),
                error,
            });
        }
    };
    let report = validate_value(&document, bundle, &ValidateOptions::default());
    Ok(EffectiveContract {
        document,
        overridden,
        report,
    })
}

/// `spec.overrides` as the core's `(scope name, values)` pairs, in the order written.
pub fn scope_values(overrides: Option<&Overrides>) -> Vec<ScopeValues<'_>> {
    overrides
        .into_iter()
        .flat_map(|o| &o.configurations)
        .map(|c| (c.name.as_str(), &c.values))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConfigurationOverride;

    const VALID: &str = "pactoVersion: \"1.0\"\nservice:\n  name: svc\n  version: 1.0.0\n  owner:\n    team: t\nconfigurations:\n  - name: default\n    schema: configuration/schema.json\n    values:\n      PORT: 8080\n";

    /// The bundle of `VALID`: its configuration schema asks for an integer `PORT`.
    fn bundle() -> Bundle {
        let mut b = Bundle::new();
        b.insert(
            "configuration/schema.json",
            br#"{"type": "object", "properties": {"PORT": {"type": "integer"}}}"#.to_vec(),
        );
        b
    }

    fn overrides(scope: &str, key: &str, value: &str) -> Overrides {
        Overrides {
            configurations: vec![ConfigurationOverride {
                name: scope.to_string(),
                values: [(key.to_string(), value.to_string())].into(),
            }],
        }
    }

    #[test]
    fn a_valid_contract_comes_back_overridden_and_validated() {
        let o = overrides("default", "PORT", "80");
        let e = effective_contract(VALID, &bundle(), Some(&o)).expect("effective");
        assert!(e.report.is_valid(), "{:?}", e.report.errors);
        assert!(e.report.contract.is_some());
        assert_eq!(e.document["configurations"][0]["values"]["PORT"], 80);
        assert_eq!(
            e.overridden,
            vec![("default".to_string(), vec!["PORT".to_string()])]
        );
        let plain = effective_contract(VALID, &bundle(), None).expect("effective");
        assert!(plain.report.is_valid(), "{:?}", plain.report.errors);
        assert!(plain.overridden.is_empty());
        assert_eq!(plain.document["configurations"][0]["values"]["PORT"], 8080);
    }

    #[test]
    fn unparseable_text_fails_at_the_parse_stage() {
        let e = effective_contract("service: [unclosed", &Bundle::new(), None).unwrap_err();
        assert!(matches!(e, EffectiveContractError::Parse(_)), "{e:?}");
        assert!(
            e.to_string().starts_with("pacto.yaml does not parse: "),
            "{e}"
        );
        assert_eq!(e.finding().code, parse::YAML_PARSE_ERROR);
        assert!(e.document().is_none());
        let big = format!("{VALID}# {}\n", "x".repeat(parse::MAX_CONTRACT_BYTES));
        let e = effective_contract(&big, &Bundle::new(), None).unwrap_err();
        assert!(e.to_string().contains("limit"), "{e}");
    }

    #[test]
    fn an_unknown_scope_fails_at_the_override_stage_with_the_document() {
        let o = overrides("typo", "PORT", "80");
        let e = effective_contract(VALID, &Bundle::new(), Some(&o)).unwrap_err();
        let EffectiveContractError::Override { error, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(error.name, "typo");
        assert_eq!(e.to_string(), error.to_string());
        let f = e.finding();
        assert_eq!(
            (f.code.as_str(), f.path.as_str()),
            (UNKNOWN_OVERRIDE_SCOPE, "spec.overrides")
        );
        let doc = e.document().expect("parsed");
        assert_eq!(doc["service"]["name"], "svc");
        assert_eq!(
            doc["configurations"][0]["values"]["PORT"], 8080,
            "untouched"
        );
    }

    #[test]
    fn an_invalid_contract_is_a_result_with_errors() {
        let semver = VALID.replace("1.0.0", "not-semver");
        let e = effective_contract(&semver, &bundle(), None).expect("parses");
        assert!(!e.report.is_valid());
        assert!(!e.report.errors.is_empty());
        // Validation runs against the bundle, on the overridden values.
        let o = overrides("default", "PORT", "eighty");
        let e = effective_contract(VALID, &bundle(), Some(&o)).expect("parses");
        assert!(!e.report.is_valid(), "a string PORT breaks the schema");
        let e = effective_contract(VALID, &Bundle::new(), None).expect("parses");
        assert!(!e.report.is_valid(), "the schema file is missing");
        // An override that makes a valid contract invalid: validation sees the overridden one.
        let with_ref = "pactoVersion: \"1.0\"\nservice:\n  name: svc\n  version: 1.0.0\n  owner:\n    team: t\nconfigurations:\n  - name: shared\n    ref: oci://r.example/acme/platform:1.0.0\n";
        assert!(
            effective_contract(with_ref, &Bundle::new(), None)
                .expect("parses")
                .report
                .is_valid()
        );
        let o = overrides("shared", "PORT", "80");
        let e = effective_contract(with_ref, &Bundle::new(), Some(&o)).expect("parses");
        assert!(!e.report.is_valid());
    }

    #[test]
    fn crd_overrides_become_scope_values_in_order() {
        let mut o = overrides("a", "K", "1");
        o.configurations.push(ConfigurationOverride {
            name: "b".into(),
            values: Default::default(),
        });
        let scopes = scope_values(Some(&o));
        assert_eq!(
            scopes.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(scopes[0].1["K"], "1");
        assert!(scope_values(None).is_empty());
    }
}
