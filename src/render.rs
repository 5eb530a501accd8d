//! Every page of the site as a pure function of the library, theme and config.
//!
//! `plan` lists the pages to produce (cheap), `render_page` turns one into
//! bytes. Building a site renders the plan in parallel; an incremental build
//! renders only the pages an edit touches. No file is read or written here.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use crate::config::Config;
use crate::content::{Library, Report, TaxonomyKind, Term};
use crate::escape::{escaped, push_escaped};
use crate::markdown::{Heading, Rendered};
use crate::passages::{Group, Located, Passages, PlaceIn, Spread};
use crate::theme::{Theme, tera_chain};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, `/`-separated: `bodies/国务院/index.html`.
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

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
    Static(String),
}

impl Page {
    /// Whether the page shows recurring passages (a report's markers, the
    /// passages page): the others can render before the passages are found.
    pub fn shows_passages(&self) -> bool {
        matches!(self, Page::Report(_) | Page::Passages | Page::Passage(_))
    }
}

/// Everything a page needs, borrowed.
pub struct Site<'a> {
    pub library: &'a Library,
    pub theme: &'a Theme,
    pub config: &'a Config,
    pub passages: &'a Passages,
    base: String,
    /// Where the passages' reports are, made when a page first needs it.
    located: OnceLock<Located<'a>>,
    places_cache: Mutex<HashMap<u64, Arc<Vec<PlaceIn>>>>,
    /// Markers' lists by passage and wording (see `shared_marker_list`).
    marker_lists: Mutex<HashMap<(u64, u64), Arc<str>>>,
    place_links: PerReport<(String, String)>,
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

/// A marker's summary and its list of the first places other than report
/// `except` (none when `None`), each linked by `link`.
fn write_marker_list<'s>(
    html: &mut String,
    places: &[PlaceIn],
    except: Option<usize>,
    key: u64,
    link: impl Fn(usize) -> &'s (String, String),
) {
    // One place per report, and this report is one of them.
    let count = places.len().saturating_sub(1);
    // Writing to a String cannot fail.
    let _ = write!(html, "<details class=\"passage\"><summary>另见 {count} 篇报告</summary><ul>");
    for place in places.iter().filter(|p| Some(p.report) != except).take(MARKER_PLACES) {
        let (before, after) = link(place.report);
        let _ = write!(html, "{before}{}{after}", place.paragraph);
        if place.key != key {
            html.push_str("<small>（文字略有不同）</small>");
        }
        html.push_str("</li>");
    }
}

pub fn sentences(rendered: &Rendered) -> Vec<&str> {
    crate::compare::sentences(rendered.blocks.iter().map(|b| b.text.as_str()))
}

/// A front-matter field as readers of a site in `language` know it: the
/// review note says 标题、发文机关, not title、body.
fn field_label<'a>(field: &'a str, language: &str) -> &'a str {
    if !language.starts_with("zh") {
        return field;
    }
    match field {
        "title" => "标题",
        "body" => TaxonomyKind::Body.title(),
        "level" => TaxonomyKind::Level.title(),
        "year" => TaxonomyKind::Year.title(),
        "period" => TaxonomyKind::Period.title(),
        "date" => "日期",
        "summary" => "摘要",
        "tags" => "标签",
        "source" => "来源",
        "ocr" => "文字（OCR 识别，请对照原件）",
        other => other,
    }
}

/// Characters that must be escaped in a URL path; all non-ASCII is too.
const PATH: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

const HOME_NEWEST: usize = 12;
const HOME_GRID_BODIES: usize = 60;
/// More years than this, and the home page's grid shows decades.
const GRID_YEARS: usize = 20;
/// Other reports a paragraph's marker names; more are counted.
const MARKER_PLACES: usize = 3;

/// Whether a passage is in more reports than its markers name (one is the
/// report showing the marker): then it has a page of its own.
pub fn has_passage_page(group: &Group) -> bool {
    group.reports > MARKER_PLACES + 1
}

/// Which page of `Page::Passage` a passage is on.
pub fn passage_shard(id: u64) -> u8 {
    (id >> 56) as u8
}
/// Passages on the recurring-passages page, and places listed for each.
const TOP_PASSAGES: usize = 100;
const TOP_PASSAGE_PLACES: usize = 30;
const TOP_PASSAGE_BODIES: usize = 8;

