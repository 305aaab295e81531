//! Fault injection on a running local control plane: SIGKILL one component and relaunch it with
//! the very arguments it was started with (same ports, certificates and etcd data dir), through
//! `e2e/controlplane/cluster.sh kill | start-component | restart`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::SupportError;
use crate::paths::repo_root;

/// A control plane component that can be killed and relaunched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Etcd,
    KubeApiserver,
    KubeControllerManager,
}

impl Component {
    /// The name `cluster.sh` knows it by (also its binary's and PID file's name).
    pub fn name(self) -> &'static str {
        match self {
            Component::Etcd => "etcd",
            Component::KubeApiserver => "kube-apiserver",
            Component::KubeControllerManager => "kube-controller-manager",
        }
    }
}

/// The state dir of the control plane a kubeconfig belongs to: `cluster.sh` writes the admin
/// kubeconfig at the top of it.
pub fn state_dir_of(kubeconfig: &Path) -> Option<PathBuf> {
    kubeconfig.parent().map(Path::to_path_buf)
}

/// SIGKILLs `component` of the control plane whose admin kubeconfig is `kubeconfig`, and waits
/// until the process is gone.
pub fn kill_component(kubeconfig: &Path, component: Component) -> Result<(), SupportError> {
    cluster_sh(kubeconfig, "kill", component)
}

/// Relaunches a killed `component` with its recorded arguments and waits until it is healthy.
pub fn start_component(kubeconfig: &Path, component: Component) -> Result<(), SupportError> {
    cluster_sh(kubeconfig, "start-component", component)
}

/// The PID `cluster.sh` recorded for `component`, when its file is readable.
pub fn component_pid(kubeconfig: &Path, component: Component) -> Option<u32> {
    let dir = state_dir_of(kubeconfig)?;
    std::fs::read_to_string(dir.join(format!("{}.pid", component.name())))
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn cluster_sh(kubeconfig: &Path, action: &str, component: Component) -> Result<(), SupportError> {
    let script = repo_root().join("e2e/controlplane/cluster.sh");
    let state = state_dir_of(kubeconfig).ok_or_else(|| SupportError::Kubeconfig {
        path: kubeconfig.to_path_buf(),
        message: "has no parent directory (the control plane's state dir)".into(),
    })?;
    let out = Command::new("bash")
        .arg(&script)
        .args([action, component.name()])
        .env("PACTO_E2E_STATE_DIR", &state)
        .output()
        .map_err(|source| SupportError::Spawn {
            script: script.clone(),
            source,
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(SupportError::ComponentFault {
            action: action.to_string(),
            component: component.name(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}
