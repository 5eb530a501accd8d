//! What a search answers, the same from the server and from the static
//! engine in the browser: the page of hits with snippets, the total, and
//! counts per year, body, level and period over the whole result set.

use std::str::FromStr;

use serde::Serialize;

use crate::messages::Problem;
use crate::query::QueryError;
use crate::snippet::{self, Snippet};

/// Hits on one page, for `wenku search --limit` and the API's `per_page`
/// alike: every hit has its snippets cut.
pub const MAX_PER_PAGE: usize = 50;
/// Hits beyond this are not paged to: narrow the query instead.
pub const MAX_OFFSET: usize = 10_000;
/// Snippets shown per hit.
pub const SNIPPETS_PER_HIT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// BM25; for queries with only filters, newest first.
    Relevance,
    Newest,
    Oldest,
}

impl FromStr for Sort {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Sort, QueryError> {
        match s {
            "relevance" | "" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            "oldest" => Ok(Sort::Oldest),
            other => Err(Problem::UnknownSort { sort: other.to_owned() }.into()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest { query: query.into(), sort: Sort::Relevance, page: 1, per_page: 10 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub sort: Sort,
    /// Reports matching the query.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub took_ms: f64,
    pub facets: Facets,
    pub hits: Vec<Hit>,
}

/// Counts over every matching report, not just the page shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Ascending by year.
    pub year: Vec<YearCount>,
    /// Every year of the archive with its number of reports under the
    /// query's body, level and period filters (not its wording or years):
    /// the chart's span and what its shares are of.
    pub archive_years: Vec<YearCount>,
    /// Most reports first.
    pub body: Vec<ValueCount>,
    pub level: Vec<ValueCount>,
    pub period: Vec<ValueCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearCount {
    pub year: i64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    pub value: String,
    pub count: u64,
    /// For bodies: the first and last year of a matching report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_year: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_year: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The report's source path under `content/`.
    pub id: String,
    pub title: String,
    /// The report page, at the paragraph of the first snippet.
    pub url: String,
    /// The report page itself.
    pub page_url: String,
    pub body: String,
    pub level: String,
    pub year: i64,
    pub period: String,
    pub date: String,
    /// BM25 score when sorted by relevance.
    pub score: Option<f32>,
    pub snippets: Vec<HitSnippet>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HitSnippet {
    /// The report page at this paragraph.
    pub url: String,
    #[serde(flatten)]
    pub snippet: Snippet,
}

impl Hit {
    /// The hit for `report`, with snippets around `wording`.
    pub fn new(report: StoredReport, score: Option<f32>, wording: &[&str]) -> Hit {
        let snippets: Vec<HitSnippet> = snippet::snippets(&report.text, &report.anchors, wording, SNIPPETS_PER_HIT)
            .into_iter()
            .map(|snippet| HitSnippet { url: anchored(&report.url, &snippet.anchor), snippet })
            .collect();
        Hit {
            url: snippets.first().filter(|_| !wording.is_empty()).map_or_else(|| report.url.clone(), |s| s.url.clone()),
            id: report.id,
            title: report.title,
            page_url: report.url,
            body: report.body,
            level: report.level,
            year: report.year,
            period: report.period,
            date: report.date,
            score,
            snippets,
        }
    }
}

/// A report as the index stores it.
#[derive(Debug, Clone)]
pub struct StoredReport {
    /// The report's source path under `content/`.
    pub id: String,
    pub title: String,
    /// The report page.
    pub url: String,
    pub body: String,
    pub level: String,
    pub year: i64,
    pub period: String,
    pub date: String,
    /// Title and blocks, one per line.
    pub text: String,
    /// `(byte offset in text, anchor)` for each block.
    pub anchors: Vec<(usize, String)>,
}

pub fn anchored(url: &str, anchor: &str) -> String {
    if anchor.is_empty() { url.to_owned() } else { format!("{url}#{anchor}") }
}
