use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::{load, valid_contract};
use crate::outcome::Outcome;
use crate::render;
use pacto_core::explain::explain;
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let loaded = load(path, overrides)?;
    let contract = valid_contract(&loaded, format)?;
    Ok(render::explain::render(
        &explain(contract, &loaded.bundle),
        format,
    ))
}
