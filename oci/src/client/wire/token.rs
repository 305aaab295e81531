//! The token request of the Docker/OCI bearer flow: GET the challenge's realm (https, or
//! plain http only for hosts allowed it) with the Basic credential or none, and read the
//! JSON reply under [`MAX_TOKEN_REPLY_BYTES`].

use pacto_core::oci_ref::OciRef;
use reqwest::{Method, Url};
use serde::Deserialize;

use super::body::{read_capped, read_prefix};
use super::rules::{shown, url_allowed};
use super::{
    Access, MAX_ERROR_BODY_BYTES, MAX_TOKEN_REPLY_BYTES, Request, Target, Wire, basic, header,
};
use crate::creds::Credential;
use crate::error::OciError;
use crate::printable::detail;

/// A token for the target's repository and access from `realm`.
pub(super) async fn fetch(
    wire: &Wire,
    t: &Target<'_>,
    realm: &str,
    service: Option<&str>,
) -> Result<String, OciError> {
    let url = realm_url(t.r, t.access, realm, service, &wire.insecure)
        .map_err(|reason| t.refused(reason))?;
    let auth = match t.credential {
        Credential::Basic { username, password } => Some(header(t, &basic(username, password))?),
        _ => None,
    };
    let origin = url.clone();
    let req = Request {
        method: Method::GET,
        accept: "application/json",
        body: None,
    };
    let mut resp = wire.follow(t, &req, url, &origin, auth).await?;
    let status = resp.status().as_u16();
    if !resp.status().is_success() {
        let said = if resp.url().host_str() == t.base.host_str() {
            let body = read_prefix(&mut resp, MAX_ERROR_BODY_BYTES).await;
            detail(&String::from_utf8_lossy(&body))
        } else {
            format!("from {}", shown(resp.url()))
        };
        return Err(match status {
            401 | 403 => t.auth(format!(
                "the token service refused the credentials (HTTP {status}) {said}"
            )),
            _ => OciError::Registry {
                reference: t.r.to_string(),
                detail: format!("the token service answered HTTP {status} {said}"),
            },
        });
    }
    let body = read_capped(&mut resp, MAX_TOKEN_REPLY_BYTES)
        .await
        .map_err(|e| t.body_error(e, "token reply", MAX_TOKEN_REPLY_BYTES))?;
    parse_reply(&body).map_err(|reason| OciError::Registry {
        reference: t.r.to_string(),
        detail: reason,
    })
}

/// The realm with the scope (`pull`, or `pull,push` for a push) and the service, if it may be
/// asked at all.
pub(super) fn realm_url(
    r: &OciRef,
    access: Access,
    realm: &str,
    service: Option<&str>,
    insecure: &[String],
) -> Result<Url, String> {
    let mut url = Url::parse(realm)
        .map_err(|e| format!("the token realm {:?} is not a URL: {e}", detail(realm)))?;
    url_allowed(&url, insecure).map_err(|reason| format!("token realm refused: {reason}"))?;
    {
        let mut query = url.query_pairs_mut();
        let scope = format!("repository:{}:{}", r.repository, access.actions());
        query.append_pair("scope", &scope);
        if let Some(service) = service {
            query.append_pair("service", service);
        }
    }
    Ok(url)
}

/// `token`, or `access_token` (OAuth2 style), from the reply.
pub(super) fn parse_reply(body: &[u8]) -> Result<String, String> {
    #[derive(Deserialize)]
    struct Reply {
        token: Option<String>,
        access_token: Option<String>,
    }
    let reply: Reply = serde_json::from_slice(body)
        .map_err(|e| format!("the token reply is not the expected JSON: {e}"))?;
    reply
        .token
        .filter(|t| !t.is_empty())
        .or(reply.access_token.filter(|t| !t.is_empty()))
        .ok_or_else(|| "the token reply holds no token".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> OciRef {
        match pacto_core::oci_ref::parse("oci://ghcr.io/acme/svc:1") {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn realm_gets_scope_and_service_and_must_be_safe() {
        let none: Vec<String> = Vec::new();
        let pull = Access::Pull;
        let url = realm_url(&r(), pull, "https://ghcr.io/token", Some("ghcr.io"), &none);
        assert_eq!(
            url.map(|u| u.to_string()),
            Ok("https://ghcr.io/token?scope=repository%3Aacme%2Fsvc%3Apull&service=ghcr.io".into())
        );
        let e = realm_url(&r(), pull, "http://evil.example.com/token", None, &none);
        assert!(e.is_err_and(|e| e.contains("plain HTTP")));
        assert!(realm_url(&r(), pull, "not a url", None, &none).is_err());
        assert!(realm_url(&r(), pull, "http://127.0.0.1:1/token", None, &none).is_ok());
    }

    #[test]
    fn pushes_ask_for_pull_and_push() {
        let none: Vec<String> = Vec::new();
        let url = realm_url(&r(), Access::Push, "https://a.io/t?x=1", None, &none);
        assert_eq!(
            url.map(|u| u.to_string()),
            Ok("https://a.io/t?x=1&scope=repository%3Aacme%2Fsvc%3Apull%2Cpush".into())
        );
    }

    #[test]
    fn replies_carry_token_or_access_token() {
        assert_eq!(parse_reply(br#"{"token":"a"}"#), Ok("a".into()));
        assert_eq!(
            parse_reply(br#"{"token":"","access_token":"b","expires_in":300}"#),
            Ok("b".into())
        );
        assert!(parse_reply(br#"{"expires_in":300}"#).is_err());
        assert!(parse_reply(b"<html>").is_err());
    }
}
