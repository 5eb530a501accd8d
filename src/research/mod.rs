//! Wording research: not *which* reports hold a phrase (that is search), but
//! *how* it was worded, by whom and since when, the questions corpus tools
//! (CCL, BCC, Sketch Engine, BlackLab) answer for linguists.
//!
//! - this module: every occurrence of a query's wording in the index, with
//!   its context and its report ([`occurrences`])
//! - `concordance`: those occurrences as KWIC lines: sorted, grouped, folded
//! - `continuations`: what follows or precedes a phrase, as a table
//! - `variants`: the forms a gap query (`坚持*发展`) was filled with, by year
//! - `collocates`: the words near a phrase, with association scores
//!   (`analysis::stats`)
//! - `frequency`: a phrase per year (per 10,000 positions too) and per body
//! - `keyness`: what one part of the archive says more than another, or alone
//! - `clusters`: formulations recurring across reports, bodies and years
//! - `draft`: a draft's sentences checked against the archive (公文校核)
//! - `units`: the whole-word units those two start from
//! - `scope`: units counted over a filtered part of the archive
//! - `export`: all of these as CSV or XLSX
//! - `print`: all of these as text for a terminal
//!
//! Where words begin and end (`analysis::words`), so that a shown unit is
//! whole, and the formulations the year and body pages show
//! (`analysis::novel`, `analysis::overview`) are found before rendering,
//! with no index: they live in `analysis`.
//!
//! Everything starts from the same query language as search; occurrences are
//! found in each matching report's stored text with the same matcher that
//! marks snippets, so a concordance and a search never disagree.

pub mod clusters;
pub mod collocates;
pub mod concordance;
pub mod continuations;
pub mod draft;
pub mod export;
pub mod frequency;
pub mod keyness;
pub mod print;
pub mod scope;
pub mod units;
pub mod variants;

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::search::messages::Problem;
use crate::search::pattern::{Matcher, Pattern};
use crate::search::searcher::{SearchError, StoredReport, anchored};
use crate::search::{QueryError, SearchIndex};

/// Occurrences kept with their context; beyond this they are counted only.
/// (A phrase as common as 发展 occurs hundreds of thousands of times.)
pub const MAX_KEPT: usize = 200_000;
/// Context on each side of a match, in characters, unless asked otherwise.
pub const DEFAULT_WIDTH: usize = 30;
/// The widest context asked for.
pub const MAX_WIDTH: usize = 200;

/// A report some occurrence is in.
#[derive(Debug, Clone, Serialize)]
pub struct ReportInfo {
    pub id: String,
    pub title: String,
    pub url: String,
    pub body: String,
    pub level: String,
    pub period: String,
    pub year: i64,
    pub date: String,
}

/// One occurrence of the wording.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// Index into [`Occurrences::reports`].
    pub report: u32,
    /// Up to the context width, never past the paragraph.
    pub left: String,
    pub matched: String,
    pub right: String,
    /// The paragraph's anchor on the report page ("" for the title).
    pub anchor: String,
    /// Byte offset in the report's text: reading order.
    pub offset: usize,
    /// Equal for the same place in the same paragraph text, whichever
    /// report it is in: recurring passages fold by it. `None` for paragraphs
    /// too short to count as a passage.
    pub passage_key: Option<u64>,
}

/// Every occurrence of a query's wording, in year order.
#[derive(Debug, Clone)]
pub struct Occurrences {
    pub query: String,
    /// The query's wording, as typed (without quotes).
    pub wording: Vec<String>,
    pub width: usize,
    /// Occurrences found, all of them.
    pub total: usize,
    pub reports: Vec<ReportInfo>,
    /// Occurrences in each report of `reports`, all of them (kept or not).
    pub per_report: Vec<usize>,
    /// At most `MAX_KEPT`, the earliest first.
    pub items: Vec<Occurrence>,
    pub took_ms: f64,
}

impl Occurrence {
    /// The left context after its last punctuation: the occurrence's own
    /// clause. Cut before normalizing, which drops punctuation at the ends
    /// (发展，坚持 would read as 发展坚持).
    pub fn clause_left(&self) -> &str {
        self.left.rsplit(is_separator).next().unwrap_or_default()
    }

    /// The right context up to its first punctuation.
    pub fn clause_right(&self) -> &str {
        self.right.split(is_separator).next().unwrap_or_default()
    }
}

/// Punctuation, spaces and other characters that end a clause's text.
fn is_separator(c: char) -> bool {
    crate::search::analyzer::classify(c) == crate::search::analyzer::Class::Separator
}

impl Occurrences {
    /// Fewer occurrences kept than found.
    pub fn truncated(&self) -> bool {
        self.items.len() < self.total
    }

    pub fn report(&self, occurrence: &Occurrence) -> &ReportInfo {
        &self.reports[occurrence.report as usize]
    }

    /// The report page at the occurrence's paragraph.
    pub fn url(&self, occurrence: &Occurrence) -> String {
        anchored(&self.report(occurrence).url, &occurrence.anchor)
    }
}

