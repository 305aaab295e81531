//! `pacto login`: credentials are checked against the registry's `/v2/` endpoint before
//! they are saved. A registry answering with a Basic challenge must accept them on
//! `/v2/` itself; one answering with a Bearer challenge must hand out a token for them.

use pacto_core::oci_ref::{OciRef, parse};

use crate::client::RegistryClient;
use crate::creds::Credential;
use crate::error::OciError;
use crate::transport::plain_http_allowed;

/// The registry as an `OciRef` (with a placeholder repository) for transport decisions.
fn probe_ref(registry: &str) -> Result<OciRef, OciError> {
    let host = registry
        .trim()
        .trim_start_matches("oci://")
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    Ok(parse(&format!("oci://{host}/pacto-login-check"))?)
}

impl RegistryClient {
    /// Whether `username`/`password` are accepted by `registry` (`host[:port]`).
    pub async fn verify_credentials(
        &self,
        registry: &str,
        username: &str,
        password: &str,
    ) -> Result<(), OciError> {
        let r = probe_ref(registry)?;
        let opts = self.options();
        let scheme = if plain_http_allowed(&r, &opts.insecure_registries) {
            "http"
        } else {
            "https"
        };
        let mut builder = reqwest::Client::builder()
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.operation_timeout);
        if let Some(path) = &opts.ca_file {
            let pem = std::fs::read(path).map_err(|e| OciError::CaFile {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?;
            let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| OciError::CaFile {
                path: path.display().to_string(),
                detail: e.to_string(),
            })?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(|e| OciError::Unreachable {
            reference: r.registry.clone(),
            detail: e.to_string(),
        })?;
        let url = format!("{scheme}://{}/v2/", r.registry);
        let unreachable = |e: reqwest::Error| OciError::Unreachable {
            reference: r.registry.clone(),
            detail: e.to_string(),
        };
        let refused = |detail: String| OciError::Auth {
            reference: r.registry.clone(),
            registry: r.registry.clone(),
            detail,
        };
        let resp = http
            .get(&url)
            .basic_auth(username, Some(password))
            .send()
            .await
            .map_err(unreachable)?;
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return Ok(());
        }
        let challenge = resp
            .headers()
            .get(http::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if status == 401 && challenge.to_ascii_lowercase().starts_with("bearer") {
            // Token registries: the token service decides on the credentials.
            let credential = Credential::Basic {
                username: username.to_string(),
                password: password.to_string(),
            };
            return match self.check_token_service(&r, &credential, &challenge).await {
                Ok(()) => Ok(()),
                Err(OciError::Auth { detail, .. }) => Err(refused(detail)),
                Err(other) => Err(other),
            };
        }
        match status {
            401 | 403 => Err(refused(format!(
                "the registry refused the credentials for {username} ({status})"
            ))),
            _ => Err(OciError::Registry {
                reference: r.registry.clone(),
                detail: format!("GET {url} answered HTTP {status}"),
            }),
        }
    }
}
