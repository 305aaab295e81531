//! SBOM reading (SPDX 2.3 JSON, CycloneDX 1.5 JSON) and the informational SBOM diff.
//! An SBOM diff never affects the classification of a contract diff.

use super::change::ChangeType;
use crate::bundle::Bundle;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Nested CycloneDX components followed at most this deep.
const MAX_COMPONENT_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SbomFormat {
    Spdx,
    Cyclonedx,
}

impl SbomFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spdx => "spdx",
            Self::Cyclonedx => "cyclonedx",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SbomPackage {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sbom {
    pub format: SbomFormat,
    /// The file it came from, bundle-relative.
    pub path: String,
    pub packages: Vec<SbomPackage>,
}

#[derive(Debug, thiserror::Error)]
pub enum SbomError {
    #[error("{path}: not valid JSON: {source}")]
    Json {
        path: String,
        source: serde_json::Error,
    },
    #[error("{path}: expected a JSON object with a `{field}` array")]
    Shape { path: String, field: &'static str },
}

/// The bundle's SBOM: the first `sbom/*.spdx.json`, else the first `sbom/*.cdx.json`,
/// directly under `sbom/` (sorted by path). `Ok(None)` when the bundle has none.
pub fn load_sbom(bundle: &Bundle) -> Result<Option<Sbom>, SbomError> {
    let top: Vec<(&str, &[u8])> = bundle
        .files()
        .filter(|(p, _)| {
            p.strip_prefix("sbom/")
                .is_some_and(|rest| !rest.contains('/'))
        })
        .collect();
    for (suffix, format) in [
        (".spdx.json", SbomFormat::Spdx),
        (".cdx.json", SbomFormat::Cyclonedx),
    ] {
        if let Some((path, data)) = top.iter().find(|(p, _)| p.ends_with(suffix)) {
            return parse_sbom(path, data, format).map(Some);
        }
    }
    Ok(None)
}

/// Parses one SBOM document of the given format.
pub fn parse_sbom(path: &str, data: &[u8], format: SbomFormat) -> Result<Sbom, SbomError> {
    let doc: Value = serde_json::from_slice(data).map_err(|source| SbomError::Json {
        path: path.to_string(),
        source,
    })?;
    let field = match format {
        SbomFormat::Spdx => "packages",
        SbomFormat::Cyclonedx => "components",
    };
    let list = match doc.get(field) {
        Some(Value::Array(a)) => a.as_slice(),
        None if doc.is_object() => &[],
        _ => {
            return Err(SbomError::Shape {
                path: path.to_string(),
                field,
            });
        }
    };
    let mut packages = Vec::new();
    match format {
        SbomFormat::Spdx => packages.extend(list.iter().filter_map(spdx_package)),
        SbomFormat::Cyclonedx => cdx_components(list, 0, &mut packages),
    }
    Ok(Sbom {
        format,
        path: path.to_string(),
        packages,
    })
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "NOASSERTION" && *s != "NONE")
        .map(str::to_string)
}

fn spdx_package(p: &Value) -> Option<SbomPackage> {
    let supplier = text(p.get("supplier")).map(|s| {
        // `Organization: Acme` / `Person: Jane` → the name only.
        ["Organization:", "Person:", "Tool:"]
            .iter()
            .find_map(|pre| s.strip_prefix(pre).map(|r| r.trim().to_string()))
            .unwrap_or(s)
    });
    Some(SbomPackage {
        name: text(p.get("name"))?,
        version: text(p.get("versionInfo")),
        license: text(p.get("licenseConcluded")).or_else(|| text(p.get("licenseDeclared"))),
        supplier,
    })
}

fn cdx_components(list: &[Value], depth: usize, out: &mut Vec<SbomPackage>) {
    if depth > MAX_COMPONENT_DEPTH {
        return;
    }
    for c in list {
        if let Some(name) = text(c.get("name")) {
            out.push(SbomPackage {
                name,
                version: text(c.get("version")),
                license: cdx_license(c.get("licenses")),
                supplier: text(c.get("supplier").and_then(|s| s.get("name"))),
            });
        }
        if let Some(Value::Array(inner)) = c.get("components") {
            cdx_components(inner, depth + 1, out);
        }
    }
}

/// `licenses: [{license: {id|name}} | {expression}]` joined with ` AND `.
fn cdx_license(v: Option<&Value>) -> Option<String> {
    let parts: Vec<String> = v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| {
            text(l.get("expression")).or_else(|| {
                let lic = l.get("license")?;
                text(lic.get("id")).or_else(|| text(lic.get("name")))
            })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbomDiff {
    pub old_format: Option<SbomFormat>,
    pub new_format: Option<SbomFormat>,
    pub changes: Vec<SbomChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbomChange {
    pub package: String,
    #[serde(rename = "type")]
    pub change_type: ChangeType,
    /// `package`, `version`, `license` or `supplier`.
    pub field: &'static str,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Package-level differences, matched by name; `None` when there are none.
/// When a name appears several times (multiple versions vendored), entries are matched
/// by name and version instead, so a version bump shows as one removed plus one added.
pub fn diff_sbom(old: Option<&Sbom>, new: Option<&Sbom>) -> Option<SbomDiff> {
    let group = |s: Option<&Sbom>| -> BTreeMap<String, Vec<SbomPackage>> {
        let mut m: BTreeMap<String, Vec<SbomPackage>> = BTreeMap::new();
        for p in s.into_iter().flat_map(|s| s.packages.iter()) {
            m.entry(p.name.clone()).or_default().push(p.clone());
        }
        m
    };
    let (a, b) = (group(old), group(new));
    let mut changes = Vec::new();
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let empty = Vec::new();
    for name in names {
        let (xs, ys) = (a.get(name).unwrap_or(&empty), b.get(name).unwrap_or(&empty));
        match (xs.as_slice(), ys.as_slice()) {
            ([x], [y]) => fields(x, y, &mut changes),
            _ => {
                for x in xs {
                    match ys.iter().find(|y| y.version == x.version) {
                        Some(y) => fields(x, y, &mut changes),
                        None => changes.push(whole(x, ChangeType::Removed)),
                    }
                }
                for y in ys
                    .iter()
                    .filter(|y| !xs.iter().any(|x| x.version == y.version))
                {
                    changes.push(whole(y, ChangeType::Added));
                }
            }
        }
    }
    if changes.is_empty() {
        return None;
    }
    Some(SbomDiff {
        old_format: old.map(|s| s.format),
        new_format: new.map(|s| s.format),
        changes,
    })
}

fn whole(p: &SbomPackage, ct: ChangeType) -> SbomChange {
    let v = Some(match &p.version {
        Some(ver) => format!("{}@{ver}", p.name),
        None => p.name.clone(),
    });
    let (old_value, new_value) = match ct {
        ChangeType::Removed => (v, None),
        _ => (None, v),
    };
    SbomChange {
        package: p.name.clone(),
        change_type: ct,
        field: "package",
        old_value,
        new_value,
    }
}

fn fields(x: &SbomPackage, y: &SbomPackage, out: &mut Vec<SbomChange>) {
    for (field, a, b) in [
        ("version", &x.version, &y.version),
        ("license", &x.license, &y.license),
        ("supplier", &x.supplier, &y.supplier),
    ] {
        if a != b {
            out.push(SbomChange {
                package: x.name.clone(),
                change_type: ChangeType::Modified,
                field,
                old_value: a.clone(),
                new_value: b.clone(),
            });
        }
    }
}
