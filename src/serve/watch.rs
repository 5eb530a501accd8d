//! Watching the site's files: debounced notify events, sorted into
//! `Changes` and applied by one thread, one batch at a time.
//!
//! Editors save by writing a temporary file and renaming it over the report
//! (vim, VS Code, JetBrains), and `git checkout` touches hundreds of files at
//! once. Neither needs special cases: a batch names paths, and each path is
//! looked at as it is *now* (there: load it; gone: remove it), so a
//! removed-then-created file is simply a modified one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{AppState, live};
use crate::rebuild::{Changes, LiveSite};

/// How long the debouncer waits for a burst of events to end.
const DEBOUNCE: Duration = Duration::from_millis(30);

type FileWatcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching `site`'s folder; rebuilds run on a thread of their own.
pub fn start(site: LiveSite, state: Arc<AppState>) -> Result<std::thread::JoinHandle<()>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = new_debouncer(DEBOUNCE, None, tx).context("cannot watch the site's files")?;
    let mut watched = BTreeSet::new();
    watch_folders(&mut watcher, site.root(), &mut watched)?;
    let handle = std::thread::Builder::new()
        .name("wenku-watch".into())
        .spawn(move || rebuild_loop(site, state, watcher, watched, rx))
        .context("cannot start the watcher thread")?;
    Ok(handle)
}

/// The site root itself (for `wenku.yaml` and folders created later) and
/// every folder the site reads, recursively. Not the output or the index.
fn watch_folders(watcher: &mut FileWatcher, root: &Path, watched: &mut BTreeSet<PathBuf>) -> Result<()> {
    if watched.insert(root.to_path_buf()) {
        watcher.watch(root, RecursiveMode::NonRecursive).with_context(|| format!("cannot watch {}", root.display()))?;
    }
    for name in ["content", "templates", "static", "themes"] {
        let dir = root.join(name);
        if dir.is_dir() && !watched.contains(&dir) {
            watcher.watch(&dir, RecursiveMode::Recursive).with_context(|| format!("cannot watch {}", dir.display()))?;
            watched.insert(dir);
        }
    }
    Ok(())
}

fn rebuild_loop(
    mut site: LiveSite,
    state: Arc<AppState>,
    mut watcher: FileWatcher,
    mut watched: BTreeSet<PathBuf>,
    rx: Receiver<DebounceEventResult>,
) {
    let root = site.root().to_path_buf();
    // Events name absolute paths; the site knows its files by `root`.
    let absolute_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let Some(live) = &state.live else { return };
    loop {
        let next = |site: &LiveSite, quiet| next_changes(&rx, &root, &absolute_root, &site.site.config, quiet);
        // A stale static index is remade once edits pause, not between
        // two saves of someone at work: each save would stop it again.
        let waited = if site.static_index_is_stale() || site.overview_is_stale() {
            match next(&site, Some(QUIET_BEFORE_REMAKE)) {
                Waited::Quiet => remake_stale_until(&mut site, |site| next(site, None)),
                waited => waited,
            }
        } else {
            next(&site, None)
        };
        // Else the watcher is gone: the server is stopping.
        let Waited::Changes(changes) = waited else { return };
        if let Err(e) = watch_folders(&mut watcher, &root, &mut watched) {
            eprintln!("warning: {e:#}");
        }
        match site.apply(changes) {
            Ok(rebuilt) => {
                state.set_sources(&site.site.library);
                state.reload_index();
                if rebuilt.pages.is_none() {
                    state.reopen_index();
                }
                let chinese = state.terminal == crate::search::messages::Language::Chinese;
                let (ms, reparsed, written, removed, reindexed) = (
                    rebuilt.elapsed.as_millis(),
                    rebuilt.reparsed,
                    rebuilt.written,
                    rebuilt.removed,
                    rebuilt.reindexed,
                );
                if chinese {
                    eprintln!(
                        "已重新生成，用时 {ms} 毫秒：重读 {reparsed} 篇报告，写出 {written} 个文件，删除 {removed} 个，重建索引 {reindexed} 篇"
                    );
                } else {
                    eprintln!(
                        "rebuilt in {ms} ms: {reparsed} reports re-read, {written} files written, {removed} removed, {reindexed} re-indexed"
                    );
                }
                live.publish(rebuilt.pages, Vec::new());
            }
            Err(error) => {
                let problems = live::problems(&error, &root, &site.site.config.language);
                let chinese = state.terminal == crate::search::messages::Language::Chinese;
                if chinese {
                    eprintln!("重新生成失败；仍提供上一次生成成功的站点：");
                } else {
                    eprintln!("rebuild failed; still serving the last good site:");
                }
                match error.downcast_ref::<crate::shared::diagnostics::Diagnostics>() {
                    Some(d) => eprintln!("{}", d.to_text(chinese)),
                    None if chinese => eprintln!("错误：{error:#}"),
                    None => eprintln!("error: {error:#}"),
                }
                live.publish(None, problems);
            }
        }
    }
}

