//! Wording research: the concordance (`wenku kwic`, `/api/kwic`), what
//! follows and precedes, gap queries and their variants, export. Checked on
//! a fixture whose every occurrence is counted by hand, and for exactness on
//! the real reports in ../shared/corpus: a concordance's total is the number
//! of occurrences in the normalized text, overlapping ones included.

use crate::common::TestSite;
use crate::common::server::Server;
use proptest::strategy::{Strategy, ValueTree};
use wenku::research::concordance::{self, KwicSort, View};
use wenku::research::{continuations, occurrences, occurrences_in_words, variants};
use wenku::search::analyzer::{Class, classify, normalize};
use wenku::search::{IndexDoc, SearchIndex};

/// A recurring paragraph (more than 30 characters) with 坚持 in it.
const RECURRING: &str =
    "全面贯彻落实党的二十大精神，坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。";

/// Three reports: 坚持 occurs 3 times in each (9 in all), once in each
/// inside `RECURRING`; one of them is written in traditional characters.
fn fixture() -> TestSite {
    let site = TestSite::new();
    site.report(
        "2019/a.md",
        "甲市2019年工作总结",
        "甲市",
        2019,
        &format!("我们坚持以人民为中心的发展思想，坚持稳中求进。\n\n哈哈哈，5gb网络和5g网络。\n\n{RECURRING}"),
    );
    site.report(
        "2020/b.md",
        "乙市2020年工作总结",
        "乙市",
        2020,
        &format!("坚持高质量发展。堅持改革開放。\n\n{RECURRING}"),
    );
    site.report(
        "2021/c.md",
        "甲市2021年工作总结",
        "甲市",
        2021,
        &format!("坚持科学发展，坚持以人民为中心。\n\n{RECURRING}"),
    );
    site.build();
    site
}

fn index(site: &TestSite) -> SearchIndex {
    SearchIndex::open(&site.root().join("search-index")).expect("the index opens")
}

fn view(sort: KwicSort) -> View {
    View { sort, per_page: 1000, ..View::default() }
}

#[test]
fn every_occurrence_is_a_line_with_its_context_cut_at_the_paragraph() {
    let site = fixture();
    let index = index(&site);
    let found = occurrences(&index, "\"坚持\"", 30).unwrap();
    assert_eq!((found.total, found.reports.len()), (9, 3));

    // The recurring paragraph's three occurrences fold into one line.
    let folded = concordance::concordance(&found, &view(KwicSort::Year));
    assert_eq!(folded.line_count, 7);
    let passage = folded.lines.iter().find(|l| l.count > 1).expect("a folded line");
    assert_eq!((passage.count, passage.report_count, passage.passage), (3, 3, true));
    assert_eq!((passage.year, passage.last_year), (2019, Some(2021)));
    let apart = concordance::concordance(&found, &View { fold: false, ..view(KwicSort::Year) });
    assert_eq!(apart.line_count, 9);

    // Context stays inside the paragraph; the match is shown as written.
    let traditional = apart.lines.iter().find(|l| l.matched == "堅持").expect("the traditional form");
    assert_eq!(traditional.left, "坚持高质量发展。");
    assert_eq!(traditional.right, "改革開放。");
    assert!(traditional.url.starts_with("/2020/") && traditional.url.contains('#'), "{}", traditional.url);
    assert!(apart.lines.iter().all(|l| normalize(&l.matched) == "坚持"));
    let first = &apart.lines[0];
    assert_eq!((first.left.as_str(), first.right.as_str()), ("我们", "以人民为中心的发展思想，坚持稳中求进。"));

    // Width counts characters on each side.
    let narrow = occurrences(&index, "\"坚持\"", 4).unwrap();
    let lines = concordance::lines(&narrow, &View { fold: false, ..view(KwicSort::Year) });
    assert_eq!((lines[0].left.as_str(), lines[0].right.as_str()), ("我们", "以人民为"));
}

