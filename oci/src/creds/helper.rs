//! Docker credential helpers (`docker-credential-<name> get`): server URL on stdin, JSON
//! `{"ServerURL","Username","Secret"}` on stdout.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperCreds {
    pub username: String,
    pub secret: String,
}

/// Why a credential helper gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelperError {
    #[error("invalid helper name {0:?}")]
    InvalidName(String),
    #[error("cannot run {program}: {detail}")]
    Spawn { program: String, detail: String },
    #[error("cannot write to {program}: {detail}")]
    Write { program: String, detail: String },
    #[error("{program} did not answer within {seconds}s")]
    Timeout { program: String, seconds: u64 },
    #[error("waiting for {program}: {detail}")]
    Wait { program: String, detail: String },
    #[error("{program} exited with {status}: {message}")]
    Exited {
        program: String,
        status: String,
        message: String,
    },
    #[error("{program} printed invalid JSON: {detail}")]
    InvalidJson { program: String, detail: String },
    /// A helper that is not a process (a test double, an in-memory store) reports why.
    #[error("{0}")]
    Reported(String),
}

impl From<&str> for HelperError {
    fn from(why: &str) -> Self {
        Self::Reported(why.to_string())
    }
}

/// Looks credentials up in a named helper. `Ok(None)`: the helper has none for this server
/// (or is not installed). `Err`: the helper failed, and why.
pub trait CredentialHelper: Send + Sync {
    fn get(&self, helper: &str, server_url: &str) -> Result<Option<HelperCreds>, HelperError>;
}

/// Runs the real `docker-credential-*` programs with a deadline.
#[derive(Debug, Clone)]
pub struct ProcessHelper {
    pub timeout: Duration,
}

impl Default for ProcessHelper {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Helper names come from a config file: refuse anything that could name another program.
fn valid_helper_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.starts_with('.')
}

impl CredentialHelper for ProcessHelper {
    fn get(&self, helper: &str, server_url: &str) -> Result<Option<HelperCreds>, HelperError> {
        if !valid_helper_name(helper) {
            return Err(HelperError::InvalidName(helper.to_string()));
        }
        let program = format!("docker-credential-{helper}");
        let mut child = match Command::new(&program)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::warn!("{program} is configured but not installed; skipping it");
                return Ok(None);
            }
            Err(e) => {
                return Err(HelperError::Spawn {
                    program,
                    detail: e.to_string(),
                });
            }
        };
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(server_url.as_bytes())
                .map_err(|e| HelperError::Write {
                    program: program.clone(),
                    detail: e.to_string(),
                })?;
        }
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(HelperError::Timeout {
                        program,
                        seconds: self.timeout.as_secs(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    return Err(HelperError::Wait {
                        program,
                        detail: e.to_string(),
                    });
                }
            }
        };
        let mut out = String::new();
        let mut err = String::new();
        if let Some(mut s) = child.stdout.take() {
            let _ = s.read_to_string(&mut out);
        }
        if let Some(mut s) = child.stderr.take() {
            let _ = s.read_to_string(&mut err);
        }
        if !status.success() {
            let msg = format!("{} {}", out.trim(), err.trim());
            if msg.to_ascii_lowercase().contains("credentials not found") {
                return Ok(None);
            }
            return Err(HelperError::Exited {
                program,
                status: status.to_string(),
                message: crate::printable::detail(msg.trim()),
            });
        }
        let reply: Reply = serde_json::from_str(&out).map_err(|e| HelperError::InvalidJson {
            program: program.clone(),
            detail: e.to_string(),
        })?;
        if reply.username.is_empty() && reply.secret.is_empty() {
            return Ok(None);
        }
        Ok(Some(HelperCreds {
            username: reply.username,
            secret: reply.secret,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helper_names_cannot_escape() {
        assert!(valid_helper_name("osxkeychain"));
        assert!(valid_helper_name("ecr-login"));
        assert!(!valid_helper_name("../../bin/sh"));
        assert!(!valid_helper_name("a b"));
        assert!(!valid_helper_name(""));
        let h = ProcessHelper::default();
        assert!(h.get("../x", "r.io").is_err());
    }

    #[test]
    fn missing_helper_is_skipped() {
        let h = ProcessHelper::default();
        assert_eq!(h.get("pacto-test-does-not-exist", "r.io"), Ok(None));
    }
}
