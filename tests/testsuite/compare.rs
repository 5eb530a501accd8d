//! Year-over-year comparison pages: a fixture with known edits (a sentence
//! added, one removed, one changed by a character, an unchanged run long
//! enough to fold) and the exact rows the page shows.

use crate::common::TestSite;
use crate::common::site_test::SiteTest;

fn report(site: &TestSite, rel: &str, year: i32, period: &str, text: &str) {
    site.write(
        &format!("content/{rel}"),
        format!("---\ntitle: 某市生态环境局{year}年{period}工作总结\nbody: 某市生态环境局\nlevel: 市级\nyear: {year}\nperiod: {period}\n---\n\n{text}\n"),
    );
}

const UNCHANGED_RUN: &str = "第一句不变。第二句不变。第三句不变。第四句不变。第五句不变。第六句不变。";

/// The rows of the comparison list, as `class: text` with <del>/<ins> kept.
fn rows(html: &str) -> Vec<String> {
    let start = html.find("<ol class=\"diff\">").unwrap();
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    let mut rows = Vec::new();
    for item in list.split("<li class=\"").skip(1) {
        let (class, rest) = item.split_once('"').unwrap();
        let body = rest.trim_start_matches('>');
        let body = body[..body.find("</li>").unwrap_or(body.len())].trim();
        let text = body
            .replace("<span class=\"sign\" aria-label=\"删除\">−</span>", "")
            .replace("<span class=\"sign\" aria-label=\"新增\">+</span>", "")
            .replace("<span class=\"sign\" aria-label=\"原文\">−</span>", "")
            .replace("<span class=\"sign\" aria-label=\"改为\">+</span>", "")
            .replace("<p class=\"old\">", "")
            .replace("<p class=\"new\">", " → ")
            .replace("</p>", "");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        rows.push(format!("{class}: {text}"));
    }
    rows
}

#[test]
fn a_report_is_compared_with_the_same_period_a_year_before() {
    let site = TestSite::new();
    report(
        &site,
        "2020/a.md",
        2020,
        "年度",
        &format!("开头不变。第二句会被删除。第三句改了一个字。结尾不变。\n\n{UNCHANGED_RUN}"),
    );
    report(
        &site,
        "2021/a.md",
        2021,
        "年度",
        &format!("开头不变。第三句改了两个字。新增的一句话。结尾不变。\n\n{UNCHANGED_RUN}"),
    );
    report(&site, "2021/b.md", 2021, "上半年", "上半年的报告。");
    site.build();

    let page = site.page("/2021/a/compare/");
    assert!(
        page.contains(
            "新增 <strong>1</strong> 句 · 删除 <strong>1</strong> 句 · 改动 <strong>1</strong> 句 · 未变 8 句"
        ),
        "{page}"
    );
    let rows = rows(&page);
    assert_eq!(
        rows[..5],
        [
            "same: 开头不变。",
            "removed: <del>第二句会被删除。</del>",
            "changed: 第三句改了<del>一</del>个字。 → 第三句改了<ins>两</ins>个字。",
            "added: <ins>新增的一句话。</ins>",
            "same: 结尾不变。",
        ]
    );
    // Seven unchanged sentences in a row (the end of the first paragraph and
    // all of the second): the first and last shown, five folded.
    assert_eq!(
        rows[5],
        "fold: <details><summary>未改动的 5 句</summary><p class=\"same\">第一句不变。<p class=\"same\">第二句不变。\
         <p class=\"same\">第三句不变。<p class=\"same\">第四句不变。<p class=\"same\">第五句不变。</details>"
    );
    assert_eq!(rows[6], "same: 第六句不变。");
    assert_eq!(rows.len(), 7);

    // Linked from the report; only reports with a predecessor get a page.
    assert!(site.page("/2021/a/").contains("href=\"/2021/a/compare/\">与上一年对比</a>"));
    assert!(!site.page("/2020/a/").contains("与上一年对比"));
    assert!(!site.page("/2021/b/").contains("与上一年对比"), "a half-year report is not compared with an annual one");
    assert!(!site.public().join("2021/b/compare").exists());
}

#[test]
fn the_nearest_earlier_year_is_the_predecessor() {
    let site = TestSite::new();
    // Each year keeps the sentence before and adds its own: close enough to align.
    report(&site, "2018/a.md", 2018, "年度", "共同的句子。二〇一八年的句子。");
    report(&site, "2021/a.md", 2021, "年度", "共同的句子。二〇二一年的句子。");
    report(&site, "2023/a.md", 2023, "年度", "共同的句子。二〇二三年的句子。");
    site.build();
    let page = site.page("/2023/a/compare/");
    assert!(page.contains("2021年 年度：某市生态环境局2021年年度工作总结"), "a gap of years is bridged: {page}");
    assert!(site.page("/2021/a/compare/").contains("2018年 年度"));
}

