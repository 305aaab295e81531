//! Turning a command-line source into a validated contract (and a graph root). Commands
//! share these helpers instead of importing each other.

use crate::args::{OutputFormat, OverrideArgs};
use crate::error::CliError;
use crate::oci::LazyResolver;
use crate::render;
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use pacto_core::graph::{Fetched, Location};
use pacto_core::parse::parse_yaml;
use pacto_core::validate::{ValidateOptions, ValidationReport, validate_value};
use pacto_core::value_overrides::{ValueOverrides, parse_values_file};
use std::path::{Path, PathBuf};

/// A bundle read from its source, with overrides applied and validation done.
pub struct Loaded {
    /// The source as the user wrote it.
    pub source: String,
    /// The bundle directory (empty for a registry source).
    pub dir: PathBuf,
    pub bundle: Bundle,
    pub report: ValidationReport,
    /// Set when the bundle came from a registry.
    pub oci: Option<OciOrigin>,
}

/// Where a registry bundle came from.
#[derive(Debug, Clone)]
pub struct OciOrigin {
    /// Normalised ref with the tag chosen by resolution (`host/repo:tag`).
    pub reference: String,
}

/// Reads `-f` files and `--set` expressions (files first, in order).
pub fn overrides(values: &[PathBuf], sets: &[String]) -> Result<ValueOverrides, CliError> {
    let mut out = ValueOverrides::default();
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

pub fn global_overrides(args: &OverrideArgs) -> Result<ValueOverrides, CliError> {
    overrides(&args.values, &args.set)
}

/// The global overrides plus one side's own (`--old-values`/`--old-set` or the `--new-*`
/// pair of `diff` and `impact`), applied after them.
pub fn side_overrides(
    global: &ValueOverrides,
    values: &[PathBuf],
    sets: &[String],
) -> Result<ValueOverrides, CliError> {
    let mut ov = global.clone();
    let extra = overrides(values, sets)?;
    ov.values.extend(extra.values);
    ov.sets.extend(extra.sets);
    Ok(ov)
}

/// Loads and validates a local bundle directory or an `oci://` ref (an untagged ref
/// resolves to its highest semver tag). Policy refs of a local bundle are not fetched
/// (`POLICY_REF_NOT_ENFORCED`); see [`load_resolving`].
pub fn load(source: &str, overrides: &ValueOverrides) -> Result<Loaded, CliError> {
    load_inner(source, overrides, false)
}

/// As [`load`], and policy/configuration refs are fetched from the registry and enforced
/// (fail closed): what `validate` and `push` do.
pub fn load_resolving(source: &str, overrides: &ValueOverrides) -> Result<Loaded, CliError> {
    load_inner(source, overrides, true)
}

fn load_inner(source: &str, overrides: &ValueOverrides, resolve: bool) -> Result<Loaded, CliError> {
    if source.starts_with("oci://") {
        return load_oci(source, overrides);
    }
    let dir = Path::new(source.strip_prefix("file://").unwrap_or(source)).to_path_buf();
    let bundle = Bundle::from_dir(&dir, &Limits::default())?;
    let resolver = LazyResolver { root: None };
    let opts = ValidateOptions {
        policy_resolver: resolve.then_some(&resolver as _),
    };
    let report = validate_bundle_with(&bundle, overrides, &opts)?;
    Ok(Loaded {
        source: source.to_string(),
        dir,
        bundle,
        report,
        oci: None,
    })
}

/// A registry bundle: pulled through the cache, validated with its refs enforced.
fn load_oci(source: &str, overrides: &ValueOverrides) -> Result<Loaded, CliError> {
    let r = crate::oci::parse_ref(source)?;
    let reg = crate::oci::registry(Some(&r.registry))?;
    let pulled = reg.block_on(reg.registry().pull(&r))?;
    let resolver = LazyResolver {
        root: Some(pulled.reference.to_string()),
    };
    let opts = ValidateOptions {
        policy_resolver: Some(&resolver),
    };
    let report = validate_bundle_with(&pulled.bundle, overrides, &opts)?;
    Ok(Loaded {
        source: source.to_string(),
        dir: PathBuf::new(),
        bundle: pulled.bundle.clone(),
        report,
        oci: Some(OciOrigin {
            reference: pulled.reference.to_string(),
        }),
    })
}

/// Parses `pacto.yaml`, applies overrides and validates.
pub fn validate_bundle_with(
    bundle: &Bundle,
    overrides: &ValueOverrides,
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

/// The contract of a valid bundle; an invalid one fails with its validation report.
pub fn valid_contract(
    loaded: &Loaded,
    format: OutputFormat,
) -> Result<&pacto_core::Contract, CliError> {
    match (&loaded.report.contract, loaded.report.is_valid()) {
        (Some(c), true) => Ok(c),
        _ => {
            let shown = render::validate::render(&loaded.source, &loaded.report, format);
            Err(CliError::Failed(format!(
                "{}{}{} is not a valid contract",
                shown.stdout, shown.stderr, loaded.source
            )))
        }
    }
}

/// The root of a graph: a validated local bundle or registry artifact.
pub fn graph_root(
    path: &str,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Fetched, CliError> {
    let loaded = load(path, overrides)?;
    let contract = valid_contract(&loaded, format)?.clone();
    Ok(root_of(loaded, contract))
}

/// A loaded bundle and its contract as the root of a graph (or of a lock).
pub fn root_of(loaded: Loaded, contract: pacto_core::Contract) -> Fetched {
    if let Some(origin) = &loaded.oci {
        return Fetched {
            contract,
            bundle: loaded.bundle,
            location: Location::Oci(origin.reference.clone()),
            resolved_ref: format!("oci://{}", origin.reference),
        };
    }
    let dir = std::fs::canonicalize(&loaded.dir).unwrap_or(loaded.dir.clone());
    Fetched {
        contract,
        bundle: loaded.bundle,
        location: Location::Dir(dir),
        resolved_ref: loaded.source,
    }
}
