use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Interface {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: InterfaceType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Absent in YAML means `internal`; materialised so diffs never see a phantom change.
    #[serde(default)]
    pub visibility: Visibility,
    /// 1.x: bundle-relative spec file (OpenAPI, .proto, AsyncAPI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// 2.0: bundle-relative spec file (required there).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Interface {
    /// The spec file, whichever version's field names it (`contract` in 1.x, `ref` in 2.0).
    pub fn spec_file(&self) -> Option<&str> {
        self.contract.as_deref().or(self.reference.as_deref())
    }

    /// The YAML field holding the spec file in this interface's version, for messages.
    pub fn spec_field(&self) -> &'static str {
        if self.kind.is_v2() { "ref" } else { "contract" }
    }

    /// What travels on the wire, the same for every version.
    pub fn protocol(&self) -> Protocol {
        self.kind.protocol()
    }
}

/// The wire protocol of an interface: the one meaning shared by 1.x `type` (http, grpc,
/// event) and 2.0 `type` (openapi, grpc, asyncapi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Http,
    Grpc,
    Event,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Grpc => "grpc",
            Self::Event => "event",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InterfaceType {
    /// 1.x
    Http,
    /// 1.x and 2.0
    Grpc,
    /// 1.x
    Event,
    /// 2.0: an HTTP interface described by OpenAPI.
    Openapi,
    /// 2.0: an event interface described by AsyncAPI.
    Asyncapi,
}

impl InterfaceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Grpc => "grpc",
            Self::Event => "event",
            Self::Openapi => "openapi",
            Self::Asyncapi => "asyncapi",
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            Self::Http | Self::Openapi => Protocol::Http,
            Self::Grpc => Protocol::Grpc,
            Self::Event | Self::Asyncapi => Protocol::Event,
        }
    }

    /// Spelled as 2.0 spells it (grpc is both).
    pub fn is_v2(self) -> bool {
        matches!(self, Self::Openapi | Self::Asyncapi)
    }

    /// The 2.0 name of a protocol.
    pub fn v2_for(protocol: Protocol) -> Self {
        match protocol {
            Protocol::Http => Self::Openapi,
            Protocol::Grpc => Self::Grpc,
            Protocol::Event => Self::Asyncapi,
        }
    }
}

impl fmt::Display for InterfaceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    #[default]
    Internal,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Internal => "internal",
        }
    }
}
