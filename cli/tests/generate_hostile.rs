//! `pacto generate` against hostile plugins (shell scripts on a private PATH): every
//! refusal names the plugin and the reason, exits 1, and writes nothing in the output dir.
//! Plus discovery, the request as sent, the environment allowlist and a happy answer.

mod plugin_support;

use plugin_support::{World, answer};
use std::time::{Duration, Instant};

/// Runs `generate <name> bundle -o out` and checks the refusal.
fn refused(w: &World, name: &str, env: &[(&str, &str)]) -> String {
    let r = w.pacto(&["generate", name, "bundle", "-o", "out"], env);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr.starts_with(&format!("Error: plugin {name}")),
        "{}",
        r.stderr
    );
    assert!(
        !w.path("out").exists(),
        "out exists: {:?}",
        w.entries("out")
    );
    // No staging directory left beside it.
    assert!(
        w.entries("")
            .iter()
            .all(|n| !n.starts_with(".pacto-generate")),
        "{:?}",
        w.entries("")
    );
    r.stderr
}

#[test]
fn traversal_paths_are_refused_before_anything_is_written() {
    let w = World::new();
    w.plugin(
        "evil",
        &answer(
            r#"{"files":[{"path":"ok.txt","content":"fine"},{"path":"sub/../../escape.txt","content":"x"}]}"#,
        ),
    );
    let err = refused(&w, "evil", &[]);
    assert!(
        err.contains("\"sub/../../escape.txt\" contains a '..' component"),
        "{err}"
    );
    assert!(!w.path("escape.txt").exists());
}

#[test]
fn absolute_paths_are_refused() {
    let w = World::new();
    let target = w.path("abs.txt");
    w.plugin(
        "abs",
        &answer(&format!(
            r#"{{"files":[{{"path":"a.txt","content":"x"}},{{"path":"{}","content":"x"}}]}}"#,
            target.display()
        )),
    );
    let err = refused(&w, "abs", &[]);
    assert!(err.contains("is absolute"), "{err}");
    assert!(!target.exists());
}

#[test]
fn empty_dot_and_nul_paths_are_refused() {
    for (i, path) in ["", ".", "a\\u0000b"].iter().enumerate() {
        let w = World::new();
        let name = format!("p{i}");
        w.plugin(
            &name,
            &answer(&format!(
                r#"{{"files":[{{"path":"{path}","content":"x"}}]}}"#
            )),
        );
        let err = refused(&w, &name, &[]);
        assert!(err.contains("refused its answer: file path"), "{err}");
    }
}

