//! Bundle docs: Markdown rendered with pulldown-cmark, then sanitised with ammonia
//! (raw HTML in Markdown, `javascript:` links and event handlers never survive).

use pulldown_cmark::{Options, Parser, html};

/// Upper bound on one rendered document, so a huge README cannot bloat a page.
pub const MAX_DOC_BYTES: usize = 256 * 1024;

/// Renders Markdown to sanitised HTML; the flag says whether the input was cut.
pub fn render(markdown: &str) -> (String, bool) {
    let (text, truncated) = if markdown.len() > MAX_DOC_BYTES {
        let mut end = MAX_DOC_BYTES;
        while !markdown.is_char_boundary(end) {
            end -= 1;
        }
        (&markdown[..end], true)
    } else {
        (markdown, false)
    };
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    (sanitize(&raw), truncated)
}

fn sanitize(raw: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(raw)
        .to_string()
}

/// The first `# heading` of a document, else its file name.
pub fn title(path: &str, markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markdown_is_neutralised() {
        let md = "# T\n<script>alert(1)</script>\n[x](javascript:alert(2))\n<img src=x onerror=alert(3)>\n<a href=\"#\" onclick=\"alert(4)\">y</a>";
        let (html, _) = render(md);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("<h1>T</h1>"), "{html}");
    }

    #[test]
    fn big_docs_are_truncated_on_a_char_boundary() {
        let md = "é".repeat(MAX_DOC_BYTES);
        let (_, truncated) = render(&md);
        assert!(truncated);
    }

    #[test]
    fn title_from_heading_or_file_name() {
        assert_eq!(title("docs/a.md", "text\n# Hello\n"), "Hello");
        assert_eq!(title("docs/a.md", "no heading"), "a.md");
    }
}
