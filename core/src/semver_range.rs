//! Semver ranges with the reference implementation's (Masterminds semver v3) syntax and
//! semantics, on top of the `semver` crate, so `compatibility` ranges written for the Go CLI
//! resolve to the same tags here.
//!
//! Syntax: `^1.2`, `~1.2.3`, `1.x`, `1.2.*`, `*`, `=`, `!=`, `>`, `<`, `>=`, `<=` (also `=>`,
//! `=<`, `~>`), comma or whitespace = AND, `||` = OR, hyphen ranges `1.2 - 2.3.4`, an optional
//! `v` prefix. A constraint term without a prerelease never matches a prerelease version.

use std::cmp::Ordering;
use std::fmt;

use semver::Version;

mod parse;

use parse::{parse_and_group, parse_partial};

/// Why a range string could not be parsed. Each variant names the offending part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("empty alternative in range {range:?}: `||` must have a constraint on both sides")]
    EmptyAlternative { range: String },
    #[error("operator {op:?} in range {range:?} is not followed by a version")]
    DanglingOperator { range: String, op: String },
    #[error("hyphen range in {range:?} needs a version on both sides of ` - `")]
    IncompleteHyphen { range: String },
    #[error("hyphen range bounds in {range:?} must be plain versions, found {term:?}")]
    OperatorInHyphen { range: String, term: String },
    #[error("invalid version {term:?} in range {range:?}: {reason}")]
    InvalidVersion {
        range: String,
        term: String,
        reason: String,
    },
}

/// Comparison applied by one constraint term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// No operator or `=`: equality, or a wildcard range when the version has `x`/`*`.
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

/// One term such as `>=1.2` or `~1.x`: the version with wildcards replaced by 0, plus which
/// parts were wildcards (Masterminds calls them "dirty").
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    op: Op,
    ver: Version,
    /// Major (and so everything) was a wildcard or missing: `*`, `x`.
    any: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// A parsed range: OR of AND-groups of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    source: String,
    alternatives: Vec<Vec<Term>>,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Parses a version the way the reference does: optional `v`, one to three numeric parts
/// (missing ones are 0), optional `-prerelease` and `+build`.
pub fn parse_version_lenient(s: &str) -> Option<Version> {
    parse_partial(s.trim()).ok().and_then(|p| p.into_version())
}

/// Highest tag (original text) that is a semver version satisfying `c`; non-semver tags are
/// ignored. With no constraint every semver tag qualifies, prereleases included.
pub fn highest_matching<'a>(
    tags: impl IntoIterator<Item = &'a str>,
    c: Option<&Constraint>,
) -> Option<&'a str> {
    let mut best: Option<(Version, &'a str)> = None;
    for tag in tags {
        let Some(v) = parse_version_lenient(tag) else {
            continue;
        };
        if c.is_some_and(|c| !c.matches(&v)) {
            continue;
        }
        let better = match &best {
            None => true,
            // Ties in precedence (`v1.0.0` vs `1.0.0`) break on build metadata and then text,
            // so the answer never depends on the registry's tag order.
            Some((bv, bt)) => precedence(&v, bv)
                .then_with(|| v.build.cmp(&bv.build))
                .then_with(|| tag.cmp(bt))
                .is_gt(),
        };
        if better {
            best = Some((v, tag));
        }
    }
    best.map(|(_, t)| t)
}

/// Semver precedence: build metadata is ignored, as in Masterminds' `Compare`.
fn precedence(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| a.pre.cmp(&b.pre))
}

impl Constraint {
    /// Parses a range. An empty string means `*` (any release version).
    pub fn parse(s: &str) -> Result<Constraint, RangeError> {
        let mut alternatives = Vec::new();
        let alts: Vec<&str> = s.split("||").collect();
        for alt in &alts {
            if alt.trim().is_empty() {
                if alts.len() > 1 {
                    return Err(RangeError::EmptyAlternative { range: s.into() });
                }
                alternatives.push(vec![wildcard_any()]);
                continue;
            }
            alternatives.push(parse_and_group(s, alt)?);
        }
        Ok(Constraint {
            source: s.trim().to_string(),
            alternatives,
        })
    }

    /// Whether `v` satisfies any alternative (all terms of that alternative).
    pub fn matches(&self, v: &Version) -> bool {
        self.alternatives
            .iter()
            .any(|group| group.iter().all(|t| t.matches(v)))
    }

    /// The range text as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

fn wildcard_any() -> Term {
    Term {
        op: Op::Eq,
        ver: Version::new(0, 0, 0),
        any: true,
        minor_dirty: false,
        patch_dirty: false,
    }
}

impl Term {
    fn matches(&self, v: &Version) -> bool {
        // Masterminds: a prerelease only satisfies terms that themselves name a prerelease.
        if !v.pre.is_empty() && self.ver.pre.is_empty() {
            return false;
        }
        let c = &self.ver;
        let dirty = self.any || self.minor_dirty || self.patch_dirty;
        match self.op {
            Op::Eq if dirty => self.tilde(v),
            Op::Eq => precedence(v, c).is_eq(),
            Op::Ne => !self.wildcard_equal(v),
            Op::Gt => {
                if !dirty || self.any {
                    return precedence(v, c).is_gt();
                }
                match v.major.cmp(&c.major) {
                    Ordering::Greater => true,
                    Ordering::Less => false,
                    // `>1` needs 2.0.0 or later; `>1.2` needs 1.3.0 or later.
                    Ordering::Equal if self.minor_dirty => false,
                    Ordering::Equal => v.minor > c.minor,
                }
            }
            Op::Lt => precedence(v, c).is_lt(),
            Op::Ge => precedence(v, c).is_ge(),
            Op::Le => {
                if !dirty {
                    return precedence(v, c).is_le();
                }
                if self.any {
                    return true;
                }
                // `<=1.2` admits every 1.2.x; `<=1` every 1.x.
                v.major < c.major
                    || (v.major == c.major && (self.minor_dirty || v.minor <= c.minor))
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    /// `~1.2.3` = >=1.2.3 <1.3.0; `~1` = 1.x; `~*`/`1.x` style wildcards through `=`.
    fn tilde(&self, v: &Version) -> bool {
        let c = &self.ver;
        if precedence(v, c).is_lt() {
            return false;
        }
        if self.any {
            return true;
        }
        v.major == c.major && (self.minor_dirty || v.minor == c.minor)
    }

    /// `^1.2.3` = >=1.2.3 <2; `^0.2.3` = >=0.2.3 <0.3; `^0.0.3` = 0.0.3 only.
    fn caret(&self, v: &Version) -> bool {
        let c = &self.ver;
        if precedence(v, c).is_lt() {
            return false;
        }
        if self.any {
            return true;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        v.patch == c.patch
    }

    /// Equality where wildcard parts match anything (`!=1.2.x` excludes every 1.2.z).
    fn wildcard_equal(&self, v: &Version) -> bool {
        let c = &self.ver;
        if self.any {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        if self.minor_dirty {
            return true;
        }
        if v.minor != c.minor {
            return false;
        }
        if self.patch_dirty {
            return true;
        }
        precedence(v, c).is_eq()
    }
}

#[cfg(test)]
mod tests;
