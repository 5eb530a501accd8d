//! How often units of wording occur in a set of reports, read from the
//! index's postings rather than from the reports' text.
//!
//! The count is the search's rule (overlapping occurrences, a Latin word or
//! number never cut), because the index's terms are that rule: a phrase
//! occurs at position `p` iff each of its terms is at `p + offset`
//! (`phrase_terms`). A lone CJK letter has no term of its own in the middle
//! of a run: it occurs once at each position where a term begins with it
//! (its bigram, or its unigram at the end of a run), the marked unigram at
//! a run's start (`坚^`) sharing its position with the bigram there.
//!
//! Collocations count hundreds of units over the whole archive; reading
//! their postings takes a few milliseconds each where scanning the text took
//! a second for all.

use rayon::prelude::*;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, SegmentReader, TERMINATED, Term};

use super::analyzer::{PhraseTerms, RUN_START, phrase_terms};

/// Each unit's occurrences in the reports at `docs`, and their positions
/// in all (the size statistics divide by).
pub struct UnitTotals {
    pub positions: u64,
    pub counts: Vec<u64>,
}

/// Counts `units` (normalized wording) in the reports at `docs`.
pub fn count_units(
    searcher: &Searcher,
    text: Field,
    docs: &[DocAddress],
    units: &[String],
) -> tantivy::Result<UnitTotals> {
    let segments = searcher.segment_readers();
    let mut in_scope: Vec<Vec<bool>> = segments.iter().map(|s| vec![false; s.max_doc() as usize]).collect();
    for address in docs {
        in_scope[address.segment_ord as usize][address.doc_id as usize] = true;
    }
    let mut positions = 0;
    for (segment, scope) in segments.iter().zip(&in_scope) {
        let column = segment.fast_fields().u64("positions")?;
        positions += scope
            .iter()
            .enumerate()
            .filter(|(_, on)| **on)
            .filter_map(|(doc, _)| column.first(doc as u32))
            .sum::<u64>();
    }
    let counts = units
        .par_iter()
        .map(|unit| {
            let terms = phrase_terms(unit);
            let mut total = 0;
            for (segment, scope) in segments.iter().zip(&in_scope) {
                total += count_in_segment(segment, text, &terms, scope)?;
            }
            Ok(total)
        })
        .collect::<tantivy::Result<Vec<u64>>>()?;
    Ok(UnitTotals { positions, counts })
}

fn count_in_segment(segment: &SegmentReader, text: Field, terms: &PhraseTerms, scope: &[bool]) -> tantivy::Result<u64> {
    let inverted = segment.inverted_index(text)?;
    if terms.is_prefix {
        // A lone CJK letter: every term that begins with it, but the marked
        // unigram of a run's start (its position has the bigram too).
        let letter = &terms.terms[0].1;
        let marked = format!("{letter}{RUN_START}");
        let mut stream = inverted.terms().range().ge(letter.as_bytes()).into_stream()?;
        let mut total = 0;
        while stream.advance() {
            if !stream.key().starts_with(letter.as_bytes()) {
                break;
            }
            if stream.key() == marked.as_bytes() {
                continue;
            }
            let mut postings = inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
            total += sum_of_freqs(&mut postings, scope);
        }
        return Ok(total);
    }
    if terms.terms.is_empty() {
        // No letter or digit: nothing to count.
        return Ok(0);
    }
    let mut lists: Vec<(u32, SegmentPostings)> = Vec::with_capacity(terms.terms.len());
    let last_offset = terms.terms.iter().map(|(offset, _)| *offset).max().unwrap_or(0) as u32;
    for (offset, term) in &terms.terms {
        let term = Term::from_field_text(text, term);
        let Some(postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)? else {
            return Ok(0);
        };
        // Each term's positions are shifted to where the phrase's last term would be.
        lists.push((last_offset - *offset as u32, postings));
    }
    if let [(_, single)] = lists.as_mut_slice() {
        return Ok(sum_of_freqs(single, scope));
    }
    // The rarest term leads the walk over the reports holding all of them.
    lists.sort_by_key(|(_, postings)| postings.doc_freq());
    let (mut lead, mut positions, mut other) = (lists[0].1.doc(), Vec::new(), Vec::new());
    let mut total = 0;
    'walk: while lead != TERMINATED {
        for (_, postings) in lists.iter_mut().skip(1) {
            // A list may already stand past the lead (seek never goes back).
            let found = if postings.doc() < lead { postings.seek(lead) } else { postings.doc() };
            if found != lead {
                lead = lists[0].1.seek(found);
                continue 'walk;
            }
        }
        if scope[lead as usize] {
            let (shift, first) = &mut lists[0];
            first.positions_with_offset(*shift, &mut positions);
            for (shift, postings) in lists.iter_mut().skip(1) {
                postings.positions_with_offset(*shift, &mut other);
                keep_common(&mut positions, &other);
            }
            total += positions.len() as u64;
        }
        lead = lists[0].1.advance();
    }
    Ok(total)
}

fn sum_of_freqs(postings: &mut SegmentPostings, scope: &[bool]) -> u64 {
    let mut total = 0;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if scope[doc as usize] {
            total += postings.term_freq() as u64;
        }
        doc = postings.advance();
    }
    total
}

/// Keeps the values of sorted `kept` that sorted `other` holds too.
fn keep_common(kept: &mut Vec<u32>, other: &[u32]) {
    let mut j = 0;
    kept.retain(|&value| {
        while j < other.len() && other[j] < value {
            j += 1;
        }
        j < other.len() && other[j] == value
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{analyzer, schema};
    use tantivy::{Index, TantivyDocument};

    /// One segment holding `texts` in order, as the index writes them.
    fn one_segment(texts: &[&str]) -> (Index, Field) {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        let tokenizer = tantivy::tokenizer::TextAnalyzer::from(analyzer::CjkTokenizer::default());
        index.tokenizers().register(analyzer::TOKENIZER, tokenizer);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in texts {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.text, text);
            doc.add_u64(fields.positions, analyzer::count_positions(text));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields.text)
    }

    /// The rarer term leads from a report the other lacks: every list is
    /// sought forward only (Tantivy asserts it in debug builds).
    #[test]
    fn the_walk_starts_from_lists_at_different_reports() {
        let texts = ["质效提升。", "高质量。", "高质量发展。", "高质效发展，高质效。"];
        let (index, text) = one_segment(&texts);
        let searcher = index.reader().unwrap().searcher();
        let docs: Vec<DocAddress> = (0..4).map(|doc| DocAddress::new(0, doc)).collect();
        let units = ["高质效".to_owned(), "高质".to_owned(), "效".to_owned(), "，".to_owned()];
        let counted = count_units(&searcher, text, &docs, &units).unwrap();
        assert_eq!(counted.counts, vec![2, 4, 3, 0]);
        assert_eq!(counted.positions, texts.iter().map(|t| analyzer::count_positions(t)).sum::<u64>());
    }

    #[test]
    fn common_positions_are_kept_in_order() {
        let mut kept = vec![1, 4, 7, 9, 12];
        keep_common(&mut kept, &[2, 4, 9, 10, 12, 15]);
        assert_eq!(kept, vec![4, 9, 12]);
        keep_common(&mut kept, &[]);
        assert!(kept.is_empty());
    }
}
