//! OCI references: `oci://host[:port]/repo[:tag][@digest]` for contracts and the same grammar
//! without scheme for container images.
//!
//! Registry detection follows Docker: the first path component is a registry host when it
//! contains `.` or `:`, is `localhost`, or is a bracketed IPv6 address. Otherwise the name is
//! a Docker Hub short name (`nginx` → `docker.io/library/nginx`). For contract refs without
//! `oci://` a short name would be indistinguishable from a local directory, so [`parse`]
//! demands an explicit registry there.

use std::fmt;
use std::net::Ipv4Addr;

pub const SCHEME: &str = "oci://";
pub const DOCKER_HUB: &str = "docker.io";
const MAX_TAG_LEN: usize = 128;
/// Distribution spec limit on `<registry>/<repository>`.
const MAX_NAME_LEN: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OciRefError {
    #[error("empty OCI reference")]
    Empty,
    #[error(
        "{input:?} is not an OCI reference: write oci://<registry>/<repository>[:tag] \
         (a bare name would be read as a local directory)"
    )]
    Ambiguous { input: String },
    #[error("container image reference {input:?} must not have a scheme; drop {scheme:?}")]
    UnexpectedScheme { input: String, scheme: String },
    #[error("invalid registry host {host:?} in {input:?}: {reason}")]
    InvalidRegistry {
        input: String,
        host: String,
        reason: String,
    },
    #[error("missing repository in {input:?}: expected <registry>/<repository>")]
    MissingRepository { input: String },
    #[error(
        "invalid repository {repository:?} in {input:?}: {reason} (components are lowercase \
         letters and digits separated by '.', '_', '__' or '-', joined by '/')"
    )]
    InvalidRepository {
        input: String,
        repository: String,
        reason: String,
    },
    #[error(
        "invalid tag {tag:?} in {input:?}: tags are 1-128 characters of letters, digits, \
         '_', '.', '-', not starting with '.' or '-'"
    )]
    InvalidTag { input: String, tag: String },
    #[error(
        "invalid digest {digest:?} in {input:?}: expected sha256:<64 lowercase hex> or \
         sha512:<128 lowercase hex>"
    )]
    InvalidDigest { input: String, digest: String },
    #[error("{input:?} is too long: registry and repository exceed {MAX_NAME_LEN} characters")]
    TooLong { input: String },
}

/// A parsed, normalised OCI reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OciRef {
    /// Host with optional `:port`, lowercase (`docker.io`, `127.0.0.1:5000`, `[::1]:5000`).
    pub registry: String,
    /// Slash-separated path, lowercase (`library/nginx`).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<hex>` or `sha512:<hex>`; wins over the tag for identity.
    pub digest: Option<String>,
}

/// Parses a contract reference. `oci://` may be omitted only when the first component is
/// recognisably a registry host (e.g. `ghcr.io/acme/svc:1.0.0`).
pub fn parse(s: &str) -> Result<OciRef, OciRefError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(OciRefError::Empty);
    }
    match strip_scheme(input) {
        Some(rest) => {
            // `oci://ghcr.io` or `oci://localhost:5000` names a registry but no repository;
            // Docker would read it as a Hub image called `ghcr.io`, which is never meant here.
            let name = rest.split('@').next().unwrap_or_default();
            let host = name.split(':').next().unwrap_or_default();
            if !name.contains('/') && (host.contains('.') || host == "localhost") {
                return Err(OciRefError::MissingRepository {
                    input: input.into(),
                });
            }
            parse_body(input, rest)
        }
        None => {
            let first = input.split('/').next().unwrap_or_default();
            // `./x`, `../x` are local directories, never registries.
            if !input.contains('/') || first.starts_with('.') || !looks_like_registry(first) {
                return Err(OciRefError::Ambiguous {
                    input: input.into(),
                });
            }
            parse_body(input, input)
        }
    }
}

/// Parses a container image reference (`nginx`, `acme/api:1.2`, `ghcr.io/x/y@sha256:…`).
pub fn parse_image_ref(s: &str) -> Result<OciRef, OciRefError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(OciRefError::Empty);
    }
    if let Some((scheme, _)) = input.split_once("://") {
        return Err(OciRefError::UnexpectedScheme {
            input: input.into(),
            scheme: format!("{scheme}://"),
        });
    }
    parse_body(input, input)
}

