//! Helm-style value overrides of the CLI, applied to the raw contract document before
//! validation: values files (`-f`) deep-merged in order, then `--set key=value` expressions.
//! (A Pacto's `spec.overrides` is another thing: per configuration scope, in
//! `crate::scope_overrides`, which reuses the merge and scalar rules of this module.)
//!
//! Merge rules: maps merge recursively; arrays whose items are all objects with a
//! string `name` (configurations, policies, dependencies, interfaces) merge item by
//! item on `name`, appending new names; any other value (scalars, other arrays)
//! replaces the base value wholesale.

mod merge;
mod set;

pub use merge::{merge_values, parse_values_file};
pub use set::{apply_set, infer_scalar};

use serde_json::Value;

/// Why a values file or a `--set` expression could not be applied.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ValueOverrideError {
    #[error("invalid --set format {0:?}: expected key=value (e.g. --set service.version=1.2.0)")]
    InvalidSet(String),
    #[error("invalid --set path {path:?}: {reason}")]
    InvalidPath { path: String, reason: String },
    #[error("--set {path}: expected an array at {at}")]
    ExpectedArray { path: String, at: String },
    #[error("--set {path}: expected a map at {at}")]
    ExpectedMap { path: String, at: String },
    #[error("--set {path}: index {index} out of bounds at {at} (array has {len} items)")]
    IndexOutOfBounds {
        path: String,
        at: String,
        index: usize,
        len: usize,
    },
    #[error("--set {path}: no item named {name:?} in the array at {at}")]
    NoSuchName {
        path: String,
        at: String,
        name: String,
    },
    #[error("values file {file}: {reason}")]
    ValuesFile { file: String, reason: String },
}

/// Values files (already parsed, in order) and `--set` expressions, applied in that order.
#[derive(Debug, Clone, Default)]
pub struct ValueOverrides {
    pub values: Vec<Value>,
    pub sets: Vec<String>,
}

impl ValueOverrides {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.sets.is_empty()
    }

    pub fn apply(&self, doc: &mut Value) -> Result<(), ValueOverrideError> {
        for v in &self.values {
            merge_values(doc, v);
        }
        for s in &self.sets {
            apply_set(doc, s)?;
        }
        Ok(())
    }
}
