//! Registry reads of one dereference: tag resolution, the access proof of cached content,
//! and pulls that reserve their room in the content cache's byte cap.

use pacto_crds::reasons;
use std::sync::Arc;
use std::time::Instant;

use pacto_core::oci_ref::OciRef;
use pacto_oci::RegistryClient;

use super::cache::{self, ContractCache, PulledContent};
use super::{ContractError, access};
use crate::metrics::Metrics;

/// One Pacto's view of the registry: its client and the identity of its credential.
pub(super) struct Puller<'a> {
    pub client: &'a Arc<RegistryClient>,
    /// Identity of the Pacto's credential (`cache::credential_id`: `secret:<fingerprint>`, or
    /// `default` for the operator's own credentials).
    pub credential: &'a str,
    pub cache: &'a ContractCache,
    pub metrics: &'a Metrics,
}

impl Puller<'_> {
    /// Resolves the ref to a digest (cached tag list for untagged refs, a HEAD for tags,
    /// shared for the tag TTL, nothing for digests) and pulls only content the cache does not
    /// hold. Cached content is served only once the registry has granted this credential that
    /// digest in that repository (see [`access`]).
    pub(super) async fn pull(
        &self,
        requested: &OciRef,
    ) -> Result<Arc<PulledContent>, ContractError> {
        let target = self.target(requested).await?;
        let tagged = target.to_string();
        let pulled = self.pull_target(target, &tagged).await;
        if pulled.is_err() {
            self.cache.forget_tag_digest(self.credential, &tagged);
        }
        pulled
    }

    async fn pull_target(
        &self,
        target: OciRef,
        tagged: &str,
    ) -> Result<Arc<PulledContent>, ContractError> {
        let now = Instant::now;
        let digest = match &target.digest {
            Some(d) => d.clone(),
            None => match self.cache.tag_digest(self.credential, tagged) {
                Some(d) => d,
                None => {
                    let d = self.head(&target).await?;
                    // The HEAD with this credential is itself a proof for what it answered.
                    self.cache
                        .proofs()
                        .remember(access::ProofKey::new(&target, &d, self.credential), now());
                    self.cache.remember_tag_digest(self.credential, tagged, &d);
                    d
                }
            },
        };
        // Pull by digest so content and digest cannot disagree when the tag moves meanwhile.
        let by_digest = target
            .pinned(&digest)
            .map_err(|e| ContractError::invalid(reasons::INVALID_REFERENCE, e.to_string()))?;
        let proof = access::ProofKey::new(&target, &digest, self.credential);
        if let Some(hit) = self.cache.content(&digest) {
            return self.serve_cached(hit, target, &by_digest, &proof).await;
        }
        // A registry that accepts and never answers must not hold a pull slot that other
        // Pactos wait for: a digest-pinned ref is first checked with a HEAD (which is also this
        // credential's proof); a tag ref was just resolved by one.
        if !self.cache.proofs().is_proven(&proof, now()) {
            self.prove(&by_digest, &digest, &proof).await?;
        }
        // Bundle bytes in flight count against the content cache's cap.
        let room = self.cache.reserve_pull().await;
        // Another Pacto may have pulled the same digest while this one waited for room.
        if let Some(hit) = self.cache.content(&digest) {
            drop(room);
            return self.serve_cached(hit, target, &by_digest, &proof).await;
        }
        let t0 = Instant::now();
        let pulled = self.client.pull(&by_digest).await;
        self.metrics
            .observe_oci("pull", t0.elapsed(), pulled.is_ok());
        let pulled = pulled.map_err(|e| ContractError::from_oci(&e))?;
        self.cache.proofs().remember(proof, now());
        let content = Arc::new(PulledContent {
            resolved: target,
            digest: pulled.digest.clone(),
            raw_yaml: pulled.bundle.contract_text().map(Arc::from),
            bundle: Arc::new(pulled.bundle),
        });
        self.cache.put_content(content.clone());
        drop(room);
        Ok(content)
    }

    /// Cached content, once this credential is proven to be granted it.
    async fn serve_cached(
        &self,
        hit: Arc<PulledContent>,
        target: OciRef,
        by_digest: &OciRef,
        proof: &access::ProofKey,
    ) -> Result<Arc<PulledContent>, ContractError> {
        if !self.cache.proofs().is_proven(proof, Instant::now()) {
            self.prove(by_digest, &hit.digest, proof).await?;
        }
        Ok(Arc::new(PulledContent {
            resolved: target,
            digest: hit.digest.clone(),
            raw_yaml: hit.raw_yaml.clone(),
            bundle: hit.bundle.clone(),
        }))
    }

    /// The ref with a tag: as written, or the highest semver tag of the (cached) tag list.
    async fn target(&self, requested: &OciRef) -> Result<OciRef, ContractError> {
        if requested.has_explicit_tag() {
            return Ok(requested.clone());
        }
        let key = cache::client_key(requested);
        let tags = self
            .cache
            .tags(&key, self.credential, requested, self.client, self.metrics)
            .await
            .map_err(|e| ContractError::from_oci(&e))?;
        match pacto_core::semver_range::highest_matching(tags.iter().map(String::as_str), None) {
            Some(tag) => requested
                .with_tag(tag)
                .map_err(|e| ContractError::invalid(reasons::INVALID_REFERENCE, e.to_string())),
            None => Err(ContractError::Unavailable {
                reason: "NoMatchingVersion",
                category: "no_matching_version",
                message: format!("no semver tags found for {requested}"),
            }),
        }
    }

    /// Manifest HEAD with this Pacto's credential.
    async fn head(&self, r: &OciRef) -> Result<String, ContractError> {
        let t0 = Instant::now();
        let d = self.client.resolve_digest(r).await;
        self.metrics.observe_oci("resolve", t0.elapsed(), d.is_ok());
        d.map_err(|e| ContractError::from_oci(&e))
    }

    /// Asks the registry whether this credential may read `digest` in the ref's repository;
    /// its refusal (auth failure, not found) is the Pacto's answer, never the cached content.
    async fn prove(
        &self,
        by_digest: &OciRef,
        digest: &str,
        proof: &access::ProofKey,
    ) -> Result<(), ContractError> {
        match self.head(by_digest).await {
            Ok(answered) if answered == digest => {
                self.cache.proofs().remember(proof.clone(), Instant::now());
                Ok(())
            }
            Ok(answered) => {
                self.cache.proofs().forget(proof);
                Err(ContractError::invalid(
                    reasons::INVALID_ARTIFACT,
                    format!("{by_digest}: the registry answered digest {answered}"),
                ))
            }
            Err(e) => {
                self.cache.proofs().forget(proof);
                Err(e)
            }
        }
    }
}
