//! Shared by the `pacto generate` tests: a bundle, shell-script plugins on a private PATH,
//! and a `pacto` run with a controlled environment.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct World {
    pub tmp: tempfile::TempDir,
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl World {
    /// A temp dir with `bundle/pacto.yaml` and an empty `bin/` for plugins.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let w = World { tmp };
        std::fs::create_dir_all(w.path("bin")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(w.path("bundle")).unwrap_or_else(|e| panic!("{e}"));
        w.write(
            "bundle/pacto.yaml",
            "pactoVersion: \"2.0\"\nservice:\n  name: orders\n  version: 1.0.0\nworkload: service\n",
        );
        w
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// `bin/pacto-plugin-<name>`: a `/bin/sh` script with `body`.
    pub fn plugin(&self, name: &str, body: &str) {
        let p = self.path(&format!("bin/pacto-plugin-{name}"));
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs `pacto` in the temp dir with PATH = bin/ + the system dirs, HOME = the temp
    /// dir, and `env` added.
    pub fn pacto(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let path = format!(
            "{}:{}:/usr/local/bin:/usr/bin:/bin",
            self.path("bin").display(),
            plugin_bin_dir().display()
        );
        let mut cmd = Command::new(pacto_bin());
        cmd.args(args)
            .current_dir(self.tmp.path())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.tmp.path())
            .env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("run pacto: {e}"));
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Names in a directory (empty when it does not exist).
    pub fn entries(&self, rel: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.path(rel))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

/// The binary under test: `$PACTO_TEST_BIN` when set (a copy taken right after the build,
/// for target directories shared by several checkouts), else cargo's.
pub fn pacto_bin() -> PathBuf {
    std::env::var_os("PACTO_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pacto")))
}

/// Where `pacto`'s sibling binaries are (`pacto-plugin-*` of the `pacto-plugins` crate).
/// They are built (once per test binary) when missing or stale: `cargo test --workspace`
/// already has them; `cargo test -p pacto-cli` gets them here. `$PACTO_TEST_PLUGIN_DIR`
/// overrides (see [`pacto_bin`]).
pub fn plugin_bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PACTO_TEST_PLUGIN_DIR") {
        return PathBuf::from(dir);
    }
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let dir = Path::new(env!("CARGO_BIN_EXE_pacto"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut args = vec!["build", "--quiet", "-p", "pacto-plugins", "--bins"];
        if dir.file_name().is_some_and(|n| n == "release") {
            args.push("--release");
        }
        let status = Command::new(cargo)
            .args(&args)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .status()
            .unwrap_or_else(|e| panic!("cargo build -p pacto-plugins: {e}"));
        assert!(status.success(), "cargo build -p pacto-plugins failed");
    });
    dir
}

/// A plugin body answering `json` (after reading its request).
pub fn answer(json: &str) -> String {
    format!("cat >/dev/null\ncat <<'PACTO_EOF'\n{json}\nPACTO_EOF")
}
