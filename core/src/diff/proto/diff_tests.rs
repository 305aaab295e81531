//! One test per gRPC diff rule: path, change type and classification.

use super::diff_proto;
use crate::diff::{Change, ChangeType, Classification};

use ChangeType::{Added, Modified, Removed};
use Classification::{Breaking, NonBreaking, PotentialBreaking};

const LIBRARY: &str = include_str!("../../../tests/fixtures/proto/library.proto");
const LEGACY: &str = include_str!("../../../tests/fixtures/proto/legacy.proto");

fn proto3(body: &str) -> String {
    format!("syntax = \"proto3\";\npackage shop.v1;\n{body}")
}

/// Diff of two proto3 bodies in package `shop.v1`.
fn d(old: &str, new: &str) -> Vec<Change> {
    diff_proto(&proto3(old), &proto3(new))
}

fn one<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    let hits: Vec<_> = changes.iter().filter(|c| c.path == path).collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one change at {path}, got {changes:#?}"
    );
    hits[0]
}

fn assert_change(changes: &[Change], path: &str, ty: ChangeType, class: Classification) {
    let c = one(changes, path);
    assert_eq!((c.change_type, c.classification), (ty, class), "{c:#?}");
}

const MSG: &str = "message Item { string id = 1; int32 qty = 2; }";

// ---- whole-file behaviour ----

#[test]
fn identical_files_have_no_changes() {
    assert!(diff_proto(LIBRARY, LIBRARY).is_empty());
    assert!(diff_proto(LEGACY, LEGACY).is_empty());
}

#[test]
fn formatting_comments_and_equivalent_type_names_are_not_changes() {
    let old = "message Outer { message Inner { int32 a = 1; } Inner i = 1; }\n\
               service S { rpc Get(Outer) returns (Outer); }";
    let new = "// reformatted\nmessage Outer {\n  message Inner {\n    int32 a = 1; }\n  \
               .shop.v1.Outer.Inner i = 1 ;\n}\n\
               service S { rpc Get(shop.v1.Outer) returns (.shop.v1.Outer) {} }";
    assert_eq!(d(old, new), vec![]);
}

#[test]
fn unparseable_old_side_is_one_potential_change_naming_side_and_position() {
    let changes = diff_proto("message A {", &proto3(MSG));
    assert_eq!(changes.len(), 1);
    let c = &changes[0];
    assert_eq!(
        (c.path.as_str(), c.change_type, c.classification),
        ("grpc", Modified, PotentialBreaking)
    );
    assert!(
        c.reason
            .contains("old .proto does not parse (1:12: expected"),
        "{}",
        c.reason
    );
    assert!(!c.reason.contains("new .proto"), "{}", c.reason);
}

#[test]
fn unparseable_new_or_both_sides_are_named() {
    let changes = diff_proto(&proto3(MSG), "message A { int32 x = 1 }");
    assert_eq!(changes.len(), 1);
    assert!(
        changes[0]
            .reason
            .contains("new .proto does not parse (1:25"),
        "{}",
        changes[0].reason
    );
    let changes = diff_proto("}", "{");
    assert_eq!(changes.len(), 1);
    assert!(changes[0].reason.contains("old .proto"));
    assert!(changes[0].reason.contains("new .proto"));
}

#[test]
fn package_change_is_breaking() {
    let changes = diff_proto(
        "syntax = \"proto3\"; package a.v1; message M {}",
        "syntax = \"proto3\"; package a.v2; message M {}",
    );
    assert_change(&changes, "grpc.package", Modified, Breaking);
    assert_change(
        &changes,
        "grpc.messages[a.v1.M]",
        Removed,
        PotentialBreaking,
    );
    assert_change(&changes, "grpc.messages[a.v2.M]", Added, NonBreaking);
}

#[test]
fn output_order_is_deterministic_and_grouped() {
    let old =
        "service B { rpc X(M) returns (M); } service A { rpc Y(M) returns (M); } message M {}";
    let new = "enum E { Z = 0; } message N {}";
    let first = d(old, new);
    assert_eq!(first, d(old, new));
    let paths: Vec<_> = first.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "grpc.services[shop.v1.A]",
            "grpc.rpcs[shop.v1.A.Y]",
            "grpc.services[shop.v1.B]",
            "grpc.rpcs[shop.v1.B.X]",
            "grpc.messages[shop.v1.M]",
            "grpc.messages[shop.v1.N]",
            "grpc.enums[shop.v1.E]",
        ]
    );
}

// ---- services and rpcs ----

#[test]
fn service_added_is_non_breaking() {
    let c = d(
        MSG,
        &format!("{MSG} service Shop {{ rpc Get(Item) returns (Item); }}"),
    );
    assert_change(&c, "grpc.services[shop.v1.Shop]", Added, NonBreaking);
    assert_change(&c, "grpc.rpcs[shop.v1.Shop.Get]", Added, NonBreaking);
}