#[test]
fn sorting_grouping_and_exact_counts() {
    let site = fixture();
    let index = index(&site);
    let found = occurrences(&index, "\"坚持\"", 30).unwrap();
    let apart = |sort| concordance::lines(&found, &View { fold: false, ..view(sort) });

    let rights: Vec<String> = apart(KwicSort::Right).iter().map(|l| l.right.clone()).collect();
    let mut sorted = rights.clone();
    sorted.sort();
    assert_eq!(rights, sorted, "sorted by what follows");
    let lefts: Vec<String> = apart(KwicSort::Left).iter().map(|l| l.left.chars().rev().collect()).collect();
    let mut sorted = lefts.clone();
    sorted.sort();
    assert_eq!(lefts, sorted, "sorted by what precedes, read backwards");
    let bodies: Vec<String> = apart(KwicSort::Body).iter().map(|l| l.body.clone()).collect();
    assert_eq!(bodies.iter().filter(|b| *b == "甲市").count(), 6);
    assert!(bodies.windows(2).all(|w| w[0] <= w[1]));
    let years: Vec<i64> = apart(KwicSort::Year).iter().map(|l| l.year).collect();
    assert!(years.windows(2).all(|w| w[0] <= w[1]));

    // Grouping merges identical lines: the recurring paragraph's three.
    let grouped = concordance::lines(&found, &View { group: true, fold: false, ..view(KwicSort::Year) });
    assert_eq!(grouped.len(), 7);

    let total = |q: &str| occurrences(&index, q, 30).unwrap().total;
    assert_eq!(total("\"哈哈\""), 2, "overlapping occurrences count");
    assert_eq!(total("\"5g\""), 1, "5gb is another word");
    assert_eq!(total("\"坚持\" year:2020"), 3, "filters apply");
    assert_eq!(total("\"坚持\" -改革"), 6, "exclusions apply");
    assert_eq!(total("\"坚持以人民为中心\" OR 高质量发展"), 3, "every wording of the query");
}

#[test]
fn gap_queries_match_within_a_sentence_and_list_their_variants() {
    let site = fixture();
    let index = index(&site);
    let any = occurrences_in_words(&index, "坚持*发展", 30).unwrap();
    assert_eq!(any.total, 6);
    let forms = variants::variants(&any);
    let texts: Vec<&str> = forms.variants.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        ["坚持稳中求进工作总基调，完整准确全面贯彻新发展", "坚持以人民为中心的发展", "坚持高质量发展", "坚持科学发展"],
        "oldest first, then most frequent"
    );
    assert_eq!((forms.variants[0].count, forms.variants[0].first_year, forms.variants[0].last_year), (3, 2019, 2021));
    assert_eq!(forms.variants[0].years, [(2019, 1), (2020, 1), (2021, 1)]);
    assert_eq!(forms.variants[2].query, "坚持高质量发展");

    let near = occurrences(&index, "坚持{0,3}发展", 30).unwrap();
    let matched: Vec<&str> = near.items.iter().map(|o| o.matched.as_str()).collect();
    assert_eq!(matched, ["坚持高质量发展", "坚持科学发展"]);

    // The same syntax in search: reports, totals and marks.
    let run = site.run(&["search", "坚持{0,3}发展", "--json"]);
    assert!(run.success, "{}", run.stderr);
    let results: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(results["total"], 2);
    assert!(run.stdout.contains("<mark>坚持高质量发展</mark>"), "{}", run.stdout);
    let run = site.run(&["search", "坚持{6,2}发展"]);
    assert!(!run.success && run.stderr.contains("is not a gap"), "{}", run.stderr);
    let run = site.run(&["search", "*发展"]);
    assert!(!run.success && run.stderr.contains("no wording on one side"), "{}", run.stderr);
}

#[test]
fn what_follows_and_precedes_a_phrase() {
    let site = fixture();
    let index = index(&site);
    let found = occurrences_in_words(&index, "\"坚持\"", 30).unwrap();
    let next = continuations::continuations(&found, continuations::Side::Right).unwrap();
    let row = |text: &str| next.rows.iter().find(|r| r.text == text).unwrap_or_else(|| panic!("{text}: {next:?}"));
    assert_eq!((row("稳中求进").count, row("稳中求进").reports), (4, 3));
    assert_eq!(row("稳中求进").query, "\"坚持稳中求进\"");
    assert_eq!(
        (row("以人民为中心").count, row("以人民为中心").first_year, row("以人民为中心").last_year),
        (2, 2019, 2021)
    );
    assert!(next.rows.iter().all(|r| r.text != "以人民为" && r.text != "以人"), "no rows in the middle of a unit");
    // A row never reaches across punctuation (发展，坚持 is no 发展坚持).
    assert!(next.rows.iter().all(|r| r.text.chars().all(|c| c.is_alphanumeric())), "{next:?}");

    let before =
        continuations::continuations(&occurrences_in_words(&index, "\"发展\"", 30).unwrap(), continuations::Side::Left)
            .unwrap();
    assert!(before.rows.iter().any(|r| r.text == "加快构建新" && r.query == "\"加快构建新发展\""), "{before:?}");

    let two = occurrences(&index, "坚持 发展", 30).unwrap();
    assert!(continuations::continuations(&two, continuations::Side::Right).is_err(), "one phrase only");
}

