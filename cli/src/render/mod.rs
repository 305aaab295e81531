//! Renderers: pure functions from results to text, Markdown or JSON.

pub mod diff;
pub mod explain;
pub mod graph;
pub mod impact;
pub mod migrate;
pub mod status;
pub mod validate;

/// Escapes a value for a Markdown table cell.
pub fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
