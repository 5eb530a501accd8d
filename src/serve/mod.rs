//! `wenku serve`: the built site over HTTP with a search API, and, while
//! watching, incremental rebuilds pushed to open browsers.
//!
//! - `http`: the router: static files, content types, 404, the base path
//! - `api`: `/api/search`, bounded in size and time
//! - `kwic`: `/api/kwic…`: concordance, tables and their export
//! - `statistics`: `/api/keywords` and `/api/clusters`: keyness and recurring formulations
//! - `live`: rebuild status, server-sent events and the live-reload script
//! - `watch`: file events, debounced and sorted into `Changes`
//! - `events`: what a changed path is to the site (report, template, static
//!   file, config, or nothing it reads)
//! - (`crate::rebuild` applies `Changes` to the output folder and the index:
//!   build logic, which `serve` only calls)
//!
//! The state the handlers share is small and explicit (`AppState`), built
//! per server: no globals, so tests run several servers in one process.

pub mod api;
pub mod compare;
pub mod events;
pub mod http;
pub mod kwic;
pub mod listen;
pub mod live;
pub mod statistics;
pub mod watch;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use anyhow::{Context, Result};

use crate::build::BuildOptions;
use crate::rebuild::LiveSite;
use crate::search::SearchIndex;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: SocketAddr,
    /// Watch the site's files and rebuild on change.
    pub watch: bool,
    /// Serve what is already built instead of building first.
    pub no_build: bool,
    /// The language of what `serve` prints on the terminal (the command
    /// line's; the API and the pages speak the site's).
    pub language: crate::search::messages::Language,
}

/// What every request handler may read.
pub struct AppState {
    /// The site folder (for `/compare/`, which reads reports from it).
    pub root: PathBuf,
    pub output: PathBuf,
    /// The URL path the site lives under: `/` or `/archive/`.
    pub base: String,
    pub index_dir: PathBuf,
    /// The language the search API words its problems in.
    pub language: crate::search::messages::Language,
    /// The language of what is printed on the terminal.
    pub terminal: crate::search::messages::Language,
    /// The open index, or why there is none (the API says so).
    search: RwLock<Result<Arc<SearchIndex>, String>>,
    pub search_slots: tokio::sync::Semaphore,
    /// Occurrences of the last concordance queries.
    pub kwic_cache: kwic::KwicCache,
    /// What draft checks learnt of the index, for the next check.
    pub draft_memory: std::sync::Mutex<crate::research::draft::Memory>,
    /// Present while watching: rebuild status and the browsers' event channel.
    pub live: Option<Arc<live::Live>>,
    /// Each report's site path (`2021/总结/`) → its file under `content/`;
    /// empty when serving without building.
    sources: RwLock<HashMap<String, PathBuf>>,
}

impl AppState {
    /// The state of a server of the site at `root` with `config`, serving
    /// `output` and searching `index_dir`.
    pub fn new(
        root: PathBuf,
        output: PathBuf,
        config: &crate::content::config::Config,
        index_dir: PathBuf,
        watching: bool,
    ) -> AppState {
        let slots = 2 * std::thread::available_parallelism().map_or(1, |n| n.get());
        let state = AppState {
            root,
            output,
            base: config.base_path(),
            index_dir,
            language: crate::search::messages::Language::of(&config.language),
            terminal: crate::search::messages::Language::of(&config.language),
            search: RwLock::new(Err(String::new())),
            search_slots: tokio::sync::Semaphore::new(slots),
            kwic_cache: kwic::KwicCache::default(),
            draft_memory: Default::default(),
            live: watching.then(|| Arc::new(live::Live::new(crate::search::messages::Language::of(&config.language)))),
            sources: RwLock::new(HashMap::new()),
        };
        state.reopen_index();
        state
    }

    pub fn search_index(&self) -> Result<Arc<SearchIndex>, String> {
        self.search.read().expect("no panic while holding the lock").clone()
    }

    /// Opens the index again (after a rebuild may have replaced it).
    pub fn reopen_index(&self) {
        let opened = SearchIndex::open(&self.index_dir).map(Arc::new).map_err(|e| e.to_string());
        *self.search.write().expect("no panic while holding the lock") = opened;
        self.kwic_cache.clear();
    }

