//! Loading a bundle from a directory, honouring `.pactoignore` (gitignore semantics).

use super::{Bundle, BundleError, CONTRACT_FILE, Limits};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::fs;
use std::io::Read;
use std::path::Path;

/// The ignore file read from the bundle root; never shipped.
pub const IGNORE_FILE: &str = ".pactoignore";

/// Always excluded, whatever `.pactoignore` says.
const DEFAULT_IGNORES: [&str; 3] = [".git/", ".pactoignore", ".DS_Store"];

impl Bundle {
    /// Reads every non-ignored regular file under `dir`. Symlinks and special files are
    /// refused (a bundle must mean the same thing on every machine), and `limits` bound
    /// what a hostile directory can make us read.
    pub fn from_dir(dir: &Path, limits: &Limits) -> Result<Bundle, BundleError> {
        let meta = fs::metadata(dir).map_err(|source| BundleError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(BundleError::NotADirectory(dir.to_path_buf()));
        }
        let ignore = build_ignore(dir, limits)?;
        if ignore.matched(dir.join(CONTRACT_FILE), false).is_ignore() {
            return Err(BundleError::ContractIgnored);
        }
        let mut walk = Walk {
            ignore: &ignore,
            limits,
            bundle: Bundle::new(),
            entries: 0,
            total: 0,
        };
        walk.visit(dir, "")?;
        let bundle = walk.bundle;
        if !bundle.contains(CONTRACT_FILE) {
            return Err(BundleError::MissingContract(dir.display().to_string()));
        }
        Ok(bundle)
    }
}

fn build_ignore(dir: &Path, limits: &Limits) -> Result<Gitignore, BundleError> {
    let mut builder = GitignoreBuilder::new(dir);
    for line in DEFAULT_IGNORES {
        builder
            .add_line(None, line)
            .map_err(|e| BundleError::IgnoreFile(e.to_string()))?;
    }
    let path = dir.join(IGNORE_FILE);
    if let Some(text) = read_ignore_file(&path, limits)? {
        for line in text.lines() {
            builder
                .add_line(Some(path.clone()), line)
                .map_err(|e| BundleError::IgnoreFile(e.to_string()))?;
        }
    }
    builder
        .build()
        .map_err(|e| BundleError::IgnoreFile(e.to_string()))
}

/// `.pactoignore` obeys the rules of every other bundle file: a symlink (say to `/dev/zero`)
/// or a special file is refused, and reading stops at the per-file limit even if the file
/// grows while we read it.
fn read_ignore_file(path: &Path, limits: &Limits) -> Result<Option<String>, BundleError> {
    let io = |source| BundleError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io(source)),
    };
    let ft = meta.file_type();
    if ft.is_symlink() {
        return Err(BundleError::Symlink(IGNORE_FILE.to_string()));
    }
    if !ft.is_file() {
        return Err(BundleError::SpecialFile {
            path: IGNORE_FILE.to_string(),
            kind: if ft.is_dir() { "directory" } else { "special" }.to_string(),
        });
    }
    let too_large = |size| BundleError::FileTooLarge {
        path: IGNORE_FILE.to_string(),
        size,
        limit: limits.max_file_size,
    };
    if meta.len() > limits.max_file_size {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .map_err(io)?
        .take(limits.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| BundleError::IgnoreFile(format!("{IGNORE_FILE} is not UTF-8")))
}

struct Walk<'a> {
    ignore: &'a Gitignore,
    limits: &'a Limits,
    bundle: Bundle,
    entries: usize,
    total: u64,
}

impl Walk<'_> {
    fn visit(&mut self, dir: &Path, rel: &str) -> Result<(), BundleError> {
        let io = |source| BundleError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut children: Vec<_> = fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(io)?;
        // Sorted so limit errors and the resulting bundle never depend on disk order.
        children.sort_by_key(|e| e.file_name());
        for child in children {
            let name = child.file_name();
            let name = name
                .to_str()
                .ok_or_else(|| BundleError::NonUtf8Path(format!("{rel}{name:?}")))?;
            let rel_path = format!("{rel}{name}");
            let path = child.path();
            let meta = fs::symlink_metadata(&path).map_err(|source| BundleError::Io {
                path: path.clone(),
                source,
            })?;
            let ft = meta.file_type();
            if self.ignore.matched(&path, ft.is_dir()).is_ignore() {
                continue;
            }
            self.entries += 1;
            if self.entries > self.limits.max_entries {
                return Err(BundleError::TooManyEntries {
                    limit: self.limits.max_entries,
                });
            }
            if ft.is_symlink() {
                return Err(BundleError::Symlink(rel_path));
            } else if ft.is_dir() {
                self.visit(&path, &format!("{rel_path}/"))?;
            } else if ft.is_file() {
                self.read_file(&path, rel_path, meta.len())?;
            } else {
                return Err(BundleError::SpecialFile {
                    path: rel_path,
                    kind: "special".to_string(),
                });
            }
        }
        Ok(())
    }

    fn read_file(&mut self, path: &Path, rel: String, size: u64) -> Result<(), BundleError> {
        if size > self.limits.max_file_size {
            return Err(BundleError::FileTooLarge {
                path: rel,
                size,
                limit: self.limits.max_file_size,
            });
        }
        // Read at most limit+1 bytes: the file may grow between stat and read.
        let io = |source| BundleError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = fs::File::open(path).map_err(io)?;
        let mut data = Vec::with_capacity(size as usize);
        file.take(self.limits.max_file_size + 1)
            .read_to_end(&mut data)
            .map_err(io)?;
        let len = data.len() as u64;
        if len > self.limits.max_file_size {
            return Err(BundleError::FileTooLarge {
                path: rel,
                size: len,
                limit: self.limits.max_file_size,
            });
        }
        self.total += len;
        if self.total > self.limits.max_total_size {
            return Err(BundleError::TotalTooLarge {
                limit: self.limits.max_total_size,
            });
        }
        self.bundle.insert(rel, data);
        Ok(())
    }
}
