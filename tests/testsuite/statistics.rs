//! Research statistics (collocates, frequency by year and body): every
//! count checked against a plain scan of the reports' text, every score
//! recomputed from its row's counts, on a fixture and on the real reports.

use crate::common::TestSite;
use crate::common::server::Server;
use wenku::research::{collocates, frequency, occurrences, stats};
use wenku::search::analyzer::{Class, classify, count_positions, normalize};
use wenku::search::{IndexDoc, SearchIndex};

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

    let found = occurrences(&index, &query, collocates::context_width(collocates::DEFAULT_WINDOW)).unwrap();
    let table = collocates::collocates(&index, &found, collocates::DEFAULT_WINDOW).unwrap();
    let size: u64 = texts.iter().map(|t| count_positions(&t.3)).sum();
    let node: u64 = normalized.iter().map(|t| count(t, &normalize(phrase))).sum();
    assert_eq!((table.node_freq, table.positions), (node, size), "{phrase}");
    assert!(!table.rows.is_empty(), "{phrase} has collocates");
    for row in &table.rows {
        let freq: u64 = normalized.iter().map(|t| count(t, &row.text)).sum();
        assert_eq!(row.freq, freq, "{phrase}: freq of {}", row.text);
        assert!(row.count >= 2 && row.count <= node, "{phrase}: {row:?}");
        assert!(close(row.log_dice, stats::log_dice(row.count, node, row.freq)), "{row:?}");
        assert!(close(row.mi, stats::mutual_information(row.count, node, row.freq, size)), "{row:?}");
        let rest = size - node;
        let g2 = stats::log_likelihood(row.count, node, row.freq.saturating_sub(row.count), rest);
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
