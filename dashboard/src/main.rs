//! `pacto-dashboard`: the dashboard as a standalone binary or operator sidecar.

use clap::builder::FalseyValueParser;
use clap::{CommandFactory, Parser};
use pacto_dashboard::{BasePath, Config, K8sMode, NamespaceScope};
use pacto_oci::creds::{Environment, ProcessEnv};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// musl's allocator is slow; the static image build enables this feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    Auto,
    Json,
    Pretty,
}

impl LogFormat {
    fn json(self) -> bool {
        match self {
            Self::Json => true,
            Self::Pretty => false,
            Self::Auto => std::env::var_os("KUBERNETES_SERVICE_HOST").is_some(),
        }
    }
}

/// Pretty logs carry colours only on a terminal (a Pod's log file gets plain text).
fn init_logs(format: LogFormat) {
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr);
    if format.json() {
        builder.json().flatten_event(true).init();
    } else {
        builder.with_ansi(std::io::stderr().is_terminal()).init();
    }
}

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
    /// Namespaces the k8s source watches, comma-separated (default: all namespaces).
    #[arg(
        long,
        short = 'n',
        env = "PACTO_DASHBOARD_NAMESPACE",
        value_name = "NS[,NS...]"
    )]
    namespace: Option<NamespaceScope>,
    /// Serve /api/debug/*.
    #[arg(long, env = "PACTO_DASHBOARD_DIAGNOSTICS", value_parser = FalseyValueParser::new())]
    diagnostics: bool,
    /// Do not read the on-disk bundle cache.
    #[arg(long, env = "PACTO_DASHBOARD_NO_CACHE", value_parser = FalseyValueParser::new())]
    no_cache: bool,
    /// File holding a bearer token required on every request.
    #[arg(long, env = "PACTO_DASHBOARD_TOKEN_FILE")]
    token_file: Option<PathBuf>,
    /// Host names the dashboard answers to besides IP addresses and localhost, comma-separated
    /// (e.g. its Service or Ingress name); any other Host header gets 421 (DNS rebinding).
    #[arg(
        long = "allowed-host",
        env = "PACTO_DASHBOARD_ALLOWED_HOSTS",
        value_delimiter = ',',
        value_name = "NAME[,NAME...]"
    )]
    allowed_hosts: Vec<String>,
    /// Path prefix the dashboard is served under (e.g. an Ingress sub-path, or
    /// `/api/v1/namespaces/NS/services/NAME:3000/proxy` through `kubectl proxy`): every link,
    /// asset, API and event-stream URL starts with it. Requests are answered with and without it.
    #[arg(
        long,
        env = "PACTO_DASHBOARD_BASE_PATH",
        value_name = "/PREFIX",
        default_value = ""
    )]
    base_path: BasePath,
    /// Extra OCI repositories, comma-separated.
    #[arg(long = "repo", env = "PACTO_DASHBOARD_REPO", value_delimiter = ',')]
    repos: Vec<String>,
    /// Do not try the Kubernetes source.
    #[arg(long, env = "PACTO_DASHBOARD_NO_K8S", value_parser = FalseyValueParser::new())]
    no_k8s: bool,
    /// Bytes of bundles kept resident (LRU).
    #[arg(long, env = "PACTO_DASHBOARD_CACHE_BYTES", default_value_t = 32 * 1024 * 1024)]
    cache_bytes: u64,
    /// Log format: `auto` is JSON in a cluster (KUBERNETES_SERVICE_HOST set), else pretty.
    #[arg(long, env = "PACTO_DASHBOARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    log_format: LogFormat,
    /// Print the effective configuration (flags + environment) as JSON and exit; the Helm
    /// chart tests run the rendered container args through it.
    #[arg(long, hide = true)]
    check_config: bool,
}

/// The effective configuration as `--check-config` prints it (credential values never shown).
fn effective(c: &Config, env: &dyn Environment) -> serde_json::Value {
    let own = Args::command()
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    let known = pacto_oci::settings_report::known_env(own, &["PACTO_NO_CACHE", "PACTO_CACHE_DIR"]);
    let mut v = serde_json::json!({
        "host": c.host,
        "port": c.port,
        // null = all namespaces, else the parsed list.
        "namespaces": (!c.namespaces.is_all()).then(|| c.namespaces.names()),
        "diagnostics": c.diagnostics,
        "no_cache": c.no_cache,
        "token_file": c.token_file,
        "allowed_hosts": c.allowed_hosts,
        "base_path": c.base_path.to_string(),
        "repos": c.repos,
        "dirs": c.dirs,
        "k8s": !matches!(c.k8s, K8sMode::Off),
        "cache_root": env
            .var("PACTO_CACHE_DIR")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| pacto_oci::disk_cache::default_root(env)),
        "known_env": known,
    });
    if let Some(m) = v.as_object_mut() {
        m.extend(pacto_oci::settings_report::registry_settings(env));
    }
    v
}

