//! Writing a plugin's answer. Every path is checked before anything is written: relative,
//! no `..`, not empty or `.`, no NUL, no duplicate, no file where another needs a
//! directory, and no symlink (or non-directory) already inside the output directory on the
//! way. Files are then staged in a sibling directory and renamed into place, so a refused
//! answer writes nothing at all.

use super::ResponseFile;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Why an answer was refused (the caller prefixes the plugin name).
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// The checked relative path of one file: plain components only (`./` pieces dropped).
pub fn check_path(path: &str) -> Result<PathBuf, Refused> {
    let bad = |why: &str| Err(Refused(format!("file path {path:?} {why}")));
    if path.contains('\0') {
        return bad("contains a NUL byte");
    }
    if path.starts_with('/') {
        return bad("is absolute");
    }
    let mut out = PathBuf::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(p) if p.len() > 255 => return bad("has a component over 255 bytes"),
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => return bad("contains a '..' component"),
            Component::RootDir | Component::Prefix(_) => return bad("is absolute"),
        }
    }
    if out.as_os_str().is_empty() {
        return bad("is empty or names the output directory itself");
    }
    if path.len() > 4096 {
        return bad("is longer than 4096 bytes");
    }
    Ok(out)
}

/// Checks every file of the answer against each other and against what is already in
/// `out_dir`; returns the relative paths in answer order.
pub fn check_all(out_dir: &Path, files: &[ResponseFile]) -> Result<Vec<PathBuf>, Refused> {
    let mut rels = Vec::with_capacity(files.len());
    let mut seen = BTreeSet::new();
    for f in files {
        let rel = check_path(&f.path)?;
        if !seen.insert(rel.clone()) {
            return Err(Refused(format!("file path {:?} appears twice", f.path)));
        }
        rels.push(rel);
    }
    // A file may not also be a directory of another file.
    for rel in &rels {
        for anc in rel.ancestors().skip(1) {
            if !anc.as_os_str().is_empty() && seen.contains(anc) {
                return Err(Refused(format!(
                    "file path {:?} is both a file and a directory",
                    anc.display().to_string()
                )));
            }
        }
    }
    for rel in &rels {
        check_on_disk(out_dir, rel)?;
    }
    Ok(rels)
}

/// Nothing on the way inside `out_dir` is a symlink, the parents are directories, and the
/// file itself (if present) is a regular file that will be replaced.
fn check_on_disk(out_dir: &Path, rel: &Path) -> Result<(), Refused> {
    let parts: Vec<_> = rel.components().collect();
    let mut cur = out_dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        cur.push(part);
        let last = i + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&cur) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(Refused(format!("cannot inspect {}: {e}", cur.display())));
            }
        };
        let shown = rel.display();
        if meta.file_type().is_symlink() {
            return Err(Refused(format!(
                "file path {:?} goes through the symlink {} (symlinks inside the output directory are never followed)",
                shown.to_string(),
                cur.display()
            )));
        }
        if last && !meta.is_file() {
            return Err(Refused(format!(
                "file path {:?}: {} exists and is not a regular file",
                shown.to_string(),
                cur.display()
            )));
        }
        if !last && !meta.is_dir() {
            return Err(Refused(format!(
                "file path {:?}: {} exists and is not a directory",
                shown.to_string(),
                cur.display()
            )));
        }
    }
    Ok(())
}

/// Writes checked files: staged in a sibling of `out_dir`, then moved in. The staging
/// directory is removed whatever happens.
pub fn write_all(
    out_dir: &Path,
    files: &[ResponseFile],
    rels: &[PathBuf],
) -> Result<(), std::io::Error> {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new()
        .prefix(".pacto-generate-")
        .tempdir_in(parent)?;
    for (i, f) in files.iter().enumerate() {
        let p = staging.path().join(i.to_string());
        std::fs::write(&p, f.content.as_bytes())?;
    }
    for (i, rel) in rels.iter().enumerate() {
        // Re-checked right before the move: a directory is created only as a real one.
        check_on_disk(out_dir, rel).map_err(|r| std::io::Error::other(r.0))?;
        let target = out_dir.join(rel);
        if let Some(dir) = target.parent() {
            create_dirs(out_dir, dir)?;
        }
        std::fs::rename(staging.path().join(i.to_string()), &target)?;
    }
    Ok(())
}

/// Creates `dir` (inside `base`) one component at a time, refusing a symlink on the way.
fn create_dirs(base: &Path, dir: &Path) -> Result<(), std::io::Error> {
    let rel = dir.strip_prefix(base).unwrap_or(Path::new(""));
    let mut cur = base.to_path_buf();
    for part in rel.components() {
        cur.push(part);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() && !m.file_type().is_symlink() => {}
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{} is not a directory",
                    cur.display()
                )));
            }
            Err(_) => std::fs::create_dir(&cur)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> ResponseFile {
        ResponseFile {
            path: path.into(),
            content: "x".into(),
        }
    }

    #[test]
    fn paths_must_be_plain_and_relative() {
        assert_eq!(check_path("a/b.txt").ok(), Some(PathBuf::from("a/b.txt")));
        assert_eq!(check_path("./a//b").ok(), Some(PathBuf::from("a/b")));
        for bad in ["", ".", "./", "/etc/x", "../x", "a/../../x", "a/..", "a\0b"] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_path(&"x".repeat(256)).is_err());
        assert!(check_path(&"x/".repeat(2100)).is_err());
    }

    #[test]
    fn answers_are_checked_as_a_whole() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = tmp.path().join("out");
        assert!(check_all(&out, &[file("a"), file("b/c")]).is_ok());
        assert!(check_all(&out, &[file("a"), file("./a")]).is_err());
        assert!(check_all(&out, &[file("a"), file("a/b")]).is_err());
        std::fs::create_dir_all(out.join("d")).unwrap_or_else(|e| panic!("{e}"));
        assert!(check_all(&out, &[file("d")]).is_err());
        std::os::unix::fs::symlink(tmp.path(), out.join("link")).unwrap_or_else(|e| panic!("{e}"));
        let err = check_all(&out, &[file("ok"), file("link/evil")]).err();
        assert!(err.is_some_and(|r| r.0.contains("symlink")));
        // A symlink as the file itself is refused too (never replaced, never followed).
        std::fs::write(tmp.path().join("victim"), "v").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(tmp.path().join("victim"), out.join("f"))
            .unwrap_or_else(|e| panic!("{e}"));
        let err = check_all(&out, &[file("f")]).err();
        assert!(err.is_some_and(|r| r.0.contains("symlink")));
        let rels = check_all(&out, &[file("d/e/f"), file("g")]).unwrap_or_default();
        write_all(&out, &[file("d/e/f"), file("g")], &rels).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.join("d/e/f").is_file() && out.join("g").is_file());
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".pacto-generate")
            })
            .collect();
        assert!(left.is_empty());
    }
}
