//! The static search index: plain files beside the site that the engine,
//! compiled to WebAssembly, searches in the browser without a server.
//! `format` is the files' layout; `search` answers queries from them;
//! [`answer`] is the whole exchange with the page, as JSON, so that the
//! WebAssembly side only moves bytes.

pub mod format;
pub mod search;

use serde::Serialize;

pub use search::{Download, Frequency, FrequencyTable, StaticIndex, Step, Units, UnitsTable};

use crate::concordance::{Concordance, DEFAULT_WIDTH, View, read_param};
use crate::export::{self, Table};
use crate::messages::{self, Language, Problem};
use crate::request::{query_from, request_from};
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
    Frequency(Box<Frequency>),
    Concordance(Box<Concordance>),
    Units(Box<Units>),
    /// `format=csv`: the table as a file to save.
    File {
        file: String,
        csv: String,
    },
    Error {
        error: String,
        help: String,
        /// What answering would download, when the reader may agree to it.
        #[serde(skip_serializing_if = "Option::is_none")]
        download_mb: Option<usize>,
    },
}

/// A research table's parameters: the query (`q` and the filters) and
/// `table=years|bodies`, as `/api/kwic/years` and `/api/kwic/bodies` take
/// them.
fn frequency_request(params: &[(String, String)]) -> Result<(String, FrequencyTable), Problem> {
    let (query, rest) = query_from(params)?;
    let mut table = FrequencyTable::Years;
    for (name, value) in rest {
        match (name, value) {
            ("table", "years") => table = FrequencyTable::Years,
            ("table", "bodies") => table = FrequencyTable::Bodies,
            (name, value) => return Err(Problem::UnknownParameter { name: format!("{name}={value}") }),
        }
    }
    if query.is_empty() {
        return Err(Problem::Empty);
    }
    Ok((query, table))
}

/// The concordance's parameters: the query (`q` and the filters),
/// `table=lines` and those `/api/kwic` takes (`sort`, `group`, `fold`,
/// `page`, `per_page`, `width`).
fn concordance_request(params: &[(String, String)]) -> Result<(String, View, usize), Problem> {
    let (query, rest) = query_from(params)?;
    let (mut view, mut width) = (View::default(), DEFAULT_WIDTH);
    for (name, value) in rest {
        if name == "table" {
            continue;
        }
        match read_param(name, value, &mut view, &mut width) {
            Some(read) => read?,
            None => return Err(Problem::UnknownParameter { name: name.to_owned() }),
        }
    }
    if query.is_empty() {
        return Err(Problem::Empty);
    }
    Ok((query, view, width))
}

/// `table=next|before|variants`: a table of whole-word units, which takes
/// the concordance's parameters as `/api/kwic/next` does.
fn units_table(params: &[(String, String)]) -> Option<UnitsTable> {
    params.iter().find(|(name, _)| name == "table").and_then(|(_, value)| match value.as_str() {
        "next" => Some(UnitsTable::Next),
        "before" => Some(UnitsTable::Before),
        "variants" => Some(UnitsTable::Variants),
        _ => None,
    })
}

/// The value of parameter `name`, taken out of `params`.
fn take(params: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let at = params.iter().position(|(n, _)| n == name)?;
    Some(params.remove(at).1)
}

/// `format=csv` with `table=lines|next|before|variants|years|bodies` and
/// that table's parameters: the whole table, as `/api/kwic/export` makes it.
fn exported(index: &StaticIndex, params: &[(String, String)], download: Download) -> Result<Step<Table>, Problem> {
    let language = Language::of(&index.language());
    let table = params.iter().find(|(name, _)| name == "table").map_or("", |(_, value)| value.as_str());
    Ok(match (table, units_table(params)) {
        ("lines", _) => {
            let (query, view, width) = concordance_request(params)?;
            index.occurrences(&query, width, download).map(|found| export::concordance_table(&found, &view, language))
        }
        (_, Some(units)) => {
            let (query, _, width) = concordance_request(params)?;
            index.units(&query, units, width, download).map(|units| match units {
                Units::Continuations(rows) => export::continuations_table(&rows, language),
                Units::Variants(rows) => export::variants_table(&rows, language),
            })
        }
        ("years" | "bodies", None) => {
            let (query, table) = frequency_request(params)?;
            index.frequency(&query, table, download).map(|rows| match rows {
                Frequency::Years(rows) => export::years_table(&rows, language),
                Frequency::Bodies(rows) => export::bodies_table(&rows, language),
            })
        }
        (table, None) => return Err(Problem::UnknownParameter { name: format!("table={table}") }),
    })
}

