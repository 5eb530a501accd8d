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
    assert!(
        import.stdout.contains("只显示将要写出的内容") && import.stdout.contains("（默认：content）"),
        "{}",
        import.stdout
    );

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

    site.write(
        "content/2020/bad.md",
        "---\ntitle: 坏\nbody: 某局\nlevel: 市级\nyaer: 2020\nperiod: 年度\n---\n正文。\n",
    );
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

/// The user guide's commands (`docs/使用说明.md`) run as written, in order,
/// on a folder of reports standing in for the shared drive (all but `wenku
/// serve`, which does not end): the guide stays true.
#[test]
fn the_chinese_user_guide_runs_as_written() {
    let work = TestSite::new();
    let (dir, ran) = run_documented_commands("docs/使用说明.md", &work);
    assert!(ran >= 10, "{ran} commands ran");
    assert!(dir.join("public/index.html").is_file());
    assert!(dir.join("坚持.xlsx").is_file());
}

/// The README's first archive from one's own files runs as written.
#[test]
fn the_readme_first_archive_runs_as_written() {
    let work = TestSite::new();
    let (dir, ran) = run_documented_commands("README.md", &work);
    assert!(ran >= 5, "{ran} commands ran");
    assert!(dir.join("public/index.html").is_file());
    // Both reports imported, each into the folder of its year.
    let imported = walk_files(&dir.join("content"));
    for year in ["2021", "2022"] {
        assert!(imported.iter().any(|f| f.starts_with(&format!("{year}/"))), "{imported:?}");
    }
}

/// Runs the `wenku` and `cd` lines of a document's `sh` blocks in order (the
/// `cargo` lines are how to get `wenku`; `wenku serve` does not end and is
/// skipped), on a folder of two reports standing in for the shared drive.
/// Returns the folder the commands ended in, and how many ran.
fn run_documented_commands(document: &str, work: &TestSite) -> (std::path::PathBuf, usize) {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(document)).unwrap();
    let mut commands = Vec::new();
    let mut in_shell = false;
    for line in text.lines() {
        match line.trim() {
            "```sh" => in_shell = true,
            "```" => in_shell = false,
            command if in_shell && !command.is_empty() && !command.starts_with('#') => {
                // The comment after a command says what it does.
                let command = command.split("  #").next().unwrap().trim();
                commands.extend(command.split(" && ").map(str::to_owned));
            }
            _ => {}
        }
    }
    let drive = work.root().join("共享盘");
    std::fs::create_dir_all(&drive).unwrap();
    std::fs::write(
        drive.join("2021.txt"),
        "某区人大常委会党组2021年度工作总结\n\n一、主要工作\n2021年，我们坚持稳中求进，统筹推进疫情防控和经济社会发展，坚持以人民为中心的发展思想。\n",
    )
    .unwrap();
    std::fs::write(
        drive.join("2022.txt"),
        "某区人大常委会党组2022年度工作总结\n\n一、主要工作\n2022年，我们坚持高质量发展，扎实做好疫情防控工作，坚持依法履职。\n",
    )
    .unwrap();
    let mut dir = work.root().to_path_buf();
    let mut ran = 0;
    for command in commands {
        let words = shell_words(&command);
        match words.first().map(String::as_str) {
            Some("cd") => {
                dir = dir.join(&words[1]);
                continue;
            }
            Some("wenku") => {}
            Some("cargo") => continue,
            _ => panic!("{document}'s command is neither cd, cargo nor wenku: {command}"),
        }
        if words[1] == "serve" {
            continue;
        }
        let args: Vec<String> = words[1..]
            .iter()
            .map(|w| match w.as_str() {
                "~/共享盘/历年总结/" | "文件夹" => drive.display().to_string(),
                _ => w.clone(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run_in(&dir, &args, &[]);
        assert!(run.success, "`{command}` of {document} failed:\n{}\n{}", run.stdout, run.stderr);
        ran += 1;
    }
    (dir, ran)
}

/// The files under `dir`, relative to it.
fn walk_files(dir: &std::path::Path) -> Vec<String> {
    let files = walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file());
    files.map(|e| e.path().strip_prefix(dir).unwrap().display().to_string()).collect()
}

/// A command line's words, as a shell splits them (quotes '…' and "…").
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}
