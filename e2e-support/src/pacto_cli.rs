//! The registry world of the CLI's tests and benchmarks (`cli/tests/{oci,dashboard}_*.rs`,
//! `cli/benches/graph100.rs`; feature `oci`): real registries started by `e2e/registry.sh`,
//! the `pacto` binary run with a private HOME/cache/config, contract generators and a
//! 100-service dependency tree pushed to a registry.

use pacto_core::Bundle;
use pacto_core::oci_ref::{OciRef, parse};
use pacto_oci::creds::{Environment, ProcessHelper};
use pacto_oci::{
    BlockingRegistry, CacheOptions, CachedRegistry, Keychain, RegistryClient, RegistryOptions,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// Real registries from `e2e/registry.sh` (shared with the other crates' tests).
pub struct Registries;

impl Registries {
    pub fn start(name: &str) -> Option<crate::Registries> {
        crate::Registries::start("pacto-cli-oci", name)
    }
}

/// The `pacto` binary cargo built for the running test or bench: executables live in
/// `target/<profile>/deps/`, binaries in `target/<profile>/` (what `CARGO_BIN_EXE_pacto` names).
pub fn pacto_binary() -> PathBuf {
    let exe = std::env::current_exe()
        .unwrap_or_else(|e| panic!("cannot locate the running test executable: {e}"));
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("{} is not under target/<profile>/deps", exe.display()));
    profile_dir.join(format!("pacto{}", std::env::consts::EXE_SUFFIX))
}

/// A private HOME with its own cache and config, so runs never share state by accident.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cache(&self) -> PathBuf {
        self.path().join("cache")
    }

    /// `pacto` with this HOME and no inherited registry credentials or cache flags.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(pacto_binary());
        c.env("HOME", self.path())
            .env("XDG_CACHE_HOME", self.cache())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("DOCKER_CONFIG", self.path().join("docker"));
        for k in [
            "PACTO_REGISTRY_TOKEN",
            "PACTO_REGISTRY_USERNAME",
            "PACTO_REGISTRY_PASSWORD",
            "PACTO_REGISTRY_HOST",
            "PACTO_NO_CACHE",
            "PACTO_TAG_TTL_SECONDS",
            "PACTO_OUTPUT_FORMAT",
            "PACTO_OCI_CONCURRENCY",
        ] {
            c.env_remove(k);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run pacto: {e}"))
    }
}

pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn oref(s: &str) -> OciRef {
    parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A valid minimal contract; `deps` are `(ref, compatibility)`; `extra` is appended YAML.
pub fn contract(name: &str, version: &str, deps: &[(String, String)], extra: &str) -> Bundle {
    let mut y = format!(
        "pactoVersion: \"1.0\"\nservice:\n  name: {name}\n  version: {version}\n  owner: team/x\n\
         interfaces:\n  - name: api\n    type: http\n    port: 8080\n    contract: interfaces/openapi.yaml\n"
    );
    if !deps.is_empty() {
        y.push_str("dependencies:\n");
        for (r, c) in deps {
            y.push_str(&format!(
                "  - ref: \"{r}\"\n    compatibility: \"{c}\"\n    required: true\n"
            ));
        }
    }
    y.push_str(extra);
    let mut b = Bundle::new();
    b.insert("pacto.yaml", y.into_bytes());
    b.insert(
        "interfaces/openapi.yaml",
        b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec(),
    );
    b
}

/// A library client (anonymous, no disk cache) for setting up registry content.
pub fn library_client() -> BlockingRegistry {
    let env: Box<dyn Environment> = Box::new(HashMap::<String, String>::new());
    let keychain = Keychain::new(env, None, None, Box::new(ProcessHelper::default()));
    let opts = RegistryOptions {
        operation_timeout: Duration::from_secs(30),
        ..RegistryOptions::default()
    };
    let client = RegistryClient::new(keychain, opts).unwrap_or_else(|e| panic!("{e}"));
    BlockingRegistry::new(CachedRegistry::new(client, CacheOptions::default()))
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn push(reg: &BlockingRegistry, r: &str, b: &Bundle) -> String {
    let r = oref(r);
    reg.block_on(reg.registry().client().push(&r, b))
        .unwrap_or_else(|e| panic!("push {r}: {e}"))
        .digest
}

pub const TREE_SIZE: usize = 100;

pub fn tree_name(i: usize) -> String {
    format!("svc-{i:03}")
}

/// The dependency refs of service `i` in the 100-service tree: a ternary tree
/// (children 3i+1..3i+3), even children by explicit tag, odd ones untagged with a range
/// (resolved against real tags), and every service with `i % 10 == 5` also depending on
/// the shared leaf `svc-099`.
pub fn tree_deps(registry: &str, i: usize) -> Vec<(String, String)> {
    let mut deps = Vec::new();
    for c in (3 * i + 1)..=(3 * i + 3) {
        if c >= TREE_SIZE {
            break;
        }
        let base = format!("oci://{registry}/tree/{}", tree_name(c));
        if c % 2 == 0 {
            deps.push((format!("{base}:1.0.0"), "^1.0.0".to_string()));
        } else {
            deps.push((base, "^1.0.0".to_string()));
        }
    }
    let shared = TREE_SIZE - 1;
    if i % 10 == 5 && i != shared && !(3 * i + 1..=3 * i + 3).contains(&shared) {
        deps.push((
            format!("oci://{registry}/tree/{}:1.0.0", tree_name(shared)),
            "^1.0.0".to_string(),
        ));
    }
    deps
}

/// Pushes the tree: every service at 1.0.0; odd (range-resolved) services also at 1.1.0
/// (what `^1.0.0` must pick) and 2.0.0 (what it must not).
pub fn push_tree(reg: &BlockingRegistry, registry: &str) {
    for i in 0..TREE_SIZE {
        let name = tree_name(i);
        let deps = tree_deps(registry, i);
        let r = format!("oci://{registry}/tree/{name}");
        push(
            reg,
            &format!("{r}:1.0.0"),
            &contract(&name, "1.0.0", &deps, ""),
        );
        if i % 2 == 1 {
            push(
                reg,
                &format!("{r}:1.1.0"),
                &contract(&name, "1.1.0", &deps, ""),
            );
            push(
                reg,
                &format!("{r}:2.0.0"),
                &contract(&name, "2.0.0", &deps, ""),
            );
        }
    }
}
