//! Registries that misbehave: a TCP proxy in front of a real registry that answers
//! `HTTP/1.1 500` while told to fail, and a tarpit that accepts connections and never answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A proxy on 127.0.0.1 forwarding to `upstream` (host:port), or answering 500 while failing.
pub struct FlakyProxy {
    pub host: String,
    failing: watch::Sender<bool>,
    pub answered_500: Arc<AtomicUsize>,
    accept: JoinHandle<()>,
}

impl FlakyProxy {
    pub async fn start(upstream: String, failing: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let host = listener.local_addr().expect("proxy addr").to_string();
        let (tx, rx) = watch::channel(failing);
        let answered_500 = Arc::new(AtomicUsize::new(0));
        let count = answered_500.clone();
        let accept = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let rx = rx.clone();
                let upstream = upstream.clone();
                let count = count.clone();
                tokio::spawn(serve(conn, upstream, rx, count));
            }
        });
        Self {
            host,
            failing: tx,
            answered_500,
            accept,
        }
    }

    /// Starts or stops failing; connections being forwarded are cut when failing starts, so
    /// a client's kept-alive connection cannot go on reaching the registry.
    pub fn set_failing(&self, failing: bool) {
        self.failing.send_replace(failing);
    }
}

impl Drop for FlakyProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn serve(
    mut conn: TcpStream,
    upstream: String,
    mut failing: watch::Receiver<bool>,
    answered_500: Arc<AtomicUsize>,
) {
    if *failing.borrow_and_update() {
        answer_500(&mut conn, &answered_500).await;
        return;
    }
    let Ok(mut up) = TcpStream::connect(&upstream).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut conn, &mut up) => {}
        _ = failing.wait_for(|f| *f) => {}
    }
}

/// Answers every request on the connection with 500 until the client closes it.
async fn answer_500(conn: &mut TcpStream, answered_500: &AtomicUsize) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut pending = Vec::new();
    loop {
        match conn.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => pending.extend_from_slice(&buf[..n]),
        }
        // One answer per complete request head (bodies of failing registry calls are small
        // or absent; a request with a body is answered once and the connection closed).
        while let Some(end) = find(&pending, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
            pending.drain(..end + 4);
            let has_body = head.contains("content-length:") && !head.contains("content-length: 0");
            let body = r#"{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}"#;
            let reply = format!(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{}\r\n{body}",
                body.len(),
                if has_body {
                    "Connection: close\r\n"
                } else {
                    ""
                }
            );
            answered_500.fetch_add(1, Ordering::Relaxed);
            if conn.write_all(reply.as_bytes()).await.is_err() || has_body {
                return;
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Accepts TCP connections on 127.0.0.1 and never answers (holds them open).
pub struct Tarpit {
    pub host: String,
    pub accepted: Arc<AtomicUsize>,
    accept: JoinHandle<()>,
}

impl Tarpit {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind tarpit");
        let host = listener.local_addr().expect("tarpit addr").to_string();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let accept = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((conn, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::Relaxed);
                held.push(conn);
            }
        });
        Self {
            host,
            accepted,
            accept,
        }
    }
}

impl Drop for Tarpit {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
