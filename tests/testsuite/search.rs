//! `wenku search` and the index `build` writes: results, facets, snippets,
//! the query language's errors, incremental updates, version checks, and
//! builds stopped at fail points while indexing.

use std::path::Path;
use std::process::Stdio;

use crate::common::{Run, TestSite};
use serde_json::Value;

fn search_json(site: &TestSite, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = site.run(&all);
    assert!(run.success, "search {args:?} failed:\n{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout))
}

fn total(site: &TestSite, query: &str) -> u64 {
    search_json(site, &[query])["total"].as_u64().unwrap()
}

/// Source files under `content/` whose text contains `needle`.
fn files_containing(site: &TestSite, needle: &str) -> Vec<String> {
    let content = site.root().join("content");
    let mut found: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| std::fs::read_to_string(e.path()).unwrap().contains(needle))
        .map(|e| e.path().strip_prefix(&content).unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

fn ids(results: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        results["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().into()).collect();
    ids.sort();
    ids
}

#[test]
fn a_phrase_finds_its_reports_with_facets_snippets_and_paragraph_links() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let results = search_json(&site, &["\"疫情防控\"", "--limit", "50"]);
    let expected = files_containing(&site, "疫情防控");
    assert_eq!(
        expected,
        ["2020/fgw-niandu.md", "2020/renda-niandu.md", "2021/fgw-niandu.md", "2022/fgw-shangbannian.md"]
    );
    assert_eq!(ids(&results), expected);
    assert_eq!(results["total"].as_u64().unwrap() as usize, expected.len());

    // Facets count the whole result set.
    let year_sum: u64 =
        results["facets"]["year"].as_array().unwrap().iter().map(|y| y["count"].as_u64().unwrap()).sum();
    assert_eq!(year_sum as usize, expected.len());
    let years: Vec<(i64, u64)> = results["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [(2020, 2), (2021, 1), (2022, 1)], "the years that use it, ascending");
    let counts = |facet: &str| -> Vec<(String, u64)> {
        let values = results["facets"][facet].as_array().unwrap();
        let mut counts: Vec<_> =
            values.iter().map(|v| (v["value"].as_str().unwrap().to_owned(), v["count"].as_u64().unwrap())).collect();
        counts.sort();
        counts
    };
    let owned =
        |pairs: &[(&str, u64)]| -> Vec<(String, u64)> { pairs.iter().map(|(v, n)| (v.to_string(), *n)).collect() };
    assert_eq!(counts("body"), owned(&[("某区人大常委会党组", 1), ("某市发展和改革委员会", 3)]));
    assert_eq!(counts("level"), owned(&[("区县级", 1), ("市级", 3)]));
    assert_eq!(counts("period"), owned(&[("上半年", 1), ("年度", 3)]));

    // Each hit links to a paragraph that exists and holds the wording.
    for hit in results["hits"].as_array().unwrap() {
        let url = hit["url"].as_str().unwrap();
        let (page_url, anchor) = url.split_once('#').expect("the hit links to a paragraph");
        assert_eq!(page_url, hit["page_url"].as_str().unwrap());
        let html = site.page(page_url);
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{url}: no element with that id");
        let snippets = hit["snippets"].as_array().unwrap();
        assert!((1..=3).contains(&snippets.len()));
        for snippet in snippets {
            let text = snippet["html"].as_str().unwrap();
            assert!(text.contains("<mark>疫情防控</mark>"), "{text}");
            let plain = text.replace("<mark>", "").replace("</mark>", "");
            assert!(plain.trim_matches('…').chars().count() <= 80, "about 80 characters: {plain}");
        }
    }
}

#[test]
fn filters_exclusions_or_and_paging() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let found = |query: &str| ids(&search_json(&site, &[query, "--limit", "50"]));
    assert_eq!(found("打通供应链"), files_containing(&site, "打通供应链"));
    assert_eq!(found("打通供应链 year:2022"), ["2022/fgw-niandu.md"]);
    assert_eq!(found("打通供应链 year:2021..2022"), ["2021/fgw-niandu.md", "2022/fgw-niandu.md"]);
    assert_eq!(found("打通供应链 body:某区人大常委会党组"), ["2023/renda-niandu.md"]);
    assert_eq!(found("打通供应链 疫情防控"), ["2021/fgw-niandu.md"]);
    assert_eq!(found("打通供应链 -疫情防控"), ["2022/fgw-niandu.md", "2023/fgw-niandu.md", "2023/renda-niandu.md"]);
    let mut either = files_containing(&site, "打通供应链");
    either.extend(files_containing(&site, "疫情防控"));
    either.sort();
    either.dedup();
    assert_eq!(either.len(), 7);
    assert_eq!(found("打通供应链 OR 疫情防控"), either);

    // Pages partition the results: 10 reports say 工作 (every title does).
    let page = |n: &str| search_json(&site, &["工作", "--limit", "4", "--page", n]);
    let (page1, page2, page3) = (page("1"), page("2"), page("3"));
    assert_eq!((page1["total"].as_u64(), page1["pages"].as_u64()), (Some(10), Some(3)));
    let mut all: Vec<String> = [ids(&page1), ids(&page2), ids(&page3)].concat();
    assert_eq!((ids(&page1).len(), ids(&page3).len()), (4, 2));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 10, "no report on two pages");

    // Filters alone list reports, newest first.
    let filtered = search_json(&site, &["level:区县级", "--limit", "50"]);
    assert_eq!(filtered["sort"], "newest");
    let listed: Vec<&str> = filtered["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        listed,
        [
            "2024/renda-yaodian.md",
            "2023/renda-niandu.md",
            "2023/renda-shangbannian.md",
            "2021/renda-niandu.md",
            "2020/renda-niandu.md"
        ]
    );
}

#[test]
fn sorting_by_date() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let listed = |sort: &str| -> Vec<String> {
        let results = search_json(&site, &["工作", "--sort", sort, "--limit", "50"]);
        results["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect()
    };
    // By date within a year: 2023's annual reports (12-25, 12-20) before its half-year one (07-05).
    let newest = [
        "2024/renda-yaodian.md",
        "2023/renda-niandu.md",
        "2023/fgw-niandu.md",
        "2023/renda-shangbannian.md",
        "2022/fgw-niandu.md",
        "2022/fgw-shangbannian.md",
        "2021/renda-niandu.md",
        "2021/fgw-niandu.md",
        "2020/renda-niandu.md",
        "2020/fgw-niandu.md",
    ];
    assert_eq!(listed("newest"), newest);
    let oldest: Vec<&str> = newest.iter().rev().copied().collect();
    assert_eq!(listed("oldest"), oldest);
}

#[test]
fn the_terminal_output_shows_counts_titles_links_and_snippets() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let run = site.run(&["search", "\"打通供应链\" year:2023", "--limit", "2"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("2 reports match"), "{}", run.stdout);
    assert!(run.stdout.contains("years:   2023"), "{}", run.stdout);
    assert!(run.stdout.contains("1. ") && run.stdout.contains("2. ") && !run.stdout.contains("3. "), "{}", run.stdout);
    assert!(run.stdout.contains("/2023/renda-niandu/") && run.stdout.contains("/2023/fgw-niandu/"), "{}", run.stdout);
    assert!(run.stdout.contains("打通供应链"));
    assert!(!run.stdout.contains("<mark>"), "no HTML on a terminal");
}

fn fails_with(run: &Run, message: &str) {
    assert!(!run.success, "should fail: {}", run.stdout);
    assert!(run.stderr.contains(message), "expected {message:?} in:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bad_queries_get_a_message_not_a_panic() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    fails_with(&site.run(&["search", "\"疫情防控"]), "a quote is not closed");
    fails_with(&site.run(&["search", "yaer:2020 疫情"]), "did you mean `year:`");
    fails_with(&site.run(&["search", "疫情 year:2022..2020"]), "runs backwards");
    fails_with(&site.run(&["search", "-疫情"]), "the query only excludes");
    fails_with(&site.run(&["search", "，。"]), "nothing to search for");
    fails_with(&site.run(&["search", ""]), "the query is empty");
    fails_with(&site.run(&["search", "疫情 OR"]), "`OR` needs wording on both sides");
    fails_with(&site.run(&["search", "疫情 body:某市发改委"]), "no report has body:某市发改委");
    fails_with(&site.run(&["search", "疫情 body:某市发展和改革委"]), "did you mean body:某市发展和改革委员会");
    fails_with(&site.run(&["search", "疫情", "--page", "100000"]), "too far");
    let bad = site.run(&["search", "\"疫情防控"]);
    assert!(bad.stderr.contains("help:"), "a hint on how to fix it: {}", bad.stderr);
}

