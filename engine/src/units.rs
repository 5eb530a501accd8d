//! The candidate units of a part of the archive, for keyness and clusters:
//! runs of one or more whole words (a text's cuts, `words`) inside a
//! clause, of Han characters only (a figure or a date is no formulation),
//! with the reports and paragraphs they occur in.
//!
//! These are candidates: the counts that rows show are then taken by the
//! search's rule (`counting`), which also finds a unit inside a longer word.
//! The server gathers them from its segmenter's cuts, the static index from
//! the cuts it stored: the same cuts, so the same candidates.

use rustc_hash::FxHashMap as HashMap;

use crate::analyzer::{Class, classify, normalize};

/// The longest unit, in characters.
pub const MAX_CHARS: usize = 16;
/// Words in a unit at most.
const MAX_WORDS: usize = 8;
/// The most reports a part may have: its units are all held while they are
/// gathered, and gathering takes about a second per 100 reports on a
/// core; a larger part is refused with advice to narrow it.
pub const MAX_REPORTS: usize = 2000;
/// Reports gathered between two checks of the units held…
pub const CHUNK_REPORTS: usize = 100;
/// …and the units held before the rare ones are forgotten (memory stays
/// bounded: about 100 bytes a unit).
const MAX_HELD: usize = 2_000_000;

/// Each unit's count, and in which paragraphs of which reports it is.
#[derive(Default)]
pub struct Candidates {
    /// By unit (normalized): its count and the `(report, paragraph hash)`
    /// pairs it occurs in, in report order.
    pub units: HashMap<String, (u64, Vec<(u32, u64)>)>,
}

impl Candidates {
    /// Adds the units of report number `report` (numbers ascending): its
    /// text and where its words end (`cuts`, byte offsets, in order), as
    /// [`each_unit`] finds them.
    pub fn add(&mut self, report: u32, text: &str, cuts: &[usize], min_chars: usize) {
        each_unit(text, cuts, min_chars, |unit, paragraph| {
            let place = (report, paragraph);
            // Looked up by the borrowed text: a key is made once a unit.
            match self.units.get_mut(unit) {
                Some((count, places)) => {
                    *count += 1;
                    if places.last() != Some(&place) {
                        places.push(place);
                    }
                }
                None => {
                    self.units.insert(unit.to_owned(), (1, vec![place]));
                }
            }
        });
    }

    /// After each `CHUNK_REPORTS` reports: when more than `MAX_HELD` units
    /// are held, forgets those seen once so far. Such a unit is rare in the
    /// part (it may come back, counted from then on), so it could not be
    /// among the candidates listed first; the counts rows show are taken
    /// afterwards by the search's rule and are exact. The server and the
    /// static index forget at the same reports, so their candidates agree.
    pub fn end_chunk(&mut self) {
        if self.units.len() > MAX_HELD {
            self.units.retain(|_, (count, _)| *count > 1);
            self.units.shrink_to_fit();
        }
    }
}

/// Each unit of `min_chars` to `MAX_CHARS` characters of one report's text
/// (one paragraph a line) whose words end at `cuts` (byte offsets into the
/// text, in order), handed to `take` with the hash of its paragraph, once
/// per occurrence.
pub fn each_unit(text: &str, cuts: &[usize], min_chars: usize, mut take: impl FnMut(&str, u64)) {
    let mut line_start = 0;
    for paragraph in text.split('\n') {
        let hash = crate::hash::hash_bytes(paragraph.trim().as_bytes());
        for (from, to) in clauses(paragraph) {
            let (from, to) = (line_start + from, line_start + to);
            if text[from..to].chars().count() < min_chars {
                continue;
            }
            // The clause's ends and the cuts inside it.
            let first = cuts.partition_point(|&at| at <= from);
            let last = cuts.partition_point(|&at| at < to);
            let mut bounds = vec![from];
            bounds.extend_from_slice(&cuts[first..last]);
            bounds.push(to);
            // Each word normalized once (normalizing is by character), with
            // its length as written; a unit is a run of them.
            let words: Vec<(String, usize)> =
                bounds.windows(2).map(|w| (normalize(&text[w[0]..w[1]]), text[w[0]..w[1]].chars().count())).collect();
            let mut unit = String::new();
            for start in 0..words.len() {
                unit.clear();
                let mut length = 0;
                for (word, chars) in words.iter().skip(start).take(MAX_WORDS) {
                    length += chars;
                    if length > MAX_CHARS {
                        break;
                    }
                    unit.push_str(word);
                    let ends = [unit.chars().next(), unit.chars().next_back()];
                    let [Some(first), Some(last)] = ends else { continue };
                    if length >= min_chars && reads_as_a_phrase(&[first, last]) {
                        take(&unit, hash);
                    }
                }
            }
        }
        line_start += paragraph.len() + 1;
    }
}

