//! AsyncAPI deep diff for 2.x (`channels.X.publish/subscribe`) and 3.x (`channels` +
//! `operations`) documents.
//!
//! | change                                   | added | modified | removed |
//! |------------------------------------------|-------|----------|---------|
//! | `asyncapi.channels[X]`                   | NON   | –        | BRK     |
//! | `asyncapi.channels[X].address` (3.x)     | –     | BRK      | –       |
//! | `asyncapi.operations[X]`                 | NON   | –        | BRK     |
//! | operation `action` / `channel`           | –     | BRK      | –       |
//! | `…messages[M]`                           | NON   | –        | BRK     |
//! | `…messages[M].payload` / `.headers`      | schema rules by direction   |||
//! | `…messages[M].contentType`               | POT   | POT      | POT     |
//!
//! Direction follows who sends: the application *sends* on 2.x `subscribe` and 3.x
//! `send` operations (payloads are output), and *receives* on 2.x `publish` and 3.x
//! `receive` (payloads are input). In 3.x messages live on channels; a channel's
//! direction is taken from the operations that use it (mixed or none → unknown, i.e.
//! conservative). 2.x operations are keyed `<channel>.<publish|subscribe>`.

use super::change::{Change, ChangeType, Classification};
use super::jsonschema::{SchemaDirection, SchemaWalker};
use super::refs::deref;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Changes between two AsyncAPI documents.
pub fn diff_asyncapi(old: &Value, new: &Value) -> Vec<Change> {
    let (a, b) = (Doc::read(old), Doc::read(new));
    let mut d = AsyncDiff {
        schemas: SchemaWalker::new(old, new),
        out: Vec::new(),
    };
    d.channels(&a, &b);
    d.operations(&a, &b);
    super::sort_changes(&mut d.out);
    d.out
}

/// A version-neutral view of an AsyncAPI document.
#[derive(Default)]
struct Doc<'a> {
    channels: BTreeMap<String, Channel<'a>>,
    operations: BTreeMap<String, Operation<'a>>,
}

#[derive(Default)]
struct Channel<'a> {
    address: Option<&'a Value>,
    /// 3.x channel messages (resolved message objects).
    messages: BTreeMap<String, &'a Value>,
}

struct Operation<'a> {
    /// `send` or `receive`, from the application's point of view.
    action: &'static str,
    channel: Option<String>,
    /// Message keys; 2.x operations also carry the message objects to compare.
    messages: BTreeMap<String, Option<&'a Value>>,
}

impl<'a> Doc<'a> {
    fn read(root: &'a Value) -> Self {
        let v3 = root
            .get("asyncapi")
            .and_then(Value::as_str)
            .is_some_and(|s| s.starts_with('3'));
        let mut doc = Doc::default();
        let channels = root.get("channels").and_then(Value::as_object);
        for (name, ch) in channels.into_iter().flatten() {
            let ch = deref(root, ch).0;
            let mut channel = Channel::default();
            if v3 {
                channel.address = ch.get("address");
                for (k, m) in ch
                    .get("messages")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    channel.messages.insert(k.clone(), deref(root, m).0);
                }
            } else {
                for (kind, action) in [("subscribe", "send"), ("publish", "receive")] {
                    if let Some(op) = ch.get(kind) {
                        let messages = v2_messages(root, op.get("message"));
                        doc.operations.insert(
                            format!("{name}.{kind}"),
                            Operation {
                                action,
                                channel: Some(name.clone()),
                                messages,
                            },
                        );
                    }
                }
            }
            doc.channels.insert(name.clone(), channel);
        }
        if v3 {
            for (name, op) in root
                .get("operations")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let op = deref(root, op).0;
                let action = match op.get("action").and_then(Value::as_str) {
                    Some("send") => "send",
                    Some("receive") => "receive",
                    _ => "unknown",
                };
                let channel = op.get("channel").map(ref_key);
                let messages = op
                    .get("messages")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|m| (ref_key(m), None))
                    .collect();
                doc.operations.insert(
                    name.clone(),
                    Operation {
                        action,
                        channel,
                        messages,
                    },
                );
            }
        }
        doc
    }

    /// Direction of a 3.x channel's messages, from the operations that use it.
    fn channel_direction(&self, channel: &str) -> SchemaDirection {
        let actions: BTreeSet<&str> = self
            .operations
            .values()
            .filter(|o| o.channel.as_deref() == Some(channel))
            .map(|o| o.action)
            .collect();
        match actions.into_iter().collect::<Vec<_>>().as_slice() {
            ["send"] => SchemaDirection::Output,
            ["receive"] => SchemaDirection::Input,
            _ => SchemaDirection::Unknown,
        }
    }
}

