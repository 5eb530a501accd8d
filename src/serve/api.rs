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
use crate::search::SearchIndex;
use crate::search::messages::{self, Problem};
use crate::search::searcher::SearchError;

/// A query still running after this is answered with a 503.
const TIME_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub error: String,
    pub help: String,
}

/// `problem` as JSON, worded in the site's language (the search page shows
/// it as it is). A 503 says when to ask again.
pub fn reply(state: &AppState, status: StatusCode, problem: &Problem) -> Response {
    let (error, help) = messages::text(problem, state.language);
    let mut response = (status, Json(ApiError { error, help })).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
    }
    response
}

/// When a client refused for load or time should ask again: about the time
/// a research query takes when the server is busy.
pub const RETRY_AFTER_SECONDS: u32 = 2;

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

pub use wenku_engine::request::{positive, query_from, request_from};
