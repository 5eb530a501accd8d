//! Writing the index: one API that adds, replaces or deletes one report's
//! document (delete by id, add, commit), used by full builds and, later, by
//! watch mode.
//!
//! Visibility is all-or-nothing. Updates to an existing index become visible
//! at Tantivy's commit, which swaps `meta.json` atomically. A new index (first
//! build, or after a schema change) is written in a hidden folder next to the
//! live one and renamed into place once complete.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::indexer::{LogMergePolicy, MergePolicy, NoMergePolicy};
use tantivy::schema::Term;
use tantivy::{Index, IndexWriter as TantivyWriter, TantivyDocument};

use super::{Fields, IndexError, commit_payload, open_index, register_tokenizer, schema, settings, version_dir};
use crate::analysis::words::SharedCuts;
use crate::content::config::Config;
use crate::content::{Library, Report};

/// What the index stores about one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    /// The report's source path relative to `content/`: its identity.
    pub id: String,
    pub url: String,
    pub title: String,
    /// Title and blocks, one per line.
    pub text: String,
    /// `(byte offset in text, anchor)` for each block, in order.
    pub anchors: Vec<(usize, String)>,
    /// The report's `text_digest`: the blocks' text and anchors, hashed.
    pub text_digest: u64,
    pub body: String,
    pub level: String,
    pub period: String,
    pub year: i64,
    pub date: String,
    /// `yyyymmdd`: the date, or the end of the year when there is none.
    pub sort_key: u64,
    /// Where words begin in `text` (`analysis::words::stored_cuts`), when
    /// worked out already; otherwise they are when the document is stored.
    pub cuts: Option<Vec<u8>>,
}

impl IndexDoc {
    pub fn from_report(report: &Report, config: &Config) -> IndexDoc {
        let mut doc = IndexDoc::without_text(report, config);
        let rendered = report.rendered();
        doc.anchors.reserve(rendered.blocks.len());
        for block in &rendered.blocks {
            doc.text.push('\n');
            doc.anchors.push((doc.text.len(), block.anchor.clone()));
            doc.text.push_str(&block.text);
        }
        doc
    }

    /// The document with only the title for text: enough for its digest,
    /// and made without unpacking the report.
    pub(crate) fn without_text(report: &Report, config: &Config) -> IndexDoc {
        let meta = &report.meta;
        let sort_key = meta
            .date
            .as_deref()
            .and_then(|d| d.get(..10))
            .map(|d| d.replace('-', ""))
            .and_then(|d| d.parse::<u64>().ok())
            .unwrap_or(meta.year.unwrap_or(0).max(0) as u64 * 10_000 + 1231);
        IndexDoc {
            id: index_id(&report.source),
            url: crate::shared::site::site_url(&config.base_path(), &report.path),
            title: meta.title.clone(),
            text: meta.title.clone(),
            anchors: Vec::new(),
            text_digest: report.text_digest,
            // Unknown values are stored as their labels (发文机关不详 …), so
            // that facets count them and a filter can ask for them; an
            // unknown year is 0, which no year range holds.
            body: meta.body_label().to_owned(),
            level: meta.level_label().to_owned(),
            period: meta.period_label().to_owned(),
            year: meta.year.map_or(0, i64::from),
            date: meta.date.clone().unwrap_or_default(),
            sort_key,
            cuts: None,
        }
    }

    /// A fingerprint of everything stored, to skip reports that did not change.
    pub fn digest(&self) -> u64 {
        let mut hasher = std::hash::DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// The date in the high bits and a hash of the id in the low ones, so that
    /// reports of the same date always sort the same way, whichever order
    /// they were indexed in (a full build and an incremental one agree).
    pub fn sort_value(&self) -> u64 {
        // FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
        let hash = self.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
        (self.sort_key << 32) | (hash & 0xffff_ffff)
    }

    fn to_document(&self, fields: &Fields) -> TantivyDocument {
        let anchors: String = self.anchors.iter().map(|(offset, anchor)| format!("{offset}\t{anchor}\n")).collect();
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, &self.id);
        doc.add_u64(fields.digest, self.digest());
        doc.add_text(fields.url, &self.url);
        doc.add_text(fields.title, &self.title);
        doc.add_text(fields.text, &self.text);
        doc.add_text(fields.anchors, &anchors);
        doc.add_text(fields.body, &self.body);
        doc.add_text(fields.level, &self.level);
        doc.add_text(fields.period, &self.period);
        doc.add_i64(fields.year, self.year);
        doc.add_text(fields.date, &self.date);
        doc.add_u64(fields.sort_key, self.sort_value());
        doc.add_u64(fields.positions, wenku_engine::analyzer::count_positions(&self.text));
        match &self.cuts {
            Some(cuts) => doc.add_bytes(fields.cuts, cuts),
            None => doc.add_bytes(fields.cuts, &crate::analysis::words::stored_cuts(&self.text)),
        }
        doc
    }
}

