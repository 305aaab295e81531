//! Deep diffs of the bundled spec files (OpenAPI, AsyncAPI, JSON Schema, protobuf).

use serde_json::Value;

use super::Differ;
use crate::diff::change::{Change, ChangeType, Classification};

/// Why a bundled spec file could not be read for a deep diff.
#[derive(Debug, thiserror::Error)]
pub(super) enum SpecParseError {
    #[error("{path}: not UTF-8 text: {source}")]
    NotUtf8 {
        path: String,
        source: std::str::Utf8Error,
    },
    #[error("{path}: invalid JSON: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: invalid YAML: {source}")]
    Yaml {
        path: String,
        source: Box<serde_saphyr::Error>,
    },
    #[error("{path}: the document root is not a mapping")]
    NotMapping { path: String },
}

impl Differ<'_> {
    /// Deep-diffs a spec file present in both bundles. Missing files are skipped
    /// (validation reports them); unparseable ones yield one POTENTIAL change.
    pub(super) fn deep(
        &mut self,
        at: &str,
        what: &str,
        old_path: &str,
        new_path: &str,
        diff: impl FnOnce(&Value, &Value) -> Vec<Change>,
    ) {
        let (Some(a), Some(b)) = (
            self.old_bundle.read(old_path),
            self.new_bundle.read(new_path),
        ) else {
            return;
        };
        if a == b {
            return;
        }
        match (parse_spec(old_path, a), parse_spec(new_path, b)) {
            (Ok(x), Ok(y)) => self.out.extend(diff(&x, &y)),
            (Err(e), _) | (_, Err(e)) => {
                let mut c = Change::new(
                    at,
                    ChangeType::Modified,
                    Classification::PotentialBreaking,
                    format!("{what} could not be compared: {e}"),
                );
                c.old_value = Some(Value::String(old_path.into()));
                c.new_value = Some(Value::String(new_path.into()));
                self.out.push(c);
            }
        }
    }

    /// `.proto` files are diffed from their text by the protobuf parser; a file that
    /// is missing on either side is skipped, like the other spec kinds.
    pub(super) fn deep_proto(&mut self, old_path: &str, new_path: &str) {
        let (Some(a), Some(b)) = (
            self.old_bundle.read(old_path),
            self.new_bundle.read(new_path),
        ) else {
            return;
        };
        if a == b {
            return;
        }
        let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
        self.out
            .extend(crate::diff::proto::diff_proto(&text(a), &text(b)));
    }
}

/// JSON for `.json` files, YAML otherwise; the root must be a mapping.
fn parse_spec(path: &str, data: &[u8]) -> Result<Value, SpecParseError> {
    let text = std::str::from_utf8(data).map_err(|source| SpecParseError::NotUtf8 {
        path: path.into(),
        source,
    })?;
    let v: Value = if path.to_ascii_lowercase().ends_with(".json") {
        serde_json::from_str(text).map_err(|source| SpecParseError::Json {
            path: path.into(),
            source,
        })?
    } else {
        serde_saphyr::from_str(text).map_err(|e| SpecParseError::Yaml {
            path: path.into(),
            source: Box::new(e),
        })?
    };
    if !v.is_object() {
        return Err(SpecParseError::NotMapping { path: path.into() });
    }
    Ok(v)
}