    /// Records where each report's file is, after a build or rebuild.
    pub fn set_sources(&self, library: &crate::content::Library) {
        let sources = library.reports.iter().map(|r| (r.path.clone(), r.source.clone())).collect();
        *self.sources.write().expect("no panic while holding the lock") = sources;
    }

    pub fn knows_sources(&self) -> bool {
        !self.sources.read().expect("no panic while holding the lock").is_empty()
    }

    /// The file of the report at a site path (`/archive/2021/总结/`,
    /// `2021/总结`, percent-encoded or not).
    pub fn source_of(&self, path: &str) -> Option<PathBuf> {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let path = decoded.strip_prefix(self.base.as_str()).unwrap_or(&decoded).trim_start_matches('/');
        let key = if path.ends_with('/') { path.to_owned() } else { format!("{path}/") };
        self.sources.read().expect("no panic while holding the lock").get(&key).cloned()
    }

    /// Makes the latest commit visible to the next query.
    pub fn reload_index(&self) {
        let current = self.search_index();
        match current {
            Ok(index) if index.reload().is_ok() => {}
            _ => self.reopen_index(),
        }
    }
}

/// Builds (unless told not to), then serves until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<()> {
    let chinese = options.language == crate::search::messages::Language::Chinese;
    // A run stopped while changing the site left its journal: the pages and
    // indexes may disagree, and only a whole build makes them agree again.
    let repair = options.no_build && crate::output::journal::Journal::left_behind(&options.build.root).is_some();
    if repair {
        if chinese {
            eprintln!("上次运行在改动站点时中断：先完整生成一次站点，再提供");
        } else {
            eprintln!("the last run stopped while changing the site: building it whole before serving");
        }
    }
    let live_site = if options.no_build && !repair {
        None
    } else {
        let started = std::time::Instant::now();
        let site = LiveSite::build(options.build.clone())?;
        let (reports, seconds) = (site.site.library.reports.len(), started.elapsed().as_secs_f64());
        if chinese {
            eprintln!("已生成 {reports} 篇报告，用时 {seconds:.2} 秒 → {}", site.output.display());
        } else {
            eprintln!("built {reports} reports in {seconds:.2} s → {}", site.output.display());
        }
        Some(site)
    };
    let (output, config, index_dir) = match &live_site {
        Some(site) => (site.output.clone(), site.site.config.clone(), site.index_dir.clone()),
        None => {
            let root = &options.build.root;
            let config = crate::content::config::Config::load(root)?;
            let output = options.build.output.clone().unwrap_or_else(|| root.join(&config.output_dir));
            if !output.join("index.html").is_file() {
                anyhow::bail!(
                    "there is no built site in {}\n  = help: run `wenku build` first, or drop `--no-build`",
                    output.display()
                );
            }
            let index_dir = root.join(&config.index_dir);
            (output, config, index_dir)
        }
    };
    let base = config.base_path();
    let watching = options.watch && !options.no_build && live_site.is_some();
    let mut state = AppState::new(options.build.root.clone(), output, &config, index_dir, watching);
    state.terminal = options.language;
    let state = Arc::new(state);
    if let Some(site) = &live_site {
        state.set_sources(&site.site.library);
    }
    if let Err(why) = state.search_index() {
        if chinese {
            eprintln!("警告：搜索暂不可用：{why}");
        } else {
            eprintln!("warning: search is unavailable: {why}");
        }
    }

    let runtime = tokio::runtime::Runtime::new().context("cannot start the server's runtime")?;
    let _watcher = match (watching, live_site) {
        (true, Some(site)) => Some(watch::start(site, state.clone())?),
        _ => None,
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(options.bind).await {
            Ok(listener) => listener,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => anyhow::bail!(
                "cannot listen on {}: another program (perhaps another `wenku serve`) uses that port\n  = help: pick another with `--bind {}:{}`",
                options.bind,
                options.bind.ip(),
                options.bind.port().wrapping_add(1).max(1024)
            ),
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {}", options.bind)),
        };
        let address = listener.local_addr()?;
        if chinese {
            let watch = if watching { "，文件一改即重新生成" } else { "" };
            eprintln!("站点已在 http://{address}{base} 提供{watch}（按 Ctrl-C 停止）");
        } else {
            let watch = if watching { ", watching for changes" } else { "" };
            eprintln!("serving http://{address}{base}{watch}  (Ctrl-C to stop)");
        }
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        listen::serve(listener, http::router(state), listen::connection_limit(), shutdown).await;
        Ok(())
    })
}
