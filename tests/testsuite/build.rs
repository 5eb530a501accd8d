//! Building sites and checking what a reader sees: pages at the URLs links
//! point to, lists in order, pagination, overrides, and no broken links.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{TestSite, links, page_file, snapshot};

/// Follows every internal link and anchor of every built HTML page;
/// returns the broken ones. `base` is the site's path prefix.
fn broken_links(public: &Path, base: &str) -> Vec<String> {
    let mut pages: HashMap<std::path::PathBuf, String> = HashMap::new();
    let mut read = |path: &Path| -> Option<String> {
        if !pages.contains_key(path) {
            pages.insert(path.to_path_buf(), std::fs::read_to_string(path).ok()?);
        }
        pages.get(path).cloned()
    };
    let mut broken = Vec::new();
    let html_files: Vec<_> = walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    assert!(!html_files.is_empty());
    for file in &html_files {
        let html = read(file).unwrap();
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else {
                let Some(rel) = path.strip_prefix(base) else {
                    broken.push(format!("{}: {link} is outside the base path {base}", file.display()));
                    continue;
                };
                page_file(public, rel)
            };
            let Some(target_html) = read(&target) else {
                broken.push(format!("{}: {link} → no file {}", file.display(), target.display()));
                continue;
            };
            if let Some(fragment) = fragment {
                let id = percent_encoding::percent_decode_str(&fragment).decode_utf8().unwrap();
                if !target_html.contains(&format!("id=\"{id}\"")) {
                    broken.push(format!("{}: {link} → no anchor #{id}", file.display()));
                }
            }
        }
    }
    broken
}

#[test]
fn the_link_checker_catches_broken_links_and_anchors() {
    let site = TestSite::fixture("minimal");
    site.build();
    site.write("public/index.html", "<a href=\"/nowhere/\">x</a><a href=\"/2020/%E5%9B%BD%E5%8A%A1%E9%99%A2-%E5%B9%B4%E5%BA%A6/#missing\">y</a><a href=\"/2020/国务院-年度/#一回顾\">z</a>");
    let broken = broken_links(&site.public(), "/");
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken[0].contains("/nowhere/") && broken[1].contains("#missing"));
}

