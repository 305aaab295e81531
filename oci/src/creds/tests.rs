use super::*;
use base64::Engine;
use std::path::Path;
use std::sync::Mutex;

/// Records which helpers were asked, answers from a table.
#[derive(Default)]
struct FakeHelper {
    answers: HashMap<(String, String), Result<Option<HelperCreds>, HelperError>>,
    asked: Mutex<Vec<(String, String)>>,
}

impl CredentialHelper for FakeHelper {
    fn get(&self, helper: &str, server: &str) -> Result<Option<HelperCreds>, HelperError> {
        if let Ok(mut a) = self.asked.lock() {
            a.push((helper.into(), server.into()));
        }
        self.answers
            .get(&(helper.to_string(), server.to_string()))
            .cloned()
            .unwrap_or(Ok(None))
    }
}

fn env(pairs: &[(&str, &str)]) -> Box<dyn Environment> {
    Box::new(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<_, _>>(),
    )
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn pacto_file(json: &str) -> Option<AuthFile> {
    AuthFile::parse(Path::new("/x/pacto/config.json"), json).ok()
}

fn docker_file(json: &str) -> Option<DockerConfig> {
    DockerConfig::parse(Path::new("/x/.docker/config.json"), json).ok()
}

fn basic(u: &str, p: &str) -> Credential {
    Credential::Basic {
        username: u.into(),
        password: p.into(),
    }
}

fn resolve(k: &Keychain, registry: &str) -> Resolved {
    match k.resolve(registry) {
        Ok(r) => r,
        Err(e) => panic!("resolve {registry}: {e}"),
    }
}

fn full_keychain(env_pairs: &[(&str, &str)]) -> Keychain {
    let pacto = pacto_file(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
        b64("pacto-user:pacto-pass")
    ));
    let docker = docker_file(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}, "quay.io": {{"auth": "{}"}}}}}}"#,
        b64("docker-user:docker-pass"),
        b64("q:qp")
    ));
    Keychain::new(
        env(env_pairs),
        pacto,
        docker,
        Box::new(FakeHelper::default()),
    )
}

#[test]
fn order_token_then_userpass_then_login_then_docker_then_anonymous() {
    let all = [
        (ENV_TOKEN, "tok"),
        (ENV_USERNAME, "env-user"),
        (ENV_PASSWORD, "env-pass"),
    ];
    let r = resolve(&full_keychain(&all), "ghcr.io");
    assert_eq!(r.credential, Credential::Bearer("tok".into()));
    assert_eq!(r.source, CredentialSource::EnvToken);

    let r = resolve(&full_keychain(&all[1..]), "ghcr.io");
    assert_eq!(r.credential, basic("env-user", "env-pass"));
    assert_eq!(r.source, CredentialSource::EnvUserPass);

    let r = resolve(&full_keychain(&[]), "ghcr.io");
    assert_eq!(r.credential, basic("pacto-user", "pacto-pass"));
    assert_eq!(r.source, CredentialSource::PactoLogin);

    let r = resolve(&full_keychain(&[]), "quay.io");
    assert_eq!(r.credential, basic("q", "qp"));
    assert_eq!(r.source, CredentialSource::DockerConfig);

    let r = resolve(&full_keychain(&[]), "example.com");
    assert_eq!(r.credential, Credential::Anonymous);
    assert_eq!(r.source, CredentialSource::Anonymous);
}

#[test]
fn empty_env_values_count_as_unset() {
    let r = resolve(
        &full_keychain(&[(ENV_TOKEN, ""), (ENV_USERNAME, ""), (ENV_PASSWORD, "")]),
        "ghcr.io",
    );
    assert_eq!(r.source, CredentialSource::PactoLogin);
}

#[test]
fn half_set_env_pair_is_an_error() {
    let k = full_keychain(&[(ENV_USERNAME, "u")]);
    let e = k.resolve("ghcr.io").err().map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains(ENV_PASSWORD)));
    let k = full_keychain(&[(ENV_PASSWORD, "p")]);
    assert!(matches!(
        k.resolve("ghcr.io"),
        Err(CredError::HalfEnv { .. })
    ));
}

