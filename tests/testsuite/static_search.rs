//! The static index against the server's: the engine the browser runs
//! (`wenku_engine::static_index`), fed the files `wenku build` wrote, must
//! find the same reports as Tantivy, with the same totals, facets, chart,
//! order and scores, for hand-picked structured queries on the sample and
//! for hundreds of random phrases from the real reports and from an archive
//! of 10,000 reports made of them.

use std::path::Path;

use proptest::strategy::{Strategy, ValueTree};
use wenku::search::searcher::{SearchIndex, SearchRequest, SearchResults, Sort};
use wenku_engine::analyzer::normalize;
use wenku_engine::concordance::{Concordance, KwicSort, View};
use wenku_engine::static_index::{Download, Frequency, FrequencyTable, StaticIndex, Step, Units, UnitsTable};

use crate::common::TestSite;

/// The static engine over `public/_search`, fetching files as the browser
/// would, counting the rounds.
pub(crate) struct Static {
    index: StaticIndex,
    dir: std::path::PathBuf,
    download: Download,
    /// Every file fetched, in order.
    fetched: Vec<String>,
}

impl Static {
    pub(crate) fn open(public: &Path) -> Static {
        let dir = public.join("_search");
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let index = StaticIndex::open(&read("manifest.json")).expect("the static index opens");
        Static { index, dir, download: Download::Bounded, fetched: Vec::new() }
    }

    /// The engine as a page that read `manifest` (an earlier one) sees the
    /// files in `public` now.
    pub(crate) fn open_as_before(public: &Path, manifest: &[u8]) -> Static {
        let index = StaticIndex::open(manifest).expect("the manifest opens");
        Static { index, dir: public.join("_search"), download: Download::Bounded, fetched: Vec::new() }
    }

    /// Forgets the files fetched: the next search starts cold.
    pub(crate) fn clear(&mut self) {
        self.index.clear_files();
        self.fetched.clear();
    }

    pub(crate) fn search(&mut self, request: &SearchRequest) -> Result<SearchResults, String> {
        let download = self.download;
        self.answer(|index| index.search(request, download))
    }

    /// A page of the concordance (`table=lines`), as the page asks for it.
    pub(crate) fn concordance(&mut self, query: &str, view: &View) -> Result<Concordance, String> {
        let download = self.download;
        self.answer(|index| index.concordance(query, view, wenku::research::DEFAULT_WIDTH, download))
    }

    /// A research table (`table=years|bodies`), as the page asks for it.
    pub(crate) fn frequency(&mut self, query: &str, table: FrequencyTable) -> Result<Frequency, String> {
        let download = self.download;
        self.answer(|index| index.frequency(query, table, download))
    }

    /// A table of whole-word units (`table=next|before|variants`).
    pub(crate) fn units(&mut self, query: &str, table: UnitsTable) -> Result<Units, String> {
        let download = self.download;
        self.answer(|index| index.units(query, table, wenku::research::DEFAULT_WIDTH, download))
    }

    /// The page's own exchange (`static_index::answer`): the JSON answer to
    /// URL parameters, after fetching what it needs.
    pub(crate) fn answer_params(&mut self, params: &[(&str, &str)]) -> serde_json::Value {
        let asked = serde_json::to_vec(params).unwrap();
        for _round in 0..10 {
            let answer: serde_json::Value =
                serde_json::from_str(&wenku_engine::static_index::answer(&self.index, &asked)).unwrap();
            let Some(need) = answer.get("need").and_then(|need| need.as_array()) else { return answer };
            self.fetch(need.iter().map(|path| path.as_str().unwrap().to_owned()).collect());
        }
        panic!("needed more than 10 rounds of files");
    }

    fn answer<T>(&mut self, ask: impl Fn(&StaticIndex) -> Step<T>) -> Result<T, String> {
        for _round in 0..10 {
            match ask(&self.index) {
                Step::Done(answer) => return answer.map_err(|e| e.message),
                Step::Need(paths) => self.fetch(paths),
            }
        }
        panic!("needed more than 10 rounds of files");
    }