#[test]
fn a_rewritten_report_gets_one_line_instead_of_a_comparison_page() {
    let site = TestSite::new();
    report(&site, "2020/a.md", 2020, "年度", "甲乙丙丁。戊己庚辛。壬癸子丑。寅卯辰巳。午未申酉。戌亥天地。");
    report(
        &site,
        "2021/a.md",
        2021,
        "年度",
        "春夏秋冬。东南西北。金木水火。上下左右。前后内外。日月星辰。山川河流。风雨雷电。江河湖海。梅兰竹菊。",
    );
    site.build();
    assert!(!site.public().join("2021/a/compare").exists(), "nothing to align: no comparison page");
    let page = site.page("/2021/a/");
    assert!(!page.contains("与上一年对比"), "{page}");
    assert!(
        page.contains("<a href=\"/2020/a/\">某市生态环境局2020年年度工作总结</a>）相同句子 0%"),
        "the report page names the report it rewrote: {page}"
    );
    assert!(!site.page("/sitemap.xml").contains("compare"));
}

#[test]
fn a_comparison_page_comes_and_goes_with_what_the_reports_share() {
    let file = |year: i32, text: &str| {
        format!(
            "---\ntitle: 某市生态环境局{year}年年度工作总结\nbody: 某市生态环境局\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n{text}\n"
        )
    };
    SiteTest::empty()
        .with_file("content/2020/a.md", &file(2020, "甲乙丙丁。戊己庚辛。壬癸子丑。"))
        .with_file("content/2021/a.md", &file(2021, "甲乙丙丁。戊己庚辛。新的一句。"))
        .build()
        .check_page("/2021/a/compare/", "新增 <strong>1</strong> 句")
        .check_page("/2021/a/", "与上一年对比")
        // The predecessor rewritten (watch mode's rebuild): the successor's
        // comparison goes, and its page says why.
        .change_file("content/2020/a.md", &file(2020, "春夏秋冬。东南西北。金木水火。"))
        .check_no_page("/2021/a/compare/")
        .check_page("/2021/a/", "相同句子 0%：重写")
        .same_as_full_build()
        // Brought close again: the page is back.
        .change_file("content/2021/a.md", &file(2021, "春夏秋冬。东南西北。金木水火。新的一句。"))
        .check_page("/2021/a/compare/", "未变 3 句")
        .check_page_lacks("/2021/a/", "重写")
        .same_as_full_build()
        // The predecessor gone: no comparison, no line.
        .remove_file("content/2020/a.md")
        .check_no_page("/2021/a/compare/")
        .check_page_lacks("/2021/a/", "相同句子")
        .same_as_full_build();
}

#[test]
fn new_and_dropped_formulations_show_on_comparisons_and_rewrites() {
    let file = |year: i32, text: &str| {
        format!(
            "---\ntitle: 某市生态环境局{year}年年度工作总结\nbody: 某市生态环境局\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n{text}\n"
        )
    };
    let old = "推进供给侧结构性改革。深化供给侧结构性改革。2019年增长百分之六。";
    // A rewrite: nothing shared but the stock phrase.
    let rewrite = "发展新质生产力，培育新质生产力。壮大新质生产力。2024年增长5%，2024年增长5%。";
    // An edit: most sentences kept, one formulation added twice.
    let edit = "推进供给侧结构性改革。深化供给侧结构性改革。2019年增长百分之六。加快数字政府建设。推进数字政府建设。";
    SiteTest::empty()
        .with_file("content/2023/a.md", &file(2023, old))
        .with_file("content/2024/a.md", &file(2024, rewrite))
        .build()
        .check_no_page("/2024/a/compare/")
        .check_page("/2024/a/", "提法变化：新出现 1 个，不再出现 1 个")
        .check_page("/2024/a/", "新质生产力</a> <span class=\"count\">×3</span>")
        .check_page("/2024/a/", "供给侧结构性改革</a> <span class=\"count\">×2</span>")
        // Each links to its concordance across the archive.
        .check_page("/2024/a/", "href=\"/search/?q=%22%E6%96%B0%E8%B4%A8%E7%94%9F%E4%BA%A7%E5%8A%9B%22&amp;view=kwic\"")
        // Edited instead: a comparison page, with the formulations on top.
        .change_file("content/2024/a.md", &file(2024, edit))
        .check_page("/2024/a/compare/", "提法变化：新出现 1 个，不再出现 0 个")
        .check_page("/2024/a/compare/", "数字政府建设</a>")
        .check_page_lacks("/2024/a/", "提法变化")
        .same_as_full_build()
        // The predecessor edited to say it too: nothing new is left to show.
        .change_file("content/2023/a.md", &file(2023, &format!("{old}加快数字政府建设。加快数字政府建设。")))
        .check_page("/2024/a/compare/", "未变 4 句")
        .check_page_lacks("/2024/a/compare/", "提法变化")
        .same_as_full_build();
}