impl<'a> Site<'a> {
    pub fn new(library: &'a Library, theme: &'a Theme, config: &'a Config, passages: &'a Passages) -> Self {
        Site {
            library,
            theme,
            config,
            passages,
            base: config.base_path(),
            located: OnceLock::new(),
            places_cache: Mutex::new(HashMap::new()),
            marker_lists: Mutex::new(HashMap::new()),
            place_links: PerReport::new(),
        }
    }

    /// The link to a site path such as `bodies/国务院/`, percent-encoded.
    pub fn url(&self, path: &str) -> String {
        site_url(&self.base, path)
    }

    /// All pages of the site, in a stable order.
    pub fn plan(&self) -> Vec<Page> {
        let mut pages = vec![Page::Home, Page::NotFound, Page::Search, Page::Feed, Page::Sitemap];
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
        term.reports.len().div_ceil(self.config.paginate).max(1)
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
            Page::Passage(shard) => self.template("passage.html", &self.passage_context(*shard), &rel_path)?,
            Page::Search => {
                let mut context = self.base_context("搜索", "search/");
                context.insert("api_url", &self.url("api/search"));
                self.template("search.html", &context, &rel_path)?
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
        context.insert("current_url", &self.url(current_path));
        context
    }

    fn summary(&self, index: usize) -> ReportSummary<'_> {
        let report = &self.library.reports[index];
        let meta = &report.meta;
        ReportSummary {
            title: &meta.title,
            url: self.url(&report.path),
            body: &meta.body,
            body_url: self.term_url(TaxonomyKind::Body, report),
            level: &meta.level,
            year: meta.year,
            period: &meta.period,
            date: meta.date.as_deref(),
            summary: meta.summary.as_deref(),
        }
    }

    fn term_url(&self, kind: TaxonomyKind, report: &Report) -> String {
        let term = self.library.term_of(kind, report);
        self.url(&term_page_path(kind, term, 1))
    }

    fn home_context(&self) -> tera::Context {
        let mut context = self.base_context(&self.config.title, "");
        let library = self.library;
        let counts: Vec<Count> = TaxonomyKind::ALL
            .iter()
            .map(|&k| Count {
                name: k.title().into(),
                url: self.url(&format!("{}/", k.slug())),
                count: library.taxonomy(k).terms.len(),
            })
            .collect();
        let newest = library.newest(HOME_NEWEST);
        context.insert("reports_count", &library.reports.len());
        context.insert("counts", &counts);
        context.insert("newest", &newest.into_iter().map(|i| self.summary(i)).collect::<Vec<_>>());
        context.insert("grid", &self.year_body_grid());
        context
    }

