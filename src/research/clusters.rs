//! Recurring formulations (固定提法) over the index: the part's reports
//! found by its query, their units gathered and counted in parallel;
//! `wenku_engine::clusters` ranks them, as the static index's does.

use super::{scope, units};
use crate::search::SearchIndex;
use crate::search::searcher::SearchError;

use wenku_engine::clusters::MIN_CHARS;
pub use wenku_engine::clusters::{Cluster, Clusters};

/// The recurring formulations of the reports `query` selects.
pub fn clusters(index: &SearchIndex, query: &str) -> Result<Clusters, SearchError> {
    let (searcher, docs) = scope::reports_of(index, query)?;
    let found = units::candidates(index, &searcher, &docs, MIN_CHARS)?;
    let candidates = wenku_engine::clusters::candidates(found);
    let texts: Vec<String> = candidates.iter().map(|(u, _)| u.clone()).collect();
    let counted = scope::count_in(index, &searcher, &docs, &texts)?;
    Ok(wenku_engine::clusters::clusters(query, &candidates, &counted))
}
