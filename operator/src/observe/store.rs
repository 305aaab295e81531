//! A watch-fed store of one kind, indexed by namespace and a per-kind key (the object's name,
//! a Service's name for EndpointSlices, the scaled workload for HPAs), so a reconcile finds
//! what its target names in O(1) instead of scanning or asking the API.
//!
//! Like kube-runtime's reflector store, a re-list is buffered and swapped in whole at its end,
//! so a reader never sees half a list; the store is `ready` after the first complete list.
//!
//! Objects are held as their (pruned) JSON and decoded when read: a k8s-openapi struct is
//! several times the size of its JSON (a `Container` alone is 2.3 KB with every field `None`),
//! and only a reconcile of the object's own Pacto reads it. The JSON is packed against the
//! kind's first object ([`Packer`]): objects of one kind share most of their text.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use kube::ResourceExt;
use kube::runtime::watcher::Event;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use crate::packed::Packer;

/// The per-kind key an object is found by, within its namespace (`None`: not indexed).
pub type IndexFn<K> = fn(&K) -> Option<String>;

type Slot = (String, String);

/// One object as the store holds it.
struct Packed {
    ns: String,
    name: String,
    key: Option<String>,
    json: Box<[u8]>,
}

#[derive(Default)]
struct Inner {
    /// (namespace, index key) → name → the object's JSON.
    by_key: HashMap<Slot, BTreeMap<String, Box<[u8]>>>,
    /// (namespace, name) → index key, to move or drop an object whose key changed.
    key_of: HashMap<Slot, String>,
    /// Objects of a re-list in progress.
    buffer: Option<Vec<Packed>>,
    /// Why the watch last failed (cleared by the next event).
    last_error: Option<String>,
}

/// Objects of one kind; shared behind an `Arc` by the watch that fills it and the readers.
pub struct IndexedStore<K> {
    kind: &'static str,
    index: IndexFn<K>,
    inner: RwLock<Inner>,
    packer: Packer,
    ready: watch::Sender<bool>,
    created: Instant,
}

/// Why a store cannot answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NotSynced(pub String);