/// The answer to the search page's URL parameters (a JSON list of
/// `[name, value]` pairs): `{"need": [paths]}` while files are missing,
/// else what `/api/search` would reply, `{"ok": true, "body": results}` or
/// `{"ok": false, "body": {"error", "help"}}` in the site's language. A
/// query that would download a lot is refused with `download_mb` in the
/// body, and answered when asked again with the parameter `large=1`.
/// With `table=years|bodies`, what `/api/kwic/years` or `/api/kwic/bodies`
/// would reply; with `table=lines`, what `/api/kwic` would; with
/// `table=next|before|variants`, what `/api/kwic/next` and the others would.
/// With `format=csv` too, `{"ok": true, "body": {"file", "csv"}}`: that
/// table whole as CSV, dated `date` (the page's `yyyy-mm-dd`).
pub fn answer(index: &StaticIndex, params_json: &[u8]) -> String {
    let language = Language::of(&index.language());
    let refuse = |problem: Problem| {
        let download_mb = match problem {
            Problem::GapTooBroadForStatic { megabytes, .. } | Problem::TextsTooManyForStatic { megabytes, .. } => {
                Some(megabytes)
            }
            _ => None,
        };
        let (error, help) = messages::text(&problem, language);
        Answer::Reply { ok: false, body: Body::Error { error, help, download_mb } }
    };
    let answer = match serde_json::from_slice::<Vec<(String, String)>>(params_json) {
        Err(_) => refuse(Problem::UnreadableParameters),
        Ok(mut params) => {
            let large = params.iter().any(|(name, value)| name == "large" && value == "1");
            params.retain(|(name, _)| name != "large");
            let download = if large { Download::Any } else { Download::Bounded };
            let format = take(&mut params, "format");
            let date = take(&mut params, "date").unwrap_or_default();
            if let Some(format) = format.as_deref().filter(|format| *format != "csv") {
                // XLSX is written by the server only (its writer needs a clock
                // and a JavaScript binding the engine does without).
                refuse(Problem::UnknownParameter { name: format!("format={format}") })
            } else if format.is_some() {
                match exported(index, &params, download) {
                    Err(problem) => refuse(problem),
                    Ok(Step::Need(need)) => Answer::Need { need },
                    Ok(Step::Done(Err(error))) => refuse(error.problem),
                    Ok(Step::Done(Ok(table))) => Answer::Reply {
                        ok: true,
                        body: Body::File {
                            file: export::file_name(&table, &date),
                            csv: export::csv(&table, language, &date),
                        },
                    },
                }
            } else if params.iter().any(|(name, value)| name == "table" && value == "lines") {
                match concordance_request(&params) {
                    Err(problem) => refuse(problem),
                    Ok((query, view, width)) => match index.concordance(&query, &view, width, download) {
                        Step::Need(need) => Answer::Need { need },
                        Step::Done(Ok(lines)) => Answer::Reply { ok: true, body: Body::Concordance(Box::new(lines)) },
                        Step::Done(Err(error)) => refuse(error.problem),
                    },
                }
            } else if let Some(table) = units_table(&params) {
                match concordance_request(&params) {
                    Err(problem) => refuse(problem),
                    Ok((query, _, width)) => match index.units(&query, table, width, download) {
                        Step::Need(need) => Answer::Need { need },
                        Step::Done(Ok(units)) => Answer::Reply { ok: true, body: Body::Units(Box::new(units)) },
                        Step::Done(Err(error)) => refuse(error.problem),
                    },
                }
            } else if params.iter().any(|(name, _)| name == "table") {
                match frequency_request(&params) {
                    Err(problem) => refuse(problem),
                    Ok((query, table)) => match index.frequency(&query, table, download) {
                        Step::Need(need) => Answer::Need { need },
                        Step::Done(Ok(table)) => Answer::Reply { ok: true, body: Body::Frequency(Box::new(table)) },
                        Step::Done(Err(error)) => refuse(error.problem),
                    },
                }
            } else {
                match request_from(&params) {
                    Err(problem) => refuse(problem),
                    Ok(request) => match index.search(&request, download) {
                        Step::Need(need) => Answer::Need { need },
                        Step::Done(Ok(results)) => Answer::Reply { ok: true, body: Body::Results(Box::new(results)) },
                        Step::Done(Err(error)) => refuse(error.problem),
                    },
                }
            }
        }
    };
    serde_json::to_string(&answer).unwrap_or_else(|_| "{}".into())
}
