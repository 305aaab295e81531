//! [`CachedRegistry`]: the registry client behind an in-process memory layer and the disk
//! cache. Every CLI command and the graph fetcher go through it.
//!
//! - Bundles are keyed by manifest digest, so a cached entry can never be stale; a
//!   digest-pinned ref that is cached never touches the network.
//! - A tag is resolved to a digest (HEAD) and that answer, like a repository's tag list,
//!   is reused only for `tag_ttl` (default 60 s, `PACTO_TAG_TTL_SECONDS`), so a
//!   force-pushed tag is picked up once the TTL has passed.
//! - `--no-cache` / `PACTO_NO_CACHE=1` skip every cache read except the in-process
//!   digest-keyed layer (immutable content); pulls still write the disk cache.
//! - A failure to write the cache is logged, never fatal.
//! - The in-process bundle layer is a byte-bounded LRU (`memory_bytes`, default 32 MiB,
//!   `PACTO_MEMORY_CACHE_BYTES`): a long-running process that pulls many versions keeps
//!   only the most recently used ones; an evicted version comes back from the disk cache.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pacto_core::Bundle;
use pacto_core::oci_ref::OciRef;

mod revalidate;

use crate::client::{Pulled, PushResult, RegistryClient, parse_range, pick_version};
use crate::creds::Environment;
use crate::disk_cache::{DiskCache, EntryMeta, default_root, now_ms};
use crate::error::OciError;
use crate::lru::ByteLru;
use crate::memory_size::{
    DEFAULT_MEMORY_CACHE_BYTES, ENV_MEMORY_CACHE_BYTES, parse_bytes, resident_size,
};

pub const ENV_NO_CACHE: &str = "PACTO_NO_CACHE";
pub const ENV_TAG_TTL: &str = "PACTO_TAG_TTL_SECONDS";
pub const DEFAULT_TAG_TTL: Duration = Duration::from_secs(60);

/// How the cache is used.
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// Disk cache root; `None` disables the disk layer.
    pub dir: Option<PathBuf>,
    /// `false` for `--no-cache`: reads skip the caches, writes still happen.
    pub read: bool,
    /// How long a tag -> digest answer (and a tag list) is reused.
    pub tag_ttl: Duration,
    /// Byte cap of the in-process bundle layer (see [`resident_size`]); 0 disables it.
    pub memory_bytes: u64,
}

impl Default for CacheOptions {
    fn default() -> Self {
        Self {
            dir: None,
            read: true,
            tag_ttl: DEFAULT_TAG_TTL,
            memory_bytes: DEFAULT_MEMORY_CACHE_BYTES,
        }
    }
}

/// `1`, `true`, `yes`, `on` (any case).
pub fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

impl CacheOptions {
    /// Disk root from `XDG_CACHE_HOME`/`HOME`, `PACTO_NO_CACHE`, `PACTO_TAG_TTL_SECONDS`
    /// (seconds, fractions allowed) and `PACTO_MEMORY_CACHE_BYTES` (bytes, `K`/`M`/`G`
    /// suffixes allowed); an unusable value keeps the default, with a warning.
    pub fn from_env(env: &dyn Environment) -> Self {
        let tag_ttl = match env.var(ENV_TAG_TTL) {
            None => DEFAULT_TAG_TTL,
            Some(v) => match v.trim().parse::<f64>() {
                Ok(s) if s.is_finite() && s >= 0.0 => Duration::from_secs_f64(s.min(1e9)),
                _ => {
                    tracing::warn!("{ENV_TAG_TTL}={v:?} is not a number of seconds; using 60");
                    DEFAULT_TAG_TTL
                }
            },
        };
        let memory_bytes = match env.var(ENV_MEMORY_CACHE_BYTES) {
            None => DEFAULT_MEMORY_CACHE_BYTES,
            Some(v) => parse_bytes(&v).unwrap_or_else(|| {
                tracing::warn!(
                    "{ENV_MEMORY_CACHE_BYTES}={v:?} is not a byte count; using {DEFAULT_MEMORY_CACHE_BYTES}"
                );
                DEFAULT_MEMORY_CACHE_BYTES
            }),
        };
        Self {
            dir: default_root(env),
            read: !env.var(ENV_NO_CACHE).is_some_and(|v| truthy(&v)),
            tag_ttl,
            memory_bytes,
        }
    }
}

struct Memory {
    /// digest -> pulled content, bounded by estimated bytes.
    bundles: Mutex<ByteLru<String, Arc<Pulled>>>,
    /// ref -> its manifest digest
    tags: Mutex<HashMap<String, Answer<String>>>,
    /// repository -> its tag list
    lists: Mutex<HashMap<String, Answer<Vec<String>>>>,
}

