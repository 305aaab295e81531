//! `pacto push <oci-ref> [-p dir] [--force]`: validate (refs enforced), refuse local
//! references and overrides (what is validated is what is published), then publish.

use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::{load_resolving, valid_contract};
use crate::oci::{parse_ref, registry};
use crate::outcome::{Outcome, json};
use pacto_core::Contract;
use pacto_core::graph::{Fetched, Location};
use pacto_core::value_overrides::ValueOverrides;
use pacto_oci::BundleLabels;
use pacto_oci::fetcher::is_oci_ref;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PushJson {
    #[serde(rename = "ref")]
    reference: String,
    digest: String,
    name: String,
    version: String,
    /// False when the tag existed and `--force` was not given.
    pushed: bool,
}

pub fn run(
    reference: &str,
    path: &str,
    force: bool,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    if !reference.starts_with("oci://") {
        return Err(CliError::Usage(format!(
            "push requires an OCI reference (oci://...), got {reference:?}"
        )));
    }
    // Push publishes the files as they are; an override would validate one contract and
    // publish another (a `file://` dependency hidden behind `--set`, say).
    if !overrides.is_empty() {
        return Err(CliError::Usage(
            "push publishes the bundle as written, so -f/--values and --set are refused: \
             write the change into pacto.yaml, run `pacto validate`, then push"
                .into(),
        ));
    }
    let r = parse_ref(reference)?;
    if r.digest.is_some() {
        return Err(CliError::Usage(format!(
            "cannot push to a digest reference ({reference}): give a tag, or none to use the service version"
        )));
    }
    let loaded = load_resolving(path, overrides)?;
    // Local refs first: they are why a contract cannot be pushed, whatever else fails.
    let local = loaded
        .report
        .contract
        .as_ref()
        .map(local_refs)
        .unwrap_or_default();
    if let Some(local) = local.first() {
        return Err(CliError::Failed(format!(
            "local dependency detected: {local}: a pushed contract is read from the registry, \
             where a local path means nothing; push that contract first and refer to it as \
             oci://registry/repository:tag"
        )));
    }
    let contract = valid_contract(&loaded, format)?.clone();
    // A committed lock is part of what is published: it must match the registry now.
    if loaded.oci.is_none() {
        let dir = std::fs::canonicalize(&loaded.dir).unwrap_or(loaded.dir.clone());
        let root = Fetched {
            contract,
            bundle: loaded.bundle.clone(),
            location: Location::Dir(dir.clone()),
            resolved_ref: loaded.source.clone(),
        };
        crate::lock::verify_if_present(&dir, &root).map_err(|e| {
            CliError::Failed(format!(
                "{e}\npush refused: pacto.lock does not match what its dependencies and references resolve to"
            ))
        })?;
    }
    // Labels (and the default tag) come from the pacto.yaml that is pushed.
    let text = loaded
        .bundle
        .contract_text()
        .ok_or_else(|| CliError::Failed(format!("{path}: pacto.yaml is missing")))?;
    let labels =
        BundleLabels::from_contract_text(text).map_err(|e| CliError::Failed(e.to_string()))?;
    let target = if r.tag.is_some() {
        r
    } else {
        r.with_tag(&labels.version)
            .map_err(|e| CliError::Failed(format!("cannot tag with the service version: {e}")))?
    };
    let reg = registry(Some(&target.registry))?;
    let cached = reg.registry();
    let shown = target.to_oci_string();
    if !force && reg.block_on(cached.exists(&target))? {
        let digest = reg.block_on(cached.resolve_digest(&target))?;
        let warning =
            format!("Warning: artifact already exists: {shown} (use --force to overwrite)\n");
        let out = match format {
            OutputFormat::Json => Outcome::ok(json(&PushJson {
                reference: shown,
                digest,
                name: labels.name,
                version: labels.version,
                pushed: false,
            })),
            _ => Outcome::default(),
        };
        return Ok(out.with_stderr(warning));
    }
    let res = reg.block_on(cached.push(&target, &loaded.bundle))?;
    let result = PushJson {
        reference: res.reference.to_oci_string(),
        digest: res.digest,
        name: labels.name,
        version: labels.version,
        pushed: true,
    };
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&result)),
        _ => Outcome::ok(format!(
            "Pushed {}@{} -> {}\nDigest: {}\n",
            result.name, result.version, result.reference, result.digest
        )),
    })
}

/// Dependencies, configuration and policy refs that point at local directories.
fn local_refs(c: &Contract) -> Vec<String> {
    let deps = c.dependencies.iter().map(|d| d.reference.clone());
    let configs = c
        .all_configurations()
        .into_iter()
        .filter_map(|(_, x)| x.reference);
    let policies = c
        .all_policies()
        .into_iter()
        .filter_map(|(_, x)| x.reference);
    deps.chain(configs)
        .chain(policies)
        .filter(|r| !is_oci_ref(r))
        .collect()
}
