//! The built sample site in a real headless Chromium, served by a plain
//! static web server (Python's http.server): follow a body link and a year
//! link, take screenshots, and fail on any console error.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it) and python3.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::common::TestSite;
use crate::common::static_server::StaticServer;

fn chromium() -> PathBuf {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("Chromium is needed for the browser tests: `apt-get install chromium` (.ci/run does this)")
}

fn launch() -> Browser {
    let profile = tempfile::tempdir().unwrap().keep();
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium()))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1200, 900)))
            .user_data_dir(Some(profile))
            .args(args)
            .build()
            .unwrap(),
    )
    .expect("launch headless Chromium")
}

/// Console errors, uncaught exceptions and failed loads seen by a tab.
fn watch_errors(tab: &Arc<Tab>) -> Arc<Mutex<Vec<String>>> {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&errors);
    tab.enable_log().unwrap().enable_runtime().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let message = match event {
            Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level) == "Error" => {
                Some(format!("{} {:?}", e.params.entry.text, e.params.entry.url))
            }
            Event::RuntimeExceptionThrown(e) => Some(format!("exception: {:?}", e.params.exception_details.text)),
            Event::RuntimeConsoleAPICalled(e) if format!("{:?}", e.params.Type) == "Error" => {
                Some(format!("console.error: {:?}", e.params.args.first().and_then(|a| a.value.clone())))
            }
            _ => None,
        };
        if let Some(message) = message {
            sink.lock().unwrap().push(message);
        }
    }))
    .unwrap();
    errors
}

