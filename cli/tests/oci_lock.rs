//! `pacto.lock` against a real registry: a dependency tag re-pushed with new content
//! (by another client, so this machine's tag cache still holds the old answer) is
//! seen by `validate`, `lock --check`, `push` and `graph`; `lock --update` re-pins.

use pacto_core::lock::Lock;
use pacto_e2e_support::pacto_cli as support;
use std::path::Path;
use support::*;

fn write_bundle(dir: &Path, b: &pacto_core::Bundle) {
    for (p, data) in b.files() {
        let t = dir.join(p);
        std::fs::create_dir_all(t.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&t, data).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn read_lock(dir: &Path) -> Lock {
    Lock::parse(&std::fs::read(dir.join("pacto.lock")).unwrap_or_default()).expect("lock parses")
}

fn graph_dep_ref(home: &Home, dir: &str) -> String {
    let o = home.run(&["graph", dir, "--output-format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let g: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    g["root"]["dependencies"][0]["node"]["ref"]
        .as_str()
        .unwrap_or_else(|| panic!("no resolved dependency: {g}"))
        .to_string()
}

#[test]
fn moved_dependency_tag_is_caught_and_update_repins() {
    let Some(reg) = Registries::start("lock") else {
        return;
    };
    let lib = library_client();
    let auth_tag = format!("oci://{}/lock/auth:1.0.0", reg.anon);
    let d1 = push(&lib, &auth_tag, &contract("auth", "1.0.0", &[], ""));

    let home = Home::new();
    let app = home.path().join("app");
    // An untagged ref with a range (resolved against the tags) and the 2.0 contract
    // shape would behave alike; a 1.0 contract keys the entry by the service name.
    let auth_repo = format!("oci://{}/lock/auth", reg.anon);
    write_bundle(
        &app,
        &contract("app", "1.0.0", &[(auth_repo.clone(), "^1.0.0".into())], ""),
    );
    let app_s = app.display().to_string();

    let o = home.run(&["lock", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let lock = read_lock(&app);
    let e = lock
        .dependency("auth")
        .unwrap_or_else(|| panic!("auth not pinned: {lock:?}"));
    assert_eq!(e.source, "oci");
    assert_eq!(e.reference, auth_repo, "the ref as written");
    assert_eq!(e.constraint, "^1.0.0");
    assert_eq!(e.version, "1.0.0");
    assert_eq!(e.digest, d1);

    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", "--check", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(graph_dep_ref(&home, &app_s).ends_with(&format!("@{d1}")));

    // Another client moves the tag to new content.
    let d2 = push(
        &lib,
        &auth_tag,
        &contract("auth", "1.0.0", &[], "metadata:\n  moved: \"yes\"\n"),
    );
    assert_ne!(d1, d2);

    let o = home.run(&["validate", &app_s]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let want = format!(
        "LOCK_DIGEST_MISMATCH: auth locked at {d1} but resolves to {d2}; run `pacto lock --update` to re-pin"
    );
    let err = stderr(&o);
    assert!(err.contains("ERROR [LOCK_DIGEST_MISMATCH]"), "{err}");
    assert!(err.contains(&want), "{err}");
    assert_eq!(err.matches("ERROR [").count(), 1, "a single error: {err}");
    let o = home.run(&["validate", &app_s, "--output-format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(j["errors"][0]["code"], "LOCK_DIGEST_MISMATCH", "{j}");
    assert_eq!(j["errors"][0]["path"], "", "{j}");

    let o = home.run(&["lock", "--check", &app_s]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains(&want), "{}", text(&o));

    // The graph still resolves through the pin, not the moved tag.
    assert!(graph_dep_ref(&home, &app_s).ends_with(&format!("@{d1}")));

    // Push refuses to publish a drifted lock.
    let app_ref = format!("oci://{}/lock/app:1.0.0", reg.anon);
    let o = home.run(&["push", &app_ref, "-p", &app_s]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("LOCK_DIGEST_MISMATCH"), "{}", text(&o));
    assert!(
        !lib.block_on(lib.registry().client().exists(&oref(&app_ref)))
            .unwrap_or_else(|e| panic!("{e}")),
        "nothing was published"
    );

    // A plain `pacto lock` keeps the pin (the constraint is unchanged)...
    let o = home.run(&["lock", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read_lock(&app).dependency("auth").map(|e| e.digest.clone()),
        Some(d1.clone())
    );
    // ... `--update-name auth` re-pins it.
    let o = home.run(&["lock", "--update-name", "auth", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read_lock(&app).dependency("auth").map(|e| e.digest.clone()),
        Some(d2.clone())
    );
    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", "--check", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(graph_dep_ref(&home, &app_s).ends_with(&format!("@{d2}")));

    // Moved again, then `--update` re-pins everything.
    let d3 = push(
        &lib,
        &auth_tag,
        &contract("auth", "1.0.0", &[], "metadata:\n  moved: \"twice\"\n"),
    );
    let o = home.run(&["lock", "--update", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        read_lock(&app).dependency("auth").map(|e| e.digest.clone()),
        Some(d3.clone())
    );

    // Now the push goes through, with pacto.lock inside the bundle.
    let o = home.run(&["push", &app_ref, "-p", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let pulled = home.path().join("pulled");
    let o = home.run(&["pull", &app_ref, "-o", &pulled.display().to_string()]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read(pulled.join("pacto.lock")).ok(),
        std::fs::read(app.join("pacto.lock")).ok(),
        "the pushed bundle carries the lock"
    );
    // A registry root's graph resolves through the lock inside its bundle, even after
    // the dependency tag moves again.
    let d4 = push(
        &lib,
        &auth_tag,
        &contract("auth", "1.0.0", &[], "metadata:\n  moved: \"thrice\"\n"),
    );
    assert_ne!(d3, d4);
    assert!(graph_dep_ref(&home, &app_ref).ends_with(&format!("@{d3}")));
}

#[test]
fn reference_closure_is_pinned_transitively() {
    let Some(reg) = Registries::start("lock-refs") else {
        return;
    };
    let lib = library_client();
    let a = reg.anon.clone();
    // strict (a policy) refers on to base; cfg provides a configuration schema.
    let strict_ref = format!("oci://{a}/pol/strict:1.0.0");
    let base_ref = format!("oci://{a}/pol/base:1.0.0");
    let mut strict = contract(
        "strict",
        "1.0.0",
        &[],
        &format!("policy:\n  ref: {base_ref}\n"),
    );
    strict.insert("policy/schema.json", br#"{"type":"object"}"#.to_vec());
    let strict_d = push(&lib, &strict_ref, &strict);
    let base_bundle = |marker: &str| {
        let mut b = contract(
            "base",
            "1.0.0",
            &[],
            &format!("metadata:\n  m: \"{marker}\"\n"),
        );
        b.insert("policy/schema.json", br#"{"type":"object"}"#.to_vec());
        b
    };
    let base_d = push(&lib, &base_ref, &base_bundle("one"));
    let cfg_ref = format!("oci://{a}/cfg/provider:1.0.0");
    let mut cfg = contract("cfg", "1.0.0", &[], "");
    cfg.insert(
        "configuration/schema.json",
        br#"{"type":"object"}"#.to_vec(),
    );
    let cfg_d = push(&lib, &cfg_ref, &cfg);

    let home = Home::new();
    let app = home.path().join("app");
    write_bundle(
        &app,
        &contract(
            "app",
            "1.0.0",
            &[],
            &format!("policy:\n  ref: {strict_ref}\nconfiguration:\n  ref: {cfg_ref}\n"),
        ),
    );
    let app_s = app.display().to_string();
    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let lock = read_lock(&app);
    let got: Vec<(String, String, String, String, String)> = lock
        .references
        .iter()
        .map(|r| {
            (
                r.from.clone(),
                r.kind.clone(),
                r.name.clone(),
                r.reference.clone(),
                r.digest.clone(),
            )
        })
        .collect();
    let row = |f: &str, k: &str, r: &str, d: &str| {
        (
            f.to_string(),
            k.to_string(),
            "default".to_string(),
            r.to_string(),
            d.to_string(),
        )
    };
    assert_eq!(
        got,
        vec![
            row("", "config", &cfg_ref, &cfg_d),
            row("", "policy", &strict_ref, &strict_d),
            row(&format!("oci:{strict_d}"), "policy", &base_ref, &base_d),
        ]
    );

    // The transitive policy moves: caught, naming the reference and both digests.
    let base_d2 = push(&lib, &base_ref, &base_bundle("two"));
    let o = home.run(&["validate", &app_s]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let want = format!(
        "LOCK_DIGEST_MISMATCH: policy/default locked at {base_d} but resolves to {base_d2}"
    );
    assert!(stderr(&o).contains(&want), "{}", text(&o));
    let o = home.run(&["lock", "--update", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", "--check", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
}
