//! A query for wording with gaps (`坚持*发展`): the index names the reports
//! that hold every part, and each one's stored text decides whether the parts
//! stand in the order and distance asked for. Used like any Tantivy query, so
//! totals, facets and sorting stay exact.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyDocument};

use super::pattern::{Matcher, Pattern};

#[derive(Debug)]
pub struct VerifiedQuery {
    /// Finds every report holding all parts, in any order.
    candidates: Box<dyn Query>,
    pattern: Pattern,
    text: Field,
}

impl VerifiedQuery {
    pub fn new(candidates: Box<dyn Query>, pattern: Pattern, text: Field) -> VerifiedQuery {
        VerifiedQuery { candidates, pattern, text }
    }
}

impl Clone for VerifiedQuery {
    fn clone(&self) -> VerifiedQuery {
        VerifiedQuery { candidates: self.candidates.box_clone(), pattern: self.pattern.clone(), text: self.text }
    }
}

impl Query for VerifiedQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(VerifiedWeight {
            candidates: self.candidates.weight(scoring)?,
            matcher: Matcher::new(vec![self.pattern.clone()]),
            text: self.text,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.candidates.query_terms(visitor);
    }
}

struct VerifiedWeight {
    candidates: Box<dyn Weight>,
    matcher: Matcher,
    text: Field,
}

impl Weight for VerifiedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        // Candidates are checked up front: each needs its stored text anyway,
        // and a plain list keeps seeking simple for the scorers around it.
        let mut candidates = self.candidates.scorer(reader, boost)?;
        let store = reader.get_store_reader(8)?;
        let mut found = Vec::new();
        let mut doc = candidates.doc();
        while doc != TERMINATED {
            let stored: TantivyDocument = store.get(doc)?;
            let text = stored.get_first(self.text).and_then(|v| v.as_str()).unwrap_or_default();
            if self.matcher.is_match(text) {
                found.push((doc, candidates.score()));
            }
            doc = candidates.advance();
        }
        Ok(Box::new(VerifiedScorer { found, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("wording with gaps, checked against the text", scorer.score()))
    }
}

struct VerifiedScorer {
    found: Vec<(DocId, Score)>,
    at: usize,
}

impl DocSet for VerifiedScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.found.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.at += self.found[self.at..].partition_point(|&(doc, _)| doc < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.found.get(self.at).map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        (self.found.len() - self.at) as u32
    }
}

impl Scorer for VerifiedScorer {
    fn score(&mut self) -> Score {
        self.found.get(self.at).map_or(0.0, |&(_, score)| score)
    }
}
