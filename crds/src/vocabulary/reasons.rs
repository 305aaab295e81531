//! Reasons: the CamelCase `reason` of conditions and events. Each constant says which
//! conditions write it; the same word may serve several checks (`MATCH`).

// --- Check conditions, passing ---

/// The observed object or setting is what the contract declares.
pub const MATCH: &str = "Match";
/// PortsValid: every declared port is served.
pub const ALL_PORTS_MATCH: &str = "AllPortsMatch";
/// PortsValid: the contract declares no port, so there is nothing to serve.
pub const NO_PORTS_DECLARED: &str = "NoPortsDeclared";
/// ServiceExists / WorkloadExists: the object was read.
pub const FOUND: &str = "Found";
/// ContractResolved: the contract was fetched (or is inline).
pub const RESOLVED: &str = "Resolved";
/// ContractValid: the contract parses and validates.
pub const VALID: &str = "Valid";
/// DependenciesSatisfied (and ReadinessSatisfied): every requirement is met.
pub const SATISFIED: &str = "Satisfied";
/// Health/MetricsEndpointValid: every ready replica answered acceptably.
pub const OK: &str = "OK";
/// ConfigurationMounted: every bound object is mounted or envFrom'd by the workload.
pub const MOUNTED: &str = "Mounted";
/// UpgradeStrategyMatch: the workload kind has no strategy to compare.
pub const NOT_APPLICABLE: &str = "NotApplicable";

// --- Check conditions, failing ---

/// The observed setting differs from the declared one.
pub const MISMATCH: &str = "Mismatch";
/// ServiceExists / WorkloadExists: the object does not exist.
pub const NOT_FOUND: &str = "NotFound";
/// ContractValid: the contract does not parse or validate.
pub const INVALID: &str = "Invalid";
/// PortsValid: declared ports the Service does not expose.
pub const MISSING_PORTS: &str = "MissingPorts";
/// PortsValid: a Service targetPort reaches no container port.
pub const TARGET_PORT_UNRESOLVED: &str = "TargetPortUnresolved";
/// ServiceSelectsWorkload: the Service has no selector.
pub const NO_SELECTOR: &str = "NoSelector";
/// ServiceSelectsWorkload: the selector does not match the pod template labels.
pub const SELECTOR_MISMATCH: &str = "SelectorMismatch";
/// StateModelMatch: a stateless service mounts persistent storage.
pub const UNEXPECTED_PERSISTENT_STORAGE: &str = "UnexpectedPersistentStorage";
/// StateModelMatch: a stateful service mounts no persistent storage.
pub const MISSING_PERSISTENT_STORAGE: &str = "MissingPersistentStorage";
/// ImageMatch: `service.image.ref` does not parse.
pub const INVALID_IMAGE_REF: &str = "InvalidImageRef";
/// ImageMatch: no container runs the declared image.
pub const MISSING: &str = "Missing";
/// HealthProbeMatch / endpoints: the health or metrics interface is not declared.
pub const INTERFACE_NOT_FOUND: &str = "InterfaceNotFound";
/// HealthProbeMatch / endpoints: the interface has no port.
pub const INTERFACE_HAS_NO_PORT: &str = "InterfaceHasNoPort";
/// HealthProbeMatch / HealthTimingMatch: no readiness or liveness probe.
pub const NO_PROBE: &str = "NoProbe";
/// HealthProbeMatch: the probe checks another port.
pub const PORT_MISMATCH: &str = "PortMismatch";
/// HealthProbeMatch: the probe checks another path.
pub const PATH_MISMATCH: &str = "PathMismatch";
/// HealthProbeMatch: the probe is TCP or exec, so it cannot check the health endpoint.
pub const PROBE_TYPE_MISMATCH: &str = "ProbeTypeMismatch";
/// ScalingMatch: the HPA's min/max are outside `scaling`.
pub const HPA_OUT_OF_RANGE: &str = "HpaOutOfRange";
/// ScalingMatch: the replica count is outside `scaling`.
pub const REPLICAS_OUT_OF_RANGE: &str = "ReplicasOutOfRange";
/// DependenciesSatisfied: a required dependency has no compatible Pacto.
pub const UNSATISFIED: &str = "Unsatisfied";
/// DependenciesSatisfied: only optional dependencies are missing (a warning).
pub const OPTIONAL_UNSATISFIED: &str = "OptionalUnsatisfied";
/// Health/MetricsEndpointValid: the Service has no ready endpoint to probe.
pub const NO_READY_ENDPOINTS: &str = "NoReadyEndpoints";
/// MetricsEndpointValid: HTTP 200 whose body is not Prometheus text.
pub const INVALID_METRICS: &str = "InvalidMetrics";
/// Health/MetricsEndpointValid: an unacceptable HTTP status code.
pub const INVALID_STATUS_CODE: &str = "InvalidStatusCode";
/// Health/MetricsEndpointValid: no HTTP answer.
pub const CONNECTION_FAILED: &str = "ConnectionFailed";
/// ConfigurationValid: a required configuration's object (or key) is absent.
pub const CONFIGURATION_ABSENT: &str = "ConfigurationAbsent";
/// ConfigurationValid: a value does not decode, violates its schema, or a binding names an
/// undeclared configuration.
pub const CONFIGURATION_INVALID: &str = "ConfigurationInvalid";
/// ConfigurationMounted: the workload neither mounts nor envFroms a bound object.
pub const NOT_MOUNTED: &str = "NotMounted";

