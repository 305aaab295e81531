//! Inline contracts of Pacto objects (`spec.contractRef.inline`) as a contract-content source,
//! the lowest priority one: parsed, overridden (`spec.overrides`) and validated exactly as the
//! operator does, so a Pacto no other source knows still shows its contract. Each Pacto is
//! re-validated only when its inline text or overrides change.

use super::records::runtime_record;
use crate::model::{InlineContract, Locator, SourceKind, VersionRecord};
use crate::sources::lock;
use crate::summarize::{from_report, identity_of};
use kube::ResourceExt;
use pacto_core::bundle::{Bundle, CONTRACT_FILE};
use pacto_core::validate::ValidationReport;
use pacto_crds::Pacto;
use pacto_crds::effective::effective_contract;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

// The record lives in `model` (a locator holds it); reading it from a Pacto happens here.
impl InlineContract {
    /// `None` when the Pacto's contract is not inline.
    pub fn of(p: &Pacto) -> Option<Self> {
        let text = p.spec.contract_ref.inline.as_deref()?;
        let overrides = p.spec.overrides.clone();
        let mut h = Sha256::new();
        h.update(text.as_bytes());
        h.update([0]);
        h.update(serde_json::to_vec(&overrides).unwrap_or_default());
        Some(InlineContract {
            namespace: p.namespace().unwrap_or_default(),
            object: p.name_any(),
            text: Arc::from(text),
            overrides,
            hash: hex::encode(h.finalize()),
        })
    }
}

/// The effective contract of an inline Pacto and its validation.
pub struct Effective {
    /// `service.name` / `service.version` as written (also for an invalid contract).
    pub identity: crate::summarize::DeclaredIdentity,
    pub report: ValidationReport,
    /// A bundle holding only `pacto.yaml` (the text as stored), for the contract view.
    pub bundle: Bundle,
}

/// Parse (1 MiB cap of the core), overrides, validation against an empty bundle: the
/// operator's pipeline ([`effective_contract`]). Parse and override failures become error
/// findings; the identity is read from the document whenever it parsed.
pub fn effective(c: &InlineContract) -> Effective {
    let mut bundle = Bundle::new();
    bundle.insert(CONTRACT_FILE, c.text.as_bytes().to_vec());
    let (identity, report) = match effective_contract(&c.text, &Bundle::new(), c.overrides.as_ref())
    {
        Ok(e) => (identity_of(&e.document), e.report),
        Err(e) => (
            e.document().map(identity_of).unwrap_or_default(),
            ValidationReport::from_error(e.finding()),
        ),
    };
    Effective {
        identity,
        report,
        bundle,
    }
}

/// The version record of an inline Pacto; an unnamed or unparseable contract is listed
/// under the service the Pacto's runtime record names, so both land on one service.
pub fn record(p: &Pacto, c: InlineContract) -> VersionRecord {
    let eff = effective(&c);
    let summary = from_report(&eff.report, c.text.as_bytes(), eff.bundle.total_size() + 64);
    let crate::summarize::DeclaredIdentity { name, version } = eff.identity;
    VersionRecord {
        name: name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| runtime_record(p).service),
        version: version
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "unversioned".into()),
        source: SourceKind::K8s,
        locator: Locator::Inline(Arc::new(c)),
        summary: Some(Arc::new(summary)),
    }
}

/// Records by Pacto object, reused while the spec is unchanged.
#[derive(Default)]
pub struct InlineCache {
    /// (namespace, name) → (uid, generation, content hash, record).
    seen: Mutex<HashMap<(String, String), Seen>>,
}

struct Seen {
    uid: Option<String>,
    generation: Option<i64>,
    hash: String,
    record: VersionRecord,
}

