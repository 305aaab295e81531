use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::{Loaded, load};
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