/// On static hosting the page probes `/api/search` and gets a 404: that is
/// how it falls back to the static index. Nothing else may fail.
/// No console error at all: on static hosting the search page asks no API
/// (a page built by `wenku build` goes straight to the static index).
fn assert_no_console_errors(errors: &Mutex<Vec<String>>) {
    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

fn screenshot(tab: &Tab, name: &str) {
    let png = tab
        .capture_screenshot(headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

/// Clicks the export link `selector` and returns what the page saved: the
/// file's name, a line break, then its text (of a workbook, its first bytes
/// as Latin-1, so that the archive's `PK` shows).
fn saved_export(tab: &Tab, selector: &str) -> String {
    tab.evaluate(
        "window.saved = null; HTMLAnchorElement.prototype.click = function () { \
           const a = this; fetch(a.href).then(r => r.arrayBuffer()).then(buffer => { \
             const bytes = new Uint8Array(buffer); \
             const text = a.download.endsWith('.xlsx') \
               ? String.fromCharCode(...bytes.slice(0, 64)) : new TextDecoder().decode(bytes); \
             window.saved = a.download + '\\n' + text; }); };",
        false,
    )
    .unwrap();
    tab.find_element(selector).unwrap().click().unwrap();
    wait_for(tab, "the saved file", "window.saved !== null");
    eval_string(tab, "window.saved")
}

/// Clicks a link and waits until the browser has navigated to its target.
fn follow(tab: &Tab, selector: &str) {
    let before = tab.get_url();
    tab.find_element(selector).unwrap().click().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while tab.get_url() == before {
        assert!(Instant::now() < deadline, "clicking {selector} did not navigate");
        std::thread::sleep(Duration::from_millis(20));
    }
    tab.wait_until_navigated().unwrap();
}

fn text_of(tab: &Tab, selector: &str) -> String {
    tab.wait_for_element(selector).unwrap().get_inner_text().unwrap()
}

fn current_path(tab: &Tab) -> String {
    let url = tab.get_url();
    let path = url.splitn(4, '/').nth(3).unwrap_or("");
    percent_encoding::percent_decode_str(&format!("/{path}")).decode_utf8().unwrap().into_owned()
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn browse_the_sample_archive_by_body_and_year() {
    let StaticSession { server, tab, errors, .. } = &static_session();

    tab.navigate_to(&server.url("/")).unwrap().wait_until_navigated().unwrap();
    assert_eq!(text_of(tab, "h1"), "某区机关工作报告文库");
    screenshot(tab, "home.png");

    // A body in the year × body table: the link is percent-encoded Chinese.
    let body = text_of(tab, "table.grid tbody th a");
    follow(tab, "table.grid tbody th a");
    assert_eq!(current_path(tab), format!("/bodies/{body}/"));
    assert_eq!(text_of(tab, "main h1"), body);
    assert!(text_of(tab, ".report-list").contains(&body));
    screenshot(tab, "body.png");

    // Back home, then a year column header.
    tab.navigate_to(&server.url("/")).unwrap().wait_until_navigated().unwrap();
    let year = text_of(tab, "table.grid thead a");
    follow(tab, "table.grid thead a");
    assert_eq!(current_path(tab), format!("/years/{year}/"));
    assert_eq!(text_of(tab, "main h1"), format!("{year}年"));
    screenshot(tab, "year.png");

    // And into a report, whose stylesheet must have loaded.
    follow(tab, ".report-link");
    tab.wait_for_element("nav.toc").unwrap();
    let font = tab
        .evaluate("getComputedStyle(document.querySelector('.report-body')).fontFamily", false)
        .unwrap()
        .value
        .unwrap();
    assert!(font.to_string().contains("Noto Serif CJK SC"), "the theme's CSS applies: {font}");
    screenshot(tab, "report.png");

    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn chinese_links_work_under_a_sub_path() {
    let site = TestSite::fixture("two-bodies");
    site.write("wenku.yaml", "title: 子路径\nbase_url: /archive/\nstatic_search: true\n");
    let run = site.run(&["build", "--output", "www/archive"]);
    assert!(run.success, "{}", run.stderr);
    let server = StaticServer::start(&site.root().join("www"));
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);

    tab.navigate_to(&server.url("/archive/")).unwrap().wait_until_navigated().unwrap();
    follow(&tab, "nav.site-nav a[href$='/bodies/']");
    assert_eq!(current_path(&tab), "/archive/bodies/");
    let body = text_of(&tab, ".terms a");
    follow(&tab, ".terms a");
    assert_eq!(current_path(&tab), format!("/archive/bodies/{body}/"));
    assert_eq!(text_of(&tab, "main h1"), body);

    // The static index and its engine are found under the sub-path too.
    tab.navigate_to(&server.url("/archive/search/?q=%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7")).unwrap();
    wait_for(&tab, "static results", "document.querySelectorAll('#search-results > li').length > 0");
    let link = eval_string(&tab, "document.querySelector('#search-results .snippet').getAttribute('href')");
    assert!(link.starts_with("/archive/"), "{link}");

    assert_no_console_errors(&errors);
}

/// Waits until `script` evaluates to true in the tab.
fn wait_for(tab: &Tab, what: &str, script: &str) {
    wait_for_within(tab, what, script, Duration::from_secs(20))
}

/// [`wait_for`] with a deadline of its own, for work that takes long.
fn wait_for_within(tab: &Tab, what: &str, script: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let value = tab.evaluate(script, false).ok().and_then(|r| r.value);
        if value == Some(serde_json::Value::Bool(true)) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what} ({script})");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn eval_string(tab: &Tab, script: &str) -> String {
    match tab.evaluate(script, false).unwrap().value {
        Some(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn search_page_finds_wording_with_marks_chart_facets_and_keyboard_then_pages_reload_live() {
    let site = TestSite::sample();
    let server = crate::common::server::Server::start(site.root(), &[]);
    let base = format!("http://{}", server.addr);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);

    // From the home page, by keyboard: the header's search box.
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("#site-search-q").unwrap().click().unwrap();
    tab.type_str("打通供应链").unwrap();
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "the search page", "location.pathname === '/search/'");
    wait_for(&tab, "results", "document.querySelectorAll('#search-results > li').length > 0");
    let marks =
        eval_string(&tab, "[...document.querySelectorAll('#search-results mark')].map(m => m.textContent).join('|')");
    assert!(!marks.is_empty() && marks.split('|').all(|m| m == "打通供应链"), "marked wording: {marks}");
    let status = text_of(&tab, "#search-status");
    assert!(status.contains("共 5 篇报告"), "{status}");
    // No export link stands where it would do nothing (the report list).
    assert_eq!(eval_string(&tab, "String(document.querySelector('.kwic-export').offsetParent === null)"), "true");
    // The per-year chart: one slot per year of the archive (2020 to 2024),
    // not only from the first use (2021) to the last.
    wait_for(&tab, "the chart", "!document.getElementById('search-chart').hidden");
    let bars = eval_string(&tab, "String(document.querySelectorAll('#search-chart rect.bar').length)");
    assert_eq!(bars, "5", "2020 to 2024");
    let labels =
        eval_string(&tab, "[...document.querySelectorAll('#search-chart title')].map(t => t.textContent).join('|')");
    assert!(labels.contains("2020年：0 / ") && labels.contains("2022年：2 / "), "{labels}");
    screenshot(&tab, "search.png");

    // A facet refines the query; the URL carries it; back undoes it.
    let year_link = "#search-facets a[href*='year=2022']";
    tab.wait_for_element(year_link).unwrap().click().unwrap();
    wait_for(
        &tab,
        "the year filter",
        "location.search.includes('year=2022') && document.querySelectorAll('#search-results > li').length === 2",
    );
    tab.evaluate("history.back()", false).unwrap();
    wait_for(
        &tab,
        "back to all years",
        "!location.search.includes('year=') && document.querySelectorAll('#search-results > li').length === 5",
    );

    // Keyboard alone: "/" focuses the box, Enter searches, Tab reaches a result.
    tab.evaluate("document.activeElement.blur()", false).unwrap();
    tab.press_key("/").unwrap();
    wait_for(&tab, "the box to have focus", "document.activeElement.id === 'search-q'");
    tab.evaluate("document.getElementById('search-q').value = ''", false).unwrap();
    tab.type_str("\"疫情防控\"").unwrap();
    tab.press_key("Enter").unwrap();
    wait_for(
        &tab,
        "phrase results",
        "location.search.includes('%E7%96%AB') && document.querySelector('#search-results mark') && document.querySelector('#search-results mark').textContent === '疫情防控'",
    );

    // A snippet leads to its paragraph, highlighted on arrival.
    let snippet_url = eval_string(&tab, "document.querySelector('#search-results .snippet').href");
    assert!(snippet_url.contains('#'), "{snippet_url}");
    tab.find_element("#search-results .snippet").unwrap().click().unwrap();
    wait_for(&tab, "the report paragraph", "document.querySelector(':target') !== null");
    let target = eval_string(&tab, "document.querySelector(':target').textContent");
    assert!(target.contains("疫情防控"), "the paragraph with the wording: {target}");
    let outline = eval_string(&tab, "getComputedStyle(document.querySelector(':target')).outlineStyle");
    assert_eq!(outline, "solid", "the paragraph is highlighted");
    screenshot(&tab, "search-target.png");

    // Live reload: an edit reloads the open page.
    let page_path = current_path(&tab).split('#').next().unwrap().to_owned();
    let file = site.root().join(format!("content{}.md", page_path.trim_end_matches('/')));
    let good = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    tab.evaluate("window.notReloaded = true", false).unwrap();
    std::fs::write(&file, format!("{good}\n实时刷新后出现的段落。\n")).unwrap();
    wait_for(&tab, "the reload", "!window.notReloaded && document.body.innerText.includes('实时刷新后出现的段落')");

    // A broken file shows an overlay with file, line and column; a fix clears it.
    std::fs::write(&file, good.replacen("level: ", "level: [", 1)).unwrap();
    wait_for(&tab, "the error overlay", "document.getElementById('wenku-error-overlay') !== null");
    let overlay = text_of(&tab, "#wenku-error-overlay");
    let rel = format!("content{}.md", page_path.trim_end_matches('/'));
    assert!(overlay.contains(&format!("{rel}:")), "names the file and line: {overlay}");
    // A Chinese site's overlay speaks Chinese (the command line stays English).
    assert!(overlay.contains("构建失败") && overlay.contains("错误：YAML 格式有误"), "{overlay}");
    assert!(overlay.contains("提示：检查这一行的缩进和引号"), "{overlay}");
    assert!(!overlay.contains("error:") && !overlay.contains("help:"), "{overlay}");
    screenshot(&tab, "error-overlay.png");
    std::fs::write(&file, &good).unwrap();
    wait_for(
        &tab,
        "the overlay to clear",
        "document.getElementById('wenku-error-overlay') === null && document.readyState === 'complete'",
    );
    assert!(!tab.get_content().unwrap().contains("实时刷新后出现的段落"));

    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn the_concordance_of_a_typed_phrase_sorts_by_right_context_and_exports_csv() {
    let site = TestSite::sample();
    let server = crate::common::server::Server::start(site.root(), &[]);
    let base = format!("http://{}", server.addr);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);

    tab.navigate_to(&format!("{base}/search/")).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("#search-q").unwrap().click().unwrap();
    tab.type_str("\"坚持\"").unwrap();
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "results", "document.querySelectorAll('#search-results > li').length > 0");

    // The 语境 view: one line per occurrence, the match marked in the middle.
    follow_view(&tab, "kwic");
    wait_for(&tab, "concordance lines", "document.querySelectorAll('table.kwic tr').length > 0");
    let status = text_of(&tab, "#search-status");
    assert!(status.starts_with("共 98 处"), "every occurrence is counted: {status}");
    let marks =
        eval_string(&tab, "[...document.querySelectorAll('.kwic-match mark')].map(m => m.textContent).join('|')");
    assert!(marks.split('|').all(|m| m == "坚持"), "{marks}");

    // Sorted by what follows.
    tab.evaluate(
        "const s = document.getElementById('kwic-sort'); s.value = 'right'; s.dispatchEvent(new Event('change'))",
        false,
    )
    .unwrap();
    wait_for(
        &tab,
        "the right-sorted lines",
        "location.search.includes('ksort=right') && document.querySelectorAll('table.kwic tr').length > 0",
    );
    let rights =
        eval_string(&tab, "JSON.stringify([...document.querySelectorAll('.kwic-right')].map(c => c.textContent))");
    let rights: Vec<String> = serde_json::from_str(&rights).unwrap();
    let mut sorted = rights.clone();
    sorted.sort();
    assert_eq!(rights, sorted);
    screenshot(&tab, "kwic.png");

    // Export: the CSV link's file, opened, has the query and every line.
    let href = eval_string(&tab, "document.getElementById('kwic-csv').getAttribute('href')");
    assert!(href.contains("format=csv") && href.contains("sort=right"), "{href}");
    let csv = server.get(&href);
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("\u{feff}".as_bytes()), "a BOM so that Excel reads UTF-8");
    let text = csv.text();
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(rows[0].contains("坚持"), "{}", rows[0]);
    assert!(rows[2].starts_with("左侧,匹配,右侧"), "{}", rows[2]);
    let shown = eval_string(&tab, "String(document.getElementById('search-status').innerText)");
    let lines: usize =
        shown.split("合并为 ").nth(1).and_then(|r| r.split(' ').next()).map_or(98, |n| n.parse().unwrap());
    assert_eq!(rows.len() - 3, lines, "one row per line shown: {shown}");

    // 后接: a table whose rows lead to their own concordance.
    follow_view(&tab, "next");
    wait_for(&tab, "the table", "document.querySelectorAll('.research-table tbody tr').length > 0");
    tab.find_element(".research-table tbody th a").unwrap().click().unwrap();
    wait_for(
        &tab,
        "the longer phrase's lines",
        "location.search.includes('view=kwic') && document.querySelectorAll('table.kwic tr').length > 0",
    );

    // A line leads to its paragraph.
    tab.find_element(".kwic-match a").unwrap().click().unwrap();
    wait_for(&tab, "the report paragraph", "document.querySelector(':target') !== null");
    let target = eval_string(&tab, "document.querySelector(':target').textContent");
    assert!(target.contains("坚持"), "{target}");

    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// The statistics views: collocates, the year table, keyness against the
/// five years before (its default reference) and clusters, each a table
/// whose units lead to their concordance, each exported.
#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn the_statistics_views_show_tables_that_lead_to_concordances() {
    let site = TestSite::sample();
    let server = crate::common::server::Server::start(site.root(), &["--no-watch"]);
    let base = format!("http://{}", server.addr);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    let rows = "document.querySelectorAll('.research-table tbody tr').length > 0";

    tab.navigate_to(&format!("{base}/search/?q=%E5%9D%9A%E6%8C%81")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "results", "document.querySelectorAll('#search-results > li').length > 0");
    for view in ["collocates", "years"] {
        follow_view(&tab, view);
        wait_for(&tab, view, rows);
        let href = eval_string(&tab, "document.getElementById('kwic-xlsx').getAttribute('href')");
        assert!(href.contains(&format!("view={view}")), "{href}");
        assert_eq!(server.get(&href).status, 200, "{view} exports");
    }
    follow_view(&tab, "collocates");
    wait_for(&tab, "collocates", rows);
    screenshot(&tab, "collocates.png");
    tab.find_element(".research-table tbody th a").unwrap().click().unwrap();
    wait_for(
        &tab,
        "the concordance of the pair",
        "location.search.includes('view=kwic') && document.querySelectorAll('table.kwic tr').length > 0",
    );

    // The sample's last year, 2024, against 2019–2023.
    tab.navigate_to(&format!("{base}/search/?year=2024&view=keywords")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "keyness", rows);
    let reference = eval_string(&tab, "document.getElementById('kwic-ref').value");
    assert_eq!(reference, "year:2019..2023", "the five years before, unless said otherwise");
    tab.evaluate(
        "const m = document.getElementById('kwic-mode'); m.value = 'new'; m.dispatchEvent(new Event('change'))",
        false,
    )
    .unwrap();
    wait_for(&tab, "new wording", &format!("location.search.includes('mode=new') && {rows}"));
    let status = text_of(&tab, "#search-status");
    assert!(status.contains("首次出现"), "{status}");
    follow_view(&tab, "clusters");
    wait_for(&tab, "clusters", rows);
    tab.find_element(".research-table tbody th a").unwrap().click().unwrap();
    wait_for(
        &tab,
        "the formulation's lines",
        "location.search.includes('view=kwic') && document.querySelectorAll('table.kwic tr').length > 0",
    );
    assert_no_console_errors(&errors);
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn a_pasted_draft_is_checked_with_its_flags_marked_and_its_precedents_beside_it() {
    let site = TestSite::sample();
    let report = std::fs::read_to_string(site.root().join("content/2023/qu-renda-shangbannian.md")).unwrap();
    let body = report.splitn(3, "---").nth(2).unwrap();
    let said = body.lines().find(|l| l.contains('。')).unwrap().split('。').next().unwrap().to_owned() + "。";
    let draft = format!("{said}\n打造萤火虫生态民宿集群。");
    let server = crate::common::server::Server::start(site.root(), &["--no-watch"]);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    for width in [1280, 390] {
        set_width(&tab, width);
        tab.navigate_to(&format!("http://{}/draft/", server.addr)).unwrap().wait_until_navigated().unwrap();
        let typed = serde_json::to_string(&draft).unwrap();
        tab.evaluate(&format!("document.getElementById('draft-text').value = {typed}"), false).unwrap();
        tab.find_element("#draft-form button[type=submit]").unwrap().click().unwrap();
        wait_for(&tab, "the checked draft", "document.querySelectorAll('.draft-item').length === 2");
        // Said before, word for word; the coined wording marked in its sentence.
        let first = text_of(&tab, ".draft-item:nth-child(1) .draft-precedents");
        assert!(first.contains("原句"), "{first}");
        let marked = text_of(&tab, ".draft-item:nth-child(2) mark.flag-new");
        assert!(marked.contains("萤火虫"), "{marked}");
        assert!(text_of(&tab, "#draft-status").contains("共 2 句"));
        screenshot(&tab, &format!("draft-{width}.png"));
    }
    assert_no_console_errors(&errors);

    // On plain static hosting there is no server to check with: it says so.
    site.build();
    let plain = StaticServer::start(&site.public());
    tab.navigate_to(&plain.url("/draft/")).unwrap().wait_until_navigated().unwrap();
    tab.evaluate("document.getElementById('draft-text').value = '今年要全面建设美丽乡村。'", false).unwrap();
    tab.find_element("#draft-form button[type=submit]").unwrap().click().unwrap();
    wait_for(&tab, "the message", "document.getElementById('draft-status').innerText.includes('wenku serve')");
}

/// Clicks the search page's view tab `view` and waits for the URL to say so.
fn follow_view(tab: &Tab, view: &str) {
    tab.find_element(&format!("#search-views a[data-view='{view}']")).unwrap().click().unwrap();
    wait_for(tab, view, &format!("location.search.includes('view={view}')"));
}

/// The sample archive, built and served by a plain static server, and a
/// Chromium tab that records console errors.
struct StaticSession {
    _site: TestSite,
    server: StaticServer,
    _browser: Browser,
    tab: Arc<Tab>,
    errors: Arc<Mutex<Vec<String>>>,
}

fn static_session() -> StaticSession {
    let site = TestSite::sample();
    site.build();
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    StaticSession { _site: site, server, _browser: browser, tab, errors }
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn search_page_on_plain_static_hosting_says_it_needs_the_server() {
    // A site built without the static index.
    let site = TestSite::fixture("two-bodies");
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    site.write("wenku.yaml", format!("{config}static_search: false\n"));
    site.build();
    assert!(!site.public().join("_search").exists());
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = &browser.new_tab().unwrap();
    let errors = watch_errors(tab);
    tab.navigate_to(&server.url("/search/?q=%E6%89%93%E9%80%9A")).unwrap().wait_until_navigated().unwrap();
    wait_for(tab, "the message", "document.getElementById('search-status').innerText.includes('wenku serve')");
    // So do the wording research views.
    tab.navigate_to(&server.url("/search/?q=%E6%89%93%E9%80%9A&view=kwic")).unwrap().wait_until_navigated().unwrap();
    wait_for(
        tab,
        "the research message",
        "document.getElementById('search-status').innerText.includes('语境、后接、前接、提法演变、搭配和逐年需要 wenku serve')",
    );
    // The exports the server makes are not offered without it.
    assert_eq!(eval_string(tab, "String(document.querySelector('.kwic-export').offsetParent === null)"), "true");
    // No request to an API that is not there: no console error at all.
    assert_no_console_errors(&errors);
}

/// The concordance, the year table and what follows a phrase on plain
/// static hosting: cut and counted by the engine in the texts of the
/// reports the wording is in, the server's lines, numbers and rows.
#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn the_concordance_the_year_table_and_what_follows_work_on_plain_static_hosting() {
    let StaticSession { _site: site, server, tab, errors, .. } = &static_session();
    let index = wenku::search::SearchIndex::open(&site.root().join("search-index")).expect("the index opens");
    let found = wenku::research::occurrences(&index, "疫情防控", wenku::research::DEFAULT_WIDTH).unwrap();
    let lines = wenku::research::concordance::concordance(&found, &Default::default());
    tab.navigate_to(&server.url("/search/?q=%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7&view=kwic"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(tab, "the lines", "document.querySelectorAll('#kwic-results table.kwic tr').length > 0");
    let status = text_of(tab, "#search-status");
    assert!(status.contains(&format!("共 {} 处，见于 {} 篇报告", lines.total, lines.reports)), "{status}");
    let shown = eval_string(tab, "String(document.querySelectorAll('#kwic-results table.kwic tr').length)");
    assert_eq!(shown, lines.lines.len().to_string());
    let first = eval_string(tab, "document.querySelector('#kwic-results table.kwic tr .kwic-right').textContent");
    assert_eq!(first, lines.lines[0].right);

    let expected = wenku::research::frequency::by_year(&index, &found).unwrap();
    tab.navigate_to(&server.url("/search/?q=%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7&view=years"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(tab, "the year table", "document.querySelectorAll('#kwic-results table tr').length > 1");
    let status = text_of(tab, "#search-status");
    assert!(status.contains(&format!("共 {} 处", expected.total)), "{status}");
    let rows = eval_string(tab, "String(document.querySelectorAll('#kwic-results table tbody tr').length)");
    assert_eq!(rows, expected.rows.len().to_string());
    let cells = eval_string(
        tab,
        "Array.from(document.querySelectorAll('#kwic-results table tbody tr')).map(tr => tr.innerText.split('\\t').slice(0, 4).join(' ')).join('\\n')",
    );
    for (line, row) in cells.lines().zip(&expected.rows) {
        let numbers: Vec<String> = line.split_whitespace().map(|n| n.replace(',', "")).collect();
        assert_eq!(numbers[1..], [row.count.to_string(), row.reports.to_string(), row.chars.to_string()], "{line}");
    }
    // The search's chart per 10,000 positions, from the same table.
    set_width(tab, 1280);
    tab.navigate_to(&server.url("/search/?q=%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(tab, "the chart", "document.getElementById('search-chart').hidden === false");
    tab.find_element("#search-chart-mode").unwrap().click().unwrap();
    wait_for(tab, "counts", "document.getElementById('search-chart-caption').textContent.includes('篇数')");
    tab.find_element("#search-chart-mode").unwrap().click().unwrap();
    wait_for(tab, "per 10,000", "document.getElementById('search-chart-caption').textContent.includes('每万位置')");
    let titles =
        eval_string(tab, "[...document.querySelectorAll('#search-chart title')].map(t => t.textContent).join('|')");
    let first = &expected.rows[0];
    let shown = format!("{}年：{} 处，每万位置 {:.2} 次", first.year, first.count, first.per_10k);
    assert!(titles.contains(&shown), "{shown} in {titles}");
    // What follows 坚持, in whole words by the cuts stored with the texts:
    // the server's rows, linked to their concordance.
    use wenku::research::continuations::{self, Side};
    let width = wenku::research::DEFAULT_WIDTH.max(continuations::MAX_CHARS);
    let found = wenku::research::occurrences_in_words(&index, "坚持", width).unwrap();
    let next = continuations::continuations(&found, Side::Right).unwrap();
    assert!(!next.rows.is_empty());
    tab.navigate_to(&server.url("/search/?q=%E5%9D%9A%E6%8C%81&view=next")).unwrap().wait_until_navigated().unwrap();
    wait_for(tab, "the 后接 table", "document.querySelectorAll('#kwic-results table tbody tr').length > 0");
    let shown = eval_string(
        tab,
        "Array.from(document.querySelectorAll('#kwic-results table tbody tr th a')).map(a => a.textContent).join('|')",
    );
    let wanted: Vec<String> = next.rows.iter().map(|row| format!("坚持{}", row.text)).collect();
    assert_eq!(shown, wanted.join("|"));
    // Its export: CSV and XLSX the engine writes, saved by the browser.
    assert_eq!(eval_string(tab, "String(document.querySelector('.kwic-export').hidden)"), "false");
    assert_eq!(eval_string(tab, "String(document.querySelector('.xlsx-export').hidden)"), "false");
    let saved = saved_export(tab, "#kwic-csv");
    let date = wenku::research::export::today();
    assert!(saved.starts_with(&format!("wenku-后接-{date}.csv\n查询,坚持,后接，导出于,{date}")), "{saved}");
    let header = "词串,次数,篇数,发文机关数,最早,最晚,查询";
    assert!(saved.contains(header), "{saved}");
    let first = &next.rows[0];
    assert!(saved.contains(&format!("{},{},{},", first.text, first.count, first.reports)), "{saved}");
    assert_eq!(saved.lines().count(), 4 + next.rows.len(), "{saved}");
    // Collocates, keyness against the five years before and clusters: the
    // server's rows, counted by the engine in the texts of the parts.
    use wenku::research::{clusters, collocates, keyness};
    let near = wenku::research::occurrences_in_words(&index, "疫情防控", collocates::context_width(10)).unwrap();
    let expected: Vec<String> =
        collocates::collocates(&index, &near, 10).unwrap().rows.into_iter().map(|row| row.text).collect();
    let keywords: Vec<String> = keyness::keyness(&index, "year:2024", "year:2019..2023", keyness::Mode::Key)
        .unwrap()
        .rows
        .into_iter()
        .map(|row| row.text)
        .collect();
    let formulations: Vec<String> =
        clusters::clusters(&index, "year:2024").unwrap().rows.into_iter().map(|row| row.text).collect();
    for (path, wanted) in [
        ("/search/?q=%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7&view=collocates", expected),
        ("/search/?year=2024&view=keywords", keywords),
        ("/search/?year=2024&view=clusters", formulations),
    ] {
        assert!(!wanted.is_empty(), "{path}: an empty table would prove nothing");
        tab.navigate_to(&server.url(path)).unwrap().wait_until_navigated().unwrap();
        wait_for(tab, path, "document.querySelectorAll('#kwic-results table tbody tr').length > 0");
        let shown = eval_string(
            tab,
            "Array.from(document.querySelectorAll('#kwic-results table tbody tr th')).map(th => th.textContent).join('|')",
        );
        assert_eq!(shown, wanted.join("|"), "{path}");
        assert_eq!(eval_string(tab, "String(document.querySelector('.kwic-export').hidden)"), "false", "{path}");
    }
    // The clusters table's CSV, with its own headers.
    let saved = saved_export(tab, "#kwic-csv");
    assert!(saved.starts_with(&format!("wenku-固定提法-{date}.csv\n")), "{saved}");
    assert!(saved.contains("提法,次数,篇数,发文机关数,年数,DP,最早,最晚"), "{saved}");
    // And its workbook: a ZIP archive the browser saves with its name.
    let saved = saved_export(tab, "#kwic-xlsx");
    assert!(saved.starts_with(&format!("wenku-固定提法-{date}.xlsx\nPK")), "{saved:.40}");
    screenshot(tab, "static-clusters.png");
    assert_no_console_errors(errors);
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn a_report_links_to_its_comparison_with_the_year_before() {
    let StaticSession { server, tab, errors, .. } = &static_session();

    tab.navigate_to(&server.url("/2022/qu-renda-niandu/")).unwrap().wait_until_navigated().unwrap();
    follow(tab, ".compare-link a");
    assert_eq!(current_path(tab), "/2022/qu-renda-niandu/compare/");
    assert_eq!(text_of(tab, "main h1"), "与上一年对比");
    let pair = text_of(tab, ".compare-pair");
    assert!(pair.contains("2021年") && pair.contains("2022年"), "{pair}");
    // Changed sentences show the characters that changed, marked both ways.
    let changed = eval_string(tab, "String(document.querySelectorAll('.diff .changed').length)");
    assert_ne!(changed, "0");
    let marks = eval_string(
        tab,
        "String(document.querySelectorAll('.diff .changed ins').length + document.querySelectorAll('.diff .changed del').length)",
    );
    assert_ne!(marks, "0");
    let colour = eval_string(tab, "getComputedStyle(document.querySelector('.diff .changed ins')).backgroundColor");
    assert_ne!(colour, "rgba(0, 0, 0, 0)", "inserted characters are highlighted");
    // A folded run of unchanged sentences opens.
    tab.find_element(".diff details summary").unwrap().click().unwrap();
    wait_for(tab, "the fold to open", "document.querySelector('.diff details').open");
    screenshot(tab, "compare.png");
    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn a_recurring_paragraph_names_where_else_it_is_and_the_passages_page_lists_it() {
    let StaticSession { server, tab, errors, .. } = &static_session();

    tab.navigate_to(&server.url("/2022/qu-renda-niandu/")).unwrap().wait_until_navigated().unwrap();
    // The marker is closed at first: a small label, its list hidden.
    let label = text_of(tab, ".report-body details.passage summary");
    assert!(label.starts_with("另见 ") && label.ends_with(" 篇报告"), "{label}");
    let visible = eval_string(tab, "String(document.querySelector('details.passage ul').checkVisibility())");
    assert_eq!(visible, "false", "the list is folded away");
    let paragraph = eval_string(
        tab,
        "document.querySelector('details.passage').previousElementSibling.innerText.replace(/\\s/g, '')",
    );
    tab.find_element(".report-body details.passage summary").unwrap().click().unwrap();
    wait_for(tab, "the marker to open", "document.querySelector('details.passage ul').checkVisibility()");
    screenshot(tab, "passage-marker.png");

    // Its first place is the same paragraph in another report.
    follow(tab, "details.passage li a");
    let url = tab.get_url();
    let anchor = url.rsplit_once('#').map(|(_, a)| a.to_owned()).expect("the link goes to a paragraph");
    let there = eval_string(tab, &format!("document.getElementById('{anchor}').innerText.replace(/\\s/g, '')"));
    let near = eval_string(tab, "String(!!document.querySelector('details.passage'))");
    assert_eq!(near, "true", "the other report marks the paragraph too");
    let shared = paragraph.chars().filter(|c| there.contains(*c)).count();
    assert!(shared * 10 >= paragraph.chars().count() * 8, "{paragraph} ≈ {there}");

    follow(tab, ".site-nav a[href='/passages/']");
    assert_eq!(text_of(tab, "main h1"), "重复段落");
    let first = text_of(tab, ".passage-list > li .passage-spread");
    assert!(first.contains("篇报告") && first.contains("个机关"), "{first}");
    screenshot(tab, "passages.png");
    let errors = errors.lock().unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// Clicks an internal link of the current page not visited yet, or goes
/// back when there is none; returns how long the next page took to load.
fn visit_another(tab: &Tab, visited: &mut Vec<String>) -> Duration {
    let before = tab.get_url();
    let script = format!(
        r#"(function () {{
            var seen = {seen};
            var links = Array.from(document.querySelectorAll("main a[href], nav a[href]")).filter(function (a) {{
                var u = new URL(a.href, location.href);
                return u.origin === location.origin && u.pathname.endsWith("/") && u.hash === "" && seen.indexOf(u.pathname) < 0;
            }});
            if (links.length === 0) {{ history.back(); return "back"; }}
            links[0].click();
            return new URL(links[0].href).pathname;
        }})()"#,
        seen = serde_json::to_string(visited).unwrap()
    );
    let started = Instant::now();
    let target = eval_string(tab, &script);
    visited.push(target.clone());
    let deadline = started + Duration::from_secs(15);
    loop {
        let loaded = tab.get_url() != before
            && tab.evaluate("document.readyState === 'complete'", false).ok().and_then(|r| r.value)
                == Some(serde_json::Value::Bool(true));
        if loaded {
            return started.elapsed();
        }
        assert!(Instant::now() < deadline, "the page after {before} ({target}) never loaded");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn browsing_under_serve_with_the_back_forward_cache_on_never_runs_out_of_connections() {
    let site = TestSite::sample();
    let server = crate::common::server::Server::start(site.root(), &[]);
    let base = format!("http://{}", server.addr);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}/")).unwrap().wait_until_navigated().unwrap();
    let mut visited = vec!["/".to_owned()];
    let mut timings = Vec::new();
    for _ in 0..14 {
        timings.push(visit_another(&tab, &mut visited));
    }
    // Back and forward through the cache, then on to new pages again.
    for _ in 0..3 {
        tab.evaluate("history.back()", false).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    for _ in 0..3 {
        timings.push(visit_another(&tab, &mut visited));
    }
    // With the streams kept open by cached pages, the sixth or so page never
    // loaded (Chromium's six connections per host were taken).
    eprintln!("page loads under serve, back/forward cache on: {timings:?}");
    assert!(timings.iter().all(|t| *t < Duration::from_secs(5)), "{timings:?}");
    // The server holds a stream for the page shown, none for those cached.
    std::thread::sleep(Duration::from_millis(500));
    let open = server.status()["open_streams"].as_u64().unwrap();
    assert!(open <= 2, "{open} event streams open for one page shown");
}

/// Shows the tab as a screen `width` CSS pixels wide (a phone when narrow).
fn set_width(tab: &Tab, width: u32) {
    use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
    tab.call_method(SetDeviceMetricsOverride {
        width,
        height: 900,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// A site of 70 years and 120 bodies at four levels: what a province's
/// archive looks like, not the sample's 5 years and 6 bodies.
fn wide_archive() -> TestSite {
    let site = TestSite::new();
    let levels = ["国家级", "省级", "市级", "区县级"];
    for i in 0..360 {
        let body = format!("某省第{}厅局委员会办公室", i % 120);
        let year = 1956 + (i * 13) % 70;
        site.write(
            &format!("content/r{i}.md"),
            format!(
                "---\ntitle: {body}{year}年工作总结\nbody: {body}\nlevel: {}\nyear: {year}\nperiod: 年度\n---\n\n全年工作稳步推进。\n",
                levels[i % 120 % 4]
            ),
        );
    }
    site
}

/// The home page at a width: no sideways overflow of the page, and each
/// body name of the overview on one line.
fn check_overview(tab: &Tab, url: &str, width: u32, name: &str) {
    set_width(tab, width);
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element(".grid").unwrap();
    let overflow = eval_string(
        tab,
        "String(Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth))",
    );
    assert_eq!(overflow, "0", "the page scrolls sideways by {overflow} px at {width} px");
    let tallest = eval_string(
        tab,
        "String(Math.max(...Array.from(document.querySelectorAll('.grid tbody th.grid-body')).map(th => th.getBoundingClientRect().height)) / parseFloat(getComputedStyle(document.querySelector('.grid tbody th.grid-body')).lineHeight))",
    );
    let lines: f64 = tallest.parse().unwrap();
    assert!(lines < 1.9, "a body name takes {lines} lines at {width} px");
    screenshot(tab, &format!("{name}-home-{width}.png"));
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn the_overview_fits_a_wide_archive_on_a_desktop_and_a_phone() {
    let site = wide_archive();
    site.build();
    let home = site.page("/");
    assert!(home.contains("1950年代") && home.contains("2020年代"), "seventy years fold into decades:\n{home}");
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    for width in [1280, 390] {
        check_overview(&tab, &server.url("/"), width, "wide");
    }
}

/// The real corpus as a site, if ../shared/corpus is there.
fn real_archive() -> TestSite {
    TestSite::real_archive("title: 政府工作报告文库\n")
}

#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn the_overview_fits_the_real_archive_on_a_desktop_and_a_phone() {
    let site = real_archive();
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    for width in [1280, 390] {
        check_overview(&tab, &server.url("/"), width, "real");
    }
}

#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn searching_the_real_archive_on_a_phone_shows_results_first_and_the_chart_keeps_its_span() {
    let site = real_archive();
    let server = crate::common::server::Server::start(site.root(), &["--no-build", "--no-watch"]);
    let base = format!("http://{}", server.addr);
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    let query = "/search/?q=%E6%94%B9%E9%9D%A9%E5%BC%80%E6%94%BE"; // 改革开放

    set_width(&tab, 390);
    tab.navigate_to(&format!("{base}{query}")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the first hit", "document.querySelector('.hit') !== null");
    let top: f64 =
        eval_string(&tab, "String(document.querySelector('.hit').getBoundingClientRect().top)").parse().unwrap();
    assert!(top < 700.0, "the first result is {top} px down on a phone");
    assert_eq!(eval_string(&tab, "String(document.getElementById('search-chart').offsetParent === null)"), "true");
    let overflow = "String(Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth))";
    assert_eq!(eval_string(&tab, overflow), "0");
    screenshot(&tab, "real-search-390.png");
    tab.find_element("#search-side-toggle").unwrap().click().unwrap();
    wait_for(&tab, "the chart", "document.getElementById('search-chart').offsetParent !== null");
    let svg_width: f64 =
        eval_string(&tab, "String(document.querySelector('#search-chart svg').getBoundingClientRect().width)")
            .parse()
            .unwrap();
    assert!(svg_width <= 390.0, "the chart is {svg_width} px wide on a phone");
    screenshot(&tab, "real-search-390-chart.png");

    set_width(&tab, 1280);
    tab.navigate_to(&format!("{base}{query}")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the chart", "document.getElementById('search-chart').hidden === false");
    let caption = text_of(&tab, "#search-chart-caption");
    let span = caption.rsplit('（').next().unwrap().to_owned();
    screenshot(&tab, "real-search-1280.png");
    // Narrowed to one year, the chart still spans the archive.
    tab.navigate_to(&format!("{base}{query}&year=2022")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the chart", "document.getElementById('search-chart').hidden === false");
    assert!(text_of(&tab, "#search-chart-caption").ends_with(&span), "{caption}");
    // Years without reports are drawn, apart from years without the wording.
    assert!(eval_string(&tab, "String(document.querySelectorAll('#search-chart .no-reports').length)") != "0");
    tab.find_element("#search-chart-mode").unwrap().click().unwrap();
    wait_for(&tab, "counts", "document.getElementById('search-chart-caption').textContent.includes('篇数')");
    // Under the server, occurrences per 10,000 positions of each year.
    tab.find_element("#search-chart-mode").unwrap().click().unwrap();
    wait_for(&tab, "per 10,000", "document.getElementById('search-chart-caption').textContent.includes('每万位置')");
    let titles =
        eval_string(&tab, "[...document.querySelectorAll('#search-chart title')].map(t => t.textContent).join('|')");
    assert!(titles.contains("每万位置"), "{titles}");
    tab.find_element("#search-chart-mode").unwrap().click().unwrap();
    wait_for(&tab, "share", "document.getElementById('search-chart-caption').textContent.includes('比例')");
    assert!(errors.lock().unwrap().is_empty(), "console errors: {:?}", errors.lock().unwrap());
}

#[test]
#[ignore = "needs ../shared/corpus (CI runs it with --include-ignored)"]
fn a_report_of_the_real_archive_prints_as_a_clean_document() {
    let site = real_archive();
    // A report page with a passage marker and a comparison link.
    let page = walkdir::WalkDir::new(site.public())
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .find(|p| {
            p.file_name().is_some_and(|n| n == "index.html")
                && std::fs::read_to_string(p)
                    .is_ok_and(|h| h.contains("class=\"passage\"") && h.contains("compare-link"))
        })
        .expect("a report with a marker and a comparison link");
    let url = format!("/{}", page.parent().unwrap().strip_prefix(site.public()).unwrap().display());
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&server.url(&format!("{}/", common_encode(&url)))).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("article.report").unwrap();
    use headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia;
    tab.call_method(SetEmulatedMedia { media: Some("print".into()), features: None }).unwrap();
    let shown = |selector: &str| {
        eval_string(
            &tab,
            &format!(
                "String([...document.querySelectorAll('{selector}')].some(e => getComputedStyle(e).display !== 'none'))"
            ),
        )
    };
    for hidden in [".site-header", ".site-footer", "details.passage", ".compare-link", ".toc", ".neighbours"] {
        assert_eq!(shown(hidden), "false", "{hidden} is printed");
    }
    assert_eq!(shown(".report-header h1"), "true");
    assert_eq!(shown(".report-body"), "true");
    // The date stays on one line at a page's width (it broke as `2026-` / `01-25`).
    set_width(&tab, 560);
    if eval_string(&tab, "String(document.querySelector('.report-meta time') !== null)") == "true" {
        assert_eq!(
            eval_string(&tab, "String(document.querySelector('.report-meta time').getClientRects().length)"),
            "1"
        );
    }
    let pdf = tab.print_to_pdf(None).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("real-report-print.pdf"), &pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

/// A site path percent-encoded as a browser sends it.
fn common_encode(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, percent_encoding::CONTROLS).to_string()
}

/// The number in the search status line ("共 N 篇报告").
fn shown_total(tab: &Tab) -> usize {
    let status = text_of(tab, "#search-status");
    let digits: String = status.split("共 ").nth(1).unwrap_or("").chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("no total in {status:?}"))
}

/// Searches `site` in Chromium on plain static hosting, through the
/// WebAssembly engine, and holds the answers to Tantivy's.
fn static_search_in_the_browser(site: &TestSite, typed: &str, expected_mark: &str, queries: &[&str]) {
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    let index = wenku::search::SearchIndex::open(&site.root().join("search-index")).unwrap();

    tab.navigate_to(&server.url("/search/")).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("#search-q").unwrap().click().unwrap();
    tab.type_str(typed).unwrap();
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "results", "document.querySelectorAll('#search-results > li').length > 0");
    let marks =
        eval_string(&tab, "[...document.querySelectorAll('#search-results mark')].map(m => m.textContent).join('|')");
    assert!(!marks.is_empty() && marks.split('|').all(|m| m == expected_mark), "marked wording: {marks}");
    let expected = index.search(&wenku::search::SearchRequest::new(typed)).unwrap();
    assert_eq!(shown_total(&tab), expected.total, "{typed}");
    wait_for(&tab, "the chart", "!document.getElementById('search-chart').hidden");
    let bars = eval_string(&tab, "String(document.querySelectorAll('#search-chart rect.bar').length)");
    assert_eq!(bars, expected.facets.archive_years.len().to_string(), "one bar per year of the archive");
    let body_facets =
        eval_string(&tab, "String(document.querySelectorAll('#search-facets a[href*=\"body=\"]').length)");
    assert_eq!(body_facets, expected.facets.body.len().to_string(), "a link per body");
    screenshot(&tab, "static-search.png");

    // The same totals as the server for more queries, filters included.
    for query in queries {
        let url = format!("/search/?q={}", crate::common::server::encode(query));
        tab.navigate_to(&server.url(&url)).unwrap().wait_until_navigated().unwrap();
        wait_for(&tab, "the answer", "document.getElementById('search-status').innerText.includes('篇报告')");
        let expected = index.search(&wenku::search::SearchRequest::new(*query)).unwrap();
        assert_eq!(shown_total(&tab), expected.total, "{query}");
    }

    // A hit's snippet leads to its paragraph.
    let url = format!("/search/?q={}", crate::common::server::encode(typed));
    tab.navigate_to(&server.url(&url)).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "results", "document.querySelectorAll('#search-results .snippet').length > 0");
    tab.find_element("#search-results .snippet").unwrap().click().unwrap();
    wait_for(&tab, "the report paragraph", "document.querySelector(':target') !== null");
    let target = eval_string(&tab, "document.querySelector(':target').textContent");
    assert!(
        wenku_engine::analyzer::normalize(&target).contains(&wenku_engine::analyzer::normalize(expected_mark)),
        "the paragraph with the wording: {target}"
    );

    assert_no_console_errors(&errors);
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn search_on_plain_static_hosting_uses_the_static_index() {
    let site = TestSite::sample();
    site.build();
    static_search_in_the_browser(
        &site,
        "打通供应链",
        "打通供应链",
        &["疫情防控 year:2021", "\"疫情 防控\"", "发展 -疫情", "坚持*发展", "level:省级", "的"],
    );
}

#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench (CI runs it with --include-ignored)"]
fn the_real_reports_are_searchable_on_plain_static_hosting() {
    let site = TestSite::generated_corpus();
    site.write("wenku.yaml", "static_search: true\n");
    site.build();
    static_search_in_the_browser(
        &site,
        "经济发展",
        "经济发展",
        &["全面建成小康社会", "改革开放 year:2000..2010", "新质生产力"],
    );
}

/// A gap query too broad to check without asking says what it would
/// download; "search anyway" answers it, and a new query asks again.
#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn a_broad_gap_query_on_static_hosting_asks_before_downloading() {
    let (site, reports) = TestSite::too_many_for_a_gap_query_unasked();
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    tab.navigate_to(&server.url("/search/?q=%E5%9D%9A*%E5%B1%95")).unwrap().wait_until_navigated().unwrap();
    wait_for(&tab, "the offer", "document.querySelector('#search-status .search-anyway') !== null");
    let status = eval_string(&tab, "document.getElementById('search-status').innerText");
    assert!(status.contains(&format!("{reports} 篇报告")) && status.contains("MB"), "{status}");
    screenshot(&tab, "static-search-large.png");
    let export_shown = eval_string(
        &tab,
        "String(!!document.querySelector('.kwic-export') && !document.querySelector('.kwic-export').hidden)",
    );
    assert_eq!(export_shown, "false", "exports need the server");
    tab.find_element("#search-status .search-anyway").unwrap().click().unwrap();
    wait_for(&tab, "the answer", "document.getElementById('search-status').innerText.includes('共 ')");
    assert_eq!(shown_total(&tab), reports);
    // Its other pages are not asked about again.
    tab.find_element("#search-pages a").unwrap().click().unwrap();
    wait_for(&tab, "page 2", "document.getElementById('search-status').innerText.includes('第 2 /')");
    // Another query is asked about again.
    tab.navigate_to(&server.url("/search/?q=%E5%9D%9A*%E5%B1%95%20year%3A2000.."))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(&tab, "the offer again", "document.querySelector('#search-status .search-anyway') !== null");
    assert_no_console_errors(&errors);
}

/// Keyness of one year against every earlier one on static hosting reads
/// well over a thousand texts once the reader agrees: the page fetches
/// them a few at a time (asked for all at once, Chromium refuses some) and
/// shows the server's rows.
#[test]
#[ignore = "needs ../shared/corpus and ../shared/bench, and headless Chromium (CI runs it with --include-ignored)"]
fn a_statistic_over_thousands_of_reports_works_on_static_hosting_once_agreed() {
    let site = TestSite::generated_corpus_of(Some(2500));
    site.write("wenku.yaml", "static_search: true\n");
    site.build();
    let index = wenku::search::SearchIndex::open(&site.root().join("search-index")).expect("the index opens");
    let (target, reference) = ("year:2020", "year:..2019");
    let expected =
        wenku::research::keyness::keyness(&index, target, reference, wenku::research::keyness::Mode::Key).unwrap();
    assert!(expected.reference_reports > 1500, "{} reports would not test many fetches", expected.reference_reports);
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    tab.navigate_to(&server.url("/search/?year=2020&view=keywords&ref=year%3A..2019"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(&tab, "the offer", "document.querySelector('#search-status .search-anyway') !== null");
    tab.find_element("#search-status .search-anyway").unwrap().click().unwrap();
    // Thousands of texts fetched, then counted in the page: a minute at most.
    wait_for_within(
        &tab,
        "the keyness table",
        "document.querySelectorAll('#kwic-results table tbody tr').length > 0",
        Duration::from_secs(120),
    );
    let shown = eval_string(
        &tab,
        "Array.from(document.querySelectorAll('#kwic-results table tbody tr th')).map(th => th.textContent).join('|')",
    );
    let wanted: Vec<&str> = expected.rows.iter().map(|row| row.text.as_str()).collect();
    assert_eq!(shown, wanted.join("|"));
    assert_no_console_errors(&errors);
}

#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn a_search_page_opened_as_a_file_says_to_use_a_web_server() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let page = site.public().join("search/index.html");
    tab.navigate_to(&format!("file://{}?q=%E7%96%AB%E6%83%85", page.display()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    // Its links are the site's absolute ones, so not even the script loads:
    // the page itself says what to do.
    wait_for(
        &tab,
        "the message",
        "document.getElementById('search-status').innerText.includes('python3 -m http.server') && getComputedStyle(document.querySelector('.search-boot')).opacity === '1'",
    );
}

/// On a phone, a table wider than the screen says that it scrolls sideways
/// (the overview's grid of years, a report's wide table); on a desktop
/// nothing is said. Printed, a report's date stays on one line.
#[test]
#[ignore = "slow: headless Chromium (CI runs it with --include-ignored)"]
fn wide_tables_say_they_scroll_on_a_phone_and_dates_print_whole() {
    let site = TestSite::fixture("two-bodies");
    site.report(
        "2024/wide.md",
        "某市统计局2024年度工作总结",
        "某市统计局",
        2024,
        "全年主要指标如下。\n\n| 指标 | 2020年 | 2021年 | 2022年 | 2023年 | 2024年 |\n| --- | --- | --- | --- | --- | --- |\n| 地区生产总值 | 100亿元 | 110亿元 | 120亿元 | 130亿元 | 140亿元 |\n\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n",
    );
    site.write(
        "content/2024/wide.md",
        std::fs::read_to_string(site.root().join("content/2024/wide.md"))
            .unwrap()
            .replace("---\n\n", "date: 2024-12-25\n---\n\n"),
    );
    site.build();
    let server = StaticServer::start(&site.public());
    let browser = launch();
    let tab = browser.new_tab().unwrap();
    let errors = watch_errors(&tab);
    let hints = |tab: &Tab| {
        eval_string(
            tab,
            "String([...document.querySelectorAll('.scroll-hint')].filter(e => e.offsetParent !== null).length)",
        )
    };
    set_width(&tab, 390);
    tab.navigate_to(&server.url("/2024/wide/")).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("article.report").unwrap();
    // The six-column table says so; the two-column one, which fits, does not.
    assert_eq!(hints(&tab), "1");
    screenshot(&tab, "wide-table-390.png");
    tab.navigate_to(&server.url("/")).unwrap().wait_until_navigated().unwrap();
    assert_eq!(hints(&tab), "1", "the grid of years");
    set_width(&tab, 1280);
    tab.navigate_to(&server.url("/2024/wide/")).unwrap().wait_until_navigated().unwrap();
    assert_eq!(hints(&tab), "0");
    use headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia;
    tab.call_method(SetEmulatedMedia { media: Some("print".into()), features: None }).unwrap();
    set_width(&tab, 560);
    assert_eq!(hints(&tab), "0", "no hint on paper");
    assert_eq!(eval_string(&tab, "String(document.querySelector('.report-meta time').getClientRects().length)"), "1");
    assert_no_console_errors(&errors);
}
