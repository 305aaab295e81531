//! `pacto-plugin-schema-infer`: infers `config.schema.json` from a sample configuration.
//! Options: `file` (required, relative to the bundle), `title` (default `configuration`).

fn main() -> std::process::ExitCode {
    pacto_plugins::run_main("pacto-plugin-schema-infer", pacto_plugins::schema::generate)
}
