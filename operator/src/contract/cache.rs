//! Process-wide caches of the dereference step: one registry client per credential, tag
//! lists and tag digests with a TTL (new tags are discovered from them, never by re-pulling
//! known tags; a moved tag is seen within the TTL, without a manifest HEAD per Pacto per
//! check: 10,000 Pactos naming 200 tags made 10,000 HEADs per check interval), and
//! pulled content addressed by manifest digest (immutable, so never stale) in a byte-bounded
//! LRU, so a fleet of many or large bundles cannot grow the operator without bound.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;
use pacto_core::scope_overrides::OverriddenKeys;
use pacto_oci::{ByteLru, Keychain, OciError, RegistryClient, RegistryOptions};
use tokio::sync::{Semaphore, SemaphorePermit};

use pacto_core::validate::ValidationReport;
use pacto_core::validate::config_value::ConfigSchemas;

use super::access::{AccessProofs, DEFAULT_PROOF_TTL};
use super::creds::SecretCreds;
use crate::metrics::Metrics;

/// Content of one manifest digest.
#[derive(Debug, Clone)]
pub struct PulledContent {
    pub resolved: OciRef,
    pub digest: String,
    pub raw_yaml: Option<Arc<str>>,
    pub bundle: Arc<Bundle>,
}

/// Cache key of a repository's tag list: `registry/repository`.
pub fn client_key(r: &OciRef) -> String {
    r.name()
}

type TagEntry = (Instant, Arc<Vec<String>>);

/// What identifies the credential a request to the ref's registry presents: the pull
/// Secret's fingerprint (registry + credential, never the secret itself), or `default` for
/// the operator's own keychain. Stable across client instances, unlike a client's address.
pub fn credential_id(r: &OciRef, creds: Option<&SecretCreds>) -> String {
    match creds {
        Some(c) => format!("secret:{}", c.fingerprint(&r.registry)),
        None => super::access::OPERATOR_CREDENTIAL.to_string(),
    }
}

/// Default byte cap of the content cache (`--memory-cache-bytes`).
pub const DEFAULT_CONTENT_BYTES: u64 = 64 * 1024 * 1024;
/// Estimated resident bytes of pulled content: the unpacked files (estimated as pacto-oci
/// does for its own bundle layer) plus the separate copy of `pacto.yaml`.
pub fn content_size(c: &PulledContent) -> u64 {
    let yaml = c.raw_yaml.as_ref().map_or(0, |y| y.len() as u64);
    pacto_oci::memory_size::bundle_resident_size(&c.bundle).saturating_add(yaml)
}

/// Shared caches; cheap to clone behind an `Arc`.
pub struct ContractCache {
    default_client: Arc<RegistryClient>,
    options: RegistryOptions,
    secret_clients: Mutex<HashMap<String, Arc<RegistryClient>>>,
    tags: Mutex<HashMap<(String, String), TagEntry>>,
    /// (credential, tagged ref) → when it was resolved, and its digest.
    digests: Mutex<HashMap<(String, String), (Instant, String)>>,
    content: Mutex<ByteLru<String, Arc<PulledContent>>>,
    tag_ttl: Duration,
    validated: Mutex<HashMap<String, Validated>>,
    /// Which credential may read which cached digest (content is shared, access is not).
    proofs: AccessProofs,
    /// Pulls in flight, each reserving a bundle's worst case from the content byte cap.
    pulls: PullGate,
}

/// Bundle content being pulled counts against the same byte cap as cached content: at most
/// `slots` pulls at once, each reserving `reserve` bytes (the unpack cap, or the whole cap).
struct PullGate {
    gate: Semaphore,
    slots: usize,
    reserve: u64,
}

/// A pull's share of the byte cap; released on drop.
pub type PullPermit<'a> = SemaphorePermit<'a>;

impl PullGate {
    fn new(cap: u64, unpack_cap: u64) -> Self {
        let reserve = unpack_cap.min(cap).max(1);
        let slots = usize::try_from(cap / reserve)
            .unwrap_or(usize::MAX)
            .clamp(1, 64);
        Self {
            gate: Semaphore::new(slots),
            slots,
            reserve,
        }
    }
}

/// Overridden keys and validation report of one (bundle, content, overrides).
/// A validation, and the contract's compiled configuration schemas (one per content).
pub type Validated = (OverriddenKeys, Arc<ValidationReport>, Arc<ConfigSchemas>);

