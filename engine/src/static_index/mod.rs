//! The static search index: plain files beside the site that the engine,
//! compiled to WebAssembly, searches in the browser without a server.
//! `format` is the files' layout; `search` answers queries from them.

pub mod format;
pub mod search;

pub use search::{StaticIndex, Step};