    /// One round's files, read from the site as the browser fetches them.
    fn fetch(&mut self, paths: Vec<String>) {
        assert!(!paths.is_empty(), "a round needs something");
        for path in paths {
            let bytes = std::fs::read(self.dir.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            self.index.add_file(&path, bytes);
            self.fetched.push(path);
        }
    }
}

fn request(query: &str, sort: Sort, per_page: usize) -> SearchRequest {
    SearchRequest { query: query.to_owned(), sort, page: 1, per_page }
}

/// Same answer from both, or the same error.
pub(crate) fn assert_same(server: &SearchIndex, engine: &mut Static, query: &str) {
    assert_same_with(server, engine, query, Scores::Same);
}

/// Whether the server's scores are a fresh index's: after incremental
/// updates Tantivy's statistics still count the reports it deleted until
/// their segments merge, where the static index counts live reports only
/// (as a fresh build does).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Scores {
    Same,
    ServerCountsDeleted,
}

pub(crate) fn assert_same_with(server: &SearchIndex, engine: &mut Static, query: &str, scores: Scores) {
    for sort in [Sort::Relevance, Sort::Oldest, Sort::Newest] {
        let request = request(query, sort, 50);
        let expected = server.search(&request).map_err(|e| e.to_string());
        let found = engine.search(&request);
        let (expected, found) = match (expected, found) {
            (Ok(e), Ok(f)) => (e, f),
            (Err(e), Err(f)) => {
                assert!(e.contains(&f), "{query:?}: the server says {e:?}, the engine {f:?}");
                continue;
            }
            (e, f) => panic!(
                "{query:?} {sort:?}: the server answers {:?}, the engine {:?}",
                e.map(|r| r.total),
                f.map(|r| r.total)
            ),
        };
        let context = format!("{query:?} sorted by {sort:?}");
        assert_eq!(found.total, expected.total, "{context}: total");
        assert_eq!(found.sort, expected.sort, "{context}: sort");
        assert_eq!(found.facets.year, expected.facets.year, "{context}: years");
        assert_eq!(found.facets.archive_years, expected.facets.archive_years, "{context}: the chart's years");
        assert_eq!(found.facets.body, expected.facets.body, "{context}: bodies");
        assert_eq!(found.facets.level, expected.facets.level, "{context}: levels");
        assert_eq!(found.facets.period, expected.facets.period, "{context}: periods");
        let ids = |r: &SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if sort != Sort::Relevance || expected.sort != Sort::Relevance {
            assert_eq!(ids(&found), ids(&expected), "{context}: hits");
        } else if scores == Scores::ServerCountsDeleted {
            if found.total <= found.per_page {
                let sorted = |r: &SearchResults| {
                    let mut ids = ids(r);
                    ids.sort();
                    ids
                };
                assert_eq!(sorted(&found), sorted(&expected), "{context}: hits");
            }
        } else {
            same_ranking(&expected, &found, &context);
        }
        for (f, e) in found.hits.iter().zip(&expected.hits) {
            if f.id == e.id {
                assert_eq!(f.url, e.url, "{context}: {}", f.id);
                assert_eq!(
                    f.snippets.iter().map(|s| &s.url).collect::<Vec<_>>(),
                    e.snippets.iter().map(|s| &s.url).collect::<Vec<_>>(),
                    "{context}: snippets of {}",
                    f.id
                );
            }
        }
    }
}

