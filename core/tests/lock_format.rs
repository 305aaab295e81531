//! `pacto.lock` in the Go reference's format: a lock the Go tool wrote (yaml.v3,
//! four-space indent) parses field for field, ours is byte-stable and sorted, and a
//! malformed lock is `LOCK_ERROR`, never a panic.

use pacto_core::lock::{Entry, Lock, MAX_LOCK_BYTES, Reference};
use std::path::Path;

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lock")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn reads_a_lock_written_by_the_go_tool() {
    let lock = Lock::parse(fixture("go-written.lock").as_bytes()).expect("parses");
    assert_eq!(lock.lock_version, 3);
    assert_eq!(lock.pacto.version, "3.3.0");
    assert_eq!(
        (lock.root.name.as_str(), lock.root.version.as_str()),
        ("payments-api", "2.1.0")
    );
    assert_eq!(lock.dependencies.len(), 3);
    let auth = lock.dependency("auth-service").expect("auth");
    assert_eq!(auth.source, "oci");
    assert_eq!(auth.reference, "oci://ghcr.io/acme/auth-service-pacto");
    assert_eq!(auth.constraint, "^2.0.0");
    assert_eq!(auth.version, "2.5.1");
    assert!(auth.digest.starts_with("sha256:1111"));
    assert_eq!(auth.depends_on, vec!["crypto-lib".to_string()]);
    let shared = lock.dependency("shared-lib").expect("shared");
    assert_eq!(
        (shared.source.as_str(), shared.path.as_str()),
        ("local", "../shared-lib")
    );
    assert!(shared.content_hash.starts_with("sha256:3333"));
    assert_eq!(lock.references.len(), 2);
    assert_eq!(lock.references[0].from, "");
    assert_eq!(lock.references[0].kind, "policy");
    assert_eq!(
        lock.references[1].from,
        lock.references[0].destination_id(),
        "a transitive reference names its declarer by content"
    );
    assert_eq!(
        lock.pinned_digest("oci://ghcr.io/acme/crypto-pacto", "~1.2.0"),
        Some("sha256:2222222222222222222222222222222222222222222222222222222222222222")
    );
    assert_eq!(
        lock.pinned_digest("oci://ghcr.io/acme/crypto-pacto", "^1.0.0"),
        None
    );
}

#[test]
fn writes_the_golden_file_and_reads_it_back() {
    let go = Lock::parse(fixture("go-written.lock").as_bytes()).expect("parses");
    // Shuffled input: the output is sorted whatever the order of resolution.
    let mut shuffled = go.clone();
    shuffled.dependencies.reverse();
    shuffled.references.reverse();
    shuffled.dependencies[0].depends_on = vec!["b".into(), "a".into()];
    let text = shuffled.to_yaml().expect("serializes");
    assert_eq!(text, fixture("rust-written.lock"));
    let back = Lock::parse(text.as_bytes()).expect("our lock parses");
    assert_eq!(
        back.to_yaml().expect("again"),
        text,
        "byte-identical re-marshal"
    );
    for field in [
        "lockVersion: 3",
        "pacto:",
        "root:",
        "dependencies:",
        "references:",
        "dependsOn:",
        "contentHash:",
        "constraint:",
        "from:",
    ] {
        assert!(text.contains(field), "{field} missing from\n{text}");
    }
    assert!(
        !text.contains("content_hash")
            && !text.contains("depends_on")
            && !text.contains("lock_version")
    );
}

#[test]
fn empty_fields_are_left_out() {
    let lock = Lock {
        lock_version: 3,
        dependencies: vec![Entry {
            name: "a".into(),
            source: "oci".into(),
            reference: "oci://r/a:1.0.0".into(),
            digest: "sha256:aa".into(),
            ..Entry::default()
        }],
        references: vec![Reference {
            kind: "config".into(),
            name: "c".into(),
            source: "local".into(),
            path: "../c".into(),
            content_hash: "sha256:cc".into(),
            ..Reference::default()
        }],
        ..Lock::default()
    };
    let text = lock.to_yaml().expect("serializes");
    for absent in [
        "path: ''",
        "constraint",
        "dependsOn",
        "from",
        "digest: ''",
        "ref: ''",
    ] {
        assert!(!text.contains(absent), "{absent} in\n{text}");
    }
}

#[test]
fn malformed_locks_are_lock_error() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not yaml", b"lockVersion: [unclosed".to_vec()),
        ("wrong shape", b"lockVersion: 3\ndependencies: 7\n".to_vec()),
        ("no version", b"root:\n  name: a\n".to_vec()),
        ("future version", b"lockVersion: 99\n".to_vec()),
        ("not utf-8", vec![0xff, 0xfe, 0x00]),
        ("too big", {
            let mut v = b"lockVersion: 3\n#".to_vec();
            v.resize(MAX_LOCK_BYTES + 1, b'x');
            v
        }),
    ];
    for (what, bytes) in cases {
        let err = Lock::parse(&bytes).expect_err(what);
        assert_eq!(err.code(), "LOCK_ERROR", "{what}: {err}");
        assert!(err.to_string().starts_with("LOCK_ERROR: "), "{what}: {err}");
    }
}

#[test]
fn older_lock_versions_parse_as_declared() {
    let lock = Lock::parse(b"lockVersion: 1\nroot:\n  name: a\n  version: 1.0.0\n").expect("v1");
    assert_eq!(lock.lock_version, 1);
}

#[test]
fn a_lock_pinning_one_identity_twice_is_ambiguous() {
    let dup_dep = b"lockVersion: 3\ndependencies:\n  - name: auth\n    source: oci\n    ref: oci://r.io/auth\n    digest: sha256:aa\n  - name: auth\n    source: oci\n    ref: oci://r.io/auth\n    digest: sha256:bb\n";
    let err = Lock::parse(dup_dep).expect_err("two pins for auth");
    assert_eq!(err.code(), "LOCK_AMBIGUOUS_REFERENCE", "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("dependency auth") && msg.contains("sha256:aa") && msg.contains("sha256:bb"),
        "{msg}"
    );

    let dup_ref = b"lockVersion: 3\nreferences:\n  - from: \"\"\n    kind: config\n    name: default\n    source: local\n    path: ../shared\n    contentHash: sha256:11\n  - from: \"\"\n    kind: config\n    name: default\n    source: local\n    path: ../other\n    contentHash: sha256:22\n";
    let err = Lock::parse(dup_ref).expect_err("two pins for config default");
    assert_eq!(err.code(), "LOCK_AMBIGUOUS_REFERENCE", "{err}");
    assert!(
        err.to_string()
            .contains("config \"default\" declared by the root contract"),
        "{err}"
    );

    // The same name under another kind or another declaring contract is not a clash.
    let distinct = b"lockVersion: 3\nreferences:\n  - from: \"\"\n    kind: config\n    name: default\n    source: local\n    path: a\n    contentHash: sha256:11\n  - from: \"\"\n    kind: policy\n    name: default\n    source: local\n    path: b\n    contentHash: sha256:22\n  - from: oci:sha256:99\n    kind: config\n    name: default\n    source: local\n    path: c\n    contentHash: sha256:33\n";
    assert!(Lock::parse(distinct).is_ok());
}
