//! Publishing into an archive that has a static index: random sequences of
//! added, edited, removed and renamed reports, each followed by `wenku
//! build`, must leave a static index (segments and deletions) that answers
//! exactly as a full build from nothing does and as the server does, and
//! whose files never change under their names.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use wenku::search::searcher::{SearchIndex, SearchRequest, SearchResults, Sort};
use wenku_engine::static_index::format::Manifest;

use crate::common::{TestSite, copy_dir};
use crate::static_search::{Scores, Static, assert_same_with};

#[derive(Debug, Clone)]
enum Step {
    /// A new report of three paragraphs (picked from the pool by the
    /// numbers), in a year and of a body (by the numbers).
    Add(Vec<usize>, usize, usize),
    /// A report (by number, among those there are) gains a paragraph.
    Edit(usize, usize),
    Remove(usize),
    /// A report moves to another folder: its id changes.
    Rename(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (proptest::collection::vec(0..10_000usize, 3), 0..30usize, 0..6usize).prop_map(|(p, y, b)| Step::Add(p, y, b)),
        (0..10_000usize, 0..10_000usize).prop_map(|(r, p)| Step::Edit(r, p)),
        (0..10_000usize).prop_map(Step::Remove),
        (0..10_000usize).prop_map(Step::Rename),
    ]
}

const BODIES: [&str; 6] = [
    "某省人民政府办公厅",
    "某市发展和改革委员会",
    "某市生态环境局",
    "某区人大常委会党组",
    "区委直属机关工委",
    "某县农业农村局",
];

/// The sample archive and 60 reports made of its paragraphs: enough that
/// common strings have their own entries (in 20 reports or more).
fn archive() -> (TestSite, Vec<String>) {
    let site = TestSite::sample();
    let mut pool = Vec::new();
    for entry in walkdir::WalkDir::new(site.root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let body = text.splitn(3, "---").nth(2).unwrap_or("").to_owned();
            pool.extend(
                body.split("\n\n")
                    .map(str::trim)
                    .filter(|p| p.chars().count() > 20 && !p.starts_with('#'))
                    .map(String::from),
            );
        }
    }
    assert!(pool.len() > 50, "the sample has paragraphs enough");
    for n in 0..60 {
        let paragraphs: Vec<&str> = (0..4).map(|k| pool[(n * 7 + k * 13) % pool.len()].as_str()).collect();
        write_report(&site, &format!("content/made/r{n}.md"), 2000 + n % 25, BODIES[n % 6], &paragraphs);
    }
    (site, pool)
}

fn write_report(site: &TestSite, rel: &str, year: usize, body: &str, paragraphs: &[&str]) {
    site.write(
        rel,
        format!(
            "---\ntitle: 报告{year}{body}\nbody: {body}\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n{}\n",
            paragraphs.join("\n\n")
        ),
    );
}

