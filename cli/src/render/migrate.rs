//! `pacto migrate` output: what was (or would be) written, then the notes grouped by kind
//! (mapped, preserved, stubbed, lossy); warnings of the 2.0 validation on stderr.

use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::md_cell;
use pacto_core::Finding;
use pacto_core::migrate::{MigratedBundle, MigrationNote, NoteKind};
use serde::Serialize;
use std::fmt::Write;

/// What the command did with the migrated bundle.
pub enum Action {
    /// `--check`: nothing written; the bundle would change (exit 1).
    Check,
    InPlace,
    /// `-o DIR`.
    Wrote(String),
}

pub struct Report<'a> {
    pub path: &'a str,
    pub migrated: &'a MigratedBundle,
    pub action: Action,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MigrateJson<'a> {
    path: &'a str,
    from: &'a str,
    to: &'a str,
    changed: bool,
    /// Whether files were written (false under `--check` and for a 2.0 bundle).
    written: bool,
    output: Option<&'a str>,
    /// Bundle-relative files written or to write (`pacto.yaml` and new stubs).
    files: Vec<&'a str>,
    notes: &'a [MigrationNote],
    warnings: &'a [Finding],
}

pub fn already_v2(path: &str, format: OutputFormat) -> Outcome {
    match format {
        OutputFormat::Json => Outcome::ok(json(&MigrateJson {
            path,
            from: "2.0",
            to: "2.0",
            changed: false,
            written: false,
            output: None,
            files: vec![],
            notes: &[],
            warnings: &[],
        })),
        _ => Outcome::ok(format!(
            "{path} is already pactoVersion 2.0: nothing to migrate\n"
        )),
    }
}

pub fn render(r: &Report<'_>, format: OutputFormat) -> Outcome {
    let m = &r.migrated.migration;
    let code = i32::from(matches!(r.action, Action::Check));
    let mut files = vec!["pacto.yaml"];
    files.extend(m.files.iter().map(|(p, _)| p.as_str()));
    let output = match &r.action {
        Action::Wrote(dir) => Some(dir.as_str()),
        _ => None,
    };
    let warnings = &r.migrated.warnings;
    match format {
        OutputFormat::Json => Outcome::ok(json(&MigrateJson {
            path: r.path,
            from: m.from.as_str(),
            to: "2.0",
            changed: true,
            written: !matches!(r.action, Action::Check),
            output,
            files,
            notes: &m.notes,
            warnings,
        }))
        .with_code(code),
        OutputFormat::Text => {
            let mut out = headline(r);
            let _ = writeln!(out, "Files: {}", files.join(", "));
            for kind in NoteKind::ALL {
                let group: Vec<_> = m.notes.iter().filter(|n| n.kind == kind).collect();
                if group.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n{} ({}):", title(kind), group.len());
                for n in group {
                    let _ = writeln!(out, "  {}: {}", n.path, n.message);
                }
            }
            let mut err = String::new();
            for f in warnings {
                let _ = writeln!(err, "  WARN  [{}] {}: {}", f.code, f.path, f.message);
            }
            Outcome::ok(out).with_stderr(err).with_code(code)
        }
        OutputFormat::Markdown => {
            let mut out = format!("## Migration: `{}`\n\n{}\n", r.path, headline(r));
            out.push_str("| Kind | Path | Note |\n|---|---|---|\n");
            for kind in NoteKind::ALL {
                for n in m.notes.iter().filter(|n| n.kind == kind) {
                    let _ = writeln!(
                        out,
                        "| {kind} | `{}` | {} |",
                        md_cell(&n.path),
                        md_cell(&n.message)
                    );
                }
            }
            Outcome::ok(out).with_code(code)
        }
    }
}

fn headline(r: &Report<'_>) -> String {
    let from = r.migrated.migration.from;
    match &r.action {
        Action::Check => format!(
            "{} would be migrated from pactoVersion {from} to 2.0 (--check: nothing written)\n",
            r.path
        ),
        Action::InPlace => format!(
            "Migrated {} from pactoVersion {from} to 2.0 in place\n",
            r.path
        ),
        Action::Wrote(dir) => format!(
            "Migrated {} from pactoVersion {from} to 2.0 into {dir}\n",
            r.path
        ),
    }
}

fn title(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Mapped => "Mapped",
        NoteKind::Preserved => "Preserved",
        NoteKind::Stubbed => "Stubbed (review)",
        NoteKind::Lossy => "Lossy",
    }
}
