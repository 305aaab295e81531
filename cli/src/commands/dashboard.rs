//! `pacto dashboard`: the dashboard library served from the CLI until Ctrl-C.

use crate::args::DashboardArgs;
use crate::error::CliError;
use crate::outcome::Outcome;
use pacto_dashboard::{Config, K8sMode};
use std::path::PathBuf;

pub fn run(args: DashboardArgs, no_cache: bool) -> Result<Outcome, CliError> {
    // The listening URL and source states are logged; show them unless the user chose a filter.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .try_init();
    let config = config_from(args, no_cache || env_flag("PACTO_DASHBOARD_NO_CACHE"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(pacto_dashboard::serve(config))
        .map_err(|e| CliError::Failed(format!("dashboard: {e}")))?;
    Ok(Outcome::default())
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false" | "no" | "off"))
}

/// Positional inputs split into bundle directories and `oci://` repositories.
fn config_from(args: DashboardArgs, no_cache: bool) -> Config {
    let mut c = Config {
        host: args.host,
        port: args.port,
        namespaces: args.namespace.unwrap_or_default(),
        diagnostics: args.diagnostics,
        no_cache,
        token_file: args.token_file,
        allowed_hosts: args.allowed_hosts,
        base_path: args.base_path,
        k8s: if args.no_k8s {
            K8sMode::Off
        } else {
            K8sMode::Auto
        },
        ..Config::default()
    };
    for input in args.inputs {
        if input.starts_with("oci://") {
            c.repos.push(input);
        } else {
            c.dirs.push(PathBuf::from(input));
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_split_into_dirs_and_repos() {
        let args = DashboardArgs {
            inputs: vec!["examples".into(), "oci://127.0.0.1:5000/acme/svc".into()],
            host: "0.0.0.0".into(),
            port: 8080,
            namespace: Some(pacto_dashboard::NamespaceScope::all()),
            diagnostics: true,
            no_k8s: true,
            token_file: Some(PathBuf::from("/run/secrets/token")),
            allowed_hosts: vec!["pacto.internal".into()],
            base_path: "/pacto/".parse().unwrap(),
        };
        let c = config_from(args, true);
        assert_eq!(c.dirs, vec![PathBuf::from("examples")]);
        assert_eq!(c.repos, vec!["oci://127.0.0.1:5000/acme/svc".to_string()]);
        assert_eq!((c.host.as_str(), c.port), ("0.0.0.0", 8080));
        assert!(c.namespaces.is_all());
        assert!(c.diagnostics && c.no_cache);
        assert_eq!(c.k8s, K8sMode::Off);
        assert_eq!(c.token_file, Some(PathBuf::from("/run/secrets/token")));
        assert_eq!(c.allowed_hosts, vec!["pacto.internal".to_string()]);
        assert_eq!(c.base_path.as_str(), "/pacto");
    }
}
