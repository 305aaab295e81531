//! Process-wide caches of the dereference step: one registry client per credential, tag
//! lists with a TTL (new tags are discovered from them, never by re-pulling known tags), and
//! pulled content addressed by manifest digest (immutable, so never stale).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;
use pacto_oci::{Keychain, OciError, RegistryClient, RegistryOptions};

use pacto_core::validate::ValidationReport;

use super::creds::SecretCreds;
use super::overrides::OverriddenKeys;
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
/// Content by digest plus insertion order (oldest evicted first).
type ContentCache = (HashMap<String, Arc<PulledContent>>, VecDeque<String>);

/// Shared caches; cheap to clone behind an `Arc`.
pub struct ContractCache {
    default_client: Arc<RegistryClient>,
    options: RegistryOptions,
    secret_clients: Mutex<HashMap<String, Arc<RegistryClient>>>,
    tags: Mutex<HashMap<(String, String), TagEntry>>,
    content: Mutex<ContentCache>,
    tag_ttl: Duration,
    max_content: usize,
    validated: Mutex<HashMap<String, Validated>>,
}

/// Overridden keys and validation report of one (bundle, content, overrides).
type Validated = (OverriddenKeys, Arc<ValidationReport>);

impl ContractCache {
    pub fn new(
        default_keychain: Keychain,
        options: RegistryOptions,
        tag_ttl: Duration,
    ) -> Result<Self, OciError> {
        Ok(Self {
            default_client: Arc::new(RegistryClient::new(default_keychain, options.clone())?),
            options,
            secret_clients: Mutex::new(HashMap::new()),
            tags: Mutex::new(HashMap::new()),
            content: Mutex::new((HashMap::new(), VecDeque::new())),
            tag_ttl,
            max_content: 512,
            validated: Mutex::new(HashMap::new()),
        })
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

    fn cred_scope(client: &Arc<RegistryClient>) -> String {
        format!("{:p}", Arc::as_ptr(client))
    }

    /// Tag list of the ref's repository, listed at most once per TTL per credential.
    pub async fn tags(
        &self,
        key: &str,
        r: &OciRef,
        client: &Arc<RegistryClient>,
        metrics: &Metrics,
    ) -> Result<Arc<Vec<String>>, OciError> {
        let k = (Self::cred_scope(client), key.to_string());
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

    pub fn put_validated(
        &self,
        key: String,
        overridden: OverriddenKeys,
        report: Arc<ValidationReport>,
    ) {
        if let Ok(mut m) = self.validated.lock() {
            // Bounded: distinct contents are few; a churn of edits must not grow this forever.
            if m.len() >= 4096 {
                m.clear();
            }
            m.insert(key, (overridden, report));
        }
    }

    pub fn content(&self, digest: &str) -> Option<Arc<PulledContent>> {
        self.content
            .lock()
            .ok()
            .and_then(|c| c.0.get(digest).cloned())
    }

    pub fn put_content(&self, c: Arc<PulledContent>) {
        if let Ok(mut guard) = self.content.lock() {
            let (map, order) = &mut *guard;
            if map.insert(c.digest.clone(), c.clone()).is_none() {
                order.push_back(c.digest.clone());
            }
            while order.len() > self.max_content {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }
}
