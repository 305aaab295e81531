//! The stdio transport of `pacto mcp` under hostile input: malformed JSON, non-messages,
//! unknown methods, wrong params, oversized lines and random bytes get JSON-RPC errors (or
//! nothing, for notifications) and the server keeps answering; it never crashes.

use proptest::prelude::*;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

/// Feeds `lines` to `pacto mcp` after an initialize handshake, then a final ping (id 999);
/// returns the answers by id (id null collected under "null") and the exit status.
fn session(lines: &[Vec<u8>]) -> (Vec<Value>, std::process::ExitStatus) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .arg("mcp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pacto mcp");
    let mut stdin = child.stdin.take().unwrap();
    let init = json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
        "protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}});
    let mut input = Vec::new();
    writeln!(input, "{init}").unwrap();
    writeln!(
        input,
        r#"{{"jsonrpc":"2.0","method":"notifications/initialized"}}"#
    )
    .unwrap();
    for l in lines {
        input.extend_from_slice(l);
        input.push(b'\n');
    }
    writeln!(input, r#"{{"jsonrpc":"2.0","id":999,"method":"ping"}}"#).unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let answers = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (answers, out.status)
}

fn by_id(answers: &[Value], id: Value) -> Vec<&Value> {
    answers.iter().filter(|a| a["id"] == id).collect()
}

fn error_code(answers: &[Value], id: Value) -> i64 {
    let a = by_id(answers, id.clone());
    assert_eq!(a.len(), 1, "one answer for id {id}: {answers:?}");
    a[0]["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {}", a[0]))
}

#[test]
fn malformed_messages_get_jsonrpc_errors_and_the_server_survives() {
    let huge = format!(
        r#"{{"jsonrpc":"2.0","id":5,"method":"ping","params":{{"pad":"{}"}}}}"#,
        "x".repeat(5 * 1024 * 1024)
    );
    let lines: Vec<Vec<u8>> = vec![
        b"garbage{".to_vec(),
        b"[1,2,3]".to_vec(),
        br#"{"jsonrpc":"2.0","id":1,"method":"does/not/exist"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":"x"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nope"}}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"pacto://bundle/x"}}"#
            .to_vec(),
        huge.into_bytes(),
        vec![0xff, 0xfe, 0x00, b'{'],
        br#"{"jsonrpc":"2.0","method":"notifications/unknown"}"#.to_vec(),
        br#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"pacto_check","arguments":{"path":["x"]}}}"#.to_vec(),
    ];
    let (answers, status) = session(&lines);
    assert!(status.success(), "exit {status}: {answers:?}");
    assert_eq!(
        by_id(&answers, json!(999))[0]["result"],
        json!({}),
        "still answering"
    );
    assert_eq!(error_code(&answers, json!(1)), -32601);
    assert_eq!(error_code(&answers, json!(2)), -32600);
    assert_eq!(error_code(&answers, json!(3)), -32602);
    assert!(by_id(&answers, json!(4))[0]["error"].is_object());
    let nulls: Vec<i64> = by_id(&answers, Value::Null)
        .iter()
        .map(|a| a["error"]["code"].as_i64().unwrap())
        .collect();
    // garbage, [1,2,3], the oversized line, the binary line.
    assert_eq!(
        nulls.iter().filter(|c| **c == -32700).count(),
        2,
        "{nulls:?}"
    );
    assert!(nulls.contains(&-32600), "{nulls:?}");
    assert!(
        answers.iter().any(|a| a["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("4 MiB"))),
        "{answers:?}"
    );
    assert!(
        by_id(&answers, json!(5)).is_empty(),
        "the oversized request is not served"
    );
    let bad_args = &by_id(&answers, json!(6))[0]["result"];
    assert_eq!(bad_args["isError"], json!(true), "{bad_args}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Random lines, random JSON-ish lines: every answer is JSON-RPC, the final ping answers.
    #[test]
    fn random_input_never_crashes(
        lines in prop::collection::vec(
            prop_oneof![
                prop::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..200),
                "\\{\"jsonrpc\":\"2.0\",\"id\":[0-9]{1,3},\"method\":\"[a-z/]{0,20}\"(,\"params\":\\{[a-z\":,0-9]{0,30}\\})?\\}"
                    .prop_map(String::into_bytes),
            ],
            1..12,
        )
    ) {
        let (answers, status) = session(&lines);
        prop_assert!(status.success());
        prop_assert_eq!(&by_id(&answers, json!(999))[0]["result"], &json!({}));
        for a in &answers {
            prop_assert_eq!(&a["jsonrpc"], &json!("2.0"));
            prop_assert!(a.get("result").is_some() || a.get("error").is_some());
        }
    }
}

/// Raw HTTP/1.1 exchange with `pacto mcp -t http`: the status line's code.
fn http_status(addr: &str, host: &str, extra: &str, body: &str) -> u16 {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    // A refused oversized body may be cut off mid-write; the status line is what counts.
    let _ = write!(
        s,
        "POST /mcp HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut head = [0u8; 12];
    s.read_exact(&mut head).unwrap();
    String::from_utf8_lossy(&head[9..12]).parse().unwrap()
}

#[test]
fn http_answers_only_loopback_hosts_and_origins() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["mcp", "-t", "http", "--port", "0"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pacto mcp -t http");
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let init = json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
        "protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})
    .to_string();
    let result = std::panic::catch_unwind(|| {
        assert_eq!(http_status(&addr, &addr, "", &init), 200);
        assert_eq!(http_status(&addr, "localhost:1", "", &init), 200);
        assert_eq!(http_status(&addr, "rebind.example", "", &init), 421);
        assert_eq!(http_status(&addr, "10.0.0.1", "", &init), 421);
        let evil = "Origin: https://evil.example\r\n";
        assert_eq!(http_status(&addr, &addr, evil, &init), 403);
        let local = "Origin: http://localhost:5173\r\n";
        assert_eq!(http_status(&addr, &addr, local, &init), 200);
        let big = "x".repeat(5 * 1024 * 1024);
        assert_eq!(http_status(&addr, &addr, "", &big), 413);
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
