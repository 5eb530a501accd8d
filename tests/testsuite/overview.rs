//! The overview on the year and body pages: a year's new formulations
//! against the five years before, a body's key formulations against all
//! other bodies. Planted wording on a small site, then every row of the
//! real archive checked against a plain scan of its reports.

use std::collections::BTreeMap;

use wenku::analysis::stats;
use wenku::search::analyzer::{Class, classify, normalize};

use crate::common::TestSite;

/// The rows of a page's overview, as `text reports篇 count次 [elsewhere]`.
fn overview_rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ol class=\"overview-list\">") else { return Vec::new() };
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|item| {
            let text: String = item.split('<').map(|piece| piece.rsplit('>').next().unwrap_or("")).collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn report(site: &TestSite, rel: &str, body: &str, year: i32, text: &str) {
    site.report(rel, &format!("{body}{year}年工作总结"), body, year, text);
}

#[test]
fn a_year_page_lists_what_its_reports_repeat_and_the_five_years_before_never_said() {
    let site = TestSite::new();
    let stock = "坚持稳中求进工作总基调，推动经济社会持续健康发展。";
    // 2013 is more than five years before 2020: its wording counts as new again.
    report(&site, "2013/a.md", "甲局", 2013, &format!("{stock}全面深化改革开放。"));
    for year in 2015..=2019 {
        report(&site, &format!("{year}/a.md"), "甲局", year, &format!("{stock}加快转变发展方式。"));
    }
    report(
        &site,
        "2020/a.md",
        "甲局",
        2020,
        &format!("{stock}培育新质生产力，发展新质生产力。全面深化改革开放。加快转变发展方式。"),
    );
    report(&site, "2020/b.md", "乙局", 2020, "壮大新质生产力，用好新质生产力。全面深化改革开放。");
    site.build();

    let page = site.page("/years/2020/");
    let rows = overview_rows(&page);
    assert_eq!(rows, ["新质生产力 2 篇 · 4 次", "全面深化改革开放 2 篇 · 2 次"], "{page}");
    assert!(page.contains("2015—2019 年的 5 篇报告从未用过"), "the reference is named: {page}");
    assert!(page.contains("q=%22%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B%22"), "each links to its concordance");
    assert!(page.contains("view=keywords"), "and the page to the keyness view");

    let first = site.page("/years/2013/");
    assert!(first.contains("文库中没有 2008—2012 年的报告，无从比较"), "{first}");
    assert!(overview_rows(&first).is_empty());
}

#[test]
fn a_body_page_lists_what_it_says_more_than_all_other_bodies() {
    let site = TestSite::new();
    let shared = "坚持以人民为中心的发展思想，推动高质量发展。";
    for year in 2020..=2022 {
        report(
            &site,
            &format!("{year}/gd.md"),
            "广东省人民政府",
            year,
            &format!("{shared}推进粤港澳大湾区建设，粤港澳大湾区融合发展，粤港澳大湾区互联互通。"),
        );
        report(&site, &format!("{year}/sh.md"), "上海市人民政府", year, &format!("{shared}{shared}建设五个中心。"));
    }
    site.build();

    let guangdong = overview_rows(&site.page("/bodies/广东省人民政府/"));
    assert_eq!(
        guangdong.first().map(String::as_str),
        Some("粤港澳大湾区 3 篇 · 9 次 · 其他机关 0 次"),
        "{guangdong:?}"
    );
    assert!(!guangdong.iter().any(|row| row.starts_with("推动高质量发展")), "shared wording is not key: {guangdong:?}");
    let shanghai = overview_rows(&site.page("/bodies/上海市人民政府/"));
    assert!(!shanghai.iter().any(|row| row.contains("粤港澳")), "{shanghai:?}");
}

#[test]
fn formulations_false_leaves_the_pages_without_them() {
    let site = TestSite::new();
    site.write("wenku.yaml", "title: 文库\nformulations: false\n");
    report(&site, "2019/a.md", "甲局", 2019, "加快转变发展方式。");
    report(&site, "2020/a.md", "甲局", 2020, "培育新质生产力，发展新质生产力。");
    site.build();
    assert!(!site.page("/years/2020/").contains("本年新提法"));
    assert!(!site.page("/bodies/甲局/").contains("关键提法"));
}

/// A publish finds the overview again from the parts of the last one: the
/// years and bodies whose reports did not change keep theirs, and a phrase
/// that became a body's candidate is counted only in the reports the
/// search index says may hold it. The result must be the overview found
/// from nothing, with the index's help and without it.
#[test]
fn an_overview_found_again_from_its_parts_equals_one_found_from_nothing() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use wenku::analysis::overview::{OverviewParts, overview};

    let site = TestSite::sample();
    site.build();
    let before = wenku::build::load(site.root(), false).expect("the sample loads");
    assert!(!before.overview.years.values().all(|y| y.rows.is_empty()), "the sample has new formulations");
    assert!(!before.overview.bodies.values().all(|b| b.rows.is_empty()), "and key formulations");

    // A body's new wording, repeated, in two reports of its newest year;
    // an old year's report edited; one removed.
    let new_wording = "推进数字乡村试点示范。".repeat(6);
    report(&site, "2024/new.md", "某县农业农村局", 2024, &format!("{new_wording}坚持稳中求进。"));
    report(&site, "2024/new2.md", "某县农业农村局", 2024, &format!("一是{new_wording}"));
    let edited = site.root().join("content/2021/qu-renda-niandu.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{text}\n\n深化人大代表联络站建设，深化人大代表联络站建设。\n")).unwrap();
    std::fs::remove_file(site.root().join("content/2022/shi-shengtai-niandu.md")).unwrap();
    // The index the holders are asked of is current.
    site.build();
    let now = wenku::build::load(site.root(), false).expect("the edited sample loads");
    assert!(
        now.overview.bodies["某县农业农村局"].rows.iter().any(|row| row.text.contains("数字乡村")),
        "the new wording is a key formulation: {:?}",
        now.overview.bodies["某县农业农村局"]
    );

    let index = wenku::search::searcher::SearchIndex::open(&site.root().join("search-index")).unwrap();
    let asked = AtomicUsize::new(0);
    let holders = |phrases: &[String]| {
        asked.fetch_add(1, Ordering::Relaxed);
        index.may_hold_any(&now.library, &now.config, phrases)
    };
    let never = AtomicBool::new(false);
    let (again, parts) = overview(&now.library, &before.overview_parts, Some(&holders), None, &never).unwrap();
    assert_eq!(again, now.overview, "found again with the index's help");
    assert_eq!(asked.load(Ordering::Relaxed), 1, "a phrase that became a candidate was looked up");
    let (again, _) = overview(&now.library, &before.overview_parts, None, None, &never).unwrap();
    assert_eq!(again, now.overview, "found again without it");
    // And once more from the parts just found: nothing changed.
    let (again, _) = overview(&now.library, &parts, Some(&holders), None, &never).unwrap();
    assert_eq!(again, now.overview, "found again from its own parts");
    assert_eq!(asked.load(Ordering::Relaxed), 1, "with nothing to look up");
    let (from_nothing, _) = overview(&now.library, &OverviewParts::default(), None, None, &never).unwrap();
    assert_eq!(from_nothing, now.overview);

    // The windows of the newest years kept by the first overview: the
    // years whose reports did not change are read from there.
    let kept = Windows::default();
    overview(&before.library, &OverviewParts::default(), None, Some(&kept), &never).unwrap();
    assert!(!kept.files.lock().unwrap().is_empty(), "the first overview kept windows");
    let (again, _) = overview(&now.library, &before.overview_parts, Some(&holders), Some(&kept), &never).unwrap();
    assert_eq!(again, now.overview, "found again with windows kept");
    assert!(kept.read.load(Ordering::Relaxed) > 0, "some kept windows were used");
}

