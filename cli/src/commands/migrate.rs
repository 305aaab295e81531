//! `pacto migrate [dir] [-o dir] [--check] [--drop-lossy]`: rewrite a 1.x bundle as 2.0.
//! The source must validate as 1.x and the result as 2.0 before anything is written.

use crate::args::{MigrateArgs, OutputFormat};
use crate::error::CliError;
use crate::outcome::Outcome;
use crate::render;
use crate::render::migrate::{Action, Report};
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use pacto_core::migrate::{MigrateError, MigrateOptions, MigratedBundle, migrate_bundle};
use pacto_core::validate::ValidationReport;
use pacto_core::value_overrides::ValueOverrides;
use std::path::Path;

pub fn run(
    args: &MigrateArgs,
    overrides: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    if !overrides.is_empty() {
        return Err(CliError::Usage(
            "migrate rewrites pacto.yaml as written, so -f/--set do not apply: drop them".into(),
        ));
    }
    let format = if args.json {
        OutputFormat::Json
    } else {
        format
    };
    let today = match &args.today {
        Some(d) if is_date(d) => d.clone(),
        Some(d) => {
            return Err(CliError::Usage(format!(
                "--today {d:?} is not a YYYY-MM-DD date"
            )));
        }
        None => today_utc(),
    };
    let shown = args.path.display().to_string();
    let bundle = Bundle::from_dir(&args.path, &Limits::default())?;
    let opts = MigrateOptions {
        today,
        drop_lossy: args.drop_lossy,
    };
    let migrated = match migrate_bundle(&bundle, &opts) {
        Ok(m) => m,
        Err(MigrateError::AlreadyV2) => {
            return Ok(render::migrate::already_v2(&shown, format));
        }
        Err(e) => {
            let why = e.to_string();
            return Err(match &e {
                MigrateError::InvalidSource(r) | MigrateError::InvalidResult { report: r, .. } => {
                    refused(&shown, r, format, &why)
                }
                _ => CliError::Failed(format!("{shown}: {why}")),
            });
        }
    };
    let action = if args.check {
        Action::Check
    } else if let Some(out) = &args.output {
        write_all(out, &migrated.bundle)?;
        Action::Wrote(out.display().to_string())
    } else {
        write_in_place(&args.path, &migrated)?;
        Action::InPlace
    };
    Ok(render::migrate::render(
        &Report {
            path: &shown,
            migrated: &migrated,
            action,
        },
        format,
    ))
}

fn refused(path: &str, report: &ValidationReport, format: OutputFormat, why: &str) -> CliError {
    let shown = render::validate::render(path, report, format);
    CliError::Failed(format!("{}{}{path}: {why}", shown.stdout, shown.stderr))
}

/// In place: `pacto.yaml` is replaced, the new files added; nothing else is touched.
fn write_in_place(dir: &Path, m: &MigratedBundle) -> Result<(), CliError> {
    for (path, _) in &m.migration.files {
        if dir.join(path).exists() {
            return Err(CliError::Failed(format!(
                "{} exists but is not part of the bundle (.pactoignore excludes it), so the stub cannot be written there: move it and migrate again",
                dir.join(path).display()
            )));
        }
    }
    for (path, bytes) in &m.migration.files {
        write_file(&dir.join(path), bytes)?;
    }
    write_file(&dir.join(CONTRACT_FILE), m.migration.yaml.as_bytes())
}

/// `-o`: every file of the migrated bundle, into a new or empty directory.
fn write_all(out: &Path, bundle: &Bundle) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Failed(format!("cannot write {}: {e}", out.display()));
    if out.exists() && std::fs::read_dir(out).map_err(fail)?.next().is_some() {
        return Err(CliError::Failed(format!(
            "{} is not empty: give a new or empty directory to -o",
            out.display()
        )));
    }
    for (path, bytes) in bundle.files() {
        write_file(&out.join(path), bytes)?;
    }
    Ok(())
}

/// Through a temporary file in the same directory, so a crash never leaves half a file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::Failed(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Today's UTC date, `YYYY-MM-DD` (civil-from-days over the Unix epoch); also the date
/// `pacto_migrate` (MCP) migrates with.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2026-04-15"));
        assert!(!is_date("2026-4-15"));
        assert!(!is_date("2026/04/15"));
        let t = today_utc();
        assert!(is_date(&t) && t.as_str() > "2025-01-01", "{t}");
    }
}