impl ContractCache {
    pub fn new(
        default_keychain: Keychain,
        options: RegistryOptions,
        tag_ttl: Duration,
    ) -> Result<Self, OciError> {
        Ok(Self {
            default_client: Arc::new(RegistryClient::new(default_keychain, options.clone())?),
            secret_clients: Mutex::new(HashMap::new()),
            tags: Mutex::new(HashMap::new()),
            digests: Mutex::new(HashMap::new()),
            content: Mutex::new(ByteLru::new(DEFAULT_CONTENT_BYTES)),
            tag_ttl,
            validated: Mutex::new(HashMap::new()),
            proofs: AccessProofs::new(DEFAULT_PROOF_TTL),
            pulls: PullGate::new(DEFAULT_CONTENT_BYTES, options.limits.max_total_size),
            options,
        })
    }

    /// Replaces how long a registry's grant to one credential is trusted.
    pub fn with_proof_ttl(self, ttl: Duration) -> Self {
        Self {
            proofs: AccessProofs::new(ttl),
            ..self
        }
    }

    /// Access proofs of cached content, per credential.
    pub fn proofs(&self) -> &AccessProofs {
        &self.proofs
    }

    /// Replaces the content cache's byte cap (0 keeps nothing: every check pulls).
    pub fn with_content_bytes(self, bytes: u64) -> Self {
        Self {
            content: Mutex::new(ByteLru::new(bytes)),
            pulls: PullGate::new(bytes, self.options.limits.max_total_size),
            ..self
        }
    }

