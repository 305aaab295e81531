//! Pure evaluation: (contract, observed snapshot, probe results, previous status) -> desired
//! status, transition events and whether the status changed in meaning.
//!
//! No I/O and no clock: the runtime passes `now`, so the same input always gives the same
//! output and every rule is unit-tested from YAML fixtures.

pub mod check;
mod checks;
mod conditions;
mod coverage;
pub mod dependencies;
pub mod draft;
pub mod events;
mod findings;
pub(crate) mod interfaces;
mod meaning;
mod observed_fields;
pub mod probe_targets;
pub mod probes;
mod project;
pub mod prometheus_text;
pub mod readiness;
pub mod revision_name;
mod service_ports;
mod stabilize;
mod status;
pub mod status_bound;
pub mod target_snapshot;

pub use check::{Check, CheckResult, Outcome, Severity};
pub use draft::{Evidence, FindingDraft};
pub use events::{EventType, TransitionEvent};
pub use meaning::meaning_changed;
pub use probes::{EndpointProbe, ProbeKind, ProbeResults, ReplicaResult};
pub use target_snapshot::{
    ConfigObject, Observed, ObservedConfig, ObservedDependency, ObservedSnapshot, Workload,
    asserted_kind, workload_of,
};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use pacto_core::Contract;
use pacto_core::validate::ValidationReport;
use pacto_crds::status::RevisionSummary;
use pacto_crds::{Overrides, PactoStatus, ResolutionPolicy, Target};

/// Default number of agreeing probe rounds before an endpoint condition flips.
pub const DEFAULT_PROBE_THRESHOLD: u32 = 3;

/// Tunables of the evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalSettings {
    /// Consecutive agreeing probe rounds needed to flip HealthEndpointValid /
    /// MetricsEndpointValid once they have a value (the first value is taken at once).
    pub probe_threshold: u32,
    /// An interface without a binding or a declared port is served by the Service port of
    /// the same name (the reference operator's `--interface-name-match-discovery`).
    pub interface_name_match: bool,
    /// How long a negative observation of an interface, capability or dependency must last
    /// before a check that passed becomes a failure (see `stabilize`). Zero here: the
    /// evaluation reports at once unless told otherwise; the binary's flag defaults to 2m.
    pub stabilization_window: std::time::Duration,
}

impl Default for EvalSettings {
    fn default() -> Self {
        Self {
            probe_threshold: DEFAULT_PROBE_THRESHOLD,
            interface_name_match: true,
            stabilization_window: std::time::Duration::ZERO,
        }
    }
}

/// The contract could not be obtained (registry or Secret unreachable): `Unknown`, never
/// `NonCompliant` or `Invalid`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable {
    /// CamelCase condition reason, e.g. `RegistryUnavailable`, `PullSecretUnreadable`.
    pub reason: String,
    /// Human-readable cause.
    pub message: String,
}

/// ContractResolved is False although nothing was unavailable: the pull Secret was refused for
/// the ref's registry before anything was sent (severity `Error`; the dereference is rejected,
/// so the Pacto is `Invalid`), or used with a caveat such as naming no registry (`Warning`).
#[derive(Clone, Debug, PartialEq)]
pub struct ResolutionIssue {
    /// CamelCase condition reason, e.g. `PullSecretRegistryMismatch`.
    pub reason: String,
    /// Human-readable cause and what to change.
    pub message: String,
    /// Weight of the failed ContractResolved condition.
    pub severity: Severity,
}

/// Where the contract came from; copied into status and used for revision/tag events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceInfo {
    /// From the shape of `contractRef.oci`; `None` for inline.
    pub resolution_policy: Option<ResolutionPolicy>,
    /// Concrete reference pulled (with the resolved tag); `None` for inline.
    pub resolved_ref: Option<String>,
    /// Manifest digest of the pulled bundle (`sha256:...`), or content digest for inline.
    pub digest: Option<String>,
    /// PactoRevision name for the current content (see [`revision_name`]).
    pub current_revision: Option<String>,
    /// Known revisions, newest first (the runtime owns the PactoRevision objects).
    pub revisions: Vec<RevisionSummary>,
}

