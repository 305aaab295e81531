//! `pacto mcp` against the official MCP Python SDK (`cli/tests/mcp/client_test.py`), in a
//! venv kept outside the checkout (`$PACTO_MCP_VENV`, default
//! `$HOME/.cache/pacto-ci/mcp-venv`), created with the pinned SDK when missing. Without
//! python3 or the package index the test skips, except under `PACTO_E2E_REQUIRE=1` (CI),
//! where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned SDK release.
const MCP_SDK: &str = "mcp==2.3.0";

fn venv_dir() -> PathBuf {
    if let Ok(v) = std::env::var("PACTO_MCP_VENV") {
        return PathBuf::from(v);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| "/tmp".into());
    Path::new(&home).join(".cache/pacto-ci/mcp-venv")
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The venv's python with the pinned SDK installed, or why it cannot be had.
fn sdk_python() -> Result<PathBuf, String> {
    let venv = venv_dir();
    let python = venv.join("bin/python");
    let version = MCP_SDK.trim_start_matches("mcp==");
    let installed = |py: &Path| {
        run(Command::new(py).args([
            "-c",
            "import importlib.metadata as m; print(m.version('mcp'))",
        ]))
        .is_ok_and(|v| v.trim() == version)
    };
    if python.exists() && installed(&python) {
        return Ok(python);
    }
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", MCP_SDK]))?;
    if installed(&python) {
        Ok(python)
    } else {
        Err(format!("{MCP_SDK} did not install into {}", venv.display()))
    }
}

#[test]
fn official_python_sdk_drives_stdio_http_migrate_and_fleet() {
    let python = match sdk_python() {
        Ok(p) => p,
        Err(why) => {
            pacto_e2e_support::skip_or_fail(&format!(
                "the MCP Python SDK ({MCP_SDK}) is not available: {why}"
            ));
            return;
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(python)
        .arg(root.join("tests/mcp/client_test.py"))
        .arg(env!("CARGO_BIN_EXE_pacto"))
        .arg(root.join("../examples/payments-api"))
        .output()
        .expect("run client_test.py");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "client_test.py failed:\n{text}");
    for part in ["stdio: ok", "http: ok", "read-only: ok", "fleet: ok"] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }
}
