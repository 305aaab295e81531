//! Minimal HTTP/1.1 over TCP for driving a dashboard process, and its lifecycle.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub use pacto_e2e_support::free_port;

/// (status code, body).
pub fn request(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    request_with(port, method, path, "")
}

/// [`request`] with extra header lines (each ending in `\r\n`).
pub fn request_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    // Chunked bodies: keep only the payload lines (JSON never starts a line with hex alone).
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((code, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((len, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(len.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn json(port: u16, path: &str) -> serde_json::Value {
    let (code, body) = request(port, "GET", path).unwrap_or_else(|e| panic!("GET {path}: {e}"));
    assert_eq!(code, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path} not JSON ({e}): {body}"))
}

pub fn wait_ready(child: &mut KillOnDrop, port: u16) {
    wait_ready_within(child, port, Duration::from_secs(90));
}

/// Polls `/readyz` until 200; panics if the process exits or `limit` passes.
pub fn wait_ready_within(child: &mut KillOnDrop, port: u16, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok((200, _)) = request(port, "GET", "/readyz") {
            return;
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("dashboard exited early: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "dashboard not ready after {} s",
            limit.as_secs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An open `/api/events` stream; `next_event` returns each `data:` payload.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        Events {
            reader: BufReader::new(s),
        }
    }

    /// The next `data:` line's payload, or `None` on timeout/close.
    pub fn next_data(&mut self) -> Option<String> {
        let mut line = String::new();
        loop {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            if let Some(d) = line.trim_end().strip_prefix("data:") {
                return Some(d.trim().to_string());
            }
        }
    }
}