    /// Waits for room to pull content of unknown size: a pull in flight reserves the
    /// unpack cap (or the whole byte cap when smaller), and cached content is evicted so
    /// that cached plus reserved bytes stay within the cap. Hold the permit until the
    /// pulled content is in the cache (or dropped).
    pub async fn reserve_pull(&self) -> Option<PullPermit<'_>> {
        let permit = self.pulls.gate.acquire().await.ok()?;
        let in_flight = (self.pulls.slots - self.pulls.gate.available_permits()) as u64;
        if let Ok(mut c) = self.content.lock() {
            let cap = c.capacity();
            c.evict_to(cap.saturating_sub(in_flight.saturating_mul(self.pulls.reserve)));
        }
        Some(permit)
    }

    /// Estimated bytes of pulled content held in memory.
    pub fn content_bytes(&self) -> u64 {
        self.content.lock().map(|c| c.used_bytes()).unwrap_or(0)
    }

    /// The client presenting `creds` to the ref's registry (operator defaults without).
    pub fn client_for(
        &self,
        r: &OciRef,
        creds: Option<&SecretCreds>,
    ) -> Result<Arc<RegistryClient>, OciError> {
        let Some(c) = creds else {
            return Ok(self.default_client.clone());
        };
        let fp = c.fingerprint(&r.registry);
        if let Some(hit) = self
            .secret_clients
            .lock()
            .ok()
            .and_then(|m| m.get(&fp).cloned())
        {
            return Ok(hit);
        }
        let client = Arc::new(RegistryClient::new(
            c.keychain(&r.registry),
            self.options.clone(),
        )?);
        if let Ok(mut m) = self.secret_clients.lock() {
            // Bounded: a rotating Secret must not grow this forever.
            if m.len() > 256 {
                m.clear();
            }
            m.insert(fp, client.clone());
        }
        Ok(client)
    }

    /// Tag list of the ref's repository, listed at most once per TTL per credential
    /// (`credential` from [`credential_id`]: a tag list one credential may read is never
    /// served to another).
    pub async fn tags(
        &self,
        key: &str,
        credential: &str,
        r: &OciRef,
        client: &Arc<RegistryClient>,
        metrics: &Metrics,
    ) -> Result<Arc<Vec<String>>, OciError> {
        let k = (credential.to_string(), key.to_string());
        if let Some((at, tags)) = self.tags.lock().ok().and_then(|m| m.get(&k).cloned())
            && at.elapsed() < self.tag_ttl
        {
            return Ok(tags);
        }
        let t0 = Instant::now();
        let listed = client.list_tags(r).await;
        metrics.observe_oci("list_tags", t0.elapsed(), listed.is_ok());
        let tags = Arc::new(listed?);
        if let Ok(mut m) = self.tags.lock() {
            m.insert(k, (Instant::now(), tags.clone()));
        }
        Ok(tags)
    }

    /// The digest a tag resolved to with this credential, if resolved within the TTL (a
    /// digest one credential was answered is never served to another).
    pub fn tag_digest(&self, credential: &str, tagged: &str) -> Option<String> {
        let m = self.digests.lock().ok()?;
        let (at, digest) = m.get(&(credential.to_string(), tagged.to_string()))?;
        (at.elapsed() < self.tag_ttl).then(|| digest.clone())
    }

    pub fn remember_tag_digest(&self, credential: &str, tagged: &str, digest: &str) {
        let Ok(mut m) = self.digests.lock() else {
            return;
        };
        // Bounded: one entry per distinct (credential, tag) in use; stale ones go first.
        if m.len() >= 4096 {
            let ttl = self.tag_ttl;
            m.retain(|_, (at, _)| at.elapsed() < ttl);
            if m.len() >= 4096 {
                m.clear();
            }
        }
        m.insert(
            (credential.to_string(), tagged.to_string()),
            (Instant::now(), digest.to_string()),
        );
    }

    /// Forgets what a tag resolved to (its pull or proof failed: ask the registry again).
    pub fn forget_tag_digest(&self, credential: &str, tagged: &str) {
        if let Ok(mut m) = self.digests.lock() {
            m.remove(&(credential.to_string(), tagged.to_string()));
        }
    }

    /// Forgets a repository's tag list (after a pull of a listed tag failed as not found).
    pub fn invalidate_tags(&self, key: &str) {
        if let Ok(mut m) = self.tags.lock() {
            m.retain(|(_, k), _| k != key);
        }
    }

    /// A validation already done for this key (see `finish_cached`).
    pub fn validated(&self, key: &str) -> Option<Validated> {
        self.validated.lock().ok().and_then(|m| m.get(key).cloned())
    }

    pub fn put_validated(&self, key: String, validated: Validated) {
        if let Ok(mut m) = self.validated.lock() {
            // Bounded: distinct contents are few; a churn of edits must not grow this forever.
            if m.len() >= 4096 {
                m.clear();
            }
            m.insert(key, validated);
        }
    }

    pub fn content(&self, digest: &str) -> Option<Arc<PulledContent>> {
        self.content
            .lock()
            .ok()
            .and_then(|mut c| c.get(&digest.to_string()))
    }

    /// Keeps `c` within the byte cap, least recently used out first; content bigger than
    /// the whole cap is not kept (it is pulled again when next needed).
    pub fn put_content(&self, c: Arc<PulledContent>) {
        let bytes = content_size(&c);
        if let Ok(mut guard) = self.content.lock() {
            guard.insert(c.digest.clone(), c, bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(cap: u64) -> ContractCache {
        let kc = SecretCreds::Token("t".into()).keychain("r.io");
        ContractCache::new(kc, RegistryOptions::default(), Duration::from_secs(1))
            .expect("cache")
            .with_content_bytes(cap)
    }

    #[test]
    fn a_tag_digest_is_shared_per_credential_for_the_ttl_then_asked_again() {
        let c = cache(1 << 20);
        c.remember_tag_digest("default", "r.io/a/b:1.0.0", "sha256:aa");
        assert_eq!(
            c.tag_digest("default", "r.io/a/b:1.0.0").as_deref(),
            Some("sha256:aa")
        );
        // Another credential was never answered this.
        assert_eq!(c.tag_digest("secret:x", "r.io/a/b:1.0.0"), None);
        assert_eq!(c.tag_digest("default", "r.io/a/b:1.0.1"), None);
        c.forget_tag_digest("default", "r.io/a/b:1.0.0");
        assert_eq!(c.tag_digest("default", "r.io/a/b:1.0.0"), None);
        c.remember_tag_digest("default", "r.io/a/b:1.0.0", "sha256:bb");
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(
            c.tag_digest("default", "r.io/a/b:1.0.0"),
            None,
            "the TTL is 1 s"
        );
    }

    fn content(digest: &str, blob: usize) -> Arc<PulledContent> {
        let mut b = Bundle::new();
        b.insert("pacto.yaml", b"pactoVersion: \"1.0\"\n".to_vec());
        b.insert("docs/blob.bin", vec![1; blob]);
        Arc::new(PulledContent {
            resolved: pacto_core::oci_ref::parse("oci://r.io/a/b:1.0.0").expect("ref"),
            digest: digest.to_string(),
            raw_yaml: b.contract_text().map(Arc::from),
            bundle: Arc::new(b),
        })
    }

    fn oref(s: &str) -> OciRef {
        pacto_core::oci_ref::parse(s).expect("ref")
    }

    #[test]
    fn credential_ids_name_the_credential_not_the_client() {
        let r = oref("r.io/a/b");
        let a = SecretCreds::Token("s3cr3t-token".into());
        assert_eq!(credential_id(&r, None), "default");
        assert_eq!(
            credential_id(&r, Some(&a)),
            credential_id(&r, Some(&a.clone()))
        );
        assert_ne!(
            credential_id(&r, Some(&a)),
            credential_id(&r, Some(&SecretCreds::Token("b".into())))
        );
        assert_ne!(
            credential_id(&r, Some(&a)),
            credential_id(&oref("s.io/a/b"), Some(&a))
        );
        assert!(
            !credential_id(&r, Some(&a)).contains(":a"),
            "never the secret"
        );
    }

    #[tokio::test]
    async fn tag_lists_are_shared_per_credential_and_never_across_credentials() {
        // Nothing listens on port 1: a cache miss fails fast, a hit never asks.
        let r = oref("127.0.0.1:1/a/b");
        let key = client_key(&r);
        let c = cache(1024);
        let mine = SecretCreds::Token("mine".into());
        let listed = Arc::new(vec!["1.0.0".to_string()]);
        c.tags.lock().expect("tags").insert(
            (credential_id(&r, Some(&mine)), key.clone()),
            (Instant::now(), listed.clone()),
        );
        let metrics = Metrics::new().expect("metrics");
        // A fresh client for the same credential (another address) reuses the list.
        let fresh = Arc::new(
            RegistryClient::new(mine.keychain(&r.registry), RegistryOptions::default())
                .expect("client"),
        );
        let got = c
            .tags(&key, &credential_id(&r, Some(&mine)), &r, &fresh, &metrics)
            .await
            .expect("cached");
        assert_eq!(got, listed);
        // Another credential (or the operator's own) must ask the registry itself.
        let theirs = SecretCreds::Token("theirs".into());
        let other = c.client_for(&r, Some(&theirs)).expect("client");
        let id = credential_id(&r, Some(&theirs));
        assert!(c.tags(&key, &id, &r, &other, &metrics).await.is_err());
        let default = c.client_for(&r, None).expect("client");
        assert!(
            c.tags(&key, "default", &r, &default, &metrics)
                .await
                .is_err()
        );
    }

    #[test]
    fn content_size_counts_files_paths_yaml_copy_and_allowances() {
        use pacto_oci::memory_size::{PER_ENTRY_OVERHEAD, PER_FILE_OVERHEAD};
        let c = content("d", 1000);
        let yaml = 20; // `pactoVersion: "1.0"\n`
        let files = (10 + yaml + PER_FILE_OVERHEAD) + (13 + 1000 + PER_FILE_OVERHEAD);
        assert_eq!(content_size(&c), files + yaml + PER_ENTRY_OVERHEAD);
    }

    #[tokio::test]
    async fn a_pull_in_flight_takes_its_room_from_the_cached_content() {
        // The cap is smaller than the unpack cap: one pull at a time, reserving the whole cap.
        let one = content_size(&content("x", 10_000));
        let c = cache(3 * one);
        for d in ["a", "b", "c"] {
            c.put_content(content(d, 10_000));
        }
        let room = c.reserve_pull().await.expect("room");
        assert_eq!(
            c.content_bytes(),
            0,
            "cached + in flight stay within the cap"
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(50), c.reserve_pull())
                .await
                .is_err(),
            "a second pull waits for the first"
        );
        c.put_content(content("d", 10_000));
        drop(room);
        assert!(c.reserve_pull().await.is_some());
        // A large cap leaves room for several pulls and keeps what fits beside them.
        let unpack = RegistryOptions::default().limits.max_total_size;
        let big = cache(4 * unpack);
        big.put_content(content("a", 10_000));
        let _r1 = big.reserve_pull().await.expect("room");
        assert!(big.content("a").is_some(), "3 x unpack cap still free");
    }

    #[test]
    fn content_stays_under_the_byte_cap_least_recently_used_out_first() {
        let one = content_size(&content("x", 10_000));
        let c = cache(3 * one);
        for d in ["a", "b", "c"] {
            c.put_content(content(d, 10_000));
        }
        assert!(c.content("a").is_some()); // a is now the most recently used
        c.put_content(content("d", 10_000));
        assert!(c.content("b").is_none(), "b was least recently used");
        for d in ["a", "c", "d"] {
            assert!(c.content(d).is_some(), "{d}");
        }
        assert_eq!(c.content_bytes(), 3 * one);
        // Bigger than the whole cap: not kept, and nothing else is pushed out.
        c.put_content(content("huge", 40_000));
        assert!(c.content("huge").is_none());
        assert_eq!(c.content_bytes(), 3 * one);
    }
}
