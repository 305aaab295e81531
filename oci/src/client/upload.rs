//! The requests of a push, every answer read under the same caps as reads: the blob HEAD, the
//! monolithic upload (a POST opens the session, one PUT to its `Location` with the digest
//! completes it) and the manifest PUT, whose reported `Docker-Content-Digest` must be the digest
//! of what was sent. Errors name the operation; an upload location on another host gets no
//! credentials, and plain HTTP only where the transport rule allows it.

use bytes::Bytes;
use http::HeaderValue;
use http::header::LOCATION;
use pacto_core::oci_ref::is_valid_digest;
use reqwest::{Method, Response, StatusCode, Url};

use super::reads::manifest_path;
use super::wire::{Payload, Request, Target, Wire, during, error_for, same_host};
use crate::artifact::sha256_digest;
use crate::error::OciError;
use crate::printable::detail;

/// Whether the repository already holds the blob. A refusal from another host (storage the
/// HEAD was redirected to, which may sign its URLs for GET only) counts as absent: the blob is
/// uploaded again.
pub(super) async fn blob_exists(
    wire: &Wire,
    t: &Target<'_>,
    digest: &str,
) -> Result<bool, OciError> {
    let doing = format!("checking for blob {}", detail(digest));
    let url = t.url(&format!("v2/{}/blobs/{digest}", t.r.repository))?;
    let resp = wire
        .send(t, Method::HEAD, url, "*/*")
        .await
        .map_err(|e| during(&doing, e))?;
    let status = resp.status();
    if status.is_success() {
        Ok(true)
    } else if status == StatusCode::NOT_FOUND || !same_host(&t.base, resp.url()) {
        Ok(false)
    } else {
        Err(during(&doing, error_for(t, resp).await))
    }
}

/// Uploads one blob in a single request: POST for a session (202 per the distribution spec),
/// then PUT of the whole blob to the session's location with `digest=` (201).
pub(super) async fn upload_blob(
    wire: &Wire,
    t: &Target<'_>,
    data: Bytes,
    digest: &str,
) -> Result<(), OciError> {
    let doing = format!("starting the upload of blob {}", detail(digest));
    let url = t.url(&format!("v2/{}/blobs/uploads/", t.r.repository))?;
    let empty = Payload {
        bytes: Bytes::new(),
        content_type: None,
    };
    let start = Request {
        method: Method::POST,
        accept: "*/*",
        body: Some(&empty),
    };
    let resp = wire
        .send_with(t, url, &start)
        .await
        .map_err(|e| during(&doing, e))?;
    if !resp.status().is_success() {
        return Err(during(&doing, error_for(t, resp).await));
    }
    let location = upload_location(wire, t, &resp, digest).map_err(|e| during(&doing, e))?;
    drop(resp);
    let doing = format!("uploading blob {}", detail(digest));
    let blob = Payload {
        bytes: data,
        content_type: Some(HeaderValue::from_static("application/octet-stream")),
    };
    let put = Request {
        method: Method::PUT,
        accept: "*/*",
        body: Some(&blob),
    };
    let resp = wire
        .send_with(t, location, &put)
        .await
        .map_err(|e| during(&doing, e))?;
    if !resp.status().is_success() {
        return Err(during(&doing, error_for(t, resp).await));
    }
    Ok(())
}

/// The session's `Location` (relative to the URL that answered, or absolute), with `digest=`
/// added to the query it already has; refused where plain HTTP is not allowed.
fn upload_location(
    wire: &Wire,
    t: &Target<'_>,
    resp: &Response,
    digest: &str,
) -> Result<Url, OciError> {
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| OciError::Registry {
            reference: t.r.to_string(),
            detail: format!("the registry answered HTTP {status} without an upload Location"),
        })?;
    let mut url = resp.url().join(location).map_err(|e| {
        t.refused(format!(
            "the upload location {:?} is not a URL: {e}",
            detail(location)
        ))
    })?;
    url.query_pairs_mut().append_pair("digest", digest);
    wire.check_url(&url)
        .map_err(|reason| t.refused(format!("upload location not followed: {reason}")))?;
    Ok(url)
}

/// PUTs the manifest under the ref's tag (or digest) with `media_type`; returns its digest.
pub(super) async fn put_manifest(
    wire: &Wire,
    t: &Target<'_>,
    manifest: &[u8],
    media_type: HeaderValue,
) -> Result<String, OciError> {
    let doing = "uploading the manifest";
    let sent = sha256_digest(manifest);
    let url = t.url(&manifest_path(t.r))?;
    let body = Payload {
        bytes: Bytes::copy_from_slice(manifest),
        content_type: Some(media_type),
    };
    let put = Request {
        method: Method::PUT,
        accept: "*/*",
        body: Some(&body),
    };
    let resp = wire
        .send_with(t, url, &put)
        .await
        .map_err(|e| during(doing, e))?;
    if !resp.status().is_success() {
        return Err(during(doing, error_for(t, resp).await));
    }
    check_reported_digest(t, &resp, &sent).map_err(|e| during(doing, e))?;
    Ok(sent)
}

/// The registry's `Docker-Content-Digest` for what was sent, when it gives one, must be its
/// digest (one in another algorithm cannot be compared and is let be).
fn check_reported_digest(t: &Target<'_>, resp: &Response, sent: &str) -> Result<(), OciError> {
    let Some(value) = resp.headers().get("docker-content-digest") else {
        return Ok(());
    };
    let said = value.to_str().map(str::trim).unwrap_or("(not text)");
    let comparable = said.starts_with("sha256:") || !is_valid_digest(said);
    if said.is_empty() || !comparable || said == sent {
        return Ok(());
    }
    Err(OciError::Registry {
        reference: t.r.to_string(),
        detail: format!(
            "the registry reports digest {:?} for it, but what was sent has digest {sent}",
            detail(said)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::Credential;

    fn answer(digest: Option<&str>) -> Response {
        let mut b = http::Response::builder().status(201);
        if let Some(d) = digest {
            b = b.header("docker-content-digest", d);
        }
        match b.body(Vec::<u8>::new()) {
            Ok(r) => Response::from(r),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_reported_manifest_digest_must_be_the_one_sent() {
        let r = match pacto_core::oci_ref::parse("oci://127.0.0.1:5000/acme/svc:1") {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let opts = super::super::RegistryOptions::default();
        let wire = match Wire::new(&opts) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        let anon = Credential::Anonymous;
        let t = match wire.target(&r, &anon) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let sent = sha256_digest(b"{}");
        let other = format!("sha256:{}", "0".repeat(64));
        let sha512 = format!("sha512:{}", "0".repeat(128));
        for ok in [None, Some(sent.as_str()), Some(sha512.as_str()), Some("")] {
            assert!(
                check_reported_digest(&t, &answer(ok), &sent).is_ok(),
                "{ok:?}"
            );
        }
        for bad in [other.as_str(), "md5:abc"] {
            let e = check_reported_digest(&t, &answer(Some(bad)), &sent).err();
            let msg = e.map(|e| e.to_string()).unwrap_or_default();
            assert!(msg.contains(&sent) && msg.contains(bad), "{msg}");
        }
    }
}
