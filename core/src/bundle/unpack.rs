//! Hardened `tar.gz` reading for bundles from untrusted sources (registries, files).
//!
//! Decompression is streamed and capped, so a gzip bomb stops at the limit instead of
//! filling memory. Only regular files and directories with safe relative paths are
//! accepted; everything else is refused with the offending path.

use super::{Bundle, BundleError, CONTRACT_FILE, Limits};
use flate2::read::GzDecoder;
use std::collections::HashSet;
use std::io::Read;

/// Tar headers and padding on top of file contents: a generous per-entry allowance.
const PER_ENTRY_OVERHEAD: u64 = 3 * 512;

impl Bundle {
    /// Reads a gzip-compressed tar archive into a bundle, enforcing `limits`.
    pub fn from_tar_gz(bytes: &[u8], limits: &Limits) -> Result<Bundle, BundleError> {
        let cap = limits
            .max_total_size
            .saturating_add((limits.max_entries as u64 + 2).saturating_mul(PER_ENTRY_OVERHEAD));
        let mut reader = CappedReader {
            inner: GzDecoder::new(bytes),
            remaining: cap,
            exceeded: false,
        };
        let result = read_archive(&mut reader, limits);
        if reader.exceeded {
            return Err(BundleError::TotalTooLarge {
                limit: limits.max_total_size,
            });
        }
        result
    }
}

fn read_archive<R: Read>(reader: R, limits: &Limits) -> Result<Bundle, BundleError> {
    let archive_err = |e: std::io::Error| BundleError::Archive(e.to_string());
    let mut archive = tar::Archive::new(reader);
    let mut bundle = Bundle::new();
    let mut seen = HashSet::new();
    let mut entries = 0usize;
    let mut total = 0u64;

    for entry in archive.entries().map_err(archive_err)? {
        let mut entry = entry.map_err(archive_err)?;
        let raw_path = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw_path).into_owned();
        let kind = entry.header().entry_type();

        // PAX global headers carry no file; everything else counts against the limit.
        if kind == tar::EntryType::XGlobalHeader {
            continue;
        }
        entries += 1;
        if entries > limits.max_entries {
            return Err(BundleError::TooManyEntries {
                limit: limits.max_entries,
            });
        }
        let path = safe_relative_path(&raw_path, &shown)?;

        match kind {
            tar::EntryType::Directory => continue,
            tar::EntryType::Regular | tar::EntryType::Continuous => {}
            tar::EntryType::Symlink => return Err(BundleError::Symlink(shown)),
            tar::EntryType::Link => return Err(BundleError::HardLink(shown)),
            other => {
                return Err(BundleError::SpecialFile {
                    path: shown,
                    kind: format!("{other:?}").to_lowercase(),
                });
            }
        }
        let Some(path) = path else {
            return Err(BundleError::UnsafePath(shown));
        };

        let declared = entry.header().size().map_err(archive_err)?;
        if declared > limits.max_file_size {
            return Err(BundleError::FileTooLarge {
                path,
                size: declared,
                limit: limits.max_file_size,
            });
        }
        let mut data = Vec::with_capacity(declared as usize);
        (&mut entry)
            .take(limits.max_file_size + 1)
            .read_to_end(&mut data)
            .map_err(archive_err)?;
        let len = data.len() as u64;
        if len > limits.max_file_size {
            return Err(BundleError::FileTooLarge {
                path,
                size: len,
                limit: limits.max_file_size,
            });
        }
        total += len;
        if total > limits.max_total_size {
            return Err(BundleError::TotalTooLarge {
                limit: limits.max_total_size,
            });
        }
        if !seen.insert(path.clone()) {
            return Err(BundleError::DuplicateEntry(path));
        }
        bundle.insert(path, data);
    }
    if !bundle.contains(CONTRACT_FILE) {
        return Err(BundleError::MissingContract("the archive".to_string()));
    }
    Ok(bundle)
}

/// `Some(normalised)` for a safe relative path, `None` for the archive root (`./`),
/// an error for absolute paths, `..`, NUL bytes or non-UTF-8 names.
fn safe_relative_path(raw: &[u8], shown: &str) -> Result<Option<String>, BundleError> {
    let text = std::str::from_utf8(raw).map_err(|_| BundleError::NonUtf8Path(shown.to_string()))?;
    if text.starts_with('/') || text.contains('\0') || text.contains('\\') {
        return Err(BundleError::UnsafePath(shown.to_string()));
    }
    let mut parts = Vec::new();
    for seg in text.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return Err(BundleError::UnsafePath(shown.to_string())),
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(parts.join("/")))
}

/// Stops reading after `remaining` bytes and remembers that the cap was hit.
struct CappedReader<R> {
    inner: R,
    remaining: u64,
    exceeded: bool,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.remaining == 0 {
            // Probe one byte: only a stream that really continues is over the cap.
            let mut probe = [0u8; 1];
            let n = self.inner.read(&mut probe)?;
            if n > 0 {
                self.exceeded = true;
                return Err(std::io::Error::other("decompressed size limit exceeded"));
            }
            return Ok(0);
        }
        let max = buf.len().min(self.remaining as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.remaining -= n as u64;
        Ok(n)
    }
}
