use std::path::Path;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::error::SupportError;

/// A client for the kubeconfig at `path`. Make one per test: clients are bound to the tokio
/// runtime they were made in.
pub async fn client_for(path: &Path) -> Result<Client, SupportError> {
    let err = |message: String| SupportError::Kubeconfig {
        path: path.to_path_buf(),
        message,
    };
    let kc = Kubeconfig::read_from(path).map_err(|e| err(format!("not readable: {e}")))?;
    let config = Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .map_err(|e| err(format!("not valid: {e}")))?;
    Client::try_from(config).map_err(|e| err(format!("no client: {e}")))
}