/// Whether a sort value (`IndexDoc::sort_value`) is a report's of unknown
/// year: its date part is below year 1000.
pub fn is_undated(sort_value: u64) -> bool {
    (sort_value >> 32) < 1000_0000
}

/// A report's id in the index: its source path under `content/`, with
/// forward slashes on every system.
pub fn index_id(source: &Path) -> String {
    source.to_string_lossy().replace('\\', "/")
}

impl Hash for IndexDoc {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The text and anchors are the blocks': their digest stands for them.
        let IndexDoc {
            id,
            url,
            title,
            text: _,
            anchors: _,
            text_digest,
            body,
            level,
            period,
            year,
            date,
            sort_key,
            cuts: _,
        } = self;
        (id, url, title, text_digest, body, level, period, year, date, sort_key).hash(state);
    }
}

/// Parses the stored `anchors` field back.
pub fn parse_anchors(stored: &str) -> Vec<(usize, String)> {
    stored
        .lines()
        .filter_map(|line| {
            let (offset, anchor) = line.split_once('\t')?;
            Some((offset.parse().ok()?, anchor.to_owned()))
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct IndexSummary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// The whole index was written anew (first build or new schema).
    pub rebuilt: bool,
    pub elapsed: Duration,
}

/// How often (20 ms apart) the writer's lock is asked for before the index
/// is called busy. A lock this process has just released can look taken
/// for a moment: the lock belongs to the open lock file (`flock`), and a
/// process that another thread is starting holds a copy of it until it
/// executes its program.
const LOCK_TRIES: u32 = 50;

/// Indexing memory per writer thread: when it is full, a segment is written.
const HEAP_PER_THREAD: usize = 64_000_000;

/// Updates make a small segment per commit: those are merged, the large
/// segments of a full build are left as they are.
fn small_segments_only() -> Box<dyn MergePolicy> {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(1000);
    Box::new(policy)
}

/// An open writer on the index. Changes become visible at `commit`.
pub struct IndexWriter {
    index: Index,
    writer: TantivyWriter,
    fields: Fields,
    index_dir: PathBuf,
}

impl IndexWriter {
    /// Opens the existing index in `index_dir` for updates.
    pub fn open(index_dir: &Path) -> Result<IndexWriter, IndexError> {
        let (index, fields) = open_index(index_dir)?;
        let writer = Self::with_index(index, fields, index_dir, small_segments_only())?;
        // The writer's lock is held: no one else is writing here now.
        remove_leftovers(index_dir);
        remove_temporary_files(&version_dir(index_dir));
        Ok(writer)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        index_dir: &Path,
        merge_policy: Box<dyn MergePolicy>,
    ) -> Result<IndexWriter, IndexError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let mut tries = 0;
        let writer = loop {
            match index.writer_with_num_threads(threads, threads * HEAP_PER_THREAD) {
                Err(tantivy::TantivyError::LockFailure(..)) if tries < LOCK_TRIES => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(tantivy::TantivyError::LockFailure(..)) => return Err(IndexError::Busy(index_dir.to_path_buf())),
                Err(e) => return Err(IndexError::Tantivy { path: index_dir.to_path_buf(), source: e }),
                Ok(writer) => break writer,
            }
        };
        writer.set_merge_policy(merge_policy);
        Ok(IndexWriter { index, writer, fields, index_dir: index_dir.to_path_buf() })
    }

    /// Adds the report's document, replacing any with the same id.
    pub fn upsert(&mut self, doc: &IndexDoc) -> Result<(), IndexError> {
        fail::fail_point!("index-add", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
        self.delete(&doc.id);
        self.writer.add_document(doc.to_document(&self.fields)).map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Removes the report's document, if there is one.
    pub fn delete(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
    }

    /// Makes every change so far visible to readers, all at once.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        fail::fail_point!("index-commit", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
        let path = self.index_dir.clone();
        let error = |source| IndexError::Tantivy { path: path.clone(), source };
        let mut prepared = self.writer.prepare_commit().map_err(error)?;
        prepared.set_payload(&commit_payload());
        prepared.commit().map_err(error)?;
        Ok(())
    }

    /// Finishes background merges, so that no half-merged files stay behind.
    pub fn finish(self) -> Result<(), IndexError> {
        let path = self.index_dir.clone();
        self.writer.wait_merging_threads().map_err(|e| IndexError::Tantivy { path, source: e })
    }

    /// The digest of every report in the committed index, by id.
    pub fn digests(&self) -> Result<HashMap<String, u64>, IndexError> {
        let reader = self.index.reader().map_err(|e| self.error(e))?;
        let searcher = reader.searcher();
        let mut digests = HashMap::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let ids = fast.str("id").map_err(|e| self.error(e))?;
            let hashes = fast.u64("digest").map_err(|e| self.error(e))?;
            let Some(ids) = ids else { continue };
            let mut id = String::new();
            for doc in segment.doc_ids_alive() {
                let (Some(ord), Some(digest)) = (ids.term_ords(doc).next(), hashes.first(doc)) else { continue };
                id.clear();
                if ids.ord_to_str(ord, &mut id).is_ok() {
                    digests.insert(id.clone(), digest);
                }
            }
        }
        Ok(digests)
    }

    fn error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy { path: self.index_dir.clone(), source }
    }
}

