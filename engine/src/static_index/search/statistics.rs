//! The corpus statistics from the static index: collocates, keyness and
//! clusters, ranked by the engine's own `collocates`, `keyness` and
//! `clusters`, as the server ranks them. A part of the archive is the
//! reports a search of its query finds, in date order; its texts and their
//! stored cuts are fetched (beyond `MAX_TEXT_BYTES` the reader is asked
//! first) and counted by the search's rule (`counting`), where the server
//! reads some counts from its postings: the same counts.

use super::{Doc, Download, Run, StaticIndex, Step};
use crate::clusters::{self, Clusters};
use crate::collocates::{self, Collocates};
use crate::concordance::info;
use crate::counting::{Counted, Counter};
use crate::keyness::{self, Keyness, Mode, Other};
use crate::messages::Problem;
use crate::pattern::{Matcher, Pattern};
use crate::query::{self, ParsedQuery, QueryError};
use crate::results::StoredReport;
use crate::units::{CHUNK_REPORTS, Candidates, MAX_REPORTS};

impl StaticIndex {
    /// The collocates of `query`'s phrase within `window` positions; each
    /// word's frequency counted in the texts of the part its filters select.
    pub fn collocates(&self, query: &str, window: usize, download: Download) -> Step<Collocates> {
        self.step(download, |run| run.collocates(query, window))
    }

    /// The keyness of the part `target` selects against the part
    /// `reference` selects (queries: filters, wording or both).
    pub fn keyness(&self, target: &str, reference: &str, mode: Mode, download: Download) -> Step<Keyness> {
        self.step(download, |run| run.keyness(target, reference, mode))
    }

    /// The recurring formulations of the part `query` selects.
    pub fn clusters(&self, query: &str, download: Download) -> Step<Clusters> {
        self.step(download, |run| run.clusters(query))
    }
}

impl Run<'_> {
    fn collocates(&self, query: &str, window: usize) -> Result<Option<Collocates>, QueryError> {
        let window = window.clamp(1, collocates::MAX_WINDOW);
        let parsed = query::parse(query)?;
        if parsed.wording().len() > 1 {
            // Said before any text is fetched (none: the concordance says so).
            return Err(Problem::OneWordingOnly.into());
        }
        let found = self.occurrences(query, collocates::context_width(window), true)?;
        // The part the frequencies are counted in: the query's filters.
        let part = self.reports_of(&parsed.filters())?;
        let Some(part) = part else { return Ok(None) };
        self.within_budget(&[&part])?;
        let texts = self.texts(&part);
        let (Some(found), Some(texts)) = (found, texts) else { return Ok(None) };
        let candidates = collocates::candidates(&found, window)?;
        let units: Vec<String> = candidates.iter().map(|(word, _)| word.clone()).collect();
        let counter = Counter::new(&units);
        let (mut freqs, mut positions) = (vec![0u64; units.len()], 0);
        for (&doc, bytes) in part.iter().zip(texts) {
            let (report, _) = self.read_text(doc, bytes)?;
            let (size, counts) = counter.count(&report.text);
            positions += size;
            for (unit, count) in counts {
                freqs[unit as usize] += count;
            }
        }
        Ok(Some(collocates::collocates(&found, window, candidates, &freqs, positions)))
    }

    fn keyness(&self, target: &str, reference: &str, mode: Mode) -> Result<Option<Keyness>, QueryError> {
        let (listed, other) = mode.listed_and_other(target, reference);
        let (listed, other) = (self.part(listed)?, self.part(other)?);
        let (Some(listed), Some(other)) = (listed, other) else { return Ok(None) };
        self.within_budget(&[&listed.1, &other.1])?;
        let (listed_texts, other_texts) = (self.texts(&listed.1), self.texts(&other.1));
        let (Some(listed_texts), Some(other_texts)) = (listed_texts, other_texts) else { return Ok(None) };
        let listed = holding(&listed.0, self.read_all(&listed.1, &listed_texts)?)?;
        let other = holding(&other.0, self.read_all(&other.1, &other_texts)?)?;
        let found = candidates(&listed, keyness::MIN_CHARS)?;
        let texts = keyness::candidates(&found);
        let counter = Counter::new(&texts);
        let (in_listed, in_other) = (counted(&counter, listed), counted(&counter, other));
        let other = Other {
            totals: in_other.totals(texts.len()),
            size: in_other.size(),
            reports: in_other.reports.len() as u64,
        };
        Ok(Some(keyness::keyness(target, reference, mode, &found, &texts, &in_listed, &other)))
    }

    fn clusters(&self, query: &str) -> Result<Option<Clusters>, QueryError> {
        let Some((parsed, part)) = self.part(query)? else { return Ok(None) };
        self.within_budget(&[&part])?;
        let Some(texts) = self.texts(&part) else { return Ok(None) };
        let reports = holding(&parsed, self.read_all(&part, &texts)?)?;
        let found = candidates(&reports, clusters::MIN_CHARS)?;
        let candidates = clusters::candidates(found);
        let units: Vec<String> = candidates.iter().map(|(u, _)| u.clone()).collect();
        let counted = counted(&Counter::new(&units), reports);
        Ok(Some(clusters::clusters(query, &candidates, &counted)))
    }

    /// The query of a part and the reports it may select, in date order
    /// (see [`holding`]): a query of exclusions only (`-body:"某局"`)
    /// is every other report. `None` while files are missing.
    fn part(&self, query: &str) -> Result<Option<(ParsedQuery, Vec<Doc>)>, QueryError> {
        let parsed = match query::parse(query) {
            Err(e) if e.problem == Problem::OnlyExcludes => query::parse(&format!("year:..9999 {query}"))?,
            parsed => parsed?,
        };
        Ok(self.reports_of(&parsed)?.map(|docs| (parsed, docs)))
    }

    /// The reports of a part with their word cuts, read from their texts
    /// once for every use that follows.
    fn read_all(&self, part: &[Doc], texts: &[&[u8]]) -> Result<Vec<(StoredReport, Vec<usize>)>, QueryError> {
        part.iter()
            .zip(texts)
            .map(|(&doc, bytes)| {
                let (report, bits) = self.read_text(doc, bytes)?;
                // The bits fit the text (`read_text`).
                let cuts = crate::words::decode(&report.text, bits).unwrap_or_default();
                Ok((report, cuts))
            })
            .collect()
    }

    fn reports_of(&self, parsed: &ParsedQuery) -> Result<Option<Vec<Doc>>, QueryError> {
        self.check_values(parsed)?;
        let Some(matches) = self.matching(parsed)? else { return Ok(None) };
        let mut docs: Vec<Doc> = matches.into_iter().map(|(doc, _)| doc).collect();
        let index = self.index;
        docs.sort_by(|a, b| index.order(*a, *b));
        Ok(Some(docs))
    }
}

