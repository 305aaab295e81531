use std::fmt;

/// How a command failed; decides the exit code.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments or flags: exit 2.
    Usage(String),
    /// The command ran and the answer is "no" (invalid contract, BREAKING diff) or an
    /// operation failed: exit 1. The message is printed on stderr.
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Failed(m) => f.write_str(m),
        }
    }
}

impl From<pacto_core::bundle::BundleError> for CliError {
    fn from(e: pacto_core::bundle::BundleError) -> Self {
        CliError::Failed(e.to_string())
    }
}