#[test]
fn sample_archive_has_no_broken_links_or_anchors() {
    let site = TestSite::sample();
    site.build();
    let broken = broken_links(&site.public(), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn sample_archive_meets_its_brief() {
    let site = TestSite::sample();
    let config = wenku::content::config::Config::load(site.root()).unwrap();
    let library = wenku::content::load(&site.root().join("content"), &config, false).unwrap();
    use wenku::content::TaxonomyKind::*;
    assert!(library.reports.len() >= 24);
    assert!(library.taxonomy(Year).terms.len() >= 4);
    assert!(library.taxonomy(Body).terms.len() >= 5);
    assert!(library.taxonomy(Level).terms.len() >= 3);
    assert!(library.taxonomy(Period).terms.len() >= 3);
    // Wording that recurs across years is what makes search worth having.
    let years_with = |phrase: &str| {
        let mut years: Vec<i32> = library
            .reports
            .iter()
            .filter(|r| r.rendered().plain_text().contains(phrase))
            .filter_map(|r| r.meta.year)
            .collect();
        years.sort();
        years.dedup();
        years
    };
    assert!(years_with("疫情防控").len() >= 3);
    assert!(years_with("打通供应链").len() >= 3);
}

#[test]
fn report_page_shows_metadata_toc_content_and_neighbours() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let page = site.page("/2022/fgw-niandu/");
    assert!(page.contains("<h1>某市发展和改革委员会2022年度工作总结</h1>"));
    assert!(page.contains("<html lang=\"zh-CN\">"));
    for meta in ["某市发展和改革委员会</a>", ">市级</a>", ">2022</a>", ">年度</a>", "datetime=\"2022-12-24"]
    {
        assert!(page.contains(meta), "missing {meta}");
    }
    assert!(page.contains("class=\"toc\""));
    assert!(page.contains("<a href=\"#三打通供应链堵点\">"), "toc links to the Chinese heading id");
    assert!(page.contains("<h3 id=\"三打通供应链堵点\">"));
    assert!(page.contains("<p id=\"p-1\">"), "paragraphs carry anchors");
    // The same body's previous and next annual reports.
    // The half-year report of 2022 is not an annual neighbour.
    assert!(page.contains("rel=\"prev\" href=\"/2021/fgw-niandu/\""), "{page}");
    assert!(page.contains("rel=\"next\" href=\"/2023/fgw-niandu/\""));
}

#[test]
fn body_list_shows_reports_newest_year_first() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let page = site.page("/bodies/某区人大常委会党组/");
    assert!(!page.contains(">2022年</h2>"), "a year without its reports has no heading");
    let positions: Vec<usize> = ["2024年", "2023年", "2021年", "2020年"]
        .iter()
        .map(|y| page.find(&format!(">{y}</h2>")).unwrap_or_else(|| panic!("no {y} heading")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "years out of order: {positions:?}");
    // Within 2023, the annual report comes before the half-year one (the
    // order of `periods` in wenku.yaml), though written later.
    let annual = page.find("某区人大常委会党组2023年度工作总结").unwrap();
    let half = page.find("某区人大常委会党组2023年上半年工作总结").unwrap();
    assert!(annual < half);
}

#[test]
fn pagination_splits_lists_and_links_pages() {
    let site = TestSite::new();
    site.write("wenku.yaml", "paginate: 2\n");
    for year in 2018..=2022 {
        site.report(&format!("{year}.md"), &format!("{year}年总结"), "某局", year, "正文。");
    }
    site.build();
    let first = site.page("/bodies/某局/");
    let second = site.page("/bodies/某局/page/2/");
    let third = site.page("/bodies/某局/page/3/");
    assert!(first.contains("2022年总结") && first.contains("2021年总结") && !first.contains("2020年总结"));
    assert!(second.contains("2020年总结") && second.contains("2019年总结"));
    assert!(third.contains("2018年总结") && !third.contains("2019年总结"));
    assert!(first.contains("rel=\"next\" href=\"/bodies/%E6%9F%90%E5%B1%80/page/2/\""), "{first}");
    assert!(second.contains("rel=\"prev\" href=\"/bodies/%E6%9F%90%E5%B1%80/\""));
    assert!(!site.public().join("bodies/某局/page/4").exists());
    assert!(!site.public().join("bodies/某局/page/1").exists(), "page 1 lives at the term's own URL");
    assert!(broken_links(&site.public(), "/").is_empty());
}

#[test]
fn home_page_has_counts_newest_and_year_body_grid() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let home = site.page("/");
    assert!(home.contains("<strong>10</strong> 篇报告"), "report count on the home page");
    assert!(home.contains("按机关与年份"));
    // A grid cell links to the body's list at that year's heading
    // (某区人大常委会党组, percent-encoded).
    let renda = "/bodies/%E6%9F%90%E5%8C%BA%E4%BA%BA%E5%A4%A7%E5%B8%B8%E5%A7%94%E4%BC%9A%E5%85%9A%E7%BB%84/";
    assert!(home.contains(&format!("href=\"{renda}#y2023\"")), "{home}");
    assert!(!home.contains(&format!("href=\"{renda}#y2022\"")), "no cell links to a year the body has no report in");
    let newest = &home[home.find("最新报告").unwrap()..];
    let first_item = &newest[newest.find("report-link").unwrap()..];
    let first_item: String = first_item.chars().take(200).collect();
    assert!(first_item.contains("2024"), "the newest report comes first: {first_item}");
}

