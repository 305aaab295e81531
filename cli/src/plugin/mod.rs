//! `pacto generate` plugins, protocol "1": discovery of `pacto-plugin-<name>`, the
//! sandboxed-as-far-as-a-process-goes runner, and the checked writer of its answer.
//! The protocol is described in `docs/plugins.md`.

pub mod discover;
pub mod files;
pub mod runner;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

pub const PROTOCOL_VERSION: &str = "1";

/// The default run time limit (the reference's 60 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest stdout accepted: 64 MiB.
pub const MAX_STDOUT: usize = 64 << 20;

/// What Pacto writes on the plugin's stdin.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub protocol_version: &'static str,
    pub contract: serde_json::Value,
    pub bundle_dir: String,
    pub output_dir: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// What the plugin answers on stdout. Unknown fields are ignored.
#[derive(Debug, Deserialize)]
pub struct Response {
    pub files: Vec<ResponseFile>,
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ResponseFile {
    pub path: String,
    pub content: String,
}

/// How long a plugin may run and how much it may print.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub max_stdout: usize,
}

impl Limits {
    /// The defaults, lowered (never raised above 64 MiB for stdout) by the undocumented
    /// test knobs `PACTO_PLUGIN_TIMEOUT_MS` and `PACTO_PLUGIN_MAX_OUTPUT`.
    pub fn from_env() -> Self {
        let num = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        Limits {
            timeout: num("PACTO_PLUGIN_TIMEOUT_MS")
                .filter(|&ms| ms > 0)
                .map_or(DEFAULT_TIMEOUT, Duration::from_millis),
            max_stdout: num("PACTO_PLUGIN_MAX_OUTPUT")
                .map_or(MAX_STDOUT, |n| (n as usize).min(MAX_STDOUT)),
        }
    }
}

/// `1m0s`, `2s`, `250ms`: how the reference spells a duration.
pub fn go_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = d.as_secs_f64();
    let whole = d.as_secs();
    let (h, m) = (whole / 3600, (whole % 3600) / 60);
    let s = secs - (h * 3600 + m * 60) as f64;
    let s = if d.subsec_millis() == 0 {
        format!("{}s", s as u64)
    } else {
        format!("{}s", (s * 1000.0).round() / 1000.0)
    };
    match (h, m) {
        (0, 0) => s,
        (0, m) => format!("{m}m{s}"),
        (h, m) => format!("{h}h{m}m{s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_reference() {
        assert_eq!(go_duration(Duration::from_secs(60)), "1m0s");
        assert_eq!(go_duration(Duration::from_secs(2)), "2s");
        assert_eq!(go_duration(Duration::from_millis(300)), "300ms");
        assert_eq!(go_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(go_duration(Duration::from_secs(3723)), "1h2m3s");
    }

    #[test]
    fn requests_omit_absent_options() {
        let r = Request {
            protocol_version: PROTOCOL_VERSION,
            contract: serde_json::json!({"pactoVersion": "2.0"}),
            bundle_dir: ".".into(),
            output_dir: "x-output".into(),
            options: BTreeMap::new(),
        };
        let text = serde_json::to_string(&r).unwrap_or_default();
        assert_eq!(
            text,
            r#"{"protocolVersion":"1","contract":{"pactoVersion":"2.0"},"bundleDir":".","outputDir":"x-output"}"#
        );
    }
}