#[test]
fn a_missing_or_old_index_says_to_run_build() {
    let site = TestSite::fixture("two-bodies");
    fails_with(&site.run(&["search", "疫情"]), "run `wenku build`");

    site.build();
    let index = site.root().join("search-index");
    // An index written by another schema version is never read.
    let current = format!("v{}", wenku::search::SCHEMA_VERSION);
    std::fs::rename(index.join(&current), index.join("v0")).unwrap();
    fails_with(&site.run(&["search", "疫情"]), "another version of wenku");
    let reports = 10;
    let rebuilt = site.build();
    assert!(rebuilt.stderr.contains(&format!("indexed {reports} reports")), "{}", rebuilt.stderr);
    assert!(!index.join("v0").exists(), "the old version is removed once replaced");
    assert!(total(&site, "疫情") > 0);

    // So is an index whose commit does not carry this version's mark.
    let meta = index.join(&current).join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let mark = format!("wenku-index-{current}");
    assert!(text.contains(&mark), "{text}");
    std::fs::write(&meta, text.replace(&mark, "wenku-index-v0")).unwrap();
    fails_with(&site.run(&["search", "疫情"]), "another version of wenku");
    let rebuilt = site.build();
    assert!(rebuilt.stderr.contains(&format!("indexed {reports} reports")), "{}", rebuilt.stderr);

    // And a damaged one.
    std::fs::write(&meta, "{ not json").unwrap();
    fails_with(&site.run(&["search", "疫情"]), "run `wenku build`");
    site.build();
    assert!(total(&site, "疫情") > 0);
}

