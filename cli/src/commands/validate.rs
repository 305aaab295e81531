use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::{load_resolving, root_of};
use crate::outcome::Outcome;
use crate::render;
use pacto_core::Finding;
use pacto_core::validate::ValidationReport;
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    path: &str,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let mut loaded = load_resolving(path, overrides)?;
    let source = loaded.source.clone();
    // A valid local contract with a pacto.lock beside it: the lock must match a fresh
    // resolution, else one `LOCK_*` error replaces the report (as the reference does).
    if loaded.oci.is_none()
        && loaded.report.is_valid()
        && let Some(contract) = loaded.report.contract.clone()
    {
        let dir = loaded.dir.clone();
        let report = std::mem::take(&mut loaded.report);
        let root = root_of(loaded, contract);
        let report = match crate::lock::verify_if_present(&dir, &root) {
            Ok(()) => report,
            Err(e) => ValidationReport::from_error(Finding::error(e.code(), "", e.to_string())),
        };
        return Ok(render::validate::render(&source, &report, format));
    }
    Ok(render::validate::render(&source, &loaded.report, format))
}
