//! A contract bundle held in memory: `pacto.yaml` plus the files it references.
//!
//! Every source (a directory, a `tar.gz`, an OCI layer) becomes a [`Bundle`], so
//! validation and diffing never touch the filesystem themselves.

mod dir;
mod error;
mod limits;
mod pack;
mod unpack;

pub use dir::IGNORE_FILE;
pub use error::BundleError;
pub use limits::{DEFAULT_MAX_ENTRIES, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_TOTAL_SIZE, Limits};

use std::collections::BTreeMap;

/// File name of the contract at the bundle root.
pub const CONTRACT_FILE: &str = "pacto.yaml";

/// Bundle-relative path (`/`-separated, no `.` or `..` segments) → file bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    files: BTreeMap<String, Vec<u8>>,
}

impl Bundle {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a file. `path` must already be normalised by the caller
    /// (loaders do this); lookups normalise `./` prefixes.
    pub fn insert(&mut self, path: impl Into<String>, data: Vec<u8>) {
        self.files.insert(path.into(), data);
    }

    /// The bytes of a bundle-relative file, accepting `./x` and `x` alike.
    pub fn read(&self, path: &str) -> Option<&[u8]> {
        let key = normalize_lookup(path)?;
        self.files.get(&key).map(Vec::as_slice)
    }

    /// The bytes of a file as UTF-8 text, if it exists and is valid UTF-8.
    pub fn read_str(&self, path: &str) -> Option<&str> {
        self.read(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.read(path).is_some()
    }

    /// `pacto.yaml` as text.
    pub fn contract_text(&self) -> Option<&str> {
        self.read_str(CONTRACT_FILE)
    }

    /// Files in sorted path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total size of all file contents in bytes.
    pub fn total_size(&self) -> u64 {
        self.files.values().map(|v| v.len() as u64).sum()
    }
}

/// Normalises a bundle-relative lookup path; `None` for paths that would leave the bundle.
fn normalize_lookup(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_accept_dot_prefix_and_refuse_escapes() {
        let mut b = Bundle::new();
        b.insert("interfaces/openapi.yaml", b"x".to_vec());
        assert_eq!(b.read("./interfaces/openapi.yaml"), Some(&b"x"[..]));
        assert_eq!(b.read("interfaces//openapi.yaml"), Some(&b"x"[..]));
        assert!(b.read("../interfaces/openapi.yaml").is_none());
        assert!(b.read("").is_none());
    }
}
