use std::path::{Path, PathBuf};

/// The workspace root (this crate sits one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `CARGO_TARGET_DIR`, else `<repo>/target`: where the control plane binaries and state live.
pub fn target_dir() -> PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("target"))
}

/// `target/e2e-tests/<name>`: one state dir per test binary (or crate), so binaries run in
/// parallel each with their own control plane.
pub fn state_dir(name: &str) -> PathBuf {
    target_dir().join("e2e-tests").join(name)
}