#[test]
fn service_removed_is_breaking_with_its_rpcs() {
    let c = d(
        &format!("{MSG} service Shop {{ rpc Get(Item) returns (Item); }}"),
        MSG,
    );
    assert_change(&c, "grpc.services[shop.v1.Shop]", Removed, Breaking);
    assert_change(&c, "grpc.rpcs[shop.v1.Shop.Get]", Removed, Breaking);
}

#[test]
fn rpc_added_and_removed() {
    let old = format!("{MSG} service S {{ rpc A(Item) returns (Item); }}");
    let new = format!("{MSG} service S {{ rpc B(Item) returns (stream Item); }}");
    let c = d(&old, &new);
    assert_change(&c, "grpc.rpcs[shop.v1.S.A]", Removed, Breaking);
    assert_change(&c, "grpc.rpcs[shop.v1.S.B]", Added, NonBreaking);
    let b = one(&c, "grpc.rpcs[shop.v1.S.B]");
    assert_eq!(b.new_value, Some("(Item) returns (stream Item)".into()));
    assert_eq!(c.len(), 2);
}

#[test]
fn rpc_request_or_response_type_change_is_breaking() {
    let types = "message Other { string x = 1; }";
    let old = format!("{MSG} {types} service S {{ rpc A(Item) returns (Item); }}");
    let new = format!("{MSG} {types} service S {{ rpc A(Other) returns (Item); }}");
    let c = d(&old, &new);
    assert_change(&c, "grpc.rpcs[shop.v1.S.A]", Modified, Breaking);
    let a = one(&c, "grpc.rpcs[shop.v1.S.A]");
    assert_eq!(a.old_value, Some("(Item) returns (Item)".into()));
    assert_eq!(a.new_value, Some("(Other) returns (Item)".into()));
    assert!(
        a.reason
            .contains("request type shop.v1.Item -> shop.v1.Other"),
        "{}",
        a.reason
    );

    let new = format!("{MSG} {types} service S {{ rpc A(Item) returns (Other); }}");
    assert_change(&d(&old, &new), "grpc.rpcs[shop.v1.S.A]", Modified, Breaking);
}

#[test]
fn rpc_streaming_change_is_breaking() {
    let old = format!("{MSG} service S {{ rpc A(Item) returns (Item); }}");
    let new = format!("{MSG} service S {{ rpc A(stream Item) returns (stream Item); }}");
    let c = d(&old, &new);
    assert_change(&c, "grpc.rpcs[shop.v1.S.A]", Modified, Breaking);
    let a = one(&c, "grpc.rpcs[shop.v1.S.A]");
    assert_eq!(
        a.new_value,
        Some("(stream Item) returns (stream Item)".into())
    );
    assert!(
        a.reason.contains("request unary -> streaming"),
        "{}",
        a.reason
    );
    assert!(
        a.reason.contains("response unary -> streaming"),
        "{}",
        a.reason
    );
}

// ---- messages ----

#[test]
fn message_added_is_non_breaking_and_nested_names_are_qualified() {
    let c = d(
        MSG,
        &format!("{MSG} message Outer {{ message Inner {{}} }}"),
    );
    assert_change(&c, "grpc.messages[shop.v1.Outer]", Added, NonBreaking);
    assert_change(&c, "grpc.messages[shop.v1.Outer.Inner]", Added, NonBreaking);
}

#[test]
fn message_removed_while_referenced_is_breaking() {
    let old = format!("{MSG} message Cart {{ repeated Item items = 1; }}");
    let new = "message Cart { repeated string items = 1; }";
    let c = d(&old, new);
    assert_change(&c, "grpc.messages[shop.v1.Item]", Removed, Breaking);
    // And the field retype is reported on its own.
    assert_change(
        &c,
        "grpc.messages[shop.v1.Cart].fields[items]",
        Modified,
        Breaking,
    );

    let old = format!("{MSG} service S {{ rpc A(Item) returns (Item); }}");
    let c = d(&old, "message X {} service S { rpc A(X) returns (X); }");
    assert_change(&c, "grpc.messages[shop.v1.Item]", Removed, Breaking);
}

#[test]
fn message_removed_unreferenced_is_potential() {
    let c = d(&format!("{MSG} message Unused {{ Unused self = 1; }}"), MSG);
    assert_change(
        &c,
        "grpc.messages[shop.v1.Unused]",
        Removed,
        PotentialBreaking,
    );
    assert_eq!(c.len(), 1);
}

// ---- fields ----

#[test]
fn field_added_is_non_breaking_with_value_format() {
    let c = d(
        MSG,
        "message Item { string id = 1; int32 qty = 2; repeated string tags = 3; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[tags]",
        Added,
        NonBreaking,
    );
    assert_eq!(
        one(&c, "grpc.messages[shop.v1.Item].fields[tags]").new_value,
        Some("repeated string = 3".into())
    );
}