/// A registry answer about a mutable name (tag or tag list) and when it was obtained, in
/// ms since the epoch: it is reused only while younger than the tag TTL.
#[derive(Clone)]
struct Answer<T> {
    value: T,
    at_ms: u64,
}

impl<T> Answer<T> {
    fn new(value: T, at_ms: u64) -> Self {
        Self { value, at_ms }
    }

    fn fresh(&self, now: u64, ttl: Duration) -> bool {
        self.at_ms <= now && u128::from(now - self.at_ms) < ttl.as_millis()
    }
}

/// The registry client with caching. Share it behind an `Arc`.
pub struct CachedRegistry {
    client: RegistryClient,
    disk: Option<DiskCache>,
    opts: CacheOptions,
    mem: Memory,
    network: AtomicU64,
}

impl CachedRegistry {
    pub fn new(client: RegistryClient, opts: CacheOptions) -> Self {
        Self {
            client,
            disk: opts.dir.clone().map(DiskCache::new),
            mem: Memory {
                bundles: Mutex::new(ByteLru::new(opts.memory_bytes)),
                tags: Mutex::default(),
                lists: Mutex::default(),
            },
            opts,
            network: AtomicU64::new(0),
        }
    }

    pub fn client(&self) -> &RegistryClient {
        &self.client
    }

    pub fn options(&self) -> &CacheOptions {
        &self.opts
    }

    /// Registry operations issued so far (HEAD, tag list, pull, push, exists).
    pub fn network_requests(&self) -> u64 {
        self.network.load(Ordering::Relaxed)
    }

    /// Estimated bytes held by the in-process bundle layer (never above its cap).
    pub fn resident_bytes(&self) -> u64 {
        self.mem.bundles.lock().map(|m| m.used_bytes()).unwrap_or(0)
    }

