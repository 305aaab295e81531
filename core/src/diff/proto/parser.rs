//! Recursive-descent parser for proto2, proto3 and editions files. Keyword handling follows
//! protoc: in a body, `message`, `enum`, `option`, `oneof`, `reserved`, `extensions` and
//! `extend` start declarations; anything else is a field.

use std::collections::HashMap;

use super::ast::{
    Enum, EnumValue, Extend, Field, FieldType, Import, ImportKind, Label, MAX_FIELD_NUMBER,
    Message, OptionDecl, OptionValue, ProtoFile, Reserved, Rpc, Service, Syntax,
};
use super::error::{MAX_DEPTH, MAX_INPUT_BYTES, ProtoError};
use super::lexer::{Tok, Token, tokenize};

/// Parses `.proto` source text. Input above [`MAX_INPUT_BYTES`] or nested deeper than
/// [`MAX_DEPTH`] is refused with an error; no input makes this panic.
pub fn parse_proto(text: &str) -> Result<ProtoFile, ProtoError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ProtoError::TooLarge {
            size: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let toks = tokenize(text)?;
    let eof = toks.last().cloned().unwrap_or(Token {
        tok: Tok::Eof,
        line: 1,
        column: 1,
    });
    Parser {
        toks,
        eof,
        i: 0,
        depth: 0,
    }
    .file()
}

const SCALARS_FOR_MAP_KEY: &[&str] = &[
    "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
    "sfixed64", "bool", "string",
];

struct Parser {
    toks: Vec<Token>,
    eof: Token,
    i: usize,
    depth: usize,
}

type R<T> = Result<T, ProtoError>;

impl Parser {
    // ---- token helpers ----

    fn cur(&self) -> &Token {
        self.toks.get(self.i).unwrap_or(&self.eof)
    }

    fn tok(&self) -> &Tok {
        &self.cur().tok
    }

