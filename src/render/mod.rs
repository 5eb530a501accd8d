//! Every page of the site as a pure function of the library, theme and config.
//!
//! `plan` lists the pages to produce (cheap), `render_page` turns one into
//! bytes. Building a site renders the plan in parallel; an incremental build
//! renders only the pages an edit touches. No file is read or written here.
//!
//! - `pages`: the contexts of home, report, comparison, taxonomy and list pages
//! - `markers`: recurring-passage markers in report pages, passage pages
//! - `feeds`: the Atom feed and the sitemap
//! - `views`: the small borrowed structs templates receive
//!
//! Values made per report and shared by pages (a report's link as markers
//! write it, the markers' lists) are cached in `Site`, each made the first
//! time a page asks (`PerReport`).

mod feeds;
mod markers;
pub mod owners;
mod pages;
mod views;

pub use markers::{has_passage_page, passage_shard};
use views::*;

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use percent_encoding::utf8_percent_encode;

use crate::analysis::overview::Overview;
use crate::analysis::passages::{Group, Located, Passages, PlaceIn, Spread};
use crate::content::config::Config;
use crate::content::markdown::Rendered;
use crate::content::theme::{Theme, tera_chain};
use crate::content::{Library, Report, TaxonomyKind, Term};
use crate::escape::{escaped, push_escaped};
use crate::shared::site::{Output, PATH, site_url};

/// A page of the site as planned from one library: a report's pages name
/// it by its position there (`Library::position` of its id), so a `Page` is
/// never kept past a change of the library's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Home,
    Report(usize),
    TaxonomyIndex(TaxonomyKind),
    /// One page (1-based) of a term's report list.
    TermList {
        kind: TaxonomyKind,
        term: usize,
        page: usize,
    },
    NotFound,
    /// The search page: a form and a script that asks `wenku serve`.
    Search,
    /// The draft check page (起草核对): a form that asks `wenku serve`.
    Draft,
    /// A report compared with its predecessor (same body and period, the
    /// year before).
    Compare(usize),
    /// The passages found in the most reports.
    Passages,
    /// The passages found in more reports than their markers name, every
    /// place of each, where a marker's "all N" link leads; those whose id
    /// starts with this byte (`passage_shard`), so that 11,000 such passages
    /// (10,000 reports) make at most 256 files, not 11,000.
    Passage(u8),
    Feed,
    Sitemap,
    /// The editors' list of reports whose fields await review, with the
    /// evidence an import found and the lines it removed (not in the
    /// sitemap, not in search).
    Review,
    Static(String),
}

impl Page {
    /// Whether the page shows recurring passages (a report's markers, the
    /// passages page): the others can render before the passages are found.
    pub fn shows_passages(&self) -> bool {
        matches!(self, Page::Report(_) | Page::Passages | Page::Passage(_))
    }

    /// Whether the page shows the overview's formulations (the first page
    /// of a year's or a body's list): it renders once they are found.
    pub fn shows_overview(&self) -> bool {
        matches!(self, Page::TermList { kind: TaxonomyKind::Year | TaxonomyKind::Body, page: 1, .. })
    }
}

/// The overview of a site that has none (yet): its pages show no formulations.
static NO_OVERVIEW: Overview = Overview::EMPTY;

/// Everything a page needs, borrowed.
pub struct Site<'a> {
    pub library: &'a Library,
    pub theme: &'a Theme,
    pub config: &'a Config,
    pub passages: &'a Passages,
    /// A year's new and a body's key formulations (`analysis::overview`).
    pub overview: &'a Overview,
    /// Reports compared with their predecessors, kept from build to build
    /// when the site is (`LoadedSite`); else made for this renderer.
    compared: Option<&'a crate::analysis::novel::Compared>,
    compared_here: crate::analysis::novel::Compared,
    base: String,
    places_cache: Mutex<HashMap<u64, Arc<Vec<PlaceIn>>>>,
    /// Markers' lists by passage and wording (see `shared_marker_list`).
    marker_lists: Mutex<HashMap<(u64, u64), Arc<str>>>,
    place_links: PerReport<(String, String)>,
    /// How many reports await review: the footer links the review list.
    awaiting_review: usize,
}

