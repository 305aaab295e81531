//! `spec.target.interfaceBindings` and `spec.target.configBindings`: the Kubernetes side of a
//! contract's interfaces and configurations (the reference operator's newest CRD; a 2.0
//! contract has no ports, so the Service port serving each interface lives here).
//!
//! Limits (checked by the API server): at most [`MAX_BINDINGS`] entries per list, names up to
//! [`MAX_NAME_LENGTH`] characters. Both lists are `x-kubernetes-list-type: map`, so an
//! interface (or configuration) is bound at most once: the API server answers a repeated one
//! with `Duplicate value: map[string]interface {}{"interface":"api"}`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::KubeSchema;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most entries of `interfaceBindings` and of `configBindings`.
pub const MAX_BINDINGS: u32 = 128;
/// Longest interface, configuration, object or key name (a DNS subdomain's 253).
pub const MAX_NAME_LENGTH: u32 = 253;

/// CEL message when a ConfigMap binding names a key without its format.
pub const MSG_FORMAT_WITH_KEY: &str = "format is required with key for a ConfigMap";

/// A contract interface and the Service port that serves it.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceBinding {
    /// The contract's `interfaces[].name`.
    #[schemars(length(min = 1, max = 253))]
    pub interface: String,
    /// Service port number or name serving the interface.
    pub service_port: IntOrString,
}

/// A contract configuration and the ConfigMap or Secret (same namespace) that backs it.
/// Without `key` only the object's existence is asserted; with `key` (and `format`) the value
/// at that key is the configuration's content.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[x_kube(validation = kube::core::Rule::new(
    "!has(self.key) || self.key == '' || self.kind != 'ConfigMap' || has(self.format)"
).message(MSG_FORMAT_WITH_KEY))]
#[serde(rename_all = "camelCase")]
pub struct ConfigBinding {
    /// The contract's `configurations[].name`.
    #[schemars(length(min = 1, max = 253))]
    pub configuration: String,
    /// Kind of the backing object.
    pub kind: ConfigBindingKind,
    /// Name of the ConfigMap or Secret.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// The one key holding the configuration; absent means existence only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 253))]
    pub key: Option<String>,
    /// How the value at `key` is encoded (required with `key` for a ConfigMap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ConfigFormat>,
}

/// Kinds a configuration can be bound to.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigBindingKind {
    /// core/v1 ConfigMap.
    ConfigMap,
    /// core/v1 Secret.
    Secret,
}

/// Encoding of the value at `key`: yaml or json (required with `key` for a ConfigMap).
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ConfigFormat {
    /// YAML.
    Yaml,
    /// JSON.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_binding_yaml_reads_back() {
        let yaml = concat!(
            "- interface: api\n  servicePort: 8080\n",
            "- interface: admin\n  servicePort: admin-http\n",
        );
        let b: Vec<InterfaceBinding> = serde_saphyr::from_str(yaml).expect("parses");
        assert_eq!(b[0].service_port, IntOrString::Int(8080));
        assert_eq!(b[1].service_port, IntOrString::String("admin-http".into()));
        let yaml = concat!(
            "- configuration: default\n  kind: ConfigMap\n  name: app\n  key: config.yaml\n  format: yaml\n",
            "- configuration: secrets\n  kind: Secret\n  name: app-secrets\n",
        );
        let c: Vec<ConfigBinding> = serde_saphyr::from_str(yaml).expect("parses");
        assert_eq!(c[0].format, Some(ConfigFormat::Yaml));
        assert_eq!(c[1].kind, ConfigBindingKind::Secret);
        assert_eq!(c[1].key, None);
        let back = serde_json::to_value(&c[1]).expect("json");
        assert_eq!(
            back,
            serde_json::json!({"configuration": "secrets", "kind": "Secret", "name": "app-secrets"})
        );
    }
}
