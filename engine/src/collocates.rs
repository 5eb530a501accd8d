//! Collocations (搭配): the words found near a phrase more often than their
//! own frequency explains: 坚持 → 稳中求进, 以人民为中心, 党的领导 …
//!
//! Around each occurrence, the whole words (its clause's cuts) within
//! `window` positions on either side, inside its clause (a Han character, a
//! Latin word or a number is one position, as in gap queries). A word that
//! comes inside one longer run of words in most of its windows is shown as
//! that run (Sketch Engine's longest-commonest match): 常态 near 推进 is
//! 常态化 there, 扫黑 and 除恶 are 扫黑除恶. A single character no run
//! explains is not listed: alone it is mostly a piece of a word (新 of 新型,
//! 中 of 其中) or a particle, and says nothing of the phrase's company. Per
//! unit: `count`, the occurrences whose window holds it; `freq`, its own
//! occurrences in the same part of the archive by the search's rule (the
//! server reads them from its postings, the static index counts them in
//! the part's texts); and the scores of `stats`, sorted by logDice as
//! Sketch Engine does.

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use crate::analyzer::{Class, classify, normalize};
use crate::concordance::{MAX_WIDTH, Occurrence, Occurrences};
use crate::messages::Problem;
use crate::query::QueryError;
use crate::stats;
use crate::units::reads_as_a_phrase;

pub const DEFAULT_WINDOW: usize = 10;
pub const MAX_WINDOW: usize = 30;
/// Words near fewer occurrences than this are not rows.
const MIN_COUNT: u64 = 2;
/// Words counted over the archive: the most frequent near the phrase.
const MAX_CANDIDATES: usize = 600;
/// Rows listed, by logDice.
pub const MAX_ROWS: usize = 200;
/// Words in a run that may stand for one of them, at most.
const MAX_RUN_WORDS: usize = 6;

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
/// window holds each: the most frequent. A word is replaced by the longest
/// run of words holding it that more than half of its windows hold.
pub fn candidates(found: &Occurrences, window: usize) -> Result<Vec<(String, u64)>, QueryError> {
    if found.wording.len() != 1 {
        return Err(Problem::OneWordingOnly.into());
    }
    let runs = Runs::near(found, window.clamp(1, MAX_WINDOW));
    // By word: the longest run holding it in more than half of its windows
    // (of equally long ones the commonest), with that run's count. Each
    // shorter run holding the word is in those windows too: this is the
    // commonest run, extended as long as most of the windows agree.
    let mut longest: HashMap<u32, (usize, u64, Run)> = HashMap::default();
    for (&run, &count) in &runs.counts {
        if run.len() < 2 || count < MIN_COUNT {
            continue;
        }
        let text: Vec<char> = runs.text(run).chars().collect();
        if !reads_as_a_phrase(&text) {
            continue;
        }
        for &word in run.words() {
            if 2 * count <= runs.count(Run::one(word)) {
                continue;
            }
            let best = longest.entry(word).or_insert((0, 0, run));
            if (text.len(), count, std::cmp::Reverse(run)) > (best.0, best.1, std::cmp::Reverse(best.2)) {
                *best = (text.len(), count, run);
            }
        }
    }
    let mut units: HashMap<String, u64> = HashMap::default();
    for (&run, &count) in &runs.counts {
        let [word] = run.words() else { continue };
        let (text, count) = match longest.get(word) {
            Some(&(_, count, longer)) => (runs.text(longer), count),
            None => (runs.text(run), count),
        };
        if count >= MIN_COUNT && text.chars().nth(1).is_some() {
            units.insert(text, count);
        }
    }
    let mut candidates: Vec<(String, u64)> = units.into_iter().collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);
    Ok(candidates)
}

/// A run of one to `MAX_RUN_WORDS` adjacent words, by their numbers in
/// `Runs::words` (`NONE` past its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Run([u32; MAX_RUN_WORDS]);

const NONE: u32 = u32::MAX;

impl Run {
    fn one(word: u32) -> Run {
        let mut run = [NONE; MAX_RUN_WORDS];
        run[0] = word;
        Run(run)
    }

    fn words(&self) -> &[u32] {
        &self.0[..self.len()]
    }

    fn len(&self) -> usize {
        self.0.iter().position(|&word| word == NONE).unwrap_or(MAX_RUN_WORDS)
    }
}

/// The runs of words near each occurrence of a phrase, and how many
/// occurrences have each within their window.
#[derive(Default)]
struct Runs {
    words: Vec<String>,
    numbers: HashMap<String, u32>,
    counts: HashMap<Run, u64>,
}