fn strip_scheme(s: &str) -> Option<&str> {
    let head = s.get(..SCHEME.len())?;
    head.eq_ignore_ascii_case(SCHEME)
        .then(|| s.get(SCHEME.len()..))
        .flatten()
}

/// Docker's rule for "is the first component a registry host".
fn looks_like_registry(first: &str) -> bool {
    first.contains('.')
        || first.contains(':')
        || first.eq_ignore_ascii_case("localhost")
        || first.starts_with('[')
}

fn parse_body(input: &str, body: &str) -> Result<OciRef, OciRefError> {
    if body.is_empty() {
        return Err(OciRefError::Empty);
    }
    // Digest first: everything after the first `@`.
    let (name_tag, digest) = match body.split_once('@') {
        Some((n, d)) => {
            validate_digest(input, d)?;
            (n, Some(d.to_string()))
        }
        None => (body, None),
    };
    // A tag is the text after the last `:` only if that `:` follows the last `/`
    // (otherwise it is a registry port).
    let last_slash = name_tag.rfind('/');
    let (name, tag) = match name_tag.rfind(':') {
        Some(c) if last_slash.is_none_or(|s| c > s) => {
            let t = &name_tag[c + 1..];
            validate_tag(input, t)?;
            (&name_tag[..c], Some(t.to_string()))
        }
        _ => (name_tag, None),
    };
    let (registry, repository) = split_registry(input, name)?;
    validate_repository(input, &repository)?;
    if registry.len() + 1 + repository.len() > MAX_NAME_LEN {
        return Err(OciRefError::TooLong {
            input: input.into(),
        });
    }
    Ok(OciRef {
        registry,
        repository,
        tag,
        digest,
    })
}

fn split_registry(input: &str, name: &str) -> Result<(String, String), OciRefError> {
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

fn validate_repository(input: &str, repo: &str) -> Result<(), OciRefError> {
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

fn validate_tag(input: &str, tag: &str) -> Result<(), OciRefError> {
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

fn validate_digest(input: &str, digest: &str) -> Result<(), OciRefError> {
    if is_valid_digest(digest) {
        Ok(())
    } else {
        Err(OciRefError::InvalidDigest {
            input: input.into(),
            digest: digest.into(),
        })
    }
}

impl OciRef {
    /// True when the ref names a tag or a digest (so no semver resolution happens).
    pub fn has_explicit_tag(&self) -> bool {
        self.tag.is_some() || self.digest.is_some()
    }

    /// The same repository with `tag` (validated); any digest is dropped since it
    /// described the old tag.
    pub fn with_tag(&self, tag: &str) -> Result<OciRef, OciRefError> {
        validate_tag(&self.to_string(), tag)?;
        Ok(OciRef {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: Some(tag.to_string()),
            digest: None,
        })
    }

    /// `registry/repository@digest`: the immutable identity of what a tag resolved to.
    pub fn pinned(&self, digest: &str) -> Result<OciRef, OciRefError> {
        validate_digest(&self.to_string(), digest)?;
        Ok(OciRef {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: None,
            digest: Some(digest.to_string()),
        })
    }

    /// Host without port (`[::1]` keeps its brackets).
    pub fn host(&self) -> &str {
        if self.registry.starts_with('[') {
            return match self.registry.find(']') {
                Some(end) => &self.registry[..=end],
                None => &self.registry,
            };
        }
        self.registry
            .split_once(':')
            .map_or(self.registry.as_str(), |(h, _)| h)
    }

    /// Loopback registries (127.0.0.0/8, `localhost`, `[::1]`) may be spoken to over plain
    /// HTTP.
    pub fn is_loopback(&self) -> bool {
        let host = self.host();
        host == "localhost"
            || host == "[::1]"
            || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// `registry/repository` without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The canonical form with the `oci://` scheme, as written in contracts.
    pub fn to_oci_string(&self) -> String {
        format!("{SCHEME}{self}")
    }
}

impl fmt::Display for OciRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for OciRef {
    type Err = OciRefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

#[cfg(test)]
mod tests;