#[test]
fn env_credentials_stay_with_their_host() {
    // Explicit scope: only the listed hosts get the token.
    let scoped = full_keychain(&[(ENV_TOKEN, "tok"), (ENV_SCOPE, "registry.acme.io, quay.io")]);
    assert_eq!(
        resolve(&scoped, "registry.acme.io").source,
        CredentialSource::EnvToken
    );
    assert_eq!(
        resolve(&scoped, "quay.io").source,
        CredentialSource::EnvToken
    );
    assert_eq!(
        resolve(&scoped, "ghcr.io").source,
        CredentialSource::PactoLogin
    );
    assert_eq!(
        resolve(&scoped, "evil.io").credential,
        Credential::Anonymous
    );

    // Primary registry: a dependency on another host does not receive the token.
    let primary = full_keychain(&[(ENV_TOKEN, "tok")]).with_primary_registry("registry.acme.io");
    assert_eq!(
        resolve(&primary, "registry.acme.io").source,
        CredentialSource::EnvToken
    );
    assert_eq!(
        resolve(&primary, "evil.io").credential,
        Credential::Anonymous
    );
    // The port is part of the host identity.
    let primary = full_keychain(&[(ENV_TOKEN, "tok")]).with_primary_registry("localhost:5000");
    assert_eq!(
        resolve(&primary, "localhost:5001").credential,
        Credential::Anonymous
    );

    // Neither: every registry (the reference behaviour).
    let open = full_keychain(&[(ENV_TOKEN, "tok")]);
    assert_eq!(resolve(&open, "evil.io").source, CredentialSource::EnvToken);
}

#[test]
fn file_entries_match_exact_host_and_port_only() {
    let pacto = pacto_file(&format!(
        r#"{{"auths": {{"localhost:5000": {{"auth": "{}"}}}}}}"#,
        b64("a:b")
    ));
    let k = Keychain::new(env(&[]), pacto, None, Box::new(FakeHelper::default()));
    assert_eq!(resolve(&k, "localhost:5000").credential, basic("a", "b"));
    assert_eq!(
        resolve(&k, "localhost:5001").credential,
        Credential::Anonymous
    );
    assert_eq!(resolve(&k, "localhost").credential, Credential::Anonymous);
    assert_eq!(
        resolve(&k, "localhost:5000.evil.io").credential,
        Credential::Anonymous
    );
}

#[test]
fn docker_keys_with_scheme_and_hub_aliases() {
    let docker = docker_file(&format!(
        r#"{{"auths": {{
            "https://index.docker.io/v1/": {{"auth": "{}"}},
            "https://registry.acme.io": {{"username": "u2", "password": "p2"}},
            "tok.io": {{"registrytoken": "rt"}},
            "id.io": {{"identitytoken": "refresh"}},
            "placeholder.io": {{}}
        }}}}"#,
        b64("hub:hp")
    ));
    let k = Keychain::new(env(&[]), None, docker, Box::new(FakeHelper::default()));
    assert_eq!(resolve(&k, "docker.io").credential, basic("hub", "hp"));
    assert_eq!(
        resolve(&k, "registry.acme.io").credential,
        basic("u2", "p2")
    );
    assert_eq!(
        resolve(&k, "tok.io").credential,
        Credential::Bearer("rt".into())
    );
    assert_eq!(resolve(&k, "id.io").credential, Credential::Anonymous);
    assert_eq!(
        resolve(&k, "placeholder.io").credential,
        Credential::Anonymous
    );
}

#[test]
fn cred_helpers_then_creds_store_then_auths() {
    let docker = docker_file(&format!(
        r#"{{"credHelpers": {{"gcr.io": "gcloud"}}, "credsStore": "desktop",
            "auths": {{"fallback.io": {{"auth": "{}"}}}}}}"#,
        b64("f:fp")
    ));
    let mut helper = FakeHelper::default();
    helper.answers.insert(
        ("gcloud".into(), "gcr.io".into()),
        Ok(Some(HelperCreds {
            username: "oauth2accesstoken".into(),
            secret: "gtok".into(),
        })),
    );
    helper.answers.insert(
        ("desktop".into(), "https://index.docker.io/v1/".into()),
        Ok(Some(HelperCreds {
            username: "hubuser".into(),
            secret: "hubsecret".into(),
        })),
    );
    helper.answers.insert(
        ("desktop".into(), "broken.io".into()),
        Err("keychain locked".into()),
    );
    helper.answers.insert(
        ("desktop".into(), "idtoken.io".into()),
        Ok(Some(HelperCreds {
            username: "<token>".into(),
            secret: "refresh".into(),
        })),
    );
    let k = Keychain::new(env(&[]), None, docker, Box::new(helper));

    let r = resolve(&k, "gcr.io");
    assert_eq!(r.credential, basic("oauth2accesstoken", "gtok"));
    assert_eq!(r.source, CredentialSource::DockerHelper("gcloud".into()));

    let r = resolve(&k, "index.docker.io");
    assert_eq!(r.credential, basic("hubuser", "hubsecret"));
    assert_eq!(r.source, CredentialSource::DockerHelper("desktop".into()));

    // The store has nothing for this host: fall back to `auths`.
    assert_eq!(resolve(&k, "fallback.io").credential, basic("f", "fp"));
    // Identity tokens cannot be used: next source (anonymous).
    assert_eq!(resolve(&k, "idtoken.io").credential, Credential::Anonymous);

    let e = k
        .resolve("broken.io")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("docker-credential-desktop") && e.contains("keychain locked"),
        "{e}"
    );
}

