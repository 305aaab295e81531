//! The watches that fill the stores. Each stream applies an event to its store before it
//! yields the object, so the reconcile the object triggers reads the new state.

use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Resource};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::store::IndexedStore;

/// A watch of `api` that keeps `store` current (objects pruned by `prune`) and yields the
/// touched objects, for `Controller::watches_stream`.
pub fn feed<K>(
    api: Api<K>,
    config: watcher::Config,
    store: Arc<IndexedStore<K>>,
    prune: fn(&mut K),
) -> impl Stream<Item = Result<K, watcher::Error>> + Send + 'static
where
    K: Resource + Clone + Serialize + DeserializeOwned + std::fmt::Debug + Send + Sync + 'static,
{
    watcher(api, config)
        .default_backoff()
        .modify(prune)
        .map(move |ev| {
            match &ev {
                Ok(e) => store.apply(e),
                Err(e) => {
                    tracing::debug!(kind = store.kind(), error = %e, "watch failed");
                    store.failed(&e.to_string());
                }
            }
            ev
        })
        .touched_objects()
}
