//! Escaping and anchors: bundle text never becomes Markdown structure or HTML.

/// A GitHub-style heading anchor, as the reference computes it: lowercase, spaces to
/// `-`, and `:` `.` `&` (plus other punctuation a renderer drops) removed.
pub fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A table cell: `|`, backticks, HTML and line breaks escaped; empty shows `—`.
pub fn cell(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        return "—".into();
    }
    inline(t).replace('|', "\\|")
}

/// An optional cell.
pub fn opt(s: Option<&str>) -> String {
    cell(s.unwrap_or(""))
}

/// Inline text: HTML special characters and backticks escaped, lines joined.
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push_str("\\`"),
            '\r' => {}
            '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Code span content: backticks cannot close it early.
pub fn code(s: &str) -> String {
    let t = inline(s).replace("\\`", "'");
    format!("`{t}`")
}

/// A Markdown table from a header and rows of already-escaped cells.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out
}

/// A mermaid node label: quotes and brackets cannot end the label.
pub fn mermaid_label(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => '\'',
            '[' | ']' | '{' | '}' | '(' | ')' | '<' | '>' | '|' | '`' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// A mermaid node id: only `[A-Za-z0-9_]`.
pub fn mermaid_id(prefix: &str, s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}_{body}")
}
