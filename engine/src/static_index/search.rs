//! Answering a query from the static index's files: the same query
//! language, matches, BM25 scores, totals and facets as the server's
//! Tantivy index (`tests/testsuite/static_search.rs` holds the two equal).
//!
//! The engine never fetches: [`StaticIndex::search`] answers with the files
//! it still needs, the caller (JavaScript in the browser, a test natively)
//! fetches them, hands them over with [`StaticIndex::add_file`] and asks
//! again. Each round asks for everything the query can know it needs at
//! that point: the segments' report tables, dictionary shards, then large
//! postings, then the positions of candidate reports only, then the texts
//! of the hits shown.
//!
//! Each segment is searched on its own, with the statistics of the whole
//! live archive (a term's document frequency summed over the segments, less
//! their deleted reports), so that scores are those of one fresh index.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use super::format::{self, DocRow, Entry, Manifest, Placements, SegmentMeta, Stored};
use serde::Serialize;

use crate::analyzer::{Class, PhraseTerms, classify, find_phrase, normalize, phrase_terms};
use crate::concordance::{Concordance, Gathered, MAX_WIDTH, Occurrences, View, concordance, in_context, info};
use crate::continuations::{self, Continuations, Side};
use crate::frequency::{self, ByBody, ByYear, Counted};
use crate::messages::Problem;
use crate::pattern::{Matcher, Pattern};
use crate::query::{self, Clause, FilterField, ParsedQuery, QueryError};
use crate::results::{
    Facets, Hit, MAX_OFFSET, MAX_PER_PAGE, SearchRequest, SearchResults, Sort, StoredReport, ValueCount, YearCount,
};
use crate::variants::{self, Variants};
use crate::words;

mod statistics;

/// Wording with gaps is checked with the positions of its parts and of
/// sentence ends in every report holding its parts; beyond this many blocks
/// of positions (about `BLOCK_BYTES` each) the reader is asked first…
pub const MAX_GAP_BLOCKS: usize = 512;
/// …and when a part is one Han letter, against the texts of at most this
/// many reports.
pub const MAX_GAP_CANDIDATES: usize = 400;

const K1: f32 = 1.2;
const B: f32 = 0.75;
const DOCS: &str = "docs.bin";

pub struct StaticIndex {
    manifest: Manifest,
    /// Each segment's report table, once its `docs.bin` is in.
    tables: Vec<Option<Table>>,
    /// For a segment and an older one, where the older one is in the
    /// first's `placed_in`.
    placed_at: Vec<Vec<usize>>,
    average_fieldnorm: f32,
    /// Fetched files, unpacked; `None` for one that would not unpack.
    files: HashMap<String, Option<Vec<u8>>>,
}

struct Table {
    rows: Vec<DocRow>,
    placements: Placements,
}

/// How much a search may download: within the bounds above, or whatever
/// it needs (the reader was told how much and agreed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    Bounded,
    Any,
}

/// What a search needs next: files to fetch, or its answer.
#[derive(Debug)]
pub enum Step<T = SearchResults> {
    Need(Vec<String>),
    Done(Result<T, QueryError>),
}

impl<T> Step<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Step<U> {
        match self {
            Step::Need(need) => Step::Need(need),
            Step::Done(done) => Step::Done(done.map(f)),
        }
    }
}

/// The research tables the static index answers (`--table years|bodies`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrequencyTable {
    Years,
    Bodies,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Frequency {
    Years(ByYear),
    Bodies(ByBody),
}

/// The tables of whole-word units the static index answers (`--table
/// next|before|variants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitsTable {
    Next,
    Before,
    Variants,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Units {
    Continuations(Continuations),
    Variants(Variants),
}

/// A phrase whose positions would need this many blocks not fetched yet is
/// first narrowed by its other bigrams (their shards and postings cost
/// less than a few blocks).
const NARROW_BLOCKS: usize = 4;

/// The texts the concordance or a research table may download before the
/// reader is asked: what a broad gap query may (`MAX_GAP_BLOCKS` blocks).
pub const MAX_TEXT_BYTES: u64 = (MAX_GAP_BLOCKS * format::BLOCK_BYTES) as u64;

/// Reports of one segment and their scores, ascending by report.
type Matches = Vec<(u32, f32)>;
/// A report of the archive: its segment's place in the manifest, and its
/// number in the segment.
type Doc = (usize, u32);

impl StaticIndex {
    /// From `manifest.json` as fetched; the segments' report tables come
    /// with the first search's files.
    pub fn open(manifest_json: &[u8]) -> Result<StaticIndex, String> {
        let manifest: Manifest =
            serde_json::from_slice(manifest_json).map_err(|e| format!("{}: {e}", format::MANIFEST))?;
        if manifest.format != format::FORMAT {
            return Err(format!(
                "the static index has format {}, this engine reads {}",
                manifest.format,
                format::FORMAT
            ));
        }
        if manifest.fieldnorms.len() != 256 {
            return Err(format!("{} is damaged", format::MANIFEST));
        }
        let segments = &manifest.segments;
        let mut placed_at = Vec::with_capacity(segments.len());
        for (k, segment) in segments.iter().enumerate() {
            let older: Option<Vec<usize>> =
                segments[..k].iter().map(|o| segment.placed_in.iter().position(|id| *id == o.id)).collect();
            placed_at.push(older.ok_or_else(|| format!("{}: segment {} is not placed", format::MANIFEST, segment.id))?);
        }
        let average_fieldnorm = manifest.total_tokens as f32 / manifest.docs.max(1) as f32;
        let tables = segments.iter().map(|_| None).collect();
        Ok(StaticIndex { manifest, tables, placed_at, average_fieldnorm, files: HashMap::new() })
    }

    pub fn language(&self) -> String {
        self.manifest.language.clone()
    }

