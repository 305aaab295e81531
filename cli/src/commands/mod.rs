pub mod diff;
pub mod explain;
pub mod graph;
pub mod init;
pub mod pack;
pub mod validate;
