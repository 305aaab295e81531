//! Finding `pacto-plugin-<name>`: `$PATH` first, then `$XDG_CONFIG_HOME/pacto/plugins/`
//! (default `~/.config/pacto/plugins/`). Nothing else (not the current directory).

use crate::error::CliError;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub const PREFIX: &str = "pacto-plugin-";

/// A plugin name is one plain file-name fragment: letters, digits, `-`, `_`, `.`, not
/// starting with `.` or `-` (so it can never name another directory).
pub fn check_name(name: &str) -> Result<(), CliError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "invalid plugin name {name:?}: use letters, digits, '-', '_' and '.'"
        )))
    }
}

pub fn find(name: &str) -> Result<PathBuf, CliError> {
    check_name(name)?;
    let file = format!("{PREFIX}{name}");
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            // Relative entries (and the empty one, meaning ".") are never searched.
            .filter(|d| d.is_absolute())
            .map(|d| d.join(&file))
            .find(|p| is_executable(p))
    });
    if let Some(p) = from_path {
        return Ok(p);
    }
    if let Some(dir) = config_plugins_dir() {
        let p = dir.join(&file);
        if std::fs::metadata(&p).is_ok_and(|m| !m.is_dir()) {
            return Ok(p);
        }
    }
    Err(CliError::Failed(format!(
        "plugin \"{name}\" not found (looked for {file} in $PATH and ~/.config/pacto/plugins/)"
    )))
}

/// `$XDG_CONFIG_HOME/pacto/plugins`, or `$HOME/.config/pacto/plugins`.
pub fn config_plugins_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("pacto").join("plugins"))
}

fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_fragments() {
        for ok in ["k8s", "schema-infer", "a_b.c", "X1"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "../x", "a/b", ".hidden", "-x", "a b", "é"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
