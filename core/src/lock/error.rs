//! Lock failures, each with the reference's `LOCK_*` code. `Display` renders
//! `CODE: message`, the shape `pacto validate` reports as its single error.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LockError {
    /// A locked OCI digest no longer matches what the ref resolves to.
    #[error(
        "LOCK_DIGEST_MISMATCH: {name} locked at {locked} but resolves to {current}; run `pacto lock --update` to re-pin"
    )]
    DigestMismatch {
        name: String,
        locked: String,
        current: String,
    },
    /// A local dependency's (or reference's) content changed since it was locked.
    #[error(
        "LOCK_LOCAL_DRIFT: local dependency {name} content changed since lock (locked {locked}, now {current}); run `pacto lock --update`"
    )]
    LocalDrift {
        name: String,
        locked: String,
        current: String,
    },
    /// `pacto.yaml` and `pacto.lock` disagree on what exists (or the lock is too old).
    #[error("LOCK_STALE: {detail}; run `pacto lock`")]
    Stale { detail: String },
    /// The closure needs one service at two versions.
    #[error("LOCK_CONFLICT: {service} required at conflicting versions")]
    Conflict { service: String },
    /// A ref could not be resolved while building the lock.
    #[error("LOCK_UNRESOLVED: cannot resolve {reference}: {reason}")]
    Unresolved { reference: String, reason: String },
    /// One contract declares the same configuration or policy name twice.
    #[error(
        "LOCK_DUPLICATE_DECLARATION: {kind} {name:?} declared more than once by {from}; a name is unique within its kind in one contract"
    )]
    DuplicateDeclaration {
        kind: String,
        name: String,
        from: String,
    },
    /// The lock pins one identity twice (a dependency name, or a reference's
    /// `(from, kind, name)` triple): which pin applies cannot be told.
    #[error(
        "LOCK_AMBIGUOUS_REFERENCE: pacto.lock pins {what} more than once ({first} and {second}); run `pacto lock --update`"
    )]
    Ambiguous {
        what: String,
        first: String,
        second: String,
    },
    /// A lock was required (`--check`) but none exists.
    #[error("LOCK_MISSING: no {path} found; run `pacto lock`")]
    Missing { path: String },
    /// The lock file cannot be read as a lock (bad YAML, wrong shape, too big).
    #[error("LOCK_ERROR: {0}")]
    Malformed(String),
}

impl LockError {
    /// The machine-readable code, the one place each is written.
    pub fn code(&self) -> &'static str {
        match self {
            LockError::DigestMismatch { .. } => "LOCK_DIGEST_MISMATCH",
            LockError::LocalDrift { .. } => "LOCK_LOCAL_DRIFT",
            LockError::Stale { .. } => "LOCK_STALE",
            LockError::Conflict { .. } => "LOCK_CONFLICT",
            LockError::Unresolved { .. } => "LOCK_UNRESOLVED",
            LockError::DuplicateDeclaration { .. } => "LOCK_DUPLICATE_DECLARATION",
            LockError::Ambiguous { .. } => "LOCK_AMBIGUOUS_REFERENCE",
            LockError::Missing { .. } => "LOCK_MISSING",
            LockError::Malformed(_) => "LOCK_ERROR",
        }
    }

    pub(crate) fn stale(detail: impl Into<String>) -> Self {
        LockError::Stale {
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LockError;

    #[test]
    fn message_starts_with_its_code() {
        let all = [
            LockError::DigestMismatch {
                name: "a".into(),
                locked: "sha256:1".into(),
                current: "sha256:2".into(),
            },
            LockError::LocalDrift {
                name: "a".into(),
                locked: "x".into(),
                current: "y".into(),
            },
            LockError::stale("x"),
            LockError::Conflict {
                service: "a".into(),
            },
            LockError::Unresolved {
                reference: "r".into(),
                reason: "gone".into(),
            },
            LockError::DuplicateDeclaration {
                kind: "config".into(),
                name: "n".into(),
                from: "the root contract".into(),
            },
            LockError::Ambiguous {
                what: "dependency a".into(),
                first: "sha256:1".into(),
                second: "sha256:2".into(),
            },
            LockError::Missing {
                path: "pacto.lock".into(),
            },
            LockError::Malformed("bad".into()),
        ];
        for e in all {
            assert!(e.to_string().starts_with(&format!("{}: ", e.code())), "{e}");
        }
    }

    #[test]
    fn digest_mismatch_matches_the_reference_wording() {
        let e = LockError::DigestMismatch {
            name: "auth".into(),
            locked: "sha256:aa".into(),
            current: "sha256:bb".into(),
        };
        assert_eq!(
            e.to_string(),
            "LOCK_DIGEST_MISMATCH: auth locked at sha256:aa but resolves to sha256:bb; run `pacto lock --update` to re-pin"
        );
    }
}
