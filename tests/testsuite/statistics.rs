//! Research statistics (collocates, frequency by year and body): every
//! count checked against a plain scan of the reports' text, every score
//! recomputed from its row's counts, on a fixture and on the real reports.

use crate::common::TestSite;
use crate::common::server::Server;
use wenku::analysis::stats;
use wenku::research::{collocates, frequency, occurrences_in_words};
use wenku::search::analyzer::{Class, classify, count_positions, normalize};
use wenku::search::{IndexDoc, SearchIndex};

/// Each report's id, year, body and text, read from the Markdown apart
/// from the index (other suites check against it too).
pub(crate) fn texts_of(site: &TestSite) -> Vec<(String, i64, String, String)> {
    texts(site)
}

/// Each report's id, year, body and normalized text, read from the
/// Markdown apart from the index.
fn texts(site: &TestSite) -> Vec<(String, i64, String, String)> {
    let loaded = wenku::build::load(site.root(), false).expect("the site loads");
    loaded
        .library
        .reports
        .iter()
        .map(|r| {
            let doc = IndexDoc::from_report(r, &loaded.config);
            (doc.id, doc.year, doc.body, doc.text)
        })
        .collect()
}

/// Overlapping occurrences of `phrase` (normalized) in `text` (normalized)
/// that cut no Latin word or number.
fn count(text: &str, phrase: &str) -> u64 {
    let word = |c: Option<char>| c.is_some_and(|c| classify(c) == Class::Word);
    let (starts_word, ends_word) = (word(phrase.chars().next()), word(phrase.chars().next_back()));
    text.char_indices()
        .filter(|(at, _)| text[*at..].starts_with(phrase))
        .filter(|(at, _)| {
            !((starts_word && word(text[..*at].chars().next_back()))
                || (ends_word && word(text[at + phrase.len()..].chars().next())))
        })
        .count() as u64
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * a.abs().max(1.0)
}

/// The statistics of `phrase` checked against the texts.
fn check(site: &TestSite, phrase: &str) {
    let texts = texts(site);
    let normalized: Vec<String> = texts.iter().map(|t| normalize(&t.3)).collect();
    let index = SearchIndex::open(&site.root().join("search-index")).expect("the index opens");
    let query = format!("\"{phrase}\"");

    let found = occurrences_in_words(&index, &query, collocates::context_width(collocates::DEFAULT_WINDOW)).unwrap();
    let table = collocates::collocates(&index, &found, collocates::DEFAULT_WINDOW).unwrap();
    let size: u64 = texts.iter().map(|t| count_positions(&t.3)).sum();
    let node: u64 = normalized.iter().map(|t| count(t, &normalize(phrase))).sum();
    assert_eq!((table.node_freq, table.positions), (node, size), "{phrase}");
    assert!(!table.rows.is_empty(), "{phrase} has collocates");
    for row in &table.rows {
        let freq: u64 = normalized.iter().map(|t| count(t, &row.text)).sum();
        assert_eq!(row.freq, freq, "{phrase}: freq of {}", row.text);
        assert!(row.count >= 2 && row.count <= node, "{phrase}: {row:?}");
        let together = collocates::pair_count(row.count, node as f64 / table.counted as f64);
        assert!(close(row.log_dice, stats::log_dice(together, node, row.freq)), "{row:?}");
        assert!(close(row.mi, stats::mutual_information(together, node, row.freq, size)), "{row:?}");
        let rest = size - node;
        let g2 = stats::log_likelihood(together, node, row.freq.saturating_sub(together), rest);
        assert!(close(row.log_likelihood, g2), "{row:?}");
    }
    assert!(table.rows.windows(2).all(|w| w[0].log_dice >= w[1].log_dice), "sorted by logDice");

    let years = frequency::by_year(&index, &found).unwrap();
    for row in &years.rows {
        let of_year = || texts.iter().zip(&normalized).filter(|(t, _)| t.1 == row.year);
        let chars: u64 = of_year().map(|(t, _)| count_positions(&t.3)).sum();
        let counted: u64 = of_year().map(|(_, n)| count(n, &normalize(phrase))).sum();
        let reports = of_year().filter(|(_, n)| count(n, &normalize(phrase)) > 0).count() as u64;
        assert_eq!((row.count, row.reports, row.chars), (counted, reports, chars), "{phrase} in {}", row.year);
        assert!(close(row.per_10k, counted as f64 * 10_000.0 / chars.max(1) as f64));
    }
    assert_eq!(years.rows.iter().map(|r| r.count).sum::<u64>(), node);

    let bodies = frequency::by_body(&found);
    for row in &bodies.rows {
        let counted: u64 = texts
            .iter()
            .zip(&normalized)
            .filter(|(t, _)| t.2 == row.body)
            .map(|(_, n)| count(n, &normalize(phrase)))
            .sum();
        assert_eq!(row.count, counted, "{phrase} by {}", row.body);
        assert_eq!(row.by_year.iter().sum::<u64>(), row.count);
    }
}

