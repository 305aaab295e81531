//! `pacto generate <plugin> [dir|oci://ref] [--option k=v]... [-o dir]`: run a
//! `pacto-plugin-<plugin>` (protocol "1", `docs/plugins.md`) and write the files it returns.
//!
//! The contract is loaded and parsed (`-f`/`--set` applied); it must pass the structural
//! layer but semantic findings do not block generation. A registry bundle is unpacked into
//! a temporary `pacto-bundle-*` directory removed afterwards. The plugin's answer is checked
//! as a whole before any file is written (`plugin::files`); on failure an output directory
//! created by this run is removed again.

use crate::args::{GenerateArgs, OutputFormat};
use crate::error::CliError;
use crate::load::{load, valid_contract};
use crate::outcome::{Outcome, json};
use crate::plugin::{Limits, PROTOCOL_VERSION, Request, Response, discover, files, runner};
use pacto_core::Bundle;
use pacto_core::value_overrides::ValueOverrides;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GenerateJson {
    plugin: String,
    output_dir: String,
    files_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

pub fn run(
    args: &GenerateArgs,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let name = args.plugin.as_str();
    discover::check_name(name)?;
    let options = parse_options(&args.option)?;
    let exe = discover::find(name)?;
    let loaded = load(&args.path, overrides)?;
    let contract = match &loaded.report.contract {
        Some(c) => c,
        // Not even parseable: show the validation report.
        None => valid_contract(&loaded, format)?,
    };
    let contract = serde_json::to_value(contract)
        .map_err(|e| CliError::Failed(format!("cannot encode the contract: {e}")))?;
    // A registry bundle is handed over as a temporary directory.
    let unpacked = match &loaded.oci {
        Some(_) => Some(unpack(&loaded.bundle)?),
        None => None,
    };
    let bundle_dir = match &unpacked {
        Some(t) => t.path().display().to_string(),
        None => local_dir(&args.path),
    };
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}-output")));
    let created = prepare_out_dir(&out_dir)?;
    let request = Request {
        protocol_version: PROTOCOL_VERSION,
        contract,
        bundle_dir,
        output_dir: out_dir.display().to_string(),
        options,
    };
    let result = run_plugin(name, &exe, &request, &out_dir);
    drop(unpacked);
    match result {
        Ok((count, message)) => Ok(render(name, &out_dir, count, message, format)),
        Err(e) => {
            if created {
                // Only removed while still empty: whatever the plugin wrote itself stays.
                let _ = std::fs::remove_dir(&out_dir);
            }
            Err(e)
        }
    }
}

fn run_plugin(
    name: &str,
    exe: &Path,
    request: &Request,
    out_dir: &Path,
) -> Result<(usize, Option<String>), CliError> {
    let input = serde_json::to_vec(request)
        .map_err(|e| CliError::Failed(format!("cannot encode the request: {e}")))?;
    let stdout = runner::run(name, exe, input, Limits::from_env())?;
    let response: Response = serde_json::from_slice(&stdout)
        .map_err(|e| CliError::Failed(format!("plugin {name} returned invalid output: {e}")))?;
    let rels = files::check_all(out_dir, &response.files)
        .map_err(|r| CliError::Failed(format!("plugin {name}: refused its answer: {}", r.0)))?;
    files::write_all(out_dir, &response.files, &rels).map_err(|e| {
        CliError::Failed(format!(
            "plugin {name}: cannot write into {}: {e}",
            out_dir.display()
        ))
    })?;
    Ok((
        response.files.len(),
        response.message.filter(|m| !m.is_empty()),
    ))
}

fn render(
    name: &str,
    out_dir: &Path,
    count: usize,
    message: Option<String>,
    format: OutputFormat,
) -> Outcome {
    let result = GenerateJson {
        plugin: name.to_string(),
        output_dir: out_dir.display().to_string(),
        files_count: count,
        message,
    };
    match format {
        OutputFormat::Json => Outcome::ok(json(&result)),
        _ => {
            let mut text = format!(
                "Generated {} file(s) using {} in {}\n",
                result.files_count, result.plugin, result.output_dir
            );
            if let Some(m) = &result.message {
                text.push_str(m.trim_end());
                text.push('\n');
            }
            Outcome::ok(text)
        }
    }
}

/// `k=v` items split at the first `=`; values are strings. An item without `=` is a usage
/// error (the reference drops it silently).
pub fn parse_options(items: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    let mut out = BTreeMap::new();
    for item in items {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            _ => {
                return Err(CliError::Usage(format!(
                    "--option {item:?}: expected KEY=VALUE"
                )));
            }
        }
    }
    Ok(out)
}

/// The local bundle path as typed (`file://` dropped; `.` when empty).
fn local_dir(source: &str) -> String {
    let s = source.strip_prefix("file://").unwrap_or(source);
    if s.is_empty() { ".".into() } else { s.into() }
}

/// Creates the output directory (0755) before the plugin runs, as the reference does;
/// `true` when this run created it. An existing non-directory or symlink is refused.
fn prepare_out_dir(dir: &Path) -> Result<bool, CliError> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(m) if m.file_type().is_symlink() && dir.is_dir() => Ok(false),
        Ok(_) => Err(CliError::Failed(format!(
            "{} exists and is not a directory: choose another -o",
            dir.display()
        ))),
        Err(_) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Failed(format!("cannot create {}: {e}", dir.display())))?;
            Ok(true)
        }
    }
}

/// A registry bundle written into a fresh `pacto-bundle-*` temporary directory.
fn unpack(bundle: &Bundle) -> Result<tempfile::TempDir, CliError> {
    let fail = |e: std::io::Error| CliError::Failed(format!("cannot unpack the bundle: {e}"));
    let dir = tempfile::Builder::new()
        .prefix("pacto-bundle-")
        .tempdir()
        .map_err(fail)?;
    for (path, data) in bundle.files() {
        let p = Path::new(path);
        if path.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(CliError::Failed(format!(
                "refusing to unpack unsafe bundle path {path:?}"
            )));
        }
        let target = dir.path().join(p);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::write(&target, data).map_err(fail)?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_split_at_the_first_equals() {
        let o = parse_options(&["a=b=c".into(), "empty=".into()]).unwrap_or_default();
        assert_eq!(o.get("a").map(String::as_str), Some("b=c"));
        assert_eq!(o.get("empty").map(String::as_str), Some(""));
        assert!(parse_options(&["novalue".into()]).is_err());
        assert!(parse_options(&["=v".into()]).is_err());
        assert_eq!(local_dir(""), ".");
        assert_eq!(local_dir("file://x"), "x");
    }
}
