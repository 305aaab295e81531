//! The real `pacto` binary, run by the CLI's integration tests.

use std::path::Path;
use std::process::Command;

/// `pacto ARGS` in `dir`, without the environment's `PACTO_OUTPUT_FORMAT`; returns
/// (stdout, stderr, exit code).
pub fn pacto_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(args)
        .current_dir(dir)
        .env_remove("PACTO_OUTPUT_FORMAT")
        .output()
        .expect("run pacto");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}
