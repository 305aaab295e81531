//! The runtime sections of a service page (checks, endpoint probes, conditions, findings,
//! coverage, observation windows, readiness score and spec bindings of one Pacto object), as
//! the API serialises and the pages render them. Built from a Pacto by `runtime`.

use super::ContractStatus;
use serde::Serialize;
use utoipa::ToSchema;

/// One probe against one replica.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaResult {
    pub address: String,
    pub pod: Option<String>,
    pub reachable: bool,
    pub status_code: Option<i32>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndpointCheck {
    /// `health` or `metrics`.
    pub kind: String,
    pub url: Option<String>,
    pub reachable: bool,
    pub status_code: Option<i32>,
    pub replicas: Vec<ReplicaResult>,
}

/// A compliance check: what the contract declares vs what the cluster shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: String,
    pub declared: Option<String>,
    pub observed: Option<String>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConditionView {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_time: Option<String>,
}

/// Runtime state of one Pacto object.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeView {
    pub namespace: String,
    pub object: String,
    #[schema(value_type = Option<super::ContractStatusSchema>)]
    pub contract_status: Option<ContractStatus>,
    pub contract_version: Option<String>,
    pub resolved_ref: Option<String>,
    pub checks_passed: u32,
    pub checks_total: u32,
    pub checks: Vec<Check>,
    pub endpoints: Vec<EndpointCheck>,
    pub conditions: Vec<ConditionView>,
    pub last_checked: Option<String>,
    /// The operator's findings, most severe first.
    pub findings: Vec<FindingView>,
    /// Findings by severity (absent until the operator wrote a summary).
    pub severity_counts: Option<SeverityCounts>,
    pub coverage: Option<CoverageView>,
    pub observation_windows: Vec<ObservationWindowView>,
    pub capabilities: Vec<RuntimeCapabilityView>,
    pub readiness: Option<ReadinessScoreView>,
    pub interface_bindings: Vec<InterfaceBindingView>,
    pub config_bindings: Vec<ConfigBindingView>,
}

/// One Pacto object of a service: a row of the service page's instance table and of the
/// `instances` array of `/api/services/{name}`. Each is counted on its own on the KPI cards.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    pub namespace: String,
    /// The Pacto object's name.
    pub name: String,
    /// What the operator reported (Unknown until it has).
    #[schema(value_type = super::ContractStatusSchema)]
    pub contract_status: ContractStatus,
    pub contract_version: Option<String>,
    pub checks_passed: u32,
    pub checks_total: u32,
    pub last_checked: Option<String>,
}

/// One finding the operator reported (`status.findings[]`), most severe first.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    pub code: String,
    /// `error`, `warning`, `info` or `unknown`.
    pub severity: String,
    pub category: String,
    /// What the finding is about (an interface, a dependency, a configuration…).
    pub subject: Option<String>,
    /// The contract field it concerns.
    pub contract_path: Option<String>,
    pub message: String,
    pub evidence: Vec<EvidenceView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceView {
    pub source: String,
    pub observed_at: String,
}

/// `status.summary` counts by severity (every finding, also those left out of the list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeverityCounts {
    pub error: u32,
    pub warning: u32,
    pub info: u32,
    pub unknown: u32,
}

/// `status.evaluationCoverage`: how many of the required evaluations were made.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoverageView {
    pub evaluated: u32,
    pub required: u32,
}

/// An open observation window: something seen negative, not yet long enough to report.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObservationWindowView {
    /// `interface`, `dependency`, `configuration` or `capability`.
    pub kind: String,
    pub subject: String,
    pub first_observed_negative_at: String,
}

/// A capability the operator resolved from the contract (`status.capabilities[]`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeCapabilityView {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// A Service port by number or by name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ServicePort {
    Number(i32),
    Name(String),
}

/// `spec.target.interfaceBindings[]`: the Service port serving a contract interface.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceBindingView {
    pub interface: String,
    pub service_port: ServicePort,
}

/// `spec.target.configBindings[]`: the ConfigMap or Secret backing a contract configuration.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigBindingView {
    pub configuration: String,
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    pub name: String,
    /// The one key holding the configuration (absent: only the object's existence).
    pub key: Option<String>,
    /// `yaml` or `json`.
    pub format: Option<String>,
}

/// The operator's readiness score of the contract (`status.readiness`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessScoreView {
    pub score: i32,
    pub min_score: i32,
    pub passing: bool,
    pub expired: bool,
    pub expires: Option<String>,
    pub days_remaining: Option<i32>,
}
