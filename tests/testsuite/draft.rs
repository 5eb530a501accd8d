//! `wenku draft`: a draft's sentences checked against an archive with
//! planted formulations (one the archive stopped using and what replaced
//! it, wording it never used, a sentence said before), every flag checked
//! against a plain scan of the reports.

use crate::common::TestSite;
use crate::common::server::Server;

fn json(run: &crate::common::Run) -> serde_json::Value {
    assert!(run.success, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

/// An archive of 2010–2024: 全面建设美丽乡村 until 2015, 全面建成美丽乡村
/// since; a stock sentence in each report.
fn planted() -> TestSite {
    let site = TestSite::new();
    for year in 2010..=2024 {
        let (old, new) = if year <= 2015 { ("全面建设美丽乡村", "") } else { ("", "全面建成美丽乡村") };
        // Each year its own lead-in: the formulation is what recurs.
        let lead = ["今年要", "我们将", "继续", "着力", "加快", "大力"][year as usize % 6];
        let text = format!(
            "一年来，我们坚持稳中求进工作总基调，扎实推进各项工作。\n\n\
             {lead}{old}{new}，持续改善农村人居环境。\n\n\
             全年完成道路硬化一百公里，群众满意度明显提升。"
        );
        for body in ["甲局", "乙局"] {
            site.report(&format!("{year}/{body}.md"), &format!("{year}年{body}工作总结"), body, year, &text);
        }
    }
    site.build();
    site
}

#[test]
fn a_draft_gets_precedents_outdated_formulations_with_their_replacement_and_new_wording() {
    let site = planted();
    site.write(
        "draft.txt",
        "我们坚持稳中求进工作总基调，扎实推进各项工作。\n今年要全面建设美丽乡村，打造萤火虫生态民宿集群。\n",
    );
    let checked = json(&site.run(&["draft", "draft.txt", "--json"]));
    let sentences = checked["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 2, "{checked:#}");

    // Said before: the stock sentence, nearly word for word, newest first.
    let precedents = sentences[0]["precedents"].as_array().unwrap();
    assert!(!precedents.is_empty(), "{checked:#}");
    assert!(precedents[0]["similarity"].as_f64().unwrap() >= 0.9, "{checked:#}");
    assert_eq!(precedents[0]["year"], 2024);
    assert!(precedents[0]["url"].as_str().unwrap().contains("#"), "links to the paragraph");

    let flags = sentences[1]["flags"].as_array().unwrap();
    let outdated: Vec<&serde_json::Value> = flags.iter().filter(|f| f["kind"] == "outdated").collect();
    assert_eq!(outdated.len(), 1, "{flags:#?}");
    assert_eq!(outdated[0]["text"], "全面建设美丽乡村");
    assert_eq!(outdated[0]["last_year"], 2015);
    assert_eq!(outdated[0]["replaced_by"], "全面建成美丽乡村");
    let new: Vec<&str> = flags.iter().filter(|f| f["kind"] == "new").map(|f| f["text"].as_str().unwrap()).collect();
    assert!(new.iter().any(|n| n.contains("萤火虫")), "{flags:#?}");
    // Honest: nothing flagged new occurs in any report.
    let all: String = (2010..=2024)
        .flat_map(|y| {
            ["甲局", "乙局"].map(|b| std::fs::read_to_string(site.root().join(format!("content/{y}/{b}.md"))).unwrap())
        })
        .collect();
    for text in &new {
        assert!(!all.contains(text), "{text} is in the archive");
    }
    assert!(!all.contains("全面建设美丽乡村") || outdated[0]["reports"].as_u64().unwrap() == 12);

    // Exported: one row per flag and per precedent.
    let run = site.run(&["draft", "draft.txt", "--export", "核对.xlsx"]);
    assert!(run.success && site.root().join("核对.xlsx").is_file(), "{}", run.stderr);
    // The terminal shows the same, like a linter.
    let run = site.run(&["draft", "draft.txt"]);
    assert!(run.success && run.stdout.contains("全面建设美丽乡村") && run.stdout.contains("2015"), "{}", run.stdout);
}

#[test]
fn a_body_s_own_usage_and_bad_drafts() {
    let site = planted();
    site.write("draft.txt", "今年要全面建设美丽乡村。");
    let checked = json(&site.run(&["draft", "draft.txt", "--body", "甲局", "--json"]));
    assert_eq!(checked["reports"], 15, "only 甲局's reports");
    assert!(checked["sentences"][0]["precedents"].as_array().unwrap().iter().all(|p| p["body"] == "甲局"));
    // A draft without a sentence, a missing file, a body the archive lacks.
    site.write("empty.txt", "   \n\n");
    let run = site.run(&["draft", "empty.txt"]);
    assert!(!run.success && run.stderr.contains("empty"), "{}", run.stderr);
    site.write("latin.txt", "hello world\n");
    let run = site.run(&["draft", "latin.txt"]);
    assert!(!run.success && run.stderr.contains("no sentence"), "{}", run.stderr);
    let run = site.run(&["draft", "missing.docx"]);
    assert!(!run.success && run.stderr.contains("missing.docx"), "{}", run.stderr);
    let run = site.run(&["draft", "draft.txt", "--body", "丙局"]);
    assert!(!run.success && !run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn the_page_and_the_api_check_a_pasted_or_uploaded_draft_and_keep_nothing() {
    let site = planted();
    let draft = "我们坚持稳中求进工作总基调，扎实推进各项工作。\n今年要全面建设美丽乡村，打造萤火虫生态民宿集群。\n";
    site.write("draft.txt", draft);
    let command_line = json(&site.run(&["draft", "draft.txt", "--json"]));
    let edited = draft.replace("萤火虫生态民宿集群", "萤火虫生态民宿集群和全面建设美丽乡村示范带");
    site.write("edited.txt", &edited);
    let fresh = json(&site.run(&["draft", "edited.txt", "--json"]));
    assert!(site.page("draft/").contains("起草核对"), "the page is built");
    let before: Vec<_> = walkdir_files(site.root());
    let server = Server::start(site.root(), &["--no-build", "--no-watch"]);
    let api = server.post("/api/draft", draft.as_bytes());
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json(), command_line, "the API and the command line agree");
    // Checked again after an edit: what is new is looked up in the index,
    // the rest remembered, and the answer is the same as a fresh check's.
    let warm = server.post("/api/draft", edited.as_bytes());
    assert_eq!(warm.json(), fresh, "a warm check answers as a cold one");
    let xlsx = server.post("/api/draft?format=xlsx", draft.as_bytes());
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.header("content-type").unwrap().contains("spreadsheetml"));
    // Bad drafts and parameters: a message in the site's language, never a 500.
    let empty = server.post("/api/draft", b"");
    assert_eq!(empty.status, 400);
    assert!(empty.json()["error"].as_str().unwrap().contains("稿子"), "{}", empty.text());
    let not_word = server.post("/api/draft?name=a.docx", b"not a word file");
    assert_eq!(not_word.status, 400, "{}", not_word.text());
    assert_eq!(server.post("/api/draft?recent=0", draft.as_bytes()).status, 400);
    let long = "坚持稳中求进。".repeat(8000);
    let too_long = server.post("/api/draft", long.as_bytes());
    assert_eq!(too_long.status, 400);
    assert!(too_long.json()["error"].as_str().unwrap().contains("最多"), "{}", too_long.text());
    // Nothing of the drafts was written into the site.
    assert_eq!(walkdir_files(site.root()), before);
}

fn walkdir_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// On the real reports: a formulation the archive stopped using, what
/// replaced it, and a sentence of a report found as itself; each flag
/// checked against a plain scan of the reports' text.
#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn on_the_real_archive_flags_are_true_by_its_own_counts() {
    let site = TestSite::real_archive("title: 政府工作报告文库\n");
    // A sentence as a 2026 report says it, and one a drafter might still write.
    let raw = crate::statistics::texts_of(&site);
    let reports: Vec<(String, i64, String, String)> = raw
        .iter()
        .map(|(id, year, body, text)| (id.clone(), *year, body.clone(), wenku::search::analyzer::normalize(text)))
        .collect();
    let latest = reports.iter().map(|r| r.1).max().unwrap();
    let said = raw
        .iter()
        .filter(|r| r.1 == latest)
        .flat_map(|r| r.3.split('。').map(str::to_owned).collect::<Vec<_>>())
        .find(|s| s.chars().count() >= 20 && s.chars().count() <= 60 && !s.contains('\n'))
        .expect("a sentence of the latest year");
    site.write("draft.txt", format!("{said}。\n我们要全面建设小康社会，构建社会主义和谐社会。\n"));
    let checked = json(&site.run(&["draft", "draft.txt", "--json"]));
    let first = &checked["sentences"][0]["precedents"][0];
    assert_eq!(first["similarity"], 1.0, "{checked:#}");
    let flags = checked["sentences"][1]["flags"].as_array().unwrap();
    let old = flags.iter().find(|f| f["text"] == "全面建设小康社会").expect("全面建设小康社会 is outdated");
    assert_eq!(old["replaced_by"], "全面建成小康社会", "{old:#}");
    // True by the archive's own counts: the reports using it, its last year.
    let using: Vec<i64> = reports.iter().filter(|r| r.1 > 0 && r.3.contains("全面建设小康社会")).map(|r| r.1).collect();
    assert_eq!(old["reports"].as_u64().unwrap() as usize, using.len());
    assert_eq!(old["last_year"].as_i64().unwrap(), *using.iter().max().unwrap());
    assert!(old["last_year"].as_i64().unwrap() <= latest - 5);
    for flag in flags.iter().filter(|f| f["kind"] == "new") {
        let text = flag["text"].as_str().unwrap();
        assert!(reports.iter().all(|r| !r.3.contains(text)), "{text} is in a report");
    }
}