/// A value per report, each made the first time a page asks for it (from
/// any rendering thread).
struct PerReport<T>(OnceLock<Vec<OnceLock<T>>>);

impl<T> PerReport<T> {
    fn new() -> Self {
        PerReport(OnceLock::new())
    }

    fn get_or_init(&self, reports: usize, index: usize, make: impl FnOnce() -> T) -> &T {
        let values = self.0.get_or_init(|| (0..reports).map(|_| OnceLock::new()).collect());
        values[index].get_or_init(make)
    }
}

/// How many list pages a term has at `paginate` reports a page (one, when
/// it has none).
pub fn list_pages(term: &Term, paginate: usize) -> usize {
    term.reports.len().div_ceil(paginate).max(1)
}

impl<'a> Site<'a> {
    pub fn new(library: &'a Library, theme: &'a Theme, config: &'a Config, passages: &'a Passages) -> Self {
        Site {
            library,
            theme,
            config,
            passages,
            overview: &NO_OVERVIEW,
            compared: None,
            compared_here: Default::default(),
            base: config.base_path(),
            places_cache: Mutex::new(HashMap::new()),
            marker_lists: Mutex::new(HashMap::new()),
            place_links: PerReport::new(),
            awaiting_review: library.reports.iter().filter(|r| !r.meta.review.is_empty()).count(),
        }
    }

    /// The link to a site path such as `bodies/国务院/`, percent-encoded.
    /// The same site with `overview`'s formulations on its pages.
    pub fn with_overview(self, overview: &'a Overview) -> Self {
        Site { overview, ..self }
    }

    pub fn with_compared(self, compared: &'a crate::analysis::novel::Compared) -> Self {
        Site { compared: Some(compared), ..self }
    }

    fn compared(&self) -> &crate::analysis::novel::Compared {
        self.compared.unwrap_or(&self.compared_here)
    }

    pub fn url(&self, path: &str) -> String {
        site_url(&self.base, path)
    }

    /// All pages of the site, in a stable order.
    pub fn plan(&self) -> Vec<Page> {
        let mut pages =
            vec![Page::Home, Page::NotFound, Page::Search, Page::Draft, Page::Feed, Page::Sitemap, Page::Review];
        pages.extend((0..self.library.reports.len()).map(Page::Report));
        pages.extend((0..self.library.reports.len()).filter(|&i| self.has_compare_page(i)).map(Page::Compare));
        if self.config.recurring_passages {
            pages.push(Page::Passages);
            pages.extend(self.passage_pages());
        }
        for taxonomy in &self.library.taxonomies {
            pages.push(Page::TaxonomyIndex(taxonomy.kind));
            for (t, term) in taxonomy.terms.iter().enumerate() {
                for page in 1..=self.page_count(term) {
                    pages.push(Page::TermList { kind: taxonomy.kind, term: t, page });
                }
            }
        }
        pages.extend(self.theme.static_files.keys().cloned().map(Page::Static));
        pages
    }

