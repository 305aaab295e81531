//! `pacto login <registry> -u USER [--password-stdin]` and `pacto logout <registry>`.
//! Credentials are verified against the registry before being saved to
//! `$XDG_CONFIG_HOME/pacto/config.json` (mode 0600).

use crate::args::OutputFormat;
use crate::error::CliError;
use crate::oci::registry;
use crate::outcome::{Outcome, json};
use pacto_oci::creds::login_file::{remove_login, save_login};
use pacto_oci::creds::{ProcessEnv, normalize_registry, pacto_config_path};
use std::io::{BufRead, IsTerminal, Write};

pub fn login(
    registry_arg: &str,
    username: &str,
    password_stdin: bool,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let host = normalize_registry(registry_arg.trim_start_matches("oci://"));
    if host.is_empty() {
        return Err(CliError::Usage(
            "login needs a registry host, e.g. ghcr.io".into(),
        ));
    }
    let stdin = std::io::stdin();
    if !password_stdin {
        if !stdin.is_terminal() {
            return Err(CliError::Usage(
                "no terminal to ask for the password: pipe it with --password-stdin".into(),
            ));
        }
        // No echo suppression is available without a terminal library; say so.
        eprint!("Password for {username}@{host} (input is visible; prefer --password-stdin): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Failed(format!("cannot read the password: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        return Err(CliError::Usage("the password is empty".into()));
    }
    let reg = registry(Some(&host))?;
    reg.block_on(
        reg.registry()
            .client()
            .verify_credentials(&host, username, password),
    )?;
    let path = pacto_config_path(&ProcessEnv).map_err(|e| CliError::Failed(e.to_string()))?;
    save_login(&path, &host, username, password).map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&serde_json::json!({
            "registry": host, "username": username, "config": path.display().to_string()
        }))),
        _ => Outcome::ok(format!("Login succeeded for {host}\n")),
    })
}

pub fn logout(registry_arg: &str, format: OutputFormat) -> Result<Outcome, CliError> {
    let host = normalize_registry(registry_arg.trim_start_matches("oci://"));
    let path = pacto_config_path(&ProcessEnv).map_err(|e| CliError::Failed(e.to_string()))?;
    let removed = remove_login(&path, &host).map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(match format {
        OutputFormat::Json => Outcome::ok(json(&serde_json::json!({
            "registry": host, "removed": removed
        }))),
        _ if removed => Outcome::ok(format!("Removed credentials for {host}\n")),
        _ => Outcome::ok(format!("Not logged in to {host}\n")),
    })
}
