//! On-disk cache of pulled bundles, content-addressed by manifest digest:
//!
//! ```text
//! <root>/blobs/sha256/<hex>/manifest.json   the manifest, whose sha256 is <hex>
//! <root>/blobs/sha256/<hex>/bundle.tar.gz   the layer the manifest names
//! <root>/blobs/sha256/<hex>/meta.json       ref, digest, labels, fetched-at (informational)
//! <root>/tags/<sha256(ref)>.json            tag -> digest answer, with its time
//! <root>/lists/<sha256(repo)>.json          tag list of a repository, with its time
//! ```
//!
//! Every file is written to a temporary name in the same directory, fsynced and renamed,
//! so readers see a whole old file or a whole new one, and two writers of the same entry
//! (identical content, by construction) cannot corrupt it. Entries are re-hashed on every
//! read; a corrupted one is removed and reported as a miss, so the caller refetches.

mod fs;
mod layout;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pacto_core::oci_ref::OciRef;
use serde::{Deserialize, Serialize};

use crate::artifact::{self, BundleLabels, sha256_digest};
use crate::creds::Environment;

pub use fs::CacheError;
pub use layout::default_root;

/// What the cache holds for one manifest digest, verified.
#[derive(Debug, Clone)]
pub struct CachedArtifact {
    pub manifest: Vec<u8>,
    pub layer: Vec<u8>,
    pub meta: EntryMeta,
}

/// `meta.json`: where an entry came from. Not trusted for anything but display.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryMeta {
    #[serde(rename = "ref")]
    pub reference: String,
    pub digest: String,
    #[serde(default)]
    pub labels: Option<LabelsJson>,
    /// Unix milliseconds.
    pub fetched_at: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelsJson {
    pub name: String,
    pub version: String,
    pub pacto_version: String,
}

impl From<&BundleLabels> for LabelsJson {
    fn from(l: &BundleLabels) -> Self {
        Self {
            name: l.name.clone(),
            version: l.version.clone(),
            pacto_version: l.pacto_version.clone(),
        }
    }
}

impl From<LabelsJson> for BundleLabels {
    fn from(l: LabelsJson) -> Self {
        Self {
            name: l.name,
            version: l.version,
            pacto_version: l.pacto_version,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TagEntry {
    #[serde(rename = "ref")]
    reference: String,
    digest: String,
    resolved_at: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListEntry {
    repository: String,
    tags: Vec<String>,
    resolved_at: u64,
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn fresh(resolved_at: u64, now: u64, ttl: Duration) -> bool {
    let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
    resolved_at <= now && now - resolved_at < ttl_ms
}

/// The disk cache under one root directory.
#[derive(Debug, Clone)]
pub struct DiskCache {
    root: PathBuf,
}

impl DiskCache {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$XDG_CACHE_HOME/pacto`, else `$HOME/.cache/pacto`; `None` without either.
    pub fn from_env(env: &dyn Environment) -> Option<Self> {
        default_root(env).map(Self::new)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The verified entry for `digest`, or `None` (absent, unreadable or corrupted; a
    /// corrupted entry is removed so the next pull rewrites it).
    pub fn get(&self, digest: &str) -> Option<CachedArtifact> {
        let dir = layout::entry_dir(&self.root, digest)?;
        let manifest = std::fs::read(dir.join(layout::MANIFEST)).ok()?;
        let layer = std::fs::read(dir.join(layout::LAYER)).ok();
        match verify(digest, &manifest, layer.as_deref()) {
            Ok(()) => {}
            Err(why) => {
                tracing::warn!(digest, %why, "corrupted cache entry, refetching");
                fs::remove_entry(&dir);
                return None;
            }
        }
        let meta = std::fs::read(dir.join(layout::META))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Some(CachedArtifact {
            manifest,
            layer: layer.unwrap_or_default(),
            meta,
        })
    }

    /// Stores a pulled artifact (already verified by the pull).
    pub fn put(
        &self,
        digest: &str,
        manifest: &[u8],
        layer: &[u8],
        meta: &EntryMeta,
    ) -> Result<(), CacheError> {
        let Some(dir) = layout::entry_dir(&self.root, digest) else {
            // sha512 and other digests are simply not cached.
            return Ok(());
        };
        fs::create_dir(&dir)?;
        // Layer first, manifest last: a reader that finds the manifest finds the layer.
        fs::atomic_write(&dir, layout::LAYER, layer)?;
        let meta = serde_json::to_vec_pretty(meta).unwrap_or_default();
        fs::atomic_write(&dir, layout::META, &meta)?;
        fs::atomic_write(&dir, layout::MANIFEST, manifest)
    }

    /// The digest `r` (a tag ref) pointed to, if resolved less than `ttl` ago.
    pub fn get_tag(&self, r: &OciRef, ttl: Duration, now: u64) -> Option<String> {
        let path = layout::keyed(&self.root, layout::TAGS, &r.to_string());
        let e: TagEntry = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        (e.reference == r.to_string()
            && fresh(e.resolved_at, now, ttl)
            && pacto_core::oci_ref::is_valid_digest(&e.digest))
        .then_some(e.digest)
    }

    pub fn put_tag(&self, r: &OciRef, digest: &str, now: u64) -> Result<(), CacheError> {
        let entry = TagEntry {
            reference: r.to_string(),
            digest: digest.to_string(),
            resolved_at: now,
        };
        self.put_keyed(layout::TAGS, &entry.reference, &entry)
    }

    /// The tag list of `r`'s repository, if listed less than `ttl` ago.
    pub fn get_tags(&self, r: &OciRef, ttl: Duration, now: u64) -> Option<Vec<String>> {
        let path = layout::keyed(&self.root, layout::LISTS, &r.name());
        let e: ListEntry = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        (e.repository == r.name() && fresh(e.resolved_at, now, ttl)).then_some(e.tags)
    }

    pub fn put_tags(&self, r: &OciRef, tags: &[String], now: u64) -> Result<(), CacheError> {
        let entry = ListEntry {
            repository: r.name(),
            tags: tags.to_vec(),
            resolved_at: now,
        };
        self.put_keyed(layout::LISTS, &entry.repository, &entry)
    }

    fn put_keyed<T: Serialize>(&self, kind: &str, key: &str, v: &T) -> Result<(), CacheError> {
        let path = layout::keyed(&self.root, kind, key);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir(&dir)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("entry.json")
            .to_string();
        fs::atomic_write(&dir, &name, &serde_json::to_vec(v).unwrap_or_default())
    }
}

/// Why a cached entry is not what its key promises (it is then removed and refetched).
#[derive(Debug, thiserror::Error)]
enum CorruptEntry {
    #[error("manifest hashes to {0}")]
    ManifestDigest(String),
    #[error(transparent)]
    Artifact(#[from] artifact::ArtifactError),
    #[error("bundle.tar.gz is missing")]
    MissingLayer,
}

/// The manifest hashes to the key and the layer matches the manifest's descriptor.
fn verify(digest: &str, manifest: &[u8], layer: Option<&[u8]>) -> Result<(), CorruptEntry> {
    let actual = sha256_digest(manifest);
    if actual != digest {
        return Err(CorruptEntry::ManifestDigest(actual));
    }
    let checked = artifact::check_manifest(manifest, u64::MAX)?;
    let layer = layer.ok_or(CorruptEntry::MissingLayer)?;
    Ok(artifact::verify_blob("layer", &checked.layer, layer)?)
}

#[cfg(test)]
mod tests;