#[test]
fn collocates_and_frequencies_equal_a_plain_scan() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    for phrase in ["坚持", "发展"] {
        check(&site, phrase);
    }
}

#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn collocates_and_frequencies_of_the_real_reports_equal_a_plain_scan() {
    let site = TestSite::generated_corpus();
    site.build();
    for phrase in ["坚持", "疫情防控", "改革开放"] {
        check(&site, phrase);
    }
}

#[test]
fn the_tables_answer_on_the_command_line_and_the_api() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let run = site.run(&["kwic", "坚持", "--table", "collocates", "--window", "5", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["window"], 5);
    assert!(json["node_freq"].as_u64().unwrap() > 0 && json["rows"].as_array().is_some_and(|r| !r.is_empty()));
    let run = site.run(&["kwic", "坚持", "--table", "collocates", "--window", "99"]);
    assert!(!run.success, "the window is bounded");

    let server = Server::start(site.root(), &["--no-build", "--no-watch"]);
    let q = |text: &str| percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
    let api = server.get(&format!("/api/kwic/collocates?q={}&window=5", q("坚持")));
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json()["rows"], json["rows"], "the API and the command line agree");
    let years = server.get(&format!("/api/kwic/years?q={}", q("坚持")));
    assert_eq!(years.status, 200);
    assert!(years.json()["rows"][0]["per_10k"].is_number());
    assert_eq!(server.get(&format!("/api/kwic/bodies?q={}", q("坚持"))).status, 200);
    for view in ["collocates", "years", "bodies"] {
        let file = server.get(&format!("/api/kwic/export?q={}&view={view}&format=csv", q("坚持")));
        assert_eq!(file.status, 200, "{view}");
        let text = file.text();
        assert!(text.contains("发文机关") || view != "bodies", "{text}");
        assert!(text.contains("logDice") || view != "collocates", "{text}");
    }
    let wide = server.get(&format!("/api/kwic/collocates?q={}&window=99", q("坚持")));
    assert_eq!(wide.status, 400);
    assert!(wide.json()["error"].as_str().unwrap().contains("window"), "{}", wide.text());
}

/// Keyness and clusters of `target` against `reference`, checked against
/// the texts: every count by a plain scan, every score from its counts.
fn check_keyness(site: &TestSite, target: (i64, i64), reference: (i64, i64)) {
    use wenku::research::{clusters, keyness};
    let texts = texts(site);
    let normalized: Vec<String> = texts.iter().map(|t| normalize(&t.3)).collect();
    let index = SearchIndex::open(&site.root().join("search-index")).expect("the index opens");
    let within = |(from, to): (i64, i64)| move |t: &(String, i64, String, String)| t.1 >= from && t.1 <= to;
    let scan = |part: (i64, i64), unit: &str| -> u64 {
        texts.iter().zip(&normalized).filter(|(t, _)| within(part)(t)).map(|(_, n)| count(n, unit)).sum()
    };
    let size =
        |part: (i64, i64)| -> u64 { texts.iter().filter(|t| within(part)(t)).map(|t| count_positions(&t.3)).sum() };
    let (target_query, reference_query) =
        (format!("year:{}..{}", target.0, target.1), format!("year:{}..{}", reference.0, reference.1));
    for mode in [keyness::Mode::Key, keyness::Mode::New, keyness::Mode::Dropped] {
        let table = keyness::keyness(&index, &target_query, &reference_query, mode).unwrap();
        assert_eq!((table.target_chars, table.reference_chars), (size(target), size(reference)), "{mode:?}");
        assert!(!table.rows.is_empty(), "{mode:?} has rows");
        for row in &table.rows {
            assert_eq!(row.target_count, scan(target, &row.text), "{mode:?} {row:?}");
            assert_eq!(row.reference_count, scan(reference, &row.text), "{mode:?} {row:?}");
            match mode {
                keyness::Mode::New => assert_eq!(row.reference_count, 0),
                keyness::Mode::Dropped => assert_eq!(row.target_count, 0),
                keyness::Mode::Key => assert!(row.log_ratio > 0.0, "{row:?}"),
            }
            let (t, r) = (table.target_chars, table.reference_chars);
            assert!(close(row.log_likelihood, stats::log_likelihood(row.target_count, t, row.reference_count, r)));
            assert!(close(row.log_ratio, stats::log_ratio(row.target_count, t, row.reference_count, r)));
            assert!((0.0..=1.0).contains(&row.dp), "{row:?}");
            assert!(row.text.chars().count() >= 2 && row.text.chars().all(|c| classify(c) == Class::Cjk), "{row:?}");
        }
    }
    let table = clusters::clusters(&index, &target_query).unwrap();
    assert!(!table.rows.is_empty());
    for row in &table.rows {
        assert_eq!(row.count, scan(target, &row.text), "{row:?}");
        let holding =
            texts.iter().zip(&normalized).filter(|(t, n)| within(target)(t) && count(n, &row.text) > 0).count();
        assert!(row.reports >= 2 && row.reports as usize <= holding, "{row:?} in {holding} reports");
        assert!((4..=16).contains(&row.text.chars().count()), "{row:?}");
    }
    let spread = |r: &clusters::Cluster| (r.reports, r.bodies, r.years, r.count);
    assert!(table.rows.windows(2).all(|w| spread(&w[0]) >= spread(&w[1])), "by spread");
}

