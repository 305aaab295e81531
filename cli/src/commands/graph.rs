use crate::args::OutputFormat;
use crate::commands::explain::valid_contract;
use crate::error::CliError;
use crate::load::load;
use crate::outcome::Outcome;
use crate::render;
use pacto_core::graph::{Fetched, GraphOptions, Location, build};
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    opts: GraphOptions,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let root = root(path, overrides, format)?;
    let resolution = build(&root, &crate::oci::fetcher(), &opts);
    Ok(render::graph::render(&resolution.graph, format))
}

/// The root of a graph: a validated local bundle or registry artifact.
pub fn root(
    path: &str,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Fetched, CliError> {
    let loaded = load(path, overrides)?;
    let contract = valid_contract(&loaded, format)?.clone();
    if let Some(origin) = &loaded.oci {
        return Ok(Fetched {
            contract,
            bundle: loaded.bundle,
            location: Location::Oci(origin.reference.clone()),
            resolved_ref: format!("oci://{}", origin.reference),
        });
    }
    let dir = std::fs::canonicalize(&loaded.dir).unwrap_or(loaded.dir.clone());
    Ok(Fetched {
        contract,
        bundle: loaded.bundle,
        location: Location::Dir(dir),
        resolved_ref: loaded.source,
    })
}
