//! How often a query's wording occurs by year (absolute, and per 10,000
//! positions of that year's reports, so that a year with more reports does
//! not look keener) and by issuing body and year: the tables of `wenku kwic
//! --table years|bodies`, made the same way on the server and, from the
//! static index, in the browser.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// A report holding the wording: its year (0 when not known), its body and
/// how often the wording occurs in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub year: i64,
    pub body: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ByYear {
    pub query: String,
    pub total: u64,
    /// Every year of the filtered archive, the wording's or not, ascending;
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

pub fn per_10k(count: u64, chars: u64) -> f64 {
    if chars == 0 { 0.0 } else { count as f64 * 10_000.0 / chars as f64 }
}

/// The wording's occurrences per year, against `sizes`: the positions of
/// the filtered archive's reports by year.
pub fn by_year(query: &str, reports: &[Counted], sizes: &BTreeMap<i64, u64>) -> ByYear {
    let mut counts: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for report in reports {
        let entry = counts.entry(report.year).or_default();
        entry.0 += report.count;
        entry.1 += 1;
    }
    let mut rows: Vec<YearRow> = sizes
        .iter()
        .map(|(&year, &chars)| {
            let (count, reports) = counts.get(&year).copied().unwrap_or_default();
            YearRow { year, count, reports, chars, per_10k: per_10k(count, chars) }
        })
        .collect();
    // Not known yet after the known years.
    rows.sort_by_key(|row| (row.year == 0, row.year));
    ByYear { query: query.to_owned(), total: total(reports), rows }
}

/// The wording's occurrences per issuing body and year.
pub fn by_body(query: &str, reports: &[Counted]) -> ByBody {
    let mut years: Vec<i64> = reports.iter().map(|r| r.year).collect::<BTreeSet<_>>().into_iter().collect();
    years.sort_by_key(|&year| (year == 0, year));
    let column = |year: i64| years.iter().position(|&y| y == year).unwrap_or(0);
    let mut bodies: BTreeMap<&str, BodyRow> = BTreeMap::new();
    for report in reports {
        let row = bodies.entry(report.body.as_str()).or_insert_with(|| BodyRow {
            body: report.body.clone(),
            count: 0,
            reports: 0,
            by_year: vec![0; years.len()],
        });
        row.count += report.count;
        row.reports += 1;
        row.by_year[column(report.year)] += report.count;
    }
    let mut rows: Vec<BodyRow> = bodies.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.body.cmp(&b.body)));
    ByBody { query: query.to_owned(), total: total(reports), years, rows }
}

fn total(reports: &[Counted]) -> u64 {
    reports.iter().map(|r| r.count).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(year: i64, body: &str, count: u64) -> Counted {
        Counted { year, body: body.into(), count }
    }

    #[test]
    fn every_year_of_the_part_is_a_row_and_unknown_comes_last() {
        let reports = [counted(2021, "甲", 2), counted(0, "乙", 1), counted(2021, "乙", 3)];
        let sizes = BTreeMap::from([(0, 100), (2020, 50), (2021, 1000)]);
        let table = by_year("q", &reports, &sizes);
        let rows: Vec<(i64, u64, u64, u64)> =
            table.rows.iter().map(|r| (r.year, r.count, r.reports, r.chars)).collect();
        assert_eq!(rows, vec![(2020, 0, 0, 50), (2021, 5, 2, 1000), (0, 1, 1, 100)]);
        assert_eq!(table.total, 6);
        assert_eq!(table.rows[1].per_10k, 50.0);

        let bodies = by_body("q", &reports);
        assert_eq!(bodies.years, vec![2021, 0]);
        assert_eq!(bodies.rows[0].body, "乙");
        assert_eq!(bodies.rows[0].by_year, vec![3, 1]);
        assert_eq!(bodies.rows[1].by_year, vec![2, 0]);
    }
}