impl Runs {
    fn near(found: &Occurrences, window: usize) -> Runs {
        let mut runs = Runs::default();
        // The runs of one occurrence's window: a short list, each counted once.
        let mut seen: Vec<Run> = Vec::new();
        for occurrence in &found.items {
            seen.clear();
            for stretch in words_near(occurrence, window) {
                let numbered: Vec<(u32, usize, bool)> = stretch
                    .into_iter()
                    .map(|near| {
                        let length = near.word.chars().count();
                        (runs.number(near.word), length, near.inside)
                    })
                    .collect();
                // Every run with a word inside the window: it may reach
                // past the window's edge (坚持以习近平新时代中国特色…).
                for start in 0..numbered.len() {
                    let mut run = [NONE; MAX_RUN_WORDS];
                    let (mut chars, mut touches) = (0, false);
                    for (at, &(word, length, inside)) in numbered[start..].iter().take(MAX_RUN_WORDS).enumerate() {
                        chars += length;
                        touches |= inside;
                        if chars > crate::units::MAX_CHARS {
                            break;
                        }
                        run[at] = word;
                        if touches {
                            seen.push(Run(run));
                        }
                    }
                }
            }
            seen.sort_unstable();
            seen.dedup();
            for &run in &seen {
                *runs.counts.entry(run).or_default() += 1;
            }
        }
        runs
    }

    fn number(&mut self, word: String) -> u32 {
        if let Some(&number) = self.numbers.get(&word) {
            return number;
        }
        let number = self.words.len() as u32;
        self.words.push(word.clone());
        self.numbers.insert(word, number);
        number
    }

    fn count(&self, run: Run) -> u64 {
        self.counts.get(&run).copied().unwrap_or_default()
    }

    fn text(&self, run: Run) -> String {
        run.words().iter().map(|&word| self.words[word as usize].as_str()).collect()
    }
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

/// A word of an occurrence's clause, and whether it is within the window.
#[derive(Debug, PartialEq)]
pub struct Near {
    pub word: String,
    pub inside: bool,
}

/// The whole words of an occurrence's clause (between two of its cuts),
/// each said to be within `window` positions of it or not: the stretches of
/// adjacent ones, in order (the phrase, or a space, parts two stretches).
pub fn words_near(occurrence: &Occurrence, window: usize) -> Vec<Vec<Near>> {
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
    let mut stretches = vec![Vec::new()];
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let inside = if to <= match_start {
            position_at[from] + window >= first
        } else if from >= match_end {
            position_at[to - 1] <= last + window
        } else {
            false
        };
        let beside = !(from < match_end && to > match_start);
        let word = if beside { normalize(&sentence[from..to]) } else { String::new() };
        if !word.is_empty() && !word.contains(' ') {
            stretches.last_mut().expect("one at least").push(Near { word, inside });
        } else if !stretches.last().expect("one at least").is_empty() {
            stretches.push(Vec::new());
        }
    }
    stretches.retain(|stretch| !stretch.is_empty());
    stretches
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The occurrences of 推进 in `clauses`, each cut into words at `/`.
    fn found(clauses: &[&str]) -> Occurrences {
        let items = clauses
            .iter()
            .map(|clause| {
                let text = clause.replace('/', "");
                let (left, right) = text.split_once("推进").expect("推进 in each");
                let mut cuts = vec![0];
                for word in clause.split('/') {
                    cuts.push(cuts.last().expect("one") + word.len());
                }
                Occurrence {
                    report: 0,
                    left: left.into(),
                    matched: "推进".into(),
                    right: right.into(),
                    anchor: String::new(),
                    offset: 0,
                    passage_key: None,
                    cuts,
                }
            })
            .collect::<Vec<_>>();
        Occurrences {
            query: "推进".into(),
            wording: vec!["推进".into()],
            width: 30,
            total: items.len(),
            reports: Vec::new(),
            per_report: vec![items.len()],
            items,
            took_ms: 0.0,
        }
    }

    #[test]
    fn a_word_inside_one_run_most_of_the_time_is_shown_as_that_run() {
        let found = found(&[
            "推进/常态/化/疫情/防控",
            "推进/常态/化/监管",
            "常态/化/推进/扫黑/除恶",
            "推进/扫黑/除恶/专项/斗争",
            "新/发展/阶段/要/推进/改革",
            "推进/新/型/城镇化/建设",
            "要/推进/常态/监管",
        ]);
        let candidates: HashMap<String, u64> = candidates(&found, 10).unwrap().into_iter().collect();
        // 常态 is 常态化 in three windows of four; 扫黑 and 除恶 are one row.
        assert_eq!(candidates.get("常态化"), Some(&3));
        assert_eq!(candidates.get("扫黑除恶"), Some(&2));
        assert!(!candidates.contains_key("常态") && !candidates.contains_key("扫黑"));
        // 要 and 新 alone are not rows: no run explains them (要推进 would
        // hold the phrase, and 新 is in two different runs).
        assert!(!candidates.keys().any(|unit| unit.chars().count() == 1), "{candidates:?}");
        // A word no longer run explains is itself: 监管 (2 windows).
        assert_eq!(candidates.get("监管"), Some(&2));
    }

    #[test]
    fn the_nearby_query_keeps_the_filters() {
        assert_eq!(nearby_query("坚持 year:2020", "坚持", "发展", 10), "坚持{0,10}发展 OR 发展{0,10}坚持 year:2020");
        assert_eq!(nearby_query("\"坚持\" year:2020", "坚持", "发展", 5), "坚持{0,5}发展 OR 发展{0,5}坚持 year:2020");
        assert_eq!(pair_count(3, 1.0), 3);
        assert_eq!(pair_count(3, 2.5), 8);
    }
}
