//! Kubernetes custom resources of Pacto: `Pacto` and `PactoRevision` in
//! `pacto.trianalab.io/v1alpha1`, and the generator of their CRD manifests.

pub mod bindings;
pub mod effective;
pub mod findings;
pub mod generate;
pub mod pacto;
pub mod revision;
pub mod status;
pub mod vocabulary;

pub use bindings::{ConfigBinding, ConfigBindingKind, ConfigFormat, InterfaceBinding};
pub use pacto::{
    ConfigurationOverride, ContractRef, Overrides, Pacto, PactoSpec, Target, WorkloadKind,
    WorkloadRef,
};
pub use revision::{PactoRevision, PactoRevisionSpec, PactoRevisionStatus, RevisionSource};
pub use status::{PactoStatus, ResolutionPolicy};
pub use vocabulary::{
    CheckCondition, ContractStatus, READINESS_SATISFIED, READY, RECONCILING, STALLED,
    SUMMARY_CONDITIONS, UnknownName, reasons,
};

/// API group of both kinds.
pub const GROUP: &str = "pacto.trianalab.io";
/// API version of both kinds.
pub const VERSION: &str = "v1alpha1";
