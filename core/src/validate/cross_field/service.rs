//! `service`: version, image and chart references.

use super::refs;
use crate::finding::Finding;
use crate::model::Contract;
use crate::validate::codes;

pub fn check(contract: &Contract, out: &mut Vec<Finding>) {
    let s = &contract.service;
    if !refs::is_version(&s.version) {
        out.push(Finding::error(
            codes::INVALID_SEMVER,
            "service.version",
            format!("service.version \"{}\" is not a semantic version: use MAJOR.MINOR.PATCH, e.g. `version: 1.2.3`", s.version),
        ));
    }
    if let Some(image) = &s.image
        && let Err(e) = refs::parse_image(&image.reference)
    {
        out.push(Finding::error(
            codes::INVALID_IMAGE_REF,
            "service.image.ref",
            format!("image ref \"{}\" is not a valid OCI reference ({e}): use `registry/repository:tag` or `registry/repository@sha256:<digest>`, e.g. `ghcr.io/acme/api:1.2.3`", image.reference),
        ));
    }
    if let Some(chart) = &s.chart {
        if chart.reference.starts_with("oci://")
            && let Err(e) = refs::parse_oci(&chart.reference)
        {
            out.push(Finding::error(
                codes::INVALID_CHART_REF,
                "service.chart.ref",
                format!("chart ref \"{}\" is not a valid OCI reference ({e}): use `oci://registry/repository/chart` or a local chart path", chart.reference),
            ));
        }
        if !refs::is_version(&chart.version) {
            out.push(Finding::error(
                codes::INVALID_CHART_VERSION,
                "service.chart.version",
                format!("chart version \"{}\" is not a semantic version: use the chart's `version` from Chart.yaml, e.g. `version: 0.3.1`", chart.version),
            ));
        }
    }
}