#[test]
fn helper_not_consulted_when_pacto_login_has_the_host() {
    let pacto = pacto_file(&format!(
        r#"{{"auths": {{"gcr.io": {{"auth": "{}"}}}}}}"#,
        b64("p:q")
    ));
    let docker = docker_file(r#"{"credsStore": "desktop"}"#);
    let helper = std::sync::Arc::new(FakeHelper::default());
    struct Shared(std::sync::Arc<FakeHelper>);
    impl CredentialHelper for Shared {
        fn get(&self, h: &str, s: &str) -> Result<Option<HelperCreds>, HelperError> {
            self.0.get(h, s)
        }
    }
    let k = Keychain::new(env(&[]), pacto, docker, Box::new(Shared(helper.clone())));
    assert_eq!(resolve(&k, "gcr.io").source, CredentialSource::PactoLogin);
    assert!(helper.asked.lock().map(|a| a.is_empty()).unwrap_or(false));
    resolve(&k, "other.io");
    let asked = helper.asked.lock().map(|a| a.clone()).unwrap_or_default();
    assert_eq!(asked, vec![("desktop".to_string(), "other.io".to_string())]);
}

#[test]
fn malformed_files_name_the_file_and_entry() {
    let e = AuthFile::parse(Path::new("/p/config.json"), "{nope").err();
    assert!(e.is_some_and(|e| e.to_string().contains("/p/config.json")));
    let e = AuthFile::parse(
        Path::new("/p/config.json"),
        r#"{"auths": {"ghcr.io": {"auth": "!!!"}}}"#,
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("ghcr.io") && e.contains("base64"), "{e}");
    let e = AuthFile::parse(
        Path::new("/p/config.json"),
        &format!(
            r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}}}"#,
            b64("nocolon")
        ),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("user:password"), "{e}");
    let e = DockerConfig::parse(Path::new("/d/config.json"), r#"{"auths": 3}"#).err();
    assert!(e.is_some_and(|e| e.to_string().contains("/d/config.json")));
}

#[test]
fn paths_follow_xdg_and_docker_config() {
    let e = env(&[("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u")]);
    assert_eq!(
        pacto_config_path(e.as_ref()).ok(),
        Some(PathBuf::from("/xdg/pacto/config.json"))
    );
    let e = env(&[("HOME", "/home/u")]);
    assert_eq!(
        pacto_config_path(e.as_ref()).ok(),
        Some(PathBuf::from("/home/u/.config/pacto/config.json"))
    );
    assert_eq!(
        docker_config_path(e.as_ref()),
        Some(PathBuf::from("/home/u/.docker/config.json"))
    );
    let e = env(&[("DOCKER_CONFIG", "/dc"), ("HOME", "/home/u")]);
    assert_eq!(
        docker_config_path(e.as_ref()),
        Some(PathBuf::from("/dc/config.json"))
    );
    assert!(matches!(
        pacto_config_path(env(&[]).as_ref()),
        Err(CredError::NoHome)
    ));
}

#[test]
fn debug_never_prints_secrets() {
    let shown = format!(
        "{:?} {:?}",
        basic("u", "hunter2"),
        Credential::Bearer("tok-123".into())
    );
    assert!(
        !shown.contains("hunter2") && !shown.contains("tok-123"),
        "{shown}"
    );
}