// --- Check conditions, unknown ---

/// An API read failed, so the check could not be decided.
pub const OBSERVATION_FAILED: &str = "ObservationFailed";
/// Health/MetricsEndpointValid: not probed since the operator started.
pub const NOT_PROBED_YET: &str = "NotProbedYet";
/// Health/MetricsEndpointValid: the probe could not run (port unresolvable, ...).
pub const PROBE_NOT_RUN: &str = "ProbeNotRun";

// --- ContractValid / ContractResolved false: the contract or its reference is wrong ---

/// `pacto.yaml` does not parse.
pub const PARSE_ERROR: &str = "ParseError";
/// `spec.overrides` names a scope the contract does not have.
pub const INVALID_OVERRIDE: &str = "InvalidOverride";
/// `spec.contractRef.oci` is not a valid OCI reference.
pub const INVALID_REFERENCE: &str = "InvalidReference";
/// The artifact is not a valid Pacto bundle.
pub const INVALID_ARTIFACT: &str = "InvalidArtifact";
/// Neither `contractRef.oci` nor `contractRef.inline` is set.
pub const NO_CONTRACT_SOURCE: &str = "NoContractSource";

// --- ContractResolved unknown: the contract could not be obtained ---

/// The pull Secret exists but holds no usable credentials.
pub const PULL_SECRET_INVALID: &str = "PullSecretInvalid";
/// The pull Secret named by `spec.contractRef.pullSecretRef` does not exist.
pub const PULL_SECRET_NOT_FOUND: &str = "PullSecretNotFound";
/// The pull Secret could not be read.
pub const PULL_SECRET_UNREADABLE: &str = "PullSecretUnreadable";
/// The registry refused the credentials.
pub const REGISTRY_AUTH_FAILED: &str = "RegistryAuthFailed";
/// The registry has no such artifact.
pub const ARTIFACT_NOT_FOUND: &str = "ArtifactNotFound";
/// No tag satisfies the reference's version range.
pub const NO_MATCHING_VERSION: &str = "NoMatchingVersion";
/// The registry could not be reached.
pub const REGISTRY_UNAVAILABLE: &str = "RegistryUnavailable";

// --- ContractResolved false: the pull Secret does not fit the ref's registry ---

/// The pull Secret's `registry` key names another registry than the ref's: refused before
/// anything is sent (severity Error; the Pacto is Invalid until someone edits it).
pub const PULL_SECRET_REGISTRY_MISMATCH: &str = "PullSecretRegistryMismatch";
/// The pull Secret names no registry and the operator runs with
/// `--require-bound-pull-secrets`: refused (severity Error; the Pacto is Invalid).
pub const PULL_SECRET_UNBOUND: &str = "PullSecretUnbound";
/// The pull Secret names no registry and was used for the ref's registry (severity Warning:
/// add a `registry` key to the Secret to bind it).
pub const PULL_SECRET_UNBOUND_USED: &str = "PullSecretUnboundUsed";

// --- Summary conditions ---

/// Stalled: the contract is Invalid and needs a user change.
pub const STALLED_INVALID: &str = "Invalid";
/// Reconciling: something could not be observed and the operator retries.
pub const RECONCILING_RETRYING: &str = "Retrying";
/// ReadinessSatisfied: the readiness assessment has expired.
pub const READINESS_EXPIRED: &str = "Expired";
/// ReadinessSatisfied: the score is below `minScore`.
pub const READINESS_BELOW_MIN_SCORE: &str = "BelowMinScore";
/// ReadinessSatisfied: not expired and the score reaches `minScore`.
pub const READINESS_SATISFIED: &str = SATISFIED;

// --- Events on a Pacto ---

/// Event: `contractStatus` changed.
pub const EVENT_STATUS_CHANGED: &str = "StatusChanged";
/// Event: a new PactoRevision was recorded.
pub const EVENT_REVISION_CREATED: &str = "RevisionCreated";
/// Event: the same tag now points at different content.
pub const EVENT_TAG_OVERWRITTEN: &str = "TagOverwritten";
