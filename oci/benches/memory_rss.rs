//! Figure: process RSS after pulling many versions of a ~1 MiB bundle through
//! `CachedRegistry`, with the default memory cap and, for comparison, with no cap (what the
//! in-process layer did before it was bounded). Starts a real registry with
//! `e2e/registry.sh`.
//!
//!   cargo bench -p pacto-oci --bench memory_rss -- [VERSIONS] [BLOB_BYTES]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use pacto_core::oci_ref::OciRef;
use pacto_oci::memory_size::DEFAULT_MEMORY_CACHE_BYTES;
use pacto_oci::{CacheOptions, CachedRegistry, OciError};
use support::{Registries, anon_client, oref, sized_bundle};

/// Why the figure could not be produced.
#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error("docker-registry is not available")]
    NoRegistry,
    #[error("temp dir: {0}")]
    TempDir(std::io::Error),
    #[error("push {reference}: {source}")]
    Push { reference: OciRef, source: OciError },
    #[error("pull {reference}: {source}")]
    Pull { reference: OciRef, source: OciError },
}

/// `VmRSS` and `VmHWM` (peak) of this process, in KiB.
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Pulls every ref through a fresh `CachedRegistry` over `disk`; prints what stayed.
async fn pass(
    label: &str,
    refs: &[OciRef],
    disk: &std::path::Path,
    cap: u64,
) -> Result<(), RunError> {
    let cached = CachedRegistry::new(
        anon_client(),
        CacheOptions {
            dir: Some(disk.to_path_buf()),
            read: true,
            tag_ttl: Duration::from_secs(3600),
            memory_bytes: cap,
        },
    );
    let t = Instant::now();
    let mut peak = 0;
    for r in refs {
        cached.pull(r).await.map_err(|source| RunError::Pull {
            reference: r.clone(),
            source,
        })?;
        peak = peak.max(cached.resident_bytes());
    }
    let (rss, hwm) = rss_kib();
    println!(
        "{label:<28} pulls {:>4} in {:>6.1} s | resident {:>7.1} MiB in {:>4} bundles (peak {:>7.1} MiB) | network {:>4} | RSS {:>7.1} MiB, peak RSS {:>7.1} MiB",
        refs.len(),
        t.elapsed().as_secs_f64(),
        mib(cached.resident_bytes()),
        cached.resident_bundles(),
        mib(peak),
        cached.network_requests(),
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("memory_rss: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The registry is stopped when `reg` drops, on every path out.
async fn run() -> Result<(), RunError> {
    let versions = arg(1, 300);
    let blob = arg(2, 1024 * 1024);
    let reg = Registries::start("memory-rss").ok_or(RunError::NoRegistry)?;
    let disk = tempfile::tempdir().map_err(RunError::TempDir)?;
    let repo = format!("oci://{}/acme/rss", reg.anon);
    let pusher = anon_client();
    let t = Instant::now();
    let mut refs = Vec::new();
    for i in 0..versions {
        let version = format!("1.0.{i}");
        let r = oref(&format!("{repo}:{version}"));
        pusher
            .push(&r, &sized_bundle("rss", &version, blob))
            .await
            .map_err(|source| RunError::Push {
                reference: r.clone(),
                source,
            })?;
        refs.push(r);
    }
    let (rss, _) = rss_kib();
    println!(
        "pushed {versions} versions of a {:.2} MiB bundle in {:.1} s; RSS before pulling {:.1} MiB",
        mib(blob as u64),
        t.elapsed().as_secs_f64(),
        rss as f64 / 1024.0
    );
    // Capped first, so the uncapped pass cannot inflate the capped figure; the uncapped
    // pass reads the disk cache the first one filled (no network).
    pass(
        &format!("cap {:.0} MiB (default)", mib(DEFAULT_MEMORY_CACHE_BYTES)),
        &refs,
        disk.path(),
        DEFAULT_MEMORY_CACHE_BYTES,
    )
    .await?;
    pass("no cap (before)", &refs, disk.path(), u64::MAX).await
}