#[test]
fn indexes_of_all_taxonomies_with_counts() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let bodies = site.page("/bodies/");
    let renda = &bodies[bodies.find("某区人大常委会党组</a>").expect("the body is listed")..];
    let renda = &renda[..renda.find("</li>").unwrap_or(renda.len())];
    assert!(renda.contains("<span class=\"count\">5 篇</span>"), "{renda}");
    assert!(renda.contains("2020–2024"), "a body's span of years: {renda}");
    let fgw = &bodies[bodies.find("某市发展和改革委员会</a>").expect("the body is listed")..];
    assert!(fgw[..fgw.find("</li>").unwrap_or(fgw.len())].contains("2020–2023"), "{fgw}");
    let years = site.page("/years/");
    assert!(years.find(">2024年<").unwrap() < years.find(">2020年<").unwrap());
    assert!(site.page("/levels/").contains("区县级"));
    let half_year = site.page("/periods/上半年/");
    assert!(half_year.contains("2022年上半年工作总结") && half_year.contains("2023年上半年工作总结"));
    assert!(!half_year.contains("年度工作总结"), "{half_year}");
}

#[test]
fn site_with_only_content_builds_with_the_built_in_theme_and_skips_drafts() {
    let site = TestSite::fixture("minimal");
    site.build();
    assert!(site.public().join("static/style.css").exists());
    assert!(site.page("/2020/国务院-年度/").contains("统筹推进疫情防控和经济社会发展"));
    assert!(!site.public().join("2021/草稿").exists(), "drafts are skipped");
    assert!(site.page("/404.html").contains("页面不存在"));
    assert!(site.run(&["build", "--drafts"]).success);
    assert!(site.page("/2021/草稿/").contains("草稿内容"));
}

#[test]
fn site_templates_and_static_override_the_theme_under_a_sub_path() {
    let site = TestSite::fixture("overrides");
    site.build();
    let page = site.page("/a/");
    assert!(page.contains("<h1 class=\"custom-report\">覆盖模板的报告</h1>"), "site template wins");
    assert!(page.contains("href=\"/archive/static/style.css\""), "theme base template still used, under the sub-path");
    assert!(page.contains("<html lang=\"zh-TW\">"));
    assert!(page.contains("正文&lt;em&gt;原样&lt;/em&gt;"), "raw HTML is escaped by default");
    assert!(site.public().join("static/extra.css").exists());
    assert!(broken_links(&site.public(), "/archive/").is_empty(), "{:?}", broken_links(&site.public(), "/archive/"));
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://intranet.example/archive/a/</loc>"));
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(feed.contains("<title>覆盖模板的报告</title>"));
    assert!(feed.contains("<link href=\"https://intranet.example/archive/a/\"/>"));
}

#[test]
fn allow_html_passes_raw_html_through() {
    let site = TestSite::fixture("overrides");
    site.write("wenku.yaml", "allow_html: true\n");
    site.build();
    assert!(site.page("/a/").contains("正文<em>原样</em>"));
}

#[test]
fn feed_and_sitemap_list_the_reports() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    assert!(feed.starts_with("<?xml"));
    assert_eq!(feed.matches("<entry>").count(), 4, "the fixture's feed_limit");
    let newest = ["2024年工作要点", "2023年度工作总结", "2023年度工作总结", "2023年上半年"];
    let mut rest = feed.as_str();
    for title in newest {
        let at = rest.find(title).unwrap_or_else(|| panic!("{title} missing or out of order in the feed:\n{feed}"));
        rest = &rest[at + title.len()..];
    }
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let reports = sitemap.lines().filter(|l| l.contains("<loc>/20") && !l.contains("/compare/")).count();
    assert_eq!(reports, 10, "every report: {sitemap}");
    assert!(sitemap.contains("<loc>/2022/fgw-niandu/</loc>"));
    assert!(sitemap.contains("<loc>/bodies/%E6%9F%90%E5%8C%BA"), "Chinese URLs are percent-encoded");
}