#[test]
fn keyness_and_clusters_equal_a_plain_scan() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    // 2023 has three reports, 2020–2022 six.
    check_keyness(&site, (2023, 2023), (2020, 2022));
}

#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn keyness_and_clusters_of_the_real_reports_equal_a_plain_scan() {
    let site = TestSite::generated_corpus();
    site.build();
    check_keyness(&site, (2021, 2021), (2016, 2020));
}

/// A stock paragraph copied into many reports spreads once: a formulation
/// written anew in three reports ranks above one copied into six.
#[test]
fn a_copied_paragraph_does_not_rank_as_a_formulation_of_all() {
    let site = TestSite::new();
    let stock = "各级党组织要认真学习贯彻落实本通知精神，结合实际抓好组织实施，确保取得实效。";
    for i in 0..6 {
        site.report(
            &format!("2020/s{i}.md"),
            &format!("报告{i}"),
            &format!("机关{i}"),
            2020,
            &format!("本年度工作平稳。\n\n{stock}"),
        );
    }
    for (i, sentence) in ["我们着力培育新质生产力，成效明显。", "今年新质生产力加快发展。", "围绕新质生产力布局产业。"]
        .iter()
        .enumerate()
    {
        site.report(&format!("2020/n{i}.md"), &format!("新报告{i}"), &format!("单位{i}"), 2020, sentence);
    }
    site.build();
    let index = SearchIndex::open(&site.root().join("search-index")).unwrap();
    let table = wenku::research::clusters::clusters(&index, "year:2020").unwrap();
    let rank = |text: &str| table.rows.iter().position(|r| r.text == text);
    let stock_rows: Vec<&str> =
        table.rows.iter().filter(|r| stock.contains(r.text.as_str())).map(|r| r.text.as_str()).collect();
    assert!(rank("新质生产力").is_some(), "{:?}", table.rows);
    assert!(stock_rows.is_empty(), "a paragraph copied into six reports spreads once: {stock_rows:?}");
}

