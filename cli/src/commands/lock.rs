//! `pacto lock [dir] [--check] [--update] [--update-name NAME]...`: write, refresh or
//! check `pacto.lock` beside `pacto.yaml`.
//!
//! A plain run keeps the pins of dependencies whose constraint and ref are unchanged
//! (a consistent lock is left untouched); `--update` re-resolves everything,
//! `--update-name` only the named dependencies; `--check` writes nothing and fails
//! on drift or on a missing lock (`LOCK_MISSING`).

use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::graph_root;
use crate::lock::{read, resolve};
use crate::outcome::{Outcome, json};
use pacto_core::graph::Location;
use pacto_core::lock::verify::{compare, merge_preserving_pins};
use pacto_core::lock::{LOCK_FILE, Lock, LockError};
use pacto_core::value_overrides::ValueOverrides;
use serde::Serialize;

pub struct LockArgs {
    pub path: String,
    pub check: bool,
    pub update: bool,
    pub update_names: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LockJson<'a> {
    path: String,
    written: bool,
    up_to_date: bool,
    dependencies: usize,
    references: usize,
    lock: &'a Lock,
}

fn failed(e: LockError) -> CliError {
    CliError::Failed(e.to_string())
}

pub fn run(
    args: &LockArgs,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    if args.path.starts_with("oci://") {
        return Err(CliError::Usage(
            "pacto lock requires a local bundle directory, not an OCI reference".into(),
        ));
    }
    let root = graph_root(&args.path, overrides, format)?;
    let Location::Dir(dir) = &root.location else {
        return Err(CliError::Usage(
            "pacto lock requires a local bundle directory".into(),
        ));
    };
    let existing = read(dir).map_err(failed)?;
    let fresh = resolve(&root).map_err(failed)?;
    let shown = std::path::Path::new(args.path.strip_prefix("file://").unwrap_or(&args.path))
        .join(LOCK_FILE)
        .display()
        .to_string();

    let (lock, written) = if args.check {
        let Some(existing) = existing else {
            return Err(failed(LockError::Missing { path: shown }));
        };
        compare(&existing, &fresh).map_err(failed)?;
        (existing, false)
    } else {
        let update_all = args.update && args.update_names.is_empty();
        let next = match existing {
            Some(e) if !update_all && compare(&e, &fresh).is_ok() => None,
            Some(e) if !update_all => Some(merge_preserving_pins(&e, &fresh, &args.update_names)),
            _ => Some(fresh),
        };
        match next {
            None => (read(dir).map_err(failed)?.unwrap_or_default(), false),
            Some(mut l) => {
                l.normalize();
                let text = l.to_yaml().map_err(failed)?;
                std::fs::write(dir.join(LOCK_FILE), text)
                    .map_err(|e| CliError::Failed(format!("cannot write {shown}: {e}")))?;
                (l, true)
            }
        }
    };
    let result = LockJson {
        path: shown,
        written,
        up_to_date: !written,
        dependencies: lock.dependencies.len(),
        references: lock.references.len(),
        lock: &lock,
    };
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&result)),
        _ => Outcome::ok(format!(
            "{} {} ({} dependencies, {} references)\n",
            if written { "Wrote" } else { "Up to date:" },
            result.path,
            result.dependencies,
            result.references
        )),
    })
}
