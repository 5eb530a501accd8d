//! A search request from a URL's parameters (`q`, `year`, `body`, `level`,
//! `period`, `sort`, `page`, `per_page`): the same for `/api/search` and for
//! the static engine in the browser.

use crate::collocates::MAX_WINDOW;
use crate::keyness::Mode;
use crate::messages::Problem;
use crate::query::{QueryError, typed_length};
use crate::results::{MAX_PER_PAGE, SearchRequest, Sort};

/// Hits per page when the request does not say.
pub const DEFAULT_PER_PAGE: usize = 20;

/// Turns the URL parameters into a query of the query language.
pub fn request_from(params: &[(String, String)]) -> Result<SearchRequest, Problem> {
    let (query, rest) = query_from(params)?;
    let mut sort = Sort::Relevance;
    let mut page = 1;
    let mut per_page = DEFAULT_PER_PAGE;
    for (name, value) in rest {
        match name {
            "sort" => sort = value.parse().map_err(|e: QueryError| e.problem)?,
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
        if matches!(name.as_str(), "q" | "year" | "body" | "level" | "period") {
            typed_length(value)?;
        }
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
    Ok((query.trim().to_owned(), rest))
}

pub fn positive(name: &str, value: &str) -> Result<usize, Problem> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Problem::NotPositive { name: name.to_owned(), value: value.to_owned() }),
    }
}

/// A keyness request's `target` and `reference` (queries) and `mode`
/// (`key|new|dropped`), as `/api/keywords` and the static engine take
/// them, and the other parameters for the caller to read.
pub fn keyness_from(params: &[(String, String)]) -> Result<(String, String, Mode, Vec<(&str, &str)>), Problem> {
    let (mut target, mut reference, mut mode, mut rest) = (String::new(), String::new(), Mode::Key, Vec::new());
    for (name, value) in params {
        match name.as_str() {
            "target" => {
                typed_length(value)?;
                target = value.trim().to_owned();
            }
            "reference" => {
                typed_length(value)?;
                reference = value.trim().to_owned();
            }
            "mode" => {
                mode = Mode::from_param(value)
                    .ok_or_else(|| Problem::UnknownParameter { name: format!("mode={value}") })?
            }
            _ => rest.push((name.as_str(), value.as_str())),
        }
    }
    if target.is_empty() || reference.is_empty() {
        return Err(Problem::Empty);
    }
    Ok((target, reference, mode, rest))
}

/// A collocation window (`window`): positions on either side, at most
/// `MAX_WINDOW`.
pub fn window_from(value: &str) -> Result<usize, Problem> {
    let window = positive("window", value)?;
    if window > MAX_WINDOW {
        return Err(Problem::WindowTooLarge { max: MAX_WINDOW });
    }
    Ok(window)
}
