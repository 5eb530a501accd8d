//! Writes the static search index (`public/_search/`, laid out as
//! `wenku_engine::static_index::format` describes) from the library: the
//! same reports, terms and statistics as the Tantivy index, so that the
//! engine in the browser answers as the server does.
//!
//! The index is a set of segments (`publish` decides what a build writes);
//! this module writes one: its reports numbered in date order.

mod keys;
mod phrases;
mod profile;
mod publish;
mod runs;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use tantivy::fieldnorm::FieldNormReader;
use wenku_engine::analyzer::{Class, Tokens, classify, is_separator_term};
use wenku_engine::pattern::SENTENCE_ENDS;
use wenku_engine::results::StoredReport;
use wenku_engine::static_index::format::{self, DocRow, Entry, SegmentMeta, Stored};

use super::indexer::IndexDoc;
use crate::analysis::words::SharedCuts;
use crate::content::Library;
use crate::content::config::Config;
use crate::output::Sink;
use crate::shared::site::Output;
use keys::{Key, PARTITIONS};
use runs::Gathered;

use publish::{DocState, Written};
pub use publish::{publish_into, read_manifest, write};

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
/// Reports tokenized together before their terms are gathered.
const CHUNK: usize = 128;
/// A dictionary shard holds about this many bytes.
const SHARD_BYTES: usize = 16 * 1024;

/// How many shards a dictionary of `bytes` gets in a segment of `docs`
/// reports: about [`SHARD_BYTES`] each in a large segment, less in a small
/// one, whose shard every query reads beside the large one's (a thousand
/// files are nothing to a small segment; bytes per query are).
fn shard_count(bytes: usize, docs: usize) -> u32 {
    let target = (SHARD_BYTES * docs / 2000).clamp(1024, SHARD_BYTES);
    (bytes / target).max(1).next_power_of_two() as u32
}

/// Writes one segment of the static index into `sink`, under
/// `{DIR}/{id}/`: the reports `outlines` names (sorted by date order), with
/// their places among each of `older`'s reports (its id and its reports'
/// date-order values). Memory stays bounded whatever the archive's size:
/// terms are gathered in sorted runs under `scratch` (a folder on the
/// output's disk) and merged.
///
/// `cancel` stops it early with [`Cancelled`] (watch mode, when another edit
/// comes in).
#[allow(clippy::too_many_arguments)]
fn write_segment(
    library: &Library,
    config: &Config,
    outlines: &[(IndexDoc, usize)],
    id: &str,
    older: &[(String, Vec<u64>)],
    sink: &dyn Sink,
    scratch: &Path,
    cuts: &SharedCuts,
    cancel: &AtomicBool,
) -> Result<Written> {
    let profile = profile::Profile::start();
    let scratch = scratch_folder(scratch)?;
    let segment = SegmentWriter { library, config, outlines, id, sink, scratch: scratch.path(), cuts, cancel };
    let texts = segment.texts_and_terms()?;
    profile.lap("texts and terms");
    let phrase_min_docs = phrases::phrase_min_docs(outlines.len());
    let (mut dictionaries, frequent_pairs) = segment.term_entries(texts.terms, phrase_min_docs)?;
    profile.lap("term entries");
    let strings = segment.frequent_strings(texts.han_text, phrase_min_docs, &frequent_pairs)?;
    profile.lap("strings");
    segment.string_entries(&mut dictionaries, strings, phrase_min_docs)?;
    profile.lap("string entries");
    let shards = write_shards(&dictionaries, outlines.len(), &|path, bytes| segment.put_packed(path, bytes), &|| {
        segment.go_on()
    })?;
    drop(dictionaries);
    profile.lap("shards");
    let written = segment.report_table(older, &texts.lengths, shards, phrase_min_docs, texts.doc_bytes)?;
    profile.lap("docs");
    Ok(written)
}

/// What one segment's steps share.
struct SegmentWriter<'a> {
    library: &'a Library,
    config: &'a Config,
    outlines: &'a [(IndexDoc, usize)],
    id: &'a str,
    sink: &'a dyn Sink,
    scratch: &'a Path,
    cuts: &'a SharedCuts,
    cancel: &'a AtomicBool,
}

/// What reading the reports leaves for the later steps.
struct Texts {
    /// The terms, gathered by partition in sorted runs.
    terms: Vec<runs::Partition>,
    /// The reports' Han text, for the frequent strings.
    han_text: phrases::HanText,
    /// Each report's tokens.
    lengths: Vec<u32>,
    /// The `d/` files together, as written.
    doc_bytes: u64,
}

