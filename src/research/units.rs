//! The candidate units of a part of the archive, for keyness and clusters,
//! gathered in parallel from the reports' texts and the word cuts the
//! build stored beside them (`wenku_engine::units` says what a unit is; the
//! static index gathers the same from the cuts it stored).

use rayon::prelude::*;

use crate::analysis::words;
use crate::search::SearchIndex;
use crate::search::messages::Problem;
use crate::search::searcher::SearchError;

use wenku_engine::units::CHUNK_REPORTS;
pub use wenku_engine::units::{Candidates, MAX_CHARS, MAX_REPORTS};

/// The units of `min_chars` to `MAX_CHARS` characters of the reports at
/// `docs` (their order numbers the reports), `CHUNK_REPORTS` at a time
/// (see `Candidates::end_chunk`); at most `MAX_REPORTS` of them.
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
        // Texts read and cut in parallel; their units counted in order, in
        // one map (merging maps of many reports cost more than it saved).
        let cut: Vec<(String, Vec<usize>)> = addresses
            .par_iter()
            .map(|&address| {
                let (stored, bits) = index.stored_with_cut_bits(searcher, address)?;
                let text = stored.text;
                // The build's cuts; the text segmented anew only if they do not fit.
                let cuts = wenku_engine::words::decode(&text, &bits)
                    .or_else(|| wenku_engine::words::decode(&text, &words::stored_cuts(&text)))
                    .unwrap_or_default();
                Ok((text, cuts))
            })
            .collect::<Result<_, crate::search::IndexError>>()?;
        for (i, (text, cuts)) in cut.iter().enumerate() {
            all.add((chunk * CHUNK_REPORTS + i) as u32, text, cuts, min_chars);
        }
        all.end_chunk();
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
        let mut found = Candidates::default();
        found.add(0, text, &cuts, 4);
        let units = found.units;
        assert!(units.contains_key("以人民为中心"), "{:?}", units.keys().collect::<Vec<_>>());
        assert!(units.contains_key("推动高质量发展"));
        assert!(!units.keys().any(|u| u.ends_with("人民为中") || u.starts_with("民为中心")), "none cut inside a word");
    }
}
