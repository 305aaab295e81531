//! Registry credentials from a Pacto's `contractRef.pullSecretRef` Secret, read by name.
//!
//! Formats (as in the reference): `kubernetes.io/dockerconfigjson` (entry matched by the
//! registry host of the ref), or any other type with `token` (bearer; wins) or
//! `username` + `password`, optionally bound by a `registry` key to the host it belongs to.
//! The credential is scoped to the ref's registry only; a bound Secret is refused for a ref on
//! another registry before anything is sent (see [`PullSecret::binding_for`]).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use pacto_oci::Keychain;
use pacto_oci::creds::{
    CredentialHelper, DockerConfig, ENV_PASSWORD, ENV_SCOPE, ENV_TOKEN, ENV_USERNAME, HelperCreds,
    HelperError, normalize_registry,
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
    #[error("pull secret {name}: key `registry` must name a registry host[:port], got {value:?}")]
    BadRegistry { name: String, value: String },
}

/// Key of an Opaque pull Secret naming the registry host[:port] its credentials belong to.
pub const REGISTRY_KEY: &str = "registry";

/// A pull Secret refused for the ref's registry; nothing was sent with it.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BindingError {
    #[error(
        "pull secret {name} is bound to registry {bound}, but spec.contractRef.oci is on registry {wanted}: its credentials were not sent; use a pull secret bound to {wanted}"
    )]
    Mismatch {
        name: String,
        bound: String,
        wanted: String,
    },
    #[error(
        "pull secret {name} is not bound to a registry and this operator refuses unbound pull secrets (--require-bound-pull-secrets): add `registry: {wanted}` to the Secret's data"
    )]
    Unbound { name: String, wanted: String },
}

/// How a pull Secret may be used for a ref's registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// Bound to the ref's registry (or a Docker config, whose entries are keyed by host).
    Bound,
    /// Names no registry: used for the ref's registry, with a warning saying how to bind it.
    Unbound { name: String, wanted: String },
}

impl Binding {
    /// The warning for an unbound Secret in use, if any.
    pub fn warning(&self) -> Option<String> {
        match self {
            Self::Bound => None,
            Self::Unbound { name, wanted } => Some(format!(
                "pull secret {name} is not bound to a registry, so anyone who may edit this Pacto can send its credentials to any registry: add `registry: {wanted}` to the Secret's data (unbound pull secrets are refused under --require-bound-pull-secrets)"
            )),
        }
    }
}

/// One parsed pull Secret: its credentials and the registry they are bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullSecret {
    /// `namespace/name`, for messages.
    pub name: String,
    pub creds: SecretCreds,
    /// Normalised `registry` key (never set for Docker config Secrets: those are host-keyed).
    pub registry: Option<String>,
}

impl PullSecret {
    /// Whether this Secret may be presented to `ref_registry`. `require_bound` refuses Secrets
    /// that name no registry (`--require-bound-pull-secrets`).
    pub fn binding_for(
        &self,
        ref_registry: &str,
        require_bound: bool,
    ) -> Result<Binding, BindingError> {
        let wanted = normalize_registry(ref_registry);
        if matches!(self.creds, SecretCreds::DockerConfig(_)) {
            return Ok(Binding::Bound);
        }
        match &self.registry {
            Some(bound) if *bound == wanted => Ok(Binding::Bound),
            Some(bound) => Err(BindingError::Mismatch {
                name: self.name.clone(),
                bound: bound.clone(),
                wanted,
            }),
            None if require_bound => Err(BindingError::Unbound {
                name: self.name.clone(),
                wanted,
            }),
            None => Ok(Binding::Unbound {
                name: self.name.clone(),
                wanted,
            }),
        }
    }
}

/// Parses a pull Secret with its `registry` binding; `name` is used in messages.
pub fn parse_pull_secret(
    name: &str,
    type_: Option<&str>,
    data: &BTreeMap<String, Vec<u8>>,
) -> Result<PullSecret, SecretError> {
    let creds = parse_secret(name, type_, data)?;
    let registry = match (&creds, data.get(REGISTRY_KEY)) {
        (SecretCreds::DockerConfig(_), _) | (_, None) => None,
        (_, Some(raw)) => {
            let value = utf8(name, REGISTRY_KEY, raw)?;
            let host = normalize_registry(&value);
            let bad = host.is_empty()
                || host
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '@');
            if bad {
                return Err(SecretError::BadRegistry {
                    name: name.to_string(),
                    value: value.trim().chars().take(64).collect(),
                });
            }
            Some(host)
        }
    };
    Ok(PullSecret {
        name: name.to_string(),
        creds,
        registry,
    })
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

    fn bound(pairs: &[(&str, &str)]) -> PullSecret {
        parse_pull_secret("ns/s", Some("Opaque"), &data(pairs)).expect("parses")
    }

    #[test]
    fn registry_key_is_normalised_like_credential_files() {
        let s = bound(&[
            ("token", "t"),
            ("registry", " https://Reg.Example:5000/v2/ "),
        ]);
        assert_eq!(s.registry.as_deref(), Some("reg.example:5000"));
        let s = bound(&[("token", "t"), ("registry", "index.docker.io")]);
        assert_eq!(s.registry.as_deref(), Some("docker.io"));
        assert_eq!(bound(&[("token", "t")]).registry, None);
        let e = parse_pull_secret("ns/s", None, &data(&[("token", "t"), ("registry", "  ")]));
        assert!(matches!(e, Err(SecretError::BadRegistry { .. })), "{e:?}");
    }

    #[test]
    fn a_bound_secret_goes_to_its_registry_only() {
        let s = bound(&[
            ("username", "u"),
            ("password", "p"),
            ("registry", "a.io:5000"),
        ]);
        assert_eq!(s.binding_for("a.io:5000", true), Ok(Binding::Bound));
        assert_eq!(s.binding_for("A.IO:5000", false), Ok(Binding::Bound));
        let e = s.binding_for("evil.example", false).expect_err("refused");
        assert_eq!(
            e,
            BindingError::Mismatch {
                name: "ns/s".into(),
                bound: "a.io:5000".into(),
                wanted: "evil.example".into()
            }
        );
        let msg = e.to_string();
        assert!(msg.contains("ns/s") && msg.contains("a.io:5000") && msg.contains("evil.example"));
        // Another port of the same host is another registry.
        assert!(s.binding_for("a.io:5001", false).is_err());
    }

    #[test]
    fn an_unbound_secret_is_refused_when_binding_is_required_else_warned() {
        let s = bound(&[("token", "t")]);
        let e = s.binding_for("r.io", true).expect_err("refused");
        assert!(matches!(e, BindingError::Unbound { .. }));
        assert!(e.to_string().contains("add `registry: r.io`"), "{e}");
        let b = s.binding_for("r.io", false).expect("used");
        let w = b.warning().expect("warns");
        assert!(w.contains("ns/s") && w.contains("`registry: r.io`"), "{w}");
    }

    #[test]
    fn docker_config_secrets_are_host_bound_by_their_entries() {
        let cfg = r#"{"auths":{"r.io":{"username":"u","password":"p"}}}"#;
        let s = parse_pull_secret(
            "ns/d",
            Some(DOCKER_CONFIG_JSON),
            &data(&[(".dockerconfigjson", cfg), ("registry", "other.io")]),
        )
        .expect("docker");
        assert_eq!(s.registry, None);
        assert_eq!(s.binding_for("r.io", true), Ok(Binding::Bound));
        assert_eq!(s.binding_for("x.io", true), Ok(Binding::Bound));
        assert_eq!(Binding::Bound.warning(), None);
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
