//! Controller wiring: the Pacto watch (managedFields stripped, generation predicate so our own
//! status writes never re-trigger), watches on Services, EndpointSlices, workloads and HPAs
//! that fill the scope's [`TargetStores`] (what reconciles read) and map to Pactos through the
//! [`TargetIndex`] (HPAs by `scaleTargetRef`), and probe triggers. One controller per watched namespace (or one for
//! all), all sharing one [`Context`] and its reconcile permits.

mod apply;
mod config_watch;
pub mod context;
mod contract_state;
mod error;
mod gather;
pub mod reconcile;
pub mod scope;
pub mod statuses;
mod trigger_backoff;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, stream};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::runtime::controller::{self, Controller};
use kube::runtime::reflector::{self, ObjectRef};
use kube::runtime::{WatchStreamExt, predicates, watcher};
use kube::{Api, Client, Resource, ResourceExt};
use pacto_crds::{Pacto, WorkloadKind};
use tokio::sync::watch;

use crate::observe::feed::feed;
use crate::observe::{IndexedStore, SERVICE_NAME_LABEL, TargetStores, prune};
use crate::pacto_key::PactoKey;
pub use apply::write_trailing;
pub use context::{Backoff, Context};

fn refs(keys: Vec<PactoKey>) -> Vec<ObjectRef<Pacto>> {
    keys.into_iter().map(|k| k.object_ref()).collect()
}

/// A namespaced `Api` for the scope (`None`: every namespace).
fn scoped<K>(client: &Client, ns: Option<&str>) -> Api<K>
where
    K: Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>,
{
    match ns {
        Some(n) => Api::namespaced(client.clone(), n),
        None => Api::all(client.clone()),
    }
}

/// A workload watch that fills its store and maps through the index.
fn watch_workload<K>(
    c: Controller<Pacto>,
    client: &Client,
    ns: Option<&str>,
    kind: WorkloadKind,
    store: &Arc<IndexedStore<K>>,
    prune: fn(&mut K),
    ctx: &Arc<Context>,
) -> Controller<Pacto>
where
    K: Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::Serialize
        + serde::de::DeserializeOwned
        + std::fmt::Debug
        + Send
        + Sync
        + 'static,
{
    let index = ctx.index.clone();
    c.watches_stream(
        feed(
            scoped(client, ns),
            watcher::Config::default(),
            store.clone(),
            prune,
        ),
        move |o: K| {
            refs(index.for_workload(&o.namespace().unwrap_or_default(), kind, &o.name_any()))
        },
    )
}

