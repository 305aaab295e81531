//! The lock document, field for field the Go reference's (`pkg/lock/lock.go`), and
//! its deterministic serialization.

use super::LockError;
use serde::{Deserialize, Serialize};

/// The lock file name, beside `pacto.yaml`.
pub const LOCK_FILE: &str = "pacto.lock";
/// The schema version this build writes.
pub const CURRENT_LOCK_VERSION: u32 = 3;
/// The oldest schema version still read (older ones are reported `LOCK_STALE`).
pub const MIN_LOCK_VERSION: u32 = 1;
/// Largest lock file read; a bigger one is `LOCK_ERROR` (a lock lists a closure's pins,
/// a few hundred bytes each, so 1 MiB is thousands of entries).
pub const MAX_LOCK_BYTES: usize = 1024 * 1024;

pub const SOURCE_OCI: &str = "oci";
pub const SOURCE_LOCAL: &str = "local";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lock {
    #[serde(default)]
    pub lock_version: u32,
    #[serde(default)]
    pub pacto: PactoInfo,
    #[serde(default)]
    pub root: RootInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// The CLI version that wrote the lock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactoInfo {
    #[serde(default)]
    pub version: String,
}

/// The contract the lock belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootInfo {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
}

/// One resolved dependency of the transitive closure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    #[serde(default)]
    pub name: String,
    /// `oci` or `local`.
    #[serde(default)]
    pub source: String,
    #[serde(rename = "ref", default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub constraint: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_hash: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// One resolved configuration/policy declaration. Its identity is the triple
/// (`from`, `kind`, `name`): `from` is `""` for the root contract, else the content
/// identity of the declaring contract (`oci:<digest>` / `local:<contentHash>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    /// `config` or `policy`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub source: String,
    #[serde(rename = "ref", default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_hash: String,
}

/// What pins an entry of either list: the digest (OCI) or the content hash (local).
fn pin_of<'a>(source: &str, digest: &'a str, content_hash: &'a str) -> &'a str {
    if source == SOURCE_LOCAL {
        content_hash
    } else {
        digest
    }
}

impl Entry {
    /// What pins it: the digest (OCI) or the content hash (local).
    pub fn pin(&self) -> &str {
        pin_of(&self.source, &self.digest, &self.content_hash)
    }
}

impl Reference {
    /// The content identity of the bundle it resolved to, in the namespace of `from`.
    pub fn destination_id(&self) -> String {
        match self.source.as_str() {
            SOURCE_LOCAL if !self.content_hash.is_empty() => format!("local:{}", self.content_hash),
            SOURCE_OCI if !self.digest.is_empty() => format!("oci:{}", self.digest),
            _ => String::new(),
        }
    }

    /// The declaration identity.
    pub fn occurrence(&self) -> (&str, &str, &str) {
        (&self.from, &self.kind, &self.name)
    }

    /// The pin: digest (OCI) or content hash (local).
    pub fn pin(&self) -> &str {
        pin_of(&self.source, &self.digest, &self.content_hash)
    }

    /// The declaration for a person: `config "x" declared by the root contract`.
    pub fn describe(&self) -> String {
        let who = if self.from.is_empty() {
            "the root contract"
        } else {
            &self.from
        };
        format!("{} {:?} declared by {who}", self.kind, self.name)
    }
}

impl Lock {
    /// Parses lock bytes. Any readable version is returned as declared (a version
    /// older than [`CURRENT_LOCK_VERSION`] is for the verifier to call stale); bad
    /// YAML, a wrong shape, an unknown version or more than [`MAX_LOCK_BYTES`] is
    /// [`LockError::Malformed`].
    pub fn parse(bytes: &[u8]) -> Result<Lock, LockError> {
        if bytes.len() > MAX_LOCK_BYTES {
            return Err(LockError::Malformed(format!(
                "{LOCK_FILE} is {} bytes, more than the {MAX_LOCK_BYTES} a lock may have",
                bytes.len()
            )));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| LockError::Malformed(format!("{LOCK_FILE} is not UTF-8")))?;
        let lock: Lock = serde_saphyr::from_str(text)
            .map_err(|e| LockError::Malformed(format!("cannot parse {LOCK_FILE}: {e}")))?;
        if !(MIN_LOCK_VERSION..=CURRENT_LOCK_VERSION).contains(&lock.lock_version) {
            return Err(LockError::Malformed(format!(
                "unsupported lockVersion {} (this pacto reads {MIN_LOCK_VERSION}..{CURRENT_LOCK_VERSION}); run `pacto lock --update`",
                lock.lock_version
            )));
        }
        lock.check_unambiguous()?;
        Ok(lock)
    }

    /// Each dependency name and each reference triple `(from, kind, name)` is pinned at
    /// most once: a hand-merged lock with two pins for one identity is refused rather
    /// than resolved through whichever comes first.
    fn check_unambiguous(&self) -> Result<(), LockError> {
        let mut deps = std::collections::BTreeMap::new();
        for e in &self.dependencies {
            if let Some(first) = deps.insert(e.name.as_str(), e) {
                return Err(LockError::Ambiguous {
                    what: format!("dependency {}", e.name),
                    first: first.pin().to_string(),
                    second: e.pin().to_string(),
                });
            }
        }
        let mut refs = std::collections::BTreeMap::new();
        for r in &self.references {
            if let Some(first) = refs.insert(r.occurrence(), r) {
                return Err(LockError::Ambiguous {
                    what: format!("reference {}", r.describe()),
                    first: first.pin().to_string(),
                    second: r.pin().to_string(),
                });
            }
        }
        Ok(())
    }

    /// The dependency entry named `name`.
    pub fn dependency(&self, name: &str) -> Option<&Entry> {
        self.dependencies.iter().find(|e| e.name == name)
    }

    /// Sorts entries (dependencies by name, their `dependsOn` edges, references by
    /// from/kind/name/ref/path) and stamps the current lockVersion.
    pub fn normalize(&mut self) {
        self.lock_version = CURRENT_LOCK_VERSION;
        self.dependencies.sort_by(|a, b| a.name.cmp(&b.name));
        for d in &mut self.dependencies {
            d.depends_on.sort();
            d.depends_on.dedup();
        }
        self.references.sort_by(|a, b| {
            (&a.from, &a.kind, &a.name, &a.reference, &a.path).cmp(&(
                &b.from,
                &b.kind,
                &b.name,
                &b.reference,
                &b.path,
            ))
        });
    }

    /// The deterministic YAML text: normalized, so equal locks give equal bytes.
    pub fn to_yaml(&self) -> Result<String, LockError> {
        let mut out = self.clone();
        out.normalize();
        serde_saphyr::to_string(&out)
            .map_err(|e| LockError::Malformed(format!("cannot serialize {LOCK_FILE}: {e}")))
    }
}
