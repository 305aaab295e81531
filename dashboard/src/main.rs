//! `pacto-dashboard`: the dashboard as a standalone binary or operator sidecar.

use clap::Parser;
use clap::builder::FalseyValueParser;
use pacto_dashboard::{Config, K8sMode};
use std::path::PathBuf;
use std::process::ExitCode;

// musl's allocator is slow; the static image build enables this feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "pacto-dashboard",
    version,
    about = "Pacto contract and compliance dashboard"
)]
struct Args {
    /// Bundle directories and `oci://registry/repo` repositories.
    #[arg(value_name = "DIR|oci://REPO")]
    inputs: Vec<String>,
    /// Address to bind (use 0.0.0.0 only behind a token or a trusted network).
    #[arg(long, env = "PACTO_DASHBOARD_HOST", default_value = "127.0.0.1")]
    host: String,
    #[arg(long, env = "PACTO_DASHBOARD_PORT", default_value_t = 3000)]
    port: u16,
    /// Namespace scope of the k8s source (default: all namespaces).
    #[arg(long, short = 'n', env = "PACTO_DASHBOARD_NAMESPACE")]
    namespace: Option<String>,
    /// Serve /api/debug/*.
    #[arg(long, env = "PACTO_DASHBOARD_DIAGNOSTICS", value_parser = FalseyValueParser::new())]
    diagnostics: bool,
    /// Do not read the on-disk bundle cache.
    #[arg(long, env = "PACTO_DASHBOARD_NO_CACHE", value_parser = FalseyValueParser::new())]
    no_cache: bool,
    /// File holding a bearer token required on every request.
    #[arg(long, env = "PACTO_DASHBOARD_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    /// Extra OCI repositories, comma-separated.
    #[arg(long = "repo", env = "PACTO_DASHBOARD_REPO", value_delimiter = ',')]
    repos: Vec<String>,
    /// Do not try the Kubernetes source.
    #[arg(long, env = "PACTO_DASHBOARD_NO_K8S", value_parser = FalseyValueParser::new())]
    no_k8s: bool,
    /// Bytes of bundles kept resident (LRU).
    #[arg(long, env = "PACTO_DASHBOARD_CACHE_BYTES", default_value_t = 32 * 1024 * 1024)]
    cache_bytes: u64,
}

fn config_from(args: Args) -> Config {
    let mut c = Config {
        host: args.host,
        port: args.port,
        namespace: args.namespace.filter(|n| !n.is_empty()),
        diagnostics: args.diagnostics,
        no_cache: args.no_cache || std::env::var("PACTO_NO_CACHE").is_ok_and(|v| v == "1"),
        token_file: args.token_file,
        lru_bytes: args.cache_bytes,
        k8s: if args.no_k8s {
            K8sMode::Off
        } else {
            K8sMode::Auto
        },
        ..Config::default()
    };
    c.repos = args.repos.into_iter().filter(|r| !r.is_empty()).collect();
    for i in args.inputs {
        if i.starts_with("oci://") {
            c.repos.push(i);
        } else {
            c.dirs.push(PathBuf::from(i));
        }
    }
    c
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let config = config_from(Args::parse());
    match pacto_dashboard::serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pacto-dashboard: {e}");
            ExitCode::FAILURE
        }
    }
}
