//! Turning a command-line source into a validated contract.

use crate::args::OverrideArgs;
use crate::error::CliError;
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use pacto_core::overrides::{Overrides, parse_values_file};
use pacto_core::parse::parse_yaml;
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_value};
use std::path::{Path, PathBuf};

/// A bundle read from its source, with overrides applied and validation done.
pub struct Loaded {
    /// The source as the user wrote it.
    pub source: String,
    pub dir: PathBuf,
    pub bundle: Bundle,
    pub report: ValidationReport,
}

/// Reads `-f` files and `--set` expressions (files first, in order).
pub fn overrides(values: &[PathBuf], sets: &[String]) -> Result<Overrides, CliError> {
    let mut out = Overrides::default();
    for file in values {
        let text = std::fs::read_to_string(file).map_err(|e| {
            CliError::Failed(format!("cannot read values file {}: {e}", file.display()))
        })?;
        let v = parse_values_file(&file.display().to_string(), &text)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        out.values.push(v);
    }
    out.sets = sets.to_vec();
    Ok(out)
}

pub fn global_overrides(args: &OverrideArgs) -> Result<Overrides, CliError> {
    overrides(&args.values, &args.set)
}

/// Loads and validates a local bundle directory.
pub fn load(source: &str, overrides: &Overrides) -> Result<Loaded, CliError> {
    let dir = Path::new(source.strip_prefix("file://").unwrap_or(source)).to_path_buf();
    if source.starts_with("oci://") {
        return Err(CliError::Failed(format!(
            "{source}: OCI references need registry support, which this build does not include yet; pull the bundle and pass its directory"
        )));
    }
    let bundle = Bundle::from_dir(&dir, &Limits::default())?;
    let report = validate_bundle_with(&bundle, overrides, &ValidateOptions::default())?;
    Ok(Loaded {
        source: source.to_string(),
        dir,
        bundle,
        report,
    })
}

/// Parses `pacto.yaml`, applies overrides and validates.
pub fn validate_bundle_with(
    bundle: &Bundle,
    overrides: &Overrides,
    opts: &ValidateOptions,
) -> Result<ValidationReport, CliError> {
    let text = bundle.contract_text().ok_or_else(|| {
        CliError::Failed(format!("{CONTRACT_FILE} is missing or is not valid UTF-8"))
    })?;
    let mut raw = match parse_yaml(text) {
        Ok(v) => v,
        Err(finding) => return Ok(ValidationReport::from_error(finding)),
    };
    overrides
        .apply(&mut raw)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(validate_value(&raw, bundle, opts))
}
