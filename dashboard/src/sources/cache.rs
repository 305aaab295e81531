//! The cache source: `bundle.tar.gz` files of the on-disk OCI cache, for offline use.
//! Layout `<cache>/<registry>/<repo…>/<tag>/bundle.tar.gz` (the reference's, §4.6).

use crate::model::{Locator, SourceKind, Summary, VersionRecord};
use crate::summarize::{identity, summarize};
use pacto_core::Finding;
use pacto_core::bundle::{Bundle, Limits};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const BUNDLE_FILE: &str = "bundle.tar.gz";
const MAX_DEPTH: usize = 10;

/// `$PACTO_CACHE_DIR`, else `$XDG_CACHE_HOME/pacto/oci`, else `~/.cache/pacto/oci`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("PACTO_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("pacto/oci"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/pacto/oci"))
}

pub fn scan(root: &Path) -> Vec<VersionRecord> {
    let mut files = Vec::new();
    find(root, 0, &mut files);
    files.iter().map(|f| load_record(root, f)).collect()
}

fn find(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let Ok(t) = e.file_type() else { continue };
        if t.is_file() && e.file_name() == BUNDLE_FILE {
            out.push(p);
        } else if t.is_dir()
            && depth < MAX_DEPTH
            && !e.file_name().to_string_lossy().starts_with('.')
        {
            find(&p, depth + 1, out);
        }
    }
}

pub fn read_bundle(file: &Path) -> Result<Bundle, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Bundle::from_tar_gz(&bytes, &Limits::default()).map_err(|e| e.to_string())
}

fn load_record(root: &Path, file: &Path) -> VersionRecord {
    // Fallback identity from the path: the tag directory and the repository's last segment.
    let rel = file.parent().and_then(|p| p.strip_prefix(root).ok());
    let tag = rel
        .and_then(|r| r.file_name())
        .map(|s| s.to_string_lossy().to_string());
    let repo = rel
        .and_then(Path::parent)
        .and_then(|r| r.file_name())
        .map(|s| s.to_string_lossy().to_string());
    let (name, version, summary) = match read_bundle(file) {
        Ok(b) => {
            let (n, v) = identity(&b);
            (n, v, summarize(&b))
        }
        Err(e) => (
            None,
            None,
            Summary {
                valid: false,
                errors: vec![Finding::error("BUNDLE_UNREADABLE", "", e)],
                ..Summary::default()
            },
        ),
    };
    VersionRecord {
        name: name.or(repo).unwrap_or_else(|| "unnamed".into()),
        version: version.or(tag).unwrap_or_else(|| "unversioned".into()),
        source: SourceKind::Cache,
        locator: Locator::CacheFile(file.to_path_buf()),
        summary: Some(Arc::new(summary)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cached_bundles() {
        let t = tempfile::tempdir().unwrap();
        let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/user-service");
        let b = Bundle::from_dir(&ex, &Limits::default()).unwrap();
        let dir = t.path().join("ghcr.io/acme/user-service/3.0.0");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(BUNDLE_FILE), b.to_tar_gz().unwrap()).unwrap();
        let recs = scan(t.path());
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].name, "user-service");
        assert_eq!(recs[0].source, SourceKind::Cache);
        assert!(recs[0].summary.as_ref().unwrap().valid);
    }
}
