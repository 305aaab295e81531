//! The registry side of a binary's effective configuration, as `--check-config` prints it:
//! what the environment sets for registries (never credential values) and which variables
//! this crate reads. The operator and the dashboard add their own flags around it.

use serde_json::{Map, Value, json};

use crate::RegistryOptions;
use crate::creds::{ENV_PASSWORD, ENV_SCOPE, ENV_TOKEN, ENV_USERNAME, Environment};

/// Environment variables the registry client reads (credentials, TLS, cache root).
pub const ENV_NAMES: &[&str] = &[
    ENV_TOKEN,
    ENV_USERNAME,
    ENV_PASSWORD,
    ENV_SCOPE,
    crate::client::ENV_CA_FILE,
    crate::transport::ENV_INSECURE,
    "XDG_CACHE_HOME",
];

/// `insecure_registries`, `registry_ca_file` and `registry_credentials_env` (the names of the
/// credential variables that are set, never their values).
pub fn registry_settings(env: &dyn Environment) -> Map<String, Value> {
    let registry = RegistryOptions::from_env(env);
    let creds: Vec<&str> = [ENV_TOKEN, ENV_USERNAME, ENV_PASSWORD]
        .into_iter()
        .filter(|k| env.var(k).is_some_and(|v| !v.is_empty()))
        .collect();
    let mut m = Map::new();
    m.insert(
        "insecure_registries".into(),
        json!(registry.insecure_registries),
    );
    m.insert("registry_ca_file".into(), json!(registry.ca_file));
    m.insert("registry_credentials_env".into(), json!(creds));
    m
}

/// Sorted, de-duplicated union of a binary's own variables (its flags' `env`), `extra`, and
/// [`ENV_NAMES`].
pub fn known_env(own: impl IntoIterator<Item = String>, extra: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = own.into_iter().collect();
    names.extend(extra.iter().chain(ENV_NAMES).map(|s| s.to_string()));
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn settings_name_credentials_without_values() {
        let env: HashMap<String, String> = [
            ("PACTO_INSECURE_REGISTRIES", "reg.local:5000"),
            ("PACTO_REGISTRY_CA_FILE", "/ca/ca.crt"),
            ("PACTO_REGISTRY_TOKEN", "secret"),
            ("PACTO_REGISTRY_USERNAME", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let m = Value::Object(registry_settings(&env));
        assert_eq!(m["insecure_registries"], json!(["reg.local:5000"]));
        assert_eq!(m["registry_ca_file"], "/ca/ca.crt");
        assert_eq!(
            m["registry_credentials_env"],
            json!(["PACTO_REGISTRY_TOKEN"])
        );
        assert!(!m.to_string().contains("secret"));
    }

    #[test]
    fn known_env_is_a_sorted_union() {
        let k = known_env(["B_OWN".to_string(), "XDG_CACHE_HOME".into()], &["A_EXTRA"]);
        assert_eq!(k.first().map(String::as_str), Some("A_EXTRA"));
        assert!(k.windows(2).all(|w| w[0] < w[1]), "{k:?}");
        assert!(k.iter().any(|n| n == "PACTO_REGISTRY_PASSWORD"));
    }
}
