//! Incremental equals full: random sequences of edits (text, a character of
//! a paragraph, title, year, body, period, add, delete, rename, a broken
//! file and its fix) applied
//! through the incremental path must leave exactly the output folder and the
//! search results of a clean full build of the same files.

use std::path::{Path, PathBuf};

use crate::common::TestSite;
use crate::common::site_test::SiteTest;
use crate::common::site_test::{
    PHRASES, assert_built_as_from_nothing, assert_same_as_full_build, changes_for, options, snapshot,
};
use proptest::prelude::*;
use wenku::build::BuildOptions;
use wenku::rebuild::{Changes, LiveSite};

const BODIES: [&str; 4] = ["某市发展和改革委员会", "某区人大常委会党组", "区委直属机关工委", "某县农业农村局"];
const PERIODS: [&str; 3] = ["年度", "上半年", "工作要点"];

#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph long enough to be a recurring passage.
    AppendText {
        file: usize,
        phrase: usize,
    },
    /// One character of the report's longest paragraph changed: that
    /// paragraph becomes a near-copy of what it was.
    ChangeCharacter {
        file: usize,
    },
    Title {
        file: usize,
        n: u8,
    },
    Year {
        file: usize,
        year: i32,
    },
    Body {
        file: usize,
        body: usize,
    },
    Period {
        file: usize,
        period: usize,
    },
    Add {
        year: i32,
        body: usize,
        period: usize,
        phrase: usize,
    },
    Delete {
        file: usize,
    },
    Rename {
        file: usize,
        into_new_folder: bool,
    },
    /// Breaks a file (the rebuild must fail and change nothing), then fixes it.
    BreakThenFix {
        file: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let file = 0usize..1000;
    prop_oneof![
        (file.clone(), 0..PHRASES.len()).prop_map(|(file, phrase)| Edit::AppendText { file, phrase }),
        file.clone().prop_map(|file| Edit::ChangeCharacter { file }),
        (file.clone(), any::<u8>()).prop_map(|(file, n)| Edit::Title { file, n }),
        (file.clone(), 2018..2026).prop_map(|(file, year)| Edit::Year { file, year }),
        (file.clone(), 0..BODIES.len()).prop_map(|(file, body)| Edit::Body { file, body }),
        (file.clone(), 0..PERIODS.len()).prop_map(|(file, period)| Edit::Period { file, period }),
        (2018..2026, 0..BODIES.len(), 0..PERIODS.len(), 0..PHRASES.len())
            .prop_map(|(year, body, period, phrase)| Edit::Add { year, body, period, phrase }),
        file.clone().prop_map(|file| Edit::Delete { file }),
        (file.clone(), any::<bool>()).prop_map(|(file, into_new_folder)| Edit::Rename { file, into_new_folder }),
        file.prop_map(|file| Edit::BreakThenFix { file }),
    ]
}

fn reports(root: &Path) -> Vec<PathBuf> {
    wenku::content::find_reports(&root.join("content")).unwrap().0
}

/// Breaks a report's year (a number written in Han characters); returns
/// its path and its text as it was, to fix it with.
fn break_report(root: &Path, file: usize) -> (PathBuf, String) {
    let files = reports(root);
    let path = files[file % files.len()].clone();
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replacen("year: ", "year: 二〇", 1)).unwrap();
    (path, good)
}

fn set_field(path: &Path, key: &str, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let prefix = format!("{key}: ");
    let changed: Vec<String> = text
        .lines()
        .map(|line| if line.starts_with(&prefix) { format!("{prefix}{value}") } else { line.to_owned() })
        .collect();
    std::fs::write(path, changed.join("\n") + "\n").unwrap();
}

