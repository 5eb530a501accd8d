//! The `Library`: every report in archive order, and the four taxonomies
//! (year, body, level, period) that staff browse by.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{Report, ReportId, ReportIds, url_segment};
use crate::content::config::{Config, Vocabulary};

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

    /// The report's value, or the label of an unknown one (年份不详 …).
    pub fn value_of(self, report: &Report) -> String {
        self.label_of(report).into_owned()
    }

    fn label_of(self, report: &Report) -> Cow<'_, str> {
        let meta = &report.meta;
        match self {
            Self::Year => Cow::Owned(meta.year_label()),
            Self::Body => Cow::Borrowed(meta.body_label()),
            Self::Level => Cow::Borrowed(meta.level_label()),
            Self::Period => Cow::Borrowed(meta.period_label()),
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
    /// For each report, the one it is compared with: the same body's and
    /// period's report of the nearest earlier year.
    pub predecessors: Vec<Option<usize>>,
    /// For each report, the share of sentences it has in common with its
    /// predecessor (`sentences::shared`; 0 without one): asked for every
    /// report each time the site's pages are listed.
    pub predecessor_shares: Vec<f32>,
    /// Every report's id by source, kept from library to library in watch
    /// mode (a removed report keeps its id).
    ids: ReportIds,
    /// Where each id's report stands in `reports` (`NOWHERE`: not here).
    positions: Vec<u32>,
}

const NOWHERE: u32 = u32::MAX;

impl Library {
    /// The library of `reports`, each given its id.
    pub fn new(reports: Vec<Report>, config: &Config) -> Library {
        Library::with_ids(ReportIds::default(), reports, config)
    }

    /// The library of `reports`, a report keeping the id `ids` gave its
    /// source before (watch mode's library after an edit).
    pub fn with_ids(mut ids: ReportIds, mut reports: Vec<Report>, config: &Config) -> Library {
        for report in &mut reports {
            report.id = ids.intern(&report.source);
        }
        let reports = sort_in_archive_order(reports, config);
        let taxonomies = TaxonomyKind::ALL.iter().map(|&kind| build_taxonomy(kind, &reports, config)).collect();
        let by_body = by_body_and_year(&reports);
        let neighbours = find_neighbours(&reports, &by_body);
        let predecessors = find_predecessors(&reports, &by_body);
        let predecessor_shares =
            (0..reports.len()).map(|i| share_with_predecessor(&reports, &predecessors, i)).collect();
        let mut positions = vec![NOWHERE; ids.len()];
        for (i, report) in reports.iter().enumerate() {
            positions[report.id.index()] = i as u32;
        }
        Library { reports, taxonomies, neighbours, predecessors, predecessor_shares, ids, positions }
    }

    /// Its ids and reports, borrowed (for the build state).
    pub fn ids_and_reports(&self) -> (&ReportIds, &[Report]) {
        (&self.ids, &self.reports)
    }

    /// Its ids and reports, to make the next library of (watch mode).
    pub fn into_parts(self) -> (ReportIds, Vec<Report>) {
        (self.ids, self.reports)
    }

    /// Where the report `id` stands in archive order, if it is here.
    pub fn position(&self, id: ReportId) -> Option<usize> {
        self.positions.get(id.index()).filter(|&&i| i != NOWHERE).map(|&i| i as usize)
    }

    /// The id of the report read from `source`, if it ever had one.
    pub fn id_of(&self, source: &Path) -> Option<ReportId> {
        self.ids.get(source)
    }

    /// The id of `source`, given one if it has none: for a file about to
    /// be added, or one that is gone.
    pub fn intern(&mut self, source: &Path) -> ReportId {
        self.ids.intern(source)
    }

    /// The source path of an id (of a report here or gone).
    pub fn source(&self, id: ReportId) -> &Path {
        self.ids.source(id)
    }

    /// Puts `report`, an edit of the report at `position` with the same
    /// front matter and URL, in its place: the order stays, and so do ids.
    pub fn replace(&mut self, position: usize, mut report: Report) {
        let old = &self.reports[position];
        debug_assert!(old.source == report.source && old.meta == report.meta && old.path == report.path);
        report.id = old.id;
        self.reports[position] = report;
        // Its sentences changed: its share, and that of the reports it precedes.
        for i in 0..self.reports.len() {
            if i == position || self.predecessors[i] == Some(position) {
                self.predecessor_shares[i] = share_with_predecessor(&self.reports, &self.predecessors, i);
            }
        }
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &Taxonomy {
        &self.taxonomies[kind as usize]
    }

    /// Indexes of the `limit` newest reports: latest year, then latest date.
    pub fn newest(&self, limit: usize) -> Vec<usize> {
        // Ties keep archive order: the index breaks them.
        let newest_first = |&a: &usize, &b: &usize| {
            let (ma, mb) = (&self.reports[a].meta, &self.reports[b].meta);
            (mb.year, &mb.date, a).cmp(&(ma.year, &ma.date, b))
        };
        let mut order: Vec<usize> = (0..self.reports.len()).collect();
        // The feed is rewritten after every edit: pick the newest, then
        // sort only those (all 100,000 sorted took milliseconds each time).
        if limit < order.len() {
            order.select_nth_unstable_by(limit, newest_first);
            order.truncate(limit);
        }
        order.sort_unstable_by(newest_first);
        order
    }

    /// The term a report belongs to in `kind`.
    pub fn term_of(&self, kind: TaxonomyKind, report: &Report) -> &Term {
        let value = kind.value_of(report);
        self.taxonomy(kind).terms.iter().find(|t| t.name == value).expect("every report's value has a term")
    }
}

/// Newest year first, then body, level and period in configured order, then
/// newest date, title and path. The keys borrow from the reports (watch mode
/// sorts the whole archive after every edit, so no string is copied).
fn sort_in_archive_order(reports: Vec<Report>, config: &Config) -> Vec<Report> {
    let mut order: Vec<usize> = (0..reports.len()).collect();
    {
        let keys: Vec<_> = reports
            .iter()
            .map(|r| {
                let meta = &r.meta;
                (
                    // Unknown years last.
                    std::cmp::Reverse(meta.year),
                    config.order_of(Vocabulary::Body, meta.body_label()),
                    meta.body_label(),
                    config.order_of(Vocabulary::Level, meta.level_label()),
                    config.order_of(Vocabulary::Period, meta.period_label()),
                    meta.period_label(),
                    std::cmp::Reverse(meta.date.as_deref()),
                    meta.title.as_str(),
                    r.source.as_path(),
                )
            })
            .collect();
        order.sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]));
    }
    let mut slots: Vec<Option<Report>> = reports.into_iter().map(Some).collect();
    order.into_iter().map(|i| slots[i].take().expect("each report is taken once")).collect()
}

