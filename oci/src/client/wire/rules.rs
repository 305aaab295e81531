//! Where registry traffic may go and what it may carry: the pure rules behind the capped
//! client (token realms, redirect targets, credentials across hosts).

use reqwest::Url;

use crate::printable::detail;
use crate::transport::plain_http_allowed_url;

/// Whether `url` (a token realm or a redirect target) may be fetched: https always, plain
/// http only for hosts that are themselves allowed plain HTTP, never with credentials in it.
pub(crate) fn url_allowed(url: &Url, insecure: &[String]) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{} carries credentials in the URL", shown(url)));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if plain_http_allowed_url(url, insecure) => Ok(()),
        "http" => Err(format!(
            "{} is plain HTTP, allowed only for loopback hosts and those listed in \
             PACTO_INSECURE_REGISTRIES",
            shown(url)
        )),
        other => Err(format!(
            "{} uses the unsupported scheme {other:?}",
            shown(url)
        )),
    }
}

/// Whether credentials meant for `origin` may go with a request to `to`: same host and
/// port, and never from https down to plain http.
pub(crate) fn keeps_credentials(origin: &Url, to: &Url) -> bool {
    origin.host_str() == to.host_str()
        && origin.port_or_known_default() == to.port_or_known_default()
        && !(origin.scheme() == "https" && to.scheme() != "https")
}

/// The target of a redirect, resolved against the URL that answered with it.
pub(crate) fn redirect_target(from: &Url, location: &str) -> Result<Url, String> {
    from.join(location)
        .map_err(|e| format!("the redirect to {:?} is not a URL: {e}", detail(location)))
}

/// A URL as shown in messages: scheme, host, port and path; never user info or the query
/// (storage redirects carry signatures there).
pub(crate) fn shown(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    detail(&format!("{}://{host}{port}{}", url.scheme(), url.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        match Url::parse(s) {
            Ok(u) => u,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn realms_and_redirects_must_be_https_unless_the_host_may_use_http() {
        let none: Vec<String> = Vec::new();
        assert!(url_allowed(&url("https://auth.example.com/token"), &none).is_ok());
        assert!(url_allowed(&url("http://127.0.0.1:5000/token"), &none).is_ok());
        let e = url_allowed(&url("http://auth.example.com/token?x=1"), &none).err();
        let e = e.unwrap_or_default();
        assert!(e.contains("plain HTTP") && !e.contains("x=1"), "{e}");
        let listed = vec!["auth.lan".to_string()];
        assert!(url_allowed(&url("http://auth.lan/token"), &listed).is_ok());
        assert!(url_allowed(&url("ftp://auth.example.com/t"), &none).is_err());
        assert!(url_allowed(&url("https://u:p@auth.example.com/t"), &none).is_err());
    }

    #[test]
    fn credentials_stay_on_their_host_and_scheme() {
        let reg = url("https://reg.io/v2/a/manifests/1");
        assert!(keeps_credentials(&reg, &url("https://reg.io/v2/a/blobs/x")));
        assert!(keeps_credentials(&reg, &url("https://reg.io:443/other")));
        assert!(!keeps_credentials(
            &reg,
            &url("https://storage.example.com/b")
        ));
        assert!(!keeps_credentials(&reg, &url("https://reg.io:8443/b")));
        assert!(!keeps_credentials(&reg, &url("http://reg.io/b")));
        assert!(!keeps_credentials(
            &url("http://127.0.0.1:5000/v2/"),
            &url("http://127.0.0.2:5000/v2/")
        ));
    }

    #[test]
    fn redirects_resolve_relative_locations_and_urls_hide_queries() {
        let from = url("https://reg.io/v2/a/blobs/x");
        assert_eq!(
            redirect_target(&from, "/store/x?sig=1").map(|u| u.to_string()),
            Ok("https://reg.io/store/x?sig=1".to_string())
        );
        assert_eq!(
            shown(&url("https://u:p@s3.io:9000/b/k?X-Amz-Signature=s")),
            "https://s3.io:9000/b/k"
        );
    }
}
