//! `pacto.lock` resolution and verification for the commands: the closure resolved
//! against the registry (every tag revalidated, each digest and its bytes from one
//! pinned pull), local bundles hashed, and a fetcher that resolves registry
//! dependencies through the pins of a lock. The lock rules are `pacto_core::lock`.

use crate::oci::{fetcher, registry};
use pacto_core::bundle::{Bundle, Limits};
use pacto_core::graph::{DepRequest, FetchError, Fetched, Fetcher, GraphOptions, Location, build};
use pacto_core::lock::build::{RefResolver, ResolvedRef, dependencies, local_path, references};
use pacto_core::lock::hash::content_hash;
use pacto_core::lock::verify::compare;
use pacto_core::lock::{
    LOCK_FILE, Lock, LockError, MAX_LOCK_BYTES, PactoInfo, Reference, RootInfo,
};
use pacto_core::oci_ref::{OciRef, parse};
use pacto_oci::BlockingRegistry;
use pacto_oci::fetcher::{contract_of, is_oci_ref};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The lock beside `pacto.yaml` in `dir`: `None` when there is none; a lock that
/// cannot be read (bad YAML, over [`MAX_LOCK_BYTES`], unknown lockVersion) is
/// `LOCK_ERROR`.
pub fn read(dir: &Path) -> Result<Option<Lock>, LockError> {
    let path = dir.join(LOCK_FILE);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(LockError::Malformed(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let mut bytes = Vec::new();
    file.take(MAX_LOCK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LockError::Malformed(format!("cannot read {}: {e}", path.display())))?;
    Lock::parse(&bytes).map(Some)
}

/// The lock carried inside a bundle (a pulled one, say), if any.
pub fn in_bundle(bundle: &Bundle) -> Result<Option<Lock>, LockError> {
    bundle.read(LOCK_FILE).map(Lock::parse).transpose()
}

/// Resolves `root`'s dependency closure and reference closure afresh into a lock.
pub fn resolve(root: &Fetched) -> Result<Lock, LockError> {
    let pinning = PinningFetcher {
        inner: fetcher(),
        lock: None,
        revalidate: true,
    };
    let res = build(root, &pinning, &GraphOptions::default());
    let deps = dependencies(&res, &mut |f: &Fetched| digest_of(f))?;
    let refs = references(&root.contract, &root.location, &Resolver)?;
    Ok(Lock {
        lock_version: pacto_core::lock::CURRENT_LOCK_VERSION,
        pacto: PactoInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        root: RootInfo {
            name: root.contract.service.name.clone(),
            version: root.contract.service.version.clone(),
        },
        dependencies: deps,
        references: refs,
    })
}

/// Checks the lock beside a local root, when there is one, against a fresh resolution.
pub fn verify_if_present(dir: &Path, root: &Fetched) -> Result<(), LockError> {
    match read(dir)? {
        None => Ok(()),
        Some(existing) => compare(&existing, &resolve(root)?),
    }
}

/// The digest a fetched registry contract was pulled by (the pinning fetcher pulls
/// every registry contract by digest).
fn digest_of(f: &Fetched) -> Result<String, String> {
    let Location::Oci(r) = &f.location else {
        return Err(format!("{} is not a registry contract", f.resolved_ref));
    };
    let r = parse(r).map_err(|e| e.to_string())?;
    match r.digest {
        Some(d) => Ok(d),
        None => {
            let reg = reg_for(&r)?;
            reg.block_on(reg.registry().revalidate_digest(&r))
                .map_err(|e| e.to_string())
        }
    }
}

fn reg_for(r: &OciRef) -> Result<Arc<BlockingRegistry>, String> {
    registry(Some(&r.registry)).map_err(|e| e.to_string())
}

/// A registry ref as it is pinned: the lock's digest for this (ref, constraint) when
/// `lock` has one, else the version the constraint picks, its tag revalidated.
fn pin(written: &str, compatibility: &str, lock: Option<&Lock>) -> Result<OciRef, String> {
    let r = parse(written).map_err(|e| e.to_string())?;
    if r.digest.is_some() {
        return Ok(r);
    }
    if let Some(d) = lock.and_then(|l| l.pinned_digest(written, compatibility)) {
        return r.pinned(d).map_err(|e| e.to_string());
    }
    let reg = reg_for(&r)?;
    let range = (!compatibility.trim().is_empty()).then_some(compatibility);
    let target = reg
        .block_on(reg.registry().resolve_version(&r, range))
        .map_err(|e| e.to_string())?;
    let d = reg
        .block_on(reg.registry().revalidate_digest(&target))
        .map_err(|e| e.to_string())?;
    target.pinned(&d).map_err(|e| e.to_string())
}

/// Resolves registry dependencies by digest: through `lock`'s pins when it has them,
/// else (with `revalidate`) by revalidating the tag; anything else goes to the inner
/// fetcher unchanged.
pub struct PinningFetcher<F> {
    pub inner: F,
    pub lock: Option<Lock>,
    pub revalidate: bool,
}

impl<F: Fetcher> Fetcher for PinningFetcher<F> {
    fn key(&self, req: &DepRequest) -> Result<String, FetchError> {
        self.inner.key(req)
    }

    fn fetch_all(
        &self,
        batch: Vec<(String, DepRequest)>,
    ) -> Vec<(String, Result<Fetched, FetchError>)> {
        let mut out = Vec::new();
        let mut pass = Vec::new();
        for (key, req) in batch {
            let locked = self.lock.as_ref().is_some_and(|l| {
                l.pinned_digest(&req.reference, &req.compatibility)
                    .is_some()
            });
            if !is_oci_ref(&req.reference) || !(locked || self.revalidate) {
                pass.push((key, req));
                continue;
            }
            let pinned = pin(&req.reference, &req.compatibility, self.lock.as_ref());
            match pinned {
                Ok(p) => pass.push((
                    key,
                    DepRequest {
                        reference: p.to_oci_string(),
                        ..req
                    },
                )),
                Err(e) => out.push((key, Err(FetchError::Unavailable(e)))),
            }
        }
        out.extend(self.inner.fetch_all(pass));
        out
    }
}

/// Configuration/policy refs: registry ones pinned by revalidated digest and pulled by
/// it, local ones read from the declarer's directory and hashed.
struct Resolver;

impl RefResolver for Resolver {
    fn resolve(&self, reference: &str, base: &Location) -> Result<ResolvedRef, String> {
        if is_oci_ref(reference) {
            let pinned = pin(reference, "", None)?;
            let reg = reg_for(&pinned)?;
            let pulled = reg
                .block_on(reg.registry().pull(&pinned))
                .map_err(|e| e.to_string())?;
            let contract = contract_of(&pulled.bundle, reference).map_err(|e| e.to_string())?;
            return Ok(ResolvedRef {
                entry: Reference {
                    source: pacto_core::lock::SOURCE_OCI.into(),
                    reference: reference.to_string(),
                    version: contract.service.version.clone(),
                    digest: pinned.digest.clone().unwrap_or_default(),
                    ..Reference::default()
                },
                child: Some((contract, Location::Oci(pinned.to_string()))),
            });
        }
        let Location::Dir(dir) = base else {
            return Err("a local reference inside a registry bundle cannot be resolved".into());
        };
        let path = local_path(reference);
        let full = std::fs::canonicalize(dir.join(&path)).map_err(|e| format!("{path}: {e}"))?;
        let bundle = Bundle::from_dir(&full, &Limits::default()).map_err(|e| e.to_string())?;
        let contract = contract_of(&bundle, reference).map_err(|e| e.to_string())?;
        Ok(ResolvedRef {
            entry: Reference {
                source: pacto_core::lock::SOURCE_LOCAL.into(),
                path,
                version: contract.service.version.clone(),
                content_hash: content_hash(&bundle),
                ..Reference::default()
            },
            child: Some((contract, Location::Dir(full))),
        })
    }
}
