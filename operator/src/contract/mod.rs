//! Contract dereference: `spec.contractRef` (inline YAML or an OCI reference) to an effective,
//! validated contract. Failures are split by meaning: [`ContractError::Invalid`] (the contract
//! or reference is wrong: status Invalid) versus [`ContractError::Unavailable`] (registry or
//! Secret could not be read: status Unknown, retried with backoff).

pub mod access;
pub mod cache;
pub mod creds;
mod pull;

use pacto_crds::reasons;
use std::sync::Arc;

use pacto_core::Bundle;
use pacto_core::finding::Finding;
use pacto_core::oci_ref::{self, OciRef};
use pacto_core::percent::percent_decode;
use pacto_core::scope_overrides::OverriddenKeys;
use pacto_core::validate::ValidationReport;
use pacto_core::validate::config_value::ConfigSchemas;
use pacto_crds::effective::{EffectiveContractError, effective_contract};
use pacto_crds::{PactoSpec, ResolutionPolicy};
use pacto_oci::OciError;
use sha2::{Digest, Sha256};

pub use cache::{ContractCache, PulledContent};
pub use creds::{SecretCreds, SecretError};

use crate::metrics::Metrics;

/// Where the effective contract came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Inline,
    Oci {
        /// Reference as written (normalised).
        requested: String,
        /// Concrete reference pulled, with the resolved tag.
        resolved: String,
        /// The tag pulled, when any.
        tag: Option<String>,
        /// Manifest digest (`sha256:...`).
        digest: String,
    },
}

/// A contract ready for evaluation. Only what evaluation needs: no bundle files and no copy
/// of `pacto.yaml`, because the reconciler keeps one of these per valid Pacto (`last_good`)
/// outside the byte-capped content cache, which alone holds bundle content.
#[derive(Debug, Clone)]
pub struct Dereferenced {
    pub origin: Origin,
    pub policy: Option<ResolutionPolicy>,
    /// sha256 hex of the `pacto.yaml` text as stored (before overrides): the identity of a
    /// revision's content.
    pub content_hash: String,
    /// Keys replaced by overrides, per configuration scope.
    pub overridden: OverriddenKeys,
    /// Validation of the effective contract (holds the typed contract when it parsed).
    pub report: Arc<ValidationReport>,
    /// The compiled bundled configuration schemas, for the live configuration checks
    /// (compiled once per content and shared, like the report).
    pub config_schemas: Arc<ConfigSchemas>,
}

impl Dereferenced {
    pub fn is_valid(&self) -> bool {
        self.report.is_valid()
    }

    /// The manifest digest, for OCI contracts.
    pub fn digest(&self) -> Option<&str> {
        match &self.origin {
            Origin::Oci { digest, .. } => Some(digest),
            Origin::Inline => None,
        }
    }

    pub fn resolved_ref(&self) -> Option<&str> {
        match &self.origin {
            Origin::Oci { resolved, .. } => Some(resolved),
            Origin::Inline => None,
        }
    }
}

/// Why no contract could be produced.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The Pacto's contract is wrong; retrying will not help until someone edits something.
    #[error("{message}")]
    Invalid {
        reason: &'static str,
        message: String,
        findings: Vec<Finding>,
    },
    /// The contract could not be fetched; retried with backoff.
    #[error("{message}")]
    Unavailable {
        reason: &'static str,
        category: &'static str,
        message: String,
    },
}