    /// Bodies down (grouped by level), years across; each count links to
    /// the body's list page that holds that year, at that year's heading.
    /// An archive spanning more than `GRID_YEARS` years gets one column per
    /// decade instead, so that fifty years fit beside readable names.
    fn year_body_grid(&self) -> Grid {
        let library = self.library;
        let years: Vec<i32> =
            library.taxonomy(TaxonomyKind::Year).terms.iter().filter_map(|t| t.name.parse().ok()).collect();
        let by_decade = years.len() > GRID_YEARS;
        let column_of = |year: i32| if by_decade { year.div_euclid(10) * 10 } else { year };
        let mut column_keys: Vec<i32> = years.iter().map(|&y| column_of(y)).collect();
        column_keys.dedup();
        let columns: Vec<GridColumn> = column_keys
            .iter()
            .map(|&key| {
                // The newest year of the column: where its link leads.
                let newest = years.iter().copied().find(|&y| column_of(y) == key).unwrap_or(key);
                let term = library.taxonomy(TaxonomyKind::Year).terms.iter().find(|t| t.name == newest.to_string());
                GridColumn {
                    name: if by_decade { format!("{key}年代") } else { key.to_string() },
                    url: term.map(|t| self.url(&term_page_path(TaxonomyKind::Year, t, 1))).unwrap_or_default(),
                }
            })
            .collect();

        let bodies = &library.taxonomy(TaxonomyKind::Body).terms;
        let shown: Vec<&Term> = bodies.iter().take(HOME_GRID_BODIES).collect();
        let mut rows: Vec<(usize, GridRow)> = Vec::new();
        let mut largest = 0;
        for body in &shown {
            // Per column: how many reports, and the first one's position in
            // the body's list (newest year first) with its year.
            let mut cells: Vec<(usize, Option<(usize, i32)>)> = vec![(0, None); column_keys.len()];
            for (position, &r) in body.reports.iter().enumerate() {
                let year = library.reports[r].meta.year;
                if let Some(c) = column_keys.iter().position(|&k| k == column_of(year)) {
                    cells[c].0 += 1;
                    cells[c].1.get_or_insert((position, year));
                }
            }
            largest = largest.max(cells.iter().map(|c| c.0).max().unwrap_or(0));
            let level = body.reports.first().map_or("", |&r| library.reports[r].meta.level.as_str());
            let level_order = self.config.order_of(crate::config::Vocabulary::Level, level);
            let cells = cells
                .into_iter()
                .map(|(count, first)| Cell {
                    count,
                    heat: 0,
                    url: first.map(|(position, year)| {
                        let page = position / self.config.paginate + 1;
                        format!("{}#y{year}", self.url(&term_page_path(TaxonomyKind::Body, body, page)))
                    }),
                })
                .collect();
            let row = GridRow {
                body: Link { name: body.name.clone(), url: self.url(&term_page_path(TaxonomyKind::Body, body, 1)) },
                level: level.to_owned(),
                total: body.reports.len(),
                cells,
            };
            rows.push((level_order, row));
        }
        // Four shades, relative to the fullest cell.
        for (_, row) in &mut rows {
            for cell in &mut row.cells {
                cell.heat = if cell.count == 0 { 0 } else { (cell.count * 4).div_ceil(largest.max(1)).clamp(1, 4) };
            }
        }
        // Grouped by level in its order, the bodies' own order kept within.
        rows.sort_by(|a, b| (a.0, &a.1.level).cmp(&(b.0, &b.1.level)));
        let mut groups: Vec<GridGroup> = Vec::new();
        for (_, row) in rows {
            match groups.last_mut() {
                Some(group) if group.level == row.level => group.rows.push(row),
                _ => groups.push(GridGroup { level: row.level.clone(), rows: vec![row] }),
            }
        }
        Grid { columns, by_decade, groups, more_bodies: bodies.len().saturating_sub(HOME_GRID_BODIES) }
    }

    fn report_context(&self, index: usize, rendered: &Rendered) -> tera::Context {
        let report = &self.library.reports[index];
        let meta = &report.meta;
        let mut context = self.base_context(&meta.title, &report.path);
        let view = ReportView {
            title: &meta.title,
            body: &meta.body,
            body_url: self.term_url(TaxonomyKind::Body, report),
            level: &meta.level,
            level_url: self.term_url(TaxonomyKind::Level, report),
            year: meta.year,
            year_url: self.term_url(TaxonomyKind::Year, report),
            period: &meta.period,
            period_url: self.term_url(TaxonomyKind::Period, report),
            date: meta.date.as_deref(),
            summary: meta.summary.as_deref(),
            tags: &meta.tags,
            source: meta.source.as_deref(),
            review: meta.review.iter().map(|field| field_label(field, &self.config.language)).collect(),
            content: &rendered.html,
            toc: &rendered.toc,
        };
        let (previous, next) = self.library.neighbours[index];
        let compare_url = self.has_compare_page(index).then(|| self.page_url(&Page::Compare(index)));
        context.insert("compare_url", &compare_url);
        // A rewrite has no comparison page: one line says so.
        if compare_url.is_none()
            && self.config.compare_pages
            && let Some((predecessor, shared)) = self.shared_with_predecessor(index)
        {
            context.insert("rewritten_from", &self.summary(predecessor));
            context.insert("shared_percent", &((shared * 100.0).round() as u32));
        }
        context.insert("report", &view);
        context.insert("previous", &previous.map(|i| self.summary(i)));
        context.insert("next", &next.map(|i| self.summary(i)));
        context
    }

    /// Whether report `index` has a comparison page: it has a predecessor
    /// and shares enough sentences with it for an alignment to say anything.
    pub fn has_compare_page(&self, index: usize) -> bool {
        self.config.compare_pages
            && self.shared_with_predecessor(index).is_some_and(|(_, shared)| shared >= crate::compare::MIN_SHARED)
    }

    /// The report's predecessor, and the share of sentences they have in common.
    fn shared_with_predecessor(&self, index: usize) -> Option<(usize, f32)> {
        let predecessor = self.library.predecessors[index]?;
        let reports = &self.library.reports;
        Some((
            predecessor,
            crate::compare::shared(&reports[predecessor].sentence_hashes, &reports[index].sentence_hashes),
        ))
    }

