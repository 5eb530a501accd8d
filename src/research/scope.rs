//! Counting units over a part of the archive (a query's filters): how often
//! each occurs by the search's rule (normalized text, overlapping
//! occurrences, a Latin word or number never cut) in each report, and each
//! report's size in positions. The statistics of collocations and keyness
//! divide by these.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;
use tantivy::{DocAddress, Searcher};

use super::{ReportInfo, info};
use crate::search::SearchIndex;
use crate::search::analyzer::{Class, classify, count_normalized_positions, normalize};
use crate::search::searcher::SearchError;

/// Each report of the scope, with its size and the units it holds.
pub struct Counted {
    pub reports: Vec<ReportInfo>,
    /// Positions of each report (see `count_positions`).
    pub sizes: Vec<u64>,
    /// For each report, `(unit, count)` of the units it holds.
    pub counts: Vec<Vec<(u32, u64)>>,
}

impl Counted {
    pub fn size(&self) -> u64 {
        self.sizes.iter().sum()
    }

    /// Each unit's count over the whole scope.
    pub fn totals(&self, units: usize) -> Vec<u64> {
        let mut totals = vec![0; units];
        for report in &self.counts {
            for &(unit, count) in report {
                totals[unit as usize] += count;
            }
        }
        totals
    }
}

/// The reports a query selects: those its wording is in, within its
/// filters, or all within its filters when it has no wording. A part may
/// be given by what it leaves out (`-body:"某局"`: every other body's
/// reports), which a search refuses.
pub fn reports_of(index: &SearchIndex, query: &str) -> Result<(Searcher, Vec<DocAddress>), SearchError> {
    let parsed = match crate::search::query::parse(query) {
        Err(e) if e.problem == crate::search::messages::Problem::OnlyExcludes => {
            // Every report has a year (0 when unknown).
            crate::search::query::parse(&format!("year:..9999 {query}"))?
        }
        parsed => parsed?,
    };
    if parsed.has_wording() {
        let matching = index.matching(query)?;
        Ok((matching.searcher, matching.docs))
    } else {
        index.in_scope(&parsed)
    }
}

/// Counts `units` (normalized) in the reports at `docs`.
pub fn count_in(
    index: &SearchIndex,
    searcher: &Searcher,
    docs: &[DocAddress],
    units: &[String],
) -> Result<Counted, SearchError> {
    let automaton = (!units.is_empty())
        // A DFA: built once per view (some milliseconds for thousands of
        // units), then the fastest to run over every report of the scope.
        .then(|| AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(AhoCorasickKind::DFA)).build(units))
        .transpose()
        .map_err(|e| crate::search::IndexError::Unreadable { path: Default::default(), message: e.to_string() })?;
    let found: Vec<(ReportInfo, u64, Vec<(u32, u64)>)> = docs
        .par_iter()
        .map(|&address| {
            let stored = index.stored(searcher, address)?;
            let text = normalize(&stored.text);
            let size = count_normalized_positions(&text);
            let counts = automaton.as_ref().map(|a| occurrences(a, &text, units.len())).unwrap_or_default();
            Ok((info(stored), size, counts))
        })
        .collect::<Result<_, crate::search::IndexError>>()?;
    let mut counted = Counted { reports: Vec::new(), sizes: Vec::new(), counts: Vec::new() };
    for (report, size, counts) in found {
        counted.reports.push(report);
        counted.sizes.push(size);
        counted.counts.push(counts);
    }
    Ok(counted)
}

/// How often each unit occurs in `text`, overlapping occurrences counted,
/// none that starts or ends inside a Latin word or number.
fn occurrences(automaton: &AhoCorasick, text: &str, units: usize) -> Vec<(u32, u64)> {
    let mut counts = vec![0u64; units];
    let is_word = |c: Option<char>| c.is_some_and(|c| classify(c) == Class::Word);
    for found in automaton.find_overlapping_iter(text) {
        let (start, end) = (found.start(), found.end());
        let matched = &text[start..end];
        let cuts_before = is_word(matched.chars().next()) && is_word(text[..start].chars().next_back());
        let cuts_after = is_word(matched.chars().next_back()) && is_word(text[end..].chars().next());
        if !cuts_before && !cuts_after {
            counts[found.pattern().as_usize()] += 1;
        }
    }
    counts.into_iter().enumerate().filter(|(_, n)| *n > 0).map(|(unit, n)| (unit as u32, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::count_positions;

    #[test]
    fn positions_of_normalized_text_equal_the_index_count() {
        for text in ["坚持发展", "推广5G基站，GDP增长6.5%", "  ，。", "發展ＡＢＣ 改革"] {
            assert_eq!(count_normalized_positions(&normalize(text)), count_positions(text), "{text}");
        }
    }

    #[test]
    fn units_are_counted_by_the_search_rule() {
        let units = ["哈哈".to_owned(), "5g".to_owned(), "发展".to_owned()];
        let automaton = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&units).unwrap();
        let text = normalize("哈哈哈，5G和5GB，發展");
        assert_eq!(occurrences(&automaton, &text, 3), vec![(0, 2), (1, 1), (2, 1)]);
    }
}
