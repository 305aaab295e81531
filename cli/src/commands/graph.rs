use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::graph_root;
use crate::lock::{PinningFetcher, in_bundle, read};
use crate::outcome::Outcome;
use crate::render;
use pacto_core::graph::{GraphOptions, Location, build};
use pacto_core::value_overrides::ValueOverrides;

/// The graph of a contract. Registry dependencies pinned by the root's `pacto.lock`
/// (beside a local root, or inside a registry root's bundle) resolve to the locked
/// digest instead of the moving tag.
pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    opts: GraphOptions,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let root = graph_root(path, overrides, format)?;
    let lock = match &root.location {
        Location::Dir(dir) => read(dir),
        Location::Oci(_) => in_bundle(&root.bundle),
    }
    .map_err(|e| CliError::Failed(e.to_string()))?;
    let fetcher = PinningFetcher {
        inner: crate::oci::fetcher(),
        lock,
        revalidate: false,
    };
    let resolution = build(&root, &fetcher, &opts);
    Ok(render::graph::render(&resolution.graph, format))
}
