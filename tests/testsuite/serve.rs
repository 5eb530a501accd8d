//! `wenku serve` over real HTTP on an ephemeral port: static files, content
//! types, compression, caching, 404, path traversal, the base path, the
//! search API, and watch mode with real file events (edits, atomic saves,
//! new, deleted and renamed files, a burst, a broken file and its fix).

use std::time::Duration;

use crate::common::server::{Server, encode};
use crate::common::{SmallDisk, TestSite};

/// The two-bodies fixture, served.
fn fixture_server(args: &[&str]) -> (TestSite, Server) {
    let site = TestSite::fixture("two-bodies");
    let server = Server::start(site.root(), args);
    (site, server)
}

#[test]
fn serves_the_site_with_utf8_types_compression_caching_and_its_404_page() {
    let (_site, server) = fixture_server(&["--no-watch"]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.text().contains("两个机关的报告"));
    assert!(!home.text().contains("__wenku/live.js"), "no live reload without watching");

    // A Chinese path, percent-encoded as browsers send it.
    let body_page = server.get(&encode("/bodies/某区人大常委会党组/"));
    assert_eq!(body_page.status, 200, "{}", body_page.text());
    assert!(body_page.text().contains("某区人大常委会党组2021年度工作总结"));

    assert_eq!(server.get("/atom.xml").header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(server.get("/static/style.css").header("content-type"), Some("text/css; charset=utf-8"));

    let gzipped = server.get_with("/", &[("accept-encoding", "gzip")]);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert!(gzipped.body.len() < home.body.len());

    let modified = home.header("last-modified").expect("Last-Modified is sent").to_owned();
    let again = server.get_with("/", &[("if-modified-since", &modified)]);
    assert_eq!(again.status, 304, "an unchanged page is not sent again");

    let missing = server.get(&encode("/没有这一页/"));
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("页面不存在"), "the theme's 404 page: {}", missing.text());

    // A folder without its slash is redirected to it.
    let folder = server.get("/years");
    assert!(matches!(folder.status, 301 | 302 | 307 | 308), "{}", folder.status);
}

#[test]
fn no_path_leaves_the_output_folder() {
    let (site, server) = fixture_server(&["--no-watch"]);
    site.write("secret.txt", "TOP-SECRET");
    let attempts = [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/.%2e/secret.txt",
        "/..;/secret.txt",
        "//etc/passwd",
        "/static/../../wenku.yaml",
    ];
    for path in attempts {
        let response = server.get(path);
        assert_ne!(response.status, 200, "{path} was served");
        let text = response.text();
        assert!(!text.contains("TOP-SECRET") && !text.contains("paginate:"), "{path} leaked a file");
        assert!(response.status < 500, "{path}: {}", response.status);
    }
}

#[test]
fn honours_the_base_path() {
    let site = TestSite::fixture("two-bodies");
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    site.write("wenku.yaml", config.replace("base_url: /", "base_url: /archive/"));
    let server = Server::start(site.root(), &["--no-watch"]);
    let home = server.get("/archive/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("href=\"/archive/static/style.css\""));
    assert_eq!(server.get("/archive/static/style.css").status, 200);
    let outside = server.get("/");
    assert!(matches!(outside.status, 302 | 307), "outside the base path: {}", outside.status);
    assert_eq!(outside.header("location"), Some("/archive/"));
    let api = server.get(&format!("/archive/api/search?q={}", encode("打通供应链")));
    assert_eq!(api.status, 200, "{}", api.text());
    let hit_url = api.json()["hits"][0]["url"].as_str().unwrap().to_owned();
    assert!(hit_url.starts_with("/archive/"), "{hit_url}");
}

