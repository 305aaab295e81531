//! Parsing a registry's `WWW-Authenticate` challenge (RFC 7235): `Basic realm=".."`, or the
//! Docker/OCI token flow's `Bearer realm="..",service="..",scope=".."`.

/// What a 401 asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Challenge {
    /// Username and password on every request.
    Basic,
    /// A token from `realm`, asked for with `service` and a scope.
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

/// The first challenge of the header; `None` when it is neither Basic nor a Bearer with a
/// realm.
pub(crate) fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim_start();
    let (scheme, rest) = header
        .split_once(|c: char| c.is_ascii_whitespace())
        .unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let params = parse_params(rest);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    let realm = get("realm").filter(|r| !r.is_empty())?;
    Some(Challenge::Bearer {
        realm,
        service: get("service").filter(|s| !s.is_empty()),
    })
}

/// `key=value` pairs separated by commas; values are tokens or quoted strings (which may
/// hold commas and backslash escapes). Stops at a part that is not a pair (the next
/// challenge's scheme).
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars
            .next_if(|c| c.is_ascii_whitespace() || *c == ',')
            .is_some()
        {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ',' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        if key.is_empty() || chars.next_if_eq(&'=').is_none() {
            return out;
        }
        while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',' && !c.is_whitespace()) {
                value.push(c);
            }
        }
        out.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(realm: &str, service: Option<&str>) -> Option<Challenge> {
        Some(Challenge::Bearer {
            realm: realm.into(),
            service: service.map(Into::into),
        })
    }

    #[test]
    fn docker_hub_style_bearer_challenge() {
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/x:pull,push""#
            ),
            bearer("https://auth.docker.io/token", Some("registry.docker.io"))
        );
    }

    #[test]
    fn case_spacing_tokens_and_escapes() {
        assert_eq!(
            parse_challenge(r#"bearer  Service = reg , realm="https://a/t\"x\"""#),
            bearer("https://a/t\"x\"", Some("reg"))
        );
        assert_eq!(
            parse_challenge("Bearer realm=https://a/token"),
            bearer("https://a/token", None)
        );
    }

    #[test]
    fn basic_and_unusable_challenges() {
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(parse_challenge("BASIC"), Some(Challenge::Basic));
        assert_eq!(parse_challenge(r#"Bearer service="x""#), None);
        assert_eq!(parse_challenge(r#"Bearer realm="""#), None);
        assert_eq!(parse_challenge("Negotiate abc"), None);
        assert_eq!(parse_challenge(""), None);
    }
}
