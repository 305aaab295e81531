//! Writes stay inside the working directory: a tool path must be relative, without `..`,
//! and no existing part of it may be a symlink leading outside.

use std::path::{Component, Path, PathBuf};

/// The absolute location of `rel` under `root`, or why it is refused.
pub fn confined(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err("an empty path is not allowed".into());
    }
    for c in p.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(format!("{rel}: `..` is not allowed")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "{rel}: absolute paths are not allowed; use a path relative to the working directory"
                ));
            }
        }
    }
    check_existing(root, p)?;
    Ok(root.join(p))
}

/// Every existing prefix of `root/rel` must resolve (symlinks followed) inside `root`
/// (`root` itself is canonical).
pub fn check_existing(root: &Path, rel: &Path) -> Result<(), String> {
    let mut cur = root.to_path_buf();
    for c in rel.components() {
        cur.push(c);
        if std::fs::symlink_metadata(&cur).is_err() {
            break;
        }
        let real = std::fs::canonicalize(&cur).map_err(|e| format!("{}: {e}", rel.display()))?;
        if !real.starts_with(root) {
            return Err(format!(
                "{}: leads outside the working directory",
                rel.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_absolute_parent_and_escaping_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        assert!(confined(&root, "svc").is_ok());
        assert!(confined(&root, "a/b/c.yaml").is_ok());
        assert!(confined(&root, "/etc").is_err());
        assert!(confined(&root, "../x").is_err());
        assert!(confined(&root, "a/../../x").is_err());
        assert!(confined(&root, "").is_err());
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        assert!(confined(&root, "link/pacto.yaml").is_err());
        std::fs::create_dir(root.join("inner")).unwrap();
        std::os::unix::fs::symlink(root.join("inner"), root.join("ok")).unwrap();
        assert!(confined(&root, "ok/pacto.yaml").is_ok());
        std::os::unix::fs::symlink("/", root.join("slash")).unwrap();
        assert!(confined(&root, "slash/tmp").is_err());
    }
}
