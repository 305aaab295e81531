//! Tokeniser for `.proto` text: identifiers, numbers, string literals and symbols, with
//! comments skipped. One linear pass; every token carries its 1-based line and column.

use super::error::ProtoError;

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// Integer literal (decimal, hex or octal), already parsed.
    Int(u64),
    /// Floating point literal, kept as written.
    Float(String),
    /// String literal with escapes decoded (invalid UTF-8 replaced).
    Str(String),
    Symbol(char),
    Eof,
}

impl Tok {
    /// How the token is named in "expected X, found Y" errors.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier '{s}'"),
            Tok::Int(n) => format!("integer {n}"),
            Tok::Float(s) => format!("number {s}"),
            Tok::Str(s) => format!("string \"{}\"", shorten(s)),
            Tok::Symbol(c) => format!("'{c}'"),
            Tok::Eof => "end of input".to_string(),
        }
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    pub column: u32,
}

/// Splits `text` into tokens, ending with one `Tok::Eof`.
pub fn tokenize(text: &str) -> Result<Vec<Token>, ProtoError> {
    let mut lx = Lexer {
        src: text.as_bytes(),
        pos: 0,
        line: 1,
        column: 1,
    };
    let mut out = Vec::new();
    loop {
        lx.skip_trivia()?;
        let (line, column) = (lx.line, lx.column);
        let Some(b) = lx.peek() else {
            out.push(Token {
                tok: Tok::Eof,
                line,
                column,
            });
            return Ok(out);
        };
        let tok = if b.is_ascii_alphabetic() || b == b'_' {
            Tok::Ident(lx.ident())
        } else if b.is_ascii_digit()
            || (b == b'.' && lx.peek_at(1).is_some_and(|c| c.is_ascii_digit()))
        {
            lx.number(line, column)?
        } else if b == b'"' || b == b'\'' {
            Tok::Str(lx.string(line, column)?)
        } else if b"=;{}[]()<>,.:-+/".contains(&b) {
            lx.bump();
            Tok::Symbol(char::from(b))
        } else {
            let ch = text
                .get(lx.pos..)
                .and_then(|s| s.chars().next())
                .unwrap_or('?');
            return Err(ProtoError::Lex {
                line,
                column,
                message: format!("unexpected character {ch:?}"),
            });
        };
        out.push(Token { tok, line, column });
    }
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: u32,
    column: u32,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.src.get(self.pos + n).copied()
    }

    /// Advances one byte; columns count characters, so UTF-8 continuation bytes do not.
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column = self.column.saturating_add(1);
        }
        Some(b)
    }

    fn skip_trivia(&mut self) -> Result<(), ProtoError> {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.bump();
            } else if b == b'/' && self.peek_at(1) == Some(b'/') {
                while let Some(c) = self.peek() {
                    if c == b'\n' {
                        break;
                    }
                    self.bump();
                }
            } else if b == b'/' && self.peek_at(1) == Some(b'*') {
                let (line, column) = (self.line, self.column);
                self.bump();
                self.bump();
                loop {
                    match self.bump() {
                        None => {
                            return Err(ProtoError::Lex {
                                line,
                                column,
                                message: "unterminated block comment: expected '*/'".to_string(),
                            });
                        }
                        Some(b'*') if self.peek() == Some(b'/') => {
                            self.bump();
                            break;
                        }
                        Some(_) => {}
                    }
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.bump();
        }
        String::from_utf8_lossy(&self.src[start..self.pos]).into_owned()
    }

    fn number(&mut self, line: u32, column: u32) -> Result<Tok, ProtoError> {
        let start = self.pos;
        let hex = self.peek() == Some(b'0') && matches!(self.peek_at(1), Some(b'x' | b'X'));
        while let Some(c) = self.peek() {
            let sign_after_exp = !hex
                && (c == b'+' || c == b'-')
                && matches!(self.src.get(self.pos.wrapping_sub(1)), Some(b'e' | b'E'));
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || sign_after_exp {
                self.bump();
            } else {
                break;
            }
        }
        let text = String::from_utf8_lossy(&self.src[start..self.pos]).into_owned();
        let bad = |what: &str| ProtoError::Lex {
            line,
            column,
            message: format!("invalid {what} literal '{}'", shorten(&text)),
        };
        if hex {
            let digits = &text[2..];
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad("hexadecimal"));
            }
            return u64::from_str_radix(digits, 16)
                .map(Tok::Int)
                .map_err(|_| bad("out-of-range integer"));
        }
        let is_float = text.contains('.') || text.contains(['e', 'E']);
        if is_float {
            let body = text.strip_suffix(['f', 'F']).unwrap_or(&text);
            if body.parse::<f64>().is_err()
                || body
                    .bytes()
                    .any(|c| c.is_ascii_alphabetic() && c != b'e' && c != b'E')
            {
                return Err(bad("floating point"));
            }
            return Ok(Tok::Float(text));
        }
        if !text.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad("integer"));
        }
        if text.len() > 1 && text.starts_with('0') {
            if !text.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
                return Err(bad("octal"));
            }
            return u64::from_str_radix(&text[1..], 8)
                .map(Tok::Int)
                .map_err(|_| bad("out-of-range integer"));
        }
        text.parse::<u64>()
            .map(Tok::Int)
            .map_err(|_| bad("out-of-range integer"))
    }

    fn string(&mut self, line: u32, column: u32) -> Result<String, ProtoError> {
        let quote = self.bump();
        let mut bytes = Vec::new();
        let unterminated = || ProtoError::Lex {
            line,
            column,
            message: "unterminated string literal: expected closing quote before end of line"
                .to_string(),
        };
        loop {
            let Some(b) = self.peek() else {
                return Err(unterminated());
            };
            if b == b'\n' {
                return Err(unterminated());
            }
            self.bump();
            if Some(b) == quote {
                return Ok(String::from_utf8_lossy(&bytes).into_owned());
            }
            if b != b'\\' {
                bytes.push(b);
                continue;
            }
            let (eline, ecol) = (self.line, self.column);
            let Some(e) = self.bump() else {
                return Err(unterminated());
            };
            match e {
                b'a' => bytes.push(0x07),
                b'b' => bytes.push(0x08),
                b'f' => bytes.push(0x0c),
                b'n' => bytes.push(b'\n'),
                b'r' => bytes.push(b'\r'),
                b't' => bytes.push(b'\t'),
                b'v' => bytes.push(0x0b),
                b'\\' | b'\'' | b'"' | b'?' => bytes.push(e),
                b'x' | b'X' => {
                    let v = self.digits(16, 2);
                    match v {
                        Some(v) => bytes.push(v as u8),
                        None => return Err(escape_err(eline, ecol, "\\x needs a hex digit")),
                    }
                }
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    for _ in 0..2 {
                        match self.peek() {
                            Some(d @ b'0'..=b'7') => {
                                self.bump();
                                v = v * 8 + u32::from(d - b'0');
                            }
                            _ => break,
                        }
                    }
                    // Octal escapes above \377 wrap like C; protoc rejects them, we keep the low byte.
                    bytes.push((v & 0xff) as u8);
                }
                b'u' | b'U' => {
                    let n = if e == b'u' { 4 } else { 8 };
                    let cp = self
                        .exact_digits(n)
                        .and_then(char::from_u32)
                        .ok_or_else(|| {
                            escape_err(eline, ecol, "\\u/\\U needs a valid Unicode code point")
                        })?;
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(cp.encode_utf8(&mut buf).as_bytes());
                }
                other => {
                    return Err(escape_err(
                        eline,
                        ecol,
                        &format!("unknown escape '\\{}'", char::from(other)),
                    ));
                }
            }
        }
    }

    /// Up to `max` hex digits (at least one).
    fn digits(&mut self, radix: u32, max: usize) -> Option<u32> {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < max {
            let Some(d) = self.peek().and_then(|c| char::from(c).to_digit(radix)) else {
                break;
            };
            self.bump();
            v = v * radix + d;
            n += 1;
        }
        (n > 0).then_some(v)
    }

    /// Exactly `n` hex digits.
    fn exact_digits(&mut self, n: usize) -> Option<u32> {
        let mut v: u32 = 0;
        for _ in 0..n {
            let d = self.peek().and_then(|c| char::from(c).to_digit(16))?;
            self.bump();
            v = v.checked_mul(16)?.checked_add(d)?;
        }
        Some(v)
    }
}