    /// Any two reports of the library compared: `old` first, as
    /// `wenku serve` offers at `/compare/?a=…&b=…`.
    pub fn render_comparison(&self, old: usize, new: usize) -> Result<Vec<u8>> {
        let context = self.compare_context(new, old, "对比", "compare/");
        self.template("compare.html", &context, "compare/")
    }

    /// A report against an earlier one, sentence by sentence.
    fn compare_context(&self, index: usize, previous_index: usize, heading: &str, path: &str) -> tera::Context {
        let report = &self.library.reports[index];
        let previous = &self.library.reports[previous_index];
        let title = format!("{}：{heading}", report.meta.title);
        let mut context = self.base_context(&title, path);
        context.insert("heading", heading);
        let shared = crate::compare::shared(&previous.sentence_hashes, &report.sentence_hashes);
        context.insert("shared_percent", &((shared * 100.0).round() as u32));
        // Most reports were rewritten: their sentences are not aligned.
        if shared >= crate::compare::MIN_SHARED {
            let rows = crate::compare::compare(&sentences(&previous.rendered()), &sentences(&report.rendered()));
            context.insert("summary", &crate::compare::summarize(&rows));
            context.insert("diff_html", &crate::compare::to_html(&rows));
        }
        context.insert("report", &self.summary(index));
        context.insert("previous", &self.summary(previous_index));
        context
    }

    /// A report's page with a marker after each paragraph that other
    /// reports have too, naming them. Added to the rendered page rather than
    /// given to the template: markers can double a page, and the template
    /// engine would copy and check them all again.
    fn insert_passage_markers(&self, index: usize, rendered: &Rendered, page: Vec<u8>) -> Vec<u8> {
        let report = &self.library.reports[index];
        let found = self.passages.of_report(&report.source);
        if found.is_empty() {
            return page;
        }
        // Where most paragraphs recur (a report made of stock text), a
        // marker on each says little: only those reaching another body's
        // reports stay.
        let paragraphs = crate::passages::paragraph_texts(rendered).count();
        let quieter = found.len() * 2 > paragraphs;
        let reaches_other_bodies = |group: &Group| {
            self.places_of(group).iter().any(|p| self.library.reports[p.report].meta.body != report.meta.body)
        };
        let mut markers = String::with_capacity(found.len() * 600);
        let mut ends = Vec::with_capacity(found.len());
        for (number, key, group) in found {
            if quieter && !reaches_other_bodies(group) {
                continue;
            }
            self.write_passage_marker(&mut markers, index, key, group);
            ends.push((number, markers.len()));
        }
        if ends.is_empty() {
            return page;
        }
        crate::passages::insert_markers(&page, &markers, &ends)
    }

    /// A passage's places, one per report, oldest year first. Made once per
    /// passage: a passage in a thousand reports has a marker in each.
    fn places_of(&self, group: &Group) -> Arc<Vec<PlaceIn>> {
        if let Some(places) = self.places_cache.lock().expect("no panic while holding the lock").get(&group.id) {
            return places.clone();
        }
        let places = Arc::new(self.located().places(group));
        self.places_cache.lock().expect("no panic while holding the lock").insert(group.id, places.clone());
        places
    }

