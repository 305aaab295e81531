//! Choosing the version an untagged ref resolves to: the highest semver tag in range.

use pacto_core::oci_ref::OciRef;
use pacto_core::semver_range::{Constraint, highest_matching};

use crate::error::OciError;

/// The compatibility range of an untagged ref; `None` or blank means any semver tag.
pub(crate) fn parse_range(r: &OciRef, range: Option<&str>) -> Result<Option<Constraint>, OciError> {
    range
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|text| {
            Constraint::parse(text).map_err(|source| OciError::InvalidRange {
                reference: r.to_string(),
                source,
            })
        })
        .transpose()
}

pub(crate) fn pick_version(
    r: &OciRef,
    tags: &[String],
    constraint: Option<&Constraint>,
) -> Result<OciRef, OciError> {
    match highest_matching(tags.iter().map(String::as_str), constraint) {
        Some(tag) => Ok(r.with_tag(tag)?),
        None => {
            let any_semver = highest_matching(tags.iter().map(String::as_str), None).is_some();
            match constraint {
                Some(c) if any_semver => Err(OciError::NoMatchingVersion {
                    reference: r.to_string(),
                    constraint: c.to_string(),
                }),
                _ => Err(OciError::NoSemverTags {
                    reference: r.to_string(),
                }),
            }
        }
    }
}
