//! The `Library`: every report in archive order, and the four taxonomies
//! (year, body, level, period) that staff browse by.

use std::collections::BTreeMap;

use super::{Report, url_segment};
use crate::config::{Config, Vocabulary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    Year,
    Body,
    Level,
    Period,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 4] = [Self::Year, Self::Body, Self::Level, Self::Period];

    /// URL folder of the taxonomy: `/years/2021/`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Year => "years",
            Self::Body => "bodies",
            Self::Level => "levels",
            Self::Period => "periods",
        }
    }

    /// The heading readers see.
    pub fn title(self) -> &'static str {
        match self {
            Self::Year => "年份",
            Self::Body => "发文机关",
            Self::Level => "层级",
            Self::Period => "报告期",
        }
    }

    pub fn value_of(self, report: &Report) -> String {
        match self {
            Self::Year => report.meta.year.to_string(),
            Self::Body => report.meta.body.clone(),
            Self::Level => report.meta.level.clone(),
            Self::Period => report.meta.period.clone(),
        }
    }
}

/// One value of a taxonomy (国务院, 2021, 上半年) and its reports.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Indexes into `Library::reports`, in archive order.
    pub reports: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Library {
    /// Newest year first, then body, level and period in configured order.
    pub reports: Vec<Report>,
    pub taxonomies: Vec<Taxonomy>,
    /// For each report, the same body's report of the previous and next year.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
}

impl Library {
    pub fn new(mut reports: Vec<Report>, config: &Config) -> Library {
        reports.sort_by_cached_key(|r| {
            (
                std::cmp::Reverse(r.meta.year),
                config.order_of(Vocabulary::Body, &r.meta.body),
                r.meta.body.clone(),
                config.order_of(Vocabulary::Level, &r.meta.level),
                config.order_of(Vocabulary::Period, &r.meta.period),
                r.meta.period.clone(),
                std::cmp::Reverse(r.meta.date.clone()),
                r.meta.title.clone(),
                r.source.clone(),
            )
        });
        let taxonomies = TaxonomyKind::ALL.iter().map(|&kind| build_taxonomy(kind, &reports, config)).collect();
        let neighbours = find_neighbours(&reports);
        Library { reports, taxonomies, neighbours }
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        &self.taxonomies[kind as usize]
    }

    /// Indexes of the `limit` newest reports: latest year, then latest date.
    pub fn newest(&self, limit: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.reports.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.reports[a].meta, &self.reports[b].meta);
            (b.year, &b.date).cmp(&(a.year, &a.date))
        });
        order.truncate(limit);
        order
    }

    /// The term a report belongs to in `kind`.
    pub fn term_of(&self, kind: TaxonomyKind, report: &Report) -> &Term {
        let value = kind.value_of(report);
        self.taxonomy(kind).terms.iter().find(|t| t.name == value).expect("every report's value has a term")
    }
}

fn build_taxonomy(kind: TaxonomyKind, reports: &[Report], config: &Config) -> Taxonomy {
    let mut by_value: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, report) in reports.iter().enumerate() {
        by_value.entry(kind.value_of(report)).or_default().push(i);
    }
    let mut terms: Vec<Term> =
        by_value.into_iter().map(|(name, reports)| Term { slug: url_segment(&name), name, reports }).collect();
    match kind {
        TaxonomyKind::Year => terms.sort_by_key(|t| std::cmp::Reverse(t.name.parse::<i32>().unwrap_or(0))),
        TaxonomyKind::Body => {
            terms.sort_by_cached_key(|t| (config.order_of(Vocabulary::Body, &t.name), t.name.clone()))
        }
        TaxonomyKind::Level => {
            terms.sort_by_cached_key(|t| (config.order_of(Vocabulary::Level, &t.name), t.name.clone()))
        }
        TaxonomyKind::Period => {
            terms.sort_by_cached_key(|t| (config.order_of(Vocabulary::Period, &t.name), t.name.clone()))
        }
    }
    Taxonomy { kind, terms }
}

/// For each report, the nearest earlier and later year of the same body,
/// preferring the same period (an annual report's neighbour is the previous
/// annual report, not a half-year one).
fn find_neighbours(reports: &[Report]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut by_body: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        by_body.entry(&r.meta.body).or_default().push(i);
    }
    reports
        .iter()
        .map(|report| {
            let same_body = &by_body[report.meta.body.as_str()];
            let pick = |earlier: bool| {
                let candidates = same_body.iter().copied().filter(|&j| {
                    let year = reports[j].meta.year;
                    if earlier { year < report.meta.year } else { year > report.meta.year }
                });
                // Closest year first, same period preferred, archive order last.
                candidates.min_by_key(|&j| {
                    let other = &reports[j].meta;
                    ((other.year - report.meta.year).abs(), other.period != report.meta.period, j)
                })
            };
            (pick(true), pick(false))
        })
        .collect()
}
