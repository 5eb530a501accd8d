//! The contexts of the site's pages: home, report, comparison, taxonomy
//! and list pages, each a small borrowed view of the library.

use super::*;

/// A front-matter field as readers of a site in `language` know it: the
/// review note says 标题、发文机关, not title、body.
pub(super) fn field_label<'a>(field: &'a str, language: &str) -> &'a str {
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
        "clutter" => "疑似网页杂项",
        other => other,
    }
}

pub(super) const HOME_NEWEST: usize = 12;

pub(super) const HOME_GRID_BODIES: usize = 60;

/// More years than this, and the home page's grid shows decades.
pub(super) const GRID_YEARS: usize = 20;

/// Page numbers to show: first, last and a window around the current page;
/// 0 stands for a gap.
pub(super) fn page_window(current: usize, total: usize) -> Vec<usize> {
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

impl<'a> Site<'a> {
    pub(super) fn home_context(&self) -> tera::Context {
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
    pub(super) fn year_body_grid(&self) -> Grid {
        let library = self.library;
        let year_terms = &library.taxonomy(TaxonomyKind::Year).terms;
        // Newest first; 年份不详 (no number) last, a column of its own.
        let years: Vec<Option<i32>> = year_terms.iter().map(|t| t.name.parse().ok()).collect();
        let by_decade = years.iter().flatten().count() > GRID_YEARS;
        let column_of = |year: Option<i32>| year.map(|year| if by_decade { year.div_euclid(10) * 10 } else { year });
        let mut column_keys: Vec<Option<i32>> = years.iter().map(|&y| column_of(y)).collect();
        column_keys.dedup();
        let columns: Vec<GridColumn> = column_keys
            .iter()
            .map(|&key| {
                // The newest year of the column: where its link leads.
                let newest = years.iter().position(|&y| column_of(y) == key).unwrap_or(0);
                GridColumn {
                    name: match key {
                        Some(decade) if by_decade => format!("{decade}年代"),
                        Some(year) => year.to_string(),
                        None => crate::content::UNKNOWN_YEAR.to_owned(),
                    },
                    url: year_terms
                        .get(newest)
                        .map(|t| self.url(&term_page_path(TaxonomyKind::Year, t, 1)))
                        .unwrap_or_default(),
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
            let mut cells: Vec<(usize, Option<(usize, Option<i32>)>)> = vec![(0, None); column_keys.len()];
            for (position, &r) in body.reports.iter().enumerate() {
                let year = library.reports[r].meta.year;
                if let Some(c) = column_keys.iter().position(|&k| k == column_of(year)) {
                    cells[c].0 += 1;
                    cells[c].1.get_or_insert((position, year));
                }
            }
            largest = largest.max(cells.iter().map(|c| c.0).max().unwrap_or(0));
            let level = body.reports.first().map_or("", |&r| library.reports[r].meta.level_label());
            let level_order = self.config.order_of(crate::content::config::Vocabulary::Level, level);
            let cells = cells
                .into_iter()
                .map(|(count, first)| Cell {
                    count,
                    heat: 0,
                    url: first.map(|(position, year)| {
                        let page = position / self.config.paginate + 1;
                        format!("{}#{}", self.url(&term_page_path(TaxonomyKind::Body, body, page)), year_anchor(year))
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

    pub(super) fn report_context(&self, index: usize, rendered: &Rendered) -> tera::Context {
        let report = &self.library.reports[index];
        let meta = &report.meta;
        let mut context = self.base_context(&meta.title, &report.path);
        let view = ReportView {
            title: &meta.title,
            body: meta.body_label(),
            body_url: self.term_url(TaxonomyKind::Body, report),
            level: meta.level_label(),
            level_url: self.term_url(TaxonomyKind::Level, report),
            year: meta.year_label(),
            year_url: self.term_url(TaxonomyKind::Year, report),
            period: meta.period_label(),
            period_url: self.term_url(TaxonomyKind::Period, report),
            date: meta.date.as_deref(),
            summary: meta.summary.as_deref(),
            tags: &meta.tags,
            source: meta.source.as_deref(),
            review: meta
                .review
                .iter()
                .map(|r| ReviewView {
                    field: field_label(&r.field, &self.config.language),
                    evidence: r.evidence.as_deref(),
                })
                .collect(),
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
            // What a rewrite says anew, and what it no longer says.
            let older = &self.library.reports[predecessor];
            context.insert("novel", &self.novel_view(older, report, || (older.rendered(), rendered.clone())));
        }
        context.insert("report", &view);
        context.insert("previous", &previous.map(|i| self.summary(i)));
        context.insert("next", &next.map(|i| self.summary(i)));
        context
    }

    /// The formulations `new` has and `old` lacks and the reverse, each
    /// linking to its concordance across the archive.
    fn novel_view(&self, old: &Report, new: &Report, texts: impl FnOnce() -> (Rendered, Rendered)) -> NovelView {
        let novel = self.compared().get_or_compare((old.text_digest, new.text_digest), || {
            let (old, new) = texts();
            crate::analysis::novel::compare(
                old.blocks.iter().map(|b| b.text.as_str()),
                new.blocks.iter().map(|b| b.text.as_str()),
            )
        });
        let link = |f: &crate::analysis::novel::Formulation| FormulationView {
            url: self.concordance_url(&f.text),
            text: f.text.clone(),
            count: f.count,
        };
        NovelView { added: novel.added.iter().map(link).collect(), dropped: novel.dropped.iter().map(link).collect() }
    }

    /// The concordance of a formulation across the archive.
    fn concordance_url(&self, text: &str) -> String {
        self.search_url(&[("q", &format!("\"{text}\"")), ("view", "kwic")])
    }

    /// The search page with `params` in its address.
    fn search_url(&self, params: &[(&str, &str)]) -> String {
        let encode = |value| percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC);
        let query: Vec<String> = params.iter().map(|&(key, value)| format!("{key}={}", encode(value))).collect();
        format!("{}?{}", self.url("search/"), query.join("&"))
    }

    /// What the first page of a year's or a body's list shows of the
    /// overview: the year's new formulations, the body's key formulations.
    fn insert_overview(&self, context: &mut tera::Context, kind: TaxonomyKind, term: &str) {
        let row = |text: &str, count, reports, elsewhere| OverviewRowView {
            text: text.to_owned(),
            count,
            reports,
            elsewhere,
            url: self.concordance_url(text),
        };
        match kind {
            TaxonomyKind::Year => {
                let Some(year) = term.parse::<i32>().ok().and_then(|y| self.overview.years.get(&y)) else { return };
                let rows = year.rows.iter().map(|r| row(&r.text, r.count, r.reports, None)).collect();
                let reference = format!("year:{}..{}", year.from, year.to);
                let keyness_url =
                    self.search_url(&[("year", term), ("view", "keywords"), ("ref", &reference), ("mode", "new")]);
                let view = YearNewView {
                    from: year.from,
                    to: year.to,
                    reference_reports: year.reference_reports,
                    rows,
                    keyness_url,
                };
                context.insert("year_new", &view);
            }
            TaxonomyKind::Body => {
                let Some(body) = self.overview.bodies.get(term) else { return };
                let rows = body.rows.iter().map(|r| row(&r.text, r.count, r.reports, Some(r.elsewhere))).collect();
                let reference = format!("-body:\"{term}\"");
                let keyness_url = self.search_url(&[("body", term), ("view", "keywords"), ("ref", &reference)]);
                context.insert("body_keys", &BodyKeysView { rows, keyness_url });
            }
            _ => {}
        }
    }

    /// Whether report `index` has a comparison page: it has a predecessor
    /// and shares enough sentences with it for an alignment to say anything.
    pub fn has_compare_page(&self, index: usize) -> bool {
        self.config.compare_pages
            && self
                .shared_with_predecessor(index)
                .is_some_and(|(_, shared)| shared >= crate::content::sentences::MIN_SHARED)
    }

    /// The report's predecessor, and the share of sentences they have in common.
    pub(super) fn shared_with_predecessor(&self, index: usize) -> Option<(usize, f32)> {
        let predecessor = self.library.predecessors[index]?;
        Some((predecessor, self.library.predecessor_shares[index]))
    }

    /// Any two reports of the library compared: `old` first, as
    /// `wenku serve` offers at `/compare/?a=…&b=…`.
    pub fn render_comparison(&self, old: usize, new: usize) -> Result<Vec<u8>> {
        let context = self.compare_context(new, old, "对比", "compare/");
        self.template("compare.html", &context, "compare/")
    }

    /// A report against an earlier one, sentence by sentence.
    pub(super) fn compare_context(
        &self,
        index: usize,
        previous_index: usize,
        heading: &str,
        path: &str,
    ) -> tera::Context {
        let report = &self.library.reports[index];
        let previous = &self.library.reports[previous_index];
        let title = format!("{}：{heading}", report.meta.title);
        let mut context = self.base_context(&title, path);
        context.insert("heading", heading);
        let shared = crate::content::sentences::shared(&previous.sentence_hashes, &report.sentence_hashes);
        context.insert("shared_percent", &((shared * 100.0).round() as u32));
        // Most reports were rewritten: their sentences are not aligned.
        if shared >= crate::content::sentences::MIN_SHARED {
            let rows = crate::analysis::compare::compare(
                &crate::content::sentences::report_sentences(&previous.rendered()),
                &crate::content::sentences::report_sentences(&report.rendered()),
            );
            context.insert("summary", &crate::analysis::compare::summarize(&rows));
            context.insert("diff_html", &crate::analysis::compare::to_html(&rows));
        }
        context.insert("novel", &self.novel_view(previous, report, || (previous.rendered(), report.rendered())));
        context.insert("report", &self.summary(index));
        context.insert("previous", &self.summary(previous_index));
        context
    }

    /// The editors' review list: each report with fields awaiting review,
    /// their values and evidence, and the lines its import removed.
    pub(super) fn review_context(&self) -> tera::Context {
        let mut context = self.base_context("待核对", "review/");
        let language = &self.config.language;
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        let mut reports: Vec<(&std::path::Path, ReviewedReport)> = Vec::new();
        for report in self.library.reports.iter().filter(|r| !r.meta.review.is_empty()) {
            let meta = &report.meta;
            let fields = meta
                .review
                .iter()
                .map(|r| {
                    *counts.entry(field_label(&r.field, language)).or_default() += 1;
                    let value = match r.field.as_str() {
                        "title" => meta.title.clone(),
                        "body" => meta.body_label().to_owned(),
                        "level" => meta.level_label().to_owned(),
                        "year" => meta.year_label(),
                        "period" => meta.period_label().to_owned(),
                        _ => String::new(),
                    };
                    ReviewedField { field: field_label(&r.field, language), value, evidence: r.evidence.as_deref() }
                })
                .collect();
            let removed = meta
                .removed
                .iter()
                .map(|r| RemovedView { line: r.line, rule: r.rule_label(), text: &r.text })
                .collect();
            let file = std::path::Path::new("content").join(&report.source).display().to_string();
            reports.push((
                &report.source,
                ReviewedReport { title: &meta.title, url: self.url(&report.path), file, fields, removed },
            ));
        }
        reports.sort_by(|a, b| a.0.cmp(b.0));
        let list = ReviewList {
            reports: reports.into_iter().map(|(_, r)| r).collect(),
            counts: counts
                .into_iter()
                .map(|(name, count)| Count { name: name.to_owned(), url: String::new(), count })
                .collect(),
            removed_total: self.library.reports.iter().map(|r| r.meta.removed.len()).sum(),
        };
        context.insert("review", &list);
        context
    }

    pub(super) fn taxonomy_context(&self, kind: TaxonomyKind) -> tera::Context {
        let mut context = self.base_context(kind.title(), &format!("{}/", kind.slug()));
        let terms: Vec<TermView> = self
            .library
            .taxonomy(kind)
            .terms
            .iter()
            .map(|term| {
                let years = term.reports.iter().map(|&r| self.library.reports[r].meta.year);
                let label = match kind {
                    TaxonomyKind::Year if term.name.parse::<i32>().is_ok() => format!("{}年", term.name),
                    _ => term.name.clone(),
                };
                TermView {
                    name: &term.name,
                    label,
                    url: self.url(&term_page_path(kind, term, 1)),
                    count: term.reports.len(),
                    span: year_span(years),
                }
            })
            .collect();
        context.insert("taxonomy", &TaxonomyView { kind: kind.slug(), title: kind.title() });
        context.insert("terms", &terms);
        context
    }

    pub(super) fn list_context(&self, kind: TaxonomyKind, term_index: usize, page: usize) -> tera::Context {
        let term = &self.library.taxonomy(kind).terms[term_index];
        let per_page = self.config.paginate;
        let total_pages = self.page_count(term);
        let title = match kind {
            TaxonomyKind::Year if term.name.parse::<i32>().is_ok() => format!("{}年", term.name),
            _ => term.name.clone(),
        };
        let mut context = self.base_context(&title, &term_page_path(kind, term, page));
        let mut groups: Vec<YearGroup> = Vec::new();
        for &r in term.reports.iter().skip((page - 1) * per_page).take(per_page) {
            let meta = &self.library.reports[r].meta;
            let anchor = year_anchor(meta.year);
            match groups.last_mut() {
                Some(group) if group.anchor == anchor => group.reports.push(self.summary(r)),
                _ => groups.push(YearGroup { year: meta.year_in_text(), anchor, reports: vec![self.summary(r)] }),
            }
        }
        let page_url = |n: usize| self.url(&term_page_path(kind, term, n));
        context.insert("taxonomy", &TaxonomyView { kind: kind.slug(), title: kind.title() });
        context.insert("taxonomy_url", &self.url(&format!("{}/", kind.slug())));
        context.insert("term", &Link { name: term.name.clone(), url: page_url(1) });
        context.insert("count", &term.reports.len());
        context.insert("groups", &groups);
        if page == 1 {
            self.insert_overview(&mut context, kind, &term.name);
        }
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
