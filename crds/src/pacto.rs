//! The `Pacto` custom resource: binds a service contract (OCI or inline) to an optional runtime
//! target. Spec fields match the reference operator so existing manifests apply unchanged; the CEL
//! rules add what the reference only checked at reconcile time.

use std::collections::BTreeMap;

use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bindings::{ConfigBinding, InterfaceBinding};
use crate::status::PactoStatus;

/// Default for `spec.checkIntervalSeconds` (the reference's default).
pub const DEFAULT_CHECK_INTERVAL_SECONDS: i32 = 300;
/// Lowest accepted `spec.checkIntervalSeconds`.
pub const MIN_CHECK_INTERVAL_SECONDS: i32 = 30;

/// CEL message when both or neither contract sources are set.
pub const MSG_ONE_SOURCE: &str = "exactly one of contractRef.oci or contractRef.inline must be set";
/// CEL message when the check interval is too short.
pub const MSG_INTERVAL: &str = "checkIntervalSeconds must be at least 30";

/// Desired state of a `Pacto`: which contract, checked against which workload, how often.
// kube's repeated `printcolumn(type_ = ...)` entries trip this lint; they are distinct columns.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "pacto.trianalab.io",
    version = "v1alpha1",
    kind = "Pacto",
    plural = "pactos",
    singular = "pacto",
    namespaced,
    status = "Box<PactoStatus>",
    shortname = "pac",
    // Not `pacto`: a category equal to the singular name makes `kubectl get pacto NAME` expand
    // to both kinds and fail ("you must specify only one resource").
    category = "pacto-all",
    derive = "PartialEq",
    doc = "A service contract bound to an optional runtime target and checked continuously.",
    printcolumn(
        name = "Status",
        type_ = "string",
        json_path = ".status.contractStatus"
    ),
    printcolumn(
        name = "Service",
        type_ = "string",
        json_path = ".spec.target.serviceName"
    ),
    printcolumn(
        name = "Version",
        type_ = "string",
        json_path = ".status.contractVersion"
    ),
    printcolumn(
        name = "Passed",
        type_ = "integer",
        json_path = ".status.summary.passed"
    ),
    printcolumn(
        name = "Failed",
        type_ = "integer",
        json_path = ".status.summary.failed"
    ),
    printcolumn(
        name = "Errors",
        type_ = "integer",
        json_path = ".status.summary.errorCount",
        priority = "1"
    ),
    printcolumn(
        name = "Warnings",
        type_ = "integer",
        json_path = ".status.summary.warningCount",
        priority = "1"
    ),
    printcolumn(
        name = "Last Checked",
        type_ = "date",
        json_path = ".status.lastCheckedTime"
    ),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
#[serde(rename_all = "camelCase")]
pub struct PactoSpec {
    /// Where the contract comes from.
    pub contract_ref: ContractRef,
    /// The Service and workload the contract is checked against; absent means reference-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// Per-configuration value overrides merged over the contract's values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Overrides>,
    /// Seconds between two checks when nothing changes (at least 30).
    #[serde(default = "default_check_interval")]
    #[x_kube(validation = kube::core::Rule::new("self >= 30").message(MSG_INTERVAL))]
    pub check_interval_seconds: i32,
}

fn default_check_interval() -> i32 {
    DEFAULT_CHECK_INTERVAL_SECONDS
}

/// Contract source: an OCI reference or an inline `pacto.yaml` (exactly one).
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[x_kube(validation = kube::core::Rule::new("has(self.oci) != has(self.inline)").message(MSG_ONE_SOURCE))]
#[serde(rename_all = "camelCase")]
pub struct ContractRef {
    /// OCI reference: `reg/repo` (latest semver tag), `reg/repo:tag` or `reg/repo@sha256:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oci: Option<String>,
    /// Raw `pacto.yaml` text (no bundled files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<String>,
    /// Name of a Secret in the same namespace holding registry credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_secret_ref: Option<String>,
}

/// Runtime target of a contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Service to observe (ports, endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Workload to observe; defaults to a Deployment named like the Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_ref: Option<WorkloadRef>,
    /// The Service port serving each contract interface (at most one binding per interface).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 128))]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["interface"]))]
    pub interface_bindings: Vec<InterfaceBinding>,
    /// The ConfigMap or Secret backing each contract configuration (at most one per
    /// configuration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 128))]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["configuration"]))]
    pub config_bindings: Vec<ConfigBinding>,
}

/// A workload by name and, optionally, kind, in the Pacto's namespace.
///
/// `kind` is limited by a schema `enum`, not by CEL: the apiserver skips CEL rules once schema
/// validation fails, so a CEL rule for the same constraint could never report anything.
/// It has no schema default (as in the reference operator): absent means the kind is not
/// asserted. The workload is then looked up as a Deployment ([`WorkloadRef::effective_kind`])
/// and a check that compares kinds compares only an explicit one.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadRef {
    /// Workload kind; absent: not asserted (looked up as a Deployment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<WorkloadKind>,
    /// Workload name.
    #[schemars(length(min = 1))]
    pub name: String,
}

