//! Writes the static search index (`public/_search/`, laid out as
//! `wenku_engine::static_index::format` describes) from the library: the
//! same reports, terms and statistics as the Tantivy index, so that the
//! engine in the browser answers as the server does.
//!
//! Reports are numbered in library order, which a full build and an
//! incremental one share, so the files are the same bytes either way.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;
use wenku_engine::analyzer::{Class, Tokens, classify, for_each_normalized};
use wenku_engine::results::StoredReport;
use wenku_engine::static_index::format::{self, DocRow, Entry, Meta, Stored};

use super::indexer::IndexDoc;
use crate::config::Config;
use crate::content::Library;
use crate::output::Sink;
use crate::render::Output;

/// The folder under the site's output.
pub const DIR: &str = "_search";
/// Reports tokenized together before their terms join the dictionary.
const CHUNK: usize = 256;
/// A dictionary shard holds about this many bytes.
const SHARD_BYTES: usize = 8 * 1024;
/// Han strings of 3 up to this many characters in at least
/// `phrase_min_docs` reports get their own entry.
const PHRASE_MAX_CHARS: usize = 6;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct StaticSummary {
    pub files: usize,
    pub bytes: u64,
}

/// One term's postings and positions, as gathered.
#[derive(Default)]
struct Gathered {
    postings: Vec<(u32, u32)>,
    /// Each report's positions, deltas, one after the other.
    positions: Vec<u8>,
}

