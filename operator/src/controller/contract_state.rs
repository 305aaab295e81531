//! The contract of one reconcile: obtained, rejected, or unavailable (then the last one that
//! worked for the same generation is reused).

use std::sync::{Arc, LazyLock};

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use pacto_core::finding::Finding;
use pacto_core::validate::ValidationReport;
use pacto_crds::{Pacto, PactoSpec, reasons};

use super::context::{Context, LastGood};
use crate::api_error;
use crate::contract::creds::{BindingError, PullSecret};
use crate::contract::{self, ContractError, Dereferenced};
use crate::eval::{ResolutionIssue, Severity, Unavailable};
use crate::pacto_key::PactoKey;

/// What dereferencing `spec.contractRef` gave in this pass.
pub(super) enum ContractState {
    /// The contract was obtained (its validation report may still hold errors).
    Obtained(Arc<Dereferenced>),
    /// The contract cannot be parsed or resolved: only the findings are known.
    Rejected(Box<ValidationReport>),
    /// The contract could not be obtained (registry, Secret): an outage, not a contradiction.
    Unavailable {
        cause: Unavailable,
        /// Error category for the metrics and the retry.
        category: &'static str,
        /// The last contract that worked for the same Pacto generation, checked instead.
        last_good: Option<Arc<Dereferenced>>,
    },
}

/// The report of a pass with neither a contract nor findings (nothing could be obtained).
static NO_FINDINGS: LazyLock<ValidationReport> = LazyLock::new(ValidationReport::default);

impl ContractState {
    /// The contract the checks run against, valid or not.
    pub(super) fn current(&self) -> Option<&Arc<Dereferenced>> {
        match self {
            Self::Obtained(d) => Some(d),
            Self::Unavailable { last_good, .. } => last_good.as_ref(),
            Self::Rejected(_) => None,
        }
    }

    /// The current contract when it validates.
    pub(super) fn valid(&self) -> Option<&Arc<Dereferenced>> {
        self.current().filter(|d| d.is_valid())
    }

    pub(super) fn unavailable(&self) -> Option<&Unavailable> {
        match self {
            Self::Unavailable { cause, .. } => Some(cause),
            _ => None,
        }
    }

    /// Outage category, when the contract could not be obtained.
    pub(super) fn outage(&self) -> Option<&'static str> {
        match self {
            Self::Unavailable { category, .. } => Some(category),
            _ => None,
        }
    }

    /// Validation findings of this pass.
    pub(super) fn validation(&self) -> &ValidationReport {
        match (self, self.current()) {
            (Self::Rejected(report), _) => report,
            (_, Some(d)) => d.report.as_ref(),
            (_, None) => &NO_FINDINGS,
        }
    }
}

/// Finding code of a pull Secret refused for the ref's registry.
pub(super) const PULL_SECRET_REFUSED: &str = "PULL_SECRET_REFUSED";

/// Dereferences the Pacto's contract (reading its pull Secret first) and remembers a valid one.
/// The issue, when set, is a pull Secret refused (nothing sent) or used with a caveat.
pub(super) async fn contract_state(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
) -> (ContractState, Option<ResolutionIssue>) {
    let mut issue = None;
    let creds = match &pacto.spec.contract_ref.pull_secret_ref {
        Some(name) if pacto.spec.contract_ref.inline.is_none() => {
            let secret = match pull_secret(ctx, &key.namespace, name).await {
                Ok(s) => s,
                Err(u) => return (unavailable(ctx, pacto, key, u, "secret"), None),
            };
            match binding_issue(&pacto.spec, &secret, ctx.require_bound_pull_secrets) {
                Ok(caveat) => issue = caveat,
                Err(refused) => {
                    tracing::info!(pacto = %key, reason = %refused.reason, "{}", refused.message);
                    return (rejected(&refused), Some(refused));
                }
            }
            Some(secret.creds)
        }
        _ => None,
    };
    let state = dereferenced(ctx, pacto, key, creds.as_ref()).await;
    (state, issue)
}