/// Windows kept in memory, counting those read back.
#[derive(Default)]
struct Windows {
    files: std::sync::Mutex<std::collections::HashMap<(i32, u64), Vec<u8>>>,
    read: std::sync::atomic::AtomicUsize,
}

impl wenku::analysis::overview::KeptWindows for Windows {
    fn get(&self, year: i32, digest: u64) -> Option<Vec<u8>> {
        let bytes = self.files.lock().unwrap().get(&(year, digest)).cloned()?;
        self.read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(bytes)
    }

    fn keep(&self, year: i32, digest: u64, bytes: &[u8], oldest: i32) {
        let mut files = self.files.lock().unwrap();
        files.retain(|&(kept, _), _| kept >= oldest && kept != year);
        files.insert((year, digest), bytes.to_vec());
    }
}

/// A report's text as the overview reads it: Han characters, the one after
/// an Arabic number left out (its unit), everything else a break.
fn han_runs(text: &str) -> String {
    let mut runs = String::new();
    let mut after_digit = false;
    for c in normalize(text).chars() {
        runs.push(if classify(c) == Class::Cjk && !after_digit { c } else { '\0' });
        after_digit = c.is_ascii_digit();
    }
    runs
}

fn occurrences(runs: &str, phrase: &str) -> u32 {
    runs.char_indices().filter(|(at, _)| runs[*at..].starts_with(phrase)).count() as u32
}