#[test]
fn keywords_and_clusters_answer_on_the_command_line_and_the_api() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let run = site.run(&["keywords", "--target", "year:2023", "--reference", "year:2020..2022", "--new", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json["target_chars"].as_u64().unwrap() > 0);
    let run = site.run(&["clusters", "year:2023", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let clusters: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let run = site.run(&["keywords", "--target", "body:不存在的机关", "--reference", "year:2020"]);
    assert!(!run.success && run.stderr.contains("body"), "{}", run.stderr);

    let server = Server::start(site.root(), &["--no-build", "--no-watch"]);
    let q = |text: &str| percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
    let api =
        server.get(&format!("/api/keywords?target={}&reference={}&mode=new", q("year:2023"), q("year:2020..2022")));
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json()["rows"], json["rows"], "the API and the command line agree");
    let api = server.get("/api/clusters?year=2023");
    assert_eq!(api.status, 200, "{}", api.text());
    assert_eq!(api.json()["rows"], clusters["rows"]);
    let file = server.get(&format!("/api/keywords?target={}&reference={}&format=xlsx", q("year:2021"), q("year:2020")));
    assert_eq!(file.status, 200);
    assert!(file.body.starts_with(b"PK"), "an XLSX file");
    for (path, says) in [
        ("/api/keywords?target=year%3A2021".to_owned(), "没有输入查询"),
        (format!("/api/keywords?target={}&reference={}&mode=odd", q("year:2021"), q("year:2020")), "mode=odd"),
        ("/api/clusters?year=20x".to_owned(), "20x"),
    ] {
        let response = server.get(&path);
        assert_eq!(response.status, 400, "{path}: {}", response.text());
        assert!(response.json()["error"].as_str().unwrap().contains(says), "{path}: {}", response.text());
    }
}

/// Keyness and clusters gather the units of the part they list, which takes
/// about a second per 100 reports: a part of more than `MAX_REPORTS`
/// reports is refused with advice, not left running for minutes.
#[test]
fn a_part_too_large_to_gather_is_refused_with_advice() {
    let site = TestSite::new();
    site.numbered_reports(wenku::research::units::MAX_REPORTS + 1, "新质生产力");
    site.build();
    let run = site.run(&["clusters", "year:2000..2019"]);
    assert!(!run.success && run.stderr.contains("at most 2000"), "{}", run.stderr);
    let run = site.run(&["keywords", "--target", "year:2000..2019", "--reference", "year:2019"]);
    assert!(!run.success && run.stderr.contains("narrow it"), "{}", run.stderr);
    // A part within the bound is answered, gathered in chunks (more than
    // the 300 reports once the most).
    let run = site.run(&["clusters", "year:2000..2014", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["reports"], 1501, "2001 reports over 20 years, from 2000");
    let rows = json["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["text"].as_str().unwrap().contains("新质生产力")).expect("the marker");
    assert_eq!((row["count"].as_u64(), row["reports"].as_u64()), (Some(1501), Some(1501)), "{row}");
}

/// The postings' counts of units (what collocates divide by) against a
/// plain scan: lone letters at a run's start, middle and end, Latin words
/// and numbers never cut, traditional characters, and a filter.
#[test]
fn units_counted_from_the_postings_equal_a_plain_scan() {
    let site = TestSite::new();
    // 高质效 (its terms 高质, 质效): the rarer 质效 leads the walk over the
    // reports holding both, from a report without 高质 (a list standing
    // past the lead is not sought back).
    site.report("2019/a.md", "零", "某局", 2019, "质效提升。")
        .report("2019/b.md", "壹", "他局", 2019, "高质量。")
        .report("2019/c.md", "贰", "他局", 2019, "高质量发展。")
        .report("2019/d.md", "叁", "某局", 2019, "高质效发展，质效。")
        .report("2020/a.md", "甲", "某局", 2020, "坚持发展，坚。持续发展5G网络和5GB存储。發展坚持坚持\n\n展示：坚 持")
        .report("2021/b.md", "乙", "某局", 2021, "坚持坚持坚持。G5与5G，发展是第一要务；展")
        .report("2021/c.md", "丙", "他局", 2021, "没有这个词的报告。");
    site.build();
    let texts = texts(&site);
    let index = SearchIndex::open(&site.root().join("search-index")).expect("the index opens");
    let units: Vec<String> = [
        "坚",
        "持",
        "展",
        "坚持",
        "持坚",
        "发展",
        "坚持发展",
        "5g",
        "5g网络",
        "g5",
        "5",
        "网络和5gb",
        "词的报",
        "无",
        "高质效",
        "质效提",
    ]
    .iter()
    .map(|u| u.to_string())
    .collect();
    for filter in ["", "year:2021", "body:某局", "body:某局 -year:2020"] {
        let parsed = wenku::search::query::parse(if filter.is_empty() { "year:..9999" } else { filter }).unwrap();
        let counted = index.count_units(&parsed.filters(), &units).unwrap();
        let in_scope = |t: &&(String, i64, String, String)| match filter {
            "year:2021" => t.1 == 2021,
            "body:某局" => t.2 == "某局",
            "body:某局 -year:2020" => t.2 == "某局" && t.1 != 2020,
            _ => true,
        };
        let scope: Vec<_> = texts.iter().filter(in_scope).collect();
        let positions: u64 = scope.iter().map(|t| count_positions(&t.3)).sum();
        assert_eq!(counted.positions, positions, "positions with {filter:?}");
        for (unit, got) in units.iter().zip(&counted.counts) {
            let want: u64 = scope.iter().map(|t| count(&normalize(&t.3), unit)).sum();
            assert_eq!(*got, want, "{unit} with {filter:?}");
        }
    }
}
