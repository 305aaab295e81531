//! `pacto`: author, validate, diff, pack and publish service contracts.

mod args;
mod commands;
mod error;
mod load;
mod lock;
mod mcp;
mod oci;
mod outcome;
mod plugin;
mod render;

use args::{Cli, Command};
use clap::Parser;
use error::CliError;
use outcome::{Outcome, json};
use pacto_core::graph::GraphOptions;
use std::io::Write;
use std::process::ExitCode;

// musl's allocator is slow; the static image build enables this feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter("debug")
            .init();
    }
    let outcome = match run(cli) {
        Ok(o) => o,
        Err(e) => Outcome::default()
            .with_stderr(format!("Error: {e}\n"))
            .with_code(e.exit_code()),
    };
    // A closed stdout (e.g. `| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.code.clamp(0, 255) as u8)
}

fn run(cli: Cli) -> Result<Outcome, CliError> {
    let format = cli.output_format;
    oci::configure(oci::Settings {
        no_cache: cli.no_cache,
        concurrency: cli.concurrency,
    });
    let overrides = load::global_overrides(&cli.overrides)?;
    match cli.command {
        Command::Init {
            name,
            pacto_version,
        } => commands::init::run(&name, &pacto_version, format),
        Command::Validate { path } => commands::validate::run(&path, &overrides, format),
        Command::Explain { path } => commands::explain::run(&path, &overrides, format),
        Command::Diff(args) => commands::diff::run(&args, &overrides, format),
        Command::Impact(args) => commands::impact::run(&args, &overrides, format),
        Command::Doc(args) => commands::doc::run(&args, &overrides, format),
        Command::Graph {
            path,
            with_references,
            only_references,
        } => commands::graph::run(
            &path,
            &overrides,
            GraphOptions {
                with_references,
                only_references,
                ..GraphOptions::default()
            },
            format,
        ),
        Command::Lock {
            path,
            check,
            update,
            update_name,
        } => commands::lock::run(
            &commands::lock::LockArgs {
                path,
                check,
                update,
                update_names: update_name,
            },
            &overrides,
            format,
        ),
        Command::Pack { path, output } => commands::pack::run(&path, output, &overrides, format),
        Command::Push {
            reference,
            path,
            force,
        } => commands::push::run(&reference, &path, force, &overrides, format),
        Command::Pull { reference, output } => commands::pull::run(&reference, output, format),
        Command::Login {
            registry,
            username,
            password_stdin,
        } => commands::login::login(&registry, &username, password_stdin, format),
        Command::Logout { registry } => commands::login::logout(&registry, format),
        Command::Dashboard(args) => commands::dashboard::run(args, cli.no_cache),
        Command::Status(args) => commands::status::run(&args, format),
        Command::Migrate(args) => commands::migrate::run(&args, &overrides, format),
        Command::Generate(args) => commands::generate::run(&args, &overrides, format),
        Command::Mcp(args) => mcp::run(args),
        Command::Version => Ok(version(format)),
    }
}

fn version(format: args::OutputFormat) -> Outcome {
    let v = env!("CARGO_PKG_VERSION");
    match format {
        args::OutputFormat::Json => Outcome::ok(json(&serde_json::json!({ "version": v }))),
        _ => Outcome::ok(format!("pacto version {v}\n")),
    }
}
