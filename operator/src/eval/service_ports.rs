//! The ports a Service exposes: shared by the checks, the probe planner and the observed
//! status fields.

use k8s_openapi::api::core::v1::Service;

/// Service `.spec.ports[].port`, sorted.
pub(crate) fn service_ports(svc: &Service) -> Vec<i32> {
    let mut ports: Vec<i32> = svc
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| p.port)
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}
