//! The reference grammar's parts: registry host, repository path, tag and digest.

use super::{DOCKER_HUB, OciRefError, looks_like_registry};

const MAX_TAG_LEN: usize = 128;

pub(super) fn split_registry(input: &str, name: &str) -> Result<(String, String), OciRefError> {
    let (registry, repo) = match name.split_once('/') {
        Some((first, rest)) if looks_like_registry(first) => {
            (normalize_registry(input, first)?, rest.to_string())
        }
        _ => (DOCKER_HUB.to_string(), name.to_string()),
    };
    if repo.is_empty() {
        return Err(OciRefError::MissingRepository {
            input: input.into(),
        });
    }
    // Docker Hub official images live under `library/`.
    let repo = if registry == DOCKER_HUB && !repo.contains('/') {
        format!("library/{repo}")
    } else {
        repo
    };
    Ok((registry, repo))
}

fn normalize_registry(input: &str, host: &str) -> Result<String, OciRefError> {
    let bad = |reason: &str| OciRefError::InvalidRegistry {
        input: input.into(),
        host: host.into(),
        reason: reason.into(),
    };
    let lower = host.to_ascii_lowercase();
    let (hostname, port) = if let Some(rest) = lower.strip_prefix('[') {
        let (addr, after) = rest
            .split_once(']')
            .ok_or_else(|| bad("unterminated '[' in IPv6 address"))?;
        if addr.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(bad("not a valid IPv6 address"));
        }
        match after {
            "" => (format!("[{addr}]"), None),
            p => match p.strip_prefix(':') {
                Some(port) => (format!("[{addr}]"), Some(port.to_string())),
                None => return Err(bad("unexpected text after ']'")),
            },
        }
    } else {
        match lower.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.to_string())),
            None => (lower.clone(), None),
        }
    };
    if !hostname.starts_with('[') {
        if hostname.is_empty() {
            return Err(bad("empty host name"));
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if !hostname.split('.').all(label_ok) {
            return Err(bad(
                "host names are dot-separated labels of letters, digits and inner '-'",
            ));
        }
    }
    if let Some(p) = &port {
        let valid = !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u16>().is_ok_and(|n| n > 0);
        if !valid {
            return Err(bad("port must be a number from 1 to 65535"));
        }
    }
    let hostname = if hostname == "index.docker.io" || hostname == "registry-1.docker.io" {
        DOCKER_HUB.to_string()
    } else {
        hostname
    };
    Ok(match port {
        Some(p) => format!("{hostname}:{p}"),
        None => hostname,
    })
}

pub(super) fn validate_repository(input: &str, repo: &str) -> Result<(), OciRefError> {
    let bad = |reason: String| OciRefError::InvalidRepository {
        input: input.into(),
        repository: repo.into(),
        reason,
    };
    for comp in repo.split('/') {
        if comp.is_empty() {
            return Err(bad("empty path component".into()));
        }
        if comp.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(bad(format!("{comp:?} must be lowercase")));
        }
        if !component_ok(comp) {
            return Err(bad(format!("{comp:?} is not a valid path component")));
        }
    }
    Ok(())
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` without a regex engine.
fn component_ok(comp: &str) -> bool {
    let b = comp.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        let sep_start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &comp[sep_start..i];
        let sep_ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|c| c == b'-');
        if !sep_ok || i == b.len() {
            return false;
        }
    }
}

pub(super) fn validate_tag(input: &str, tag: &str) -> Result<(), OciRefError> {
    let b = tag.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= MAX_TAG_LEN
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(OciRefError::InvalidTag {
            input: input.into(),
            tag: tag.into(),
        })
    }
}

/// `sha256:<64 hex>` or `sha512:<128 hex>`, lowercase hex only.
pub fn is_valid_digest(d: &str) -> bool {
    let hex_ok = |h: &str, n: usize| {
        h.len() == n
            && h.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    };
    match d.split_once(':') {
        Some(("sha256", h)) => hex_ok(h, 64),
        Some(("sha512", h)) => hex_ok(h, 128),
        _ => false,
    }
}

pub(super) fn validate_digest(input: &str, digest: &str) -> Result<(), OciRefError> {
    if is_valid_digest(digest) {
        Ok(())
    } else {
        Err(OciRefError::InvalidDigest {
            input: input.into(),
            digest: digest.into(),
        })
    }
}
