//! Requests counted at the API server: its audit log (the bench's control plane writes one),
//! filtered to the operator's identity. The operator runs with a kubeconfig that impersonates
//! [`OPERATOR_USER`], so its requests are told apart from the bench's own and the
//! controller-manager's.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The user the operator's requests are made as.
pub const OPERATOR_USER: &str = "pacto-bench-operator";

/// A copy of `kubeconfig` whose user impersonates [`OPERATOR_USER`] (in `system:masters`).
pub fn impersonating_kubeconfig(kubeconfig: &Path, out: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(kubeconfig)?;
    let mut lines = Vec::new();
    for l in text.lines() {
        lines.push(l.to_string());
        // The users entry's `user:` (contexts spell `user: <name>` on one line).
        if l == "  user:" {
            lines.push(format!("    as: {OPERATOR_USER}"));
            lines.push("    as-groups: [\"system:masters\"]".into());
        }
    }
    std::fs::write(out, lines.join("\n") + "\n")
}

/// The audit log, read from a byte offset on.
pub struct AuditLog {
    path: PathBuf,
    offset: u64,
}

/// Requests of the operator in one stretch of the log.
#[derive(Debug, Default)]
pub struct Counted {
    /// Everything but watch streams and Lease calls.
    pub requests: u64,
    pub watches: u64,
    pub leases: u64,
    /// `verb resource` → count, for the requests.
    pub by_kind: BTreeMap<String, u64>,
}

impl AuditLog {
    /// The log of the control plane whose kubeconfig is `kubeconfig`, if it writes one.
    pub fn of(kubeconfig: &Path) -> Option<Self> {
        let path = kubeconfig.parent()?.join("audit.log");
        path.exists().then_some(Self { path, offset: 0 })
    }

    /// From now on: later counts start here.
    pub fn mark(&mut self) {
        self.offset = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
    }

    /// The operator's requests since the last mark.
    pub fn count_since_mark(&self) -> Counted {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.path) {
            let _ = f.seek(SeekFrom::Start(self.offset));
            let _ = f.read_to_string(&mut text);
        }
        let mut c = Counted::default();
        for line in text.lines() {
            let Ok(ev) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if ev["impersonatedUser"]["username"] != OPERATOR_USER {
                continue;
            }
            let verb = ev["verb"].as_str().unwrap_or_default();
            let resource = ev["objectRef"]["resource"].as_str().unwrap_or_default();
            // One event per request: a watch when its stream starts, the rest when answered.
            let stage = ev["stage"].as_str().unwrap_or_default();
            let counted_stage = if verb == "watch" {
                "ResponseStarted"
            } else {
                "ResponseComplete"
            };
            if stage != counted_stage && stage != "Panic" {
                continue;
            }
            if verb == "watch" {
                c.watches += 1;
            } else if resource == "leases" {
                c.leases += 1;
            } else {
                c.requests += 1;
                *c.by_kind.entry(format!("{verb} {resource}")).or_insert(0) += 1;
            }
        }
        c
    }
}