/// Whether a phrase may be listed: not begun or ended by a particle
/// (为核心的, 疫情防控和), nor begun by a date's unit (年, 月).
pub fn reads_as_a_phrase(phrase: &[char]) -> bool {
    const NOT_FIRST: &[char] = &['的', '和', '与', '及', '了', '等', '是', '年', '月', '日', '万', '亿'];
    const NOT_LAST: &[char] = &['的', '和', '与', '及', '了', '是', '在', '对', '把', '将', '为', '等', '到', '第'];
    !phrase.first().is_some_and(|c| NOT_FIRST.contains(c)) && !phrase.last().is_some_and(|c| NOT_LAST.contains(c))
}

/// The runs of Han characters of a paragraph, as byte ranges. The character
/// right after a number is its unit or measure word (2021年, 10件, 3项): it
/// belongs to the number and starts no unit.
fn clauses(paragraph: &str) -> Vec<(usize, usize)> {
    let mut clauses = Vec::new();
    let mut start = None;
    let mut after_number = false;
    for (at, c) in paragraph.char_indices() {
        if classify(c) != Class::Cjk {
            if let Some(from) = start.take() {
                clauses.push((from, at));
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
        clauses.push((from, paragraph.len()));
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

    /// Cuts by hand: every word of `words` ends where the next begins.
    fn cut(words: &[&str]) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut cuts = vec![0];
        for word in words {
            text.push_str(word);
            cuts.push(text.len());
        }
        (text, cuts)
    }

    /// Each unit with its count and paragraphs, of one report.
    fn units_of(text: &str, cuts: &[usize], min_chars: usize) -> HashMap<String, (u64, Vec<u64>)> {
        let mut found = Candidates::default();
        found.add(0, text, cuts, min_chars);
        found
            .units
            .into_iter()
            .map(|(unit, (n, places))| (unit, (n, places.into_iter().map(|p| p.1).collect())))
            .collect()
    }

    #[test]
    fn units_are_whole_words_of_han_characters_within_a_clause() {
        let (text, cuts) = cut(&[
            "坚持",
            "以",
            "人民",
            "为",
            "中心",
            "的",
            "发展",
            "思想",
            "，",
            "2020",
            "年",
            "推动",
            "高质量",
            "发展",
            "。",
        ]);
        let units = units_of(&text, &cuts, 4);
        assert!(units.contains_key("以人民为中心"), "{:?}", units.keys().collect::<Vec<_>>());
        assert!(units.contains_key("推动高质量发展"));
        assert!(!units.keys().any(|u| u.ends_with("人民为中") || u.starts_with("民为中心")), "none cut inside a word");
        assert!(!units.keys().any(|u| u.chars().any(|c| c.is_ascii_digit())), "no figures");
        assert!(!units.keys().any(|u| u.contains("思想推动")), "no unit across punctuation");
        let (text, cuts) =
            cut(&["办好", "10", "件", "惠民", "实事", "，", "再", "办", "5", "件", "惠民", "实事", "。"]);
        let units = units_of(&text, &cuts, 4);
        assert!(
            units.contains_key("惠民实事") && !units.keys().any(|u| u.starts_with('件')),
            "the unit after a number"
        );
        assert_eq!(units["惠民实事"].0, 2);
    }

    #[test]
    fn a_unit_knows_its_paragraphs() {
        let (text, cuts) = cut(&["惠民", "实事", "\n", "惠民", "实事", "\n", "惠民", "实事"]);
        let units = units_of(&text, &cuts, 4);
        // Three paragraphs, two of them the same text: two hashes.
        assert_eq!(units["惠民实事"].0, 3);
        assert_eq!(units["惠民实事"].1.len(), 1, "the same paragraph in a row is one hash");
    }

    #[test]
    fn a_copied_paragraph_spreads_once() {
        // Report 0 and 1 share paragraph 7; report 2 has its own.
        assert_eq!(spread(&[(0, 7), (1, 7), (2, 9)]), vec![0, 2]);
    }
}
