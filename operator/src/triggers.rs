//! Out-of-band reconcile requests (probe results, revision work) routed to the controller
//! that watches the Pacto's namespace.

use std::sync::Mutex;

use kube::runtime::reflector::ObjectRef;
use pacto_crds::Pacto;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::pacto_key::PactoKey;

/// Where the reconcile requests of one controller go.
struct Route {
    /// The namespace the controller watches (`None`: all namespaces).
    namespace: Option<String>,
    sender: UnboundedSender<ObjectRef<Pacto>>,
}

/// Senders per controller scope (`None`: all namespaces).
#[derive(Default)]
pub struct Triggers {
    routes: Mutex<Vec<Route>>,
}

impl Triggers {
    /// A receiver for the controller of `namespace` (`None`: cluster-wide).
    pub fn subscribe(&self, namespace: Option<String>) -> UnboundedReceiver<ObjectRef<Pacto>> {
        let (tx, rx) = unbounded_channel();
        if let Ok(mut r) = self.routes.lock() {
            r.retain(|route| !route.sender.is_closed() && route.namespace != namespace);
            r.push(Route {
                namespace,
                sender: tx,
            });
        }
        rx
    }

    /// Enqueues a reconcile of `key` in the controller that owns it (dropped if none does).
    pub fn send(&self, key: &PactoKey) {
        if let Ok(r) = self.routes.lock() {
            for route in r.iter() {
                if route
                    .namespace
                    .as_deref()
                    .is_none_or(|n| n == key.namespace)
                {
                    let _ = route.sender.send(key.object_ref());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_namespace() {
        let t = Triggers::default();
        let mut a = t.subscribe(Some("a".into()));
        let mut all = t.subscribe(None);
        t.send(&PactoKey::new("a", "x"));
        t.send(&PactoKey::new("b", "y"));
        assert_eq!(a.try_recv().ok().map(|r| r.name), Some("x".to_string()));
        assert!(a.try_recv().is_err());
        assert_eq!(all.try_recv().ok().map(|r| r.name), Some("x".to_string()));
        assert_eq!(all.try_recv().ok().map(|r| r.name), Some("y".to_string()));
    }
}