    /// A file as fetched (packed). A damaged one is remembered as such, and
    /// the query that needs it says so.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        let unpacked = format::unpack(&bytes);
        if let Some(k) = self.manifest.segments.iter().position(|s| s.path(DOCS) == path) {
            let segment = &self.manifest.segments[k];
            let table = unpacked
                .as_deref()
                .and_then(|bytes| DocRow::decode_all(bytes, segment.docs as usize, segment.placed_in.len()));
            match table {
                Some((rows, placements)) => self.tables[k] = Some(Table { rows, placements }),
                None => {
                    self.files.insert(path.to_owned(), None);
                }
            }
            return;
        }
        self.files.insert(path.to_owned(), unpacked);
    }

    /// Forgets fetched files (the caller's cache holds them anyway); the
    /// report tables stay.
    pub fn clear_files(&mut self) {
        self.files.clear();
    }

    pub fn search(&self, request: &SearchRequest, download: Download) -> Step {
        self.step(download, |run| run.search(request))
    }

    /// A research table of `query`'s wording, counted in the texts of the
    /// reports it matches (as the server counts them), with the sizes of
    /// the reports within its filters.
    pub fn frequency(&self, query: &str, table: FrequencyTable, download: Download) -> Step<Frequency> {
        self.step(download, |run| run.frequency(query, table))
    }

    /// A page of the concordance (KWIC lines) of `query`'s wording, cut
    /// from the texts of the reports it matches, as the server cuts it.
    pub fn concordance(&self, query: &str, view: &View, width: usize, download: Download) -> Step<Concordance> {
        self.step(download, |run| run.concordance(query, view, width))
    }

    /// Every occurrence of `query`'s wording with `width` characters of
    /// context (the whole concordance, as its export lists it).
    pub fn occurrences(&self, query: &str, width: usize, download: Download) -> Step<Occurrences> {
        self.step(download, |run| run.occurrences(query, width, false))
    }

    /// A table of whole-word units around `query`'s wording (what follows
    /// or precedes it, its variants), from the texts of the reports it
    /// matches and their stored cuts, as the server makes it.
    pub fn units(&self, query: &str, table: UnitsTable, width: usize, download: Download) -> Step<Units> {
        self.step(download, |run| run.units(query, table, width))
    }

    /// One attempt: the segments' report tables first, then `attempt`,
    /// which answers or notes the files it lacked.
    fn step<T>(&self, download: Download, attempt: impl FnOnce(&Run<'_>) -> Result<Option<T>, QueryError>) -> Step<T> {
        let mut tables = Vec::new();
        for (segment, table) in self.manifest.segments.iter().zip(&self.tables) {
            let path = segment.path(DOCS);
            if self.files.contains_key(&path) {
                return Step::Done(Err(damaged(&path)));
            }
            if table.is_none() {
                tables.push(path);
            }
        }
        if !tables.is_empty() {
            return Step::Need(tables);
        }
        let run = Run { index: self, download, missing: RefCell::new(BTreeSet::new()), damaged: RefCell::new(None) };
        let answer = attempt(&run);
        if let Some(path) = run.damaged.into_inner() {
            return Step::Done(Err(damaged(&path)));
        }
        let missing = run.missing.into_inner();
        match answer {
            Err(error) => Step::Done(Err(error)),
            Ok(Some(results)) => Step::Done(Ok(results)),
            Ok(None) => Step::Need(missing.into_iter().collect()),
        }
    }

    fn table(&self, segment: usize) -> &Table {
        self.tables[segment].as_ref().expect("every table is in before a search runs")
    }

    fn row(&self, (segment, doc): Doc) -> &DocRow {
        &self.table(segment).rows[doc as usize]
    }

    /// Date order, oldest first, across segments: the newer segment knows
    /// where its report falls among the older one's.
    fn order(&self, a: Doc, b: Doc) -> Ordering {
        if a.0 == b.0 {
            return a.1.cmp(&b.1);
        }
        let (newer, older) = if a.0 > b.0 { (a, b) } else { (b, a) };
        let place = self.table(newer.0).placements.0[self.placed_at[newer.0][older.0]][newer.1 as usize];
        let newer_first = if place <= older.1 { Ordering::Less } else { Ordering::Greater };
        if a.0 > b.0 { newer_first } else { newer_first.reverse() }
    }

    fn bm25(&self, idf: f32, doc: Doc, tf: u32) -> f32 {
        let fieldnorm = self.manifest.fieldnorms[usize::from(self.row(doc).fieldnorm)];
        let norm = K1 * (1.0 - B + B * fieldnorm as f32 / self.average_fieldnorm);
        let tf = tf as f32;
        idf * (1.0 + K1) * (tf / (tf + norm))
    }

    fn idf(&self, df: u32) -> f32 {
        let docs = self.manifest.docs;
        let x = ((docs - df.min(docs)) as f32 + 0.5) / (df as f32 + 0.5);
        (1.0 + x).ln()
    }
}

/// One attempt at a search, noting the files it lacked.
struct Run<'a> {
    index: &'a StaticIndex,
    download: Download,
    missing: RefCell<BTreeSet<String>>,
    /// A file that was fetched but would not unpack.
    damaged: RefCell<Option<String>>,
}