/// Scores equal place by place (to float rounding), and the same reports
/// wherever the score is not tied with the page's last one (ties may break
/// differently: Tantivy breaks them by segment, the engine by report number).
fn same_ranking(expected: &SearchResults, found: &SearchResults, context: &str) {
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
    assert_eq!(found.hits.len(), expected.hits.len(), "{context}: hits on the page");
    for (i, (f, e)) in found.hits.iter().zip(&expected.hits).enumerate() {
        let (fs, es) = (f.score.unwrap_or(f32::NAN), e.score.unwrap_or(f32::NAN));
        assert!(close(fs, es), "{context}: score at {i}: engine {fs} ({}), server {es} ({})", f.id, e.id);
    }
    let Some(last) = expected.hits.last().and_then(|h| h.score) else { return };
    let settled = |r: &SearchResults| {
        let mut ids: Vec<String> =
            r.hits.iter().filter(|h| !close(h.score.unwrap(), last)).map(|h| h.id.clone()).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(settled(found), settled(expected), "{context}: the reports ranked above the page's last score");
}

#[test]
fn the_sample_answers_structured_queries_as_the_server_does() {
    // The sample's wenku.yaml turns the static index on.
    let site = TestSite::sample();
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    for query in [
        "疫情防控",
        "坚持",
        "的",
        "发展",
        "\"疫情 防控\"",
        "工作 发展 year:2020..2023",
        "疫情 OR 新冠",
        "发展 -疫情",
        "year:2021",
        "year:..2019 level:省级",
        "period:年度 发展",
        "坚持*发展",
        "坚持{0,4}发展",
        "body:某市生态环境局",
        "body:某市生态环境",
        "level:国家",
        "\"疫情",
        "yaer:2020",
        "GDP",
        "5G",
        "没有这样的词语组合",
        "十四五",
        "人民群众",
    ] {
        assert_same(&server, &mut engine, query);
    }
}

/// The static index's concordance equals the server's, JSON for JSON (but
/// the time taken), in every sort, grouped and not, folded and not, on its
/// first and second page.
pub(crate) fn assert_same_concordance(server: &SearchIndex, engine: &mut Static, query: &str) {
    let found = wenku::research::occurrences(server, query, wenku::research::DEFAULT_WIDTH);
    let views = [
        View::default(),
        View { sort: KwicSort::Right, per_page: 7, page: 2, ..View::default() },
        View { sort: KwicSort::Left, group: true, ..View::default() },
        View { sort: KwicSort::Body, fold: false, per_page: 5, ..View::default() },
    ];
    let json = |lines: Concordance| {
        let mut value = serde_json::to_value(lines).unwrap();
        value["took_ms"] = serde_json::Value::Null;
        value
    };
    for view in views {
        let expected = found
            .as_ref()
            .map(|found| json(wenku::research::concordance::concordance(found, &view)))
            .map_err(|e| e.to_string());
        let answer = agreed(engine, |engine| engine.concordance(query, &view).map(json));
        assert_agree(&expected, &answer, &format!("{query}: {view:?}"));
    }
}

/// The engine's answer, started cold; asked again with the reader's
/// agreement when it says what it would download.
fn agreed(
    engine: &mut Static,
    ask: impl Fn(&mut Static) -> Result<serde_json::Value, String>,
) -> Result<serde_json::Value, String> {
    engine.clear();
    let answer = ask(engine);
    if !answer.as_ref().is_err_and(|message| message.contains("MB")) {
        return answer;
    }
    let bounded = std::mem::replace(&mut engine.download, Download::Any);
    let answer = ask(engine);
    engine.download = bounded;
    answer
}

fn json(rows: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(rows).unwrap()
}

/// The server's answer and the engine's are the same JSON, or the same
/// problem (the server's error adds its help on the next line).
fn assert_agree(expected: &Result<serde_json::Value, String>, answer: &Result<serde_json::Value, String>, what: &str) {
    match (expected, answer) {
        (Ok(expected), Ok(answer)) => assert_eq!(answer, expected, "{what}"),
        (Err(expected), Err(answer)) => {
            assert_eq!(Some(answer.as_str()), expected.lines().next(), "{what}: the same problem")
        }
        _ => panic!("{what}: the server says {expected:?}, the static index {answer:?}"),
    }
}

/// The research tables the static index answers (by year, by body; what
/// follows, what precedes, the variants) equal the server's, JSON for JSON.
pub(crate) fn assert_same_tables(server: &SearchIndex, engine: &mut Static, query: &str) {
    let found = wenku::research::occurrences(server, query, wenku::research::DEFAULT_WIDTH);
    for table in [FrequencyTable::Years, FrequencyTable::Bodies] {
        let expected = found.as_ref().map_err(|e| e.to_string()).and_then(|found| match table {
            FrequencyTable::Years => {
                wenku::research::frequency::by_year(server, found).map(json).map_err(|e| e.to_string())
            }
            FrequencyTable::Bodies => Ok(json(wenku::research::frequency::by_body(found))),
        });
        let answer = agreed(engine, |engine| engine.frequency(query, table).map(json));
        assert_agree(&expected, &answer, &format!("{query}: {table:?}"));
    }
    // The tables of whole-word units: the engine cuts by the stored cuts,
    // the server by the segmenter at query time.
    use wenku::research::continuations::{self, Side};
    let width = wenku::research::DEFAULT_WIDTH.max(continuations::MAX_CHARS);
    let found = wenku::research::occurrences_in_words(server, query, width);
    for table in [UnitsTable::Next, UnitsTable::Before, UnitsTable::Variants] {
        let expected = found.as_ref().map_err(|e| e.to_string()).and_then(|found| match table {
            UnitsTable::Next | UnitsTable::Before => {
                let side = if table == UnitsTable::Next { Side::Right } else { Side::Left };
                continuations::continuations(found, side)
                    .map(json)
                    .map_err(|problem| wenku::search::QueryError::from(problem).to_string())
            }
            UnitsTable::Variants => Ok(json(wenku::research::variants::variants(found))),
        });
        let answer = agreed(engine, |engine| engine.units(query, table).map(json));
        assert_agree(&expected, &answer, &format!("{query}: {table:?}"));
    }
}

#[test]
fn the_sample_answers_the_concordance_and_tables_as_the_server_does() {
    let site = TestSite::sample();
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    for query in [
        "疫情防控",
        "坚持",
        "的",
        "\"疫情 防控\"",
        "疫情 OR 新冠",
        "工作 发展 year:2020..2023",
        "发展 -疫情",
        "坚持*发展",
        "坚持{0,4}发展 level:省级",
        "发展 -body:某市生态环境局",
        "GDP",
        "5G",
        "没有这样的词语组合",
        "year:2021",
        "发展 body:某市生态环境",
    ] {
        assert_same_tables(&server, &mut engine, query);
        assert_same_concordance(&server, &mut engine, query);
    }
    // Agreeing on empty tables would prove nothing: 坚持 is followed by units.
    let next = engine.units("坚持", UnitsTable::Next).unwrap();
    assert!(
        matches!(&next, Units::Continuations(table) if table.rows.iter().any(|row| row.text == "党的全面领导")),
        "{next:?}"
    );
}

/// The corpus statistics the static index answers (collocates, keyness,
/// clusters) equal the server's, JSON for JSON: the same candidates from
/// the same cuts, the same counts by the search's rule (the server reads
/// some from its postings, the engine scans the texts), the same ranking.
pub(crate) fn assert_same_statistics(
    server: &SearchIndex,
    engine: &mut Static,
    queries: &[&str],
    parts: &[(&str, &str)],
) {
    use wenku::research::{clusters, collocates, keyness};
    let as_text = |e: wenku::search::searcher::SearchError| e.to_string();
    for &query in queries {
        let window = collocates::DEFAULT_WINDOW;
        let expected = wenku::research::occurrences_in_words(server, query, collocates::context_width(window))
            .map_err(as_text)
            .and_then(|found| collocates::collocates(server, &found, window).map(json).map_err(as_text));
        let answer = agreed(engine, |engine| {
            let download = engine.download;
            engine.answer(|index| index.collocates(query, window, download)).map(json)
        });
        assert_agree(&expected, &answer, &format!("{query}: collocates"));
        let expected = clusters::clusters(server, query).map(json).map_err(as_text);
        let answer = agreed(engine, |engine| {
            let download = engine.download;
            engine.answer(|index| index.clusters(query, download)).map(json)
        });
        assert_agree(&expected, &answer, &format!("{query}: clusters"));
    }
    for &(target, reference) in parts {
        for mode in [keyness::Mode::Key, keyness::Mode::New, keyness::Mode::Dropped] {
            let expected = keyness::keyness(server, target, reference, mode).map(json).map_err(as_text);
            let answer = agreed(engine, |engine| {
                let download = engine.download;
                engine.answer(|index| index.keyness(target, reference, mode, download)).map(json)
            });
            assert_agree(&expected, &answer, &format!("{target} against {reference}: {mode:?}"));
        }
    }
}

#[test]
fn the_sample_answers_collocates_keyness_and_clusters_as_the_server_does() {
    let site = TestSite::sample();
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    assert_same_statistics(
        &server,
        &mut engine,
        &[
            "坚持",
            "疫情防控 year:2020..2022",
            "发展 level:省级",
            "year:2023",
            "-body:某市生态环境局",
            "坚持*发展",
            "坚持 发展",
            "没有这样的词语组合",
            "发展 body:某市生态环境",
        ],
        &[
            ("year:2023", "year:2020..2022"),
            ("body:某市生态环境局", "-body:某市生态环境局"),
            ("疫情", "year:2023"),
            ("year:2030", "year:2020"),
        ],
    );
    // Agreeing on empty tables would prove nothing.
    let rows = |answer: serde_json::Value| answer["body"]["rows"].as_array().map_or(0, Vec::len);
    assert!(rows(engine.answer_params(&[("q", "坚持"), ("table", "collocates")])) > 5);
    assert!(rows(engine.answer_params(&[("year", "2023"), ("table", "clusters")])) > 5);
    let keywords = [("target", "year:2023"), ("reference", "year:2020..2022"), ("mode", "new"), ("table", "keywords")];
    assert!(rows(engine.answer_params(&keywords)) > 5);
    // A bad parameter is a message in the site's language, not a failure.
    let answer = engine.answer_params(&[("q", "坚持"), ("table", "collocates"), ("window", "99")]);
    assert_eq!(answer["ok"], false, "{answer}");
    let answer = engine.answer_params(&[("target", "year:2023"), ("table", "keywords"), ("mode", "odd")]);
    assert_eq!(answer["ok"], false, "{answer}");
}

/// The real reports (1921–2026, many bodies): the statistics agree with the
/// server's over parts of every kind, large ones after the reader agrees.
#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn the_real_reports_answer_collocates_keyness_and_clusters_as_the_server_does() {
    let site = TestSite::generated_corpus();
    site.write("wenku.yaml", "static_search: true\n");
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    assert_same_statistics(
        &server,
        &mut engine,
        &["坚持", "疫情防控 year:2020..2022", "year:2021", "高质量发展 year:2018..2024", "坚持*发展 year:2022"],
        &[("year:2021", "year:2016..2020"), ("year:2024..2026", "year:2019..2023"), ("疫情防控", "year:2010..2019")],
    );
}

