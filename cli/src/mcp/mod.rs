//! `pacto mcp`: a Model Context Protocol server (official Rust SDK `rmcp`) exposing the
//! authoring tools (`pacto_create`, `pacto_edit`, `pacto_check`, `pacto_schema`,
//! `pacto_diff`, `pacto_migrate`), when started on a bundle, `pacto_explain`,
//! `pacto_interfaces` and the bundle's files as `pacto://bundle/<path>` resources, and with
//! `--fleet`, the fleet tools over an in-process dashboard (`fleet`). Transports: newline-delimited
//! JSON-RPC on stdio (default) or Streamable HTTP at `/mcp` on 127.0.0.1.

mod confine;
mod fleet;
mod http;
mod resources;
mod server;
mod stdio;
mod tools;

use crate::args::{McpArgs, McpTransport};
use crate::error::CliError;
use crate::outcome::Outcome;
use pacto_core::value_overrides::ValueOverrides;
use rmcp::ServiceExt;
use std::sync::Arc;

/// Largest JSON-RPC message accepted: a stdio line or an HTTP request body.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

/// What every session shares: the working directory writes are confined to, the bundle
/// the server was started on, and whether writes are offered at all.
pub struct Context {
    pub root: std::path::PathBuf,
    pub bundle: Option<resources::BundleState>,
    pub read_only: bool,
    /// The in-process dashboard of `--fleet`.
    pub fleet: Option<fleet::Fleet>,
}

pub fn run(args: McpArgs) -> Result<Outcome, CliError> {
    let root = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| CliError::Failed(format!("cannot read the working directory: {e}")))?;
    // The bundle is read once, before the runtime starts (registry pulls block on their own).
    let bundle = match &args.bundle {
        Some(source) => Some(resources::BundleState::load(
            source,
            &ValueOverrides::default(),
        )?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let fleet = match &args.fleet {
        Some(sources) => {
            let config = fleet::config(sources, args.no_k8s, args.namespace.clone());
            Some(runtime.block_on(fleet::Fleet::start(config))?)
        }
        None => None,
    };
    let ctx = Arc::new(Context {
        root,
        bundle,
        read_only: args.read_only,
        fleet,
    });
    match args.transport {
        McpTransport::Stdio => runtime.block_on(serve_stdio(ctx))?,
        McpTransport::Http => runtime.block_on(http::serve(ctx, args.port))?,
    }
    Ok(Outcome::default())
}

async fn serve_stdio(ctx: Arc<Context>) -> Result<(), CliError> {
    let (transport, writer) = stdio::transport(tokio::io::stdin(), tokio::io::stdout());
    let service = server::PactoServer::new(ctx)
        .serve(transport)
        .await
        .map_err(|e| CliError::Failed(format!("mcp: {e}")))?;
    service
        .waiting()
        .await
        .map_err(|e| CliError::Failed(format!("mcp: {e}")))?;
    // Every answer is written before exit (the reader has seen EOF by now).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), writer).await;
    Ok(())
}
