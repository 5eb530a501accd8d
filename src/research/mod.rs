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
pub mod draft;
pub mod export;
pub mod frequency;
pub mod keyness;
pub mod print;
pub mod scope;
pub mod units;

use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::words;
use crate::search::messages::Problem;
use crate::search::pattern::{Matcher, Pattern};
use crate::search::searcher::{Matching, SearchError};
use crate::search::{QueryError, SearchIndex};
use tantivy::DocAddress;

pub use wenku_engine::{continuations, variants};

pub use wenku_engine::concordance::{
    DEFAULT_WIDTH, Gathered, MAX_KEPT, MAX_WIDTH, Occurrence, Occurrences, ReportInfo, anchor_at, in_context, info,
};

/// Finds every occurrence of the wording of `query` (search language, with
/// filters) in the reports it matches, with `width` characters of context.
pub fn occurrences(index: &SearchIndex, query: &str, width: usize) -> Result<Occurrences, SearchError> {
    gather(index, query, width, false)
}

/// [`occurrences`] with the word cuts of each one's clause, which the
/// tables of units (what follows, variants, collocates) read.
pub fn occurrences_in_words(index: &SearchIndex, query: &str, width: usize) -> Result<Occurrences, SearchError> {
    gather(index, query, width, true)
}

fn gather(index: &SearchIndex, query: &str, width: usize, with_cuts: bool) -> Result<Occurrences, SearchError> {
    let started = Instant::now();
    let matching = index.matching(query)?;
    let wording = matching.parsed.wording();
    if wording.is_empty() {
        return Err(QueryError::from(Problem::NoWording).into());
    }
    let check = WordingCheck::of(&matching)?;
    let width = width.clamp(1, MAX_WIDTH);
    // Reports are read in date order, a chunk at a time in parallel: once
    // enough occurrences are kept, the later reports are only counted.
    let mut gathered = Gathered::default();
    for chunk in matching.docs.chunks(CHUNK) {
        let keep = gathered.keeps();
        let found: Vec<(usize, Vec<Occurrence>, ReportInfo)> = chunk
            .par_iter()
            .map(|&address| {
                let (stored, bits) = match with_cuts {
                    true => index.stored_with_cut_bits(&matching.searcher, address)?,
                    false => (index.stored(&matching.searcher, address)?, Vec::new()),
                };
                let ranges = check.ranges(&stored.text);
                let places = if keep {
                    // The build's cuts; segmented anew only if they do not fit.
                    let cuts = match with_cuts {
                        true => wenku_engine::words::decode_around(&stored.text, &bits, &ranges, width)
                            .unwrap_or_else(|| words::cuts_around(&stored.text, &ranges)),
                        false => Vec::new(),
                    };
                    in_context(&stored, &ranges, width, &cuts)
                } else {
                    Vec::new()
                };
                Ok((ranges.len(), places, info(stored)))
            })
            .collect::<Result<_, crate::search::IndexError>>()?;
        for (count, places, report) in found {
            gathered.add(report, count, places);
        }
    }
    let wording = matching.parsed.wording().iter().map(|w| w.to_string()).collect();
    Ok(gathered.finish(query, wording, width, started.elapsed().as_secs_f64() * 1000.0))
}

/// Reports read at a time (see [`occurrences`]).
const CHUNK: usize = 256;

/// The reports of `matching` whose text holds its wording (all when the
/// index checked them), in its order.
pub fn holding(index: &SearchIndex, matching: &Matching) -> Result<Vec<DocAddress>, SearchError> {
    if matching.checked || !matching.parsed.has_wording() {
        return Ok(matching.docs.clone());
    }
    let check = WordingCheck::of(matching)?;
    let held: Vec<Option<DocAddress>> = matching
        .docs
        .par_iter()
        .map(|&address| {
            let stored = index.stored(&matching.searcher, address)?;
            Ok((!check.ranges(&stored.text).is_empty()).then_some(address))
        })
        .collect::<Result<_, crate::search::IndexError>>()?;
    Ok(held.into_iter().flatten().collect())
}

/// Where a query's wording is in a report's text, as search decides it.
struct WordingCheck {
    matcher: Matcher,
    /// When the index left gap wording unchecked, a report matches iff each
    /// required group has an alternative found in its text: the groups as
    /// places in the wording (which lists the groups' wording in order).
    groups: Vec<Vec<usize>>,
}

impl WordingCheck {
    fn of(matching: &Matching) -> Result<WordingCheck, SearchError> {
        let wording = matching.parsed.wording();
        let patterns: Vec<Pattern> =
            wording.iter().map(|w| Pattern::parse(w)).collect::<Result<_, _>>().map_err(QueryError::from)?;
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
        Ok(WordingCheck { matcher: Matcher::new(patterns), groups })
    }

    /// The byte ranges of the wording in `text`, in order; none when the
    /// text does not match.
    fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let found = self.matcher.find(text);
        let matches = |group: &Vec<usize>| found.iter().any(|(pattern, _)| group.contains(pattern));
        if !self.groups.iter().all(matches) {
            return Vec::new();
        }
        let mut ranges: Vec<(usize, usize)> = found.iter().map(|&(_, range)| range).collect();
        ranges.sort_unstable();
        ranges.dedup();
        ranges
    }
}