impl<'a> Run<'a> {
    fn file(&self, path: String) -> Option<&'a [u8]> {
        match self.index.files.get(&path) {
            Some(Some(bytes)) => Some(bytes),
            Some(None) => {
                self.damaged.borrow_mut().get_or_insert(path);
                None
            }
            None => {
                self.missing.borrow_mut().insert(path);
                None
            }
        }
    }

    fn segments(&self) -> impl Iterator<Item = In<'_, 'a>> {
        (0..self.index.manifest.segments.len()).map(move |k| In {
            run: self,
            k,
            meta: &self.index.manifest.segments[k],
            table: self.index.table(k),
        })
    }

    /// How many live reports hold `key`, over every segment; `None` while
    /// files are missing (all of them are asked for at once).
    fn df(&self, key: &str) -> Option<u32> {
        let counts: Vec<Option<u32>> = self
            .segments()
            .map(|segment| {
                let written = segment.entry(key).map(|entry| entry.map_or(0, |e| e.df));
                // A segment without the term has no deleted report with it.
                let deleted = match segment.meta.deleted_terms_path(key) {
                    None => Some(0),
                    Some(_) if written? == 0 => Some(0),
                    Some(path) => self.file(path.clone()).and_then(|bytes| {
                        let count = format::deleted_count(bytes, key);
                        if count.is_none() {
                            self.damaged.borrow_mut().get_or_insert(path);
                        }
                        count
                    }),
                };
                Some(written?.saturating_sub(deleted?))
            })
            .collect();
        counts.into_iter().sum()
    }

    /// The summed idf of `keys`, as Tantivy weighs a phrase.
    fn idf(&self, keys: &[&str]) -> Option<f32> {
        let dfs: Vec<Option<u32>> = keys.iter().map(|key| self.df(key)).collect();
        let dfs: Vec<u32> = dfs.into_iter().collect::<Option<_>>()?;
        Some(dfs.into_iter().map(|df| self.index.idf(df)).sum())
    }

    fn search(&self, request: &SearchRequest) -> Result<Option<SearchResults>, QueryError> {
        let parsed = query::parse(&request.query)?;
        self.check_values(&parsed)?;
        let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
        let page = request.page.max(1);
        let offset = (page - 1).saturating_mul(per_page);
        if offset >= MAX_OFFSET {
            return Err(Problem::PageTooFar { page, max: MAX_OFFSET }.into());
        }
        let sort = match request.sort {
            Sort::Relevance if !parsed.has_wording() => Sort::Newest,
            other => other,
        };

        let Some(mut matches) = self.matching(&parsed)? else { return Ok(None) };
        let index = self.index;
        match sort {
            Sort::Relevance => matches.sort_by(|a, b| b.1.total_cmp(&a.1).then(index.order(a.0, b.0))),
            Sort::Newest => matches.sort_by(|a, b| index.order(b.0, a.0)),
            Sort::Oldest => matches.sort_by(|a, b| index.order(a.0, b.0)),
        }
        let docs: Vec<Doc> = matches.iter().map(|&(doc, _)| doc).collect();
        let mut facets = self.facets(&docs);
        let Some(scope) = self.matching(&parsed.scope())? else { return Ok(None) };
        facets.archive_years = year_counts(scope.iter().map(|&(doc, _)| index.row(doc).year));

        let wording = parsed.wording();
        let mut hits = Vec::new();
        for &((segment, doc), score) in matches.iter().skip(offset).take(per_page) {
            let path = index.manifest.segments[segment].path(&format::doc_path(doc));
            let Some(bytes) = self.file(path.clone()) else { continue };
            let report = format::read_doc(bytes).ok_or_else(|| damaged(&path))?;
            hits.push(Hit::new(report, (sort == Sort::Relevance).then_some(score), &wording));
        }
        if !self.missing.borrow().is_empty() {
            return Ok(None);
        }
        Ok(Some(SearchResults {
            query: request.query.clone(),
            sort,
            total: matches.len(),
            page,
            per_page,
            pages: matches.len().div_ceil(per_page),
            took_ms: 0.0,
            facets,
            hits,
        }))
    }

    /// The reports `parsed` matches, in date order, each with the ranges of
    /// its wording in the report's text (as the server finds them), handed
    /// to `take`; `Ok(false)` while texts are missing. Beyond
    /// `MAX_TEXT_BYTES` of texts to fetch the reader is asked first.
    fn each_report_holding(
        &self,
        parsed: &ParsedQuery,
        mut take: impl FnMut(StoredReport, Vec<(usize, usize)>, &[u8]),
    ) -> Result<bool, QueryError> {
        self.check_values(parsed)?;
        let wording = parsed.wording();
        if wording.is_empty() {
            return Err(Problem::NoWording.into());
        }
        let patterns: Vec<Pattern> = wording.iter().map(|w| Pattern::parse(w)).collect::<Result<_, _>>()?;
        let Some(mut matches) = self.matching(parsed)? else { return Ok(false) };
        let index = self.index;
        matches.sort_by(|a, b| index.order(a.0, b.0));
        let docs: Vec<Doc> = matches.iter().map(|&(doc, _)| doc).collect();
        self.within_budget(&[&docs])?;
        let Some(texts) = self.texts(&docs) else { return Ok(false) };
        let matcher = Matcher::new(patterns);
        for (&doc, bytes) in docs.iter().zip(texts) {
            let (report, cut_bits) = self.read_text(doc, bytes)?;
            let mut ranges: Vec<(usize, usize)> = matcher.find(&report.text).into_iter().map(|(_, r)| r).collect();
            ranges.sort_unstable();
            ranges.dedup();
            if !ranges.is_empty() {
                take(report, ranges, cut_bits);
            }
        }
        Ok(true)
    }

    /// Refuses, unless the reader agreed to any download, when the texts of
    /// `parts` not fetched yet come to more than `MAX_TEXT_BYTES`.
    fn within_budget(&self, parts: &[&[Doc]]) -> Result<(), QueryError> {
        let index = self.index;
        let docs: BTreeSet<Doc> = parts.iter().flat_map(|part| part.iter().copied()).collect();
        let unfetched: u64 = docs
            .iter()
            .filter(|&&doc| !index.files.contains_key(&self.text_path(doc)))
            .map(|&(segment, _)| {
                let meta = &index.manifest.segments[segment];
                meta.doc_bytes / u64::from(meta.docs.max(1))
            })
            .sum();
        if unfetched > MAX_TEXT_BYTES && self.download == Download::Bounded {
            let megabytes = unfetched.div_ceil(1 << 20) as usize;
            return Err(Problem::TextsTooManyForStatic { reports: docs.len(), megabytes }.into());
        }
        Ok(())
    }

    /// The text files of `docs`, in their order; `None` while some are
    /// missing (all of them are asked for at once).
    fn texts(&self, docs: &[Doc]) -> Option<Vec<&'a [u8]>> {
        let texts: Vec<Option<&[u8]>> = docs.iter().map(|&doc| self.file(self.text_path(doc))).collect();
        texts.into_iter().collect()
    }

    /// A report and where words begin in it (`words::encode`), from its
    /// text file.
    fn read_text<'b>(&self, doc: Doc, bytes: &'b [u8]) -> Result<(StoredReport, &'b [u8]), QueryError> {
        format::read_doc_and_cut_bits(bytes).ok_or_else(|| damaged(&self.text_path(doc)))
    }

    fn text_path(&self, (segment, doc): Doc) -> String {
        self.index.manifest.segments[segment].path(&format::doc_path(doc))
    }

    /// Every occurrence of `query`'s wording with its context (and its
    /// clause's cuts when `with_cuts`), as the server finds them; `None`
    /// while texts are missing.
    fn occurrences(&self, query: &str, width: usize, with_cuts: bool) -> Result<Option<Occurrences>, QueryError> {
        let parsed = query::parse(query)?;
        let width = width.clamp(1, MAX_WIDTH);
        let mut gathered = Gathered::default();
        let complete = self.each_report_holding(&parsed, |report, ranges, cut_bits| {
            let places = if gathered.keeps() {
                // Only the cuts the contexts can see; the bits fit the text (`read_text`).
                let cuts = match with_cuts {
                    true => words::decode_around(&report.text, cut_bits, &ranges, width).unwrap_or_default(),
                    false => Vec::new(),
                };
                in_context(&report, &ranges, width, &cuts)
            } else {
                Vec::new()
            };
            gathered.add(info(report), ranges.len(), places);
        })?;
        if !complete {
            return Ok(None);
        }
        let wording = parsed.wording().iter().map(|w| w.to_string()).collect();
        Ok(Some(gathered.finish(query, wording, width, 0.0)))
    }

    /// A page of the concordance of `query`'s wording, as the server cuts it.
    fn concordance(&self, query: &str, view: &View, width: usize) -> Result<Option<Concordance>, QueryError> {
        let found = self.occurrences(query, width, false)?;
        Ok(found.map(|found| concordance(&found, view)))
    }

    /// A table of the whole-word units around `query`'s wording, as the
    /// server makes it.
    fn units(&self, query: &str, table: UnitsTable, width: usize) -> Result<Option<Units>, QueryError> {
        let width = width.max(continuations::MAX_CHARS);
        let Some(found) = self.occurrences(query, width, true)? else { return Ok(None) };
        Ok(Some(match table {
            UnitsTable::Next => Units::Continuations(continuations::continuations(&found, Side::Right)?),
            UnitsTable::Before => Units::Continuations(continuations::continuations(&found, Side::Left)?),
            UnitsTable::Variants => Units::Variants(variants::variants(&found)),
        }))
    }

    fn frequency(&self, query: &str, table: FrequencyTable) -> Result<Option<Frequency>, QueryError> {
        let parsed = query::parse(query)?;
        let mut counted = Vec::new();
        let complete = self.each_report_holding(&parsed, |report, ranges, _| {
            counted.push(Counted { year: report.year, body: report.body, count: ranges.len() as u64 });
        })?;
        // The sizes are asked for with the texts, in the same round.
        let index = self.index;
        let Some(scope) = self.matching(&parsed.filters())? else { return Ok(None) };
        let answer = match table {
            FrequencyTable::Bodies => Frequency::Bodies(frequency::by_body(query, &counted)),
            FrequencyTable::Years => {
                let mut sizes: BTreeMap<i64, u64> = BTreeMap::new();
                let mut segment_sizes: Vec<Option<Vec<u64>>> = Vec::new();
                for meta in &index.manifest.segments {
                    let path = meta.path(format::SIZES);
                    segment_sizes.push(match self.file(path.clone()) {
                        None => None,
                        Some(bytes) => Some(format::read_sizes(bytes, meta.docs).ok_or_else(|| damaged(&path))?),
                    });
                }
                for &((segment, doc), _) in &scope {
                    if let Some(of_segment) = &segment_sizes[segment] {
                        let year = i64::from(index.row((segment, doc)).year);
                        *sizes.entry(year).or_default() += of_segment[doc as usize];
                    }
                }
                Frequency::Years(frequency::by_year(query, &counted, &sizes))
            }
        };
        if !complete || !self.missing.borrow().is_empty() {
            return Ok(None);
        }
        Ok(Some(answer))
    }

    /// The live reports every segment matches, with their scores; `None`
    /// while files are missing.
    fn matching(&self, parsed: &ParsedQuery) -> Result<Option<Vec<(Doc, f32)>>, QueryError> {
        let mut all = Vec::new();
        let mut complete = true;
        for segment in self.segments() {
            match segment.evaluate(parsed)? {
                Some(matches) => {
                    let deleted = &segment.meta.deleted;
                    all.extend(
                        matches
                            .into_iter()
                            .filter(|(doc, _)| deleted.binary_search(doc).is_err())
                            .map(|(doc, score)| ((segment.k, doc), score)),
                    );
                }
                None => complete = false,
            }
        }
        Ok(complete.then_some(all))
    }

    /// A body, level or period the archive does not have is named, with the
    /// closest one, as the server does.
    fn check_values(&self, parsed: &ParsedQuery) -> Result<(), QueryError> {
        let manifest = &self.index.manifest;
        for (field, value) in parsed.values() {
            let Some(known) = values(field, &manifest.bodies, &manifest.levels, &manifest.periods) else { continue };
            if known.iter().any(|k| k == value) {
                continue;
            }
            let closest = crate::closest(value, known.iter().map(String::as_str)).map(str::to_owned);
            return Err(Problem::NoSuchValue {
                name: field.name().to_owned(),
                value: value.to_owned(),
                known: (closest.is_none() && known.len() <= 12).then(|| known.join(", ")),
                closest,
                count: known.len(),
            }
            .into());
        }
        Ok(())
    }

    fn facets(&self, docs: &[Doc]) -> Facets {
        let index = self.index;
        let segments = &index.manifest.segments;
        let counted = |names: fn(&SegmentMeta) -> &Vec<String>,
                       value_of: fn(&DocRow) -> u16,
                       with_years: bool|
         -> Vec<ValueCount> {
            let mut counts: HashMap<&str, (u64, u16, u16)> = HashMap::new();
            for &doc in docs {
                let row = index.row(doc);
                let Some(name) = names(&segments[doc.0]).get(usize::from(value_of(row))) else { continue };
                let slot = counts.entry(name).or_insert((0, row.year, row.year));
                slot.0 += 1;
                slot.1 = slot.1.min(row.year);
                slot.2 = slot.2.max(row.year);
            }
            let mut out: Vec<ValueCount> = counts
                .into_iter()
                .map(|(value, (count, first, last))| ValueCount {
                    value: value.to_owned(),
                    count,
                    first_year: with_years.then_some(i64::from(first)),
                    last_year: with_years.then_some(i64::from(last)),
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out
        };
        Facets {
            year: year_counts(docs.iter().map(|&doc| index.row(doc).year)),
            archive_years: Vec::new(),
            body: counted(|s| &s.bodies, |row| row.body, true),
            level: counted(|s| &s.levels, |row| row.level, false),
            period: counted(|s| &s.periods, |row| row.period, false),
        }
    }
}

/// A field's value table, of the archive or of a segment.
fn values<'v>(
    field: FilterField,
    bodies: &'v Vec<String>,
    levels: &'v Vec<String>,
    periods: &'v Vec<String>,
) -> Option<&'v Vec<String>> {
    match field {
        FilterField::Body => Some(bodies),
        FilterField::Level => Some(levels),
        FilterField::Period => Some(periods),
        FilterField::Year => None,
    }
}

