//! Every file of the built site has exactly one owner.
//!
//! Two pages written to one path would silently lose one of them: a report
//! at `content/search.md` and the search page, one at `content/bodies/x.md`
//! and a body's list, a report whose folder is a static file's name. The
//! build and `check` ask here before anything is written, and each clash is
//! a problem naming both owners; so is a path segment longer than a file
//! system allows, which would otherwise fail only half-way through writing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::render::{Page, Site};

/// What file systems allow in one file or folder name (ext4, NTFS, APFS).
const MAX_NAME_BYTES: usize = 255;

/// URL paths `wenku serve` answers itself: a page there would be hidden.
const SERVED_ROUTES: &[(&str, &str)] = &[
    ("api/", "the search API (/api/)"),
    ("compare/", "the comparison of any two reports (/compare/)"),
    ("__wenku/", "live reload (/__wenku/)"),
];

/// The problems of the site's output paths: clashes, and names too long.
pub fn problems(site: &Site, content_dir: &Path) -> Vec<Diagnostic> {
    let plan = site.plan();
    let mut owners: HashMap<String, &Page> = HashMap::with_capacity(plan.len());
    let mut problems = Vec::new();
    for page in &plan {
        let path = site.rel_path(page);
        if let Some(first) = owners.get(&path) {
            problems.push(clash(site, content_dir, first, page, &format!("/{path}")));
        } else {
            owners.insert(path, page);
        }
    }
    let mut too_long_reported = HashSet::new();
    for (path, page) in &owners {
        // A page needs each folder above it: none may be another page's file.
        for (at, _) in path.match_indices('/') {
            if let Some(file_owner) = owners.get(&path[..at]) {
                problems.push(clash(site, content_dir, file_owner, page, &format!("/{}", &path[..at])));
            }
        }
        if let Some((route, what)) = SERVED_ROUTES.iter().find(|(route, _)| path.starts_with(route)) {
            let (file, owner) = describe(site, content_dir, page);
            problems.push(
                Diagnostic::new(
                    &file,
                    format!("{owner} would be written to /{route}, which `wenku serve` uses for {what}"),
                )
                .hint(RENAME_HINT),
            );
        }
        if let Some(long) = path.split('/').find(|name| name.len() > MAX_NAME_BYTES)
            && too_long_reported.insert(long)
        {
            let (file, owner) = describe(site, content_dir, page);
            problems.push(
                Diagnostic::new(
                    &file,
                    format!(
                        "{owner} would be written under a name of {} bytes (“{}”); file systems allow {MAX_NAME_BYTES}",
                        long.len(),
                        shortened(long)
                    ),
                )
                .hint("shorten the file name, its `slug:`, or the `body`, `level` or `period` value"),
            );
        }
    }
    // The same order every run, whatever the hash map's.
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    problems
}

const RENAME_HINT: &str = "give the report a `slug:` or move its file; the top-level names index.html, 404.html, atom.xml, sitemap.xml, search, passages, years, bodies, levels, periods, static, api, compare and __wenku are the site's own";

fn clash(site: &Site, content_dir: &Path, first: &Page, second: &Page, path: &str) -> Diagnostic {
    let (first_file, first_owner) = describe(site, content_dir, first);
    let (second_file, second_owner) = describe(site, content_dir, second);
    // Point at a report the user can change; the site's own pages cannot.
    let file =
        if matches!(second, Page::Report(_)) || first_file.as_os_str().is_empty() { second_file } else { first_file };
    Diagnostic::new(&file, format!("{first_owner} and {second_owner} would both be written to {path}"))
        .hint(RENAME_HINT)
}

/// The file to blame for a page (empty for the site's own pages) and what the
/// page is, in words.
fn describe(site: &Site, content_dir: &Path, page: &Page) -> (PathBuf, String) {
    let report_file = |i: usize| content_dir.join(&site.library.reports[i].source);
    // Named as the user sees it, whatever folder wenku was started in.
    let shown = |i: usize| Path::new("content").join(&site.library.reports[i].source).display().to_string();
    match page {
        Page::Report(i) => (report_file(*i), format!("the report {}", shown(*i))),
        Page::Compare(i) => (report_file(*i), format!("the comparison page of {}", shown(*i))),
        Page::TermList { kind, term, .. } => {
            let term = &site.library.taxonomy(*kind).terms[*term];
            let file = term.reports.first().map(|&i| report_file(i)).unwrap_or_default();
            (file, format!("the {} list of “{}”", kind.title(), shortened(&term.name)))
        }
        Page::TaxonomyIndex(kind) => (PathBuf::new(), format!("the site's {} overview", kind.title())),
        Page::Home => (PathBuf::new(), "the home page".into()),
        Page::Search => (PathBuf::new(), "the search page".into()),
        Page::Passages => (PathBuf::new(), "the recurring-passages page".into()),
        Page::NotFound => (PathBuf::new(), "the 404 page".into()),
        Page::Feed => (PathBuf::new(), "the feed".into()),
        Page::Sitemap => (PathBuf::new(), "the sitemap".into()),
        Page::Static(path) => (PathBuf::from(path), format!("the static file {path}")),
    }
}

/// At most 20 characters of a name, for a message.
fn shortened(name: &str) -> String {
    match name.char_indices().nth(20) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    }
}
