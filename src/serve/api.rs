//! `GET /api/search?q=&year=&body=&level=&period=&sort=&page=&per_page=`:
//! the search engine as JSON for the search page and for scripts.
//!
//! Parameters become filters of the same query language `wenku search`
//! speaks, so the page and the command line never disagree. A bad query is a
//! 400 with `{"error", "help"}`; every query is bounded in length, page size,
//! concurrency and time, and runs off the async threads so that slow
//! queries block neither other requests nor rebuilds.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::AppState;
use crate::search::messages::{self, Problem};
use crate::search::query::MAX_QUERY_CHARS;
use crate::search::searcher::{MAX_PER_PAGE, SearchError};
use crate::search::{SearchIndex, SearchRequest, Sort};

/// Hits per page unless `per_page` says otherwise, and its largest value.
const DEFAULT_PER_PAGE: usize = 20;
/// A query still running after this is answered with a 503.
const TIME_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub error: String,
    pub help: String,
}

/// `problem` as JSON, worded in the site's language (the search page shows
/// it as it is).
pub fn reply(state: &AppState, status: StatusCode, problem: &Problem) -> Response {
    let (error, help) = messages::text(problem, state.language);
    (status, Json(ApiError { error, help })).into_response()
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnreadableParameters);
    };
    let request = match request_from(&params) {
        Ok(request) => request,
        Err(problem) => return reply(&state, StatusCode::BAD_REQUEST, &problem),
    };
    on_index(&state, move |index, _| Ok(Json(index.search(&request)?).into_response())).await
}

/// Runs `job` on the open index off the async threads, bounded in
/// concurrency and time: every problem becomes its answer in the site's
/// language (400 for the query, 503 for the index, load or time).
pub async fn on_index(
    state: &Arc<AppState>,
    job: impl FnOnce(&SearchIndex, &AppState) -> Result<Response, SearchError> + Send + 'static,
) -> Response {
    let index = match state.search_index() {
        Ok(index) => index,
        Err(why) => return reply(state, StatusCode::SERVICE_UNAVAILABLE, &Problem::IndexUnavailable { why }),
    };
    let Ok(_slot) = tokio::time::timeout(TIME_LIMIT, state.search_slots.acquire()).await else {
        return reply(state, StatusCode::SERVICE_UNAVAILABLE, &Problem::Busy);
    };
    let worker_state = state.clone();
    let running = tokio::task::spawn_blocking(move || job(&index, &worker_state));
    match tokio::time::timeout(TIME_LIMIT, running).await {
        Ok(Ok(Ok(response))) => response,
        Ok(Ok(Err(SearchError::Query(e)))) => reply(state, StatusCode::BAD_REQUEST, &e.problem),
        Ok(Ok(Err(SearchError::Index(e)))) => {
            reply(state, StatusCode::SERVICE_UNAVAILABLE, &Problem::IndexUnavailable { why: e.to_string() })
        }
        Ok(Err(_)) => reply(state, StatusCode::INTERNAL_SERVER_ERROR, &Problem::Failed),
        Err(_) => reply(state, StatusCode::SERVICE_UNAVAILABLE, &Problem::TooSlow),
    }
}

/// Turns the URL parameters into a query of the query language.
fn request_from(params: &[(String, String)]) -> Result<SearchRequest, Problem> {
    let (query, rest) = query_from(params)?;
    let mut sort = Sort::Relevance;
    let mut page = 1;
    let mut per_page = DEFAULT_PER_PAGE;
    for (name, value) in rest {
        match name {
            "sort" => sort = value.parse().map_err(|e: crate::search::QueryError| e.problem)?,
            "page" => page = positive(name, value)?,
            "per_page" => {
                per_page = positive(name, value)?;
                if per_page > MAX_PER_PAGE {
                    return Err(Problem::PerPageTooLarge { max: MAX_PER_PAGE });
                }
            }
            other => {
                return Err(Problem::UnknownParameter { name: other.to_owned() });
            }
        }
    }
    Ok(SearchRequest { query, sort, page, per_page })
}

/// The query the parameters `q`, `year`, `body`, `level` and `period` make
/// together, and the other parameters, trimmed, for the caller to read.
pub fn query_from(params: &[(String, String)]) -> Result<(String, Vec<(&str, &str)>), Problem> {
    let mut query = String::new();
    let mut rest = Vec::new();
    for (name, value) in params {
        let value = value.trim();
        match name.as_str() {
            "q" => {
                query.push(' ');
                query.push_str(value);
            }
            "year" if !value.is_empty() => {
                if !value.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    return Err(Problem::ParameterNotAYear { value: value.to_owned() });
                }
                query.push_str(&format!(" year:{value}"));
            }
            "body" | "level" | "period" if !value.is_empty() => {
                if value.contains('"') {
                    return Err(Problem::QuoteInParameter { name: name.clone() });
                }
                query.push_str(&format!(" {name}:\"{value}\""));
            }
            "year" | "body" | "level" | "period" => {}
            _ => rest.push((name.as_str(), value)),
        }
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Problem::TooLong { chars: query.chars().count(), max: MAX_QUERY_CHARS });
    }
    Ok((query.trim().to_owned(), rest))
}

pub fn positive(name: &str, value: &str) -> Result<usize, Problem> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Problem::NotPositive { name: name.to_owned(), value: value.to_owned() }),
    }
}
