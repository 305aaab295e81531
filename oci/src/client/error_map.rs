//! oci-client errors as the user-facing [`OciError`] categories.

use oci_client::errors::{OciDistributionError, OciErrorCode};
use pacto_core::oci_ref::OciRef;

use crate::error::OciError;
use crate::printable::detail;

/// The error and all its sources, joined: reqwest hides the useful part (e.g. "Connection
/// refused") in the source chain.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    detail(&chain_raw(e))
}

fn chain_raw(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let msg = s.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        cur = s.source();
    }
    out
}

/// Maps oci-client errors to the user-facing categories: auth, not found, unreachable.
pub(crate) fn map_err(r: &OciRef, e: OciDistributionError) -> OciError {
    let reference = r.to_string();
    let auth = |detail: String| OciError::Auth {
        reference: reference.clone(),
        registry: r.registry.clone(),
        detail,
    };
    match e {
        OciDistributionError::UnauthorizedError { .. } => {
            auth("the registry refused the credentials (401)".into())
        }
        OciDistributionError::AuthenticationFailure(m) => auth(detail(&m)),
        OciDistributionError::ServerError { code: 401, .. } => {
            auth("the registry refused the credentials (401)".into())
        }
        OciDistributionError::ServerError { code: 403, .. } => auth("access denied (403)".into()),
        OciDistributionError::ServerError { code: 404, .. }
        | OciDistributionError::ImageManifestNotFoundError(_) => OciError::NotFound { reference },
        OciDistributionError::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|x| &x.code).collect();
            let detail = detail(
                &envelope
                    .errors
                    .iter()
                    .map(|x| format!("{:?}: {}", x.code, x.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Unauthorized | OciErrorCode::Denied))
            {
                auth(detail)
            } else if codes.iter().any(|c| {
                matches!(
                    c,
                    OciErrorCode::ManifestUnknown
                        | OciErrorCode::NameUnknown
                        | OciErrorCode::BlobUnknown
                )
            }) {
                OciError::NotFound { reference }
            } else {
                OciError::Registry { reference, detail }
            }
        }
        OciDistributionError::RequestError(re) => {
            // Some oci-client paths (e.g. blob HEAD) surface HTTP statuses this way.
            match re.status().map(|s| s.as_u16()) {
                Some(401) => return auth("the registry refused the credentials (401)".into()),
                Some(403) => return auth("access denied (403)".into()),
                Some(404) => return OciError::NotFound { reference },
                Some(code) => {
                    return OciError::Registry {
                        reference,
                        detail: format!("HTTP {code}: {}", chain(&re)),
                    };
                }
                None => {}
            }
            if re.is_timeout() {
                OciError::Unreachable {
                    reference,
                    detail: format!("timed out: {}", chain(&re)),
                }
            } else {
                OciError::Unreachable {
                    reference,
                    detail: chain(&re),
                }
            }
        }
        OciDistributionError::DigestError(d) => OciError::InvalidArtifact {
            reference,
            reason: d.to_string(),
        },
        other => OciError::Registry {
            reference,
            detail: chain(&other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> OciRef {
        pacto_core::oci_ref::parse("127.0.0.1:5000/acme/svc:1.0.0").unwrap()
    }

    #[test]
    fn registry_text_reaches_messages_without_control_characters_and_capped() {
        let hostile = format!("\u{1b}[2J\u{1b}]0;owned\u{7}{}\r\n", "A".repeat(100_000));
        for e in [
            OciDistributionError::AuthenticationFailure(hostile.clone()),
            OciDistributionError::GenericError(Some(hostile.clone())),
        ] {
            let shown = map_err(&reference(), e).to_string();
            assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
            assert!(shown.len() < 1024, "{} bytes", shown.len());
        }
    }
}
