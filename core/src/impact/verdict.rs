//! The compatibility verdict of a direct consumer: its `compatibility` range checked
//! against the new version, weighed with the diff's classification.
//!
//! | range | new version in range | classification | verdict |
//! |---|---|---|---|
//! | none | — | NON_BREAKING | compatible |
//! | none | — | POTENTIAL_BREAKING, BREAKING | unknown |
//! | unparsable, or a version is not semver | — | — | unknown |
//! | set | no | any | incompatible |
//! | set | yes | NON_BREAKING, POTENTIAL_BREAKING | compatible |
//! | set | yes | BREAKING, the new version in another semver line (`1.4.0` → `2.0.0`) | compatible: the range reaches into that line on purpose |
//! | set | yes | BREAKING, same line, the range also admits the next line (`>=1.0.0`, `*`) | compatible: it accepts breaking releases |
//! | set | yes | BREAKING, same line, otherwise (`^1.4.0`, `1.4.0` → `1.5.0`) | incompatible: broken inside a range that trusted semver |
//!
//! A semver line is what a caret range keeps together: the major version, or for `0.y.z`
//! the minor, or for `0.0.z` the patch.

use super::report::Verdict;
use crate::diff::Classification;
use crate::semver_range::{Constraint, parse_version_lenient};
use semver::Version;

/// The verdict and a sentence saying why.
pub fn direct(
    compatibility: Option<&str>,
    old_version: &str,
    new_version: &str,
    classification: Classification,
) -> (Verdict, String) {
    let Some(range) = compatibility.map(str::trim).filter(|r| !r.is_empty()) else {
        return match classification {
            Classification::NonBreaking => (
                Verdict::Compatible,
                "no compatibility range, and the change is not breaking".into(),
            ),
            c => (
                Verdict::Unknown,
                format!("no compatibility range to check a {c} change against"),
            ),
        };
    };
    let constraint = match Constraint::parse(range) {
        Ok(c) => c,
        Err(e) => {
            return (
                Verdict::Unknown,
                format!("compatibility cannot be read: {e}"),
            );
        }
    };
    let Some(new) = parse_version_lenient(new_version) else {
        return (
            Verdict::Unknown,
            format!("version {new_version:?} is not semver, so {range:?} cannot be checked"),
        );
    };
    if !constraint.matches(&new) {
        return (
            Verdict::Incompatible,
            format!("{range:?} does not admit {new_version}"),
        );
    }
    if classification != Classification::Breaking {
        return (
            Verdict::Compatible,
            format!("{range:?} admits {new_version}"),
        );
    }
    let Some(old) = parse_version_lenient(old_version) else {
        return (
            Verdict::Unknown,
            format!(
                "{range:?} admits {new_version}, but {old_version:?} is not semver, so whether the breaking change was announced cannot be told"
            ),
        );
    };
    if line(&old) != line(&new) {
        return (
            Verdict::Compatible,
            format!("{range:?} admits {new_version}, a new semver line, on purpose"),
        );
    }
    if constraint.matches(&next_line(&old)) {
        return (
            Verdict::Compatible,
            format!(
                "{range:?} admits breaking releases (it admits {})",
                next_line(&old)
            ),
        );
    }
    (
        Verdict::Incompatible,
        format!(
            "{range:?} admits {new_version} only because semver promised it compatible with {old_version}, and the change is BREAKING"
        ),
    )
}

/// The part of a version a caret range keeps fixed.
fn line(v: &Version) -> (u64, u64, u64) {
    match (v.major, v.minor) {
        (0, 0) => (0, 0, v.patch),
        (0, m) => (0, m, 0),
        (m, _) => (m, 0, 0),
    }
}

/// The first release of the semver line after `v`'s.
fn next_line(v: &Version) -> Version {
    match (v.major, v.minor) {
        (0, 0) => Version::new(0, 0, v.patch + 1),
        (0, m) => Version::new(0, m + 1, 0),
        (m, _) => Version::new(m + 1, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Classification::*;
    use Verdict::*;

    fn v(range: Option<&str>, old: &str, new: &str, c: Classification) -> Verdict {
        direct(range, old, new, c).0
    }

    #[test]
    fn no_range() {
        assert_eq!(v(None, "1.0.0", "1.1.0", NonBreaking), Compatible);
        assert_eq!(v(Some(" "), "1.0.0", "2.0.0", Breaking), Unknown);
        assert_eq!(v(None, "1.0.0", "1.1.0", PotentialBreaking), Unknown);
    }

    #[test]
    fn a_range_that_excludes_the_new_version_is_incompatible_whatever_the_change() {
        for c in [NonBreaking, PotentialBreaking, Breaking] {
            assert_eq!(v(Some("^1.4.0"), "1.4.0", "2.0.0", c), Incompatible);
        }
        let (_, why) = direct(Some("^1.4.0"), "1.4.0", "2.0.0", Breaking);
        assert_eq!(why, "\"^1.4.0\" does not admit 2.0.0");
    }

    #[test]
    fn a_range_that_admits_it() {
        assert_eq!(v(Some("^1.0"), "1.0.0", "1.2.0", NonBreaking), Compatible);
        assert_eq!(
            v(Some("^1.0"), "1.0.0", "1.2.0", PotentialBreaking),
            Compatible
        );
        // A major bump the range reaches into on purpose.
        assert_eq!(v(Some(">=1.0.0"), "1.4.0", "2.0.0", Breaking), Compatible);
        assert_eq!(v(Some("^2.0.0"), "1.4.0", "2.0.0", Breaking), Compatible);
        // Broken inside the line: semver's promise was broken.
        assert_eq!(v(Some("^1.4.0"), "1.4.0", "1.5.0", Breaking), Incompatible);
        assert_eq!(v(Some("~0.3.0"), "0.3.1", "0.3.2", Breaking), Incompatible);
        // Unless the range accepts breaking releases anyway.
        assert_eq!(v(Some(">=1.0.0"), "1.4.0", "1.5.0", Breaking), Compatible);
        assert_eq!(v(Some("*"), "1.4.0", "1.5.0", Breaking), Compatible);
        // 0.x: the minor is the line.
        assert_eq!(v(Some(">=0.3.0"), "0.3.0", "0.4.0", Breaking), Compatible);
        assert_eq!(v(Some("^0.3.0"), "0.3.0", "0.3.5", Breaking), Incompatible);
        assert_eq!(v(Some(">=0.0.1"), "0.0.1", "0.0.1", Breaking), Compatible);
    }

    #[test]
    fn what_cannot_be_checked_is_unknown() {
        assert_eq!(v(Some("^^1"), "1.0.0", "1.1.0", Breaking), Unknown);
        assert_eq!(v(Some("^1"), "1.0.0", "latest", NonBreaking), Unknown);
        assert_eq!(v(Some("^1"), "unversioned", "1.1.0", Breaking), Unknown);
        assert_eq!(
            v(Some("^1"), "unversioned", "1.1.0", NonBreaking),
            Compatible
        );
    }
}
