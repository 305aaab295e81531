//! The read requests, each answer capped while it streams: manifest GET and HEAD, and the
//! tag listing (following `Link` pagination within one byte budget).

use pacto_core::oci_ref::{OciRef, is_valid_digest};
use reqwest::{Method, Response};
use serde::Deserialize;

use super::wire::{
    BodyError, MAX_TAG_LIST_BYTES, Target, Wire, error_for, read_capped, unreachable,
};
use crate::artifact::{
    DOCKER_MANIFEST_MEDIA_TYPE, INDEX_MEDIA_TYPES, MAX_MANIFEST_SIZE, OCI_MANIFEST_MEDIA_TYPE,
    sha256_digest,
};
use crate::error::OciError;

/// Pages of a tag list followed at most.
pub const MAX_TAG_PAGES: usize = 64;

/// The manifest path part: the digest when pinned, else the tag.
pub(super) fn manifest_path(r: &OciRef) -> String {
    let reference = r.digest.as_deref().or(r.tag.as_deref()).unwrap_or("latest");
    format!("v2/{}/manifests/{reference}", r.repository)
}

/// `Docker-Content-Digest`, when present and well formed.
fn digest_header(resp: &Response) -> Option<String> {
    resp.headers()
        .get("docker-content-digest")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|d| is_valid_digest(d))
        .map(str::to_string)
}

/// The manifest bytes (at most [`MAX_MANIFEST_SIZE`]) and the digest header.
pub(super) async fn get_manifest(
    wire: &Wire,
    t: &Target<'_>,
) -> Result<(Vec<u8>, Option<String>), OciError> {
    let accept = format!("{OCI_MANIFEST_MEDIA_TYPE}, {DOCKER_MANIFEST_MEDIA_TYPE}");
    let url = t.url(&manifest_path(t.r))?;
    let mut resp = wire.send(t, Method::GET, url, &accept).await?;
    if !resp.status().is_success() {
        return Err(error_for(t, resp).await);
    }
    let header = digest_header(&resp);
    let bytes = read_capped(&mut resp, MAX_MANIFEST_SIZE as u64)
        .await
        .map_err(|e| match e {
            BodyError::OverCap => OciError::InvalidArtifact {
                reference: t.r.to_string(),
                reason: format!(
                    "the manifest exceeds the limit of {MAX_MANIFEST_SIZE} bytes (reading \
                     stopped there)"
                ),
            },
            BodyError::Read(e) => unreachable(t.r, "reading the manifest", e),
        })?;
    Ok((bytes, header))
}

/// HEAD: the digest the ref points to; a registry that sends no digest header has the
/// manifest read (capped) and hashed.
pub(super) async fn head_digest(wire: &Wire, t: &Target<'_>) -> Result<String, OciError> {
    let accept = [OCI_MANIFEST_MEDIA_TYPE, DOCKER_MANIFEST_MEDIA_TYPE]
        .into_iter()
        .chain(INDEX_MEDIA_TYPES)
        .collect::<Vec<_>>()
        .join(", ");
    let url = t.url(&manifest_path(t.r))?;
    let resp = wire.send(t, Method::HEAD, url, &accept).await?;
    if !resp.status().is_success() {
        return Err(error_for(t, resp).await);
    }
    let digest = match digest_header(&resp) {
        Some(d) => d,
        None => sha256_digest(&get_manifest(wire, t).await?.0),
    };
    if let Some(want) = &t.r.digest
        && want.split_once(':').map(|p| p.0) == digest.split_once(':').map(|p| p.0)
        && *want != digest
    {
        return Err(OciError::InvalidArtifact {
            reference: t.r.to_string(),
            reason: format!("manifest digest mismatch: asked for {want}, registry says {digest}"),
        });
    }
    Ok(digest)
}

#[derive(Deserialize)]
struct TagPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// Every tag, over all pages, reading at most [`MAX_TAG_LIST_BYTES`] in all.
pub(super) async fn list_tags(wire: &Wire, t: &Target<'_>) -> Result<Vec<String>, OciError> {
    let mut url = t.url(&format!("v2/{}/tags/list", t.r.repository))?;
    let mut tags = Vec::new();
    let mut budget = MAX_TAG_LIST_BYTES;
    for _ in 0..MAX_TAG_PAGES {
        let mut resp = wire
            .send(t, Method::GET, url.clone(), "application/json")
            .await?;
        if !resp.status().is_success() {
            return Err(error_for(t, resp).await);
        }
        let next = resp
            .headers()
            .get(http::header::LINK)
            .and_then(|v| v.to_str().ok())
            .and_then(next_link)
            .map(|link| url.join(&link));
        let body = read_capped(&mut resp, budget)
            .await
            .map_err(|e| t.body_error(e, "tag list", MAX_TAG_LIST_BYTES))?;
        budget = budget.saturating_sub(body.len() as u64);
        let page: TagPage = serde_json::from_slice(&body).map_err(|e| OciError::Registry {
            reference: t.r.to_string(),
            detail: format!("the tag list is not the expected JSON: {e}"),
        })?;
        tags.extend(page.tags.unwrap_or_default());
        match next {
            None => return Ok(tags),
            Some(Ok(n)) if n.origin() == t.base.origin() => url = n,
            Some(_) => {
                return Err(t.refused("the tag list's next page is not on the registry".into()));
            }
        }
    }
    Err(t.refused(format!("the tag list has more than {MAX_TAG_PAGES} pages")))
}

/// The `rel="next"` target of a `Link` header (RFC 8288), as the distribution spec uses
/// for tag pagination: `</v2/x/tags/list?last=b&n=2>; rel="next"`.
pub(crate) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|link| {
        let (target, params) = link.trim().split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|p| {
            p.trim()
                .split_once('=')
                .is_some_and(|(k, v)| k.trim() == "rel" && v.trim().trim_matches('"') == "next")
        });
        is_next.then(|| target.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_give_the_next_page() {
        assert_eq!(
            next_link(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?last=b&n=2")
        );
        assert_eq!(
            next_link(r#"<https://x/prev>; rel="prev", <https://x/n>;rel=next"#).as_deref(),
            Some("https://x/n")
        );
        assert_eq!(next_link(r#"<https://x/p>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn pinned_refs_address_the_digest() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = pacto_core::oci_ref::parse(&format!("oci://r.io/acme/svc:1@{d}"));
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(manifest_path(&r), format!("v2/acme/svc/manifests/{d}"));
    }
}
