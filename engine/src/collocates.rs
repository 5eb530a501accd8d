//! Collocations (搭配): the words found near a phrase more often than their
//! own frequency explains: 坚持 → 稳中求进, 以人民为中心, 党的领导 …
//!
//! Around each occurrence, the whole words (its clause's cuts) within
//! `window` positions on either side, inside its clause (a Han character, a
//! Latin word or a number is one position, as in gap queries). Per word:
//! `count`, the occurrences whose window holds it; `freq`, its own
//! occurrences in the same part of the archive by the search's rule (the
//! server reads them from its postings, the static index counts them in
//! the part's texts); and the scores of `stats`, sorted by logDice as
//! Sketch Engine does.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::analyzer::{Class, classify, normalize};
use crate::concordance::{MAX_WIDTH, Occurrence, Occurrences};
use crate::messages::Problem;
use crate::query::QueryError;
use crate::stats;

pub const DEFAULT_WINDOW: usize = 10;
pub const MAX_WINDOW: usize = 30;
/// Words near fewer occurrences than this are not rows.
const MIN_COUNT: u64 = 2;
/// Words counted over the archive: the most frequent near the phrase.
const MAX_CANDIDATES: usize = 600;
/// Rows listed, by logDice.
pub const MAX_ROWS: usize = 200;

/// Context each side that a window of `window` positions needs: a Latin
/// word takes several characters for one position.
pub fn context_width(window: usize) -> usize {
    (3 * window).clamp(1, MAX_WIDTH)
}

#[derive(Debug, Clone, Serialize)]
pub struct Collocates {
    pub query: String,
    /// Occurrences of the query in the archive's part its filters select.
    pub node_freq: u64,
    /// Those whose windows were read: all, or the first `MAX_KEPT` by year.
    pub counted: u64,
    pub window: usize,
    /// Positions of that part of the archive (the N of MI).
    pub positions: u64,
    pub rows: Vec<Collocate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Collocate {
    pub text: String,
    /// The concordance of the phrase with this word nearby.
    pub query: String,
    pub count: u64,
    pub freq: u64,
    pub log_dice: f64,
    pub mi: f64,
    pub log_likelihood: f64,
}

/// The words near the phrase of `found` (found with a context of at least
/// `context_width(window)`) worth counting, with the occurrences whose
/// window holds each: the most frequent.
pub fn candidates(found: &Occurrences, window: usize) -> Result<Vec<(String, u64)>, QueryError> {
    if found.wording.len() != 1 {
        return Err(Problem::OneWordingOnly.into());
    }
    let window = window.clamp(1, MAX_WINDOW);
    let mut counts: HashMap<String, u64> = HashMap::new();
    for occurrence in &found.items {
        for word in words_near(occurrence, window) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let mut candidates: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n >= MIN_COUNT).collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);
    Ok(candidates)
}

/// The collocates of the phrase of `found`: its `candidates`, with `freqs`,
/// each one's occurrences in the part of `positions` positions that the
/// query's filters select.
pub fn collocates(
    found: &Occurrences,
    window: usize,
    candidates: Vec<(String, u64)>,
    freqs: &[u64],
    positions: u64,
) -> Collocates {
    let window = window.clamp(1, MAX_WINDOW);
    let phrase = found.wording.first().map(String::as_str).unwrap_or_default();
    let node = found.total as u64;
    // Beyond `MAX_KEPT` occurrences only the earliest windows were read: a
    // pair's count is scaled up to all of them for the scores.
    let scale = found.total as f64 / found.items.len().max(1) as f64;
    let mut rows: Vec<Collocate> = candidates
        .into_iter()
        .zip(freqs)
        .map(|((text, count), &freq)| {
            let together = pair_count(count, scale);
            // The pair against the rest of the part: the node's other
            // occurrences, the word's other occurrences, and neither.
            let rest = positions.saturating_sub(node);
            Collocate {
                query: nearby_query(&found.query, phrase, &text, window),
                log_dice: stats::log_dice(together, node, freq),
                mi: stats::mutual_information(together, node, freq, positions),
                log_likelihood: stats::log_likelihood(together, node, freq.saturating_sub(together), rest),
                count,
                freq,
                text,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.log_dice.total_cmp(&a.log_dice).then_with(|| b.count.cmp(&a.count)));
    rows.truncate(MAX_ROWS);
    Collocates {
        query: found.query.clone(),
        node_freq: node,
        counted: found.items.len() as u64,
        window,
        positions,
        rows,
    }
}

/// A pair's count over all the node's occurrences when only the earliest
/// were read (`scale` = all / read, 1 when all were): what the scores use.
pub fn pair_count(count: u64, scale: f64) -> u64 {
    (count as f64 * scale).round() as u64
}

/// The query for the phrase with `word` within `window` positions on either
/// side (the gap may cross a comma, where the window does not: a few more).
/// The phrase is replaced with its quotes, if typed with them, so that the
/// `OR` is not quoted text.
fn nearby_query(query: &str, phrase: &str, word: &str, window: usize) -> String {
    let near = format!("{phrase}{{0,{window}}}{word} OR {word}{{0,{window}}}{phrase}");
    for (open, close) in [("\"", "\""), ("“", "”"), ("「", "」"), ("『", "』")] {
        let quoted = format!("{open}{phrase}{close}");
        if query.contains(&quoted) {
            return query.replacen(&quoted, &near, 1);
        }
    }
    query.replacen(phrase, &near, 1)
}

/// The whole words within `window` positions of an occurrence, in its
/// clause: between two of its cuts.
pub fn words_near(occurrence: &Occurrence, window: usize) -> HashSet<String> {
    let (left, right) = (occurrence.clause_left(), occurrence.clause_right());
    let sentence = format!("{left}{}{right}", occurrence.matched);
    let (match_start, match_end) = (left.len(), left.len() + occurrence.matched.len());
    // The position of each character (a Latin word or number is one).
    let mut position_at = Vec::with_capacity(sentence.len());
    let mut position = 0usize;
    let mut previous_is_word = false;
    for (at, c) in sentence.char_indices() {
        let is_word = classify(c) == Class::Word;
        if at > 0 && !(is_word && previous_is_word) {
            position += 1;
        }
        previous_is_word = is_word;
        position_at.extend(std::iter::repeat_n(position, c.len_utf8()));
    }
    position_at.push(position + 1);
    let (first, last) = (position_at[match_start], position_at[match_end.max(1) - 1]);
    // The occurrence's cuts, from the start of its clause.
    let clause_start = occurrence.left.len() - left.len();
    let cuts: Vec<usize> = occurrence
        .cuts
        .iter()
        .filter_map(|&at| at.checked_sub(clause_start))
        .filter(|&at| at <= sentence.len())
        .collect();
    let mut near = HashSet::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let inside = if to <= match_start {
            position_at[from] + window >= first
        } else if from >= match_end {
            position_at[to - 1] <= last + window
        } else {
            false
        };
        if inside {
            let word = normalize(&sentence[from..to]);
            if !word.is_empty() && !word.contains(' ') {
                near.insert(word);
            }
        }
    }
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearby_query_keeps_the_filters() {
        assert_eq!(nearby_query("坚持 year:2020", "坚持", "发展", 10), "坚持{0,10}发展 OR 发展{0,10}坚持 year:2020");
        assert_eq!(nearby_query("\"坚持\" year:2020", "坚持", "发展", 5), "坚持{0,5}发展 OR 发展{0,5}坚持 year:2020");
        assert_eq!(pair_count(3, 1.0), 3);
        assert_eq!(pair_count(3, 2.5), 8);
    }
}
