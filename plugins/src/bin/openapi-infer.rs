//! `pacto-plugin-openapi-infer`: infers an OpenAPI 3.1 document from axum routes.
//! Options: `output`, `source`, `framework`, `title`, `version` (see docs/plugins.md).

fn main() -> std::process::ExitCode {
    pacto_plugins::run_main(
        "pacto-plugin-openapi-infer",
        pacto_plugins::openapi::generate,
    )
}