#[test]
fn rebuilding_after_one_edit_reindexes_only_that_report() {
    let site = TestSite::fixture("two-bodies");
    let reports = 10;
    let first = site.build();
    assert!(first.stderr.contains(&format!("indexed {reports} reports")), "{}", first.stderr);
    let again = site.build();
    let unchanged = format!("0 added, 0 changed, 0 removed, {reports} unchanged");
    assert!(again.stderr.contains(&unchanged), "{}", again.stderr);

    let file = site.root().join("content/2021/renda-niandu.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n新写的独特措辞在这里。\n")).unwrap();
    let edited = site.build();
    let one_changed = format!("0 added, 1 changed, 0 removed, {} unchanged", reports - 1);
    assert!(edited.stderr.contains(&one_changed), "{}", edited.stderr);
    let found = search_json(&site, &["独特措辞"]);
    assert_eq!(ids(&found), ["2021/renda-niandu.md"]);

    site.report("2024/new.md", "新报告", "某市发展和改革委员会", 2024, "另一段独特措辞。");
    std::fs::remove_file(site.root().join("content/2020/renda-niandu.md")).unwrap();
    let changed = site.build();
    let one_moved = format!("1 added, 0 changed, 1 removed, {} unchanged", reports - 1);
    assert!(changed.stderr.contains(&one_moved), "{}", changed.stderr);
    assert_eq!(total(&site, "独特措辞"), 2);
    assert!(
        search_json(&site, &["year:2020", "--limit", "50"])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["id"] != "2020/renda-niandu.md")
    );
}

/// Runs `wenku build` stopped at `fail_point` (`FAILPOINTS` syntax: `name=3*off->return`
/// stops at the fourth time there), as a kill would stop it; whether it stopped.
fn build_stopped_at(root: &Path, fail_point: &str) -> bool {
    let status = crate::common::wenku_command()
        .arg("build")
        .current_dir(root)
        .env("FAILPOINTS", fail_point)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run wenku build");
    match status.code() {
        Some(0) => false,
        Some(wenku::STOPPED_AT_FAIL_POINT) => true,
        other => panic!("wenku build with {fail_point} ended with {other:?}"),
    }
}