/// On static hosting the page saves a view's whole table as CSV written by
/// the engine: the same file the server's export makes of the same table.
#[test]
fn the_static_index_exports_the_servers_csv_of_each_view_it_answers() {
    use wenku::research::continuations::{self, Side};
    use wenku::research::{
        DEFAULT_WIDTH, clusters, collocates, frequency, keyness, occurrences, occurrences_in_words, variants,
    };
    use wenku_engine::export;
    use wenku_engine::messages::Language;

    let site = TestSite::sample();
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    let (date, zh) = ("2026-12-07", Language::Chinese);
    let found = occurrences(&server, "坚持", DEFAULT_WIDTH).unwrap();
    let width = DEFAULT_WIDTH.max(continuations::MAX_CHARS);
    let in_words = occurrences_in_words(&server, "坚持", width).unwrap();
    let gap = occurrences_in_words(&server, "坚持*发展", width).unwrap();
    let near = occurrences_in_words(&server, "坚持", collocates::context_width(10)).unwrap();
    let cases = [
        ("坚持", "lines", export::concordance_table(&found, &View::default(), zh)),
        (
            "坚持",
            "next",
            export::continuations_table(&continuations::continuations(&in_words, Side::Right).unwrap(), zh),
        ),
        (
            "坚持",
            "before",
            export::continuations_table(&continuations::continuations(&in_words, Side::Left).unwrap(), zh),
        ),
        ("坚持*发展", "variants", export::variants_table(&variants::variants(&gap), zh)),
        ("坚持", "years", export::years_table(&frequency::by_year(&server, &found).unwrap(), zh)),
        ("坚持", "bodies", export::bodies_table(&frequency::by_body(&found), zh)),
        ("坚持", "collocates", export::collocates_table(&collocates::collocates(&server, &near, 10).unwrap(), zh)),
        ("year:2023", "clusters", export::clusters_table(&clusters::clusters(&server, "year:2023").unwrap(), zh)),
    ];
    for (query, table, expected) in cases {
        assert!(!expected.rows.is_empty(), "{query} {table}: an empty table would prove nothing");
        if table == "lines" {
            // Every line, not the page the view shows.
            assert!(expected.rows.len() > View::default().per_page, "{} lines", expected.rows.len());
        }
        engine.clear();
        let answer = engine.answer_params(&[("q", query), ("table", table), ("format", "csv"), ("date", date)]);
        assert_eq!(answer["ok"], true, "{query} {table}: {answer}");
        assert_eq!(answer["body"]["file"], export::file_name(&expected, date));
        assert_eq!(answer["body"]["csv"], export::csv(&expected, zh, date), "{query} {table}");
    }
    let (target, reference) = ("year:2023", "year:2020..2022");
    let expected =
        export::keyness_table(&keyness::keyness(&server, target, reference, keyness::Mode::New).unwrap(), zh);
    assert!(!expected.rows.is_empty());
    engine.clear();
    let answer = engine.answer_params(&[
        ("target", target),
        ("reference", reference),
        ("mode", "new"),
        ("table", "keywords"),
        ("format", "csv"),
        ("date", date),
    ]);
    assert_eq!(answer["body"]["csv"], export::csv(&expected, zh, date), "keywords: {answer}");
    // XLSX too: the server's workbook, in base64.
    let expected = export::concordance_table(&found, &View::default(), zh);
    let answer = engine.answer_params(&[("q", "坚持"), ("table", "lines"), ("format", "xlsx"), ("date", date)]);
    assert_eq!(answer["ok"], true, "{answer}");
    let xlsx = answer["body"]["xlsx"].as_str().expect("base64");
    assert_eq!(from_base64(xlsx), wenku_engine::xlsx::workbook(&expected, zh, date));
    let answer = engine.answer_params(&[("q", "坚持"), ("table", "lines"), ("format", "pdf")]);
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(answer["body"]["error"].as_str().unwrap().contains("format=pdf"), "{answer}");
}

