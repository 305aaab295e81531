/// Size limits applied whenever a bundle is read from an untrusted source (a directory
/// on disk, a tarball, an OCI layer). Defaults match the reference implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file, in bytes (default 10 MiB).
    pub max_file_size: u64,
    /// Largest sum of all file sizes, in bytes (default 50 MiB).
    pub max_total_size: u64,
    /// Most entries (files and directories) in one bundle (default 10,000).
    pub max_entries: usize,
}

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
pub const DEFAULT_MAX_TOTAL_SIZE: u64 = 50 * 1024 * 1024;
pub const DEFAULT_MAX_ENTRIES: usize = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_total_size: DEFAULT_MAX_TOTAL_SIZE,
            max_entries: DEFAULT_MAX_ENTRIES,
        }
    }
}
