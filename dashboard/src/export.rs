//! The dashboard's pages exported as a static, self-contained page set (`pacto doc
//! --html`): the server-side renderer and stylesheet as served, links made relative, the
//! live-update script and the icon link dropped (nothing is fetched at view time), plus
//! `doc.html`, the contract's Markdown page in the same shell.

use crate::config::{Config, K8sMode};
use crate::html::layout;
use crate::in_process;
use crate::markdown;
use crate::server::router;
use crate::state::AppState;
use axum::http::StatusCode;
use maud::PreEscaped;
use std::path::PathBuf;

/// Largest page read back from the renderer.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// One file of the site: its relative path and bytes.
pub type SiteFile = (String, Vec<u8>);

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the dashboard could not start over {dir}: {detail}")]
    Start { dir: String, detail: String },
    #[error("rendering {page} failed: {detail}")]
    Page { page: String, detail: String },
}

/// Renders the site for the bundles under `dir` (local source only: no registry, no
/// cluster, no cache), with `service`'s page and `doc_markdown` as `doc.html`.
pub async fn static_site(
    dir: PathBuf,
    service: &str,
    doc_markdown: &str,
) -> Result<Vec<SiteFile>, ExportError> {
    let config = Config {
        dirs: vec![dir.clone()],
        k8s: K8sMode::Off,
        no_cache: true,
        ..Config::default()
    };
    let state = AppState::start(config)
        .await
        .map_err(|e| ExportError::Start {
            dir: dir.display().to_string(),
            detail: e.to_string(),
        })?;
    state.refresh(false).await;
    let app = router(state);
    let service_url = format!("/services/{}", url_segment(service));
    let mut files = Vec::new();
    for (url, file) in [
        ("/", "index.html".to_string()),
        (service_url.as_str(), format!("services/{service}.html")),
        ("/graph", "graph.html".to_string()),
    ] {
        let html = fetch(&app, url).await?;
        let depth = file.matches('/').count();
        files.push((file, relative_links(&html, depth).into_bytes()));
    }
    files.push((
        "assets/app.css".into(),
        fetch(&app, "/assets/app.css").await?.into_bytes(),
    ));
    let (body, truncated) = markdown::render(doc_markdown);
    let note = if truncated {
        "<p><em>The page was cut at its size limit.</em></p>"
    } else {
        ""
    };
    let page = layout::page(
        "",
        service,
        "doc",
        0,
        PreEscaped(format!("<article class=\"doc\">{body}{note}</article>")),
    );
    files.push((
        "doc.html".into(),
        relative_links(&page.into_string(), 0).into_bytes(),
    ));
    Ok(files)
}

async fn fetch(app: &axum::Router, url: &str) -> Result<String, ExportError> {
    let failed = |detail: String| ExportError::Page {
        page: url.to_string(),
        detail,
    };
    let (status, body) = in_process::get(app, url, MAX_PAGE_BYTES)
        .await
        .map_err(failed)?;
    if status != StatusCode::OK {
        return Err(failed(format!("HTTP {status}")));
    }
    String::from_utf8(body.to_vec()).map_err(|_| failed("not UTF-8".into()))
}

/// Links to the impact page go (with the ` · ` before them): the site has no such page.
fn drop_impact_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let Some(close) = rest[i..].find("</a>").map(|e| i + e + 4) else {
            break;
        };
        if !rest[i..tag_end].contains("href=\"/impact") {
            out.push_str(&rest[..close]);
            rest = &rest[close..];
            continue;
        }
        out.push_str(rest[..i].strip_suffix(" · ").unwrap_or(&rest[..i]));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Absolute in-app links become relative files; the live-update script goes.
fn relative_links(html: &str, depth: usize) -> String {
    let up = "../".repeat(depth);
    drop_impact_links(html)
        .replace("<script src=\"/assets/app.js\" defer></script>", "")
        .replace("<link rel=\"icon\" href=\"/favicon.ico\">", "")
        .replace("href=\"/assets/", &format!("href=\"{up}assets/"))
        .replace(
            "href=\"/diff\" class=\"\">Diff<",
            &format!("href=\"{up}doc.html\" class=\"\">Doc<"),
        )
        .replace(
            "href=\"/diff\" class=\"on\">Diff<",
            &format!("href=\"{up}doc.html\" class=\"on\">Doc<"),
        )
        .replace("href=\"/graph\"", &format!("href=\"{up}graph.html\""))
        .replace("action=\"/graph\"", &format!("action=\"{up}graph.html\""))
        .replace("href=\"/\"", &format!("href=\"{up}index.html\""))
        .split("href=\"/services/")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_string();
            }
            // `name"…` or `name?x"…` or `name#y"…`: the name ends at the first of those.
            let end = part.find(['"', '?', '#']).unwrap_or(part.len());
            let rest = part[end..].trim_start_matches(|c| c != '"' && c != '#');
            format!("href=\"{up}services/{}.html{rest}", &part[..end])
        })
        .collect()
}

/// A service name as one URL path segment (names are DNS labels; this is defence only).
fn url_segment(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_files() {
        let html = r#"<link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/assets/app.css"><script src="/assets/app.js" defer></script><a href="/" class="">Services</a><a href="/graph" class="">Graph</a><a href="/diff" class="">Diff</a><a href="/services/orders">o</a><a href="/services/pay?v=1">p</a>"#;
        let out = relative_links(html, 1);
        assert!(out.contains(r#"href="../assets/app.css""#), "{out}");
        assert!(!out.contains("app.js") && !out.contains("favicon"), "{out}");
        assert!(out.contains(r#"href="../index.html""#), "{out}");
        assert!(out.contains(r#"href="../graph.html""#), "{out}");
        assert!(out.contains(r#"href="../doc.html" class="">Doc<"#), "{out}");
        assert!(out.contains(r#"href="../services/orders.html""#), "{out}");
        assert!(out.contains(r#"href="../services/pay.html""#), "{out}");
        assert!(!out.contains("href=\"/"), "{out}");
    }

    #[test]
    fn impact_links_are_dropped() {
        let html = r#"<nav><a href="/diff" class="">Diff</a><a href="/impact" class="on">Impact</a></nav><p>Owner: x · <a id="impact-link" href="/impact?service=a">Impact of a version change</a></p><td><a href="/services/a">diff</a> · <a class="impact" href="/impact?service=a&amp;from=1&amp;to=2">impact</a></td>"#;
        let out = relative_links(html, 0);
        assert!(!out.contains("impact"), "{out}");
        assert!(out.contains("<p>Owner: x</p>"), "{out}");
        assert!(
            out.contains(r#"<td><a href="services/a.html">diff</a></td>"#),
            "{out}"
        );
    }
}
