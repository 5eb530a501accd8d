//! Corpus statistics over HTTP, for the search page's 关键提法 and 固定提法:
//!
//! - `GET /api/keywords?target=&reference=&mode=key|new|dropped[&format=csv|xlsx]`:
//!   target and reference are queries (filters, wording or both)
//! - `GET /api/clusters?q=&year=&body=&level=&period=[&format=csv|xlsx]`
//! - `POST /api/draft?name=&body=&recent=[&format=csv|xlsx]`: the draft
//!   (pasted text, or a file whose kind `name` tells) checked against the
//!   archive; nothing of it is kept

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::api::{on_index, query_from, reply};
use super::kwic::{Format, file_response, format_from};
use crate::research::keyness::{self, Mode};
use crate::research::{clusters as clustering, export};
use crate::search::messages::Problem;

type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

pub async fn keywords(State(state): State<Arc<AppState>>, params: Params) -> Response {
    let Ok(Query(params)) = params else {
        return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnreadableParameters);
    };
    let asked = (|| -> Result<(String, String, Mode, Option<Format>), Problem> {
        let (target, reference, mode, rest) = wenku_engine::request::keyness_from(&params)?;
        let mut format = None;
        for (name, value) in rest {
            match name {
                "format" => format = Some(format_from(value)?),
                other => return Err(Problem::UnknownParameter { name: other.to_owned() }),
            }
        }
        Ok((target, reference, mode, format))
    })();
    let (target, reference, mode, format) = match asked {
        Ok(asked) => asked,
        Err(problem) => return reply(&state, StatusCode::BAD_REQUEST, &problem),
    };
    on_index(&state, move |index, state| {
        let table = keyness::keyness(index, &target, &reference, mode)?;
        Ok(match format {
            None => Json(table).into_response(),
            Some(_) => file_response(state, &export::keyness_table(&table, state.language), format),
        })
    })
    .await
}

pub async fn clusters(State(state): State<Arc<AppState>>, params: Params) -> Response {
    let Ok(Query(params)) = params else {
        return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnreadableParameters);
    };
    let asked = (|| -> Result<(String, Option<Format>), Problem> {
        let (query, rest) = query_from(&params)?;
        let mut format = None;
        for (name, value) in rest {
            match name {
                "format" => format = Some(format_from(value)?),
                other => return Err(Problem::UnknownParameter { name: other.to_owned() }),
            }
        }
        Ok((query, format))
    })();
    let (query, format) = match asked {
        Ok(asked) => asked,
        Err(problem) => return reply(&state, StatusCode::BAD_REQUEST, &problem),
    };
    on_index(&state, move |index, state| {
        let table = clustering::clusters(index, &query)?;
        Ok(match format {
            None => Json(table).into_response(),
            Some(_) => file_response(state, &export::clusters_table(&table, state.language), format),
        })
    })
    .await
}

pub async fn draft(State(state): State<Arc<AppState>>, params: Params, bytes: axum::body::Bytes) -> Response {
    let Ok(Query(params)) = params else {
        return reply(&state, StatusCode::BAD_REQUEST, &Problem::UnreadableParameters);
    };
    let asked = (|| -> Result<(String, Option<String>, usize, Option<Format>), Problem> {
        let (mut name, mut body, mut recent, mut format) =
            ("draft.txt".to_owned(), None, crate::research::draft::DEFAULT_RECENT, None);
        for (key, value) in &params {
            match key.as_str() {
                "name" if !value.trim().is_empty() => name = value.trim().to_owned(),
                "name" => {}
                "body" if !value.trim().is_empty() => body = Some(value.trim().to_owned()),
                "body" => {}
                "recent" => {
                    recent = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=100).contains(n))
                        .ok_or_else(|| Problem::NotPositive { name: "recent".into(), value: value.clone() })?
                }
                "format" => format = Some(format_from(value)?),
                other => return Err(Problem::UnknownParameter { name: other.to_owned() }),
            }
        }
        Ok((name, body, recent, format))
    })();
    let (name, body, recent, format) = match asked {
        Ok(asked) => asked,
        Err(problem) => return reply(&state, StatusCode::BAD_REQUEST, &problem),
    };
    on_index(&state, move |index, state| {
        let config = crate::content::config::Config::load(&state.root).unwrap_or_default();
        let text = crate::import::read_draft_bytes(bytes.to_vec(), &name, &config).map_err(|why| {
            crate::search::searcher::SearchError::from(crate::search::QueryError::from(Problem::DraftUnreadable {
                why,
            }))
        })?;
        let checked = crate::research::draft::check_with(index, &text, body.as_deref(), recent, &state.draft_memory)?;
        Ok(match format {
            None => Json(checked).into_response(),
            Some(_) => file_response(state, &export::draft_table(&checked, state.language), format),
        })
    })
    .await
}
