//! Small hostile HTTP servers on loopback for the registry tests: each request's head is
//! handed to a handler (after its body, per `Content-Length`, has been read and dropped), and
//! the handler's reply is written back before the connection closes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What a fake server sends back for one request head.
pub enum Reply {
    /// A whole response (status line, headers, body), then close.
    Whole(String),
    /// These headers, then `a` bytes until the client goes away.
    Endless(String),
    /// These headers, then this many `a` bytes (fewer if the client goes away first).
    Streamed(String, u64),
}

/// A whole response with a `Content-Length`.
pub fn whole(status: &str, headers: &[&str], body: &str) -> Reply {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    Reply::Whole(format!(
        "{head}Content-Length: {}\r\n\r\n{body}",
        body.len()
    ))
}

/// Request heads seen (lowercased), in arrival order.
pub type Seen = Arc<Mutex<Vec<String>>>;

/// A copy of what was seen so far.
pub fn seen(s: &Seen) -> Vec<String> {
    s.lock().map(|s| s.clone()).unwrap_or_default()
}

/// A value set once the servers are up (e.g. the address a challenge must name).
pub type Later = Arc<Mutex<String>>;

pub fn get(l: &Later) -> String {
    l.lock().map(|s| s.clone()).unwrap_or_default()
}

pub fn set(l: &Later, value: &str) {
    if let Ok(mut s) = l.lock() {
        *s = value.to_string();
    }
}

/// The body length a request head announces.
fn content_length(head: &str) -> u64 {
    head.lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Serves `handler` on `ip` (any port); returns `host:port` and the request heads seen
/// (lowercased).
pub async fn serve(
    ip: &str,
    handler: impl Fn(&str) -> Reply + Send + Sync + 'static,
) -> (String, Seen) {
    let listener = match TcpListener::bind((ip, 0)).await {
        Ok(l) => l,
        Err(e) => panic!("bind {ip}: {e}"),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a.to_string(),
        Err(e) => panic!("{e}"),
    };
    let seen: Seen = Arc::default();
    let (handler, log) = (Arc::new(handler), seen.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (handler, log) = (handler.clone(), log.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = vec![0u8; 64 * 1024];
                let end = loop {
                    if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    if head.len() >= 65536 {
                        return;
                    }
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                };
                let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                let mut left = content_length(&text).saturating_sub((head.len() - end) as u64);
                while left > 0 {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => left = left.saturating_sub(n as u64),
                    }
                }
                if let Ok(mut l) = log.lock() {
                    l.push(text.clone());
                }
                let (text, mut rest) = match handler(&text) {
                    Reply::Whole(text) => (text, 0),
                    Reply::Endless(text) => (text, 8 << 30),
                    Reply::Streamed(text, n) => (text, n),
                };
                if sock.write_all(text.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'a'; 64 * 1024];
                while rest > 0 {
                    let n = rest.min(chunk.len() as u64) as usize;
                    if sock.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                    rest -= n as u64;
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    (addr, seen)
}

/// Peak resident memory of this test process, in KiB.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// `f`, or a panic saying the client hung.
pub async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(60), f).await {
        Ok(v) => v,
        Err(_) => panic!("the client hung on a hostile answer"),
    }
}
