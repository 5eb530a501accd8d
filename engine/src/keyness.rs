//! Keyness (关键提法): the units a part of the archive (the target: a year,
//! a body, any query) uses more than another (the reference) would lead
//! one to expect, by Dunning's log-likelihood; or, asked for, the units
//! the target has and the reference lacks (首次出现) or the reverse.
//!
//! Candidates are the whole-word units of the part listed (`units`); their
//! counts in both parts are then taken by the search's rule, so that a unit
//! called new has no occurrence at all in the reference. [`keyness`] ranks
//! them; the server and the static index gather the counts.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::concordance::ReportInfo;
use crate::counting::Counted;
use crate::stats;
use crate::units::{self, Candidates};

/// Units listed.
pub const MAX_ROWS: usize = 200;
/// Candidates counted exactly, the most frequent in the target first.
const MAX_CANDIDATES: usize = 5000;
/// A unit occurs at least this often in the target.
const MIN_COUNT: u64 = 2;
/// Units shorter than this are left out (single characters are particles).
pub const MIN_CHARS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Used more in the target than the reference leads one to expect.
    Key,
    /// In the target, not at all in the reference.
    New,
    /// In the reference, not at all in the target.
    Dropped,
}

impl Mode {
    /// `mode=key|new|dropped` (empty: key).
    pub fn from_param(value: &str) -> Option<Mode> {
        match value {
            "key" | "" => Some(Mode::Key),
            "new" => Some(Mode::New),
            "dropped" => Some(Mode::Dropped),
            _ => None,
        }
    }

    /// Which of `(target, reference)` the units are listed for, and the
    /// other: the reference for `Dropped`.
    pub fn listed_and_other<'q>(self, target: &'q str, reference: &'q str) -> (&'q str, &'q str) {
        if self == Mode::Dropped { (reference, target) } else { (target, reference) }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Keyness {
    pub target: String,
    pub reference: String,
    pub mode: Mode,
    /// Positions of each part.
    pub target_chars: u64,
    pub reference_chars: u64,
    pub target_reports: u64,
    pub reference_reports: u64,
    pub rows: Vec<KeyUnit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyUnit {
    pub text: String,
    pub target_count: u64,
    pub reference_count: u64,
    pub log_likelihood: f64,
    pub log_ratio: f64,
    /// Reports and bodies of the part the unit is listed for (the
    /// reference for `Dropped`), a paragraph copied into several reports
    /// counted once; the years of every report of it that has the unit.
    pub reports: u64,
    pub bodies: u64,
    pub years: u64,
    /// Gries's DP over that part's reports: 0 even, near 1 in few.
    pub dp: f64,
    /// Last year the reference has it (for `Dropped`), else the target's first.
    pub year: i64,
}

/// The units of the listed part worth counting: the most frequent.
pub fn candidates(found: &Candidates) -> Vec<String> {
    let mut candidates: Vec<(&String, u64)> =
        found.units.iter().filter(|(_, (n, _))| *n >= MIN_COUNT).map(|(u, (n, _))| (u, *n)).collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    candidates.truncate(MAX_CANDIDATES);
    candidates.into_iter().map(|(u, _)| u.clone()).collect()
}

/// The other part, as counted: each candidate's count in it, its size in
/// positions and its reports.
pub struct Other {
    pub totals: Vec<u64>,
    pub size: u64,
    pub reports: u64,
}

/// The keyness of `target` against `reference`: `found` are the listed
/// part's units (`Mode::listed_and_other`), `texts` the [`candidates`]
/// among them, `listed` their counts in each of its reports and `other`
/// theirs in the other part.
pub fn keyness(
    target: &str,
    reference: &str,
    mode: Mode,
    found: &Candidates,
    texts: &[String],
    listed: &Counted,
    other: &Other,
) -> Keyness {
    let (listed_size, other_size) = (listed.size(), other.size);
    let listed_totals = listed.totals(texts.len());
    // Each unit's count in each report of the listed part, for DP.
    let mut per_report: Vec<Vec<u64>> = vec![Vec::new(); texts.len()];
    for (report, counts) in listed.counts.iter().enumerate() {
        for &(unit, count) in counts {
            let column = &mut per_report[unit as usize];
            column.resize(listed.reports.len(), 0);
            column[report] = count;
        }
    }
    let mut rows = Vec::new();
    for (unit, text) in texts.iter().enumerate() {
        let (here, there) = (listed_totals[unit], other.totals[unit]);
        let keep = match mode {
            Mode::Key => {
                here >= MIN_COUNT && here as f64 / listed_size.max(1) as f64 > there as f64 / other_size.max(1) as f64
            }
            Mode::New | Mode::Dropped => here >= MIN_COUNT && there == 0,
        };
        if !keep {
            continue;
        }
        let spread = units::spread(&found.units[text].1);
        let reports: Vec<&ReportInfo> = spread.iter().map(|&r| &listed.reports[r as usize]).collect();
        let bodies: BTreeSet<&str> = reports.iter().map(|r| r.body.as_str()).collect();
        // Years from every report that has it, copies included: when it was used.
        let years: BTreeSet<i64> = (0..listed.reports.len())
            .filter(|&r| per_report[unit].get(r).is_some_and(|&n| n > 0))
            .map(|r| listed.reports[r].year)
            .filter(|&y| y > 0)
            .collect();
        let parts: Vec<(u64, u64)> = listed
            .sizes
            .iter()
            .enumerate()
            .map(|(r, &size)| (size, per_report[unit].get(r).copied().unwrap_or(0)))
            .collect();
        let (target_count, reference_count, target_size, reference_size) = match mode {
            Mode::Dropped => (there, here, other_size, listed_size),
            _ => (here, there, listed_size, other_size),
        };
        rows.push(KeyUnit {
            text: text.clone(),
            target_count,
            reference_count,
            log_likelihood: stats::log_likelihood(target_count, target_size, reference_count, reference_size),
            log_ratio: stats::log_ratio(target_count, target_size, reference_count, reference_size),
            reports: spread.len() as u64,
            bodies: bodies.len() as u64,
            years: years.len() as u64,
            dp: stats::dispersion(&parts),
            year: if mode == Mode::Dropped {
                years.iter().next_back().copied().unwrap_or_default()
            } else {
                years.iter().next().copied().unwrap_or_default()
            },
        });
    }
    match mode {
        Mode::Key => {
            rows.sort_by(|a, b| b.log_likelihood.total_cmp(&a.log_likelihood).then_with(|| a.text.cmp(&b.text)))
        }
        // Spread first: a unit of many reports and bodies says more than
        // one report's repetition.
        Mode::New | Mode::Dropped => rows.sort_by(|a, b| {
            (b.reports, b.bodies, b.target_count.max(b.reference_count))
                .cmp(&(a.reports, a.bodies, a.target_count.max(a.reference_count)))
                .then_with(|| a.text.cmp(&b.text))
        }),
    }
    // A unit that is a piece of a longer one is left out (`units::is_piece_of`).
    let rows = units::without_pieces(&rows, |r| &r.text, |r| [r.target_count, r.reference_count], MAX_ROWS);
    let listed_reports = listed.reports.len() as u64;
    let (target_chars, reference_chars, target_reports, reference_reports) = match mode {
        Mode::Dropped => (other_size, listed_size, other.reports, listed_reports),
        _ => (listed_size, other_size, listed_reports, other.reports),
    };
    Keyness {
        target: target.to_owned(),
        reference: reference.to_owned(),
        mode,
        target_chars,
        reference_chars,
        target_reports,
        reference_reports,
        rows,
    }
}
