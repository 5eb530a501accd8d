//! Counting units in reports' texts by the search's rule (normalized text,
//! overlapping occurrences, a Latin word or number never cut), and each
//! report's size in positions: what collocations, keyness and clusters
//! divide by. The server reads the texts in parallel, the static index one
//! by one; both count with a [`Counter`].

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::analyzer::{Class, classify, count_normalized_positions, normalize};
use crate::concordance::ReportInfo;

/// Each report of a part, with its size and the units it holds.
#[derive(Default)]
pub struct Counted {
    pub reports: Vec<ReportInfo>,
    /// Positions of each report (as the index counts them).
    pub sizes: Vec<u64>,
    /// For each report, `(unit, count)` of the units it holds.
    pub counts: Vec<Vec<(u32, u64)>>,
}

impl Counted {
    pub fn add(&mut self, report: ReportInfo, size: u64, counts: Vec<(u32, u64)>) {
        self.reports.push(report);
        self.sizes.push(size);
        self.counts.push(counts);
    }

    pub fn size(&self) -> u64 {
        self.sizes.iter().sum()
    }

    /// Each unit's count over the whole part.
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

/// Counts a list of units (normalized) in texts.
pub struct Counter {
    units: usize,
    automaton: Option<AhoCorasick>,
}

impl Counter {
    /// `fast`: a DFA, built once per view (some milliseconds for thousands
    /// of units, and memory), then the fastest to run over many reports;
    /// otherwise the automaton aho-corasick picks, smaller to build.
    pub fn new(units: &[String], fast: bool) -> Result<Counter, String> {
        let automaton = if units.is_empty() {
            None
        } else {
            let kind = fast.then_some(AhoCorasickKind::DFA);
            let built = AhoCorasick::builder().match_kind(MatchKind::Standard).kind(kind).build(units);
            Some(built.map_err(|e| e.to_string())?)
        };
        Ok(Counter { units: units.len(), automaton })
    }

    /// A report's size in positions and the units it holds, with their counts.
    pub fn count(&self, text: &str) -> (u64, Vec<(u32, u64)>) {
        let text = normalize(text);
        let size = count_normalized_positions(&text);
        let counts = self.automaton.as_ref().map(|a| occurrences(a, &text, self.units)).unwrap_or_default();
        (size, counts)
    }
}

/// How often each unit occurs in `text` (normalized), overlapping
/// occurrences counted, none that starts or ends inside a Latin word or
/// number.
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
    use crate::analyzer::count_positions;

    #[test]
    fn positions_of_normalized_text_equal_the_index_count() {
        for text in ["坚持发展", "推广5G基站，GDP增长6.5%", "  ，。", "發展ＡＢＣ 改革"] {
            assert_eq!(count_normalized_positions(&normalize(text)), count_positions(text), "{text}");
        }
    }

    #[test]
    fn units_are_counted_by_the_search_rule() {
        let units = ["哈哈".to_owned(), "5g".to_owned(), "发展".to_owned()];
        for fast in [true, false] {
            let counter = Counter::new(&units, fast).unwrap();
            let (size, counts) = counter.count("哈哈哈，5G和5GB，發展");
            assert_eq!(counts, vec![(0, 2), (1, 1), (2, 1)]);
            assert_eq!(size, count_positions("哈哈哈，5G和5GB，發展"));
        }
    }
}
