//! Registry credentials from a Pacto's `contractRef.pullSecretRef` Secret, read by name.
//!
//! Formats (as in the reference): `kubernetes.io/dockerconfigjson` (entry matched by the
//! registry host of the ref), or any other type with `token` (bearer; wins) or
//! `username` + `password`. The credential is scoped to the ref's registry only.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use pacto_oci::Keychain;
use pacto_oci::creds::{
    CredentialHelper, DockerConfig, ENV_PASSWORD, ENV_SCOPE, ENV_TOKEN, ENV_USERNAME, HelperCreds,
    HelperError,
};
use sha2::{Digest, Sha256};

/// Secret type of Docker config JSON secrets.
pub const DOCKER_CONFIG_JSON: &str = "kubernetes.io/dockerconfigjson";

/// Why a pull Secret could not be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SecretError {
    #[error("pull secret {name}: key .dockerconfigjson is missing")]
    MissingDockerConfig { name: String },
    #[error("pull secret {name}: .dockerconfigjson is not valid: {detail}")]
    BadDockerConfig { name: String, detail: String },
    #[error("pull secret {name}: key {key} is not UTF-8")]
    NotUtf8 { name: String, key: String },
    #[error("pull secret {name}: expected key `token`, or `username` and `password`")]
    NoCredentials { name: String },
}

/// Credentials parsed from one Secret.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretCreds {
    Token(String),
    Basic { username: String, password: String },
    DockerConfig(String),
}

impl std::fmt::Debug for SecretCreds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Token(_) => f.write_str("Token(<redacted>)"),
            Self::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
            Self::DockerConfig(_) => f.write_str("DockerConfig(<redacted>)"),
        }
    }
}

fn utf8(name: &str, key: &str, bytes: &[u8]) -> Result<String, SecretError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| SecretError::NotUtf8 {
        name: name.to_string(),
        key: key.to_string(),
    })
}

