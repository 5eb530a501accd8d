//! The candidate units of a part of the archive, for keyness and clusters,
//! gathered in parallel from the reports' texts and the segmenter's cuts
//! (`wenku_engine::units` says what a unit is; the static index gathers the
//! same from the cuts it stored).

use rayon::prelude::*;

use crate::analysis::words;
use crate::search::SearchIndex;
use crate::search::messages::Problem;
use crate::search::searcher::SearchError;

pub use wenku_engine::units::{Candidates, MAX_CHARS, MAX_REPORTS, units_of};

/// Reports whose units are gathered at once, in parallel.
const CHUNK_REPORTS: usize = 100;
/// Units held between chunks before those seen only once so far are
/// forgotten (memory stays bounded: about 100 bytes a unit).
const MAX_HELD: usize = 2_000_000;

/// The units of `min_chars` to `MAX_CHARS` characters of the reports at
/// `docs` (their order numbers the reports), `CHUNK_REPORTS` at a time; at
/// most `MAX_REPORTS` of them.
///
/// A large part's units are held within `MAX_HELD`: when more are held
/// after a chunk, those seen once so far are forgotten. Such a unit is rare
/// in the part (it may come back, counted from then on), so it could not
/// be among the candidates listed first; the counts rows show are taken
/// afterwards by the search's rule and are exact.
pub fn candidates(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    docs: &[tantivy::DocAddress],
    min_chars: usize,
) -> Result<Candidates, SearchError> {
    if docs.len() > MAX_REPORTS {
        let problem = Problem::PartTooLarge { reports: docs.len(), max: MAX_REPORTS };
        return Err(crate::search::QueryError::from(problem).into());
    }
    let mut all = Candidates::default();
    for (chunk, addresses) in docs.chunks(CHUNK_REPORTS).enumerate() {
        let per_report: Vec<wenku_engine::units::ReportUnits> = addresses
            .par_iter()
            .map(|&address| {
                let stored = index.stored(searcher, address)?;
                let cuts =
                    wenku_engine::words::decode(&stored.text, &words::stored_cuts(&stored.text)).unwrap_or_default();
                Ok(units_of(&stored.text, &cuts, min_chars))
            })
            .collect::<Result<_, crate::search::IndexError>>()?;
        for (i, units) in per_report.into_iter().enumerate() {
            all.add((chunk * CHUNK_REPORTS + i) as u32, units);
        }
        if all.units.len() > MAX_HELD {
            all.forget_the_once_seen();
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The segmenter's cuts make whole units (the engine's own tests cut by hand).
    #[test]
    fn units_are_whole_words_by_the_segmenters_cuts() {
        let text = "坚持以人民为中心的发展思想，2020年推动高质量发展。";
        let cuts = wenku_engine::words::decode(text, &words::stored_cuts(text)).unwrap();
        let units = units_of(text, &cuts, 4);
        assert!(units.contains_key("以人民为中心"), "{:?}", units.keys().collect::<Vec<_>>());
        assert!(units.contains_key("推动高质量发展"));
        assert!(!units.keys().any(|u| u.ends_with("人民为中") || u.starts_with("民为中心")), "none cut inside a word");
    }
}
