//! The query language (parsed in `wenku_engine::query`, shared with the
//! static engine) turned into Tantivy queries.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

pub use wenku_engine::query::*;

use super::Fields;
use super::analyzer::phrase_terms;
use super::pattern::Pattern;
use super::verified::VerifiedQuery;

/// The Tantivy query for a parsed query. Filters do not change the ranking.
pub fn to_tantivy(parsed: &ParsedQuery, fields: &Fields) -> Box<dyn TantivyQuery> {
    build(parsed, fields, true)
}

/// [`to_tantivy`], except that wording with gaps in required groups is not
/// checked against the text: the query finds every report that holds the
/// parts. For a caller that reads each report's text anyway and checks the
/// groups itself (see [`ParsedQuery::text_groups`]).
pub fn to_tantivy_candidates(parsed: &ParsedQuery, fields: &Fields) -> Box<dyn TantivyQuery> {
    build(parsed, fields, false)
}

fn build(parsed: &ParsedQuery, fields: &Fields, verify_required: bool) -> Box<dyn TantivyQuery> {
    if parsed.required.is_empty() && parsed.excluded.is_empty() {
        return Box::new(tantivy::query::AllQuery);
    }
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    for group in &parsed.required {
        let query = if group.len() == 1 {
            clause_query(&group[0], fields, verify_required)
        } else {
            Box::new(BooleanQuery::new(
                group.iter().map(|c| (Occur::Should, clause_query(c, fields, verify_required))).collect(),
            ))
        };
        clauses.push((Occur::Must, query));
    }
    // What is left out must be left out exactly: always checked.
    for clause in &parsed.excluded {
        clauses.push((Occur::MustNot, clause_query(clause, fields, true)));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn clause_query(clause: &Clause, fields: &Fields, verify: bool) -> Box<dyn TantivyQuery> {
    match clause {
        Clause::Text(text) => match Pattern::parse(text) {
            Ok(pattern) if pattern.has_gaps() => {
                let parts = pattern.parts.iter().map(|p| (Occur::Must, phrase_query(p, fields))).collect();
                let candidates = Box::new(BooleanQuery::new(parts));
                if verify { Box::new(VerifiedQuery::new(candidates, pattern, fields.text)) } else { candidates }
            }
            _ => phrase_query(text, fields),
        },
        Clause::Years(from, to) => {
            let term = |y: &i64| Term::from_field_i64(fields.year, *y);
            let range = RangeQuery::new(from.as_ref().map(term), to.as_ref().map(term));
            Box::new(ConstScoreQuery::new(Box::new(range), 0.0))
        }
        Clause::Value(field, value) => {
            let field = match field {
                FilterField::Body => fields.body,
                FilterField::Level => fields.level,
                FilterField::Period => fields.period,
                FilterField::Year => unreachable!("years are parsed into Clause::Years"),
            };
            let query = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
            Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
        }
    }
}

/// The query for one phrase (wording without gaps).
fn phrase_query(text: &str, fields: &Fields) -> Box<dyn TantivyQuery> {
    let phrase = phrase_terms(text);
    let mut terms: Vec<(usize, Term)> =
        phrase.terms.into_iter().map(|(pos, t)| (pos, Term::from_field_text(fields.text, &t))).collect();
    if phrase.is_prefix {
        let prefix = terms.remove(0).1;
        let end = Term::from_field_bytes(fields.text, &prefix_end(prefix.serialized_value_bytes()));
        let any = RangeQuery::new(Bound::Included(prefix), Bound::Excluded(end));
        Box::new(ConstScoreQuery::new(Box::new(any), 1.0))
    } else if terms.len() == 1 {
        Box::new(TermQuery::new(terms.remove(0).1, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

/// The first byte string after every string starting with `prefix`: the
/// prefix is one UTF-8 character, whose last byte is never 0xFF.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    end
}
