//! Runs `pacto-plugin-k8s` the way `pacto generate` does: the request as JSON on stdin.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_pacto-plugin-k8s");

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A bundle directory: `examples/<name>` or `plugins/tests/fixtures/k8s/<name>`.
pub fn bundle(name: &str) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/k8s")
        .join(name);
    if fixture.is_dir() {
        fixture
    } else {
        repo().join("examples").join(name)
    }
}

/// The request Pacto sends for the bundle's `pacto.yaml`.
pub fn request(dir: &Path, options: &[(&str, &str)]) -> Value {
    let text = std::fs::read_to_string(dir.join("pacto.yaml")).expect("pacto.yaml");
    let contract = pacto_core::parse::parse_yaml(&text).expect("contract parses");
    let mut req = json!({
        "protocolVersion": "1",
        "contract": contract,
        "bundleDir": dir.display().to_string(),
        "outputDir": "k8s-output",
    });
    if !options.is_empty() {
        let o: serde_json::Map<String, Value> = options
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect();
        req["options"] = Value::Object(o);
    }
    req
}

/// Exit success, stdout, stderr.
pub fn run_raw(stdin: &str, args: &[&str]) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the plugin");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("plugin output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The plugin's response to `req`; panics with stderr when it fails.
pub fn generate(req: &Value) -> pacto_plugins::Response {
    let (ok, out, err) = run_raw(&req.to_string(), &[]);
    assert!(ok, "plugin failed: {err}");
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("response is not protocol JSON: {e}\n{out}"))
}

/// Writes the files under `dir` as Pacto would.
pub fn write_files(resp: &pacto_plugins::Response, dir: &Path) {
    for f in &resp.files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, &f.content).expect("write");
    }
}

/// YAML documents of a text (empty documents dropped), as JSON values.
pub fn documents(text: &str) -> Vec<Value> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).expect("YAML documents");
    docs.into_iter().filter(|d| !d.is_null()).collect()
}
