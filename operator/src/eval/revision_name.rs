//! DNS-safe, stable names for PactoRevisions and label-safe version values, whatever the
//! version string (`+build`, uppercase, 200 characters...).

use sha2::{Digest, Sha256};

/// Longest revision name produced: a DNS label (63), so the name is also a valid label value.
pub const MAX_REVISION_NAME: usize = 63;
/// Longest Kubernetes label value.
pub const MAX_LABEL_VALUE: usize = 63;
/// Hex characters of the content digest kept in a revision name.
const DIGEST_CHARS: usize = 10;
/// Most characters the owner part may take, so the version stays readable.
const MAX_OWNER_CHARS: usize = 30;

/// Name of the PactoRevision for `owner` (pass the Pacto's name: unique in its namespace),
/// contract `version` and content `digest` (`sha256:<hex>` or any text).
///
/// Shape: `<owner>-<version>-<10 hex of digest>`, lowercase `[a-z0-9-]`, at most 63 characters,
/// starting and ending alphanumeric. Every other character of owner and version becomes `-`
/// (runs collapsed); the digest part keeps names distinct when sanitising makes two versions
/// look alike. A digest that is not hex is hashed first, so the suffix is always hex.
pub fn revision_name(owner: &str, version: &str, digest: &str) -> String {
    let suffix = digest_suffix(digest);
    let mut owner = sanitize(owner);
    if owner.is_empty() {
        owner = "pacto".to_string();
    }
    let mut version = sanitize(version);
    if version.is_empty() {
        version = "unknown".to_string();
    }
    // Two separators plus the suffix are fixed; owner and version share the rest, the owner
    // giving way first (to at most 30 characters) so the version stays readable.
    let budget = MAX_REVISION_NAME - DIGEST_CHARS - 2;
    let owner = if owner.len() + version.len() > budget {
        truncate(&owner, MAX_OWNER_CHARS)
    } else {
        owner.as_str()
    };
    let version = truncate(&version, budget - owner.len());
    format!("{owner}-{version}-{suffix}")
}

/// A label value for `version`: `[A-Za-z0-9._-]`, alphanumeric at both ends, at most 63
/// characters (long values keep a hash of the full text so they stay distinct).
pub fn version_label_value(version: &str) -> String {
    let mapped: String = version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if trimmed.is_empty() {
        return "unknown".to_string();
    }
    if trimmed.len() <= MAX_LABEL_VALUE {
        return trimmed.to_string();
    }
    let hash = short_hash(version, 8);
    let head =
        trimmed[..MAX_LABEL_VALUE - 9].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    format!("{head}-{hash}")
}

/// Lowercase, `[a-z0-9-]` only, no leading/trailing/double `-`.
fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// At most `max` bytes of an ASCII `[a-z0-9-]` string, without a trailing `-`.
fn truncate(s: &str, max: usize) -> &str {
    let cut = &s[..s.len().min(max)];
    cut.trim_end_matches('-')
}

fn digest_suffix(digest: &str) -> String {
    let hex = digest.rsplit(':').next().unwrap_or(digest);
    let is_hex = hex.len() >= DIGEST_CHARS && hex.chars().all(|c| c.is_ascii_hexdigit());
    if is_hex {
        hex[..DIGEST_CHARS].to_ascii_lowercase()
    } else {
        short_hash(digest, DIGEST_CHARS)
    }
}

fn short_hash(s: &str, n: usize) -> String {
    let h = hex::encode(Sha256::digest(s.as_bytes()));
    h[..n].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn is_dns_label(s: &str) -> bool {
        !s.is_empty()
            && s.len() <= 63
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric())
    }

    #[test]
    fn plain_version() {
        assert_eq!(
            revision_name("orders", "1.2.3", D),
            "orders-1-2-3-0123456789"
        );
    }

    #[test]
    fn hostile_versions_stay_dns_safe_and_distinct() {
        let long = "9".repeat(300);
        let cases = [
            "1.0.0+build.7",
            "1.0.0-RC.1+Meta",
            "V2",
            "",
            "++",
            long.as_str(),
            "ü-ñ",
        ];
        for v in cases {
            let n = revision_name("My_Service.Name", v, D);
            assert!(is_dns_label(&n), "{v:?} -> {n:?}");
            assert!(n.ends_with("-0123456789"), "{n}");
        }
        assert_ne!(
            revision_name("a", "1.0.0+x", D),
            revision_name("a", "1.0.0+x", "sha256:ffffffffffffffff")
        );
    }

    #[test]
    fn long_owner_is_truncated_but_version_kept() {
        let n = revision_name(&"o".repeat(250), "1.2.3", D);
        assert!(is_dns_label(&n), "{n}");
        assert!(n.contains("-1-2-3-"), "{n}");
    }

    #[test]
    fn stable_and_non_hex_digest_hashed() {
        assert_eq!(
            revision_name("a", "1", "inline"),
            revision_name("a", "1", "inline")
        );
        let n = revision_name("a", "1", "inline");
        assert!(is_dns_label(&n));
        assert_eq!(n.len(), "a-1-".len() + 10);
    }

    #[test]
    fn label_values() {
        assert_eq!(version_label_value("1.2.3"), "1.2.3");
        assert_eq!(version_label_value("1.0.0+build"), "1.0.0_build");
        assert_eq!(version_label_value("+"), "unknown");
        let long = version_label_value(&"1".repeat(100));
        assert_eq!(long.len(), 63);
        assert_ne!(long, version_label_value(&"1".repeat(101)));
    }
}