#[test]
fn the_command_line_prints_json_and_exports_csv_and_xlsx() {
    let site = fixture();
    let run = site.run(&["kwic", "\"坚持\"", "--json", "--sort", "right", "--no-fold"]);
    assert!(run.success, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total"], 9);
    let lines = json["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 9);
    for key in ["left", "match", "right", "url", "title", "year", "body"] {
        assert!(lines.iter().all(|l| !l[key].is_null()), "every line has {key}");
    }

    let text = site.run(&["kwic", "\"坚持\"", "--width", "6"]);
    assert!(text.stdout.starts_with("9 occurrences in 3 reports"), "{}", text.stdout);
    assert!(text.stdout.contains("[坚持]"), "{}", text.stdout);

    let table = site.run(&["kwic", "\"坚持\"", "--table", "next", "--json"]);
    let table: serde_json::Value = serde_json::from_str(&table.stdout).unwrap();
    assert!(table["rows"].as_array().unwrap().iter().any(|r| r["text"] == "稳中求进"));

    let csv = site.root().join("out.csv");
    let run = site.run(&["kwic", "\"坚持\"", "--export", csv.to_str().unwrap()]);
    assert!(run.success, "{}", run.stderr);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let text = String::from_utf8(bytes).unwrap();
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(rows[0].contains("坚持") && rows[0].contains("exported"), "{}", rows[0]);
    assert!(rows[2].starts_with("left,match,right"), "{}", rows[2]);
    assert_eq!(rows.len() - 3, 7, "one row per line, folded as shown");

    let xlsx = site.root().join("out.xlsx");
    let run = site.run(&["kwic", "坚持*发展", "--table", "variants", "--export", xlsx.to_str().unwrap()]);
    assert!(run.success, "{}", run.stderr);
    // Read back by a spreadsheet reader (calamine): the query on top, the
    // headers on the third row, the rows under them.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("a spreadsheet reader opens it");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    let cell = |row: u32, col: u32| sheet.get_value((row, col)).map(|c| c.to_string()).unwrap_or_default();
    assert!(cell(0, 1).contains("坚持*发展"), "{:?}", sheet.rows().next());
    assert!(!cell(2, 0).is_empty() && !cell(3, 0).is_empty(), "{:?}", sheet.rows().nth(2));
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "坚持高质量发展"), "{cells:?}");

    for (args, says) in [
        (vec!["kwic", "year:2020"], "needs wording"),
        (vec!["kwic", "坚持 发展", "--table", "next"], "one phrase"),
        (vec!["kwic", "\"坚持\"", "--width", "0"], "--width"),
        (vec!["kwic", "\"坚持\"", "--export", "out.txt"], ".csv or .xlsx"),
    ] {
        let run = site.run(&args);
        assert!(!run.success && run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

fn q(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[test]
fn the_api_serves_every_view_and_exports() {
    let site = fixture();
    let server = Server::start(site.root(), &["--no-build"]);
    let lines = server.get(&format!("/api/kwic?q={}&sort=right&fold=0&per_page=4", q("\"坚持\""))).json();
    assert_eq!((lines["total"].as_u64(), lines["pages"].as_u64()), (Some(9), Some(3)));
    assert_eq!(lines["lines"].as_array().unwrap().len(), 4);
    let second = server.get(&format!("/api/kwic?q={}&sort=right&fold=0&per_page=4&page=3", q("\"坚持\""))).json();
    assert_eq!(second["lines"].as_array().unwrap().len(), 1);
    let filtered = server.get(&format!("/api/kwic?q={}&body={}", q("\"坚持\""), q("乙市"))).json();
    assert_eq!(filtered["total"], 3);

    let next = server.get(&format!("/api/kwic/next?q={}", q("\"坚持\""))).json();
    assert!(next["rows"].as_array().unwrap().iter().any(|r| r["text"] == "稳中求进"));
    let before = server.get(&format!("/api/kwic/before?q={}", q("\"发展\""))).json();
    assert_eq!(before["side"], "left");
    let forms = server.get(&format!("/api/kwic/variants?q={}", q("坚持*发展"))).json();
    assert_eq!(forms["variants"].as_array().unwrap().len(), 4);

    let csv = server.get(&format!("/api/kwic/export?q={}&view=lines&format=csv", q("\"坚持\"")));
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("attachment"));
    assert!(csv.body.starts_with("\u{feff}查询".as_bytes()), "{}", csv.text());
    let xlsx = server.get(&format!("/api/kwic/export?q={}&view=next&format=xlsx", q("\"坚持\"")));
    assert!(xlsx.body.starts_with(b"PK"));

    // Mistakes are 400s in the site's language, never 500s.
    for (path, says) in [
        (format!("/api/kwic?q={}&sort=sideways", q("\"坚持\"")), "未知的排序方式"),
        (format!("/api/kwic?q={}", q("year:2020")), "语境检索需要词语"),
        (format!("/api/kwic?q={}", q("坚持{9,1}发展")), "不是有效的间隔"),
        (format!("/api/kwic?q={}&width=999", q("\"坚持\"")), "width"),
        (format!("/api/kwic/next?q={}", q("坚持 发展")), "只针对一个词语"),
        (format!("/api/kwic/export?q={}&format=pdf", q("\"坚持\"")), "format=pdf"),
        ("/api/kwic".to_owned(), "没有输入查询"),
    ] {
        let response = server.get(&path);
        assert_eq!(response.status, 400, "{path}: {}", response.text());
        assert!(response.json()["error"].as_str().unwrap().contains(says), "{path}: {}", response.text());
    }
}

/// Occurrences of `phrase` in `text` (both normalized), overlapping ones
/// included, that do not cut a Latin word or number: counted char by char,
/// independently of the matcher under test.
fn count_occurrences(text: &str, phrase: &str) -> usize {
    let word = |c: Option<char>| c.is_some_and(|c| classify(c) == Class::Word);
    let (starts_word, ends_word) = (word(phrase.chars().next()), word(phrase.chars().next_back()));
    text.char_indices()
        .filter(|(at, _)| text[*at..].starts_with(phrase))
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + phrase.len()..].chars().next();
            !((starts_word && word(before)) || (ends_word && word(after)))
        })
        .count()
}

