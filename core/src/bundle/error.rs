use std::path::PathBuf;

/// Why a bundle could not be read. Every variant names the offending path.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("failed to access {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
    #[error("no pacto.yaml found in {0}: a bundle needs pacto.yaml at its root")]
    MissingContract(String),
    #[error("{0}: symbolic links are not allowed in a bundle (copy the file instead)")]
    Symlink(String),
    #[error("{0}: hard links are not allowed in a bundle")]
    HardLink(String),
    #[error(
        "{path}: {kind} entries are not allowed in a bundle (only regular files and directories)"
    )]
    SpecialFile { path: String, kind: String },
    #[error("{0}: unsafe path (absolute, `..`, or empty segment) rejected")]
    UnsafePath(String),
    #[error("{0}: file name is not valid UTF-8")]
    NonUtf8Path(String),
    #[error("{path}: file is {size} bytes, over the per-file limit of {limit} bytes")]
    FileTooLarge { path: String, size: u64, limit: u64 },
    #[error("bundle content exceeds the total size limit of {limit} bytes")]
    TotalTooLarge { limit: u64 },
    #[error("bundle has more than {limit} entries")]
    TooManyEntries { limit: usize },
    #[error("{0}: the path appears twice in the archive")]
    DuplicateEntry(String),
    #[error("pacto.yaml cannot be excluded by .pactoignore")]
    ContractIgnored,
    #[error("invalid .pactoignore: {0}")]
    IgnoreFile(String),
    #[error("not a valid gzip-compressed tar archive: {0}")]
    Archive(String),
}

impl BundleError {
    /// Low-cardinality label for metrics.
    pub fn category(&self) -> &'static str {
        match self {
            Self::Io { .. } | Self::NotADirectory(_) => "io",
            Self::MissingContract(_) | Self::ContractIgnored => "missing_contract",
            Self::Symlink(_) | Self::HardLink(_) | Self::SpecialFile { .. } => "forbidden_entry",
            Self::UnsafePath(_) | Self::NonUtf8Path(_) | Self::DuplicateEntry(_) => "unsafe_path",
            Self::FileTooLarge { .. }
            | Self::TotalTooLarge { .. }
            | Self::TooManyEntries { .. } => "limit_exceeded",
            Self::IgnoreFile(_) => "ignore_file",
            Self::Archive(_) => "archive",
        }
    }
}