/// Standard base64, decoded.
fn from_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextets: Vec<u32> =
        text.bytes().filter(|&b| b != b'=').map(|b| ALPHABET.iter().position(|&a| a == b).unwrap() as u32).collect();
    let mut bytes = Vec::new();
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &s)| n | s << (18 - 6 * i));
        bytes.extend(n.to_be_bytes()[1..chunk.len()].iter());
    }
    bytes
}

/// Gaps counted by hand: a Han letter, a Latin word, a number and a run of
/// punctuation are one position each; no gap crosses a sentence's end. The
/// static engine checks them with positions, the server in the text.
#[test]
fn gaps_are_counted_in_positions_by_both_engines() {
    let site = TestSite::new();
    site.write("wenku.yaml", "static_search: true\n")
        .report("a.md", "甲", "甲局", 2020, "坚持在2020年发展。")
        .report("b.md", "乙", "乙局", 2021, "坚持用 AI 发展经济。")
        .report("c.md", "丙", "丙局", 2022, "坚持。发展\n\n坚持，，高质量发展")
        .report("d.md", "丁", "丁局", 2023, "建设5g的网络；坚持发展");
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    let found = |engine: &mut Static, query: &str| -> Vec<String> {
        let results = engine.search(&request(query, Sort::Oldest, 50)).expect("an answer");
        results.hits.iter().map(|hit| hit.title.clone()).collect()
    };
    // 在 2020 年: three positions.
    assert_eq!(found(&mut engine, "坚持{3}发展"), ["甲"]);
    // 用, space, AI, space: four.
    assert_eq!(found(&mut engine, "坚持{4}发展"), ["乙", "丙"]);
    assert_eq!(found(&mut engine, "坚持{0,2}发展"), ["丁"]);
    // The sentence ends after the first 坚持 of 丙; its second is followed by
    // a run of commas (one) and 高质量 (three).
    assert_eq!(found(&mut engine, "坚持*发展"), ["甲", "乙", "丙", "丁"]);
    assert_eq!(found(&mut engine, "坚持{0}发展"), ["丁"]);
    assert_eq!(found(&mut engine, "5g{1}网络"), ["丁"]);
    // A part of one letter is checked in the text.
    assert_eq!(found(&mut engine, "坚*展"), ["甲", "乙", "丙", "丁"]);
    assert_eq!(found(&mut engine, "网络*坚持"), Vec::<String>::new());
    for query in
        ["坚持{3}发展", "坚持{4}发展", "坚持{0,2}发展", "坚持*发展", "坚持{0}发展", "5g{1}网络", "坚*展", "网络*坚持"]
    {
        assert_same(&server, &mut engine, query);
        engine.index.clear_files();
    }
}

