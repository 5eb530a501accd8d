//! Recurring passages: a fixture with a paragraph copied into three reports
//! (one copy with a character changed), a paragraph repeated within one
//! report only, a short one that recurs, and unrelated text; the exact
//! markers and the passages page.

use crate::common::TestSite;

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

/// A passage in more reports than a marker names: the marker's "all" link
/// opens the passage's own page, which lists exactly the places counted.
#[test]
fn a_marker_leads_to_exactly_the_places_it_counts() {
    let site = TestSite::new();
    let bodies = ["某市财政局", "某市商务局", "某县农业农村局", "某县教育局", "某区民政局", "某区司法局"];
    for (i, body) in bodies.iter().enumerate() {
        let own = format!("本单位第{i}项工作：全年完成各项目标任务，群众满意度持续提升，工作作风明显转变，成效显著。");
        report(&site, &format!("{}/r{i}", 2015 + i), body, 2015 + i as i32, &[COPIED, &own]);
    }
    // Another passage opening with the same words, in two other reports:
    // a search for the opening words would find these too.
    let similar =
        "坚持以人民为中心的发展思想，扎实推进共同富裕，加快补齐民生短板，人民群众获得感幸福感安全感不断增强。";
    report(&site, "2023/x", "某镇人民政府", 2023, &[similar]);
    report(&site, "2024/y", "某街道办事处", 2024, &[similar]);
    site.build();

    let page = site.page("/2015/r0/");
    let marker = &markers(&page)[0];
    assert_eq!(marker.1[0], "另见 5 篇报告");
    assert_eq!(marker.1.last().unwrap(), "全部 5 篇", "{:?}", marker.1);
    let link = page.split("\">全部 5 篇").next().unwrap().rsplit("href=\"").next().unwrap().to_owned();
    assert!(link.starts_with("/passages/") && !link.contains("search"), "{link}");
    // The link leads to the passage's section of a page of such passages.
    let (page_url, fragment) = link.split_once('#').expect("a link to the passage's section");
    let passage = site.page(page_url);
    let section = passage
        .split(&format!("<section class=\"passage-page\" id=\"{fragment}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("no section {fragment}: {passage}"));
    let section = section.split("</section>").next().unwrap();
    let places: Vec<&str> = section
        .split("<ol class=\"passage-places\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap()
        .split("<li>")
        .skip(1)
        .collect();
    assert_eq!(places.len(), 6, "every report the passage is in: {passage}");
    for (i, body) in bodies.iter().enumerate() {
        let url = format!("/{}/r{i}/#p-1", 2015 + i);
        assert!(places.iter().any(|p| p.contains(&url) && p.contains(body)), "{url} is listed: {section}");
    }
    assert!(!section.contains("某镇人民政府"), "only the places the marker counted");
    // A page a marker opens, not one to find: the sitemap leaves it out.
    assert!(!std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap().contains("/passages/0"));
}

/// A report made mostly of recurring text: only the passages that reach
/// another body's reports keep their markers.
#[test]
fn markers_are_quieter_where_most_paragraphs_recur() {
    let site = TestSite::new();
    let stock: Vec<String> = (0..4)
        .map(|i| format!("第{i}条：严格落实党风廉政建设责任制，持续加强作风建设，坚决纠治形式主义官僚主义，营造风清气正的政治生态。"))
        .collect();
    let stock: Vec<&str> = stock.iter().map(String::as_str).collect();
    // Two reports of one body share four paragraphs; one of them also
    // shares a paragraph with another body.
    report(&site, "2020/a", "某市财政局", 2020, &[&[COPIED][..], &stock].concat());
    report(&site, "2021/a", "某市财政局", 2021, &stock);
    report(
        &site,
        "2021/b",
        "某市商务局",
        2021,
        &[COPIED, "外贸进出口总额再创新高，利用外资结构不断优化，消费市场加快回暖升温。"],
    );
    site.build();
    let marked: Vec<String> = markers(&site.page("/2020/a/")).into_iter().map(|(p, _)| p).collect();
    assert_eq!(marked, [COPIED.to_owned()], "only the passage another body shares is marked");
    // Where few paragraphs recur, every recurring one keeps its marker.
    assert_eq!(markers(&site.page("/2021/b/")).len(), 1);
}
