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

mod syntax;

pub use syntax::is_valid_digest;
use syntax::{split_registry, validate_digest, validate_repository, validate_tag};

pub const SCHEME: &str = "oci://";
pub const DOCKER_HUB: &str = "docker.io";
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