    /// Bundles held by the in-process layer.
    pub fn resident_bundles(&self) -> usize {
        self.mem.bundles.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether the bundle with this manifest digest is held in memory (does not count as
    /// a use).
    pub fn is_resident(&self, digest: &str) -> bool {
        self.mem
            .bundles
            .lock()
            .is_ok_and(|m| m.contains(&digest.to_string()))
    }

    fn net(&self) {
        self.network.fetch_add(1, Ordering::Relaxed);
    }

    /// The manifest digest `r` points to: its own digest, else a fresh cached tag answer,
    /// else a HEAD.
    pub async fn resolve_digest(&self, r: &OciRef) -> Result<String, OciError> {
        if let Some(d) = &r.digest {
            return Ok(d.clone());
        }
        let key = r.to_string();
        let now = now_ms();
        let ttl = self.opts.tag_ttl;
        if self.opts.read {
            let mem = self.mem.tags.lock().ok().and_then(|m| m.get(&key).cloned());
            if let Some(answer) = mem
                && answer.fresh(now, ttl)
            {
                return Ok(answer.value);
            }
            if let Some(d) = self.disk.as_ref().and_then(|c| c.get_tag(r, ttl, now)) {
                self.remember_tag(&key, &d, now);
                return Ok(d);
            }
        }
        self.net();
        let d = self.client.resolve_digest(r).await?;
        self.store_tag(r, &d);
        Ok(d)
    }

    fn remember_tag(&self, key: &str, digest: &str, at: u64) {
        if let Ok(mut m) = self.mem.tags.lock() {
            m.insert(key.to_string(), Answer::new(digest.to_string(), at));
        }
    }

    fn store_tag(&self, r: &OciRef, digest: &str) {
        let now = now_ms();
        self.remember_tag(&r.to_string(), digest, now);
        if let Some(c) = &self.disk
            && let Err(e) = c.put_tag(r, digest, now)
        {
            tracing::warn!("{e}");
        }
    }

    /// Every tag of `r`'s repository (cached for the tag TTL).
    pub async fn list_tags(&self, r: &OciRef) -> Result<Vec<String>, OciError> {
        let key = r.name();
        let now = now_ms();
        let ttl = self.opts.tag_ttl;
        if self.opts.read {
            let mem = self
                .mem
                .lists
                .lock()
                .ok()
                .and_then(|m| m.get(&key).cloned());
            if let Some(answer) = mem
                && answer.fresh(now, ttl)
            {
                return Ok(answer.value);
            }
            if let Some(tags) = self.disk.as_ref().and_then(|c| c.get_tags(r, ttl, now)) {
                if let Ok(mut m) = self.mem.lists.lock() {
                    m.insert(key, Answer::new(tags.clone(), now));
                }
                return Ok(tags);
            }
        }
        self.net();
        let tags = self.client.list_tags(r).await?;
        if let Ok(mut m) = self.mem.lists.lock() {
            m.insert(key, Answer::new(tags.clone(), now));
        }
        if let Some(c) = &self.disk
            && let Err(e) = c.put_tags(r, &tags, now)
        {
            tracing::warn!("{e}");
        }
        Ok(tags)
    }

    /// As [`RegistryClient::resolve_version`], with the tag list cached.
    pub async fn resolve_version(
        &self,
        r: &OciRef,
        range: Option<&str>,
    ) -> Result<OciRef, OciError> {
        if r.has_explicit_tag() {
            return Ok(r.clone());
        }
        let constraint = parse_range(r, range)?;
        let tags = self.list_tags(r).await?;
        pick_version(r, &tags, constraint.as_ref())
    }

    /// Pulls `r` (an untagged ref resolves to its highest semver tag) through the caches.
    pub async fn pull(&self, r: &OciRef) -> Result<Arc<Pulled>, OciError> {
        let target = self.resolve_version(r, None).await?;
        let digest = self.resolve_digest(&target).await?;
        let with_ref = |p: &Arc<Pulled>| -> Arc<Pulled> {
            if p.reference == target {
                p.clone()
            } else {
                let mut q = (**p).clone();
                q.reference = target.clone();
                Arc::new(q)
            }
        };
        let mem = self
            .mem
            .bundles
            .lock()
            .ok()
            .and_then(|mut m| m.get(&digest));
        if let Some(p) = mem {
            return Ok(with_ref(&p));
        }
        if self.opts.read
            && let Some(p) = self.read_disk(&target, &digest)
        {
            let p = Arc::new(p);
            self.remember(&digest, &p);
            return Ok(p);
        }
        // By digest, so a tag moved since the HEAD cannot mix two versions.
        self.net();
        let mut pulled = self.client.pull(&target.pinned(&digest)?).await?;
        pulled.reference = target.clone();
        if let Some(c) = &self.disk {
            let meta = EntryMeta {
                reference: target.to_string(),
                digest: digest.clone(),
                labels: pulled.labels.as_ref().map(Into::into),
                fetched_at: now_ms(),
            };
            if let Err(e) = c.put(&digest, &pulled.manifest, &pulled.layer, &meta) {
                tracing::warn!("{e}");
            }
        }
        let p = Arc::new(pulled);
        self.remember(&digest, &p);
        Ok(p)
    }

    /// Keeps `p` in memory within the byte cap (evicting the least recently used); one
    /// bigger than the cap is only returned.
    fn remember(&self, digest: &str, p: &Arc<Pulled>) {
        if let Ok(mut m) = self.mem.bundles.lock()
            && !m.insert(digest.to_string(), p.clone(), resident_size(p))
            && m.capacity() > 0
        {
            tracing::debug!(digest, "bundle is larger than the memory cache; not kept");
        }
    }

    fn read_disk(&self, target: &OciRef, digest: &str) -> Option<Pulled> {
        let hit = self.disk.as_ref()?.get(digest)?;
        let limits = self.client.options().limits;
        match Bundle::from_tar_gz(&hit.layer, &limits) {
            Ok(bundle) => Some(Pulled {
                reference: target.clone(),
                digest: digest.to_string(),
                bundle,
                labels: hit.meta.labels.map(Into::into),
                manifest: hit.manifest,
                layer: hit.layer,
            }),
            Err(e) => {
                // Verified bytes that do not unpack under the current limits: refetch,
                // which reports the same error with the ref in it.
                tracing::debug!(digest, "cached bundle does not unpack: {e}");
                None
            }
        }
    }

    /// Pushes and records the new tag -> digest answer, so this machine never serves the
    /// previous one from its cache.
    pub async fn push(&self, r: &OciRef, bundle: &Bundle) -> Result<PushResult, OciError> {
        self.net();
        let res = self.client.push(r, bundle).await?;
        self.store_tag(&res.reference, &res.digest);
        Ok(res)
    }

    /// Whether `r` exists now (never cached: push decides on it).
    pub async fn exists(&self, r: &OciRef) -> Result<bool, OciError> {
        self.net();
        self.client.exists(r).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> CacheOptions {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CacheOptions::from_env(&env)
    }

    #[test]
    fn memory_cap_comes_from_the_environment_with_a_default() {
        assert_eq!(opts(&[]).memory_bytes, DEFAULT_MEMORY_CACHE_BYTES);
        assert_eq!(
            opts(&[(ENV_MEMORY_CACHE_BYTES, "64Mi")]).memory_bytes,
            64 << 20
        );
        assert_eq!(opts(&[(ENV_MEMORY_CACHE_BYTES, "0")]).memory_bytes, 0);
        assert_eq!(
            opts(&[(ENV_MEMORY_CACHE_BYTES, "lots")]).memory_bytes,
            DEFAULT_MEMORY_CACHE_BYTES
        );
    }
}
