//! One HTTP GET against one replica: a timeout, no redirects, a capped body.

use std::time::{Duration, Instant};

use crate::eval::probes::{judge_health, judge_metrics};
use crate::eval::{ProbeKind, ReplicaResult};

/// Shared HTTP client settings.
#[derive(Clone)]
pub struct Prober {
    client: reqwest::Client,
    body_limit: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot build the probe HTTP client: {0}")]
pub struct ProberError(#[from] reqwest::Error);

impl Prober {
    pub fn new(timeout: Duration, body_limit: usize) -> Result<Self, ProberError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .no_proxy()
            .pool_max_idle_per_host(0)
            .build()?;
        Ok(Self { client, body_limit })
    }

    /// Probes `http://addr:port/path`; the result says whether the endpoint's rule passed.
    pub async fn probe(
        &self,
        kind: ProbeKind,
        addr: &str,
        port: u16,
        path: &str,
        pod: Option<String>,
    ) -> ReplicaResult {
        let host = if addr.contains(':') {
            format!("[{addr}]")
        } else {
            addr.to_string()
        };
        let url = format!("http://{host}:{port}{path}");
        let t0 = Instant::now();
        let mut out = ReplicaResult {
            address: addr.to_string(),
            pod_name: pod,
            ..ReplicaResult::default()
        };
        let resp = match self.client.get(&url).send().await {
            Ok(r) => r,
            Err(e) => {
                out.latency_ms = elapsed_ms(t0);
                out.error = Some(if e.is_timeout() {
                    "timeout".into()
                } else if e.is_connect() {
                    "connection failed".into()
                } else {
                    "request failed".into()
                });
                return out;
            }
        };
        let code = resp.status().as_u16();
        out.status_code = Some(code);
        let body = read_capped(resp, self.body_limit).await;
        out.latency_ms = elapsed_ms(t0);
        let verdict = match kind {
            ProbeKind::Health => judge_health(code),
            ProbeKind::Metrics => match body {
                Ok(b) => judge_metrics(code, &b),
                Err(e) => Err(e),
            },
        };
        match verdict {
            Ok(()) => out.ok = true,
            Err(e) => out.error = Some(e),
        }
        out
    }
}

fn elapsed_ms(t0: Instant) -> u64 {
    u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX)
}

async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                let room = limit.saturating_sub(buf.len());
                buf.extend_from_slice(&c[..c.len().min(room)]);
                if buf.len() >= limit {
                    // Enough to judge; the rest is never read.
                    return Ok(buf);
                }
            }
            Ok(None) => return Ok(buf),
            Err(_) => return Err("body read failed".into()),
        }
    }
}
