//! The bundle the server was started on (`pacto mcp <dir|oci://ref>`), and its files as
//! MCP resources: `pacto://bundle/pacto.yaml` and `pacto://bundle/<path>`.

use crate::error::CliError;
use crate::load::load;
use pacto_core::Contract;
use pacto_core::bundle::{Bundle, CONTRACT_FILE};
use pacto_core::validate::ValidationReport;
use pacto_core::value_overrides::ValueOverrides;
use rmcp::model::{Resource, ResourceContents};

pub const URI_PREFIX: &str = "pacto://bundle/";

/// A bundle read once at startup.
pub struct BundleState {
    pub source: String,
    pub bundle: Bundle,
    pub report: ValidationReport,
}

impl BundleState {
    pub fn load(source: &str, overrides: &ValueOverrides) -> Result<Self, CliError> {
        let loaded = load(source, overrides)?;
        Ok(Self {
            source: source.to_string(),
            bundle: loaded.bundle,
            report: loaded.report,
        })
    }

    /// The contract, when the bundle is valid.
    pub fn contract(&self) -> Result<&Contract, String> {
        match (&self.report.contract, self.report.is_valid()) {
            (Some(c), true) => Ok(c),
            _ => Err(format!(
                "{} is not a valid contract: {}",
                self.source,
                self.report
                    .errors
                    .iter()
                    .map(|f| format!("[{}] {}: {}", f.code, f.path, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }

    /// Every file of the bundle, the contract first.
    pub fn list(&self) -> Vec<Resource> {
        let mut files: Vec<(&str, &[u8])> = self.bundle.files().collect();
        files.sort_by_key(|(p, _)| (*p != CONTRACT_FILE, p.to_string()));
        files
            .into_iter()
            .map(|(path, data)| {
                Resource::new(format!("{URI_PREFIX}{path}"), path.to_string())
                    .with_mime_type(mime(path))
                    .with_size(data.len() as u64)
                    .with_description(if path == CONTRACT_FILE {
                        format!("The service contract of {}", self.source)
                    } else {
                        format!("{path} of the bundle {}", self.source)
                    })
            })
            .collect()
    }

    /// The text (or base64 blob) of one resource, or `None` for an unknown URI.
    pub fn read(&self, uri: &str) -> Option<ResourceContents> {
        let path = uri.strip_prefix(URI_PREFIX)?;
        let data = self.bundle.read(path)?;
        Some(match std::str::from_utf8(data) {
            Ok(text) => ResourceContents::TextResourceContents {
                uri: uri.to_string(),
                mime_type: Some(mime(path).to_string()),
                text: text.to_string(),
                meta: None,
            },
            Err(_) => {
                use base64::Engine;
                ResourceContents::BlobResourceContents {
                    uri: uri.to_string(),
                    mime_type: Some("application/octet-stream".into()),
                    blob: base64::engine::general_purpose::STANDARD.encode(data),
                    meta: None,
                }
            }
        })
    }
}

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "yaml" | "yml" => "application/yaml",
        "json" => "application/json",
        "md" => "text/markdown",
        "proto" => "text/plain",
        _ => "text/plain",
    }
}
