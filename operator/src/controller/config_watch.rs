//! The trigger of the live configuration checks: a metadata-only watch of the scope's
//! ConfigMaps (names and resourceVersions, never their data), mapped through the index to the
//! Pactos whose `configBindings` name the changed ConfigMap. The data itself is read by name
//! at reconcile (`observe::config`). Secrets are never watched: they are re-read at each
//! reconcile (the check interval).

use k8s_openapi::api::core::v1::ConfigMap;
use kube::ResourceExt;
use kube::core::PartialObjectMeta;
use kube::runtime::controller::Controller;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client};
use pacto_crds::Pacto;

use super::refs;
use crate::index::TargetIndex;
use std::sync::Arc;

/// Adds the ConfigMap metadata watch to the controller of `ns` (`None`: every namespace).
pub(super) fn watch_config_maps(
    c: Controller<Pacto>,
    client: &Client,
    ns: Option<&str>,
    index: Arc<TargetIndex>,
) -> Controller<Pacto> {
    // `Api<PartialObjectMeta<_>>` asks the API server for metadata only.
    let api: Api<PartialObjectMeta<ConfigMap>> = match ns {
        Some(n) => Api::namespaced(client.clone(), n),
        None => Api::all(client.clone()),
    };
    let stream = watcher(api, watcher::Config::default())
        .default_backoff()
        .touched_objects();
    c.watches_stream(stream, move |m: PartialObjectMeta<ConfigMap>| {
        refs(index.for_config_map(&m.namespace().unwrap_or_default(), &m.name_any()))
    })
}
