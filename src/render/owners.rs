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

use crate::render::{Page, Site};
use crate::shared::diagnostics::{Both, Diagnostic, Problem, both};

/// What file systems allow in one file or folder name (ext4, NTFS, APFS).
const MAX_NAME_BYTES: usize = 255;

/// The top-level names the site writes or answers itself, whatever the
/// content is today: a passage shard or a static-index file that does not
/// exist yet would be shadowed by a report the day it does.
const SITE_NAMES: &[(&str, &str, &str)] = &[
    ("index.html", "the home page", "首页"),
    ("404.html", "the 404 page", "404 页"),
    ("atom.xml", "the feed", "订阅源"),
    ("sitemap.xml", "the sitemap", "站点地图"),
    ("web.config", "the IIS configuration (web.config)", "IIS 配置文件 web.config"),
    ("search", "the search page (/search/)", "搜索页（/search/）"),
    ("review", "the review list (/review/)", "待核对清单页（/review/）"),
    ("passages", "the recurring passages (/passages/)", "重复段落页（/passages/）"),
    ("years", "the year lists (/years/)", "年份列表（/years/）"),
    ("bodies", "the issuing-body lists (/bodies/)", "发文机关列表（/bodies/）"),
    ("levels", "the level lists (/levels/)", "层级列表（/levels/）"),
    ("periods", "the period lists (/periods/)", "报告期列表（/periods/）"),
    ("static", "the theme's files (/static/)", "主题文件（/static/）"),
    ("_search", "the static search index (/_search/)", "静态搜索索引（/_search/）"),
    ("api", "the search API that `wenku serve` answers (/api/)", "`wenku serve` 提供的搜索接口（/api/）"),
    (
        "compare",
        "the comparison of any two reports that `wenku serve` answers (/compare/)",
        "`wenku serve` 提供的任意两篇对比（/compare/）",
    ),
    ("__wenku", "live reload (/__wenku/)", "实时刷新（/__wenku/）"),
];

/// The problems of the site's output paths: clashes, and names too long.
pub fn problems(site: &Site, content_dir: &Path) -> Vec<Diagnostic> {
    let plan = site.plan();
    let mut owners: HashMap<String, &Page> = HashMap::with_capacity(plan.len());
    let mut problems = Vec::new();
    let mut clashed = HashSet::new();
    for page in &plan {
        let path = site.rel_path(page);
        if let Some(first) = owners.get(&path) {
            problems.push(clash(site, content_dir, first, page, &format!("/{path}")));
            clashed.insert(path);
        } else {
            owners.insert(path, page);
        }
    }
    problems.extend(case_clashes(site, content_dir, &owners));
    let mut too_long_reported = HashSet::new();
    for (path, page) in &owners {
        // A page needs each folder above it: none may be another page's file.
        for (at, _) in path.match_indices('/') {
            if let Some(file_owner) = owners.get(&path[..at]) {
                problems.push(clash(site, content_dir, file_owner, page, &format!("/{}", &path[..at])));
            }
        }
        if matches!(page, Page::Report(_) | Page::Compare(_))
            && !clashed.contains(path)
            && let Some(first) = path.split('/').next()
            && let Some((_, what, what_zh)) = SITE_NAMES.iter().find(|(name, ..)| name.eq_ignore_ascii_case(first))
        {
            let (file, owner) = describe(site, content_dir, page);
            let problem = Problem::PathTaken { owner, path: (*first).to_owned(), taken_by: both(*what, *what_zh) };
            problems.push(Diagnostic::new(&file, problem));
        }
        if let Some(long) = path.split('/').find(|name| name.len() > MAX_NAME_BYTES)
            && too_long_reported.insert(long)
        {
            let (file, owner) = describe(site, content_dir, page);
            let problem = Problem::NameTooLong { owner, bytes: long.len(), name: shortened(long), max: MAX_NAME_BYTES };
            problems.push(Diagnostic::new(&file, problem));
        }
    }
    // The same order every run, whatever the hash map's.
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    problems
}

