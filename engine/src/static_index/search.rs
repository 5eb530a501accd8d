//! Answering a query from the static index's files: the same query
//! language, matches, BM25 scores, totals and facets as the server's
//! Tantivy index (`tests/testsuite/static_search.rs` holds the two equal).
//!
//! The engine never fetches: [`StaticIndex::search`] answers with the files
//! it still needs, the caller (JavaScript in the browser, a test natively)
//! fetches them, hands them over with [`StaticIndex::add_file`] and asks
//! again. Each round asks for everything the query can know it needs at
//! that point: dictionary shards, then large postings, then the positions
//! of candidate reports only, then the texts of the hits shown.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use super::format::{self, DocRow, Entry, Meta, Stored};
use crate::analyzer::{Class, PhraseTerms, classify, normalize, phrase_terms};
use crate::messages::Problem;
use crate::pattern::{Matcher, Pattern};
use crate::query::{self, Clause, FilterField, ParsedQuery, QueryError};
use crate::results::{
    Facets, Hit, MAX_OFFSET, MAX_PER_PAGE, SearchRequest, SearchResults, Sort, ValueCount, YearCount,
};

/// Wording with gaps is checked with the positions of its parts and of
/// sentence ends in every report holding its parts; beyond this many blocks
/// of positions (about `BLOCK_BYTES` each) the reader is asked first…
pub const MAX_GAP_BLOCKS: usize = 512;
/// …and when a part is one Han letter, against the texts of at most this
/// many reports.
pub const MAX_GAP_CANDIDATES: usize = 400;

const K1: f32 = 1.2;
const B: f32 = 0.75;

pub struct StaticIndex {
    meta: Meta,
    rows: Vec<DocRow>,
    average_fieldnorm: f32,
    /// Fetched files, unpacked; `None` for one that would not unpack.
    files: HashMap<String, Option<Vec<u8>>>,
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
pub enum Step {
    Need(Vec<String>),
    Done(Result<SearchResults, QueryError>),
}

/// Reports and their scores, ascending by report.
type Matches = Vec<(u32, f32)>;

impl StaticIndex {
    /// `docs_bin` as fetched (packed).
    pub fn open(meta_json: &[u8], docs_bin: &[u8]) -> Result<StaticIndex, String> {
        let meta: Meta = serde_json::from_slice(meta_json).map_err(|e| format!("meta.json: {e}"))?;
        if meta.format != format::FORMAT {
            return Err(format!("the static index has format {}, this engine reads {}", meta.format, format::FORMAT));
        }
        let rows = format::unpack(docs_bin)
            .and_then(|bytes| DocRow::decode_all(&bytes, meta.docs as usize))
            .ok_or("docs.bin is damaged or does not match meta.json")?;
        if meta.fieldnorms.len() != 256 {
            return Err("docs.bin does not match meta.json".into());
        }
        let average_fieldnorm = meta.total_tokens as f32 / meta.docs.max(1) as f32;
        Ok(StaticIndex { meta, rows, average_fieldnorm, files: HashMap::new() })
    }

    pub fn language(&self) -> String {
        self.meta.language.clone()
    }

    /// A file as fetched (packed). A damaged one is remembered as such, and
    /// the query that needs it says so.
    pub fn add_file(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_owned(), format::unpack(&bytes));
    }

    /// Forgets fetched files (the caller's cache holds them anyway).
    pub fn clear_files(&mut self) {
        self.files.clear();
    }

