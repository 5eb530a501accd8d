//! Running a query: the page of hits with snippets, the total, and counts per
//! year, body, level and period over the whole result set.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

use super::messages::Problem;
use serde::Serialize;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::indexer::parse_anchors;
use super::query::{self, FilterField, ParsedQuery, QueryError};
use super::snippet::{self, Snippet};
use super::{Fields, IndexError, open_index};

/// Most hits on one page.
/// Hits on one page, for `wenku search --limit` and the API's `per_page`
/// alike: every hit has its snippets cut.
pub const MAX_PER_PAGE: usize = 50;
/// Hits beyond this are not paged to: narrow the query instead.
const MAX_OFFSET: usize = 10_000;
/// Snippets shown per hit.
const SNIPPETS_PER_HIT: usize = 3;

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
#[derive(Debug, Clone, Default, Serialize)]
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

/// The reports a query matches (see [`SearchIndex::matching`]).
pub struct Matching {
    pub parsed: ParsedQuery,
    pub searcher: Searcher,
    pub docs: Vec<DocAddress>,
    /// Every report in `docs` matches. When false, wording with gaps was
    /// not checked: a report matches iff each of `parsed.text_groups()` has
    /// an alternative found in its text.
    pub checked: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// An open index, ready for queries from many threads at once.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: std::path::PathBuf,
}

impl SearchIndex {
    pub fn open(index_dir: &Path) -> Result<SearchIndex, IndexError> {
        let (index, fields) = open_index(index_dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| IndexError::Unreadable { path: index_dir.to_path_buf(), message: e.to_string() })?;
        Ok(SearchIndex { index, reader, fields, dir: index_dir.to_path_buf() })
    }

    /// Makes the latest commit visible now rather than after a short delay.
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader.reload().map_err(|e| self.error(e))
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Changes whenever a commit becomes visible: what was computed from the
    /// index under another generation is out of date.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let parsed = query::parse(&request.query)?;
        let searcher = self.reader.searcher();
        self.check_values(&searcher, &parsed)?;

        let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
        let page = request.page.max(1);
        let offset = (page - 1).saturating_mul(per_page);
        if offset >= MAX_OFFSET {
            return Err(QueryError::from(Problem::PageTooFar { page, max: MAX_OFFSET }).into());
        }
        // Relevance means nothing without wording: show the newest first.
        let sort = if parsed.has_wording() {
            request.sort
        } else if request.sort == Sort::Relevance {
            Sort::Newest
        } else {
            request.sort
        };

