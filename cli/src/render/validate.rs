use crate::args::OutputFormat;
use crate::outcome::{Outcome, json};
use crate::render::md_cell;
use pacto_core::Finding;
use pacto_core::validate::ValidationReport;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct ValidateJson<'a> {
    path: &'a str,
    valid: bool,
    errors: &'a [Finding],
    warnings: &'a [Finding],
}

/// `<path> is valid|invalid` on stdout, findings on stderr (text); exit 1 when invalid.
pub fn render(path: &str, report: &ValidationReport, format: OutputFormat) -> Outcome {
    let valid = report.is_valid();
    let code = if valid { 0 } else { 1 };
    match format {
        OutputFormat::Json => Outcome::ok(json(&ValidateJson {
            path,
            valid,
            errors: &report.errors,
            warnings: &report.warnings,
        }))
        .with_code(code),
        OutputFormat::Text => {
            let verdict = if valid { "valid" } else { "invalid" };
            let mut err = String::new();
            for f in &report.errors {
                let _ = writeln!(err, "  ERROR [{}] {}: {}", f.code, shown_path(f), f.message);
            }
            for f in &report.warnings {
                let _ = writeln!(err, "  WARN  [{}] {}: {}", f.code, shown_path(f), f.message);
            }
            if !valid {
                let _ = writeln!(
                    err,
                    "validation failed with {} error(s)",
                    report.errors.len()
                );
            }
            Outcome::ok(format!("{path} is {verdict}\n"))
                .with_stderr(err)
                .with_code(code)
        }
        OutputFormat::Markdown => {
            let mut out = format!("## Validation: `{path}`\n\n");
            let _ = writeln!(
                out,
                "**Result:** {} ({} error(s), {} warning(s))\n",
                if valid { "valid" } else { "invalid" },
                report.errors.len(),
                report.warnings.len()
            );
            if !report.errors.is_empty() || !report.warnings.is_empty() {
                out.push_str("| Severity | Code | Path | Message |\n|---|---|---|---|\n");
                let rows = report
                    .errors
                    .iter()
                    .map(|f| ("error", f))
                    .chain(report.warnings.iter().map(|f| ("warning", f)));
                for (sev, f) in rows {
                    let _ = writeln!(
                        out,
                        "| {sev} | `{}` | `{}` | {} |",
                        f.code,
                        md_cell(shown_path(f)),
                        md_cell(&f.message)
                    );
                }
            }
            Outcome::ok(out).with_code(code)
        }
    }
}

fn shown_path(f: &Finding) -> &str {
    if f.path.is_empty() {
        "(document)"
    } else {
        &f.path
    }
}
