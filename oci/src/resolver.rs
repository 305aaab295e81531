//! Policy and configuration `ref`s resolved from the registry.
//!
//! A policy ref names a contract; its policy is that contract's `policy/schema.json`
//! plus its own inline policies and, recursively, its own policy refs (combined with
//! `allOf`). A ref met again in its own chain is a cycle (`POLICY_REF_CYCLE`); anything
//! that cannot be fetched or read fails closed (`POLICY_REF_UNRESOLVED`). A configuration
//! ref resolves to the referenced contract's `configuration/schema.json`.

use std::sync::Arc;

use pacto_core::Bundle;
use pacto_core::oci_ref::{OciRefError, parse};
use pacto_core::validate::{PolicyResolver, RefError};
use serde_json::Value;

use crate::blocking::BlockingRegistry;
use crate::error::OciError;
use crate::fetcher::contract_of;

pub const POLICY_FILE: &str = "policy/schema.json";
pub const CONFIG_FILE: &str = "configuration/schema.json";
/// Longest policy ref chain followed.
pub const MAX_POLICY_DEPTH: usize = 16;

/// Why a referenced contract could not be pulled.
#[derive(Debug, thiserror::Error)]
enum PullError {
    #[error(transparent)]
    Ref(#[from] OciRefError),
    #[error(transparent)]
    Registry(#[from] OciError),
}

/// Why a schema file named by a referenced contract could not be read.
#[derive(Debug, thiserror::Error)]
enum SchemaFileError {
    #[error("{0} is missing from the bundle")]
    Missing(String),
    #[error("{0} is not UTF-8")]
    NotUtf8(String),
    #[error("{file}: {message}")]
    Yaml { file: String, message: String },
    #[error("{file} is not JSON: {source}")]
    Json {
        file: String,
        source: serde_json::Error,
    },
}

pub struct OciPolicyResolver {
    reg: Arc<BlockingRegistry>,
    /// The ref of the contract being validated, when it came from a registry: a policy
    /// chain leading back to it is a cycle too.
    root: Option<String>,
}

impl OciPolicyResolver {
    pub fn new(reg: Arc<BlockingRegistry>, root: Option<String>) -> Self {
        Self { reg, root }
    }

    fn pull(&self, reference: &str) -> Result<Arc<crate::Pulled>, PullError> {
        let r = parse(reference)?;
        Ok(self.reg.block_on(self.reg.registry().pull(&r))?)
    }

    fn identity(reference: &str) -> String {
        parse(reference)
            .map(|r| r.to_string())
            .unwrap_or_else(|_| reference.to_string())
    }

    fn policy_schema(&self, reference: &str, chain: &mut Vec<String>) -> Result<Value, RefError> {
        let id = Self::identity(reference);
        if chain.contains(&id) {
            let mut cycle: Vec<String> = chain.iter().map(|c| format!("oci://{c}")).collect();
            cycle.push(format!("oci://{id}"));
            return Err(RefError::Cycle(cycle));
        }
        if chain.len() >= MAX_POLICY_DEPTH {
            return Err(RefError::Unresolved(format!(
                "policy refs nest deeper than {MAX_POLICY_DEPTH} levels"
            )));
        }
        chain.push(id);
        let result = self.collect(reference, chain);
        chain.pop();
        result
    }

    fn collect(&self, reference: &str, chain: &mut Vec<String>) -> Result<Value, RefError> {
        let pulled = self
            .pull(reference)
            .map_err(|e| RefError::Unresolved(e.to_string()))?;
        let bundle = &pulled.bundle;
        let shown = pulled.reference.to_oci_string();
        let contract =
            contract_of(bundle, &shown).map_err(|e| RefError::Unresolved(e.to_string()))?;
        let mut schemas = Vec::new();
        let mut files = Vec::new();
        if bundle.read(POLICY_FILE).is_some() {
            files.push(POLICY_FILE.to_string());
        }
        for (_, p) in contract.all_policies() {
            if let Some(f) = p.schema
                && !files.contains(&f)
            {
                files.push(f);
            }
        }
        for f in &files {
            schemas.push(
                read_schema(bundle, f)
                    .map_err(|e| RefError::Unresolved(format!("{shown}: {e}")))?,
            );
        }
        for (_, p) in contract.all_policies() {
            if let Some(r) = p.reference {
                schemas.push(self.policy_schema(&r, chain)?);
            }
        }
        match schemas.len() {
            0 => Err(RefError::Unresolved(format!(
                "{shown} has no {POLICY_FILE} and declares no policies"
            ))),
            1 => Ok(schemas.remove(0)),
            _ => Ok(serde_json::json!({ "allOf": schemas })),
        }
    }
}

/// A bundled JSON (or YAML, by extension) schema file.
fn read_schema(bundle: &Bundle, file: &str) -> Result<Value, SchemaFileError> {
    let bytes = bundle
        .read(file)
        .ok_or_else(|| SchemaFileError::Missing(file.into()))?;
    let text = std::str::from_utf8(bytes).map_err(|_| SchemaFileError::NotUtf8(file.into()))?;
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        pacto_core::parse::parse_yaml(text).map_err(|f| SchemaFileError::Yaml {
            file: file.into(),
            message: f.message,
        })
    } else {
        serde_json::from_str(text).map_err(|source| SchemaFileError::Json {
            file: file.into(),
            source,
        })
    }
}

impl PolicyResolver for OciPolicyResolver {
    fn resolve(&self, reference: &str) -> Result<Value, RefError> {
        self.resolve_policy(reference)
    }

    fn resolve_policy(&self, reference: &str) -> Result<Value, RefError> {
        let mut chain: Vec<String> = self.root.iter().map(|r| Self::identity(r)).collect();
        self.policy_schema(reference, &mut chain)
    }

    fn resolve_config(&self, reference: &str) -> Option<Result<Value, RefError>> {
        Some(
            self.pull(reference)
                .map_err(|e| RefError::Unresolved(e.to_string()))
                .and_then(|p| {
                    read_schema(&p.bundle, CONFIG_FILE).map_err(|e| {
                        RefError::Unresolved(format!("{}: {e}", p.reference.to_oci_string()))
                    })
                }),
        )
    }
}