/// Paths that differ only in case are one file on Windows and macOS: the
/// site would lose a page when copied there.
fn case_clashes(site: &Site, content_dir: &Path, owners: &HashMap<String, &Page>) -> Vec<Diagnostic> {
    let mut by_folded: HashMap<String, Vec<&str>> = HashMap::new();
    for path in owners.keys() {
        by_folded.entry(path.to_lowercase()).or_default().push(path);
    }
    let mut problems = Vec::new();
    for paths in by_folded.values_mut().filter(|paths| paths.len() > 1) {
        paths.sort();
        let (first, second) = (owners[paths[0]], owners[paths[1]]);
        let (first_file, first_owner) = describe(site, content_dir, first);
        let (second_file, second_owner) = describe(site, content_dir, second);
        let file = if matches!(second, Page::Report(_)) || first_file.as_os_str().is_empty() {
            second_file
        } else {
            first_file
        };
        let problem = Problem::CaseClash {
            first: first_owner,
            first_path: paths[0].to_owned(),
            second: second_owner,
            second_path: paths[1].to_owned(),
        };
        problems.push(Diagnostic::new(&file, problem));
    }
    problems
}

fn clash(site: &Site, content_dir: &Path, first: &Page, second: &Page, path: &str) -> Diagnostic {
    let (first_file, first_owner) = describe(site, content_dir, first);
    let (second_file, second_owner) = describe(site, content_dir, second);
    // Point at a report the user can change; the site's own pages cannot.
    let file =
        if matches!(second, Page::Report(_)) || first_file.as_os_str().is_empty() { second_file } else { first_file };
    Diagnostic::new(&file, Problem::SamePath { first: first_owner, second: second_owner, path: path.to_owned() })
}

/// The file to blame for a page (empty for the site's own pages) and what the
/// page is, in English and in Chinese.
fn describe(site: &Site, content_dir: &Path, page: &Page) -> (PathBuf, Both) {
    let report_file = |i: usize| content_dir.join(&site.library.reports[i].source);
    // Named as the user sees it, whatever folder wenku was started in.
    let shown = |i: usize| Path::new("content").join(&site.library.reports[i].source).display().to_string();
    let site_page = |en: &str, zh: &str| (PathBuf::new(), both(en, zh));
    match page {
        Page::Report(i) => (report_file(*i), both(format!("the report {}", shown(*i)), format!("报告 {} ", shown(*i)))),
        Page::Compare(i) => {
            (report_file(*i), both(format!("the comparison page of {}", shown(*i)), format!("{} 的对比页", shown(*i))))
        }
        Page::TermList { kind, term, .. } => {
            let term = &site.library.taxonomy(*kind).terms[*term];
            let file = term.reports.first().map(|&i| report_file(i)).unwrap_or_default();
            let name = shortened(&term.name);
            (file, both(format!("the {} list of “{name}”", kind.title()), format!("{}“{name}”的列表页", kind.title())))
        }
        Page::TaxonomyIndex(kind) => (
            PathBuf::new(),
            both(format!("the site's {} overview", kind.title()), format!("站点的{}总览页", kind.title())),
        ),
        Page::Home => site_page("the home page", "首页"),
        Page::Search => site_page("the search page", "搜索页"),
        Page::Draft => site_page("the draft check page", "起草核对页"),
        Page::Passages => site_page("the recurring-passages page", "重复段落页"),
        Page::Passage(shard) => {
            (PathBuf::new(), both(format!("the passages page {shard:02x}"), format!("重复段落分页 {shard:02x} ")))
        }
        Page::NotFound => site_page("the 404 page", "404 页"),
        Page::Feed => site_page("the feed", "订阅源"),
        Page::Sitemap => site_page("the sitemap", "站点地图"),
        Page::Review => site_page("the review list", "待核对清单页"),
        Page::Static(path) => {
            (PathBuf::from(path), both(format!("the static file {path}"), format!("静态文件 {path} ")))
        }
    }
}

/// At most 20 characters of a name, for a message.
fn shortened(name: &str) -> String {
    match name.char_indices().nth(20) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    }
}