impl SegmentWriter<'_> {
    fn go_on(&self) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) { Err(anyhow::Error::new(Cancelled)) } else { Ok(()) }
    }

    /// Puts a file of the segment, packed already.
    fn put_packed(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.sink.put(Output { rel_path: format!("{DIR}/{}/{path}", self.id), bytes })
    }

    /// Each chunk of reports: its texts written (`d/`), its terms
    /// gathered, its Han text kept for the strings.
    fn texts_and_terms(&self) -> Result<Texts> {
        let mut terms = runs::partitions(self.scratch, "terms");
        let mut han_text = phrases::HanText::create(self.scratch.join("han"))?;
        let mut lengths: Vec<u32> = Vec::with_capacity(self.outlines.len());
        let mut sizes: Vec<u64> = Vec::with_capacity(self.outlines.len());
        let doc_bytes = AtomicU64::new(0);
        for (chunk_index, chunk) in self.outlines.chunks(CHUNK).enumerate() {
            self.go_on()?;
            let tokenized: Vec<(DocTokens, Vec<u8>, u64)> = chunk
                .par_iter()
                .enumerate()
                .map(|(offset, &(_, report))| {
                    // A cancel stops it within a report, not a chunk (watch
                    // mode waits for it before applying the next edit).
                    self.go_on()?;
                    let doc = IndexDoc::from_report(&self.library.reports[report], self.config);
                    let mut bytes = Vec::with_capacity(doc.text.len() + 256);
                    let cuts = self.cuts.of(&doc.text);
                    format::put_doc(&mut bytes, &stored(&doc), &cuts);
                    let packed = pack(&bytes);
                    doc_bytes.fetch_add(packed.len() as u64, Ordering::Relaxed);
                    self.put_packed(format::doc_path((chunk_index * CHUNK + offset) as u32), packed)?;
                    let size = wenku_engine::analyzer::count_positions(&doc.text);
                    Ok((terms_of(&doc.text), phrases::HanText::encode(&doc.text), size))
                })
                .collect::<Result<_>>()?;
            for (doc_tokens, han, size) in &tokenized {
                lengths.push(doc_tokens.count);
                sizes.push(*size);
                han_text.push(han)?;
            }
            terms.par_iter_mut().enumerate().try_for_each(|(partition, terms)| {
                for (offset, (doc_tokens, _, _)) in tokenized.iter().enumerate() {
                    self.go_on()?;
                    let doc = (chunk_index * CHUNK + offset) as u32;
                    let part = &doc_tokens.tokens[doc_tokens.bounds[partition]..doc_tokens.bounds[partition + 1]];
                    // Sorted by term, then position: one run per term.
                    for run in part.chunk_by(|a, b| a.0 == b.0) {
                        let key = doc_tokens.term(&run[0]);
                        terms.add(key, doc, run.len() as u32, run.iter().map(|&(_, position)| position))?;
                    }
                    let bounds = doc_tokens.prefix_bounds[partition]..doc_tokens.prefix_bounds[partition + 1];
                    for (_, key) in &doc_tokens.prefixes[bounds] {
                        terms.add(key, doc, 1, std::iter::empty())?;
                    }
                }
                anyhow::Ok(())
            })?;
        }
        self.put_packed(format::SIZES.into(), pack(&format::encode_sizes(&sizes)))?;
        Ok(Texts { terms, han_text, lengths, doc_bytes: doc_bytes.into_inner() })
    }

    /// Terms merged into entries (and their own files); the frequent pairs
    /// of Han letters noted, as the strings grow from them.
    fn term_entries(
        &self,
        terms: Vec<runs::Partition>,
        phrase_min_docs: usize,
    ) -> Result<(Vec<Dictionary>, FxHashSet<u128>)> {
        let runs: Vec<Vec<PathBuf>> = terms.into_par_iter().map(runs::Partition::finish).collect::<Result<_>>()?;
        let merged: Vec<(Dictionary, FxHashSet<u128>)> = runs
            .par_iter()
            .enumerate()
            .map(|(partition, runs)| {
                let mut dictionary = Dictionary::new(partition);
                let mut pairs = FxHashSet::default();
                runs::merge(runs, |key, gathered| {
                    self.go_on()?;
                    if gathered.postings.len() >= phrase_min_docs
                        && let Some(pair) = Key::han_pair(key)
                    {
                        pairs.insert(pair);
                    }
                    dictionary.add(key, gathered, &|path, bytes| self.put_packed(path, bytes))
                })?;
                Ok((dictionary, pairs))
            })
            .collect::<Result<_>>()?;
        let (dictionaries, pair_sets): (Vec<Dictionary>, Vec<FxHashSet<u128>>) = merged.into_iter().unzip();
        Ok((dictionaries, pair_sets.into_iter().flatten().collect()))
    }

    /// The Han strings of 3 or more letters in at least `phrase_min_docs`
    /// reports (and a few more that shared their counters), in sorted runs.
    fn frequent_strings(
        &self,
        han_text: phrases::HanText,
        phrase_min_docs: usize,
        frequent_pairs: &FxHashSet<u128>,
    ) -> Result<Vec<Vec<PathBuf>>> {
        let mut strings = runs::partitions(self.scratch, "strings");
        phrases::gather(han_text, phrase_min_docs, frequent_pairs, &mut strings, &|| self.go_on())?;
        strings.into_par_iter().map(runs::Partition::finish).collect()
    }

    /// The frequent strings' entries, beside the terms'.
    fn string_entries(
        &self,
        dictionaries: &mut [Dictionary],
        strings: Vec<Vec<PathBuf>>,
        phrase_min_docs: usize,
    ) -> Result<()> {
        dictionaries.par_iter_mut().zip(&strings).try_for_each(|(dictionary, runs)| {
            // The strings gathered were a few more than the frequent ones.
            runs::merge(runs, |key, gathered| {
                self.go_on()?;
                if gathered.postings.len() < phrase_min_docs {
                    return Ok(());
                }
                dictionary.add(key, gathered, &|path, bytes| self.put_packed(path, bytes))
            })
        })
    }

    /// The table every query reads (`docs.bin`: the reports' values, and
    /// where each falls among the older segments' reports) and the writer's
    /// record of the segment (`state.bin`).
    fn report_table(
        &self,
        older: &[(String, Vec<u64>)],
        lengths: &[u32],
        shards: u32,
        phrase_min_docs: usize,
        doc_bytes: u64,
    ) -> Result<Written> {
        let outlines = self.outlines;
        let values = |of: fn(&IndexDoc) -> &String| -> Vec<String> {
            let mut all: Vec<String> = outlines.iter().map(|(d, _)| of(d).clone()).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        let (bodies, levels, periods) = (values(|d| &d.body), values(|d| &d.level), values(|d| &d.period));
        let index_of =
            |list: &[String], value: &str| list.binary_search_by(|v| v.as_str().cmp(value)).unwrap_or(0) as u16;
        let rows: Vec<DocRow> = outlines
            .iter()
            .zip(lengths)
            .map(|((d, _), &length)| DocRow {
                year: d.year.clamp(0, i64::from(u16::MAX)) as u16,
                body: index_of(&bodies, &d.body),
                level: index_of(&levels, &d.level),
                period: index_of(&periods, &d.period),
                fieldnorm: FieldNormReader::fieldnorm_to_id(length),
            })
            .collect();
        let placements: Vec<Vec<u32>> = older
            .iter()
            .map(|(_, values)| {
                outlines.iter().map(|(d, _)| values.partition_point(|&v| v < d.sort_value()) as u32).collect()
            })
            .collect();
        self.put_packed("docs.bin".into(), pack(&DocRow::encode_all(&rows, &placements)))?;
        let states: Vec<DocState> = outlines
            .iter()
            .zip(lengths)
            .map(|((d, _), &length)| DocState { id: d.id.clone(), digest: d.digest(), order: d.sort_value(), length })
            .collect();
        self.put_packed("state.bin".into(), pack(&DocState::encode_all(&states)))?;
        Ok(Written {
            meta: SegmentMeta {
                id: self.id.to_owned(),
                docs: outlines.len() as u32,
                shards,
                bodies,
                levels,
                periods,
                phrase_min_docs: phrase_min_docs as u32,
                doc_bytes,
                deleted: Vec::new(),
                deleted_terms: None,
                placed_in: older.iter().map(|(id, _)| id.clone()).collect(),
            },
            states,
        })
    }
}

