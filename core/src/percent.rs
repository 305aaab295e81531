//! Percent-decoding (`%XX`, RFC 3986), the one decoder of the workspace: JSON-pointer
//! fragments of `$ref`s (`#/paths/%7E1users`) and OCI references written URL-encoded
//! (`spec.contractRef.oci: r.io%2Fteam%2Fsvc:1.0.0`).

use std::string::FromUtf8Error;

/// Decodes each `%XX` (two ASCII hex digits) to its byte; a `%` not followed by two hex
/// digits stays as written. Errs when the decoded bytes are not UTF-8; the error holds the
/// bytes, so each caller picks its fallback (the text as written, or a lossy decoding).
pub fn percent_decode(s: &str) -> Result<String, FromUtf8Error> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) =
                (hex_digit(bytes.get(i + 1)), hex_digit(bytes.get(i + 2)))
        {
            out.push(high * 16 + low);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out)
}

fn hex_digit(b: Option<&u8>) -> Option<u8> {
    let c = *b?;
    (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_stray_percents() {
        assert_eq!(percent_decode("plain").unwrap(), "plain");
        assert_eq!(percent_decode("r.io%2Fa%2fb").unwrap(), "r.io/a/b");
        assert_eq!(percent_decode("%7E1users").unwrap(), "~1users");
        assert_eq!(percent_decode("100%").unwrap(), "100%");
        assert_eq!(percent_decode("%zz%4").unwrap(), "%zz%4");
        assert_eq!(
            percent_decode("%+5").unwrap(),
            "%+5",
            "a sign is not a hex digit"
        );
        assert_eq!(percent_decode("caf%C3%A9").unwrap(), "café");
    }

    #[test]
    fn invalid_utf8_is_an_error_holding_the_bytes() {
        let e = percent_decode("a%FFb").unwrap_err();
        assert_eq!(e.as_bytes(), b"a\xFFb");
    }
}
