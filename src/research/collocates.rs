//! Collocations (搭配) over the index: the words near a phrase
//! (`wenku_engine::collocates`), their own frequencies in the part the
//! query's filters select read from the postings.

use super::Occurrences;
use crate::search::SearchIndex;
use crate::search::query;
use crate::search::searcher::SearchError;

pub use wenku_engine::collocates::{Collocate, Collocates, DEFAULT_WINDOW, MAX_WINDOW, context_width, pair_count};

/// The collocates of the phrase of `found` (found with a context of at
/// least `context_width(window)`).
pub fn collocates(index: &SearchIndex, found: &Occurrences, window: usize) -> Result<Collocates, SearchError> {
    let candidates = wenku_engine::collocates::candidates(found, window).map_err(SearchError::from)?;
    let units: Vec<String> = candidates.iter().map(|(word, _)| word.clone()).collect();
    let filters = query::parse(&found.query).map_err(SearchError::from)?.filters();
    let counted = index.count_units(&filters, &units)?;
    Ok(wenku_engine::collocates::collocates(found, window, candidates, &counted.counts, counted.positions))
}

#[cfg(test)]
mod tests {
    use wenku_engine::collocates::{Near, words_near};

    use super::super::Occurrence;
    use crate::analysis::words;

    /// An occurrence whose cuts the segmenter found, as the server cuts them.
    fn occurrence(left: &str, matched: &str, right: &str) -> Occurrence {
        let text = format!("{left}{matched}{right}");
        Occurrence {
            report: 0,
            left: left.into(),
            matched: matched.into(),
            right: right.into(),
            anchor: String::new(),
            offset: 0,
            passage_key: None,
            cuts: words::cuts_around(&text, &[(left.len(), left.len() + matched.len())]),
        }
    }

    /// The words within the window.
    fn sorted(stretches: Vec<Vec<Near>>) -> Vec<String> {
        let mut words: Vec<String> =
            stretches.into_iter().flatten().filter(|near| near.inside).map(|near| near.word).collect();
        words.sort();
        words
    }

    #[test]
    fn the_window_counts_positions_within_the_clause() {
        let found = words_near(&occurrence("经济工作，我们要", "坚持", "稳中求进工作总基调。全面深化改革"), 4);
        // 稳中求进 (4 positions) fits; 工作 beyond it does not; nothing past punctuation.
        assert_eq!(sorted(found), vec!["我们", "稳中求进", "要"]);
        // 5G is one position, 网络 two more.
        let found = words_near(&occurrence("", "坚持", "5G网络建设"), 3);
        assert_eq!(sorted(found), vec!["5g", "网络"]);
        // The phrase parts the words before it from those after it.
        let found = words_near(&occurrence("我们要", "坚持", "稳中求进工作总基调"), 4);
        let stretches: Vec<Vec<(&str, bool)>> = found
            .iter()
            .map(|stretch| stretch.iter().map(|near| (near.word.as_str(), near.inside)).collect())
            .collect();
        assert_eq!(
            stretches,
            vec![
                vec![("我们", true), ("要", true)],
                vec![("稳中求进", true), ("工作", false), ("总", false), ("基调", false)]
            ]
        );
    }
}
