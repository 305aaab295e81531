//! Bundle loading, deterministic packing and hostile-archive refusal.

use flate2::{Compression, write::GzEncoder};
use pacto_core::bundle::{Bundle, BundleError, Limits};
use proptest::prelude::*;
use std::fs;
use std::io::Write;
use std::path::Path;

fn write(root: &Path, rel: &str, data: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

fn sample_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "pacto.yaml", "pactoVersion: \"1.0\"\n");
    write(d.path(), "interfaces/openapi.yaml", "openapi: 3.0.0\n");
    write(d.path(), "configuration/schema.json", "{}");
    d
}

#[test]
fn pactoignore_follows_gitignore_semantics() {
    let d = sample_dir();
    write(
        d.path(),
        ".pactoignore",
        "# build output\n*.log\n/tmp/\n!keep.log\ndocs/**/draft-*.md\n",
    );
    write(d.path(), "a.log", "x");
    write(d.path(), "keep.log", "x");
    write(d.path(), "tmp/x.txt", "x");
    write(d.path(), "sub/tmp/y.txt", "y");
    write(d.path(), "docs/guide/draft-1.md", "x");
    write(d.path(), "docs/guide/final.md", "x");
    write(d.path(), ".git/HEAD", "x");
    write(d.path(), ".DS_Store", "x");
    let b = Bundle::from_dir(d.path(), &Limits::default()).unwrap();
    let names: Vec<_> = b.files().map(|(p, _)| p.to_string()).collect();
    assert_eq!(
        names,
        vec![
            "configuration/schema.json",
            "docs/guide/final.md",
            "interfaces/openapi.yaml",
            "keep.log",
            "pacto.yaml",
            "sub/tmp/y.txt",
        ]
    );
}

#[test]
fn contract_cannot_be_ignored_or_missing() {
    let d = sample_dir();
    write(d.path(), ".pactoignore", "*.yaml\n");
    let err = Bundle::from_dir(d.path(), &Limits::default()).unwrap_err();
    assert!(matches!(err, BundleError::ContractIgnored), "{err}");

    let e = tempfile::tempdir().unwrap();
    write(e.path(), "README.md", "x");
    let err = Bundle::from_dir(e.path(), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("no pacto.yaml found"), "{err}");

    let err = Bundle::from_dir(&e.path().join("README.md"), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("is not a directory"), "{err}");
}

#[test]
fn symlinks_and_limits_are_refused_in_directories() {
    let d = sample_dir();
    std::os::unix::fs::symlink("/etc/passwd", d.path().join("passwd")).unwrap();
    let err = Bundle::from_dir(d.path(), &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, BundleError::Symlink(p) if p == "passwd"),
        "{err}"
    );

    let d = sample_dir();
    write(d.path(), "big.bin", &"x".repeat(2048));
    let limits = Limits {
        max_file_size: 1024,
        ..Limits::default()
    };
    let err = Bundle::from_dir(d.path(), &limits).unwrap_err();
    assert!(
        matches!(&err, BundleError::FileTooLarge { path, .. } if path == "big.bin"),
        "{err}"
    );

    let limits = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let err = Bundle::from_dir(d.path(), &limits).unwrap_err();
    assert!(
        matches!(err, BundleError::TooManyEntries { limit: 2 }),
        "{err}"
    );
}

#[test]
fn pactoignore_is_refused_as_a_symlink_and_bounded_in_size() {
    // A link to /dev/zero used to hang the reader (it followed the link and read forever).
    let d = sample_dir();
    std::os::unix::fs::symlink("/dev/zero", d.path().join(".pactoignore")).unwrap();
    let err = Bundle::from_dir(d.path(), &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, BundleError::Symlink(p) if p == ".pactoignore"),
        "{err}"
    );

    let d = sample_dir();
    write(d.path(), ".pactoignore", &"*.tmp\n".repeat(400));
    let limits = Limits {
        max_file_size: 1024,
        ..Limits::default()
    };
    let err = Bundle::from_dir(d.path(), &limits).unwrap_err();
    assert!(
        matches!(&err, BundleError::FileTooLarge { path, .. } if path == ".pactoignore"),
        "{err}"
    );

    let d = sample_dir();
    fs::create_dir(d.path().join(".pactoignore")).unwrap();
    let err = Bundle::from_dir(d.path(), &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, BundleError::SpecialFile { path, .. } if path == ".pactoignore"),
        "{err}"
    );
}

