//! One HTTP GET against one replica: a timeout, no redirects, a capped body.

use std::time::{Duration, Instant};

use crate::eval::probes::{cap_error, judge_health, judge_metrics};
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
        // reqwest is built without a default TLS provider (ring only, shared with oci-client);
        // it panics at build time unless one is installed. "Already installed" is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
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
            Err(e) => out.error = Some(cap_error(&e)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A one-shot HTTP server answering every connection with `response` (after `delay`).
    async fn server(response: Vec<u8>, delay: Duration) -> u16 {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = l.local_addr().expect("addr").port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = l.accept().await {
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 1024];
                    let _ = s.read(&mut buf).await;
                    tokio::time::sleep(delay).await;
                    let _ = s.write_all(&response).await;
                    let _ = s.shutdown().await;
                });
            }
        });
        port
    }

    fn resp(status: &str, headers: &str, body: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    fn prober(ms: u64, cap: usize) -> Prober {
        Prober::new(Duration::from_millis(ms), cap).expect("prober")
    }

    #[tokio::test]
    async fn healthy_replica_passes_with_status_and_pod() {
        let port = server(resp("200 OK", "", "ok"), Duration::ZERO).await;
        let r = prober(2000, 64)
            .probe(
                ProbeKind::Health,
                "127.0.0.1",
                port,
                "/health",
                Some("p1".into()),
            )
            .await;
        assert!(r.ok, "{r:?}");
        assert_eq!(
            (r.status_code, r.pod_name.as_deref()),
            (Some(200), Some("p1"))
        );
    }

    #[tokio::test]
    async fn redirects_are_not_followed_and_fail() {
        let port = server(
            resp("302 Found", "Location: http://127.0.0.1:1/x\r\n", ""),
            Duration::ZERO,
        )
        .await;
        let r = prober(2000, 64)
            .probe(ProbeKind::Health, "127.0.0.1", port, "/health", None)
            .await;
        assert!(!r.ok);
        assert_eq!(r.status_code, Some(302));
    }

    #[tokio::test]
    async fn slow_replica_times_out_and_refused_port_fails() {
        let port = server(resp("200 OK", "", "ok"), Duration::from_secs(3)).await;
        let r = prober(200, 64)
            .probe(ProbeKind::Health, "127.0.0.1", port, "/", None)
            .await;
        assert_eq!(r.error.as_deref(), Some("timeout"), "{r:?}");
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let r = prober(500, 64)
            .probe(ProbeKind::Health, "127.0.0.1", closed, "/", None)
            .await;
        assert!(!r.ok && r.status_code.is_none(), "{r:?}");
    }

    #[tokio::test]
    async fn metrics_body_is_capped_and_judged() {
        let ok = "# TYPE up gauge\nup 1\n";
        let port = server(resp("200 OK", "", ok), Duration::ZERO).await;
        let r = prober(2000, 1024)
            .probe(ProbeKind::Metrics, "127.0.0.1", port, "/metrics", None)
            .await;
        assert!(r.ok, "{r:?}");
        let html = "<html>".repeat(1000);
        let port = server(resp("200 OK", "", &html), Duration::ZERO).await;
        let r = prober(2000, 16)
            .probe(ProbeKind::Metrics, "127.0.0.1", port, "/metrics", None)
            .await;
        assert!(!r.ok && r.error.is_some(), "{r:?}");
        let mut body = Vec::new();
        let big = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{}",
            1 << 20,
            "a".repeat(1 << 20)
        );
        body.extend_from_slice(big.as_bytes());
        let port = server(body, Duration::ZERO).await;
        let t = std::time::Instant::now();
        let r = prober(5000, 100)
            .probe(ProbeKind::Metrics, "127.0.0.1", port, "/metrics", None)
            .await;
        assert!(!r.ok);
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}
