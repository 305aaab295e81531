//! Syntax tree of one `.proto` file, as written (type names are not resolved here).

use std::fmt;

/// Largest field or extension number protobuf allows (2^29 - 1); `max` in ranges.
pub const MAX_FIELD_NUMBER: u32 = 536_870_911;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtoFile {
    pub syntax: Syntax,
    pub package: Option<String>,
    pub imports: Vec<Import>,
    pub options: Vec<OptionDecl>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub services: Vec<Service>,
    pub extends: Vec<Extend>,
}

/// The `syntax` / `edition` line; a file without one is proto2.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Syntax {
    #[default]
    Proto2,
    Proto3,
    Edition(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Plain,
    Weak,
    Public,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub path: String,
    pub kind: ImportKind,
}

/// `option name = value;` or `[name = value]`. Names keep parentheses for extensions,
/// e.g. `(google.api.http).get`.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionDecl {
    pub name: String,
    pub value: OptionValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Identifier constant: `true`, `SPEED`, `inf`, `-inf`.
    Ident(String),
    /// Numeric constant as written, with its sign.
    Number(String),
    Str(String),
    /// Text-format message `{ ... }`, tokens joined by single spaces.
    Aggregate(String),
}

impl fmt::Display for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ident(s) | Self::Number(s) | Self::Aggregate(s) => f.write_str(s),
            Self::Str(s) => write!(f, "{s:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Message {
    pub name: String,
    pub fields: Vec<Field>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    /// Names of the `oneof`s declared here; their fields live in `fields`.
    pub oneofs: Vec<String>,
    pub reserved: Reserved,
    /// `extensions` ranges, inclusive.
    pub extensions: Vec<(u32, u32)>,
    pub extends: Vec<Extend>,
    pub options: Vec<OptionDecl>,
    /// True when this message was declared by a proto2 `group` field.
    pub is_group: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reserved {
    /// Inclusive number ranges.
    pub ranges: Vec<(i64, i64)>,
    pub names: Vec<String>,
}

impl Reserved {
    pub fn contains_number(&self, n: i64) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= n && n <= hi)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// No label: proto3 implicit presence, or a oneof/map field.
    None,
    Optional,
    Required,
    Repeated,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Optional => "optional",
            Self::Required => "required",
            Self::Repeated => "repeated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A scalar keyword (`int32`, `string`, …) or a message/enum name as written.
    Named(String),
    Map {
        key: String,
        value: String,
    },
    /// proto2 group; the name is the nested message it declares.
    Group(String),
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named(n) => f.write_str(n),
            Self::Map { key, value } => write!(f, "map<{key}, {value}>"),
            Self::Group(n) => write!(f, "group {n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub number: u32,
    pub label: Label,
    pub ty: FieldType,
    /// Name of the enclosing `oneof`, if any.
    pub oneof: Option<String>,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub column: u32,
}

impl Field {
    pub fn option(&self, name: &str) -> Option<&OptionValue> {
        self.options
            .iter()
            .find(|o| o.name == name)
            .map(|o| &o.value)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Enum {
    pub name: String,
    pub values: Vec<EnumValue>,
    pub options: Vec<OptionDecl>,
    pub reserved: Reserved,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: String,
    pub number: i32,
    pub options: Vec<OptionDecl>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Service {
    pub name: String,
    pub rpcs: Vec<Rpc>,
    pub options: Vec<OptionDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rpc {
    pub name: String,
    pub request: String,
    pub request_stream: bool,
    pub response: String,
    pub response_stream: bool,
    pub options: Vec<OptionDecl>,
}

/// `extend Foo { ... }`: fields added to another message.
#[derive(Debug, Clone, PartialEq)]
pub struct Extend {
    pub extendee: String,
    pub fields: Vec<Field>,
}
