//! Lock verification and refresh rules, from resolved facts (no I/O).

use pacto_core::lock::verify::{compare, merge_preserving_pins};
use pacto_core::lock::{Entry, Lock, Reference};

fn dep(name: &str, constraint: &str, digest: &str) -> Entry {
    Entry {
        name: name.into(),
        source: "oci".into(),
        reference: format!("oci://reg/{name}"),
        constraint: constraint.into(),
        version: "1.0.0".into(),
        digest: digest.into(),
        ..Entry::default()
    }
}

fn lock(deps: Vec<Entry>) -> Lock {
    Lock {
        lock_version: 3,
        dependencies: deps,
        ..Lock::default()
    }
}

#[test]
fn equal_locks_verify() {
    let l = lock(vec![dep("a", "^1", "sha256:1")]);
    assert_eq!(compare(&l, &l), Ok(()));
}

#[test]
fn moved_digest_is_a_digest_mismatch_naming_both() {
    let old = lock(vec![dep("a", "^1", "sha256:1")]);
    let new = lock(vec![dep("a", "^1", "sha256:2")]);
    let e = compare(&old, &new).expect_err("drift");
    assert_eq!(e.code(), "LOCK_DIGEST_MISMATCH");
    assert_eq!(
        e.to_string(),
        "LOCK_DIGEST_MISMATCH: a locked at sha256:1 but resolves to sha256:2; run `pacto lock --update` to re-pin"
    );
}

#[test]
fn changed_local_content_is_local_drift() {
    let local = |h: &str| Entry {
        name: "l".into(),
        source: "local".into(),
        path: "../l".into(),
        content_hash: h.into(),
        ..Entry::default()
    };
    let e = compare(
        &lock(vec![local("sha256:1")]),
        &lock(vec![local("sha256:2")]),
    )
    .expect_err("drift");
    assert_eq!(e.code(), "LOCK_LOCAL_DRIFT");
}

#[test]
fn changed_constraint_old_version_and_membership_are_stale() {
    let old = lock(vec![dep("a", "^1", "sha256:1")]);
    let e = compare(&old, &lock(vec![dep("a", "^2", "sha256:9")])).expect_err("constraint");
    assert_eq!(e.code(), "LOCK_STALE", "{e}");
    let mut v2 = old.clone();
    v2.lock_version = 2;
    assert_eq!(compare(&v2, &old).expect_err("v2").code(), "LOCK_STALE");
    let more = lock(vec![dep("a", "^1", "sha256:1"), dep("b", "^1", "sha256:3")]);
    assert_eq!(
        compare(&old, &more).expect_err("added").code(),
        "LOCK_STALE"
    );
    assert_eq!(
        compare(&more, &old).expect_err("removed").code(),
        "LOCK_STALE"
    );
}

#[test]
fn references_are_matched_by_from_kind_name() {
    let r = |from: &str, digest: &str| Reference {
        from: from.into(),
        kind: "policy".into(),
        name: "p".into(),
        source: "oci".into(),
        reference: "oci://reg/p:1".into(),
        digest: digest.into(),
        ..Reference::default()
    };
    let with = |refs| Lock {
        references: refs,
        ..lock(vec![])
    };
    assert_eq!(
        compare(
            &with(vec![r("", "sha256:1")]),
            &with(vec![r("", "sha256:1")])
        ),
        Ok(())
    );
    assert_eq!(
        compare(
            &with(vec![r("", "sha256:1")]),
            &with(vec![r("", "sha256:2")])
        )
        .expect_err("moved")
        .code(),
        "LOCK_DIGEST_MISMATCH"
    );
    assert_eq!(
        compare(
            &with(vec![r("", "sha256:1")]),
            &with(vec![r("oci:sha256:x", "sha256:1")])
        )
        .expect_err("another declarer")
        .code(),
        "LOCK_STALE"
    );
}

#[test]
fn refresh_keeps_pins_with_unchanged_constraint_unless_named() {
    let old = lock(vec![dep("a", "^1", "sha256:1"), dep("b", "^1", "sha256:2")]);
    let fresh = lock(vec![dep("a", "^1", "sha256:9"), dep("b", "^2", "sha256:8")]);
    let kept = merge_preserving_pins(&old, &fresh, &[]);
    assert_eq!(
        kept.dependency("a").map(|e| e.digest.as_str()),
        Some("sha256:1")
    );
    assert_eq!(
        kept.dependency("b").map(|e| e.digest.as_str()),
        Some("sha256:8"),
        "constraint changed"
    );
    let named = merge_preserving_pins(&old, &fresh, &["a".to_string()]);
    assert_eq!(
        named.dependency("a").map(|e| e.digest.as_str()),
        Some("sha256:9")
    );
}
