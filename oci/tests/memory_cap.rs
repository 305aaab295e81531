//! The in-process bundle layer of `CachedRegistry` stays within its byte cap against a real
//! registry, and what it evicts comes back from the disk cache without network.

mod support;

use std::sync::Arc;
use std::time::Duration;

use pacto_oci::memory_size::resident_size;
use pacto_oci::{CacheOptions, CachedRegistry, Pulled};
use support::{Registries, anon_client, oref, sized_bundle};

macro_rules! ok {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => panic!("{} failed: {e}", stringify!($e)),
        }
    };
}

const CAP: u64 = 256 * 1024;
const VERSIONS: usize = 12;
const BLOB: usize = 40 * 1024;

fn same_files(p: &Pulled, want: &pacto_core::Bundle) {
    assert_eq!(p.bundle.read("docs/blob.bin"), want.read("docs/blob.bin"));
    assert_eq!(p.bundle.contract_text(), want.contract_text());
}

#[tokio::test]
async fn resident_bytes_stay_under_the_cap_and_evicted_versions_come_from_disk() {
    let Some(reg) = Registries::start("memcap") else {
        return;
    };
    let disk = ok!(tempfile::tempdir());
    let repo = format!("oci://{}/acme/memcap", reg.anon);
    let pusher = anon_client();
    let mut pushed = Vec::new();
    for i in 0..VERSIONS {
        let version = format!("1.0.{i}");
        let b = sized_bundle("memcap", &version, BLOB);
        let r = oref(&format!("{repo}:{version}"));
        let res = ok!(pusher.push(&r, &b).await);
        pushed.push((r, res.digest, b));
    }

    let cached = CachedRegistry::new(
        anon_client(),
        CacheOptions {
            dir: Some(disk.path().to_path_buf()),
            read: true,
            tag_ttl: Duration::from_secs(600),
            memory_bytes: CAP,
        },
    );
    let mut sizes = Vec::new();
    for (r, digest, b) in &pushed {
        let p: Arc<Pulled> = ok!(cached.pull(r).await);
        assert_eq!(&p.digest, digest);
        same_files(&p, b);
        sizes.push(resident_size(&p));
        assert!(
            cached.resident_bytes() <= CAP,
            "{} resident bytes over the {CAP} cap",
            cached.resident_bytes()
        );
    }
    // The versions really do not fit together, so the cap had to evict.
    assert!(sizes.iter().sum::<u64>() > 2 * CAP, "{sizes:?}");
    assert!(
        sizes.iter().all(|s| *s > BLOB as u64 * 2),
        "layer + unpacked: {sizes:?}"
    );
    // One HEAD and one pull per version.
    assert_eq!(cached.network_requests(), 2 * VERSIONS as u64);
    let resident = cached.resident_bundles();
    assert!((1..VERSIONS).contains(&resident), "{resident} resident");
    // Least recently used went first: the newest pulls are held, the oldest are not.
    let (first, last) = (&pushed[0], &pushed[VERSIONS - 1]);
    assert!(cached.is_resident(&last.1));
    assert!(!cached.is_resident(&first.1));
    let held: u64 = pushed
        .iter()
        .zip(&sizes)
        .filter(|((_, d, _), _)| cached.is_resident(d))
        .map(|(_, s)| *s)
        .sum();
    assert_eq!(
        held,
        cached.resident_bytes(),
        "accounting matches the entries held"
    );

    // Evicted versions come back from the disk cache: same content, no network.
    let before = cached.network_requests();
    let p = ok!(cached.pull(&first.0).await);
    same_files(&p, &first.2);
    assert!(
        cached.is_resident(&first.1),
        "a re-read version is held again"
    );
    for (r, digest, b) in &pushed {
        let p = ok!(cached.pull(r).await);
        assert_eq!(&p.digest, digest);
        same_files(&p, b);
        assert!(cached.resident_bytes() <= CAP);
    }
    assert_eq!(cached.network_requests(), before, "re-reads came from disk");
}

#[tokio::test]
async fn a_bundle_bigger_than_the_cap_is_returned_but_not_kept() {
    let Some(reg) = Registries::start("memcap-big") else {
        return;
    };
    let disk = ok!(tempfile::tempdir());
    let repo = format!("oci://{}/acme/big", reg.anon);
    let small = sized_bundle("big", "1.0.0", 4 * 1024);
    let big = sized_bundle("big", "2.0.0", CAP as usize + 1);
    let pusher = anon_client();
    let small_ref = oref(&format!("{repo}:1.0.0"));
    let big_ref = oref(&format!("{repo}:2.0.0"));
    let small_digest = ok!(pusher.push(&small_ref, &small).await).digest;
    let big_digest = ok!(pusher.push(&big_ref, &big).await).digest;

    let cached = CachedRegistry::new(
        anon_client(),
        CacheOptions {
            dir: Some(disk.path().to_path_buf()),
            read: true,
            tag_ttl: Duration::from_secs(600),
            memory_bytes: CAP,
        },
    );
    ok!(cached.pull(&small_ref).await);
    let held = cached.resident_bytes();
    assert!(held > 0 && cached.is_resident(&small_digest));
    let p = ok!(cached.pull(&big_ref).await);
    same_files(&p, &big);
    assert!(resident_size(&p) > CAP);
    assert!(!cached.is_resident(&big_digest));
    // Not kept, and it did not push out what was there.
    assert_eq!(cached.resident_bytes(), held);
    assert!(cached.is_resident(&small_digest));
    // The disk cache still has it: a second pull needs no network.
    let before = cached.network_requests();
    let again = ok!(cached.pull(&big_ref).await);
    same_files(&again, &big);
    assert_eq!(cached.network_requests(), before);
}