/// Finds every occurrence of the wording of `query` (search language, with
/// filters) in the reports it matches, with `width` characters of context.
pub fn occurrences(index: &SearchIndex, query: &str, width: usize) -> Result<Occurrences, SearchError> {
    let started = Instant::now();
    let matching = index.matching(query)?;
    let wording = matching.parsed.wording();
    if wording.is_empty() {
        return Err(QueryError::from(Problem::NoWording).into());
    }
    let patterns: Vec<Pattern> =
        wording.iter().map(|w| Pattern::parse(w)).collect::<Result<_, _>>().map_err(QueryError::from)?;
    // When the index left gap wording unchecked, a report matches iff each
    // required group has an alternative found in its text: the groups as
    // places in `wording` (which lists the groups' wording in order).
    let groups: Vec<Vec<usize>> = match matching.parsed.text_groups() {
        Some(groups) if !matching.checked => {
            let mut at = 0;
            groups
                .iter()
                .map(|group| {
                    at += group.len();
                    (at - group.len()..at).collect()
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let width = width.clamp(1, MAX_WIDTH);
    let matcher = Matcher::new(patterns);
    // Reports are read in date order, a chunk at a time in parallel: once
    // enough occurrences are kept, the later reports are only counted.
    let mut reports = Vec::new();
    let mut per_report = Vec::new();
    let mut items = Vec::new();
    let mut total = 0;
    for chunk in matching.docs.chunks(CHUNK) {
        let keep = items.len() < MAX_KEPT;
        let found: Vec<(usize, Vec<Occurrence>, ReportInfo)> = chunk
            .par_iter()
            .map(|&address| {
                let stored = index.stored(&matching.searcher, address)?;
                let found = matcher.find(&stored.text);
                let matches = |group: &Vec<usize>| found.iter().any(|(pattern, _)| group.contains(pattern));
                let mut ranges: Vec<(usize, usize)> = if groups.iter().all(matches) {
                    found.iter().map(|&(_, range)| range).collect()
                } else {
                    Vec::new()
                };
                ranges.sort_unstable();
                ranges.dedup();
                let places = if keep { in_context(&stored, &ranges, width) } else { Vec::new() };
                Ok((ranges.len(), places, info(stored)))
            })
            .collect::<Result<_, crate::search::IndexError>>()?;
        for (count, places, report) in found {
            if count == 0 {
                continue;
            }
            let number = reports.len() as u32;
            total += count;
            reports.push(report);
            per_report.push(count);
            items.extend(places.into_iter().map(|place| Occurrence { report: number, ..place }));
        }
    }
    items.truncate(MAX_KEPT);
    Ok(Occurrences {
        query: query.to_owned(),
        wording: matching.parsed.wording().iter().map(|w| w.to_string()).collect(),
        width,
        total,
        reports,
        per_report,
        items,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

fn info(stored: StoredReport) -> ReportInfo {
    ReportInfo {
        id: stored.id,
        title: stored.title,
        url: stored.url,
        body: stored.body,
        level: stored.level,
        period: stored.period,
        year: stored.year,
        date: stored.date,
    }
}

/// The anchor of the paragraph holding byte `offset` of a report's text
/// ("" for the title).
pub(crate) fn anchor_at(report: &StoredReport, offset: usize) -> &str {
    let at = report.anchors.partition_point(|(start, _)| *start <= offset);
    at.checked_sub(1).map_or("", |i| report.anchors[i].1.as_str())
}

/// Reports read at a time (see [`occurrences`]).
const CHUNK: usize = 256;

/// The occurrences at `ranges` (sorted) of a report, with their context.
fn in_context(report: &StoredReport, ranges: &[(usize, usize)], width: usize) -> Vec<Occurrence> {
    let text = report.text.as_str();
    let bytes = text.as_bytes();
    // Occurrences in one paragraph share its hash.
    let mut paragraph: Option<(usize, Option<u64>)> = None;
    ranges
        .iter()
        .map(|&(from, to)| {
            let line_start = memchr::memrchr(b'\n', &bytes[..from]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &bytes[to..]).map_or(text.len(), |i| to + i);
            let before = &text[line_start..from];
            let left_start = before.char_indices().rev().nth(width - 1).map_or(0, |(i, _)| i);
            let after = &text[to..line_end];
            let right_end = after.char_indices().nth(width).map_or(after.len(), |(i, _)| i);
            let anchor = anchor_at(report, from).to_owned();
            let paragraph_key = match paragraph {
                Some((start, key)) if start == line_start => key,
                _ => {
                    let text = text[line_start..line_end].trim();
                    let key = (text.chars().count() >= crate::analysis::passages::MIN_CHARS)
                        .then(|| crate::shared::hash::hash_bytes(text.as_bytes()));
                    paragraph = Some((line_start, key));
                    key
                }
            };
            let passage_key = paragraph_key.map(|key| crate::shared::hash::mix(key ^ (from - line_start) as u64));
            Occurrence {
                report: 0,
                left: before[left_start..].to_owned(),
                matched: text[from..to].to_owned(),
                right: after[..right_end].to_owned(),
                anchor,
                offset: from,
                passage_key,
            }
        })
        .collect()
}
