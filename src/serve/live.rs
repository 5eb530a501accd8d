//! Live reload: the rebuild status, pushed to browsers as server-sent events.
//!
//! After a rebuild the server sends `reload` with the URLs of the pages that
//! changed (or `null`: all of them); a page open at one of them reloads.
//! After a failed rebuild it sends `broken` with every problem (file, line,
//! column, message, hint): the page shows them over itself, the last good
//! site stays served, and the next good rebuild clears the overlay.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};

use super::AppState;
use crate::shared::diagnostics::Diagnostics;

const SCRIPT: &str = include_str!("live.js");

/// One problem as the browser overlay shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    pub source_line: Option<String>,
}

/// The overlay's own words, in the site's language (labels end with their
/// punctuation: `错误：`, `error: `).
#[derive(Debug, Clone, Serialize)]
pub struct OverlayText {
    pub title: &'static str,
    pub error: &'static str,
    pub help: &'static str,
}

impl OverlayText {
    pub fn of(language: crate::search::messages::Language) -> OverlayText {
        match language {
            crate::search::messages::Language::Chinese => OverlayText {
                title: "构建失败：仍显示上一次成功构建的页面（修正后自动刷新）",
                error: "错误：",
                help: "提示：",
            },
            crate::search::messages::Language::English => OverlayText {
                title: "The build failed: the last good build is still shown (it reloads once fixed)",
                error: "error: ",
                help: "help: ",
            },
        }
    }
}

impl Default for OverlayText {
    fn default() -> Self {
        OverlayText::of(crate::search::messages::Language::Chinese)
    }
}

/// The outcome of the latest rebuild.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Status {
    /// The overlay's words.
    pub text: OverlayText,
    /// Counts rebuilds, good or bad; tests wait for it to move.
    pub generation: u64,
    /// Empty after a good rebuild.
    pub errors: Vec<Problem>,
    /// URLs rewritten by the latest good rebuild; `None` is every page.
    pub pages: Option<Vec<String>>,
}

pub struct Live {
    status: RwLock<Status>,
    events: broadcast::Sender<Status>,
    /// The open event streams, oldest first, and the newest id given.
    streams: std::sync::Mutex<(std::collections::BTreeSet<u64>, u64)>,
    /// Streams with an id up to this one are to end.
    evicted: tokio::sync::watch::Sender<u64>,
}

/// Event streams kept open at once. Past this, the oldest ends: it is most
/// likely a page left open in a forgotten tab or a browser's cache, and a
/// page still shown reconnects by itself.
const MAX_STREAMS: usize = 64;

impl Default for Live {
    fn default() -> Self {
        Live::new(crate::search::messages::Language::Chinese)
    }
}

impl Live {
    pub fn new(language: crate::search::messages::Language) -> Live {
        Live {
            status: RwLock::new(Status { text: OverlayText::of(language), ..Status::default() }),
            events: broadcast::channel(64).0,
            streams: std::sync::Mutex::new(Default::default()),
            evicted: tokio::sync::watch::channel(0).0,
        }
    }

    pub fn status(&self) -> Status {
        self.status.read().expect("no panic while holding the lock").clone()
    }

    /// Records a rebuild and tells every open page.
    pub fn publish(&self, pages: Option<Vec<String>>, errors: Vec<Problem>) {
        let status = {
            let mut status = self.status.write().expect("no panic while holding the lock");
            status.generation += 1;
            status.errors = errors;
            status.pages = pages;
            status.clone()
        };
        let _ = self.events.send(status); // no browser open: nobody to tell
    }

    /// Registers a new event stream: its id, and a guard that unregisters
    /// it. Ends the oldest stream when there are more than `MAX_STREAMS`.
    fn open_stream(self: &Arc<Self>) -> (u64, StreamGuard) {
        let mut streams = self.streams.lock().expect("no panic while holding the lock");
        streams.1 += 1;
        let id = streams.1;
        streams.0.insert(id);
        while streams.0.len() > MAX_STREAMS {
            let Some(oldest) = streams.0.pop_first() else { break };
            self.evicted.send_if_modified(|up_to| {
                let newer = oldest > *up_to;
                if newer {
                    *up_to = oldest;
                }
                newer
            });
        }
        (id, StreamGuard { live: Arc::clone(self), id })
    }

    /// How many event streams are open.
    pub fn open_streams(&self) -> usize {
        self.streams.lock().expect("no panic while holding the lock").0.len()
    }
}

/// Unregisters an event stream when it ends (the browser went away, or it
/// was evicted).
struct StreamGuard {
    live: Arc<Live>,
    id: u64,
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.live.streams.lock().expect("no panic while holding the lock").0.remove(&self.id);
    }
}

/// Every problem of a failed rebuild, with paths relative to the site.
pub fn problems(error: &anyhow::Error, root: &std::path::Path, language: &str) -> Vec<Problem> {
    match error.downcast_ref::<Diagnostics>() {
        Some(diagnostics) => diagnostics
            .0
            .iter()
            .map(|d| {
                let (message, hint) = d.text(language);
                Problem {
                    file: d.path.strip_prefix(root).unwrap_or(&d.path).display().to_string(),
                    line: d.line,
                    column: d.column,
                    message,
                    hint,
                    source_line: d.source_line.clone(),
                }
            })
            .collect(),
        None => vec![Problem {
            file: String::new(),
            line: 0,
            column: 0,
            message: error.chain().map(|e| e.to_string()).collect::<Vec<_>>().join(": "),
            hint: disk_full_hint(error, language),
            source_line: None,
        }],
    }
}

/// What to do when a rebuild failed for want of disk space.
fn disk_full_hint(error: &anyhow::Error, language: &str) -> Option<String> {
    crate::output::is_disk_full(error).then(|| {
        if language.starts_with("zh") {
            "磁盘已满：腾出空间后再保存一次文件，未写入的改动会一并补上".to_owned()
        } else {
            "the disk is full: free some space, then save a file again; what was not written is written then".to_owned()
        }
    })
}

pub async fn status(State(state): State<Arc<AppState>>) -> Response {
    match &state.live {
        Some(live) => {
            let mut status = serde_json::to_value(live.status()).unwrap_or_default();
            status["open_streams"] = live.open_streams().into();
            Json(status).into_response()
        }
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn events(State(state): State<Arc<AppState>>) -> Response {
    let Some(live) = &state.live else { return axum::http::StatusCode::NOT_FOUND.into_response() };
    let (id, guard) = live.open_stream();
    let evictions = WatchStream::new(live.evicted.subscribe()).filter(move |&up_to| up_to >= id).map(|_| None);
    // The current state first, so a page opened during an error shows it.
    let current = live.status();
    let first = tokio_stream::once(current);
    let updates = BroadcastStream::new(live.events.subscribe()).filter_map(|s| s.ok());
    let stream = first.chain(updates).map(Some).merge(evictions).map_while(move |status| {
        let _registered = &guard;
        let status = status?;
        let kind = if status.errors.is_empty() { "reload" } else { "broken" };
        let data = serde_json::to_string(&status).unwrap_or_default();
        Some(Ok::<_, Infallible>(Event::default().event(kind).data(data)))
    });
    // A comment every 15 s: a stream whose browser is gone fails to write
    // and ends, instead of being counted open forever.
    Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))).into_response()
}

pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "application/javascript; charset=utf-8")], SCRIPT).into_response()
}
