//! Which registries may be spoken to over plain HTTP: loopback ones, and hosts listed in
//! `PACTO_INSECURE_REGISTRIES` (comma-separated `host` or `host:port`; a bare host covers
//! every port). Everything else is HTTPS only.

use pacto_core::oci_ref::OciRef;

pub const ENV_INSECURE: &str = "PACTO_INSECURE_REGISTRIES";

/// Parses the `PACTO_INSECURE_REGISTRIES` value (schemes and trailing slashes tolerated).
pub fn parse_insecure_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| {
            let s = s.trim();
            let s = s
                .strip_prefix("http://")
                .or_else(|| s.strip_prefix("https://"))
                .unwrap_or(s);
            s.trim_end_matches('/').to_ascii_lowercase()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn plain_http_allowed(r: &OciRef, insecure: &[String]) -> bool {
    if r.is_loopback() {
        return true;
    }
    let registry = r.registry.as_str();
    let host = r.host();
    insecure
        .iter()
        .any(|entry| entry == registry || entry == host)
}

/// [`plain_http_allowed`] for the host of a URL the registry pointed us to (a token realm, a
/// redirect target): the same loopback and `PACTO_INSECURE_REGISTRIES` rule, applied to that host.
pub fn plain_http_allowed_url(url: &reqwest::Url, insecure: &[String]) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let mut authorities = vec![host.to_string()];
    if let Some(port) = url.port_or_known_default() {
        authorities.push(format!("{host}:{port}"));
    }
    authorities.iter().any(|authority| {
        pacto_core::oci_ref::parse(&format!("oci://{authority}/host-check"))
            .is_ok_and(|r| plain_http_allowed(&r, insecure))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacto_core::oci_ref::parse;

    fn allowed(r: &str, list: &str) -> bool {
        match parse(r) {
            Ok(r) => plain_http_allowed(&r, &parse_insecure_list(list)),
            Err(e) => panic!("{r}: {e}"),
        }
    }

    #[test]
    fn loopback_is_always_plain_http() {
        assert!(allowed("oci://127.0.0.1:5000/a", ""));
        assert!(allowed("oci://localhost/a", ""));
        assert!(allowed("oci://[::1]:5000/a", ""));
    }

    #[test]
    fn others_only_when_listed() {
        assert!(!allowed("oci://ghcr.io/a", ""));
        assert!(!allowed("oci://10.0.0.5:5000/a", ""));
        assert!(allowed("oci://10.0.0.5:5000/a", "10.0.0.5:5000"));
        assert!(allowed("oci://10.0.0.5:5000/a", " other.io , 10.0.0.5 "));
        assert!(!allowed("oci://10.0.0.5:5001/a", "10.0.0.5:5000"));
        assert!(allowed("oci://reg.lan:80/a", "http://REG.lan:80/"));
        assert!(!allowed("oci://reg.lan.evil.io/a", "reg.lan"));
    }

    #[test]
    fn url_hosts_follow_the_same_rule() {
        let url = |s: &str| match reqwest::Url::parse(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        };
        let list = parse_insecure_list("reg.lan:8080, other.lan");
        assert!(plain_http_allowed_url(&url("http://127.0.0.2:9/t"), &list));
        assert!(plain_http_allowed_url(&url("http://[::1]:9/t"), &list));
        assert!(plain_http_allowed_url(&url("http://reg.lan:8080/t"), &list));
        assert!(plain_http_allowed_url(&url("http://other.lan/t"), &list));
        assert!(!plain_http_allowed_url(
            &url("http://reg.lan:8081/t"),
            &list
        ));
        assert!(!plain_http_allowed_url(
            &url("http://auth.example.com/t"),
            &list
        ));
    }
}