#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn concordance_totals_equal_the_occurrences_in_the_real_reports() {
    let site = TestSite::generated_corpus();
    site.build();
    let loaded = wenku::build::load(site.root(), false).expect("the site loads");
    let originals: Vec<(String, String)> = loaded
        .library
        .reports
        .iter()
        .map(|r| {
            let doc = IndexDoc::from_report(r, &loaded.config);
            (doc.id, doc.text)
        })
        .collect();
    let texts: Vec<String> = originals.iter().map(|(_, text)| normalize(text)).collect();
    assert!(texts.len() >= 100, "the corpus has its reports: {}", texts.len());
    let index = index(&site);

    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut phrases: Vec<String> =
        ["坚持", "发展", "疫情防控", "GDP", "5G", "2020年", "的", "人民代表大会", "十四五"].map(String::from).to_vec();
    // Wording that overlaps itself where it occurs (`aa` in `aaa`, `abab`
    // in `ababab`), where counting overlapping occurrences matters.
    for text in &texts {
        let chars: Vec<char> = text.chars().collect();
        for period in 1..=2 {
            for i in 0..chars.len().saturating_sub(3 * period) {
                let (a, b, c) =
                    (&chars[i..i + period], &chars[i + period..i + 2 * period], &chars[i + 2 * period..i + 3 * period]);
                if a == b && b == c && a.iter().all(|&ch| classify(ch) == Class::Cjk) && phrases.len() < 20 {
                    phrases.push(chars[i..i + 2 * period].iter().collect());
                }
            }
        }
    }
    while phrases.len() < 200 {
        let (doc, start, len) =
            (0..texts.len(), 0..1_000_000usize, 1..=8usize).new_tree(&mut runner).expect("a value").current();
        let chars: Vec<char> = texts[doc].chars().collect();
        let start = start % chars.len();
        let phrase: String = chars[start..(start + len).min(chars.len())].iter().collect();
        // Quotes, stars and braces are query syntax; spaces stand for any punctuation.
        let phrase = phrase.replace(['"', '*', '{', '}'], " ");
        if !normalize(&phrase).is_empty() {
            phrases.push(phrase);
        }
    }
    check_gap_queries(&index, &originals);
    for phrase in &phrases {
        let wanted = normalize(phrase);
        let expected: usize = texts.iter().map(|t| count_occurrences(t, &wanted)).sum();
        let reports = texts.iter().filter(|t| count_occurrences(t, &wanted) > 0).count();
        let found = occurrences(&index, &format!("\"{phrase}\""), 10).unwrap();
        assert_eq!((found.total, found.reports.len()), (expected, reports), "{phrase:?} (normalized {wanted:?})");
        assert!(
            found.items.iter().all(|o| normalize(&o.matched) == wanted),
            "every line's match is the phrase: {phrase:?}"
        );
    }
}