/// A file's bytes as written: raw DEFLATE (what `format::unpack` reads),
/// by libdeflate at level 3: a build packs hundreds of megabytes, the
/// browser inflates a few files per query. As tight as miniz's level 3,
/// in about a third of its time.
fn pack(bytes: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
            std::cell::RefCell::new(libdeflater::Compressor::new(libdeflater::CompressionLvl::new(3).expect("a valid level")));
    }
    COMPRESSOR.with_borrow_mut(|compressor| {
        let mut out = vec![0; compressor.deflate_compress_bound(bytes.len())];
        let written = compressor.deflate_compress(bytes, &mut out).expect("the bound leaves room");
        out.truncate(written);
        out
    })
}

/// A hidden folder in `parent` for the writer's scratch files or a remade
/// index, removed when dropped. Its name holds the process id: a killed
/// process cannot remove its folders, and the next one to make such a
/// folder removes those of processes that are gone.
pub fn scratch_folder(parent: &Path) -> Result<tempfile::TempDir> {
    remove_stale_scratch(parent);
    tempfile::Builder::new()
        .prefix(&format!("{SCRATCH_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a scratch folder in {}", parent.display()))
}

const SCRATCH_PREFIX: &str = ".wenku-search-";

/// Removes the scratch folders in `parent` of processes that are gone.
fn remove_stale_scratch(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(SCRATCH_PREFIX) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !crate::output::process_alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The error of a [`write`] that was told to stop.
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the static search index was not finished: another change came in")
    }
}

