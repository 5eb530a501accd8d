//! Keyness (关键提法) over the index: the parts' reports found by their
//! queries, the listed part's units gathered and counted in its texts, the
//! other part's counts read from the postings; `wenku_engine::keyness`
//! ranks them, as the static index's does.

use super::{scope, units};
use crate::search::SearchIndex;
use crate::search::searcher::SearchError;

pub use wenku_engine::keyness::{KeyUnit, Keyness, Mode};
use wenku_engine::keyness::{MIN_CHARS, Other};

/// The keyness of `target` against `reference` (queries: filters, wording or both).
pub fn keyness(index: &SearchIndex, target: &str, reference: &str, mode: Mode) -> Result<Keyness, SearchError> {
    let (listed, other) = mode.listed_and_other(target, reference);
    // Each part read with the searcher that found it: a commit between the
    // two may renumber the documents.
    let (searcher, listed_docs) = scope::reports_of(index, listed)?;
    let (other_searcher, other_docs) = scope::reports_of(index, other)?;
    let found = units::candidates(index, &searcher, &listed_docs, MIN_CHARS)?;
    let texts = wenku_engine::keyness::candidates(&found);
    let in_listed = scope::count_in(index, &searcher, &listed_docs, &texts)?;
    let in_other = index.count_units_in(&other_searcher, &other_docs, &texts)?;
    let other = Other { totals: in_other.counts, size: in_other.positions, reports: other_docs.len() as u64 };
    Ok(wenku_engine::keyness::keyness(target, reference, mode, &found, &texts, &in_listed, &other))
}
