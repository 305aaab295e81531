//! Command-line flags (each also settable by environment variable).

use std::net::SocketAddr;
use std::time::Duration;

use clap::{CommandFactory, Parser, ValueEnum};
use pacto_oci::creds::Environment;

fn parse_byte_count(v: &str) -> Result<u64, String> {
    pacto_oci::memory_size::parse_bytes(v)
        .ok_or_else(|| format!("{v:?} is not a byte count (e.g. 67108864, 64Mi, 1G)"))
}

/// `90s`, `2m`, `1h`, `1m30s` or plain seconds; at most a day.
fn parse_duration(v: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("{v:?} is not a duration (e.g. 0s, 90s, 2m, 1m30s, 1h)");
    let mut total: u64 = 0;
    let mut digits = String::new();
    for ch in v.trim().chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let unit = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = total.saturating_add(n.saturating_mul(unit));
        digits.clear();
    }
    if !digits.is_empty() {
        total = total.saturating_add(digits.parse::<u64>().map_err(|_| bad())?);
    }
    if v.trim().is_empty() {
        return Err(bad());
    }
    if total > 86_400 {
        return Err(format!("{v:?} is longer than a day"));
    }
    Ok(std::time::Duration::from_secs(total))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// JSON when running in a cluster (KUBERNETES_SERVICE_HOST set), pretty otherwise.
    Auto,
    Json,
    Pretty,
}

