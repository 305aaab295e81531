use crate::args::{INIT_VERSIONS as VERSIONS, OutputFormat};
use crate::error::CliError;
use crate::outcome::{Outcome, json};
use serde::Serialize;
use std::path::Path;

const CONTRACT_V1: &str = include_str!("../templates/pacto-v1.yaml");
const CONTRACT_V2: &str = include_str!("../templates/pacto-v2.yaml");

/// Files besides `pacto.yaml` (the same for every version).
const FILES: [(&str, &str); 3] = [
    (
        "interfaces/openapi.yaml",
        include_str!("../templates/openapi.yaml"),
    ),
    (
        "configuration/schema.json",
        include_str!("../templates/schema.json"),
    ),
    (".pactoignore", include_str!("../templates/pactoignore")),
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InitJson {
    dir: String,
    files: Vec<String>,
}

/// DNS-label service names, as the contract schema requires.
pub fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

pub fn run(name: &str, version: &str, format: OutputFormat) -> Result<Outcome, CliError> {
    let contract = match version {
        "2.0" => CONTRACT_V2,
        v if VERSIONS.contains(&v) => CONTRACT_V1,
        other => {
            return Err(CliError::Usage(format!(
                "unsupported pactoVersion {other:?}: use one of {}",
                VERSIONS.join(", ")
            )));
        }
    };
    if !is_valid_name(name) {
        return Err(CliError::Usage(format!(
            "invalid service name {name:?}: use lowercase letters, digits and dashes (at most 63, not starting or ending with a dash)"
        )));
    }
    let dir = Path::new(name);
    if dir.exists() {
        return Err(CliError::Failed(format!(
            "{name} already exists; choose another name or remove it"
        )));
    }
    let all = std::iter::once(("pacto.yaml", contract)).chain(FILES);
    for (rel, template) in all.clone() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                CliError::Failed(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        let text = template
            .replace("__NAME__", name)
            .replace("__VERSION__", version);
        std::fs::write(&path, text)
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
    }
    let files: Vec<String> = all.map(|(f, _)| format!("{name}/{f}")).collect();
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&InitJson {
            dir: format!("{name}/"),
            files,
        })),
        _ => {
            let mut s = format!("Created {name}/\n");
            for f in files {
                s.push_str(&format!("  {f}\n"));
            }
            Outcome::ok(s)
        }
    })
}
