//! A least-recently-used cache bounded by bytes, not entries: only what is being
//! viewed stays resident, whatever the size of the fleet. Shared by the registry's
//! in-process bundle layer ([`crate::CachedRegistry`]), the dashboard and the operator.
//! The byte size of an entry is the caller's estimate; this type only does the accounting.

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

    /// Inserts, evicting the least recently used entries until it fits, and says whether
    /// the entry was kept: one larger than the whole capacity is not (the caller still has
    /// its value), and neither is anything with a capacity of 0.
    pub fn insert(&mut self, key: K, value: V, bytes: u64) -> bool {
        self.remove(&key);
        if bytes > self.capacity || self.capacity == 0 {
            return false;
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
        true
    }

    /// Evicts least recently used entries until at most `max_used` bytes are held (room
    /// made ahead of content whose size is known only once it has arrived).
    pub fn evict_to(&mut self, max_used: u64) {
        while self.used > max_used {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some(e) = self.entries.remove(&oldest) {
                self.used -= e.bytes;
            }
        }
    }

    /// Whether `key` is held, without counting as a use.
    pub fn contains(&self, key: &K) -> bool {
        self.entries.contains_key(key)
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

    pub fn capacity(&self) -> u64 {
        self.capacity
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

    #[test]
    fn one_insert_evicts_as_many_oldest_entries_as_needed_in_order() {
        let mut c = ByteLru::new(100);
        for (k, b) in [("a", 20), ("b", 20), ("c", 20), ("d", 20)] {
            assert!(c.insert(k, k, b));
        }
        assert_eq!(c.get(&"a"), Some("a")); // order now b, c, d, a
        assert!(c.insert("e", "e", 55)); // needs 55 of 100: b and c (and only they) go
        assert_eq!(c.get(&"b"), None);
        assert_eq!(c.get(&"c"), None);
        assert_eq!(c.get(&"d"), Some("d"));
        assert_eq!(c.get(&"a"), Some("a"));
        assert_eq!(c.get(&"e"), Some("e"));
        assert_eq!(c.used_bytes(), 95);
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn oversize_insert_keeps_the_rest_and_drops_the_old_value_of_its_key() {
        let mut c = ByteLru::new(100);
        c.insert("a", 1, 50);
        c.insert("b", 2, 50);
        assert!(!c.insert("b", 3, 150));
        assert_eq!(c.get(&"b"), None);
        assert_eq!(c.get(&"a"), Some(1));
        assert_eq!(c.used_bytes(), 50);
        assert!(c.insert("exact", 4, 50));
        assert_eq!(c.used_bytes(), 100);
    }

    #[test]
    fn evict_to_drops_the_oldest_until_under_the_mark() {
        let mut c = ByteLru::new(100);
        for (k, b) in [("a", 30), ("b", 30), ("c", 30)] {
            c.insert(k, k, b);
        }
        c.get(&"a"); // order now b, c, a
        c.evict_to(60);
        assert_eq!(c.get(&"b"), None);
        assert_eq!(c.used_bytes(), 60);
        c.evict_to(0);
        assert!(c.is_empty());
    }

    #[test]
    fn remove_gives_its_bytes_back_and_zero_capacity_keeps_nothing() {
        let mut c = ByteLru::new(10);
        c.insert("a", 1, 4);
        c.insert("b", 2, 6);
        c.remove(&"a");
        c.remove(&"missing");
        assert_eq!(c.used_bytes(), 6);
        assert!(c.insert("c", 3, 4)); // fits without evicting b
        assert_eq!(c.get(&"b"), Some(2));
        let mut z = ByteLru::new(0);
        assert!(!z.insert("a", 1, 0));
        assert!(z.is_empty());
        assert_eq!(z.capacity(), 0);
    }
}
