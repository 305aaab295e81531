//! The ConfigMaps and Secrets of `spec.target.configBindings`, read by name with one GET each
//! per reconcile (never a list or watch of Secrets; ConfigMaps only have a metadata watch, as
//! a trigger). Only the keys and the bytes at the bound key are kept, for one evaluation.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::{Api, Client};
use pacto_crds::{ConfigBinding, ConfigBindingKind};

use crate::api_error;
use crate::eval::{ConfigObject, Observed};

/// What a GET of one object gave: its keys and values (dropped after the reconcile).
type Read = Observed<HashMap<String, Vec<u8>>>;

/// One entry per binding, in order.
pub async fn read_bindings(
    client: &Client,
    ns: &str,
    bindings: &[ConfigBinding],
) -> Vec<Observed<ConfigObject>> {
    let mut objects: HashMap<(ConfigBindingKind, String), Read> = HashMap::new();
    let mut out = Vec::with_capacity(bindings.len());
    for b in bindings {
        let id = (b.kind, b.name.clone());
        if !objects.contains_key(&id) {
            let read = match b.kind {
                ConfigBindingKind::ConfigMap => config_map(client, ns, &b.name).await,
                ConfigBindingKind::Secret => secret(client, ns, &b.name).await,
            };
            objects.insert(id.clone(), read);
        }
        out.push(match objects.get(&id) {
            Some(Observed::Found(data)) => Observed::Found(object(data, b.key.as_deref())),
            Some(Observed::Unobservable(why)) => Observed::Unobservable(why.clone()),
            Some(Observed::Missing) | None => Observed::Missing,
        });
    }
    out
}

fn object(data: &HashMap<String, Vec<u8>>, key: Option<&str>) -> ConfigObject {
    let mut keys: Vec<String> = data.keys().cloned().collect();
    keys.sort();
    ConfigObject {
        keys,
        value: key.and_then(|k| data.get(k)).cloned(),
    }
}

async fn config_map(client: &Client, ns: &str, name: &str) -> Read {
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
    match api.get_opt(name).await {
        Ok(Some(cm)) => {
            let mut data: HashMap<String, Vec<u8>> = cm
                .data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.into_bytes()))
                .collect();
            data.extend(
                cm.binary_data
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.0)),
            );
            Observed::Found(data)
        }
        Ok(None) => Observed::Missing,
        Err(e) => Observed::Unobservable(refused(
            "ConfigMap",
            ns,
            name,
            &e,
            "the chart grants get, list and watch on configmaps unless operator.configBindings.configMaps is false",
        )),
    }
}

async fn secret(client: &Client, ns: &str, name: &str) -> Read {
    let api: Api<Secret> = Api::namespaced(client.clone(), ns);
    match api.get_opt(name).await {
        Ok(Some(s)) => Observed::Found(
            s.data
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, v.0))
                .collect(),
        ),
        Ok(None) => Observed::Missing,
        Err(e) => Observed::Unobservable(refused(
            "Secret",
            ns,
            name,
            &e,
            &format!(
                "add {{namespace: {ns}, names: [{name}]}} to the chart's operator.configSecrets"
            ),
        )),
    }
}

/// Why a read failed; a 403 says which RBAC is missing.
fn refused(kind: &str, ns: &str, name: &str, e: &kube::Error, grant: &str) -> String {
    match e {
        kube::Error::Api(s) if s.code == 403 => {
            format!("the operator's RBAC does not allow reading {kind} {ns}/{name}: {grant}")
        }
        _ => format!("cannot read {kind} {ns}/{name}: {}", api_error::short(e)),
    }
}
