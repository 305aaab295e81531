//! `pacto impact OLD NEW [--consumers DIR]...`: the contract diff of OLD → NEW joined with
//! the contracts under the consumer directories that depend on the service, directly or
//! through others (`pacto_core::impact`). Exits 1 when the change is BREAKING and a
//! consumer that cannot work without the service is incompatible.

use crate::args::{ImpactArgs, OutputFormat};
use crate::error::CliError;
use crate::load::{graph_root, side_overrides};
use crate::outcome::Outcome;
use crate::render;
use pacto_core::bundle::{Bundle, Limits};
use pacto_core::diff::diff_contracts;
use pacto_core::impact::{DependentsIndex, Limitation, LimitationCode, analyze};
use pacto_core::model::Contract;
use pacto_core::semver_range::parse_version_lenient;
use pacto_core::validate::{ValidateOptions, validate_bundle};
use pacto_core::value_overrides::ValueOverrides;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Most consumer bundles read; more are left out with a `CONSUMERS_TRUNCATED` limitation.
pub const MAX_CONSUMER_BUNDLES: usize = 10_000;

pub fn run(
    args: &ImpactArgs,
    global: &ValueOverrides,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let s = &args.sides;
    let old = graph_root(
        &s.old,
        &side_overrides(global, &s.old_values, &s.old_set)?,
        format,
    )?;
    let new = graph_root(
        &s.new,
        &side_overrides(global, &s.new_values, &s.new_set)?,
        format,
    )?;
    let (a, b) = (&old.contract.service, &new.contract.service);
    let diff = diff_contracts(&old.contract, &old.bundle, &new.contract, &new.bundle);

    let roots = if args.consumers.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.consumers.clone()
    };
    for r in &roots {
        if !r.is_dir() {
            return Err(CliError::Usage(format!(
                "--consumers {}: not a directory",
                r.display()
            )));
        }
    }
    let scan = scan(&roots);
    let in_scan = scan.contracts.contains_key(&a.name);
    // The service's own versions are not its consumers; NEW stands for it in the index.
    let others = scan
        .contracts
        .values()
        .filter(|c| c.service.name != a.name && c.service.name != b.name);
    let index = DependentsIndex::new(others.chain([&new.contract]));

    let mut report = analyze(&a.name, (&a.version, &b.version), diff, |n| {
        index.dependents(n)
    });
    let mut limitations = scan.limitations;
    if a.name != b.name {
        limitations.push(Limitation::new(
            LimitationCode::ServiceRenamed,
            format!(
                "OLD is {} and NEW is {}: the consumers of {} are listed",
                a.name, b.name, a.name
            ),
        ));
    }
    if !in_scan && report.consumers.is_empty() {
        let dirs: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        limitations.push(Limitation::new(
            LimitationCode::ServiceNotInFleet,
            format!(
                "no contract under {} is {} or depends on it: name the directories of its consumers with --consumers",
                dirs.join(", "),
                a.name
            ),
        ));
    }
    report.limitations.extend(limitations);

    let code = i32::from(report.blocking());
    let mut out = render::impact::render(&report, format).with_code(code);
    if code == 1 && format == OutputFormat::Text {
        out.stderr
            .push_str("breaking change: a required consumer is incompatible\n");
    }
    Ok(out)
}

/// The consumer contracts found, one per service (its highest version), and what could
/// not be read.
struct Scan {
    contracts: BTreeMap<String, Contract>,
    limitations: Vec<Limitation>,
}

fn scan(roots: &[PathBuf]) -> Scan {
    // Overlapping roots find a bundle twice: once is enough.
    let mut seen = BTreeSet::new();
    let mut dirs: Vec<PathBuf> = roots
        .iter()
        .flat_map(|r| pacto_dashboard::sources::local::bundle_dirs(r))
        .filter(|d| seen.insert(std::fs::canonicalize(d).unwrap_or_else(|_| d.clone())))
        .collect();
    let mut out = Scan {
        contracts: BTreeMap::new(),
        limitations: Vec::new(),
    };
    if dirs.len() > MAX_CONSUMER_BUNDLES {
        out.limitations.push(Limitation::new(
            LimitationCode::ConsumersTruncated,
            format!(
                "{} bundles found; only the first {MAX_CONSUMER_BUNDLES} were read",
                dirs.len()
            ),
        ));
        dirs.truncate(MAX_CONSUMER_BUNDLES);
    }
    for dir in dirs {
        match read(&dir) {
            Ok(c) => {
                let newer = out
                    .contracts
                    .get(&c.service.name)
                    .is_none_or(|seen| rank(&c) > rank(seen));
                if newer {
                    out.contracts.insert(c.service.name.clone(), c);
                }
            }
            Err(why) => out.limitations.push(Limitation::new(
                LimitationCode::ConsumerInvalid,
                format!("{}: {why}; its dependencies are not counted", dir.display()),
            )),
        }
    }
    out
}

/// Several versions of one service: the highest semver one counts.
fn rank(c: &Contract) -> Option<semver::Version> {
    parse_version_lenient(&c.service.version)
}

fn read(dir: &Path) -> Result<Contract, String> {
    let bundle = Bundle::from_dir(dir, &Limits::default()).map_err(|e| e.to_string())?;
    let report = validate_bundle(&bundle, &ValidateOptions::default());
    match (report.is_valid(), report.contract) {
        (true, Some(c)) => Ok(c),
        _ => Err(match report.errors.first() {
            Some(f) => format!("invalid contract ({} at {:?})", f.code, f.path),
            None => "invalid contract".into(),
        }),
    }
}
