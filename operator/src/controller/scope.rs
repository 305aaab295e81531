//! Namespace scoping: every namespace (one controller), a fixed list (one controller each),
//! or the namespaces matching a label selector (controllers started and stopped as
//! namespaces appear, change labels or go away).

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use k8s_openapi::api::core::v1::Namespace;
use kube::core::PartialObjectMeta;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, ResourceExt};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{Context, run_scope};
use crate::config::Scope;

fn stop_signal(rx: &watch::Receiver<bool>) -> watch::Receiver<bool> {
    rx.clone()
}

/// Runs the controllers of `scope` until `stop` turns true.
pub async fn run(
    client: Client,
    scope: Scope,
    ctx: Arc<Context>,
    concurrency: u16,
    stop: watch::Receiver<bool>,
) {
    match scope {
        Scope::All => run_scope(client, None, ctx, concurrency, stop_signal(&stop)).await,
        Scope::Namespaces(list) => {
            let tasks: Vec<_> = list
                .into_iter()
                .map(|ns| {
                    tokio::spawn(run_scope(
                        client.clone(),
                        Some(ns),
                        ctx.clone(),
                        concurrency,
                        stop_signal(&stop),
                    ))
                })
                .collect();
            for t in tasks {
                let _ = t.await;
            }
        }
        Scope::Selector(sel) => selector(client, sel, ctx, concurrency, stop).await,
    }
}

async fn selector(
    client: Client,
    sel: String,
    ctx: Arc<Context>,
    concurrency: u16,
    stop: watch::Receiver<bool>,
) {
    let api: Api<PartialObjectMeta<Namespace>> = Api::all(client.clone());
    let mut events = watcher(api, watcher::Config::default().labels(&sel))
        .default_backoff()
        .boxed();
    let mut running: HashMap<String, (watch::Sender<bool>, JoinHandle<()>)> = HashMap::new();
    let mut seen_init: Vec<String> = Vec::new();
    let mut stop_rx = stop.clone();
    loop {
        let ev = tokio::select! {
            _ = stop_rx.wait_for(|s| *s) => break,
            ev = events.next() => ev,
        };
        let Some(ev) = ev else { break };
        let ev = match ev {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, selector = %sel, "namespace watch failed");
                continue;
            }
        };
        let start =
            |ns: String, running: &mut HashMap<String, (watch::Sender<bool>, JoinHandle<()>)>| {
                if running.contains_key(&ns) {
                    return;
                }
                let (tx, rx) = watch::channel(false);
                let h = tokio::spawn(run_scope(
                    client.clone(),
                    Some(ns.clone()),
                    ctx.clone(),
                    concurrency,
                    stop_signal(&rx),
                ));
                running.insert(ns, (tx, h));
            };
        match ev {
            watcher::Event::Apply(n) => start(n.name_any(), &mut running),
            watcher::Event::Init => seen_init.clear(),
            watcher::Event::InitApply(n) => {
                seen_init.push(n.name_any());
                start(n.name_any(), &mut running);
            }
            watcher::Event::InitDone => {
                let gone: Vec<String> = running
                    .keys()
                    .filter(|k| !seen_init.contains(k))
                    .cloned()
                    .collect();
                for ns in gone {
                    if let Some((tx, _)) = running.remove(&ns) {
                        let _ = tx.send(true);
                    }
                }
            }
            watcher::Event::Delete(n) => {
                if let Some((tx, _)) = running.remove(&n.name_any()) {
                    tracing::info!(namespace = %n.name_any(), "namespace left the selector; stopping its controller");
                    let _ = tx.send(true);
                }
            }
        }
    }
    for (_, (tx, h)) in running {
        let _ = tx.send(true);
        let _ = h.await;
    }
}