/// Whether some sentence of `text` (split at 。！？；!?; and line ends) holds
/// `first`, then `second` after it with at most `max` characters between
/// (normalized): a reference written apart from the matcher under test.
fn has_gap_match(text: &str, first: &str, second: &str, max: Option<usize>) -> bool {
    text.split(['。', '！', '？', '；', '!', '?', ';', '\n']).any(|sentence| {
        let sentence = normalize(sentence);
        let starts = |phrase: &str| -> Vec<usize> {
            let chars: Vec<char> = sentence.chars().collect();
            let wanted: Vec<char> = phrase.chars().collect();
            (0..chars.len()).filter(|&i| chars[i..].starts_with(&wanted)).collect()
        };
        let (a, b) = (starts(first), starts(second));
        let (la, _) = (first.chars().count(), second.chars().count());
        a.iter().any(|&i| b.iter().any(|&j| j >= i + la && max.is_none_or(|m| j - (i + la) <= m)))
    })
}

/// Gap queries find exactly the reports where the gap reference finds a
/// match: pairs of words taken from one sentence of a real report, and
/// pairs taken at random.
fn check_gap_queries(index: &SearchIndex, originals: &[(String, String)]) {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let cjk = |s: &str| s.chars().count() == 2 && s.chars().all(|c| classify(c) == Class::Cjk);
    let mut checked = 0;
    while checked < 60 {
        let (doc, start, distance, limit) = (0..originals.len(), 0..1_000_000usize, 2..12usize, 0..8usize)
            .new_tree(&mut runner)
            .expect("a value")
            .current();
        let chars: Vec<char> = originals[doc].1.chars().collect();
        let start = start % chars.len().saturating_sub(20).max(1);
        let first: String = chars[start..(start + 2).min(chars.len())].iter().collect();
        let at = (start + 2 + distance).min(chars.len().saturating_sub(2));
        let second: String = chars[at..(at + 2).min(chars.len())].iter().collect();
        if !cjk(&first) || !cjk(&second) || normalize(&first) == normalize(&second) {
            continue;
        }
        let (first, second) = (normalize(&first), normalize(&second));
        for (query, max) in
            [(format!("{first}*{second}"), None), (format!("{first}{{0,{limit}}}{second}"), Some(limit))]
        {
            let expected: std::collections::BTreeSet<&str> = originals
                .iter()
                .filter(|(_, text)| has_gap_match(text, &first, &second, max))
                .map(|(id, _)| id.as_str())
                .collect();
            let found = occurrences(index, &query, 10).unwrap();
            let ids: std::collections::BTreeSet<&str> = found.reports.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids, expected, "{query}");
            let mut request = wenku::search::SearchRequest::new(query.clone());
            request.per_page = 1;
            assert_eq!(index.search(&request).unwrap().total, expected.len(), "search agrees: {query}");
        }
        checked += 1;
    }
}

#[test]
fn a_report_holding_the_parts_of_a_gap_but_not_the_gap_is_no_match() {
    let site = TestSite::new();
    site.report("2020/a.md", "甲", "甲市", 2020, "坚持高质量发展。深化改革。");
    // 坚持 and 发展 in different sentences: the index's candidate, not a match.
    site.report("2020/b.md", "乙", "乙市", 2020, "坚持改革。发展经济。");
    site.report("2021/c.md", "丙", "丙市", 2021, "坚持科学发展。");
    site.build();
    let index = index(&site);
    let found = |q: &str| {
        let found = occurrences(&index, q, 30).unwrap();
        let mut ids: Vec<String> = found.reports.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        (found.total, ids)
    };
    assert_eq!(found("坚持*发展 改革"), (2, vec!["2020/a.md".to_owned()]), "the gap and 改革, both in a");
    assert_eq!(found("坚持*发展"), (2, vec!["2020/a.md".to_owned(), "2021/c.md".to_owned()]));
    assert_eq!(
        found("坚持*发展 OR 经济"),
        (3, vec!["2020/a.md".to_owned(), "2020/b.md".to_owned(), "2021/c.md".to_owned()])
    );
    assert_eq!(found("改革 -坚持*发展"), (1, vec!["2020/b.md".to_owned()]), "left out exactly");
    assert_eq!(found("year:2021 OR 坚持*发展"), (2, vec!["2020/a.md".to_owned(), "2021/c.md".to_owned()]));
}
