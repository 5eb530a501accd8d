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

#[cfg(test)]
mod tests {
    /// The README's picture of the modules names each of this file's
    /// modules once, and no other: a module added, removed or renamed
    /// fails here until the picture says so.
    #[test]
    fn the_readme_pictures_every_module() {
        let readme = include_str!("../README.md");
        let picture = readme
            .split("<!-- modules: begin -->")
            .nth(1)
            .and_then(|rest| rest.split("<!-- modules: end -->").next())
            .expect("the README has the modules' picture between its markers");
        let mut pictured: Vec<&str> = picture
            .lines()
            .filter_map(|line| line.split('│').nth(1))
            .filter(|modules| !modules.contains('('))
            .flat_map(|modules| modules.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect();
        let mut declared: Vec<&str> = include_str!("lib.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
            .collect();
        pictured.retain(|name| *name != "modules");
        pictured.sort_unstable();
        declared.sort_unstable();
        assert_eq!(pictured, declared, "README.md's modules against src/lib.rs");
    }
}