/// Runs the controller for one scope (`None`: every namespace) until `shutdown` resolves.
pub async fn run_scope(
    client: Client,
    ns: Option<String>,
    ctx: Arc<Context>,
    concurrency: u16,
    mut stop: watch::Receiver<bool>,
) {
    let shutdown = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    let pactos: Api<Pacto> = match &ns {
        Some(n) => Api::namespaced(client.clone(), n),
        None => Api::all(client.clone()),
    };
    let (reader, writer) = reflector::store();
    let targets = Arc::new(TargetStores::default());
    if let Ok(mut t) = ctx.targets.lock() {
        t.insert(ns.clone(), targets.clone());
    }
    let on_event = ctx.clone();
    let strip = ctx.clone();
    let scope_ns = ns.clone();
    let mut relist = std::collections::HashSet::new();
    let stream = watcher(pactos, watcher::Config::default())
        .default_backoff()
        .modify(move |p| {
            crate::observe::prune::pacto(p);
            strip.statuses.strip(p);
        })
        .map(move |ev| {
            if let Ok(e) = &ev {
                track(&on_event, scope_ns.as_deref(), &mut relist, e);
            }
            ev
        })
        .reflect(writer)
        .applied_objects()
        .predicate_filter(predicates::generation, Default::default());

    let nsr = ns.as_deref();
    let svc_index = ctx.index.clone();
    let slice_index = ctx.index.clone();
    let hpa_index = ctx.index.clone();
    let trig = ctx.triggers.subscribe(ns.clone());
    let trig = stream::unfold(
        trig,
        |mut rx| async move { rx.recv().await.map(|r| (r, rx)) },
    );

    let mut c = Controller::for_stream(stream, reader)
        .trigger_backoff(trigger_backoff::TriggerBackoff::default())
        .with_config(
            controller::Config::default()
                .concurrency(concurrency)
                .debounce(Duration::from_millis(200)),
        )
        .watches_stream(
            feed(
                scoped(&client, nsr),
                watcher::Config::default(),
                targets.services.clone(),
                prune::object,
            ),
            move |o: Service| {
                refs(svc_index.for_service(&o.namespace().unwrap_or_default(), &o.name_any()))
            },
        )
        .watches_stream(
            feed(
                scoped(&client, nsr),
                watcher::Config::default().labels(SERVICE_NAME_LABEL),
                targets.slices.clone(),
                prune::object,
            ),
            move |o: EndpointSlice| {
                let svc = o
                    .labels()
                    .get(SERVICE_NAME_LABEL)
                    .cloned()
                    .unwrap_or_default();
                refs(slice_index.for_service(&o.namespace().unwrap_or_default(), &svc))
            },
        )
        .watches_stream(
            feed(
                scoped(&client, nsr),
                watcher::Config::default(),
                targets.hpas.clone(),
                prune::object,
            ),
            move |h: HorizontalPodAutoscaler| {
                let ns = h.namespace().unwrap_or_default();
                let t = &h.spec.scale_target_ref;
                let kind = match t.kind.as_str() {
                    "Deployment" => WorkloadKind::Deployment,
                    "StatefulSet" => WorkloadKind::StatefulSet,
                    "ReplicaSet" => WorkloadKind::ReplicaSet,
                    _ => return Vec::new(),
                };
                refs(hpa_index.for_workload(&ns, kind, &t.name))
            },
        )
        .reconcile_on(trig)
        .graceful_shutdown_on(shutdown);
    if ctx.watch_config_maps {
        c = config_watch::watch_config_maps(c, &client, nsr, ctx.index.clone());
    }
    let t = &targets;
    c = watch_workload(
        c,
        &client,
        nsr,
        WorkloadKind::Deployment,
        &t.deployments,
        prune::deployment,
        &ctx,
    );
    c = watch_workload(
        c,
        &client,
        nsr,
        WorkloadKind::StatefulSet,
        &t.stateful_sets,
        prune::stateful_set,
        &ctx,
    );
    c = watch_workload(
        c,
        &client,
        nsr,
        WorkloadKind::ReplicaSet,
        &t.replica_sets,
        prune::replica_set,
        &ctx,
    );
    c = watch_workload(
        c,
        &client,
        nsr,
        WorkloadKind::Job,
        &t.jobs,
        prune::job,
        &ctx,
    );
    c = watch_workload(
        c,
        &client,
        nsr,
        WorkloadKind::CronJob,
        &t.cron_jobs,
        prune::cron_job,
        &ctx,
    );
    tracing::info!(
        namespace = ns.as_deref().unwrap_or("*"),
        "controller started"
    );
    c.run(reconcile::reconcile, reconcile::error_policy, ctx)
        .for_each(|r| async move {
            if let Err(e) = r {
                tracing::debug!(error = %e, "controller event");
            }
        })
        .await;
    tracing::info!(
        namespace = ns.as_deref().unwrap_or("*"),
        "controller stopped"
    );
}

/// Keeps the index current and forgets deleted Pactos (metrics, probes, caches), including
/// those deleted while the watch was down (absent from a re-list).
fn track(
    ctx: &Context,
    ns: Option<&str>,
    relist: &mut std::collections::HashSet<PactoKey>,
    ev: &watcher::Event<Pacto>,
) {
    let key = |p: &Pacto| PactoKey::new(&p.namespace().unwrap_or_default(), &p.name_any());
    match ev {
        watcher::Event::Apply(p) => ctx.index.upsert(&key(p), p.spec.target.as_ref()),
        watcher::Event::InitApply(p) => {
            relist.insert(key(p));
            ctx.index.upsert(&key(p), p.spec.target.as_ref());
        }
        watcher::Event::Delete(p) => {
            tracing::info!(pacto = %key(p), "Pacto deleted; dropping its metrics and probes");
            ctx.forget(&key(p));
            ctx.statuses.remove(&key(p));
        }
        watcher::Event::Init => relist.clear(),
        watcher::Event::InitDone => {
            for gone in ctx
                .index
                .keys_in(ns)
                .into_iter()
                .filter(|k| !relist.contains(k))
            {
                tracing::info!(pacto = %gone, "Pacto gone after a re-list; dropping its metrics and probes");
                ctx.forget(&gone);
                ctx.statuses.remove(&gone);
            }
            relist.clear();
        }
    }
}
