//! Route path strings: joining a nest prefix, axum `:param`/`*rest` to OpenAPI `{param}`.

/// `prefix` + `path` as axum nests them, placeholders in OpenAPI form.
pub fn join(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = if path.is_empty() || path == "/" {
        if prefix.is_empty() { "/" } else { "" }
    } else {
        path
    };
    let joined = if path.starts_with('/') || path.is_empty() {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    };
    openapi_path(&joined)
}

/// `:id`, `*rest`, `{*rest}` → `{id}`, `{rest}`, `{rest}`.
pub fn openapi_path(p: &str) -> String {
    p.split('/')
        .map(|seg| {
            if let Some(name) = seg.strip_prefix(':').or_else(|| seg.strip_prefix('*')) {
                format!("{{{name}}}")
            } else if let Some(name) = seg.strip_prefix("{*") {
                format!("{{{name}")
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The `{name}` placeholders of an OpenAPI path, in order.
pub fn path_params(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = p;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}