    fn located(&self) -> &Located<'a> {
        self.located.get_or_init(|| Located::new(self.passages, self.library))
    }

    /// A marker's link to a report, around the paragraph number:
    /// `<li>2020年 <a href="/2020/a/#p-` and `">title</a>`. Made once per
    /// report: the same few reports are named in thousands of markers.
    fn place_link(&self, index: usize) -> &(String, String) {
        self.place_links.get_or_init(self.library.reports.len(), index, || {
            let report = &self.library.reports[index];
            let path = utf8_percent_encode(&report.path, PATH);
            let before = format!("<li>{}年 <a href=\"{}{path}#p-", report.meta.year, self.base);
            let mut after = String::from("\">");
            push_escaped(&mut after, &report.meta.title);
            after.push_str("</a>");
            (before, after)
        })
    }

    /// Appends the `<details>` that names where else a paragraph is. Written
    /// here rather than in a template: it goes inside the report's HTML.
    fn write_passage_marker(&self, html: &mut String, index: usize, key: u64, group: &Group) {
        let places = self.places_of(group);
        if places.iter().take(MARKER_PLACES).any(|p| p.report == index) {
            write_marker_list(html, &places, Some(index), key, |i| self.place_link(i));
        } else {
            html.push_str(&self.shared_marker_list(group, &places, key));
        }
        // The passage's own page lists exactly the places counted here.
        if has_passage_page(group) {
            let url = format!("{}#passage-{:016x}", self.page_url(&Page::Passage(passage_shard(group.id))), group.id);
            // Writing to a String cannot fail.
            let _ = write!(html, "<li><a href=\"{url}\">全部 {} 篇</a></li>", group.reports.saturating_sub(1));
        }
        html.push_str("</ul></details>\n");
    }

    /// A marker's summary and list for a report that the list does not
    /// name: the same in every such report with this wording of the
    /// passage, so written once for all of them.
    fn shared_marker_list(&self, group: &Group, places: &[PlaceIn], key: u64) -> Arc<str> {
        let cached = |lists: &HashMap<(u64, u64), Arc<str>>| lists.get(&(group.id, key)).cloned();
        if let Some(list) = cached(&self.marker_lists.lock().expect("no panic while holding the lock")) {
            return list;
        }
        let mut list = String::new();
        write_marker_list(&mut list, places, None, key, |i| self.place_link(i));
        let list: Arc<str> = list.into();
        self.marker_lists.lock().expect("no panic while holding the lock").insert((group.id, key), list.clone());
        list
    }

    /// The most recurring passages, each with its spread over years and bodies.
    fn passages_context(&self) -> tera::Context {
        let mut context = self.base_context("重复段落", "passages/");
        let entries: Vec<PassageView> = self
            .passages
            .most_recurring()
            .take(TOP_PASSAGES)
            .map(|group| self.passage_view(group, TOP_PASSAGE_PLACES, TOP_PASSAGE_BODIES))
            .collect();
        context.insert("passages", &entries);
        context.insert("total", &self.passages.recurring_count());
        context.insert("min_chars", &crate::passages::MIN_CHARS);
        context
    }

    /// One passage with every place and body: the page a marker's "all"
    /// link opens.
    fn passage_context(&self, shard: u8) -> tera::Context {
        let path = format!("passages/{shard:02x}/");
        let mut context = self.base_context("重复段落", &path);
        let entries: Vec<PassageView> = self
            .passages
            .most_recurring()
            .take_while(|g| has_passage_page(g))
            .filter(|g| passage_shard(g.id) == shard)
            .map(|group| self.passage_view(group, usize::MAX, usize::MAX))
            .collect();
        context.insert("passages", &entries);
        context.insert("passages_url", &self.url("passages/"));
        context
    }

    /// A passage, its spread over years and bodies, and up to `max_places`
    /// places and `max_bodies` bodies.
    fn passage_view(&self, group: &Group, max_places: usize, max_bodies: usize) -> PassageView<'_> {
        let Spread { text, key, places, years, bodies } = self.located().spread(group);
        PassageView {
            id: format!("{:016x}", group.id),
            text,
            reports: places.len(),
            variants: group.variants(),
            first_year: years.first().map_or(0, |y| y.0),
            last_year: years.last().map_or(0, |y| y.0),
            years: years.into_iter().map(|(year, count)| YearCount { year, count }).collect(),
            bodies_count: bodies.len(),
            bodies: bodies
                .into_iter()
                .take(max_bodies)
                .map(|(name, count, i)| BodyCount {
                    name,
                    url: self.term_url(TaxonomyKind::Body, &self.library.reports[i]),
                    count,
                })
                .collect(),
            unlisted: places.len().saturating_sub(max_places),
            places: places
                .iter()
                .take(max_places)
                .map(|place| {
                    let report = &self.library.reports[place.report];
                    PlaceView {
                        title: &report.meta.title,
                        url: format!("{}#p-{}", self.url(&report.path), place.paragraph),
                        year: report.meta.year,
                        body: &report.meta.body,
                        same: place.key == key,
                    }
                })
                .collect(),
        }
    }

    fn taxonomy_context(&self, kind: TaxonomyKind) -> tera::Context {
        let mut context = self.base_context(kind.title(), &format!("{}/", kind.slug()));
        let terms: Vec<TermView> = self
            .library
            .taxonomy(kind)
            .terms
            .iter()
            .map(|term| {
                let years = term.reports.iter().map(|&r| self.library.reports[r].meta.year);
                TermView {
                    name: &term.name,
                    url: self.url(&term_page_path(kind, term, 1)),
                    count: term.reports.len(),
                    first_year: years.clone().min().unwrap_or(0),
                    last_year: years.max().unwrap_or(0),
                }
            })
            .collect();
        context.insert("taxonomy", &TaxonomyView { kind: kind.slug(), title: kind.title() });
        context.insert("terms", &terms);
        context
    }

    fn list_context(&self, kind: TaxonomyKind, term_index: usize, page: usize) -> tera::Context {
        let term = &self.library.taxonomy(kind).terms[term_index];
        let per_page = self.config.paginate;
        let total_pages = self.page_count(term);
        let title = match kind {
            TaxonomyKind::Year => format!("{}年", term.name),
            _ => term.name.clone(),
        };
        let mut context = self.base_context(&title, &term_page_path(kind, term, page));
        let mut groups: Vec<YearGroup> = Vec::new();
        for &r in term.reports.iter().skip((page - 1) * per_page).take(per_page) {
            let year = self.library.reports[r].meta.year;
            match groups.last_mut() {
                Some(group) if group.year == year => group.reports.push(self.summary(r)),
                _ => groups.push(YearGroup { year, reports: vec![self.summary(r)] }),
            }
        }
        let page_url = |n: usize| self.url(&term_page_path(kind, term, n));
        context.insert("taxonomy", &TaxonomyView { kind: kind.slug(), title: kind.title() });
        context.insert("taxonomy_url", &self.url(&format!("{}/", kind.slug())));
        context.insert("term", &Link { name: term.name.clone(), url: page_url(1) });
        context.insert("count", &term.reports.len());
        context.insert("groups", &groups);
        context.insert(
            "paginator",
            &Paginator {
                current: page,
                total: total_pages,
                previous: (page > 1).then(|| page_url(page - 1)),
                next: (page < total_pages).then(|| page_url(page + 1)),
                pages: page_window(page, total_pages)
                    .into_iter()
                    .map(|n| PageLink { number: n, url: (n > 0).then(|| page_url(n)), current: n == page })
                    .collect(),
            },
        );
        context
    }

    /// The newest reports as Atom 1.0.
    fn atom_feed(&self) -> String {
        let base = self.config.absolute_base();
        let order: Vec<&Report> =
            self.library.newest(self.config.feed_limit).into_iter().map(|i| &self.library.reports[i]).collect();
        let stamp = |r: &Report| match &r.meta.date {
            Some(date) => format!("{date}T00:00:00Z"),
            None => format!("{}-12-31T00:00:00Z", r.meta.year),
        };
        let updated = order.iter().map(|r| stamp(r)).max().unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"");
        xml.push_str(&format!(" xml:lang=\"{}\">\n", escaped(&self.config.language)));
        xml.push_str(&format!("  <title>{}</title>\n", escaped(&self.config.title)));
        xml.push_str(&format!("  <link href=\"{}\" rel=\"self\"/>\n", escaped(&self.absolute("atom.xml"))));
        xml.push_str(&format!("  <link href=\"{}/\"/>\n", escaped(&base)));
        xml.push_str(&format!("  <id>{}/</id>\n  <updated>{updated}</updated>\n", escaped(&base)));
        for report in order {
            let link = self.absolute(&report.path);
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <title>{}</title>\n", escaped(&report.meta.title)));
            xml.push_str(&format!("    <link href=\"{}\"/>\n    <id>{}</id>\n", escaped(&link), escaped(&link)));
            xml.push_str(&format!("    <updated>{}</updated>\n", stamp(report)));
            xml.push_str(&format!("    <author><name>{}</name></author>\n", escaped(&report.meta.body)));
            let summary = report.meta.summary.clone().unwrap_or_else(|| {
                let rendered = report.rendered();
                let first_paragraph = rendered.blocks.iter().find(|b| b.anchor.starts_with("p-"));
                first_paragraph.map(|b| b.text.chars().take(120).collect()).unwrap_or_default()
            });
            xml.push_str(&format!("    <summary>{}</summary>\n  </entry>\n", escaped(&summary)));
        }
        xml.push_str("</feed>\n");
        xml
    }

    /// An absolute URL for feeds and sitemaps: the base URL, then the path.
    fn absolute(&self, path: &str) -> String {
        format!("{}/{}", self.config.absolute_base(), utf8_percent_encode(path, PATH))
    }

    fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for page in self.plan() {
            // A passage's page is a list behind a marker, not a page to find.
            if matches!(page, Page::NotFound | Page::Feed | Page::Sitemap | Page::Static(_) | Page::Passage(_)) {
                continue;
            }
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escaped(&self.absolute(&self.page_path(&page)))));
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

