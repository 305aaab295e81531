//! Parser tests on realistic files, error positions and hostile input.

use super::ast::{FieldType, ImportKind, Label, Message, OptionValue, Syntax};
use super::{MAX_DEPTH, MAX_INPUT_BYTES, ProtoError, parse_proto};

const LIBRARY: &str = include_str!("../../../tests/fixtures/proto/library.proto");
const LEGACY: &str = include_str!("../../../tests/fixtures/proto/legacy.proto");
const EDITIONS: &str = include_str!("../../../tests/fixtures/proto/editions.proto");

fn msg<'a>(ms: &'a [Message], name: &str) -> &'a Message {
    ms.iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("message {name} missing"))
}

fn pos(text: &str) -> (u32, u32, String) {
    let e = parse_proto(text).expect_err("must fail");
    let (l, c) = e.position().expect("has a position");
    (l, c, e.to_string())
}

#[test]
fn google_style_file_header_imports_and_options() {
    let f = parse_proto(LIBRARY).expect("parses");
    assert_eq!(f.syntax, Syntax::Proto3);
    assert_eq!(f.package.as_deref(), Some("example.library.v1"));
    let kinds: Vec<_> = f
        .imports
        .iter()
        .map(|i| (i.path.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("google/api/annotations.proto", ImportKind::Plain),
            ("google/protobuf/timestamp.proto", ImportKind::Public),
            ("google/protobuf/empty.proto", ImportKind::Weak),
        ]
    );
    assert_eq!(f.options[0].name, "go_package");
    assert_eq!(
        f.options[0].value,
        OptionValue::Str("example.com/library/v1;libraryv1".into())
    );
    assert_eq!(f.options[1].value, OptionValue::Ident("true".into()));
    assert_eq!(f.options[2].name, "(example.custom).flags");
    match &f.options[2].value {
        OptionValue::Aggregate(a) => {
            assert!(a.starts_with("{ enabled : true"), "{a}");
            assert!(a.ends_with("depth : 2 } }"), "{a}");
        }
        other => panic!("expected aggregate, got {other:?}"),
    }
}

#[test]
fn google_style_service_with_streams_and_bodies() {
    let f = parse_proto(LIBRARY).expect("parses");
    let s = &f.services[0];
    assert_eq!(s.name, "LibraryService");
    assert_eq!(s.options[0].name, "(google.api.default_host)");
    let sig: Vec<_> = s
        .rpcs
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.request_stream,
                r.request.as_str(),
                r.response_stream,
                r.response.as_str(),
            )
        })
        .collect();
    assert_eq!(
        sig,
        vec![
            ("GetBook", false, "GetBookRequest", false, "Book"),
            ("ListBooks", false, "ListBooksRequest", true, "Book"),
            ("UploadBooks", true, "Book", false, "UploadSummary"),
            (
                "Chat",
                true,
                "ChatMessage",
                true,
                ".example.library.v1.ChatMessage"
            ),
            ("Delete", false, "Book", false, "google.protobuf.Empty"),
        ]
    );
    assert_eq!(s.rpcs[0].options[0].name, "(google.api.http)");
    assert_eq!(s.rpcs[4].options[0].name, "deprecated");
}

#[test]
fn google_style_messages_fields_oneofs_maps_enums_reserved() {
    let f = parse_proto(LIBRARY).expect("parses");
    let book = msg(&f.messages, "Book");
    let names: Vec<_> = book.fields.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "name",
            "title",
            "authors",
            "published",
            "locations",
            "page_count",
            "genre",
            "paper",
            "ebook"
        ]
    );
    assert_eq!(
        book.fields[0].option("json_name"),
        Some(&OptionValue::Str("bookName".into()))
    );
    assert_eq!(book.fields[2].label, Label::Repeated);
    assert_eq!(book.fields[5].label, Label::Optional);
    assert_eq!(
        book.fields[4].ty,
        FieldType::Map {
            key: "string".into(),
            value: "Shelf.Location".into()
        }
    );
    assert_eq!(book.fields[7].oneof.as_deref(), Some("format"));
    assert_eq!(book.fields[1].oneof, None);
    assert_eq!(book.oneofs, vec!["format".to_string()]);
    assert_eq!(book.messages.len(), 2);
    let genre = &book.enums[0];
    assert_eq!(genre.options[0].name, "allow_alias");
    assert_eq!(genre.values.len(), 4);
    assert_eq!(genre.values[2].number, 1);
    assert!(book.reserved.contains_number(25));
    assert!(book.reserved.contains_number(8));
    assert!(!book.reserved.contains_number(31));
    assert_eq!(book.reserved.names, vec!["isbn", "old_title"]);
    let vis = &f.enums[0];
    assert_eq!(vis.values[2].number, -2);
    assert!(vis.reserved.contains_number(i64::from(i32::MAX)));
    assert_eq!(vis.reserved.names, vec!["SECRET"]);
    assert_eq!(msg(&f.messages, "ChatMessage").fields[0].name, "text");
}

