//! `pacto-plugin-k8s`: from a contract (1.x or 2.0, read through the normalised view), the
//! Kubernetes objects that pass the operator's runtime checks, and the `Pacto` resource that
//! checks them:
//!
//! - the workload: Deployment, StatefulSet (stateful, persistent or `ordered` upgrades; local
//!   persistent state as volumeClaimTemplates), Job or CronJob; container ports named after the
//!   interfaces, the image, readiness/liveness probes on the health endpoint, the grace period
//!   and update strategy of the 1.x lifecycle;
//! - a Service (ports named after the interfaces, targetPort by name), an HPA (scaling
//!   min < max) or fixed replicas, a PodDisruptionBudget from two replicas on;
//! - a ConfigMap skeleton per configuration; a shared claim for shared persistent state;
//! - the `Pacto` (contract inline, or `--option contractRef=oci://...`).
//!
//! Options: `namespace`, `image` (required when the contract has no `service.image`),
//! `replicas`, `helm=true` (a chart instead), `contractRef`, `schedule`, `port.<interface>`.

mod configs;
mod helm;
mod names;
mod objects;
pub mod options;
pub mod plan;
mod yaml;

use serde_json::{Value, json};

use crate::{File, Request, Response};
use objects::{Ctx, Values};
use options::Options;

#[derive(Debug, thiserror::Error)]
pub enum K8sError {
    #[error("{0}")]
    Contract(String),
    #[error("unknown option {key:?} (known: {known})")]
    UnknownOption { key: String, known: String },
    #[error("option {key}={value:?}: expected {want}")]
    BadOption {
        key: String,
        value: String,
        want: String,
    },
    #[error("option {option}: the contract has no interface {interface:?}")]
    UnknownInterface { option: String, interface: String },
    #[error(
        "no container image: the contract has no service.image.ref (pactoVersion {version}); pass --option image=<ref>"
    )]
    NoImage { version: String },
    #[error("option replicas={n} is outside the contract's scaling {min}..{max}")]
    ReplicasOutOfRange { n: u32, min: u32, max: u32 },
    #[error("cannot write YAML: {0}")]
    Yaml(String),
}

/// The plugin: request in, files out.
pub fn generate(req: &Request) -> Result<Response, K8sError> {
    let o = Options::parse(&req.options)?;
    pacto_core::parse::detect_version(&req.contract).map_err(|f| K8sError::Contract(f.message))?;
    let contract = pacto_core::parse::contract_from_value(&req.contract)
        .map_err(|f| K8sError::Contract(f.message))?;
    let mut plan = plan::plan(&contract, &o)?;
    let configs = configs::plan(&contract, &req.bundle_dir, &mut plan.notes);
    let contract_ref = match &o.contract_ref {
        Some(r) => json!({"oci": r}),
        None => {
            if !contract.referenced_files().is_empty() {
                plan.notes.push(
                    "the inline contract names bundle files the operator cannot see: push the bundle and pass --option contractRef=oci://<ref>"
                        .into(),
                );
            }
            json!({"inline": yaml::to_yaml(&req.contract)?})
        }
    };
    let cx = Ctx {
        plan: &plan,
        namespace: o.namespace.as_deref(),
    };
    let mut v = Values {
        helm: o.helm,
        entries: Vec::new(),
    };
    let mut objs: Vec<(String, Value)> = Vec::new();
    for m in &configs {
        objs.push((
            format!("configmap-{}.yaml", m.name),
            objects::configmap(&cx, m, &v),
        ));
    }
    if let Some(c) = objects::shared_claim(&cx, &mut v) {
        objs.push(("persistentvolumeclaim.yaml".into(), c));
    }
    if let Some(s) = objects::service(&cx, &v) {
        objs.push(("service.yaml".into(), s));
    }
    let kind = plan.kind.as_str().to_ascii_lowercase();
    objs.push((
        format!("{kind}.yaml"),
        objects::workload(&cx, &configs, &mut v),
    ));
    if let Some(h) = objects::hpa(&cx, &mut v) {
        objs.push(("horizontalpodautoscaler.yaml".into(), h));
    }
    if let Some(p) = objects::pdb(&cx, &v) {
        objs.push(("poddisruptionbudget.yaml".into(), p));
    }
    objs.push((
        "pacto-cr.yaml".into(),
        objects::pacto(&cx, contract_ref, &v),
    ));
    let files = if o.helm {
        helm::chart(&plan.name, &plan.version, &objs, &v)?
    } else {
        objs.iter()
            .map(|(path, obj)| Ok(File::new(path.clone(), yaml::to_yaml(obj)?)))
            .collect::<Result<Vec<_>, K8sError>>()?
    };
    let mut message = format!(
        "Generated {} for {} ({}, {} object(s))",
        if o.helm {
            "a Helm chart"
        } else {
            "Kubernetes manifests"
        },
        plan.name,
        plan.kind.as_str(),
        objs.len()
    );
    for n in &plan.notes {
        message.push_str("\nnote: ");
        message.push_str(n);
    }
    Ok(Response {
        files,
        message: Some(message),
    })
}
