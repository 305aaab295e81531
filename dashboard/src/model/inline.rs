//! The inline contract of a Pacto object (`spec.contractRef.inline`), as a locator holds it.
//! Reading it from a Pacto and validating it is the k8s source's job (`sources::k8s::inline`).

use pacto_crds::Overrides;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// One Pacto's inline contract: the text as stored and the overrides applied to it.
#[derive(Debug)]
pub struct InlineContract {
    pub namespace: String,
    pub object: String,
    pub text: Arc<str>,
    pub overrides: Option<Overrides>,
    /// sha256 hex of text and overrides: what a re-validation is keyed on.
    pub hash: String,
}

// Identity is the object plus its content hash (the text itself can be 1 MiB).
impl PartialEq for InlineContract {
    fn eq(&self, o: &Self) -> bool {
        (&self.namespace, &self.object, &self.hash) == (&o.namespace, &o.object, &o.hash)
    }
}
impl Eq for InlineContract {}
impl Hash for InlineContract {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (&self.namespace, &self.object, &self.hash).hash(h);
    }
}
