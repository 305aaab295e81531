//! `pacto mcp` over stdio: after one initialize handshake, the round-trip time of
//! `tools/call pacto_check` on an example bundle (request written, answer line read).
//! Prints min, p50, p99 and mean; the target is a p50 under 5 ms. Never asserts on timings.
//!
//! Run: `cargo bench -p pacto-cli --bench mcp` (PACTO_MCP_BENCH_RUNS overrides the count).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::var("PACTO_MCP_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bundle = root.join("examples/payments-api").display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("mcp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start pacto mcp");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut call = |msg: Value, answer: bool| -> Value {
        writeln!(stdin, "{msg}").unwrap();
        stdin.flush().unwrap();
        if !answer {
            return Value::Null;
        }
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).expect("a JSON-RPC answer")
    };
    let init = call(
        json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
        "protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}),
        true,
    );
    assert!(init["result"]["serverInfo"]["name"] == "pacto", "{init}");
    call(
        json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
        false,
    );
    let mut times = Vec::with_capacity(runs);
    for id in 1..=runs + 20 {
        let start = Instant::now();
        let answer = call(
            json!({"jsonrpc":"2.0","id":id,"method":"tools/call",
            "params":{"name":"pacto_check","arguments":{"path":bundle}}}),
            true,
        );
        let elapsed = start.elapsed();
        assert_eq!(
            answer["result"]["structuredContent"]["valid"],
            json!(true),
            "{answer}"
        );
        if id > 20 {
            times.push(elapsed); // the first 20 warm the page cache and the allocator
        }
    }
    drop(stdin); // EOF: the server exits
    let _ = child.wait();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "mcp stdio tools/call pacto_check payments-api over {runs} calls: min {:?}  p50 {:?}  p99 {:?}  mean {:?}  (target p50 < 5ms)",
        times[0],
        pct(0.5),
        pct(0.99),
        mean
    );
}