/// A search within one segment (its reports numbered as it numbers them),
/// scored with the whole archive's statistics.
struct In<'r, 'a> {
    run: &'r Run<'a>,
    k: usize,
    meta: &'a SegmentMeta,
    table: &'a Table,
}

impl<'a> In<'_, 'a> {
    fn file(&self, inside: String) -> Option<&'a [u8]> {
        self.run.file(self.meta.path(&inside))
    }

    fn bm25(&self, idf: f32, doc: u32, tf: u32) -> f32 {
        self.run.index.bm25(idf, (self.k, doc), tf)
    }

    /// `Some(None)` when the dictionary has no such key; `None` while its
    /// shard is missing.
    fn entry(&self, key: &str) -> Option<Option<Entry<'a>>> {
        let shard = self.file(format::shard_path(format::shard_of(key, self.meta.shards)))?;
        Some(format::find_entry(shard, key))
    }

    fn postings(&self, entry: &Entry<'a>) -> Option<Vec<(u32, u32)>> {
        format::read_postings(self.parts(entry)?.0)
    }

    /// An entry's postings and, unless in blocks, its positions.
    fn parts(&self, entry: &Entry<'a>) -> Option<(&'a [u8], &'a [u8])> {
        match &entry.stored {
            Stored::Inline { postings, positions } => Some((postings, positions)),
            Stored::External { id, .. } => format::split_external(self.file(format::postings_path(*id))?),
        }
    }

    /// Positions of `entry`'s term in each of `docs` (which it holds).
    fn positions(&self, entry: &Entry<'a>, postings: &[(u32, u32)], docs: &[u32]) -> Option<HashMap<u32, Vec<u32>>> {
        let counts: Vec<u32> = postings.iter().map(|&(_, tf)| tf).collect();
        let mut out = HashMap::new();
        match &entry.stored {
            Stored::External { id, firsts } if !firsts.is_empty() => {
                let mut complete = true;
                for block in blocks_of(entry, docs) {
                    let Some(bytes) = self.file(format::positions_path(*id, block)) else {
                        complete = false;
                        continue;
                    };
                    let start = postings.partition_point(|&(d, _)| d < firsts[block]);
                    let end = firsts
                        .get(block + 1)
                        .map_or(postings.len(), |&next| postings.partition_point(|&(d, _)| d < next));
                    let range = start..end;
                    let decoded = format::read_positions(bytes, &counts[range.clone()])?;
                    for (&(doc, _), positions) in postings[range].iter().zip(decoded) {
                        out.insert(doc, positions);
                    }
                }
                if !complete {
                    return None;
                }
            }
            _ => {
                let all = format::read_positions(self.parts(entry)?.1, &counts)?;
                for (&(doc, _), positions) in postings.iter().zip(all) {
                    out.insert(doc, positions);
                }
            }
        }
        Some(out)
    }

    /// Every report of the segment the query matches (deleted ones
    /// included), with its score; `None` while files are missing.
    fn evaluate(&self, parsed: &ParsedQuery) -> Result<Option<Matches>, QueryError> {
        let mut result: Option<Matches> = None;
        let mut complete = true;
        // Groups with wording that has gaps last: their reports' texts are
        // checked, and only those the other groups left need to be.
        let has_gap = |group: &&Vec<Clause>| {
            group.iter().any(|c| matches!(c, Clause::Text(t) if Pattern::parse(t).is_ok_and(|p| p.has_gaps())))
        };
        let (gapped, plain): (Vec<&Vec<Clause>>, Vec<&Vec<Clause>>) = parsed.required.iter().partition(has_gap);
        for group in plain.into_iter().chain(gapped) {
            let mut union: BTreeMap<u32, f32> = BTreeMap::new();
            for clause in group {
                match self.clause(clause, result.as_ref())? {
                    Some(matches) => {
                        for (doc, score) in matches {
                            *union.entry(doc).or_insert(0.0) += score;
                        }
                    }
                    None => complete = false,
                }
            }
            let union: Matches = union.into_iter().collect();
            result = Some(match result {
                None => union,
                Some(so_far) => intersect(&so_far, &union),
            });
        }
        let mut result = result.unwrap_or_else(|| (0..self.meta.docs).map(|doc| (doc, 0.0)).collect::<Matches>());
        for clause in &parsed.excluded {
            match self.clause(clause, Some(&result))? {
                Some(excluded) => {
                    let excluded: BTreeSet<u32> = excluded.into_iter().map(|(doc, _)| doc).collect();
                    result.retain(|(doc, _)| !excluded.contains(doc));
                }
                None => complete = false,
            }
        }
        Ok(complete.then_some(result))
    }

    /// The reports matching `clause`; those outside `within`, when given,
    /// may be left out (it spares checking texts that cannot matter).
    fn clause(&self, clause: &Clause, within: Option<&Matches>) -> Result<Option<Matches>, QueryError> {
        let rows = &self.table.rows;
        let filtered = |keep: &dyn Fn(&DocRow) -> bool| -> Matches {
            (0..rows.len() as u32).filter(|&doc| keep(&rows[doc as usize])).map(|doc| (doc, 0.0)).collect()
        };
        Ok(match clause {
            Clause::Text(text) => {
                let pattern = Pattern::parse(text).map_err(QueryError::from)?;
                if pattern.has_gaps() { self.gapped(&pattern, within)? } else { self.phrase(text) }
            }
            Clause::Years(from, to) => {
                let (from, to) = (*from, *to);
                Some(filtered(&|row| year_within(i64::from(row.year), from, to)))
            }
            Clause::Value(field, value) => {
                let meta = self.meta;
                let known = values(*field, &meta.bodies, &meta.levels, &meta.periods);
                let Some(index) = known.and_then(|known| known.iter().position(|k| k == value)) else {
                    return Ok(Some(Vec::new()));
                };
                let index = index as u16;
                Some(match field {
                    FilterField::Body => filtered(&|row| row.body == index),
                    FilterField::Level => filtered(&|row| row.level == index),
                    FilterField::Period => filtered(&|row| row.period == index),
                    FilterField::Year => Vec::new(),
                })
            }
        })
    }

    /// Wording without gaps: the reports holding it, scored as Tantivy
    /// scores a term or phrase query.
    fn phrase(&self, text: &str) -> Option<Matches> {
        let phrase = phrase_terms(text);
        if phrase.is_prefix {
            let c = phrase.terms[0].1.chars().next()?;
            let Some(entry) = self.entry(&format::prefix_key(c))? else { return Some(Vec::new()) };
            return Some(self.postings(&entry)?.into_iter().map(|(doc, _)| (doc, 1.0)).collect());
        }
        // Every term's entry in one round, in every segment (the archive's
        // statistics), even when one is already missing.
        let keys: Vec<&str> = phrase.terms.iter().map(|(_, term)| term.as_str()).collect();
        let idf = self.run.idf(&keys);
        let entries: Vec<Option<Option<Entry<'_>>>> = keys.iter().map(|key| self.entry(key)).collect();
        let entries: Vec<Option<Entry<'_>>> = entries.into_iter().collect::<Option<_>>()?;
        let Some(entries): Option<Vec<Entry<'_>>> = entries.into_iter().collect() else {
            return Some(Vec::new());
        };
        let idf = idf?;
        if let [entry] = entries.as_slice() {
            return Some(self.postings(entry)?.into_iter().map(|(doc, tf)| (doc, self.bm25(idf, doc, tf))).collect());
        }

        // A frequent Han string has its own reports and counts.
        let normalized = normalize(text);
        let chars = normalized.chars().count();
        if chars >= 3
            && chars <= self.run.index.manifest.phrase_max_chars as usize
            && normalized.chars().all(|c| classify(c) == Class::Cjk)
            && let Some(entry) = self.entry(&format::phrase_key(&normalized))?
        {
            return Some(self.postings(&entry)?.into_iter().map(|(doc, tf)| (doc, self.bm25(idf, doc, tf))).collect());
        }

        // Else the positions of the reports holding every term.
        let postings: Vec<Option<Vec<(u32, u32)>>> = entries.iter().map(|e| self.postings(e)).collect();
        let postings: Vec<Vec<(u32, u32)>> = postings.into_iter().collect::<Option<_>>()?;
        let mut candidates: Vec<u32> = postings[0].iter().map(|&(doc, _)| doc).collect();
        for list in &postings[1..] {
            candidates.retain(|doc| list.binary_search_by_key(doc, |&(d, _)| d).is_ok());
        }
        if candidates.is_empty() {
            return Some(Vec::new());
        }
        if self.unfetched_blocks(&entries, &candidates) >= NARROW_BLOCKS {
            let terms: Vec<(&str, &Entry<'_>, &Vec<(u32, u32)>)> =
                keys.iter().zip(&entries).zip(&postings).map(|((key, entry), list)| (*key, entry, list)).collect();
            candidates = self.narrowed(&normalized, &terms, candidates)?;
            if candidates.is_empty() {
                return Some(Vec::new());
            }
        }
        if self.texts_cost_less(&entries, &candidates, &normalized) {
            return self.phrase_by_text(&normalized, idf, candidates);
        }
        let positions: Vec<Option<HashMap<u32, Vec<u32>>>> =
            entries.iter().zip(&postings).map(|(e, p)| self.positions(e, p, &candidates)).collect();
        let positions: Vec<HashMap<u32, Vec<u32>>> = positions.into_iter().collect::<Option<_>>()?;
        let positions: Vec<&HashMap<u32, Vec<u32>>> = positions.iter().collect();
        let offsets: Vec<u32> = phrase.terms.iter().map(|&(offset, _)| offset as u32).collect();
        let mut matches = Vec::new();
        for doc in candidates {
            let count = starts(&positions, &offsets, doc).len() as u32;
            if count > 0 {
                matches.push((doc, self.bm25(idf, doc, count)));
            }
        }
        Some(matches)
    }

    /// The candidates that also hold every other bigram of the phrase (its
    /// `terms` cover it with every other one), and, for Han wording, whose
    /// bigrams with positions at hand (inline, no blocks) stand where the
    /// phrase puts them: asked for only when positions would need several
    /// blocks (`NARROW_BLOCKS`).
    /// 发展质量效益不断提 has 2,106 candidates among 10,000 reports by its
    /// five terms, 28 by all eight bigrams. `None` while files are missing.
    fn narrowed(
        &self,
        normalized: &str,
        terms: &[(&str, &Entry<'a>, &Vec<(u32, u32)>)],
        mut candidates: Vec<u32>,
    ) -> Option<Vec<u32>> {
        let chars: Vec<char> = normalized.chars().collect();
        // Each bigram of a run of Han letters, with its character offset.
        let bigrams: Vec<(u32, String)> = chars
            .windows(2)
            .enumerate()
            .filter(|(_, pair)| pair.iter().all(|&c| classify(c) == Class::Cjk))
            .map(|(at, pair)| (at as u32, pair.iter().collect::<String>()))
            .collect();
        let mut others: Vec<&str> = bigrams
            .iter()
            .map(|(_, bigram)| bigram.as_str())
            .filter(|bigram| !terms.iter().any(|(key, _, _)| key == bigram))
            .collect();
        others.sort_unstable();
        others.dedup();
        let entries: Vec<Option<Option<Entry<'a>>>> = others.iter().map(|key| self.entry(key)).collect();
        let entries: Vec<Option<Entry<'a>>> = entries.into_iter().collect::<Option<_>>()?;
        // A bigram of the phrase no report holds: nor does any hold the phrase.
        let Some(entries): Option<Vec<Entry<'a>>> = entries.into_iter().collect() else { return Some(Vec::new()) };
        let postings: Vec<Option<Vec<(u32, u32)>>> = entries.iter().map(|e| self.postings(e)).collect();
        let postings: Vec<Vec<(u32, u32)>> = postings.into_iter().collect::<Option<_>>()?;
        for list in &postings {
            candidates.retain(|doc| list.binary_search_by_key(doc, |&(d, _)| d).is_ok());
        }

        // In Han wording a character is a position: the bigram at offset k
        // stands k positions after the phrase's start.
        if chars.iter().all(|&c| classify(c) == Class::Cjk) {
            let of = |key: &str| {
                terms
                    .iter()
                    .map(|&(k, entry, list)| (k, entry, list))
                    .chain(others.iter().zip(&entries).zip(&postings).map(|((k, e), l)| (*k, e, l)))
                    .find(|(k, _, _)| *k == key)
            };
            let mut offsets = Vec::new();
            let mut at_hand = Vec::new();
            for (offset, bigram) in &bigrams {
                let (_, entry, list) = of(bigram)?;
                if blocks_of(entry, &candidates).is_empty() {
                    offsets.push(*offset);
                    at_hand.push(self.positions(entry, list, &candidates)?);
                }
            }
            if at_hand.len() >= 2 {
                let at_hand: Vec<&HashMap<u32, Vec<u32>>> = at_hand.iter().collect();
                candidates.retain(|&doc| !starts(&at_hand, &offsets, doc).is_empty());
            }
        }
        Some(candidates)
    }

    /// Blocks of positions of `entries` that `docs` need and that were not
    /// fetched yet.
    fn unfetched_blocks(&self, entries: &[Entry<'a>], docs: &[u32]) -> usize {
        entries
            .iter()
            .map(|entry| match &entry.stored {
                Stored::External { id, .. } => blocks_of(entry, docs)
                    .into_iter()
                    .filter(|&block| !self.fetched(format::positions_path(*id, block)))
                    .count(),
                Stored::Inline { .. } => 0,
            })
            .sum()
    }

    fn fetched(&self, inside: String) -> bool {
        self.run.index.files.contains_key(&self.meta.path(&inside))
    }

    /// Whether the candidates' texts are fewer bytes to fetch than the
    /// blocks of positions that would check them (a rare phrase of common
    /// bigrams: a few candidates, each in another block of every term's
    /// positions). Only what is not fetched yet counts. Wording with
    /// punctuation inside keeps to positions (a run of separators is one
    /// position there).
    fn texts_cost_less(&self, entries: &[Entry<'a>], candidates: &[u32], normalized: &str) -> bool {
        if normalized.chars().any(|c| classify(c) == Class::Separator) {
            return false;
        }
        let blocks = self.unfetched_blocks(entries, candidates);
        let live = candidates.iter().filter(|doc| self.meta.deleted.binary_search(doc).is_err());
        let texts = live.filter(|&&doc| !self.fetched(format::doc_path(doc))).count() as u64;
        let text_bytes = texts * (self.meta.doc_bytes / u64::from(self.meta.docs.max(1)));
        text_bytes < (blocks * format::BLOCK_BYTES) as u64
    }

    /// A phrase checked and counted in its candidates' texts: the same
    /// reports and counts as their positions give (`find_phrase` is the
    /// rule the index's terms follow). Deleted reports are left out.
    fn phrase_by_text(&self, normalized: &str, idf: f32, candidates: Vec<u32>) -> Option<Matches> {
        let mut matches = Vec::new();
        let mut complete = true;
        for doc in candidates {
            if self.meta.deleted.binary_search(&doc).is_ok() {
                continue;
            }
            let path = format::doc_path(doc);
            let Some(bytes) = self.file(path.clone()) else {
                complete = false;
                continue;
            };
            let Some(report) = format::read_doc(bytes) else {
                self.run.damaged.borrow_mut().get_or_insert(self.meta.path(&path));
                return None;
            };
            let count = find_phrase(&normalize(&report.text), normalized).len() as u32;
            if count > 0 {
                matches.push((doc, self.bm25(idf, doc, count)));
            }
        }
        complete.then_some(matches)
    }

    /// Wording with gaps: the reports holding every part, each checked
    /// with the positions of its parts and of its sentence ends (see
    /// [`Pattern`]: gaps are counted in positions); scored as the sum of the
    /// parts' scores.
    fn gapped(&self, pattern: &Pattern, within: Option<&Matches>) -> Result<Option<Matches>, QueryError> {
        let parts: Vec<PhraseTerms> = pattern.parts.iter().map(|part| phrase_terms(part)).collect();
        let by_positions = !parts.iter().any(|part| part.is_prefix);
        if by_positions {
            // Asked for with the parts' own files, saving two rounds: the
            // sentence ends are needed whenever some report holds every part.
            if let Some(Some(entry)) = self.entry(format::SENTENCE_END_KEY) {
                self.postings(&entry);
            }
        }
        let mut candidates: Option<Matches> = None;
        let mut complete = true;
        for part in &pattern.parts {
            match self.phrase(part) {
                Some(matches) => {
                    candidates = Some(match candidates {
                        None => matches,
                        Some(so_far) => intersect(&so_far, &matches),
                    })
                }
                None => complete = false,
            }
        }
        let (true, Some(mut candidates)) = (complete, candidates) else { return Ok(None) };
        if let Some(within) = within {
            candidates = intersect(&candidates, &within.iter().map(|&(doc, _)| (doc, 0.0)).collect());
        }
        // Deleted reports need no checking.
        candidates.retain(|(doc, _)| self.meta.deleted.binary_search(doc).is_err());
        if candidates.is_empty() {
            return Ok(Some(candidates));
        }
        // A lone Han letter has no positions of its own (it hides in
        // bigrams): the texts decide.
        if !by_positions {
            return self.gapped_by_text(pattern, candidates);
        }
        let docs: Vec<u32> = candidates.iter().map(|&(doc, _)| doc).collect();

        // Every entry in one round: the parts' terms and the sentence ends.
        let keys = parts.iter().flat_map(|part| part.terms.iter().map(|(_, term)| term.as_str()));
        let entries: Vec<Option<Option<Entry<'_>>>> =
            keys.chain([format::SENTENCE_END_KEY]).map(|key| self.entry(key)).collect();
        let Some(entries): Option<Vec<Option<Entry<'_>>>> = entries.into_iter().collect() else { return Ok(None) };
        let blocks: usize = entries.iter().flatten().map(|entry| blocks_of(entry, &docs).len()).sum();
        if blocks > MAX_GAP_BLOCKS && self.run.download == Download::Bounded {
            let megabytes = (blocks * format::BLOCK_BYTES).div_ceil(1 << 20);
            return Err(Problem::GapTooBroadForStatic { candidates: docs.len(), megabytes }.into());
        }
        let postings: Vec<Option<Vec<(u32, u32)>>> =
            entries.iter().map(|entry| entry.as_ref().map_or(Some(Vec::new()), |e| self.postings(e))).collect();
        let Some(postings): Option<Vec<Vec<(u32, u32)>>> = postings.into_iter().collect() else { return Ok(None) };
        let positions: Vec<Option<HashMap<u32, Vec<u32>>>> = entries
            .iter()
            .zip(&postings)
            .map(|(entry, postings)| {
                entry.as_ref().map_or(Some(HashMap::new()), |e| self.positions(e, postings, &docs))
            })
            .collect();
        let Some(mut positions): Option<Vec<HashMap<u32, Vec<u32>>>> = positions.into_iter().collect() else {
            return Ok(None);
        };
        let sentence_ends = positions.pop().expect("the sentence ends were asked for last");

        let mut found = Vec::new();
        for (doc, score) in candidates {
            let mut terms = positions.iter();
            let starts: Vec<Vec<u32>> = parts
                .iter()
                .map(|part| {
                    let of_part: Vec<&HashMap<u32, Vec<u32>>> = terms.by_ref().take(part.terms.len()).collect();
                    phrase_starts(&of_part, part, doc)
                })
                .collect();
            let ends = sentence_ends.get(&doc).map_or(&[][..], Vec::as_slice);
            if reaches(pattern, &parts, &starts, ends) {
                found.push((doc, score));
            }
        }
        Ok(Some(found))
    }

    /// Wording with gaps checked against the texts of the candidates.
    fn gapped_by_text(&self, pattern: &Pattern, candidates: Matches) -> Result<Option<Matches>, QueryError> {
        if candidates.len() > MAX_GAP_CANDIDATES && self.run.download == Download::Bounded {
            let meta = self.meta;
            let bytes = candidates.len() as u64 * (meta.doc_bytes / u64::from(meta.docs.max(1)));
            let megabytes = bytes.div_ceil(1 << 20) as usize;
            return Err(Problem::GapTooBroadForStatic { candidates: candidates.len(), megabytes }.into());
        }
        let matcher = Matcher::new(vec![pattern.clone()]);
        let mut found = Vec::new();
        let mut complete = true;
        for (doc, score) in candidates {
            let path = format::doc_path(doc);
            let Some(bytes) = self.file(path.clone()) else {
                complete = false;
                continue;
            };
            let report = format::read_doc(bytes).ok_or_else(|| damaged(&self.meta.path(&path)))?;
            if matcher.is_match(&report.text) {
                found.push((doc, score));
            }
        }
        Ok(complete.then_some(found))
    }
}

/// Where a phrase starts in `doc`, ascending: the starts every term's
/// positions (`positions[i]` for the term at `offsets[i]`) agree on. How
/// many there are is how often it occurs, as Tantivy's phrase scorer counts.
fn starts(positions: &[&HashMap<u32, Vec<u32>>], offsets: &[u32], doc: u32) -> Vec<u32> {
    let Some(first) = positions[0].get(&doc) else { return Vec::new() };
    let mut starts: Vec<u32> = first.iter().filter_map(|p| p.checked_sub(offsets[0])).collect();
    for (term, &offset) in positions.iter().zip(offsets).skip(1) {
        let Some(here) = term.get(&doc) else { return Vec::new() };
        let shifted: BTreeSet<u32> = here.iter().filter_map(|p| p.checked_sub(offset)).collect();
        starts.retain(|s| shifted.contains(s));
    }
    starts.sort_unstable();
    starts
}

fn phrase_starts(positions: &[&HashMap<u32, Vec<u32>>], part: &PhraseTerms, doc: u32) -> Vec<u32> {
    let offsets: Vec<u32> = part.terms.iter().map(|&(offset, _)| offset as u32).collect();
    starts(positions, &offsets, doc)
}

/// Whether some start of the first part reaches the last part, each later
/// part taken at its nearest start the gap allows, no sentence ending
/// between (as [`Pattern`] decides in the text).
fn reaches(pattern: &Pattern, parts: &[PhraseTerms], starts: &[Vec<u32>], sentence_ends: &[u32]) -> bool {
    starts[0].iter().any(|&first| {
        let mut at = first + parts[0].span as u32;
        for (k, gap) in pattern.gaps.iter().enumerate() {
            let places = &starts[k + 1];
            let Some(&start) = places.get(places.partition_point(|&p| p < at + gap.min as u32)) else {
                return false;
            };
            let between = start - at;
            let ends_between =
                sentence_ends.partition_point(|&e| e < at) < sentence_ends.partition_point(|&e| e < start);
            if gap.max.is_some_and(|max| between as usize > max) || ends_between {
                return false;
            }
            at = start + parts[k + 1].span as u32;
        }
        true
    })
}

/// The blocks of positions `entry` holds for `docs` (none when its
/// positions come with its postings).
fn blocks_of(entry: &Entry<'_>, docs: &[u32]) -> BTreeSet<usize> {
    match &entry.stored {
        Stored::External { firsts, .. } if !firsts.is_empty() => {
            docs.iter().map(|doc| firsts.partition_point(|first| first <= doc).saturating_sub(1)).collect()
        }
        _ => BTreeSet::new(),
    }
}

fn intersect(a: &Matches, b: &Matches) -> Matches {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn year_within(year: i64, from: Bound<i64>, to: Bound<i64>) -> bool {
    std::ops::RangeBounds::contains(&(from, to), &year)
}

fn year_counts(years: impl Iterator<Item = u16>) -> Vec<YearCount> {
    let mut counts: BTreeMap<u16, u64> = BTreeMap::new();
    for year in years {
        *counts.entry(year).or_insert(0) += 1;
    }
    counts.into_iter().map(|(year, count)| YearCount { year: i64::from(year), count }).collect()
}

fn damaged(path: &str) -> QueryError {
    Problem::IndexUnavailable { why: format!("the static index file {path} is damaged: rebuild the site") }.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::SearchRequest;

    fn one_report_index() -> StaticIndex {
        let segment = SegmentMeta {
            id: "s1".into(),
            docs: 1,
            shards: 1,
            bodies: vec!["某局".into()],
            levels: vec!["市级".into()],
            periods: vec!["年度".into()],
            phrase_min_docs: 20,
            doc_bytes: 0,
            deleted: Vec::new(),
            deleted_terms: None,
            placed_in: Vec::new(),
        };
        let manifest = Manifest {
            format: format::FORMAT,
            language: "zh-CN".into(),
            docs: 1,
            total_tokens: 10,
            fieldnorms: (0..256).collect(),
            bodies: segment.bodies.clone(),
            levels: segment.levels.clone(),
            periods: segment.periods.clone(),
            phrase_max_chars: 12,
            segments: vec![segment],
        };
        let mut index = StaticIndex::open(&serde_json::to_vec(&manifest).unwrap()).unwrap();
        let request = SearchRequest::new("year:2020");
        let Step::Need(paths) = index.search(&request, Download::Bounded) else { panic!("the table comes first") };
        assert_eq!(paths, vec!["s1/docs.bin".to_owned()]);
        let rows = [DocRow { year: 2020, body: 0, level: 0, period: 0, fieldnorm: 10 }];
        index.add_file("s1/docs.bin", format::pack(&DocRow::encode_all(&rows, &[])));
        index
    }

    #[test]
    fn a_damaged_file_is_an_error_that_names_it_not_an_empty_answer() {
        let mut index = one_report_index();
        let request = SearchRequest::new("发展");
        let Step::Need(paths) = index.search(&request, Download::Bounded) else { panic!("the shard is needed first") };
        assert_eq!(paths, vec![format!("s1/{}", format::shard_path(0))]);
        index.add_file(&paths[0], b"not deflate at all".to_vec());
        match index.search(&request, Download::Bounded) {
            Step::Done(Err(error)) => assert!(error.message.contains("t/0.bin"), "{}", error.message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn filters_alone_need_no_dictionary_only_the_texts_of_the_hits_shown() {
        let mut index = one_report_index();
        let request = SearchRequest::new("year:2020 body:某局");
        let Step::Need(paths) = index.search(&request, Download::Bounded) else { panic!("the hit's text is needed") };
        assert_eq!(paths, vec![format!("s1/{}", format::doc_path(0))]);
        let report = crate::results::StoredReport {
            id: "a.md".into(),
            title: "某局2020年工作总结".into(),
            url: "/a/".into(),
            body: "某局".into(),
            level: "市级".into(),
            year: 2020,
            period: "年度".into(),
            date: String::new(),
            text: "某局2020年工作总结\n一年来。".into(),
            anchors: vec![(0, String::new())],
        };
        let mut bytes = Vec::new();
        format::put_doc(&mut bytes, &report, &crate::words::encode(&report.text, &[]));
        index.add_file(&paths[0], format::pack(&bytes));
        match index.search(&request, Download::Bounded) {
            Step::Done(Ok(results)) => {
                assert_eq!((results.total, results.hits[0].title.as_str()), (1, "某局2020年工作总结"));
                assert_eq!(results.facets.body[0].first_year, Some(2020));
            }
            other => panic!("{other:?}"),
        }
        match index.search(&SearchRequest::new("body:某"), Download::Bounded) {
            Step::Done(Err(error)) => assert!(error.message.contains("某"), "{}", error.message),
            other => panic!("{other:?}"),
        }
    }
}
