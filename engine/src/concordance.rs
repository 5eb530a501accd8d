//! Every occurrence of a query's wording with its context, and the
//! concordance (KWIC) made of them: one line per occurrence, left context |
//! match | right context, sorted by either context, by year or by body;
//! identical lines grouped; occurrences in the same recurring passage folded
//! into one line with a count. The server finds the occurrences in its
//! index's stored texts, the static index's engine in the texts it fetched;
//! both cut and show them here.

use std::collections::HashMap;
use std::str::FromStr;

use serde::Serialize;

use crate::messages::Problem;
use crate::request::positive;
use crate::results::{StoredReport, anchored};
use crate::words::is_separator;

/// A paragraph of at least this many characters may be a recurring
/// passage (`analysis::passages` finds them): occurrences in it fold.
pub const PASSAGE_MIN_CHARS: usize = 30;

/// Occurrences kept with their context; beyond this they are counted only.
/// (A phrase as common as 发展 occurs hundreds of thousands of times.)
pub const MAX_KEPT: usize = 200_000;
/// Context on each side of a match, in characters, unless asked otherwise.
pub const DEFAULT_WIDTH: usize = 30;
/// The widest context asked for.
pub const MAX_WIDTH: usize = 200;

/// A report some occurrence is in.
#[derive(Debug, Clone, Serialize)]
pub struct ReportInfo {
    pub id: String,
    pub title: String,
    pub url: String,
    pub body: String,
    pub level: String,
    pub period: String,
    pub year: i64,
    pub date: String,
}

/// One occurrence of the wording.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// Index into [`Occurrences::reports`].
    pub report: u32,
    /// Up to the context width, never past the paragraph.
    pub left: String,
    pub matched: String,
    pub right: String,
    /// The paragraph's anchor on the report page ("" for the title).
    pub anchor: String,
    /// Byte offset in the report's text: reading order.
    pub offset: usize,
    /// Equal for the same place in the same paragraph text, whichever
    /// report it is in: recurring passages fold by it. `None` for paragraphs
    /// too short to count as a passage.
    pub passage_key: Option<u64>,
    /// Where words begin and end in its clause (`words`), as byte offsets
    /// into `left + matched + right`; empty unless asked for.
    pub cuts: Vec<usize>,
}

/// Every occurrence of a query's wording, in year order.
#[derive(Debug, Clone)]
pub struct Occurrences {
    pub query: String,
    /// The query's wording, as typed (without quotes).
    pub wording: Vec<String>,
    pub width: usize,
    /// Occurrences found, all of them.
    pub total: usize,
    pub reports: Vec<ReportInfo>,
    /// Occurrences in each report of `reports`, all of them (kept or not).
    pub per_report: Vec<usize>,
    /// At most `MAX_KEPT`, the earliest first.
    pub items: Vec<Occurrence>,
    pub took_ms: f64,
}

impl Occurrence {
    /// The left context after its last punctuation: the occurrence's own
    /// clause. Cut before normalizing, which drops punctuation at the ends
    /// (发展，坚持 would read as 发展坚持).
    pub fn clause_left(&self) -> &str {
        self.left.rsplit(is_separator).next().unwrap_or_default()
    }

    /// The right context up to its first punctuation.
    pub fn clause_right(&self) -> &str {
        self.right.split(is_separator).next().unwrap_or_default()
    }
}

impl Occurrences {
    /// Fewer occurrences kept than found.
    pub fn truncated(&self) -> bool {
        self.items.len() < self.total
    }

    pub fn report(&self, occurrence: &Occurrence) -> &ReportInfo {
        &self.reports[occurrence.report as usize]
    }

    /// The report page at the occurrence's paragraph.
    pub fn url(&self, occurrence: &Occurrence) -> String {
        anchored(&self.report(occurrence).url, &occurrence.anchor)
    }
}

/// Occurrences gathered report by report, in date order: every one
/// counted, the first `MAX_KEPT` kept with their context.
#[derive(Default)]
pub struct Gathered {
    total: usize,
    reports: Vec<ReportInfo>,
    per_report: Vec<usize>,
    items: Vec<Occurrence>,
}

impl Gathered {
    /// Whether occurrences are still kept with their context.
    pub fn keeps(&self) -> bool {
        self.items.len() < MAX_KEPT
    }

    /// A report's `count` occurrences and the `places` kept of them (its
    /// number in them is set here); a report without any is left out.
    pub fn add(&mut self, report: ReportInfo, count: usize, places: Vec<Occurrence>) {
        if count == 0 {
            return;
        }
        let number = self.reports.len() as u32;
        self.total += count;
        self.reports.push(report);
        self.per_report.push(count);
        self.items.extend(places.into_iter().map(|place| Occurrence { report: number, ..place }));
    }

