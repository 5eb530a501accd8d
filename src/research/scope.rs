//! Counting units over a part of the archive (a query's filters): how often
//! each occurs by the search's rule in each report, and each report's size
//! in positions (`wenku_engine::counting`), the reports read in parallel.
//! The statistics of collocations and keyness divide by these.

use rayon::prelude::*;
use tantivy::{DocAddress, Searcher};

use super::{ReportInfo, info};
use crate::search::SearchIndex;
use crate::search::searcher::SearchError;

pub use wenku_engine::counting::Counted;
use wenku_engine::counting::Counter;

/// The reports a query selects: those its wording is in (gaps checked in
/// the text, as search checks them), within its
/// filters, or all within its filters when it has no wording. A part may
/// be given by what it leaves out (`-body:"某局"`: every other body's
/// reports), which a search refuses.
pub fn reports_of(index: &SearchIndex, query: &str) -> Result<(Searcher, Vec<DocAddress>), SearchError> {
    let parsed = match crate::search::query::parse(query) {
        Err(e) if e.problem == crate::search::messages::Problem::OnlyExcludes => {
            // Every report has a year (0 when unknown).
            crate::search::query::parse(&format!("year:..9999 {query}"))?
        }
        parsed => parsed?,
    };
    if parsed.has_wording() {
        let matching = index.matching(query)?;
        let docs = super::holding(index, &matching)?;
        Ok((matching.searcher, docs))
    } else {
        index.in_scope(&parsed)
    }
}

/// Counts `units` (normalized) in the reports at `docs`.
pub fn count_in(
    index: &SearchIndex,
    searcher: &Searcher,
    docs: &[DocAddress],
    units: &[String],
) -> Result<Counted, SearchError> {
    let counter = Counter::new(units);
    let found: Vec<(ReportInfo, (u64, Vec<(u32, u64)>))> = docs
        .par_iter()
        .map(|&address| {
            let stored = index.stored(searcher, address)?;
            let counts = counter.count(&stored.text);
            Ok((info(stored), counts))
        })
        .collect::<Result<_, crate::search::IndexError>>()?;
    let mut counted = Counted::default();
    for (report, (size, counts)) in found {
        counted.add(report, size, counts);
    }
    Ok(counted)
}
