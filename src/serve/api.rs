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
use crate::search::query::MAX_QUERY_CHARS;
use crate::search::searcher::{MAX_PER_PAGE, SearchError};
use crate::search::{SearchRequest, Sort};

/// Hits per page unless `per_page` says otherwise, and its largest value.
const DEFAULT_PER_PAGE: usize = 20;
/// A query still running after this is answered with a 503.
const TIME_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub error: String,
    pub help: String,
}

fn reply(status: StatusCode, error: impl Into<String>, help: impl Into<String>) -> Response {
    (status, Json(ApiError { error: error.into(), help: help.into() })).into_response()
}

fn bad_request(error: impl Into<String>, help: impl Into<String>) -> ApiError {
    ApiError { error: error.into(), help: help.into() }
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        let error = bad_request("the query string cannot be read", "percent-encode the parameters as UTF-8");
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    let request = match request_from(&params) {
        Ok(request) => request,
        Err(error) => return (StatusCode::BAD_REQUEST, Json(error)).into_response(),
    };
    let index = match state.search_index() {
        Ok(index) => index,
        Err(why) => return reply(StatusCode::SERVICE_UNAVAILABLE, why, "run `wenku build`, then restart the server"),
    };
    let Ok(_slot) = tokio::time::timeout(TIME_LIMIT, state.search_slots.acquire()).await else {
        return reply(StatusCode::SERVICE_UNAVAILABLE, "the server is busy", "try again in a moment");
    };
    let running = tokio::task::spawn_blocking(move || index.search(&request));
    match tokio::time::timeout(TIME_LIMIT, running).await {
        Ok(Ok(Ok(results))) => Json(results).into_response(),
        Ok(Ok(Err(SearchError::Query(e)))) => reply(StatusCode::BAD_REQUEST, e.message, e.help),
        Ok(Ok(Err(SearchError::Index(e)))) => {
            reply(StatusCode::SERVICE_UNAVAILABLE, e.to_string(), "run `wenku build`, then try again")
        }
        Ok(Err(_)) => reply(StatusCode::INTERNAL_SERVER_ERROR, "the search failed", "try another query"),
        Err(_) => reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "the search took too long",
            "narrow the query with more wording or a filter such as year:2020",
        ),
    }
}

/// Turns the URL parameters into a query of the query language.
fn request_from(params: &[(String, String)]) -> Result<SearchRequest, ApiError> {
    let mut query = String::new();
    let mut sort = Sort::Relevance;
    let mut page = 1;
    let mut per_page = DEFAULT_PER_PAGE;
    for (name, value) in params {
        let value = value.trim();
        match name.as_str() {
            "q" => {
                query.push(' ');
                query.push_str(value);
            }
            "year" if !value.is_empty() => {
                if !value.chars().all(|c| c.is_ascii_digit() || c == '.') {
                    return Err(bad_request(
                        format!("`year={value}` is not a year"),
                        "write a year such as 2020, or a range such as 2018..2021",
                    ));
                }
                query.push_str(&format!(" year:{value}"));
            }
            "body" | "level" | "period" if !value.is_empty() => {
                if value.contains('"') {
                    return Err(bad_request(format!("`{name}` cannot contain a double quote"), "remove the quote"));
                }
                query.push_str(&format!(" {name}:\"{value}\""));
            }
            "year" | "body" | "level" | "period" => {}
            "sort" => sort = value.parse().map_err(|e: crate::search::QueryError| bad_request(e.message, e.help))?,
            "page" => page = positive(name, value)?,
            "per_page" => {
                per_page = positive(name, value)?;
                if per_page > MAX_PER_PAGE {
                    return Err(bad_request(
                        format!("`per_page` is at most {MAX_PER_PAGE}"),
                        "ask for fewer hits per page and use `page`",
                    ));
                }
            }
            other => {
                return Err(bad_request(
                    format!("unknown parameter `{other}`"),
                    "use q, year, body, level, period, sort, page and per_page",
                ));
            }
        }
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(bad_request(
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
            "search for a shorter passage",
        ));
    }
    Ok(SearchRequest { query: query.trim().to_owned(), sort, page, per_page })
}

fn positive(name: &str, value: &str) -> Result<usize, ApiError> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(bad_request(format!("`{name}={value}` is not a positive number"), format!("write {name}=1, 2, …"))),
    }
}
