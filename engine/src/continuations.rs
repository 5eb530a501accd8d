//! What follows a phrase, or precedes it: 坚持 → 以人民为中心 · 稳中求进 ·
//! 新发展理念 … as a table with counts, reports, bodies and years.
//!
//! The text is not segmented into words (segmenters disagree exactly where
//! wording research looks). Instead the strings after each occurrence, up to
//! punctuation and at most `MAX_CHARS` characters, are laid into a tree; a
//! string is a row where its occurrences scatter (fewer than `KEEP_GOING` of
//! them go on to a next character that many others take) or stop at
//! punctuation. 以人民为中心 becomes a row because what follows it varies
//! (的, ，, 发展 …); 以人民为 does not, since nearly all of it goes on to 中心.
//! Single characters are rows only where punctuation often follows them.
//!
//! A row also ends where a word does (`words`): a string is a row only if,
//! in most of its occurrences, the clause is cut at both of its ends, so
//! 以人 (of 以人民为中心) is never one. The occurrences carry their clause's
//! cuts (the server cuts them when asked, the static index stores them).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analyzer::normalize_with_origins;
use crate::concordance::{Occurrence, Occurrences, ReportInfo};
use crate::messages::Problem;

/// The longest string a row can hold.
pub const MAX_CHARS: usize = 8;
/// A string goes on to its next character as one unit while at least this
/// share of its occurrences do.
const KEEP_GOING: f64 = 0.7;
/// Rows need at least this many occurrences.
const MIN_COUNT: usize = 2;
/// Rows in a table, most frequent first.
pub const MAX_ROWS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// What follows the match.
    Right,
    /// What precedes it.
    Left,
}

#[derive(Debug, Clone, Serialize)]
pub struct Continuations {
    pub query: String,
    pub side: Side,
    /// Occurrences of the query.
    pub total: usize,
    /// Those the table counts: all of them, or the first `MAX_KEPT` by year.
    pub counted: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The string, normalized (simplified, half-width).
    pub text: String,
    /// The query for this string with the phrase: its own concordance.
    pub query: String,
    pub count: usize,
    pub reports: usize,
    pub bodies: usize,
    pub first_year: i64,
    pub last_year: i64,
}

#[derive(Default)]
struct Node {
    count: usize,
    /// Occurrences whose string ends here, at punctuation or the paragraph's end.
    ends: usize,
    /// Occurrences in which this string is whole words of its sentence.
    whole: usize,
    reports: BTreeSet<u32>,
    children: BTreeMap<char, Node>,
}

/// The table for `side` of the occurrences in `found` (found with a
/// context of at least `MAX_CHARS` and with their cuts), whose query has
/// one wording.
pub fn continuations(found: &Occurrences, side: Side) -> Result<Continuations, Problem> {
    let [phrase] = found.wording.as_slice() else {
        return Err(Problem::OneWordingOnly);
    };
    let mut root = Node::default();
    for occurrence in &found.items {
        let read = read_away(occurrence, side);
        let ends = read.len() < MAX_CHARS;
        let mut node = &mut root;
        for (c, whole) in read.into_iter().take(MAX_CHARS) {
            node = node.children.entry(c).or_default();
            node.count += 1;
            node.whole += usize::from(whole);
            node.reports.insert(occurrence.report);
        }
        if ends {
            node.ends += 1;
        }
    }
    let mut rows = Vec::new();
    let mut path = String::new();
    for (c, child) in &root.children {
        collect(found, phrase, side, *c, child, &mut path, &mut rows);
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.chars().count().cmp(&b.text.chars().count())));
    rows.truncate(MAX_ROWS);
    Ok(Continuations { query: found.query.clone(), side, total: found.total, counted: found.items.len(), rows })
}

/// The characters read away from the match (rightwards, or leftwards
/// backwards), normalized, up to punctuation (found before normalizing,
/// which drops it); each with whether the string up to it is whole words:
/// the clause is cut at the match's edge and after that character.
fn read_away(occurrence: &Occurrence, side: Side) -> Vec<(char, bool)> {
    let is_cut = |at: usize| occurrence.cuts.binary_search(&at).is_ok();
    let match_start = occurrence.left.len();
    match side {
        Side::Right => {
            let edge = match_start + occurrence.matched.len();
            let (_, normalized) = normalize_with_origins(occurrence.clause_right());
            normalized.iter().map(|n| (n.c, is_cut(edge) && is_cut(edge + n.to))).collect()
        }
        Side::Left => {
            let clause = occurrence.clause_left();
            let clause_start = match_start - clause.len();
            let (_, normalized) = normalize_with_origins(clause);
            normalized.iter().rev().map(|n| (n.c, is_cut(match_start) && is_cut(clause_start + n.from))).collect()
        }
    }
}

fn collect(
    found: &Occurrences,
    phrase: &str,
    side: Side,
    c: char,
    node: &Node,
    path: &mut String,
    rows: &mut Vec<Row>,
) {
    path.push(c);
    let length = path.chars().count();
    // Occurrences that go on into a well-trodden next character: one that at
    // least a fifth of them take. 以人 goes on to 以人民 and 以人为本 alike,
    // so it is no unit; 以人民为中心 scatters (的, ，, 发展 …), so it is.
    let count = node.count as f64;
    let continuing: usize = node.children.values().map(|n| n.count).filter(|&n| n as f64 >= 0.2 * count).sum();
    let stopping = node.ends as f64 >= (1.0 - KEEP_GOING) * count;
    let scatters = (continuing as f64) < KEEP_GOING * count;
    // Or a clear step: most go on, but fewer than just after (以人民为中心 →
    // 的 in three of four, then 的 → 发 in nine of ten).
    let steps_down = cohesion(node) < 0.9
        && node.children.values().max_by_key(|n| n.count).is_some_and(|next| cohesion(next) > cohesion(node));
    let is_whole = 2 * node.whole > node.count;
    let is_row = node.count >= MIN_COUNT
        && is_whole
        && match length {
            1 => stopping,
            MAX_CHARS => node.ends > 0 && stopping,
            _ => scatters || stopping || steps_down,
        };
    if is_row {
        let text: String = match side {
            Side::Right => path.clone(),
            Side::Left => path.chars().rev().collect(),
        };
        rows.push(row(found, phrase, side, text, node));
    }
    if node.count >= MIN_COUNT {
        for (next, child) in &node.children {
            collect(found, phrase, side, *next, child, path, rows);
        }
    }
    path.pop();
}

/// The share of a string's occurrences that go on to its commonest next
/// character (1 when the string is always followed alike).
fn cohesion(node: &Node) -> f64 {
    node.children.values().map(|n| n.count).max().unwrap_or(0) as f64 / node.count.max(1) as f64
}

fn row(found: &Occurrences, phrase: &str, side: Side, text: String, node: &Node) -> Row {
    let reports: Vec<&ReportInfo> = node.reports.iter().map(|&r| &found.reports[r as usize]).collect();
    let bodies: BTreeSet<&str> = reports.iter().map(|r| r.body.as_str()).collect();
    // Year 0 is "not known yet" (an import awaiting review), not a year.
    let years = reports.iter().map(|r| r.year).filter(|&y| y > 0);
    // The same query with the longer wording: its filters still apply.
    let longer = match side {
        Side::Right => format!("{phrase}{text}"),
        Side::Left => format!("{text}{phrase}"),
    };
    let query = found.query.replacen(phrase, &longer, 1);
    Row {
        query,
        count: node.count,
        reports: node.reports.len(),
        bodies: bodies.len(),
        first_year: years.clone().min().unwrap_or_default(),
        last_year: years.max().unwrap_or_default(),
        text,
    }
}