/// The reports of a part whose text holds its query's wording, as the
/// server selects them: wording with gaps is matched in the index by its
/// parts, then checked in the text.
fn holding(
    parsed: &ParsedQuery,
    reports: Vec<(StoredReport, Vec<usize>)>,
) -> Result<Vec<(StoredReport, Vec<usize>)>, QueryError> {
    let wording = parsed.wording();
    if wording.is_empty() {
        return Ok(reports);
    }
    let patterns: Vec<Pattern> = wording.iter().map(|w| Pattern::parse(w)).collect::<Result<_, _>>()?;
    let matcher = Matcher::new(patterns);
    Ok(reports.into_iter().filter(|(report, _)| !matcher.find(&report.text).is_empty()).collect())
}

/// The units of the reports of a part (numbered in its order), of at most
/// `MAX_REPORTS` reports, as the server gathers them.
fn candidates(reports: &[(StoredReport, Vec<usize>)], min_chars: usize) -> Result<Candidates, QueryError> {
    if reports.len() > MAX_REPORTS {
        return Err(Problem::PartTooLarge { reports: reports.len(), max: MAX_REPORTS }.into());
    }
    let mut found = Candidates::default();
    for (number, (report, cuts)) in reports.iter().enumerate() {
        found.add(number as u32, &report.text, cuts, min_chars);
        // Where the server ends its chunks, the last one too.
        if (number + 1) % CHUNK_REPORTS == 0 || number + 1 == reports.len() {
            found.end_chunk();
        }
    }
    Ok(found)
}

/// Each report of a part with its size and its counts of `counter`'s units.
fn counted(counter: &Counter, reports: Vec<(StoredReport, Vec<usize>)>) -> Counted {
    let mut counted = Counted::default();
    for (report, _) in reports {
        let (size, counts) = counter.count(&report.text);
        counted.add(info(report), size, counts);
    }
    counted
}
