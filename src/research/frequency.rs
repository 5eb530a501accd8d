//! How often a phrase occurs by year (absolute, and per 10,000 positions of
//! that year's reports, so that a year with more reports does not look
//! keener) and by issuing body and year.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Occurrences;
use crate::search::SearchIndex;
use crate::search::query;
use crate::search::searcher::SearchError;

#[derive(Debug, Clone, Serialize)]
pub struct ByYear {
    pub query: String,
    pub total: u64,
    /// Every year of the filtered archive, the phrase's or not, ascending;
    /// year 0 (not known yet) last if there is one.
    pub rows: Vec<YearRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: i64,
    /// Occurrences in that year's reports.
    pub count: u64,
    /// Reports holding it.
    pub reports: u64,
    /// Positions of all that year's reports (within the filters).
    pub chars: u64,
    pub per_10k: f64,
}

/// The phrase's occurrences per year, against the size of each year.
pub fn by_year(index: &SearchIndex, found: &Occurrences) -> Result<ByYear, SearchError> {
    let filters = query::parse(&found.query).map_err(SearchError::from)?.filters();
    let sizes = index.positions_by_year(&filters)?;
    let mut counts: BTreeMap<i64, (u64, BTreeSet<u32>)> = BTreeMap::new();
    for (report, count) in per_report(found) {
        let entry = counts.entry(found.reports[report as usize].year).or_default();
        entry.0 += count;
        entry.1.insert(report);
    }
    let mut rows: Vec<YearRow> = sizes
        .iter()
        .map(|(&year, &chars)| {
            let (count, reports) = counts.get(&year).map_or((0, 0), |(n, r)| (*n, r.len() as u64));
            YearRow { year, count, reports, chars, per_10k: per_10k(count, chars) }
        })
        .collect();
    // Not known yet after the known years.
    rows.sort_by_key(|row| (row.year == 0, row.year));
    Ok(ByYear { query: found.query.clone(), total: found.total as u64, rows })
}

pub fn per_10k(count: u64, chars: u64) -> f64 {
    if chars == 0 { 0.0 } else { count as f64 * 10_000.0 / chars as f64 }
}

/// Each report's count of occurrences: all of them, whether their context
/// was kept or not (`Occurrences::per_report`).
fn per_report(found: &Occurrences) -> impl Iterator<Item = (u32, u64)> + '_ {
    found.per_report.iter().enumerate().map(|(report, &count)| (report as u32, count as u64))
}

#[derive(Debug, Clone, Serialize)]
pub struct ByBody {
    pub query: String,
    pub total: u64,
    /// The years of the table's columns, ascending (0 last).
    pub years: Vec<i64>,
    /// Bodies, most occurrences first.
    pub rows: Vec<BodyRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BodyRow {
    pub body: String,
    pub count: u64,
    pub reports: u64,
    /// Occurrences per year, in the order of `years`.
    pub by_year: Vec<u64>,
}

/// The phrase's occurrences per issuing body and year.
pub fn by_body(found: &Occurrences) -> ByBody {
    let mut years: Vec<i64> = found.reports.iter().map(|r| r.year).collect::<BTreeSet<_>>().into_iter().collect();
    years.sort_by_key(|&year| (year == 0, year));
    let column = |year: i64| years.iter().position(|&y| y == year).unwrap_or(0);
    let mut bodies: BTreeMap<&str, BodyRow> = BTreeMap::new();
    for (report, count) in per_report(found) {
        let info = &found.reports[report as usize];
        let row = bodies.entry(info.body.as_str()).or_insert_with(|| BodyRow {
            body: info.body.clone(),
            count: 0,
            reports: 0,
            by_year: vec![0; years.len()],
        });
        row.count += count;
        row.reports += 1;
        row.by_year[column(info.year)] += count;
    }
    let mut rows: Vec<BodyRow> = bodies.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.body.cmp(&b.body)));
    ByBody { query: found.query.clone(), total: found.total as u64, years, rows }
}