/// pacto-operator: checks Pacto resources against the live cluster.
#[derive(Clone, Debug, Parser)]
#[command(name = "pacto-operator", version, about)]
pub struct Args {
    /// Watch only these namespaces (comma-separated). Default: all namespaces.
    #[arg(long, env = "PACTO_WATCH_NAMESPACES", value_delimiter = ',')]
    pub namespaces: Vec<String>,
    /// Watch only namespaces matching this label selector (e.g. `pacto=enabled`).
    #[arg(long, env = "PACTO_NAMESPACE_SELECTOR", conflicts_with = "namespaces")]
    pub namespace_selector: Option<String>,
    /// Reconciles running at once (across all namespaces).
    #[arg(long, env = "PACTO_CONCURRENCY", default_value_t = 8)]
    pub concurrency: usize,
    /// Endpoint probes running at once.
    #[arg(long, env = "PACTO_PROBE_CONCURRENCY", default_value_t = 16)]
    pub probe_concurrency: usize,
    /// Seconds between two probe rounds of one Pacto.
    #[arg(long, env = "PACTO_PROBE_INTERVAL_SECONDS", default_value_t = 30)]
    pub probe_interval_seconds: u64,
    /// Timeout of one probe request, in milliseconds.
    #[arg(long, env = "PACTO_PROBE_TIMEOUT_MS", default_value_t = 5000)]
    pub probe_timeout_ms: u64,
    /// Consecutive agreeing probe rounds before an endpoint condition flips.
    #[arg(long, env = "PACTO_PROBE_THRESHOLD", default_value_t = 3)]
    pub probe_threshold: u32,
    /// Serve an interface that has neither a `target.interfaceBindings` entry nor a declared
    /// port on the Service port of the same name (`--interface-name-match-discovery=false`
    /// reports such interfaces unbound instead).
    #[arg(long, env = "PACTO_INTERFACE_NAME_MATCH_DISCOVERY", default_value_t = true, action = clap::ArgAction::Set)]
    pub interface_name_match_discovery: bool,
    /// How long a negative observation (interface, capability, dependency, configuration) must
    /// last before a check that passed becomes a failure; recoveries are immediate (`0s`: off).
    #[arg(long, env = "PACTO_STABILIZATION_WINDOW", default_value = "2m", value_parser = parse_duration)]
    pub stabilization_window: std::time::Duration,
    /// Bytes of a probe response body read at most.
    #[arg(long, env = "PACTO_PROBE_BODY_LIMIT", default_value_t = crate::eval::probes::MAX_METRICS_BODY)]
    pub probe_body_limit: usize,
    /// PactoRevisions kept per Pacto.
    #[arg(long, env = "PACTO_REVISION_LIMIT", default_value_t = 10)]
    pub revision_limit: usize,
    /// Seconds a repository's tag list, and the digest a tag resolved to, are reused before
    /// asking the registry again (a moved tag is seen within this time).
    #[arg(long, env = "PACTO_TAG_CACHE_SECONDS", default_value_t = 60)]
    pub tag_cache_seconds: u64,
    /// Byte cap of pulled bundles kept in memory (least recently used are dropped and
    /// pulled again when needed); `K`/`M`/`G` suffixes allowed.
    #[arg(long, env = "PACTO_MEMORY_CACHE_BYTES", default_value = "64Mi", value_parser = parse_byte_count)]
    pub memory_cache_bytes: u64,
    /// First retry delay after a registry or API outage, in seconds (doubles up to the max).
    #[arg(long, env = "PACTO_RETRY_MIN_SECONDS", default_value_t = 2)]
    pub retry_min_seconds: u64,
    /// Longest retry delay, in seconds.
    #[arg(long, env = "PACTO_RETRY_MAX_SECONDS", default_value_t = 120)]
    pub retry_max_seconds: u64,
    /// Refuse a pull Secret that does not name the registry it belongs to (a `registry` key
    /// with its host[:port]); without it such a Secret is used for the ref's registry with a
    /// warning. Docker config Secrets are always bound by their entries.
    #[arg(
        long,
        env = "PACTO_REQUIRE_BOUND_PULL_SECRETS",
        default_value_t = false
    )]
    pub require_bound_pull_secrets: bool,
    /// Do not watch ConfigMaps' metadata (for RBAC without `list`/`watch` on configmaps): a
    /// ConfigMap named by a `configBindings` entry is then re-read only at the check interval.
    #[arg(long, env = "PACTO_NO_CONFIG_MAP_WATCH", default_value_t = false)]
    pub no_config_map_watch: bool,
    /// Address of /metrics, /healthz and /readyz.
    #[arg(long, env = "PACTO_METRICS_ADDR", default_value = "0.0.0.0:8080")]
    pub metrics_addr: SocketAddr,
    /// Elect a leader through a Lease, so several replicas can run.
    #[arg(long, env = "PACTO_LEADER_ELECT", default_value_t = false)]
    pub leader_elect: bool,
    /// Lease name (with `--shards N`, the shards' Leases are `<name>-shard-<k>`).
    #[arg(long, env = "PACTO_LEASE_NAME", default_value = "pacto-operator")]
    pub lease_name: String,
    /// Split the Pactos into this many shards by a stable hash of namespace/name, each with
    /// its own Lease; a replica reconciles the one shard it holds, others stand by and take
    /// over a shard whose replica dies. Needs `--leader-elect`; run at least N replicas.
    #[arg(long, env = "PACTO_SHARDS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub shards: u32,
    /// Lease namespace (default: POD_NAMESPACE, else `default`).
    #[arg(long, env = "POD_NAMESPACE", default_value = "default")]
    pub lease_namespace: String,
    /// Seconds a lease stays valid without renewal.
    #[arg(long, env = "PACTO_LEASE_DURATION_SECONDS", default_value_t = 15)]
    pub lease_duration_seconds: u64,
    /// Seconds between renewals.
    #[arg(long, env = "PACTO_LEASE_RENEW_SECONDS", default_value_t = 5)]
    pub lease_renew_seconds: u64,
    /// This replica's identity (default: POD_NAME, else hostname-pid).
    #[arg(long, env = "POD_NAME")]
    pub identity: Option<String>,
    /// SSA field manager and event reporter.
    #[arg(long, env = "PACTO_FIELD_MANAGER", default_value = "pacto-operator")]
    pub field_manager: String,
    /// Log format.
    #[arg(long, env = "PACTO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,
    /// Print the effective configuration (flags + environment) as JSON and exit; the Helm
    /// chart tests run the rendered container args through it.
    #[arg(long, hide = true)]
    pub check_config: bool,
}

