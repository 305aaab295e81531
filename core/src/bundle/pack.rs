//! Deterministic `tar.gz` packing: the same files always give the same bytes.

use super::Bundle;
use flate2::{Compression, GzBuilder};
use std::collections::BTreeSet;
use std::io::Write;

const DIR_MODE: u32 = 0o755;
const FILE_MODE: u32 = 0o644;

impl Bundle {
    /// Packs the bundle as gzip(tar). Entries are sorted, parent directories are
    /// listed explicitly, and every header has mtime 0, uid/gid 0, empty owner names
    /// and mode 0644/0755, so the digest depends only on paths and contents.
    pub fn to_tar_gz(&self) -> Result<Vec<u8>, std::io::Error> {
        let gz = GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), Compression::default());
        let mut tar = tar::Builder::new(gz);
        tar.mode(tar::HeaderMode::Deterministic);

        for entry in self.entries_with_dirs() {
            match entry {
                Entry::Dir(path) => {
                    let mut h = header(tar::EntryType::Directory, DIR_MODE, 0);
                    tar.append_data(&mut h, format!("{path}/"), std::io::empty())?;
                }
                Entry::File(path, data) => {
                    let mut h = header(tar::EntryType::Regular, FILE_MODE, data.len() as u64);
                    tar.append_data(&mut h, path, data)?;
                }
            }
        }
        let mut gz = tar.into_inner()?;
        gz.flush()?;
        gz.finish()
    }

    /// Files plus every parent directory, in one sorted sequence.
    fn entries_with_dirs(&self) -> Vec<Entry<'_>> {
        let mut dirs = BTreeSet::new();
        for (path, _) in self.files() {
            let mut prefix = path;
            while let Some(idx) = prefix.rfind('/') {
                prefix = &prefix[..idx];
                dirs.insert(prefix.to_string());
            }
        }
        let mut out: Vec<Entry<'_>> = dirs.into_iter().map(Entry::Dir).collect();
        out.extend(self.files().map(|(p, d)| Entry::File(p, d)));
        out.sort_by_key(|a| a.sort_key());
        out
    }
}

enum Entry<'a> {
    Dir(String),
    File(&'a str, &'a [u8]),
}

impl Entry<'_> {
    /// Directories sort as `name/` so they precede their contents.
    fn sort_key(&self) -> String {
        match self {
            Entry::Dir(p) => format!("{p}/"),
            Entry::File(p, _) => (*p).to_string(),
        }
    }
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    // Empty owner names: ignore errors, the fields always fit.
    let _ = h.set_username("");
    let _ = h.set_groupname("");
    h
}