/// Brings the index in `index_dir` in line with the library: reports that
/// changed are replaced, new ones added, gone ones deleted; the rest is left
/// alone. Writes a whole new index when there is none or it is incompatible.
///
/// The documents' word cuts are taken from `cuts` when the static index's
/// writer left them there, and left there for it otherwise.
pub fn sync(
    index_dir: &Path,
    library: &Library,
    config: &Config,
    cuts: &SharedCuts,
) -> Result<IndexSummary, IndexError> {
    let started = Instant::now();
    let synced = match IndexWriter::open(index_dir) {
        Ok(mut writer) => writer.sync(library, config, cuts).and_then(|summary| writer.finish().map(|()| summary)),
        Err(IndexError::Missing(_) | IndexError::Incompatible(_) | IndexError::Unreadable { .. }) => {
            rebuild(index_dir, library, config, cuts)
        }
        Err(e) => Err(e),
    };
    let mut summary = synced.map_err(|e| name_a_full_disk(e, index_dir))?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Below this, a write error of the index is put down to a full disk.
const NEARLY_FULL: u64 = 64 << 20;

/// Tantivy's writer threads report a full disk only as "killed": the free
/// space says what happened.
pub(crate) fn name_a_full_disk(error: IndexError, index_dir: &Path) -> IndexError {
    match (error, crate::output::free_bytes(index_dir)) {
        (IndexError::Tantivy { .. } | IndexError::Io { .. }, Some(free)) if free < NEARLY_FULL => {
            let source = std::io::Error::from(std::io::ErrorKind::StorageFull);
            IndexError::DiskFull { path: index_dir.to_path_buf(), free_mb: free >> 20, source }
        }
        (other, _) => other,
    }
}

/// Reports whose documents are made at a time (in parallel) and handed to
/// the writer: only these documents' text is in memory at once.
const BATCH: usize = 256;

/// The document of each of `reports` (with its word cuts), made in
/// parallel a batch at a time and given to `take` in order.
fn for_each_doc(
    reports: &[&Report],
    config: &Config,
    cuts: &SharedCuts,
    mut take: impl FnMut(IndexDoc) -> Result<(), IndexError>,
) -> Result<(), IndexError> {
    use rayon::prelude::*;
    for batch in reports.chunks(BATCH) {
        let docs: Vec<IndexDoc> = batch
            .par_iter()
            .map(|r| {
                let mut doc = IndexDoc::from_report(r, config);
                doc.cuts = Some(cuts.of(&doc.text));
                doc
            })
            .collect();
        docs.into_iter().try_for_each(&mut take)?;
    }
    Ok(())
}

impl IndexWriter {
    /// Makes the index hold exactly the library's reports, touching only
    /// those whose digest changed, and commits if anything did. Digests
    /// are compared without unpacking any report's text.
    pub fn sync(&mut self, library: &Library, config: &Config, cuts: &SharedCuts) -> Result<IndexSummary, IndexError> {
        let mut old = self.digests()?;
        let mut summary = IndexSummary::default();
        let mut changed = Vec::new();
        for report in &library.reports {
            let doc = IndexDoc::without_text(report, config);
            match old.remove(&doc.id) {
                Some(digest) if digest == doc.digest() => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(_) => summary.updated += 1,
                None => summary.added += 1,
            }
            changed.push(report);
        }
        for_each_doc(&changed, config, cuts, |doc| self.upsert(&doc))?;
        for id in old.keys() {
            self.delete(id);
            summary.removed += 1;
        }
        if summary.added + summary.updated + summary.removed > 0 {
            self.commit()?;
        }
        Ok(summary)
    }
}

/// Writes a complete new index beside the live one, then swaps it in.
fn rebuild(
    index_dir: &Path,
    library: &Library,
    config: &Config,
    cuts: &SharedCuts,
) -> Result<IndexSummary, IndexError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { path, source }
    };
    std::fs::create_dir_all(index_dir).map_err(io(index_dir))?;
    remove_leftovers(index_dir);
    let live = version_dir(index_dir);
    let staging = index_dir.join(format!(".v{}.tmp-{}", super::SCHEMA_VERSION, std::process::id()));
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;

    let (schema, fields) = schema();
    let index = Index::builder()
        .schema(schema)
        .settings(settings())
        .create_in_dir(&staging)
        .map_err(|e| IndexError::Tantivy { path: staging.clone(), source: e })?;
    register_tokenizer(&index);
    // Segments as the writer's heap fills, never merged: a merge rereads
    // what was just written (at 30,000 reports it cost a fifth more time
    // and half again the memory, the merged files mapped in).
    let mut writer = IndexWriter::with_index(index, fields, &staging, Box::new(NoMergePolicy))?;
    let reports: Vec<&Report> = library.reports.iter().collect();
    for_each_doc(&reports, config, cuts, |doc| writer.add(&doc))?;
    writer.commit()?;
    writer.finish()?;

    fail::fail_point!("index-swap", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
    // Move the old index aside, the new one in, then drop the old one.
    let old = index_dir.join(format!(".v{}.old-{}", super::SCHEMA_VERSION, std::process::id()));
    if live.exists() {
        std::fs::rename(&live, &old).map_err(io(&live))?;
    }
    std::fs::rename(&staging, &live).map_err(io(&live))?;
    let _ = std::fs::remove_dir_all(&old);
    remove_other_versions(index_dir);
    Ok(IndexSummary { added: library.reports.len(), rebuilt: true, ..IndexSummary::default() })
}