#[test]
fn init_creates_a_site_that_builds() {
    let site = TestSite::new();
    assert!(site.run(&["init", "新站"]).success);
    let run = site.run(&["build", "--root", "新站"]);
    assert!(run.success, "{}", run.stderr);
    assert!(site.root().join("新站/public/index.html").exists());
    assert!(!site.run(&["init", "新站"]).success, "init never overwrites");
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::fixture("two-bodies");
    let run = site.run(&["check"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("checked 10 reports"), "{}", run.stderr);
    assert!(!site.public().exists());
}

#[test]
fn build_prints_a_summary_and_honours_output() {
    let site = TestSite::fixture("two-bodies");
    let run = site.run(&["build", "--output", "out"]);
    assert!(run.success);
    assert!(run.stderr.contains("built 10 reports into"), "{}", run.stderr);
    assert!(site.root().join("out/index.html").exists());
    assert!(!site.run(&["build", "--output", "."]).success, "never replace the site itself");
    assert!(!site.run(&["build", "--output", "content"]).success);
    assert!(site.root().join("content/2020").exists());
}

#[test]
fn pages_make_no_external_requests() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    for entry in walkdir::WalkDir::new(site.public()).into_iter().flatten() {
        if entry.path().extension().is_some_and(|x| x == "html" || x == "css") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for marker in ["src=\"http", "href=\"http", "url(http", "@import"] {
                assert!(!text.contains(marker), "{} loads something external ({marker})", entry.path().display());
            }
        }
    }
}

#[test]
fn never_replaces_a_folder_it_did_not_write() {
    let site = TestSite::fixture("two-bodies");
    site.write("mine/notes.txt", "keep me");
    let run = site.run(&["build", "--output", "mine"]);
    assert!(!run.success);
    assert!(run.stderr.contains("did not write"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(site.root().join("mine/notes.txt")).unwrap(), "keep me");
}

#[test]
fn rebuilding_gives_identical_bytes() {
    let a = TestSite::fixture("two-bodies");
    a.build();
    let first = snapshot(&a.public());
    a.build();
    assert_eq!(first, snapshot(&a.public()));
}

#[test]
fn a_year_page_names_its_year_once() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let page = site.page("/years/2021/");
    assert_eq!(page.matches("2021年</h").count(), 1, "{page}");
    // A body's list still heads each year.
    let bodies = site.page("/bodies/");
    let body = links(&bodies).into_iter().find(|l| l.starts_with("/bodies/") && l.len() > 8).unwrap();
    assert!(site.page(&body).contains("<h2 id=\"y"));
}

#[test]
fn the_review_note_names_fields_in_the_sites_language() {
    let site = TestSite::new();
    site.write(
        "content/x.md",
        "---\ntitle: 待核对的报告\nbody: 某局\nlevel: 市级\nyear: 2020\nperiod: 年度\nreview: [title, body, year]\n---\n\n正文。\n",
    );
    site.build();
    assert!(site.page("/x/").contains("待核对：标题、发文机关、年份"), "{}", site.page("/x/"));
    site.write("wenku.yaml", "language: en\n");
    site.build();
    assert!(site.page("/x/").contains("title、body、year"));
}

#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn the_real_archive_has_no_broken_links_or_anchors() {
    let site = TestSite::real_archive("title: 政府工作报告文库\nbase_url: /archive/\n");
    let broken = broken_links(&site.public(), "/archive/");
    assert!(
        broken.is_empty(),
        "{} broken links, the first:\n{}",
        broken.len(),
        broken[..broken.len().min(20)].join("\n")
    );
}

/// A few pages of a small site, byte for byte, as snapshots (`snapshots/`):
/// a change to what a reader sees, from the templates to the Markdown, is
/// a diff to review (`cargo insta review`).
#[test]
fn a_few_pages_read_as_reviewed() {
    let site = TestSite::fixture("minimal");
    site.build();
    for (name, url) in [
        ("home", "/"),
        ("report", "/2021/国务院-年度/"),
        ("comparison", "/2021/国务院-年度/compare/"),
        ("year", "/years/2021/"),
    ] {
        insta::assert_snapshot!(format!("page_{name}"), site.page(url));
    }
}
