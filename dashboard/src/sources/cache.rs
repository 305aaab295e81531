//! The cache source: the OCI crate's digest-keyed disk cache (`pacto_oci::disk_cache::DiskCache`,
//! `<root>/blobs/sha256/<hex>/{manifest.json,bundle.tar.gz,meta.json}`), for offline use.
//! Entries are immutable (keyed by manifest digest), so each is read and summarised once.

use crate::model::{Locator, SourceKind, Summary, VersionRecord};
use crate::sources::lock;
use crate::summarize::{identity, summarize};
use pacto_core::Finding;
use pacto_core::bundle::{Bundle, Limits};
use pacto_oci::disk_cache::{DiskCache, EntryMeta};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// `$PACTO_CACHE_DIR`, else the OCI crate's root (`$XDG_CACHE_HOME/pacto`, `~/.cache/pacto`),
/// the same directory `pacto pull`/`push` fill.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("PACTO_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    pacto_oci::disk_cache::default_root(&pacto_oci::creds::ProcessEnv)
}

/// The cache root with the records already read, by digest.
pub struct CacheSource {
    root: PathBuf,
    known: Mutex<HashMap<String, VersionRecord>>,
}

impl CacheSource {
    pub fn new(root: PathBuf) -> Self {
        CacheSource {
            root,
            known: Mutex::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every verified entry; a removed entry disappears, a new one is read once.
    pub fn scan(&self) -> Vec<VersionRecord> {
        let digests = entry_digests(&self.root);
        let mut known = lock(&self.known);
        known.retain(|d, _| digests.contains(d));
        let mut out = Vec::with_capacity(digests.len());
        for d in digests {
            if let Some(r) = known.get(&d) {
                out.push(r.clone());
                continue;
            }
            if let Some(r) = load_record(&self.root, &d) {
                known.insert(d, r.clone());
                out.push(r);
            }
        }
        out
    }
}

/// `sha256:<hex>` of every entry directory, sorted.
fn entry_digests(root: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(root.join("blobs").join("sha256")) else {
        return Vec::new();
    };
    let mut v: Vec<String> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(|h| format!("sha256:{h}")))
        .filter(|d| pacto_core::oci_ref::is_valid_digest(d))
        .collect();
    v.sort();
    v
}

/// Why a cache entry could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CacheReadError {
    #[error("cache entry {0} is missing or corrupted")]
    Missing(String),
    #[error("{0} is not a cache entry")]
    NotAnEntry(String),
    #[error(transparent)]
    Bundle(#[from] pacto_core::bundle::BundleError),
}

/// Reads the entry of `digest` (verified by the OCI crate: manifest hash and layer).
pub fn read_entry(root: &Path, digest: &str) -> Result<(Bundle, EntryMeta), CacheReadError> {
    let hit = DiskCache::new(root)
        .get(digest)
        .ok_or_else(|| CacheReadError::Missing(digest.to_string()))?;
    let b = Bundle::from_tar_gz(&hit.layer, &Limits::default())?;
    Ok((b, hit.meta))
}

/// The bundle a cache locator names (`<root>/blobs/sha256/<hex>`).
pub fn read_bundle(entry_dir: &Path) -> Result<Bundle, CacheReadError> {
    let not_entry = || CacheReadError::NotAnEntry(entry_dir.display().to_string());
    let hex = entry_dir
        .file_name()
        .and_then(|h| h.to_str())
        .ok_or_else(not_entry)?;
    let root = entry_dir
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .ok_or_else(not_entry)?;
    read_entry(root, &format!("sha256:{hex}")).map(|(b, _)| b)
}

/// `None` for an entry that vanished or failed verification (the OCI crate removes it).
fn load_record(root: &Path, digest: &str) -> Option<VersionRecord> {
    let dir = root
        .join("blobs")
        .join("sha256")
        .join(digest.trim_start_matches("sha256:"));
    if !dir.join("manifest.json").is_file() {
        return None;
    }
    let (name, version, summary) = match read_entry(root, digest) {
        Ok((b, meta)) => {
            let crate::summarize::DeclaredIdentity {
                name: n,
                version: v,
            } = identity(&b);
            let labels = meta.labels.unwrap_or_default();
            let nonempty = |s: String| (!s.is_empty()).then_some(s);
            (
                n.or_else(|| nonempty(labels.name)),
                v.or_else(|| nonempty(labels.version)),
                summarize(&b),
            )
        }
        Err(e) if !dir.exists() => {
            tracing::debug!("{e}");
            return None;
        }
        Err(e) => (
            None,
            None,
            Summary {
                valid: false,
                errors: vec![Finding::error("BUNDLE_UNREADABLE", "", e.to_string())],
                ..Summary::default()
            },
        ),
    };
    Some(VersionRecord {
        name: name.unwrap_or_else(|| "unnamed".into()),
        version: version.unwrap_or_else(|| "unversioned".into()),
        source: SourceKind::Cache,
        locator: Locator::CacheFile(dir),
        summary: Some(Arc::new(summary)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_oci::disk_cache::LabelsJson;

    fn put(cache: &DiskCache, dir: &str) -> String {
        let ex = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(dir);
        let b = Bundle::from_dir(&ex, &Limits::default()).unwrap();
        let crate::summarize::DeclaredIdentity { name, version } = identity(&b);
        let labels = pacto_oci::BundleLabels {
            name: name.clone().unwrap(),
            version: version.clone().unwrap(),
            pacto_version: "1.0".into(),
        };
        let art = pacto_oci::artifact::prepare(b.to_tar_gz().unwrap(), &labels).unwrap();
        let meta = EntryMeta {
            reference: format!("r.example/acme/{}:{}", labels.name, labels.version),
            digest: art.manifest_digest.clone(),
            labels: Some(LabelsJson::from(&labels)),
            fetched_at: 1,
        };
        cache
            .put(&art.manifest_digest, &art.manifest, &art.layer, &meta)
            .unwrap();
        art.manifest_digest
    }

    #[test]
    fn reads_the_digest_keyed_layout_and_drops_corrupted_entries() {
        let t = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(t.path());
        let d1 = put(&cache, "product-catalog-v1");
        let d2 = put(&cache, "product-catalog-v2");
        let src = CacheSource::new(t.path().to_path_buf());
        let mut recs = src.scan();
        recs.sort_by(|a, b| a.version.cmp(&b.version));
        let got: Vec<_> = recs
            .iter()
            .map(|r| (r.name.as_str(), r.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [("product-catalog", "1.3.0"), ("product-catalog", "2.0.0")]
        );
        assert!(recs.iter().all(|r| r.source == SourceKind::Cache));
        assert!(recs[0].summary.as_ref().unwrap().valid);
        let Locator::CacheFile(dir) = &recs[1].locator else {
            panic!("{:?}", recs[1].locator)
        };
        assert!(read_bundle(dir).unwrap().total_size() > 0);

        // A tampered layer fails verification: the entry is removed and no longer listed.
        let hex2 = d2.trim_start_matches("sha256:");
        let layer = t
            .path()
            .join("blobs/sha256")
            .join(hex2)
            .join("bundle.tar.gz");
        std::fs::write(&layer, b"tampered").unwrap();
        assert!(read_bundle(dir).is_err());
        let recs = src.scan();
        assert_eq!(recs.len(), 1, "{recs:?}");
        assert_eq!(recs[0].version, "1.3.0");
        assert!(d1 != d2);
    }

    #[test]
    fn non_digest_directories_and_a_missing_root_are_ignored() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("blobs/sha256/not-a-digest")).unwrap();
        std::fs::create_dir_all(t.path().join("blobs/sha256/..")).unwrap();
        assert!(CacheSource::new(t.path().to_path_buf()).scan().is_empty());
        assert!(CacheSource::new(t.path().join("absent")).scan().is_empty());
    }
}
