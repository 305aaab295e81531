use super::*;
use crate::artifact::{BundleLabels, prepare};
use pacto_core::Bundle;
use pacto_core::oci_ref::parse;

fn artifact(version: &str) -> crate::artifact::PreparedArtifact {
    let mut b = Bundle::new();
    b.insert(
        "pacto.yaml",
        format!("pactoVersion: \"1.0\"\nservice:\n  name: svc\n  version: {version}\n")
            .into_bytes(),
    );
    let layer = match b.to_tar_gz() {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let labels = BundleLabels {
        name: "svc".into(),
        version: version.into(),
        pacto_version: "1.0".into(),
    };
    match prepare(layer, &labels) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn meta(d: &str) -> EntryMeta {
    EntryMeta {
        reference: "r.io/svc:1.0.0".into(),
        digest: d.into(),
        labels: None,
        fetched_at: 1,
    }
}

#[test]
fn put_then_get_roundtrips_and_verifies() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = DiskCache::new(tmp.path());
    let a = artifact("1.0.0");
    assert!(c.get(&a.manifest_digest).is_none());
    c.put(
        &a.manifest_digest,
        &a.manifest,
        &a.layer,
        &meta(&a.manifest_digest),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let got = c.get(&a.manifest_digest).unwrap_or_else(|| panic!("miss"));
    assert_eq!(got.layer, a.layer);
    assert_eq!(got.manifest, a.manifest);
    assert_eq!(got.meta.reference, "r.io/svc:1.0.0");
    let hex = a.manifest_digest.trim_start_matches("sha256:");
    assert!(
        tmp.path()
            .join("blobs/sha256")
            .join(hex)
            .join("bundle.tar.gz")
            .is_file()
    );
    // No temp files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("blobs/sha256").join(hex))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn corrupted_entries_are_detected_and_removed() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = DiskCache::new(tmp.path());
    let a = artifact("1.0.0");
    let d = &a.manifest_digest;
    let dir = tmp
        .path()
        .join("blobs/sha256")
        .join(d.trim_start_matches("sha256:"));

    // Layer flipped.
    c.put(d, &a.manifest, &a.layer, &meta(d))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut bad = a.layer.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0xff;
    std::fs::write(dir.join("bundle.tar.gz"), &bad).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.get(d).is_none());
    assert!(!dir.exists(), "corrupted entry removed");

    // Manifest of another artifact stored under this digest.
    let other = artifact("2.0.0");
    c.put(d, &other.manifest, &other.layer, &meta(d))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(c.get(d).is_none());

    // Truncated layer.
    c.put(d, &a.manifest, &a.layer[..10], &meta(d))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(c.get(d).is_none());

    // Rewritten correctly, it is served again.
    c.put(d, &a.manifest, &a.layer, &meta(d))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(c.get(d).is_some());
}

#[test]
fn malformed_digests_never_become_paths() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = DiskCache::new(tmp.path().join("root"));
    let a = artifact("1.0.0");
    for d in ["sha256:../../etc", "sha256:ABC", "../x", "sha512:00"] {
        assert!(c.get(d).is_none());
        c.put(d, &a.manifest, &a.layer, &meta(d))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(
        !tmp.path().join("root").exists(),
        "nothing written for bad digests"
    );
}

#[test]
fn tag_answers_expire_after_the_ttl() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = DiskCache::new(tmp.path());
    let r = parse("oci://r.io/acme/svc:1.0.0").unwrap_or_else(|e| panic!("{e}"));
    let d = artifact("1.0.0").manifest_digest;
    let ttl = Duration::from_secs(60);
    c.put_tag(&r, &d, 1_000_000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        c.get_tag(&r, ttl, 1_000_000 + 59_999).as_deref(),
        Some(d.as_str())
    );
    assert_eq!(c.get_tag(&r, ttl, 1_000_000 + 60_000), None);
    assert_eq!(c.get_tag(&r, Duration::ZERO, 1_000_000), None);
    // A clock that went backwards does not make an answer fresh forever.
    assert_eq!(c.get_tag(&r, ttl, 999_000), None);
    let other = parse("oci://r.io/acme/svc:2.0.0").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.get_tag(&other, ttl, 1_000_000), None);

    let tags = vec!["1.0.0".to_string(), "latest".to_string()];
    c.put_tags(&r, &tags, 5_000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        c.get_tags(&other, ttl, 5_001),
        Some(tags),
        "same repository"
    );
    assert_eq!(c.get_tags(&r, ttl, 70_000), None);
}

#[test]
fn concurrent_writers_and_readers_never_see_a_corrupt_entry() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = artifact("1.0.0");
    let d = a.manifest_digest.clone();
    std::thread::scope(|s| {
        for i in 0..8 {
            let (root, a, d) = (tmp.path().to_path_buf(), &a, &d);
            s.spawn(move || {
                let c = DiskCache::new(root);
                for _ in 0..30 {
                    if i % 2 == 0 {
                        c.put(d, &a.manifest, &a.layer, &meta(d))
                            .unwrap_or_else(|e| panic!("{e}"));
                    } else if let Some(got) = c.get(d) {
                        // Whatever a reader sees is whole and verified.
                        assert_eq!(got.layer, a.layer);
                    }
                }
            });
        }
    });
    let c = DiskCache::new(tmp.path());
    assert!(c.get(&d).is_some());
}
