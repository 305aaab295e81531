//! Registry credentials, resolved per registry host in a fixed order:
//!
//! 1. `PACTO_REGISTRY_TOKEN` (bearer token);
//! 2. `PACTO_REGISTRY_USERNAME` + `PACTO_REGISTRY_PASSWORD`;
//! 3. the `pacto login` file (`$XDG_CONFIG_HOME/pacto/config.json`);
//! 4. Docker's `config.json`: `credHelpers[host]`, else `credsStore`, else `auths[host]`;
//! 5. anonymous.
//!
//! Credentials never travel to another host: file entries are keyed by exact host[:port],
//! and the environment credentials (which name no host) apply only to the hosts listed in
//! `PACTO_REGISTRY_HOST` (comma-separated) or, when that is unset, to the keychain's primary
//! registry (the one the command targets). A keychain with neither applies them to every
//! registry, as the reference's CLI does, unless it is [`Keychain::env_only_for_listed_hosts`]:
//! the long-running operator and dashboard, where whoever may edit a Pacto chooses the
//! registry, send environment credentials only to the hosts `PACTO_REGISTRY_HOST` lists.
//!
//! Resolution is pure over an injected [`Environment`], parsed files and a
//! [`CredentialHelper`], so every rule is unit-tested without touching the machine.

mod docker;
mod helper;
pub mod login_file;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

pub use docker::DockerConfig;
pub use helper::{CredentialHelper, HelperCreds, HelperError, ProcessHelper};
pub use login_file::AuthFile;

pub const ENV_TOKEN: &str = "PACTO_REGISTRY_TOKEN";
pub const ENV_USERNAME: &str = "PACTO_REGISTRY_USERNAME";
pub const ENV_PASSWORD: &str = "PACTO_REGISTRY_PASSWORD";
pub const ENV_SCOPE: &str = "PACTO_REGISTRY_HOST";

#[derive(Debug, thiserror::Error)]
pub enum CredError {
    #[error("{set} is set but {missing} is not: set both, or neither")]
    HalfEnv {
        set: &'static str,
        missing: &'static str,
    },
    #[error("cannot read {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("{path} is not valid credentials JSON: {detail}")]
    Malformed { path: PathBuf, detail: String },
    #[error("credentials for {registry} in {path}: {detail}")]
    BadEntry {
        path: PathBuf,
        registry: String,
        detail: String,
    },
    #[error("credential helper docker-credential-{helper} failed for {registry}: {detail}")]
    Helper {
        helper: String,
        registry: String,
        detail: String,
    },
    #[error("no home directory: set HOME or XDG_CONFIG_HOME")]
    NoHome,
}

/// A secret to present to one registry. `Debug` never prints the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    Anonymous,
    Basic { username: String, password: String },
    Bearer(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Anonymous => f.write_str("Anonymous"),
            Self::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// Where a credential came from, for messages such as "using credentials from pacto login".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    EnvToken,
    EnvUserPass,
    PactoLogin,
    DockerConfig,
    DockerHelper(String),
    Anonymous,
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EnvToken => f.write_str(ENV_TOKEN),
            Self::EnvUserPass => write!(f, "{ENV_USERNAME}/{ENV_PASSWORD}"),
            Self::PactoLogin => f.write_str("pacto login"),
            Self::DockerConfig => f.write_str("docker config.json"),
            Self::DockerHelper(h) => write!(f, "docker-credential-{h}"),
            Self::Anonymous => f.write_str("anonymous"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub credential: Credential,
    pub source: CredentialSource,
}

/// Read access to environment variables (the process, or a map in tests).
pub trait Environment: Send + Sync {
    fn var(&self, key: &str) -> Option<String>;
}

/// The real process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }
}

impl Environment for HashMap<String, String> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

/// Non-empty value of `key`.
fn env_nonempty(env: &dyn Environment, key: &str) -> Option<String> {
    env.var(key).filter(|v| !v.is_empty())
}

/// `$XDG_CONFIG_HOME/pacto/config.json`, else `$HOME/.config/pacto/config.json`.
pub fn pacto_config_path(env: &dyn Environment) -> Result<PathBuf, CredError> {
    if let Some(x) = env_nonempty(env, "XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(x).join("pacto").join("config.json"));
    }
    let home = env_nonempty(env, "HOME").ok_or(CredError::NoHome)?;
    Ok(PathBuf::from(home)
        .join(".config")
        .join("pacto")
        .join("config.json"))
}

/// `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
pub fn docker_config_path(env: &dyn Environment) -> Option<PathBuf> {
    if let Some(d) = env_nonempty(env, "DOCKER_CONFIG") {
        return Some(PathBuf::from(d).join("config.json"));
    }
    env_nonempty(env, "HOME").map(|h| PathBuf::from(h).join(".docker").join("config.json"))
}

/// Canonical registry key: no scheme, no path, lowercase, Docker Hub aliases folded.
pub fn normalize_registry(key: &str) -> String {
    let k = key.trim();
    let k = k
        .strip_prefix("https://")
        .or_else(|| k.strip_prefix("http://"))
        .unwrap_or(k);
    let host = k.split('/').next().unwrap_or_default().to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
        _ => host,
    }
}