/// `bodies/国务院/` for page 1, `bodies/国务院/page/2/` after.
/// A site path under the base path (`/archive/`), percent-encoded.
pub fn site_url(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", utf8_percent_encode(path, PATH))
}

fn term_page_path(kind: TaxonomyKind, term: &Term, page: usize) -> String {
    if page <= 1 {
        format!("{}/{}/", kind.slug(), term.slug)
    } else {
        format!("{}/{}/page/{page}/", kind.slug(), term.slug)
    }
}

/// Page numbers to show: first, last and a window around the current page;
/// 0 stands for a gap.
fn page_window(current: usize, total: usize) -> Vec<usize> {
    let mut pages = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(current) <= 2 {
            pages.push(n);
        } else if pages.last() != Some(&0) {
            pages.push(0);
        }
    }
    pages
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base: &'a str,
    home_url: String,
    feed_url: String,
    style_url: String,
    favicon_url: String,
    search_url: String,
    nav: Vec<Link>,
}

#[derive(Serialize)]
struct Link {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Count {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ReportSummary<'a> {
    title: &'a str,
    url: String,
    body: &'a str,
    body_url: String,
    level: &'a str,
    year: i32,
    period: &'a str,
    date: Option<&'a str>,
    summary: Option<&'a str>,
}

#[derive(Serialize)]
struct ReportView<'a> {
    title: &'a str,
    body: &'a str,
    body_url: String,
    level: &'a str,
    level_url: String,
    year: i32,
    year_url: String,
    period: &'a str,
    period_url: String,
    date: Option<&'a str>,
    summary: Option<&'a str>,
    tags: &'a [String],
    source: Option<&'a str>,
    /// The fields awaiting review, named in the site's language.
    review: Vec<&'a str>,
    content: &'a str,
    toc: &'a [Heading],
}