/// Whether the Secret may go to the ref's registry: `Err` refuses it (nothing is sent), `Ok`
/// may carry a warning (an unbound Secret in use). A ref that does not parse is left to the
/// dereference, which rejects it without sending anything.
fn binding_issue(
    spec: &PactoSpec,
    secret: &PullSecret,
    require_bound: bool,
) -> Result<Option<ResolutionIssue>, ResolutionIssue> {
    let Some(r) = spec
        .contract_ref
        .oci
        .as_deref()
        .and_then(|oci| contract::parse_ref(oci).ok())
    else {
        return Ok(None);
    };
    match secret.binding_for(&r.registry, require_bound) {
        Ok(binding) => Ok(binding.warning().map(|message| ResolutionIssue {
            reason: reasons::PULL_SECRET_UNBOUND_USED.into(),
            message,
            severity: Severity::Warning,
        })),
        Err(e) => Err(ResolutionIssue {
            reason: match e {
                BindingError::Mismatch { .. } => reasons::PULL_SECRET_REGISTRY_MISMATCH,
                BindingError::Unbound { .. } => reasons::PULL_SECRET_UNBOUND,
            }
            .into(),
            message: e.to_string(),
            severity: Severity::Error,
        }),
    }
}

/// A refused pull Secret rejects the dereference: a configuration error of the Pacto.
fn rejected(refused: &ResolutionIssue) -> ContractState {
    ContractState::Rejected(Box::new(ValidationReport {
        errors: vec![Finding::error(
            PULL_SECRET_REFUSED,
            "spec.contractRef.pullSecretRef",
            refused.message.clone(),
        )],
        ..ValidationReport::default()
    }))
}

async fn dereferenced(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    creds: Option<&contract::SecretCreds>,
) -> ContractState {
    match contract::dereference(&pacto.spec, creds, &ctx.cache, &ctx.metrics).await {
        Ok(d) => {
            let d = Arc::new(d);
            if d.is_valid()
                && let Ok(mut m) = ctx.last_good.lock()
            {
                m.insert(
                    key.clone(),
                    LastGood {
                        generation: pacto.metadata.generation,
                        contract: d.clone(),
                    },
                );
            }
            ContractState::Obtained(d)
        }
        Err(ContractError::Invalid { findings, .. }) => {
            ContractState::Rejected(Box::new(ValidationReport {
                errors: findings,
                ..ValidationReport::default()
            }))
        }
        Err(ContractError::Unavailable {
            reason,
            message,
            category,
        }) => unavailable(
            ctx,
            pacto,
            key,
            Unavailable {
                reason: reason.into(),
                message,
            },
            category,
        ),
    }
}

fn unavailable(
    ctx: &Context,
    pacto: &Pacto,
    key: &PactoKey,
    cause: Unavailable,
    category: &'static str,
) -> ContractState {
    // Keep checking against the last contract that worked: an outage is not a contradiction.
    let last_good = ctx
        .last_good
        .lock()
        .ok()
        .and_then(|m| m.get(key).cloned())
        .filter(|last| last.generation == pacto.metadata.generation)
        .map(|last| last.contract);
    ContractState::Unavailable {
        cause,
        category,
        last_good,
    }
}

/// Reads the pull Secret by name (never a watch or cache of Secrets).
async fn pull_secret(ctx: &Context, ns: &str, name: &str) -> Result<PullSecret, Unavailable> {
    let api: Api<Secret> = Api::namespaced(ctx.client.clone(), ns);
    match api.get_opt(name).await {
        Ok(Some(s)) => {
            let data = s
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect();
            contract::creds::parse_pull_secret(name, s.type_.as_deref(), &data)
                .map(|secret| PullSecret {
                    name: format!("{ns}/{name}"),
                    ..secret
                })
                .map_err(|e| Unavailable {
                    reason: reasons::PULL_SECRET_INVALID.into(),
                    message: e.to_string(),
                })
        }
        Ok(None) => Err(Unavailable {
            reason: reasons::PULL_SECRET_NOT_FOUND.into(),
            message: format!(
                "pull secret {ns}/{name} (spec.contractRef.pullSecretRef) does not exist"
            ),
        }),
        Err(e) => Err(Unavailable {
            reason: reasons::PULL_SECRET_UNREADABLE.into(),
            message: format!(
                "cannot read pull secret {ns}/{name}: {}",
                api_error::short(&e)
            ),
        }),
    }
}
