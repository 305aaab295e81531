//! The content hash that pins a local dependency or reference, computed as the Go
//! reference does (`pkg/lock/hash.go`): sha256 over the bundle's files sorted by
//! path, each as big-endian u64 length + path bytes, then u64 length + data.

use crate::bundle::Bundle;
use sha2::{Digest, Sha256};

/// `sha256:<hex>` over every file of `bundle` (its files are already sorted by path).
pub fn content_hash(bundle: &Bundle) -> String {
    let mut h = Sha256::new();
    for (path, data) in bundle.files() {
        h.update((path.len() as u64).to_be_bytes());
        h.update(path.as_bytes());
        h.update((data.len() as u64).to_be_bytes());
        h.update(data);
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::content_hash;
    use crate::bundle::Bundle;

    #[test]
    fn empty_bundle_is_sha256_of_nothing() {
        assert_eq!(
            content_hash(&Bundle::new()),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn one_file_is_length_prefixed_path_and_data() {
        let mut b = Bundle::new();
        b.insert("a", b"xy".to_vec());
        // sha256 of 00..01 'a' 00..02 'x' 'y', computed independently.
        let mut bytes = Vec::new();
        bytes.extend(1u64.to_be_bytes());
        bytes.push(b'a');
        bytes.extend(2u64.to_be_bytes());
        bytes.extend(b"xy");
        use sha2::{Digest, Sha256};
        let want: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(content_hash(&b), format!("sha256:{want}"));
    }

    #[test]
    fn depends_on_content_and_path() {
        let mut a = Bundle::new();
        a.insert("pacto.yaml", b"x".to_vec());
        let mut b = Bundle::new();
        b.insert("pacto.yaml", b"y".to_vec());
        let mut c = Bundle::new();
        c.insert("other.yaml", b"x".to_vec());
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&c));
    }
}