fn config_from(args: Args) -> Config {
    let mut c = Config {
        host: args.host,
        port: args.port,
        namespaces: args.namespace.unwrap_or_default(),
        diagnostics: args.diagnostics,
        no_cache: args.no_cache || std::env::var("PACTO_NO_CACHE").is_ok_and(|v| v == "1"),
        token_file: args.token_file,
        allowed_hosts: args.allowed_hosts,
        base_path: args.base_path,
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
    let args = Args::parse();
    let log_format = args.log_format;
    init_logs(log_format);
    let check = args.check_config;
    let config = config_from(args);
    if check {
        let mut v = effective(&config, &ProcessEnv);
        v["log_format"] = format!("{log_format:?}").to_lowercase().into();
        // A closed stdout must not panic: the exit code still says the flags parsed.
        let _ = writeln!(std::io::stdout(), "{v}");
        return ExitCode::SUCCESS;
    }
    match pacto_dashboard::serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pacto-dashboard: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn log_format_parses_and_auto_follows_the_cluster() {
        let args = Args::try_parse_from(["pacto-dashboard", "--log-format=pretty"]).unwrap();
        assert!(matches!(args.log_format, LogFormat::Pretty) && !args.log_format.json());
        let args = Args::try_parse_from(["pacto-dashboard", "--log-format", "json"]).unwrap();
        assert!(args.log_format.json());
        assert!(Args::try_parse_from(["pacto-dashboard", "--log-format=xml"]).is_err());
    }

    #[test]
    fn effective_config_reports_flags_registry_env_and_known_names() {
        let args = Args::try_parse_from([
            "pacto-dashboard",
            "--host=0.0.0.0",
            "--port=3100",
            "--namespace=team-a,team-b",
            "--diagnostics",
            "--no-cache",
            "--token-file=/etc/t/token",
            "--allowed-host=dash.team-a.svc,dash.example.com",
            "--base-path=/team-a/pacto/",
            "--check-config",
        ])
        .expect("flags");
        assert!(args.check_config);
        let env = env_of(&[
            ("PACTO_INSECURE_REGISTRIES", "reg.local:5000"),
            ("PACTO_REGISTRY_PASSWORD", "secret"),
            ("XDG_CACHE_HOME", "/cache"),
        ]);
        let v = effective(&config_from(args), &env);
        assert_eq!(v["host"], "0.0.0.0");
        assert_eq!(v["port"], 3100);
        assert_eq!(v["namespaces"], serde_json::json!(["team-a", "team-b"]));
        assert_eq!(v["diagnostics"], true);
        assert_eq!(v["no_cache"], true);
        assert_eq!(v["token_file"], "/etc/t/token");
        assert_eq!(
            v["allowed_hosts"],
            serde_json::json!(["dash.team-a.svc", "dash.example.com"])
        );
        assert_eq!(v["base_path"], "/team-a/pacto");
        assert_eq!(
            v["insecure_registries"],
            serde_json::json!(["reg.local:5000"])
        );
        assert_eq!(v["cache_root"], "/cache/pacto");
        let known = v["known_env"].as_array().expect("list");
        for name in [
            "PACTO_DASHBOARD_PORT",
            "PACTO_REGISTRY_CA_FILE",
            "XDG_CACHE_HOME",
        ] {
            assert!(
                known.iter().any(|k| k == name),
                "{name} missing from {known:?}"
            );
        }
    }

    #[test]
    fn base_path_defaults_to_the_root_and_bad_values_are_refused_with_the_reason() {
        let args = Args::try_parse_from(["pacto-dashboard"]).expect("flags");
        assert!(args.base_path.is_root());
        let err = Args::try_parse_from(["pacto-dashboard", "--base-path=pacto"])
            .expect_err("relative prefix")
            .to_string();
        assert!(
            err.contains("--base-path") && err.contains("must start with '/'"),
            "{err}"
        );
        let err = Args::try_parse_from(["pacto-dashboard", "--base-path=/api"])
            .expect_err("own route")
            .to_string();
        assert!(err.contains("hide the dashboard's own route"), "{err}");
    }
}
