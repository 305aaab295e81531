//! Docker's `config.json`: `auths`, `credHelpers` and `credsStore`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::login_file::{UserPassword, decode_auth};
use super::normalize_registry;
use super::{CredError, Credential, CredentialHelper, CredentialSource, Resolved};

/// Docker Hub's key in helpers and `auths`.
const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Basic(UserPassword),
    Token(String),
    /// An OAuth refresh token (`identitytoken`): needs a token exchange this client does
    /// not do, so it is skipped with a warning.
    Identity,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerConfig {
    path: PathBuf,
    auths: BTreeMap<String, Entry>,
    cred_helpers: BTreeMap<String, String>,
    creds_store: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    #[serde(default)]
    auths: BTreeMap<String, RawEntry>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default)]
    creds_store: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawEntry {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
    identitytoken: Option<String>,
    registrytoken: Option<String>,
}

impl DockerConfig {
    pub fn parse(path: &Path, text: &str) -> Result<DockerConfig, CredError> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| CredError::Malformed {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let mut auths = BTreeMap::new();
        for (key, e) in raw.auths {
            let bad = |detail: String| CredError::BadEntry {
                path: path.to_path_buf(),
                registry: key.clone(),
                detail,
            };
            let entry = if let Some(t) = e.registrytoken.filter(|t| !t.is_empty()) {
                Entry::Token(t)
            } else if let Some(a) = e.auth.filter(|a| !a.is_empty()) {
                Entry::Basic(decode_auth(&a).map_err(|e| bad(e.to_string()))?)
            } else if let (Some(u), Some(p)) = (e.username, e.password) {
                Entry::Basic(UserPassword {
                    username: u,
                    password: p,
                })
            } else if e.identitytoken.is_some_and(|t| !t.is_empty()) {
                Entry::Identity
            } else {
                // `credsStore` setups leave empty `{}` placeholders here.
                continue;
            };
            auths.insert(normalize_registry(&key), entry);
        }
        let cred_helpers = raw
            .cred_helpers
            .into_iter()
            .map(|(k, v)| (normalize_registry(&k), v))
            .collect();
        Ok(DockerConfig {
            path: path.to_path_buf(),
            auths,
            cred_helpers,
            creds_store: raw.creds_store.filter(|s| !s.is_empty()),
        })
    }

    /// Loads `config.json`; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<DockerConfig>, CredError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(path, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CredError::Read {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }),
        }
    }

    /// `credHelpers[host]`, else `credsStore`, else `auths[host]` (Docker's precedence).
    pub fn lookup(
        &self,
        registry: &str,
        helper: &dyn CredentialHelper,
    ) -> Result<Option<Resolved>, CredError> {
        let registry = normalize_registry(registry);
        let helper_name = self
            .cred_helpers
            .get(&registry)
            .or(self.creds_store.as_ref());
        if let Some(name) = helper_name {
            let server = if registry == "docker.io" {
                DOCKER_HUB_SERVER.to_string()
            } else {
                registry.clone()
            };
            let got = helper.get(name, &server).map_err(|e| CredError::Helper {
                helper: name.clone(),
                registry: registry.clone(),
                detail: e.to_string(),
            })?;
            match got {
                Some(c) if c.username == "<token>" => {
                    tracing::warn!(
                        registry = %registry,
                        "docker-credential-{name} returned an identity token, which pacto \
                         cannot exchange; trying the next credential source"
                    );
                }
                Some(c) => {
                    return Ok(Some(Resolved {
                        credential: Credential::Basic {
                            username: c.username,
                            password: c.secret,
                        },
                        source: CredentialSource::DockerHelper(name.clone()),
                    }));
                }
                None => {}
            }
        }
        match self.auths.get(&registry) {
            Some(Entry::Basic(login)) => Ok(Some(Resolved {
                credential: Credential::Basic {
                    username: login.username.clone(),
                    password: login.password.clone(),
                },
                source: CredentialSource::DockerConfig,
            })),
            Some(Entry::Token(t)) => Ok(Some(Resolved {
                credential: Credential::Bearer(t.clone()),
                source: CredentialSource::DockerConfig,
            })),
            Some(Entry::Identity) => {
                tracing::warn!(
                    registry = %registry,
                    path = %self.path.display(),
                    "identity tokens in docker config are not supported; using anonymous access"
                );
                Ok(None)
            }
            None => Ok(None),
        }
    }
}
