//! Recurring passages: a fixture with a paragraph copied into three reports
//! (one copy with a character changed), a paragraph repeated within one
//! report only, a short one that recurs, and unrelated text; the exact
//! markers and the passages page.

mod common;

use common::TestSite;

const COPIED: &str = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入稳步增长，基本公共服务水平不断提高，社会保障体系更加健全。";
const NEARLY: &str = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入较快增长，基本公共服务水平不断提高，社会保障体系更加健全。";
const OWN: &str =
    "本局全年开展执法检查二十余次，查处各类违法案件一百余起，罚没款项全部上缴国库，执法规范化水平明显提升。";
const SHORT: &str = "现将有关情况报告如下：";

fn report(site: &TestSite, rel: &str, body: &str, year: i32, paragraphs: &[&str]) {
    site.write(
        &format!("content/{rel}.md"),
        format!(
            "---\ntitle: {body}{year}年工作总结\nbody: {body}\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n{}\n",
            paragraphs.join("\n\n")
        ),
    );
}

fn fixture() -> TestSite {
    let site = TestSite::new();
    report(
        &site,
        "2020/a",
        "某市财政局",
        2020,
        &[SHORT, COPIED, "财政收入完成预算的百分之一百零二，支出结构持续优化，重点领域保障有力。"],
    );
    report(
        &site,
        "2021/b",
        "某市商务局",
        2021,
        &[SHORT, "外贸进出口总额再创新高，利用外资结构不断优化，消费市场加快回暖升温。", COPIED],
    );
    report(&site, "2022/c", "某县农业农村局", 2022, &[SHORT, NEARLY, OWN, OWN]);
    report(
        &site,
        "2022/d",
        "某县教育局",
        2022,
        &[SHORT, "新建改扩建中小学校舍五所，新增学位三千个，义务教育优质均衡发展取得新进展。"],
    );
    site.build();
    site
}

/// Each marker of a page as the paragraph it follows and its items, with
/// tags removed: `2021年 某市商务局2021年工作总结`.
fn markers(html: &str) -> Vec<(String, Vec<String>)> {
    let strip = |s: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    };
    let mut out = Vec::new();
    for (before, marker) in
        html.split("<details class=\"passage\">").zip(html.split("<details class=\"passage\">").skip(1))
    {
        let paragraph = before.rsplit("<p id=\"").next().unwrap();
        let paragraph = strip(&format!("<p id=\"{paragraph}")).trim().to_owned();
        let marker = &marker[..marker.find("</details>").unwrap()];
        let summary = strip(&marker[..marker.find("</summary>").unwrap()]);
        let mut items = vec![summary];
        items.extend(marker.split("<li>").skip(1).map(|li| strip(li).trim().to_owned()));
        out.push((paragraph, items));
    }
    out
}

#[test]
fn a_copied_paragraph_names_the_other_reports_it_is_in() {
    let site = fixture();
    assert_eq!(
        markers(&site.page("/2020/a/")),
        [(
            COPIED.to_owned(),
            vec![
                "另见 2 篇报告".to_owned(),
                "2021年 某市商务局2021年工作总结".to_owned(),
                "2022年 某县农业农村局2022年工作总结（文字略有不同）".to_owned(),
            ]
        )]
    );
    assert_eq!(
        markers(&site.page("/2022/c/")),
        [(
            NEARLY.to_owned(),
            vec![
                "另见 2 篇报告".to_owned(),
                "2020年 某市财政局2020年工作总结（文字略有不同）".to_owned(),
                "2021年 某市商务局2021年工作总结（文字略有不同）".to_owned(),
            ]
        )]
    );
    // Links go to the paragraph itself.
    assert!(site.page("/2022/c/").contains("href=\"/2021/b/#p-3\""));
    // Short paragraphs, text within one report only and unrelated reports: no marker.
    assert_eq!(markers(&site.page("/2022/d/")), []);
}

#[test]
fn the_passages_page_lists_each_recurring_passage_with_its_spread() {
    let site = fixture();
    let page = site.page("/passages/");
    assert_eq!(page.matches("<blockquote>").count(), 1, "one passage recurs: {page}");
    assert!(page.contains(&format!("<blockquote>{COPIED}</blockquote>")), "the most common wording is shown");
    assert!(page.contains("<strong>3</strong> 篇报告 · 3 个机关 · 2020–2022年 · 2 种写法"), "{page}");
    assert!(page.contains("<span>2020</span><span>2021</span><span>2022</span>"), "{page}");
    for body in ["某市财政局", "某市商务局", "某县农业农村局"] {
        assert!(page.contains(&format!("{body}</a>（1）")), "{body} is listed: {page}");
    }
    assert!(site.page("/").contains("href=\"/passages/\""), "the site's navigation links to it");
}

#[test]
fn recurring_passages_can_be_turned_off() {
    let site = fixture();
    site.write("wenku.yaml", "recurring_passages: false\ncompare_pages: false\n");
    site.build();
    assert!(!site.public().join("passages").exists());
    assert_eq!(markers(&site.page("/2020/a/")), []);
    assert!(!site.page("/").contains("href=\"/passages/\""));
}

#[test]
fn wenku_passages_lists_them_on_the_command_line() {
    let site = fixture();
    // Turned off for the site, the command still finds them.
    site.write("wenku.yaml", "recurring_passages: false\n");
    let run = site.run(&["passages", "--limit", "5"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "1 passages recur in 4 reports (paragraphs of at least 30 characters, the same or nearly)\n\n  1. 3 reports, 3 bodies, 2020–2022, 2 wordings\n     {COPIED}\n"
        )
    );
}

#[test]
fn the_passages_page_says_how_many_bodies_it_leaves_out() {
    let site = TestSite::new();
    for i in 0..10 {
        site.report(
            &format!("r{i}.md"),
            &format!("第{i}局2021年工作总结"),
            &format!("第{i}局"),
            2021,
            "全面贯彻落实党的二十大精神，坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。",
        );
    }
    site.build();
    let page = site.page("/passages/");
    assert!(page.contains("10 个机关"), "{page}");
    assert!(page.contains("另有 2 个机关未列出"), "{page}");
}