/// How long edits must pause before a stale static index is brought up to
/// date (a publish of what changed: well under a second at 10,000
/// reports) and the overview found again.
const QUIET_BEFORE_REMAKE: Duration = Duration::from_millis(300);

/// What waiting for the next change ended with.
enum Waited {
    Changes(Changes),
    /// Nothing changed for as long as asked.
    Quiet,
    /// The watcher is gone: the server is stopping.
    Gone,
}

/// The next changes to the site, waiting for them (at most `quiet`, if
/// given): events that change nothing of it (the output folder, scratch
/// folders, reads) are passed over.
fn next_changes(
    rx: &Receiver<DebounceEventResult>,
    root: &Path,
    absolute_root: &Path,
    config: &crate::content::config::Config,
    quiet: Option<Duration>,
) -> Waited {
    let add = |batch: DebounceEventResult, changes: &mut Changes| match batch {
        Ok(events) => {
            // Reading a file is not changing it (and a rebuild reads).
            for event in events.iter().filter(|e| !matches!(e.kind, EventKind::Access(_))) {
                for path in &event.paths {
                    let path = match path.strip_prefix(absolute_root) {
                        Ok(rel) => root.join(rel),
                        Err(_) => path.clone(),
                    };
                    super::events::add(changes, root, config, &path);
                }
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: file watching: {e}");
            }
        }
    };
    let deadline = quiet.map(|quiet| std::time::Instant::now() + quiet);
    let mut changes = Changes::default();
    loop {
        let batch = match deadline {
            None => rx.recv().map_err(|_| Waited::Gone),
            Some(deadline) => {
                rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())).map_err(|e| match e {
                    std::sync::mpsc::RecvTimeoutError::Timeout => Waited::Quiet,
                    std::sync::mpsc::RecvTimeoutError::Disconnected => Waited::Gone,
                })
            }
        };
        match batch {
            Ok(batch) => add(batch, &mut changes),
            Err(waited) => return waited,
        }
        // A burst (a checkout) may arrive as several batches: take all that
        // are already here.
        while let Ok(batch) = rx.try_recv() {
            add(batch, &mut changes);
        }
        if !changes.is_empty() {
            return Waited::Changes(changes);
        }
    }
}

/// The threads the static search index is remade on: a pool of their own,
/// so that a rebuild's parallel work never queues behind the remake's, at
/// the lowest priority, so that a rebuild and the server's answers get the
/// processor first, and half the cores, as fewer threads at work hold less
/// memory beside the server's own (at 100,000 reports a server under load
/// with a remake under way is near 2 GiB).
fn background_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        rayon::ThreadPoolBuilder::new()
            .num_threads((cores / 2).max(1))
            .thread_name(|i| format!("wenku-static-index-{i}"))
            .start_handler(|_| lower_this_threads_priority())
            .build()
            .expect("threads can be started")
    })
}

/// Linux gives each thread its own nice value.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on this thread's own id.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 19);
    }
}

/// Remakes what an edit left stale and depends on every report (the
/// overview's year and body pages, then the static search index) while
/// waiting for the next change; a change stops it (it is made again after
/// that change). Under `serve` the search page asks the server, so nobody
/// waits for the static index; it keeps the output folder ready to be
/// copied to a plain web server. The remake's own files are events too,
/// but no change: they stop nothing.
fn remake_stale_until(site: &mut LiveSite, next: impl FnOnce(&LiveSite) -> Waited) -> Waited {
    let started = std::time::Instant::now();
    let cancel = AtomicBool::new(false);
    let (next, (overview, made)) = std::thread::scope(|scope| {
        let site = &*site;
        let worker = scope.spawn(|| {
            background_pool().install(|| {
                // The static index first: a publish writes only what changed.
                let made = if site.static_index_is_stale() { site.remake_static_index(&cancel) } else { Ok(false) };
                if let Ok(true) = made {
                    eprintln!("static search index updated in {:.1} s", started.elapsed().as_secs_f64());
                }
                let overview = if site.overview_is_stale() && !cancel.load(Ordering::Relaxed) {
                    site.remake_overview(&cancel)
                } else {
                    Ok(None)
                };
                (overview, made)
            })
        });
        // Either the work is done and this waits as usual, or a change
        // comes first and stops it.
        let next = next(site);
        cancel.store(true, Ordering::Relaxed);
        let done = worker.join().unwrap_or_else(|_| {
            let panicked = || anyhow::anyhow!("its writer panicked");
            (Err(panicked()), Err(panicked()))
        });
        (next, done)
    });
    match overview {
        Ok(Some(overview)) => {
            if let Err(e) = site.overview_remade(overview) {
                eprintln!("warning: {e:#}");
            }
        }
        Ok(None) => {}
        // Tried again after the next change.
        Err(e) => eprintln!("warning: the year and body pages' formulations were not found again: {e:#}"),
    }
    match made {
        Ok(true) => {
            if let Err(e) = site.static_index_remade() {
                eprintln!("warning: {e:#}");
            }
        }
        Ok(false) => {}
        Err(e) => eprintln!("warning: the static search index was not remade: {e:#}"),
    }
    next
}
