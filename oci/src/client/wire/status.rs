//! Unsuccessful registry answers as [`OciError`]s: the status decides the category, the
//! body (read only up to [`MAX_ERROR_BODY_BYTES`], only from the registry's own host) gives a
//! sanitised detail.

use pacto_core::oci_ref::OciRef;
use reqwest::{Response, Url};
use serde::Deserialize;

use super::body::read_prefix;
use super::rules::shown;
use super::{MAX_ERROR_BODY_BYTES, Target};
use crate::error::OciError;
use crate::printable::detail;

/// The error and all its sources, joined and sanitised: reqwest hides the useful part (e.g.
/// "Connection refused") in the source chain.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
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
    detail(&out)
}

/// A failed send or read (connection refused, TLS, timeout). The URL is shown without its
/// query: a storage redirect's carries a signature.
pub(crate) fn unreachable(r: &OciRef, doing: &str, e: reqwest::Error) -> OciError {
    let prefix = if e.is_timeout() { "timed out " } else { "" };
    let at = e
        .url()
        .map(|u| format!(" {}", shown(u)))
        .unwrap_or_default();
    let e = e.without_url();
    OciError::Unreachable {
        reference: r.to_string(),
        detail: format!("{prefix}{doing}{at}: {}", chain(&e)),
    }
}

/// Whether `url` is on the registry's host and port (its body may be quoted).
pub(crate) fn same_host(base: &Url, url: &Url) -> bool {
    base.host_str() == url.host_str() && base.port_or_known_default() == url.port_or_known_default()
}

/// The error an unsuccessful answer stands for.
pub(crate) async fn error_for(t: &Target<'_>, mut resp: Response) -> OciError {
    let status = resp.status().as_u16();
    if same_host(&t.base, resp.url()) {
        let body = read_prefix(&mut resp, MAX_ERROR_BODY_BYTES).await;
        classify(t.r, status, &body, None)
    } else {
        classify(t.r, status, &[], Some(&shown(resp.url())))
    }
}

/// `e` with what was being done (`doing`: "uploading blob sha256:…") in front of its detail.
/// A "not found" answer to a write is no missing artifact: it becomes a registry error.
pub(crate) fn during(doing: &str, e: OciError) -> OciError {
    match e {
        OciError::Auth {
            reference,
            registry,
            detail,
        } => OciError::Auth {
            reference,
            registry,
            detail: format!("{doing}: {detail}"),
        },
        OciError::Registry { reference, detail } => OciError::Registry {
            reference,
            detail: format!("{doing}: {detail}"),
        },
        OciError::Unreachable { reference, detail } => OciError::Unreachable {
            reference,
            detail: format!("{doing}: {detail}"),
        },
        OciError::Refused { reference, reason } => OciError::Refused {
            reference,
            reason: format!("{doing}: {reason}"),
        },
        OciError::NotFound { reference } => OciError::Registry {
            reference,
            detail: format!("{doing}: the registry answered \"not found\""),
        },
        other => other,
    }
}

#[derive(Deserialize)]
struct Envelope {
    errors: Vec<EnvelopeError>,
}

#[derive(Deserialize)]
struct EnvelopeError {
    code: String,
    #[serde(default)]
    message: String,
}

/// Status and body prefix → category. `foreign` names the other host that answered (its
/// body is not shown).
pub(crate) fn classify(r: &OciRef, status: u16, body: &[u8], foreign: Option<&str>) -> OciError {
    let reference = r.to_string();
    let auth = |detail: String| OciError::Auth {
        reference: reference.clone(),
        registry: r.registry.clone(),
        detail,
    };
    match status {
        401 => return auth("the registry refused the credentials (401)".into()),
        403 => return auth("access denied (403)".into()),
        404 => return OciError::NotFound { reference },
        _ => {}
    }
    if let Some(host) = foreign {
        return OciError::Registry {
            reference,
            detail: format!("HTTP {status} from {host}"),
        };
    }
    if let Ok(envelope) = serde_json::from_slice::<Envelope>(body)
        && !envelope.errors.is_empty()
    {
        let codes: Vec<&str> = envelope.errors.iter().map(|e| e.code.as_str()).collect();
        let text = detail(
            &envelope
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.code, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        );
        if codes
            .iter()
            .any(|c| matches!(*c, "UNAUTHORIZED" | "DENIED"))
        {
            return auth(text);
        }
        if codes
            .iter()
            .any(|c| matches!(*c, "MANIFEST_UNKNOWN" | "NAME_UNKNOWN" | "BLOB_UNKNOWN"))
        {
            return OciError::NotFound { reference };
        }
        return OciError::Registry {
            reference,
            detail: format!("HTTP {status}: {text}"),
        };
    }
    let text = detail(&String::from_utf8_lossy(body));
    OciError::Registry {
        reference,
        detail: if text.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {text}")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> OciRef {
        match pacto_core::oci_ref::parse("oci://r.io/acme/svc:1") {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn statuses_and_envelopes_map_to_categories() {
        assert_eq!(classify(&r(), 401, b"", None).category(), "auth");
        assert_eq!(classify(&r(), 404, b"", None).category(), "not_found");
        let env = br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"no"}]}"#;
        assert_eq!(classify(&r(), 400, env, None).category(), "not_found");
        let env = br#"{"errors":[{"code":"DENIED","message":"nope"}]}"#;
        assert_eq!(classify(&r(), 400, env, None).category(), "auth");
        let e = classify(&r(), 500, b"boom", None).to_string();
        assert!(e.contains("HTTP 500: boom"), "{e}");
    }

    #[test]
    fn bodies_are_sanitised_and_other_hosts_bodies_never_shown() {
        let hostile = format!("\u{1b}[2J{}", "A".repeat(60_000));
        let e = classify(&r(), 500, hostile.as_bytes(), None).to_string();
        assert!(!e.chars().any(char::is_control) && e.len() < 1024, "{e}");
        let e = classify(&r(), 500, b"secret", Some("https://s3.io/b")).to_string();
        assert!(e.contains("HTTP 500 from https://s3.io/b") && !e.contains("secret"));
    }
}