fn action_direction(action: &str) -> SchemaDirection {
    match action {
        "send" => SchemaDirection::Output,
        "receive" => SchemaDirection::Input,
        _ => SchemaDirection::Unknown,
    }
}

/// 2.x operation `message`: one message, a `oneOf` list, or a `$ref`.
fn v2_messages<'a>(root: &'a Value, m: Option<&'a Value>) -> BTreeMap<String, Option<&'a Value>> {
    let mut out = BTreeMap::new();
    let Some(m) = m else { return out };
    let resolved = deref(root, m).0;
    match resolved.get("oneOf").and_then(Value::as_array) {
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                out.insert(
                    message_key(item, deref(root, item).0, i),
                    Some(deref(root, item).0),
                );
            }
        }
        None => {
            out.insert(message_key(m, resolved, 0), Some(resolved));
        }
    }
    out
}

/// A stable message identity: `messageId`, `name`, the ref's last segment, or the index.
fn message_key(raw: &Value, resolved: &Value, index: usize) -> String {
    for k in ["messageId", "name"] {
        if let Some(s) = resolved.get(k).and_then(Value::as_str) {
            return s.to_string();
        }
    }
    if raw.get("$ref").is_some() {
        return ref_key(raw);
    }
    index.to_string()
}

/// Last segment of a `$ref` (`#/channels/userSignedUp` → `userSignedUp`), unescaped.
fn ref_key(v: &Value) -> String {
    let r = v.get("$ref").and_then(Value::as_str).unwrap_or("");
    let last = r.rsplit('/').next().unwrap_or(r);
    last.replace("~1", "/").replace("~0", "~")
}

struct AsyncDiff<'a> {
    schemas: SchemaWalker<'a>,
    out: Vec<Change>,
}

impl<'a> AsyncDiff<'a> {
    fn push(
        &mut self,
        path: String,
        ct: ChangeType,
        cls: Classification,
        reason: String,
        old: Option<Value>,
        new: Option<Value>,
    ) {
        let mut c = Change::new(path, ct, cls, reason);
        c.old_value = old;
        c.new_value = new;
        self.out.push(c);
    }

    fn added_removed(&mut self, path: String, added: bool, what: &str, key: &str) {
        let v = Some(Value::String(key.to_string()));
        if added {
            self.push(
                path,
                ChangeType::Added,
                Classification::NonBreaking,
                format!("{what} '{key}' added"),
                None,
                v,
            );
        } else {
            self.push(
                path,
                ChangeType::Removed,
                Classification::Breaking,
                format!("{what} '{key}' removed"),
                v,
                None,
            );
        }
    }

