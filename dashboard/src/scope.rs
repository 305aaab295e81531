//! The k8s source's namespace scope: all namespaces, or a list given as `a,b,c`
//! (`--namespace`, `PACTO_DASHBOARD_NAMESPACE`; the chart passes its scoped namespaces so).

use std::fmt;
use std::str::FromStr;

/// Namespaces the k8s source watches; empty means all namespaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamespaceScope(Vec<String>);

/// A namespace in the list that Kubernetes would never accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid namespace {name:?} at position {position} of the namespace list: \
     use lowercase letters, digits and '-', at most 63 characters, starting and ending \
     with a letter or digit"
)]
pub struct ScopeError {
    pub name: String,
    /// 1-based position in the comma-separated list.
    pub position: usize,
}

impl NamespaceScope {
    /// Every namespace (one cluster-wide watch).
    pub fn all() -> Self {
        NamespaceScope(Vec::new())
    }

    /// Watched namespaces in the order given, without duplicates; empty = all.
    pub fn names(&self) -> &[String] {
        &self.0
    }

    pub fn is_all(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses `a,b,c`; blanks around names and empty items are ignored, so `""` is all.
    pub fn parse(list: &str) -> Result<Self, ScopeError> {
        let mut names: Vec<String> = Vec::new();
        for (i, raw) in list.split(',').enumerate() {
            let name = raw.trim();
            if name.is_empty() {
                continue;
            }
            if !is_dns_label(name) {
                return Err(ScopeError {
                    name: name.chars().take(80).collect(),
                    position: i + 1,
                });
            }
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        Ok(NamespaceScope(names))
    }
}

impl FromStr for NamespaceScope {
    type Err = ScopeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NamespaceScope::parse(s)
    }
}

impl fmt::Display for NamespaceScope {
    /// `all namespaces`, `namespace a` or `namespaces a, b`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("all namespaces"),
            [one] => write!(f, "namespace {one}"),
            many => write!(f, "namespaces {}", many.join(", ")),
        }
    }
}

/// RFC 1123 label, as Kubernetes requires of namespace names.
fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(|c| edge(*c))
        && b.last().is_some_and(|c| edge(*c))
        && b.iter().all(|c| edge(*c) || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_list_trimmed_and_deduplicated() {
        let s = NamespaceScope::parse(" team-a, team-b,,team-a ,").unwrap();
        assert_eq!(s.names(), ["team-a", "team-b"]);
        assert!(!s.is_all());
        assert_eq!(s.to_string(), "namespaces team-a, team-b");
    }

    #[test]
    fn empty_or_blank_means_all() {
        for input in ["", " ", ",", " , "] {
            let s = NamespaceScope::parse(input).unwrap();
            assert!(s.is_all(), "{input:?}");
            assert_eq!(s, NamespaceScope::all());
        }
        assert_eq!(NamespaceScope::all().to_string(), "all namespaces");
    }

    #[test]
    fn single_namespace() {
        let s: NamespaceScope = "prod".parse().unwrap();
        assert_eq!(s.names(), ["prod"]);
        assert_eq!(s.to_string(), "namespace prod");
    }

    #[test]
    fn invalid_names_are_errors_with_position() {
        for (input, bad, pos) in [
            ("ok,Bad", "Bad", 2),
            ("-lead", "-lead", 1),
            ("a,b,trail-", "trail-", 3),
            ("a/b", "a/b", 1),
            ("<script>", "<script>", 1),
            ("ns\u{e9}", "ns\u{e9}", 1),
        ] {
            let e = NamespaceScope::parse(input).unwrap_err();
            assert_eq!((e.name.as_str(), e.position), (bad, pos), "{input:?}");
            assert!(e.to_string().contains("namespace list"), "{e}");
        }
        let long = "a".repeat(64);
        assert!(NamespaceScope::parse(&long).is_err());
        assert!(NamespaceScope::parse(&"a".repeat(63)).is_ok());
    }
}
