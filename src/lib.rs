//! wenku (文库): a static-site generator for an institution's reports.
//!
//! The pipeline, one folder a step: `content` loads the config, the reports
//! (a `Library`) and the theme; `analysis` finds what pages show beyond a
//! report (recurring passages, comparisons, formulations); `render` plans
//! and renders every page; `output` writes them atomically; `search`
//! indexes them (Tantivy, and the static index for the browser). `build`
//! runs the steps for the command line; `rebuild` redoes only what an edit
//! affects, for `serve`'s watch mode. `research` answers wording questions
//! over the index; `import` turns legacy files into reports. `shared` holds
//! the small types below them all.

// In pipeline order: each module uses only those above it (a test checks),
// one paragraph each so that rustfmt keeps the order.

/// Below all: problems in two languages, hashes, YAML, the site's files.
pub mod shared;

/// Load: the config, the reports, the theme.
pub mod content;

/// Find: recurring passages, comparisons, formulations.
pub mod analysis;

/// Plan and render every page.
pub mod render;

/// Write: the site swapped in whole; the journal and the lock.
pub mod output;

/// Index: Tantivy and the static index.
pub mod search;

/// Run: a full build.
pub mod build;

/// Run: an edit's rebuild.
pub mod rebuild;

/// Wording research over the index.
pub mod research;

/// A new site.
pub mod init;

/// Legacy files as reports.
pub mod import;

/// HTTP, the APIs, watching.
pub mod serve;

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
    /// modules once, in this file's order, and no other: a module added,
    /// removed, renamed or moved fails here until the picture says so.
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
        let declared: Vec<&str> = include_str!("lib.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
            .collect();
        pictured.retain(|name| *name != "modules");
        assert_eq!(pictured, declared, "README.md's modules against src/lib.rs");
    }

    /// Each module uses only the modules above it in `lib.rs` (the
    /// pipeline's order): no arrow up, no circle. Read from the sources, so
    /// a `crate::` path that points down the list fails here.
    #[test]
    fn modules_use_only_those_above_them() {
        let order: Vec<&str> = include_str!("lib.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
            .collect();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut arrows_up = Vec::new();
        for (rank, module) in order.iter().enumerate() {
            let file = src.join(format!("{module}.rs"));
            let files: Vec<std::path::PathBuf> = if file.is_file() {
                vec![file]
            } else {
                walkdir::WalkDir::new(src.join(module)).into_iter().map(|e| e.unwrap().into_path()).collect()
            };
            for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
                let text = std::fs::read_to_string(path).unwrap();
                for used in used_modules(&text) {
                    if order.iter().position(|m| *m == used).is_some_and(|r| r > rank) {
                        arrows_up.push(format!("{} uses {used}", path.display()));
                    }
                }
            }
        }
        assert!(arrows_up.is_empty(), "modules using modules below them in lib.rs: {arrows_up:#?}");
    }

    /// The top-level modules a source names: `crate::x::…`, and each of
    /// `use crate::{x, y::…}`.
    fn used_modules(text: &str) -> Vec<String> {
        let name = |s: &str| s.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let mut used = Vec::new();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + 7..];
            match rest.strip_prefix('{') {
                Some(group) => {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    used.extend(group.split(',').map(name));
                }
                None => used.push(name(rest)),
            }
        }
        used
    }

    #[test]
    fn used_modules_are_read_from_paths_and_groups() {
        let text = "use crate::content::Library;\nuse crate::{render, search::SearchIndex};\nlet x = crate::output::parent_of(p);";
        assert_eq!(used_modules(text), ["content", "render", "search", "output"]);
    }
}
