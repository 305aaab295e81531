//! The path prefix the dashboard is served under (`--base-path`,
//! `PACTO_DASHBOARD_BASE_PATH`), e.g. an Ingress sub-path or
//! `/api/v1/namespaces/pacto/services/pacto-dashboard:3000/proxy` behind `kubectl proxy`.
//!
//! Every URL the pages and `app.js` produce starts with it. Requests are answered both with
//! the prefix (an Ingress that keeps the path; the server strips it before routing) and
//! without it (a proxy that strips it, as `kubectl proxy` does), so probes and scrapes of
//! `/healthz`, `/readyz` and `/metrics` need no prefix either.

use axum::http::Uri;
use std::fmt;
use std::str::FromStr;

/// A validated prefix: empty (served at `/`) or `/seg[/seg…]` without a trailing slash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasePath(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BasePathError {
    #[error("the base path {0:?} must start with '/' (e.g. /pacto)")]
    NotAbsolute(String),
    #[error("the base path {0:?} has an empty segment ('//')")]
    EmptySegment(String),
    #[error("the base path {0:?} has a '.' or '..' segment")]
    DotSegment(String),
    #[error(
        "the base path {0:?} has a character other than letters, digits and - . _ ~ : @ + , ; = ! $ \
         (no query '?', fragment '#', '%' escapes, quotes or spaces)"
    )]
    BadCharacter(String),
    #[error("the base path {0:?} is longer than 512 bytes")]
    TooLong(String),
    #[error(
        "the base path {0:?} would hide the dashboard's own route of that name; choose another"
    )]
    Collides(String),
}

/// First segments of the dashboard's own unprefixed routes; a prefix made of one of them
/// would make those routes ambiguous.
const OWN_ROOTS: &[&str] = &[
    "services",
    "graph",
    "diff",
    "assets",
    "favicon.ico",
    "healthz",
    "readyz",
    "metrics",
];
/// Second segments under `/api` that are the dashboard's own (`/api/v1/…` of `kubectl proxy`
/// stays allowed).
const OWN_API: &[&str] = &[
    "services",
    "graph",
    "diff",
    "sources",
    "events",
    "refresh",
    "openapi.json",
    "debug",
];

impl BasePath {
    /// Served at the root.
    pub fn root() -> Self {
        BasePath(String::new())
    }

    /// The prefix as URLs use it: `""` or `/seg[/seg…]`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// `path` (an absolute in-app path such as `/graph`) under the prefix.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The in-app path of a request path under the prefix (`/prefix` → `/`,
    /// `/prefix/x` → `/x`); `None` when the request path is not under it.
    pub fn strip<'a>(&self, path: &'a str) -> Option<&'a str> {
        if self.is_root() {
            return Some(path);
        }
        let rest = path.strip_prefix(self.0.as_str())?;
        if rest.is_empty() {
            Some("/")
        } else if rest.starts_with('/') {
            Some(rest)
        } else {
            None
        }
    }

    /// The in-app URI of a request URI under the prefix (path stripped, query kept); `None`
    /// when there is no prefix or the path is not under it (the request is routed as is).
    pub fn strip_uri(&self, uri: &Uri) -> Option<Uri> {
        if self.is_root() {
            return None;
        }
        let path = self.strip(uri.path())?;
        let path_and_query = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        let mut parts = uri.clone().into_parts();
        parts.path_and_query = Some(path_and_query.parse().ok()?);
        Uri::from_parts(parts).ok()
    }

    /// Validates `s`; `""` and `"/"` mean the root, trailing slashes are dropped.
    pub fn parse(s: &str) -> Result<Self, BasePathError> {
        let shown = || s.chars().take(80).collect::<String>();
        if s.is_empty() {
            return Ok(Self::root());
        }
        if s.len() > 512 {
            return Err(BasePathError::TooLong(shown()));
        }
        if !s.starts_with('/') {
            return Err(BasePathError::NotAbsolute(shown()));
        }
        if !s.chars().all(allowed) {
            return Err(BasePathError::BadCharacter(shown()));
        }
        let trimmed = s.trim_end_matches('/');
        if trimmed.is_empty() {
            return if s == "/" {
                Ok(Self::root())
            } else {
                Err(BasePathError::EmptySegment(shown()))
            };
        }
        let segments: Vec<&str> = trimmed[1..].split('/').collect();
        if segments.iter().any(|x| x.is_empty()) || s.contains("//") {
            return Err(BasePathError::EmptySegment(shown()));
        }
        if segments.iter().any(|x| *x == "." || *x == "..") {
            return Err(BasePathError::DotSegment(shown()));
        }
        let collides = match segments.as_slice() {
            [first, ..] if OWN_ROOTS.contains(first) => true,
            ["api"] => true,
            ["api", second, ..] => OWN_API.contains(second),
            _ => false,
        };
        if collides {
            return Err(BasePathError::Collides(shown()));
        }
        Ok(BasePath(trimmed.to_string()))
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-._~:@+,;=!$".contains(c)
}