#[cfg(unix)]
#[test]
fn login_file_is_written_0600_atomically_and_round_trips() {
    use std::os::unix::fs::PermissionsExt;
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let path = dir.path().join("cfg").join("pacto").join("config.json");
    assert!(login_file::save_login(&path, "localhost:5000", "alice", "s3cret").is_ok());
    assert!(login_file::save_login(&path, "https://ghcr.io", "bob", "pw:with:colons").is_ok());
    let mode = std::fs::metadata(&path)
        .map(|m| m.permissions().mode() & 0o777)
        .ok();
    assert_eq!(mode, Some(0o600));
    let dir_mode = path
        .parent()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.permissions().mode() & 0o777);
    assert_eq!(dir_mode, Some(0o700));
    // No temp files left behind.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap_or(dir.path()))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, vec!["config.json".to_string()]);

    let loaded = login_file::load(&path).ok().flatten();
    let Some(file) = loaded else {
        panic!("login file must load")
    };
    assert_eq!(
        file.lookup("localhost:5000").ok().flatten(),
        Some(basic("alice", "s3cret"))
    );
    assert_eq!(
        file.lookup("ghcr.io").ok().flatten(),
        Some(basic("bob", "pw:with:colons"))
    );
    assert_eq!(
        file.registries().collect::<Vec<_>>(),
        vec!["ghcr.io", "localhost:5000"]
    );

    assert_eq!(login_file::remove_login(&path, "ghcr.io").ok(), Some(true));
    assert_eq!(login_file::remove_login(&path, "ghcr.io").ok(), Some(false));
    let file = login_file::load(&path).ok().flatten();
    assert_eq!(file.map(|f| f.registries().count()), Some(1));
}

#[cfg(unix)]
#[test]
fn save_keeps_unknown_keys_and_tightens_existing_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let path = dir.path().join("config.json");
    assert!(std::fs::write(&path, r#"{"currentContext": "x", "auths": {}}"#).is_ok());
    assert!(std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).is_ok());
    assert!(login_file::save_login(&path, "r.io", "u", "p").is_ok());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(text.contains("currentContext"), "{text}");
    let mode = std::fs::metadata(&path)
        .map(|m| m.permissions().mode() & 0o777)
        .ok();
    assert_eq!(mode, Some(0o600));
}

#[test]
fn load_reads_files_from_the_environment_paths() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let xdg = dir.path().join("xdg");
    let dc = dir.path().join("docker");
    assert!(login_file::save_login(&xdg.join("pacto/config.json"), "a.io", "pa", "pp").is_ok());
    assert!(std::fs::create_dir_all(&dc).is_ok());
    let docker_json = format!(r#"{{"auths": {{"b.io": {{"auth": "{}"}}}}}}"#, b64("da:dp"));
    assert!(std::fs::write(dc.join("config.json"), docker_json).is_ok());
    let e = env(&[
        ("XDG_CONFIG_HOME", xdg.to_str().unwrap_or_default()),
        ("DOCKER_CONFIG", dc.to_str().unwrap_or_default()),
    ]);
    let k = match Keychain::load(e) {
        Ok(k) => k,
        Err(e) => panic!("load: {e}"),
    };
    assert_eq!(resolve(&k, "a.io").credential, basic("pa", "pp"));
    assert_eq!(resolve(&k, "b.io").credential, basic("da", "dp"));
    assert_eq!(resolve(&k, "c.io").credential, Credential::Anonymous);
}

#[test]
fn long_running_processes_send_env_credentials_only_to_listed_hosts() {
    // No PACTO_REGISTRY_HOST: the operator and the dashboard send the token nowhere, whatever
    // registry a Pacto names; files keyed by host still apply.
    let strict = full_keychain(&[(ENV_TOKEN, "tok")]).env_only_for_listed_hosts();
    assert_eq!(
        resolve(&strict, "evil.io").credential,
        Credential::Anonymous
    );
    assert_eq!(
        resolve(&strict, "ghcr.io").source,
        CredentialSource::PactoLogin
    );
    assert_eq!(strict.unscoped_env_credentials(), Some(ENV_TOKEN));
    let userpass =
        full_keychain(&[(ENV_USERNAME, "u"), (ENV_PASSWORD, "p")]).env_only_for_listed_hosts();
    assert_eq!(
        resolve(&userpass, "127.0.0.2:5000").credential,
        Credential::Anonymous
    );
    assert_eq!(userpass.unscoped_env_credentials(), Some(ENV_USERNAME));

    // Listed hosts get them, others do not.
    let listed = full_keychain(&[(ENV_TOKEN, "tok"), (ENV_SCOPE, "registry.acme.io")])
        .env_only_for_listed_hosts();
    assert_eq!(
        resolve(&listed, "registry.acme.io").source,
        CredentialSource::EnvToken
    );
    assert_eq!(
        resolve(&listed, "evil.io").credential,
        Credential::Anonymous
    );
    assert_eq!(listed.unscoped_env_credentials(), None);
    // Nothing set: nothing to warn about.
    let none = full_keychain(&[]).env_only_for_listed_hosts();
    assert_eq!(none.unscoped_env_credentials(), None);
}
