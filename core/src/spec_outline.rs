//! What an interface spec offers, for people: OpenAPI operations, AsyncAPI channels,
//! protobuf services and their rpcs. Tolerant: a broken spec yields an error string, never
//! a panic. Used by `pacto doc`, the dashboard and `pacto mcp`.

use serde::Serialize;
use serde_json::Value;

/// One OpenAPI operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Upper case (`GET`).
    pub method: String,
    pub path: String,
    /// `summary`, else `operationId`.
    pub summary: Option<String>,
}

/// One AsyncAPI channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventChannel {
    pub name: String,
    /// `publish`, `subscribe`, `send` or `receive`.
    pub operations: Vec<String>,
    pub description: Option<String>,
}

/// One protobuf `service` and its rpc names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrpcService {
    pub name: String,
    pub rpcs: Vec<String>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Parses a YAML or JSON spec file.
pub fn parse(text: &str) -> Result<Value, String> {
    crate::parse::parse_yaml(text).map_err(|f| f.message)
}

/// Operations of an OpenAPI document, in document order.
pub fn openapi_endpoints(doc: &Value) -> Vec<Endpoint> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            out.push(Endpoint {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op
                    .get("summary")
                    .or_else(|| op.get("operationId"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
    }
    out
}

/// Channels of an AsyncAPI 2.x or 3.x document.
pub fn asyncapi_channels(doc: &Value) -> Vec<EventChannel> {
    let Some(channels) = doc.get("channels").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out: Vec<EventChannel> = channels
        .iter()
        .map(|(name, ch)| EventChannel {
            name: ch
                .get("address")
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_string(),
            operations: ["publish", "subscribe"]
                .into_iter()
                .filter(|op| ch.get(*op).is_some())
                .map(str::to_string)
                .collect(),
            description: ch
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
        .collect();
    // AsyncAPI 3: operations reference channels by `$ref: '#/channels/<key>'`.
    if let Some(ops) = doc.get("operations").and_then(Value::as_object) {
        for op in ops.values() {
            let action = op.get("action").and_then(Value::as_str).unwrap_or("send");
            let target = op
                .get("channel")
                .and_then(|c| c.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/channels/"));
            if let Some(key) = target {
                let idx = channels.keys().position(|k| k == key);
                if let Some(ch) = idx.and_then(|i| out.get_mut(i))
                    && !ch.operations.iter().any(|o| o == action)
                {
                    ch.operations.push(action.to_string());
                }
            }
        }
    }
    out
}

/// `service X { rpc Y(...) }` blocks of a .proto file (comments stripped).
pub fn proto_services(text: &str) -> Vec<GrpcService> {
    let mut out: Vec<GrpcService> = Vec::new();
    let mut current: Option<GrpcService> = None;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match words.next() {
            Some("service") => {
                if let Some(s) = current.take() {
                    out.push(s);
                }
                let name = words.next().unwrap_or("").split('{').next().unwrap_or("");
                current = Some(GrpcService {
                    name: name.to_string(),
                    rpcs: Vec::new(),
                });
            }
            Some("rpc") => {
                if let (Some(s), Some(n)) = (current.as_mut(), words.next()) {
                    let name = n.split('(').next().unwrap_or(n);
                    s.rpcs.push(name.to_string());
                }
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_operations_are_listed() {
        let doc = parse("paths:\n  /a:\n    get:\n      summary: Get A\n    parameters: []\n  /b:\n    post: {operationId: mk}\n").unwrap();
        let e = openapi_endpoints(&doc);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].method.as_str(), e[0].summary.as_deref()),
            ("GET", Some("Get A"))
        );
        assert_eq!(e[1].summary.as_deref(), Some("mk"));
    }

    #[test]
    fn asyncapi_2_and_3_channels() {
        let v2 = parse("channels:\n  orders.created:\n    subscribe: {}\n").unwrap();
        assert_eq!(asyncapi_channels(&v2)[0].operations, vec!["subscribe"]);
        let v3 = parse("channels:\n  c1:\n    address: orders.v3\noperations:\n  o:\n    action: receive\n    channel: {$ref: '#/channels/c1'}\n").unwrap();
        let c = asyncapi_channels(&v3);
        assert_eq!(c[0].name, "orders.v3");
        assert_eq!(c[0].operations, vec!["receive"]);
    }

    #[test]
    fn proto_services_and_rpcs() {
        let s = proto_services(
            "syntax = \"proto3\";\nservice Users { // x\n  rpc Get(GetReq) returns (User);\n  rpc List (L) returns (stream User);\n}\nservice B{}\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "Users");
        assert_eq!(s[0].rpcs, vec!["Get", "List"]);
        assert_eq!(s[1].name, "B");
    }
}
