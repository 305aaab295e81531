//! File helpers shared by `pacto doc` and its HTML site: write errors that name the path, and the
//! bundle's files on disk (a registry bundle is written to a temp dir first).

use crate::error::CliError;
use crate::load::Loaded;
use std::path::{Path, PathBuf};

pub(crate) fn write_error(path: &Path, e: std::io::Error) -> CliError {
    CliError::Failed(format!("cannot write {}: {e}", path.display()))
}

/// Where the bundle's files are on disk (a registry bundle is written to a temp dir).
pub(crate) fn bundle_dir(
    loaded: &Loaded,
) -> Result<(PathBuf, Option<tempfile::TempDir>), CliError> {
    if loaded.oci.is_none() {
        return Ok((loaded.dir.clone(), None));
    }
    let tmp = tempfile::Builder::new()
        .prefix("pacto-doc-")
        .tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temp dir: {e}")))?;
    for (path, bytes) in loaded.bundle.files() {
        let file = tmp.path().join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        std::fs::write(&file, bytes).map_err(|e| write_error(&file, e))?;
    }
    Ok((tmp.path().to_path_buf(), Some(tmp)))
}