impl<K: kube::Resource + Clone + Serialize + DeserializeOwned> IndexedStore<K> {
    pub fn new(kind: &'static str, index: IndexFn<K>) -> Self {
        Self {
            kind,
            index,
            inner: RwLock::new(Inner::default()),
            packer: Packer::default(),
            ready: watch::Sender::new(false),
            created: Instant::now(),
        }
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Applies one watch event (the watch calls this before the event triggers reconciles).
    pub fn apply(&self, event: &Event<K>) {
        // Packed before the lock: readers wait only for the map update.
        let packed = match event {
            Event::InitApply(o) | Event::Apply(o) => Some(self.pack(o)),
            _ => None,
        };
        let Ok(mut g) = self.inner.write() else {
            return;
        };
        g.last_error = None;
        match event {
            Event::Init => g.buffer = Some(Vec::new()),
            Event::InitApply(_) => g.buffer.get_or_insert_with(Vec::new).extend(packed),
            Event::InitDone => {
                let objects = g.buffer.take().unwrap_or_default();
                g.by_key.clear();
                g.key_of.clear();
                for o in objects {
                    Self::insert(&mut g, o);
                }
                drop(g);
                self.ready.send_replace(true);
            }
            Event::Apply(_) => {
                if let Some(p) = packed {
                    Self::insert(&mut g, p)
                }
            }
            Event::Delete(o) => {
                Self::remove(&mut g, &o.namespace().unwrap_or_default(), &o.name_any())
            }
        }
    }

    /// Records a watch failure; readers see it while the store is not ready.
    pub fn failed(&self, error: &str) {
        if let Ok(mut g) = self.inner.write() {
            g.last_error = Some(error.chars().take(300).collect());
        }
    }

    fn pack(&self, o: &K) -> Packed {
        Packed {
            ns: o.namespace().unwrap_or_default(),
            name: o.name_any(),
            key: (self.index)(o),
            json: self.packer.pack_json(o).unwrap_or_default(),
        }
    }

    fn insert(g: &mut Inner, o: Packed) {
        Self::remove(g, &o.ns, &o.name);
        let Some(key) = o.key else { return };
        g.by_key
            .entry((o.ns.clone(), key.clone()))
            .or_default()
            .insert(o.name.clone(), o.json);
        g.key_of.insert((o.ns, o.name), key);
    }

    fn remove(g: &mut Inner, ns: &str, name: &str) {
        let Some(key) = g.key_of.remove(&(ns.to_string(), name.to_string())) else {
            return;
        };
        let slot = (ns.to_string(), key);
        if let Some(m) = g.by_key.get_mut(&slot) {
            m.remove(name);
            if m.is_empty() {
                g.by_key.remove(&slot);
            }
        }
    }

    /// Objects of `ns` under `key`, by name (decoded for this reader).
    pub fn get(&self, ns: &str, key: &str) -> Vec<Arc<K>> {
        let Ok(g) = self.inner.read() else {
            return Vec::new();
        };
        g.by_key
            .get(&(ns.to_string(), key.to_string()))
            .map(|m| {
                m.values()
                    .filter_map(|packed| self.packer.unpack_json(packed).map(Arc::new))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Number of objects held.
    pub fn len(&self) -> usize {
        self.inner.read().map(|g| g.key_of.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits until the first list has completed, at most until `grace` after the store was
    /// created: a watch that cannot list (RBAC, outage) must not hold every reconcile.
    pub async fn synced(&self, grace: Duration) -> Result<(), NotSynced> {
        let deadline = self.created + grace;
        let mut rx = self.ready.subscribe();
        let wait = rx.wait_for(|r| *r);
        let ok = match deadline.checked_duration_since(Instant::now()) {
            Some(left) => matches!(tokio::time::timeout(left, wait).await, Ok(Ok(_))),
            None => *self.ready.borrow(),
        };
        if ok {
            return Ok(());
        }
        let why = self
            .inner
            .read()
            .ok()
            .and_then(|g| g.last_error.clone())
            .unwrap_or_else(|| "the first list has not completed".into());
        Err(NotSynced(format!(
            "cannot read {}s from the operator's watch: {why}",
            self.kind
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::discovery::v1::EndpointSlice;

    fn slice(ns: &str, name: &str, svc: &str) -> EndpointSlice {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "namespace": ns,
                "labels": {"kubernetes.io/service-name": svc}},
            "addressType": "IPv4", "endpoints": []
        }))
        .expect("slice")
    }

    fn by_service(s: &EndpointSlice) -> Option<String> {
        s.metadata
            .labels
            .as_ref()?
            .get("kubernetes.io/service-name")
            .cloned()
    }

    fn names(v: Vec<Arc<EndpointSlice>>) -> Vec<String> {
        v.iter().map(|s| s.name_any()).collect()
    }

    #[test]
    fn finds_by_index_key_and_follows_a_changed_key() {
        let st = IndexedStore::new("EndpointSlice", by_service);
        st.apply(&Event::Apply(slice("a", "web-1", "web")));
        st.apply(&Event::Apply(slice("a", "web-2", "web")));
        st.apply(&Event::Apply(slice("b", "web-1", "web")));
        assert_eq!(names(st.get("a", "web")), ["web-1", "web-2"]);
        // Relabelled to another Service: found there, gone from the old one.
        st.apply(&Event::Apply(slice("a", "web-2", "api")));
        assert_eq!(names(st.get("a", "web")), ["web-1"]);
        assert_eq!(names(st.get("a", "api")), ["web-2"]);
        st.apply(&Event::Delete(slice("a", "web-1", "web")));
        assert!(st.get("a", "web").is_empty());
        assert_eq!(st.len(), 2);
    }

    #[test]
    fn a_relist_is_swapped_in_whole_and_drops_what_vanished() {
        let st = IndexedStore::new("EndpointSlice", by_service);
        st.apply(&Event::Apply(slice("a", "old", "web")));
        st.apply(&Event::Init);
        st.apply(&Event::InitApply(slice("a", "new", "web")));
        // Mid re-list the previous state still answers.
        assert_eq!(names(st.get("a", "web")), ["old"]);
        st.apply(&Event::InitDone);
        assert_eq!(names(st.get("a", "web")), ["new"]);
    }

    #[tokio::test]
    async fn not_synced_names_the_kind_and_the_watch_error() {
        let st: IndexedStore<EndpointSlice> = IndexedStore::new("EndpointSlice", by_service);
        st.failed("403 Forbidden");
        let err = st
            .synced(Duration::from_millis(20))
            .await
            .expect_err("not synced");
        assert!(
            err.0.contains("EndpointSlices") && err.0.contains("403"),
            "{}",
            err.0
        );
        st.apply(&Event::Init);
        st.apply(&Event::InitDone);
        assert_eq!(st.synced(Duration::ZERO).await, Ok(()));
    }
}
