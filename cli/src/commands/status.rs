//! `pacto status`: lists the cluster's Pacto resources (kubeconfig from KUBECONFIG, the
//! default file, or in-cluster), each request bounded so an unreachable cluster fails fast.

use crate::args::{OutputFormat, StatusArgs};
use crate::error::CliError;
use crate::outcome::Outcome;
use crate::render;
use kube::api::ListParams;
use kube::{Api, Client, Config};
use pacto_crds::Pacto;
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound of the whole command (config, connect, every list page).
const TOTAL_TIMEOUT: Duration = Duration::from_secs(20);

pub fn run(args: &StatusArgs, format: OutputFormat) -> Result<Outcome, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let (pactos, scope) = runtime.block_on(async {
        tokio::time::timeout(TOTAL_TIMEOUT, list(args))
            .await
            .map_err(|_| {
                CliError::Failed(format!(
                    "no answer from the Kubernetes API within {} s",
                    TOTAL_TIMEOUT.as_secs()
                ))
            })?
    })?;
    let rows = render::status::rows(&pactos);
    Ok(render::status::render(&rows, &scope, format))
}

async fn list(args: &StatusArgs) -> Result<(Vec<Pacto>, String), CliError> {
    let mut config = Config::infer().await.map_err(|e| {
        CliError::Failed(format!(
            "no Kubernetes configuration (KUBECONFIG, ~/.kube/config or in-cluster): {e}"
        ))
    })?;
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    config.read_timeout = Some(READ_TIMEOUT);
    let url = config.cluster_url.to_string();
    let namespace = args
        .namespace
        .clone()
        .unwrap_or_else(|| config.default_namespace.clone());
    let client = Client::try_from(config)
        .map_err(|e| CliError::Failed(format!("cannot build a Kubernetes client: {e}")))?;
    let (api, scope): (Api<Pacto>, String) = if args.all_namespaces {
        (Api::all(client), "the cluster".into())
    } else {
        (
            Api::namespaced(client, &namespace),
            format!("namespace {namespace}"),
        )
    };
    let mut items = Vec::new();
    let mut params = ListParams::default().limit(500);
    if let Some(name) = &args.name {
        params = params.fields(&format!("metadata.name={name}"));
    }
    loop {
        let page = api.list(&params).await.map_err(|e| describe(&url, e))?;
        items.extend(page.items);
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => break,
        }
    }
    Ok((items, scope))
}

fn describe(url: &str, e: kube::Error) -> CliError {
    match e {
        kube::Error::Api(s) if s.code == 404 => CliError::Failed(format!(
            "the Pacto CRD (pactos.pacto.trianalab.io) is not installed on {url}"
        )),
        kube::Error::Api(s) => CliError::Failed(format!(
            "the Kubernetes API at {url} refused the list ({}): {}",
            s.code, s.message
        )),
        other => CliError::Failed(format!("cannot reach the Kubernetes API at {url}: {other}")),
    }
}
