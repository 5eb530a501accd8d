//! Recurring formulations (固定提法): the whole-word units of 4 to 16
//! characters that a part of the archive uses across many reports, bodies
//! and years (AntConc's clusters with their range). A paragraph copied
//! into many reports (a recurring passage) counts once as spread, so that
//! one stock paragraph does not rank its every phrase as a formulation of all.
//!
//! The part's reports are read twice: for their units ([`candidates`]),
//! then to count those by the search's rule (`counting`); [`clusters`]
//! ranks them.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::concordance::ReportInfo;
use crate::counting::Counted;
use crate::stats;
use crate::units::{self, Candidates};

pub const MIN_CHARS: usize = 4;
pub const MAX_ROWS: usize = 200;
/// Candidates counted exactly: the most widely spread first.
const MAX_CANDIDATES: usize = 3000;
/// A cluster is in at least this many reports (copies counted once).
const MIN_REPORTS: usize = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Clusters {
    pub query: String,
    pub reports: u64,
    pub chars: u64,
    pub rows: Vec<Cluster>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    pub text: String,
    /// Occurrences by the search's rule.
    pub count: u64,
    /// Reports holding it, a copied paragraph counted once.
    pub reports: u64,
    pub bodies: u64,
    pub years: u64,
    /// Gries's DP over the reports: 0 even, near 1 in few.
    pub dp: f64,
    pub first_year: i64,
    pub last_year: i64,
}

/// The units worth counting, with the reports each spreads over: spread
/// (copies once) decides them.
pub fn candidates(found: Candidates) -> Vec<(String, Vec<u32>)> {
    let mut candidates: Vec<(String, Vec<u32>)> = found
        .units
        .into_iter()
        .map(|(unit, (_, places))| (unit, units::spread(&places)))
        .filter(|(_, spread)| spread.len() >= MIN_REPORTS)
        .collect();
    candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);
    candidates
}

/// The recurring formulations of the part `query` selects, from its
/// `candidates` and their counts in each of its reports (`counted`, the
/// reports in the order the candidates number them).
pub fn clusters(query: &str, candidates: &[(String, Vec<u32>)], counted: &Counted) -> Clusters {
    let totals = counted.totals(candidates.len());
    let mut per_report: Vec<Vec<(usize, u64)>> = vec![Vec::new(); candidates.len()];
    for (report, counts) in counted.counts.iter().enumerate() {
        for &(unit, count) in counts {
            per_report[unit as usize].push((report, count));
        }
    }
    let mut rows: Vec<Cluster> = candidates
        .iter()
        .enumerate()
        .map(|(unit, (text, spread))| {
            let reports: Vec<&ReportInfo> = spread.iter().map(|&r| &counted.reports[r as usize]).collect();
            let bodies: BTreeSet<&str> = reports.iter().map(|r| r.body.as_str()).collect();
            // Years from every report that has it, copies included: when it was used.
            let years: BTreeSet<i64> =
                per_report[unit].iter().map(|&(r, _)| counted.reports[r].year).filter(|&y| y > 0).collect();
            let mut parts: Vec<(u64, u64)> = counted.sizes.iter().map(|&size| (size, 0)).collect();
            for &(report, count) in &per_report[unit] {
                parts[report].1 = count;
            }
            Cluster {
                text: text.clone(),
                count: totals[unit],
                reports: spread.len() as u64,
                bodies: bodies.len() as u64,
                years: years.len() as u64,
                dp: stats::dispersion(&parts),
                first_year: years.iter().next().copied().unwrap_or_default(),
                last_year: years.iter().next_back().copied().unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.reports, b.bodies, b.years, b.count)
            .cmp(&(a.reports, a.bodies, a.years, a.count))
            .then_with(|| a.text.cmp(&b.text))
    });
    // A unit that is a piece of a longer one is left out (`units::is_piece_of`).
    let kept = units::without_pieces(&rows, |r| &r.text, |r| [r.reports, r.count], MAX_ROWS);
    Clusters { query: query.to_owned(), reports: counted.reports.len() as u64, chars: counted.size(), rows: kept }
}