#[test]
fn required_field_added_is_breaking() {
    let c = diff_proto(
        "message M { optional int32 a = 1; }",
        "message M { optional int32 a = 1; required string b = 2; }",
    );
    assert_change(&c, "grpc.messages[M].fields[b]", Added, Breaking);
    assert_eq!(
        one(&c, "grpc.messages[M].fields[b]").new_value,
        Some("required string = 2".into())
    );
}

#[test]
fn field_removed_is_breaking() {
    let c = d(MSG, "message Item { string id = 1; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Removed,
        Breaking,
    );
    assert_eq!(
        one(&c, "grpc.messages[shop.v1.Item].fields[qty]").old_value,
        Some("int32 = 2".into())
    );
}

#[test]
fn field_removed_with_number_reserved_is_potential() {
    let c = d(
        MSG,
        "message Item { string id = 1; reserved 2; reserved \"qty\"; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Removed,
        PotentialBreaking,
    );
    let c = d(MSG, "message Item { string id = 1; reserved 2 to max; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Removed,
        PotentialBreaking,
    );
}

#[test]
fn field_type_change_is_breaking() {
    let c = d(MSG, "message Item { string id = 1; int64 qty = 2; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Modified,
        Breaking,
    );
    let f = one(&c, "grpc.messages[shop.v1.Item].fields[qty]");
    assert_eq!(f.old_value, Some("int32 = 2".into()));
    assert_eq!(f.new_value, Some("int64 = 2".into()));
}

#[test]
fn map_value_type_change_is_breaking() {
    let c = d(
        "message M { map<string, int32> m = 1; }",
        "message M { map<string, string> m = 1; }",
    );
    assert_change(&c, "grpc.messages[shop.v1.M].fields[m]", Modified, Breaking);
}

#[test]
fn field_number_change_is_breaking() {
    let c = d(MSG, "message Item { string id = 1; int32 qty = 3; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Modified,
        Breaking,
    );
    let f = one(&c, "grpc.messages[shop.v1.Item].fields[qty]");
    assert!(
        f.reason.contains("number changed from 2 to 3"),
        "{}",
        f.reason
    );
    assert_eq!(c.len(), 1);
}

#[test]
fn field_repeated_to_singular_is_breaking() {
    let c = d(
        "message M { repeated string tags = 1; }",
        "message M { string tags = 1; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[tags]",
        Modified,
        Breaking,
    );
    let c = d(
        "message M { string tags = 1; }",
        "message M { repeated string tags = 1; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[tags]",
        Modified,
        Breaking,
    );
}

#[test]
fn field_optional_required_swap_is_breaking() {
    let c = diff_proto(
        "message M { optional int32 a = 1; }",
        "message M { required int32 a = 1; }",
    );
    assert_change(&c, "grpc.messages[M].fields[a]", Modified, Breaking);
    let c = diff_proto(
        "message M { required int32 a = 1; }",
        "message M { optional int32 a = 1; }",
    );
    assert_change(&c, "grpc.messages[M].fields[a]", Modified, Breaking);
}

#[test]
fn proto3_presence_change_is_potential() {
    let c = d(
        "message M { int32 a = 1; }",
        "message M { optional int32 a = 1; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[a]",
        Modified,
        PotentialBreaking,
    );
}

#[test]
fn field_rename_with_same_number_is_potential() {
    let c = d(MSG, "message Item { string id = 1; int32 quantity = 2; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Modified,
        PotentialBreaking,
    );
    let f = one(&c, "grpc.messages[shop.v1.Item].fields[qty]");
    assert!(
        f.reason.contains("renamed from qty to quantity"),
        "{}",
        f.reason
    );
    assert_eq!(
        c.len(),
        1,
        "a rename is not also an add and a remove: {c:#?}"
    );
}

#[test]
fn field_numbers_swapped_is_breaking() {
    let c = d(MSG, "message Item { string id = 2; int32 qty = 1; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[id]",
        Modified,
        Breaking,
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Modified,
        Breaking,
    );
    assert!(
        one(&c, "grpc.messages[shop.v1.Item].fields[id]")
            .reason
            .contains("number 1 moved from field id to field qty")
    );

    let c = d(
        "message M { string a = 1; string b = 2; }",
        "message M { string b = 1; string c = 2; }",
    );
    assert_change(&c, "grpc.messages[shop.v1.M].fields[a]", Modified, Breaking);
}

#[test]
fn field_rename_with_type_change_is_breaking() {
    let c = d(MSG, "message Item { string id = 1; string quantity = 2; }");
    assert_change(
        &c,
        "grpc.messages[shop.v1.Item].fields[qty]",
        Modified,
        Breaking,
    );
}