    fn tok_at(&self, n: usize) -> &Tok {
        self.toks.get(self.i + n).map_or(&self.eof.tok, |t| &t.tok)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.tok(), Tok::Ident(s) if s == kw)
    }

    fn is_sym(&self, c: char) -> bool {
        *self.tok() == Tok::Symbol(c)
    }

    fn eat_sym(&mut self, c: char) -> bool {
        let hit = self.is_sym(c);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.is_kw(kw);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn err(&self, expected: impl Into<String>) -> ProtoError {
        let t = self.cur();
        ProtoError::Unexpected {
            line: t.line,
            column: t.column,
            expected: expected.into(),
            found: t.tok.describe(),
        }
    }

    fn invalid_at(t: &Token, message: String) -> ProtoError {
        ProtoError::Invalid {
            line: t.line,
            column: t.column,
            message,
        }
    }

    fn expect_sym(&mut self, c: char, context: &str) -> R<()> {
        if self.eat_sym(c) {
            Ok(())
        } else {
            Err(self.err(format!("'{c}' {context}")))
        }
    }

    fn expect_kw(&mut self, kw: &str) -> R<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.err(format!("'{kw}'")))
        }
    }

    fn ident(&mut self, what: &str) -> R<String> {
        match self.tok() {
            Tok::Ident(s) => {
                let s = s.clone();
                self.i += 1;
                Ok(s)
            }
            _ => Err(self.err(what.to_string())),
        }
    }

    /// `a.b.c`
    fn full_ident(&mut self, what: &str) -> R<String> {
        let mut s = self.ident(what)?;
        while self.is_sym('.') {
            self.i += 1;
            s.push('.');
            s.push_str(&self.ident("an identifier after '.'")?);
        }
        Ok(s)
    }

    /// `.a.b.C` or `a.b.C`
    fn type_name(&mut self, what: &str) -> R<String> {
        if self.eat_sym('.') {
            Ok(format!(".{}", self.full_ident(what)?))
        } else {
            self.full_ident(what)
        }
    }

    fn int(&mut self, what: &str) -> R<u64> {
        match *self.tok() {
            Tok::Int(n) => {
                self.i += 1;
                Ok(n)
            }
            _ => Err(self.err(what.to_string())),
        }
    }

    /// One or more adjacent string literals, concatenated as protoc does.
    fn string_lit(&mut self, what: &str) -> R<String> {
        let mut out = match self.tok() {
            Tok::Str(s) => s.clone(),
            _ => return Err(self.err(what.to_string())),
        };
        self.i += 1;
        while let Tok::Str(s) = self.tok() {
            out.push_str(s);
            self.i += 1;
        }
        Ok(out)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let t = self.cur();
            return Err(ProtoError::TooDeep {
                line: t.line,
                column: t.column,
                limit: MAX_DEPTH,
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ---- file ----

    fn file(mut self) -> R<ProtoFile> {
        let mut file = ProtoFile::default();
        let mut first = true;
        loop {
            let start = self.cur().clone();
            match self.tok() {
                Tok::Eof => return Ok(file),
                Tok::Symbol(';') => {
                    self.i += 1;
                    continue;
                }
                Tok::Ident(kw) => match kw.as_str() {
                    "syntax" | "edition" => {
                        let is_edition = kw == "edition";
                        if !first {
                            return Err(Self::invalid_at(
                                &start,
                                "the syntax/edition statement must come before any other declaration"
                                    .into(),
                            ));
                        }
                        self.i += 1;
                        file.syntax = self.syntax(is_edition)?;
                    }
                    "package" => {
                        self.i += 1;
                        if file.package.is_some() {
                            return Err(Self::invalid_at(
                                &start,
                                "a file can declare only one package".into(),
                            ));
                        }
                        file.package = Some(self.full_ident("a package name")?);
                        self.expect_sym(';', "after the package name")?;
                    }
                    "import" => {
                        self.i += 1;
                        let kind = if self.eat_kw("weak") {
                            ImportKind::Weak
                        } else if self.eat_kw("public") {
                            ImportKind::Public
                        } else {
                            ImportKind::Plain
                        };
                        let path = self.string_lit("an import path string")?;
                        self.expect_sym(';', "after the import path")?;
                        file.imports.push(Import { path, kind });
                    }
                    "option" => {
                        self.i += 1;
                        file.options.push(self.option_stmt()?);
                    }
                    "message" => {
                        self.i += 1;
                        let m = self.message()?;
                        file.messages.push(m);
                    }
                    "enum" => {
                        self.i += 1;
                        file.enums.push(self.enum_def()?);
                    }
                    "service" => {
                        self.i += 1;
                        file.services.push(self.service()?);
                    }
                    "extend" => {
                        self.i += 1;
                        let ext = self.extend(&mut file.messages)?;
                        file.extends.push(ext);
                    }
                    _ => return Err(self.err(TOP_LEVEL)),
                },
                _ => return Err(self.err(TOP_LEVEL)),
            }
            first = false;
        }
    }

    fn syntax(&mut self, is_edition: bool) -> R<Syntax> {
        self.expect_sym('=', "after 'syntax'/'edition'")?;
        let value_tok = self.cur().clone();
        let value = self.string_lit("a quoted syntax or edition, like \"proto3\"")?;
        self.expect_sym(';', "after the syntax statement")?;
        if is_edition {
            return Ok(Syntax::Edition(value));
        }
        match value.as_str() {
            "proto2" => Ok(Syntax::Proto2),
            "proto3" => Ok(Syntax::Proto3),
            other => Err(Self::invalid_at(
                &value_tok,
                format!("unknown syntax \"{other}\": expected \"proto2\" or \"proto3\""),
            )),
        }
    }

    // ---- options ----

    /// After `option`: `name = constant ;`
    fn option_stmt(&mut self) -> R<OptionDecl> {
        let decl = self.option_assignment()?;
        self.expect_sym(';', "after the option value")?;
        Ok(decl)
    }

    fn option_assignment(&mut self) -> R<OptionDecl> {
        let name = self.option_name()?;
        self.expect_sym('=', "after the option name")?;
        let value = self.constant()?;
        Ok(OptionDecl { name, value })
    }

    /// `simple`, `(full.ext)`, `(ext).sub.field`
    fn option_name(&mut self) -> R<String> {
        let mut name = String::new();
        loop {
            if self.eat_sym('(') {
                let ext = self.type_name("an extension name inside '( )'")?;
                self.expect_sym(')', "closing the extension name")?;
                name.push('(');
                name.push_str(&ext);
                name.push(')');
            } else {
                name.push_str(&self.ident("an option name")?);
            }
            if self.eat_sym('.') {
                name.push('.');
            } else {
                return Ok(name);
            }
        }
    }

    fn constant(&mut self) -> R<OptionValue> {
        match self.tok().clone() {
            Tok::Symbol(sign @ ('-' | '+')) => {
                self.i += 1;
                let body = match self.tok().clone() {
                    Tok::Int(n) => n.to_string(),
                    Tok::Float(f) => f,
                    Tok::Ident(s) if s == "inf" || s == "nan" => s,
                    _ => return Err(self.err("a number after the sign")),
                };
                self.i += 1;
                let sign = if sign == '-' { "-" } else { "" };
                Ok(OptionValue::Number(format!("{sign}{body}")))
            }
            Tok::Int(n) => {
                self.i += 1;
                Ok(OptionValue::Number(n.to_string()))
            }
            Tok::Float(f) => {
                self.i += 1;
                Ok(OptionValue::Number(f))
            }
            Tok::Str(_) => Ok(OptionValue::Str(self.string_lit("a string")?)),
            Tok::Ident(_) => Ok(OptionValue::Ident(self.full_ident("an identifier")?)),
            Tok::Symbol('{') => Ok(OptionValue::Aggregate(self.aggregate()?)),
            _ => Err(self.err("an option value (number, string, identifier or '{ ... }')")),
        }
    }

    /// Text-format aggregate `{ ... }`: balanced braces scanned iteratively, kept as text.
    fn aggregate(&mut self) -> R<String> {
        let mut parts: Vec<String> = Vec::new();
        let mut depth = 0usize;
        loop {
            let t = self.cur().clone();
            match &t.tok {
                Tok::Eof => return Err(self.err("'}' closing the option value")),
                Tok::Symbol('{') => {
                    depth += 1;
                    if self.depth + depth > MAX_DEPTH {
                        return Err(ProtoError::TooDeep {
                            line: t.line,
                            column: t.column,
                            limit: MAX_DEPTH,
                        });
                    }
                }
                Tok::Symbol('}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.i += 1;
            parts.push(match t.tok {
                Tok::Ident(s) | Tok::Float(s) => s,
                Tok::Int(n) => n.to_string(),
                Tok::Str(s) => format!("{s:?}"),
                Tok::Symbol(c) => c.to_string(),
                Tok::Eof => String::new(),
            });
            if depth == 0 {
                return Ok(parts.join(" "));
            }
        }
    }

    /// Optional `[a = 1, (b).c = "x"]`.
    fn field_options(&mut self) -> R<Vec<OptionDecl>> {
        let mut opts = Vec::new();
        if !self.eat_sym('[') {
            return Ok(opts);
        }
        loop {
            opts.push(self.option_assignment()?);
            if self.eat_sym(']') {
                return Ok(opts);
            }
            self.expect_sym(',', "or ']' between field options")?;
        }
    }

    // ---- messages ----

    /// After `message`: `Name { body }`
    fn message(&mut self) -> R<Message> {
        let name = self.ident("a message name")?;
        self.expect_sym('{', &format!("to open message '{name}'"))?;
        let mut msg = Message {
            name,
            ..Message::default()
        };
        self.message_body(&mut msg)?;
        Ok(msg)
    }

    /// Statements up to and including the closing `}`.
    fn message_body(&mut self, msg: &mut Message) -> R<()> {
        self.enter()?;
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.eat_sym(';') {
                continue;
            }
            if *self.tok() == Tok::Eof {
                return Err(self.err(format!("'}}' to close message '{}'", msg.name)));
            }
            let kw = match self.tok() {
                Tok::Ident(s) => s.clone(),
                // A field whose type is fully qualified: `.pkg.Type name = 1;`
                Tok::Symbol('.') => String::new(),
                _ => {
                    return Err(
                        self.err(format!("a field or declaration in message '{}'", msg.name))
                    );
                }
            };
            match kw.as_str() {
                "message" => {
                    self.i += 1;
                    let m = self.message()?;
                    msg.messages.push(m);
                }
                "enum" => {
                    self.i += 1;
                    msg.enums.push(self.enum_def()?);
                }
                "option" => {
                    self.i += 1;
                    msg.options.push(self.option_stmt()?);
                }
                "reserved" => {
                    self.i += 1;
                    let r = self.reserved(false)?;
                    msg.reserved.ranges.extend(r.ranges);
                    msg.reserved.names.extend(r.names);
                }
                "extensions" => {
                    self.i += 1;
                    let ranges = self.ranges(false)?;
                    self.field_options()?;
                    self.expect_sym(';', "after the extension ranges")?;
                    msg.extensions.extend(ranges.into_iter().map(|(a, b)| {
                        (u32::try_from(a).unwrap_or(0), u32::try_from(b).unwrap_or(0))
                    }));
                }
                "extend" => {
                    self.i += 1;
                    let ext = self.extend(&mut msg.messages)?;
                    msg.extends.push(ext);
                }
                "oneof" => {
                    self.i += 1;
                    self.oneof(msg)?;
                }
                _ => {
                    let f = self.field(&mut msg.messages, None)?;
                    msg.fields.push(f);
                }
            }
        }
        self.leave();
        check_unique_fields(&msg.fields)
    }

    /// After `oneof`: `name { fields }`; fields are added to `msg`.
    fn oneof(&mut self, msg: &mut Message) -> R<()> {
        let name = self.ident("a oneof name")?;
        self.expect_sym('{', &format!("to open oneof '{name}'"))?;
        self.enter()?;
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.eat_sym(';') {
                continue;
            }
            if self.eat_kw("option") {
                self.option_stmt()?;
                continue;
            }
            if *self.tok() == Tok::Eof {
                return Err(self.err(format!("'}}' to close oneof '{name}'")));
            }
            let f = self.field(&mut msg.messages, Some(&name))?;
            msg.fields.push(f);
        }
        self.leave();
        msg.oneofs.push(name);
        Ok(())
    }

    /// A field, map field or group. Groups also push their message into `nested`.
    fn field(&mut self, nested: &mut Vec<Message>, oneof: Option<&str>) -> R<Field> {
        let start = self.cur().clone();
        let label = match self.tok() {
            Tok::Ident(s) if s == "optional" || s == "required" || s == "repeated" => {
                if oneof.is_some() {
                    return Err(self.err("a field type (oneof fields take no label)"));
                }
                let l = match s.as_str() {
                    "optional" => Label::Optional,
                    "required" => Label::Required,
                    _ => Label::Repeated,
                };
                self.i += 1;
                l
            }
            _ => Label::None,
        };
        let oneof = oneof.map(str::to_string);
        if self.is_kw("group") && matches!(self.tok_at(1), Tok::Ident(_)) {
            self.i += 1;
            return self.group(label, oneof, start, nested);
        }
        let ty = if self.is_kw("map") && *self.tok_at(1) == Tok::Symbol('<') {
            self.i += 2;
            let key_tok = self.cur().clone();
            let key = self.ident("a map key type")?;
            if !SCALARS_FOR_MAP_KEY.contains(&key.as_str()) {
                return Err(Self::invalid_at(
                    &key_tok,
                    format!(
                        "map key type '{key}' is not allowed: use an integer type, bool or string"
                    ),
                ));
            }
            self.expect_sym(',', "between map key and value types")?;
            let value = self.type_name("a map value type")?;
            self.expect_sym('>', "to close the map type")?;
            FieldType::Map { key, value }
        } else {
            FieldType::Named(self.type_name("a field type")?)
        };
        let name = self.ident("a field name")?;
        self.expect_sym('=', &format!("after field name '{name}'"))?;
        let number = self.field_number()?;
        let options = self.field_options()?;
        self.expect_sym(';', &format!("after field '{name}'"))?;
        Ok(Field {
            name,
            number,
            label,
            ty,
            oneof,
            options,
            line: start.line,
            column: start.column,
        })
    }

    /// After `group`: `Name = N [opts] { body }`.
    fn group(
        &mut self,
        label: Label,
        oneof: Option<String>,
        start: Token,
        nested: &mut Vec<Message>,
    ) -> R<Field> {
        let name = self.ident("a group name")?;
        self.expect_sym('=', &format!("after group name '{name}'"))?;
        let number = self.field_number()?;
        let options = self.field_options()?;
        self.expect_sym('{', &format!("to open group '{name}'"))?;
        let mut msg = Message {
            name: name.clone(),
            is_group: true,
            ..Message::default()
        };
        self.message_body(&mut msg)?;
        nested.push(msg);
        Ok(Field {
            name: name.to_lowercase(),
            number,
            label,
            ty: FieldType::Group(name),
            oneof,
            options,
            line: start.line,
            column: start.column,
        })
    }

    fn field_number(&mut self) -> R<u32> {
        let t = self.cur().clone();
        let n = self.int("a field number")?;
        match u32::try_from(n) {
            Ok(n) if (1..=MAX_FIELD_NUMBER).contains(&n) => Ok(n),
            _ => Err(Self::invalid_at(
                &t,
                format!("field number {n} is out of range: use 1 to {MAX_FIELD_NUMBER}"),
            )),
        }
    }

    /// After `reserved`: ranges, quoted names, or (editions) bare names; then `;`.
    fn reserved(&mut self, is_enum: bool) -> R<Reserved> {
        let mut r = Reserved::default();
        match self.tok() {
            Tok::Str(_) | Tok::Ident(_) => loop {
                let name = match self.tok() {
                    Tok::Str(_) => self.string_lit("a reserved name")?,
                    _ => self.ident("a reserved name")?,
                };
                r.names.push(name);
                if !self.eat_sym(',') {
                    break;
                }
            },
            _ => r.ranges = self.ranges(is_enum)?,
        }
        self.expect_sym(';', "after the reserved list")?;
        Ok(r)
    }

    /// `1, 5 to 9, 100 to max`; negative numbers only for enums.
    fn ranges(&mut self, is_enum: bool) -> R<Vec<(i64, i64)>> {
        let max = if is_enum {
            i64::from(i32::MAX)
        } else {
            i64::from(MAX_FIELD_NUMBER)
        };
        let mut out = Vec::new();
        loop {
            let lo = self.range_bound(is_enum, max, false)?;
            let hi = if self.eat_kw("to") {
                self.range_bound(is_enum, max, true)?
            } else {
                lo
            };
            if hi < lo {
                return Err(self.err(format!("a range end not below its start {lo}")));
            }
            out.push((lo, hi));
            if !self.eat_sym(',') {
                return Ok(out);
            }
        }
    }

    fn range_bound(&mut self, is_enum: bool, max: i64, allow_max: bool) -> R<i64> {
        if allow_max && self.eat_kw("max") {
            return Ok(max);
        }
        let t = self.cur().clone();
        let neg = is_enum && self.eat_sym('-');
        let n = self.int("a number")?;
        let v = i64::try_from(n).unwrap_or(i64::MAX);
        let v = if neg { -v } else { v };
        let min = if is_enum { i64::from(i32::MIN) } else { 1 };
        if v < min || v > max {
            return Err(Self::invalid_at(
                &t,
                format!("number {v} is out of range: use {min} to {max}"),
            ));
        }
        Ok(v)
    }

    /// After `extend`: `Type { fields }`.
    fn extend(&mut self, nested: &mut Vec<Message>) -> R<Extend> {
        let extendee = self.type_name("the name of the message to extend")?;
        self.expect_sym('{', &format!("to open 'extend {extendee}'"))?;
        self.enter()?;
        let mut fields = Vec::new();
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.eat_sym(';') {
                continue;
            }
            if *self.tok() == Tok::Eof {
                return Err(self.err(format!("'}}' to close 'extend {extendee}'")));
            }
            fields.push(self.field(nested, None)?);
        }
        self.leave();
        Ok(Extend { extendee, fields })
    }

    // ---- enums ----

    fn enum_def(&mut self) -> R<Enum> {
        let name = self.ident("an enum name")?;
        self.expect_sym('{', &format!("to open enum '{name}'"))?;
        self.enter()?;
        let mut e = Enum {
            name,
            ..Enum::default()
        };
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.eat_sym(';') {
                continue;
            }
            if self.eat_kw("option") {
                e.options.push(self.option_stmt()?);
                continue;
            }
            if self.eat_kw("reserved") {
                let r = self.reserved(true)?;
                e.reserved.ranges.extend(r.ranges);
                e.reserved.names.extend(r.names);
                continue;
            }
            if *self.tok() == Tok::Eof {
                return Err(self.err(format!("'}}' to close enum '{}'", e.name)));
            }
            let vname = self.ident(&format!("an enum value name in enum '{}'", e.name))?;
            self.expect_sym('=', &format!("after enum value '{vname}'"))?;
            let t = self.cur().clone();
            let neg = self.eat_sym('-');
            let n = self.int("an enum value number")?;
            let v = i64::try_from(n).unwrap_or(i64::MAX);
            let v = if neg { -v } else { v };
            let number = i32::try_from(v).map_err(|_| {
                Self::invalid_at(&t, format!("enum value {v} does not fit in 32 bits"))
            })?;
            let options = self.field_options()?;
            self.expect_sym(';', &format!("after enum value '{vname}'"))?;
            e.values.push(EnumValue {
                name: vname,
                number,
                options,
            });
        }
        self.leave();
        Ok(e)
    }

    // ---- services ----

    fn service(&mut self) -> R<Service> {
        let name = self.ident("a service name")?;
        self.expect_sym('{', &format!("to open service '{name}'"))?;
        self.enter()?;
        let mut s = Service {
            name,
            ..Service::default()
        };
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.eat_sym(';') {
                continue;
            }
            if self.eat_kw("option") {
                s.options.push(self.option_stmt()?);
                continue;
            }
            if self.eat_kw("rpc") {
                s.rpcs.push(self.rpc()?);
                continue;
            }
            return Err(self.err(format!("'rpc', 'option' or '}}' in service '{}'", s.name)));
        }
        self.leave();
        Ok(s)
    }

    /// After `rpc`: `Name (stream? Req) returns (stream? Resp) (; | { options })`.
    fn rpc(&mut self) -> R<Rpc> {
        let name = self.ident("an rpc name")?;
        let (request, request_stream) = self.rpc_type(&name, "request")?;
        self.expect_kw("returns")?;
        let (response, response_stream) = self.rpc_type(&name, "response")?;
        let mut options = Vec::new();
        if self.eat_sym('{') {
            self.enter()?;
            loop {
                if self.eat_sym('}') {
                    break;
                }
                if self.eat_sym(';') {
                    continue;
                }
                if self.eat_kw("option") {
                    options.push(self.option_stmt()?);
                    continue;
                }
                return Err(self.err(format!("'option' or '}}' in rpc '{name}'")));
            }
            self.leave();
        } else {
            self.expect_sym(';', &format!("or '{{' after rpc '{name}'"))?;
        }
        Ok(Rpc {
            name,
            request,
            request_stream,
            response,
            response_stream,
            options,
        })
    }

    fn rpc_type(&mut self, rpc: &str, side: &str) -> R<(String, bool)> {
        self.expect_sym('(', &format!("before the {side} type of rpc '{rpc}'"))?;
        // `stream` is a keyword (as in protoc) unless it is the whole type name.
        let stream = self.is_kw("stream") && *self.tok_at(1) != Tok::Symbol(')');
        if stream {
            self.i += 1;
        }
        let ty = self.type_name(&format!("the {side} message type"))?;
        self.expect_sym(')', &format!("after the {side} type of rpc '{rpc}'"))?;
        Ok((ty, stream))
    }
}

const TOP_LEVEL: &str =
    "a top-level declaration (syntax, package, import, option, message, enum, service, extend)";

/// Field numbers and names must be unique within a message (diffs key on both).
fn check_unique_fields(fields: &[Field]) -> R<()> {
    let mut numbers: HashMap<u32, &str> = HashMap::new();
    let mut names: HashMap<&str, u32> = HashMap::new();
    for f in fields {
        if let Some(prev) = numbers.insert(f.number, &f.name) {
            return Err(ProtoError::Invalid {
                line: f.line,
                column: f.column,
                message: format!(
                    "field number {} of '{}' is already used by '{prev}'",
                    f.number, f.name
                ),
            });
        }
        if names.insert(&f.name, f.number).is_some() {
            return Err(ProtoError::Invalid {
                line: f.line,
                column: f.column,
                message: format!("field name '{}' is declared twice", f.name),
            });
        }
    }
    Ok(())
}
