//! Registry traffic (reads and pushes) over our own reqwest client, so every answer is capped
//! while it streams (oci-client reads manifests, tag lists, token replies and error bodies
//! whole): the Docker/OCI auth flow (Basic, or Bearer tokens from the challenge's realm, scoped
//! to what the request needs), redirects followed by hand without carrying credentials to
//! another host, and error answers turned into [`OciError`]s from a capped, sanitised prefix of
//! their body.

mod body;
mod challenge;
mod rules;
mod status;
mod token;

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use bytes::Bytes;
use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use pacto_core::oci_ref::OciRef;
use reqwest::{Method, Response, StatusCode, Url};

use super::options::RegistryOptions;
use crate::creds::Credential;
use crate::error::OciError;
use crate::transport::plain_http_allowed;
use challenge::{Challenge, parse_challenge};
use rules::{keeps_credentials, redirect_target, url_allowed};

pub(crate) use body::{BodyError, read_capped};
pub(crate) use status::{during, error_for, same_host, unreachable};

/// Largest tag list read, over all pages.
pub const MAX_TAG_LIST_BYTES: u64 = 4 * 1024 * 1024;
/// Largest token-service reply read.
pub const MAX_TOKEN_REPLY_BYTES: u64 = 64 * 1024;
/// Largest prefix of an error answer read (then sanitised to a short detail).
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// Redirects followed per request.
pub const MAX_REDIRECTS: usize = 5;
/// Remembered authorizations (per registry, repository and access) before the memory is
/// cleared.
const MAX_REMEMBERED: usize = 1024;

/// What the requests to a repository do; token requests ask for this scope, and an
/// authorization is remembered per access (a pull token is never offered for a push).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Pull,
    Push,
}

impl Access {
    /// The actions of the token scope `repository:<name>:<actions>`.
    pub(crate) fn actions(self) -> &'static str {
        match self {
            Access::Pull => "pull",
            Access::Push => "pull,push",
        }
    }
}

/// A request body and its content type. Cheap to clone, so it can be sent again after a
/// challenge or a 307/308 redirect.
#[derive(Clone)]
pub(crate) struct Payload {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: Option<HeaderValue>,
}

/// What one request sends, wherever its redirects take it.
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) accept: &'a str,
    pub(crate) body: Option<&'a Payload>,
}

/// One registry repository as the requests address it.
pub(crate) struct Target<'a> {
    pub(crate) r: &'a OciRef,
    /// `scheme://host[:port]/` of the registry: the only origin its credentials go to.
    pub(crate) base: Url,
    pub(crate) credential: &'a Credential,
    pub(crate) access: Access,
}

impl Target<'_> {
    /// The same repository, for a push.
    pub(crate) fn for_push(self) -> Self {
        Self {
            access: Access::Push,
            ..self
        }
    }

    /// `path` (starting with `v2/`) under the registry.
    pub(crate) fn url(&self, path: &str) -> Result<Url, OciError> {
        self.base
            .join(path)
            .map_err(|e| self.refused(format!("cannot build the URL for {path:?}: {e}")))
    }

    pub(crate) fn refused(&self, reason: String) -> OciError {
        OciError::Refused {
            reference: self.r.to_string(),
            reason,
        }
    }

    pub(crate) fn too_large(&self, what: &'static str, limit: u64) -> OciError {
        OciError::TooLarge {
            reference: self.r.to_string(),
            what,
            limit,
        }
    }

    pub(crate) fn auth(&self, detail: String) -> OciError {
        OciError::Auth {
            reference: self.r.to_string(),
            registry: self.r.registry.clone(),
            detail,
        }
    }

    /// A capped read's failure as an error naming what was read.
    pub(crate) fn body_error(&self, e: BodyError, what: &'static str, limit: u64) -> OciError {
        match e {
            BodyError::OverCap => self.too_large(what, limit),
            BodyError::Read(e) => unreachable(self.r, &format!("reading the {what}"), e),
        }
    }
}

/// The capped HTTP client for registry traffic. Cheap to share.
pub(crate) struct Wire {
    http: reqwest::Client,
    insecure: Vec<String>,
    /// Authorization that answered a registry's challenge, per `registry/repository#access`.
    remembered: Mutex<HashMap<String, HeaderValue>>,
}

impl Wire {
    /// TLS with the installed ring provider and the optional extra CA, connect and read
    /// timeouts; redirects are never followed automatically.
    pub(crate) fn new(opts: &RegistryOptions) -> Result<Self, OciError> {
        let ca_error = |detail: String| OciError::CaFile {
            path: opts
                .ca_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            detail,
        };
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(opts.connect_timeout)
            .read_timeout(opts.operation_timeout);
        if let Some(path) = &opts.ca_file {
            let pem = std::fs::read(path).map_err(|e| ca_error(e.to_string()))?;
            let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| ca_error(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        Ok(Self {
            http: builder.build().map_err(|e| ca_error(e.to_string()))?,
            insecure: opts.insecure_registries.clone(),
            remembered: Mutex::new(HashMap::new()),
        })
    }

    /// Where requests for `r` go: plain HTTP only where the transport rule allows it.
    pub(crate) fn target<'a>(
        &self,
        r: &'a OciRef,
        credential: &'a Credential,
    ) -> Result<Target<'a>, OciError> {
        let scheme = if plain_http_allowed(r, &self.insecure) {
            "http"
        } else {
            "https"
        };
        // As oci-client resolves it: Docker Hub's API lives on another name.
        let host = match r.registry.as_str() {
            "docker.io" => "index.docker.io",
            other => other,
        };
        let base = Url::parse(&format!("{scheme}://{host}/")).map_err(|e| OciError::Refused {
            reference: r.to_string(),
            reason: format!("the registry address is not a URL: {e}"),
        })?;
        Ok(Target {
            r,
            base,
            credential,
            access: Access::Pull,
        })
    }

