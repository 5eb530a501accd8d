//! Every kind of broken report gets a located, actionable message, all
//! problems are reported in one run, and a failed build writes nothing.
//! What the user reads is checked by snapshots (`snapshots/`, insta): a
//! change of wording is a diff to review (`cargo insta review`, or accept
//! with `INSTA_UPDATE=always`).

use crate::common::TestSite;

const GOOD: &str =
    "---\ntitle: 好报告\nbody: 某区人大常委会党组\nlevel: 区县级\nyear: 2021\nperiod: 年度\n---\n\n正文。\n";

/// Builds a site with one good report and `bad`, expects failure, and returns
/// stderr after checking that nothing was written.
fn fails_with(bad: &[u8]) -> String {
    let site = TestSite::new();
    site.write("content/good.md", GOOD);
    site.write("content/bad.md", bad);
    let run = site.run(&["build"]);
    assert!(!run.success, "a broken report must fail the build");
    assert!(!site.public().exists(), "a failed build must write nothing");
    assert!(run.stderr.contains("help:"), "every problem says how to fix it:\n{}", run.stderr);
    assert!(!run.stderr.contains("good.md"), "the good report is not blamed:\n{}", run.stderr);
    run.stderr
}

#[test]
fn no_front_matter() {
    let err = fails_with("# 标题\n\n正文\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn unclosed_front_matter() {
    let err = fails_with("---\ntitle: 未闭合\nbody: x\n\n正文\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn invalid_yaml() {
    let err = fails_with("---\ntitle: [未闭合\nyear: 2020\n---\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn wrong_type() {
    let err = fails_with("---\ntitle: 类型\nbody: 机关\nlevel: 区县级\nyear: 二〇二〇\nperiod: 年度\n---\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn missing_field() {
    let err = fails_with("---\ntitle: 缺字段\nbody: 机关\nlevel: 区县级\nyear: 2020\n---\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_field_with_did_you_mean() {
    let err = fails_with("---\ntitle: 拼错\nbody: 机关\nlevel: 区县级\nyaer: 2020\nperiod: 年度\n---\n".as_bytes());
    insta::assert_snapshot!(err);
}

#[test]
fn value_outside_vocabulary_names_closest() {
    let site = TestSite::new();
    site.write("wenku.yaml", "levels: [国家级, 省级, 市级, 区县级]\nperiods: [年度, 上半年]\n");
    site.write("content/bad.md", "---\ntitle: 词表\nbody: 机关\nlevel: 县级\nyear: 2020\nperiod: 下半年\n---\n");
    let run = site.run(&["build"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn year_out_of_range() {
    let site = TestSite::new();
    site.write("wenku.yaml", "years: {from: 2015, to: 2026}\n");
    site.write("content/bad.md", "---\ntitle: 年份\nbody: 机关\nlevel: 区县级\nyear: 1990\nperiod: 年度\n---\n");
    let run = site.run(&["build"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn two_reports_with_the_same_output_path() {
    let site = TestSite::new();
    site.write("content/2021/a.md", GOOD);
    site.write("content/2021/b.md", GOOD.replace("period: 年度", "period: 年度\nslug: a"));
    let run = site.run(&["build"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
    assert!(!site.public().exists());
}

#[test]
fn not_utf8_names_the_encoding() {
    let (gbk, _, _) = encoding_rs::GB18030.encode(
        "---\ntitle: 关于进一步加强机关党建工作的报告\nbody: 区委直属机关工委\nlevel: 区县级\nyear: 2020\nperiod: 年度\n---\n\n一年来，我们坚持以党的政治建设为统领。\n",
    );
    let err = fails_with(&gbk);
    insta::assert_snapshot!(err);
}

#[test]
fn unreadable_file() {
    let site = TestSite::new();
    site.write("content/good.md", GOOD);
    std::os::unix::fs::symlink("does-not-exist.md", site.root().join("content/bad.md")).unwrap();
    let run = site.run(&["build"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
    assert!(!site.public().exists());
}

#[test]
fn empty_file() {
    let err = fails_with(b"");
    insta::assert_snapshot!(err);
}

#[test]
fn all_problems_in_all_files_in_one_run() {
    let site = TestSite::new();
    site.write("content/a.md", "");
    site.write(
        "content/b.md",
        "---\ntitle: x\nbody: 机关\nlevel: 区县级\nyear: 二〇二〇\nperiod: 年度\ncolour: red\n---\n",
    );
    site.write("content/c/d.md", "no front matter");
    let run = site.run(&["check"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}

/// The same problems on a Chinese site's command line.
#[test]
fn all_problems_in_chinese() {
    let site = TestSite::new();
    site.write("content/a.md", "");
    site.write(
        "content/b.md",
        "---\ntitle: x\nbody: 机关\nlevel: 区县级\nyear: [2020]\nperiod: 年度\ncolour: red\n---\n",
    );
    site.write("content/c/d.md", "no front matter");
    let run = site.run_with_env(&["check"], &[("WENKU_LANG", "zh")]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = TestSite::new();
    site.write("content/win.md", format!("\u{feff}{}", GOOD.replace('\n', "\r\n")));
    site.build();
    assert!(site.page("/win/").contains("<h1>好报告</h1>"));
}

#[test]
fn config_errors_are_located_too() {
    let site = TestSite::new();
    site.write("content/good.md", GOOD);
    site.write("wenku.yaml", "title: 文库\npaginat: 20\n");
    let run = site.run(&["build"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let site = TestSite::new();
    site.write("content/good.md", GOOD);
    site.build();
    let before = site.page("/good/");
    site.write("content/bad.md", "---\ntitle: 坏\n");
    assert!(!site.run(&["build"]).success);
    assert_eq!(site.page("/good/"), before);
    assert!(!site.public().join("bad").exists());
}

#[test]
fn a_broken_template_and_broken_reports_are_reported_in_one_run() {
    let site = TestSite::new();
    site.write("content/good.md", GOOD);
    site.write("content/bad.md", "no front matter\n");
    site.write(
        "templates/report.html",
        "{% extends \"base.html\" %}{% block content %}{{ report.title }{% endblock content %}",
    );
    let run = site.run(&["check"]);
    assert!(!run.success);
    insta::assert_snapshot!(run.stderr);
}