fn reports(site: &TestSite) -> Vec<std::path::PathBuf> {
    let mut all: Vec<_> = walkdir::WalkDir::new(site.root().join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    all.sort();
    all
}

fn apply(site: &TestSite, pool: &[String], step: &Step, added: &mut usize) {
    let all = reports(site);
    match step {
        Step::Add(paragraphs, year, body) => {
            *added += 1;
            let paragraphs: Vec<&str> = paragraphs.iter().map(|p| pool[p % pool.len()].as_str()).collect();
            write_report(site, &format!("content/new/a{added}.md"), 2000 + year, BODIES[*body], &paragraphs);
        }
        Step::Edit(report, paragraph) => {
            let path = &all[report % all.len()];
            let text = std::fs::read_to_string(path).unwrap();
            std::fs::write(path, format!("{text}\n\n{}\n", pool[paragraph % pool.len()])).unwrap();
        }
        Step::Remove(report) => std::fs::remove_file(&all[report % all.len()]).unwrap(),
        Step::Rename(report) => {
            let from = &all[report % all.len()];
            let to =
                site.root().join("content/moved").join(format!("m{}", from.file_name().unwrap().to_string_lossy()));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            // A name taken already: the report goes under another.
            let to = if to.exists() {
                to.with_file_name(format!("n{}", to.file_name().unwrap().to_string_lossy()))
            } else {
                to
            };
            std::fs::rename(from, to).unwrap();
        }
    }
}

/// Phrases from the pool's text (whole paragraphs' pieces of 2 to 12
/// characters), gap queries, and filters.
fn queries(pool: &[String], seed: usize) -> Vec<String> {
    let mut queries: Vec<String> = [
        "发展",
        "坚持",
        "生态环境",
        "year:2020..2023",
        "body:某市生态环境局",
        "改革 -开放",
        "坚持*发展",
        "工作{0,4}推进",
    ]
    .map(String::from)
    .to_vec();
    for k in 0..24 {
        let chars: Vec<char> = pool[(seed + k * 31) % pool.len()].chars().filter(|c| !"\"*{}-#".contains(*c)).collect();
        let len = 2 + (seed + k) % 11;
        let start = (seed * 17 + k * 5) % chars.len().saturating_sub(len).max(1);
        let phrase: String = chars[start..(start + len).min(chars.len())].iter().collect();
        if !phrase.trim().is_empty() {
            queries.push(format!("\"{}\"", phrase.trim()));
        }
    }
    queries
}

/// Every `_search/` file but the manifest, with its bytes.
fn search_files(public: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = public.join("_search");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() != "manifest.json")
        .map(|e| {
            (e.path().strip_prefix(&dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn manifest(public: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(public.join("_search/manifest.json")).unwrap()).unwrap()
}

/// The same answer, scores and all, from the published index and from a
/// full build's.
fn same_answers(published: &mut Static, fresh: &mut Static, query: &str, context: &str) {
    for sort in [Sort::Relevance, Sort::Oldest, Sort::Newest] {
        let request = SearchRequest { query: query.to_owned(), sort, page: 1, per_page: 50 };
        let (a, b) = (published.search(&request), fresh.search(&request));
        published.clear();
        fresh.clear();
        let context = format!("{context}: {query:?} by {sort:?}");
        let (a, b): (SearchResults, SearchResults) = match (a, b) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{context}");
                continue;
            }
            (a, b) => panic!("{context}: published {:?}, fresh {:?}", a.map(|r| r.total), b.map(|r| r.total)),
        };
        assert_eq!(a.total, b.total, "{context}: total");
        assert_eq!(a.facets, b.facets, "{context}: facets");
        let hits = |r: &SearchResults| r.hits.iter().map(|h| (h.id.clone(), h.score)).collect::<Vec<_>>();
        assert_eq!(hits(&a), hits(&b), "{context}: hits, in order, with their scores");
    }
}

fn check_publish_sequence(steps: &[Step]) {
    let (site, pool) = archive();
    site.build();
    let mut files = search_files(&site.public());
    let mut added = 0;
    for (n, step) in steps.iter().enumerate() {
        let before = manifest(&site.public());
        let before_bytes = std::fs::read(site.public().join("_search/manifest.json")).unwrap();
        apply(&site, &pool, step, &mut added);
        site.build();
        let context = format!("after step {n} ({step:?}) of {steps:?}");

        // Cache-safe: no file changed under its name; the manifest before
        // still finds every segment it names.
        let now = search_files(&site.public());
        for (name, bytes) in &now {
            if let Some(old) = files.get(name) {
                assert!(old == bytes, "{context}: _search/{name} changed under its name");
            }
        }
        for segment in &before.segments {
            assert!(
                now.contains_key(&format!("{}/docs.bin", segment.id)),
                "{context}: {} is gone too soon",
                segment.id
            );
        }
        // A page that read the manifest before still finds every file it
        // asks for (the harness fails on a missing one).
        let mut stale_page = Static::open_as_before(&site.public(), &before_bytes);
        for query in ["发展", "\"生态环境\"", "坚持*发展"] {
            let request = SearchRequest { query: query.to_owned(), sort: Sort::Relevance, page: 1, per_page: 50 };
            stale_page.search(&request).unwrap_or_else(|e| panic!("{context}: the manifest before, {query}: {e}"));
        }
        files.extend(now);

        // The same answers as a full build from nothing, and as the server.
        let fresh = TestSite::new();
        copy_dir(&site.root().join("content"), &fresh.root().join("content"));
        std::fs::copy(site.root().join("wenku.yaml"), fresh.root().join("wenku.yaml")).unwrap();
        fresh.build();
        let mut published = Static::open(&site.public());
        let mut full = Static::open(&fresh.public());
        let server = SearchIndex::open(&site.root().join("search-index")).expect("the server's index");
        for query in queries(&pool, n) {
            same_answers(&mut published, &mut full, &query, &context);
            assert_same_with(&server, &mut published, &query, Scores::ServerCountsDeleted);
            published.clear();
        }
    }
    let segments = manifest(&site.public()).segments.len();
    assert!(segments <= 10, "the segments stay few: {segments}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    #[ignore = "slow: a property test of many builds (CI runs it with --include-ignored)"]
    fn publishes_answer_as_a_full_build_and_as_the_server(steps in proptest::collection::vec(step(), 6)) {
        check_publish_sequence(&steps);
    }
}

/// One report into an archive: a segment of its own, the rest kept as it
/// was (the same files, hard links of the site before).
#[test]
fn publishing_one_report_writes_one_small_segment_and_keeps_the_rest() {
    let (site, pool) = archive();
    site.build();
    let first = manifest(&site.public());
    assert_eq!(first.segments.len(), 1, "a build from nothing writes one segment");
    let before = search_files(&site.public());
    write_report(&site, "content/new/one.md", 2024, BODIES[0], &[pool[0].as_str()]);
    site.build();
    let second = manifest(&site.public());
    assert_eq!(second.segments.len(), 2, "{second:?}");
    assert_eq!(second.segments[0], first.segments[0], "the segment written before is kept as it was");
    assert_eq!(second.segments[1].docs, 1);
    let after = search_files(&site.public());
    let new: Vec<&String> = after.keys().filter(|name| !before.contains_key(*name)).collect();
    assert!(
        new.iter().all(|name| name.starts_with(&second.segments[1].id)),
        "only the new segment's files are new: {new:?}"
    );
    // Removing it deletes it where it is: no new segment.
    std::fs::remove_file(site.root().join("content/new/one.md")).unwrap();
    site.build();
    let third = manifest(&site.public());
    assert_eq!(third.segments, first.segments, "its segment, now empty, is dropped");
}