    /// The pages of passages found in more reports than a marker names,
    /// most recurring first.
    pub fn passage_pages(&self) -> impl Iterator<Item = Page> + '_ {
        let shards: std::collections::BTreeSet<u8> =
            self.passages.most_recurring().take_while(|g| has_passage_page(g)).map(|g| passage_shard(g.id)).collect();
        shards.into_iter().map(Page::Passage)
    }

    pub fn page_count(&self, term: &Term) -> usize {
        list_pages(term, self.config.paginate)
    }

    /// Where a page is written, relative to the output folder.
    pub fn rel_path(&self, page: &Page) -> String {
        match page {
            Page::Home => "index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Feed => "atom.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Static(path) => path.clone(),
            _ => format!("{}index.html", self.page_path(page)),
        }
    }

    /// The URL readers open a page at: its folder for HTML pages
    /// (`/years/2021/`), else its file (`/atom.xml`).
    pub fn page_url(&self, page: &Page) -> String {
        match page {
            Page::NotFound | Page::Feed | Page::Sitemap | Page::Static(_) => self.url(&self.rel_path(page)),
            _ => self.url(&self.page_path(page)),
        }
    }

    /// The folder path of an HTML page: `years/2021/page/2/`.
    fn page_path(&self, page: &Page) -> String {
        match page {
            Page::Search => "search/".into(),
            Page::Draft => "draft/".into(),
            Page::Review => "review/".into(),
            Page::Passages => "passages/".into(),
            Page::Passage(shard) => format!("passages/{shard:02x}/"),
            Page::Compare(i) => format!("{}compare/", self.library.reports[*i].path),
            Page::Report(i) => self.library.reports[*i].path.clone(),
            Page::TaxonomyIndex(kind) => format!("{}/", kind.slug()),
            Page::TermList { kind, term, page } => {
                let term = &self.library.taxonomy(*kind).terms[*term];
                term_page_path(*kind, term, *page)
            }
            _ => String::new(),
        }
    }

    pub fn render_page(&self, page: &Page) -> Result<Output> {
        let rel_path = self.rel_path(page);
        let bytes = match page {
            Page::Home => self.template("index.html", &self.home_context(), &rel_path)?,
            Page::Report(i) => {
                // Unpacked once for the page and its markers.
                let rendered = self.library.reports[*i].rendered();
                let page = self.template("report.html", &self.report_context(*i, &rendered), &rel_path)?;
                self.insert_passage_markers(*i, &rendered, page)
            }
            Page::TaxonomyIndex(kind) => self.template("taxonomy.html", &self.taxonomy_context(*kind), &rel_path)?,
            Page::TermList { kind, term, page } => {
                self.template("list.html", &self.list_context(*kind, *term, *page), &rel_path)?
            }
            Page::Compare(i) => {
                let previous =
                    self.library.predecessors[*i].expect("compare pages exist for reports with a predecessor");
                let path = self.page_path(page);
                self.template("compare.html", &self.compare_context(*i, previous, "与上一年对比", &path), &rel_path)?
            }
            Page::Passages => self.template("passages.html", &self.passages_context(), &rel_path)?,
            Page::Review => self.template("review.html", &self.review_context(), &rel_path)?,
            Page::Passage(shard) => self.template("passage.html", &self.passage_context(*shard), &rel_path)?,
            Page::Search => {
                let mut context = self.base_context("搜索", "search/");
                context.insert("api_url", &self.url("api/search"));
                context.insert("kwic_url", &self.url("api/kwic"));
                // The static index and its engine, for hosting without `wenku serve`.
                let static_url = if self.config.static_search { self.url("_search/") } else { String::new() };
                context.insert("static_url", &static_url);
                context.insert("engine_url", &self.url("static/search-engine.wasm"));
                self.template("search.html", &context, &rel_path)?
            }
            Page::Draft => {
                let mut context = self.base_context("起草核对", "draft/");
                context.insert("draft_api", &self.url("api/draft"));
                context.insert("draft_script", &self.url("static/draft.js"));
                context.insert("max_bytes", &crate::shared::limits::MAX_DRAFT_BYTES);
                context.insert("max_mb", &(crate::shared::limits::MAX_DRAFT_BYTES / (1024 * 1024)));
                context.insert("max_chars", &crate::shared::limits::MAX_DRAFT_CHARS);
                self.template("draft.html", &context, &rel_path)?
            }
            Page::NotFound => {
                let mut context = self.base_context("页面不存在", "404.html");
                context.insert("reports_count", &self.library.reports.len());
                self.render_template("404.html", &context)?
            }
            Page::Feed => self.atom_feed().into_bytes(),
            Page::Sitemap => self.sitemap().into_bytes(),
            Page::Static(path) => self.theme.static_files[path].bytes()?,
        };
        Ok(Output { rel_path, bytes })
    }

    /// A page of the site's theme saying `message` under `heading`: what
    /// `wenku serve` answers when it cannot show what was asked for.
    pub fn render_message(&self, heading: &str, message: &str) -> Result<Vec<u8>> {
        let mut context = self.base_context(heading, "");
        context.insert("message", message);
        self.render_template("message.html", &context)
    }

    fn template(&self, name: &str, context: &tera::Context, rel_path: &str) -> Result<Vec<u8>> {
        self.render_template(name, context).with_context(|| format!("while rendering {rel_path}"))
    }

    fn render_template(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>> {
        self.theme
            .tera
            .render(name, context)
            .map(String::into_bytes)
            .map_err(|e| anyhow::anyhow!("template {name}: {}", tera_chain(&e)))
    }

    fn base_context(&self, page_title: &str, current_path: &str) -> tera::Context {
        let mut context = tera::Context::new();
        let mut nav: Vec<Link> = TaxonomyKind::ALL
            .iter()
            .map(|k| Link { name: k.title().into(), url: self.url(&format!("{}/", k.slug())) })
            .collect();
        if self.config.recurring_passages {
            nav.push(Link { name: "重复段落".into(), url: self.url("passages/") });
        }
        context.insert(
            "site",
            &SiteView {
                title: &self.config.title,
                description: &self.config.description,
                language: &self.config.language,
                base: &self.base,
                home_url: self.url(""),
                feed_url: self.url("atom.xml"),
                style_url: self.url("static/style.css"),
                favicon_url: self.url("static/favicon.svg"),
                search_url: self.url("search/"),
                nav,
            },
        );
        context.insert("page_title", page_title);
        context.insert("awaiting_review", &self.awaiting_review);
        context.insert("review_url", &self.url("review/"));
        context.insert("current_url", &self.url(current_path));
        context
    }

    fn summary(&self, index: usize) -> ReportSummary<'_> {
        let report = &self.library.reports[index];
        let meta = &report.meta;
        ReportSummary {
            title: &meta.title,
            url: self.url(&report.path),
            body: meta.body_label(),
            body_url: self.term_url(TaxonomyKind::Body, report),
            level: meta.level_label(),
            year: meta.year_in_text(),
            period: meta.period_label(),
            date: meta.date.as_deref(),
            summary: meta.summary.as_deref(),
        }
    }

    fn term_url(&self, kind: TaxonomyKind, report: &Report) -> String {
        let term = self.library.term_of(kind, report);
        self.url(&term_page_path(kind, term, 1))
    }
}

