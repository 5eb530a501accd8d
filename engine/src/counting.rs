//! Counting units in reports' texts by the search's rule (normalized text,
//! overlapping occurrences, a Latin word or number never cut), and each
//! report's size in positions: what collocations, keyness and clusters
//! divide by. The server reads the texts in parallel, the static index one
//! by one; both count with a [`Counter`].

use rustc_hash::FxHashMap as HashMap;

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

/// Counts a list of units (normalized) in texts: a trie of the units,
/// walked from every character of the text. Small to build and to ship in
/// the browser's engine (an automaton crate would add a quarter to it),
/// and about as fast here, where few units share a long prefix.
pub struct Counter {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    /// By character, sorted.
    children: Vec<(char, u32)>,
    /// The unit that ends here.
    unit: Option<u32>,
}

impl Node {
    fn child(&self, c: char) -> Option<u32> {
        self.children.binary_search_by_key(&c, |&(k, _)| k).ok().map(|at| self.children[at].1)
    }
}

impl Counter {
    pub fn new(units: &[String]) -> Counter {
        let mut nodes = vec![Node::default()];
        for (number, unit) in units.iter().enumerate() {
            let mut at = 0usize;
            for c in unit.chars() {
                at = match nodes[at].children.binary_search_by_key(&c, |&(k, _)| k) {
                    Ok(found) => nodes[at].children[found].1 as usize,
                    Err(place) => {
                        let next = nodes.len();
                        nodes[at].children.insert(place, (c, next as u32));
                        nodes.push(Node::default());
                        next
                    }
                };
            }
            if at > 0 {
                nodes[at].unit.get_or_insert(number as u32);
            }
        }
        Counter { nodes }
    }

    /// A report's size in positions and the units it holds, with their counts.
    pub fn count(&self, text: &str) -> (u64, Vec<(u32, u64)>) {
        let text = normalize(text);
        let size = count_normalized_positions(&text);
        (size, self.occurrences(&text))
    }

    /// How often each unit occurs in `text` (normalized), overlapping
    /// occurrences counted, none that starts or ends inside a Latin word or
    /// number.
    fn occurrences(&self, text: &str) -> Vec<(u32, u64)> {
        let chars: Vec<char> = text.chars().collect();
        let is_word = |at: usize| chars.get(at).is_some_and(|&c| classify(c) == Class::Word);
        let mut counts: HashMap<u32, u64> = HashMap::default();
        for start in 0..chars.len() {
            let cuts_before = is_word(start) && start > 0 && is_word(start - 1);
            if cuts_before {
                continue;
            }
            let mut node = &self.nodes[0];
            for (end, &c) in chars.iter().enumerate().skip(start) {
                let Some(next) = node.child(c) else { break };
                node = &self.nodes[next as usize];
                if let Some(unit) = node.unit {
                    let cuts_after = is_word(end) && is_word(end + 1);
                    if !cuts_after {
                        *counts.entry(unit).or_default() += 1;
                    }
                }
            }
        }
        let mut counts: Vec<(u32, u64)> = counts.into_iter().collect();
        counts.sort_unstable();
        counts
    }
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
        let counter = Counter::new(&units);
        let (size, counts) = counter.count("哈哈哈，5G和5GB，發展");
        assert_eq!(counts, vec![(0, 2), (1, 1), (2, 1)]);
        assert_eq!(size, count_positions("哈哈哈，5G和5GB，發展"));
    }
}
