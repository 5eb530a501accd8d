//! Writes the static search index (`public/_search/`, laid out as
//! `wenku_engine::static_index::format` describes) from the library: the
//! same reports, terms and statistics as the Tantivy index, so that the
//! engine in the browser answers as the server does.
//!
//! Reports are numbered in library order, which a full build and an
//! incremental one share, so the files are the same bytes either way.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::fieldnorm::FieldNormReader;
use wenku_engine::analyzer::{Class, Tokens, classify, for_each_normalized};
use wenku_engine::results::StoredReport;
use wenku_engine::static_index::format::{self, DocRow, Entry, Meta, Stored};

use super::indexer::IndexDoc;
use crate::config::Config;
use crate::content::Library;
use crate::output::Sink;
use crate::render::Output;

/// For IIS: the MIME types of the static index and its engine.
const WEB_CONFIG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".wasm" />
      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
      <remove fileExtension=".bin" />
      <mimeMap fileExtension=".bin" mimeType="application/octet-stream" />
    </staticContent>
  </system.webServer>
</configuration>
"#;

/// The folder under the site's output.
pub const DIR: &str = "_search";
/// Reports tokenized together before their terms join the dictionary.
const CHUNK: usize = 256;
/// A dictionary shard holds about this many bytes.
const SHARD_BYTES: usize = 16 * 1024;
/// Han strings of 3 up to this many characters in at least
/// `phrase_min_docs` reports get their own entry.
const PHRASE_MAX_CHARS: usize = 12;

/// One term's postings and positions, as gathered.
#[derive(Default)]
struct Gathered {
    postings: Vec<(u32, u32)>,
    /// Each report's positions, deltas, one after the other.
    positions: Vec<u8>,
}

