//! The real `pacto` binary against real registries (`e2e/registry.sh`): push, pull,
//! login/logout, the cache and its tag TTL, hostile artifacts, a stopped registry,
//! policy and configuration refs.

use pacto_e2e_support::pacto_cli as support;

use pacto_oci::artifact::{
    self, DOCKER_CONFIG_MEDIA_TYPE, LAYER_MEDIA_TYPE, OCI_CONFIG_MEDIA_TYPE,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::*;

fn write_bundle(dir: &Path, b: &pacto_core::Bundle) {
    for (p, data) in b.files() {
        let t = dir.join(p);
        std::fs::create_dir_all(t.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&t, data).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn push_pull_roundtrip_existing_tag_and_local_refs() {
    let Some(reg) = Registries::start("roundtrip") else {
        return;
    };
    let home = Home::new();
    let src = home.path().join("src");
    let init = home
        .cmd()
        .current_dir(home.path())
        .args(["init", "src"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(init.status.success(), "{}", text(&init));
    let r = format!("oci://{}/acme/src", reg.anon);
    let src_s = s(&src);

    // Untagged: the service version becomes the tag.
    let o = home.run(&["push", &r, "-p", &src_s]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        out.starts_with(&format!("Pushed src@0.1.0 -> {r}:0.1.0\nDigest: sha256:")),
        "{out}"
    );
    let digest = out
        .lines()
        .nth(1)
        .unwrap_or_default()
        .trim_start_matches("Digest: ")
        .to_string();

    // Existing tag without --force: warning on stderr, exit 0, JSON says not pushed.
    let o = home.run(&["push", &r, "-p", &src_s, "--output-format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Warning: artifact already exists") && err.contains("--force"),
        "{err}"
    );
    let j = json(&o);
    assert_eq!(j["pushed"], false);
    assert_eq!(j["digest"], digest.as_str());

    // --force: same bundle, same digest.
    let tagged = format!("{r}:0.1.0");
    let o = home.run(&[
        "push",
        &tagged,
        "-p",
        &src_s,
        "--force",
        "--output-format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let j = json(&o);
    assert_eq!(j["digest"], digest.as_str());
    assert_eq!(j["name"], "src");
    assert_eq!(j["version"], "0.1.0");
    assert_eq!(j["ref"], tagged.as_str());
    assert_eq!(j["pushed"], true);

    // Pull gives the same files (.pactoignore is not shipped) and the same digest.
    let out_dir = home.path().join("pulled");
    let o = home.run(&["pull", &r, "-o", &s(&out_dir), "--output-format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(json(&o)["digest"], digest.as_str());
    for f in [
        "pacto.yaml",
        "interfaces/openapi.yaml",
        "configuration/schema.json",
    ] {
        assert_eq!(
            std::fs::read(out_dir.join(f)).ok(),
            std::fs::read(src.join(f)).ok(),
            "{f}"
        );
    }
    assert!(!out_dir.join(".pactoignore").exists());
    // The same bundle again into the same directory: fine. Into a foreign one: refused.
    let o = home.run(&["pull", &r, "-o", &s(&out_dir)]);
    assert!(o.status.success(), "{}", text(&o));
    // (The source directory holds the same bundle, so it counts as up to date.)
    let o = home.run(&["pull", &r, "-o", &src_s]);
    assert!(o.status.success(), "{}", text(&o));
    let foreign = home.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(foreign.join("notes.txt"), b"mine").unwrap_or_else(|e| panic!("{e}"));
    let o = home.run(&["pull", &r, "-o", &s(&foreign)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        std::fs::read(foreign.join("notes.txt")).ok(),
        Some(b"mine".to_vec())
    );
    assert!(!foreign.join("pacto.yaml").exists());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not empty"),
        "{}",
        text(&o)
    );
    // Default directory: the service name, in the working directory.
    let cwd = home.path().join("cwd");
    std::fs::create_dir_all(&cwd).unwrap_or_else(|e| panic!("{e}"));
    let o = home
        .cmd()
        .current_dir(&cwd)
        .args(["pull", &r])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("Pulled src@0.1.0 -> src/"),
        "{}",
        text(&o)
    );
    assert!(cwd.join("src/pacto.yaml").is_file());

    // validate / explain / graph / diff accept the oci:// ref.
    for args in [
        vec!["validate", r.as_str()],
        vec!["explain", r.as_str()],
        vec!["graph", r.as_str()],
        vec!["diff", r.as_str(), src_s.as_str()],
    ] {
        let o = home.run(&args);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
    }

    // Local dependency and local policy refs are refused; nothing is pushed.
    let localdep = format!("oci://{}/acme/localdep", reg.anon);
    for (i, extra) in [
        "dependencies:\n  - ref: ../other\n    compatibility: \"^1\"\n",
        "policies:\n  - name: p\n    ref: file://../policy\n",
    ]
    .iter()
    .enumerate()
    {
        let dir = home.path().join(format!("local-{i}"));
        write_bundle(&dir, &contract("localdep", "1.0.0", &[], extra));
        let o = home.run(&["push", &localdep, "-p", &s(&dir)]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("local dependency detected"),
            "{}",
            text(&o)
        );
    }
    let o = home.run(&["pull", &localdep, "-o", &s(&home.path().join("x"))]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // A file:// dependency cannot be hidden behind --set (or a values file): push refuses
    // overrides, so what was validated is what would be published; nothing is pushed.
    let hidden = format!("oci://{}/acme/hidden", reg.anon);
    let dir = home.path().join("hidden");
    write_bundle(
        &dir,
        &contract(
            "hidden",
            "1.0.0",
            &[],
            "dependencies:\n  - ref: file://../other\n    compatibility: \"^1\"\n",
        ),
    );
    let values = home.path().join("values.yaml");
    std::fs::write(
        &values,
        format!("dependencies:\n  - ref: {r}\n    compatibility: \"^1\"\n"),
    )
    .unwrap();
    for over in [
        vec!["--set".to_string(), format!("dependencies[0].ref={r}")],
        vec!["-f".to_string(), s(&values)],
    ] {
        let mut args = vec!["push".to_string(), hidden.clone(), "-p".into(), s(&dir)];
        args.extend(over);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = home.run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--set are refused"),
            "{}",
            text(&o)
        );
    }
    let o = home.run(&["pull", &hidden, "-o", &s(&home.path().join("h"))]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // Not an oci:// ref: usage error.
    let o = home.run(&["push", "ghcr.io/acme/x", "-p", &src_s]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn login_logout_and_authentication_errors() {
    let Some(reg) = Registries::start("login") else {
        return;
    };
    let home = Home::new();
    let login = |pass: &str| {
        let mut child = home
            .cmd()
            .args(["login", &reg.auth, "-u", &reg.user, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(mut stdin) = child.stdin.take() {
            let _ = writeln!(stdin, "{pass}");
        }
        child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
    };
    let config = home.path().join("config/pacto/config.json");

    let o = login("wrong");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("authentication failed"),
        "{}",
        text(&o)
    );
    assert!(!config.exists(), "bad credentials must not be saved");

    let o = login(&reg.pass);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("Login succeeded for {}\n", reg.auth)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o600);
    }

    // The saved login is used.
    let dir = home.path().join("svc");
    write_bundle(&dir, &contract("secure", "1.0.0", &[], ""));
    let r = format!("oci://{}/secure/svc", reg.auth);
    let o = home.run(&["push", &r, "-p", &s(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&["validate", &r, "--no-cache"]);
    assert!(o.status.success(), "{}", text(&o));

    // A wrong password in the environment wins over the file and fails clearly.
    let o = home
        .cmd()
        .args([
            "pull",
            &format!("{r}:1.0.0"),
            "-o",
            &s(&home.path().join("o")),
        ])
        .env("PACTO_REGISTRY_USERNAME", &reg.user)
        .env("PACTO_REGISTRY_PASSWORD", "wrong")
        .env("PACTO_NO_CACHE", "1")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("authentication failed") && err.contains(&format!("pacto login {}", reg.auth)),
        "{err}"
    );

    let o = home.run(&["logout", &reg.auth]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("Removed credentials for {}\n", reg.auth)
    );
    let o = home.run(&["pull", &r, "--no-cache", "-o", &s(&home.path().join("o2"))]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("pacto login"),
        "{}",
        text(&o)
    );
}

#[test]
fn cache_serves_pinned_refs_offline_and_picks_up_force_pushed_tags_after_the_ttl() {
    let Some(reg) = Registries::start("ttl") else {
        return;
    };
    let lib = library_client();
    let r = format!("oci://{}/acme/moving:1.0.0", reg.anon);
    let d1 = push(&lib, &r, &contract("moving", "1.0.0", &[], ""));

    // Two processes filling the same empty cache at once: both fine, entry intact.
    let reader = Home::new();
    let kids: Vec<_> = (0..2)
        .map(|_| {
            reader
                .cmd()
                .args(["explain", &r])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    for k in kids {
        let o = k.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", text(&o));
    }
    let entry = reader
        .cache()
        .join("pacto/blobs/sha256")
        .join(d1.trim_start_matches("sha256:"));
    assert!(entry.join("bundle.tar.gz").is_file() && entry.join("meta.json").is_file());

    // Someone else force-pushes the tag with new content.
    let mut changed = contract("moving", "1.0.0", &[], "");
    changed.insert(
        "interfaces/openapi.yaml",
        b"openapi: 3.0.0\ninfo: {title: changed, version: '2'}\npaths: {}\n".to_vec(),
    );
    let d2 = push(&lib, &r, &changed);
    assert_ne!(d1, d2);
    let mut n = 0;
    let mut pulled_digest = |extra: &[&str], ttl: &str| {
        n += 1;
        let out = s(&reader.path().join(format!("pull-{n}")));
        let mut args = vec!["pull", r.as_str(), "--output-format", "json", "-o", &out];
        args.extend(extra);
        let o = reader
            .cmd()
            .args(&args)
            .env("PACTO_TAG_TTL_SECONDS", ttl)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", text(&o));
        json(&o)["digest"].as_str().unwrap_or_default().to_string()
    };
    // Within a long TTL the cached answer is served; past a short one the new digest is.
    assert_eq!(pulled_digest(&[], "3600"), d1);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(pulled_digest(&[], "1"), d2);
    // --no-cache always asks the registry.
    push(&lib, &r, &contract("moving", "1.0.0", &[], ""));
    assert_eq!(pulled_digest(&["--no-cache"], "3600"), d1);

    // A corrupted entry is detected and refetched.
    std::fs::write(entry.join("bundle.tar.gz"), b"garbage").unwrap_or_else(|e| panic!("{e}"));
    let pinned = format!("oci://{}/acme/moving@{d1}", reg.anon);
    let o = reader.run(&["validate", &pinned]);
    assert!(o.status.success(), "{}", text(&o));
    assert_ne!(
        std::fs::read(entry.join("bundle.tar.gz")).ok(),
        Some(b"garbage".to_vec())
    );

    // Registry gone: a cached digest-pinned ref still works (no network); an uncached
    // read fails with a clear error, and returns.
    reg.stop();
    let o = reader.run(&["validate", &pinned]);
    assert!(o.status.success(), "{}", text(&o));
    let mut child = reader
        .cmd()
        .args(["validate", &r, "--no-cache"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("pacto hung against a stopped registry");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("registry unreachable"),
        "{}",
        text(&o)
    );
}

/// A gzip tar with one entry whose raw header name is `name` (bypassing the tar crate's
/// checks, as an attacker would).
fn raw_tar_gz(name: &str, kind: tar::EntryType, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    let mut t = header.as_bytes().to_vec();
    t.extend_from_slice(data);
    t.resize(t.len().div_ceil(512) * 512, 0);
    t.extend_from_slice(&[0u8; 1024]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(&t);
    gz.finish().unwrap_or_default()
}

/// A small layer that decompresses far past the limits (64 MiB of zeros in one file).
fn gzip_bomb() -> Vec<u8> {
    let size: u64 = 64 * 1024 * 1024;
    let mut header = tar::Header::new_gnu();
    let _ = header.set_path("pacto.yaml");
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(header.as_bytes());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..(size >> 20) {
        let _ = gz.write_all(&zeros);
    }
    let _ = gz.write_all(&[0u8; 1024]);
    gz.finish().unwrap_or_default()
}

type Layers<'a> = Vec<(Vec<u8>, &'a str)>;

fn push_crafted(
    reg: &pacto_oci::BlockingRegistry,
    r: &str,
    config_mt: &str,
    layers: &Layers,
    lie: bool,
) {
    let config =
        br#"{"architecture":"","os":"","config":{"Labels":{"io.pacto.name":"x"}}}"#.to_vec();
    let cd = artifact::sha256_digest(&config);
    let mut blobs = vec![(config.clone(), cd.clone())];
    let mut descs = Vec::new();
    for (i, (data, mt)) in layers.iter().enumerate() {
        let d = artifact::sha256_digest(data);
        blobs.push((data.clone(), d.clone()));
        let declared = if i == 0 && lie {
            let other = b"another blob".to_vec();
            let od = artifact::sha256_digest(&other);
            blobs.push((other, od.clone()));
            od
        } else {
            d
        };
        descs.push(serde_json::json!({"mediaType": mt, "digest": declared, "size": data.len()}));
    }
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": artifact::OCI_MANIFEST_MEDIA_TYPE,
        "config": {"mediaType": config_mt, "digest": cd, "size": config.len()},
        "layers": descs,
    }))
    .unwrap_or_default();
    let refs: Vec<(&Vec<u8>, &String)> = blobs.iter().map(|(d, g)| (d, g)).collect();
    let target = oref(r);
    reg.block_on(reg.registry().client().push_raw(
        &target,
        &refs,
        &manifest,
        artifact::OCI_MANIFEST_MEDIA_TYPE,
    ))
    .unwrap_or_else(|e| panic!("{r}: {e}"));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            out.push(p.clone());
            if p.is_dir() {
                out.extend(walk(&p));
            }
        }
    }
    out
}

#[test]
fn hostile_artifacts_are_refused_and_nothing_is_written() {
    let Some(reg) = Registries::start("hostile") else {
        return;
    };
    let lib = library_client();
    let home = Home::new();
    let good = contract("legacy", "0.9.0", &[], "")
        .to_tar_gz()
        .unwrap_or_default();

    // What the Go CLI pushes (Docker image config media type) pulls.
    let legacy = format!("oci://{}/legacy/svc:0.9.0", reg.anon);
    push_crafted(
        &lib,
        &legacy,
        DOCKER_CONFIG_MEDIA_TYPE,
        &vec![(good.clone(), LAYER_MEDIA_TYPE)],
        false,
    );
    let o = home.run(&["pull", &legacy, "-o", &s(&home.path().join("legacy"))]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(home.path().join("legacy/pacto.yaml").is_file());

    let no_contract = raw_tar_gz("readme.md", tar::EntryType::Regular, b"hi");
    let traversal = raw_tar_gz("../escape.txt", tar::EntryType::Regular, b"x");
    let symlink = raw_tar_gz("pacto.yaml", tar::EntryType::Symlink, b"");
    let cases: Vec<(&str, Layers, bool, &str)> = vec![
        (
            "traversal",
            vec![(traversal, LAYER_MEDIA_TYPE)],
            false,
            "unsafe path",
        ),
        (
            "symlink",
            vec![(symlink, LAYER_MEDIA_TYPE)],
            false,
            "symbolic link",
        ),
        (
            "bomb",
            vec![(gzip_bomb(), LAYER_MEDIA_TYPE)],
            false,
            "limit",
        ),
        (
            "twolayers",
            vec![
                (good.clone(), LAYER_MEDIA_TYPE),
                (no_contract.clone(), LAYER_MEDIA_TYPE),
            ],
            false,
            "2 layers",
        ),
        (
            "mismatch",
            vec![(good.clone(), LAYER_MEDIA_TYPE)],
            true,
            "mismatch",
        ),
        (
            "nocontract",
            vec![(no_contract, LAYER_MEDIA_TYPE)],
            false,
            "pacto.yaml",
        ),
    ];
    let out_root = home.path().join("out");
    std::fs::create_dir_all(&out_root).unwrap_or_else(|e| panic!("{e}"));
    for (name, layers, lie, needle) in cases {
        let r = format!("oci://{}/hostile/{name}:1", reg.anon);
        push_crafted(&lib, &r, OCI_CONFIG_MEDIA_TYPE, &layers, lie);
        let target = out_root.join(name).join("deep");
        let o = home.run(&["pull", &r, "-o", &s(&target)]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(needle) && err.contains(&format!("hostile/{name}")),
            "{name}: {err}"
        );
        assert!(!target.exists(), "{name}: target written");
    }
    let leftovers: Vec<_> = walk(home.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("pacto-pull") || p.ends_with("escape.txt"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!std::env::temp_dir().join("escape.txt").exists());
}

#[test]
fn policy_and_configuration_refs_are_resolved_with_cycle_detection() {
    let Some(reg) = Registries::start("policy") else {
        return;
    };
    let lib = library_client();
    let home = Home::new();
    let a = reg.anon.clone();

    // A policy contract: its policy/schema.json demands port 9000 and it refers on to a
    // base policy that demands an owner.
    let mut strict = contract(
        "strict-policy",
        "1.0.0",
        &[],
        &format!("policy:\n  ref: oci://{a}/pol/base:1.0.0\n"),
    );
    strict.insert(
        "policy/schema.json",
        br#"{"properties":{"interfaces":{"items":{"properties":{"port":{"const":9000}}}}}}"#
            .to_vec(),
    );
    push(&lib, &format!("oci://{a}/pol/strict:1.0.0"), &strict);
    let mut base = contract("base-policy", "1.0.0", &[], "");
    base.insert(
        "policy/schema.json",
        br#"{"properties":{"service":{"required":["owner"]}}}"#.to_vec(),
    );
    push(&lib, &format!("oci://{a}/pol/base:1.0.0"), &base);
    // A cycle: a -> b -> a.
    push(
        &lib,
        &format!("oci://{a}/pol/cyc-a:1.0.0"),
        &contract(
            "cyc-a",
            "1.0.0",
            &[],
            &format!("policy:\n  ref: oci://{a}/pol/cyc-b:1.0.0\n"),
        ),
    );
    push(
        &lib,
        &format!("oci://{a}/pol/cyc-b:1.0.0"),
        &contract(
            "cyc-b",
            "1.0.0",
            &[],
            &format!("policy:\n  ref: oci://{a}/pol/cyc-a:1.0.0\n"),
        ),
    );
    // A configuration provider.
    let mut cfg = contract("cfg", "1.0.0", &[], "");
    cfg.insert(
        "configuration/schema.json",
        br#"{"type":"object"}"#.to_vec(),
    );
    push(&lib, &format!("oci://{a}/cfg/provider:1.0.0"), &cfg);

    let check = |name: &str, extra: String| {
        let dir = home.path().join(name);
        write_bundle(&dir, &contract(name, "1.0.0", &[], &extra));
        let o = home.run(&["validate", &s(&dir), "--output-format", "json"]);
        (o.status.code(), json(&o))
    };
    let codes = |j: &serde_json::Value| -> Vec<String> {
        j["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str().map(str::to_string))
            .collect()
    };

    let (code, j) = check(
        "violates",
        format!("policy:\n  ref: oci://{a}/pol/strict:1.0.0\n"),
    );
    assert_eq!(code, Some(1), "{j}");
    assert!(codes(&j).contains(&"POLICY_VIOLATION".to_string()), "{j}");

    let (code, j) = check(
        "cycle",
        format!("policy:\n  ref: oci://{a}/pol/cyc-a:1.0.0\n"),
    );
    assert_eq!(code, Some(1), "{j}");
    assert!(codes(&j).contains(&"POLICY_REF_CYCLE".to_string()), "{j}");

    let (code, j) = check(
        "missing",
        format!("policy:\n  ref: oci://{a}/pol/nothing:1.0.0\n"),
    );
    assert_eq!(code, Some(1), "{j}");
    assert!(
        codes(&j).contains(&"POLICY_REF_UNRESOLVED".to_string()),
        "{j}"
    );

    let (code, j) = check(
        "cfg-ok",
        format!("configuration:\n  ref: oci://{a}/cfg/provider:1.0.0\n"),
    );
    assert_eq!(code, Some(0), "{j}");
    let (code, j) = check(
        "cfg-bad",
        format!("configuration:\n  ref: oci://{a}/pol/base:1.0.0\n"),
    );
    assert_eq!(code, Some(1), "{j}");
    assert!(
        codes(&j).contains(&"CONFIG_REF_UNRESOLVED".to_string()),
        "{j}"
    );

    // A contract meeting both chained policies validates; push enforces them too.
    let dir = home.path().join("complies");
    let mut ok = contract(
        "complies",
        "1.0.0",
        &[],
        &format!("policy:\n  ref: oci://{a}/pol/strict:1.0.0\n"),
    );
    let y = ok
        .read_str("pacto.yaml")
        .unwrap_or_default()
        .replace("port: 8080", "port: 9000");
    ok.insert("pacto.yaml", y.into_bytes());
    write_bundle(&dir, &ok);
    let o = home.run(&["validate", &s(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = home.run(&[
        "push",
        &format!("oci://{a}/svc/violates"),
        "-p",
        &s(&home.path().join("violates")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = home.run(&["push", &format!("oci://{a}/svc/complies"), "-p", &s(&dir)]);
    assert!(o.status.success(), "{}", text(&o));
}