impl Args {
    pub fn probe_interval(&self) -> Duration {
        Duration::from_secs(self.probe_interval_seconds.max(1))
    }

    pub fn probe_timeout(&self) -> Duration {
        Duration::from_millis(self.probe_timeout_ms.max(1))
    }

    pub fn identity(&self) -> String {
        self.identity
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                    .map(|h| h.trim().to_string())
                    .unwrap_or_else(|_| "pacto".into());
                format!("{host}-{}", std::process::id())
            })
    }

    pub fn json_logs(&self) -> bool {
        match self.log_format {
            LogFormat::Json => true,
            LogFormat::Pretty => false,
            LogFormat::Auto => std::env::var_os("KUBERNETES_SERVICE_HOST").is_some(),
        }
    }
}

impl Args {
    /// The effective configuration as `--check-config` prints it: the parsed flags, the
    /// registry settings read from `env`, and every environment variable this binary reads.
    pub fn effective(&self, env: &dyn Environment) -> serde_json::Value {
        let scope = match self.scope() {
            Scope::All => serde_json::json!({"all": true}),
            Scope::Namespaces(n) => serde_json::json!({"namespaces": n}),
            Scope::Selector(s) => serde_json::json!({"selector": s}),
        };
        let mut v = serde_json::json!({
            "scope": scope,
            "concurrency": self.concurrency,
            "memory_cache_bytes": self.memory_cache_bytes,
            "require_bound_pull_secrets": self.require_bound_pull_secrets,
            "config_map_watch": !self.no_config_map_watch,
            "metrics_addr": self.metrics_addr.to_string(),
            "leader_elect": self.leader_elect,
            "lease_name": self.lease_name,
            "shards": self.shards,
            "stabilization_window_seconds": self.stabilization_window.as_secs(),
            "interface_name_match_discovery": self.interface_name_match_discovery,
            "lease_namespace": self.lease_namespace,
            "identity": self.identity,
            "log_format": format!("{:?}", self.log_format).to_lowercase(),
            "json_logs": self.json_logs(),
            "cache_root": pacto_oci::disk_cache::default_root(env),
            "known_env": known_env(),
        });
        if let Some(m) = v.as_object_mut() {
            m.extend(pacto_oci::settings_report::registry_settings(env));
        }
        v
    }
}

/// Environment variables read: the flags' own plus those of the OCI client and cache.
fn known_env() -> Vec<String> {
    let own = Args::command()
        .get_arguments()
        .filter_map(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    pacto_oci::settings_report::known_env(own, &[])
}

/// The Pacto scope to watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Namespaces(Vec<String>),
    Selector(String),
}