        let query = query::to_tantivy(&parsed, &self.fields);
        let facets_collector = AggregationCollector::from_aggs(facet_request(), Default::default());
        let top = TopDocs::with_limit(per_page).and_offset(offset);
        let (total, top_docs, aggregations) = match sort {
            Sort::Relevance => {
                let (total, docs, aggs) = searcher
                    .search(&query, &(Count, top.order_by_score(), facets_collector))
                    .map_err(|e| self.error(e))?;
                (total, docs.into_iter().map(|(score, doc)| (Some(score), doc)).collect::<Vec<_>>(), aggs)
            }
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest { Order::Desc } else { Order::Asc };
                let (total, docs, aggs) = searcher
                    .search(&query, &(Count, top.order_by_fast_field::<u64>("sort_key", order), facets_collector))
                    .map_err(|e| self.error(e))?;
                (total, docs.into_iter().map(|(_, doc)| (None, doc)).collect(), aggs)
            }
        };
        let mut facets = facets_from(&serde_json::to_value(aggregations).unwrap_or_default());
        facets.archive_years = self.archive_years(&searcher, &parsed)?;

        let wording = parsed.wording();
        let hits = top_docs
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &wording))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResults {
            query: request.query.clone(),
            sort,
            total,
            page,
            per_page,
            pages: total.div_ceil(per_page),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            facets,
            hits,
        })
    }

    /// Reports per year in the part of the archive the query looks at.
    fn archive_years(&self, searcher: &Searcher, parsed: &query::ParsedQuery) -> Result<Vec<YearCount>, IndexError> {
        let scope = query::to_tantivy(&parsed.scope(), &self.fields);
        let request: Aggregations = serde_json::from_value(serde_json::json!({
            "year": { "terms": { "field": "year", "size": 100_000 } },
        }))
        .expect("the year request is valid");
        let counts = searcher
            .search(&scope, &AggregationCollector::from_aggs(request, Default::default()))
            .map_err(|e| self.error(e))?;
        Ok(facets_from(&serde_json::to_value(counts).unwrap_or_default()).year)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Option<f32>,
        wording: &[&str],
    ) -> Result<Hit, IndexError> {
        let report = self.stored(searcher, address)?;
        let snippets: Vec<HitSnippet> = snippet::snippets(&report.text, &report.anchors, wording, SNIPPETS_PER_HIT)
            .into_iter()
            .map(|snippet| HitSnippet { url: anchored(&report.url, &snippet.anchor), snippet })
            .collect();
        Ok(Hit {
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
        })
    }

    /// What the index stores of the report at `address`.
    pub fn stored(&self, searcher: &Searcher, address: DocAddress) -> Result<StoredReport, IndexError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        Ok(StoredReport {
            id: text(self.fields.id),
            title: text(self.fields.title),
            url: text(self.fields.url),
            body: text(self.fields.body),
            level: text(self.fields.level),
            year: doc.get_first(self.fields.year).and_then(|v| v.as_i64()).unwrap_or_default(),
            period: text(self.fields.period),
            date: text(self.fields.date),
            anchors: parse_anchors(&text(self.fields.anchors)),
            text: text(self.fields.text),
        })
    }

    /// Every report that may match `query`, oldest first, with the parsed
    /// query: for wording research, which looks at all of them, not a page.
    /// Wording with gaps is not checked against the text when the caller can
    /// do it (`Matching::checked` is false then; see
    /// [`ParsedQuery::text_groups`]), so that each report is read once.
    pub fn matching(&self, query: &str) -> Result<Matching, SearchError> {
        let parsed = query::parse(query)?;
        let searcher = self.reader.searcher();
        self.check_values(&searcher, &parsed)?;
        let checked = parsed.text_groups().is_none();
        let tantivy_query = if checked {
            query::to_tantivy(&parsed, &self.fields)
        } else {
            query::to_tantivy_candidates(&parsed, &self.fields)
        };
        let found = searcher.search(&tantivy_query, &tantivy::collector::DocSetCollector).map_err(|e| self.error(e))?;
        // Oldest first, as `Sort::Oldest` lists them: by date, then by the
        // hash of the path that `sort_key` holds in its low bits.
        let mut keyed = Vec::with_capacity(found.len());
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("sort_key").map_err(|e| self.error(e.into())))
            .collect::<Result<Vec<_>, _>>()?;
        for address in found {
            let key = columns[address.segment_ord as usize].first(address.doc_id).unwrap_or(0);
            keyed.push((key, address));
        }
        keyed.sort_unstable();
        Ok(Matching { parsed, searcher, docs: keyed.into_iter().map(|(_, address)| address).collect(), checked })
    }

    /// A body, level or period the archive does not have is a mistake worth
    /// naming (with the closest one), not an empty result.
    fn check_values(&self, searcher: &Searcher, parsed: &ParsedQuery) -> Result<(), SearchError> {
        for (field, value) in parsed.values() {
            let index_field = match field {
                FilterField::Body => self.fields.body,
                FilterField::Level => self.fields.level,
                FilterField::Period => self.fields.period,
                FilterField::Year => continue,
            };
            let term = Term::from_field_text(index_field, value);
            if searcher.doc_freq(&term).map_err(|e| self.error(e))? > 0 {
                continue;
            }
            let known = self.values_of(searcher, index_field)?;
            let closest = crate::diagnostics::closest(value, known.iter().map(String::as_str)).map(str::to_owned);
            let problem = Problem::NoSuchValue {
                name: field.name().to_owned(),
                value: value.to_owned(),
                known: (closest.is_none() && known.len() <= 12)
                    .then(|| known.iter().cloned().collect::<Vec<_>>().join(", ")),
                closest,
                count: known.len(),
            };
            return Err(QueryError::from(problem).into());
        }
        Ok(())
    }

    fn values_of(&self, searcher: &Searcher, field: Field) -> Result<BTreeSet<String>, IndexError> {
        let mut values = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(|e| self.error(e))?;
            let mut terms = inverted.terms().stream().map_err(|e| self.error(e.into()))?;
            while terms.advance() {
                values.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(values)
    }

    fn error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy { path: self.dir.clone(), source }
    }
}

pub fn anchored(url: &str, anchor: &str) -> String {
    if anchor.is_empty() { url.to_owned() } else { format!("{url}#{anchor}") }
}

/// Terms aggregations on the fast fields, with room for every value.
fn facet_request() -> Aggregations {
    let terms = |field: &str| serde_json::json!({ "terms": { "field": field, "size": 100_000 } });
    let years = serde_json::json!({ "first": { "min": { "field": "year" } }, "last": { "max": { "field": "year" } } });
    serde_json::from_value(serde_json::json!({
        "year": terms("year"),
        "body": { "terms": { "field": "body", "size": 100_000 }, "aggs": years },
        "level": terms("level"),
        "period": terms("period"),
    }))
    .expect("the facet request is valid")
}

fn facets_from(results: &serde_json::Value) -> Facets {
    let buckets = |name: &str| -> Vec<(serde_json::Value, u64, &serde_json::Value)> {
        results[name]["buckets"]
            .as_array()
            .map(|b| b.iter().map(|b| (b["key"].clone(), b["doc_count"].as_u64().unwrap_or(0), b)).collect())
            .unwrap_or_default()
    };
    let values = |name: &str| {
        let mut counts: Vec<ValueCount> = buckets(name)
            .into_iter()
            .map(|(key, count, bucket)| ValueCount {
                value: key.as_str().unwrap_or_default().to_owned(),
                count,
                first_year: bucket["first"]["value"].as_f64().map(|y| y as i64),
                last_year: bucket["last"]["value"].as_f64().map(|y| y as i64),
            })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        counts
    };
    let mut year: Vec<YearCount> = buckets("year")
        .into_iter()
        .filter_map(|(key, count, _)| Some(YearCount { year: key.as_f64()? as i64, count }))
        .collect();
    year.sort_by_key(|y| y.year);
    Facets { year, archive_years: Vec::new(), body: values("body"), level: values("level"), period: values("period") }
}