fn build_taxonomy(kind: TaxonomyKind, reports: &[Report], config: &Config) -> Taxonomy {
    let mut by_value: HashMap<Cow<str>, Vec<usize>> = Default::default();
    for (i, report) in reports.iter().enumerate() {
        by_value.entry(kind.label_of(report)).or_default().push(i);
    }
    let mut terms: Vec<Term> = by_value
        .into_iter()
        .map(|(name, reports)| Term { slug: url_segment(&name), name: name.into_owned(), reports })
        .collect();
    keep_slugs_apart(&mut terms);
    match kind {
        // Newest first, 年份不详 last.
        TaxonomyKind::Year => terms.sort_by_key(|t| std::cmp::Reverse(t.name.parse::<i32>().ok())),
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

/// Values whose URL segments are the same (`某区 人大` and `某区-人大`, or
/// `ABC` and `abc` on a server that ignores case) would share one list page.
/// The value written exactly as its segment keeps it; each other gets a
/// short hash of its name, the same in every build: `某区-人大-3f9a0c`.
fn keep_slugs_apart(terms: &mut [Term]) {
    let mut by_slug: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, term) in terms.iter().enumerate() {
        by_slug.entry(term.slug.to_lowercase()).or_default().push(i);
    }
    for mut same in by_slug.into_values().filter(|same| same.len() > 1) {
        same.sort_by(|&a, &b| terms[a].name.cmp(&terms[b].name));
        let keeper = same.iter().copied().find(|&i| terms[i].name == terms[i].slug);
        for i in same.into_iter().filter(|&i| Some(i) != keeper) {
            let hash = crate::shared::hash::hash_bytes(terms[i].name.as_bytes());
            terms[i].slug = format!("{}-{:06x}", terms[i].slug, hash >> 40);
        }
    }
}

/// For each report, the nearest earlier and later year of the same body,
/// preferring the same period (an annual report's neighbour is the previous
/// annual report, not a half-year one).
/// Per body: its years in order, and each year's reports in archive order.
/// Reports whose body or year is unknown have no neighbours.
type ByBodyAndYear<'a> = BTreeMap<&'a str, BTreeMap<i32, Vec<usize>>>;

fn by_body_and_year(reports: &[Report]) -> ByBodyAndYear<'_> {
    let mut by_body: ByBodyAndYear = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (Some(body), Some(year)) = (r.meta.body.as_deref(), r.meta.year) {
            by_body.entry(body).or_default().entry(year).or_default().push(i);
        }
    }
    by_body
}

/// A report's body and year, when both are known.
fn body_and_year(report: &Report) -> Option<(&str, i32)> {
    Some((report.meta.body.as_deref()?, report.meta.year?))
}

/// The share of sentences report `i` has in common with its predecessor
/// (0 without one).
fn share_with_predecessor(reports: &[Report], predecessors: &[Option<usize>], i: usize) -> f32 {
    predecessors[i].map_or(0.0, |p| super::sentences::shared(&reports[p].sentence_hashes, &reports[i].sentence_hashes))
}

/// For each report, the same body's report of the same period in the
/// nearest earlier year (the first in archive order if there are several).
fn find_predecessors(reports: &[Report], by_body: &ByBodyAndYear) -> Vec<Option<usize>> {
    reports
        .iter()
        .map(|report| {
            let (body, year) = body_and_year(report)?;
            by_body[body].range(..year).rev().find_map(|(_, same_year)| {
                same_year.iter().copied().find(|&j| reports[j].meta.period == report.meta.period)
            })
        })
        .collect()
}

fn find_neighbours(reports: &[Report], by_body: &ByBodyAndYear) -> Vec<(Option<usize>, Option<usize>)> {
    reports
        .iter()
        .map(|report| {
            let Some((body, year)) = body_and_year(report) else { return (None, None) };
            let years = &by_body[body];
            // The closest year, then the same period, then archive order.
            let pick = |year: Option<(&i32, &Vec<usize>)>| {
                let (_, candidates) = year?;
                candidates
                    .iter()
                    .copied()
                    .find(|&j| reports[j].meta.period == report.meta.period)
                    .or(candidates.first().copied())
            };
            let earlier = pick(years.range(..year).next_back());
            let later = pick(years.range(year + 1..).next());
            (earlier, later)
        })
        .collect()
}
