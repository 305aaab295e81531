//! Validation findings: a stable code, a field path and a message that says what to change.

use serde::{Deserialize, Serialize};

/// How serious a finding is. Errors make a contract invalid; warnings never do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One validation result. `path` uses dotted segments with bracketed array indexes
/// (`interfaces[0].port`); the empty string means the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub path: String,
    pub message: String,
    #[serde(skip)]
    pub severity: Severity,
}

impl Finding {
    pub fn error(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    pub fn warning(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
            severity: Severity::Warning,
        }
    }
}