/// Parses a Secret's type and data into credentials.
pub fn parse_secret(
    name: &str,
    type_: Option<&str>,
    data: &BTreeMap<String, Vec<u8>>,
) -> Result<SecretCreds, SecretError> {
    if type_ == Some(DOCKER_CONFIG_JSON) {
        let raw =
            data.get(".dockerconfigjson")
                .ok_or_else(|| SecretError::MissingDockerConfig {
                    name: name.to_string(),
                })?;
        let text = utf8(name, ".dockerconfigjson", raw)?;
        // Parse now so a malformed Secret is reported by name, not at pull time.
        DockerConfig::parse(Path::new(name), &text).map_err(|e| SecretError::BadDockerConfig {
            name: name.to_string(),
            detail: e.to_string(),
        })?;
        return Ok(SecretCreds::DockerConfig(text));
    }
    let get = |k: &str| -> Result<Option<String>, SecretError> {
        data.get(k)
            .map(|v| utf8(name, k, v))
            .transpose()
            .map(|v| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
    };
    if let Some(token) = get("token")? {
        return Ok(SecretCreds::Token(token));
    }
    match (get("username")?, get("password")?) {
        (Some(username), Some(password)) => Ok(SecretCreds::Basic { username, password }),
        _ => Err(SecretError::NoCredentials {
            name: name.to_string(),
        }),
    }
}

impl SecretCreds {
    /// Stable fingerprint (for caching one registry client per credential), never the secret.
    pub fn fingerprint(&self, registry: &str) -> String {
        let mut h = Sha256::new();
        h.update(registry.as_bytes());
        match self {
            Self::Token(t) => {
                h.update(b"\0token\0");
                h.update(t.as_bytes());
            }
            Self::Basic { username, password } => {
                h.update(b"\0basic\0");
                h.update(username.as_bytes());
                h.update(b"\0");
                h.update(password.as_bytes());
            }
            Self::DockerConfig(c) => {
                h.update(b"\0docker\0");
                h.update(c.as_bytes());
            }
        }
        hex::encode(h.finalize())
    }

    /// A keychain presenting these credentials to `registry` only (Docker config entries are
    /// keyed by host; token / basic credentials are scoped with `PACTO_REGISTRY_HOST`).
    pub fn keychain(&self, registry: &str) -> Keychain {
        let mut env: HashMap<String, String> = HashMap::new();
        env.insert(ENV_SCOPE.to_string(), registry.to_string());
        let mut docker = None;
        match self {
            Self::Token(t) => {
                env.insert(ENV_TOKEN.to_string(), t.clone());
            }
            Self::Basic { username, password } => {
                env.insert(ENV_USERNAME.to_string(), username.clone());
                env.insert(ENV_PASSWORD.to_string(), password.clone());
            }
            Self::DockerConfig(text) => {
                docker = DockerConfig::parse(Path::new("pullSecretRef"), text).ok();
            }
        }
        Keychain::new(Box::new(env), None, docker, Box::new(NoHelper))
    }
}

/// Credential helpers are programs on a workstation; a pull Secret never names one.
struct NoHelper;

impl CredentialHelper for NoHelper {
    fn get(&self, _helper: &str, _server_url: &str) -> Result<Option<HelperCreds>, HelperError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_oci::Credential;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn token_wins_over_username_password() {
        let c = parse_secret(
            "s",
            Some("Opaque"),
            &data(&[("token", "t0k"), ("username", "u"), ("password", "p")]),
        );
        assert_eq!(c, Ok(SecretCreds::Token("t0k".into())));
        let kc = SecretCreds::Token("t0k".into()).keychain("r.io:5000");
        let got = kc.resolve("r.io:5000").map(|r| r.credential).ok();
        assert_eq!(got, Some(Credential::Bearer("t0k".into())));
    }

    #[test]
    fn basic_credentials_go_to_the_ref_registry_only() {
        let c = parse_secret("s", None, &data(&[("username", "u"), ("password", "p")]));
        let c = c.expect("basic");
        let kc = c.keychain("127.0.0.1:5001");
        let mine = kc.resolve("127.0.0.1:5001").map(|r| r.credential).ok();
        assert_eq!(
            mine,
            Some(Credential::Basic {
                username: "u".into(),
                password: "p".into()
            })
        );
        let other = kc.resolve("evil.example").map(|r| r.credential).ok();
        assert_eq!(other, Some(Credential::Anonymous));
    }

    #[test]
    fn docker_config_entry_is_matched_by_host() {
        let cfg = r#"{"auths":{"127.0.0.1:5001":{"username":"pacto","password":"pw"}}}"#;
        let c = parse_secret(
            "regcred",
            Some(DOCKER_CONFIG_JSON),
            &data(&[(".dockerconfigjson", cfg)]),
        )
        .expect("docker");
        let kc = c.keychain("127.0.0.1:5001");
        assert_eq!(
            kc.resolve("127.0.0.1:5001").map(|r| r.credential).ok(),
            Some(Credential::Basic {
                username: "pacto".into(),
                password: "pw".into()
            })
        );
        assert_eq!(
            kc.resolve("other:5000").map(|r| r.credential).ok(),
            Some(Credential::Anonymous)
        );
    }

    #[test]
    fn malformed_or_empty_secrets_are_named_errors() {
        let e = parse_secret("x", Some(DOCKER_CONFIG_JSON), &data(&[])).err();
        assert_eq!(
            e,
            Some(SecretError::MissingDockerConfig { name: "x".into() })
        );
        let e = parse_secret(
            "x",
            Some(DOCKER_CONFIG_JSON),
            &data(&[(".dockerconfigjson", "{nope")]),
        )
        .err();
        assert!(
            matches!(e, Some(SecretError::BadDockerConfig { .. })),
            "{e:?}"
        );
        let e = parse_secret("x", None, &data(&[("username", "u")])).err();
        assert_eq!(e, Some(SecretError::NoCredentials { name: "x".into() }));
        let mut d = BTreeMap::new();
        d.insert("token".to_string(), vec![0xff, 0xfe]);
        let e = parse_secret("x", None, &d).err();
        assert!(matches!(e, Some(SecretError::NotUtf8 { .. })));
    }

    #[test]
    fn fingerprints_differ_per_secret_and_registry() {
        let a = SecretCreds::Token("a".into());
        let b = SecretCreds::Token("b".into());
        assert_ne!(a.fingerprint("r"), b.fingerprint("r"));
        assert_ne!(a.fingerprint("r"), a.fingerprint("s"));
        assert!(!a.fingerprint("r").contains('a') || a.fingerprint("r").len() == 64);
    }
}
