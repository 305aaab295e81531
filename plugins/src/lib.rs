//! Plugins for `pacto generate`, protocol version "1" (see `docs/plugins.md`).
//!
//! Each plugin is a binary `pacto-plugin-<name>` (`src/bin/<name>.rs`). Pacto writes one
//! [`Request`] as JSON on the plugin's stdin and reads one [`Response`] from its stdout;
//! a failure is a message on stderr and exit status 1. This module holds the protocol
//! types and the shared `main` wrapper; the plugins' logic lives in their own modules.

pub mod k8s;
pub mod openapi;
pub mod schema;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;

/// The only protocol version Pacto speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// What Pacto sends. The bundled plugins ignore `contract` (they work from the bundle's
/// files), so it is kept as an opaque JSON value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    #[serde(default)]
    pub protocol_version: String,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub contract: serde_json::Value,
    #[serde(default)]
    pub bundle_dir: String,
    #[serde(default)]
    pub output_dir: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

impl Request {
    /// An option's value, `None` when absent or empty.
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The bundle directory (`.` when empty).
    pub fn bundle_root(&self) -> PathBuf {
        if self.bundle_dir.is_empty() {
            PathBuf::from(".")
        } else {
            PathBuf::from(&self.bundle_dir)
        }
    }

    /// `rel` resolved against the bundle directory (an absolute `rel` is kept).
    pub fn bundle_path(&self, rel: &str) -> PathBuf {
        self.bundle_root().join(rel)
    }
}

/// One file to write, `path` relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a plugin answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub files: Vec<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A plugin's failure, printed on stderr.
#[derive(Debug)]
pub struct PluginError(pub String);

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PluginError {}

impl PluginError {
    pub fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

/// The shared `main`: `--version` prints `<name> <version>`; otherwise the request is
/// read from stdin, `generate` runs, and its response goes to stdout (exit 0) or its
/// error to stderr (exit 1).
pub fn run_main(
    name: &str,
    generate: fn(&Request) -> Result<Response, PluginError>,
) -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-v") {
        println!("{name} {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    let result = read_request().and_then(|req| generate(&req));
    match result.and_then(|resp| {
        serde_json::to_string(&resp).map_err(|e| PluginError::new(format!("encode response: {e}")))
    }) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.write_all(b"\n");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Reads and decodes the request on stdin (at most 256 MiB).
pub fn read_request() -> Result<Request, PluginError> {
    let mut text = String::new();
    std::io::stdin()
        .take(256 << 20)
        .read_to_string(&mut text)
        .map_err(|e| PluginError::new(format!("read request: {e}")))?;
    parse_request(&text)
}

pub fn parse_request(text: &str) -> Result<Request, PluginError> {
    let req: Request =
        serde_json::from_str(text).map_err(|e| PluginError::new(format!("decode request: {e}")))?;
    if !req.protocol_version.is_empty() && req.protocol_version != PROTOCOL_VERSION {
        return Err(PluginError::new(format!(
            "unsupported protocol version {:?} (this plugin speaks {PROTOCOL_VERSION:?})",
            req.protocol_version
        )));
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_decode_with_or_without_options() {
        let r = parse_request(
            r#"{"protocolVersion":"1","contract":{"a":1},"bundleDir":"b","outputDir":"o","options":{"file":"x.json","title":""}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.option("file"), Some("x.json"));
        assert_eq!(r.option("title"), None);
        assert_eq!(r.bundle_path("x.json"), PathBuf::from("b/x.json"));
        let r = parse_request(r#"{"protocolVersion":"1","bundleDir":"","outputDir":"o"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.options.is_empty());
        assert_eq!(r.bundle_path("x"), PathBuf::from("./x"));
        assert_eq!(r.bundle_root(), PathBuf::from("."));
        assert!(parse_request(r#"{"protocolVersion":"2"}"#).is_err());
        assert!(parse_request("nope").is_err());
    }
}
