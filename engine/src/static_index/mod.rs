//! The static search index: plain files beside the site that the engine,
//! compiled to WebAssembly, searches in the browser without a server.
//! `format` is the files' layout; `search` answers queries from them;
//! [`answer`] is the whole exchange with the page, as JSON, so that the
//! WebAssembly side only moves bytes.

pub mod format;
pub mod search;

use serde::Serialize;

pub use search::{Download, Frequency, FrequencyTable, StaticIndex, Step, Units, UnitsTable};

use crate::clusters::Clusters;
use crate::collocates::{self, Collocates};
use crate::concordance::{Concordance, DEFAULT_WIDTH, View, read_param};
use crate::export::{self, Table};
use crate::keyness::{Keyness, Mode};
use crate::messages::{self, Language, Problem};
use crate::request::{keyness_from, query_from, request_from, window_from};
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
    Collocates(Box<Collocates>),
    Keyness(Box<Keyness>),
    Clusters(Box<Clusters>),
    /// `format=csv|xlsx`: the table as a file to save: CSV as text, XLSX in
    /// base64 (the answer is JSON).
    File {
        file: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        csv: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        xlsx: Option<String>,
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

/// `table=collocates`: the query (`q` and the filters) and `window`; the
/// concordance's own parameters, which the page sends with every view, are
/// read and left unused, as `/api/kwic/collocates` does.
fn collocates_request(params: &[(String, String)]) -> Result<(String, usize), Problem> {
    let (query, rest) = query_from(params)?;
    let (mut window, mut view, mut width) = (collocates::DEFAULT_WINDOW, View::default(), DEFAULT_WIDTH);
    for (name, value) in rest {
        match name {
            "table" => {}
            "window" => window = window_from(value)?,
            name => match read_param(name, value, &mut view, &mut width) {
                Some(read) => read?,
                None => return Err(Problem::UnknownParameter { name: name.to_owned() }),
            },
        }
    }
    if query.is_empty() {
        return Err(Problem::Empty);
    }
    Ok((query, window))
}

/// `table=keywords`: `target`, `reference` and `mode`, as `/api/keywords` takes them.
fn keyness_request(params: &[(String, String)]) -> Result<(String, String, Mode), Problem> {
    let (target, reference, mode, rest) = keyness_from(params)?;
    match rest.into_iter().find(|(name, _)| *name != "table") {
        Some((name, _)) => Err(Problem::UnknownParameter { name: name.to_owned() }),
        None => Ok((target, reference, mode)),
    }
}

/// `table=clusters`: the part's query (`q` and the filters), as `/api/clusters` takes it.
fn clusters_request(params: &[(String, String)]) -> Result<String, Problem> {
    let (query, rest) = query_from(params)?;
    if let Some((name, _)) = rest.into_iter().find(|(name, _)| *name != "table") {
        return Err(Problem::UnknownParameter { name: name.to_owned() });
    }
    if query.is_empty() {
        return Err(Problem::Empty);
    }
    Ok(query)
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

/// `format=csv` with `table=lines|next|before|variants|years|bodies|
/// collocates|keywords|clusters` and
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
        ("collocates", None) => {
            let (query, window) = collocates_request(params)?;
            index.collocates(&query, window, download).map(|rows| export::collocates_table(&rows, language))
        }
        ("keywords", None) => {
            let (target, reference, mode) = keyness_request(params)?;
            index.keyness(&target, &reference, mode, download).map(|rows| export::keyness_table(&rows, language))
        }
        ("clusters", None) => {
            let query = clusters_request(params)?;
            index.clusters(&query, download).map(|rows| export::clusters_table(&rows, language))
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
/// `table=next|before|variants|collocates`, what `/api/kwic/next` and the
/// others would; with `table=keywords|clusters`, what `/api/keywords` and
/// `/api/clusters` would.
/// With `format=csv` too, `{"ok": true, "body": {"file", "csv"}}`: that
/// table whole as CSV, dated `date` (the page's `yyyy-mm-dd`); with
/// `format=xlsx`, `{"file", "xlsx"}`, the workbook in base64.
pub fn answer(index: &StaticIndex, params_json: &[u8]) -> String {
    let language = Language::of(&index.language());
    let refuse = |problem: Problem| refused(problem, language);
    let answer = match serde_json::from_slice::<Vec<(String, String)>>(params_json) {
        Err(_) => refuse(Problem::UnreadableParameters),
        Ok(mut params) => {
            let large = params.iter().any(|(name, value)| name == "large" && value == "1");
            params.retain(|(name, _)| name != "large");
            let download = if large { Download::Any } else { Download::Bounded };
            let format = take(&mut params, "format");
            let date = take(&mut params, "date").unwrap_or_default();
            if let Some(format) = format.as_deref().filter(|format| !matches!(*format, "csv" | "xlsx")) {
                refuse(Problem::UnknownParameter { name: format!("format={format}") })
            } else if let Some(format) = format {
                match exported(index, &params, download) {
                    Err(problem) => refuse(problem),
                    Ok(step) => replied(language, step, |table| {
                        let file = export::file_name(&table, &date);
                        if format == "xlsx" {
                            Body::File {
                                file,
                                csv: None,
                                xlsx: Some(base64(&crate::xlsx::workbook(&table, language, &date))),
                            }
                        } else {
                            Body::File { file, csv: Some(export::csv(&table, language, &date)), xlsx: None }
                        }
                    }),
                }
            } else {
                view(index, &params, download)
            }
        }
    };
    serde_json::to_string(&answer).unwrap_or_else(|_| "{}".into())
}

/// The answer to a view's parameters (`table=…`, none for a search).
fn view(index: &StaticIndex, params: &[(String, String)], download: Download) -> Answer {
    let language = Language::of(&index.language());
    let refuse = |problem: Problem| refused(problem, language);
    let table = params.iter().find(|(name, _)| name == "table").map(|(_, value)| value.clone());
    match table.as_deref() {
        None => match request_from(params) {
            Err(problem) => refuse(problem),
            Ok(request) => replied(language, index.search(&request, download), |r| Body::Results(Box::new(r))),
        },
        Some("lines") => match concordance_request(params) {
            Err(problem) => refuse(problem),
            Ok((query, view, width)) => {
                replied(language, index.concordance(&query, &view, width, download), |r| Body::Concordance(Box::new(r)))
            }
        },
        Some("collocates") => match collocates_request(params) {
            Err(problem) => refuse(problem),
            Ok((query, window)) => {
                replied(language, index.collocates(&query, window, download), |r| Body::Collocates(Box::new(r)))
            }
        },
        Some("keywords") => match keyness_request(params) {
            Err(problem) => refuse(problem),
            Ok((target, reference, mode)) => {
                replied(language, index.keyness(&target, &reference, mode, download), |r| Body::Keyness(Box::new(r)))
            }
        },
        Some("clusters") => match clusters_request(params) {
            Err(problem) => refuse(problem),
            Ok(query) => replied(language, index.clusters(&query, download), |r| Body::Clusters(Box::new(r))),
        },
        Some(_) => match units_table(params) {
            Some(table) => match concordance_request(params) {
                Err(problem) => refuse(problem),
                Ok((query, _, width)) => {
                    replied(language, index.units(&query, table, width, download), |r| Body::Units(Box::new(r)))
                }
            },
            None => match frequency_request(params) {
                Err(problem) => refuse(problem),
                Ok((query, table)) => {
                    replied(language, index.frequency(&query, table, download), |r| Body::Frequency(Box::new(r)))
                }
            },
        },
    }
}

/// A problem as the page shows it, with what answering would download
/// when the reader may agree to it.
fn refused(problem: Problem, language: Language) -> Answer {
    let download_mb = match problem {
        Problem::GapTooBroadForStatic { megabytes, .. } | Problem::TextsTooManyForStatic { megabytes, .. } => {
            Some(megabytes)
        }
        _ => None,
    };
    let (error, help) = messages::text(&problem, language);
    Answer::Reply { ok: false, body: Body::Error { error, help, download_mb } }
}

/// A step of an answer: the files it needs, or its reply.
fn replied<T>(language: Language, step: Step<T>, body: impl FnOnce(T) -> Body) -> Answer {
    match step {
        Step::Need(need) => Answer::Need { need },
        Step::Done(Ok(answer)) => Answer::Reply { ok: true, body: body(answer) },
        Step::Done(Err(error)) => refused(error.problem, language),
    }
}

/// Bytes as standard base64 (RFC 4648, padded), for a file in a JSON answer.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_is_the_standard_one() {
        for (bytes, text) in
            [(&b""[..], ""), (b"f", "Zg=="), (b"fo", "Zm8="), (b"foo", "Zm9v"), (b"foobar", "Zm9vYmFy")]
        {
            assert_eq!(super::base64(bytes), text);
        }
    }
}
