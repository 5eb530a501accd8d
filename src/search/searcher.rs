//! Running a query: the page of hits with snippets, the total, and counts per
//! year, body, level and period over the whole result set.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use super::counts::UnitTotals;
use super::messages::Problem;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::indexer::parse_anchors;
use super::query::{self, FilterField, ParsedQuery, QueryError};
use super::{Fields, IndexError, open_index};

pub use wenku_engine::results::*;

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
        Ok(Hit::new(self.stored(searcher, address)?, score, wording))
    }

    /// What the index stores of the report at `address`.
    pub fn stored(&self, searcher: &Searcher, address: DocAddress) -> Result<StoredReport, IndexError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
        Ok(self.report_of(&doc))
    }

    /// [`SearchIndex::stored`], with where words begin in its text as the
    /// build found them (`wenku_engine::words::encode`).
    pub fn stored_with_cut_bits(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Result<(StoredReport, Vec<u8>), IndexError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
        let bits = doc.get_first(self.fields.cuts).and_then(|v| v.as_bytes()).unwrap_or_default().to_vec();
        Ok((self.report_of(&doc), bits))
    }

    fn report_of(&self, doc: &TantivyDocument) -> StoredReport {
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        StoredReport {
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
        }
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
        let docs = self.oldest_first(&searcher, found)?;
        Ok(Matching { parsed, searcher, docs, checked })
    }

    /// `found` oldest first, as `Sort::Oldest` lists them: by date, then by
    /// the hash of the path that `sort_key` holds in its low bits.
    fn oldest_first(
        &self,
        searcher: &Searcher,
        found: impl IntoIterator<Item = DocAddress>,
    ) -> Result<Vec<DocAddress>, SearchError> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("sort_key").map_err(|e| self.error(e.into())))
            .collect::<Result<Vec<_>, _>>()?;
        let mut keyed: Vec<(bool, u64, DocAddress)> = found
            .into_iter()
            .map(|address| {
                let key = columns[address.segment_ord as usize].first(address.doc_id).unwrap_or(0);
                // A report of unknown year (sort key 0000-12-31) comes after all dated ones.
                (crate::search::indexer::is_undated(key), key, address)
            })
            .collect();
        keyed.sort_unstable();
        Ok(keyed.into_iter().map(|(_, _, address)| address).collect())
    }

    /// Every report within `filters` (a query's filters alone, see
    /// [`ParsedQuery::filters`]), whatever their wording, oldest first.
    pub fn in_scope(&self, filters: &ParsedQuery) -> Result<(Searcher, Vec<DocAddress>), SearchError> {
        let searcher = self.reader.searcher();
        self.check_values(&searcher, filters)?;
        let mut scope = filters.clone();
        if scope.required.is_empty() && !scope.excluded.is_empty() {
            // Only exclusions: of every report (each has a year, 0 if unknown).
            let every_year = query::Clause::Years(std::ops::Bound::Included(i64::MIN), std::ops::Bound::Unbounded);
            scope.required.push(vec![every_year]);
        }
        let tantivy_query = query::to_tantivy(&scope, &self.fields);
        let found = searcher.search(&tantivy_query, &tantivy::collector::DocSetCollector).map_err(|e| self.error(e))?;
        let docs = self.oldest_first(&searcher, found)?;
        Ok((searcher, docs))
    }

    /// Each unit's occurrences (normalized wording, by the search's rule)
    /// in the reports within `filters`, from the postings, and the
    /// positions of those reports.
    pub fn count_units(&self, filters: &ParsedQuery, units: &[String]) -> Result<UnitTotals, SearchError> {
        let (searcher, docs) = self.in_scope(filters)?;
        Ok(self.count_units_in(&searcher, &docs, units)?)
    }

    /// The same in the reports at `docs`.
    pub fn count_units_in(
        &self,
        searcher: &Searcher,
        docs: &[DocAddress],
        units: &[String],
    ) -> Result<UnitTotals, IndexError> {
        super::counts::count_units(searcher, self.fields.text, docs, units).map_err(|e| self.error(e))
    }

    /// Which reports of `library` may hold one of `phrases` (Han wording,
    /// searched for as written): those of the documents that match one,
    /// found by their sort values (reports sharing one are all marked).
    /// `None` when a phrase is no query or a document is not in `library`
    /// (the index is not current).
    pub fn may_hold_any(
        &self,
        library: &crate::content::Library,
        config: &crate::content::config::Config,
        phrases: &[String],
    ) -> Option<Vec<bool>> {
        let mut by_value: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
        for (i, report) in library.reports.iter().enumerate() {
            by_value.entry(super::IndexDoc::without_text(report, config).sort_value()).or_default().push(i);
        }
        let searcher = self.reader.searcher();
        let columns: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("sort_key").ok())
            .collect::<Option<_>>()?;
        let mut marked = vec![false; library.reports.len()];
        for phrase in phrases {
            let parsed = query::parse(phrase).ok()?;
            let query = query::to_tantivy(&parsed, &self.fields);
            let found = searcher.search(&query, &tantivy::collector::DocSetCollector).ok()?;
            for address in found {
                let value = columns[address.segment_ord as usize].first(address.doc_id)?;
                for &i in by_value.get(&value)? {
                    marked[i] = true;
                }
            }
        }
        Some(marked)
    }

    /// Positions of the reports within `filters`, by year (0: not known):
    /// what per-10,000 figures divide by, read from the index alone.
    pub fn positions_by_year(&self, filters: &ParsedQuery) -> Result<BTreeMap<i64, u64>, SearchError> {
        let (searcher, docs) = self.in_scope(filters)?;
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let year = fast.i64("year").map_err(|e| self.error(e.into()))?;
            let positions = fast.u64("positions").map_err(|e| self.error(e.into()))?;
            columns.push((year, positions));
        }
        let mut sizes = BTreeMap::new();
        for address in docs {
            let (year, positions) = &columns[address.segment_ord as usize];
            let year = year.first(address.doc_id).unwrap_or(0);
            *sizes.entry(year).or_default() += positions.first(address.doc_id).unwrap_or(0);
        }
        Ok(sizes)
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
            let closest =
                crate::shared::diagnostics::closest(value, known.iter().map(String::as_str)).map(str::to_owned);
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
