//! The k8s source: Pacto and PactoRevision reflectors (watches, never polling), one pair
//! cluster-wide or one pair per namespace of the scope. Every watch event wakes the snapshot
//! builder. Inline contracts of the Pactos are a contract source too ([`inline`]).

pub mod inline;
mod records;

use crate::model::{RevisionRecord, RuntimeRecord};
use crate::scope::NamespaceScope;
use futures_util::StreamExt;
use inline::InlineCache;
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, ResourceExt};
use pacto_crds::{Pacto, PactoRevision};
use records::runtime_record;
use std::sync::Arc;
use tokio::sync::Notify;

pub struct K8sSource {
    /// One store per watch: a single cluster-wide one, or one per scoped namespace.
    pactos: Vec<Store<Pacto>>,
    revisions: Vec<Store<PactoRevision>>,
    pub scope: NamespaceScope,
    /// Validated inline contracts, reused until a Pacto's spec changes.
    pub inline: Arc<InlineCache>,
}

/// Why the k8s source could not start, as a short reason for `/api/sources`.
#[derive(Debug, thiserror::Error)]
pub enum K8sError {
    #[error("no kubeconfig or in-cluster configuration found")]
    NoConfig,
    #[error("the Kubernetes API is unreachable or refused the request ({0})")]
    Unreachable(&'static str),
    #[error("the Pacto CRD is not installed (pacto.trianalab.io/v1alpha1 pactos not found)")]
    NoCrd,
    #[error("not allowed to list Pacto objects in {0} (RBAC)")]
    Forbidden(String),
}

fn api<K>(client: &Client, ns: Option<&str>) -> Api<K>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match ns {
        Some(n) => Api::namespaced(client.clone(), n),
        None => Api::all(client.clone()),
    }
}

/// The namespaces to watch: `[None]` (cluster-wide) or one `Some(ns)` each.
fn watch_targets(scope: &NamespaceScope) -> Vec<Option<String>> {
    if scope.is_all() {
        vec![None]
    } else {
        scope.names().iter().cloned().map(Some).collect()
    }
}

impl K8sSource {
    /// Connects, checks the CRD is served and readable in every scoped namespace, and starts
    /// the reflectors.
    pub async fn start(scope: NamespaceScope, wake: Arc<Notify>) -> Result<Self, K8sError> {
        let client = Client::try_default()
            .await
            .map_err(|_| K8sError::NoConfig)?;
        let targets = watch_targets(&scope);
        for ns in &targets {
            let pactos: Api<Pacto> = api(&client, ns.as_deref());
            if let Err(e) = pactos
                .list(&kube::api::ListParams::default().limit(1))
                .await
            {
                let place = ns
                    .as_deref()
                    .map_or("all namespaces".to_string(), |n| format!("namespace {n}"));
                return Err(match e {
                    kube::Error::Api(s) if s.code == 404 => K8sError::NoCrd,
                    kube::Error::Api(s) if s.code == 403 => K8sError::Forbidden(place),
                    kube::Error::Api(_) => K8sError::Unreachable("api_error"),
                    _ => K8sError::Unreachable("unreachable"),
                });
            }
        }
        let mut pactos = Vec::new();
        let mut revisions = Vec::new();
        for ns in &targets {
            let (p_reader, p_writer) = reflector::store();
            let (r_reader, r_writer) = reflector::store();
            spawn_reflector(
                reflector::reflector(
                    p_writer,
                    watcher(
                        api::<Pacto>(&client, ns.as_deref()),
                        watcher::Config::default(),
                    )
                    .default_backoff(),
                ),
                wake.clone(),
            );
            spawn_reflector(
                reflector::reflector(
                    r_writer,
                    watcher(
                        api::<PactoRevision>(&client, ns.as_deref()),
                        watcher::Config::default(),
                    )
                    .default_backoff(),
                ),
                wake.clone(),
            );
            pactos.push(p_reader);
            revisions.push(r_reader);
        }
        // Ready once every initial list arrived (bounded so a slow API never blocks startup).
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            for p in &pactos {
                let _ = p.wait_until_ready().await;
            }
            for r in &revisions {
                let _ = r.wait_until_ready().await;
            }
        })
        .await;
        Ok(K8sSource {
            pactos,
            revisions,
            scope,
            inline: Arc::new(InlineCache::default()),
        })
    }

    /// Every watched Pacto object.
    pub fn pactos(&self) -> Vec<Arc<Pacto>> {
        self.pactos.iter().flat_map(|s| s.state()).collect()
    }

    pub fn runtime(&self) -> Vec<RuntimeRecord> {
        self.pactos
            .iter()
            .flat_map(|s| s.state())
            .map(|p| runtime_record(&p))
            .collect()
    }

    pub fn revisions(&self) -> Vec<RevisionRecord> {
        self.revisions
            .iter()
            .flat_map(|s| s.state())
            .map(|r| RevisionRecord {
                namespace: r.namespace().unwrap_or_default(),
                service: r
                    .spec
                    .service_name
                    .clone()
                    .unwrap_or_else(|| r.spec.pacto_ref.clone()),
                version: r.spec.version.clone(),
                reference: r.spec.source.oci.clone().unwrap_or_default(),
                created_at: r
                    .status
                    .as_ref()
                    .and_then(|s| s.created_at.as_ref())
                    .map(|t| t.0.to_string()),
            })
            .collect()
    }
}

fn spawn_reflector<S, K>(stream: S, wake: Arc<Notify>)
where
    S: futures_util::Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send + 'static,
{
    tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while let Some(ev) = stream.next().await {
            if ev.is_ok() {
                wake.notify_one();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cluster_wide_watch_or_one_per_namespace() {
        assert_eq!(watch_targets(&NamespaceScope::all()), vec![None]);
        let scope = NamespaceScope::parse("a,b").unwrap();
        assert_eq!(
            watch_targets(&scope),
            vec![Some("a".to_string()), Some("b".to_string())]
        );
    }
}
