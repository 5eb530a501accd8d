//! Wording research over HTTP, for the search page's 语境 (concordance),
//! 后接 / 前接 (what follows / precedes) and 提法演变 (variants) views:
//!
//! - `GET /api/kwic?q=&year=&body=&level=&period=&sort=&group=&fold=&width=&page=&per_page=`
//! - `GET /api/kwic/next`, `/api/kwic/before`, `/api/kwic/variants`,
//!   `/api/kwic/collocates` (`&window=`), `/api/kwic/years`, `/api/kwic/bodies` (same `q` and filters)
//! - `GET /api/kwic/export?view=lines|next|before|variants|collocates|years|bodies&format=csv|xlsx` (and the above)
//!
//! The occurrences of the last few queries are kept, so that paging,
//! sorting and switching views do not look through the reports again; a
//! commit to the index (a rebuild) makes them out of date.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::api::{on_index, query_from, reply};
use crate::research::concordance::{self, View};
use crate::research::continuations::{self, Side};
use crate::research::{self, Occurrences, collocates, export, frequency, variants};
use crate::search::SearchIndex;
use crate::search::messages::Problem;
use crate::search::searcher::SearchError;

/// Queries whose occurrences are kept.
const KEPT_QUERIES: usize = 4;

/// Occurrences of recent queries, by query, width and index generation.
#[derive(Default)]
pub struct KwicCache {
    entries: Mutex<Vec<(CacheKey, Arc<Occurrences>)>>,
}

/// The query, the width, whether with word cuts, the index and its generation.
type CacheKey = (String, usize, bool, usize, u64);

impl KwicCache {
    fn get(&self, key: &CacheKey) -> Option<Arc<Occurrences>> {
        let entries = self.entries.lock().expect("no panic while holding the lock");
        entries.iter().find(|(k, _)| k == key).map(|(_, found)| found.clone())
    }

    /// Forgets everything (the index was opened anew).
    pub fn clear(&self) {
        self.entries.lock().expect("no panic while holding the lock").clear();
    }

    fn put(&self, key: CacheKey, found: Arc<Occurrences>) {
        let mut entries = self.entries.lock().expect("no panic while holding the lock");
        entries.retain(|(k, _)| k != &key);
        entries.push((key, found));
        if entries.len() > KEPT_QUERIES {
            entries.remove(0);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Lines,
    Next,
    Before,
    Variants,
    Collocates,
    Years,
    Bodies,
}

impl Table {
    /// Whether its rows are whole words, which the occurrences' cuts say.
    fn reads_words(self) -> bool {
        matches!(self, Table::Next | Table::Before | Table::Variants | Table::Collocates)
    }
}

/// What a request asks for, read from its parameters.
struct Ask {
    query: String,
    width: usize,
    /// Positions each side, for collocates.
    window: usize,
    view: View,
    format: Option<Format>,
    table: Table,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Csv,
    Xlsx,
}

fn ask_from(params: &[(String, String)], table: Option<Table>) -> Result<Ask, Problem> {
    let (query, rest) = query_from(params)?;
    let mut ask = Ask {
        query,
        width: research::DEFAULT_WIDTH,
        window: collocates::DEFAULT_WINDOW,
        view: View::default(),
        format: None,
        table: table.unwrap_or(Table::Lines),
    };
    for (name, value) in rest {
        if let Some(read) = concordance::read_param(name, value, &mut ask.view, &mut ask.width) {
            read?;
            continue;
        }
        match name {
            "window" => ask.window = wenku_engine::request::window_from(value)?,
            "view" if table.is_none() => {
                ask.table = match value {
                    "lines" | "" => Table::Lines,
                    "next" => Table::Next,
                    "before" => Table::Before,
                    "variants" => Table::Variants,
                    "collocates" => Table::Collocates,
                    "years" => Table::Years,
                    "bodies" => Table::Bodies,
                    _ => return Err(Problem::UnknownParameter { name: format!("view={value}") }),
                }
            }
            "format" if table.is_none() => ask.format = Some(format_from(value)?),
            other => return Err(Problem::UnknownParameter { name: other.to_owned() }),
        }
    }
    if ask.query.is_empty() {
        return Err(Problem::Empty);
    }
    match ask.table {
        Table::Lines => {}
        Table::Collocates => ask.width = collocates::context_width(ask.window),
        _ => ask.width = ask.width.max(continuations::MAX_CHARS),
    }
    Ok(ask)
}

pub async fn lines(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Lines)).await
}

