//! Turning a bundle into the small [`Summary`] the snapshot keeps resident.

use crate::model::{DependencyRef, ReferenceRef, Summary};
use pacto_core::Bundle;
use pacto_core::model::Dependency;
use pacto_core::validate::{SectionKind, ValidateOptions, ValidationReport, validate_bundle};
use sha2::{Digest, Sha256};

/// `service.name` and `service.version` as written, each absent when missing or not a
/// scalar (the contract may be invalid: it is still listed under its own name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredIdentity {
    pub name: Option<String>,
    pub version: Option<String>,
}

/// Name and version as declared, even when the contract is invalid (so an invalid
/// contract is still listed under its own name).
pub fn identity(bundle: &Bundle) -> DeclaredIdentity {
    let Some(text) = bundle.contract_text() else {
        return DeclaredIdentity::default();
    };
    match pacto_core::parse::parse_yaml(text) {
        Ok(raw) => identity_of(&raw),
        Err(_) => DeclaredIdentity::default(),
    }
}

/// `service.name` and `service.version` of a parsed (not necessarily valid) document.
pub fn identity_of(raw: &serde_json::Value) -> DeclaredIdentity {
    let svc = raw.get("service");
    let get = |k: &str| {
        svc.and_then(|s| s.get(k)).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    DeclaredIdentity {
        name: get("name"),
        version: get("version"),
    }
}

/// The name a ref resolves to (the core's rule for unnamed dependencies).
fn name_from_ref(reference: &str) -> String {
    Dependency {
        name: None,
        reference: reference.to_string(),
        required: false,
        compatibility: String::new(),
    }
    .key()
}

/// Validates the bundle and keeps what the list and graph need.
pub fn summarize(bundle: &Bundle) -> Summary {
    let report = validate_bundle(bundle, &ValidateOptions::default());
    from_report(
        &report,
        bundle
            .read(pacto_core::bundle::CONTRACT_FILE)
            .unwrap_or_default(),
        bundle.total_size() + 64 * bundle.len() as u64,
    )
}

/// The summary of an already validated contract (`contract` is the `pacto.yaml` text).
pub fn from_report(report: &ValidationReport, contract: &[u8], bundle_bytes: u64) -> Summary {
    let mut s = Summary {
        valid: report.is_valid(),
        errors: report.errors.clone(),
        warnings: report.warnings.clone(),
        contract_hash: hex::encode(Sha256::digest(contract)),
        bundle_bytes,
        ..Summary::default()
    };
    for r in &report.references {
        s.references.push(ReferenceRef {
            kind: match r.kind {
                SectionKind::Config => "config".into(),
                SectionKind::Policy => "policy".into(),
            },
            section: r.name.clone(),
            target: name_from_ref(&r.reference),
            reference: r.reference.clone(),
        });
    }
    if let Some(c) = &report.contract {
        s.owner = c
            .service
            .owner
            .as_ref()
            .and_then(|o| o.display_name())
            .map(str::to_string);
        s.dependencies = c
            .dependencies
            .iter()
            .map(|d| DependencyRef {
                name: d.key(),
                reference: d.reference.clone(),
                required: d.required,
                compatibility: d.compatibility.clone(),
            })
            .collect();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(yaml: &str) -> Bundle {
        let mut b = Bundle::new();
        b.insert("pacto.yaml", yaml.as_bytes().to_vec());
        b
    }

    #[test]
    fn invalid_contract_keeps_its_identity_and_errors() {
        let b = bundle(
            "pactoVersion: \"1.0\"\nservice:\n  name: broken\n  version: 1.0.0\ninterfaces: 7\n",
        );
        let id = identity(&b);
        assert_eq!(
            (id.name, id.version),
            (Some("broken".into()), Some("1.0.0".into()))
        );
        let s = summarize(&b);
        assert!(!s.valid);
        assert!(!s.errors.is_empty());
    }

    #[test]
    fn dependencies_resolve_to_names() {
        let b = bundle(
            "pactoVersion: \"1.0\"\nservice:\n  name: a\n  version: 1.0.0\n  owner: team-a\ndependencies:\n  - ref: oci://r.example/acme/b-svc:1.0.0\n    required: true\n    compatibility: ^1.0.0\n",
        );
        let s = summarize(&b);
        assert!(s.valid, "{:?}", s.errors);
        assert_eq!(s.owner.as_deref(), Some("team-a"));
        assert_eq!(s.dependencies[0].name, "b-svc");
        assert!(s.dependencies[0].required);
    }
}
