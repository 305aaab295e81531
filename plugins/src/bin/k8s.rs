//! `pacto-plugin-k8s`: Kubernetes manifests (or a Helm chart) that satisfy the contract's
//! runtime checks, plus the `Pacto` resource that checks them. See `pacto_plugins::k8s`.

fn main() -> std::process::ExitCode {
    pacto_plugins::run_main("pacto-plugin-k8s", |req| {
        pacto_plugins::k8s::generate(req)
            .map_err(|e| pacto_plugins::PluginError::new(e.to_string()))
    })
}
