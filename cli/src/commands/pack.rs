use crate::args::OutputFormat;
use crate::error::CliError;
use crate::load::{load, valid_contract};
use crate::outcome::{Outcome, json};
use pacto_core::value_overrides::ValueOverrides;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PackJson {
    name: String,
    version: String,
    output: String,
    digest: String,
    size: usize,
}

pub fn run(
    path: &str,
    output: Option<PathBuf>,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let loaded = load(path, overrides)?;
    let contract = valid_contract(&loaded, format)?;
    let bytes = loaded
        .bundle
        .to_tar_gz()
        .map_err(|e| CliError::Failed(format!("cannot pack {path}: {e}")))?;
    let out = output.unwrap_or_else(|| {
        PathBuf::from(format!(
            "{}-{}.tar.gz",
            contract.service.name, contract.service.version
        ))
    });
    write_atomically(&out, &bytes)?;
    let digest = format!("sha256:{}", hex::encode(Sha256::digest(&bytes)));
    let result = PackJson {
        name: contract.service.name.clone(),
        version: contract.service.version.clone(),
        output: out.display().to_string(),
        digest,
        size: bytes.len(),
    };
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&result)),
        _ => Outcome::ok(format!(
            "Packed {}@{} -> {}\nDigest: {}\n",
            result.name, result.version, result.output, result.digest
        )),
    })
}

/// Writes through a temporary file in the same directory so a crash never leaves a
/// half-written archive under the final name.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::Failed(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("bundle"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
