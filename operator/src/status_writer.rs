//! Status writes: server-side apply of the complete desired status under one field manager,
//! sent only when the evaluation says the status changed in meaning. Events are published for
//! transitions only.

use kube::api::{Patch, PatchParams};
use kube::runtime::events::{Event, EventType as KubeEventType, Recorder, Reporter};
use kube::{Api, Client, Resource, ResourceExt};
use pacto_crds::{Pacto, PactoStatus};

use crate::eval::{EventType, TransitionEvent};
use crate::fence::Fence;
use crate::metrics::Metrics;

pub struct StatusWriter {
    fence: Fence,
    client: Client,
    field_manager: String,
    recorder: Recorder,
}

impl StatusWriter {
    pub fn new(
        client: Client,
        field_manager: &str,
        instance: Option<String>,
        fence: Fence,
    ) -> Self {
        let reporter = Reporter {
            controller: field_manager.to_string(),
            instance,
        };
        Self {
            fence,
            recorder: Recorder::new(client.clone(), reporter),
            client,
            field_manager: field_manager.to_string(),
        }
    }

    /// Applies `status` to the Pacto's status subresource. A leader whose term may have ended
    /// (see [`Fence`]) writes nothing: the replica that holds the Lease now owns the status.
    pub async fn write(
        &self,
        pacto: &Pacto,
        status: &PactoStatus,
        metrics: &Metrics,
    ) -> Result<(), kube::Error> {
        if !self.fence.may_write() {
            tracing::warn!(pacto = %pacto.name_any(), "leader term may have ended: status not written");
            return Ok(());
        }
        let ns = pacto.namespace().unwrap_or_default();
        let api: Api<Pacto> = Api::namespaced(self.client.clone(), &ns);
        let patch = serde_json::json!({
            "apiVersion": "pacto.trianalab.io/v1alpha1",
            "kind": "Pacto",
            "status": status,
        });
        metrics.count_status_write();
        api.patch_status(
            &pacto.name_any(),
            &PatchParams::apply(&self.field_manager).force(),
            &Patch::Apply(&patch),
        )
        .await
        .map(|_| ())
    }

    /// Publishes transition events; failures are logged, never fatal.
    pub async fn publish(&self, pacto: &Pacto, events: &[TransitionEvent]) {
        if !self.fence.may_write() {
            return;
        }
        let reference = pacto.object_ref(&());
        for e in events {
            let ev = Event {
                type_: match e.type_ {
                    EventType::Normal => KubeEventType::Normal,
                    EventType::Warning => KubeEventType::Warning,
                },
                reason: e.reason.to_string(),
                note: Some(e.note.chars().take(1000).collect()),
                action: "Reconcile".into(),
                secondary: None,
            };
            if let Err(err) = self.recorder.publish(&ev, &reference).await {
                tracing::warn!(pacto = %pacto.name_any(), reason = e.reason, error = %err, "cannot publish event");
            }
        }
    }
}
