//! The stdio transport: newline-delimited JSON-RPC on stdin/stdout, with answers the SDK's
//! own transport does not give: a line that is not JSON gets a `-32700` parse error, a
//! JSON value that is not a JSON-RPC message a `-32600` invalid request, and a line over
//! [`MAX_MESSAGE_BYTES`] is discarded with a `-32600` error instead of being buffered.

use super::MAX_MESSAGE_BYTES;
use rmcp::RoleServer;
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub struct LineTransport {
    incoming: mpsc::Receiver<RxJsonRpcMessage<RoleServer>>,
    out: mpsc::UnboundedSender<String>,
}

/// The transport, and the writer task to await (so every answer is flushed) once the
/// service has stopped.
pub fn transport<R, W>(read: R, write: W) -> (LineTransport, JoinHandle<()>)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (out, out_rx) = mpsc::unbounded_channel();
    let (in_tx, incoming) = mpsc::channel(64);
    let writer = tokio::spawn(write_lines(write, out_rx));
    tokio::spawn(read_lines(read, in_tx, out.clone()));
    (LineTransport { incoming, out }, writer)
}

async fn write_lines<W: AsyncWrite + Unpin>(mut w: W, mut rx: mpsc::UnboundedReceiver<String>) {
    while let Some(mut line) = rx.recv().await {
        line.push('\n');
        if w.write_all(line.as_bytes()).await.is_err() || w.flush().await.is_err() {
            return;
        }
    }
}

async fn read_lines<R: AsyncRead + Unpin>(
    read: R,
    tx: mpsc::Sender<RxJsonRpcMessage<RoleServer>>,
    out: mpsc::UnboundedSender<String>,
) {
    let mut reader = BufReader::with_capacity(64 * 1024, read);
    loop {
        match next_line(&mut reader).await {
            Line::Eof => return,
            Line::TooLong => {
                let _ = out.send(error(
                    Value::Null,
                    -32600,
                    "message exceeds the 4 MiB limit",
                ));
            }
            Line::Text(bytes) => {
                let trimmed = bytes.trim_ascii();
                if trimmed.is_empty() {
                    continue;
                }
                match serde_json::from_slice::<RxJsonRpcMessage<RoleServer>>(trimmed) {
                    Ok(msg) => {
                        if tx.send(msg).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let reply = match serde_json::from_slice::<Value>(trimmed) {
                            Err(_) => error(Value::Null, -32700, "parse error: not JSON"),
                            Ok(v) => {
                                let id = v.get("id").cloned().unwrap_or(Value::Null);
                                error(id, -32600, &format!("invalid request: {e}"))
                            }
                        };
                        let _ = out.send(reply);
                    }
                }
            }
        }
    }
}

enum Line {
    Text(Vec<u8>),
    TooLong,
    Eof,
}

/// One line without its newline; an oversized one is skipped to its end, never buffered.
async fn next_line<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> Line {
    let mut buf = Vec::new();
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf().await {
            Ok(c) => c,
            Err(_) => return Line::Eof,
        };
        if chunk.is_empty() {
            return match (too_long, buf.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::Eof,
                (false, false) => Line::Text(buf),
            };
        }
        let (part, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long && buf.len() + part.len() > MAX_MESSAGE_BYTES {
            too_long = true;
            buf = Vec::new();
        }
        if !too_long {
            buf.extend_from_slice(part);
        }
        let used = done.unwrap_or(chunk.len());
        r.consume(used);
        if done.is_some() {
            return if too_long {
                Line::TooLong
            } else {
                Line::Text(buf)
            };
        }
    }
}

fn error(id: Value, code: i64, message: &str) -> String {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string()
}

impl Transport<RoleServer> for LineTransport {
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let result = serde_json::to_string(&item)
            .map_err(std::io::Error::other)
            .and_then(|line| {
                self.out
                    .send(line)
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            });
        std::future::ready(result)
    }

    fn receive(&mut self) -> impl Future<Output = Option<RxJsonRpcMessage<RoleServer>>> + Send {
        self.incoming.recv()
    }

    fn close(&mut self) -> impl Future<Output = Result<(), Self::Error>> + Send {
        self.incoming.close();
        std::future::ready(Ok(()))
    }
}
