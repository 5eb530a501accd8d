//! Recurring passages on pages: the markers after a report's paragraphs
//! that name the other reports having them, and the passages' own pages.

use super::*;

/// A marker's summary and its list of the first places other than report
/// `except` (none when `None`), each linked by `link`.
pub(super) fn write_marker_list<'s>(
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

/// Other reports a paragraph's marker names; more are counted.
pub(super) const MARKER_PLACES: usize = 3;

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
pub(super) const TOP_PASSAGES: usize = 100;

pub(super) const TOP_PASSAGE_PLACES: usize = 30;

pub(super) const TOP_PASSAGE_BODIES: usize = 8;

impl<'a> Site<'a> {
    /// A report's page with a marker after each paragraph that other
    /// reports have too, naming them. Added to the rendered page rather than
    /// given to the template: markers can double a page, and the template
    /// engine would copy and check them all again.
    pub(super) fn insert_passage_markers(&self, index: usize, rendered: &Rendered, page: Vec<u8>) -> Vec<u8> {
        let report = &self.library.reports[index];
        let found = self.passages.of_report(report.id);
        if found.is_empty() {
            return page;
        }
        // Where most paragraphs recur (a report made of stock text), a
        // marker on each says little: only those reaching another body's
        // reports stay.
        let paragraphs = crate::analysis::passages::paragraph_texts(rendered).count();
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
        crate::analysis::passages::insert_markers(&page, &markers, &ends)
    }

    /// A passage's places, one per report, oldest year first. Made once per
    /// passage: a passage in a thousand reports has a marker in each.
    pub(super) fn places_of(&self, group: &Group) -> Arc<Vec<PlaceIn>> {
        if let Some(places) = self.places_cache.lock().expect("no panic while holding the lock").get(&group.id) {
            return places.clone();
        }
        let places = Arc::new(self.located().places(group));
        self.places_cache.lock().expect("no panic while holding the lock").insert(group.id, places.clone());
        places
    }

    pub(super) fn located(&self) -> Located<'a> {
        Located::new(self.passages, self.library)
    }

    /// A marker's link to a report, around the paragraph number:
    /// `<li>2020年 <a href="/2020/a/#p-` and `">title</a>`. Made once per
    /// report: the same few reports are named in thousands of markers.
    pub(super) fn place_link(&self, index: usize) -> &(String, String) {
        self.place_links.get_or_init(self.library.reports.len(), index, || {
            let report = &self.library.reports[index];
            let path = utf8_percent_encode(&report.path, PATH);
            let before = format!("<li>{} <a href=\"{}{path}#p-", report.meta.year_in_text(), self.base);
            let mut after = String::from("\">");
            push_escaped(&mut after, &report.meta.title);
            after.push_str("</a>");
            (before, after)
        })
    }

    /// Appends the `<details>` that names where else a paragraph is. Written
    /// here rather than in a template: it goes inside the report's HTML.
    pub(super) fn write_passage_marker(&self, html: &mut String, index: usize, key: u64, group: &Group) {
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
    pub(super) fn shared_marker_list(&self, group: &Group, places: &[PlaceIn], key: u64) -> Arc<str> {
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
    pub(super) fn passages_context(&self) -> tera::Context {
        let mut context = self.base_context("重复段落", "passages/");
        let entries: Vec<PassageView> = self
            .passages
            .most_recurring()
            .take(TOP_PASSAGES)
            .map(|group| self.passage_view(group, TOP_PASSAGE_PLACES, TOP_PASSAGE_BODIES))
            .collect();
        context.insert("passages", &entries);
        context.insert("total", &self.passages.recurring_count());
        context.insert("min_chars", &crate::analysis::passages::MIN_CHARS);
        context
    }

    /// One passage with every place and body: the page a marker's "all"
    /// link opens.
    pub(super) fn passage_context(&self, shard: u8) -> tera::Context {
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
    pub(super) fn passage_view(&self, group: &Group, max_places: usize, max_bodies: usize) -> PassageView<'_> {
        let Spread { text, key, places, years, bodies } = self.located().spread(group);
        PassageView {
            id: format!("{:016x}", group.id),
            text,
            reports: places.len(),
            variants: group.variants(),
            span: year_span(years.iter().map(|y| y.0)),
            years: years
                .into_iter()
                .map(|(year, count)| YearCount {
                    year: year.map_or_else(|| crate::content::UNKNOWN_YEAR.to_owned(), |y| y.to_string()),
                    count,
                })
                .collect(),
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
                        year: report.meta.year_in_text(),
                        body: report.meta.body_label(),
                        same: place.key == key,
                    }
                })
                .collect(),
        }
    }
}
