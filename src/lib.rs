//! wenku (文库): a static-site generator for an institution's reports.
//!
//! The pipeline: `content` loads reports into a `Library`, `render` turns it
//! into pages, `output` writes them atomically, `search` indexes them.
//! `build` ties the steps together for the command line; `rebuild` redoes
//! only what an edit affects, for `serve`'s watch mode.

pub mod build;
pub mod compare;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod hash;
pub mod import;
pub mod init;
pub mod journal;
pub mod lock;
pub mod markdown;
pub mod output;
pub mod owners;
pub mod passages;
pub mod rebuild;
pub mod render;
pub mod research;
pub mod search;
pub mod serve;
pub mod theme;
pub mod yaml;

/// The one HTML escaper, shared with the search engine's snippets.
pub use wenku_engine::escape;

/// The exit code of a process stopped at a fail point: tests stop a build
/// there as a kill would (no destructor runs), at a known moment instead of
/// a guessed one. Fail points exist only in test builds (the `fail` crate's
/// `failpoints` feature) and are set with `FAILPOINTS=name=return`.
pub const STOPPED_AT_FAIL_POINT: i32 = 86;
