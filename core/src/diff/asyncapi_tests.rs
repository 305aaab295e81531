//! AsyncAPI rules for 2.x and 3.x documents.

use super::*;
use serde_json::{Value, json};

fn get<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    changes
        .iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("no change at {path}; got {changes:#?}"))
}

fn v2(channels: Value) -> Value {
    json!({"asyncapi": "2.6.0", "info": {"title": "t", "version": "1"}, "channels": channels})
}

fn signed_up(payload: Value) -> Value {
    json!({"name": "UserSignedUp", "payload": payload})
}

#[test]
fn v2_channel_added_non_breaking_removed_breaking() {
    let a = v2(
        json!({"user/signedup": {"subscribe": {"message": signed_up(json!({"type": "object"}))}}}),
    );
    let b = v2(json!({}));
    let removed = diff_asyncapi(&a, &b);
    let c = get(&removed, "asyncapi.channels[user/signedup]");
    assert_eq!(
        (c.change_type, c.classification),
        (ChangeType::Removed, Classification::Breaking)
    );
    let op = get(&removed, "asyncapi.operations[user/signedup.subscribe]");
    assert_eq!(
        (op.change_type, op.classification),
        (ChangeType::Removed, Classification::Breaking)
    );
    let added = diff_asyncapi(&b, &a);
    assert!(
        added.iter().all(|c| c.change_type == ChangeType::Added
            && c.classification == Classification::NonBreaking)
    );
    assert_eq!(added.len(), 2);
}

#[test]
fn v2_subscribe_payload_is_output() {
    let a = v2(
        json!({"u": {"subscribe": {"message": signed_up(json!({"type": "object", "properties": {"id": {}, "email": {}}}))}}}),
    );
    let b = v2(
        json!({"u": {"subscribe": {"message": signed_up(json!({"type": "object", "properties": {"id": {}}}))}}}),
    );
    let changes = diff_asyncapi(&a, &b);
    assert_eq!(changes.len(), 1);
    let c = get(
        &changes,
        "asyncapi.operations[u.subscribe].messages[UserSignedUp].payload.properties.email",
    );
    assert_eq!(
        c.classification,
        Classification::Breaking,
        "consumers lose a field they read"
    );
}

#[test]
fn v2_publish_payload_is_input() {
    let a = v2(json!({"cmd": {"publish": {"message": {"$ref": "#/components/messages/Cmd"}}}}));
    let mut a = a;
    a["components"] = json!({"messages": {"Cmd": {"payload": {"type": "object", "required": []}}}});
    let mut b = a.clone();
    b["components"]["messages"]["Cmd"]["payload"]["required"] = json!(["id"]);
    let changes = diff_asyncapi(&a, &b);
    assert_eq!(changes.len(), 1);
    let c = get(
        &changes,
        "asyncapi.operations[cmd.publish].messages[Cmd].payload.required[id]",
    );
    assert_eq!(
        c.classification,
        Classification::Breaking,
        "producers must now send a new field"
    );
}

#[test]
fn v2_one_of_messages_keyed_by_name() {
    let a = v2(
        json!({"u": {"subscribe": {"message": {"oneOf": [{"name": "A", "payload": {}}, {"name": "B", "payload": {}}]}}}}),
    );
    let b = v2(json!({"u": {"subscribe": {"message": {"oneOf": [{"name": "A", "payload": {}}]}}}}));
    let changes = diff_asyncapi(&a, &b);
    assert_eq!(changes.len(), 1);
    let c = get(&changes, "asyncapi.operations[u.subscribe].messages[B]");
    assert_eq!(
        (c.change_type, c.classification),
        (ChangeType::Removed, Classification::Breaking)
    );
}

fn v3(payload: Value, action: &str) -> Value {
    json!({
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"userSignedUp": {
            "address": "user/signedup",
            "messages": {"UserSignedUp": {"payload": payload}}
        }},
        "operations": {"onUserSignedUp": {
            "action": action,
            "channel": {"$ref": "#/channels/userSignedUp"},
            "messages": [{"$ref": "#/channels/userSignedUp/messages/UserSignedUp"}]
        }}
    })
}

#[test]
fn v3_operation_removed_breaking_added_non_breaking() {
    let a = v3(json!({}), "receive");
    let mut b = a.clone();
    b["operations"] = json!({});
    let changes = diff_asyncapi(&a, &b);
    assert_eq!(changes.len(), 1);
    let c = get(&changes, "asyncapi.operations[onUserSignedUp]");
    assert_eq!(
        (c.change_type, c.classification),
        (ChangeType::Removed, Classification::Breaking)
    );
    let back = diff_asyncapi(&b, &a);
    assert_eq!(back[0].classification, Classification::NonBreaking);
}

#[test]
fn v3_payload_direction_follows_operation_action() {
    let loose = json!({"type": "object", "properties": {"id": {}}});
    let strict = json!({"type": "object", "properties": {"id": {}}, "required": ["id"]});
    let path = "asyncapi.channels[userSignedUp].messages[UserSignedUp].payload.required[id]";
    // receive: the app consumes, producers must now send `id`.
    let recv = diff_asyncapi(
        &v3(loose.clone(), "receive"),
        &v3(strict.clone(), "receive"),
    );
    assert_eq!(get(&recv, path).classification, Classification::Breaking);
    // send: the app promises `id` to readers.
    let send = diff_asyncapi(&v3(loose, "send"), &v3(strict, "send"));
    assert_eq!(get(&send, path).classification, Classification::NonBreaking);
}

#[test]
fn v3_action_channel_and_address_changes_are_breaking() {
    let a = v3(json!({}), "send");
    let mut b = v3(json!({}), "receive");
    b["channels"]["userSignedUp"]["address"] = json!("users.signedup");
    let changes = diff_asyncapi(&a, &b);
    assert_eq!(
        get(&changes, "asyncapi.operations[onUserSignedUp].action").classification,
        Classification::Breaking
    );
    assert_eq!(
        get(&changes, "asyncapi.channels[userSignedUp].address").classification,
        Classification::Breaking
    );
}

#[test]
fn v3_message_removed_from_channel_is_breaking() {
    let a = v3(json!({}), "send");
    let mut b = a.clone();
    b["channels"]["userSignedUp"]["messages"] = json!({});
    b["operations"]["onUserSignedUp"]["messages"] = json!([]);
    let changes = diff_asyncapi(&a, &b);
    assert!(
        changes.iter().all(|c| c.change_type == ChangeType::Removed
            && c.classification == Classification::Breaking)
    );
    get(
        &changes,
        "asyncapi.channels[userSignedUp].messages[UserSignedUp]",
    );
    get(
        &changes,
        "asyncapi.operations[onUserSignedUp].messages[UserSignedUp]",
    );
}

#[test]
fn identical_and_hostile_documents() {
    let a = v3(json!({"type": "string"}), "send");
    assert!(diff_asyncapi(&a, &a).is_empty());
    for (x, y) in [
        (json!(null), json!({"channels": 1})),
        (
            json!({"asyncapi": "3.0.0", "operations": {"o": {"channel": 5, "messages": "x"}}}),
            json!({"channels": {"c": {"publish": {"message": {"oneOf": 7}}}}}),
        ),
    ] {
        let _ = diff_asyncapi(&x, &y);
        let _ = diff_asyncapi(&y, &x);
    }
}