/// A rare phrase of common bigrams has a few candidates once its other
/// bigrams narrow them (and those with positions at hand stand where the
/// phrase puts them), each in another block of every term's positions:
/// their texts are fewer bytes, so they decide, with the server's reports,
/// counts and scores.
#[test]
fn a_rare_phrase_of_common_bigrams_is_checked_in_its_candidates_texts() {
    let site = TestSite::new();
    site.write("wenku.yaml", "static_search: true\n");
    let paragraph = "围绕中心工作，坚持问题导向，推动高质量发展取得新成效。".repeat(8);
    for i in 0..2000 {
        // 问题发展规 (its terms: 问题, 发展, 展规; its other bigram: 题发)
        // in four reports over the archive; 主题发展规划 makes candidates
        // that hold every bigram, the rare ones (题发, 展规) where the
        // phrase puts them, but not the phrase.
        let extra = match i {
            0 | 499 | 1000 | 1501 => "研究问题发展规律，问题发展规律。",
            1999 | 700 | 1300 => "编制主题发展规划。",
            // Every bigram, the rare ones apart: no text needed.
            1200 => "主题发言，编制发展规划。",
            _ => "",
        };
        let text = format!("{paragraph}\n\n第{i}号报告。{extra}\n\n{paragraph}\n");
        site.report(
            &format!("{}/r{i:05}.md", 2000 + i % 20),
            &format!("报告{i}"),
            "某市",
            2000 + (i % 20) as i32,
            &text,
        );
    }
    site.build();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    let found = engine.search(&request("问题发展规", Sort::Relevance, 50)).expect("an answer");
    assert_eq!(found.total, 4);
    let fetched = |engine: &Static, folder: &str| engine.fetched.iter().filter(|p| p.contains(folder)).count();
    assert_eq!(fetched(&engine, "/p/"), 0, "no block of positions: {:?}", engine.fetched);
    // The four reports and the three decoys that align; not the fourth decoy.
    assert_eq!(fetched(&engine, "/d/"), 7, "the candidates' texts: {:?}", engine.fetched);
    engine.clear();
    assert_same(&server, &mut engine, "问题发展规");
    for query in ["问题发展规 year:2010..", "\"问题发展规\" OR 发展规划", "问题导向"] {
        engine.clear();
        assert_same(&server, &mut engine, query);
    }
}

