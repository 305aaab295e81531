//! Comparing a committed lock with a fresh resolution, and refreshing one while
//! keeping its pins.

use super::LockError;
use super::model::{CURRENT_LOCK_VERSION, Entry, Lock, Reference, SOURCE_LOCAL};
use std::collections::{BTreeMap, BTreeSet};

/// `Ok` when `existing` pins exactly what `fresh` resolved; else the first
/// divergence, in this order: a lock older than lockVersion 3 or an entry whose
/// constraint or ref changed (`LOCK_STALE`), a moved digest (`LOCK_DIGEST_MISMATCH`)
/// or changed local content (`LOCK_LOCAL_DRIFT`), then a dependency or reference
/// added or removed (`LOCK_STALE`).
pub fn compare(existing: &Lock, fresh: &Lock) -> Result<(), LockError> {
    if existing.lock_version < CURRENT_LOCK_VERSION {
        return Err(LockError::stale(format!(
            "pacto.lock has lockVersion {}, older than {CURRENT_LOCK_VERSION}",
            existing.lock_version
        )));
    }
    let old: BTreeMap<&str, &Entry> = existing
        .dependencies
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();
    for f in &fresh.dependencies {
        let Some(e) = old.get(f.name.as_str()) else {
            continue;
        };
        if e.constraint != f.constraint {
            return Err(LockError::stale(format!(
                "the constraint of {} changed from {:?} to {:?}",
                f.name, e.constraint, f.constraint
            )));
        }
        if e.source != f.source || e.reference != f.reference || e.path != f.path {
            return Err(LockError::stale(format!(
                "the ref of {} changed from {} to {}",
                f.name,
                shown(&e.reference, &e.path),
                shown(&f.reference, &f.path)
            )));
        }
        pins_match(&f.name, &f.source, e.pin(), f.pin())?;
    }
    let old_refs: BTreeMap<(&str, &str, &str), &Reference> = existing
        .references
        .iter()
        .map(|r| (r.occurrence(), r))
        .collect();
    for f in &fresh.references {
        let Some(e) = old_refs.get(&f.occurrence()) else {
            continue;
        };
        let label = format!("{}/{}", f.kind, f.name);
        if e.source != f.source || e.reference != f.reference || e.path != f.path {
            return Err(LockError::stale(format!(
                "the ref of {} changed from {} to {}",
                f.describe(),
                shown(&e.reference, &e.path),
                shown(&f.reference, &f.path)
            )));
        }
        pins_match(&label, &f.source, e.pin(), f.pin())?;
    }
    membership(existing, fresh)
}

fn shown<'a>(reference: &'a str, path: &'a str) -> &'a str {
    if reference.is_empty() {
        path
    } else {
        reference
    }
}

fn pins_match(name: &str, source: &str, locked: &str, current: &str) -> Result<(), LockError> {
    if locked == current {
        return Ok(());
    }
    let (name, locked, current) = (name.to_string(), locked.to_string(), current.to_string());
    Err(if source == SOURCE_LOCAL {
        LockError::LocalDrift {
            name,
            locked,
            current,
        }
    } else {
        LockError::DigestMismatch {
            name,
            locked,
            current,
        }
    })
}

fn membership(existing: &Lock, fresh: &Lock) -> Result<(), LockError> {
    let old: BTreeSet<&str> = existing
        .dependencies
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let new: BTreeSet<&str> = fresh.dependencies.iter().map(|e| e.name.as_str()).collect();
    if let Some(n) = new.difference(&old).next() {
        return Err(LockError::stale(format!(
            "new dependency {n} is not in pacto.lock"
        )));
    }
    if let Some(n) = old.difference(&new).next() {
        return Err(LockError::stale(format!(
            "dependency {n} is locked but no longer in the closure"
        )));
    }
    let old: BTreeMap<_, _> = existing
        .references
        .iter()
        .map(|r| (r.occurrence(), r))
        .collect();
    let new: BTreeMap<_, _> = fresh
        .references
        .iter()
        .map(|r| (r.occurrence(), r))
        .collect();
    if let Some((_, r)) = new.iter().find(|(k, _)| !old.contains_key(*k)) {
        return Err(LockError::stale(format!(
            "new reference {} is not in pacto.lock",
            r.describe()
        )));
    }
    if let Some((_, r)) = old.iter().find(|(k, _)| !new.contains_key(*k)) {
        return Err(LockError::stale(format!(
            "reference {} is locked but no longer in the closure",
            r.describe()
        )));
    }
    Ok(())
}

/// `fresh` with the pins (version, digest, content hash) of `existing` kept for every
/// dependency whose constraint and ref are unchanged and which is not named in
/// `update_names`: what a plain `pacto lock` (or `--update-name`) writes.
pub fn merge_preserving_pins(existing: &Lock, fresh: &Lock, update_names: &[String]) -> Lock {
    let mut out = fresh.clone();
    for f in &mut out.dependencies {
        if update_names.iter().any(|n| n == &f.name) {
            continue;
        }
        if let Some(e) = existing.dependency(&f.name)
            && e.constraint == f.constraint
            && e.source == f.source
            && e.reference == f.reference
            && e.path == f.path
        {
            f.version = e.version.clone();
            f.digest = e.digest.clone();
            f.content_hash = e.content_hash.clone();
        }
    }
    out
}

impl Lock {
    /// The digest a registry dependency declared as `reference` with `constraint` is
    /// pinned to, if the lock records it.
    pub fn pinned_digest(&self, reference: &str, constraint: &str) -> Option<&str> {
        self.dependencies
            .iter()
            .find(|e| {
                e.source == super::SOURCE_OCI
                    && e.reference == reference
                    && e.constraint == constraint
                    && !e.digest.is_empty()
            })
            .map(|e| e.digest.as_str())
    }
}