impl ContractError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid { reason, .. } | Self::Unavailable { reason, .. } => reason,
        }
    }

    fn invalid(reason: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid {
            reason,
            findings: vec![Finding::error(
                "CONTRACT_UNAVAILABLE",
                "spec.contractRef",
                message.clone(),
            )],
            message,
        }
    }

    /// Maps a failed stage of the effective-contract pipeline: both are the contract's fault.
    fn from_effective(e: EffectiveContractError) -> Self {
        let reason = match e {
            EffectiveContractError::Parse(_) => reasons::PARSE_ERROR,
            EffectiveContractError::Override { .. } => reasons::INVALID_OVERRIDE,
        };
        Self::Invalid {
            reason,
            message: e.to_string(),
            findings: vec![e.finding()],
        }
    }

    /// Maps a registry error: a wrong reference or broken artifact is Invalid, anything about
    /// reaching or authenticating to the registry is Unavailable.
    pub fn from_oci(e: &OciError) -> Self {
        match e {
            OciError::InvalidRef(_) | OciError::InvalidRange { .. } => {
                Self::invalid(reasons::INVALID_REFERENCE, e.to_string())
            }
            OciError::InvalidArtifact { .. } | OciError::Bundle { .. } => {
                Self::invalid(reasons::INVALID_ARTIFACT, e.to_string())
            }
            _ => Self::Unavailable {
                reason: match e.category() {
                    "auth" => reasons::REGISTRY_AUTH_FAILED,
                    "not_found" => reasons::ARTIFACT_NOT_FOUND,
                    "no_matching_version" => reasons::NO_MATCHING_VERSION,
                    _ => reasons::REGISTRY_UNAVAILABLE,
                },
                category: e.category(),
                message: e.to_string(),
            },
        }
    }
}

/// How an OCI reference resolves, from its shape.
pub fn resolution_policy(r: &OciRef) -> ResolutionPolicy {
    if r.digest.is_some() {
        ResolutionPolicy::PinnedDigest
    } else if r.tag.is_some() {
        ResolutionPolicy::PinnedTag
    } else {
        ResolutionPolicy::Latest
    }
}

