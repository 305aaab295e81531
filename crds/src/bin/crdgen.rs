//! Writes the CRD manifests next to this crate (`crds/*.yaml`), or to the directory given as the
//! first argument. `--check` compares instead of writing and exits 1 on any difference.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for arg in std::env::args().skip(1) {
        if arg == "--check" {
            check = true;
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let manifests = match pacto_crds::generate::manifests() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("crdgen: {e}");
            return ExitCode::from(2);
        }
    };
    let mut stale = false;
    for m in manifests {
        let path = dir.join(&m.file_name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(m.yaml.as_str()) {
                eprintln!(
                    "crdgen: {} is out of date; run `cargo run -p pacto-crds --bin crdgen`",
                    path.display()
                );
                stale = true;
            }
        } else if let Err(e) = std::fs::write(&path, &m.yaml) {
            eprintln!("crdgen: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        } else {
            println!("wrote {}", path.display());
        }
    }
    if stale {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
