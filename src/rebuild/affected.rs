//! Which pages an edit affects: pure functions of the library before and
//! after it and of what changed (no I/O), so that each rule is a unit test.
//! `LiveSite` (the module above) applies what they say.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::content::{Library, Report, ReportId, TaxonomyKind};
use crate::render::{Page, Site};

/// A text-only edit of the reports at `positions` (front matter and URL
/// unchanged, so the order, taxonomies and neighbours stay): their own
/// pages, their comparisons with the year before and the next year's with
/// them, the next year's pages (which say how much they share), and the
/// feed (which quotes a first paragraph when there is no summary).
pub fn after_text_edit(library: &Library, positions: &[usize]) -> Vec<Page> {
    let mut pages = vec![Page::Feed];
    pages.extend(positions.iter().map(|&i| Page::Report(i)));
    for (j, predecessor) in library.predecessors.iter().enumerate() {
        let compared = predecessor.is_some_and(|p| positions.contains(&p));
        if predecessor.is_some() && (positions.contains(&j) || compared) {
            pages.push(Page::Compare(j));
        }
        if compared {
            pages.push(Page::Report(j));
        }
    }
    pages
}

/// The pages to write, each once, and those that no longer exist (`gone`),
/// of the `pages` an edit reached: a comparison page exists only while two
/// reports share enough, a passage's page only while its shard has a
/// passage in enough reports, and the passages page only when the config
/// has it. The sitemap, which lists the comparison pages, is written when
/// one came or went (`outputs`: the files written before the edit).
pub fn settle(site: &Site, mut pages: Vec<Page>, outputs: &BTreeSet<String>) -> (Vec<Page>, Vec<Page>) {
    pages.sort_unstable();
    pages.dedup();
    let shards: BTreeSet<Page> = site.passage_pages().collect();
    let (mut pages, mut gone): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|page| match page {
        Page::Compare(i) => site.has_compare_page(*i),
        Page::Passages => site.config.recurring_passages,
        Page::Passage(_) => shards.contains(page),
        _ => true,
    });
    gone.extend((0..=u8::MAX).map(Page::Passage).filter(|page| !shards.contains(page)));
    let is_written = |page: &Page| outputs.contains(&site.rel_path(page));
    let compared = |page: &&Page| matches!(page, Page::Compare(_));
    let comparison_came = pages.iter().filter(compared).any(|page| !is_written(page));
    let comparison_went = gone.iter().filter(compared).any(is_written);
    if comparison_came || comparison_went {
        pages.push(Page::Sitemap);
        pages.sort_unstable();
        pages.dedup();
    }
    (pages, gone)
}

/// What the pages of the changed reports' bodies depended on before an
/// edit: their neighbours, by id, and the changed reports' terms.
/// Neighbours never cross bodies, so other bodies' pages cannot change.
pub struct Before {
    bodies: BTreeSet<String>,
    neighbours: HashMap<ReportId, Links>,
    terms: BTreeSet<(TaxonomyKind, String)>,
}

impl Before {
    pub fn of(library: &Library, changed: &HashSet<ReportId>) -> Before {
        let changed_reports = changed.iter().filter_map(|&id| library.position(id)).map(|i| &library.reports[i]);
        let terms = terms_of(changed_reports);
        let bodies: BTreeSet<String> =
            terms.iter().filter(|(k, _)| *k == TaxonomyKind::Body).map(|(_, name)| name.clone()).collect();
        let neighbours = bodies.iter().flat_map(|body| neighbour_ids(library, body)).collect();
        Before { bodies, neighbours, terms }
    }
}

/// Every term the reports belong to.
fn terms_of<'a>(reports: impl Iterator<Item = &'a Report>) -> BTreeSet<(TaxonomyKind, String)> {
    reports.flat_map(|r| TaxonomyKind::ALL.map(|k| (k, k.value_of(r)))).collect()
}