#[test]
fn proto2_groups_extensions_required_defaults() {
    let f = parse_proto(LEGACY).expect("parses");
    assert_eq!(f.syntax, Syntax::Proto2);
    let sr = msg(&f.messages, "SearchResponse");
    assert_eq!(sr.fields[0].label, Label::Required);
    assert_eq!(
        sr.fields[1].option("default"),
        Some(&OptionValue::Str("all \"things\"\n".into()))
    );
    let result = &sr.fields[2];
    assert_eq!(result.name, "result");
    assert_eq!(result.label, Label::Repeated);
    assert_eq!(result.ty, FieldType::Group("Result".into()));
    let group = msg(&sr.messages, "Result");
    assert!(group.is_group);
    assert_eq!(group.fields.len(), 3);
    assert_eq!(group.fields[0].label, Label::Required);
    assert_eq!(
        sr.fields[3].option("default"),
        Some(&OptionValue::Number("-1.5e3".into()))
    );
    assert_eq!(
        sr.fields[4].option("default"),
        Some(&OptionValue::Number("16".into()))
    );
    assert_eq!(sr.extensions, vec![(100, 199), (1000, 536_870_911)]);
    // Top-level extend with a group: the group's message joins the file scope.
    assert_eq!(f.extends[0].extendee, "SearchResponse");
    assert_eq!(f.extends[0].fields.len(), 2);
    assert!(msg(&f.messages, "Trace").is_group);
    let holder = msg(&f.messages, "Holder");
    assert_eq!(holder.extends[0].fields[0].name, "holders");
    assert_eq!(
        holder.fields[1].ty,
        FieldType::Named(".legacy.Holder".into())
    );
}

#[test]
fn editions_syntax_and_bare_reserved_names() {
    let f = parse_proto(EDITIONS).expect("parses");
    assert_eq!(f.syntax, Syntax::Edition("2023".into()));
    assert_eq!(f.options[0].name, "features.field_presence");
    let m = &f.messages[0];
    assert_eq!(m.reserved.names, vec!["foo", "bar"]);
    assert_eq!(m.fields[0].options[0].name, "features.field_presence");
}

#[test]
fn no_syntax_means_proto2_and_keywords_work_as_names() {
    let f = parse_proto(
        "message stream { optional int32 message = 1; optional string syntax = 2; }\n\
         service S { rpc R(stream) returns (stream stream); }",
    )
    .expect("parses");
    assert_eq!(f.syntax, Syntax::Proto2);
    assert_eq!(f.messages[0].fields[0].name, "message");
    let r = &f.services[0].rpcs[0];
    assert!(!r.request_stream && r.request == "stream");
    assert!(r.response_stream && r.response == "stream");
}

#[test]
fn unlabelled_fully_qualified_field_type() {
    let f = parse_proto("syntax = \"proto3\"; message A { .x.B b = 1; }").expect("parses");
    assert_eq!(f.messages[0].fields[0].ty, FieldType::Named(".x.B".into()));
}

#[test]
fn adjacent_strings_concatenate() {
    let f = parse_proto("option x = \"ab\" 'cd';").expect("parses");
    assert_eq!(f.options[0].value, OptionValue::Str("abcd".into()));
}

#[test]
fn error_positions_name_what_was_expected() {
    let (l, c, m) = pos("syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}");
    assert_eq!((l, c), (3, 13));
    assert!(m.contains("expected a field number, found ';'"), "{m}");

    let (l, c, m) = pos("message A {\n  string name = 1\n}");
    assert_eq!((l, c), (3, 1));
    assert!(m.contains("expected ';' after field 'name'"), "{m}");

    let (l, c, m) = pos("message A { int32 x = 1;");
    assert_eq!((l, c), (1, 25));
    assert!(
        m.contains("'}' to close message 'A'") && m.contains("end of input"),
        "{m}"
    );

    let (l, c, m) = pos("syntax = \"proto4\";");
    assert_eq!((l, c), (1, 10));
    assert!(m.contains("expected \"proto2\" or \"proto3\""), "{m}");

    let (_, _, m) = pos("service S { rpc A(B) return (C); }");
    assert!(
        m.contains("expected 'returns', found identifier 'return'"),
        "{m}"
    );

    let (l, c, m) = pos("foo bar;");
    assert_eq!((l, c), (1, 1));
    assert!(m.contains("top-level declaration"), "{m}");
}

#[test]
fn semantic_errors_are_positioned() {
    let (l, c, m) = pos("message A {\n  int32 a = 1;\n  int32 b = 1;\n}");
    assert_eq!((l, c), (3, 3));
    assert!(
        m.contains("field number 1 of 'b' is already used by 'a'"),
        "{m}"
    );
    let (_, _, m) = pos("message A { int32 a = 0; }");
    assert!(m.contains("out of range"), "{m}");
    let (_, _, m) = pos("message A { int32 a = 536870912; }");
    assert!(m.contains("out of range"), "{m}");
    let (_, _, m) = pos("message A { map<float, int32> m = 1; }");
    assert!(m.contains("map key type 'float' is not allowed"), "{m}");
    let (_, _, m) = pos("message A { oneof o { repeated int32 x = 1; } }");
    assert!(m.contains("oneof fields take no label"), "{m}");
    let (_, _, m) = pos("enum E { A = 2147483648; }");
    assert!(m.contains("does not fit in 32 bits"), "{m}");
    let (_, _, m) = pos("message A { reserved 9 to 3; }");
    assert!(m.contains("range end"), "{m}");
    let (l, _, m) = pos("package a;\nsyntax = \"proto3\";");
    assert_eq!(l, 2);
    assert!(m.contains("must come before"), "{m}");
}

