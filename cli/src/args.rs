//! Command-line surface. Usage errors exit 2 (clap's convention).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pacto",
    version,
    about = "Author, validate, diff and publish service contracts",
    propagate_version = true
)]
pub struct Cli {
    /// Output format of every command.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text, env = "PACTO_OUTPUT_FORMAT")]
    pub output_format: OutputFormat,

    /// Debug logs on stderr.
    #[arg(short, long, global = true, env = "PACTO_VERBOSE")]
    pub verbose: bool,

    /// Skip cache reads (registry answers are fetched again; the cache is still written).
    #[arg(long, global = true, env = "PACTO_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_cache: bool,

    /// Registry operations run in parallel when resolving a graph (default 8).
    #[arg(long, global = true, value_name = "N", env = "PACTO_OCI_CONCURRENCY")]
    pub concurrency: Option<usize>,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The pactoVersions `init` can scaffold; the first is the default.
pub const INIT_VERSIONS: [&str; 4] = ["2.0", "1.2", "1.1", "1.0"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Markdown,
}

/// Helm-style overrides applied to `pacto.yaml` before validation.
#[derive(Debug, Clone, Default, Args)]
pub struct OverrideArgs {
    /// Values file deep-merged into the contract (repeatable, applied in order).
    #[arg(short = 'f', long = "values", global = true, value_name = "FILE")]
    pub values: Vec<PathBuf>,

