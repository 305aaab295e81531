//! ImageMatch: the contract's `service.image.ref` runs in one of the pod's containers.
//!
//! Both sides are normalised with `parse_image_ref` (`nginx` = `docker.io/library/nginx`,
//! registry and repository lowercase). Registry and repository must be equal. Then: a contract
//! digest must equal the container's digest; a contract tag must equal the container's tag
//! (an untagged container image means `latest`), except that a container pinned by digest
//! alone satisfies any tag (the tag cannot be checked without the registry); an untagged,
//! undigested contract image accepts any tag.

use k8s_openapi::api::core::v1::PodSpec;
use pacto_core::oci_ref::{OciRef, parse_image_ref};
use pacto_crds::reasons;

use super::super::check::{Check, CheckResult};

pub(super) fn image_match(want: &str, pod: &PodSpec) -> CheckResult {
    let w = match parse_image_ref(want) {
        Ok(r) => r,
        Err(e) => {
            return CheckResult::fail(Check::ImageMatch, reasons::INVALID_IMAGE_REF, e.to_string());
        }
    };
    let images: Vec<&str> = pod
        .containers
        .iter()
        .filter_map(|c| c.image.as_deref())
        .collect();
    let same_repo: Vec<(&str, OciRef)> = images
        .iter()
        .filter_map(|i| parse_image_ref(i).ok().map(|r| (*i, r)))
        .filter(|(_, r)| r.registry == w.registry && r.repository == w.repository)
        .collect();
    if same_repo.is_empty() {
        return CheckResult::fail(
            Check::ImageMatch,
            reasons::MISSING,
            format!(
                "no container runs {want} (images: {})",
                if images.is_empty() {
                    "none".to_string()
                } else {
                    images.join(", ")
                }
            ),
        );
    }
    if let Some((img, _)) = same_repo.iter().find(|(_, r)| version_matches(&w, r)) {
        return CheckResult::pass(
            Check::ImageMatch,
            reasons::MATCH,
            format!("container image {img} matches {want}"),
        );
    }
    let found: Vec<&str> = same_repo.iter().map(|(i, _)| *i).collect();
    CheckResult::fail(
        Check::ImageMatch,
        reasons::MISMATCH,
        format!(
            "contract image {want}, but the containers run {}",
            found.join(", ")
        ),
    )
}

fn version_matches(want: &OciRef, got: &OciRef) -> bool {
    if let Some(d) = &want.digest {
        return got.digest.as_ref() == Some(d);
    }
    let Some(tag) = &want.tag else { return true };
    match (&got.tag, &got.digest) {
        (Some(t), _) => t == tag,
        (None, Some(_)) => true,
        (None, None) => tag == "latest",
    }
}
