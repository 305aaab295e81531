//! Registry-supplied text made safe to show: a hostile registry controls error messages
//! (JSON error envelopes, bodies quoted by the HTTP stack) that end up in terminals, statuses,
//! events and logs. Control characters (ANSI escapes, carriage returns that overwrite a line,
//! NULs) become `\u{fffd}`, runs of whitespace collapse, and the length is capped.

/// Longest registry-supplied detail kept, in bytes.
pub const MAX_DETAIL_BYTES: usize = 512;

/// `text` with control characters replaced and at most `max` bytes (cut on a char boundary,
/// marked with `…`).
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 4));
    let mut last_space = false;
    for c in text.chars() {
        let c = if c == '\n' || c == '\t' || c == '\r' {
            ' '
        } else if c.is_control() || is_bidi_override(c) {
            '\u{fffd}'
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        if out.len() + c.len_utf8() > max {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

/// Unicode bidirectional overrides can reorder what a terminal shows ("Trojan Source").
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// [`printable`] with [`MAX_DETAIL_BYTES`].
pub fn detail(text: &str) -> String {
    printable(text, MAX_DETAIL_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_escapes_are_neutralised() {
        let hostile = "denied\u{1b}[2J\u{1b}]0;pwned\u{7}\r\nfake prompt$ \u{0}\u{202e}txt";
        let shown = detail(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(!shown.contains('\u{202e}'));
        assert!(shown.starts_with("denied\u{fffd}[2J"), "{shown:?}");
    }

    #[test]
    fn long_text_is_capped_on_a_char_boundary() {
        let shown = printable(&"é".repeat(1000), 11);
        assert!(shown.len() <= 11 + '…'.len_utf8(), "{}", shown.len());
        assert!(shown.ends_with('…'));
        assert_eq!(
            detail(&"x".repeat(10_000)).len(),
            MAX_DETAIL_BYTES + '…'.len_utf8()
        );
    }

    #[test]
    fn ordinary_text_is_unchanged_but_for_whitespace_runs() {
        assert_eq!(
            detail("manifest unknown: v1.2.3"),
            "manifest unknown: v1.2.3"
        );
        assert_eq!(detail("a\n\n  b"), "a b");
    }
}