/// A gap query that would download too much is refused with what it would
/// cost, and answered exactly when the reader agrees (`large=1`).
#[test]
fn a_broad_gap_query_says_what_it_costs_and_is_answered_when_asked_again() {
    let (site, reports) = TestSite::too_many_for_a_gap_query_unasked();
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    // A part of one letter: checked in the texts, more than allowed.
    // As the page asks: the answer, fetching what it needs in rounds.
    let answer = |engine: &mut Static, large: bool| -> serde_json::Value {
        let mut params = vec![("q", "坚*展")];
        if large {
            params.push(("large", "1"));
        }
        let params = serde_json::to_vec(&params).unwrap();
        loop {
            let answer: serde_json::Value =
                serde_json::from_str(&wenku_engine::static_index::answer(&engine.index, &params)).unwrap();
            let Some(need) = answer["need"].as_array() else { return answer };
            for path in need {
                let path = path.as_str().unwrap();
                engine.index.add_file(path, std::fs::read(engine.dir.join(path)).unwrap());
            }
        }
    };
    let refused = answer(&mut engine, false);
    assert_eq!(refused["ok"], false, "{refused}");
    let error = refused["body"]["error"].as_str().unwrap();
    assert!(error.contains(&format!("{reports} 篇报告")) && error.contains("MB"), "{error}");
    assert!(refused["body"]["download_mb"].as_u64().is_some_and(|mb| mb >= 1), "{refused}");
    // Asked again with `large=1`, it is answered, as the server answers.
    let answered = answer(&mut engine, true);
    assert_eq!(answered["body"]["total"], reports, "{}", answered["body"]["error"]);
    engine.download = Download::Any;
    assert_same(&server, &mut engine, "坚*展");
    assert_eq!(engine.search(&request("坚*展", Sort::Oldest, 10)).expect("answered").total, reports);
}

#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn random_phrases_of_the_real_reports_find_what_the_server_finds() {
    let site = TestSite::generated_corpus();
    random_phrases_find_what_the_server_finds(&site, 250);
}

/// The archive at scale: 10,000 reports, where common strings have their
/// own entries (2% of the reports is 200) and positions come in blocks.
#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn random_phrases_of_10000_generated_reports_find_what_the_server_finds() {
    let site = TestSite::generated_corpus_of(Some(10_000));
    random_phrases_find_what_the_server_finds(&site, 200);
}

