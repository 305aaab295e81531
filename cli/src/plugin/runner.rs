//! Running a plugin: a cleared environment (only [`ALLOWED_ENV`] passes), its own process
//! group (killed on timeout, on oversize output and after it exits, so nothing it started
//! outlives the run), stdout capped while it streams, stderr kept as a bounded tail.

use super::{Limits, go_duration};
use crate::error::CliError;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Variables a plugin inherits; everything else (registry credentials such as
/// `PACTO_REGISTRY_*`, `DOCKER_CONFIG`, cloud tokens, ...) is withheld.
pub const ALLOWED_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "LC_MESSAGES",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "TMPDIR",
    "TZ",
    "TERM",
    "NO_COLOR",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
];

/// Bytes of stderr kept (the tail) and shown in an error.
const STDERR_KEEP: usize = 64 << 10;
const STDERR_SHOWN: usize = 4000;

/// Runs `exe` with `input` on stdin; its stdout on success (exit 0).
pub fn run(name: &str, exe: &Path, input: Vec<u8>, limits: Limits) -> Result<Vec<u8>, CliError> {
    let fail = |msg: String| CliError::Failed(format!("plugin {name}: {msg}"));
    let mut cmd = Command::new(exe);
    cmd.env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for key in ALLOWED_ENV {
        if let Some(v) = std::env::var_os(key) {
            cmd.env(key, v);
        }
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| fail(format!("cannot start {}: {e}", exe.display())))?;
    let group = rustix::process::Pid::from_child(&child);
    let kill_group = || {
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    };

    // A plugin that never reads its stdin must not block us: the writer has its own thread.
    if let Some(mut stdin) = child.stdin.take() {
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let overflow = Arc::new(AtomicBool::new(false));
    let (out_tx, out_rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let overflow = overflow.clone();
        let max = limits.max_stdout;
        std::thread::spawn(move || {
            let _ = out_tx.send(read_capped(stdout, max, &overflow));
        });
    }
    let (err_tx, err_rx) = mpsc::channel();
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            let _ = err_tx.send(read_tail(stderr));
        });
    }

    let status = wait(&mut child, limits.timeout, &overflow);
    // Whatever the plugin started in its group goes with it.
    kill_group();
    if !matches!(status, Waited::Exited(_)) {
        let _ = child.wait();
    }
    let status = match status {
        Waited::Exited(s) => s,
        Waited::Overflow => {
            return Err(fail(format!("output exceeded {} bytes", limits.max_stdout)));
        }
        Waited::TimedOut => {
            return Err(fail(format!(
                "timed out after {}",
                go_duration(limits.timeout)
            )));
        }
        Waited::Error(e) => return Err(fail(format!("wait: {e}"))),
    };
    let grace = Duration::from_secs(2);
    let stderr = err_rx.recv_timeout(grace).unwrap_or_default();
    if !status.success() {
        let shown = shown_stderr(&stderr);
        return Err(fail(if shown.is_empty() {
            describe(status)
        } else {
            shown
        }));
    }
    match out_rx.recv_timeout(grace) {
        Ok(Some(out)) if !overflow.load(Ordering::SeqCst) => Ok(out),
        Ok(_) => Err(fail(format!("output exceeded {} bytes", limits.max_stdout))),
        Err(_) => Err(fail(
            "its stdout stayed open after it exited (a detached process holds it)".into(),
        )),
    }
}

enum Waited {
    Exited(ExitStatus),
    Overflow,
    TimedOut,
    Error(std::io::Error),
}

fn wait(child: &mut Child, timeout: Duration, overflow: &AtomicBool) -> Waited {
    let start = Instant::now();
    let mut nap = Duration::from_millis(1);
    loop {
        if overflow.load(Ordering::SeqCst) {
            return Waited::Overflow;
        }
        match child.try_wait() {
            Ok(Some(s)) => return Waited::Exited(s),
            Ok(None) => {}
            Err(e) => return Waited::Error(e),
        }
        if start.elapsed() >= timeout {
            return Waited::TimedOut;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

/// Reads until EOF; `None` (and `overflow` set) once more than `max` bytes arrived.
fn read_capped(mut r: impl Read, max: usize, overflow: &AtomicBool) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Some(out),
            Ok(n) => {
                if out.len() + n > max {
                    overflow.store(true, Ordering::SeqCst);
                    return None;
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Some(out),
        }
    }
}

/// Everything is read (so the plugin never blocks on a full pipe); the last
/// [`STDERR_KEEP`] bytes are kept, with the total count.
#[derive(Default)]
struct Tail {
    bytes: Vec<u8>,
    total: usize,
}

fn read_tail(mut r: impl Read) -> Tail {
    let mut t = Tail::default();
    let mut buf = vec![0u8; 16 << 10];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return t,
            Ok(n) => {
                t.total += n;
                t.bytes.extend_from_slice(&buf[..n]);
                if t.bytes.len() > 2 * STDERR_KEEP {
                    let cut = t.bytes.len() - STDERR_KEEP;
                    t.bytes.drain(..cut);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return t,
        }
    }
}

/// The trimmed end of stderr, control characters (terminal escapes) replaced by `?`.
fn shown_stderr(t: &Tail) -> String {
    let text = String::from_utf8_lossy(&t.bytes);
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    let start = chars.len().saturating_sub(STDERR_SHOWN);
    let body: String = chars[start..]
        .iter()
        .map(|&c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '?'
            } else {
                c
            }
        })
        .collect();
    if start > 0 || t.total > t.bytes.len() {
        format!(
            "[stderr: last {} of {} bytes]\n…{body}",
            body.len(),
            t.total
        )
    } else {
        body
    }
}

fn describe(s: ExitStatus) -> String {
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exit status {c}"),
        (None, Some(sig)) => format!("killed by signal {sig}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_is_trimmed_bounded_and_defanged() {
        let t = Tail {
            bytes: b"  boom\x1b[31m red\n".to_vec(),
            total: 16,
        };
        assert_eq!(shown_stderr(&t), "boom?[31m red");
        let mut long = vec![b'x'; 10_000];
        long.extend_from_slice(b"END");
        let t = Tail {
            total: long.len(),
            bytes: long,
        };
        let s = shown_stderr(&t);
        assert!(s.ends_with("xEND") && s.len() < 4100, "{}", s.len());
        assert!(s.starts_with("[stderr: last 4000 of 10003 bytes]"), "{s}");
    }

    #[test]
    fn stdout_is_refused_past_the_cap() {
        let flag = AtomicBool::new(false);
        assert_eq!(read_capped(&b"abc"[..], 3, &flag), Some(b"abc".to_vec()));
        assert!(!flag.load(Ordering::SeqCst));
        assert_eq!(read_capped(&b"abcd"[..], 3, &flag), None);
        assert!(flag.load(Ordering::SeqCst));
    }
}