/// Writes every file of the static index into `sink`, under [`DIR`].
pub fn write(library: &Library, config: &Config, sink: &dyn Sink) -> Result<()> {
    let t0 = std::time::Instant::now();
    // `WENKU_STATIC_TIMES=1` prints how long each step took, for benchmarks.
    let lap = |what: &str| {
        if std::env::var_os("WENKU_STATIC_TIMES").is_some() {
            eprintln!("static {what}: {:.2?}", t0.elapsed());
        }
    };
    let mut docs: Vec<IndexDoc> = library.reports.par_iter().map(|r| IndexDoc::from_report(r, config)).collect();
    // Numbered oldest first, as the server sorts them: a report's number is
    // its place in date order, and the date needs no column of its own.
    docs.sort_by_key(IndexDoc::sort_value);
    lap("texts");
    let put_packed = |path: String, bytes: Vec<u8>| sink.put(Output { rel_path: format!("{DIR}/{path}"), bytes });
    let put = |path: String, bytes: Vec<u8>| put_packed(path, format::pack(&bytes));

    // Terms with their postings and positions, and each report's length.
    // Gathered by partition of the terms, the partitions in parallel.
    let mut partitions: Vec<FxHashMap<Key, Gathered>> = (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
    let mut lengths: Vec<u32> = Vec::with_capacity(docs.len());
    for (chunk_index, chunk) in docs.chunks(CHUNK).enumerate() {
        let tokenized: Vec<DocTokens> = chunk.par_iter().map(|doc| terms_of(&doc.text)).collect();
        lengths.extend(tokenized.iter().map(|t| t.count));
        partitions.par_iter_mut().enumerate().for_each(|(partition, terms)| {
            for (offset, doc_tokens) in tokenized.iter().enumerate() {
                let doc = (chunk_index * CHUNK + offset) as u32;
                let part = &doc_tokens.tokens[doc_tokens.bounds[partition]..doc_tokens.bounds[partition + 1]];
                // Sorted by term, then position: one run per term.
                for run in part.chunk_by(|a, b| a.1 == b.1) {
                    let slot = match terms.get_mut(&run[0].1) {
                        Some(slot) => slot,
                        None => terms.entry(run[0].1.clone()).or_default(),
                    };
                    slot.postings.push((doc, run.len() as u32));
                    format::put_positions(&mut slot.positions, run.iter().map(|&(_, _, position)| position));
                }
            }
        });
    }
    let terms: FxHashMap<Key, Gathered> = partitions.into_iter().flatten().collect();

    lap("terms");
    // Every report holding a Han character: the one-letter query.
    let mut prefixes: BTreeMap<char, Vec<u32>> = BTreeMap::new();
    for (term, gathered) in &terms {
        if let Some(c) = term.first_char().filter(|&c| classify(c) == Class::Cjk) {
            prefixes.entry(c).or_default().extend(gathered.postings.iter().map(|&(doc, _)| doc));
        }
    }
    let phrase_min_docs = phrase_min_docs(docs.len());
    lap("prefixes");
    // Pairs of Han letters are terms: the frequent ones start the strings.
    let frequent_pairs: FxHashSet<u128> = terms
        .iter()
        .filter(|(_, gathered)| gathered.postings.len() >= phrase_min_docs)
        .filter_map(|(key, _)| match key {
            Key::Packed(packed) => {
                let text = unpack(*packed);
                let mut chars = text.chars();
                let is_pair = matches!((chars.next(), chars.next(), chars.next()), (Some(a), Some(b), None)
                    if classify(a) == Class::Cjk && classify(b) == Class::Cjk);
                is_pair.then_some(*packed)
            }
            Key::Long(_) => None,
        })
        .collect();

    // Terms and prefixes encoded (and their own files written) before the
    // strings are mined, so that the two never take memory at once.
    let mut keys: Vec<(String, Gathered)> = terms.into_iter().map(|(key, gathered)| (key.to_string(), gathered)).collect();
    for (c, mut docs_with) in prefixes {
        docs_with.sort_unstable();
        docs_with.dedup();
        keys.push((format::prefix_key(c), Gathered { postings: docs_with.iter().map(|&d| (d, 1)).collect(), positions: Vec::new() }));
    }
    let mut encoded: Vec<(String, Vec<u8>)> = Vec::new();
    encode_entries(keys, 0, &mut encoded, &put_packed)?;
    lap("term entries");
    let phrases: Vec<(String, Gathered)> = frequent_phrases(&docs, phrase_min_docs, frequent_pairs)
        .into_iter()
        .map(|(phrase, postings)| (format::phrase_key(&phrase), Gathered { postings, positions: Vec::new() }))
        .collect();
    lap("phrases");
    encode_entries(phrases, encoded.len() as u32, &mut encoded, &put_packed)?;
    encoded.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    lap("phrase entries");

    let total: usize = encoded.iter().map(|(_, bytes)| bytes.len()).sum();
    let shards = (total / SHARD_BYTES).max(1).next_power_of_two() as u32;
    let mut shard_files: Vec<Vec<u8>> = vec![Vec::new(); shards as usize];
    for (key, bytes) in encoded {
        shard_files[format::shard_of(&key, shards) as usize].extend_from_slice(&bytes);
    }
    let packed: Vec<Vec<u8>> = shard_files.par_iter().map(|bytes| format::pack(bytes)).collect();
    drop(shard_files);
    for (shard, bytes) in packed.into_iter().enumerate() {
        put_packed(format::shard_path(shard as u32), bytes)?;
    }

    lap("shards");
    // Reports: the table every query reads, and each one's text.
    let values = |of: fn(&IndexDoc) -> &String| -> Vec<String> {
        let mut all: Vec<String> = docs.iter().map(|d| of(d).clone()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let (bodies, levels, periods) = (values(|d| &d.body), values(|d| &d.level), values(|d| &d.period));
    let index_of = |list: &[String], value: &str| list.binary_search_by(|v| v.as_str().cmp(value)).unwrap_or(0) as u16;
    let rows: Vec<DocRow> = docs
        .iter()
        .zip(&lengths)
        .map(|(d, &length)| DocRow {
            year: d.year.clamp(0, i64::from(u16::MAX)) as u16,
            body: index_of(&bodies, &d.body),
            level: index_of(&levels, &d.level),
            period: index_of(&periods, &d.period),
            fieldnorm: FieldNormReader::fieldnorm_to_id(length),
        })
        .collect();
    put("docs.bin".into(), DocRow::encode_all(&rows))?;
    for (chunk_index, chunk) in docs.chunks(CHUNK).enumerate() {
        let packed: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|d| {
                let mut bytes = Vec::with_capacity(d.text.len() + 256);
                format::put_doc(&mut bytes, &stored(d));
                format::pack(&bytes)
            })
            .collect();
        for (offset, bytes) in packed.into_iter().enumerate() {
            put_packed(format::doc_path((chunk_index * CHUNK + offset) as u32), bytes)?;
        }
    }
    let meta = Meta {
        format: format::FORMAT,
        docs: docs.len() as u32,
        total_tokens: lengths.iter().map(|&l| u64::from(l)).sum(),
        fieldnorms: (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect(),
        shards,
        language: config.language.clone(),
        bodies,
        levels,
        periods,
        phrase_min_docs: phrase_min_docs as u32,
        phrase_max_chars: PHRASE_MAX_CHARS as u32,
    };
    put_packed("meta.json".into(), serde_json::to_vec(&meta)?)?;
    // IIS serves no file type it has no MIME type for, and older versions
    // know no `.wasm`: the site says both (removed first, so that a server
    // that does know them does not refuse a duplicate).
    sink.put(Output { rel_path: "web.config".into(), bytes: WEB_CONFIG.as_bytes().to_vec() })?;
    lap("docs");
    Ok(())
}

/// Encodes `keys` (sorted here, so that files are named the same whichever
/// order the work ran in: by `first_id` plus the place in that order) into
/// `encoded`, writing the entries' own files.
fn encode_entries(
    mut keys: Vec<(String, Gathered)>,
    first_id: u32,
    encoded: &mut Vec<(String, Vec<u8>)>,
    put_packed: &dyn Fn(String, Vec<u8>) -> Result<()>,
) -> Result<()> {
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    const BATCH: usize = 4096;
    for (batch_index, batch) in keys.chunks(BATCH).enumerate() {
        let done: Vec<(Vec<u8>, Vec<(String, Vec<u8>)>)> = batch
            .par_iter()
            .enumerate()
            .map(|(offset, (key, gathered))| encode_entry(first_id + (batch_index * BATCH + offset) as u32, key, gathered))
            .collect();
        for ((key, _), (entry_bytes, files)) in batch.iter().zip(done) {
            for (path, packed) in files {
                put_packed(path, packed)?;
            }
            encoded.push((key.clone(), entry_bytes));
        }
    }
    Ok(())
}

/// One dictionary entry's bytes for its shard, and the files it needs of its
/// own (packed): inline when small, else its postings file, and its
/// positions in blocks when they are many.
fn encode_entry(id: u32, key: &str, gathered: &Gathered) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let mut postings = Vec::new();
    format::put_postings(&mut postings, &gathered.postings);
    let df = gathered.postings.len() as u32;
    let mut entry_bytes = Vec::new();
    let mut files = Vec::new();
    if postings.len() + gathered.positions.len() <= format::INLINE_BYTES {
        let stored = Stored::Inline { postings: &postings, positions: &gathered.positions };
        format::put_entry(&mut entry_bytes, &Entry { key, df, stored });
        return (entry_bytes, files);
    }
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
                files.push((format::positions_path(id, firsts.len() - 1), format::pack(&std::mem::take(&mut block))));
            }
        }
        if !block.is_empty() {
            files.push((format::positions_path(id, firsts.len() - 1), format::pack(&block)));
        }
    }
    files.push((format::postings_path(id), format::pack(&file)));
    format::put_entry(&mut entry_bytes, &Entry { key, df, stored: Stored::External { id, firsts } });
    (entry_bytes, files)
}

