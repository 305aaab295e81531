//! A strict-enough parser of the Prometheus text exposition format (0.0.4), used to decide
//! whether a metrics endpoint really serves metrics (an HTML page or JSON must not pass).
//!
//! Accepted: `# HELP`/`# TYPE` lines and other comments, samples
//! `name{label="value",...} value [timestamp]`, an OpenMetrics `# EOF` line. Rejected: bad
//! metric or label names, unterminated or badly escaped label values, duplicate label names,
//! unparsable values or timestamps, unknown or repeated `# TYPE`, a `# TYPE` after the family's
//! samples, and a body with no sample at all.

use std::collections::HashSet;

/// Why a body is not Prometheus text; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What a valid body contained.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exposition {
    /// Sample lines.
    pub samples: usize,
    /// Distinct metric names among the samples.
    pub metric_names: usize,
}

const TYPES: [&str; 6] = [
    "counter",
    "gauge",
    "histogram",
    "summary",
    "untyped",
    "unknown",
];

/// Parses `bytes` (must be UTF-8).
pub fn parse_bytes(bytes: &[u8]) -> Result<Exposition, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => Err(ParseError {
            line: 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count(),
            message: "body is not UTF-8".to_string(),
        }),
    }
}

/// Parses an exposition body.
pub fn parse(text: &str) -> Result<Exposition, ParseError> {
    let mut typed: HashSet<String> = HashSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut names: HashSet<String> = HashSet::new();
    let mut samples = 0usize;
    let mut ended = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let err = |message: String| ParseError {
            line: line_no,
            message,
        };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if ended {
            return Err(err("content after # EOF".to_string()));
        }
        if let Some(comment) = line.strip_prefix('#') {
            let mut parts = comment.trim_start().splitn(3, [' ', '\t']);
            match parts.next() {
                Some("TYPE") => {
                    let name = parts.next().unwrap_or_default();
                    let kind = parts.next().unwrap_or_default().trim();
                    if !is_metric_name(name) {
                        return Err(err(format!("invalid metric name {name:?} in # TYPE")));
                    }
                    if !TYPES.contains(&kind) {
                        return Err(err(format!("unknown metric type {kind:?}")));
                    }
                    if !typed.insert(name.to_string()) {
                        return Err(err(format!("second # TYPE for {name}")));
                    }
                    if seen.contains(name) {
                        return Err(err(format!("# TYPE for {name} after its samples")));
                    }
                }
                Some("HELP") => {
                    let name = parts.next().unwrap_or_default();
                    if !is_metric_name(name) {
                        return Err(err(format!("invalid metric name {name:?} in # HELP")));
                    }
                }
                Some("EOF") => ended = true,
                _ => {}
            }
            continue;
        }
        let name = sample(line).map_err(err)?;
        seen.insert(family(&name, &typed).to_string());
        seen.insert(name.clone());
        names.insert(name);
        samples += 1;
    }
    if samples == 0 {
        return Err(ParseError {
            line: 1,
            message: "no metric samples".to_string(),
        });
    }
    Ok(Exposition {
        samples,
        metric_names: names.len(),
    })
}

/// The family a sample belongs to: histogram/summary series carry suffixes.
fn family<'a>(name: &'a str, typed: &HashSet<String>) -> &'a str {
    for suffix in ["_bucket", "_sum", "_count", "_total", "_created"] {
        if let Some(base) = name.strip_suffix(suffix)
            && typed.contains(base)
        {
            return base;
        }
    }
    name
}

/// Parses one sample line; returns its metric name.
fn sample(line: &str) -> Result<String, String> {
    let name_end = line.find(['{', ' ', '\t']).unwrap_or(line.len());
    let name = &line[..name_end];
    if !is_metric_name(name) {
        return Err(format!("invalid metric name {name:?}"));
    }
    let mut rest = &line[name_end..];
    if let Some(after) = rest.strip_prefix('{') {
        rest = labels(after)?;
    }
    let mut fields = rest.split([' ', '\t']).filter(|f| !f.is_empty());
    let value = fields
        .next()
        .ok_or_else(|| format!("sample {name} has no value"))?;
    if parse_value(value).is_none() {
        return Err(format!("sample {name} has invalid value {value:?}"));
    }
    if let Some(ts) = fields.next()
        && ts.parse::<i64>().is_err()
    {
        return Err(format!("sample {name} has invalid timestamp {ts:?}"));
    }
    if let Some(extra) = fields.next() {
        return Err(format!("unexpected {extra:?} after the sample of {name}"));
    }
    Ok(name.to_string())
}

