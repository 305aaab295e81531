use crate::args::{DiffArgs, OutputFormat};
use crate::error::CliError;
use crate::load::{graph_root, side_overrides};
use crate::outcome::Outcome;
use crate::render;
use crate::render::diff::{DependencyDiff, DiffReport};
use pacto_core::diff::{Classification, diff_contracts};
use pacto_core::graph::{Fetched, GraphOptions, Location, build, diff_graphs};
use pacto_core::value_overrides::ValueOverrides;

pub fn run(
    args: &DiffArgs,
    global: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let side = |values: &[_], sets: &[String]| side_overrides(global, values, sets);
    let old = graph_root(&args.old, &side(&args.old_values, &args.old_set)?, format)?;
    let new = graph_root(&args.new, &side(&args.new_values, &args.new_set)?, format)?;
    verify_lock(&args.old, &old)?;
    verify_lock(&args.new, &new)?;
    let report = compare(&args.old, &args.new, &old, &new);
    let code = if report.classification == Classification::Breaking {
        1
    } else {
        0
    };
    let mut out = render::diff::render(&report, format).with_code(code);
    if code == 1 && format == OutputFormat::Text {
        out.stderr.push_str("breaking changes detected\n");
    }
    Ok(out)
}

/// A local side with a `pacto.lock` must match what its dependencies resolve to now (as
/// `validate` and `push` check): a diff over drifted pins would compare something else
/// than what the lock promises.
fn verify_lock(path: &str, side: &Fetched) -> Result<(), CliError> {
    let Location::Dir(dir) = &side.location else {
        return Ok(());
    };
    crate::lock::verify_if_present(dir, side).map_err(|e| CliError::Failed(format!("{path}: {e}")))
}

/// Contract diff, dependency-graph diff and a diff per dependency present on both sides.
pub fn compare(
    old_path: &str,
    new_path: &str,
    old: &pacto_core::graph::Fetched,
    new: &pacto_core::graph::Fetched,
) -> DiffReport {
    let main = diff_contracts(&old.contract, &old.bundle, &new.contract, &new.bundle);
    let fetcher = crate::oci::fetcher();
    let old_res = build(old, &fetcher, &GraphOptions::default());
    let new_res = build(new, &fetcher, &GraphOptions::default());
    let mut dependency_diffs = Vec::new();
    for (name, o) in &old_res.by_name {
        if *name == old.contract.service.name {
            continue;
        }
        if let Some(n) = new_res.by_name.get(name) {
            let d = diff_contracts(&o.contract, &o.bundle, &n.contract, &n.bundle);
            if !d.changes.is_empty() {
                dependency_diffs.push(DependencyDiff {
                    name: name.clone(),
                    classification: d.classification,
                    changes: d.changes,
                    sbom_diff: d.sbom_diff,
                });
            }
        }
    }
    // A breaking change in a dependency breaks the consumer too.
    let classification = dependency_diffs
        .iter()
        .map(|d| d.classification)
        .chain(std::iter::once(main.classification))
        .max()
        .unwrap_or_default();
    DiffReport {
        old_path: old_path.to_string(),
        new_path: new_path.to_string(),
        classification,
        changes: main.changes,
        dependency_diffs,
        graph_diff: diff_graphs(&old_res.graph, &new_res.graph),
        sbom_diff: main.sbom_diff,
    }
}
