//! `wenku import`: each encoding, each kind of clutter (every removed line
//! on record), a Word file with headings, a list and a table, a file with
//! no year, names build reads, safety (dry run, no overwrite, re-import,
//! --force, broken and unsupported files), `init`'s example report, and the
//! real corpus built after import. `import_truth` judges the result on real
//! material.

use std::path::Path;

use crate::common::TestSite;

fn import(site: &TestSite, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    site.run(&all)
}

/// The imported reports, by file name, with their text.
fn imported(site: &TestSite) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site.root()).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn field<'a>(text: &'a str, name: &str) -> &'a str {
    let prefix = format!("{name}:");
    let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {name} in:\n{text}"));
    line[prefix.len()..].trim().trim_matches('"')
}

const REPORT: &str = "某区人大常委会党组2020年度工作总结\n\n一、主要工作\n今年以来，我们统筹推进疫情防控和经济社会发展，各项工作取得新进展。\n（一）加强学习\n全年组织集体学习12次。\n";

#[test]
fn every_encoding_is_read() {
    let site = TestSite::new();
    let inputs = site.root().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let utf16 = |le: bool| -> Vec<u8> {
        let bom: [u8; 2] = if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
        let units = REPORT.encode_utf16().flat_map(move |u| if le { u.to_le_bytes() } else { u.to_be_bytes() });
        bom.into_iter().chain(units).collect()
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.txt", REPORT.as_bytes().to_vec()),
        ("utf8-bom.txt", [b"\xEF\xBB\xBF".as_slice(), REPORT.as_bytes()].concat()),
        ("utf16le.txt", utf16(true)),
        ("utf16be.txt", utf16(false)),
        ("gbk.txt", encoding_rs::GBK.encode(REPORT).0.into_owned()),
        ("gb18030.txt", encoding_rs::GB18030.encode(&REPORT.replace("今年", "今年㐀")).0.into_owned()),
        ("windows.txt", REPORT.replace('\n', "\r\n").into_bytes()),
    ];
    for (name, bytes) in &files {
        std::fs::write(inputs.join(name), bytes).unwrap();
    }
    let run = import(&site, &["inputs", "--force"]);
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    for (encoding, name) in [("UTF-8", "utf8"), ("UTF-16LE", "utf16le"), ("UTF-16BE", "utf16be"), ("GB18030", "gbk")] {
        assert!(run.stdout.contains(&format!("{name}.txt ({encoding})")), "{name} read as {encoding}:\n{}", run.stdout);
    }
    let reports = imported(&site);
    assert_eq!(reports.len(), files.len(), "{reports:?}");
    for (path, text) in &reports {
        assert_eq!(field(text, "title"), "某区人大常委会党组2020年度工作总结", "{path}");
        assert_eq!(field(text, "body"), "某区人大常委会党组", "{path}");
        assert_eq!(field(text, "year"), "2020", "{path}");
        assert_eq!(field(text, "period"), "年度", "{path}");
        assert_eq!(field(text, "level"), "区县级", "{path}");
        assert!(text.contains("## 一、主要工作\n"), "{path}:\n{text}");
        assert!(text.contains("### （一）加强学习\n"), "{path}:\n{text}");
        assert!(text.contains("统筹推进疫情防控和经济社会发展"), "{path}");
        assert!(!text.contains('\r'), "{path}");
    }
    assert!(site.run(&["build"]).success);
}

