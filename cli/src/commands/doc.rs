//! `pacto doc`: the contract as a Markdown page (stdout, a file or `DIR/<service>.md`),
//! or as a static HTML page set (`--html DIR`, served on loopback with `--serve`).

use crate::args::DocArgs;
use crate::args::OutputFormat;
use crate::commands::doc_files::write_error;
use crate::commands::doc_site;
use crate::error::CliError;
use crate::load::{load, valid_contract};
use crate::outcome::{Outcome, json};
use pacto_core::bundle::Bundle;
use pacto_core::doc::{DocInput, LockSummary, render_markdown};
use pacto_core::value_overrides::ValueOverrides;
use std::path::{Path, PathBuf};

/// Largest `pacto.lock` read for the page (a lock is a few KiB).
const MAX_LOCK_BYTES: usize = 1024 * 1024;

pub fn run(
    args: &DocArgs,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let loaded = load(&args.path, overrides)?;
    let contract = valid_contract(&loaded, format)?;
    let input = DocInput {
        lock: read_lock(&loaded.bundle)?,
    };
    let markdown = render_markdown(contract, &loaded.bundle, &input);
    let name = contract.service.name.clone();
    if args.html.is_some() || args.serve {
        let site = doc_site::build(&loaded, &name, &markdown)?;
        let mut text = String::new();
        if let Some(dir) = &args.html {
            site.write_to(dir)?;
            text.push_str(&format!(
                "Wrote {} files to {} (open {})\n",
                site.len(),
                dir.display(),
                dir.join("index.html").display()
            ));
        }
        if args.serve {
            doc_site::serve(site, args.port)?;
        }
        return Ok(Outcome::ok(text));
    }
    match &args.output {
        None if format == OutputFormat::Json => Ok(Outcome::ok(json(&serde_json::json!({
            "service": name,
            "markdown": markdown,
        })))),
        None => Ok(Outcome::ok(markdown)),
        Some(out) => {
            let file = target_file(out, &name);
            if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            std::fs::write(&file, markdown).map_err(|e| write_error(&file, e))?;
            Ok(Outcome::ok(format!("Wrote {}\n", file.display())))
        }
    }
}

/// `-o NAME.md` is the file itself; anything else is a directory for `<service>.md`.
fn target_file(out: &Path, service: &str) -> PathBuf {
    let is_md = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if is_md && !out.is_dir() {
        out.to_path_buf()
    } else {
        out.join(format!("{service}.md"))
    }
}

/// The bundle's `pacto.lock`, when present; a lock that cannot be read is an error (the
/// page would otherwise claim versions are unpinned).
fn read_lock(bundle: &Bundle) -> Result<Option<LockSummary>, CliError> {
    let Some(bytes) = bundle.read("pacto.lock") else {
        return Ok(None);
    };
    if bytes.len() > MAX_LOCK_BYTES {
        return Err(CliError::Failed(format!(
            "pacto.lock is {} bytes, more than the {MAX_LOCK_BYTES}-byte limit",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| CliError::Failed("pacto.lock is not UTF-8 text".into()))?;
    let value = pacto_core::parse::parse_yaml(text).map_err(|f| {
        CliError::Failed(format!(
            "pacto.lock cannot be read: {}",
            f.message.replace("pacto.yaml", "pacto.lock")
        ))
    })?;
    Ok(Some(LockSummary::from_value(&value)))
}
