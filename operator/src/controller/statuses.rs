//! What the operator holds of each Pacto's status, beside the Pacto store. A status is the
//! largest part of a Pacto (a condition per check, findings, ports, ...) and a reconcile is
//! the only reader of the whole of it (what it compares against and carries forward), so the
//! store's Pactos carry no status (`status: None`, which `Box` makes 8 bytes) and the whole
//! status is held here packed ([`Packer`]). Dependency checks of other Pactos read three
//! small fields ([`Provider`]): those are held here in the clear.

use std::collections::HashMap;
use std::sync::Mutex;

use kube::ResourceExt;
use pacto_crds::{Pacto, PactoStatus};

use crate::eval::dependencies::Provider;
use crate::packed::Packer;
use crate::pacto_key::PactoKey;

/// One Pacto's entry.
#[derive(Default)]
struct Held {
    /// The whole status, packed (`None`: the Pacto has none yet).
    status: Option<Box<[u8]>>,
    oci: Option<Box<str>>,
    contract_version: Option<Box<str>>,
    service_name: Option<Box<str>>,
}

#[derive(Default)]
pub struct Statuses {
    held: Mutex<HashMap<PactoKey, Held>>,
    packer: Packer,
}

fn key(p: &Pacto) -> PactoKey {
    PactoKey::new(
        &ResourceExt::namespace(p).unwrap_or_default(),
        &p.name_any(),
    )
}

/// A Pacto as dependency matching sees it, borrowed from [`Statuses`].
pub struct HeldProvider<'a> {
    key: &'a PactoKey,
    held: &'a Held,
}

impl Provider for HeldProvider<'_> {
    fn namespace(&self) -> &str {
        &self.key.namespace
    }
    fn name(&self) -> &str {
        &self.key.name
    }
    fn oci(&self) -> Option<&str> {
        self.held.oci.as_deref()
    }
    fn contract_version(&self) -> Option<&str> {
        self.held.contract_version.as_deref()
    }
    fn service_name(&self) -> Option<&str> {
        self.held.service_name.as_deref()
    }
}

impl Statuses {
    /// Keeps `p`'s status (and what dependency checks read) here and removes it from `p`
    /// (for the watch, before the store).
    pub fn strip(&self, p: &mut Pacto) {
        let status = p.status.take();
        let held = Held {
            status: status.as_ref().and_then(|s| self.packer.pack_json(s)),
            oci: p.spec.contract_ref.oci.as_deref().map(Into::into),
            contract_version: status
                .as_ref()
                .and_then(|s| s.contract_version.as_deref())
                .map(Into::into),
            service_name: status
                .as_ref()
                .and_then(|s| s.contract.as_ref())
                .and_then(|c| c.service_name.as_deref())
                .map(Into::into),
        };
        if let Ok(mut m) = self.held.lock() {
            m.insert(key(p), held);
        }
    }

    /// `p` with its whole status, as the watch last saw it.
    pub fn restore(&self, p: &Pacto) -> Pacto {
        let mut full = p.clone();
        let packed = self
            .held
            .lock()
            .ok()
            .and_then(|m| m.get(&key(p)).and_then(|h| h.status.clone()));
        if let Some(status) = packed.and_then(|b| self.packer.unpack_json::<PactoStatus>(&b)) {
            full.status = Some(Box::new(status));
        }
        full
    }

    /// Runs `f` over every Pacto held, as dependency matching reads them (under the lock: `f`
    /// must not block).
    pub fn with_providers<R>(&self, f: impl FnOnce(&[HeldProvider<'_>]) -> R) -> R {
        let Ok(m) = self.held.lock() else {
            return f(&[]);
        };
        let all: Vec<HeldProvider<'_>> = m
            .iter()
            .map(|(key, held)| HeldProvider { key, held })
            .collect();
        f(&all)
    }

    /// Drops a deleted Pacto's entry.
    pub fn remove(&self, k: &PactoKey) {
        if let Ok(mut m) = self.held.lock() {
            m.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacto(status: serde_json::Value) -> Pacto {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "pacto.trianalab.io/v1alpha1", "kind": "Pacto",
            "metadata": {"name": "orders", "namespace": "shop"},
            "spec": {"contractRef": {"oci": "ghcr.io/acme/orders:1.2.0"}},
            "status": status
        }))
        .expect("pacto")
    }

    /// `namespace/name`, oci, contract version, service name.
    type Row = (String, Option<String>, Option<String>, Option<String>);

    fn providers(st: &Statuses) -> Vec<Row> {
        st.with_providers(|all| {
            all.iter()
                .map(|p| {
                    (
                        format!("{}/{}", p.namespace(), p.name()),
                        p.oci().map(str::to_string),
                        p.contract_version().map(str::to_string),
                        p.service_name().map(str::to_string),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn the_store_keeps_no_status_and_a_reconcile_gets_the_whole_status() {
        let st = Statuses::default();
        let mut p = pacto(serde_json::json!({
            "contractStatus": "Compliant", "contractVersion": "1.2.0",
            "contract": {"serviceName": "orders"},
            "currentRevision": "orders-1-2-0-abc"
        }));
        let whole = p.status.clone();
        st.strip(&mut p);
        assert_eq!(p.status, None);
        assert_eq!(
            providers(&st),
            [(
                "shop/orders".to_string(),
                Some("ghcr.io/acme/orders:1.2.0".to_string()),
                Some("1.2.0".to_string()),
                Some("orders".to_string())
            )]
        );
        assert_eq!(st.restore(&p).status, whole);
        st.remove(&key(&p));
        assert_eq!(st.restore(&p).status, None);
        assert!(providers(&st).is_empty());
    }

    #[test]
    fn a_pacto_without_status_still_provides_by_repository() {
        let st = Statuses::default();
        let mut p = pacto(serde_json::json!({"contractVersion": "1.0.0"}));
        st.strip(&mut p);
        let mut fresh = pacto(serde_json::Value::Null);
        fresh.status = None;
        st.strip(&mut fresh);
        assert_eq!(st.restore(&fresh).status, None);
        let got = providers(&st);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.as_deref(), Some("ghcr.io/acme/orders:1.2.0"));
        assert_eq!(got[0].2, None);
    }
}