/// Structured queries, `count` random phrases of 1 to 24 characters
/// from the reports' own text and `count / 4` random gap queries, each
/// started cold.
fn random_phrases_find_what_the_server_finds(site: &TestSite, count: usize) {
    site.write("wenku.yaml", "static_search: true\n");
    site.build();
    let loaded = wenku::build::load(site.root(), false).expect("the site loads");
    let texts: Vec<String> = loaded
        .library
        .reports
        .iter()
        .map(|r| normalize(&r.rendered().blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n")))
        .collect();
    let years: Vec<i32> = loaded.library.reports.iter().filter_map(|r| r.meta.year).collect();
    drop(loaded);
    let server = SearchIndex::open(&site.root().join("search-index")).expect("index");
    let mut engine = Static::open(&site.public());
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut queries: Vec<String> = [
        "经济发展",
        "坚持",
        "全面建成小康社会",
        // Long set phrases: their own entries up to 24 characters.
        "坚持以人民为中心的发展思想",
        "以习近平新时代中国特色社会主义思想为指导",
        "人民代表大会 year:2010..",
        "疫情防控 OR 新冠",
        "改革 -开放",
        "发展 body:国务院",
    ]
    .map(String::from)
    .to_vec();
    while queries.len() < count {
        let (doc, start, len) =
            (0..texts.len(), 0..1_000_000usize, 1..=24usize).new_tree(&mut runner).expect("a value").current();
        let chars: Vec<char> = texts[doc].chars().collect();
        if chars.is_empty() {
            continue;
        }
        let start = start % chars.len();
        let phrase: String = chars[start..(start + len).min(chars.len())].iter().collect();
        let phrase = phrase.replace(['"', '*', '{', '}', '-'], " ");
        if !normalize(&phrase).is_empty() {
            queries.push(format!("\"{phrase}\""));
        }
    }
    // Wording with gaps: two pieces of one report's text, with what lies
    // between them allowed, too tight or unbounded. On a large archive a
    // year narrows it, as a user narrows a broad gap query.
    let gap_queries = count / 4;
    let mut gapped = 0;
    while gapped < gap_queries {
        let (doc, start, first, between, second, kind) =
            (0..texts.len(), 0..1_000_000usize, 1..=4usize, 0..=16usize, 1..=4usize, 0..4u8)
                .new_tree(&mut runner)
                .expect("a value")
                .current();
        let chars: Vec<char> = texts[doc].chars().collect();
        if chars.len() < first + between + second {
            continue;
        }
        let start = start % (chars.len() - (first + between + second) + 1);
        let piece = |from: usize, len: usize| -> String {
            chars[from..from + len].iter().collect::<String>().replace(['"', '*', '{', '}', '-', '｛', '｝', '＊'], " ")
        };
        let (a, b) = (piece(start, first), piece(start + first + between, second));
        if normalize(&a).is_empty() || normalize(&b).is_empty() {
            continue;
        }
        let gap = match kind {
            0 => "*".to_owned(),
            1 => format!("{{0,{between}}}"),
            2 => format!("{{{}}}", between / 2),
            _ => format!("{{{between},}}"),
        };
        let filter = if texts.len() > 1000 { format!(" year:{}", years[doc]) } else { String::new() };
        queries.push(format!("\"{a}{gap}{b}\"{filter}"));
        gapped += 1;
    }
    for query in &queries {
        assert_same(&server, &mut engine, query);
        // The engine keeps what it fetched; start each query cold, as a test of rounds.
        engine.index.clear_files();
    }
    // The research tables, on a few of them and on the first random ones.
    for query in ["疫情防控 year:2020", "坚持*发展 year:2021", "十四五 OR 十三五 year:2019..2021", "GDP"]
        .into_iter()
        .chain(queries[9..15].iter().map(String::as_str))
    {
        assert_same_tables(&server, &mut engine, query);
        assert_same_concordance(&server, &mut engine, query);
    }
    // A table over most of the archive is refused with its size, and
    // answered when the reader agrees.
    engine.clear();
    match engine.frequency("坚持", FrequencyTable::Years) {
        Err(message) => {
            assert!(message.contains("MB"), "{message}");
            engine.download = Download::Any;
        }
        Ok(_) => assert!(texts.len() < 1000, "坚持 over {} reports was not refused", texts.len()),
    }
    assert_same_tables(&server, &mut engine, "坚持");
    engine.download = Download::Bounded;
}