impl WorkloadRef {
    /// The kind to look the workload up as: the explicit one, else Deployment.
    pub fn effective_kind(&self) -> WorkloadKind {
        self.kind.unwrap_or_default()
    }
}

/// Workload kind: Deployment, StatefulSet, ReplicaSet, Job or CronJob. Absent: not asserted,
/// looked up as a Deployment (the `Default`).
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WorkloadKind {
    /// apps/v1 Deployment.
    #[default]
    Deployment,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 ReplicaSet.
    ReplicaSet,
    /// batch/v1 Job.
    Job,
    /// batch/v1 CronJob.
    CronJob,
}

impl WorkloadKind {
    /// The Kubernetes kind name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deployment => "Deployment",
            Self::StatefulSet => "StatefulSet",
            Self::ReplicaSet => "ReplicaSet",
            Self::Job => "Job",
            Self::CronJob => "CronJob",
        }
    }
}

/// Overrides applied on top of the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Overrides {
    /// Value overrides per configuration scope, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<ConfigurationOverride>,
}

/// Values that replace a named configuration scope's values.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationOverride {
    /// Name of the contract configuration scope.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Key/value pairs; each wins over the contract's value.
    #[schemars(extend("minProperties" = 1))]
    pub values: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::CustomResourceExt;
    use serde_json::Value;

    fn spec_schema() -> Value {
        let crd = serde_json::to_value(Pacto::crd()).expect("json");
        crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"].clone()
    }

    fn rules(schema: &Value) -> Vec<(String, String)> {
        schema["x-kubernetes-validations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["rule"].as_str().unwrap_or_default().to_string(),
                    r["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn schema_carries_the_cel_rules() {
        let spec = spec_schema();
        let p = &spec["properties"];
        assert_eq!(
            rules(&p["contractRef"]),
            [(
                "has(self.oci) != has(self.inline)".to_string(),
                MSG_ONE_SOURCE.to_string()
            )]
        );
        assert_eq!(
            rules(&p["checkIntervalSeconds"]),
            [("self >= 30".to_string(), MSG_INTERVAL.to_string())]
        );
        assert_eq!(p["checkIntervalSeconds"]["default"], 300);
        let kind = &p["target"]["properties"]["workloadRef"]["properties"]["kind"];
        assert_eq!(
            kind["enum"],
            serde_json::json!(["Deployment", "StatefulSet", "ReplicaSet", "Job", "CronJob"])
        );
        // No default: an absent kind is "not asserted" (reference operator semantics).
        assert_eq!(kind.get("default"), None);
        let target = &p["target"]["properties"];
        for (list, key) in [
            ("interfaceBindings", "interface"),
            ("configBindings", "configuration"),
        ] {
            let l = &target[list];
            assert_eq!(l["x-kubernetes-list-type"], "map", "{list}");
            assert_eq!(l["x-kubernetes-list-map-keys"], serde_json::json!([key]));
            assert_eq!(l["maxItems"], crate::bindings::MAX_BINDINGS, "{list}");
            assert_eq!(
                l["items"]["properties"][key]["maxLength"],
                crate::bindings::MAX_NAME_LENGTH,
                "{list}"
            );
        }
        let config = &target["configBindings"]["items"];
        assert_eq!(
            rules(config)[0].1,
            crate::bindings::MSG_FORMAT_WITH_KEY.to_string()
        );
        let port = &target["interfaceBindings"]["items"]["properties"]["servicePort"];
        assert_eq!(port["x-kubernetes-int-or-string"], true);
        assert_eq!(spec["required"], serde_json::json!(["contractRef"]));
    }

    #[test]
    fn reference_manifest_deserialises_with_defaults() {
        let yaml = "contractRef:\n  oci: ghcr.io/acme/api\ntarget:\n  serviceName: api\n  workloadRef:\n    name: api\n";
        let spec: PactoSpec = serde_saphyr::from_str(yaml).expect("parses");
        assert_eq!(spec.check_interval_seconds, DEFAULT_CHECK_INTERVAL_SECONDS);
        let target = spec.target.expect("target");
        let w = target.workload_ref.expect("workloadRef");
        // Not asserted, looked up as a Deployment.
        assert_eq!(w.kind, None);
        assert_eq!(w.effective_kind(), WorkloadKind::Deployment);
        let back = serde_json::to_value(&w).expect("json");
        assert_eq!(back, serde_json::json!({"name": "api"}));
        assert_eq!(spec.contract_ref.oci.as_deref(), Some("ghcr.io/acme/api"));
    }

    #[test]
    fn kind_names_match_serde() {
        for kind in [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::ReplicaSet,
            WorkloadKind::Job,
            WorkloadKind::CronJob,
        ] {
            assert_eq!(serde_json::to_value(kind).expect("json"), kind.as_str());
        }
    }
}