#[derive(Serialize)]
struct PassageView<'a> {
    id: String,
    text: String,
    reports: usize,
    /// Different wordings of the passage.
    variants: usize,
    first_year: i32,
    last_year: i32,
    years: Vec<YearCount>,
    bodies_count: usize,
    bodies: Vec<BodyCount<'a>>,
    places: Vec<PlaceView<'a>>,
    unlisted: usize,
}

#[derive(Serialize)]
struct YearCount {
    year: i32,
    count: usize,
}

#[derive(Serialize)]
struct BodyCount<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct PlaceView<'a> {
    title: &'a str,
    url: String,
    year: i32,
    body: &'a str,
    /// The same words as the passage's most common wording.
    same: bool,
}

#[derive(Serialize)]
struct TaxonomyView {
    kind: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    url: String,
    count: usize,
    first_year: i32,
    last_year: i32,
}

#[derive(Serialize)]
struct YearGroup<'a> {
    year: i32,
    reports: Vec<ReportSummary<'a>>,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    /// 0 marks a gap (…).
    number: usize,
    url: Option<String>,
    current: bool,
}

#[derive(Serialize)]
struct Grid {
    columns: Vec<GridColumn>,
    /// Whether a column is a decade rather than a year.
    by_decade: bool,
    groups: Vec<GridGroup>,
    more_bodies: usize,
}

#[derive(Serialize)]
struct GridColumn {
    /// `2021` or `2020年代`.
    name: String,
    /// The year's list (a decade's newest year).
    url: String,
}

/// The bodies of one level.
#[derive(Serialize)]
struct GridGroup {
    level: String,
    rows: Vec<GridRow>,
}

#[derive(Serialize)]
struct GridRow {
    body: Link,
    level: String,
    /// The body's reports in all years.
    total: usize,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    count: usize,
    /// 0 (none) to 4 (as many as the fullest cell): the shade drawn.
    heat: usize,
    url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_window_has_gaps() {
        assert_eq!(page_window(1, 1), vec![1]);
        assert_eq!(page_window(5, 10), vec![1, 0, 3, 4, 5, 6, 7, 0, 10]);
    }
}