    fn channels(&mut self, a: &Doc<'a>, b: &Doc<'a>) {
        let keys: BTreeSet<&String> = a.channels.keys().chain(b.channels.keys()).collect();
        for k in keys {
            let path = format!("asyncapi.channels[{k}]");
            let (Some(x), Some(y)) = (a.channels.get(k), b.channels.get(k)) else {
                self.added_removed(path, !a.channels.contains_key(k), "channel", k);
                continue;
            };
            if x.address != y.address {
                self.push(
                    format!("{path}.address"),
                    ChangeType::Modified,
                    Classification::Breaking,
                    format!("channel '{k}' address changed"),
                    x.address.cloned(),
                    y.address.cloned(),
                );
            }
            let dir = match b.channel_direction(k) {
                SchemaDirection::Unknown => a.channel_direction(k),
                d => d,
            };
            let xm: BTreeMap<String, Option<&'a Value>> = x
                .messages
                .iter()
                .map(|(k, v)| (k.clone(), Some(*v)))
                .collect();
            let ym: BTreeMap<String, Option<&'a Value>> = y
                .messages
                .iter()
                .map(|(k, v)| (k.clone(), Some(*v)))
                .collect();
            self.messages(&path, &xm, &ym, dir);
        }
    }

    fn operations(&mut self, a: &Doc<'a>, b: &Doc<'a>) {
        let keys: BTreeSet<&String> = a.operations.keys().chain(b.operations.keys()).collect();
        for k in keys {
            let path = format!("asyncapi.operations[{k}]");
            let (Some(x), Some(y)) = (a.operations.get(k), b.operations.get(k)) else {
                self.added_removed(path, !a.operations.contains_key(k), "operation", k);
                continue;
            };
            if x.action != y.action {
                self.push(
                    format!("{path}.action"),
                    ChangeType::Modified,
                    Classification::Breaking,
                    format!("operation '{k}' action changed"),
                    Some(x.action.into()),
                    Some(y.action.into()),
                );
            }
            if x.channel != y.channel {
                self.push(
                    format!("{path}.channel"),
                    ChangeType::Modified,
                    Classification::Breaking,
                    format!("operation '{k}' channel changed"),
                    x.channel.clone().map(Value::String),
                    y.channel.clone().map(Value::String),
                );
            }
            self.messages(&path, &x.messages, &y.messages, action_direction(y.action));
        }
    }

    fn messages(
        &mut self,
        path: &str,
        a: &BTreeMap<String, Option<&'a Value>>,
        b: &BTreeMap<String, Option<&'a Value>>,
        dir: SchemaDirection,
    ) {
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for k in keys {
            let p = format!("{path}.messages[{k}]");
            match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => {
                    if let (Some(x), Some(y)) = (x, y) {
                        self.message(&p, k, x, y, dir);
                    }
                }
                (x, _) => self.added_removed(p, x.is_none(), "message", k),
            }
        }
    }

    fn message(&mut self, path: &str, key: &str, x: &'a Value, y: &'a Value, dir: SchemaDirection) {
        for slot in ["payload", "headers"] {
            let p = format!("{path}.{slot}");
            match (x.get(slot), y.get(slot)) {
                (Some(a), Some(b)) => self.schemas.diff(&p, a, b, dir, &mut self.out),
                (None, None) => {}
                (a, _) => {
                    let added = a.is_none();
                    let cls = match (dir, added) {
                        (SchemaDirection::Output, true) => Classification::NonBreaking,
                        (SchemaDirection::Output, false) => Classification::Breaking,
                        _ => Classification::PotentialBreaking,
                    };
                    let ct = if added {
                        ChangeType::Added
                    } else {
                        ChangeType::Removed
                    };
                    self.push(
                        p,
                        ct,
                        cls,
                        format!("message '{key}' {slot} {ct}"),
                        None,
                        None,
                    );
                }
            }
        }
        let (ca, cb) = (x.get("contentType"), y.get("contentType"));
        if ca != cb {
            let ct = match (ca, cb) {
                (None, _) => ChangeType::Added,
                (_, None) => ChangeType::Removed,
                _ => ChangeType::Modified,
            };
            self.push(
                format!("{path}.contentType"),
                ct,
                Classification::PotentialBreaking,
                format!("message '{key}' content type {ct}"),
                ca.cloned(),
                cb.cloned(),
            );
        }
    }
}
