//! Sharding for clusters past one process (`--shards N`, with `--leader-elect`): Pactos are
//! split by a stable hash of `namespace/name` into N shards, each with its own Lease
//! (`<lease-name>-shard-<k>`). A replica holds at most one shard at a time and reconciles only
//! that shard's Pactos; a replica holding none stands by and takes over the shard of a replica
//! that dies. So N replicas share the work and replicas past N are hot standbys.

use std::sync::atomic::{AtomicI64, Ordering};

use crate::pacto_key::PactoKey;

/// 64-bit FNV-1a: stable across processes, versions and platforms (std's hasher is not), so
/// every replica agrees on which shard a Pacto belongs to.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The shard of a Pacto among `count` (0 when unsharded).
pub fn shard_of(key: &PactoKey, count: u32) -> u32 {
    if count <= 1 {
        return 0;
    }
    let id = format!("{}/{}", key.namespace, key.name);
    u32::try_from(fnv1a(id.as_bytes()) % u64::from(count)).unwrap_or(0)
}

/// Where a replica standing by starts trying the Leases, so replicas starting together
/// spread over the shards instead of all racing for shard 0 first.
pub fn start_offset(identity: &str, count: usize) -> usize {
    usize::try_from(fnv1a(identity.as_bytes()) % count.max(1) as u64).unwrap_or(0)
}

/// The Lease names: the base name alone when unsharded, one per shard otherwise.
pub fn lease_names(base: &str, count: u32) -> Vec<String> {
    if count <= 1 {
        return vec![base.to_string()];
    }
    (0..count).map(|k| format!("{base}-shard-{k}")).collect()
}

/// Which shard this replica reconciles now.
#[derive(Debug)]
pub struct Ownership {
    count: u32,
    /// The shard held, or -1 for none.
    held: AtomicI64,
}

impl Ownership {
    /// `count` shards; an unsharded operator (count 1) owns every Pacto.
    pub fn new(count: u32) -> Self {
        Self {
            count: count.max(1),
            held: AtomicI64::new(if count <= 1 { 0 } else { -1 }),
        }
    }

    pub fn count(&self) -> u32 {
        self.count
    }

    /// Records the shard held (`None`: standing by).
    pub fn hold(&self, shard: Option<u32>) {
        self.held
            .store(shard.map_or(-1, i64::from), Ordering::SeqCst);
    }

    pub fn held(&self) -> Option<u32> {
        u32::try_from(self.held.load(Ordering::SeqCst)).ok()
    }

    /// Whether this replica reconciles `key` now.
    pub fn owns(&self, key: &PactoKey) -> bool {
        self.count <= 1 || self.held() == Some(shard_of(key, self.count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_stable() {
        // Fixed values: every replica, on every version, must agree.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let k = PactoKey::new("team-a", "payments-api");
        assert_eq!(shard_of(&k, 4), shard_of(&k.clone(), 4));
        assert_eq!(shard_of(&k, 1), 0);
        assert_eq!(shard_of(&k, 0), 0);
    }

    #[test]
    fn pactos_spread_evenly_over_shards() {
        for count in [2u32, 3, 4, 8] {
            let mut per = vec![0usize; count as usize];
            for i in 0..10_000 {
                let k = PactoKey::new(&format!("ns-{}", i % 10), &format!("app-{i}"));
                per[shard_of(&k, count) as usize] += 1;
            }
            let even = 10_000 / count as usize;
            for n in &per {
                assert!(
                    n.abs_diff(even) * 10 < even,
                    "{count} shards: {per:?} is not within 10% of {even} each"
                );
            }
        }
    }

    #[test]
    fn ownership_follows_the_held_shard() {
        let keys: Vec<PactoKey> = (0..64)
            .map(|i| PactoKey::new("ns", &format!("p{i}")))
            .collect();
        let unsharded = Ownership::new(1);
        assert!(keys.iter().all(|k| unsharded.owns(k)));

        let o = Ownership::new(4);
        assert!(keys.iter().all(|k| !o.owns(k)), "standing by owns nothing");
        o.hold(Some(2));
        for k in &keys {
            assert_eq!(o.owns(k), shard_of(k, 4) == 2, "{k}");
        }
        assert!(keys.iter().any(|k| o.owns(k)));
        o.hold(None);
        assert_eq!(o.held(), None);
    }

    #[test]
    fn lease_names_per_shard() {
        assert_eq!(lease_names("pacto-operator", 1), vec!["pacto-operator"]);
        assert_eq!(
            lease_names("op", 3),
            vec!["op-shard-0", "op-shard-1", "op-shard-2"]
        );
    }
}
