//! `pacto migrate`: rewrite a 1.x contract (1.0, 1.1, 1.2) as a 2.0 one.
//!
//! [`migrate`] is the pure mapping (the table of the reference's MIGRATION.md, see
//! `mapping.rs`): a validated 1.x [`Contract`] and its bundle in, the 2.0 contract, its
//! YAML text, the files to add (OpenAPI stubs) and one [`MigrationNote`] per decision
//! out. 1.x deployment facts 2.0 has no field for (ports, scaling, image, chart,
//! lifecycle, probe delay) are kept under [`PRESERVED_EXTENSION`] unless
//! [`MigrateOptions::drop_lossy`] (`lossy.rs`; read back by `Contract::port_of`,
//! `scaling`, `image`, ...). [`migrate_bundle`] wraps it: the source must be a valid
//! 1.x bundle and the result must validate as 2.0, or nothing is returned to write.

mod ctx;
mod lossy;
mod mapping;
mod readiness;

use crate::bundle::{Bundle, CONTRACT_FILE};
use crate::finding::Finding;
use crate::model::{Contract, PRESERVED_EXTENSION, PactoVersion};
use crate::parse;
use crate::validate::{ValidateOptions, ValidationReport, validate_bundle};
use serde::Serialize;
use std::fmt;

/// Knobs of one migration.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// `YYYY-MM-DD` used to decide whether a 1.1 readiness check had expired (a parameter
    /// so the result is deterministic).
    pub today: String,
    /// Drop the 1.x-only facts instead of keeping them under [`PRESERVED_EXTENSION`].
    pub drop_lossy: bool,
}

/// What happened to one 1.x field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// Expressed in 2.0 with the same meaning (renamed, moved, made explicit).
    Mapped,
    /// Not expressible in 2.0 and dropped, or expressed with less detail.
    Lossy,
    /// Not expressible in 2.0, kept under [`PRESERVED_EXTENSION`] or `metadata`.
    Preserved,
    /// Something 2.0 requires was generated (a spec file, a date): review it.
    Stubbed,
}

impl NoteKind {
    pub const ALL: [NoteKind; 4] = [Self::Mapped, Self::Preserved, Self::Stubbed, Self::Lossy];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mapped => "mapped",
            Self::Lossy => "lossy",
            Self::Preserved => "preserved",
            Self::Stubbed => "stubbed",
        }
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One migration decision, at the 1.x YAML path it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MigrationNote {
    pub path: String,
    pub kind: NoteKind,
    pub message: String,
}

/// The result of [`migrate`].
#[derive(Debug, Clone)]
pub struct Migration {
    pub from: PactoVersion,
    /// The 2.0 contract (1.x fields cleared).
    pub contract: Contract,
    /// `contract` as the new `pacto.yaml`.
    pub yaml: String,
    /// Files to add to the bundle (bundle-relative path, bytes), e.g. OpenAPI stubs.
    pub files: Vec<(String, Vec<u8>)>,
    pub notes: Vec<MigrationNote>,
}

/// Why a bundle was not migrated.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the contract is already pactoVersion 2.0: nothing to migrate")]
    AlreadyV2,
    #[error(
        "the bundle is not a valid 1.x contract ({} error(s)): fix it first (`pacto validate` lists the errors)",
        .0.errors.len()
    )]
    InvalidSource(Box<ValidationReport>),
    #[error(
        "the migrated contract does not validate as 2.0 ({} error(s)), so nothing was written: fix the source (or the policy it violates) and migrate again",
        .report.errors.len()
    )]
    InvalidResult {
        report: Box<ValidationReport>,
        yaml: String,
    },
    #[error(
        "{protocol} interface '{interface}' has no `contract`: 1.x requires one for {protocol}, add it and migrate again"
    )]
    SpecRequired { interface: String, protocol: String },
    #[error("cannot write the migrated contract as YAML: {0}")]
    Serialize(String),
}

/// Maps a 1.x contract to 2.0. `bundle` is read only to name stub files so they do not
/// collide with existing ones.
pub fn migrate(
    contract: &Contract,
    bundle: &Bundle,
    opts: &MigrateOptions,
) -> Result<Migration, MigrateError> {
    if contract.pacto_version.is_v2() {
        return Err(MigrateError::AlreadyV2);
    }
    let (out, files, notes) = mapping::map(contract, bundle, opts)?;
    let yaml = serde_saphyr::to_string(&out).map_err(|e| MigrateError::Serialize(e.to_string()))?;
    Ok(Migration {
        from: contract.pacto_version,
        contract: out,
        yaml,
        files,
        notes,
    })
}

/// A migrated bundle that validated as 2.0.
#[derive(Debug, Clone)]
pub struct MigratedBundle {
    /// The source bundle with `pacto.yaml` replaced and the new files added.
    pub bundle: Bundle,
    pub migration: Migration,
    /// Warnings of the 2.0 validation (errors would have refused the migration).
    pub warnings: Vec<Finding>,
}

/// Validates `bundle` as 1.x, migrates it and validates the result as 2.0.
pub fn migrate_bundle(
    bundle: &Bundle,
    opts: &MigrateOptions,
) -> Result<MigratedBundle, MigrateError> {
    if is_v2_text(bundle) {
        return Err(MigrateError::AlreadyV2);
    }
    let report = validate_bundle(bundle, &ValidateOptions::default());
    let contract = match (&report.contract, report.is_valid()) {
        (Some(c), true) => c.clone(),
        _ => return Err(MigrateError::InvalidSource(Box::new(report))),
    };
    let migration = migrate(&contract, bundle, opts)?;
    let mut out = bundle.clone();
    out.insert(CONTRACT_FILE, migration.yaml.clone().into_bytes());
    for (path, bytes) in &migration.files {
        out.insert(path.clone(), bytes.clone());
    }
    let check = validate_bundle(&out, &ValidateOptions::default());
    if !check.is_valid() {
        return Err(MigrateError::InvalidResult {
            report: Box::new(check),
            yaml: migration.yaml,
        });
    }
    Ok(MigratedBundle {
        bundle: out,
        migration,
        warnings: check.warnings,
    })
}

/// Whether `pacto.yaml` declares `pactoVersion: "2.0"` (even if otherwise invalid).
fn is_v2_text(bundle: &Bundle) -> bool {
    bundle
        .contract_text()
        .and_then(|t| parse::parse_yaml(t).ok())
        .and_then(|raw| parse::detect_version(&raw).ok())
        .is_some_and(PactoVersion::is_v2)
}

/// Where the preserved facts go, for messages.
fn preserved_at(key: &str) -> String {
    format!("extensions[\"{PRESERVED_EXTENSION}\"].{key}")
}