/// A term as gathered: packed into a number when short (every CJK term),
/// so that gathering tens of millions of them allocates nothing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Packed(u128),
    Long(String),
}

/// Characters per packed key: 21 bits each, plus one so that no packed
/// character is zero.
const PACKED_CHARS: usize = 6;

fn pack(chars: impl Iterator<Item = char>) -> Option<u128> {
    let mut key = 0u128;
    for (i, c) in chars.enumerate() {
        if i == PACKED_CHARS {
            return None;
        }
        key = (key << 21) | (c as u128 + 1);
    }
    Some(key)
}

fn unpack(mut key: u128) -> String {
    let mut chars = Vec::with_capacity(PACKED_CHARS);
    while key != 0 {
        chars.push(char::from_u32((key & 0x1f_ffff) as u32 - 1).expect("packed from a char"));
        key >>= 21;
    }
    chars.iter().rev().collect()
}

impl Key {
    fn of(term: &str) -> Key {
        pack(term.chars()).map_or_else(|| Key::Long(term.to_owned()), Key::Packed)
    }

    /// Which of the [`PARTITIONS`] the term is gathered in.
    fn partition(&self) -> u8 {
        let hash = match self {
            Key::Packed(key) => (*key as u64 ^ (*key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            Key::Long(s) => s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)),
        };
        (hash >> 58) as u8
    }

    fn first_char(&self) -> Option<char> {
        match self {
            Key::Packed(_) => self.to_string().chars().next(),
            Key::Long(s) => s.chars().next(),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Packed(key) => f.write_str(&unpack(*key)),
            Key::Long(s) => f.write_str(s),
        }
    }
}

fn terms_of(text: &str) -> DocTokens {
    let mut tokens = Tokens::new(text);
    let mut term = String::new();
    let mut out = Vec::with_capacity(text.len() / 2);
    while let Some(token) = tokens.next_into(&mut term) {
        let key = Key::of(&term);
        out.push((key.partition(), key, token.position as u32));
    }
    let count = out.len() as u32;
    out.sort_unstable();
    let mut bounds = [0usize; PARTITIONS + 1];
    for (partition, bound) in bounds.iter_mut().enumerate() {
        *bound = out.partition_point(|t| usize::from(t.0) < partition);
    }
    DocTokens { tokens: out, bounds, count }
}

/// Terms gathered in this many groups at once, one thread each.
const PARTITIONS: usize = 64;

/// A report's tokens as (partition, term, position), sorted, where each
/// partition starts, and how many tokens there are (Tantivy's field norm
/// counts every token).
struct DocTokens {
    tokens: Vec<(u8, Key, u32)>,
    bounds: [usize; PARTITIONS + 1],
    count: u32,
}