#[test]
fn field_moved_into_or_out_of_oneof_is_potential() {
    let flat = "message M { string a = 1; int32 b = 2; }";
    let oneof = "message M { oneof choice { string a = 1; int32 b = 2; } }";
    let c = d(flat, oneof);
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[a]",
        Modified,
        PotentialBreaking,
    );
    assert!(
        one(&c, "grpc.messages[shop.v1.M].fields[a]")
            .reason
            .contains("moved into oneof choice")
    );
    let c = d(oneof, flat);
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[b]",
        Modified,
        PotentialBreaking,
    );
    assert!(
        one(&c, "grpc.messages[shop.v1.M].fields[b]")
            .reason
            .contains("moved out of oneof choice")
    );
}

#[test]
fn field_json_name_change_is_potential_and_deprecation_is_non_breaking() {
    let c = d(
        "message M { string a = 1; }",
        "message M { string a = 1 [json_name = \"A\"]; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[a]",
        Modified,
        PotentialBreaking,
    );
    let c = d(
        "message M { string a = 1; }",
        "message M { string a = 1 [deprecated = true]; }",
    );
    assert_change(
        &c,
        "grpc.messages[shop.v1.M].fields[a]",
        Modified,
        NonBreaking,
    );
}

#[test]
fn proto2_group_field_changes_are_diffed() {
    let new = LEGACY.replace("required string url = 4;", "required bytes url = 4;");
    let c = diff_proto(LEGACY, &new);
    assert_change(
        &c,
        "grpc.messages[legacy.SearchResponse.Result].fields[url]",
        Modified,
        Breaking,
    );
    assert_eq!(c.len(), 1);
}

// ---- enums ----

#[test]
fn enum_added_and_removed() {
    let e = "enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }";
    let c = d(MSG, &format!("{MSG} {e}"));
    assert_change(&c, "grpc.enums[shop.v1.Color]", Added, NonBreaking);
    let c = d(&format!("{MSG} {e}"), MSG);
    assert_change(&c, "grpc.enums[shop.v1.Color]", Removed, PotentialBreaking);
    let used = format!("{e} message P {{ Color c = 1; }}");
    let c = d(&used, "message P { int32 c = 1; }");
    assert_change(&c, "grpc.enums[shop.v1.Color]", Removed, Breaking);
}

#[test]
fn enum_value_removed_is_breaking_and_added_non_breaking() {
    let c = d(
        "enum Color { C_UNSPECIFIED = 0; RED = 1; }",
        "enum Color { C_UNSPECIFIED = 0; BLUE = 2; }",
    );
    assert_change(
        &c,
        "grpc.enums[shop.v1.Color].values[RED]",
        Removed,
        Breaking,
    );
    assert_change(
        &c,
        "grpc.enums[shop.v1.Color].values[BLUE]",
        Added,
        NonBreaking,
    );
    assert_eq!(
        one(&c, "grpc.enums[shop.v1.Color].values[BLUE]").new_value,
        Some("BLUE = 2".into())
    );
}

#[test]
fn enum_value_number_change_is_breaking() {
    let c = d(
        "message M { enum Color { C_UNSPECIFIED = 0; RED = 1; } }",
        "message M { enum Color { C_UNSPECIFIED = 0; RED = 3; } }",
    );
    assert_change(
        &c,
        "grpc.enums[shop.v1.M.Color].values[RED]",
        Modified,
        Breaking,
    );
}

#[test]
fn enum_value_rename_is_potential() {
    let c = d(
        "enum Color { C_UNSPECIFIED = 0; RED = 1; }",
        "enum Color { C_UNSPECIFIED = 0; CRIMSON = 1; }",
    );
    assert_change(
        &c,
        "grpc.enums[shop.v1.Color].values[RED]",
        Modified,
        PotentialBreaking,
    );
    assert_eq!(c.len(), 1, "{c:#?}");
}

#[test]
fn realistic_evolution_of_the_library_api() {
    let new = LIBRARY
        .replace(
            "rpc ListBooks(ListBooksRequest) returns (stream Book);",
            "rpc ListBooks(ListBooksRequest) returns (Book);",
        )
        .replace("  string title = 2;\n", "  reserved 2;\n")
        .replace("POETRY = 2;", "POETRY = 2;\n    DRAMA = 3;");
    let c = diff_proto(LIBRARY, &new);
    let got: Vec<_> = c
        .iter()
        .map(|x| (x.path.as_str(), x.change_type, x.classification))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "grpc.rpcs[example.library.v1.LibraryService.ListBooks]",
                Modified,
                Breaking
            ),
            (
                "grpc.messages[example.library.v1.Book].fields[title]",
                Removed,
                PotentialBreaking
            ),
            (
                "grpc.enums[example.library.v1.Book.Genre].values[DRAMA]",
                Added,
                NonBreaking
            ),
        ]
    );
}