#[test]
fn a_build_stopped_while_indexing_leaves_the_last_complete_index() {
    const REPORTS: usize = 300;
    let site = TestSite::new();

    // The first build writes a new index beside the live one: stopped while
    // that runs, or just before it is moved into place, there is no index
    // at all rather than part of one.
    site.numbered_reports(REPORTS, "甲措辞");
    for fail_point in ["index-add=100*off->return", "index-swap=return"] {
        assert!(build_stopped_at(site.root(), fail_point), "{fail_point}");
        fails_with(&site.run(&["search", "甲措辞"]), "run `wenku build`");
    }
    let first = site.build();
    assert!(first.stderr.contains(&format!("indexed {REPORTS} reports")), "{}", first.stderr);
    assert_eq!(total(&site, "甲措辞"), REPORTS as u64);

    // Updates: each round changes every report and stops the build at
    // another moment after the new site is in place (indexing starts then);
    // a query sees all of the old wording or all of the new, never a mix.
    let mut previous = "甲措辞".to_owned();
    let rounds = [
        ("index-add=return", false),
        ("index-add=150*off->return", false),
        ("index-add=299*off->return", false),
        ("index-commit=return", false),
        ("index-add=1000*off->return", true), // not reached: the build completes
    ];
    for (round, (fail_point, completes)) in rounds.into_iter().enumerate() {
        let marker = format!("丙{round}措辞");
        site.numbered_reports(REPORTS, &marker);
        // Full builds: the site goes in place before indexing starts. (A
        // build from the last build's state indexes first, then swaps its
        // copy of the site in: `crash.rs`.)
        let _ = std::fs::remove_file(site.root().join(".wenku-state"));
        assert_eq!(build_stopped_at(site.root(), fail_point), !completes, "{fail_point}");
        assert!(site.page("/2000/r00000/").contains(&marker), "the new site was in place before indexing");

        let (new, old) = (total(&site, &marker), total(&site, &previous));
        let expected = if completes { (REPORTS as u64, 0) } else { (0, REPORTS as u64) };
        assert_eq!((new, old), expected, "round {round} ({fail_point}): reports with the new wording, the old");
        if completes {
            previous = marker;
        }
    }

    // The next build completes and brings the index up to date.
    site.numbered_reports(REPORTS, "丁措辞");
    site.build();
    assert_eq!(total(&site, "丁措辞"), REPORTS as u64);
    assert_eq!(total(&site, &previous), 0);
}

#[test]
fn the_index_may_not_live_inside_the_output_folder() {
    let site = TestSite::fixture("two-bodies");
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    site.write("wenku.yaml", format!("{config}\nindex_dir: public/search\n"));
    fails_with(&site.run(&["build"]), "inside the site's output or content folder");
}

#[test]
fn the_command_line_and_the_api_share_one_page_cap() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    assert_eq!(search_json(&site, &["工作", "--limit", "50"])["hits"].as_array().unwrap().len(), 10);
    let run = site.run(&["search", "工作", "--limit", "51"]);
    assert!(!run.success && run.stderr.contains("'51' for '--limit <LIMIT>': 51 is not in 1..=50"), "{}", run.stderr);
    let run = site.run(&["search", "工作", "--page", "0"]);
    assert!(!run.success, "{}", run.stdout);
}

/// One limit on what a person types: the API's filters and the white space
/// around `q` do not count against it, on any side.
#[test]
fn the_command_line_and_the_api_share_one_query_length() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let longest = "工作".repeat(500);
    let too_long = format!("{longest}作");
    assert!(site.run(&["search", &longest]).success);
    assert!(site.run(&["kwic", &longest]).success);
    for command in ["search", "kwic"] {
        let run = site.run(&[command, &too_long]);
        assert!(
            !run.success && run.stderr.contains("the query is too long (1001 characters)"),
            "{command}: {}",
            run.stderr
        );
    }
    let server = crate::common::server::Server::start(site.root(), &["--no-build"]);
    let encoded = |q: &str| percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string();
    let accepted = server.get(&format!(
        "/api/search?q=%20{}%20&year=2020&body={}",
        encoded(&longest),
        encoded("某市发展和改革委员会")
    ));
    assert_eq!(accepted.status, 200, "{}", String::from_utf8_lossy(&accepted.body));
    let refused = server.get(&format!("/api/search?q={}", encoded(&too_long)));
    assert_eq!(refused.status, 400);
    assert!(String::from_utf8_lossy(&refused.body).contains("1001"), "{}", String::from_utf8_lossy(&refused.body));
}

#[test]
fn lower_case_or_and_and_work_as_operators() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let upper = search_json(&site, &["打通供应链 OR 疫情防控", "--limit", "50"]);
    let lower = search_json(&site, &["打通供应链 or 疫情防控", "--limit", "50"]);
    assert_eq!(upper["total"], lower["total"]);
    assert!(upper["total"].as_u64().unwrap() > 0);
    let and = search_json(&site, &["打通供应链 and 疫情防控", "--limit", "50"]);
    let both = search_json(&site, &["打通供应链 疫情防控", "--limit", "50"]);
    assert_eq!(and["total"], both["total"]);
}