/// Reports a Han string must be in to get its own entry: a string that
/// common is what a position check would cost the most for.
fn phrase_min_docs(docs: usize) -> usize {
    (docs / 50).max(20)
}

/// Han strings of 3 to [`PHRASE_MAX_CHARS`] characters (within one run of
/// Han letters, as phrases match) in at least `min_docs` reports, with
/// their postings (report, occurrences, overlapping ones counted). Grown a
/// character at a time: a string is only counted where both its shorter
/// halves were frequent, which each run remembers position by position.
fn frequent_phrases(docs: &[IndexDoc], min_docs: usize, pairs: FxHashSet<u128>) -> Vec<(String, Vec<(u32, u32)>)> {
    // Each run of each report, and for each position whether the string of
    // the last length starting there was frequent.
    let mut runs: Vec<Vec<(Vec<char>, Vec<bool>)>> = docs
        .par_iter()
        .map(|d| {
            han_runs(&d.text)
                .into_iter()
                .map(|run| {
                    let marks = (0..run.len()).map(|i| i + 2 <= run.len() && pairs.contains(&window_key(&run[i..i + 2]))).collect();
                    (run, marks)
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for n in 3..=PHRASE_MAX_CHARS {
        // Both halves frequent: the mark at i and at i + 1.
        let allowed = |marks: &[bool], i: usize| marks[i] && marks[i + 1];
        let counts = runs
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut counts: FxHashMap<u128, u32> = FxHashMap::default();
                let mut seen: Vec<u128> = Vec::new();
                for doc_runs in chunk {
                    seen.clear();
                    for (run, marks) in doc_runs {
                        for i in 0..(run.len() + 1).saturating_sub(n) {
                            if allowed(marks, i) {
                                seen.push(window_key(&run[i..i + n]));
                            }
                        }
                    }
                    seen.sort_unstable();
                    seen.dedup();
                    for &key in &seen {
                        *counts.entry(key).or_insert(0) += 1;
                    }
                }
                counts
            })
            .reduce(FxHashMap::default, |mut a, b| {
                for (k, v) in b {
                    *a.entry(k).or_insert(0) += v;
                }
                a
            });
        let next: FxHashSet<u128> =
            counts.into_iter().filter(|&(_, df)| df as usize >= min_docs).map(|(k, _)| k).collect();
        if next.is_empty() {
            break;
        }
        // The frequent ones' postings, report by report, with their text;
        // the marks move on to this length.
        let per_doc: Vec<Vec<(u128, u32, u32, u32)>> = runs
            .par_iter_mut()
            .map(|doc_runs| {
                let mut found: Vec<(u128, u32, u32)> = Vec::new();
                for (run, marks) in doc_runs.iter_mut() {
                    for i in 0..run.len() {
                        let frequent = i + n <= run.len() && allowed(marks, i) && {
                            let key = window_key(&run[i..i + n]);
                            next.contains(&key)
                        };
                        marks[i] = frequent;
                    }
                }
                for (r, (run, marks)) in doc_runs.iter().enumerate() {
                    for i in (0..run.len()).filter(|&i| marks[i]) {
                        found.push((window_key(&run[i..i + n]), r as u32, i as u32));
                    }
                }
                found.sort_unstable();
                found.chunk_by(|a, b| a.0 == b.0).map(|same| (same[0].0, same.len() as u32, same[0].1, same[0].2)).collect()
            })
            .collect();
        let mut postings: FxHashMap<u128, (String, Vec<(u32, u32)>)> = FxHashMap::default();
        for (doc, found) in per_doc.into_iter().enumerate() {
            for (key, count, r, i) in found {
                let text = || runs[doc][r as usize].0[i as usize..i as usize + n].iter().collect();
                postings.entry(key).or_insert_with(|| (text(), Vec::new())).1.push((doc as u32, count));
            }
        }
        out.extend(postings.into_values());
    }
    out
}

/// A string of Han letters as a number: packed exactly up to
/// [`PACKED_CHARS`] characters, beyond that two 64-bit hashes (a collision,
/// about one chance in 2^100 here, would merge two strings' counts).
fn window_key(window: &[char]) -> u128 {
    if let Some(packed) = pack(window.iter().copied()) {
        return packed;
    }
    let hash = |seed: u64, multiplier: u64| {
        window.iter().fold(seed, |h, &c| (h ^ u64::from(c)).wrapping_mul(multiplier).rotate_left(29))
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325, 0x0100_0000_01b3), hash(0x9e37_79b9_7f4a_7c15, 0xff51_afd7_ed55_8ccd));
    // The top bit marks a hash, which no packed string of six letters sets.
    (1u128 << 127) | (u128::from(a) << 63) | u128::from(b >> 1)
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