fn escape_err(line: u32, column: u32, msg: &str) -> ProtoError {
    ProtoError::Lex {
        line,
        column: column.saturating_sub(1),
        message: format!("invalid escape sequence: {msg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s)
            .expect("lexes")
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn lexes_idents_numbers_symbols_and_skips_comments() {
        let t = toks("message Foo { // hi\n /* multi\nline */ int32 x = 0x1F; }");
        assert_eq!(
            t,
            vec![
                Tok::Ident("message".into()),
                Tok::Ident("Foo".into()),
                Tok::Symbol('{'),
                Tok::Ident("int32".into()),
                Tok::Ident("x".into()),
                Tok::Symbol('='),
                Tok::Int(31),
                Tok::Symbol(';'),
                Tok::Symbol('}'),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn lexes_octal_float_and_exponent() {
        assert_eq!(toks("017")[0], Tok::Int(15));
        assert_eq!(toks("1.5e-3")[0], Tok::Float("1.5e-3".into()));
        assert_eq!(toks(".5")[0], Tok::Float(".5".into()));
        assert_eq!(toks("0")[0], Tok::Int(0));
        assert!(tokenize("09").is_err());
        assert!(tokenize("0x").is_err());
        assert!(tokenize("99999999999999999999999").is_err());
    }

    #[test]
    fn decodes_string_escapes() {
        let t = toks(r#""a\n\t\"b\x41\101\u00e9" 'single\''"#);
        assert_eq!(t[0], Tok::Str("a\n\t\"bAAé".into()));
        assert_eq!(t[1], Tok::Str("single'".into()));
    }

    #[test]
    fn positions_are_line_and_column() {
        let t = tokenize("a\n  bb\n\tc").expect("lexes");
        assert_eq!((t[1].line, t[1].column), (2, 3));
        assert_eq!((t[2].line, t[2].column), (3, 2));
    }

    #[test]
    fn unterminated_comment_and_string_report_start() {
        let e = tokenize("x\n  /* never closed").expect_err("must fail");
        assert_eq!(e.position(), Some((2, 3)));
        assert!(e.to_string().contains("unterminated block comment"), "{e}");
        let e = tokenize("a \"abc\nd\"").expect_err("must fail");
        assert_eq!(e.position(), Some((1, 3)));
        assert!(e.to_string().contains("unterminated string"), "{e}");
    }

    #[test]
    fn rejects_bad_characters_and_escapes() {
        let e = tokenize("message é").expect_err("must fail");
        assert_eq!(e.position(), Some((1, 9)));
        let e = tokenize(r#""\q""#).expect_err("must fail");
        assert!(e.to_string().contains("unknown escape"), "{e}");
        assert!(tokenize(r#""\u12""#).is_err());
        assert!(tokenize("#").is_err());
    }
}