/// Everything one evaluation needs.
#[derive(Clone, Copy, Debug)]
pub struct EvalInput<'a> {
    /// The effective contract (overrides applied); `None` when it failed to parse or validate,
    /// or could not be obtained.
    pub contract: Option<&'a Contract>,
    /// Validation of the effective contract (errors ⇒ `Invalid`).
    pub validation: &'a ValidationReport,
    /// Set when the contract could not be fetched; with `contract: None` the Pacto is
    /// `Unknown`, with a (cached) contract the checks still run and the Pacto is at least
    /// `Unknown`.
    pub unavailable: Option<&'a Unavailable>,
    /// Set when the pull Secret was refused or used with a caveat (ContractResolved False);
    /// `unavailable` wins when both are set.
    pub resolution_issue: Option<&'a ResolutionIssue>,
    /// `spec.overrides`, to report overridden configuration keys.
    pub overrides: Option<&'a Overrides>,
    /// `spec.target`; `None` (or both fields empty) ⇒ `Reference`.
    pub target: Option<&'a Target>,
    /// Objects read from the API.
    pub snapshot: &'a ObservedSnapshot,
    /// Latest endpoint probe results.
    pub probes: &'a ProbeResults,
    /// Status currently stored on the Pacto.
    pub previous: Option<&'a PactoStatus>,
    /// Contract source facts.
    pub source: &'a SourceInfo,
    /// `metadata.generation` of the Pacto.
    pub generation: Option<i64>,
    /// Evaluation time (condition transitions, lastCheckedTime).
    pub now: &'a Time,
    /// Tunables.
    pub settings: &'a EvalSettings,
}

/// Output of [`evaluate`].
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The complete desired status (write it whole when `meaning_changed`).
    pub status: PactoStatus,
    /// Events for transitions only (empty on a quiet pass).
    pub events: Vec<TransitionEvent>,
    /// The status differs from `previous` in something other than volatile fields
    /// (latencies, lastCheckedTime, lastReconciledAt).
    pub meaning_changed: bool,
    /// Every check that ran, with its severity (for metrics).
    pub checks: Vec<CheckResult>,
    /// A check is held by the stabilization window: evaluate again after this long, when it
    /// would become a failure.
    pub recheck_after: Option<std::time::Duration>,
}

/// Evaluates one Pacto. Pure and total: hostile input yields conditions, never a panic.
///
/// A Pacto without `spec.target` is a reference: nothing in the cluster is checked.
///
/// ```
/// use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
/// use k8s_openapi::jiff::Timestamp;
/// use pacto_core::Bundle;
/// use pacto_core::validate::{ValidateOptions, validate_bundle};
/// use pacto_crds::ContractStatus;
/// use pacto_operator::eval::{
///     EvalInput, EvalSettings, ObservedSnapshot, ProbeResults, SourceInfo, evaluate,
/// };
///
/// let mut bundle = Bundle::new();
/// bundle.insert(
///     "pacto.yaml",
///     b"pactoVersion: \"1.0\"\nservice: {name: orders, version: 1.2.0, owner: team/shop}\n".to_vec(),
/// );
/// let validation = validate_bundle(&bundle, &ValidateOptions::default());
/// let now = Time(Timestamp::from_second(1_700_000_000)?);
/// let evaluation = evaluate(&EvalInput {
///     contract: validation.contract.as_ref(),
///     validation: &validation,
///     unavailable: None,
///     resolution_issue: None,
///     overrides: None,
///     target: None,
///     snapshot: &ObservedSnapshot::default(),
///     probes: &ProbeResults::default(),
///     previous: None,
///     source: &SourceInfo::default(),
///     generation: Some(1),
///     now: &now,
///     settings: &EvalSettings::default(),
/// });
/// assert_eq!(evaluation.status.contract_status, Some(ContractStatus::Reference));
/// // No previous status: this one must be written.
/// assert!(evaluation.meaning_changed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(input: &EvalInput<'_>) -> Evaluation {
    let mut checks = checks::run(input);
    let stable = stabilize::apply(
        &mut checks,
        input.previous,
        input.now,
        input.settings.stabilization_window,
    );
    let mut status = status::build(input, &checks);
    status.observation_windows = stable.windows;
    let meaning_changed = input
        .previous
        .is_none_or(|prev| meaning::meaning_changed(prev, &status));
    let events = events::transitions(input.previous, &status, input.source);
    Evaluation {
        status,
        events,
        meaning_changed,
        checks,
        recheck_after: stable.recheck_after,
    }
}