pub async fn next(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Next)).await
}

pub async fn before(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Before)).await
}

pub async fn variants(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Variants)).await
}

pub async fn collocates(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Collocates)).await
}

pub async fn years(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Years)).await
}

pub async fn bodies(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, Some(Table::Bodies)).await
}

/// A file of any of the views: `view` says which, `format` how.
pub async fn export(
    state: State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    answer(state, params, None).await
}

async fn answer(
    State(state): State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
    table: Option<Table>,
) -> Response {
    let Ok(Query(params)) = params else {
        return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnreadableParameters);
    };
    let ask = match ask_from(&params, table) {
        Ok(ask) if table.is_some() || ask.format.is_some() => ask,
        Ok(_) => return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnknownParameter { name: "format".into() }),
        Err(problem) => return reply(&state, StatusCode::BAD_REQUEST, &problem),
    };
    on_index(&state, move |index, state| {
        // The index's address and generation: another index, or a commit,
        // makes kept occurrences stale.
        let in_words = ask.table.reads_words();
        let key = (ask.query.clone(), ask.width, in_words, index as *const SearchIndex as usize, index.generation());
        let found = match state.kwic_cache.get(&key) {
            Some(found) => found,
            None => {
                let found = if in_words {
                    research::occurrences_in_words(index, &ask.query, ask.width)?
                } else {
                    research::occurrences(index, &ask.query, ask.width)?
                };
                let found = Arc::new(found);
                state.kwic_cache.put(key, found.clone());
                found
            }
        };
        respond(state, index, &found, &ask)
    })
    .await
}

/// The view asked for, as JSON or as a file.
fn respond(state: &AppState, index: &SearchIndex, found: &Occurrences, ask: &Ask) -> Result<Response, SearchError> {
    let language = state.language;
    let table = match ask.table {
        Table::Lines => {
            if ask.format.is_none() {
                return Ok(Json(concordance::concordance(found, &ask.view)).into_response());
            }
            export::concordance_table(found, &ask.view, language)
        }
        Table::Next | Table::Before => {
            let side = if ask.table == Table::Next { Side::Right } else { Side::Left };
            let rows = match continuations::continuations(found, side) {
                Ok(rows) => rows,
                Err(problem) => return Ok(reply(state, StatusCode::BAD_REQUEST, &problem)),
            };
            if ask.format.is_none() {
                return Ok(Json(rows).into_response());
            }
            export::continuations_table(&rows, language)
        }
        Table::Variants => {
            let rows = variants::variants(found);
            if ask.format.is_none() {
                return Ok(Json(rows).into_response());
            }
            export::variants_table(&rows, language)
        }
        Table::Collocates => {
            let rows = collocates::collocates(index, found, ask.window)?;
            if ask.format.is_none() {
                return Ok(Json(rows).into_response());
            }
            export::collocates_table(&rows, language)
        }
        Table::Years => {
            let rows = frequency::by_year(index, found)?;
            if ask.format.is_none() {
                return Ok(Json(rows).into_response());
            }
            export::years_table(&rows, language)
        }
        Table::Bodies => {
            let rows = frequency::by_body(found);
            if ask.format.is_none() {
                return Ok(Json(rows).into_response());
            }
            export::bodies_table(&rows, language)
        }
    };
    Ok(file_response(state, &table, ask.format))
}

/// `table` as a file to download: XLSX, or CSV.
pub(super) fn file_response(state: &AppState, table: &export::Table, format: Option<Format>) -> Response {
    let language = state.language;
    let name = export::file_name(table);
    let (bytes, content_type, extension) = match format {
        Some(Format::Xlsx) => {
            (export::xlsx(table, language), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
        }
        _ => (export::csv(table, language), "text/csv; charset=utf-8", "csv"),
    };
    // The file name in UTF-8 (RFC 6266), with an ASCII one for old clients.
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    let disposition =
        format!("attachment; filename=\"wenku-export.{extension}\"; filename*=UTF-8''{encoded}.{extension}");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// `format=csv|xlsx`.
pub(super) fn format_from(value: &str) -> Result<Format, Problem> {
    match value {
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        _ => Err(Problem::UnknownParameter { name: format!("format={value}") }),
    }
}