    pub fn search(&self, request: &SearchRequest, download: Download) -> Step {
        let run = Run { index: self, download, missing: RefCell::new(BTreeSet::new()), damaged: RefCell::new(None) };
        let answer = run.search(request);
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

    fn bm25(&self, idf: f32, doc: u32, tf: u32) -> f32 {
        let fieldnorm = self.meta.fieldnorms[usize::from(self.rows[doc as usize].fieldnorm)];
        let norm = K1 * (1.0 - B + B * fieldnorm as f32 / self.average_fieldnorm);
        let tf = tf as f32;
        idf * (1.0 + K1) * (tf / (tf + norm))
    }

    fn idf(&self, df: u32) -> f32 {
        let x = ((self.meta.docs - df.min(self.meta.docs)) as f32 + 0.5) / (df as f32 + 0.5);
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

impl Run<'_> {
    fn file(&self, path: String) -> Option<&[u8]> {
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

    /// `Some(None)` when the dictionary has no such key; `None` while its
    /// shard is missing.
    fn entry(&self, key: &str) -> Option<Option<Entry<'_>>> {
        let shard = self.file(format::shard_path(format::shard_of(key, self.index.meta.shards)))?;
        Some(format::find_entry(shard, key))
    }

    fn postings(&self, entry: &Entry<'_>) -> Option<Vec<(u32, u32)>> {
        format::read_postings(self.parts(entry)?.0)
    }

    /// An entry's postings and, unless in blocks, its positions.
    fn parts<'f>(&'f self, entry: &Entry<'f>) -> Option<(&'f [u8], &'f [u8])> {
        match &entry.stored {
            Stored::Inline { postings, positions } => Some((postings, positions)),
            Stored::External { id, .. } => format::split_external(self.file(format::postings_path(*id))?),
        }
    }

    /// Positions of `entry`'s term in each of `docs` (which it holds).
    fn positions(&self, entry: &Entry<'_>, postings: &[(u32, u32)], docs: &[u32]) -> Option<HashMap<u32, Vec<u32>>> {
        let counts: Vec<u32> = postings.iter().map(|&(_, tf)| tf).collect();
        let mut out = HashMap::new();
        match &entry.stored {
            Stored::External { id, firsts } if !firsts.is_empty() => {
                let blocks: BTreeSet<usize> =
                    docs.iter().map(|doc| firsts.partition_point(|first| first <= doc).saturating_sub(1)).collect();
                let mut complete = true;
                for block in blocks {
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

        let Some(mut matches) = self.evaluate(&parsed)? else { return Ok(None) };
        let rows = &self.index.rows;
        // Reports are numbered oldest first.
        match sort {
            Sort::Relevance => matches.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))),
            Sort::Newest => matches.sort_by_key(|&(doc, _)| std::cmp::Reverse(doc)),
            Sort::Oldest => {}
        }
        let docs: Vec<u32> = matches.iter().map(|&(doc, _)| doc).collect();
        let mut facets = self.facets(&docs);
        let Some(scope) = self.evaluate(&parsed.scope())? else { return Ok(None) };
        facets.archive_years = year_counts(scope.iter().map(|&(doc, _)| rows[doc as usize].year));

        let wording = parsed.wording();
        let mut hits = Vec::new();
        for &(doc, score) in matches.iter().skip(offset).take(per_page) {
            let Some(bytes) = self.file(format::doc_path(doc)) else { continue };
            let report = format::read_doc(bytes).ok_or_else(|| damaged(&format::doc_path(doc)))?;
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

    /// A body, level or period the archive does not have is named, with the
    /// closest one, as the server does.
    fn check_values(&self, parsed: &ParsedQuery) -> Result<(), QueryError> {
        for (field, value) in parsed.values() {
            let Some(known) = self.values(field) else { continue };
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

    fn values(&self, field: FilterField) -> Option<&Vec<String>> {
        let meta = &self.index.meta;
        match field {
            FilterField::Body => Some(&meta.bodies),
            FilterField::Level => Some(&meta.levels),
            FilterField::Period => Some(&meta.periods),
            FilterField::Year => None,
        }
    }

    /// Every report the query matches, with its score; `None` while files
    /// are missing.
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
        let mut result = result.unwrap_or_else(|| (0..self.index.meta.docs).map(|doc| (doc, 0.0)).collect::<Matches>());
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
        let rows = &self.index.rows;
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
                let Some(index) = self.values(*field).and_then(|known| known.iter().position(|k| k == value)) else {
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
        let index = self.index;
        let phrase = phrase_terms(text);
        if phrase.is_prefix {
            let c = phrase.terms[0].1.chars().next()?;
            let Some(entry) = self.entry(&format::prefix_key(c))? else { return Some(Vec::new()) };
            return Some(self.postings(&entry)?.into_iter().map(|(doc, _)| (doc, 1.0)).collect());
        }
        // Every term's entry in one round, even when one is already missing.
        let entries: Vec<Option<Option<Entry<'_>>>> = phrase.terms.iter().map(|(_, term)| self.entry(term)).collect();
        let entries: Vec<Option<Entry<'_>>> = entries.into_iter().collect::<Option<_>>()?;
        let Some(entries): Option<Vec<Entry<'_>>> = entries.into_iter().collect() else {
            return Some(Vec::new());
        };
        if let [entry] = entries.as_slice() {
            let idf = index.idf(entry.df);
            return Some(self.postings(entry)?.into_iter().map(|(doc, tf)| (doc, index.bm25(idf, doc, tf))).collect());
        }
        let idf: f32 = entries.iter().fold(0.0, |sum, entry| sum + index.idf(entry.df));

        // A frequent Han string has its own reports and counts.
        let normalized = normalize(text);
        let chars = normalized.chars().count();
        if chars >= 3
            && chars <= index.meta.phrase_max_chars as usize
            && normalized.chars().all(|c| classify(c) == Class::Cjk)
            && let Some(entry) = self.entry(&format::phrase_key(&normalized))?
        {
            return Some(self.postings(&entry)?.into_iter().map(|(doc, tf)| (doc, index.bm25(idf, doc, tf))).collect());
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
        let positions: Vec<Option<HashMap<u32, Vec<u32>>>> =
            entries.iter().zip(&postings).map(|(e, p)| self.positions(e, p, &candidates)).collect();
        let positions: Vec<HashMap<u32, Vec<u32>>> = positions.into_iter().collect::<Option<_>>()?;
        let positions: Vec<&HashMap<u32, Vec<u32>>> = positions.iter().collect();
        let offsets: Vec<u32> = phrase.terms.iter().map(|&(offset, _)| offset as u32).collect();
        let mut matches = Vec::new();
        for doc in candidates {
            let count = starts(&positions, &offsets, doc).len() as u32;
            if count > 0 {
                matches.push((doc, index.bm25(idf, doc, count)));
            }
        }
        Some(matches)
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
        let blocks: usize = entries.iter().flatten().map(|entry| blocks_of(entry, &docs)).sum();
        if blocks > MAX_GAP_BLOCKS && self.download == Download::Bounded {
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
        if candidates.len() > MAX_GAP_CANDIDATES && self.download == Download::Bounded {
            let meta = &self.index.meta;
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
            let report = format::read_doc(bytes).ok_or_else(|| damaged(&path))?;
            if matcher.is_match(&report.text) {
                found.push((doc, score));
            }
        }
        Ok(complete.then_some(found))
    }

    fn facets(&self, docs: &[u32]) -> Facets {
        let rows = &self.index.rows;
        let meta = &self.index.meta;
        let counted = |names: &[String], value_of: &dyn Fn(&DocRow) -> u16, with_years: bool| -> Vec<ValueCount> {
            let mut counts: HashMap<u16, (u64, u16, u16)> = HashMap::new();
            for &doc in docs {
                let row = &rows[doc as usize];
                let slot = counts.entry(value_of(row)).or_insert((0, row.year, row.year));
                slot.0 += 1;
                slot.1 = slot.1.min(row.year);
                slot.2 = slot.2.max(row.year);
            }
            let mut out: Vec<ValueCount> = counts
                .into_iter()
                .filter_map(|(index, (count, first, last))| {
                    Some(ValueCount {
                        value: names.get(usize::from(index))?.clone(),
                        count,
                        first_year: with_years.then_some(i64::from(first)),
                        last_year: with_years.then_some(i64::from(last)),
                    })
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out
        };
        Facets {
            year: year_counts(docs.iter().map(|&doc| rows[doc as usize].year)),
            archive_years: Vec::new(),
            body: counted(&meta.bodies, &|row| row.body, true),
            level: counted(&meta.levels, &|row| row.level, false),
            period: counted(&meta.periods, &|row| row.period, false),
        }
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

/// How many blocks of positions `entry` holds for `docs` (none when its
/// positions come with its postings).
fn blocks_of(entry: &Entry<'_>, docs: &[u32]) -> usize {
    match &entry.stored {
        Stored::External { firsts, .. } if !firsts.is_empty() => {
            let blocks: BTreeSet<usize> =
                docs.iter().map(|doc| firsts.partition_point(|first| first <= doc).saturating_sub(1)).collect();
            blocks.len()
        }
        _ => 0,
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
        let meta = Meta {
            format: format::FORMAT,
            docs: 1,
            total_tokens: 10,
            fieldnorms: (0..256).collect(),
            shards: 1,
            language: "zh-CN".into(),
            bodies: vec!["某局".into()],
            levels: vec!["市级".into()],
            periods: vec!["年度".into()],
            phrase_min_docs: 20,
            phrase_max_chars: 12,
            doc_bytes: 0,
        };
        let rows = [DocRow { year: 2020, body: 0, level: 0, period: 0, fieldnorm: 10 }];
        StaticIndex::open(&serde_json::to_vec(&meta).unwrap(), &format::pack(&DocRow::encode_all(&rows))).unwrap()
    }

    #[test]
    fn a_damaged_file_is_an_error_that_names_it_not_an_empty_answer() {
        let mut index = one_report_index();
        let request = SearchRequest::new("发展");
        let Step::Need(paths) = index.search(&request, Download::Bounded) else { panic!("the shard is needed first") };
        assert_eq!(paths, vec![format::shard_path(0)]);
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
        assert_eq!(paths, vec![format::doc_path(0)]);
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
        format::put_doc(&mut bytes, &report);
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