    /// Set one field, e.g. --set service.version=1.2.0 (repeatable, after values files).
    #[arg(long = "set", global = true, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a new contract bundle in ./<name>.
    #[command(disable_version_flag = true)]
    Init {
        /// Service name (lowercase letters, digits and dashes).
        name: String,
        /// pactoVersion of the scaffolded contract (2.0, or 1.2/1.1/1.0 for older tooling).
        #[arg(long = "version", value_name = "PACTO_VERSION", default_value = "2.0",
              value_parser = clap::builder::PossibleValuesParser::new(INIT_VERSIONS))]
        pacto_version: String,
    },
    /// Validate a contract bundle (policy and configuration refs are fetched and enforced).
    Validate {
        /// Bundle directory or oci:// reference.
        #[arg(default_value = ".")]
        path: String,
    },
    /// Summarise a contract.
    Explain {
        #[arg(default_value = ".")]
        path: String,
    },
    /// Classify the changes between two contract versions; exits 1 on BREAKING.
    Diff(DiffArgs),
    /// Which consumers break if a service moves from OLD to NEW: the diff joined with the
    /// contracts that depend on it; exits 1 when a BREAKING change breaks a required consumer.
    Impact(ImpactArgs),
    /// Document a contract: Markdown (stdout, a file or DIR/<service>.md) or static HTML pages.
    Doc(DocArgs),
    /// Show the dependency graph of a contract.
    Graph {
        #[arg(default_value = ".")]
        path: String,
        /// Also show configuration/policy references of the root.
        #[arg(long, conflicts_with = "only_references")]
        with_references: bool,
        /// Only show configuration/policy references of the root.
        #[arg(long)]
        only_references: bool,
    },
    /// Write, refresh or check pacto.lock (dependency and reference pins) beside pacto.yaml.
    Lock {
        /// Bundle directory.
        #[arg(default_value = ".")]
        path: String,
        /// Write nothing; exit 1 when the lock is missing or does not match a fresh resolution.
        #[arg(long, conflicts_with_all = ["update", "update_name"])]
        check: bool,
        /// Re-resolve every pin.
        #[arg(long)]
        update: bool,
        /// Re-resolve only this dependency (repeatable; implies --update for it).
        #[arg(long = "update-name", value_name = "NAME")]
        update_name: Vec<String>,
    },
    /// Validate and pack a bundle into a deterministic tar.gz.
    Pack {
        #[arg(default_value = ".")]
        path: String,
        /// Output file (default <name>-<version>.tar.gz).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Validate and publish a bundle to a registry.
    Push {
        /// Target, e.g. oci://ghcr.io/acme/svc (the service version is the default tag).
        reference: String,
        /// Bundle directory.
        #[arg(short = 'p', long = "path", default_value = ".")]
        path: String,
        /// Overwrite an existing tag (long form only: -f is --values).
        #[arg(long)]
        force: bool,
    },
    /// Download a bundle into a directory.
    Pull {
        /// Source, e.g. oci://ghcr.io/acme/svc:1.0.0 (untagged: highest semver tag).
        reference: String,
        /// Output directory (default: the service name).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Save registry credentials after checking them against the registry.
    Login {
        /// Registry host, e.g. ghcr.io or 127.0.0.1:5000.
        registry: String,
        #[arg(short, long)]
        username: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove saved registry credentials.
    Logout { registry: String },
    /// Serve the contract and compliance dashboard over local bundles, registries and the cluster.
    Dashboard(DashboardArgs),
    /// List the Pacto resources of the cluster with their status and failing checks.
    Status(StatusArgs),
    /// Rewrite a 1.x bundle (pactoVersion 1.0, 1.1, 1.2) as a 2.0 bundle.
    Migrate(MigrateArgs),
    /// Run a generator plugin (pacto-plugin-<name>) over a bundle and write its files.
    Generate(GenerateArgs),
    /// Serve the authoring tools (and a bundle's contract) to AI assistants over MCP.
    Mcp(McpArgs),
    /// Print the version.
    Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum McpTransport {
    Stdio,
    Http,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// A bundle directory or `oci://` ref served as resources and bundle tools.
    #[arg(value_name = "DIR|oci://REF")]
    pub bundle: Option<String>,
    /// Transport: newline-delimited JSON-RPC on stdin/stdout, or Streamable HTTP at /mcp.
    #[arg(short = 't', long, value_enum, default_value_t = McpTransport::Stdio)]
    pub transport: McpTransport,
    /// Port of the HTTP transport (bound to 127.0.0.1).
    #[arg(long, default_value_t = 8585)]
    pub port: u16,
    /// Leave out the tools that write files (pacto_create, pacto_edit, pacto_migrate).
    #[arg(long)]
    pub read_only: bool,
    /// Offer the fleet tools over these sources (bundle directories, `oci://registry/repo`
    /// repositories) and the cluster, read through the dashboard library in-process.
    #[arg(long, num_args = 0.., value_name = "DIR|oci://REPO")]
    pub fleet: Option<Vec<String>>,
    /// With --fleet: do not use the Kubernetes source (auto-detected otherwise).
    #[arg(long, requires = "fleet")]
    pub no_k8s: bool,
    /// With --fleet: namespaces the Kubernetes source watches, comma-separated (default all).
    #[arg(long, short = 'n', requires = "fleet", value_name = "NS[,NS...]")]
    pub namespace: Option<pacto_dashboard::NamespaceScope>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Plugin name: the binary pacto-plugin-<name> on $PATH or in ~/.config/pacto/plugins/.
    pub plugin: String,
    /// Bundle directory or oci:// reference.
    #[arg(default_value = ".")]
    pub path: String,
    /// Option passed to the plugin as a string (repeatable), e.g. --option file=config.json.
    #[arg(long = "option", value_name = "KEY=VALUE")]
    pub option: Vec<String>,
    /// Output directory (default <plugin>-output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Old contract bundle.
    pub old: String,
    /// New contract bundle.
    pub new: String,
    /// Values file for the old side only (repeatable).
    #[arg(long = "old-values", value_name = "FILE")]
    pub old_values: Vec<PathBuf>,
    /// --set for the old side only (repeatable).
    #[arg(long = "old-set", value_name = "KEY=VALUE")]
    pub old_set: Vec<String>,
    /// Values file for the new side only (repeatable).
    #[arg(long = "new-values", value_name = "FILE")]
    pub new_values: Vec<PathBuf>,
    /// --set for the new side only (repeatable).
    #[arg(long = "new-set", value_name = "KEY=VALUE")]
    pub new_set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// OLD and NEW (bundle directories or oci:// references) and their per-side overrides.
    #[command(flatten)]
    pub sides: DiffArgs,
    /// A directory searched for consumer contracts (repeatable; default: the current
    /// directory), as `pacto dashboard DIR` searches it.
    #[arg(long = "consumers", value_name = "DIR")]
    pub consumers: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Bundle directory holding a 1.x pacto.yaml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write the whole migrated bundle to this (new or empty) directory instead of
    /// rewriting the bundle in place.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Write nothing; exit 1 if the bundle would change (0 when it is already 2.0).
    #[arg(long, conflicts_with = "output")]
    pub check: bool,
    /// Drop the 1.x-only facts (ports, scaling, image, chart, lifecycle, probe delay)
    /// instead of keeping them under extensions["pacto.trianalab.io/v1"].
    #[arg(long)]
    pub drop_lossy: bool,
    /// JSON output (same as --output-format json).
    #[arg(long)]
    pub json: bool,
    /// Date deciding whether a 1.1 readiness check had expired (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// Bundle directories and `oci://registry/repo` repositories.
    #[arg(value_name = "DIR|oci://REPO")]
    pub inputs: Vec<String>,
    /// Address to bind (use 0.0.0.0 only behind --token-file or on a trusted network).
    #[arg(long, env = "PACTO_DASHBOARD_HOST", default_value = "127.0.0.1")]
    pub host: String,
    #[arg(long, env = "PACTO_DASHBOARD_PORT", default_value_t = 3000)]
    pub port: u16,
    /// Namespaces the Kubernetes source watches, comma-separated (default: all namespaces).
    #[arg(
        long,
        short = 'n',
        env = "PACTO_DASHBOARD_NAMESPACE",
        value_name = "NS[,NS...]"
    )]
    pub namespace: Option<pacto_dashboard::NamespaceScope>,
    /// Serve /api/debug/*.
    #[arg(long, env = "PACTO_DASHBOARD_DIAGNOSTICS", value_parser = clap::builder::FalseyValueParser::new())]
    pub diagnostics: bool,
    /// Do not try the Kubernetes source.
    #[arg(long, env = "PACTO_DASHBOARD_NO_K8S", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_k8s: bool,
    /// File holding a bearer token required on every request (use it with a non-loopback --host).
    #[arg(long, env = "PACTO_DASHBOARD_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// Host names answered besides IP addresses and localhost, comma-separated; any other
    /// Host header gets 421 (defence against DNS rebinding).
    #[arg(
        long = "allowed-host",
        env = "PACTO_DASHBOARD_ALLOWED_HOSTS",
        value_delimiter = ',',
        value_name = "NAME[,NAME...]"
    )]
    pub allowed_hosts: Vec<String>,
    /// Path prefix it is served under (an Ingress sub-path, `kubectl proxy`'s service path):
    /// every URL it produces starts with it; requests are answered with and without it.
    #[arg(
        long,
        env = "PACTO_DASHBOARD_BASE_PATH",
        value_name = "/PREFIX",
        default_value = ""
    )]
    pub base_path: pacto_dashboard::BasePath,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only the Pacto of this name.
    pub name: Option<String>,
    /// Namespace to list (default: the kubeconfig context's namespace).
    #[arg(long, short = 'n', conflicts_with = "all_namespaces")]
    pub namespace: Option<String>,
    /// List every namespace.
    #[arg(long, short = 'A')]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct DocArgs {
    /// Bundle directory or oci:// reference.
    #[arg(default_value = ".")]
    pub path: String,
    /// Write the Markdown to FILE.md, or to DIR/<service>.md.
    #[arg(short, long, value_name = "FILE|DIR", conflicts_with_all = ["html", "serve"])]
    pub output: Option<PathBuf>,
    /// Write a static HTML page set (the dashboard's pages for this bundle plus doc.html).
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Serve the HTML page set on 127.0.0.1 until stopped.
    #[arg(long)]
    pub serve: bool,
    /// Port for --serve.
    #[arg(long, default_value_t = 8484)]
    pub port: u16,
}