/// Applies one edit to the files; returns the paths it touched.
fn apply_to_files(root: &Path, edit: &Edit, counter: &mut usize) -> Vec<PathBuf> {
    let files = reports(root);
    let pick = |i: usize| files[i % files.len()].clone();
    *counter += 1;
    match *edit {
        Edit::AppendText { file, phrase } => {
            let path = pick(file);
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(&format!(
                "\n新增段落：围绕{}开展专项工作，细化任务分工，明确责任人和完成时限，确保各项任务落地见效。\n",
                PHRASES[phrase]
            ));
            std::fs::write(&path, text).unwrap();
            vec![path]
        }
        Edit::ChangeCharacter { file } => {
            let path = pick(file);
            let text = std::fs::read_to_string(&path).unwrap();
            // The report's text, not its front matter.
            let front_matter_end = text.match_indices("---\n").nth(1).unwrap().0 + 4;
            let (front_matter, body) = text.split_at(front_matter_end);
            let longest = body.lines().filter(|l| !l.starts_with('#')).max_by_key(|l| l.chars().count()).unwrap();
            let mut changed: Vec<char> = longest.chars().collect();
            let middle = changed.len() / 2;
            changed[middle] = if changed[middle] == '某' { '本' } else { '某' };
            let changed: String = changed.into_iter().collect();
            std::fs::write(&path, format!("{front_matter}{}", body.replacen(longest, &changed, 1))).unwrap();
            vec![path]
        }
        Edit::Title { file, n } => {
            let path = pick(file);
            set_field(&path, "title", &format!("改过的标题{n}号"));
            vec![path]
        }
        Edit::Year { file, year } => {
            let path = pick(file);
            set_field(&path, "year", &year.to_string());
            vec![path]
        }
        Edit::Body { file, body } => {
            let path = pick(file);
            set_field(&path, "body", BODIES[body]);
            vec![path]
        }
        Edit::Period { file, period } => {
            let path = pick(file);
            set_field(&path, "period", PERIODS[period]);
            vec![path]
        }
        Edit::Add { year, body, period, phrase } => {
            let path = root.join(format!("content/{year}/added-{counter}.md"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(
                &path,
                format!(
                    "---\ntitle: 新报告{counter}\nbody: {}\nlevel: 市级\nyear: {year}\nperiod: {}\n---\n\n## 一、情况\n\n今年{}。\n",
                    BODIES[body], PERIODS[period], PHRASES[phrase]
                ),
            )
            .unwrap();
            vec![path]
        }
        Edit::Delete { file } => {
            if files.len() <= 1 {
                return vec![];
            }
            let path = pick(file);
            std::fs::remove_file(&path).unwrap();
            vec![path]
        }
        Edit::Rename { file, into_new_folder } => {
            let from = pick(file);
            let to = if into_new_folder {
                root.join(format!("content/moved-{counter}/renamed-{counter}.md"))
            } else {
                from.with_file_name(format!("renamed-{counter}.md"))
            };
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::rename(&from, &to).unwrap();
            vec![from, to]
        }
        Edit::BreakThenFix { .. } => unreachable!("handled by the caller"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    #[ignore = "slow: a property test of many builds (CI runs it with --include-ignored)"]
    fn incremental_rebuilds_equal_full_builds(edits in prop::collection::vec(edit(), 1..7)) {
        let site = TestSite::sample();
        let mut live = LiveSite::build(options(site.root())).expect("first build");
        let mut counter = 0;
        for (step, edit) in edits.iter().enumerate() {
            let step = format!("step {step}: {edit:?}");
            if let Edit::BreakThenFix { file } = edit {
                let before = snapshot(&live.output);
                let (path, good) = break_report(site.root(), *file);
                let changes = changes_for(&live, std::slice::from_ref(&path));
                let error = live.apply(changes).expect_err("a broken report fails the rebuild");
                prop_assert!(format!("{error:?}").contains("year"), "{error:?}");
                prop_assert!(snapshot(&live.output) == before, "a failed rebuild writes nothing");
                std::fs::write(&path, good).unwrap();
                // The fix arrives as a change of an unrelated file: the
                // broken one is retried because it is still pending.
                live.apply(Changes::default()).expect("the fixed site rebuilds");
            } else {
                let touched = apply_to_files(site.root(), edit, &mut counter);
                let changes = changes_for(&live, &touched);
                live.apply(changes).unwrap_or_else(|e| panic!("{step}: {e:?}"));
            }
            assert_same_as_full_build(&mut live, &step);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// `wenku build` after edits starts from the state the last build left
    /// (`rebuild::state`) and rewrites only what the edits reach: the
    /// output and the index must be those of a full build all the same.
    #[test]
    #[ignore = "slow: a property test of many builds (CI runs it with --include-ignored)"]
    fn builds_from_the_last_builds_state_equal_full_builds(edits in prop::collection::vec(edit(), 1..6)) {
        let site = TestSite::sample();
        let options = options(site.root());
        let first = wenku::rebuild::build(&options).expect("first build");
        prop_assert!(first.read_again.is_none(), "the first build is a full one");
        let (output, index_dir) = (site.public(), site.root().join("search-index"));
        let mut counter = 0;
        for (step, edit) in edits.iter().enumerate() {
            let step = format!("step {step}: {edit:?}");
            if let Edit::BreakThenFix { file } = edit {
                let before = snapshot(&output);
                let (path, good) = break_report(site.root(), *file);
                let error = wenku::rebuild::build(&options).expect_err("a broken report fails the build");
                prop_assert!(format!("{error:?}").contains("year"), "{error:?}");
                prop_assert!(snapshot(&output) == before, "a failed build writes nothing");
                std::fs::write(&path, good).unwrap();
            } else {
                apply_to_files(site.root(), edit, &mut counter);
            }
            let built = wenku::rebuild::build(&options).unwrap_or_else(|e| panic!("{step}: {e:?}"));
            prop_assert!(built.read_again.is_some(), "{step}: built from the last build's state");
            assert_built_as_from_nothing(site.root(), &output, &index_dir, &step);
        }
    }
}

/// What a build from the state reads again: the files changed since, not
/// the others; and a state made otherwise (another theme, a run left
/// unfinished, another output folder) is not used.
#[test]
fn a_build_reads_again_only_what_changed_and_uses_no_state_made_otherwise() {
    let site = TestSite::sample();
    let options = options(site.root());
    // A file changed within a tick of the file system's clock before the
    // build is read again by the next: wait it out, as a person would.
    let a_tick = || std::thread::sleep(std::time::Duration::from_millis(150));
    a_tick();
    assert_eq!(wenku::rebuild::build(&options).unwrap().read_again, None, "no state yet");
    assert_eq!(wenku::rebuild::build(&options).unwrap().read_again, Some(0), "nothing changed");
    let edited = site.root().join("content/2021/qu-renda-niandu.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("{text}\n补充一段。\n")).unwrap();
    a_tick();
    let built = wenku::rebuild::build(&options).unwrap();
    assert_eq!((built.read_again, built.pages > 0), (Some(1), true), "one file changed, its pages written");
    assert_same_as_full_build_at(&site, "after one edit");

    site.write("static/extra.css", "body { color: black; }");
    assert_eq!(wenku::rebuild::build(&options).unwrap().read_again, None, "another theme: a full build");
    std::fs::write(site.root().join(".wenku-journal"), "a run stopped").unwrap();
    let repaired = wenku::rebuild::build(&options).unwrap();
    assert_eq!((repaired.read_again, repaired.repaired), (None, true), "a run left unfinished: a full build");
    let elsewhere = BuildOptions { output: Some(site.root().join("elsewhere")), ..options.clone() };
    assert_eq!(wenku::rebuild::build(&elsewhere).unwrap().read_again, None, "another output: a full build");
    assert_eq!(wenku::rebuild::build(&elsewhere).unwrap().read_again, Some(0));
    // The output folder put back by hand is not the one the state describes.
    std::fs::remove_dir_all(site.root().join("elsewhere")).unwrap();
    std::fs::create_dir(site.root().join("elsewhere")).unwrap();
    assert_eq!(wenku::rebuild::build(&elsewhere).unwrap().read_again, None, "a new output folder: a full build");
    assert!(site.root().join("elsewhere/index.html").exists());
}

fn assert_same_as_full_build_at(site: &TestSite, step: &str) {
    assert_built_as_from_nothing(site.root(), &site.public(), &site.root().join("search-index"), step);
}

#[test]
fn a_template_edit_rerenders_every_page_without_rereading_reports() {
    let site = TestSite::fixture("two-bodies");
    let mut live = LiveSite::build(options(site.root())).unwrap();
    let base = include_str!("../../themes/default/templates/base.html");
    site.write("templates/base.html", base.replace("订阅更新", "订阅本文库的更新"));
    let rebuilt = live.apply(changes_for(&live, &[site.root().join("templates/base.html")])).unwrap();
    assert_eq!(rebuilt.reparsed, 0, "a template edit does not re-read reports");
    assert!(rebuilt.pages.is_none(), "every page is re-rendered");
    assert!(std::fs::read_to_string(live.output.join("index.html")).unwrap().contains("订阅本文库的更新"));
    assert_same_as_full_build(&mut live, "a template edit");
}

#[test]
fn a_text_edit_rewrites_only_the_pages_it_affects() {
    let site = TestSite::sample();
    let mut live = LiveSite::build(options(site.root())).unwrap();
    let path = site.root().join("content/2022/qu-renda-niandu.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + "\n补充一段。\n").unwrap();
    let rebuilt = live.apply(changes_for(&live, std::slice::from_ref(&path))).unwrap();
    let pages = rebuilt.pages.expect("a partial rebuild");
    assert_eq!(rebuilt.reparsed, 1);
    assert_eq!(rebuilt.reindexed, 1);
    // The text shows on the report's page, in the feed's summary, and in its
    // comparisons with the year before and the year after; the next year's
    // page says how much it shares with it (and whether it has a comparison).
    let mut pages = pages;
    pages.sort();
    assert_eq!(
        pages,
        [
            "/2022/qu-renda-niandu/",
            "/2022/qu-renda-niandu/compare/",
            "/2023/qu-renda-niandu/",
            "/2023/qu-renda-niandu/compare/",
            "/atom.xml"
        ]
    );
    assert_same_as_full_build(&mut live, "one text edit");

    // A title edit also changes the lists it is in and its neighbours' links.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("title: 某区人大常委会党组2022年度工作总结", "title: 改过的标题")).unwrap();
    let rebuilt = live.apply(changes_for(&live, &[path])).unwrap();
    let pages = rebuilt.pages.expect("a partial rebuild");
    for page in ["/2021/qu-renda-niandu/", "/2023/qu-renda-niandu/", "/years/2022/", "/"] {
        assert!(pages.iter().any(|p| p == page), "{page} is rewritten: {pages:?}");
    }
    // Another body's report that shares a passage names the report by its
    // title; one that shares none is untouched.
    assert!(pages.iter().any(|p| p == "/2022/shi-fagaiwei-niandu/"), "{pages:?}");
    let sharing = std::fs::read_to_string(live.output.join("2022/shi-fagaiwei-niandu/index.html")).unwrap();
    assert!(sharing.contains(">改过的标题</a>"), "its passage marker has the new title");
    assert!(!pages.iter().any(|p| p == "/2024/shi-fagaiwei-niandu/"), "another body's report is untouched: {pages:?}");
    assert_same_as_full_build(&mut live, "a title edit");
}

#[test]
fn a_folder_removed_and_restored_as_a_whole() {
    let site = TestSite::fixture("two-bodies");
    let mut live = LiveSite::build(options(site.root())).unwrap();
    let folder = site.root().join("content/2021");
    let aside = site.root().join("aside-2021");
    std::fs::rename(&folder, &aside).unwrap();
    live.apply(changes_for(&live, std::slice::from_ref(&folder))).unwrap();
    assert!(!live.output.join("2021").exists(), "the folder's pages are gone");
    assert_same_as_full_build(&mut live, "removing content/2021");
    std::fs::rename(&aside, &folder).unwrap();
    live.apply(changes_for(&live, &[folder])).unwrap();
    assert_same_as_full_build(&mut live, "restoring content/2021");
}

#[test]
fn a_site_template_and_a_report_edited_under_a_sub_path_rebuild_as_a_full_build() {
    let template = include_str!("../fixtures/overrides/templates/report.html");
    SiteTest::fixture("overrides")
        .build()
        .check_page("/a/", "<h1 class=\"custom-report\">覆盖模板的报告</h1>")
        .change_file("templates/report.html", &template.replace("custom-report", "edited-report"))
        .check_page("/a/", "<h1 class=\"edited-report\">")
        .check_page("/a/", "href=\"/archive/static/style.css\"")
        .same_as_full_build()
        .change_file(
            "content/b.md",
            "---\ntitle: 新报告\nbody: 某机关\nlevel: 市级\nyear: 2023\nperiod: 年度\n---\n\n新的正文。\n",
        )
        .check_page("/b/", "<h1 class=\"edited-report\">新报告</h1>")
        .check_page("/sitemap.xml", "<loc>https://intranet.example/archive/b/</loc>")
        .same_as_full_build()
        .remove_file("templates/report.html")
        .check_page_lacks("/b/", "edited-report")
        .same_as_full_build();
}

#[test]
fn the_static_index_is_remade_after_edits_and_a_cancelled_remake_changes_nothing() {
    use std::sync::atomic::AtomicBool;
    let site = TestSite::fixture("two-bodies");
    let mut live = LiveSite::build(options(site.root())).unwrap();
    assert!(live.site.config.static_search, "the fixture writes a static index (the default)");
    assert!(!live.static_index_is_stale(), "a build makes it");
    let meta_path = live.output.join("_search/manifest.json");
    let meta = || std::fs::read(&meta_path).unwrap();
    let before = snapshot(&live.output.join("_search"));
    let path = site.root().join("content/2022/fgw-niandu.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + "\n补充一段静态索引要收的话。\n").unwrap();
    live.apply(changes_for(&live, std::slice::from_ref(&path))).unwrap();
    assert!(live.static_index_is_stale(), "an edit leaves it to be remade");

    // Stopped (another edit came in): the index in place stays whole.
    assert!(!live.remake_static_index(&AtomicBool::new(true)).unwrap());
    assert!(before == snapshot(&live.output.join("_search")), "a cancelled remake touches nothing");
    let leftovers = |parent: &Path| {
        std::fs::read_dir(parent)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".wenku-search-"))
            .count()
    };
    let parent = live.output.parent().unwrap().to_path_buf();
    assert_eq!(leftovers(&parent), 0, "no scratch folder is left behind");

    let old_meta = meta();
    assert!(live.remake_static_index(&AtomicBool::new(false)).unwrap());
    live.static_index_remade().expect("the journal is closed");
    assert!(meta() != old_meta, "the statistics follow the edit");
    assert_eq!(leftovers(&parent), 0, "no scratch folder is left behind");
    assert_same_as_full_build(&mut live, "a remade static index");
}
