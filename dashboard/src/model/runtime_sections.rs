//! The runtime sections of a service page (checks, endpoint probes, conditions of one Pacto
//! object), as the API serialises and the pages render them. Built from a Pacto's status by
//! `runtime`.

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