impl Args {
    pub fn scope(&self) -> Scope {
        let list: Vec<String> = self
            .namespaces
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        match (&self.namespace_selector, list.is_empty()) {
            (Some(sel), _) if !sel.trim().is_empty() => Scope::Selector(sel.trim().to_string()),
            (_, false) => Scope::Namespaces(list),
            _ => Scope::All,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_from_flags() {
        let a = Args::try_parse_from(["op"]).expect("defaults");
        assert_eq!(a.scope(), Scope::All);
        assert_eq!(a.concurrency, 8);
        let a = Args::try_parse_from(["op", "--namespaces", "a,b"]).expect("list");
        assert_eq!(a.scope(), Scope::Namespaces(vec!["a".into(), "b".into()]));
        let a = Args::try_parse_from(["op", "--namespace-selector", "pacto=on"]).expect("sel");
        assert_eq!(a.scope(), Scope::Selector("pacto=on".into()));
        assert!(
            Args::try_parse_from(["op", "--namespaces", "a", "--namespace-selector", "x=y"])
                .is_err()
        );
    }

    #[test]
    fn stabilization_window_and_name_match_flags() {
        use std::time::Duration;
        let a = Args::try_parse_from(["op"]).expect("defaults");
        assert_eq!(a.stabilization_window, Duration::from_secs(120));
        assert!(a.interface_name_match_discovery);
        for (v, secs) in [("0s", 0), ("90", 90), ("1m30s", 90), ("1h", 3600)] {
            let a = Args::try_parse_from(["op", "--stabilization-window", v]).expect(v);
            assert_eq!(a.stabilization_window, Duration::from_secs(secs), "{v}");
        }
        for bad in ["", "2d", "m", "1.5m", "25h"] {
            assert!(
                Args::try_parse_from(["op", "--stabilization-window", bad]).is_err(),
                "{bad:?}"
            );
        }
        let a = Args::try_parse_from(["op", "--interface-name-match-discovery=false"]).expect("f");
        assert!(!a.interface_name_match_discovery);
    }

    fn env_of(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn effective_config_reports_flags_registry_env_and_known_names() {
        let a = Args::try_parse_from([
            "op",
            "--namespaces=a,b",
            "--metrics-addr=0.0.0.0:9100",
            "--lease-name=lead",
            "--log-format=json",
            "--check-config",
        ])
        .expect("flags");
        let env = env_of(&[
            ("PACTO_INSECURE_REGISTRIES", "reg.local:5000"),
            ("PACTO_REGISTRY_CA_FILE", "/ca/ca.crt"),
            ("PACTO_REGISTRY_TOKEN", "secret"),
            ("XDG_CACHE_HOME", "/cache"),
        ]);
        let v = a.effective(&env);
        assert_eq!(v["scope"]["namespaces"], serde_json::json!(["a", "b"]));
        assert_eq!(v["metrics_addr"], "0.0.0.0:9100");
        assert_eq!(v["lease_name"], "lead");
        assert_eq!(v["log_format"], "json");
        assert_eq!(
            v["insecure_registries"],
            serde_json::json!(["reg.local:5000"])
        );
        assert_eq!(v["cache_root"], "/cache/pacto");
        let known = v["known_env"].as_array().expect("list");
        for name in [
            "PACTO_LEASE_NAME",
            "POD_NAMESPACE",
            "POD_NAME",
            "PACTO_REGISTRY_PASSWORD",
        ] {
            assert!(
                known.iter().any(|k| k == name),
                "{name} missing from {known:?}"
            );
        }
        assert!(!known.iter().any(|k| k == "PACTO_LEADER_ELECTION_LEASE"));
    }

    #[test]
    fn memory_cache_cap_takes_byte_counts_with_units() {
        let a = Args::try_parse_from(["op"]).expect("defaults");
        assert_eq!(a.memory_cache_bytes, 64 << 20);
        let a = Args::try_parse_from(["op", "--memory-cache-bytes", "8Mi"]).expect("8Mi");
        assert_eq!(a.memory_cache_bytes, 8 << 20);
        let e = Args::try_parse_from(["op", "--memory-cache-bytes", "lots"]).expect_err("bad");
        assert!(e.to_string().contains("not a byte count"), "{e}");
    }

    #[test]
    fn bound_pull_secrets_are_required_by_flag_or_environment() {
        let a = Args::try_parse_from(["op"]).expect("defaults");
        assert!(!a.require_bound_pull_secrets);
        let a = Args::try_parse_from(["op", "--require-bound-pull-secrets"]).expect("flag");
        assert!(a.require_bound_pull_secrets);
        assert_eq!(
            a.effective(&env_of(&[]))["require_bound_pull_secrets"],
            true
        );
        let known = Args::try_parse_from(["op"])
            .expect("defaults")
            .effective(&env_of(&[]));
        assert!(
            known["known_env"]
                .as_array()
                .is_some_and(|k| k.iter().any(|n| n == "PACTO_REQUIRE_BOUND_PULL_SECRETS"))
        );
    }
}
