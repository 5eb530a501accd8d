//! wenku's search engine core: what the server and the browser share, so
//! that the two cannot drift.
//!
//! - `analyzer`: normalization and the CJK bigram tokenizer
//! - `query`: the query language, parsed
//! - `pattern`: wording with gaps (`坚持*发展`), matched exactly against the text
//! - `messages`: every problem a search can answer with, in each language
//! - `snippet`: cutting snippets around the matched wording
//! - `concordance`: occurrences with their context, as KWIC lines
//! - `frequency`: a wording's occurrences by year and by body
//! - `collocates`, `keyness`, `clusters`: the corpus statistics, ranked from
//!   counts that `units` (candidate units) and `counting` (the search's
//!   rule over texts) gather, scored by `stats`
//! - `hash`: fast, stable 64-bit hashes of text
//! - `escape`: the one HTML escaper
//! - `export`, `xlsx`: the research tables as CSV and XLSX files
//!
//! Nothing here reads files or the clock: bytes in, results out. That keeps
//! it buildable for `wasm32-unknown-unknown` and testable natively.

pub mod analyzer;
pub mod clusters;
pub mod collocates;
pub mod concordance;
pub mod continuations;
pub mod counting;
pub mod escape;
pub mod export;
pub mod frequency;
pub mod hash;
pub mod keyness;
pub mod messages;
pub mod pattern;
pub mod query;
pub mod request;
pub mod results;
mod simplified;
pub mod snippet;
pub mod static_index;
pub mod stats;
pub mod units;
pub mod variants;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod words;
pub mod xlsx;

/// The allowed value closest to `value`, for did-you-mean hints.
pub fn closest<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_levenshtein(value, c), c))
        .filter(|(score, _)| *score > 0.3)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
