//! The in-process bundle layer's byte budget: what a [`Pulled`] is estimated to cost in
//! memory, and the cap setting (`PACTO_MEMORY_CACHE_BYTES`).

use crate::client::Pulled;
use pacto_core::Bundle;

pub const ENV_MEMORY_CACHE_BYTES: &str = "PACTO_MEMORY_CACHE_BYTES";
/// Default cap: about a dozen 1 MiB bundles, or thousands of typical (few KiB) ones.
pub const DEFAULT_MEMORY_CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// Allowance per unpacked file for its map node, path `String` and data `Vec` headers.
pub const PER_FILE_OVERHEAD: u64 = 96;
/// Allowance per entry for the reference, digest, labels and the cache's own bookkeeping.
pub const PER_ENTRY_OVERHEAD: u64 = 1024;

/// Estimated resident bytes of unpacked bundle files: data, paths and a fixed allowance per
/// file and per bundle for the containers around them, which matter for bundles of many tiny
/// files. Allocator slack is not counted. Shared with the operator's content cache.
pub fn bundle_resident_size(bundle: &Bundle) -> u64 {
    bundle
        .files()
        .map(|(path, data)| path.len() as u64 + data.len() as u64 + PER_FILE_OVERHEAD)
        .sum::<u64>()
        .saturating_add(PER_ENTRY_OVERHEAD)
}

/// Estimated resident bytes of a pulled bundle. It holds the verified manifest and the
/// compressed layer (kept for the disk cache) *and* every unpacked file, so both count.
pub fn resident_size(p: &Pulled) -> u64 {
    bundle_resident_size(&p.bundle)
        .saturating_add(p.layer.len() as u64)
        .saturating_add(p.manifest.len() as u64)
}

/// A byte count: a plain integer, or one with a `K`/`M`/`G` suffix (binary units; `Ki`,
/// `KiB`, `MB`, … accepted alike, any case). `None` for anything else.
pub fn parse_bytes(v: &str) -> Option<u64> {
    let t = v.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "ki" | "kb" | "kib" => 10,
        "m" | "mi" | "mb" | "mib" => 20,
        "g" | "gi" | "gb" | "gib" => 30,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_core::Bundle;
    use pacto_core::oci_ref::parse;

    fn pulled(files: &[(&str, usize)], layer: usize, manifest: usize) -> Pulled {
        let mut bundle = Bundle::new();
        for (path, n) in files {
            bundle.insert(*path, vec![7; *n]);
        }
        Pulled {
            reference: match parse("oci://127.0.0.1:5000/acme/svc:1.0.0") {
                Ok(r) => r,
                Err(e) => panic!("{e}"),
            },
            digest: format!("sha256:{}", "a".repeat(64)),
            bundle,
            labels: None,
            manifest: vec![0; manifest],
            layer: vec![0; layer],
        }
    }

    #[test]
    fn size_counts_layer_manifest_unpacked_files_paths_and_overheads() {
        let p = pulled(&[("pacto.yaml", 1000), ("a/b.json", 500)], 700, 300);
        let files = (10 + 1000 + PER_FILE_OVERHEAD) + (8 + 500 + PER_FILE_OVERHEAD);
        assert_eq!(resident_size(&p), files + 700 + 300 + PER_ENTRY_OVERHEAD);
        // A bigger layer or one more file makes it bigger: the estimate tracks content.
        assert!(resident_size(&pulled(&[("pacto.yaml", 1000)], 5000, 300)) > resident_size(&p));
    }

    #[test]
    fn an_empty_pull_still_costs_its_fixed_allowance() {
        assert_eq!(resident_size(&pulled(&[], 0, 0)), PER_ENTRY_OVERHEAD);
    }

    #[test]
    fn byte_counts_with_and_without_units() {
        assert_eq!(parse_bytes("1048576"), Some(1 << 20));
        assert_eq!(parse_bytes(" 64Mi "), Some(64 << 20));
        assert_eq!(parse_bytes("8 MiB"), Some(8 << 20));
        assert_eq!(parse_bytes("2g"), Some(2 << 30));
        assert_eq!(parse_bytes("512k"), Some(512 << 10));
        assert_eq!(parse_bytes("0"), Some(0));
        for bad in [
            "",
            "MiB",
            "-1",
            "1.5M",
            "12 parsecs",
            "99999999999999999999",
        ] {
            assert_eq!(parse_bytes(bad), None, "{bad:?}");
        }
        assert_eq!(parse_bytes("18446744073709551615G"), None);
    }
}