    pub fn finish(mut self, query: &str, wording: Vec<String>, width: usize, took_ms: f64) -> Occurrences {
        self.items.truncate(MAX_KEPT);
        Occurrences {
            query: query.to_owned(),
            wording,
            width,
            total: self.total,
            reports: self.reports,
            per_report: self.per_report,
            items: self.items,
            took_ms,
        }
    }
}

pub fn info(stored: StoredReport) -> ReportInfo {
    ReportInfo {
        id: stored.id,
        title: stored.title,
        url: stored.url,
        body: stored.body,
        level: stored.level,
        period: stored.period,
        year: stored.year,
        date: stored.date,
    }
}

/// The anchor of the paragraph holding byte `offset` of a report's text
/// ("" for the title).
pub fn anchor_at(report: &StoredReport, offset: usize) -> &str {
    let at = report.anchors.partition_point(|(start, _)| *start <= offset);
    at.checked_sub(1).map_or("", |i| report.anchors[i].1.as_str())
}

/// The occurrences at `ranges` (sorted) of a report, with their context,
/// and the word cuts within it among `cuts` (the report's, sorted; empty
/// when the view needs none).
pub fn in_context(report: &StoredReport, ranges: &[(usize, usize)], width: usize, cuts: &[usize]) -> Vec<Occurrence> {
    let text = report.text.as_str();
    let bytes = text.as_bytes();
    // Occurrences in one paragraph share its hash.
    let mut paragraph: Option<(usize, Option<u64>)> = None;
    ranges
        .iter()
        .map(|&(from, to)| {
            let line_start = memchr::memrchr(b'\n', &bytes[..from]).map_or(0, |i| i + 1);
            let line_end = memchr::memchr(b'\n', &bytes[to..]).map_or(text.len(), |i| to + i);
            let before = &text[line_start..from];
            let left_start = before.char_indices().rev().nth(width - 1).map_or(0, |(i, _)| i);
            let after = &text[to..line_end];
            let right_end = after.char_indices().nth(width).map_or(after.len(), |(i, _)| i);
            let anchor = anchor_at(report, from).to_owned();
            let paragraph_key = match paragraph {
                Some((start, key)) if start == line_start => key,
                _ => {
                    let text = text[line_start..line_end].trim();
                    let key =
                        (text.chars().count() >= PASSAGE_MIN_CHARS).then(|| crate::hash::hash_bytes(text.as_bytes()));
                    paragraph = Some((line_start, key));
                    key
                }
            };
            let passage_key = paragraph_key.map(|key| crate::hash::mix(key ^ (from - line_start) as u64));
            let (start, end) = (line_start + left_start, to + right_end);
            let first = cuts.partition_point(|&at| at < start);
            let last = cuts.partition_point(|&at| at <= end);
            Occurrence {
                report: 0,
                left: before[left_start..].to_owned(),
                matched: text[from..to].to_owned(),
                right: after[..right_end].to_owned(),
                anchor,
                offset: from,
                passage_key,
                cuts: cuts[first..last].iter().map(|&at| at - start).collect(),
            }
        })
        .collect()
}

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

/// Reads one of the concordance's parameters (`sort`, `group`, `fold`,
/// `page`, `per_page`, `width`) into `view` and `width`, as `/api/kwic` and
/// the static index take them; `None` for another name.
pub fn read_param(name: &str, value: &str, view: &mut View, width: &mut usize) -> Option<Result<(), Problem>> {
    let flag = |value: &str| match value {
        "1" | "true" | "" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(Problem::NotPositive { name: name.to_owned(), value: value.to_owned() }),
    };
    let read = || -> Result<(), Problem> {
        match name {
            "sort" => view.sort = value.parse::<KwicSort>()?,
            "group" => view.group = flag(value)?,
            "fold" => view.fold = flag(value)?,
            "page" => view.page = positive(name, value)?,
            "per_page" => {
                view.per_page = positive(name, value)?;
                if view.per_page > MAX_PER_PAGE {
                    return Err(Problem::PerPageTooLarge { max: MAX_PER_PAGE });
                }
            }
            _ => {
                *width = positive(name, value)?;
                if *width > MAX_WIDTH {
                    return Err(Problem::WidthTooLarge { max: MAX_WIDTH });
                }
            }
        }
        Ok(())
    };
    matches!(name, "sort" | "group" | "fold" | "page" | "per_page" | "width").then(read)
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
