//! The identity every runtime map is keyed by: a Pacto's `namespace/name`.

use kube::runtime::reflector::ObjectRef;
use pacto_crds::Pacto;

/// `namespace/name` of a Pacto.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PactoKey {
    pub namespace: String,
    pub name: String,
}

impl PactoKey {
    pub fn new(namespace: &str, name: &str) -> Self {
        Self {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    pub fn object_ref(&self) -> ObjectRef<Pacto> {
        ObjectRef::new(&self.name).within(&self.namespace)
    }
}

impl std::fmt::Display for PactoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}
