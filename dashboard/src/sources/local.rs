//! The local source: bundle directories (`pacto.yaml` + files) under the given dirs.
//! Directories are re-read only when their file stamps change.

use crate::model::{Locator, SourceKind, Summary, VersionRecord};
use crate::summarize::{identity, summarize};
use pacto_core::Finding;
use pacto_core::bundle::{Bundle, CONTRACT_FILE, Limits};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// How deep under a root bundles are searched for.
const MAX_DEPTH: usize = 5;
const SKIP_DIRS: [&str; 3] = ["node_modules", "vendor", "target"];

/// A cheap identity of a bundle directory's content: file count, total size, newest mtime.
type Stamp = (u64, u64, Option<SystemTime>);

pub struct LocalSource {
    roots: Vec<PathBuf>,
    seen: Mutex<HashMap<PathBuf, (Stamp, VersionRecord)>>,
}

impl LocalSource {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        LocalSource {
            roots,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Every bundle under the roots; unchanged directories reuse their last summary.
    pub fn scan(&self) -> Vec<VersionRecord> {
        let mut dirs = Vec::new();
        for root in &self.roots {
            dirs.extend(bundle_dirs(root));
        }
        let mut out = Vec::with_capacity(dirs.len());
        let mut fresh = HashMap::with_capacity(dirs.len());
        let mut seen = match self.seen.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        for dir in dirs {
            let st = stamp(&dir);
            let rec = match seen.remove(&dir) {
                Some((old, rec)) if old == st => rec,
                _ => load_record(&dir),
            };
            out.push(rec.clone());
            fresh.insert(dir, (st, rec));
        }
        *seen = fresh;
        out
    }
}

/// The bundle directories under `root` (itself included), in path order: directories
/// holding a `pacto.yaml`, searched [`MAX_DEPTH`] levels deep, not inside a bundle, hidden
/// directories, `node_modules`, `vendor` or `target`. `pacto impact` scans the same way.
pub fn bundle_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    find_bundles(root, 0, &mut out);
    out
}

fn find_bundles(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if dir.join(CONTRACT_FILE).is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            !n.starts_with('.') && !SKIP_DIRS.contains(&n.as_ref())
        })
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        find_bundles(&d, depth + 1, out);
    }
}

fn stamp(dir: &Path) -> Stamp {
    fn walk(d: &Path, s: &mut Stamp, depth: usize) {
        let Ok(rd) = std::fs::read_dir(d) else {
            return;
        };
        for e in rd.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() && depth < 8 {
                walk(&e.path(), s, depth + 1);
            } else if m.is_file() {
                s.0 += 1;
                s.1 += m.len();
                s.2 = s.2.max(m.modified().ok());
            }
        }
    }
    let mut s = (0, 0, None);
    walk(dir, &mut s, 0);
    s
}

/// Reads one bundle directory into a record; unreadable bundles are still listed
/// (named after their directory) with the error as a validation finding.
pub fn load_record(dir: &Path) -> VersionRecord {
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "unnamed".into());
    let (name, version, summary) = match Bundle::from_dir(dir, &Limits::default()) {
        Ok(b) => {
            let crate::summarize::DeclaredIdentity {
                name: n,
                version: v,
            } = identity(&b);
            (n, v, summarize(&b))
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
    VersionRecord {
        name: name.filter(|n| !n.is_empty()).unwrap_or(dir_name),
        version: version
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "unversioned".into()),
        source: SourceKind::Local,
        locator: Locator::Dir(dir.to_path_buf()),
        summary: Some(Arc::new(summary)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_example_bundles_and_reuses_unchanged_ones() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let src = LocalSource::new(vec![root]);
        let recs = src.scan();
        assert!(
            recs.iter()
                .any(|r| r.name == "payments-api" && r.version == "2.1.0")
        );
        let pc: Vec<_> = recs
            .iter()
            .filter(|r| r.name == "product-catalog")
            .collect();
        assert_eq!(pc.len(), 2, "both product-catalog versions are one service");
        let again = src.scan();
        assert_eq!(again.len(), recs.len());
        let a = recs
            .iter()
            .find(|r| r.name == "payments-api")
            .and_then(|r| r.summary.clone());
        let b = again
            .iter()
            .find(|r| r.name == "payments-api")
            .and_then(|r| r.summary.clone());
        assert!(
            Arc::ptr_eq(&a.unwrap(), &b.unwrap()),
            "unchanged dir was not re-read"
        );
    }

    #[test]
    fn unreadable_bundle_is_listed_invalid() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("weird");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("pacto.yaml"), b"\xff\xfe not yaml").unwrap();
        let r = load_record(&d);
        assert_eq!(r.name, "weird");
        assert!(!r.summary.unwrap().valid);
    }
}