#[test]
fn a_symlink_inside_the_output_dir_is_never_followed() {
    let w = World::new();
    std::fs::create_dir_all(w.path("out")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(w.path("outside")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(w.path("outside"), w.path("out/link"))
        .unwrap_or_else(|e| panic!("{e}"));
    w.plugin(
        "sly",
        &answer(
            r#"{"files":[{"path":"first.txt","content":"x"},{"path":"link/pwned.txt","content":"x"}]}"#,
        ),
    );
    let r = w.pacto(&["generate", "sly", "bundle", "-o", "out"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("Error: plugin sly"), "{}", r.stderr);
    assert!(
        r.stderr.contains("goes through the symlink"),
        "{}",
        r.stderr
    );
    assert!(w.entries("outside").is_empty());
    // The pre-existing directory keeps only what it had.
    assert_eq!(w.entries("out"), vec!["link"]);
}

#[test]
fn oversize_output_is_refused_while_it_streams() {
    let w = World::new();
    w.plugin("big", "head -c 5000 /dev/zero | tr '\\0' a");
    let err = refused(&w, "big", &[("PACTO_PLUGIN_MAX_OUTPUT", "1000")]);
    assert!(
        err.contains("plugin big: output exceeded 1000 bytes"),
        "{err}"
    );
    // Endless output at the real cap: refused by the cap, long before the timeout.
    w.plugin("endless", "yes");
    let err = refused(&w, "endless", &[("PACTO_PLUGIN_TIMEOUT_MS", "60000")]);
    assert!(
        err.contains("plugin endless: output exceeded 67108864 bytes"),
        "{err}"
    );
}

#[test]
fn invalid_json_is_named() {
    let w = World::new();
    w.plugin("garbage", &answer("this is not json"));
    let err = refused(&w, "garbage", &[]);
    assert!(
        err.starts_with("Error: plugin garbage returned invalid output: "),
        "{err}"
    );
    w.plugin("shape", &answer(r#"{"files":[{"path":"a"}]}"#));
    let err = refused(&w, "shape", &[]);
    assert!(err.contains("missing field `content`"), "{err}");
}

#[test]
fn a_failing_plugin_shows_a_bounded_sanitised_stderr_tail() {
    let w = World::new();
    w.plugin(
        "loud",
        "cat >/dev/null\nhead -c 200000 /dev/zero | tr '\\0' x >&2\nprintf '\\n\\033[31mFINAL reason\\n' >&2\nexit 3",
    );
    let err = refused(&w, "loud", &[]);
    assert!(err.contains("FINAL reason"), "{err}");
    assert!(!err.contains('\u{1b}'), "escape kept: {err:?}");
    assert!(err.len() < 5000, "{} bytes", err.len());
    assert!(err.contains("of 200019 bytes]"), "{}", &err[..200]);
    w.plugin("quiet", "exit 4");
    let err = refused(&w, "quiet", &[]);
    assert_eq!(err, "Error: plugin quiet: exit status 4\n");
}

#[test]
fn a_plugin_that_never_exits_is_killed_with_its_children() {
    let w = World::new();
    let pidfile = w.path("child.pid");
    w.plugin(
        "slow",
        &format!("sleep 300 &\necho $! > {}\nwait", pidfile.display()),
    );
    let start = Instant::now();
    let err = refused(&w, "slow", &[("PACTO_PLUGIN_TIMEOUT_MS", "700")]);
    assert_eq!(err, "Error: plugin slow: timed out after 700ms\n");
    // Not a timing test: the bound only proves pacto did not wait for `sleep 300` (its
    // output pipes would stay open that long), with room for a loaded CI machine.
    assert!(
        start.elapsed() < Duration::from_secs(150),
        "{:?}",
        start.elapsed()
    );
    let pid = std::fs::read_to_string(&pidfile).unwrap_or_default();
    let pid = pid.trim();
    assert!(!pid.is_empty());
    // Killed (a zombie until init reaps it at most).
    std::thread::sleep(Duration::from_millis(200));
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(
        state.is_empty() || state.contains(") Z"),
        "background child still alive: {state}"
    );
}

#[test]
fn plugins_are_found_on_path_then_in_the_config_dir() {
    let w = World::new();
    let r = w.pacto(&["generate", "nope", "bundle"], &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: plugin \"nope\" not found (looked for pacto-plugin-nope in $PATH and ~/.config/pacto/plugins/)\n"
    );
    let r = w.pacto(&["generate", "../bin/x", "bundle"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // ~/.config/pacto/plugins/, then $XDG_CONFIG_HOME/pacto/plugins/.
    let body = answer(r#"{"files":[]}"#);
    w.write(
        ".config/pacto/plugins/pacto-plugin-cfg",
        &format!("#!/bin/sh\n{body}\n"),
    );
    w.write(
        "xdg/pacto/plugins/pacto-plugin-xdg",
        &format!("#!/bin/sh\n{body}\n"),
    );
    for f in [
        ".config/pacto/plugins/pacto-plugin-cfg",
        "xdg/pacto/plugins/pacto-plugin-xdg",
    ] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(w.path(f), std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let r = w.pacto(&["generate", "cfg", "bundle", "-o", "o1"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "Generated 0 file(s) using cfg in o1\n");
    let xdg = w.path("xdg").display().to_string();
    let r = w.pacto(
        &["generate", "xdg", "bundle", "-o", "o2"],
        &[("XDG_CONFIG_HOME", &xdg)],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_request_the_env_allowlist_and_a_happy_answer() {
    let w = World::new();
    let dump = w.path("dump");
    std::fs::create_dir_all(&dump).unwrap_or_else(|e| panic!("{e}"));
    w.plugin(
        "spy",
        &format!(
            "cat > {d}/request.json\nenv > {d}/env.txt\ncat <<'EOF'\n{{\"files\":[{{\"path\":\"README.md\",\"content\":\"# orders\\n\"}},{{\"path\":\"./deep/er/x.txt\",\"content\":\"x\"}}],\"message\":\"Generated README for orders\"}}\nEOF",
            d = dump.display()
        ),
    );
    let secrets = [
        ("PACTO_REGISTRY_USERNAME", "u"),
        ("PACTO_REGISTRY_PASSWORD", "hunter2"),
        ("PACTO_REGISTRY_TOKEN", "tok"),
        ("DOCKER_CONFIG", "/secret/docker"),
        ("GITHUB_TOKEN", "ghp_x"),
        ("AWS_SECRET_ACCESS_KEY", "aws"),
        ("TZ", "UTC"),
    ];
    let r = w.pacto(
        &[
            "generate",
            "spy",
            "bundle",
            "--option",
            "title=Orders=API",
            "--option",
            "x=",
            "--set",
            "service.version=2.0.0",
            "-o",
            "gen",
        ],
        &secrets,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Generated 2 file(s) using spy in gen\nGenerated README for orders\n"
    );
    assert_eq!(
        std::fs::read_to_string(w.path("gen/README.md")).unwrap_or_default(),
        "# orders\n"
    );
    assert!(w.path("gen/deep/er/x.txt").is_file());
    let req: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dump.join("request.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        req,
        serde_json::json!({
            "protocolVersion": "1",
            "contract": {"pactoVersion": "2.0", "service": {"name": "orders", "version": "2.0.0"}, "workload": "service"},
            "bundleDir": "bundle",
            "outputDir": "gen",
            "options": {"title": "Orders=API", "x": ""}
        })
    );
    let env = std::fs::read_to_string(dump.join("env.txt")).unwrap_or_default();
    for (k, _) in &secrets[..6] {
        assert!(!env.contains(k), "{k} reached the plugin:\n{env}");
    }
    for k in ["PATH=", "HOME=", "LANG=C.UTF-8", "TZ=UTC"] {
        assert!(env.lines().any(|l| l.starts_with(k)), "{k} missing:\n{env}");
    }
    // JSON result; no options means no "options" key; the default output dir.
    let r = w.pacto(
        &["--output-format", "json", "generate", "spy", "bundle"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v,
        serde_json::json!({"plugin": "spy", "outputDir": "spy-output", "filesCount": 2, "message": "Generated README for orders"})
    );
    let req = std::fs::read_to_string(dump.join("request.json")).unwrap_or_default();
    assert!(!req.contains("\"options\""), "{req}");
    assert!(w.path("spy-output/README.md").is_file());
    // A contract that does not parse never reaches the plugin.
    std::fs::remove_file(dump.join("request.json")).unwrap_or_else(|e| panic!("{e}"));
    w.write("bad/pacto.yaml", "pactoVersion: \"9\"\n");
    let r = w.pacto(&["generate", "spy", "bad", "-o", "never"], &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("UNSUPPORTED_PACTO_VERSION"),
        "{}",
        r.stderr
    );
    assert!(!dump.join("request.json").exists() && !w.path("never").exists());
    // --option without '=' is a usage error.
    let r = w.pacto(&["generate", "spy", "bundle", "--option", "novalue"], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
