//! `pacto-operator`: see `pacto-operator --help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use pacto_operator::config::Args;

// musl's allocator is slow; the static image build enables this feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_logs(args: &Args) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,kube=warn,hyper=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if args.json_logs() {
        builder.json().flatten_event(true).init();
    } else {
        // Colours only on a terminal: a Pod's log file gets plain text.
        use std::io::IsTerminal;
        builder.with_ansi(std::io::stderr().is_terminal()).init();
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.check_config {
        // A closed stdout must not panic: the exit code still says the flags parsed.
        let _ = writeln!(
            std::io::stdout(),
            "{}",
            args.effective(&pacto_oci::creds::ProcessEnv)
        );
        return ExitCode::SUCCESS;
    }
    init_logs(&args);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the async runtime");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(pacto_operator::run::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "pacto-operator stopped");
            ExitCode::FAILURE
        }
    }
}
