//! Pacto statuses held as JSON beside the Pacto store. A status is the largest part of a Pacto
//! (a condition per check, findings, ports, ...), and at rest only two of its fields are read
//! from the store: other Pactos' dependency checks read `contractVersion` and
//! `contract.serviceName`. So the store keeps that projection, and a reconcile decodes its own
//! Pacto's whole status (what it compares against and carries forward). Whole statuses are
//! held packed ([`Packer`]): at 10,000 Pactos their JSON alone was ~30 MiB.

use std::collections::HashMap;
use std::sync::Mutex;

use kube::ResourceExt;
use pacto_crds::status::ContractInfo;
use pacto_crds::{Pacto, PactoStatus};

use crate::packed::Packer;
use crate::pacto_key::PactoKey;

#[derive(Default)]
pub struct Statuses {
    held: Mutex<HashMap<PactoKey, Box<[u8]>>>,
    packer: Packer,
}

fn key(p: &Pacto) -> PactoKey {
    PactoKey::new(&p.namespace().unwrap_or_default(), &p.name_any())
}

/// What the store keeps of a status: the fields dependency checks read.
pub fn projection(s: &PactoStatus) -> PactoStatus {
    PactoStatus {
        contract_version: s.contract_version.clone(),
        contract: s.contract.as_ref().map(|c| ContractInfo {
            service_name: c.service_name.clone(),
            ..ContractInfo::default()
        }),
        ..PactoStatus::default()
    }
}

impl Statuses {
    /// Keeps `p`'s status here and leaves its projection on `p` (for the watch, before the
    /// store).
    pub fn strip(&self, p: &mut Pacto) {
        let k = key(p);
        let packed = p.status.as_ref().and_then(|s| self.packer.pack_json(s));
        let Ok(mut m) = self.held.lock() else { return };
        match packed {
            Some(bytes) => {
                m.insert(k, bytes);
            }
            None => {
                m.remove(&k);
            }
        }
        if let Some(s) = p.status.as_mut() {
            *s = projection(s);
        }
    }

    /// `p` with its whole status, as the watch last saw it.
    pub fn restore(&self, p: &Pacto) -> Pacto {
        let mut full = p.clone();
        let packed = self.held.lock().ok().and_then(|m| m.get(&key(p)).cloned());
        let status = packed.and_then(|b| self.packer.unpack_json::<PactoStatus>(&b));
        if status.is_some() {
            full.status = status;
        }
        full
    }

    /// Drops a deleted Pacto's status.
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
            "spec": {"contractRef": {"inline": "x"}},
            "status": status
        }))
        .expect("pacto")
    }

    #[test]
    fn the_store_keeps_the_projection_and_a_reconcile_gets_the_whole_status() {
        let st = Statuses::default();
        let mut p = pacto(serde_json::json!({
            "contractStatus": "Compliant", "contractVersion": "1.2.0",
            "contract": {"serviceName": "orders"},
            "currentRevision": "orders-1-2-0-abc"
        }));
        let whole = p.status.clone();
        st.strip(&mut p);
        let kept = p.status.as_ref().expect("projection");
        assert_eq!(kept.contract_version.as_deref(), Some("1.2.0"));
        assert_eq!(
            kept.contract
                .as_ref()
                .and_then(|c| c.service_name.as_deref()),
            Some("orders")
        );
        assert_eq!(
            (kept.contract_status, kept.current_revision.as_ref()),
            (None, None)
        );
        assert_eq!(st.restore(&p).status, whole);
        st.remove(&key(&p));
        assert_eq!(st.restore(&p).status.as_ref(), Some(kept));
    }

    #[test]
    fn a_pacto_without_status_has_none_kept() {
        let st = Statuses::default();
        let mut p = pacto(serde_json::json!({"contractVersion": "1.0.0"}));
        st.strip(&mut p);
        let mut fresh = p.clone();
        fresh.status = None;
        st.strip(&mut fresh);
        assert_eq!(st.restore(&fresh).status, None);
    }
}
