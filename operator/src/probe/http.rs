//! One HTTP GET against one replica: a timeout, no redirects, a capped body.

use std::time::{Duration, Instant};

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
    pub async fn probe(&self, kind: ProbeKind, addr: &str, port: u16, path: &str, pod: Option<String>) -> ReplicaResult {
        let host = if addr.contains(':') { format!("[{addr}]") } else { addr.to_string() };
        let url = format!("http://{host}:{port}{path}");
        let t0 = Instant::now();
        let mut out = ReplicaResult { address: addr.to_string(), pod_name: pod, ..ReplicaResult::default() };
        let resp = match self.client.get(&url).send().await {
            Ok(r) => r,
            Err(e) => {
                out.latency_ms = elapsed_ms(t0);
                out.error = Some(if e.is_timeout() { "timeout".into() } else if e.is_connect() { "connection failed".into() } else { "request failed".into() });
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

/// Health: any 2xx (a redirect is not followed and does not pass).
pub fn judge_health(code: u16) -> Result<(), String> {
    if (200..300).contains(&code) { Ok(()) } else { Err(format!("HTTP {code}")) }
}

/// Metrics: 200 with a non-empty body in Prometheus text format.
pub fn judge_metrics(code: u16, body: &[u8]) -> Result<(), String> {
    if code != 200 {
        return Err(format!("HTTP {code}"));
    }
    let text = std::str::from_utf8(body).map_err(|_| "body is not UTF-8".to_string())?;
    crate::probe::prom_text::check(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_accepts_only_2xx() {
        assert!(judge_health(200).is_ok());
        assert!(judge_health(204).is_ok());
        assert_eq!(judge_health(302), Err("HTTP 302".into()));
        assert_eq!(judge_health(503), Err("HTTP 503".into()));
    }

    #[test]
    fn metrics_need_200_and_prometheus_text() {
        assert!(judge_metrics(200, b"# TYPE up gauge\nup 1\n").is_ok());
        assert!(judge_metrics(200, b"").is_err());
        assert!(judge_metrics(200, b"<html>hi</html>").is_err());
        assert_eq!(judge_metrics(500, b"up 1"), Err("HTTP 500".into()));
    }
}