impl InlineCache {
    /// The record of every inline Pacto; only new or edited ones are validated. A status
    /// update leaves the generation unchanged, so it costs no hashing either.
    pub fn records(&self, pactos: &[Arc<Pacto>]) -> Vec<VersionRecord> {
        let mut seen = lock(&self.seen);
        let mut fresh = HashMap::with_capacity(seen.len());
        let mut out = Vec::new();
        for p in pactos {
            let key = (p.namespace().unwrap_or_default(), p.name_any());
            let (uid, generation) = (p.metadata.uid.clone(), p.metadata.generation);
            let old = match seen.remove(&key) {
                Some(s) if generation.is_some() && s.generation == generation && s.uid == uid => {
                    out.push(s.record.clone());
                    fresh.insert(key, s);
                    continue;
                }
                other => other,
            };
            let Some(c) = InlineContract::of(p) else {
                continue;
            };
            let hash = c.hash.clone();
            let rec = match old {
                Some(s) if s.hash == hash => s.record,
                _ => record(p, c),
            };
            out.push(rec.clone());
            fresh.insert(
                key,
                Seen {
                    uid,
                    generation,
                    hash,
                    record: rec,
                },
            );
        }
        *seen = fresh;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inputs;
    use crate::snapshot::Snapshot;

    const ORDERS: &str = "pactoVersion: \"1.0\"\nservice:\n  name: orders\n  version: 1.4.0\n  owner:\n    team: shop\ninterfaces:\n  - name: api\n    type: http\n    port: 8080\ndependencies:\n  - ref: oci://r.example/acme/payments:2.0.0\n    required: true\n    compatibility: ^2.0.0\n";

    fn pacto(name: &str, generation: i64, spec: serde_json::Value) -> Pacto {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
            "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}"),
                "generation": generation},
            "spec": spec,
            "status": {"contract": {"serviceName": format!("{name}-svc")}}
        }))
        .unwrap()
    }

    fn inline(name: &str, generation: i64, text: &str) -> Pacto {
        pacto(
            name,
            generation,
            serde_json::json!({"contractRef": {"inline": text}}),
        )
    }

    fn only(p: &Pacto) -> VersionRecord {
        record(p, InlineContract::of(p).unwrap())
    }

    fn codes(r: &VersionRecord) -> Vec<String> {
        r.summary
            .as_ref()
            .unwrap()
            .errors
            .iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn valid_inline_contract_becomes_a_k8s_version() {
        let r = only(&inline("orders", 1, ORDERS));
        assert_eq!((r.name.as_str(), r.version.as_str()), ("orders", "1.4.0"));
        assert_eq!(r.source, SourceKind::K8s);
        let s = r.summary.as_ref().unwrap();
        assert!(s.valid, "{:?}", s.errors);
        assert_eq!(s.owner.as_deref(), Some("shop"));
        assert_eq!(s.dependencies[0].name, "payments");
        assert_eq!(s.contract_hash, hex::encode(Sha256::digest(ORDERS)));
        let Locator::Inline(c) = &r.locator else {
            panic!("{:?}", r.locator)
        };
        assert_eq!(
            (c.namespace.as_str(), c.object.as_str()),
            ("shop", "orders")
        );
    }

    #[test]
    fn invalid_inline_contract_is_listed_with_its_errors() {
        let r = only(&inline("orders", 1, &ORDERS.replace("1.4.0", "not-semver")));
        assert_eq!(
            (r.name.as_str(), r.version.as_str()),
            ("orders", "not-semver")
        );
        assert!(!r.summary.as_ref().unwrap().valid);
        assert!(!codes(&r).is_empty());

        // Unparseable or unnamed: listed under the service of the Pacto's runtime record.
        let r = only(&inline("broken", 1, "service: [unclosed"));
        assert_eq!(
            (r.name.as_str(), r.version.as_str()),
            ("broken-svc", "unversioned")
        );
        assert!(!r.summary.as_ref().unwrap().valid);
        let r = only(&inline("bare", 1, "pactoVersion: \"1.0\"\n"));
        assert_eq!(r.name, "bare-svc");
        assert!(!r.summary.as_ref().unwrap().valid);
    }

    #[test]
    fn oversized_inline_text_is_an_error_not_a_panic() {
        let big = format!(
            "{ORDERS}# {}\n",
            "x".repeat(pacto_core::parse::MAX_CONTRACT_BYTES)
        );
        let r = only(&inline("orders", 1, &big));
        assert_eq!(r.name, "orders-svc");
        assert!(!r.summary.as_ref().unwrap().valid);
        assert!(
            r.summary.as_ref().unwrap().errors[0]
                .message
                .contains("limit"),
            "{:?}",
            codes(&r)
        );
    }

    #[test]
    fn overrides_are_applied_as_the_operator_does() {
        let text = format!(
            "{ORDERS}configurations:\n  - name: shared\n    ref: oci://r.example/acme/platform:1.0.0\n"
        );
        let base = only(&inline("orders", 1, &text));
        assert!(base.summary.as_ref().unwrap().valid, "{:?}", codes(&base));

        let with = |scope: &str| {
            pacto(
                "orders",
                1,
                serde_json::json!({"contractRef": {"inline": text},
                    "overrides": {"configurations": [{"name": scope, "values": {"PORT": "80"}}]}}),
            )
        };
        let typo = only(&with("typo"));
        assert_eq!(codes(&typo), ["UNKNOWN_OVERRIDE_SCOPE"]);
        assert_eq!(typo.name, "orders", "identity survives an override error");
        // A `ref` scope takes no values: the overridden contract is invalid, the base was not.
        let set = only(&with("shared"));
        assert!(!set.summary.as_ref().unwrap().valid);
        assert!(!codes(&set).contains(&"UNKNOWN_OVERRIDE_SCOPE".to_string()));
        let (Locator::Inline(a), Locator::Inline(b)) = (&base.locator, &set.locator) else {
            panic!("not inline")
        };
        assert_ne!(a.hash, b.hash, "overrides are part of the identity");
    }

    #[test]
    fn oci_pactos_are_not_inline() {
        let p = pacto(
            "cat",
            1,
            serde_json::json!({"contractRef": {"oci": "r.example/acme/cat:1.0.0"}}),
        );
        assert!(InlineContract::of(&p).is_none());
        assert!(InlineCache::default().records(&[Arc::new(p)]).is_empty());
    }

    #[test]
    fn revalidates_only_when_the_spec_changes() {
        let cache = InlineCache::default();
        let summary = |recs: &[VersionRecord]| recs[0].summary.clone().unwrap();
        let first = cache.records(&[Arc::new(inline("orders", 1, ORDERS))]);
        // A status update (same generation) reuses the record.
        let again = cache.records(&[Arc::new(inline("orders", 1, ORDERS))]);
        assert!(Arc::ptr_eq(&summary(&first), &summary(&again)));
        // A spec edit that leaves text and overrides alone: hashed, not re-validated.
        let touched = cache.records(&[Arc::new(inline("orders", 2, ORDERS))]);
        assert!(Arc::ptr_eq(&summary(&first), &summary(&touched)));
        // A new version in the text: validated again.
        let edited = cache.records(&[Arc::new(inline(
            "orders",
            3,
            &ORDERS.replace("1.4.0", "1.5.0"),
        ))]);
        assert_eq!(edited[0].version, "1.5.0");
        assert!(!Arc::ptr_eq(&summary(&first), &summary(&edited)));
        // A deleted Pacto is forgotten.
        assert!(cache.records(&[]).is_empty());
        assert!(lock(&cache.seen).is_empty());
    }

    #[test]
    fn a_higher_priority_source_wins_the_same_version() {
        let k8s = only(&inline("orders", 1, ORDERS));
        let mut local = k8s.clone();
        local.source = SourceKind::Local;
        local.locator = Locator::Dir("/contracts/orders".into());
        let only_k8s = Snapshot::build(
            1,
            Inputs {
                versions: vec![k8s.clone()],
                ..Inputs::default()
            },
        );
        let s = &only_k8s.services["orders"];
        assert_eq!(s.current().unwrap().record.source, SourceKind::K8s);
        assert_eq!(s.entry.version.as_deref(), Some("1.4.0"));
        let both = Snapshot::build(
            2,
            Inputs {
                versions: vec![k8s, local],
                ..Inputs::default()
            },
        );
        let m = both.services["orders"].current().unwrap();
        assert_eq!(m.record.source, SourceKind::Local);
        assert_eq!(m.sources, [SourceKind::Local, SourceKind::K8s]);
    }

    #[test]
    fn the_loader_view_of_an_inline_contract_has_its_sections() {
        let r = only(&inline("orders", 1, ORDERS));
        let Locator::Inline(c) = &r.locator else {
            panic!("not inline")
        };
        let l = crate::loader::analyse_inline(c);
        assert!(l.contract.is_some());
        assert_eq!(l.view.interfaces.len(), 1);
        assert_eq!(l.bundle.contract_text(), Some(ORDERS));
        assert_eq!(
            l.summary.contract_hash,
            r.summary.as_ref().unwrap().contract_hash
        );
    }
}
