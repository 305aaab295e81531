//! Real registries for tests and benchmarks: an anonymous and an htpasswd-protected Debian
//! `docker-registry`, started by `e2e/registry.sh` on free loopback ports.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use crate::paths::repo_root;

/// A started registry pair; stopped (by PID, through the script) on drop.
pub struct Registries {
    pub state: PathBuf,
    /// `127.0.0.1:port` of the anonymous registry.
    pub anon: String,
    /// `127.0.0.1:port` of the registry that wants `user` / `pass`.
    pub auth: String,
    pub user: String,
    pub pass: String,
}

fn script() -> PathBuf {
    repo_root().join("e2e/registry.sh")
}

impl Registries {
    /// Starts a pair whose state lives in a temp dir named after `prefix`, the process and
    /// `name`. `None` (after a loud message) only when docker-registry is missing and cannot be
    /// installed (script exit code 3), and then a failure under `PACTO_E2E_REQUIRE=1`; any other failure panics, as a test setup error.
    pub fn start(prefix: &str, name: &str) -> Option<Registries> {
        let state = std::env::temp_dir().join(format!("{prefix}-{}-{name}", std::process::id()));
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(&state)
            .output()
            .unwrap_or_else(|e| panic!("cannot run e2e/registry.sh: {e}"));
        if out.status.code() == Some(3) {
            crate::require::skip_or_fail(&format!(
                "{name}: docker-registry is not installed and could not be: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            return None;
        }
        assert!(
            out.status.success(),
            "registry.sh start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env_text = std::fs::read_to_string(state.join("env")).unwrap_or_default();
        let vars: HashMap<&str, &str> =
            env_text.lines().filter_map(|l| l.split_once('=')).collect();
        let get = |k: &str| vars.get(k).map(|s| s.to_string()).unwrap_or_default();
        Some(Registries {
            anon: get("PACTO_E2E_REGISTRY"),
            auth: get("PACTO_E2E_AUTH_REGISTRY"),
            user: get("PACTO_E2E_REGISTRY_USER"),
            pass: get("PACTO_E2E_REGISTRY_PASS"),
            state,
        })
    }

    pub fn stop(&self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.state)
            .output();
    }
}

impl Drop for Registries {
    fn drop(&mut self) {
        self.stop();
    }
}