/// Parses `contractRef.oci`; tolerates the `oci://` scheme and percent-encoding.
pub fn parse_ref(text: &str) -> Result<OciRef, ContractError> {
    let trimmed = text.trim();
    let decoded = percent_decode(trimmed)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    oci_ref::parse(&decoded).map_err(|e| {
        ContractError::invalid(
            reasons::INVALID_REFERENCE,
            format!("spec.contractRef.oci: {e}"),
        )
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Turns raw contract text plus its bundle into a [`Dereferenced`]: parse, overrides, then
/// validation ([`effective_contract`], shared with the dashboard). Pure: no I/O.
pub fn finish(
    origin: Origin,
    policy: Option<ResolutionPolicy>,
    raw_yaml: Arc<str>,
    bundle: Arc<Bundle>,
    spec: &PactoSpec,
) -> Result<Dereferenced, ContractError> {
    finish_cached(origin, policy, raw_yaml, bundle, spec, None)
}

/// [`finish`], reusing the validation of identical (content, bundle, overrides) from `cache`:
/// many Pactos share one contract, and one shared report also keeps memory flat.
pub fn finish_cached(
    origin: Origin,
    policy: Option<ResolutionPolicy>,
    raw_yaml: Arc<str>,
    bundle: Arc<Bundle>,
    spec: &PactoSpec,
    cache: Option<&ContractCache>,
) -> Result<Dereferenced, ContractError> {
    let content_hash = sha256_hex(raw_yaml.as_bytes());
    let bundle_id = match &origin {
        Origin::Oci { digest, .. } => digest.clone(),
        Origin::Inline => "inline".to_string(),
    };
    let overrides_json = serde_json::to_string(&spec.overrides).unwrap_or_default();
    let key = sha256_hex(format!("{bundle_id}\0{content_hash}\0{overrides_json}").as_bytes());
    if let Some((overridden, report, config_schemas)) = cache.and_then(|c| c.validated(&key)) {
        return Ok(Dereferenced {
            origin,
            policy,
            content_hash,
            overridden,
            report,
            config_schemas,
        });
    }
    let effective = effective_contract(&raw_yaml, &bundle, spec.overrides.as_ref())
        .map_err(ContractError::from_effective)?;
    let (overridden, report) = (effective.overridden, Arc::new(effective.report));
    // Only a valid contract is checked against the cluster.
    let config_schemas = Arc::new(match &report.contract {
        Some(c) if report.is_valid() => ConfigSchemas::compile(c, &bundle),
        _ => ConfigSchemas::default(),
    });
    if let Some(c) = cache {
        c.put_validated(
            key,
            (overridden.clone(), report.clone(), config_schemas.clone()),
        );
    }
    Ok(Dereferenced {
        origin,
        policy,
        content_hash,
        overridden,
        report,
        config_schemas,
    })
}

/// Dereferences a Pacto's contract. `creds` come from its pull Secret, read by the caller.
pub async fn dereference(
    spec: &PactoSpec,
    creds: Option<&SecretCreds>,
    cache: &ContractCache,
    metrics: &Metrics,
) -> Result<Dereferenced, ContractError> {
    if let Some(inline) = &spec.contract_ref.inline {
        return finish_cached(
            Origin::Inline,
            None,
            Arc::from(inline.as_str()),
            Arc::new(Bundle::new()),
            spec,
            Some(cache),
        );
    }
    let Some(oci) = &spec.contract_ref.oci else {
        return Err(ContractError::invalid(
            reasons::NO_CONTRACT_SOURCE,
            "spec.contractRef: set oci or inline",
        ));
    };
    let requested = parse_ref(oci)?;
    let policy = resolution_policy(&requested);
    let client = cache
        .client_for(&requested, creds)
        .map_err(|e| ContractError::from_oci(&e))?;
    let credential = cache::credential_id(&requested, creds);
    let puller = pull::Puller {
        client: &client,
        credential: &credential,
        cache,
        metrics,
    };
    let pulled = puller.pull(&requested).await?;
    let raw = pulled.raw_yaml.clone().ok_or_else(|| {
        ContractError::invalid(
            reasons::INVALID_ARTIFACT,
            format!("{}: the bundle has no pacto.yaml", pulled.resolved),
        )
    })?;
    finish_cached(
        Origin::Oci {
            requested: requested.to_string(),
            resolved: pulled.resolved.to_string(),
            tag: pulled.resolved.tag.clone(),
            digest: pulled.digest.clone(),
        },
        Some(policy),
        raw,
        pulled.bundle.clone(),
        spec,
        Some(cache),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str =
        "pactoVersion: \"1.0\"\nservice:\n  name: svc\n  version: 1.0.0\n  owner:\n    team: t\n";

    fn spec(inline: &str) -> PactoSpec {
        serde_json::from_value(serde_json::json!({
            "contractRef": {"inline": inline}
        }))
        .expect("spec")
    }

    #[test]
    fn policy_follows_the_reference_shape() {
        let p = |s: &str| parse_ref(s).map(|r| resolution_policy(&r)).ok();
        assert_eq!(p("r.io/a/b"), Some(ResolutionPolicy::Latest));
        assert_eq!(p("oci://r.io/a/b:1.2.3"), Some(ResolutionPolicy::PinnedTag));
        let d = format!("r.io/a/b@sha256:{}", "a".repeat(64));
        assert_eq!(p(&d), Some(ResolutionPolicy::PinnedDigest));
        assert_eq!(p("r.io%2Fa%2Fb:1.0.0"), Some(ResolutionPolicy::PinnedTag));
        assert!(matches!(
            parse_ref("UPPER CASE/::"),
            Err(ContractError::Invalid { .. })
        ));
    }

    #[test]
    fn inline_contract_is_hashed_and_validated() {
        let d = finish(
            Origin::Inline,
            None,
            Arc::from(VALID),
            Arc::new(Bundle::new()),
            &spec(VALID),
        )
        .expect("derefs");
        assert!(d.is_valid(), "{:?}", d.report.errors);
        assert_eq!(d.content_hash, sha256_hex(VALID.as_bytes()));
        assert!(d.report.contract.is_some());
    }

    #[test]
    fn unparseable_and_invalid_contracts_are_distinguished() {
        let bad = "service: [unclosed";
        let e = finish(
            Origin::Inline,
            None,
            Arc::from(bad),
            Arc::new(Bundle::new()),
            &spec(bad),
        )
        .err();
        assert!(
            matches!(
                e,
                Some(ContractError::Invalid {
                    reason: "ParseError",
                    ..
                })
            ),
            "{e:?}"
        );
        let semver = VALID.replace("1.0.0", "not-semver");
        let d = finish(
            Origin::Inline,
            None,
            Arc::from(semver.as_str()),
            Arc::new(Bundle::new()),
            &spec(&semver),
        )
        .expect("parses");
        assert!(!d.is_valid());
    }

    #[test]
    fn an_override_of_an_unknown_scope_is_an_invalid_override() {
        let mut typo = spec(VALID);
        typo.overrides = Some(pacto_crds::Overrides {
            configurations: vec![pacto_crds::ConfigurationOverride {
                name: "typo".into(),
                values: [("PORT".to_string(), "80".to_string())].into(),
            }],
        });
        let e = finish(
            Origin::Inline,
            None,
            Arc::from(VALID),
            Arc::new(Bundle::new()),
            &typo,
        )
        .err();
        let Some(ContractError::Invalid {
            reason, findings, ..
        }) = e
        else {
            panic!("{e:?}")
        };
        assert_eq!(reason, "InvalidOverride");
        assert_eq!(findings[0].code, "UNKNOWN_OVERRIDE_SCOPE");
    }

    #[test]
    fn identical_content_and_overrides_share_one_validation() {
        let kc = SecretCreds::Token("t".into()).keychain("r.io");
        let cache = ContractCache::new(
            kc,
            pacto_oci::RegistryOptions::default(),
            std::time::Duration::from_secs(1),
        )
        .expect("cache");
        let run = |spec: &PactoSpec| {
            finish_cached(
                Origin::Inline,
                None,
                Arc::from(VALID),
                Arc::new(Bundle::new()),
                spec,
                Some(&cache),
            )
            .expect("derefs")
        };
        let a = run(&spec(VALID));
        let b = run(&spec(VALID));
        assert!(
            Arc::ptr_eq(&a.report, &b.report),
            "second Pacto reuses the report"
        );
        let mut other = spec(VALID);
        other.overrides = Some(pacto_crds::Overrides::default());
        let c = run(&other);
        assert!(
            !Arc::ptr_eq(&a.report, &c.report),
            "different overrides validate again"
        );
        assert!(c.is_valid());
    }

    /// Rough resident size of what the reconciler keeps per Pacto (`last_good`): the
    /// serialised contract, report and override keys stand in for their heap size.
    fn retained_estimate(d: &Dereferenced) -> usize {
        json_len(&d.report.contract)
            + json_len(&*d.report)
            + json_len(&d.overridden)
            + d.content_hash.len()
            + format!("{:?}", d.origin).len()
    }

    fn json_len<T: serde::Serialize>(v: &T) -> usize {
        serde_json::to_vec(v).map_or(0, |v| v.len())
    }

    #[test]
    fn the_retained_contract_holds_no_bundle_bytes() {
        let mut bundle = Bundle::new();
        bundle.insert("pacto.yaml", VALID.as_bytes().to_vec());
        // Gzip-bomb shaped: 20 MiB of zeros, tiny on the wire, huge unpacked.
        bundle.insert("docs/big.bin", vec![0; 20 << 20]);
        let bundle = Arc::new(bundle);
        let weak = Arc::downgrade(&bundle);
        let digest = format!("sha256:{}", "b".repeat(64));
        let d = finish(
            Origin::Oci {
                requested: "r.io/a/b:1.0.0".into(),
                resolved: "r.io/a/b:1.0.0".into(),
                tag: Some("1.0.0".into()),
                digest,
            },
            Some(ResolutionPolicy::PinnedTag),
            Arc::from(VALID),
            bundle,
            &spec(VALID),
        )
        .expect("derefs");
        assert!(d.is_valid(), "{:?}", d.report.errors);
        assert!(
            weak.upgrade().is_none(),
            "the dereferenced contract keeps no reference to the bundle"
        );
        let kept = retained_estimate(&d);
        assert!(
            kept < 16 * 1024,
            "retained {kept} bytes for a 20 MiB bundle"
        );
    }

    #[test]
    fn registry_errors_are_unavailable_but_bad_artifacts_invalid() {
        let e = ContractError::from_oci(&OciError::Unreachable {
            reference: "r".into(),
            detail: "refused".into(),
        });
        assert!(matches!(
            e,
            ContractError::Unavailable {
                reason: "RegistryUnavailable",
                ..
            }
        ));
        let e = ContractError::from_oci(&OciError::InvalidArtifact {
            reference: "r".into(),
            reason: "x".into(),
        });
        assert!(matches!(e, ContractError::Invalid { .. }));
        let e = ContractError::from_oci(&OciError::NotFound {
            reference: "r".into(),
        });
        assert_eq!(e.reason(), "ArtifactNotFound");
    }
}
