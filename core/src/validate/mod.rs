//! Contract validation in the reference's layers, each run only when the previous one
//! found no errors (warnings never stop it):
//!
//! 1. structural — the embedded JSON Schema of the contract's `pactoVersion`;
//! 2. cross-field — names, ports, files, refs, semver, readiness, scaling;
//! 3. semantic — advisory consistency warnings;
//! 4. policies — policy schemas applied to the contract itself.

pub mod codes;
mod config_refs;
pub mod config_value;
mod cross_field;
mod path;
mod policy;
mod schema_errors;
pub mod schemas;
mod semantic;
mod structural;

pub(crate) use cross_field::is_safe_binding_path;

use crate::bundle::Bundle;
use crate::finding::{Finding, Severity};
use crate::model::Contract;
use crate::parse;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Why a policy or configuration `ref` could not be turned into a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// The chain of policy refs comes back to a contract already in it (listed in order,
    /// the repeated ref last).
    #[error("policy ref cycle: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// Anything else: not found, unreachable, not a schema (the resolver's message).
    #[error("{0}")]
    Unresolved(String),
}

/// Fetches the JSON Schema behind a policy or configuration `ref` (the OCI layer
/// implements this).
pub trait PolicyResolver {
    /// The policy schema `reference` points at, or why it could not be obtained.
    fn resolve(&self, reference: &str) -> Result<Value, RefError>;

    /// Like [`PolicyResolver::resolve`]; a resolver that follows policy chains overrides
    /// it to report cycles.
    fn resolve_policy(&self, reference: &str) -> Result<Value, RefError> {
        self.resolve(reference)
    }

    /// The `configuration/schema.json` of the contract a configuration `ref` points at.
    /// `None`: this resolver does not handle configuration refs (their values stay
    /// unchecked, as in the reference).
    fn resolve_config(&self, _reference: &str) -> Option<Result<Value, RefError>> {
        None
    }
}

/// Knobs for one validation run.
#[derive(Clone, Copy, Default)]
pub struct ValidateOptions<'a> {
    /// With a resolver, policy `ref`s are enforced and an unresolvable one is an error
    /// (fail closed); without one they are skipped with a `POLICY_REF_NOT_ENFORCED` warning.
    /// The same resolver answers configuration `ref`s when it supports them.
    pub policy_resolver: Option<&'a dyn PolicyResolver>,
}

impl fmt::Debug for ValidateOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidateOptions")
            .field("policy_resolver", &self.policy_resolver.is_some())
            .finish()
    }
}

/// What a configuration or policy `ref` is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Config,
    Policy,
}

/// A configuration or policy `ref`, recorded for the resolver / lockfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionRef {
    pub kind: SectionKind,
    pub name: String,
    pub reference: String,
    /// Where it is declared, e.g. `policies[1].ref`.
    pub path: String,
}

/// The outcome of validation. Valid ⇔ no errors.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ValidationReport {
    /// The typed contract, once it passed the structural layer.
    #[serde(skip)]
    pub contract: Option<Contract>,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub references: Vec<SectionRef>,
}

impl ValidationReport {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn add(&mut self, findings: Vec<Finding>) {
        for f in findings {
            match f.severity {
                Severity::Error => self.errors.push(f),
                Severity::Warning => self.warnings.push(f),
            }
        }
    }

    /// A report holding one finding, for failures before validation could start.
    pub fn from_error(report: Finding) -> Self {
        let mut r = Self::default();
        r.add(vec![report]);
        r
    }
}

/// Validates the bundle's own `pacto.yaml`.
///
/// ```
/// use pacto_core::Bundle;
/// use pacto_core::validate::{ValidateOptions, validate_bundle};
///
/// let mut bundle = Bundle::new();
/// bundle.insert(
///     "pacto.yaml",
///     b"pactoVersion: \"1.0\"\nservice: {name: orders, version: 1.2.0, owner: team/shop}\n".to_vec(),
/// );
/// let report = validate_bundle(&bundle, &ValidateOptions::default());
/// assert!(report.is_valid(), "{:?}", report.errors);
/// assert_eq!(report.contract.map(|c| c.service.name).as_deref(), Some("orders"));
///
/// // A bundle without `pacto.yaml` is a finding, not a panic or an `Err`.
/// let report = validate_bundle(&Bundle::new(), &ValidateOptions::default());
/// assert!(!report.is_valid());
/// assert_eq!(report.errors[0].code, "FILE_NOT_FOUND");
/// ```
pub fn validate_bundle(bundle: &Bundle, opts: &ValidateOptions<'_>) -> ValidationReport {
    let Some(bytes) = bundle.read(crate::bundle::CONTRACT_FILE) else {
        return ValidationReport::from_error(Finding::error(
            codes::FILE_NOT_FOUND,
            "",
            "the bundle has no pacto.yaml at its root: create one (`pacto init <name>` scaffolds it)",
        ));
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return ValidationReport::from_error(Finding::error(
            codes::YAML_PARSE_ERROR,
            "",
            "pacto.yaml is not UTF-8 text: save it as UTF-8",
        ));
    };
    match parse::parse_yaml(text) {
        Ok(raw) => validate_value(&raw, bundle, opts),
        Err(f) => ValidationReport::from_error(f),
    }
}

/// Validates a raw contract (after any `--set` / `-f` overrides) against `bundle`'s files.
pub fn validate_value(
    raw: &Value,
    bundle: &Bundle,
    opts: &ValidateOptions<'_>,
) -> ValidationReport {
    let version = match parse::detect_version(raw) {
        Ok(v) => v,
        Err(f) => return ValidationReport::from_error(f),
    };
    let mut report = ValidationReport::default();
    report.add(structural::check(raw, version));
    if !report.is_valid() {
        return report;
    }
    let contract = match parse::contract_from_value(raw) {
        Ok(c) => c,
        Err(f) => {
            report.add(vec![f]);
            return report;
        }
    };
    report.references = section_refs(&contract);
    report.add(cross_field::check(&contract, bundle));
    if report.is_valid() {
        report.add(semantic::check(&contract));
        report.add(policy::check(&contract, bundle, opts));
        report.add(config_refs::check(&contract, opts));
    }
    report.contract = Some(contract);
    report
}

fn section_refs(contract: &Contract) -> Vec<SectionRef> {
    let configs = contract
        .all_configurations()
        .into_iter()
        .filter_map(|(p, c)| {
            let reference = c.reference.clone()?;
            Some(SectionRef {
                kind: SectionKind::Config,
                name: c.display_name().to_string(),
                reference,
                path: format!("{p}.ref"),
            })
        });
    let policies = contract.all_policies().into_iter().filter_map(|(p, c)| {
        let reference = c.reference.clone()?;
        Some(SectionRef {
            kind: SectionKind::Policy,
            name: c.display_name().to_string(),
            reference,
            path: format!("{p}.ref"),
        })
    });
    configs.chain(policies).collect()
}
