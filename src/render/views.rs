//! What templates receive: small serializable views that borrow from the
//! library. Templates never see the whole world.

use serde::Serialize;

use crate::content::markdown::Heading;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base: &'a str,
    pub(super) home_url: String,
    pub(super) feed_url: String,
    pub(super) style_url: String,
    pub(super) favicon_url: String,
    pub(super) search_url: String,
    pub(super) nav: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) name: String,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct Count {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct ReportSummary<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) body: &'a str,
    pub(super) body_url: String,
    pub(super) level: &'a str,
    /// `2021年`, or 年份不详.
    pub(super) year: String,
    pub(super) period: &'a str,
    pub(super) date: Option<&'a str>,
    pub(super) summary: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct ReportView<'a> {
    pub(super) title: &'a str,
    pub(super) body: &'a str,
    pub(super) body_url: String,
    pub(super) level: &'a str,
    pub(super) level_url: String,
    /// `2021`, or 年份不详 (beside the label 年份).
    pub(super) year: String,
    pub(super) year_url: String,
    pub(super) period: &'a str,
    pub(super) period_url: String,
    pub(super) date: Option<&'a str>,
    pub(super) summary: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) source: Option<&'a str>,
    /// The fields awaiting review, named in the site's language.
    pub(super) review: Vec<ReviewView<'a>>,
    pub(super) content: &'a str,
    pub(super) toc: &'a [Heading],
}

/// A field awaiting review and what the import found for it.
#[derive(Serialize)]
pub(super) struct ReviewView<'a> {
    pub(super) field: &'a str,
    pub(super) evidence: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct PassageView<'a> {
    pub(super) id: String,
    pub(super) text: String,
    pub(super) reports: usize,
    /// Different wordings of the passage.
    pub(super) variants: usize,
    /// `2019–2024年`, `2021年`, 年份不详.
    pub(super) span: String,
    pub(super) years: Vec<YearCount>,
    pub(super) bodies_count: usize,
    pub(super) bodies: Vec<BodyCount<'a>>,
    pub(super) places: Vec<PlaceView<'a>>,
    pub(super) unlisted: usize,
}

#[derive(Serialize)]
pub(super) struct YearCount {
    /// `2021`, or 年份不详.
    pub(super) year: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct BodyCount<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct PlaceView<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    /// `2021年`, or 年份不详.
    pub(super) year: String,
    pub(super) body: &'a str,
    /// The same words as the passage's most common wording.
    pub(super) same: bool,
}

#[derive(Serialize)]
pub(super) struct TaxonomyView {
    pub(super) kind: &'static str,
    pub(super) title: &'static str,
}

#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) name: &'a str,
    /// As a reader sees it: `2021年` on the years page, else the name.
    pub(super) label: String,
    pub(super) url: String,
    pub(super) count: usize,
    /// `2019–2024年`, `2021年`, 年份不详.
    pub(super) span: String,
}

#[derive(Serialize)]
pub(super) struct YearGroup<'a> {
    /// `2021年`, or 年份不详.
    pub(super) year: String,
    /// The heading's anchor: `y2021`, or `y-unknown`.
    pub(super) anchor: String,
    pub(super) reports: Vec<ReportSummary<'a>>,
}

#[derive(Serialize)]
pub(super) struct Paginator {
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) previous: Option<String>,
    pub(super) next: Option<String>,
    pub(super) pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub(super) struct PageLink {
    /// 0 marks a gap (…).
    pub(super) number: usize,
    pub(super) url: Option<String>,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct Grid {
    pub(super) columns: Vec<GridColumn>,
    /// Whether a column is a decade rather than a year.
    pub(super) by_decade: bool,
    pub(super) groups: Vec<GridGroup>,
    pub(super) more_bodies: usize,
}

#[derive(Serialize)]
pub(super) struct GridColumn {
    /// `2021` or `2020年代`.
    pub(super) name: String,
    /// The year's list (a decade's newest year).
    pub(super) url: String,
}

/// The bodies of one level.
#[derive(Serialize)]
pub(super) struct GridGroup {
    pub(super) level: String,
    pub(super) rows: Vec<GridRow>,
}

#[derive(Serialize)]
pub(super) struct GridRow {
    pub(super) body: Link,
    pub(super) level: String,
    /// The body's reports in all years.
    pub(super) total: usize,
    pub(super) cells: Vec<Cell>,
}

#[derive(Serialize)]
pub(super) struct Cell {
    pub(super) count: usize,
    /// 0 (none) to 4 (as many as the fullest cell): the shade drawn.
    pub(super) heat: usize,
    pub(super) url: Option<String>,
}

/// New and dropped formulations of a report against another.
#[derive(Serialize)]
pub(super) struct NovelView {
    pub(super) added: Vec<FormulationView>,
    pub(super) dropped: Vec<FormulationView>,
}

#[derive(Serialize)]
pub(super) struct FormulationView {
    pub(super) text: String,
    pub(super) count: usize,
    /// Its concordance across the archive.
    pub(super) url: String,
}

/// A year's page: its new formulations against the five years before.
#[derive(Serialize)]
pub(super) struct YearNewView {
    pub(super) from: i32,
    pub(super) to: i32,
    pub(super) reference_reports: usize,
    pub(super) rows: Vec<OverviewRowView>,
    /// The keyness view of the same comparison, with every statistic.
    pub(super) keyness_url: String,
}

/// A body's page: its key formulations against all other bodies.
#[derive(Serialize)]
pub(super) struct BodyKeysView {
    pub(super) rows: Vec<OverviewRowView>,
    pub(super) keyness_url: String,
}

#[derive(Serialize)]
pub(super) struct OverviewRowView {
    pub(super) text: String,
    pub(super) count: u32,
    pub(super) reports: u32,
    /// Occurrences in other bodies (key formulations only).
    pub(super) elsewhere: Option<u32>,
    /// Its concordance across the archive.
    pub(super) url: String,
}

/// The review list: every report awaiting review.
#[derive(Serialize)]
pub(super) struct ReviewList<'a> {
    pub(super) reports: Vec<ReviewedReport<'a>>,
    /// Per field (in the site's words): how many reports await it.
    pub(super) counts: Vec<Count>,
    /// Lines imports removed, in all reports of the archive.
    pub(super) removed_total: usize,
}

#[derive(Serialize)]
pub(super) struct ReviewedReport<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    /// The file to edit: `content/2024/….md`.
    pub(super) file: String,
    pub(super) fields: Vec<ReviewedField<'a>>,
    pub(super) removed: Vec<RemovedView<'a>>,
}

#[derive(Serialize)]
pub(super) struct ReviewedField<'a> {
    pub(super) field: &'a str,
    /// What the front matter holds now, or 不详.
    pub(super) value: String,
    pub(super) evidence: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct RemovedView<'a> {
    pub(super) line: usize,
    pub(super) rule: &'a str,
    pub(super) text: &'a str,
}
