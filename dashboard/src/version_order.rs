//! Ordering of version strings: semver descending, then anything else by text.

use std::cmp::Ordering;

/// Newest first: valid semver above non-semver, semver by precedence, others by text.
pub fn newest_first(a: &str, b: &str) -> Ordering {
    match (semver::Version::parse(a), semver::Version::parse(b)) {
        (Ok(x), Ok(y)) => y.cmp(&x),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => b.cmp(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_newest_first_then_text() {
        let mut v = vec!["1.2.0", "latest", "1.10.0", "1.10.0-rc.1", "abc"];
        v.sort_by(|a, b| newest_first(a, b));
        assert_eq!(v, vec!["1.10.0", "1.10.0-rc.1", "1.2.0", "latest", "abc"]);
    }
}
