//! The API writes of a planned revision: create (adopting one a previous run created), set
//! its status, delete what retention dropped. Run by `crate::trailing` after the status.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use pacto_crds::revision::{LABEL_PACTO, LABEL_VERSION};
use pacto_crds::{PactoRevision, PactoRevisionStatus};

use super::{NewRevision, RevisionError, Revisions};
use crate::eval::revision_name::version_label_value as label_value;

impl Revisions {
    /// Writes `new`; the leader fence is checked first (a revision of an ended term is left
    /// to the replica that holds the Lease now).
    pub async fn write(&self, new: &NewRevision) -> Result<(), RevisionError> {
        let c = &new.revision;
        let key = c.key.to_string();
        if !self.fence.may_write() {
            return Err(RevisionError::Fenced(key));
        }
        let uid = c.uid.clone().ok_or(RevisionError::NoUid(key))?;
        let api: Api<PactoRevision> = Api::namespaced(self.client.clone(), &c.key.namespace);
        let mut rev = PactoRevision::new(&c.name, c.spec.clone());
        rev.metadata.namespace = Some(c.key.namespace.clone());
        rev.metadata.labels = Some(
            [
                (LABEL_PACTO.to_string(), label_value(&c.key.name)),
                (LABEL_VERSION.to_string(), label_value(&c.spec.version)),
            ]
            .into(),
        );
        rev.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "pacto.trianalab.io/v1alpha1".into(),
            kind: "Pacto".into(),
            name: c.key.name.clone(),
            uid,
            controller: Some(true),
            block_owner_deletion: Some(true),
        }]);
        match api.create(&PostParams::default(), &rev).await {
            Ok(_) => {}
            // Created by a previous run whose cache was lost: adopt it.
            Err(kube::Error::Api(s)) if s.code == 409 => {}
            Err(e) => return Err(RevisionError::Create(c.name.clone(), e)),
        }
        let status = PactoRevisionStatus {
            resolved: true,
            contract_hash: Some(c.contract_hash.clone()),
            created_at: Some(c.created_at.clone()),
            conditions: Vec::new(),
        };
        // A merge patch (the revision is new: nothing to remove), cheaper for the API server
        // than an apply.
        let patch = serde_json::json!({ "status": status });
        let params = PatchParams {
            field_manager: Some(self.field_manager.clone()),
            ..Default::default()
        };
        // The status is informative; a failure here does not undo the revision.
        if let Err(e) = api
            .patch_status(&c.name, &params, &Patch::Merge(&patch))
            .await
        {
            tracing::warn!(revision = %c.name, error = %e, "cannot write PactoRevision status");
        }
        for old in &new.prune {
            match api.delete(old, &DeleteParams::background()).await {
                Ok(_) => {}
                Err(kube::Error::Api(s)) if s.code == 404 => {}
                Err(e) => {
                    tracing::warn!(revision = %old, error = %e, "cannot prune PactoRevision")
                }
            }
        }
        Ok(())
    }
}
