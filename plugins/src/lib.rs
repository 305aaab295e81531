//! Plugins of `pacto generate`, protocol `"1"`: Pacto spawns `pacto-plugin-<name>` with no
//! arguments, writes one [`GenerateRequest`] as JSON on its stdin and reads one
//! [`GenerateResponse`] as JSON from its stdout. A failure is exit status 1 with a message on
//! stderr. `--version` prints the plugin's version.
//!
//! Each plugin is a binary in `src/bin/` whose `main` is `pacto_plugins::run(NAME, generate)`.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

pub mod k8s;

/// The only protocol version Pacto speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// What Pacto sends on stdin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateRequest {
    pub protocol_version: String,
    /// The parsed contract with the YAML key names (empty optional sections omitted).
    #[serde(default)]
    pub contract: serde_json::Value,
    /// The bundle directory as typed (may be relative to the current directory); read-only.
    #[serde(default)]
    pub bundle_dir: String,
    /// Where Pacto writes the returned files (created before the plugin runs).
    #[serde(default)]
    pub output_dir: String,
    /// `--option k=v` pairs; values are always strings. Omitted when none were given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

impl GenerateRequest {
    /// An option's value, when given.
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options.get(key).map(String::as_str)
    }
}

/// What the plugin writes on stdout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GenerateResponse {
    pub files: Vec<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One generated file, its path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct File {
    pub path: String,
    pub content: String,
}

impl File {
    pub fn new(path: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            content: content.into(),
        }
    }
}

/// The whole plugin process: `--version`, or read the request from stdin, call `generate`,
/// write the response to stdout. Returns the process exit code (0, or 1 after printing
/// `<name>: <error>` on stderr).
pub fn run<E: std::fmt::Display>(
    name: &str,
    generate: impl FnOnce(&GenerateRequest) -> Result<GenerateResponse, E>,
) -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version") {
        println!("{name} {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    let fail = |msg: String| {
        eprintln!("{name}: {msg}");
        std::process::ExitCode::from(1)
    };
    if let Some(a) = args.first() {
        return fail(format!(
            "unexpected argument {a:?}: the plugin reads its request from stdin (see `pacto generate`)"
        ));
    }
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return fail(format!("cannot read the request from stdin: {e}"));
    }
    let request: GenerateRequest = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => return fail(format!("the request on stdin is not protocol JSON: {e}")),
    };
    if request.protocol_version != PROTOCOL_VERSION {
        return fail(format!(
            "unsupported protocolVersion {:?} (this plugin speaks {PROTOCOL_VERSION:?})",
            request.protocol_version
        ));
    }
    let response = match generate(&request) {
        Ok(r) => r,
        Err(e) => return fail(e.to_string()),
    };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &response)
        .map_err(|e| e.to_string())
        .and_then(|()| out.flush().map_err(|e| e.to_string()));
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot write the response: {e}")),
    }
}
