//! The bundled plugins through `pacto generate`: schema-infer on JSON/YAML/TOML samples and
//! openapi-infer on an axum source tree, against golden files
//! (`tests/golden/generate/`; regenerate with `UPDATE_GOLDEN=1`).

mod plugin_support;

use plugin_support::World;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generate/bundle")
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/generate")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "differs from {}", path.display());
}

fn generate(w: &World, args: &[&str]) -> plugin_support::Run {
    let bundle = fixture().display().to_string();
    let mut full = vec!["generate", args[0], bundle.as_str()];
    full.extend_from_slice(&args[1..]);
    w.pacto(&full, &[])
}

#[test]
fn schema_infer_on_json_yaml_and_toml() {
    for ext in ["json", "yaml", "toml"] {
        let w = World::new();
        let file = format!("file=samples/config.{ext}");
        let r = generate(&w, &["schema-infer", "--option", &file, "-o", "out"]);
        assert_eq!(r.code, 0, "{ext}: {}", r.stderr);
        assert_eq!(
            r.stdout,
            format!(
                "Generated 1 file(s) using schema-infer in out\nInferred config.schema.json from samples/config.{ext}; reference it from configurations[].schema\n"
            )
        );
        assert_eq!(w.entries("out"), vec!["config.schema.json"]);
        let text = std::fs::read_to_string(w.path("out/config.schema.json")).unwrap_or_default();
        golden(&format!("schema-{ext}.json"), &text);
    }
    // Title option (the schema accepting its own sample is a unit test of the plugin).
    let w = World::new();
    let r = generate(
        &w,
        &[
            "schema-infer",
            "--option",
            "file=samples/config.json",
            "--option",
            "title=Orders",
            "-o",
            "o",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(w.path("o/config.schema.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["title"], "Orders");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["additionalProperties"], false);
}

#[test]
fn schema_infer_errors_exit_1_and_write_nothing() {
    let w = World::new();
    let cases: [(&[&str], &str); 2] = [
        (
            &[],
            "Error: plugin schema-infer: option \"file\" is required (--option file=<sample>)\n",
        ),
        (
            &["--option", "file=missing.json"],
            "Error: plugin schema-infer: read ",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["schema-infer"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-o", "out"]);
        let r = generate(&w, &args);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(r.stderr.starts_with(want), "{}", r.stderr);
        assert!(!w.path("out").exists());
    }
    w.write(
        "b/pacto.yaml",
        &std::fs::read_to_string(fixture().join("pacto.yaml")).unwrap_or_default(),
    );
    w.write("b/c.ini", "a=1\n");
    let r = w.pacto(
        &["generate", "schema-infer", "b", "--option", "file=c.ini"],
        &[],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: plugin schema-infer: unsupported sample \"c.ini\": use a .json, .yaml, .yml or .toml file\n"
    );
}

#[test]
fn openapi_infer_on_an_axum_app() {
    let w = World::new();
    let r = generate(
        &w,
        &["openapi-infer", "--option", "source=app", "-o", "out"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Generated 1 file(s) using openapi-infer in out\nInferred interfaces/openapi.yaml (13 operation(s)) from the axum routes in "),
        "{}",
        r.stdout
    );
    let yaml = std::fs::read_to_string(w.path("out/interfaces/openapi.yaml")).unwrap_or_default();
    golden("openapi-axum.yaml", &yaml);
    // JSON output, explicit framework.
    let r = generate(
        &w,
        &[
            "openapi-infer",
            "--option",
            "source=app",
            "--option",
            "framework=axum",
            "--option",
            "output=api.json",
            "-o",
            "j",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json = std::fs::read_to_string(w.path("j/api.json")).unwrap_or_default();
    golden("openapi-axum.json", &json);
    // The YAML and JSON documents are the same document.
    let a: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a["openapi"], "3.1.0");
    assert_eq!(
        a["paths"]["/orders/{id}/items/{item}"]["get"]["parameters"][1]["name"],
        "item"
    );
}

#[test]
fn openapi_infer_without_a_framework_is_the_reference_error() {
    let w = World::new();
    w.write(
        "b/pacto.yaml",
        &std::fs::read_to_string(fixture().join("pacto.yaml")).unwrap_or_default(),
    );
    w.write("b/main.py", "print('hi')\n");
    let r = w.pacto(&["generate", "openapi-infer", "b", "-o", "out"], &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: plugin openapi-infer: no supported framework detected\nsupported: axum\n"
    );
    assert!(!w.path("out").exists());
    let r = w.pacto(
        &[
            "generate",
            "openapi-infer",
            "b",
            "--option",
            "framework=fastapi",
        ],
        &[],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: plugin openapi-infer: unsupported framework \"fastapi\"\nsupported: axum\n"
    );
}

#[test]
fn plugins_print_their_version() {
    for name in ["schema-infer", "openapi-infer"] {
        let exe = plugin_support::plugin_bin_dir().join(format!("pacto-plugin-{name}"));
        let out = std::process::Command::new(&exe)
            .arg("--version")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("pacto-plugin-{name} {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}