#[test]
#[ignore = "needs ../shared/corpus (CI runs it)"]
fn every_row_of_the_real_archive_agrees_with_a_plain_scan_of_its_reports() {
    let site = TestSite::real_archive("title: 政府工作报告文库\n");
    let loaded = wenku::build::load(site.root(), false).expect("the site loads");
    let reports: Vec<(Option<i32>, String, String)> = loaded
        .library
        .reports
        .iter()
        .map(|r| {
            let text: Vec<String> = r.rendered().blocks.iter().map(|b| b.text.clone()).collect();
            (r.meta.year, r.meta.body_label().to_owned(), han_runs(&text.join("\n")))
        })
        .collect();
    let overview = &loaded.overview;

    let mut checked = 0;
    for (&year, new) in &overview.years {
        for row in &new.rows {
            let in_year: Vec<u32> =
                reports.iter().filter(|r| r.0 == Some(year)).map(|r| occurrences(&r.2, &row.text)).collect();
            assert_eq!(row.count, in_year.iter().sum::<u32>(), "{year} {}", row.text);
            assert_eq!(row.reports as usize, in_year.iter().filter(|&&n| n > 0).count(), "{year} {}", row.text);
            let before = reports.iter().filter(|r| r.0.is_some_and(|y| (new.from..=new.to).contains(&y)));
            assert!(before.clone().all(|r| occurrences(&r.2, &row.text) == 0), "{year}: {} was said before", row.text);
            assert_eq!(new.reference_reports, before.count());
            checked += 1;
        }
    }
    assert!(checked > 100, "the real archive has new formulations in most years: {checked}");

    let size = |runs: &str| runs.chars().filter(|&c| c != '\0').count() as u64;
    let mut by_body: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
    for (_, body, runs) in &reports {
        let entry = by_body.entry(body).or_default();
        entry.0 += size(runs);
        entry.1 += 1;
    }
    let total: u64 = by_body.values().map(|v| v.0).sum();
    let mut listed = 0;
    for (body, keys) in &overview.bodies {
        let (body_size, body_reports) = by_body[body.as_str()];
        for row in &keys.rows {
            let count_in = |mine: bool| {
                reports.iter().filter(move |r| (r.1 == *body) == mine).map(|r| occurrences(&r.2, &row.text))
            };
            assert_eq!(row.count, count_in(true).sum::<u32>(), "{body} {}", row.text);
            assert_eq!(row.elsewhere, count_in(false).sum::<u32>(), "{body} {}", row.text);
            assert_eq!(row.reports as usize, count_in(true).filter(|&n| n > 0).count(), "{body} {}", row.text);
            assert!(row.reports as usize >= body_reports.min(2));
            let (a, b) = (row.count as u64, row.elsewhere as u64);
            let rest = total - body_size;
            assert!((row.log_likelihood - stats::log_likelihood(a, body_size, b, rest)).abs() < 1e-9);
            assert!(stats::log_ratio(a, body_size, b, rest) > 0.0, "{body} {} is used more here", row.text);
            listed += 1;
        }
        let scores: Vec<f64> = keys.rows.iter().map(|r| r.log_likelihood).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{body}: by log-likelihood");
    }
    assert!(listed > 200, "most bodies have key formulations: {listed}");
}

#[test]
fn a_body_page_links_to_keyness_against_every_other_body() {
    let site = TestSite::new();
    for year in 2020..=2022 {
        report(&site, &format!("{year}/a.md"), "甲局", year, "推进粤港澳大湾区建设，粤港澳大湾区融合发展。");
        report(&site, &format!("{year}/b.md"), "乙局", year, "推动高质量发展。");
    }
    report(&site, "2022/c.md", "丙局", 2022, "推动高质量发展。");
    site.build();
    assert!(site.page("/bodies/甲局/").contains("ref=%2Dbody%3A%22%E7%94%B2%E5%B1%80%22"), "the link's reference");
    // The reference a part is given by what it leaves out: every other body.
    let run = site.run(&["keywords", "--target", "body:\"甲局\"", "--reference", "-body:\"甲局\"", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((json["target_reports"].as_u64(), json["reference_reports"].as_u64()), (Some(3), Some(4)));
    assert_eq!(json["rows"][0]["text"], "粤港澳大湾区", "{json}");
}
