//! `SiteTest`: a site driven step by step as a user drives `wenku serve`:
//! build, look at a page, change a file (the change goes through the
//! incremental rebuild, as a watched edit does), and check that the result
//! equals a clean full build of the same files, output and search alike.
//!
//! ```ignore
//! SiteTest::fixture("minimal").build()
//!     .check_page("/2021/a/", "坚持")
//!     .change_file("content/2021/a.md", "…")
//!     .same_as_full_build();
//! ```

use std::path::{Path, PathBuf};

use wenku::build::BuildOptions;
use wenku::rebuild::{Changes, LiveSite};
use wenku::search::{SearchIndex, SearchRequest, Sort};

pub use super::snapshot;
use super::{TestSite, copy_dir, page_file};

/// Phrases the search results are compared on (with a year range and the
/// paragraph edits add), besides the output folder.
pub const PHRASES: [&str; 4] = ["打通供应链", "疫情防控", "营商环境持续优化", "新增5G基站"];

pub struct SiteTest {
    pub site: TestSite,
    live: Option<LiveSite>,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> SiteTest {
        SiteTest { site: TestSite::fixture(name), live: None }
    }

    /// An empty site folder, for files written by the test.
    pub fn empty() -> SiteTest {
        SiteTest { site: TestSite::new(), live: None }
    }

    /// Writes a file before the first build.
    pub fn with_file(self, rel: &str, text: &str) -> SiteTest {
        self.site.write(rel, text);
        self
    }

    /// A full build, kept in memory for the rebuilds after each change.
    pub fn build(mut self) -> SiteTest {
        self.live = Some(LiveSite::build(options(self.site.root())).expect("the site builds"));
        self
    }

    fn live(&mut self) -> &mut LiveSite {
        self.live.as_mut().expect("build() first")
    }

    /// The page at `url` contains `expected`.
    pub fn check_page(self, url: &str, expected: &str) -> SiteTest {
        let page = self.site.page(url);
        assert!(page.contains(expected), "{url} should contain {expected:?}:\n{page}");
        self
    }

    /// The page at `url` does not contain `unexpected`.
    pub fn check_page_lacks(self, url: &str, unexpected: &str) -> SiteTest {
        let page = self.site.page(url);
        assert!(!page.contains(unexpected), "{url} should not contain {unexpected:?}:\n{page}");
        self
    }

    /// The site has no page at `url`.
    pub fn check_no_page(self, url: &str) -> SiteTest {
        let file = page_file(&self.site.public(), url);
        assert!(!file.exists(), "{url} should not exist, but {} does", file.display());
        self
    }

    /// Writes a file and rebuilds what it affects, as watch mode does.
    pub fn change_file(mut self, rel: &str, text: &str) -> SiteTest {
        self.site.write(rel, text);
        self.rebuild(rel)
    }

    /// Removes a file and rebuilds what it affects, as watch mode does.
    pub fn remove_file(mut self, rel: &str) -> SiteTest {
        std::fs::remove_file(self.site.root().join(rel)).expect("the file exists");
        self.rebuild(rel)
    }

    fn rebuild(&mut self, rel: &str) -> SiteTest {
        let path = self.site.root().join(rel);
        let live = self.live();
        let changes = changes_for(live, &[path]);
        live.apply(changes).unwrap_or_else(|e| panic!("rebuilding after {rel}: {e:?}"));
        SiteTest { site: std::mem::replace(&mut self.site, TestSite::new()), live: self.live.take() }
    }

    /// The output folder and the search results equal a clean full build's.
    pub fn same_as_full_build(mut self) -> SiteTest {
        assert_same_as_full_build(self.live(), "the changes");
        self
    }
}

pub fn changes_for(live: &LiveSite, paths: &[PathBuf]) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        wenku::serve::events::add(&mut changes, live.root(), &live.site.config, path);
    }
    changes
}