#[test]
fn clutter_goes_and_every_sentence_stays() {
    let site = TestSite::new();
    let inputs = site.root().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let sentences = [
        "一年来，某市生态环境局坚持以习近平新时代中国特色社会主义思想为指导，各项工作取得新进展。",
        "全市细颗粒物（PM2.5）平均浓度下降到36微克/立方米，空气质量优良天数比率达到87%。",
        "持续关注群众身边的生态环境问题，开通微信举报渠道，全年办结投诉1200件。",
        "李克强所作的政府工作报告，明确了全年目标任务。",
    ];
    // Three files of one import share a banner and a footer: collection boilerplate.
    for (i, year) in [2019, 2020, 2021].iter().enumerate() {
        let text = format!(
            "下载\n打印\n收藏\n【字号：\n加大\n还原\n减小\n】\n您的位置: 首页 > 工作总结\n本站资料仅供学习 禁止外传\n\
             某市生态环境局{year}年度工作总结\n来源：某市日报\n\u{200B}{}\n一、主要工作\n{}\n某某文库 www.example.cn\n\
             李克强所作的\n政府工作报告\n，明确了全年目标任务。\n某某文库 www.example.cn\n\u{3000}\u{3000}{}\n\
             某某文库 www.example.cn\n关注微信公众号“某某范文”获取更多范文\n咨询电话：0101-88886666\n加QQ群：12345678 免费下载\n点击订阅本站更多精彩资讯\n\
             扫一扫在手机打开当前页\n编辑：张三\n相关报道：\n某市召开生态环境保护大会\n打印本页\n关闭窗口\n",
            sentences[0], sentences[1], sentences[2]
        );
        std::fs::write(inputs.join(format!("report-{i}.txt")), text).unwrap();
    }
    let run = import(&site, &["inputs"]);
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let reports = imported(&site);
    assert_eq!(reports.len(), 3);
    let clutter = [
        "下载",
        "打印",
        "收藏",
        "字号",
        "加大",
        "减小",
        "您的位置",
        "仅供学习",
        "禁止外传",
        "某某文库",
        "公众号",
        "0101-88886666",
        "QQ",
        "扫一扫",
        "编辑：",
        "相关报道",
        "生态环境保护大会",
        "关闭窗口",
        "\u{200B}",
        "\u{3000}",
    ];
    for (path, text) in &reports {
        let body = text.split("\n---\n").nth(1).unwrap();
        for c in clutter {
            assert!(!body.contains(c), "{path} still has {c:?}:\n{text}");
        }
        for s in sentences {
            assert!(body.contains(s), "{path} lost {s:?}:\n{text}");
        }
        // The page's metadata under the title is the website's, not the report's.
        assert!(!body.contains("来源：某市日报"), "{path}:\n{text}");
        assert_eq!(field(text, "body"), "某市生态环境局");
        assert_eq!(field(text, "level"), "市级");
        // Every removed line is on record with the rule that removed it.
        for record in [
            "{line: 1, rule: widget, text: \"下载\"}",
            "rule: page-meta, text: \"来源：某市日报\"}",
            "rule: contact, text: \"咨询电话：0101-88886666\"}",
            "rule: related, text: \"某市召开生态环境保护大会\"}",
        ] {
            assert!(text.contains(record), "{path}: no {record} in\n{text}");
        }
    }
}

#[test]
fn a_word_file_keeps_headings_lists_and_tables() {
    let site = TestSite::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/发改委-2021-年度总结.docx");
    let run = import(&site, &[fixture.to_str().unwrap()]);
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let reports = imported(&site);
    let (path, text) = &reports[0];
    // Named after its title, whatever the file was called, in its year's folder.
    assert_eq!(path, "content/2021/某市发展和改革委员会2021年度工作总结.md");
    let expected = "---
title: \"某市发展和改革委员会2021年度工作总结\"
body: \"某市发展和改革委员会\"
level: \"市级\"
year: 2021
period: \"年度\"
";
    assert!(text.starts_with(expected), "{text}");
    let body = "## 一、主要工作

### （一）稳增长

全年经济运行稳中向好，主要指标如下表。

| 指标 | 2021年 | 增长 |
| --- | --- | --- |
| 地区生产总值 | 1200亿元 | 6.5% |
| 一般公共预算收入 | 98亿元 | 3.2% |

重点推进三项工作：

- 打通供应链堵点卡点
- 优化营商环境 & 服务

## 二、存在问题

一些项目推进偏慢，要素保障仍需加强。
";
    assert!(text.ends_with(body), "{text}");
    let build = site.run(&["build"]);
    assert!(build.success, "{}", build.stderr);
    let page = site.page("/2021/某市发展和改革委员会2021年度工作总结/");
    assert!(page.contains("<td>1200亿元</td>"), "the table renders");
}

