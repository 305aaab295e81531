//! `Pacto` status: a superset of the reference operator's status (DESIGN.md "Status model").
//! Every field is optional so a status writer sends only what it knows (server-side apply).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::findings::{
    CapabilityInfo, EvaluationCoverage, EvidenceRef, Finding, FindingSeverity, ObservationKind,
    ObservationWindow,
};
pub use crate::vocabulary::ContractStatus;

/// Observed state of a `Pacto`.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PactoStatus {
    /// Headline state, derived by precedence (Invalid > NonCompliant > Unknown > Warning > Compliant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_status: Option<ContractStatus>,
    /// How the OCI reference resolves (from its shape); absent for inline contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_policy: Option<ResolutionPolicy>,
    /// Concrete reference that was pulled (with the resolved tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_ref: Option<String>,
    /// Manifest digest of the pulled bundle (`sha256:...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Contract `service.version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_version: Option<String>,
    /// Check counts and finding counts by severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<CheckSummary>,
    /// Required checks that reached a conclusion (never changes contractStatus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_coverage: Option<EvaluationCoverage>,
    /// Per-subject conclusions, most severe first (at most 100; see `pacto_crds::findings`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub findings: Vec<Finding>,
    /// Negative observations still inside their stabilization window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub observation_windows: Vec<ObservationWindow>,
    /// Capabilities the contract declares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<CapabilityInfo>,
    /// Parsed contract identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractInfo>,
    /// Structural validation of the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationResult>,
    /// Existence of the target objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesStatus>,
    /// Contract ports versus Service ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<PortsStatus>,
    /// Health and metrics probe results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<EndpointsStatus>,
    /// Interfaces declared by the contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["name"]))]
    pub interfaces: Vec<InterfaceInfo>,
    /// Configuration scopes declared by the contract (with overrides applied).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["name"]))]
    pub configurations: Vec<ConfigurationInfo>,
    /// Dependencies declared by the contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<DependencyInfo>,
    /// Policies declared by the contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyInfo>,
    /// Declared runtime section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeInfo>,
    /// Facts observed on the workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_runtime: Option<ObservedRuntime>,
    /// Declared scaling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingInfo>,
    /// Readiness score (a separate dimension: never changes contractStatus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<ReadinessStatus>,
    /// Contract metadata, values stringified.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// One condition per check; lastTransitionTime changes only when the status flips.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["type"]))]
    pub conditions: Vec<Condition>,
    /// Name of the PactoRevision for the currently resolved content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<String>,
    /// Known revisions of this Pacto, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["name"]))]
    pub revisions: Vec<RevisionSummary>,
    /// When the checks last ran to completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked_time: Option<Time>,
    /// Reference-compatible name of the last status write time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reconciled_at: Option<Time>,
    /// `metadata.generation` the status was computed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

/// How an OCI reference is resolved.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResolutionPolicy {
    /// Untagged: highest semver tag.
    Latest,
    /// A fixed tag.
    PinnedTag,
    /// A fixed digest.
    PinnedDigest,
}

/// Check counts (`total == passed + failed`) and finding counts by severity (of every
/// finding, also those left out of `findings`).
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CheckSummary {
    /// Checks run.
    pub total: i32,
    /// Checks passed.
    pub passed: i32,
    /// Checks failed.
    pub failed: i32,
    /// Findings of severity `error`.
    #[serde(default)]
    pub error_count: i32,
    /// Findings of severity `warning`.
    #[serde(default)]
    pub warning_count: i32,
    /// Findings of severity `info`.
    #[serde(default)]
    pub info_count: i32,
    /// Findings of severity `unknown`.
    #[serde(default)]
    pub unknown_count: i32,
}

/// Identity of the parsed contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContractInfo {
    /// `service.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `service.version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Owner object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<OwnerInfo>,
    /// Owner shown in lists (team, else DRI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_display: Option<String>,
    /// `service.image.ref`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_ref: Option<String>,
    /// Concrete reference pulled; absent for inline contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_ref: Option<String>,
}

/// Contract owner.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OwnerInfo {
    /// Owning team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Directly responsible individual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dri: Option<String>,
    /// Contact channels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// One contact channel.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// Channel type (email, slack, ...).
    #[serde(rename = "type")]
    pub type_: String,
    /// Address or handle.
    pub value: String,
    /// What the channel is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// Result of contract validation.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ValidationResult {
    /// No error was found.
    pub valid: bool,
    /// Errors (make the contract Invalid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ValidationIssue>,
    /// Warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ValidationIssue>,
}

/// One validation finding.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ValidationIssue {
    /// Stable code, e.g. `SCHEMA_VIOLATION`.
    pub code: String,
    /// Where in the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Existence of the target objects.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesStatus {
    /// The target Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ObjectPresence>,
    /// The target workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<ObjectPresence>,
}

/// Whether a named object exists.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectPresence {
    /// Object name.
    pub name: String,
    /// Object kind (workloads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The object was found.
    pub exists: bool,
}

/// Contract ports versus Service ports.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PortsStatus {
    /// Ports the contract declares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<i32>,
    /// Ports the Service exposes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observed: Vec<i32>,
    /// Declared but not exposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<i32>,
    /// Exposed but not declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unexpected: Vec<i32>,
}

/// Health and metrics probe results.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointsStatus {
    /// Health endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<EndpointStatus>,
    /// Metrics endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<EndpointStatus>,
}

