//! The candidate units of a part of the archive, for keyness and clusters:
//! runs of one or more whole words (`words`) inside a clause, of Han
//! characters only (a figure or a date is no formulation), with the
//! reports and paragraphs they occur in.
//!
//! These are candidates: the counts that rows show are then taken by the
//! search's rule (`scope::count_in` for the part listed, the postings for
//! a reference part), which also finds a unit inside a longer word.

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::analysis::words;
use crate::search::SearchIndex;
use crate::search::analyzer::{Class, classify, normalize};
use crate::search::messages::Problem;
use crate::search::searcher::SearchError;

/// The longest unit, in characters.
pub const MAX_CHARS: usize = 16;
/// Words in a unit at most.
const MAX_WORDS: usize = 8;

/// Each unit's count, and in which paragraphs of which reports it is.
#[derive(Default)]
pub struct Candidates {
    /// By unit (normalized): its count and the `(report, paragraph hash)`
    /// pairs it occurs in.
    pub units: HashMap<String, (u64, Vec<(u32, u64)>)>,
}

/// The most reports a part may have: their units are gathered
/// `CHUNK_REPORTS` at a time (every whole-word run of a report is held until
/// it is merged, about 1.4 MB a report), which takes about a second per 100
/// reports; a larger part is refused with advice to narrow it.
pub const MAX_REPORTS: usize = 2000;
/// Reports whose units are gathered at once, in parallel.
const CHUNK_REPORTS: usize = 100;
/// Units held between chunks before those seen only once so far are
/// forgotten (memory stays bounded: about 100 bytes a unit).
const MAX_HELD: usize = 2_000_000;

/// The units of `min_chars` to `MAX_CHARS` characters of the reports at
/// `docs` (their order numbers the reports); at most `MAX_REPORTS` of them.
///
/// A large part's units are held within `MAX_HELD`: when more are held
/// after a chunk, those seen once so far are forgotten. Such a unit is rare
/// in the part (it may come back, counted from then on), so it could not
/// be among the candidates listed first; the counts rows show are taken
/// afterwards by the search's rule and are exact.
pub fn candidates(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    docs: &[tantivy::DocAddress],
    min_chars: usize,
) -> Result<Candidates, SearchError> {
    if docs.len() > MAX_REPORTS {
        let problem = Problem::PartTooLarge { reports: docs.len(), max: MAX_REPORTS };
        return Err(crate::search::QueryError::from(problem).into());
    }
    let mut all = Candidates::default();
    for (chunk, addresses) in docs.chunks(CHUNK_REPORTS).enumerate() {
        let per_report: Vec<HashMap<String, (u64, Vec<u64>)>> = addresses
            .par_iter()
            .map(|&address| {
                let stored = index.stored(searcher, address)?;
                Ok(units_of(&stored.text, min_chars))
            })
            .collect::<Result<_, crate::search::IndexError>>()?;
        for (i, units) in per_report.into_iter().enumerate() {
            let report = (chunk * CHUNK_REPORTS + i) as u32;
            for (unit, (count, paragraphs)) in units {
                let entry = all.units.entry(unit).or_default();
                entry.0 += count;
                entry.1.extend(paragraphs.into_iter().map(|p| (report, p)));
            }
        }
        if all.units.len() > MAX_HELD {
            all.units.retain(|_, (count, _)| *count > 1);
            all.units.shrink_to_fit();
        }
    }
    Ok(all)
}

/// The units of one report's text (one paragraph a line), with their
/// counts and the hashes of the paragraphs they are in.
fn units_of(text: &str, min_chars: usize) -> HashMap<String, (u64, Vec<u64>)> {
    let mut units: HashMap<String, (u64, Vec<u64>)> = HashMap::default();
    for paragraph in text.lines() {
        let hash = crate::shared::hash::hash_bytes(paragraph.trim().as_bytes());
        for clause in clauses(paragraph) {
            if clause.chars().count() < min_chars {
                continue;
            }
            let cuts = words::boundaries(clause);
            for (i, &from) in cuts.iter().enumerate() {
                for &to in cuts.iter().skip(i + 1).take(MAX_WORDS) {
                    let length = clause[from..to].chars().count();
                    if length > MAX_CHARS {
                        break;
                    }
                    let unit = normalize(&clause[from..to]);
                    // Not begun or ended by a particle (为核心的, 疫情防控和).
                    let phrase: Vec<char> = unit.chars().collect();
                    if length >= min_chars && crate::analysis::novel::reads_as_a_phrase(&phrase) {
                        let entry = units.entry(unit).or_default();
                        entry.0 += 1;
                        if entry.1.last() != Some(&hash) {
                            entry.1.push(hash);
                        }
                    }
                }
            }
        }
    }
    units
}

