//! What static search costs in the browser: a site built with
//! `static_search: true`, served by Python's http.server (no compression, no
//! range requests), searched on its own search page in headless Chromium.
//!
//!     WENKU_SITE=/path/to/site cargo bench --bench static_search
//!
//! For each query of the battery: the reports found, the requests and bytes
//! of a cold search (a fresh tab with the cache off: page, script, engine,
//! `manifest.json`, the segments' `docs.bin` and the query's files) and of a warm one (the
//! same page after another query: only the query's own files), and the time
//! from asking to exact results (totals, facets, chart, the page of hits)
//! as the page measures it. Bytes are the browser's `transferSize`.
//! `WENKU_RESOURCES=1` also prints each warm query's files and their sizes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

#[path = "../tests/testsuite/common/static_server.rs"]
mod static_server;
use static_server::StaticServer;

fn wait_for(tab: &Tab, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while tab.evaluate(script, false).ok().and_then(|r| r.value) != Some(serde_json::Value::Bool(true)) {
        assert!(Instant::now() < deadline, "timed out: {script}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn number(tab: &Tab, script: &str) -> f64 {
    tab.evaluate(script, false).unwrap().value.and_then(|v| v.as_f64()).unwrap_or(f64::NAN)
}

/// Requests and bytes since the resource list was last cleared.
const RESOURCES: &str = "(() => { const r = performance.getEntriesByType('resource'); \
    return [r.length, r.reduce((s, e) => s + e.transferSize, 0)]; })()";

fn resources(tab: &Tab) -> (usize, f64) {
    let value = tab.evaluate(&format!("JSON.stringify({RESOURCES})"), false).unwrap().value.unwrap();
    let pair: (usize, f64) = serde_json::from_str(value.as_str().unwrap()).unwrap();
    pair
}

const DONE: &str = "document.getElementById('search-status').innerText.includes('篇报告') \
    || document.querySelector('#search-status .error') !== null";

fn total(tab: &Tab) -> String {
    let status = tab.evaluate("document.getElementById('search-status').innerText", false).unwrap().value.unwrap();
    let status = status.as_str().unwrap_or("").to_owned();
    status.split("共 ").nth(1).map_or(status.clone(), |rest| rest.split(' ').next().unwrap_or("").to_owned())
}

/// A tab whose every request goes to the server: what the engine keeps in
/// the page is all that a warm query saves.
fn uncached_tab(browser: &Browser) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().unwrap();
    tab.call_method(headless_chrome::protocol::cdp::Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    tab.call_method(headless_chrome::protocol::cdp::Network::SetCacheDisabled { cache_disabled: true }).unwrap();
    // The browser keeps 250 resource entries by default: a broad query
    // fetches more, and would be under-counted.
    tab.call_method(headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
        source: "performance.setResourceTimingBufferSize(1000000);".into(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    tab
}

fn encode(query: &str) -> String {
    percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn main() {
    let Some(site) = std::env::var_os("WENKU_SITE").map(PathBuf::from) else {
        eprintln!("set WENKU_SITE to a site built with static_search: true");
        return;
    };
    let public = site.join("public");
    let server = StaticServer::start(&public);
    let url = |q: &str| server.url(&format!("/search/?q={}", encode(q)));
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(PathBuf::from("/usr/bin/chromium")))
            .sandbox(false)
            .window_size(Some((1200, 900)))
            .build()
            .unwrap(),
    )
    .unwrap();
    let default_battery = [
        ("1 character", "的"),
        ("2 characters", "发展"),
        ("common 4 characters", "经济发展"),
        ("rare phrase", "赋能千行百业"),
        ("8 characters", "全面建成小康社会"),
        ("13 characters", "坚持以人民为中心的发展思想"),
        ("rare phrase of common bigrams", "发展质量效益不断提"),
        ("multi-word", "改革 开放 创新"),
        ("OR and exclusion", "疫情防控 OR 新冠 -非典"),
        ("gap", "坚持*发展 year:2020"),
        ("filters only", "year:2010..2015"),
        ("no hits", "没有这样的词语组合"),
    ];
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("site: {} ({cores} cores)", site.display());
    println!(
        "| query | kind | reports | cold requests | cold KB | warm requests | warm KB | time to exact results, warm (ms) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (kind, query) in default_battery {
        // Cold: a fresh tab, nothing cached.
        let tab = uncached_tab(&browser);
        tab.navigate_to(&url(query)).unwrap().wait_until_navigated().unwrap();
        wait_for(&tab, DONE);
        // Page, style, script and favicon are the page's, not the search's:
        // counted anyway, with the engine and the index files.
        let (cold_requests, cold_bytes) = resources(&tab);
        let found = total(&tab);

        // Warm: the engine loaded by another query first, then this one.
        let warm = uncached_tab(&browser);
        warm.navigate_to(&url("year:2000")).unwrap().wait_until_navigated().unwrap();
        wait_for(&warm, DONE);
        warm.evaluate(
            "performance.clearResourceTimings(); document.getElementById('search-status').textContent = ''",
            false,
        )
        .unwrap();
        let script = format!(
            "(() => {{ const q = document.getElementById('search-q'); q.value = {}; \
             q.form.requestSubmit(); return true; }})()",
            serde_json::to_string(query).unwrap()
        );
        warm.evaluate(&script, false).unwrap();
        wait_for(&warm, DONE);
        let (warm_requests, warm_bytes) = resources(&warm);
        let took = number(&warm, "parseFloat(document.getElementById('search-status').innerText.split('（')[1])");
        if std::env::var_os("WENKU_RESOURCES").is_some() {
            let list = warm.evaluate("JSON.stringify(performance.getEntriesByType('resource').map(e => [e.name.split('/_search/')[1] || e.name, e.transferSize]))", false).unwrap().value.unwrap();
            eprintln!("{query}: {}", list.as_str().unwrap());
        }
        println!(
            "| `{query}` | {kind} | {found} | {cold_requests} | {:.0} | {warm_requests} | {:.0} | {took:.0} |",
            cold_bytes / 1024.0,
            warm_bytes / 1024.0
        );
        let _ = tab.close(false);
        let _ = warm.close(false);
    }
}
