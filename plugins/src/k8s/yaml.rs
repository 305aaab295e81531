//! Deterministic YAML: the objects' keys in insertion order, one document per file.

use serde_json::Value;

use super::K8sError;

pub fn to_yaml(v: &Value) -> Result<String, K8sError> {
    serde_saphyr::to_string(v).map_err(|e| K8sError::Yaml(e.to_string()))
}
