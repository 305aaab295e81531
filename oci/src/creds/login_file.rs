//! The `pacto login` file: `{"auths": {"<host>": {"auth": "<base64 user:pass>"}}}`, the
//! reference's Docker-like format. Written atomically with mode 0600 so a crash or a
//! concurrent login never leaves a truncated or world-readable file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::{CredError, Credential, normalize_registry};

/// Parsed login file. Unknown top-level keys are kept so a rewrite does not drop them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthFile {
    path: PathBuf,
    /// normalised host → its login
    auths: BTreeMap<String, UserPassword>,
    rest: Map<String, Value>,
}

/// A basic-auth login as stored in an `auth` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserPassword {
    pub username: String,
    pub password: String,
}

/// Why an `auth` field does not decode.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AuthFieldError {
    #[error("`auth` is not base64: {0}")]
    NotBase64(#[from] base64::DecodeError),
    #[error("`auth` is not UTF-8 text")]
    NotUtf8,
    #[error("`auth` does not decode to user:password")]
    NoColon,
}

/// Decodes a Docker-style `auth` field (`base64(user:pass)`).
pub(crate) fn decode_auth(b64: &str) -> Result<UserPassword, AuthFieldError> {
    let raw = STANDARD.decode(b64.trim())?;
    let text = String::from_utf8(raw).map_err(|_| AuthFieldError::NotUtf8)?;
    let (u, p) = text.split_once(':').ok_or(AuthFieldError::NoColon)?;
    Ok(UserPassword {
        username: u.to_string(),
        password: p.to_string(),
    })
}

impl AuthFile {
    /// Parses file contents; `path` is only used in messages and for saving.
    pub fn parse(path: &Path, text: &str) -> Result<AuthFile, CredError> {
        let malformed = |detail: String| CredError::Malformed {
            path: path.to_path_buf(),
            detail,
        };
        let mut root: Map<String, Value> = if text.trim().is_empty() {
            Map::new()
        } else {
            serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?
        };
        let mut auths = BTreeMap::new();
        match root.remove("auths") {
            None | Some(Value::Null) => {}
            Some(Value::Object(entries)) => {
                for (host, entry) in entries {
                    let bad = |detail: String| CredError::BadEntry {
                        path: path.to_path_buf(),
                        registry: host.clone(),
                        detail,
                    };
                    let b64 = entry
                        .get("auth")
                        .and_then(Value::as_str)
                        .ok_or_else(|| bad("missing string field `auth`".into()))?;
                    let login = decode_auth(b64).map_err(|e| bad(e.to_string()))?;
                    auths.insert(normalize_registry(&host), login);
                }
            }
            Some(_) => return Err(malformed("`auths` must be an object".into())),
        }
        Ok(AuthFile {
            path: path.to_path_buf(),
            auths,
            rest: root,
        })
    }

    /// Exact-host lookup (host and port must both match).
    pub fn lookup(&self, registry: &str) -> Result<Option<Credential>, CredError> {
        Ok(self
            .auths
            .get(&normalize_registry(registry))
            .map(|login| Credential::Basic {
                username: login.username.clone(),
                password: login.password.clone(),
            }))
    }

    pub fn set(&mut self, registry: &str, username: &str, password: &str) {
        self.auths.insert(
            normalize_registry(registry),
            UserPassword {
                username: username.to_string(),
                password: password.to_string(),
            },
        );
    }

    /// Removes an entry; true if one existed.
    pub fn remove(&mut self, registry: &str) -> bool {
        self.auths.remove(&normalize_registry(registry)).is_some()
    }

    pub fn registries(&self) -> impl Iterator<Item = &str> {
        self.auths.keys().map(String::as_str)
    }

    fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut root = self.rest.clone();
        let auths: Map<String, Value> = self
            .auths
            .iter()
            .map(|(h, login)| {
                let (u, p) = (&login.username, &login.password);
                let mut e = Map::new();
                e.insert(
                    "auth".into(),
                    Value::String(STANDARD.encode(format!("{u}:{p}"))),
                );
                (h.clone(), Value::Object(e))
            })
            .collect();
        root.insert("auths".into(), Value::Object(auths));
        let mut out = serde_json::to_vec_pretty(&Value::Object(root))?;
        out.push(b'\n');
        Ok(out)
    }

    /// Writes the file atomically (temp file in the same directory, fsync, rename), mode
    /// 0600, directory 0700.
    pub fn save(&self) -> Result<(), CredError> {
        let werr = |detail: String| CredError::Write {
            path: self.path.clone(),
            detail,
        };
        let bytes = self.to_json().map_err(|e| werr(e.to_string()))?;
        let dir = self
            .path
            .parent()
            .ok_or_else(|| werr("path has no parent directory".into()))?;
        create_private_dir(dir).map_err(|e| werr(e.to_string()))?;
        let name = self
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("config.json");
        // Unique per process and per call so concurrent saves never share a temp file.
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp.{}.{seq}", std::process::id()));
        let result = write_private(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(werr(e.to_string()));
        }
        Ok(())
    }
}

/// Loads the login file; `Ok(None)` when it does not exist.
pub fn load(path: &Path) -> Result<Option<AuthFile>, CredError> {
    match std::fs::read_to_string(path) {
        Ok(text) => AuthFile::parse(path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredError::Read {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
    }
}

/// Adds or replaces the credentials for `registry` in the login file at `path`.
pub fn save_login(
    path: &Path,
    registry: &str,
    username: &str,
    password: &str,
) -> Result<(), CredError> {
    let mut file = load(path)?.unwrap_or_else(|| AuthFile {
        path: path.to_path_buf(),
        ..AuthFile::default()
    });
    file.set(registry, username, password);
    file.save()
}

/// Removes `registry` from the login file; true if it was there.
pub fn remove_login(path: &Path, registry: &str) -> Result<bool, CredError> {
    let Some(mut file) = load(path)? else {
        return Ok(false);
    };
    let removed = file.remove(registry);
    if removed {
        file.save()?;
    }
    Ok(removed)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    // A pre-existing temp file keeps its old mode through open(); force 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)?;
    f.sync_all()
}
