//! DNS-rebinding defence: the dashboard answers only requests addressed to it.
//!
//! A web page anywhere can rebind a name of its own to 127.0.0.1 and then read the API of a
//! tokenless local dashboard (which runs with the user's kubeconfig and registry credentials)
//! as "same origin". The browser still sends that name as `Host`, so the dashboard accepts
//! only Host values it knows: an IP literal (a rebinding attack needs a DNS name; an IP in the
//! address bar is the user talking to us directly, including a pod IP or the bound address),
//! `localhost` (and `*.localhost`, which resolve to loopback by definition), the bind host, and
//! the names given with `--allowed-host` (the chart passes its Service and Ingress names).
//! Anything else gets `421 Misdirected Request`.

use std::net::IpAddr;

/// The host part of a `Host` header value (`name`, `name:port`, `[v6]:port`), lowercased.
pub fn host_name(header: &str) -> String {
    let h = header.trim();
    if let Some(rest) = h.strip_prefix('[') {
        return rest
            .split(']')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
    }
    let name = match h.rsplit_once(':') {
        // `a:b:c` without brackets is a bare IPv6 literal, not `host:port`.
        Some((name, port)) if !name.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => {
            name
        }
        _ => h,
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether a request carrying `host` (the `Host` header, if any) may be answered.
pub fn host_allowed(host: Option<&str>, bind_host: &str, allowed: &[String]) -> bool {
    // HTTP/1.0 clients may omit Host; browsers never do, so this opens nothing to a page.
    let Some(host) = host else {
        return true;
    };
    let name = host_name(host);
    if name.is_empty() {
        return false;
    }
    name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || name == host_name(bind_host)
        || allowed.iter().any(|a| host_name(a) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_drop_ports_brackets_and_case() {
        assert_eq!(host_name("Example.COM:3000"), "example.com");
        assert_eq!(host_name("[::1]:3000"), "::1");
        assert_eq!(host_name("::1"), "::1");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert_eq!(host_name("dash.svc."), "dash.svc");
    }

    #[test]
    fn loopback_ips_localhost_and_listed_names_are_answered() {
        let allowed = vec!["pacto-dashboard.pacto-system.svc".to_string()];
        for h in [
            "127.0.0.1:3000",
            "[::1]:3000",
            "10.244.0.7:3000",
            "localhost:3000",
            "app.localhost",
            "pacto-dashboard.pacto-system.svc:3000",
            "PACTO-DASHBOARD.pacto-system.svc",
        ] {
            assert!(host_allowed(Some(h), "127.0.0.1", &allowed), "{h}");
        }
        assert!(host_allowed(None, "127.0.0.1", &allowed));
        assert!(host_allowed(Some("dash.internal"), "dash.internal", &[]));
    }

    #[test]
    fn rebound_names_are_refused() {
        for h in [
            "evil.example:3000",
            "127.0.0.1.nip.io:3000",
            "localhost.evil.example",
            "",
            ":3000",
        ] {
            assert!(!host_allowed(Some(h), "0.0.0.0", &[]), "{h}");
        }
    }
}
