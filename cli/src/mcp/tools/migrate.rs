//! `pacto_migrate`: a 1.x bundle (directory or `oci://` ref) rewritten as 2.0 through
//! `pacto_core::migrate::migrate_bundle`, returned and, with `output`, written whole into a
//! new or empty directory under the working directory (as `pacto migrate -o`).

use super::args::MigrateArgs;
use super::write::write_files;
use crate::mcp::Context;
use crate::mcp::confine::confined;
use pacto_core::Finding;
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use pacto_core::migrate::{MigrateError, MigrateOptions, migrate_bundle};
use pacto_core::validate::ValidationReport;
use pacto_core::value_overrides::ValueOverrides;
use serde_json::{Value, json};
use std::path::Path;

pub fn run(ctx: &Context, a: MigrateArgs) -> Result<Value, String> {
    let path = a.path.clone().unwrap_or_else(|| ".".into());
    // The target is checked before any work, so a refused `output` costs nothing.
    let out = match &a.output {
        Some(rel) => Some((rel.clone(), confined(&ctx.root, rel)?)),
        None => None,
    };
    if let Some((rel, dir)) = &out {
        ensure_new_or_empty(rel, dir)?;
    }
    let bundle = read(&path)?;
    let opts = MigrateOptions {
        today: crate::commands::migrate::today_utc(),
        drop_lossy: a.drop_lossy,
    };
    let migrated = migrate_bundle(&bundle, &opts).map_err(|e| refused(&path, &e))?;
    let write = out.as_ref().filter(|_| !a.dry_run);
    if let Some((rel, dir)) = write {
        ensure_new_or_empty(rel, dir)?;
        write_files(&ctx.root, dir, migrated.bundle.files())?;
    }
    let m = &migrated.migration;
    let mut files = vec![CONTRACT_FILE.to_string()];
    files.extend(m.files.iter().map(|(p, _)| p.clone()));
    let output = out.as_ref().map(|(rel, _)| rel.clone());
    let summary = format!(
        "{path}: pactoVersion {} -> 2.0, {} note(s); {}",
        m.from.as_str(),
        m.notes.len(),
        match (&output, write.is_some()) {
            (Some(o), true) => format!("{} file(s) written to {o}/", migrated.bundle.len()),
            (Some(o), false) => format!("dry run, nothing written to {o}/"),
            (None, _) => "nothing written (no output given)".to_string(),
        }
    );
    Ok(json!({
        "path": path,
        "from": m.from.as_str(),
        "to": "2.0",
        "pactoYaml": m.yaml,
        "files": files,
        "notes": m.notes,
        "warnings": migrated.warnings.iter().map(finding).collect::<Vec<_>>(),
        "written": write.is_some(),
        "output": output,
        "dryRun": a.dry_run,
        "summary": summary,
    }))
}

/// The source bundle: a registry pull for `oci://`, else a directory.
fn read(path: &str) -> Result<Bundle, String> {
    if path.starts_with("oci://") {
        let loaded = crate::load::load(path, &ValueOverrides::default())
            .map_err(|e| format!("{path}: {e}"))?;
        return Ok(loaded.bundle);
    }
    let dir = Path::new(path.strip_prefix("file://").unwrap_or(path));
    Bundle::from_dir(dir, &Limits::default()).map_err(|e| format!("{path}: {e}"))
}

fn finding(f: &Finding) -> Value {
    json!({ "path": f.path, "code": f.code, "message": f.message })
}

/// The error text for a refusal: the reason, and the validation errors when there are any.
fn refused(path: &str, e: &MigrateError) -> String {
    let report: Option<&ValidationReport> = match e {
        MigrateError::InvalidSource(r) | MigrateError::InvalidResult { report: r, .. } => Some(r),
        _ => None,
    };
    let mut text = format!("{path}: {e}");
    if let Some(r) = report {
        for f in &r.errors {
            text.push_str(&format!("\n  {} {}: {}", f.code, f.path, f.message));
        }
    }
    text
}

/// `output` must not exist yet, or be an empty directory.
fn ensure_new_or_empty(rel: &str, dir: &Path) -> Result<(), String> {
    if !dir.exists() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| format!("{rel}: {e}"))?;
    if entries.next().is_some() {
        return Err(format!(
            "{rel} is not empty: give a new or empty directory as output"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(root: &Path) -> Context {
        Context {
            root: root.to_path_buf(),
            bundle: None,
            read_only: false,
            fleet: None,
        }
    }

    fn example(name: &str) -> String {
        format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn args(path: String, output: Option<&str>) -> MigrateArgs {
        MigrateArgs {
            path: Some(path),
            output: output.map(str::to_string),
            drop_lossy: false,
            dry_run: false,
        }
    }

    #[test]
    fn migrates_and_writes_only_with_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let c = ctx(&root);
        let v = run(&c, args(example("order-processor"), None)).unwrap();
        assert_eq!(
            (v["from"].as_str(), v["to"].as_str()),
            (Some("1.2"), Some("2.0"))
        );
        assert_eq!(v["written"], false);
        assert!(v["pactoYaml"].as_str().unwrap().contains("pactoVersion"));
        assert!(!v["notes"].as_array().unwrap().is_empty());
        let mut dry = args(example("order-processor"), Some("out"));
        dry.dry_run = true;
        assert_eq!(run(&c, dry).unwrap()["written"], false);
        assert!(!root.join("out").exists());
        let v = run(&c, args(example("order-processor"), Some("out"))).unwrap();
        assert_eq!(v["written"], true);
        let text = std::fs::read_to_string(root.join("out/pacto.yaml")).unwrap();
        assert!(text.contains("2.0"), "{text}");
        let again = run(&c, args(example("order-processor"), Some("out"))).unwrap_err();
        assert!(again.contains("not empty"), "{again}");
    }

    #[test]
    fn refuses_v2_and_escaping_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let c = ctx(&root);
        let e = run(&c, args(example("ledger-api"), None)).unwrap_err();
        assert!(e.contains("already pactoVersion 2.0"), "{e}");
        let e = run(&c, args(example("order-processor"), Some("../x"))).unwrap_err();
        assert!(e.contains("`..`"), "{e}");
        let e = run(&c, args(example("order-processor"), Some("/tmp/x"))).unwrap_err();
        assert!(e.contains("absolute"), "{e}");
    }
}
