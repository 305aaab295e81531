//! `pacto generate` over `oci://` refs (a real `docker-registry` from `e2e/registry.sh`): the
//! plugin gets a temporary `pacto-bundle-*` directory holding the pulled bundle, deleted after
//! the run, and none of the registry credentials pacto itself used.

mod plugin_support;

use pacto_e2e_support::pacto_cli::Registries;
use plugin_support::World;

#[test]
fn an_oci_bundle_is_unpacked_for_the_plugin_and_removed_after() {
    let Some(reg) = Registries::start("generate") else {
        return;
    };
    let w = World::new();
    let r = w.pacto(&["init", "svc"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let creds = [
        ("PACTO_REGISTRY_USERNAME", reg.user.as_str()),
        ("PACTO_REGISTRY_PASSWORD", reg.pass.as_str()),
    ];
    let oci = format!("oci://{}/acme/svc", reg.auth);
    let r = w.pacto(&["push", &oci, "-p", "svc"], &creds);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let dump = w.path("dump");
    std::fs::create_dir_all(&dump).unwrap_or_else(|e| panic!("{e}"));
    w.plugin(
        "peek",
        &format!(
            r#"req=$(cat)
dir=$(printf '%s' "$req" | sed -n 's/.*"bundleDir":"\([^"]*\)".*/\1/p')
printf '%s' "$dir" > {d}/dir
cp "$dir/pacto.yaml" {d}/pacto.yaml
env > {d}/env
echo '{{"files":[{{"path":"seen.txt","content":"ok"}}]}}'"#,
            d = dump.display()
        ),
    );
    let r = w.pacto(&["generate", "peek", &oci, "-o", "out"], &creds);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "Generated 1 file(s) using peek in out\n");
    let dir = std::fs::read_to_string(dump.join("dir")).unwrap_or_default();
    let name = std::path::Path::new(&dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(name.starts_with("pacto-bundle-"), "{dir}");
    assert!(!std::path::Path::new(&dir).exists(), "{dir} left behind");
    assert_eq!(
        std::fs::read_to_string(dump.join("pacto.yaml")).unwrap_or_default(),
        std::fs::read_to_string(w.path("svc/pacto.yaml")).unwrap_or_default()
    );
    let env = std::fs::read_to_string(dump.join("env")).unwrap_or_default();
    assert!(!env.contains("PACTO_REGISTRY"), "{env}");
    assert!(!env.contains(&reg.pass), "{env}");
    assert!(w.path("out/seen.txt").is_file());
}