/// The runs of Han characters of a paragraph. The character right after a
/// number is its unit or measure word (2021年, 10件, 3项): it belongs to the
/// number and starts no unit.
fn clauses(paragraph: &str) -> Vec<&str> {
    let mut clauses = Vec::new();
    let mut start = None;
    let mut after_number = false;
    for (at, c) in paragraph.char_indices() {
        if classify(c) != Class::Cjk {
            if let Some(from) = start.take() {
                clauses.push(&paragraph[from..at]);
            }
            after_number = c.is_numeric();
        } else if start.is_none() {
            if !after_number {
                start = Some(at);
            }
            after_number = false;
        }
    }
    if let Some(from) = start {
        clauses.push(&paragraph[from..]);
    }
    clauses
}

/// Whether a unit is a piece of a longer one: inside it, and the longer
/// holds nearly all of its occurrences by each count (完整准确全面贯彻新,
/// 37 times, in 完整准确全面贯彻新发展理念, 34). Lists show the longer only.
pub fn is_piece_of(shorter: &str, shorter_counts: &[u64], longer: &str, longer_counts: &[u64]) -> bool {
    longer.len() > shorter.len()
        && longer.contains(shorter)
        && shorter_counts.iter().zip(longer_counts).all(|(&short, &long)| 10 * long >= 9 * short)
}

/// `rows` (in their order) without the units that are a piece of a longer
/// row (`is_piece_of`, by `counts`), at most `max` of them.
pub fn without_pieces<T: Clone>(
    rows: &[T],
    text: impl Fn(&T) -> &str,
    counts: impl Fn(&T) -> [u64; 2],
    max: usize,
) -> Vec<T> {
    let mut kept = Vec::new();
    for row in rows {
        let piece = rows.iter().any(|other| is_piece_of(text(row), &counts(row), text(other), &counts(other)));
        if !piece {
            kept.push(row.clone());
            if kept.len() == max {
                break;
            }
        }
    }
    kept
}

/// The reports a unit spreads over when a paragraph copied into several
/// reports (a recurring passage) counts once: a report counts if it holds
/// the unit in a paragraph no earlier report had. `places` are
/// `(report, paragraph hash)`, in report order.
pub fn spread(places: &[(u32, u64)]) -> Vec<u32> {
    let mut seen = std::collections::HashSet::new();
    let mut reports = Vec::new();
    for &(report, paragraph) in places {
        if seen.insert(paragraph) && reports.last() != Some(&report) {
            reports.push(report);
        }
    }
    reports
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_whole_words_of_han_characters_within_a_clause() {
        let units = units_of("坚持以人民为中心的发展思想，2020年推动高质量发展。", 4);
        assert!(units.contains_key("以人民为中心"), "{:?}", units.keys().collect::<Vec<_>>());
        assert!(units.contains_key("推动高质量发展"));
        assert!(!units.keys().any(|u| u.ends_with("人民为中") || u.starts_with("民为中心")), "none cut inside a word");
        assert!(!units.keys().any(|u| u.chars().any(|c| c.is_ascii_digit())), "no figures");
        assert!(!units.keys().any(|u| u.contains("思想推动")), "no unit across punctuation");
        let units = units_of("办好10件惠民实事，再办5件惠民实事。", 4);
        assert!(
            units.contains_key("惠民实事") && !units.keys().any(|u| u.starts_with('件')),
            "the unit after a number"
        );
    }

    #[test]
    fn a_copied_paragraph_spreads_once() {
        // Report 0 and 1 share paragraph 7; report 2 has its own.
        assert_eq!(spread(&[(0, 7), (1, 7), (2, 9)]), vec![0, 2]);
    }
}
