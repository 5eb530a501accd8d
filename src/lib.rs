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
pub mod escape;
pub mod hash;
pub mod import;
pub mod init;
pub mod markdown;
pub mod output;
pub mod owners;
pub mod passages;
pub mod rebuild;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
pub mod yaml;