/// Resolves credentials per registry. Build with [`Keychain::load`] (reads the files named
/// by the environment) or [`Keychain::new`] (everything injected).
pub struct Keychain {
    env: Box<dyn Environment>,
    pacto: Option<AuthFile>,
    docker: Option<DockerConfig>,
    helper: Box<dyn CredentialHelper>,
    primary: Option<String>,
    /// Environment credentials go only to `PACTO_REGISTRY_HOST` hosts (never "everywhere").
    env_hosts_only: bool,
}

impl Keychain {
    pub fn new(
        env: Box<dyn Environment>,
        pacto: Option<AuthFile>,
        docker: Option<DockerConfig>,
        helper: Box<dyn CredentialHelper>,
    ) -> Self {
        Self {
            env,
            pacto,
            docker,
            helper,
            primary: None,
            env_hosts_only: false,
        }
    }

    /// Reads the pacto login file and Docker config named by `env` (missing files are fine).
    pub fn load(env: Box<dyn Environment>) -> Result<Self, CredError> {
        let pacto = match pacto_config_path(env.as_ref()) {
            Ok(p) => login_file::load(&p)?,
            Err(CredError::NoHome) => None,
            Err(e) => return Err(e),
        };
        let docker = match docker_config_path(env.as_ref()) {
            Some(p) => DockerConfig::load(&p)?,
            None => None,
        };
        Ok(Self::new(
            env,
            pacto,
            docker,
            Box::new(ProcessHelper::default()),
        ))
    }

    /// The registry the command targets: environment credentials apply to it when
    /// `PACTO_REGISTRY_HOST` is unset.
    pub fn with_primary_registry(mut self, registry: &str) -> Self {
        self.primary = Some(normalize_registry(registry));
        self
    }

    /// For processes where other people choose the registry (a Pacto's `contractRef`, a
    /// discovered ref): environment credentials apply only to the hosts `PACTO_REGISTRY_HOST`
    /// lists, and to no registry at all when it is unset.
    pub fn env_only_for_listed_hosts(mut self) -> Self {
        self.env_hosts_only = true;
        self
    }

    /// Environment credentials that this keychain will never send because no host is listed
    /// for them (for a startup warning), e.g. `Some("PACTO_REGISTRY_TOKEN")`.
    pub fn unscoped_env_credentials(&self) -> Option<&'static str> {
        let env = self.env.as_ref();
        if !self.env_hosts_only || env_nonempty(env, ENV_SCOPE).is_some() {
            return None;
        }
        if env_nonempty(env, ENV_TOKEN).is_some() {
            Some(ENV_TOKEN)
        } else if env_nonempty(env, ENV_USERNAME).is_some()
            || env_nonempty(env, ENV_PASSWORD).is_some()
        {
            Some(ENV_USERNAME)
        } else {
            None
        }
    }

    /// Whether the host-less environment credentials may be sent to `registry`.
    fn env_applies_to(&self, registry: &str) -> bool {
        if let Some(scope) = env_nonempty(self.env.as_ref(), ENV_SCOPE) {
            return scope
                .split(',')
                .map(normalize_registry)
                .any(|h| !h.is_empty() && h == registry);
        }
        if self.env_hosts_only {
            return false;
        }
        match &self.primary {
            Some(p) => p == registry,
            None => true,
        }
    }

    /// The credential for `registry` (`host[:port]`), first source wins.
    pub fn resolve(&self, registry: &str) -> Result<Resolved, CredError> {
        let registry = normalize_registry(registry);
        let env = self.env.as_ref();
        if self.env_applies_to(&registry) {
            if let Some(token) = env_nonempty(env, ENV_TOKEN) {
                return Ok(Resolved {
                    credential: Credential::Bearer(token),
                    source: CredentialSource::EnvToken,
                });
            }
            match (
                env_nonempty(env, ENV_USERNAME),
                env_nonempty(env, ENV_PASSWORD),
            ) {
                (Some(username), Some(password)) => {
                    return Ok(Resolved {
                        credential: Credential::Basic { username, password },
                        source: CredentialSource::EnvUserPass,
                    });
                }
                (Some(_), None) => {
                    return Err(CredError::HalfEnv {
                        set: ENV_USERNAME,
                        missing: ENV_PASSWORD,
                    });
                }
                (None, Some(_)) => {
                    return Err(CredError::HalfEnv {
                        set: ENV_PASSWORD,
                        missing: ENV_USERNAME,
                    });
                }
                (None, None) => {}
            }
        }
        if let Some(file) = &self.pacto
            && let Some(credential) = file.lookup(&registry)?
        {
            return Ok(Resolved {
                credential,
                source: CredentialSource::PactoLogin,
            });
        }
        if let Some(docker) = &self.docker
            && let Some(found) = docker.lookup(&registry, self.helper.as_ref())?
        {
            return Ok(found);
        }
        Ok(Resolved {
            credential: Credential::Anonymous,
            source: CredentialSource::Anonymous,
        })
    }
}

#[cfg(test)]
mod tests;
