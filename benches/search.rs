//! Search benchmark: index build time, index size, query latency, and the
//! time to re-index one changed report.
//!
//! ```text
//! python3 ../shared/bench/make_corpus.py /tmp/bench/content --count 10000
//! cargo bench --bench search -- /tmp/bench
//! ```
//!
//! The site folder is indexed into `<site>/search-index` (replaced). Queries
//! run one at a time on one thread, each once to warm up and once timed; a
//! query includes facets and snippets for its first 10 hits.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wenku::search::analyzer::{Class, classify};
use wenku::search::indexer::{self, IndexDoc};
use wenku::search::{IndexWriter, SearchIndex, SearchRequest};

/// A small deterministic generator, so every run draws the same queries.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn main() {
    let root = std::env::args().skip(1).find(|a| !a.starts_with('-')).map(PathBuf::from).unwrap_or_else(|| {
        eprintln!("usage: cargo bench --bench search -- SITE_FOLDER");
        std::process::exit(2);
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let site = wenku::build::load(&root, false).unwrap_or_else(|e| panic!("cannot load {}: {e}", root.display()));
    println!(
        "loaded {} reports in {:.2} s ({cores} cores)",
        site.library.reports.len(),
        started.elapsed().as_secs_f64()
    );

    // Index build, from scratch.
    let index_dir = root.join(&site.config.index_dir);
    let _ = std::fs::remove_dir_all(&index_dir);
    let summary = indexer::sync(&index_dir, &site.library, &site.config, &Default::default()).expect("index");
    let index_bytes = folder_size(&index_dir);
    let text_bytes = folder_size(&root.join("content"));
    println!("index build: {:.2} s for {} reports", summary.elapsed.as_secs_f64(), summary.added);
    println!(
        "index size: {:.1} MiB for {:.1} MiB of Markdown ({:.2}x)",
        mib(index_bytes),
        mib(text_bytes),
        index_bytes as f64 / text_bytes as f64
    );

    // Queries drawn from the reports themselves.
    let docs: Vec<IndexDoc> = site.library.reports.iter().map(|r| IndexDoc::from_report(r, &site.config)).collect();
    let mut rng = Lcg(20261123);
    let phrases: Vec<String> = (0..200)
        .map(|_| {
            let len = 2 + rng.below(7);
            format!("\"{}\"", draw(&docs, &mut rng, len))
        })
        .collect();
    let multi: Vec<String> = (0..50)
        .map(|_| {
            let doc = rng.below(docs.len());
            let words = 2 + rng.below(2);
            let mut picked = Vec::new();
            for _ in 0..words {
                let len = 2 + rng.below(3);
                picked.push(draw(&docs[doc..=doc], &mut rng, len));
            }
            picked.join(" ")
        })
        .collect();

    let index = SearchIndex::open(&index_dir).expect("open index");
    report_latency("phrase queries (2-8 characters)", &index, &phrases);
    report_latency("multi-word queries (2-3 words)", &index, &multi);

    // Re-index one changed report through the API watch mode uses: the
    // writer stays open, so an edit costs a delete, an add and a commit.
    let mut writer = IndexWriter::open(&index_dir).expect("writer");
    let mut times = Vec::new();
    for round in 0..10 {
        let mut changed = docs[docs.len() / 2 + round].clone();
        changed.text.push_str(&format!("\n基准测试新增的第{round}段文字。"));
        let started = Instant::now();
        writer.upsert(&changed).expect("upsert");
        writer.commit().expect("commit");
        times.push(started.elapsed());
    }
    index.reload().expect("reload");
    let found = index.search(&SearchRequest::new("\"基准测试新增\"")).expect("search").total;
    times.sort();
    println!(
        "re-index one report (delete + add + commit, writer open): p50 {:.1} ms, max {:.1} ms over 10 edits; found after: {found}",
        ms(times[5]),
        ms(times[9])
    );
    let started = Instant::now();
    writer.finish().expect("finish");
    println!("waiting for the writer's background merges at the end: {:.1} ms", ms(started.elapsed()));
    // The sync a `wenku build` runs after one edit: digests of every report, one update.
    let started = Instant::now();
    let summary = indexer::sync(&index_dir, &site.library, &site.config, &Default::default()).expect("sync");
    println!(
        "build's index sync after one edit: {:.1} ms ({} changed, {} unchanged)",
        ms(started.elapsed()),
        summary.updated,
        summary.unchanged
    );
}

/// A substring of `len` characters starting at a letter, from a random report.
fn draw(docs: &[IndexDoc], rng: &mut Lcg, len: usize) -> String {
    loop {
        let text = &docs[rng.below(docs.len())].text;
        let chars: Vec<char> = text.chars().collect();
        if chars.len() <= len {
            continue;
        }
        let start = rng.below(chars.len() - len);
        let phrase: String = chars[start..start + len].iter().collect();
        if classify(chars[start]) == Class::Cjk && !phrase.contains(['"', '\n']) {
            return phrase;
        }
    }
}

fn report_latency(label: &str, index: &SearchIndex, queries: &[String]) {
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for query in queries {
        let request = SearchRequest::new(query.clone());
        let _ = index.search(&request);
        let started = Instant::now();
        let results = index.search(&request).unwrap_or_else(|e| panic!("{query}: {e}"));
        times.push(started.elapsed());
        hits += results.total;
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{label}: {} queries, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} hits per query on average",
        times.len(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(*times.last().unwrap()),
        hits as f64 / queries.len() as f64
    );
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
