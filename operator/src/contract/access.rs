//! Proofs of access to cached content. Pulled content is shared in memory by manifest digest,
//! but a digest alone proves nothing: a Pacto in another namespace could name someone else's
//! private bundle by its digest. Before cached content is served, the Pacto's own credential
//! must have been answered by the registry for that (registry, repository, digest): a
//! manifest HEAD, or the pull itself. A proof is remembered for a bounded time only, so a
//! revoked credential or a deleted manifest stops being served within [`DEFAULT_PROOF_TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pacto_core::oci_ref::OciRef;

/// How long a registry's answer to one credential is trusted.
pub const DEFAULT_PROOF_TTL: Duration = Duration::from_secs(300);
/// Credential identity of Pactos without a pull Secret (the operator's own keychain).
pub const OPERATOR_CREDENTIAL: &str = "default";
/// Proofs held at most; expired ones are dropped first, then everything (re-proving is cheap).
const MAX_PROOFS: usize = 16_384;

/// Who may read what: one registry, repository, manifest digest and credential identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProofKey {
    registry: String,
    repository: String,
    digest: String,
    /// A fingerprint of the credential (never the secret itself).
    credential: String,
}

impl ProofKey {
    pub fn new(r: &OciRef, digest: &str, credential: &str) -> Self {
        Self {
            registry: r.registry.clone(),
            repository: r.repository.clone(),
            digest: digest.to_string(),
            credential: credential.to_string(),
        }
    }
}

/// Registry answers remembered per [`ProofKey`], each for the TTL.
pub struct AccessProofs {
    ttl: Duration,
    proven: Mutex<HashMap<ProofKey, Instant>>,
}

impl AccessProofs {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            proven: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the registry granted `key` less than the TTL before `now`.
    pub fn is_proven(&self, key: &ProofKey, now: Instant) -> bool {
        self.proven
            .lock()
            .ok()
            .and_then(|m| m.get(key).copied())
            .is_some_and(|at| now.saturating_duration_since(at) < self.ttl)
    }

    /// Records that the registry granted `key` at `now`.
    pub fn remember(&self, key: ProofKey, now: Instant) {
        if let Ok(mut m) = self.proven.lock() {
            if m.len() >= MAX_PROOFS {
                m.retain(|_, at| now.saturating_duration_since(*at) < self.ttl);
                if m.len() >= MAX_PROOFS {
                    m.clear();
                }
            }
            m.insert(key, now);
        }
    }

    /// Drops any proof for `key` (the registry has just refused it).
    pub fn forget(&self, key: &ProofKey) {
        if let Ok(mut m) = self.proven.lock() {
            m.remove(key);
        }
    }

    pub fn len(&self) -> usize {
        self.proven.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(repo: &str, credential: &str) -> ProofKey {
        let r = pacto_core::oci_ref::parse(&format!("oci://r.io/{repo}:1.0.0")).expect("ref");
        ProofKey::new(&r, &format!("sha256:{}", "a".repeat(64)), credential)
    }

    #[test]
    fn a_remembered_proof_is_a_hit_within_the_ttl() {
        let p = AccessProofs::new(Duration::from_secs(300));
        let t0 = Instant::now();
        assert!(
            !p.is_proven(&key("a/b", "cred-a"), t0),
            "nothing proven yet"
        );
        p.remember(key("a/b", "cred-a"), t0);
        assert!(p.is_proven(&key("a/b", "cred-a"), t0));
        assert!(p.is_proven(&key("a/b", "cred-a"), t0 + Duration::from_secs(299)));
    }

    #[test]
    fn a_proof_expires_after_the_ttl() {
        let p = AccessProofs::new(Duration::from_secs(300));
        let t0 = Instant::now();
        p.remember(key("a/b", "cred-a"), t0);
        assert!(!p.is_proven(&key("a/b", "cred-a"), t0 + Duration::from_secs(300)));
        // Proving again renews it.
        p.remember(key("a/b", "cred-a"), t0 + Duration::from_secs(301));
        assert!(p.is_proven(&key("a/b", "cred-a"), t0 + Duration::from_secs(302)));
    }

    #[test]
    fn another_credential_or_repository_needs_its_own_proof() {
        let p = AccessProofs::new(Duration::from_secs(300));
        let t0 = Instant::now();
        p.remember(key("a/b", "cred-a"), t0);
        assert!(!p.is_proven(&key("a/b", "cred-b"), t0), "other credential");
        assert!(
            !p.is_proven(&key("a/b", OPERATOR_CREDENTIAL), t0),
            "no pull secret"
        );
        assert!(!p.is_proven(&key("x/y", "cred-a"), t0), "other repository");
        let other_host = pacto_core::oci_ref::parse("oci://evil.io/a/b:1.0.0").expect("ref");
        let k = ProofKey::new(&other_host, &format!("sha256:{}", "a".repeat(64)), "cred-a");
        assert!(!p.is_proven(&k, t0), "other registry");
        p.forget(&key("a/b", "cred-a"));
        assert!(!p.is_proven(&key("a/b", "cred-a"), t0), "forgotten");
    }

    #[test]
    fn the_number_of_proofs_is_bounded() {
        let p = AccessProofs::new(Duration::from_secs(300));
        let t0 = Instant::now();
        for i in 0..MAX_PROOFS + 10 {
            p.remember(key("a/b", &format!("c{i}")), t0);
        }
        assert!(p.len() <= MAX_PROOFS);
        assert!(p.is_proven(&key("a/b", &format!("c{}", MAX_PROOFS + 9)), t0));
    }
}
