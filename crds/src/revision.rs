//! The `PactoRevision` custom resource: an immutable snapshot of one resolved contract version.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// CEL message when a revision's spec is edited.
pub const MSG_REVISION_IMMUTABLE: &str = "PactoRevision spec is immutable";

/// Label holding the parent Pacto's name.
pub const LABEL_PACTO: &str = "pacto.trianalab.io/pacto";
/// Label holding the contract version.
pub const LABEL_VERSION: &str = "pacto.trianalab.io/version";

/// Snapshot of a resolved contract; never changes once created.
// kube's repeated `printcolumn(type_ = ...)` entries trip this lint; they are distinct columns.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "pacto.trianalab.io",
    version = "v1alpha1",
    kind = "PactoRevision",
    plural = "pactorevisions",
    singular = "pactorevision",
    namespaced,
    status = "PactoRevisionStatus",
    shortname = "pacrev",
    category = "pacto-all",
    derive = "PartialEq",
    doc = "An immutable snapshot of one resolved version of a Pacto's contract.",
    printcolumn(name = "Version", type_ = "string", json_path = ".spec.version"),
    printcolumn(name = "Pacto", type_ = "string", json_path = ".spec.pactoRef"),
    printcolumn(name = "Resolved", type_ = "boolean", json_path = ".status.resolved"),
    printcolumn(
        name = "Age",
        type_ = "date",
        json_path = ".metadata.creationTimestamp"
    )
)]
#[x_kube(validation = kube::core::Rule::new("self == oldSelf").message(MSG_REVISION_IMMUTABLE))]
#[serde(rename_all = "camelCase")]
pub struct PactoRevisionSpec {
    /// Contract `service.version` ("unknown" when empty).
    #[schemars(length(min = 1))]
    pub version: String,
    /// Where the content came from.
    #[serde(default)]
    pub source: RevisionSource,
    /// Name of the parent Pacto.
    #[schemars(length(min = 1))]
    pub pacto_ref: String,
    /// Contract `service.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
}

/// Origin of a revision's content.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RevisionSource {
    /// Resolved OCI reference (with tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oci: Option<String>,
    /// Manifest digest at resolution time (detects force-pushed tags).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The content came from `contractRef.inline`.
    #[serde(default)]
    pub inline: bool,
}

/// Observed state of a revision.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PactoRevisionStatus {
    /// The content was resolved and hashed.
    #[serde(default)]
    pub resolved: bool,
    /// sha256 hex of the raw `pacto.yaml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_hash: Option<String>,
    /// When the revision was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    /// Conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["type"]))]
    pub conditions: Vec<Condition>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::CustomResourceExt;

    #[test]
    fn spec_is_immutable_in_the_schema() {
        let crd = serde_json::to_value(PactoRevision::crd()).expect("json");
        let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
        assert_eq!(
            spec["x-kubernetes-validations"][0]["rule"],
            "self == oldSelf"
        );
        assert_eq!(
            spec["x-kubernetes-validations"][0]["message"],
            MSG_REVISION_IMMUTABLE
        );
    }
}