/// Aggregate result of one endpoint over all ready replicas.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EndpointStatus {
    /// Path-level URL (`http://<service>:<port><path>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Every probed replica answered acceptably.
    pub reachable: bool,
    /// Status code (of the first failing replica, else of the first one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i32>,
    /// Highest latency observed, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<i64>,
    /// Short error description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Ready replicas probed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas_probed: Option<i32>,
    /// Replicas whose probe passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas_passing: Option<i32>,
    /// Per-replica results.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["address"]))]
    pub replicas: Vec<ReplicaProbe>,
}

/// Probe result for one ready endpoint address.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaProbe {
    /// Endpoint IP address.
    pub address: String,
    /// Pod behind the address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
    /// The probe passed.
    pub reachable: bool,
    /// HTTP status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i32>,
    /// Latency in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<i64>,
    /// Short error description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An interface declared by the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceInfo {
    /// Interface name.
    pub name: String,
    /// `http`, `grpc` or `event`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Declared port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// `public` or `internal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// A spec file is bundled for it.
    #[serde(default)]
    pub has_contract_file: bool,
}

/// A configuration scope declared by the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationInfo {
    /// Scope name.
    pub name: String,
    /// A JSON schema is bundled.
    #[serde(default)]
    pub has_schema: bool,
    /// Reference to another contract's configuration.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub ref_: Option<String>,
    /// Keys with literal values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_keys: Vec<String>,
    /// Keys whose values are `secret://` references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_keys: Vec<String>,
    /// Keys replaced by `spec.overrides`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden_keys: Vec<String>,
    /// Flattened properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyInfo>,
}

/// One flattened configuration or policy property.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PropertyInfo {
    /// Dotted key.
    pub key: String,
    /// Literal value, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// JSON type.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
}

/// A dependency declared by the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DependencyInfo {
    /// Dependency name.
    pub name: String,
    /// OCI reference of the dependency's contract.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub ref_: Option<String>,
    /// The service cannot run without it.
    #[serde(default)]
    pub required: bool,
    /// Semver range accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<String>,
}

/// A policy declared by the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInfo {
    /// Policy name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A JSON schema is bundled.
    #[serde(default)]
    pub has_schema: bool,
    /// Bundled schema path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Reference to another contract's policy.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub ref_: Option<String>,
    /// Schema title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Schema description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Flattened properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyInfo>,
}

/// Declared runtime section of the contract.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    /// `service`, `job` or `scheduled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// `stateless`, `stateful` or `hybrid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_type: Option<String>,
    /// Persistence scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence_scope: Option<String>,
    /// Persistence durability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence_durability: Option<String>,
    /// Data criticality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_criticality: Option<String>,
    /// Upgrade strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade_strategy: Option<String>,
    /// Graceful shutdown in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graceful_shutdown_seconds: Option<i32>,
    /// Interface serving health.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_interface: Option<String>,
    /// Health path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_path: Option<String>,
    /// Interface serving metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_interface: Option<String>,
    /// Metrics path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_path: Option<String>,
    /// Declared health initial delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_initial_delay_seconds: Option<i32>,
}

/// Facts observed on the workload.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ObservedRuntime {
    /// Observed kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_kind: Option<String>,
    /// Deployment strategy type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_strategy: Option<String>,
    /// StatefulSet pod management policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_management_policy: Option<String>,
    /// Pod termination grace period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Container images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_images: Vec<String>,
    /// A PVC is mounted or templated.
    #[serde(default)]
    pub has_pvc: bool,
    /// An emptyDir is mounted.
    #[serde(default)]
    pub has_empty_dir: bool,
    /// Probe initial delay seen on the pod template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_probe_initial_delay_seconds: Option<i32>,
    /// Desired replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Ready replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_replicas: Option<i32>,
}

/// Declared scaling.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScalingInfo {
    /// Fixed replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Minimum replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    /// Maximum replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
}

/// Readiness assessment result.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessStatus {
    /// Score 0-100.
    pub score: i32,
    /// Score needed to pass.
    pub min_score: i32,
    /// Not expired and score >= minScore.
    pub passing: bool,
    /// Sum of weights of non-deferred checks.
    pub total_weight: i32,
    /// Weight earned.
    pub earned_weight: i32,
    /// Expiry date (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The assessment has expired.
    #[serde(default)]
    pub expired: bool,
    /// Days until expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_remaining: Option<i32>,
    /// Checks done.
    #[serde(default)]
    pub done_count: i32,
    /// Checks partially done.
    #[serde(default)]
    pub partial_count: i32,
    /// Checks not done.
    #[serde(default)]
    pub not_done_count: i32,
    /// Checks deferred.
    #[serde(default)]
    pub deferred_count: i32,
    /// Assessment history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<ReadinessRevision>,
    /// Individual checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<ReadinessCheck>,
}

/// One entry of the readiness history.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessRevision {
    /// Date (YYYY-MM-DD).
    pub date: String,
    /// Contract version assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Who assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// What changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One readiness check.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessCheck {
    /// Check id.
    pub id: String,
    /// Evidence type.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// done, partial, not-done or deferred.
    pub status: ReadinessCheckState,
    /// Evidence pointer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Weight 0-100.
    pub weight: i32,
    /// Weight earned.
    pub earned_weight: i32,
    /// Excluded from the total (deferred).
    #[serde(default)]
    pub excluded: bool,
}

/// State of a readiness check.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ReadinessCheckState {
    /// Done.
    Done,
    /// Partially done.
    Partial,
    /// Not done.
    NotDone,
    /// Deferred.
    Deferred,
}

/// A PactoRevision known for this Pacto.
#[derive(JsonSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RevisionSummary {
    /// PactoRevision name.
    pub name: String,
    /// Contract version.
    pub version: String,
    /// Bundle digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// When the revision was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
}
