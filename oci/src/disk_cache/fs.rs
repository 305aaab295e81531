//! Crash- and race-safe file writes for the cache.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, thiserror::Error)]
#[error("cache: cannot write {path}: {detail}")]
pub struct CacheError {
    pub path: PathBuf,
    pub detail: String,
}

fn err(path: &Path, e: std::io::Error) -> CacheError {
    CacheError {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Private bundles may sit in a cache on a shared host: directories we create are 0700 and
/// files 0600 (owner only), whatever the umask.
const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

pub fn create_dir(dir: &Path) -> Result<(), CacheError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir).map_err(|e| err(dir, e))
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Unique per process, thread and call, so concurrent writers never share a temp file.
fn temp_name(name: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(".{name}.tmp-{}-{n}-{nanos}", std::process::id())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn cache_directories_and_files_are_private() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("blobs").join("sha256").join("ab");
        create_dir(&dir).unwrap();
        atomic_write(&dir, "layer", b"private bundle").unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&t.path().join("blobs")), 0o700);
        assert_eq!(mode(&dir.join("layer")), 0o600);
        assert_eq!(std::fs::read(dir.join("layer")).unwrap(), b"private bundle");
    }
}

/// Writes `dir/name` through a temporary file in `dir`: write, fsync, rename, fsync dir.
pub fn atomic_write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), CacheError> {
    let tmp = dir.join(temp_name(name));
    let target = dir.join(name);
    let write = || -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(&target, e));
    }
    // Durability of the rename itself; failure here loses nothing already visible.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes a corrupted entry: renamed aside first so a concurrent reader never sees a
/// half-deleted directory under the real name.
pub fn remove_entry(dir: &Path) {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let aside = dir.with_file_name(temp_name(name));
    if std::fs::rename(dir, &aside).is_ok() {
        let _ = std::fs::remove_dir_all(&aside);
    }
}
