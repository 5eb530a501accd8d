//! The command line speaks the language of its users: Chinese when the
//! site's language (or, without a site, the system's locale) is Chinese,
//! English otherwise; help, summaries, problems and exports alike.

use std::process::Command;

use crate::common::{Run, TestSite};

/// `wenku` run in `dir` with only `env` deciding its language.
fn run_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_wenku"))
        .args(args)
        .env_remove("WENKU_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("run wenku");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn help_follows_the_locale_without_a_site_and_the_site_with_one() {
    let empty = TestSite::new();
    let english = run_in(empty.root(), &["--help"], &[]);
    assert!(english.stdout.contains("Usage:") && english.stdout.contains("Build the site"), "{}", english.stdout);
    let chinese = run_in(empty.root(), &["--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(chinese.stdout.contains("用法：wenku"), "{}", chinese.stdout);
    assert!(chinese.stdout.contains("把站点生成到输出文件夹"), "{}", chinese.stdout);
    assert!(chinese.stdout.contains("显示帮助"), "{}", chinese.stdout);
    let import = run_in(empty.root(), &["import", "--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(import.stdout.contains("只显示将要写出的内容") && import.stdout.contains("（默认：content）"), "{}", import.stdout);

    // A site says what it speaks: wenku.yaml's language wins over the locale.
    let site = TestSite::fixture("two-bodies");
    let help = run_in(site.root(), &["check", "--help"], &[]);
    assert!(help.stdout.contains("检查每篇报告和模板"), "a Chinese site:\n{}", help.stdout);
    let english_site = TestSite::new();
    english_site.write("wenku.yaml", "language: en\n");
    let help = run_in(english_site.root(), &["check", "--help"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(help.stdout.contains("Check every report"), "{}", help.stdout);
    // `--root` names the site, wherever wenku runs.
    let help = run_in(empty.root(), &["check", "--help", "--root", site.root().to_str().unwrap()], &[]);
    assert!(help.stdout.contains("检查每篇报告和模板"), "{}", help.stdout);
}

#[test]
fn a_chinese_site_gets_its_summaries_and_problems_in_chinese() {
    let site = TestSite::fixture("two-bodies");
    let build = run_in(site.root(), &["build"], &[]);
    assert!(build.success, "{}", build.stderr);
    assert!(build.stderr.contains("已生成 10 篇报告"), "{}", build.stderr);
    assert!(build.stderr.contains("已为 10 篇报告建立索引"), "{}", build.stderr);
    let search = run_in(site.root(), &["search", "“疫情防控”"], &[]);
    assert!(search.stdout.starts_with("共 4 篇报告"), "{}", search.stdout);
    assert!(search.stdout.contains("发文机关："), "{}", search.stdout);
    let unclosed = run_in(site.root(), &["search", "“疫情防控"], &[]);
    assert!(!unclosed.success);
    assert!(unclosed.stderr.starts_with("错误：") && unclosed.stderr.contains("引号"), "{}", unclosed.stderr);

    site.write("content/2020/bad.md", "---\ntitle: 坏\nbody: 某局\nlevel: 市级\nyaer: 2020\nperiod: 年度\n---\n正文。\n");
    let check = run_in(site.root(), &["check"], &[]);
    assert!(!check.success);
    assert!(check.stderr.contains("错误：未知字段 `yaer`"), "{}", check.stderr);
    assert!(check.stderr.contains("= 提示：是不是 `year`？"), "{}", check.stderr);
    assert!(check.stderr.contains("共 2 个问题，涉及 1 个文件；没有写出任何文件"), "{}", check.stderr);
    std::fs::remove_file(site.root().join("content/2020/bad.md")).unwrap();

    site.write("inputs/a.txt", "某区人大常委会党组2020年度工作总结\n\n今年以来，我们统筹推进各项工作，取得新进展。\n");
    let import = run_in(site.root(), &["import", "inputs", "--dry-run"], &[]);
    assert!(import.stdout.contains("将导入 inputs/a.txt"), "{}", import.stdout);
    assert!(import.stdout.contains("将导入 1 篇，已导入过 0 篇"), "{}", import.stdout);
    assert!(import.stdout.contains("试运行：没有写出任何文件"), "{}", import.stdout);

    // Exports say 发文机关 and 报告期, as the site does.
    let csv = site.root().join("out.csv");
    let export = run_in(site.root(), &["kwic", "\"疫情防控\"", "--export", csv.to_str().unwrap()], &[]);
    assert!(export.success, "{}", export.stderr);
    let header = std::fs::read_to_string(&csv).unwrap().lines().find(|l| l.contains("左侧")).unwrap().to_owned();
    assert!(header.contains("发文机关") && header.contains("报告期") && !header.contains("body"), "{header}");
    // The same archive asked in English.
    let english = run_in(site.root(), &["search", "疫情防控"], &[("WENKU_LANG", "en")]);
    assert!(english.stdout.contains("4 reports match"), "{}", english.stdout);
}