impl std::error::Error for Cancelled {}

/// One partition's dictionary entries, in the order they were merged, and
/// the numbers of their own files.
struct Dictionary {
    partition: usize,
    bytes: Vec<u8>,
    /// (the key's hash, which gives its shard; where its entry ends)
    entries: Vec<(u64, usize)>,
}

impl Dictionary {
    fn new(partition: usize) -> Dictionary {
        Dictionary { partition, bytes: Vec::new(), entries: Vec::new() }
    }

    /// Encodes one term's entry, writing the files it needs of its own.
    /// Their numbers interleave the partitions, so that each partition
    /// numbers its own without waiting for the others.
    fn add(
        &mut self,
        key: &str,
        gathered: &Gathered,
        put_packed: &dyn Fn(String, Vec<u8>) -> Result<()>,
    ) -> Result<()> {
        let id = (self.entries.len() * PARTITIONS + self.partition) as u32;
        let files = encode_entry(&mut self.bytes, id, key, gathered);
        for (path, packed) in files {
            put_packed(path, packed)?;
        }
        self.entries.push((format::key_hash(key), self.bytes.len()));
        Ok(())
    }

    fn entries(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let starts = std::iter::once(0).chain(self.entries.iter().map(|&(_, end)| end));
        self.entries.iter().zip(starts).map(|(&(hash, end), start)| (hash, &self.bytes[start..end]))
    }
}

/// Writes the dictionary's shards (see [`shard_count`]); returns how many. A shard holds its entries partition by partition, each in the
/// order merged.
fn write_shards(
    dictionaries: &[Dictionary],
    docs: usize,
    put_packed: &(dyn Fn(String, Vec<u8>) -> Result<()> + Sync),
    go_on: &dyn Fn() -> Result<()>,
) -> Result<u32> {
    let total: usize = dictionaries.iter().map(|d| d.bytes.len()).sum();
    let shards = shard_count(total, docs);
    // Groups of shards, so that only one group's bytes are held twice.
    const GROUP: u32 = 1024;
    for group in (0..shards).step_by(GROUP as usize) {
        go_on()?;
        let in_group = GROUP.min(shards - group);
        let mut files: Vec<Vec<u8>> = vec![Vec::new(); in_group as usize];
        for dictionary in dictionaries {
            for (hash, entry) in dictionary.entries() {
                let shard = (hash % u64::from(shards)) as u32;
                if (group..group + in_group).contains(&shard) {
                    files[(shard - group) as usize].extend_from_slice(entry);
                }
            }
        }
        files
            .into_par_iter()
            .enumerate()
            .try_for_each(|(offset, bytes)| put_packed(format::shard_path(group + offset as u32), pack(&bytes)))?;
    }
    Ok(shards)
}

/// One dictionary entry's bytes for its shard, and the files it needs of its
/// own (packed): inline when small, else its postings file, and its
/// positions in blocks when they are many.
fn encode_entry(entry_bytes: &mut Vec<u8>, id: u32, key: &str, gathered: &Gathered) -> Vec<(String, Vec<u8>)> {
    let mut postings = Vec::new();
    format::put_postings(&mut postings, &gathered.postings);
    let df = gathered.postings.len() as u32;
    let mut files = Vec::new();
    if postings.len() + gathered.positions.len() <= format::INLINE_BYTES {
        let stored = Stored::Inline { postings: &postings, positions: &gathered.positions };
        format::put_entry(entry_bytes, &Entry { key, df, stored });
        return files;
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
                files.push((format::positions_path(id, firsts.len() - 1), pack(&std::mem::take(&mut block))));
            }
        }
        if !block.is_empty() {
            files.push((format::positions_path(id, firsts.len() - 1), pack(&block)));
        }
    }
    files.push((format::postings_path(id), pack(&file)));
    format::put_entry(entry_bytes, &Entry { key, df, stored: Stored::External { id, firsts } });
    files
}