#[test]
fn a_file_without_a_year_is_flagged_not_guessed() {
    let site = TestSite::new();
    site.write("inputs/说明.txt", "区委直属机关工委工作要点\n\n一、总体要求\n坚持围绕中心、服务大局。\n");
    let run = import(&site, &["inputs"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("review: year"), "{}", run.stdout);
    let (path, text) = &imported(&site)[0];
    assert!(path.starts_with("content/年份不详/"), "{path}");
    // Unknown, not 0: left empty, listed for review with what was found.
    assert_eq!(field(text, "year"), "");
    assert!(text.contains("review: [year]"), "{text}");
    assert!(text.contains("review_notes:\n  year: \"没有日期行"), "{text}");
    assert_eq!(field(text, "period"), "工作要点");
    let build = site.run(&["build"]);
    assert!(build.success, "{}", build.stderr);
    assert!(build.stderr.contains("1 reports await review (year 1)"), "{}", build.stderr);
    assert!(build.stderr.contains("区委直属机关工委工作要点.md: year"), "{}", build.stderr);
    // Shown as 年份不详, never as year 0, in the report, the lists and the grid.
    let page = site.page("/年份不详/区委直属机关工委工作要点/");
    assert!(page.contains("年份不详"), "{page}");
    for url in ["/", "/years/", "/bodies/区委直属机关工委/"] {
        let html = site.page(url);
        assert!(!html.contains("0年") && !html.contains(">0<"), "{url}:\n{html}");
        assert!(html.contains("年份不详"), "{url}:\n{html}");
    }
    // The editors' review list names the field, the evidence and the file.
    let review = site.page("/review/");
    assert!(review.contains("content/年份不详/区委直属机关工委工作要点.md"), "{review}");
    assert!(review.contains("没有日期行"), "{review}");
    assert!(!site.page("/sitemap.xml").contains("review"), "not in the sitemap");
    // `--review` lists every flagged field with its evidence.
    let check = site.run(&["check", "--review"]);
    assert!(check.stderr.contains("      year: 没有日期行"), "{}", check.stderr);
}

#[test]
fn imports_are_safe_to_repeat_and_never_overwrite() {
    let site = TestSite::new();
    site.write("inputs/a/2020总结.txt", REPORT);
    site.write(
        "inputs/b/报告.md",
        "# 某县农业农村局2022年上半年工作总结\n\n## 一、工作进展\n\n粮食生产稳定。\n\n# 附件说明\n\n附表略。\n",
    );
    site.write("inputs/c/old.doc", "binary");
    site.write("inputs/c/scan.pdf", "%PDF-1.4\nbroken");
    site.write("inputs/c/data.csv", "a,b\n1,2\n");
    site.write("inputs/c/bundle.zip", b"PK\x03\x04 not a document");

    // A dry run shows everything and writes nothing.
    let dry = import(&site, &["inputs", "--dry-run"]);
    assert!(dry.stdout.contains("would import"), "{}", dry.stdout);
    assert!(dry.stdout.contains("dry run: nothing was written"));
    assert!(!site.root().join("content").exists(), "a dry run writes nothing");

    let first = import(&site, &["inputs"]);
    assert!(!first.success, "a failed file makes the exit status 1");
    let out = &first.stdout;
    // Formats are told by content: `old.doc` is no Word file, `bundle.zip` no document.
    assert!(out.contains("imported 2, already imported 0, not reports 2, unsupported 0, failed 2"), "{out}");
    assert!(out.contains("skipped inputs/c/old.doc: not a report: a .doc file"), "{out}");
    assert!(out.contains("failed inputs/c/scan.pdf: pdftotext failed"), "{out}");
    assert!(out.contains("skipped inputs/c/data.csv: not a report: a .csv file"), "{out}");
    assert!(out.contains("failed inputs/c/bundle.zip: not a Word .docx file"), "{out}");
    let reports = imported(&site);
    let md =
        reports.iter().find(|(p, _)| p.ends_with("某县农业农村局2022年上半年工作总结.md")).expect("the Markdown file");
    assert_eq!(field(&md.1, "period"), "上半年");
    assert_eq!(field(&md.1, "year"), "2022");
    assert!(md.1.contains("## 一、工作进展"), "{}", md.1);
    // The first level-one heading is the title; a later one stays a heading.
    assert!(md.1.contains("\n## 附件说明\n"), "{}", md.1);
    assert_eq!(field(&md.1, "title"), "某县农业农村局2022年上半年工作总结");

    // Again: recognised by checksum and skipped; nothing is touched.
    let before = crate::common::snapshot(&site.root().join("content"));
    let again = import(&site, &["inputs/a", "inputs/b"]);
    assert!(again.success, "{}", again.stdout);
    assert!(again.stdout.contains("imported 0, already imported 2"), "{}", again.stdout);
    assert_eq!(crate::common::snapshot(&site.root().join("content")), before);

    // --force imports it again under a new name.
    let forced = import(&site, &["inputs/a", "--force"]);
    assert!(forced.success);
    let named = "content/2020/某区人大常委会党组2020年度工作总结";
    assert!(site.root().join(format!("{named}-2.md")).is_file(), "{}", forced.stdout);
    let first_copy = before.iter().find(|(p, _)| p.ends_with("某区人大常委会党组2020年度工作总结.md")).unwrap();
    assert_eq!(std::fs::read(site.root().join(format!("{named}.md"))).unwrap(), first_copy.1);

    // Overrides win and are not flagged.
    let overridden =
        import(&site, &["inputs/a", "--force", "--body", "某区人民政府", "--level", "区县级", "--year", "2019"]);
    assert!(overridden.success);
    let text = std::fs::read_to_string(site.root().join("content/2019/某区人大常委会党组2020年度工作总结.md")).unwrap();
    assert_eq!(field(&text, "body"), "某区人民政府");
    assert_eq!(field(&text, "year"), "2019");
    assert!(site.run(&["build"]).success);
}

/// `init`, then `import` of the whole real corpus, then `build`: green.
#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn a_new_site_accepts_what_it_imports() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(corpus.is_dir(), "this test needs ../shared/corpus");
    let site = TestSite::new();
    assert!(site.run(&["init", "site"]).success);
    let root = site.root().join("site");
    // An empty file and one of nothing but advertising are reported, not imported.
    site.write("extra/empty.txt", "");
    site.write("extra/ads.txt", "开通年卡会员，全站材料免费下载\n客服微信：wx12345\n更多范文请关注公众号\n");
    let run = site.run(&[
        "import",
        corpus.to_str().unwrap(),
        site.root().join("extra").to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(run.stdout.contains("empty.txt: the file is empty"), "{}", run.stdout);
    assert!(run.stdout.contains("ads.txt: not a report: no running text"), "{}", run.stdout);
    // `init`'s example report makes room for the real ones, and says so.
    assert!(run.stdout.contains("removed the example report that `wenku init` wrote"), "{}", run.stdout);
    assert!(!root.join("content/2024/人大常委会党组-年度总结.md").exists());
    // The provincial reports are there as .docx and as .txt: imported once.
    assert!(run.stdout.contains("2025年上海市政府工作报告.txt: already imported as"), "{}", run.stdout);
    assert!(!run.stdout.contains("未注明"), "no made-up body:\n{}", run.stdout);
    let build = site.run(&["build", "--root", root.to_str().unwrap()]);
    assert!(build.success, "init → import → build:\n{}", build.stderr);
    assert!(build.stderr.contains("reports await review"), "{}", build.stderr);
    let check = site.run(&["check", "--root", root.to_str().unwrap()]);
    assert!(check.success, "{}", check.stderr);
}

/// A title starting with dots, slashes or other marks gives a file name
/// build reads, inside the folder it was meant for.
#[test]
fn an_odd_title_gives_a_name_build_reads() {
    let site = TestSite::new();
    site.write("inputs/a.txt", "..某区2020年度工作总结\n\n全年工作取得新进展，群众满意度明显提升。\n");
    site.write("inputs/b.txt", "../某区2021年度工作总结\n\n全年工作取得新进展，群众满意度明显提升。\n");
    site.write("inputs/c.txt", ".某区2022年度工作总结\n\n全年工作取得新进展，群众满意度明显提升。\n");
    let run = import(&site, &["inputs"]);
    assert!(run.success, "{}", run.stdout);
    let reports = imported(&site);
    assert_eq!(reports.len(), 3, "{reports:?}");
    for (path, _) in &reports {
        let name = Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "{path} would be hidden from build");
        assert!(path.starts_with("content/202"), "{path} left its folder");
    }
    let build = site.run(&["build"]);
    assert!(build.stderr.contains("built 3 reports"), "{}", build.stderr);
}

/// `wenku init`'s example report stays out of a real archive: the first
/// import removes it (untouched) and says so; an edited one stays.
#[test]
fn the_example_report_makes_room_for_the_first_import() {
    let site = TestSite::new();
    assert!(site.run(&["init", "site"]).success);
    let root = site.root().join("site");
    let example = root.join("content/2024/人大常委会党组-年度总结.md");
    assert!(example.is_file());
    site.write("inputs/a.txt", REPORT);
    let run = site.run(&["import", site.root().join("inputs").to_str().unwrap(), "--root", root.to_str().unwrap()]);
    assert!(run.success, "{}", run.stdout);
    assert!(run.stdout.contains("removed the example report"), "{}", run.stdout);
    assert!(!example.exists());
    assert!(root.join("content/2020/某区人大常委会党组2020年度工作总结.md").is_file());

    // An example someone edited is theirs: it stays.
    let other = TestSite::new();
    assert!(other.run(&["init", "site"]).success);
    let root = other.root().join("site");
    let example = root.join("content/2024/人大常委会党组-年度总结.md");
    std::fs::write(&example, std::fs::read_to_string(&example).unwrap() + "\n补充一段。\n").unwrap();
    other.write("inputs/a.txt", REPORT);
    let run = other.run(&["import", other.root().join("inputs").to_str().unwrap(), "--root", root.to_str().unwrap()]);
    assert!(!run.stdout.contains("removed the example report"), "{}", run.stdout);
    assert!(example.is_file());
}

/// A speech's title block is the report's: the speaker's name under their
/// office stays though several files share it, a date alone in brackets is
/// the dateline (and the date), and a wiki's rights notice cut into pieces
/// by its links goes as a licence, with nothing left to review in the title.
#[test]
fn a_speech_keeps_its_speaker_and_date_and_loses_its_rights_notice() {
    let site = TestSite::new();
    let licence = "本作品来自1949年10月1日（含）之后的中国共产党文件。根据\n[\nCPC 1\n]\n，中央组织制定的公文，可视为《\n中华人民共和国著作权法\n》第五条规定之文件，所以属于\n公有领域\n。\n";
    for year in [2021, 2022, 2023] {
        site.write(
            &format!("inputs/{year}.txt"),
            &format!(
                "政府工作报告\n\n——{year}年3月5日在全国人民代表大会会议上\n\n国务院总理　\n李克强\n\n各位代表：\n\n现在，我代表国务院，向大会报告工作，请予审议。\n\n一、过去一年工作回顾\n\n{year}年经济社会发展取得新成效。\n"
            ),
        );
    }
    site.write(
        "inputs/congress.txt",
        &format!("决胜全面建成小康社会\n\n（2017年10月18日）\n\n习　近　平\n\n同志们：\n\n现在，我代表第十八届中央委员会向大会作报告。\n\n{}\n\n{licence}", "我们坚持稳中求进，推动高质量发展，全面深化改革，扩大高水平对外开放，保障和改善民生。".repeat(4)),
    );
    let run = import(&site, &["inputs"]);
    assert!(run.success, "{}", run.stderr);
    let files = imported(&site);
    for (path, text) in files.iter().filter(|(_, t)| t.contains("政府工作报告")) {
        assert!(body_of(text).contains("李克强") && !text.contains("text: \"李克强\""), "{path}:\n{text}");
    }
    let (path, congress) = files.iter().find(|(_, t)| t.contains("决胜全面建成小康社会")).unwrap();
    assert_eq!(field(congress, "date"), "2017-10-18", "{path}:\n{congress}");
    assert!(body_of(congress).contains("习　近　平"), "{congress}");
    let body = body_of(congress);
    assert!(!body.contains("本作品") && !body.contains("公有领域"), "{body}");
    assert!(congress.contains("rule: licence"), "{congress}");
    assert!(!congress.contains("“”"), "no empty line to review: {congress}");
}

/// A report whose appendix lists its items each with `主办单位：…` under
/// it (the 2025 Yunnan report's 惠民实事) ends on such a line: it is the
/// report's, like the nine above it. A site's `主办单位：` under a report
/// that never uses the label is the page's and goes.
#[test]
fn a_label_the_report_itself_uses_is_kept_at_its_end() {
    let site = TestSite::new();
    let items: String = (1..=3)
        .map(|i| format!("{i}、实施第{i}项惠民工程\n年度目标：新建改建农村公路{i}千公里以上，新增{i}十个以上乡镇通三级公路，群众出行更加便利。\n主办单位：省交通运输厅{i}处，各州、市人民政府\n"))
        .collect();
    site.write("inputs/own.txt", format!("某省2025年政府工作报告\n\n各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n附件：2025年惠民实事\n{items}"));
    site.write(
        "inputs/site.txt",
        "某区2025年工作总结\n\n今年以来，我们统筹推进经济社会发展，各项工作取得新进展，群众满意度持续提升。\n主办单位：某区人民政府办公室\n",
    );
    let run = import(&site, &["inputs"]);
    assert!(run.success, "{}", run.stderr);
    let files = imported(&site);
    let (_, own) = files.iter().find(|(_, t)| t.contains("惠民实事")).unwrap();
    assert!(body_of(own).contains("主办单位：省交通运输厅3处"), "{own}");
    let (_, page) = files.iter().find(|(_, t)| t.contains("某区")).unwrap();
    assert!(!body_of(page).contains("主办单位") && page.contains("rule: page-meta"), "{page}");
}

/// A report's text after its front matter.
fn body_of(report: &str) -> &str {
    report.rsplit("\n---\n").next().unwrap()
}
