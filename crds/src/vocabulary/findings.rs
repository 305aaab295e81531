//! Codes and categories of `status.findings[]`. The reference operator's codes are used where
//! one means the same thing; the others are ours. A contract validation finding carries the
//! validation code itself (`SCHEMA_VIOLATION`, `PORT_REQUIRED`, ...; see pacto-core).

// Categories.
/// The contract failed validation (errors) or was validated with warnings (info).
pub const CATEGORY_CONTRACT_VALIDATION: &str = "ContractValidation";
/// The contract could not be obtained, or its pull Secret was refused.
pub const CATEGORY_CONTRACT_RESOLUTION: &str = "ContractResolution";
/// The cluster contradicts the contract (reference category).
pub const CATEGORY_RUNTIME_DRIFT: &str = "RuntimeDrift";
/// Something the contract asks for could not be observed.
pub const CATEGORY_OBSERVATION: &str = "Observation";

// Reference codes.
/// A contract interface is not served (its port is not on the Service).
pub const INTERFACE_ABSENT: &str = "INTERFACE_ABSENT";
/// A declared capability (health, metrics) does not answer as declared.
pub const CAPABILITY_ABSENT: &str = "CAPABILITY_ABSENT";
/// A dependency has no Pacto in the cluster.
pub const DEPENDENCY_UNREACHABLE: &str = "DEPENDENCY_UNREACHABLE";
/// A bound configuration's object (ConfigMap or Secret) is absent, or lacks the bound key,
/// or the workload does not mount it.
pub const CONFIGURATION_ABSENT: &str = "CONFIGURATION_ABSENT";
/// A bound configuration's value does not decode as its format or violates the
/// configuration's JSON Schema (one finding per schema error, with its JSON pointer), or the
/// binding names a configuration the contract does not declare.
pub const CONFIGURATION_MISMATCH: &str = "CONFIGURATION_MISMATCH";
/// The workload's kind contradicts the contract's workload type or the explicit
/// `workloadRef.kind`.
pub const WORKLOAD_MISMATCH: &str = "WORKLOAD_MISMATCH";
/// The workload's storage contradicts the contract's state model.
pub const PERSISTENCE_MISMATCH: &str = "PERSISTENCE_MISMATCH";
/// The evidence a check needs is not there yet (not probed yet, no version yet).
pub const EVIDENCE_MISSING: &str = "EVIDENCE_MISSING";
/// Reading the evidence failed (API read, probe that could not run).
pub const COLLECTION_FAILED: &str = "COLLECTION_FAILED";

// Our codes.
/// The target Service does not exist.
pub const SERVICE_ABSENT: &str = "SERVICE_ABSENT";
/// The target workload does not exist.
pub const WORKLOAD_ABSENT: &str = "WORKLOAD_ABSENT";
/// A Service port's targetPort reaches no container port.
pub const TARGET_PORT_UNRESOLVED: &str = "TARGET_PORT_UNRESOLVED";
/// The Service does not select the workload's pods.
pub const SELECTOR_MISMATCH: &str = "SELECTOR_MISMATCH";
/// The container image differs from the contract's.
pub const IMAGE_MISMATCH: &str = "IMAGE_MISMATCH";
/// The update strategy differs from the contract's upgrade strategy.
pub const UPGRADE_STRATEGY_MISMATCH: &str = "UPGRADE_STRATEGY_MISMATCH";
/// The termination grace period is shorter than the contract's graceful shutdown.
pub const GRACEFUL_SHUTDOWN_MISMATCH: &str = "GRACEFUL_SHUTDOWN_MISMATCH";
/// No pod probe checks the contract's health endpoint.
pub const HEALTH_PROBE_MISMATCH: &str = "HEALTH_PROBE_MISMATCH";
/// The health probe starts earlier than the contract's initial delay.
pub const HEALTH_TIMING_MISMATCH: &str = "HEALTH_TIMING_MISMATCH";
/// Replicas (or the HPA's range) lie outside the contract's scaling.
pub const SCALING_MISMATCH: &str = "SCALING_MISMATCH";
/// A dependency's version lies outside the declared compatibility range.
pub const DEPENDENCY_INCOMPATIBLE: &str = "DEPENDENCY_INCOMPATIBLE";
/// A health or metrics endpoint names an interface the contract does not declare (or one
/// without a port).
pub const CAPABILITY_UNBOUND: &str = "CAPABILITY_UNBOUND";
/// An interface no binding, declared port or Service port name places on the Service (info:
/// a 2.0 contract declares no ports; bind it in `spec.target.interfaceBindings`).
pub const INTERFACE_UNBOUND: &str = "INTERFACE_UNBOUND";
/// An `interfaceBindings` entry names an interface the contract does not declare (info).
pub const INTERFACE_BINDING_UNKNOWN: &str = "INTERFACE_BINDING_UNKNOWN";
/// A negative observation younger than the stabilization window: the check keeps its passing
/// verdict until it lasts the window (info).
pub const OBSERVATION_STABILIZING: &str = "OBSERVATION_STABILIZING";
/// The contract could not be obtained (registry or Secret unreachable).
pub const CONTRACT_UNAVAILABLE: &str = "CONTRACT_UNAVAILABLE";
/// The pull Secret was refused, or used with a caveat.
pub const PULL_SECRET_REJECTED: &str = "PULL_SECRET_REJECTED";
/// The contract is invalid and validation named no error (it could not be loaded).
pub const CONTRACT_INVALID: &str = "CONTRACT_INVALID";

/// Every code this crate defines, for documentation tests.
pub const ALL_CODES: [&str; 27] = [
    INTERFACE_ABSENT,
    CAPABILITY_ABSENT,
    DEPENDENCY_UNREACHABLE,
    CONFIGURATION_ABSENT,
    CONFIGURATION_MISMATCH,
    WORKLOAD_MISMATCH,
    PERSISTENCE_MISMATCH,
    EVIDENCE_MISSING,
    COLLECTION_FAILED,
    SERVICE_ABSENT,
    WORKLOAD_ABSENT,
    TARGET_PORT_UNRESOLVED,
    SELECTOR_MISMATCH,
    IMAGE_MISMATCH,
    UPGRADE_STRATEGY_MISMATCH,
    GRACEFUL_SHUTDOWN_MISMATCH,
    HEALTH_PROBE_MISMATCH,
    HEALTH_TIMING_MISMATCH,
    SCALING_MISMATCH,
    DEPENDENCY_INCOMPATIBLE,
    CAPABILITY_UNBOUND,
    INTERFACE_UNBOUND,
    INTERFACE_BINDING_UNKNOWN,
    OBSERVATION_STABILIZING,
    CONTRACT_UNAVAILABLE,
    PULL_SECRET_REJECTED,
    CONTRACT_INVALID,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_screaming_snake_case() {
        let set: std::collections::BTreeSet<&str> = ALL_CODES.into();
        assert_eq!(set.len(), ALL_CODES.len());
        for c in ALL_CODES {
            assert!(
                c.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_'),
                "{c}"
            );
        }
    }
}
