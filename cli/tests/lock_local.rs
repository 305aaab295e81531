//! `pacto lock` over local dependencies (no registry): content-hash pins, drift and
//! staleness seen by `validate`, `--check` exit codes, malformed locks, and the lock
//! shipped in (or kept out of) a packed bundle.

use pacto_core::bundle::{Bundle, Limits};
use pacto_core::lock::Lock;
use pacto_core::lock::hash::content_hash;
use pacto_e2e_support::pacto_cli::{Home, contract, text};
use std::io::Read;
use std::path::Path;

fn write_bundle(dir: &Path, b: &Bundle) {
    for (p, data) in b.files() {
        let t = dir.join(p);
        std::fs::create_dir_all(t.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&t, data).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// `app` depending on the local `../lib` with `^1.0.0`.
fn setup(home: &Home, range: &str) -> (String, std::path::PathBuf) {
    let lib = home.path().join("lib");
    let app = home.path().join("app");
    write_bundle(&lib, &contract("lib", "1.0.0", &[], ""));
    write_bundle(
        &app,
        &contract("app", "2.0.0", &[("../lib".into(), range.into())], ""),
    );
    (app.display().to_string(), lib)
}

#[test]
fn local_pins_drift_staleness_and_check() {
    let home = Home::new();
    let (app, lib) = setup(&home, "^1.0.0");
    let lock_path = Path::new(&app).join("pacto.lock");

    let o = home.run(&["lock", "--check", &app]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("LOCK_MISSING"), "{}", text(&o));
    assert!(!lock_path.exists());

    let o = home.run(&["lock", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let lock = Lock::parse(&std::fs::read(&lock_path).unwrap_or_default()).expect("our lock");
    assert_eq!(lock.lock_version, 3);
    assert_eq!(
        (lock.root.name.as_str(), lock.root.version.as_str()),
        ("app", "2.0.0")
    );
    let e = lock.dependency("lib").expect("lib pinned");
    assert_eq!((e.source.as_str(), e.path.as_str()), ("local", "../lib"));
    assert_eq!(e.constraint, "^1.0.0");
    assert_eq!(e.version, "1.0.0");
    let bundle = Bundle::from_dir(&lib, &Limits::default()).expect("lib");
    assert_eq!(e.content_hash, content_hash(&bundle));
    assert!(e.digest.is_empty() && e.reference.is_empty());

    let o = home.run(&["lock", "--check", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["validate", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["diff", &app, &app]);
    assert!(o.status.success(), "{}", text(&o));
    // A second plain run leaves a consistent lock byte for byte.
    let before = std::fs::read(&lock_path).unwrap_or_default();
    let o = home.run(&["lock", &app]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(std::fs::read(&lock_path).unwrap_or_default(), before);

    // The local dependency changes: LOCK_LOCAL_DRIFT from validate and --check.
    std::fs::write(lib.join("notes.md"), b"changed").unwrap_or_else(|e| panic!("{e}"));
    let o = home.run(&["validate", &app]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = stderr(&o);
    assert!(err.contains("ERROR [LOCK_LOCAL_DRIFT]"), "{err}");
    assert_eq!(err.matches("ERROR [").count(), 1, "a single error: {err}");
    let o = home.run(&["lock", "--check", &app]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("LOCK_LOCAL_DRIFT"), "{}", text(&o));
    // diff verifies a side's lock too, naming the side.
    let o = home.run(&["diff", &app, &app]);
    assert!(!o.status.success(), "{}", text(&o));
    let err = stderr(&o);
    assert!(
        err.contains("LOCK_LOCAL_DRIFT") && err.contains(&app),
        "{err}"
    );
    let o = home.run(&["lock", "--update", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["validate", &app]);
    assert!(o.status.success(), "{}", text(&o));

    // The constraint changes in pacto.yaml: LOCK_STALE.
    write_bundle(
        Path::new(&app),
        &contract("app", "2.0.0", &[("../lib".into(), ">=1.0.0".into())], ""),
    );
    let o = home.run(&["validate", &app]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("ERROR [LOCK_STALE]"), "{}", text(&o));
    // --set applies to lock as to validate: with the old range back, the lock matches.
    let o = home.run(&[
        "lock",
        "--check",
        &app,
        "--set",
        "dependencies[0].compatibility=^1.0.0",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["validate", &app]);
    assert!(o.status.success(), "{}", text(&o));

    // An older lockVersion is stale.
    let text_now = std::fs::read_to_string(&lock_path).unwrap_or_default();
    std::fs::write(
        &lock_path,
        text_now.replace("lockVersion: 3", "lockVersion: 2"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = home.run(&["validate", &app]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("LOCK_STALE"), "{}", text(&o));
}

#[test]
fn malformed_lock_is_lock_error_everywhere() {
    let home = Home::new();
    let (app, _) = setup(&home, "^1.0.0");
    let lock_path = Path::new(&app).join("pacto.lock");
    for (what, bytes) in [
        ("bad yaml", b"lockVersion: [\n".to_vec()),
        (
            "wrong shape",
            b"lockVersion: 3\ndependencies: {a: 1}\n".to_vec(),
        ),
        ("future", b"lockVersion: 42\n".to_vec()),
        ("too big", vec![b'#'; 1024 * 1024 + 10]),
    ] {
        std::fs::write(&lock_path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        for args in [
            vec!["validate", app.as_str()],
            vec!["graph", app.as_str()],
            vec!["lock", "--check", app.as_str()],
            vec!["lock", app.as_str()],
        ] {
            let o = home.run(&args);
            assert_eq!(o.status.code(), Some(1), "{what} {args:?}: {}", text(&o));
            assert!(
                stderr(&o).contains("LOCK_ERROR"),
                "{what} {args:?}: {}",
                text(&o)
            );
        }
    }
}

fn tar_entries(path: &Path) -> Vec<String> {
    let mut gz = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut gz))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(gz.as_slice()));
    for e in ar.entries().unwrap_or_else(|e| panic!("{e}")) {
        let e = e.unwrap_or_else(|e| panic!("{e}"));
        out.push(
            e.path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
    }
    out
}

#[test]
fn pack_ships_the_lock_unless_pactoignore_drops_it() {
    let home = Home::new();
    let (app, _) = setup(&home, "^1.0.0");
    let o = home.run(&["lock", &app]);
    assert!(o.status.success(), "{}", text(&o));
    let out = home.path().join("app.tar.gz");
    let out_s = out.display().to_string();
    let o = home.run(&["pack", &app, "-o", &out_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        tar_entries(&out).iter().any(|p| p == "pacto.lock"),
        "{:?}",
        tar_entries(&out)
    );
    std::fs::write(Path::new(&app).join(".pactoignore"), b"pacto.lock\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = home.run(&["pack", &app, "-o", &out_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!tar_entries(&out).iter().any(|p| p == "pacto.lock"));
}

#[test]
fn works_for_a_2_0_contract() {
    let home = Home::new();
    let lib = home.path().join("lib2");
    let app = home.path().join("app2");
    for (dir, yaml) in [
        (
            &lib,
            "pactoVersion: \"2.0\"\nservice:\n  name: lib2\n  version: 3.1.0\n",
        ),
        (
            &app,
            "pactoVersion: \"2.0\"\nservice:\n  name: app2\n  version: 1.0.0\n\
             dependencies:\n  - name: the-lib\n    ref: ../lib2\n    compatibility: ^3.0.0\n    required: true\n",
        ),
    ] {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("pacto.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
    }
    let app_s = app.display().to_string();
    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["lock", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    let lock =
        Lock::parse(&std::fs::read(app.join("pacto.lock")).unwrap_or_default()).expect("lock");
    // Entries are keyed by the resolved service's name, as the reference does.
    let e = lock
        .dependency("lib2")
        .unwrap_or_else(|| panic!("{lock:?}"));
    assert_eq!(
        (e.version.as_str(), e.constraint.as_str()),
        ("3.1.0", "^3.0.0")
    );
    let o = home.run(&["validate", &app_s]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::write(
        lib.join("pacto.yaml"),
        "pactoVersion: \"2.0\"\nservice:\n  name: lib2\n  version: 3.2.0\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = home.run(&["validate", &app_s]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("LOCK_LOCAL_DRIFT"), "{}", text(&o));
}
