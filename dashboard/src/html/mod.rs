//! Server-rendered pages: the handlers in [`pages`] answer from the same queries as the API,
//! one renderer per page. Every string from a contract goes through maud's escaping; the only
//! raw HTML inserted is Markdown that was sanitised by ammonia.

pub mod diff;
pub mod graph_page;
pub mod impact;
pub mod layout;
pub mod list;
pub mod pages;
pub mod service;
pub mod service_contract;
pub mod service_runtime;
pub mod svg;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters kept as-is in a path segment or query value.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn enc(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

// Every in-app URL starts with `base`, the validated `--base-path` (`""` at the root).

pub fn service_href(base: &str, name: &str) -> String {
    format!("{base}/services/{}", enc(name))
}

pub fn version_href(base: &str, name: &str, version: &str) -> String {
    format!("{base}/services/{}/versions/{}", enc(name), enc(version))
}

pub fn diff_href(base: &str, from: (&str, &str), to: (&str, &str)) -> String {
    format!(
        "{base}/diff?from={}&to={}",
        enc(&format!("{}@{}", from.0, from.1)),
        enc(&format!("{}@{}", to.0, to.1))
    )
}

/// The impact page for `name`, moving between two of its versions (or its defaults).
pub fn impact_href(base: &str, name: &str, versions: Option<(&str, &str)>) -> String {
    match versions {
        Some((from, to)) => format!(
            "{base}/impact?service={}&from={}&to={}",
            enc(name),
            enc(from),
            enc(to)
        ),
        None => format!("{base}/impact?service={}", enc(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_cannot_change_scheme_or_path() {
        assert_eq!(
            service_href("", "javascript:alert(1)"),
            "/services/javascript%3Aalert%281%29"
        );
        assert_eq!(service_href("", "../x"), "/services/..%2Fx");
        assert!(diff_href("", ("a", "1"), ("b&c", "2")).ends_with("to=b%26c%402"));
        assert_eq!(service_href("/p", "x"), "/p/services/x");
        assert_eq!(version_href("/p", "x", "1.0"), "/p/services/x/versions/1.0");
        assert!(diff_href("/p", ("a", "1"), ("b", "2")).starts_with("/p/diff?from=a%401&"));
        assert_eq!(impact_href("/p", "a&b", None), "/p/impact?service=a%26b");
        assert_eq!(
            impact_href("", "a", Some(("1.0.0", "2.0.0+x"))),
            "/impact?service=a&from=1.0.0&to=2.0.0%2Bx"
        );
    }
}
