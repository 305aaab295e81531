//! Where things live under the cache root. Keys never become paths directly: digests
//! are checked for shape and other keys are hashed, so no input can escape the root.

use std::path::{Path, PathBuf};

use crate::artifact::sha256_digest;
use crate::creds::Environment;

pub const MANIFEST: &str = "manifest.json";
pub const LAYER: &str = "bundle.tar.gz";
pub const META: &str = "meta.json";
pub const TAGS: &str = "tags";
pub const LISTS: &str = "lists";

/// `$XDG_CACHE_HOME/pacto`, else `$HOME/.cache/pacto`.
pub fn default_root(env: &dyn Environment) -> Option<PathBuf> {
    let nonempty = |k: &str| env.var(k).filter(|v| !v.is_empty());
    if let Some(x) = nonempty("XDG_CACHE_HOME") {
        return Some(PathBuf::from(x).join("pacto"));
    }
    nonempty("HOME").map(|h| PathBuf::from(h).join(".cache").join("pacto"))
}

/// `blobs/sha256/<hex>` for a well-formed sha256 digest, else `None`.
pub fn entry_dir(root: &Path, digest: &str) -> Option<PathBuf> {
    let hex = digest.strip_prefix("sha256:")?;
    let ok = hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then(|| root.join("blobs").join("sha256").join(hex))
}

/// `<kind>/<sha256 hex of key>.json`.
pub fn keyed(root: &Path, kind: &str, key: &str) -> PathBuf {
    let h = sha256_digest(key.as_bytes());
    let hex = h.trim_start_matches("sha256:");
    root.join(kind).join(format!("{hex}.json"))
}