/// What the user sees of a search, minus timing (and scores, which Tantivy
/// computes from term statistics that still count deleted documents until
/// segments merge).
pub fn search_view(index_dir: &Path) -> Vec<serde_json::Value> {
    let index = SearchIndex::open(index_dir).expect("index opens");
    let mut queries: Vec<String> = PHRASES.iter().map(|p| format!("\"{p}\"")).collect();
    queries.push("year:2018..2030".into());
    queries.push("新增段落".into());
    queries
        .iter()
        .map(|q| {
            let mut request = SearchRequest::new(q.as_str());
            request.sort = Sort::Newest;
            request.per_page = 100;
            let mut value = serde_json::to_value(index.search(&request).expect("query runs")).unwrap();
            value.as_object_mut().unwrap().remove("took_ms");
            for hit in value["hits"].as_array_mut().unwrap() {
                hit.as_object_mut().unwrap().remove("score");
            }
            value
        })
        .collect()
}

/// What the static index answers (scores included) to the compared
/// queries, by relevance and newest first; nothing without one.
pub fn static_view(public: &Path) -> Vec<String> {
    if !public.join("_search").is_dir() {
        return Vec::new();
    }
    let mut engine = crate::static_search::Static::open(public);
    let mut queries: Vec<String> = PHRASES.iter().map(|p| format!("\"{p}\"")).collect();
    queries.extend(["year:2018..2030", "新增段落", "发展", "坚持*发展"].map(String::from));
    let mut answers = Vec::new();
    for query in queries {
        for sort in [Sort::Relevance, Sort::Newest] {
            let request = SearchRequest { query: query.clone(), sort, page: 1, per_page: 100 };
            let answer = engine.search(&request).map(|mut results| {
                results.took_ms = 0.0;
                serde_json::to_string(&results).unwrap()
            });
            answers.push(format!("{query} {sort:?}: {answer:?}"));
            engine.clear();
        }
    }
    answers
}

pub fn full_build_of(root: &Path) -> TestSite {
    let clean = TestSite::new();
    copy_dir(&root.join("content"), &clean.root().join("content"));
    if root.join("wenku.yaml").is_file() {
        std::fs::copy(root.join("wenku.yaml"), clean.root().join("wenku.yaml")).unwrap();
    }
    for folder in ["templates", "static"] {
        if root.join(folder).is_dir() {
            copy_dir(&root.join(folder), &clean.root().join(folder));
        }
    }
    wenku::rebuild::build(&options(clean.root())).expect("the full build succeeds");
    clean
}

pub fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), output: None, drafts: false, progress: false }
}

pub fn assert_same_as_full_build(live: &mut LiveSite, step: &str) {
    // Watch mode finds the overview again and remakes the static search
    // index when edits pause.
    if live.overview_is_stale() {
        let found = live.remake_overview(&std::sync::atomic::AtomicBool::new(false));
        let found = found.expect("the overview is found again").expect("not cancelled");
        live.overview_remade(found).expect("kept");
    }
    if live.static_index_is_stale() {
        let made = live.remake_static_index(&std::sync::atomic::AtomicBool::new(false));
        assert!(made.expect("the static search index is remade"), "not cancelled");
    }
    assert_built_as_from_nothing(live.root(), &live.output, &live.index_dir, step);
}

/// The output folder and the search index of the site at `root` are those
/// of a full build of its files into a new folder.
pub fn assert_built_as_from_nothing(root: &Path, output: &Path, index_dir: &Path, step: &str) {
    let clean = full_build_of(root);
    // The static index is compared by its answers: a publish writes
    // segments where a build from nothing writes one.
    let outside_index = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files.into_iter().filter(|(name, _)| !name.starts_with("_search/")).collect()
    };
    let incremental = outside_index(snapshot(output));
    let full = outside_index(snapshot(&clean.public()));
    assert_eq!(static_view(output), static_view(&clean.public()), "after {step}: the static index's answers");
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&incremental), names(&full), "after {step}: the same files");
    for ((name, a), (_, b)) in incremental.iter().zip(&full) {
        assert!(a == b, "after {step}: {name} differs from a full build");
    }
    let (incremental, full) = (search_view(index_dir), search_view(&clean.root().join("search-index")));
    for (a, b) in incremental.iter().zip(&full) {
        let ids =
            |v: &serde_json::Value| v["hits"].as_array().unwrap().iter().map(|h| h["id"].clone()).collect::<Vec<_>>();
        assert_eq!(ids(a), ids(b), "after {step}: the same hits for {}", a["query"]);
        assert!(a == b, "after {step}: the same results for {}:\n{a}\n{b}", a["query"]);
    }
}
