//! How often a phrase occurs by year and by issuing body: the occurrences
//! found in the index, tabled by `wenku_engine::frequency` (which the
//! static index's engine tables them with too).

pub use wenku_engine::frequency::{BodyRow, ByBody, ByYear, Counted, YearRow, per_10k};

use super::Occurrences;
use crate::search::SearchIndex;
use crate::search::query;
use crate::search::searcher::SearchError;

/// The phrase's occurrences per year, against the size of each year.
pub fn by_year(index: &SearchIndex, found: &Occurrences) -> Result<ByYear, SearchError> {
    let filters = query::parse(&found.query).map_err(SearchError::from)?.filters();
    let sizes = index.positions_by_year(&filters)?;
    Ok(wenku_engine::frequency::by_year(&found.query, &counted(found), &sizes))
}

/// The phrase's occurrences per issuing body and year.
pub fn by_body(found: &Occurrences) -> ByBody {
    wenku_engine::frequency::by_body(&found.query, &counted(found))
}

/// Each report's count of occurrences: all of them, whether their context
/// was kept or not (`Occurrences::per_report`).
fn counted(found: &Occurrences) -> Vec<Counted> {
    found
        .reports
        .iter()
        .zip(&found.per_report)
        .map(|(report, &count)| Counted { year: report.year, body: report.body.clone(), count: count as u64 })
        .collect()
}
