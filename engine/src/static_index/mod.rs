//! The static search index: plain files beside the site that the engine,
//! compiled to WebAssembly, searches in the browser without a server.
//! `format` is the files' layout; `search` answers queries from them;
//! [`answer`] is the whole exchange with the page, as JSON, so that the
//! WebAssembly side only moves bytes.

pub mod format;
pub mod search;

use serde::Serialize;

pub use search::{StaticIndex, Step};

use crate::messages::{self, Language};
use crate::request::request_from;
use crate::results::SearchResults;

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Need { need: Vec<String> },
    Reply { ok: bool, body: Body },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    Results(Box<SearchResults>),
    Error { error: String, help: String },
}

/// The answer to the search page's URL parameters (a JSON list of
/// `[name, value]` pairs): `{"need": [paths]}` while files are missing,
/// else what `/api/search` would reply, `{"ok": true, "body": results}` or
/// `{"ok": false, "body": {"error", "help"}}` in the site's language.
pub fn answer(index: &StaticIndex, params_json: &[u8]) -> String {
    let language = Language::of(&index.language());
    let refuse = |problem| {
        let (error, help) = messages::text(&problem, language);
        Answer::Reply { ok: false, body: Body::Error { error, help } }
    };
    let answer = match serde_json::from_slice::<Vec<(String, String)>>(params_json) {
        Err(_) => refuse(crate::messages::Problem::UnreadableParameters),
        Ok(params) => match request_from(&params) {
            Err(problem) => refuse(problem),
            Ok(request) => match index.search(&request) {
                Step::Need(need) => Answer::Need { need },
                Step::Done(Ok(results)) => Answer::Reply { ok: true, body: Body::Results(Box::new(results)) },
                Step::Done(Err(error)) => refuse(error.problem),
            },
        },
    };
    serde_json::to_string(&answer).unwrap_or_else(|_| "{}".into())
}