#[test]
fn facets_give_the_archive_span_and_each_bodys_first_and_last_year() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let all_years = |results: &Value| -> Vec<i64> {
        results["facets"]["archive_years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect()
    };
    let everything = search_json(&site, &["year:2000..2100", "--limit", "1"]);
    let years = all_years(&everything);
    assert_eq!(years, [2020, 2021, 2022, 2023, 2024]);
    // A year filter narrows the hits, not the span the chart draws.
    let narrowed = search_json(&site, &["工作 year:2023", "--limit", "1"]);
    assert_eq!(all_years(&narrowed), years);
    assert_eq!(narrowed["facets"]["year"].as_array().unwrap().len(), 1);
    // A body filter: the reports of that body per year.
    let body = everything["facets"]["body"][0]["value"].as_str().unwrap().to_owned();
    let of_body = search_json(&site, &[&format!("body:\"{body}\""), "--limit", "1"]);
    let per_year: u64 =
        of_body["facets"]["archive_years"].as_array().unwrap().iter().map(|y| y["count"].as_u64().unwrap()).sum();
    assert_eq!(per_year, of_body["total"].as_u64().unwrap());
    // Each body's first and last year with the wording.
    let wording = search_json(&site, &["打通供应链", "--limit", "1"]);
    let mut spans: Vec<(String, i64, i64)> = wording["facets"]["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["value"].as_str().unwrap().to_owned(),
                b["first_year"].as_i64().unwrap(),
                b["last_year"].as_i64().unwrap(),
            )
        })
        .collect();
    spans.sort();
    assert_eq!(spans, [("某区人大常委会党组".to_owned(), 2023, 2023), ("某市发展和改革委员会".to_owned(), 2021, 2023)]);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    for json in [false, true] {
        let mut command = crate::common::wenku_command();
        command.args(["search", "工作", "--limit", "50"]).current_dir(site.root());
        if json {
            command.arg("--json");
        }
        let mut child =
            command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        // As `| head -c 0` does: the reader is gone before anything is written.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.is_empty(), "json {json}: {:?} {stderr}", output.status);
    }
}

/// What a Chinese input method types: “…” and 「…」 are phrase quotes, －
/// excludes, the ideographic space separates, on the command line and the
/// API alike (the static engine shares the parser: `static_search`).
#[test]
fn chinese_quotes_and_full_width_operators_work_as_typed() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let ascii = search_json(&site, &["\"疫情防控\"", "--limit", "50"]);
    assert!(ascii["total"].as_u64().unwrap() > 0);
    for typed in ["“疫情防控”", "「疫情防控」", "『疫情防控』"] {
        assert_eq!(ids(&search_json(&site, &[typed, "--limit", "50"])), ids(&ascii), "{typed}");
    }
    // Two words apart would find more (or as many) reports than the phrase.
    let words = search_json(&site, &["疫情\u{3000}防控", "--limit", "50"]);
    assert_eq!(words["total"], search_json(&site, &["疫情 防控", "--limit", "50"])["total"]);
    let excluded = search_json(&site, &["疫情防控 －打通供应链", "--limit", "50"]);
    assert_eq!(excluded["total"], search_json(&site, &["疫情防控 -打通供应链", "--limit", "50"])["total"]);
    // An unclosed “ is told as an unclosed ", in Chinese on the API.
    let cli = site.run(&["search", "“疫情防控"]);
    assert!(!cli.success && cli.stderr.contains("not closed"), "{}", cli.stderr);
    let server = crate::common::server::Server::start(site.root(), &["--no-build", "--no-watch"]);
    let api = server.get("/api/search?q=%E2%80%9C%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7");
    assert_eq!(api.status, 400);
    let same = server.get("/api/search?q=%22%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7");
    // The same problem and advice; the message quotes the user's own quote.
    assert_eq!(same.status, 400);
    assert_eq!(api.json()["help"], same.json()["help"]);
    assert!(api.json()["error"].as_str().unwrap().contains("“疫情防控"), "{}", api.json());
    let phrase = server.get("/api/search?q=%E2%80%9C%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7%E2%80%9D");
    assert_eq!(phrase.status, 200);
    assert_eq!(phrase.json()["total"], ascii["total"]);
}
