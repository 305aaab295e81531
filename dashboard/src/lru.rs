//! A least-recently-used cache bounded by bytes, not entries: only what is being
//! viewed stays resident, whatever the size of the fleet.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

pub struct ByteLru<K, V> {
    capacity: u64,
    used: u64,
    tick: u64,
    entries: HashMap<K, Entry<V>>,
    order: BTreeMap<u64, K>,
}

struct Entry<V> {
    value: V,
    bytes: u64,
    tick: u64,
}

impl<K: Eq + Hash + Clone, V: Clone> ByteLru<K, V> {
    pub fn new(capacity: u64) -> Self {
        Self {
            capacity,
            used: 0,
            tick: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, key: &K) -> Option<V> {
        self.tick += 1;
        let tick = self.tick;
        let e = self.entries.get_mut(key)?;
        self.order.remove(&e.tick);
        e.tick = tick;
        self.order.insert(tick, key.clone());
        Some(e.value.clone())
    }

    /// Inserts, evicting the least recently used entries until it fits. An entry larger
    /// than the whole capacity is not kept (the caller still has its value).
    pub fn insert(&mut self, key: K, value: V, bytes: u64) {
        self.remove(&key);
        if bytes > self.capacity {
            return;
        }
        while self.used + bytes > self.capacity {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some(e) = self.entries.remove(&oldest) {
                self.used -= e.bytes;
            }
        }
        self.tick += 1;
        self.order.insert(self.tick, key.clone());
        self.entries.insert(
            key,
            Entry {
                value,
                bytes,
                tick: self.tick,
            },
        );
        self.used += bytes;
    }

    pub fn remove(&mut self, key: &K) {
        if let Some(e) = self.entries.remove(key) {
            self.order.remove(&e.tick);
            self.used -= e.bytes;
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
        self.used = 0;
    }

    pub fn used_bytes(&self) -> u64 {
        self.used
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_by_bytes() {
        let mut c = ByteLru::new(100);
        c.insert("a", 1, 40);
        c.insert("b", 2, 40);
        assert_eq!(c.get(&"a"), Some(1)); // a is now newer than b
        c.insert("c", 3, 40);
        assert_eq!(c.get(&"b"), None);
        assert_eq!(c.get(&"a"), Some(1));
        assert_eq!(c.get(&"c"), Some(3));
        assert_eq!(c.used_bytes(), 80);
    }

    #[test]
    fn oversized_entries_are_not_kept_and_replacing_accounts_bytes() {
        let mut c = ByteLru::new(100);
        c.insert("big", 0, 101);
        assert!(c.is_empty());
        c.insert("a", 1, 60);
        c.insert("a", 2, 30);
        assert_eq!(c.used_bytes(), 30);
        assert_eq!(c.len(), 1);
        c.clear();
        assert_eq!(c.used_bytes(), 0);
    }
}
