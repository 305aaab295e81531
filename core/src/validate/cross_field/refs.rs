//! Adapters over the shared semver-range and OCI-reference parsers.
//! TEMPORARY: stands in until the `semver` branch (semver_range, oci_ref) is merged.

/// Tag and digest of a parsed OCI reference.
pub struct OciParts {
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub fn parse_oci(reference: &str) -> Result<OciParts, String> {
    let bare = reference.strip_prefix("oci://").unwrap_or(reference);
    let (rest, digest) = match bare.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (bare, None),
    };
    if let Some(d) = &digest
        && !(d.len() == 71
            && d.starts_with("sha256:")
            && d[7..]
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
    {
        return Err(format!("bad digest {d}"));
    }
    let slash = rest.rfind('/').ok_or("no repository path")?;
    let tag = match rest.rfind(':') {
        Some(i) if i > slash => Some(rest[i + 1..].to_string()),
        _ => None,
    };
    Ok(OciParts { tag, digest })
}

pub fn is_version(text: &str) -> bool {
    semver::Version::parse(text.trim_start_matches('v')).is_ok()
}

pub fn constraint_error(text: &str) -> Option<String> {
    semver::VersionReq::parse(text).err().map(|e| e.to_string())
}
