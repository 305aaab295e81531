//! 1.x deployment facts a 2.0 contract has no field for, kept by `pacto migrate` under
//! the namespaced extension [`PRESERVED_EXTENSION`] so tools (the operator, explain) can
//! still read them on a migrated bundle.
//!
//! Shape of `extensions["pacto.trianalab.io/v1"]` (every key optional):
//!
//! ```yaml
//! ports: {api: 8080, rpc: 9090}          # interfaces[].port, by interface name
//! scaling: {replicas: 3}                  # or {min: 2, max: 5}
//! image: {ref: ghcr.io/acme/api:1.2.3, private: false}
//! chart: {ref: oci://ghcr.io/acme/charts/api, version: 0.3.1}
//! lifecycle: {upgradeStrategy: rolling, gracefulShutdownSeconds: 30}
//! healthInitialDelaySeconds: 10
//! healthPath: health                      # a 1.x path 2.0 cannot bind (no leading '/')
//! metricsPath: metrics
//! ```

use super::{Chart, Image, Lifecycle, Scaling};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The extension key holding [`Preserved`].
pub const PRESERVED_EXTENSION: &str = "pacto.trianalab.io/v1";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preserved {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ports: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_initial_delay_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_path: Option<String>,
}

impl Preserved {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Reads the extension of a 2.0 contract; `None` when absent or not of this shape
    /// (a hand-edited value is ignored rather than trusted half-way).
    pub fn from_extensions(
        extensions: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Option<Self> {
        let v = extensions?.get(PRESERVED_EXTENSION)?;
        serde_json::from_value(v.clone()).ok()
    }
}
