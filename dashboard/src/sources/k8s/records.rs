//! The runtime record of a Pacto object: which service it describes, its status and its
//! spec's runtime target.

use crate::model::RuntimeRecord;
use kube::ResourceExt;
use pacto_crds::Pacto;
use std::sync::Arc;

/// The service a Pacto describes: its contract's name when resolved, else the object name.
pub fn runtime_record(p: &Pacto) -> RuntimeRecord {
    let status = p.status.clone().unwrap_or_default();
    let service = status
        .contract
        .as_ref()
        .and_then(|c| c.service_name.clone())
        .unwrap_or_else(|| p.name_any());
    RuntimeRecord {
        namespace: p.namespace().unwrap_or_default(),
        object: p.name_any(),
        service,
        status: Arc::new(*status),
        target: p.spec.target.clone().map(Arc::new),
    }
}
