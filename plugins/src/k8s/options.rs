//! The plugin's `--option` keys, checked once: an unknown key or a malformed value is an error
//! that names the key (a typo must not silently produce other manifests).

use std::collections::BTreeMap;

use super::K8sError;

/// Every option key the plugin reads (`port.<interface>` aside).
pub const KNOWN: [&str; 7] = [
    "namespace",
    "image",
    "replicas",
    "helm",
    "contractRef",
    "schedule",
    "port.<interface>",
];

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Options {
    pub namespace: Option<String>,
    pub image: Option<String>,
    pub replicas: Option<u32>,
    pub helm: bool,
    pub contract_ref: Option<String>,
    pub schedule: Option<String>,
    /// `port.<interface>=N`.
    pub ports: BTreeMap<String, u16>,
}

fn bad(key: &str, value: &str, want: &str) -> K8sError {
    K8sError::BadOption {
        key: key.to_string(),
        value: value.to_string(),
        want: want.to_string(),
    }
}

impl Options {
    pub fn parse(raw: &BTreeMap<String, String>) -> Result<Self, K8sError> {
        let mut o = Self::default();
        for (k, v) in raw {
            let nonempty = || {
                if v.trim().is_empty() {
                    Err(bad(k, v, "a non-empty value"))
                } else {
                    Ok(v.trim().to_string())
                }
            };
            match k.as_str() {
                "namespace" => o.namespace = Some(nonempty()?),
                "image" => o.image = Some(nonempty()?),
                "contractRef" => o.contract_ref = Some(nonempty()?),
                "schedule" => o.schedule = Some(nonempty()?),
                "replicas" => {
                    o.replicas = Some(
                        v.trim()
                            .parse()
                            .map_err(|_| bad(k, v, "a whole number of replicas"))?,
                    );
                }
                "helm" => {
                    o.helm = match v.trim() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(bad(k, v, "true or false")),
                    }
                }
                _ => match k.strip_prefix("port.") {
                    Some(iface) if !iface.is_empty() => {
                        let port = v
                            .trim()
                            .parse::<u16>()
                            .ok()
                            .filter(|p| *p > 0)
                            .ok_or_else(|| bad(k, v, "a port number 1..65535"))?;
                        o.ports.insert(iface.to_string(), port);
                    }
                    _ => {
                        return Err(K8sError::UnknownOption {
                            key: k.clone(),
                            known: KNOWN.join(", "),
                        });
                    }
                },
            }
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<Options, K8sError> {
        Options::parse(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn every_option_is_read() {
        let o = parse(&[
            ("namespace", "shop"),
            ("image", "ghcr.io/a/b:1"),
            ("replicas", "3"),
            ("helm", "true"),
            ("contractRef", "oci://r/x:1"),
            ("schedule", "*/5 * * * *"),
            ("port.api", "8000"),
        ])
        .expect("options");
        assert_eq!(o.namespace.as_deref(), Some("shop"));
        assert_eq!(o.replicas, Some(3));
        assert!(o.helm);
        assert_eq!(o.ports.get("api"), Some(&8000));
    }

    #[test]
    fn typos_and_bad_values_are_errors_naming_the_key() {
        let e = parse(&[("namepsace", "x")]).unwrap_err().to_string();
        assert!(e.contains("namepsace") && e.contains("namespace"), "{e}");
        for (k, v) in [
            ("replicas", "two"),
            ("helm", "yes"),
            ("port.api", "0"),
            ("port.api", "70000"),
            ("image", " "),
        ] {
            let e = parse(&[(k, v)]).unwrap_err().to_string();
            assert!(e.contains(k), "{k}={v}: {e}");
        }
    }
}