impl IndexWriter {
    /// Adds a document without deleting first: for a fresh index only.
    fn add(&mut self, doc: &IndexDoc) -> Result<(), IndexError> {
        fail::fail_point!("index-add", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
        self.writer.add_document(doc.to_document(&self.fields)).map_err(|e| self.error(e))?;
        Ok(())
    }
}

/// Staging folders of builds that were killed (their process is gone).
fn remove_leftovers(index_dir: &Path) {
    for entry in std::fs::read_dir(index_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((_, pid)) = name.split_once(".tmp-").or_else(|| name.split_once(".old-")) else { continue };
        let dead = pid.parse::<u32>().is_ok_and(|pid| !crate::output::process_alive(pid));
        if name.starts_with(".v") && dead {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Tantivy writes `meta.json` and the like through a `.tmpXXXXXX` file
/// renamed over it; a process killed in between leaves that file behind.
fn remove_temporary_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(".tmp") && entry.path().is_file() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Indexes of older schema versions, once the new one is in place.
fn remove_other_versions(index_dir: &Path) {
    let current = format!("v{}", super::SCHEMA_VERSION);
    for entry in std::fs::read_dir(index_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let versioned = name.starts_with('v') && name[1..].parse::<u32>().is_ok();
        if versioned && name != current && entry.path().join("meta.json").is_file() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Watch mode opens a writer right after the build's writer let go of
    /// the lock; a process started meanwhile by another thread (a converter,
    /// a test's server) holds a copy of the lock file until it executes.
    #[test]
    fn a_lock_just_released_is_taken_while_other_threads_start_processes() {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::content::config::Config::default();
        super::sync(dir.path(), &crate::content::Library::new(Vec::new(), &config), &config, &Default::default())
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let starters: Vec<_> = (0..2)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let _ = std::process::Command::new("true").status();
                    }
                })
            })
            .collect();
        // Without the retries, most of these opens failed as busy.
        let busy = (0..200).filter(|_| match super::IndexWriter::open(dir.path()) {
            Ok(writer) => writer.finish().map(|()| false).unwrap(),
            Err(super::IndexError::Busy(_)) => true,
            Err(e) => panic!("{e}"),
        });
        let busy = busy.count();
        stop.store(true, Ordering::Relaxed);
        starters.into_iter().for_each(|starter| starter.join().unwrap());
        assert_eq!(busy, 0);
    }
}
