//! `openapi-infer`: an OpenAPI 3.1 document inferred from the routes of a web framework's
//! source. Supported: axum (static scan of Rust source, see [`axum`]). Options: `output`
//! (default `interfaces/openapi.yaml`; `.json` gives JSON), `source` (directory to scan,
//! relative to the bundle or absolute; default the bundle), `framework` (`axum`; default
//! auto-detect), `title` and `version` (of `info`; defaults `API`, `0.1.0`).

pub mod axum;
mod axum_exprs;
mod route_paths;

use crate::{File, PluginError, Request, Response};
use axum::Route;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

pub const DEFAULT_OUTPUT: &str = "interfaces/openapi.yaml";
pub const SUPPORTED: &str = "axum";

/// Source files scanned at most, and their largest size.
const MAX_FILES: usize = 20_000;
const MAX_FILE_BYTES: u64 = 4 << 20;

pub fn generate(req: &Request) -> Result<Response, PluginError> {
    let output = req.option("output").unwrap_or(DEFAULT_OUTPUT);
    let source = req
        .option("source")
        .map_or_else(|| req.bundle_root(), |s| req.bundle_path(s));
    let framework = match req.option("framework") {
        Some(f) if f.eq_ignore_ascii_case("axum") => "axum",
        Some(f) => {
            return Err(PluginError::new(format!(
                "unsupported framework {f:?}\nsupported: {SUPPORTED}"
            )));
        }
        None => detect(&source)?,
    };
    let files = rust_files(&source)?;
    let mut parsed = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        // A file syn cannot parse (new syntax, a fragment) is skipped, not fatal.
        if let Ok(file) = syn::parse_file(&text) {
            parsed.push(axum::SourceFile {
                module: module_path(&source, f),
                file,
            });
        }
    }
    let routes = axum::scan(&parsed);
    if routes.is_empty() {
        return Err(PluginError::new(format!(
            "no {framework} routes found in {}",
            source.display()
        )));
    }
    let title = req.option("title").unwrap_or("API");
    let version = req.option("version").unwrap_or("0.1.0");
    let doc = document(title, version, &routes);
    let content = if output.to_ascii_lowercase().ends_with(".json") {
        serde_json::to_string_pretty(&doc)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())
    } else {
        serde_saphyr::to_string(&doc).map_err(|e| e.to_string())
    }
    .map_err(|e| PluginError::new(format!("encode {output}: {e}")))?;
    let ops = routes.len();
    Ok(Response {
        files: vec![File {
            path: output.into(),
            content,
        }],
        message: Some(format!(
            "Inferred {output} ({ops} operation(s)) from the {framework} routes in {}; reference it from interfaces[].ref",
            source.display()
        )),
    })
}

/// `axum` when `source/Cargo.toml` depends on it or a `.rs` file under `source` uses it;
/// otherwise the reference's error.
fn detect(source: &Path) -> Result<&'static str, PluginError> {
    let manifest = std::fs::read_to_string(source.join("Cargo.toml")).unwrap_or_default();
    if manifest.lines().any(|l| l.trim_start().starts_with("axum")) {
        return Ok("axum");
    }
    for f in rust_files(source).unwrap_or_default() {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        if text.contains("axum::") || text.contains("use axum") {
            return Ok("axum");
        }
    }
    Err(PluginError::new(format!(
        "no supported framework detected\nsupported: {SUPPORTED}"
    )))
}

/// `.rs` files under `dir` (sorted; symlinks, hidden directories and `target` skipped).
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, PluginError> {
    let meta = std::fs::metadata(dir)
        .map_err(|e| PluginError::new(format!("source {}: {e}", dir.display())))?;
    if !meta.is_dir() {
        return Err(PluginError::new(format!(
            "source {} is not a directory",
            dir.display()
        )));
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if ft.is_file()
                && name.ends_with(".rs")
                && entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES)
            {
                out.push(path);
                if out.len() >= MAX_FILES {
                    return Err(PluginError::new(format!(
                        "more than {MAX_FILES} Rust files under {}: narrow it with --option source=<dir>",
                        dir.display()
                    )));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The module a file defines, from its path under the last `src/` (`src/api/mod.rs` →
/// `api`, `src/api/users.rs` → `api::users`, `src/main.rs` → the crate root).
pub fn module_path(source: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(source).unwrap_or(file);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let start = parts.iter().rposition(|p| p == "src").map_or(0, |i| i + 1);
    let mut module: Vec<String> = parts[start..].to_vec();
    if let Some(last) = module.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        if !matches!(stem.as_str(), "main" | "lib" | "mod") {
            module.push(stem);
        }
    }
    module
}

/// The OpenAPI 3.1 document of `routes` (paths sorted, operations in OpenAPI order).
pub fn document(title: &str, version: &str, routes: &[Route]) -> Value {
    let mut paths = Map::new();
    let mut sorted: Vec<&Route> = routes.iter().collect();
    sorted.sort_by_key(|r| {
        let rank = axum::METHODS
            .iter()
            .position(|m| *m == r.method)
            .unwrap_or(99);
        (r.path.clone(), rank)
    });
    let mut used_ids: Vec<String> = Vec::new();
    for r in sorted {
        let mut op = Map::new();
        let base = r
            .handler
            .clone()
            .unwrap_or_else(|| fallback_id(&r.method, &r.path));
        let mut id = base.clone();
        let mut n = 2;
        while used_ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        used_ids.push(id.clone());
        op.insert("operationId".into(), json!(id));
        let params: Vec<Value> = axum::path_params(&r.path)
            .into_iter()
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        op.insert(
            "responses".into(),
            json!({"default": {"description": "Response of the handler (not inferred)"}}),
        );
        let item = paths
            .entry(r.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(r.method.clone(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
    })
}

/// `get_users_id` for `GET /users/{id}`.
fn fallback_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    let mut out = String::new();
    for c in id.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests;