/// Parses `a="x",b="y"}` and returns what follows the `}`.
fn labels(mut s: &str) -> Result<&str, String> {
    let mut names: HashSet<&str> = HashSet::new();
    loop {
        s = s.trim_start();
        if let Some(after) = s.strip_prefix('}') {
            return Ok(after);
        }
        let eq = s.find('=').ok_or("label without '='")?;
        let name = s[..eq].trim();
        if !is_label_name(name) {
            return Err(format!("invalid label name {name:?}"));
        }
        if !names.insert(name) {
            return Err(format!("duplicate label {name:?}"));
        }
        let after_eq = s[eq + 1..].trim_start();
        let body = after_eq
            .strip_prefix('"')
            .ok_or_else(|| format!("label {name} value is not quoted"))?;
        let mut chars = body.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, '\\' | '"' | 'n')) => {}
                    _ => return Err(format!("bad escape in label {name}")),
                },
                '"' => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.ok_or_else(|| format!("unterminated value of label {name}"))?;
        s = body[end + 1..].trim_start();
        if let Some(after) = s.strip_prefix(',') {
            s = after;
        } else if !s.starts_with('}') {
            return Err("expected ',' or '}' after a label".to_string());
        }
    }
}

fn parse_value(v: &str) -> Option<f64> {
    match v {
        "NaN" | "Nan" | "nan" => Some(f64::NAN),
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        // Rust also accepts "infinity"; the format does not.
        _ if v
            .chars()
            .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E')) =>
        {
            None
        }
        _ => v.parse::<f64>().ok(),
    }
}

fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# HELP http_requests_total Requests.\n\
# TYPE http_requests_total counter\n\
http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n\
http_requests_total{method=\"post\",code=\"400\",} 3\n\
# TYPE rpc_duration_seconds summary\n\
rpc_duration_seconds{quantile=\"0.5\"} 4773\n\
rpc_duration_seconds_sum 1.7560473e+07\n\
rpc_duration_seconds_count 2693\n\
weird{path=\"a \\\"q\\\" \\\\ \\n\"} -Inf\n\
nan_metric NaN\n\
";

    #[test]
    fn accepts_the_reference_example() {
        let e = parse(GOOD).expect("valid");
        assert_eq!(e.samples, 7);
    }

    #[test]
    fn accepts_openmetrics_eof_and_crlf() {
        assert!(parse("up 1\r\n# EOF\n").is_ok());
        assert_eq!(parse("up 1\n# EOF\nup 2\n").map_err(|e| e.line), Err(3));
    }

    #[test]
    fn rejects_non_metrics() {
        for (body, line) in [
            ("", 1),
            ("# only comments\n", 1),
            ("<html><body>hi</body></html>", 1),
            ("{\"status\":\"ok\"}", 1),
            ("ok", 1),
            ("up 1\nup{a=\"x\" 1\n", 2),
            ("up{a=x} 1", 1),
            ("up{a=\"x\",a=\"y\"} 1", 1),
            ("up{1a=\"x\"} 1", 1),
            ("up{a=\"\\q\"} 1", 1),
            ("up one", 1),
            ("up 1 12.5", 1),
            ("up 1 2 3", 1),
            ("up infinity", 1),
            ("# TYPE up bogus\nup 1", 1),
            ("up 1\n# TYPE up gauge\n", 2),
            ("# TYPE up gauge\n# TYPE up gauge\nup 1", 2),
        ] {
            assert_eq!(parse(body).map_err(|e| e.line), Err(line), "{body:?}");
        }
    }

    #[test]
    fn rejects_invalid_utf8() {
        assert!(parse_bytes(b"up 1\n\xff\n").is_err());
        assert!(parse_bytes(b"up 1\n").is_ok());
    }
}