    /// Whether `url` (an upload location the registry named) may be sent to at all: https, or
    /// plain http for hosts allowed it.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), String> {
        url_allowed(url, &self.insecure)
    }

    /// Sends a request without a body; see [`Wire::send_with`].
    pub(crate) async fn send(
        &self,
        t: &Target<'_>,
        method: Method,
        url: Url,
        accept: &str,
    ) -> Result<Response, OciError> {
        let req = Request {
            method,
            accept,
            body: None,
        };
        self.send_with(t, url, &req).await
    }

    /// Sends a request to the registry, answering one authentication challenge (401) and
    /// following redirects. Credentials go only to the registry's own origin (a `url` on
    /// another host is sent without them). Any status is returned; the body is left unread.
    pub(crate) async fn send_with(
        &self,
        t: &Target<'_>,
        url: Url,
        req: &Request<'_>,
    ) -> Result<Response, OciError> {
        let key = format!("{}/{}#{}", t.r.registry, t.r.repository, t.access.actions());
        let mut auth = match t.credential {
            Credential::Bearer(token) => Some(header(t, &format!("Bearer {token}"))?),
            _ => self
                .remembered
                .lock()
                .ok()
                .and_then(|m| m.get(&key).cloned()),
        };
        let mut answered = false;
        loop {
            let resp = self
                .follow(t, req, url.clone(), &t.base, auth.clone())
                .await?;
            let challenged = resp.status() == StatusCode::UNAUTHORIZED
                && !answered
                && !matches!(t.credential, Credential::Bearer(_))
                && keeps_credentials(&t.base, resp.url());
            if !challenged {
                return Ok(resp);
            }
            let challenge = resp
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_challenge);
            let Some(challenge) = challenge else {
                return Ok(resp);
            };
            drop(resp);
            let answer = self.answer(t, &challenge).await?;
            if let Ok(mut m) = self.remembered.lock() {
                if m.len() >= MAX_REMEMBERED {
                    m.clear();
                }
                m.insert(key.clone(), answer.clone());
            }
            auth = Some(answer);
            answered = true;
        }
    }

    /// Whether the token service named by a Bearer challenge header hands out a token for
    /// the target's credential (`pacto login`'s check).
    pub(crate) async fn check_bearer(&self, t: &Target<'_>, header: &str) -> Result<(), OciError> {
        match parse_challenge(header) {
            Some(c @ Challenge::Bearer { .. }) => self.answer(t, &c).await.map(|_| ()),
            _ => Err(t.auth("the registry's challenge names no token service".into())),
        }
    }

    /// The Authorization that answers `challenge` with the target's credential.
    async fn answer(&self, t: &Target<'_>, challenge: &Challenge) -> Result<HeaderValue, OciError> {
        match challenge {
            Challenge::Basic => match t.credential {
                Credential::Basic { username, password } => header(t, &basic(username, password)),
                _ => Err(t.auth("the registry requires credentials (401)".into())),
            },
            Challenge::Bearer { realm, service } => {
                let token = token::fetch(self, t, realm, service.as_deref()).await?;
                header(t, &format!("Bearer {token}"))
            }
        }
    }

    /// One request and its redirects (at most [`MAX_REDIRECTS`]). `auth` goes only to
    /// `origin`; once the chain leaves it, the rest goes without. A request with a body
    /// follows only the redirects that keep method and body (307, 308).
    async fn follow(
        &self,
        t: &Target<'_>,
        request: &Request<'_>,
        mut url: Url,
        origin: &Url,
        mut auth: Option<HeaderValue>,
    ) -> Result<Response, OciError> {
        let body = request.body;
        for _ in 0..=MAX_REDIRECTS {
            if !keeps_credentials(origin, &url) {
                auth = None;
            }
            let mut req = self.http.request(request.method.clone(), url.clone());
            req = req.header(ACCEPT, request.accept);
            if let Some(a) = &auth {
                req = req.header(AUTHORIZATION, a.clone());
            }
            if let Some(p) = body {
                if let Some(ct) = &p.content_type {
                    req = req.header(CONTENT_TYPE, ct.clone());
                }
                req = req.body(p.bytes.clone());
            }
            let resp = req
                .send()
                .await
                .map_err(|e| unreachable(t.r, "sending the request", e))?;
            let keeps_body = matches!(resp.status().as_u16(), 307 | 308);
            if !resp.status().is_redirection() || (body.is_some() && !keeps_body) {
                return Ok(resp);
            }
            let Some(location) = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()) else {
                return Ok(resp);
            };
            let next = redirect_target(&url, location).map_err(|reason| t.refused(reason))?;
            url_allowed(&next, &self.insecure)
                .map_err(|reason| t.refused(format!("redirect not followed: {reason}")))?;
            url = next;
        }
        Err(t.refused(format!("more than {MAX_REDIRECTS} redirects")))
    }
}

fn basic(username: &str, password: &str) -> String {
    let pair = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// An Authorization value, marked sensitive so it is never logged.
fn header(t: &Target<'_>, value: &str) -> Result<HeaderValue, OciError> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| t.auth("the credential is not a valid HTTP header value".into()))?;
    v.set_sensitive(true);
    Ok(v)
}
