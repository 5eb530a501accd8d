//! The concordance (KWIC): one line per occurrence, left context | match |
//! right context, sorted by either context, by year or by body; identical
//! lines grouped; occurrences in the same recurring passage folded into one
//! line with a count.

use std::collections::HashMap;
use std::str::FromStr;

use serde::Serialize;

use super::{Occurrence, Occurrences};
use crate::search::messages::Problem;

/// Lines on one page unless asked otherwise, and the most asked for.
pub const DEFAULT_PER_PAGE: usize = 50;
pub const MAX_PER_PAGE: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KwicSort {
    /// Oldest first, then body, report and reading order.
    Year,
    /// By what follows the match: lines continuing alike stand together.
    Right,
    /// By what precedes it, read backwards from the match.
    Left,
    /// By issuing body, then year.
    Body,
}

impl FromStr for KwicSort {
    type Err = Problem;

    fn from_str(s: &str) -> Result<KwicSort, Problem> {
        match s {
            "year" | "" => Ok(KwicSort::Year),
            "right" => Ok(KwicSort::Right),
            "left" => Ok(KwicSort::Left),
            "body" => Ok(KwicSort::Body),
            other => Err(Problem::UnknownKwicSort { sort: other.to_owned() }),
        }
    }
}

/// How to show the occurrences.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub sort: KwicSort,
    /// Lines with the same left context, match and right context as one.
    pub group: bool,
    /// Occurrences at the same place of the same recurring passage as one.
    pub fold: bool,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl Default for View {
    fn default() -> View {
        View { sort: KwicSort::Year, group: false, fold: true, page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Concordance {
    pub query: String,
    pub sort: KwicSort,
    /// Occurrences, overlapping ones included.
    pub total: usize,
    /// Reports with at least one occurrence.
    pub reports: usize,
    /// Lines after folding and grouping, over all pages.
    pub line_count: usize,
    /// Only the first `MAX_KEPT` occurrences (in year order) have lines.
    pub truncated: bool,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub took_ms: f64,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    /// The report page at the paragraph (of the first occurrence).
    pub url: String,
    pub title: String,
    pub year: i64,
    pub body: String,
    pub level: String,
    pub period: String,
    /// Occurrences this line stands for (more than one when folded or grouped).
    pub count: usize,
    /// Reports they are in.
    pub report_count: usize,
    /// The last year among them, when they span years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_year: Option<i64>,
    /// The line stands for a recurring passage.
    pub passage: bool,
}

/// A page of the concordance of `found`, shown as `view` asks.
pub fn concordance(found: &Occurrences, view: &View) -> Concordance {
    let lines = lines(found, view);
    let per_page = view.per_page.clamp(1, MAX_PER_PAGE);
    let page = view.page.max(1);
    let shown = lines.iter().skip((page - 1).saturating_mul(per_page)).take(per_page).cloned().collect();
    Concordance {
        query: found.query.clone(),
        sort: view.sort,
        total: found.total,
        reports: found.reports.len(),
        line_count: lines.len(),
        truncated: found.truncated(),
        page,
        per_page,
        pages: lines.len().div_ceil(per_page),
        took_ms: found.took_ms,
        lines: shown,
    }
}

/// Every line of the concordance, sorted, folded and grouped as `view` asks.
pub fn lines(found: &Occurrences, view: &View) -> Vec<Line> {
    // Each line is a set of occurrences; the first one speaks for it.
    let mut sets: Vec<Vec<&Occurrence>> = Vec::new();
    let mut keys: HashMap<Key, usize> = HashMap::new();
    for occurrence in &found.items {
        let key = if view.group {
            Some(Key::Text(&occurrence.left, &occurrence.matched, &occurrence.right))
        } else if view.fold {
            occurrence.passage_key.map(Key::Passage)
        } else {
            None
        };
        match key.as_ref().and_then(|key| keys.get(key)) {
            Some(&at) => sets[at].push(occurrence),
            None => {
                if let Some(key) = key {
                    keys.insert(key, sets.len());
                }
                sets.push(vec![occurrence]);
            }
        }
    }
    // Grouping identical lines also folds passages: their lines are identical
    // but for contexts cut at different widths, which they are not.
    if view.group && view.fold {
        let mut by_passage: HashMap<u64, usize> = HashMap::new();
        let mut kept: Vec<Vec<&Occurrence>> = Vec::new();
        for set in sets.drain(..) {
            match set[0].passage_key {
                Some(key) => match by_passage.get(&key) {
                    Some(&at) => kept[at].extend(set),
                    None => {
                        by_passage.insert(key, kept.len());
                        kept.push(set);
                    }
                },
                None => kept.push(set),
            }
        }
        sets = kept;
    }

    let mut lines: Vec<(Line, &Occurrence)> = sets.into_iter().map(|set| (line(found, &set), set[0])).collect();
    let reversed = |s: &str| s.chars().rev().collect::<String>();
    match view.sort {
        KwicSort::Year => {}
        KwicSort::Right => lines.sort_by(|a, b| (&a.0.right, &a.0.matched).cmp(&(&b.0.right, &b.0.matched))),
        KwicSort::Left => {
            let mut keyed: Vec<(String, (Line, &Occurrence))> =
                lines.into_iter().map(|l| (reversed(&l.0.left), l)).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            lines = keyed.into_iter().map(|(_, l)| l).collect();
        }
        KwicSort::Body => lines.sort_by(|a, b| a.0.body.cmp(&b.0.body)),
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

#[derive(Hash, PartialEq, Eq)]
enum Key<'a> {
    Text(&'a str, &'a str, &'a str),
    Passage(u64),
}

fn line(found: &Occurrences, set: &[&Occurrence]) -> Line {
    let first = set[0];
    let report = found.report(first);
    let mut reports: Vec<u32> = set.iter().map(|o| o.report).collect();
    reports.sort_unstable();
    reports.dedup();
    let last_year = set.iter().map(|o| found.report(o).year).max().filter(|&y| y != report.year && y > 0);
    Line {
        left: first.left.clone(),
        matched: first.matched.clone(),
        right: first.right.clone(),
        url: found.url(first),
        title: report.title.clone(),
        year: report.year,
        body: report.body.clone(),
        level: report.level.clone(),
        period: report.period.clone(),
        count: set.len(),
        report_count: reports.len(),
        last_year,
        passage: set.len() > 1 && first.passage_key.is_some() && reports.len() > 1,
    }
}