#[test]
fn hostile_unterminated_comment_and_string() {
    let e = parse_proto("message A { /* open").expect_err("fails");
    assert!(
        matches!(
            e,
            ProtoError::Lex {
                line: 1,
                column: 13,
                ..
            }
        ),
        "{e:?}"
    );
    let e = parse_proto("option x = \"never closed;\nmessage A {}").expect_err("fails");
    assert!(
        matches!(
            e,
            ProtoError::Lex {
                line: 1,
                column: 12,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn hostile_deep_nesting_is_refused_not_overflowed() {
    let braces = "{".repeat(10_000);
    let e = parse_proto(&braces).expect_err("fails");
    assert_eq!(e.category(), "syntax");

    let nested = "message A { ".repeat(10_000);
    let e = parse_proto(&nested).expect_err("fails");
    assert!(
        matches!(e, ProtoError::TooDeep { limit, .. } if limit == MAX_DEPTH),
        "{e:?}"
    );

    let agg = format!("option x = {};", "{ a ".repeat(10_000));
    let e = parse_proto(&agg).expect_err("fails");
    assert!(matches!(e, ProtoError::TooDeep { .. }), "{e:?}");

    // Exactly at the limit still parses.
    let ok = format!(
        "{}{}",
        "message A { ".repeat(MAX_DEPTH),
        "}".repeat(MAX_DEPTH)
    );
    parse_proto(&ok).expect("depth 64 is accepted");
}

#[test]
fn hostile_size_limit() {
    let big = " ".repeat(MAX_INPUT_BYTES + 1);
    let e = parse_proto(&big).expect_err("fails");
    assert!(matches!(e, ProtoError::TooLarge { .. }));
    assert_eq!(e.position(), None);
}

#[test]
fn hostile_random_bytes_never_panic() {
    // Deterministic xorshift so failures reproduce.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        let len = (x % 400) as usize;
        let mut bytes = Vec::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.push((x & 0xff) as u8);
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_proto(&text);
        // Mutations of a valid file exercise deeper parser paths.
        let cut = (x as usize) % LIBRARY.len();
        let mut mutated = LIBRARY.as_bytes().to_vec();
        mutated[cut] = (x >> 8) as u8;
        let _ = parse_proto(&String::from_utf8_lossy(&mutated));
        let mut end = cut;
        while !LIBRARY.is_char_boundary(end) {
            end -= 1;
        }
        let _ = parse_proto(&LIBRARY[..end]);
    }
}

#[test]
fn large_flat_file_parses() {
    let mut s = String::from("syntax = \"proto3\";\n");
    for i in 0..5_000 {
        s.push_str(&format!(
            "message M{i} {{ string a = 1; repeated int64 b = 2; }}\n"
        ));
    }
    assert!(s.len() < MAX_INPUT_BYTES);
    let start = std::time::Instant::now();
    let f = parse_proto(&s).expect("parses");
    let parsed = start.elapsed();
    assert_eq!(f.messages.len(), 5_000);
    let changed = s.replace("M4999 { string a = 1;", "M4999 { bytes a = 1;");
    let start = std::time::Instant::now();
    let changes = super::diff_proto(&s, &changed);
    eprintln!(
        "flat file of {} bytes: parse {parsed:?}, parse both + diff {:?}",
        s.len(),
        start.elapsed()
    );
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "grpc.messages[M4999].fields[a]");
}

/// 64 nested scopes with long names and tens of thousands of fields referring to them:
/// resolution must stay linear (this used to allocate a full scope name per lookup).
#[test]
fn hostile_long_deep_names_with_many_fields_stay_linear() {
    let name = "N".repeat(2_000);
    let mut s = String::new();
    for _ in 0..MAX_DEPTH {
        s.push_str(&format!("message {name} {{ "));
    }
    let mut i = 1;
    while s.len() < MAX_INPUT_BYTES - 40_000 {
        // Unresolvable short names walk every scope on the way out.
        s.push_str(&format!("X f{i} = {i}; "));
        i += 1;
    }
    s.push_str(&"}".repeat(MAX_DEPTH));
    assert!(s.len() <= MAX_INPUT_BYTES);
    let start = std::time::Instant::now();
    parse_proto(&s).expect("parses");
    eprintln!("parse: {:?}", start.elapsed());
    let start = std::time::Instant::now();
    let changes = super::diff_proto(&s, &s);
    assert!(changes.is_empty(), "{:?}", changes.first());
    eprintln!(
        "hostile deep/long-name diff of {} bytes: {:?}",
        s.len(),
        start.elapsed()
    );
}
