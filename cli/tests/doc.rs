//! `pacto doc` through the real binary: Markdown to stdout, a file and a directory, the
//! static HTML page set, and `--serve` on loopback.

mod run_pacto;

use run_pacto::pacto_in;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `pacto ARGS` in the test's working directory.
fn pacto(args: &[&str]) -> (String, String, i32) {
    pacto_in(Path::new("."), args)
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
        .display()
        .to_string()
}

fn v2_fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/doc/v2-orders")
        .display()
        .to_string()
}

#[test]
fn markdown_goes_to_stdout_a_file_or_a_directory() {
    let (out, err, code) = pacto(&["doc", &example("payments-api")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# payments-api\n"), "{out}");
    assert!(out.contains("## Table of Contents"), "{out}");
    assert!(out.contains("```mermaid\ngraph TB"), "{out}");

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("page.md");
    let (out, err, code) = pacto(&["doc", &v2_fixture(), "-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("page.md"), "{out}");
    let page = std::fs::read_to_string(&file).unwrap();
    assert!(
        page.contains(
            "| payments | `oci://registry.example.com/payments:1.0.0` | `^1.0.0` | yes | 1.0.4 |"
        ),
        "{page}"
    );

    let dir = tmp.path().join("site-docs");
    let (_, err, code) = pacto(&["doc", &v2_fixture(), "-o", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.join("orders.md").is_file());

    let (out, err, code) = pacto(&["--output-format", "json", "doc", &v2_fixture()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["service"], "orders");
    assert!(v["markdown"].as_str().unwrap().starts_with("# orders"));
}

#[test]
fn an_invalid_bundle_gets_its_errors_and_no_page() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("pacto.yaml"),
        "pactoVersion: \"2.0\"\nservice: {name: x, version: not-semver}\n",
    )
    .unwrap();
    let (out, err, code) = pacto(&["doc", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(!out.contains("# x"), "{out}");
    assert!(err.contains("INVALID_SEMVER"), "{err}");
}

fn site_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(site_files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn html_is_a_self_contained_page_set() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (out, err, code) = pacto(&["doc", &v2_fixture(), "--html", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("index.html"), "{out}");
    let rel: Vec<String> = site_files(&site)
        .iter()
        .map(|p| p.strip_prefix(&site).unwrap().display().to_string())
        .collect();
    assert_eq!(
        rel,
        [
            "assets/app.css",
            "doc.html",
            "graph.html",
            "index.html",
            "services/orders.html"
        ]
    );
    for f in site_files(&site)
        .iter()
        .filter(|p| p.extension().unwrap() == "html")
    {
        let html = std::fs::read_to_string(f).unwrap();
        // Nothing is fetched at view time: no absolute app links, no scripts, no remote URLs
        // besides the contract's own (shown as text).
        for bad in ["href=\"/", "src=\"/", "action=\"/", "<script"] {
            assert!(!html.contains(bad), "{}: {bad}", f.display());
        }
        assert!(html.contains("assets/app.css"), "{}", f.display());
    }
    let doc = std::fs::read_to_string(site.join("doc.html")).unwrap();
    assert!(doc.contains("<table>"), "{doc}");
    assert!(
        doc.contains("Runbook | reviewed &lt;2026&gt;")
            || doc.contains("Runbook | reviewed &amp;lt;2026&amp;gt;"),
        "{doc}"
    );
    let svc = std::fs::read_to_string(site.join("services/orders.html")).unwrap();
    assert!(svc.contains("orders"), "{svc}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str, host: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serve_answers_on_loopback_and_refuses_other_hosts() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["doc", &v2_fixture(), "--serve", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let index = loop {
        if let Some(r) = get(port, "/", "127.0.0.1") {
            break r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "doc server never answered within 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let doc = get(port, "/doc.html", &format!("localhost:{port}")).unwrap();
    let evil = get(port, "/doc.html", "attacker.example").unwrap();
    let missing = get(port, "/nope", "127.0.0.1").unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    assert!(index.contains("content-security-policy"), "{index}");
    assert!(
        doc.starts_with("HTTP/1.1 200") && doc.contains("Runtime &amp; operations"),
        "{doc}"
    );
    assert!(evil.starts_with("HTTP/1.1 421"), "{evil}");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}
