use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dependency {
    /// Required from 1.1; in 1.0 derived from the ref (see [`Dependency::key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub required: bool,
    pub compatibility: String,
}

impl Dependency {
    /// Stable identity for diffs and graphs: the declared name, else the ref's last path
    /// segment without tag or digest (the reference implementation's migration rule).
    pub fn key(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        derive_name_from_ref(&self.reference)
    }

    /// `file://` or a bare path: resolved relative to the declaring bundle.
    pub fn is_local(&self) -> bool {
        !self.reference.starts_with("oci://")
    }
}

/// Last path segment of a ref, without scheme, tag or digest; `default` when empty.
pub fn derive_name_from_ref(reference: &str) -> String {
    let r = reference
        .trim_start_matches("oci://")
        .trim_start_matches("file://");
    let r = r.split('@').next().unwrap_or(r);
    let r = r.trim_end_matches('/');
    let last = r.rsplit('/').next().unwrap_or(r);
    let last = last.split(':').next().unwrap_or(last);
    if last.is_empty() || last == "." || last == ".." {
        "default".to_string()
    } else {
        last.to_string()
    }
}