/// Writes every file of the static index into `sink`, under [`DIR`].
pub fn write(library: &Library, config: &Config, sink: &dyn Sink) -> Result<StaticSummary> {
    let docs: Vec<IndexDoc> = library.reports.par_iter().map(|r| IndexDoc::from_report(r, config)).collect();
    let mut summary = StaticSummary::default();
    let mut put = |path: String, bytes: Vec<u8>| -> Result<()> {
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
        sink.put(Output { rel_path: format!("{DIR}/{path}"), bytes })
    };

    // Terms with their postings and positions, and each report's length.
    let mut terms: HashMap<String, Gathered> = HashMap::new();
    let mut lengths: Vec<u32> = Vec::with_capacity(docs.len());
    for (chunk_index, chunk) in docs.chunks(CHUNK).enumerate() {
        let gathered: Vec<(Vec<(String, Vec<u32>)>, u32)> = chunk.par_iter().map(|doc| terms_of(&doc.text)).collect();
        for (offset, (doc_terms, length)) in gathered.into_iter().enumerate() {
            let doc = (chunk_index * CHUNK + offset) as u32;
            lengths.push(length);
            for (term, positions) in doc_terms {
                let slot = terms.entry(term).or_default();
                slot.postings.push((doc, positions.len() as u32));
                format::put_positions(&mut slot.positions, &positions);
            }
        }
    }

    // Every report holding a Han character: the one-letter query.
    let mut prefixes: BTreeMap<char, Vec<u32>> = BTreeMap::new();
    for (term, gathered) in &terms {
        if let Some(c) = term.chars().next().filter(|&c| classify(c) == Class::Cjk) {
            prefixes.entry(c).or_default().extend(gathered.postings.iter().map(|&(doc, _)| doc));
        }
    }
    let phrase_min_docs = phrase_min_docs(docs.len());
    let phrases = frequent_phrases(&docs, phrase_min_docs);

    // Entries in key order, large ones numbered as they come.
    let mut keys: Vec<(String, Gathered)> = terms.into_iter().collect();
    for (c, mut docs_with) in prefixes {
        docs_with.sort_unstable();
        docs_with.dedup();
        keys.push((format::prefix_key(c), Gathered { postings: docs_with.iter().map(|&d| (d, 1)).collect(), positions: Vec::new() }));
    }
    for (phrase, postings) in phrases {
        keys.push((format::phrase_key(&phrase), Gathered { postings, positions: Vec::new() }));
    }
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut encoded: Vec<(String, Vec<u8>)> = Vec::with_capacity(keys.len());
    let mut next_id = 0u32;
    for (key, gathered) in &keys {
        let mut postings = Vec::new();
        format::put_postings(&mut postings, &gathered.postings);
        let df = gathered.postings.len() as u32;
        let mut entry_bytes = Vec::new();
        if postings.len() + gathered.positions.len() <= format::INLINE_BYTES {
            let stored = Stored::Inline { postings: &postings, positions: &gathered.positions };
            format::put_entry(&mut entry_bytes, &Entry { key, df, stored });
        } else {
            let id = next_id;
            next_id += 1;
            let mut firsts = Vec::new();
            let mut file = Vec::new();
            if gathered.positions.len() <= format::BLOCK_BYTES {
                format::put_external(&mut file, &postings, &gathered.positions);
            } else {
                format::put_external(&mut file, &postings, &[]);
                // Blocks of whole reports, each about BLOCK_BYTES.
                let mut reader = format::Reader::new(&gathered.positions);
                let mut block = Vec::new();
                for &(doc, tf) in &gathered.postings {
                    if block.is_empty() {
                        firsts.push(doc);
                    }
                    for _ in 0..tf {
                        let delta = reader.varint().expect("positions were written for every posting");
                        format::put_varint(&mut block, delta);
                    }
                    if block.len() >= format::BLOCK_BYTES {
                        put(format::positions_path(id, firsts.len() - 1), std::mem::take(&mut block))?;
                    }
                }
                if !block.is_empty() {
                    put(format::positions_path(id, firsts.len() - 1), block)?;
                }
            }
            put(format::postings_path(id), file)?;
            format::put_entry(&mut entry_bytes, &Entry { key, df, stored: Stored::External { id, firsts } });
        }
        encoded.push((key.clone(), entry_bytes));
    }
    drop(keys);

    let total: usize = encoded.iter().map(|(_, bytes)| bytes.len()).sum();
    let shards = (total / SHARD_BYTES).max(1).next_power_of_two() as u32;
    let mut shard_files: Vec<Vec<u8>> = vec![Vec::new(); shards as usize];
    for (key, bytes) in encoded {
        shard_files[format::shard_of(&key, shards) as usize].extend_from_slice(&bytes);
    }
    for (shard, bytes) in shard_files.into_iter().enumerate() {
        put(format::shard_path(shard as u32), bytes)?;
    }

    // Reports: the table every query reads, and each one's text.
    let values = |of: fn(&IndexDoc) -> &String| -> Vec<String> {
        let mut all: Vec<String> = docs.iter().map(|d| of(d).clone()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let (bodies, levels, periods) = (values(|d| &d.body), values(|d| &d.level), values(|d| &d.period));
    let index_of = |list: &[String], value: &str| list.binary_search_by(|v| v.as_str().cmp(value)).unwrap_or(0) as u16;
    let mut by_date: Vec<u32> = (0..docs.len() as u32).collect();
    by_date.sort_by_key(|&doc| (docs[doc as usize].sort_value(), doc));
    let mut ranks = vec![0u32; docs.len()];
    for (rank, &doc) in by_date.iter().enumerate() {
        ranks[doc as usize] = rank as u32;
    }
    let mut rows = Vec::with_capacity(docs.len() * format::DOC_ROW_BYTES);
    for (doc, (d, &length)) in docs.iter().zip(&lengths).enumerate() {
        DocRow {
            year: d.year as i32,
            body: index_of(&bodies, &d.body),
            level: index_of(&levels, &d.level),
            period: index_of(&periods, &d.period),
            fieldnorm: FieldNormReader::fieldnorm_to_id(length),
            rank: ranks[doc],
        }
        .encode(&mut rows);
    }
    put("docs.bin".into(), rows)?;
    for (doc, d) in docs.iter().enumerate() {
        let mut bytes = Vec::with_capacity(d.text.len() + 256);
        format::put_doc(&mut bytes, &stored(d));
        put(format::doc_path(doc as u32), bytes)?;
    }
    let meta = Meta {
        format: format::FORMAT,
        docs: docs.len() as u32,
        total_tokens: lengths.iter().map(|&l| u64::from(l)).sum(),
        fieldnorms: (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect(),
        shards,
        bodies,
        levels,
        periods,
        phrase_min_docs: phrase_min_docs as u32,
        phrase_max_chars: PHRASE_MAX_CHARS as u32,
    };
    put("meta.json".into(), serde_json::to_vec(&meta)?)?;
    Ok(summary)
}

/// A report's terms with their positions, sorted by term, and how many
/// tokens it has (Tantivy's field norm counts every token).
fn terms_of(text: &str) -> (Vec<(String, Vec<u32>)>, u32) {
    let mut positions: HashMap<String, Vec<u32>> = HashMap::new();
    let mut tokens = Tokens::new(text);
    let mut term = String::new();
    let mut count = 0u32;
    while let Some(token) = tokens.next_into(&mut term) {
        count += 1;
        match positions.get_mut(term.as_str()) {
            Some(list) => list.push(token.position as u32),
            None => {
                positions.insert(term.clone(), vec![token.position as u32]);
            }
        }
    }
    let mut sorted: Vec<(String, Vec<u32>)> = positions.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (sorted, count)
}

/// Reports a Han string must be in to get its own entry: a string that
/// common is what a position check would cost the most for.
fn phrase_min_docs(docs: usize) -> usize {
    (docs / 50).max(20)
}

/// Han strings of 3 to [`PHRASE_MAX_CHARS`] characters (within one run of
/// Han letters, as phrases match) in at least `min_docs` reports, with
/// their postings (report, occurrences, overlapping ones counted). Grown a
/// character at a time: a string is only counted when both its shorter
/// halves were frequent.
fn frequent_phrases(docs: &[IndexDoc], min_docs: usize) -> Vec<(String, Vec<(u32, u32)>)> {
    let runs: Vec<Vec<Vec<char>>> = docs.par_iter().map(|d| han_runs(&d.text)).collect();
    let mut frequent: std::collections::HashSet<Vec<char>> = std::collections::HashSet::new();
    // Frequent pairs first.
    let pair_docs = count_docs(&runs, 2, &|_| true);
    frequent.extend(pair_docs.into_iter().filter(|(_, n)| *n as usize >= min_docs).map(|(k, _)| k));
    let mut out = Vec::new();
    for n in 3..=PHRASE_MAX_CHARS {
        let previous = &frequent;
        let allowed = |window: &[char]| previous.contains(&window[..n - 1]) && previous.contains(&window[1..]);
        let counts = count_docs(&runs, n, &allowed);
        let next: std::collections::HashSet<Vec<char>> =
            counts.into_iter().filter(|(_, df)| *df as usize >= min_docs).map(|(k, _)| k).collect();
        if next.is_empty() {
            break;
        }
        // Postings of the frequent ones.
        let per_doc: Vec<Vec<(Vec<char>, u32)>> = runs
            .par_iter()
            .map(|doc_runs| {
                let mut counts: HashMap<&[char], u32> = HashMap::new();
                for run in doc_runs {
                    for window in run.windows(n) {
                        if next.contains(window) {
                            *counts.entry(window).or_insert(0) += 1;
                        }
                    }
                }
                counts.into_iter().map(|(k, v)| (k.to_vec(), v)).collect()
            })
            .collect();
        let mut postings: HashMap<Vec<char>, Vec<(u32, u32)>> = HashMap::new();
        for (doc, found) in per_doc.into_iter().enumerate() {
            for (key, count) in found {
                postings.entry(key).or_default().push((doc as u32, count));
            }
        }
        out.extend(postings.into_iter().map(|(k, v)| (k.into_iter().collect::<String>(), v)));
        frequent = next;
    }
    out
}

/// In how many reports each `n`-character window that `allowed` lets
/// through occurs.
fn count_docs(runs: &[Vec<Vec<char>>], n: usize, allowed: &(dyn Fn(&[char]) -> bool + Sync)) -> HashMap<Vec<char>, u32> {
    runs.par_chunks(CHUNK)
        .map(|chunk| {
            let mut counts: HashMap<Vec<char>, u32> = HashMap::new();
            for doc_runs in chunk {
                let mut seen: std::collections::HashSet<&[char]> = std::collections::HashSet::new();
                for run in doc_runs {
                    for window in run.windows(n) {
                        if allowed(window) {
                            seen.insert(window);
                        }
                    }
                }
                for window in seen {
                    *counts.entry(window.to_vec()).or_insert(0) += 1;
                }
            }
            counts
        })
        .reduce(HashMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        })
}

/// The runs of Han letters of `text`, normalized.
fn han_runs(text: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for_each_normalized(text, |n| {
        if n.class == Class::Cjk {
            run.push(n.c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    });
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn stored(doc: &IndexDoc) -> StoredReport {
    StoredReport {
        id: doc.id.clone(),
        title: doc.title.clone(),
        url: doc.url.clone(),
        body: doc.body.clone(),
        level: doc.level.clone(),
        year: doc.year,
        period: doc.period.clone(),
        date: doc.date.clone(),
        text: doc.text.clone(),
        anchors: doc.anchors.clone(),
    }
}
