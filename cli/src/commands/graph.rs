use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::graph_root;
use crate::outcome::Outcome;
use crate::render;
use pacto_core::graph::{GraphOptions, build};
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    opts: GraphOptions,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let root = graph_root(path, overrides, format)?;
    let resolution = build(&root, &crate::oci::fetcher(), &opts);
    Ok(render::graph::render(&resolution.graph, format))
}
