//! `pacto pull <oci-ref> [-o dir]`: fetch a bundle (through the cache) and write it out.
//!
//! The files are staged in a fresh sibling directory and renamed into place, so the
//! target either appears whole or not at all, and nothing is ever written outside it.
//! An existing non-empty target is refused unless it already holds exactly this bundle.

use crate::args::OutputFormat;
use crate::error::CliError;
use crate::oci::{parse_ref, registry};
use crate::outcome::{Outcome, json};
use pacto_core::Bundle;
use pacto_oci::BundleLabels;
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PullJson {
    #[serde(rename = "ref")]
    reference: String,
    digest: String,
    name: String,
    version: String,
    output: String,
    files: usize,
}

pub fn run(
    reference: &str,
    output: Option<PathBuf>,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let r = parse_ref(reference)?;
    let reg = registry(Some(&r.registry))?;
    let pulled = reg.block_on(reg.registry().pull(&r))?;
    let text = pulled.bundle.contract_text().ok_or_else(|| {
        CliError::Failed(format!(
            "{}: the bundle's pacto.yaml is not UTF-8",
            pulled.reference
        ))
    })?;
    let labels =
        BundleLabels::from_contract_text(text).map_err(|e| CliError::Failed(e.to_string()))?;
    let dir = match output {
        Some(d) => d,
        None => default_dir(&labels.name)?,
    };
    write_bundle(&pulled.bundle, &dir)?;
    let result = PullJson {
        reference: pulled.reference.to_oci_string(),
        digest: pulled.digest.clone(),
        name: labels.name,
        version: labels.version,
        output: dir.display().to_string(),
        files: pulled.bundle.len(),
    };
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&result)),
        _ => Outcome::ok(format!(
            "Pulled {}@{} -> {}/\nDigest: {}\n",
            result.name, result.version, result.output, result.digest
        )),
    })
}

/// The service name as a directory: one plain path component.
fn default_dir(name: &str) -> Result<PathBuf, CliError> {
    let p = Path::new(name);
    let mut parts = p.components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) => Ok(p.to_path_buf()),
        _ => Err(CliError::Failed(format!(
            "the bundle's service name {name:?} is not usable as a directory name: pass -o <dir>"
        ))),
    }
}

/// Bundle paths are relative with plain components (the unpacker enforces it; checked
/// again because this is where a mistake would write outside the target).
fn safe_rel(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// Whether `dir` holds exactly the bundle's files with the same bytes.
fn holds_same(dir: &Path, bundle: &Bundle) -> bool {
    match Bundle::from_dir(dir, &pacto_core::bundle::Limits::default()) {
        Ok(existing) => {
            existing.len() == bundle.len()
                && bundle
                    .files()
                    .all(|(p, data)| existing.read(p) == Some(data))
        }
        Err(_) => false,
    }
}

fn write_bundle(bundle: &Bundle, dir: &Path) -> Result<(), CliError> {
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        CliError::Failed(format!("cannot {what} {}: {e}", p.display()))
    };
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
            return Err(CliError::Failed(format!(
                "{} exists and is not a directory: choose another -o",
                dir.display()
            )));
        }
        Ok(_) => {
            let empty = std::fs::read_dir(dir)
                .map_err(|e| fail("read", dir, e))?
                .next()
                .is_none();
            if !empty {
                if holds_same(dir, bundle) {
                    return Ok(());
                }
                return Err(CliError::Failed(format!(
                    "{} is not empty and holds something else: pull into a new or empty directory (-o <dir>)",
                    dir.display()
                )));
            }
        }
        Err(_) => {}
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| fail("create", parent, e))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
    let staging = parent.join(format!(".{name}.pacto-pull-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let result = stage(bundle, &staging).and_then(|()| {
        // An empty target directory is replaced by the staged one.
        if dir.is_dir() {
            std::fs::remove_dir(dir).map_err(|e| fail("replace", dir, e))?;
        }
        std::fs::rename(&staging, dir).map_err(|e| fail("write", dir, e))
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn stage(bundle: &Bundle, staging: &Path) -> Result<(), CliError> {
    let fail = |p: &Path, e: std::io::Error| {
        CliError::Failed(format!("cannot write {}: {e}", p.display()))
    };
    std::fs::create_dir(staging).map_err(|e| fail(staging, e))?;
    for (path, data) in bundle.files() {
        let rel = safe_rel(path).ok_or_else(|| {
            CliError::Failed(format!("refusing to write unsafe bundle path {path:?}"))
        })?;
        let target = staging.join(rel);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(|e| fail(p, e))?;
        }
        let mut f = std::fs::File::create_new(&target).map_err(|e| fail(&target, e))?;
        std::io::Write::write_all(&mut f, data).map_err(|e| fail(&target, e))?;
        f.sync_all().map_err(|e| fail(&target, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_rel("pacto.yaml").is_some());
        assert!(safe_rel("interfaces/a.yaml").is_some());
        for bad in ["", "../x", "/etc/passwd", "a/../../x", "./a"] {
            assert!(safe_rel(bad).is_none(), "{bad}");
        }
        assert!(default_dir("svc").is_ok());
        for bad in ["", "..", "a/b", "/x"] {
            assert!(default_dir(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pull_writes_whole_bundles_and_guards_the_target() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut b = Bundle::new();
        b.insert("pacto.yaml", b"x: 1\n".to_vec());
        b.insert("interfaces/api.yaml", b"y: 2\n".to_vec());
        let dir = tmp.path().join("out");
        write_bundle(&b, &dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read(dir.join("interfaces/api.yaml")).ok(),
            Some(b"y: 2\n".to_vec())
        );
        // Same bundle again: fine. Different bundle: refused, untouched.
        write_bundle(&b, &dir).unwrap_or_else(|e| panic!("{e}"));
        let mut other = b.clone();
        other.insert("pacto.yaml", b"x: 2\n".to_vec());
        assert!(write_bundle(&other, &dir).is_err());
        assert_eq!(
            std::fs::read(dir.join("pacto.yaml")).ok(),
            Some(b"x: 1\n".to_vec())
        );
        // Empty existing directory is filled; no staging directory is left behind.
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap_or_else(|e| panic!("{e}"));
        write_bundle(&b, &empty).unwrap_or_else(|e| panic!("{e}"));
        assert!(empty.join("pacto.yaml").is_file());
        let names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert!(names.iter().all(|n| !n.contains("pacto-pull")), "{names:?}");
    }
}
