//! Serialising, validating before writing, and writing inside the working directory.

use super::shapes::NewFile;
use crate::mcp::confine::check_existing;
use pacto_core::bundle::{Bundle, CONTRACT_FILE};
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_value};
use serde_json::{Value, json};
use std::path::Path;

/// `pacto.yaml` text for a contract value.
pub fn yaml(contract: &Value) -> Result<String, String> {
    serde_saphyr::to_string(contract).map_err(|e| format!("cannot serialise the contract: {e}"))
}

/// Validates `contract` over `base` (the bundle on disk, if any) with `files` laid over it.
pub fn validate(contract: &Value, base: Option<Bundle>, files: &[NewFile]) -> ValidationReport {
    let mut bundle = base.unwrap_or_default();
    for f in files {
        bundle.insert(f.path.clone(), f.text.clone().into_bytes());
    }
    if let Ok(text) = yaml(contract) {
        bundle.insert(CONTRACT_FILE, text.into_bytes());
    }
    validate_value(contract, &bundle, &ValidateOptions::default())
}

/// Findings as the tools report them.
pub fn findings(report: &ValidationReport) -> Value {
    let one =
        |f: &pacto_core::Finding| json!({ "path": f.path, "code": f.code, "message": f.message });
    json!({
        "valid": report.is_valid(),
        "errors": report.errors.iter().map(one).collect::<Vec<_>>(),
        "warnings": report.warnings.iter().map(one).collect::<Vec<_>>(),
    })
}

/// Writes `files` (path, bytes) under `dir` (absolute, already confined to `root`),
/// re-checking each target so a symlink planted inside the bundle cannot redirect a write.
pub fn write_files<'a>(
    root: &Path,
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), String> {
    for (path, bytes) in files {
        let target = dir.join(path);
        let rel = target
            .strip_prefix(root)
            .map_err(|_| format!("{}: outside the working directory", target.display()))?;
        check_existing(root, rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", rel.display()))?;
            check_existing(root, rel)?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    }
    Ok(())
}

/// New files as `write_files` takes them.
pub fn new_files(files: &[NewFile]) -> impl Iterator<Item = (&str, &[u8])> {
    files.iter().map(|f| (f.path.as_str(), f.text.as_bytes()))
}
