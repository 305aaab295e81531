//! What the page shows of a `pacto.lock`: the pins, read from the lock's YAML by field
//! name (the Go reference's format, lockVersion 3), so any valid lock renders.

use super::text::{cell, code, opt, table};
use serde_json::Value;

/// One pinned dependency or config/policy reference.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockPin {
    pub name: String,
    /// `oci` or `local`.
    pub source: Option<String>,
    /// The OCI ref or local path.
    pub location: Option<String>,
    pub version: Option<String>,
    /// Manifest digest (OCI) or content hash (local).
    pub digest: Option<String>,
    /// For references: `config` or `policy`.
    pub kind: Option<String>,
}

/// The pins of a lock file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockSummary {
    pub lock_version: Option<u64>,
    pub dependencies: Vec<LockPin>,
    pub references: Vec<LockPin>,
}

impl LockSummary {
    /// Reads the pins out of a parsed lock document; unknown fields are ignored and
    /// missing ones left empty (the lock's own verification is `pacto validate`'s job).
    pub fn from_value(v: &Value) -> LockSummary {
        let pins = |key: &str| -> Vec<LockPin> {
            v.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(pin).collect())
                .unwrap_or_default()
        };
        LockSummary {
            lock_version: v.get("lockVersion").and_then(Value::as_u64),
            dependencies: pins("dependencies"),
            references: pins("references"),
        }
    }

    pub fn dependency(&self, name: &str) -> Option<&LockPin> {
        self.dependencies.iter().find(|p| p.name == name)
    }
}

fn pin(v: &Value) -> LockPin {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    LockPin {
        name: s("name").unwrap_or_default(),
        source: s("source"),
        location: s("ref").or_else(|| s("path")),
        version: s("version"),
        digest: s("digest").or_else(|| s("contentHash")),
        kind: s("kind"),
    }
}

pub fn section(l: &LockSummary) -> String {
    let mut out = format!(
        "Lock version {}\n\n",
        l.lock_version
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    );
    let row = |p: &LockPin| {
        vec![
            cell(&p.name),
            opt(p.source.as_deref()),
            p.location
                .as_deref()
                .map(code)
                .unwrap_or_else(|| "—".into()),
            opt(p.version.as_deref()),
            p.digest.as_deref().map(code).unwrap_or_else(|| "—".into()),
        ]
    };
    if !l.dependencies.is_empty() {
        let rows: Vec<Vec<String>> = l.dependencies.iter().map(row).collect();
        out.push_str(&table(
            &["Dependency", "Source", "Location", "Version", "Pin"],
            &rows,
        ));
    }
    if !l.references.is_empty() {
        let rows: Vec<Vec<String>> = l
            .references
            .iter()
            .map(|p| {
                let mut r = row(p);
                r.insert(1, opt(p.kind.as_deref()));
                r
            })
            .collect();
        out.push('\n');
        out.push_str(&table(
            &["Reference", "Kind", "Source", "Location", "Version", "Pin"],
            &rows,
        ));
    }
    out
}