/// A report's tokens, sorted by partition, then term, then position, where
/// each partition starts, and how many tokens there are (Tantivy's field
/// norm counts every token); and the Han letters its terms start with (the
/// one-letter query's entries), by partition too.
///
/// Each token is two numbers (its term's place in `terms`, its position):
/// a report of 64 MB has 21 million tokens, and a term in each would take
/// 48 bytes apiece.
struct DocTokens {
    /// The report's distinct terms, in the order the tokens are sorted.
    terms: Vec<(u8, Key)>,
    /// (index into `terms`, position).
    tokens: Vec<(u32, u32)>,
    bounds: [usize; PARTITIONS + 1],
    count: u32,
    prefixes: Vec<(u8, Key)>,
    prefix_bounds: [usize; PARTITIONS + 1],
}

impl DocTokens {
    fn term(&self, token: &(u32, u32)) -> &Key {
        &self.terms[token.0 as usize].1
    }
}

fn terms_of(text: &str) -> DocTokens {
    let mut tokens = Tokens::new(text);
    let mut term = String::new();
    let mut ids: rustc_hash::FxHashMap<Key, u32> = rustc_hash::FxHashMap::default();
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut first_letters = rustc_hash::FxHashSet::default();
    let mut count = 0;
    let sentence_end = Key::of(format::SENTENCE_END_KEY);
    let mut id_of = |key: Key| {
        let next = ids.len() as u32;
        *ids.entry(key).or_insert(next)
    };
    while let Some(token) = tokens.next_into(&mut term) {
        count += 1;
        out.push((id_of(Key::of(&term)), token.position as u32));
        if let Some(c) = term.chars().next().filter(|&c| classify(c) == Class::Cjk) {
            first_letters.insert(c);
        }
        // Not a token: the field norm does not count it.
        if is_separator_term(&term) && text[token.from..token.to].contains(SENTENCE_ENDS) {
            out.push((id_of(sentence_end.clone()), token.position as u32));
        }
    }
    // Terms by partition, then term; each token renumbered to its term's
    // rank, so that sorting the tokens sorts them by term, then position.
    let mut terms: Vec<(u8, Key, u32)> = ids.into_iter().map(|(key, id)| (key.partition(), key, id)).collect();
    terms.sort_unstable();
    let mut rank = vec![0u32; terms.len()];
    for (place, (_, _, id)) in terms.iter().enumerate() {
        rank[*id as usize] = place as u32;
    }
    for token in &mut out {
        token.0 = rank[token.0 as usize];
    }
    out.sort_unstable();
    let terms: Vec<(u8, Key)> = terms.into_iter().map(|(partition, key, _)| (partition, key)).collect();
    let mut prefixes: Vec<(u8, Key)> = first_letters
        .into_iter()
        .map(|c| {
            let key = Key::of(&format::prefix_key(c));
            (key.partition(), key)
        })
        .collect();
    prefixes.sort_unstable();
    let bounds = partition_bounds(out.iter().map(|t| terms[t.0 as usize].0));
    let prefix_bounds = partition_bounds(prefixes.iter().map(|p| p.0));
    DocTokens { terms, tokens: out, bounds, count, prefixes, prefix_bounds }
}

/// Where each partition starts in a list sorted by partition.
fn partition_bounds(partitions: impl Iterator<Item = u8>) -> [usize; PARTITIONS + 1] {
    let mut bounds = [0; PARTITIONS + 1];
    for partition in partitions {
        bounds[usize::from(partition) + 1] += 1;
    }
    for i in 1..=PARTITIONS {
        bounds[i] += bounds[i - 1];
    }
    bounds
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_folders_of_gone_processes_are_removed_and_others_kept() {
        let parent = tempfile::tempdir().unwrap();
        // No process has this id (above Linux's highest, 2^22).
        let gone = parent.path().join(format!("{SCRATCH_PREFIX}999999999-abc"));
        let unrelated = parent.path().join(".wenku-search-notes");
        std::fs::create_dir_all(gone.join("runs")).unwrap();
        std::fs::create_dir(&unrelated).unwrap();
        let ours = scratch_folder(parent.path()).unwrap();
        let also_ours = scratch_folder(parent.path()).unwrap();
        assert!(!gone.exists(), "a killed process's scratch is removed");
        assert!(unrelated.exists(), "a folder without a process id is not wenku's to remove");
        assert!(ours.path().exists() && also_ours.path().exists(), "this process's folders stay");
    }
}
