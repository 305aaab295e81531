use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::load_resolving;
use crate::outcome::Outcome;
use crate::render;
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let loaded = load_resolving(path, overrides)?;
    Ok(render::validate::render(
        &loaded.source,
        &loaded.report,
        format,
    ))
}
