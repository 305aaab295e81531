//! Property tests: generated files diff to nothing against themselves; arbitrary text and
//! token soup never panic the parser.

use proptest::prelude::*;

use super::{diff_proto, parse_proto};
use crate::diff::{ChangeType, Classification};

const SCALARS: &[&str] = &[
    "int32", "int64", "string", "bytes", "bool", "double", "fixed32",
];
const LABELS: &[&str] = &["", "repeated ", "optional "];

#[derive(Debug, Clone)]
struct GenField {
    label: usize,
    ty: usize,
    oneof: bool,
    json: bool,
}

#[derive(Debug, Clone)]
struct GenMsg {
    fields: Vec<GenField>,
    nested: bool,
    enum_values: usize,
}

fn gen_field() -> impl Strategy<Value = GenField> {
    (
        0..LABELS.len(),
        0..SCALARS.len() + 2,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(label, ty, oneof, json)| GenField {
            label,
            ty,
            oneof,
            json,
        })
}

fn gen_msg() -> impl Strategy<Value = GenMsg> {
    (
        prop::collection::vec(gen_field(), 0..8),
        any::<bool>(),
        0..4usize,
    )
        .prop_map(|(fields, nested, enum_values)| GenMsg {
            fields,
            nested,
            enum_values,
        })
}

/// Renders a proto3 file; types beyond the scalars refer to other generated messages.
fn render(pkg: bool, msgs: &[GenMsg], streams: &[(bool, bool)]) -> String {
    let mut s = String::from("syntax = \"proto3\";\n");
    if pkg {
        s.push_str("package gen.v1;\n");
    }
    let n = msgs.len();
    for (i, m) in msgs.iter().enumerate() {
        s.push_str(&format!("message M{i} {{\n"));
        let mut oneof = Vec::new();
        for (j, f) in m.fields.iter().enumerate() {
            let ty = match f.ty.checked_sub(SCALARS.len()) {
                None => SCALARS[f.ty].to_string(),
                Some(0) => format!("M{}", (i + 1) % n),
                Some(_) if m.nested => "Inner".to_string(),
                Some(_) => "map<string, int64>".to_string(),
            };
            let map = ty.starts_with("map<");
            let opts = if f.json { " [json_name = \"j\"]" } else { "" };
            let name = format!("f{j}");
            if f.oneof && !map {
                oneof.push(format!("    {ty} {name} = {}{opts};\n", j + 1));
            } else {
                let label = if map { "" } else { LABELS[f.label] };
                s.push_str(&format!("  {label}{ty} {name} = {}{opts};\n", j + 1));
            }
        }
        if !oneof.is_empty() {
            s.push_str("  oneof choice {\n");
            for line in oneof {
                s.push_str(&line);
            }
            s.push_str("  }\n");
        }
        if m.nested {
            s.push_str("  message Inner { string x = 1; }\n");
        }
        if m.enum_values > 0 {
            s.push_str(&format!("  enum E{i} {{\n"));
            for v in 0..m.enum_values {
                s.push_str(&format!("    E{i}_V{v} = {v};\n"));
            }
            s.push_str("  }\n");
        }
        s.push_str("}\n");
    }
    if n > 0 {
        s.push_str("service Svc {\n");
        for (k, (a, b)) in streams.iter().enumerate() {
            let st = |x: bool| if x { "stream " } else { "" };
            s.push_str(&format!(
                "  rpc Call{k}({}M{}) returns ({}M{});\n",
                st(*a),
                k % n,
                st(*b),
                (k + 1) % n
            ));
        }
        s.push_str("}\n");
    }
    s
}

const SOUP: &[&str] = &[
    "syntax",
    "=",
    "\"proto3\"",
    ";",
    "message",
    "M",
    "{",
    "}",
    "enum",
    "E",
    "int32",
    "x",
    "1",
    "-",
    "repeated",
    "optional",
    "required",
    "map",
    "<",
    ">",
    ",",
    "oneof",
    "group",
    "G",
    "service",
    "rpc",
    "(",
    ")",
    "returns",
    "stream",
    "option",
    "[",
    "]",
    "reserved",
    "to",
    "max",
    "extensions",
    "extend",
    ".",
    "package",
    "import",
    "\"a\"",
    "/*",
    "*/",
    "//",
    "\n",
    "0x1",
    "1.5",
    "'s",
    "\\",
    "edition",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn generated_files_parse_and_diff_to_nothing(
        pkg in any::<bool>(),
        msgs in prop::collection::vec(gen_msg(), 0..6),
        streams in prop::collection::vec((any::<bool>(), any::<bool>()), 0..4),
    ) {
        let text = render(pkg, &msgs, &streams);
        let parsed = parse_proto(&text);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), text);
        prop_assert_eq!(diff_proto(&text, &text), vec![]);
    }

    #[test]
    fn appending_a_message_is_one_non_breaking_add(
        msgs in prop::collection::vec(gen_msg(), 1..5),
    ) {
        let text = render(true, &msgs, &[]);
        let grown = format!("{text}message Appended {{ string a = 1; }}\n");
        let changes = diff_proto(&text, &grown);
        prop_assert_eq!(changes.len(), 1);
        prop_assert_eq!(changes[0].path.as_str(), "grpc.messages[gen.v1.Appended]");
        prop_assert_eq!(changes[0].change_type, ChangeType::Added);
        prop_assert_eq!(changes[0].classification, Classification::NonBreaking);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in "\\PC{0,300}") {
        let _ = parse_proto(&s);
    }

    #[test]
    fn parse_never_panics_on_token_soup(
        toks in prop::collection::vec(prop::sample::select(SOUP), 0..200),
    ) {
        let text = toks.join(" ");
        let _ = parse_proto(&text);
        let _ = diff_proto(&text, "syntax = \"proto3\";");
    }
}