#[test]
fn pack_is_byte_identical_whatever_times_and_creation_order() {
    let a = sample_dir();
    let b = tempfile::tempdir().unwrap();
    // Same content created in reverse order, with different mtimes and modes.
    write(b.path(), "configuration/schema.json", "{}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(b.path(), "interfaces/openapi.yaml", "openapi: 3.0.0\n");
    write(b.path(), "pacto.yaml", "pactoVersion: \"1.0\"\n");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(
        b.path().join("pacto.yaml"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();

    let pa = Bundle::from_dir(a.path(), &Limits::default())
        .unwrap()
        .to_tar_gz()
        .unwrap();
    let pb = Bundle::from_dir(b.path(), &Limits::default())
        .unwrap()
        .to_tar_gz()
        .unwrap();
    assert_eq!(pa, pb);
    let again = Bundle::from_dir(a.path(), &Limits::default())
        .unwrap()
        .to_tar_gz()
        .unwrap();
    assert_eq!(pa, again);
}

#[test]
fn packed_headers_are_canonical() {
    let bundle = Bundle::from_dir(sample_dir().path(), &Limits::default()).unwrap();
    let bytes = bundle.to_tar_gz().unwrap();
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let mut names = Vec::new();
    for e in ar.entries().unwrap() {
        let e = e.unwrap();
        let h = e.header();
        assert_eq!(h.mtime().unwrap(), 0);
        assert_eq!(h.uid().unwrap(), 0);
        assert_eq!(h.gid().unwrap(), 0);
        let dir = h.entry_type().is_dir();
        assert_eq!(h.mode().unwrap(), if dir { 0o755 } else { 0o644 });
        names.push(String::from_utf8(e.path_bytes().to_vec()).unwrap());
    }
    assert_eq!(
        names,
        vec![
            "configuration/",
            "configuration/schema.json",
            "interfaces/",
            "interfaces/openapi.yaml",
            "pacto.yaml"
        ]
    );
}

#[test]
fn pack_then_unpack_round_trips() {
    let bundle = Bundle::from_dir(sample_dir().path(), &Limits::default()).unwrap();
    let back = Bundle::from_tar_gz(&bundle.to_tar_gz().unwrap(), &Limits::default()).unwrap();
    assert_eq!(bundle, back);
}

// ---- hostile archives -------------------------------------------------------------

/// Builds a tar.gz from raw (name, type, data) triples, bypassing the tar crate's
/// own path checks so that hostile names reach the reader.
fn raw_tar_gz(entries: &[(&[u8], tar::EntryType, &[u8])]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, kind, data) in entries {
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        if *kind == tar::EntryType::Symlink || *kind == tar::EntryType::Link {
            h.set_link_name("/etc/passwd").unwrap();
        }
        h.set_cksum();
        tar.append(&h, *data).unwrap();
    }
    gzip(&tar.into_inner().unwrap())
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

const CONTRACT: (&[u8], tar::EntryType, &[u8]) =
    (b"pacto.yaml", tar::EntryType::Regular, b"x: 1\n");

fn refused(entries: &[(&[u8], tar::EntryType, &[u8])]) -> BundleError {
    Bundle::from_tar_gz(&raw_tar_gz(entries), &Limits::default()).unwrap_err()
}

#[test]
fn traversal_and_absolute_paths_are_refused() {
    let err = refused(&[CONTRACT, (b"../evil", tar::EntryType::Regular, b"x")]);
    assert!(
        matches!(&err, BundleError::UnsafePath(p) if p == "../evil"),
        "{err}"
    );
    let err = refused(&[CONTRACT, (b"a/../../evil", tar::EntryType::Regular, b"x")]);
    assert!(matches!(err, BundleError::UnsafePath(_)), "{err}");
    let err = refused(&[CONTRACT, (b"/etc/cron.d/x", tar::EntryType::Regular, b"x")]);
    assert!(matches!(err, BundleError::UnsafePath(_)), "{err}");
}

#[test]
fn links_and_devices_are_refused() {
    let err = refused(&[CONTRACT, (b"link", tar::EntryType::Symlink, b"")]);
    assert!(
        matches!(&err, BundleError::Symlink(p) if p == "link"),
        "{err}"
    );
    let err = refused(&[CONTRACT, (b"hard", tar::EntryType::Link, b"")]);
    assert!(matches!(err, BundleError::HardLink(_)), "{err}");
    let err = refused(&[CONTRACT, (b"dev", tar::EntryType::Char, b"")]);
    assert!(matches!(err, BundleError::SpecialFile { .. }), "{err}");
    let err = refused(&[CONTRACT, (b"fifo", tar::EntryType::Fifo, b"")]);
    assert!(matches!(err, BundleError::SpecialFile { .. }), "{err}");
}

#[test]
fn duplicates_missing_contract_and_garbage_are_refused() {
    let err = refused(&[CONTRACT, CONTRACT]);
    assert!(matches!(err, BundleError::DuplicateEntry(_)), "{err}");
    let err = refused(&[(b"README.md", tar::EntryType::Regular, b"x")]);
    assert!(matches!(err, BundleError::MissingContract(_)), "{err}");
    let err = Bundle::from_tar_gz(b"definitely not gzip", &Limits::default()).unwrap_err();
    assert!(matches!(err, BundleError::Archive(_)), "{err}");
    let good = raw_tar_gz(&[CONTRACT]);
    let err = Bundle::from_tar_gz(&good[..good.len() / 2], &Limits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            BundleError::Archive(_) | BundleError::MissingContract(_)
        ),
        "{err}"
    );
}

#[test]
fn gzip_bomb_stops_at_the_limit() {
    // 64 MiB of zeros compresses to ~64 KiB; the reader must stop at the cap.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bomb = raw_tar_gz(&[CONTRACT, (b"bomb.bin", tar::EntryType::Regular, &zeros)]);
    assert!(bomb.len() < 1024 * 1024);
    let limits = Limits {
        max_file_size: 100 * 1024 * 1024,
        max_total_size: 8 * 1024 * 1024,
        max_entries: 100,
    };
    let err = Bundle::from_tar_gz(&bomb, &limits).unwrap_err();
    assert!(matches!(err, BundleError::TotalTooLarge { .. }), "{err}");
    let err = Bundle::from_tar_gz(&bomb, &Limits::default()).unwrap_err();
    assert!(matches!(err, BundleError::FileTooLarge { .. }), "{err}");
}

#[test]
fn entry_count_is_limited() {
    let names: Vec<String> = (0..20).map(|i| format!("f{i}")).collect();
    let mut entries = vec![CONTRACT];
    for n in &names {
        entries.push((n.as_bytes(), tar::EntryType::Regular, b"x"));
    }
    let limits = Limits {
        max_entries: 10,
        ..Limits::default()
    };
    let err = Bundle::from_tar_gz(&raw_tar_gz(&entries), &limits).unwrap_err();
    assert!(
        matches!(err, BundleError::TooManyEntries { limit: 10 }),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pack_is_deterministic_and_round_trips(
        files in proptest::collection::btree_map("[a-z]{1,8}(/[a-z]{1,8}){0,2}\\.txt", proptest::collection::vec(any::<u8>(), 0..256), 0..8)
    ) {
        let mut b = Bundle::new();
        b.insert("pacto.yaml", b"x".to_vec());
        for (p, d) in &files {
            b.insert(p.clone(), d.clone());
        }
        let one = b.to_tar_gz().unwrap();
        let two = b.to_tar_gz().unwrap();
        prop_assert_eq!(&one, &two);
        // A path that is also a directory of another path cannot exist on disk.
        if let Ok(back) = Bundle::from_tar_gz(&one, &Limits::default()) {
            prop_assert_eq!(back, b);
        }
    }

    #[test]
    fn unpack_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Bundle::from_tar_gz(&bytes, &Limits::default());
        let _ = Bundle::from_tar_gz(&gzip(&bytes), &Limits::default());
    }
}