#[test]
fn the_search_api_answers_json_and_turns_bad_input_into_400s() {
    let (_site, server) = fixture_server(&["--no-watch"]);
    let q = encode("\"打通供应链\"");
    let all = server.get(&format!("/api/search?q={q}"));
    assert_eq!(all.status, 200);
    assert_eq!(all.header("content-type"), Some("application/json"));
    let all = all.json();
    assert_eq!(all["total"], 4, "{all}");
    let years: Vec<u64> =
        all["facets"]["year"].as_array().unwrap().iter().map(|y| y["year"].as_u64().unwrap()).collect();
    assert_eq!(years, [2021, 2022, 2023]);
    let hit = &all["hits"][0];
    assert!(hit["snippets"][0]["html"].as_str().unwrap().contains("<mark>打通供应链</mark>"), "{hit}");
    assert!(hit["snippets"][0]["url"].as_str().unwrap().contains('#'), "links to a paragraph: {hit}");

    let filtered = server.get(&format!("/api/search?q={q}&year=2022..2023&sort=oldest&per_page=1&page=2")).json();
    assert_eq!(filtered["page"], 2);
    assert_eq!(filtered["hits"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["total"], 3, "{filtered}");
    for year in filtered["facets"]["year"].as_array().unwrap() {
        let y = year["year"].as_u64().unwrap();
        assert!((2022..=2023).contains(&y), "{filtered}");
    }
    let by_body = server.get(&format!("/api/search?q={q}&body={}", encode("某市发展和改革委员会"))).json();
    assert_eq!(by_body["facets"]["body"].as_array().unwrap().len(), 1, "{by_body}");

    let bad = [
        format!("/api/search?q={}", encode("\"未闭合")),
        format!("/api/search?q={}", encode("yaer:2020")),
        "/api/search?q=a&year=twenty".to_owned(),
        "/api/search?q=a&page=0".to_owned(),
        "/api/search?q=a&per_page=1000".to_owned(),
        "/api/search?q=a&sort=random".to_owned(),
        "/api/search?q=a&colour=red".to_owned(),
        format!("/api/search?q={}", "a".repeat(5000)),
        format!("/api/search?q=a&body={}", encode("不存在的机关")),
        "/api/search?q=%FF%FE".to_owned(),
    ];
    for path in &bad {
        let response = server.get(path);
        assert_eq!(response.status, 400, "{path}: {}", response.text());
        let json = response.json();
        assert!(!json["error"].as_str().unwrap().is_empty(), "{path}: {json}");
        assert!(json.get("help").is_some(), "{path}: {json}");
    }
}

#[test]
fn concurrent_queries_all_succeed() {
    let (_site, server) = fixture_server(&["--no-watch"]);
    let addr = server.addr;
    let threads: Vec<_> = (0..32)
        .map(|i| {
            std::thread::spawn(move || {
                let q = ["打通供应链", "疫情防控", "\"营商环境\"", "工作 -疫情"][i % 4];
                crate::common::server::request(addr, "GET", &format!("/api/search?q={}", encode(q)), &[]).status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 200);
    }
}

#[test]
fn serving_without_building_needs_a_built_site() {
    let site = TestSite::fixture("two-bodies");
    let run = site.run(&["serve", "--no-build", "--no-watch", "--bind", "127.0.0.1:0"]);
    assert!(!run.success);
    assert!(run.stderr.contains("wenku build"), "{}", run.stderr);
}

/// An editor's atomic save: write a temporary file, rename it over the report.
fn atomic_save(path: &std::path::Path, text: &str) {
    let temp = path.with_file_name(".wenku-test.swp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn watch_mode_serves_edits_and_reports_errors_until_fixed() {
    let (site, server) = fixture_server(&[]);
    let page = "/2022/fgw-niandu/";
    let html = server.get(page).text();
    assert!(html.contains("__wenku/live.js"), "pages load the live-reload script while watching");
    assert_eq!(server.get("/__wenku/live.js").status, 200);

    // A plain write.
    let path = site.root().join("content/2022/fgw-niandu.md");
    let good = std::fs::read_to_string(&path).unwrap();
    let meta = std::fs::read(site.root().join("public/_search/manifest.json")).unwrap();
    let generation = server.generation();
    std::fs::write(&path, format!("{good}\n新写入的段落：数字政府建设提速。\n")).unwrap();
    let status = server.wait_for_rebuild(generation);
    assert_eq!(status["errors"].as_array().unwrap().len(), 0, "{status}");
    assert!(server.get(page).text().contains("数字政府建设提速"));
    let found = server.get(&format!("/api/search?q={}", encode("\"数字政府建设提速\""))).json();
    assert_eq!(found["total"], 1, "the index reflects the edit: {found}");
    // The static search index follows once edits pause, for the folder's
    // next trip to a plain web server.
    server.wait_until("the static search index to be remade", |_| {
        std::fs::read(site.root().join("public/_search/manifest.json")).is_ok_and(|now| now != meta)
    });

    // An editor's atomic save.
    let generation = server.generation();
    atomic_save(&path, &format!("{good}\n原子保存的段落：城市更新行动。\n"));
    server.wait_for_rebuild(generation);
    server.wait_until("the atomic save to be served", |s| s.get(page).text().contains("城市更新行动"));
    assert!(!server.get(page).text().contains("数字政府建设提速"));

    // A broken report: the error is reported, the last good page stays.
    let generation = server.generation();
    std::fs::write(&path, good.replacen("year: 2022", "year: 二〇二二", 1)).unwrap();
    let status = server.wait_for_rebuild(generation);
    let errors = status["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{status}");
    assert_eq!(errors[0]["file"], "content/2022/fgw-niandu.md");
    assert_eq!(errors[0]["line"], 5);
    assert!(errors[0]["column"].as_u64().unwrap() >= 1);
    assert!(errors[0]["message"].as_str().unwrap().contains("year"), "{status}");
    let still = server.get(page);
    assert_eq!(still.status, 200);
    assert!(still.text().contains("城市更新行动"), "the last good site is still served");

    // The events stream tells a newly opened page about the error at once.
    let events = read_first_event(&server);
    assert!(events.starts_with("event: broken"), "{events}");
    assert!(events.contains("fgw-niandu.md"), "{events}");

    // Fixing it clears the error.
    let generation = server.generation();
    std::fs::write(&path, &good).unwrap();
    let status = server.wait_for_rebuild(generation);
    assert_eq!(status["errors"].as_array().unwrap().len(), 0, "{status}");
    assert!(!server.get(page).text().contains("城市更新行动"));
}

/// The first server-sent event on a new connection to `/__wenku/events`.
fn read_first_event(server: &Server) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET /__wenku/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    while !String::from_utf8_lossy(&received).contains("\n\n") || !String::from_utf8_lossy(&received).contains("event:")
    {
        let n = stream.read(&mut buffer).expect("an event arrives");
        assert!(n > 0, "the stream closed");
        received.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&received).into_owned();
    let start = text.find("event:").unwrap();
    text[start..].to_owned()
}

#[test]
fn watch_mode_follows_new_deleted_renamed_files_and_bursts() {
    let (site, server) = fixture_server(&[]);
    let report = |title: &str, year: i32| {
        format!(
            "---\ntitle: {title}\nbody: 某市生态环境局\nlevel: 市级\nyear: {year}\nperiod: 年度\n---\n\n## 一、情况\n\n{title}的正文。\n"
        )
    };

    // New.
    site.write("content/2025/new.md", report("二〇二五年新报告", 2025));
    // Pages are replaced one by one; the year's list follows the report's page.
    server.wait_until("the new report and its year", |s| {
        s.get("/2025/new/").status == 200 && s.get(&encode("/years/2025/")).text().contains("二〇二五年新报告")
    });

    // Renamed.
    std::fs::rename(site.root().join("content/2025/new.md"), site.root().join("content/2025/renamed.md")).unwrap();
    server.wait_until("the renamed report", |s| s.get("/2025/renamed/").status == 200);
    server.wait_until("the old URL to go", |s| s.get("/2025/new/").status == 404);

    // Deleted.
    std::fs::remove_file(site.root().join("content/2025/renamed.md")).unwrap();
    server.wait_until("the deleted report to go", |s| s.get("/2025/renamed/").status == 404);
    server.wait_until("its year to go", |s| s.get("/years/2025/").status == 404);

    // A burst, as a `git checkout` writes it: 300 files at once.
    for i in 0..300 {
        site.write(&format!("content/burst/r{i:03}.md"), report(&format!("批量报告{i:03}"), 2000 + (i % 20)));
    }
    // Files caught half-written are read again when their writing ends.
    server.wait_until("every file of the burst", |s| {
        let found = s.get(&format!("/api/search?q={}", encode("\"批量报告\""))).json();
        s.status()["errors"].as_array().unwrap().is_empty() && found["total"] == 300
    });
    for i in [0, 150, 299] {
        let page = server.get(&format!("/burst/r{i:03}/"));
        assert!(page.text().contains(&format!("批量报告{i:03}")), "r{i:03}");
    }
    let found = server.get(&format!("/api/search?q={}", encode("\"批量报告\""))).json();
    assert_eq!(found["total"], 300, "every burst file is indexed");

    // And removed again as a folder.
    std::fs::remove_dir_all(site.root().join("content/burst")).unwrap();
    // The pages go first, the index commit follows.
    server.wait_until("the burst folder to go", |s| {
        let found = s.get(&format!("/api/search?q={}", encode("\"批量报告\""))).json();
        s.get("/burst/r000/").status == 404 && found["total"] == 0
    });
}

/// The year and body pages' formulations depend on every report: watch
/// mode finds them again once edits pause, and writes the pages they change.
#[test]
fn watch_mode_brings_the_year_pages_new_formulations_up_to_date() {
    let (site, server) = fixture_server(&[]);
    let formulation = "数字经济创新发展试验区";
    assert!(!server.get(&encode("/years/2024/")).text().contains(formulation));
    site.write(
        "content/2024/new.md",
        format!(
            "---\ntitle: 新报告\nbody: 某市生态环境局\nlevel: 市级\nyear: 2024\nperiod: 年度\n---\n\n建设{formulation}，推进{formulation}，办好{formulation}。\n"
        ),
    );
    server.wait_until("the year page's new formulation", |s| {
        s.get(&encode("/years/2024/")).text().contains(&format!("\">{formulation}</a>"))
    });
    server.wait_until("the body page's key formulation", |s| {
        s.get(&encode("/bodies/某市生态环境局/")).text().contains(&format!("\">{formulation}</a>"))
    });
}

#[test]
fn a_template_edit_is_served_after_rebuild() {
    let (site, server) = fixture_server(&[]);
    let base = include_str!("../../themes/default/templates/base.html");
    let generation = server.generation();
    site.write("templates/base.html", base.replace("订阅更新", "订阅本文库"));
    let status = server.wait_for_rebuild(generation);
    assert!(status["pages"].is_null(), "every page is rebuilt: {status}");
    assert!(server.get("/").text().contains("订阅本文库"));
}

#[test]
fn a_config_edit_rebuilds_everything() {
    let (site, server) = fixture_server(&[]);
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    let generation = server.generation();
    site.write("wenku.yaml", config.replace("title: 两个机关的报告", "title: 改名后的文库"));
    let status = server.wait_for_rebuild(generation);
    assert!(status["errors"].as_array().unwrap().is_empty(), "{status}");
    assert!(status["pages"].is_null(), "every page is rebuilt: {status}");
    assert!(server.get("/").text().contains("改名后的文库"));
    assert!(server.get("/2022/fgw-niandu/").text().contains("改名后的文库"));
    let found = server.get(&format!("/api/search?q={}", encode("打通供应链"))).json();
    assert_eq!(found["total"], 4, "search still works after the rebuild: {found}");
}

#[test]
fn any_two_reports_can_be_compared() {
    let (site, server) = fixture_server(&[]);
    let page = server.get("/compare/?a=/2020/renda-niandu/&b=2022/fgw-niandu");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<h1>对比</h1>"), "{html}");
    assert!(
        html.contains("某区人大常委会党组2020年度工作总结") && html.contains("某市发展和改革委员会2022年度工作总结")
    );
    assert!(html.contains("<ol class=\"diff\">") || html.contains("这是重写"), "{html}");
    assert_eq!(server.get("/compare/?a=/2020/renda-niandu/").status, 400);
    assert_eq!(server.get("/compare/?a=/2020/renda-niandu/&b=/2099/none/").status, 404);

    // The page reads the files as they are now: a copy of a report, then
    // the report with a sentence added.
    let path = site.root().join("content/2022/fgw-niandu.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write("content/2022/fgw-copy.md", text.replace("2022年度工作总结", "2022年度工作总结（副本）"));
    std::fs::write(&path, format!("{text}\n刚刚补写的一句话。\n")).unwrap();
    let compared = "/compare/?a=2022/fgw-copy/&b=2022/fgw-niandu/";
    server.wait_until("the copy and the edit to be read", |s| s.get(compared).text().contains("刚刚补写"));
    let html = server.get(compared).text();
    assert!(html.contains("<ins>刚刚补写的一句话。</ins>"), "{html}");
}

#[test]
fn a_taken_port_suggests_another() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let site = TestSite::fixture("two-bodies");
    let run = site.run(&["serve", "--no-build", "--bind", &address]);
    let run = if run.stderr.contains("no built site") {
        site.build();
        site.run(&["serve", "--no-build", "--bind", &address])
    } else {
        run
    };
    assert!(!run.success);
    assert!(run.stderr.contains("uses that port") && run.stderr.contains("--bind 127.0.0.1:"), "{}", run.stderr);
}

#[test]
fn comparison_errors_are_pages_of_the_site() {
    let (_site, server) = fixture_server(&[]);
    for path in ["/compare/?a=", "/compare/", "/compare/?a=x/&b=y/"] {
        let response = server.get(path);
        assert!(response.status >= 400, "{path}");
        let page = response.text();
        assert!(page.contains("class=\"site-header\"") && page.contains("无法对比"), "{path}: {page}");
    }
}

#[test]
fn the_search_api_words_its_problems_in_the_sites_language() {
    let (site, server) = fixture_server(&["--no-watch"]);
    let unclosed = format!("/api/search?q={}", encode("\"疫情防控"));
    let json = server.get(&unclosed).json();
    assert_eq!(json["error"], "引号没有闭合：\"疫情防控", "{json}");
    assert!(json["help"].as_str().unwrap().contains("补上"), "{json}");
    let json = server.get(&format!("/api/search?q={}", encode("yaer:2020"))).json();
    assert!(json["error"].as_str().unwrap().contains("没有“yaer:”这种筛选"), "{json}");
    drop(server);

    // A site in English gets English; the command line always does.
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    site.write("wenku.yaml", config.replace("language: zh-CN", "language: en"));
    let server = Server::start(site.root(), &["--no-watch"]);
    assert_eq!(server.get(&unclosed).json()["error"], "a quote is not closed: \"疫情防控");
    let run = site.run(&["search", "\"疫情防控"]);
    assert!(run.stderr.contains("a quote is not closed"), "{}", run.stderr);
}

#[test]
#[ignore = "needs permission to mount a tmpfs (root or CAP_SYS_ADMIN; CI runs it with --include-ignored)"]
fn a_full_disk_under_watch_is_reported_and_the_edit_indexed_once_there_is_room() {
    let disk = SmallDisk::mount(4);
    let site = TestSite::fixture("two-bodies");
    let config = std::fs::read_to_string(site.root().join("wenku.yaml")).unwrap();
    let index_dir = disk.path().join("index");
    site.write("wenku.yaml", format!("{config}static_search: false\nindex_dir: {}\n", index_dir.display()));
    let server = Server::start(site.root(), &[]);

    // Fill the disk the index is on (the write stops when it is full).
    let filler = disk.path().join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 8 << 20]);
    let path = site.root().join("content/2022/fgw-niandu.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let generation = server.generation();
    std::fs::write(&path, format!("{text}\n满盘时写下的措辞。\n")).unwrap();
    let status = server.wait_for_rebuild(generation);
    let errors = status["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{status}");
    assert!(errors[0]["message"].as_str().unwrap().contains("the disk is full"), "{status}");
    assert!(errors[0]["hint"].as_str().unwrap().starts_with("磁盘已满"), "in the site's language: {status}");

    // With room again, the next save brings the index up to date, the
    // edit that could not be indexed included.
    std::fs::remove_file(&filler).unwrap();
    let other = site.root().join("content/2021/renda-niandu.md");
    let other_text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{other_text}\n腾出空间后的措辞。\n")).unwrap();
    let total = |s: &Server, phrase: &str| s.get(&format!("/api/search?q={}", encode(phrase))).json()["total"].clone();
    server.wait_until("the index to take both edits", |s| {
        s.status()["errors"].as_array().unwrap().is_empty()
            && total(s, "\"满盘时写下的措辞\"") == 1
            && total(s, "\"腾出空间后的措辞\"") == 1
    });
}

/// A research client refused for want of the index (or of load or time)
/// is told when to ask again, in the site's language.
#[test]
fn a_refusal_says_when_to_ask_again() {
    let site = TestSite::fixture("two-bodies");
    site.build();
    std::fs::remove_dir_all(site.root().join("search-index")).unwrap();
    let server = Server::start(site.root(), &["--no-build"]);
    for path in [format!("/api/search?q={}", encode("工作")), format!("/api/kwic?q={}", encode("工作"))] {
        let response = server.get(&path);
        assert_eq!(response.status, 503, "{path}");
        assert_eq!(response.header("retry-after"), Some("2"), "{path}");
        assert!(response.json()["error"].as_str().is_some_and(|e| e.contains("搜索")), "{path}");
    }
}
