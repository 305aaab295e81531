use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Patch, PatchParams};
use kube::runtime::wait::{await_condition, conditions::is_crd_established};
use kube::{Api, Client};

use crate::error::SupportError;

const ESTABLISHED_SECS: u64 = 30;

/// Applies `crds` server-side (forced, as `manager`) and waits until each is Established.
/// Taking the CRDs as input keeps this crate free of a dependency on pacto-crds, whose own
/// tests use it.
pub async fn install_crds(
    client: &Client,
    manager: &str,
    crds: &[CustomResourceDefinition],
) -> Result<(), SupportError> {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let pp = PatchParams::apply(manager).force();
    for crd in crds {
        let name = crd.metadata.name.clone().unwrap_or_default();
        api.patch(&name, &pp, &Patch::Apply(crd))
            .await
            .map_err(|source| SupportError::ApplyCrd {
                name: name.clone(),
                source,
            })?;
        tokio::time::timeout(
            Duration::from_secs(ESTABLISHED_SECS),
            await_condition(api.clone(), &name, is_crd_established()),
        )
        .await
        .map_err(|_| SupportError::CrdNotEstablished {
            name: name.clone(),
            secs: ESTABLISHED_SECS,
        })?
        .map_err(|e| SupportError::WatchCrd {
            name: name.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(())
}