/// `2019–2024年`, `2021年`, or 年份不详 (with 及年份不详 when some are unknown).
pub(super) fn year_span(years: impl Iterator<Item = Option<i32>>) -> String {
    let (mut first, mut last, mut unknown) = (None::<i32>, None::<i32>, false);
    for year in years {
        match year {
            Some(y) => {
                first = Some(first.map_or(y, |f| f.min(y)));
                last = Some(last.map_or(y, |l| l.max(y)));
            }
            None => unknown = true,
        }
    }
    let known = match (first, last) {
        (Some(f), Some(l)) if f == l => format!("{f}年"),
        (Some(f), Some(l)) => format!("{f}–{l}年"),
        _ => return crate::content::UNKNOWN_YEAR.to_owned(),
    };
    if unknown { format!("{known}及年份不详") } else { known }
}

/// The anchor of a year's heading in a list: `y2021`, `y-unknown`.
pub(super) fn year_anchor(year: Option<i32>) -> String {
    year.map_or_else(|| "y-unknown".to_owned(), |y| format!("y{y}"))
}

/// `bodies/国务院/` for page 1, `bodies/国务院/page/2/` after.
fn term_page_path(kind: TaxonomyKind, term: &Term, page: usize) -> String {
    if page <= 1 {
        format!("{}/{}/", kind.slug(), term.slug)
    } else {
        format!("{}/{}/page/{page}/", kind.slug(), term.slug)
    }
}
