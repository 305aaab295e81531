//! Process wiring: clients, caches, the metrics/health server, leader election, controllers,
//! graceful shutdown.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::api::ListParams;
use kube::{Api, Client};
use pacto_crds::Pacto;
use pacto_oci::creds::ProcessEnv;
use pacto_oci::{Keychain, RegistryOptions};
use tokio::sync::{Semaphore, watch};

use crate::config::Args;
use crate::contract::ContractCache;
use crate::controller::{self, Backoff, Context, scope};
use crate::eval::EvalSettings;
use crate::fence::Fence;
use crate::index::TargetIndex;
use crate::leader::{self, LeaseConfig};
use crate::metrics::Metrics;
use crate::probe::{ProbeManager, Prober};
use crate::revisions::Revisions;
use crate::server::{self, ServerState};
use crate::shard::{self, Ownership};
use crate::status_writer::StatusWriter;
use crate::trailing::Trailing;
use crate::triggers::Triggers;

/// Why the operator could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot reach the Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    #[error(
        "the Pacto CRD is not installed or not readable ({0}); apply crds/*.yaml (or the Helm chart) first"
    )]
    NoCrd(kube::Error),
    #[error("registry client: {0}")]
    Registry(#[from] pacto_oci::OciError),
    #[error("registry credentials: {0}")]
    Credentials(#[from] pacto_oci::creds::CredError),
    #[error(transparent)]
    Metrics(#[from] crate::metrics::MetricsError),
    #[error(transparent)]
    Prober(#[from] crate::probe::http::ProberError),
    #[error("--shards {0} needs --leader-elect: each shard is held through its own Lease")]
    ShardsWithoutLeaderElection(u32),
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The API client, counting every request it issues (`pacto_api_requests_total`).
async fn counting_client(metrics: Arc<Metrics>) -> Result<Client, kube::Error> {
    let config = kube::Config::infer()
        .await
        .map_err(kube::Error::InferConfig)?;
    let layer = tower::util::MapRequestLayer::new(move |req: http::Request<kube::client::Body>| {
        let watch = req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|kv| kv == "watch=true" || kv == "watch=1"));
        metrics.count_api_request(if watch {
            "WATCH"
        } else {
            req.method().as_str()
        });
        req
    });
    Ok(kube::client::ClientBuilder::try_from(config)?
        .with_layer(&layer)
        .build())
}

pub async fn run(args: Args) -> Result<(), RunError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    if args.shards > 1 && !args.leader_elect {
        return Err(RunError::ShardsWithoutLeaderElection(args.shards));
    }
    let metrics = Arc::new(Metrics::new()?);
    let client = counting_client(metrics.clone()).await?;
    let identity = args.identity();
    // Fail fast with an install hint when the CRD is missing.
    Api::<Pacto>::all(client.clone())
        .list(&ListParams::default().limit(1))
        .await
        .map_err(RunError::NoCrd)?;

    let ready = Arc::new(AtomicBool::new(false));
    let bound = server::serve(
        args.metrics_addr,
        ServerState {
            metrics: metrics.clone(),
            ready: ready.clone(),
        },
    )
    .await
    .map_err(|source| RunError::Bind {
        addr: args.metrics_addr.to_string(),
        source,
    })?;
    tracing::info!(addr = %bound, identity = %identity, "serving /metrics, /healthz, /readyz");

    // Whoever may edit a Pacto picks the registry: environment credentials go only to the
    // hosts PACTO_REGISTRY_HOST lists.
    let keychain = Keychain::load(Box::new(ProcessEnv))?.env_only_for_listed_hosts();
    if let Some(var) = keychain.unscoped_env_credentials() {
        tracing::warn!(
            "{var} is set but PACTO_REGISTRY_HOST is not: these credentials are sent to no registry; list the hosts they belong to in PACTO_REGISTRY_HOST"
        );
    }
    let cache = Arc::new(
        ContractCache::new(
            keychain,
            RegistryOptions::from_env(&ProcessEnv),
            Duration::from_secs(args.tag_cache_seconds),
        )?
        .with_content_bytes(args.memory_cache_bytes),
    );
    let triggers = Arc::new(Triggers::default());
    let probes = Arc::new(ProbeManager::new(
        Prober::new(args.probe_timeout(), args.probe_body_limit)?,
        args.probe_concurrency,
        args.probe_interval(),
        args.probe_threshold,
        triggers.clone(),
        metrics.clone(),
    ));
    // With leader election, every write waits for a renewed term (see `fence`).
    let fence = if args.leader_elect {
        Fence::elected()
    } else {
        Fence::open()
    };
    let (trailing, trailing_queue) = Trailing::new(metrics.clone());
    let ctx = Arc::new(Context {
        client: client.clone(),
        cache,
        metrics: metrics.clone(),
        probes,
        index: Arc::new(TargetIndex::default()),
        revisions: Revisions::new(
            client.clone(),
            args.revision_limit,
            &args.field_manager,
            fence.clone(),
        ),
        writer: StatusWriter::new(
            client.clone(),
            &args.field_manager,
            Some(identity.clone()),
            fence.clone(),
        ),
        statuses: Default::default(),
        trailing,
        triggers,
        permits: Arc::new(Semaphore::new(args.concurrency.max(1))),
        settings: EvalSettings {
            probe_threshold: args.probe_threshold.max(1),
            interface_name_match: args.interface_name_match_discovery,
            stabilization_window: args.stabilization_window,
        },
        require_bound_pull_secrets: args.require_bound_pull_secrets,
        watch_config_maps: !args.no_config_map_watch,
        backoff: Backoff {
            min: Duration::from_secs(args.retry_min_seconds.max(1)),
            max: Duration::from_secs(args.retry_max_seconds.max(args.retry_min_seconds.max(1))),
        },
        failures: Mutex::new(Default::default()),
        last_good: Mutex::new(Default::default()),
        targets: Mutex::new(Default::default()),
        shard: Ownership::new(args.shards),
    });

    // Runs for the life of the process (the context holds its sender).
    let (gate_ctx, write_ctx) = (ctx.clone(), ctx.clone());
    tokio::spawn(trailing_queue.run(
        move || gate_ctx.writer.load(),
        move |job| {
            let ctx = write_ctx.clone();
            async move { controller::write_trailing(&ctx, job).await }
        },
    ));
    metrics.set_shard(ctx.shard.held());
    let concurrency = u16::try_from(args.concurrency.max(1)).unwrap_or(u16::MAX);
    let lease = LeaseConfig {
        namespace: args.lease_namespace.clone(),
        names: shard::lease_names(&args.lease_name, args.shards),
        identity: identity.clone(),
        lease_duration: Duration::from_secs(args.lease_duration_seconds.max(2)),
        renew_every: Duration::from_secs(args.lease_renew_seconds.max(1)),
    };

    let mut leading_rx = if args.leader_elect {
        let (tx, rx) = watch::channel(None);
        tokio::spawn(leader::run(
            client.clone(),
            lease.clone(),
            tx,
            fence.clone(),
        ));
        Some(rx)
    } else {
        None
    };
    ready.store(true, Ordering::Relaxed);
    // One term per iteration: wait to lead, run the controllers until the lease is lost or a
    // shutdown signal comes; a lost lease stops the controllers and the replica stands by as a
    // candidate again (its write fence closed already), without exiting.
    loop {
        if let Some(rx) = leading_rx.as_mut() {
            tracing::info!(leases = ?lease.names, namespace = %lease.namespace, "waiting to lead");
            tokio::select! {
                r = rx.wait_for(Option::is_some) => { if r.is_err() { return Ok(()); } }
                _ = shutdown_signal() => return Ok(()),
            }
        }
        let held = leading_rx.as_ref().and_then(|rx| *rx.borrow());
        if leading_rx.is_some() {
            ctx.shard.hold(held);
        }
        metrics.set_leader(true);
        metrics.set_shard(ctx.shard.held());
        tracing::info!(identity = %identity, scope = ?args.scope(), shard = ?held, shards = args.shards, "leading: starting controllers");
        let (stop_tx, stop_rx) = watch::channel(false);
        let controllers = tokio::spawn(scope::run(
            client.clone(),
            args.scope(),
            ctx.clone(),
            concurrency,
            stop_rx,
        ));
        let lost = async {
            match leading_rx.as_mut() {
                Some(rx) => {
                    let _ = rx.wait_for(|s| *s != held).await;
                }
                None => futures_util::future::pending::<()>().await,
            }
        };
        let shutdown = tokio::select! {
            _ = shutdown_signal() => true,
            _ = lost => false,
        };
        let _ = stop_tx.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(10), controllers).await;
        ctx.shard.hold(None);
        ctx.forget_unowned();
        metrics.set_leader(false);
        metrics.set_shard(None);
        if shutdown {
            tracing::info!("shutting down");
            if args.leader_elect {
                leader::release(client, &lease).await;
            }
            return Ok(());
        }
        tracing::warn!(identity = %identity, "lost the lease: controllers stopped, standing by as a candidate");
    }
}
