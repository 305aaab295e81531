//! Interface spec outlines for the dashboard: the core's extractors, mapped to the
//! dashboard's API records.

use crate::model::{Endpoint, EventChannel, GrpcService};
use pacto_core::spec_outline as outline;
use serde_json::Value;

/// Parses a YAML or JSON spec file.
pub fn parse(text: &str) -> Result<Value, String> {
    outline::parse(text)
}

/// Operations of an OpenAPI document, in document order.
pub fn openapi_endpoints(doc: &Value) -> Vec<Endpoint> {
    outline::openapi_endpoints(doc)
        .into_iter()
        .map(|e| Endpoint {
            method: e.method,
            path: e.path,
            summary: e.summary,
        })
        .collect()
}

/// Channels of an AsyncAPI 2.x or 3.x document.
pub fn asyncapi_channels(doc: &Value) -> Vec<EventChannel> {
    outline::asyncapi_channels(doc)
        .into_iter()
        .map(|c| EventChannel {
            name: c.name,
            operations: c.operations,
            description: c.description,
        })
        .collect()
}

/// `service X { rpc Y(...) }` blocks of a .proto file.
pub fn proto_services(text: &str) -> Vec<GrpcService> {
    outline::proto_services(text)
        .into_iter()
        .map(|s| GrpcService {
            name: s.name,
            rpcs: s.rpcs,
        })
        .collect()
}