impl FromStr for BasePath {
    type Err = BasePathError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for BasePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_root() { "/" } else { &self.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_prefixes_are_normalised() {
        for (input, want) in [
            ("", ""),
            ("/", ""),
            ("/pacto", "/pacto"),
            ("/pacto/", "/pacto"),
            ("/team-a/pacto_dash.v1/", "/team-a/pacto_dash.v1"),
            (
                "/api/v1/namespaces/pacto/services/pacto-dashboard:3000/proxy/",
                "/api/v1/namespaces/pacto/services/pacto-dashboard:3000/proxy",
            ),
        ] {
            assert_eq!(BasePath::parse(input).map(|b| b.0), Ok(want.to_string()));
        }
    }

    #[test]
    fn invalid_prefixes_say_why() {
        use BasePathError as E;
        for (input, want) in [
            ("pacto", E::NotAbsolute("pacto".into())),
            ("//pacto", E::EmptySegment("//pacto".into())),
            ("/a//b", E::EmptySegment("/a//b".into())),
            ("//", E::EmptySegment("//".into())),
            ("/a/../b", E::DotSegment("/a/../b".into())),
            ("/..", E::DotSegment("/..".into())),
            ("/a/.", E::DotSegment("/a/.".into())),
            ("/a?x=1", E::BadCharacter("/a?x=1".into())),
            ("/a#top", E::BadCharacter("/a#top".into())),
            ("/a%2Fb", E::BadCharacter("/a%2Fb".into())),
            ("/a b", E::BadCharacter("/a b".into())),
            ("/a\"><script>", E::BadCharacter("/a\"><script>".into())),
            ("/über", E::BadCharacter("/über".into())),
            ("/services", E::Collides("/services".into())),
            ("/graph/", E::Collides("/graph/".into())),
            ("/api", E::Collides("/api".into())),
            ("/api/services/x", E::Collides("/api/services/x".into())),
        ] {
            assert_eq!(BasePath::parse(input), Err(want), "{input}");
        }
        assert!(matches!(
            BasePath::parse(&format!("/{}", "a".repeat(600))),
            Err(E::TooLong(_))
        ));
        let msg = BasePath::parse("x").unwrap_err().to_string();
        assert!(msg.contains("must start with '/'"), "{msg}");
    }

    #[test]
    fn strip_keeps_only_paths_under_the_prefix() {
        let b = BasePath::parse("/p/q").unwrap();
        assert_eq!(b.strip("/p/q"), Some("/"));
        assert_eq!(b.strip("/p/q/"), Some("/"));
        assert_eq!(b.strip("/p/q/services/x"), Some("/services/x"));
        assert_eq!(b.strip("/p/qr"), None);
        assert_eq!(b.strip("/healthz"), None);
        assert_eq!(BasePath::root().strip("/x"), Some("/x"));
        assert_eq!(b.join("/graph"), "/p/q/graph");
        assert_eq!(BasePath::root().join("/graph"), "/graph");
    }

    #[test]
    fn request_uris_under_the_prefix_are_rewritten_and_others_left_alone() {
        let b = BasePath::parse("/pacto").unwrap();
        let strip = |u: &str| b.strip_uri(&u.parse().unwrap()).map(|u| u.to_string());
        assert_eq!(strip("/pacto"), Some("/".into()));
        assert_eq!(strip("/pacto/"), Some("/".into()));
        assert_eq!(strip("/pacto/api/services"), Some("/api/services".into()));
        assert_eq!(
            strip("/pacto/graph?focus=a&depth=2"),
            Some("/graph?focus=a&depth=2".into())
        );
        assert_eq!(
            strip("http://dash.local:3000/pacto/diff?from=x"),
            Some("http://dash.local:3000/diff?from=x".into())
        );
        // Unprefixed requests (a proxy that strips it) and look-alike prefixes are not touched.
        assert_eq!(strip("/api/services"), None);
        assert_eq!(strip("/pactox/api/services"), None);
        assert_eq!(strip("/pacto-x"), None);
        assert_eq!(BasePath::root().strip_uri(&"/api".parse().unwrap()), None);
    }
}
