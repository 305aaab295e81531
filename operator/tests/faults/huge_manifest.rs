//! A registry whose manifest is 2 GiB: it announces that length and streams bytes for as long
//! as the client keeps reading.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const TWO_GIB: u64 = 2 * 1024 * 1024 * 1024;
const DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

pub struct HugeManifest {
    pub host: String,
    /// Manifest bytes written to clients, in total.
    pub sent: Arc<AtomicU64>,
    accept: JoinHandle<()>,
}

impl HugeManifest {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind huge manifest");
        let host = listener.local_addr().expect("addr").to_string();
        let sent = Arc::new(AtomicU64::new(0));
        let counter = sent.clone();
        let accept = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, counter.clone()));
            }
        });
        Self { host, sent, accept }
    }
}

async fn serve(mut conn: tokio::net::TcpStream, sent: Arc<AtomicU64>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let is_head = head.starts_with(b"HEAD ");
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\n\
         Docker-Content-Digest: {DIGEST}\r\nContent-Length: {TWO_GIB}\r\nConnection: close\r\n\r\n"
    );
    if conn.write_all(reply.as_bytes()).await.is_err() || is_head {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0u64;
    while written < TWO_GIB {
        if conn.write_all(&chunk).await.is_err() {
            return;
        }
        written += chunk.len() as u64;
        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
    }
}

impl Drop for HugeManifest {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