/// What a report's pages show of other reports: its previous and next
/// report (on its page) and its predecessor (on its comparison page).
type Links = (Option<ReportId>, Option<ReportId>, Option<ReportId>);

/// For each report of `body`: its position, id, and its links.
type NeighbourLinks = (usize, ReportId, Links);

fn neighbour_links(library: &Library, body: &str) -> Vec<NeighbourLinks> {
    let Some(term) = library.taxonomy(TaxonomyKind::Body).terms.iter().find(|t| t.name == body) else {
        return Vec::new();
    };
    let id = |i: Option<usize>| i.map(|i| library.reports[i].id);
    term.reports
        .iter()
        .map(|&i| {
            let (previous, next) = library.neighbours[i];
            let links = (id(previous), id(next), id(library.predecessors[i]));
            (i, library.reports[i].id, links)
        })
        .collect()
}

fn neighbour_ids(library: &Library, body: &str) -> impl Iterator<Item = (ReportId, Links)> {
    neighbour_links(library, body).into_iter().map(|(_, id, links)| (id, links))
}

/// The pages of the new library's site that differ from the old one's after
/// the reports in `changed` were added, edited or removed (`before`: what
/// the old library's pages showed of them; `paginate`: reports per list
/// page).
pub fn after_edit(library: &Library, paginate: usize, before: &Before, changed: &HashSet<ReportId>) -> Vec<Page> {
    let mut pages: Vec<Page> = vec![Page::Home, Page::NotFound, Page::Feed, Page::Sitemap, Page::Review];
    pages.extend(TaxonomyKind::ALL.map(Page::TaxonomyIndex));
    if changed.is_empty() {
        return pages;
    }

    let mut terms = before.terms.clone();
    terms.extend(terms_of(changed.iter().filter_map(|&id| library.position(id)).map(|i| &library.reports[i])));
    let mut bodies = before.bodies.clone();
    bodies.extend(terms.iter().filter(|(k, _)| *k == TaxonomyKind::Body).map(|(_, name)| name.clone()));

    // Report pages: the changed ones, and those whose previous/next link
    // changed or points to a changed report; comparison pages likewise.
    let touches_change = |n: &Option<ReportId>| n.is_some_and(|id| changed.contains(&id));
    for body in &bodies {
        for (i, id, now) in neighbour_links(library, body) {
            let was = before.neighbours.get(&id);
            let is_changed = changed.contains(&id);
            let (previous, next, predecessor) = &now;
            let links_moved = was.is_none_or(|(p, n, c)| (p, n, c) != (previous, next, predecessor));
            let shares_with_change = touches_change(predecessor);
            if is_changed || links_moved || touches_change(previous) || touches_change(next) || shares_with_change {
                pages.push(Page::Report(i));
            }
            let compared_moved = was.is_none_or(|(_, _, p)| p != predecessor);
            if predecessor.is_some() && (is_changed || compared_moved || touches_change(predecessor)) {
                pages.push(Page::Compare(i));
            }
        }
    }

    for (kind, name) in terms {
        let taxonomy = library.taxonomy(kind);
        if let Some(term) = taxonomy.terms.iter().position(|t| t.name == name) {
            let count = crate::render::list_pages(&taxonomy.terms[term], paginate);
            pages.extend((1..=count).map(|page| Page::TermList { kind, term, page }));
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::config::Config;

    fn report(source: &str, body: &str, year: i32, text: &str) -> Report {
        crate::content::report_for_tests(source, body, year, text)
    }

    const TEXT: &str = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入稳步增长。";

    /// Three years of body 甲, two of body 乙.
    fn library() -> Library {
        let reports = vec![
            report("甲2020", "甲", 2020, TEXT),
            report("甲2021", "甲", 2021, TEXT),
            report("甲2022", "甲", 2022, TEXT),
            report("乙2021", "乙", 2021, TEXT),
            report("乙2022", "乙", 2022, TEXT),
        ];
        Library::new(reports, &Config::default())
    }

    fn at(library: &Library, source: &str) -> usize {
        library.reports.iter().position(|r| r.source.to_str() == Some(source)).unwrap()
    }

    fn report_pages(library: &Library, pages: &[Page]) -> BTreeSet<String> {
        let source = |i: usize| library.reports[i].source.display().to_string();
        pages
            .iter()
            .filter_map(|page| match page {
                Page::Report(i) => Some(source(*i)),
                Page::Compare(i) => Some(format!("{} compare", source(*i))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_text_edit_reaches_the_report_its_comparisons_and_the_next_year() {
        let library = library();
        let edited = at(&library, "甲2021");
        let pages = after_text_edit(&library, &[edited]);
        let expected = ["甲2021", "甲2021 compare", "甲2022", "甲2022 compare"];
        assert_eq!(report_pages(&library, &pages), expected.map(String::from).into());
        assert!(pages.contains(&Page::Feed));
    }

    /// The pages `after_edit` gives when `edit` changes the reports of
    /// `library()`, made as `LiveSite` makes them: the id of `source` first
    /// (a new file gets one), what the old library showed, then the library
    /// again from the edited reports, which keep their ids.
    fn edited(source: &str, edit: impl FnOnce(&mut Vec<Report>, ReportId)) -> (Library, Vec<Page>) {
        let mut old = library();
        let id = old.intern(std::path::Path::new(source));
        let changed = HashSet::from([id]);
        let before = Before::of(&old, &changed);
        let (ids, mut reports) = old.into_parts();
        edit(&mut reports, id);
        let new = Library::with_ids(ids, reports, &Config::default());
        let pages = after_edit(&new, 50, &before, &changed);
        (new, pages)
    }

    #[test]
    fn a_new_report_reaches_its_neighbours_and_its_terms_lists_not_other_bodies() {
        let (new, pages) = edited("甲2023", |reports, _| reports.push(report("甲2023", "甲", 2023, TEXT)));
        let reached = report_pages(&new, &pages);
        assert!(reached.contains("甲2023") && reached.contains("甲2023 compare"), "{reached:?}");
        assert!(!reached.iter().any(|page| page.starts_with('乙')), "{reached:?}");
        let lists: Vec<(TaxonomyKind, String)> = pages
            .iter()
            .filter_map(|page| match page {
                Page::TermList { kind, term, .. } => Some((*kind, new.taxonomy(*kind).terms[*term].name.clone())),
                _ => None,
            })
            .collect();
        assert!(lists.contains(&(TaxonomyKind::Year, "2023".into())), "{lists:?}");
        assert!(lists.contains(&(TaxonomyKind::Body, "甲".into())), "{lists:?}");
        assert!(!lists.contains(&(TaxonomyKind::Body, "乙".into())), "{lists:?}");
        for page in [Page::Home, Page::Feed, Page::Sitemap] {
            assert!(pages.contains(&page), "{page:?}");
        }
    }

    /// A retitled report: its own pages, and the year before's page, whose
    /// "next" link names it; not the reports further away in its body.
    #[test]
    fn a_retitled_report_reaches_its_neighbour_that_names_it_and_no_further() {
        let (new, pages) = edited("甲2022", |reports, id| {
            let at = reports.iter().position(|r| r.id == id).unwrap();
            reports[at].meta.title = "甲2022（修订）".into();
        });
        let reached = report_pages(&new, &pages);
        let expected = ["甲2021", "甲2022", "甲2022 compare"];
        assert_eq!(reached, expected.map(String::from).into());
    }

    #[test]
    fn a_removed_report_reaches_the_reports_that_linked_to_it() {
        let (new, pages) = edited("甲2021", |reports, id| reports.retain(|r| r.id != id));
        let reached = report_pages(&new, &pages);
        // 2020 and 2022 were its neighbours; 2022's predecessor is now 2020.
        let expected = ["甲2020", "甲2022", "甲2022 compare"];
        assert_eq!(reached, expected.map(String::from).into());
    }
}
