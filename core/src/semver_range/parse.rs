//! Parsing range and version text into terms.

use semver::{BuildMetadata, Prerelease, Version};

use super::{Op, RangeError, Term, wildcard_any};

/// Why a version inside a range (or a tag) is not a version.
#[derive(Debug, thiserror::Error)]
pub(super) enum VersionTextError {
    #[error("no version number")]
    Empty,
    #[error("empty build metadata after `+`")]
    EmptyBuild,
    #[error("bad build metadata {text:?}: {source}")]
    BadBuild { text: String, source: semver::Error },
    #[error("empty prerelease after `-`")]
    EmptyPrerelease,
    #[error("bad prerelease {text:?}: {source}")]
    BadPrerelease { text: String, source: semver::Error },
    #[error("{0} dot-separated numbers, at most 3 (major.minor.patch) allowed")]
    TooManyParts(usize),
    #[error("number {0:?} after a wildcard")]
    NumberAfterWildcard(String),
    #[error("{0:?} is not a number or a wildcard (x, X, *)")]
    NotANumber(String),
    #[error("number {0:?} is too large")]
    TooLarge(String),
}

/// One `||` alternative: terms separated by commas or whitespace; an operator may be separated
/// from its version by spaces; `a - b` is a hyphen range.
pub(super) fn parse_and_group(range: &str, group: &str) -> Result<Vec<Term>, RangeError> {
    let mut terms = Vec::new();
    for part in group.split(',') {
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.is_empty() {
            // `1.0,,2.0` or a trailing comma: nothing to constrain, like Masterminds.
            continue;
        }
        let mut i = 0;
        while i < words.len() {
            if words.get(i + 1) == Some(&"-") {
                let (Some(lo), Some(hi)) = (words.get(i), words.get(i + 2)) else {
                    return Err(RangeError::IncompleteHyphen {
                        range: range.into(),
                    });
                };
                for bound in [lo, hi] {
                    if split_op(bound).0.is_some() {
                        return Err(RangeError::OperatorInHyphen {
                            range: range.into(),
                            term: (*bound).into(),
                        });
                    }
                }
                terms.push(parse_term(range, Op::Ge, lo)?);
                terms.push(parse_term(range, Op::Le, hi)?);
                i += 3;
                continue;
            }
            let word = words[i];
            if word == "-" {
                return Err(RangeError::IncompleteHyphen {
                    range: range.into(),
                });
            }
            let (op, rest) = split_op(word);
            let op_text = &word[..word.len() - rest.len()];
            let (op, text) = if rest.is_empty() {
                // `>= 1.2`: the version is the next word.
                match words.get(i + 1) {
                    Some(next) if *next != "-" && split_op(next).0.is_none() => {
                        i += 1;
                        (op, *next)
                    }
                    _ => {
                        return Err(RangeError::DanglingOperator {
                            range: range.into(),
                            op: op_text.into(),
                        });
                    }
                }
            } else {
                (op, rest)
            };
            terms.push(parse_term(range, op.unwrap_or(Op::Eq), text)?);
            i += 1;
        }
    }
    if terms.is_empty() {
        terms.push(wildcard_any());
    }
    Ok(terms)
}

/// Splits a leading operator off a word; longest operators first so `>=` is not read as `>`.
fn split_op(word: &str) -> (Option<Op>, &str) {
    const OPS: [(&str, Op); 11] = [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("!=", Op::Ne),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    for (text, op) in OPS {
        if let Some(rest) = word.strip_prefix(text) {
            return (Some(op), rest.trim_start());
        }
    }
    (None, word)
}

fn parse_term(range: &str, op: Op, text: &str) -> Result<Term, RangeError> {
    let p = parse_partial(text).map_err(|reason| RangeError::InvalidVersion {
        range: range.into(),
        term: text.into(),
        reason: reason.to_string(),
    })?;
    let any = p.major.is_none();
    let minor_dirty = !any && p.minor.is_none();
    let patch_dirty = !any && !minor_dirty && p.patch.is_none();
    Ok(Term {
        op,
        ver: Version {
            major: p.major.unwrap_or(0),
            minor: p.minor.unwrap_or(0),
            patch: p.patch.unwrap_or(0),
            pre: p.pre,
            build: p.build,
        },
        any,
        minor_dirty,
        patch_dirty,
    })
}

/// A version whose numeric parts may be missing or wildcards (`None`).
pub(super) struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Prerelease,
    build: BuildMetadata,
    had_wildcard: bool,
}

impl Partial {
    /// A concrete version: no wildcards (missing parts default to 0).
    pub(super) fn into_version(self) -> Option<Version> {
        if self.had_wildcard {
            return None;
        }
        Some(Version {
            major: self.major?,
            minor: self.minor.unwrap_or(0),
            patch: self.patch.unwrap_or(0),
            pre: self.pre,
            build: self.build,
        })
    }
}

pub(super) fn parse_partial(text: &str) -> Result<Partial, VersionTextError> {
    let body = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    if body.is_empty() {
        return Err(VersionTextError::Empty);
    }
    let (body, build) = match body.split_once('+') {
        Some((_, "")) => return Err(VersionTextError::EmptyBuild),
        Some((b, m)) => (
            b,
            BuildMetadata::new(m).map_err(|source| VersionTextError::BadBuild {
                text: m.into(),
                source,
            })?,
        ),
        None => (body, BuildMetadata::EMPTY),
    };
    let (core, pre) = match body.split_once('-') {
        Some((_, "")) => return Err(VersionTextError::EmptyPrerelease),
        Some((c, p)) => (
            c,
            Prerelease::new(p).map_err(|source| VersionTextError::BadPrerelease {
                text: p.into(),
                source,
            })?,
        ),
        None => (body, Prerelease::EMPTY),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 {
        return Err(VersionTextError::TooManyParts(parts.len()));
    }
    let mut nums: [Option<u64>; 3] = [None; 3];
    let mut had_wildcard = false;
    for (idx, part) in parts.iter().enumerate() {
        if matches!(*part, "x" | "X" | "*") {
            had_wildcard = true;
            continue;
        }
        if had_wildcard {
            return Err(VersionTextError::NumberAfterWildcard(part.to_string()));
        }
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VersionTextError::NotANumber(part.to_string()));
        }
        let n = part
            .parse::<u64>()
            .map_err(|_| VersionTextError::TooLarge(part.to_string()))?;
        nums[idx] = Some(n);
    }
    Ok(Partial {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre,
        build,
        had_wildcard,
    })
}
