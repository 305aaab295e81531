use std::path::PathBuf;

use crate::paths::{repo_root, target_dir};

const COMPONENTS: [&str; 3] = ["kube-apiserver", "kube-controller-manager", "etcd"];

/// The `target/e2e-bin/` subdirectory that `e2e/controlplane/build.sh` fills for the versions in
/// `versions.env` (its text): `<K8S_VERSION>_etcd-<ETCD_VERSION>_r<BUILD_REVISION>`.
pub fn binary_dir_name(versions_env: &str) -> String {
    let get = |k: &str| {
        versions_env
            .lines()
            .find_map(|l| l.strip_prefix(k).and_then(|rest| rest.strip_prefix('=')))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    format!(
        "{}_etcd-{}_r{}",
        get("K8S_VERSION"),
        get("ETCD_VERSION"),
        get("BUILD_REVISION")
    )
}

fn binary_dir() -> PathBuf {
    let versions = std::fs::read_to_string(repo_root().join("e2e/controlplane/versions.env"))
        .unwrap_or_default();
    target_dir()
        .join("e2e-bin")
        .join(binary_dir_name(&versions))
}

/// Whether the control plane binaries of the pinned versions are built.
pub fn binaries_present() -> bool {
    let dir = binary_dir();
    COMPONENTS.iter().all(|b| dir.join(b).exists())
}

/// Whether a control plane can be had (`PACTO_E2E_KUBECONFIG` set, or the binaries built).
/// When not, the caller skips its test after a banner no one can miss, or, under
/// `PACTO_E2E_REQUIRE=1` (CI), this panics so the test fails.
pub fn control_plane_available() -> bool {
    if std::env::var("PACTO_E2E_KUBECONFIG").is_ok() || binaries_present() {
        return true;
    }
    crate::require::skip_or_fail(
        "control plane binaries are not built (run e2e/controlplane/build.sh, ~16 min once) \
         or set PACTO_E2E_KUBECONFIG",
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_name_follows_the_pinned_versions() {
        let env = "# pinned\nK8S_VERSION=v1.34.2\nETCD_VERSION=v3.6.5 \nBUILD_REVISION=3\n";
        assert_eq!(binary_dir_name(env), "v1.34.2_etcd-v3.6.5_r3");
    }

    #[test]
    fn a_key_prefix_is_not_taken_for_the_key() {
        let env = "K8S_VERSION_OLD=v0\nK8S_VERSION=v1\nETCD_VERSION=e\nBUILD_REVISION=1\n";
        assert_eq!(binary_dir_name(env), "v1_etcd-e_r1");
    }

    #[test]
    fn missing_keys_leave_blanks() {
        assert_eq!(binary_dir_name(""), "_etcd-_r");
    }

    #[test]
    fn the_committed_versions_name_a_directory() {
        let text = std::fs::read_to_string(repo_root().join("e2e/controlplane/versions.env"))
            .expect("versions.env is committed");
        let name = binary_dir_name(&text);
        assert!(!name.starts_with('_') && !name.ends_with("_r"), "{name}");
    }
}
