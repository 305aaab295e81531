#![no_main]
//! Any bytes as a bundle archive: the hardened reader must refuse or accept
//! within its limits, never panic, and never accept an unsafe path.

use libfuzzer_sys::fuzz_target;
use pacto_core::bundle::{Bundle, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_size: 1 << 20,
        max_total_size: 4 << 20,
        max_entries: 1000,
    };
    for input in [data.to_vec(), gzip(data)] {
        if let Ok(bundle) = Bundle::from_tar_gz(&input, &limits) {
            for (path, _) in bundle.files() {
                assert!(!path.starts_with('/') && !path.split('/').any(|s| s == ".."));
            }
            // Whatever was accepted packs and reads back identically.
            let packed = bundle.to_tar_gz().expect("pack");
            assert_eq!(Bundle::from_tar_gz(&packed, &limits).ok(), Some(bundle));
        }
    }
});

/// Wraps raw bytes in gzip so the fuzzer also reaches the tar reader.
fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}
