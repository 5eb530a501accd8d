//! Small types and tools every room of the pipeline uses, below all of
//! them: problems worded in two languages (`diagnostics`), hashes, the one
//! YAML reader, the site's files and URLs (`site`), and shared limits.

pub mod as_bytes;
pub mod diagnostics;
pub mod hash;
pub mod limits;
pub mod site;
pub mod yaml;
