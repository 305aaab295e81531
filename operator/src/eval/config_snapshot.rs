//! What the runtime read for `spec.target.configBindings`: one entry per binding (same index),
//! plus the contract's compiled configuration schemas. Secret bytes live here only for the one
//! evaluation that reads them, and are never printed (`Debug` shows their length).

use std::fmt;
use std::sync::Arc;

use pacto_core::validate::config_value::ConfigSchemas;

use super::target_snapshot::Observed;

/// One bound ConfigMap or Secret.
#[derive(Clone, Default, PartialEq)]
pub struct ConfigObject {
    /// Every key the object holds (ConfigMap `data` and `binaryData`, Secret `data`).
    pub keys: Vec<String>,
    /// The bytes at the binding's `key`, when it names one and the object holds it.
    pub value: Option<Vec<u8>>,
}

impl fmt::Debug for ConfigObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigObject")
            .field("keys", &self.keys)
            .field("value_bytes", &self.value.as_ref().map(Vec::len))
            .finish()
    }
}

/// The bound objects and the schemas to check their values against.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservedConfig {
    /// `objects[i]` is what `target.configBindings[i]` names (empty: nothing was read, e.g.
    /// no bindings; a missing entry counts as not observed).
    pub objects: Vec<Observed<ConfigObject>>,
    /// The contract's compiled bundled configuration schemas (`None`: none to check against).
    pub schemas: Option<Arc<ConfigSchemas>>,
}
