//! Variants of a formulation (提法演变): for a gap query such as 坚持*发展,
//! each distinct filled form (坚持高质量发展, 坚持科学发展 …) with its
//! occurrences, years and bodies, oldest first, so that one sees which
//! wording replaced which.
//!
//! A form is shown as whole words: where the match starts or ends inside a
//! word of its clause (the occurrences' cuts, `words`), the form takes in
//! the rest of that word (坚持新发展 is shown as 坚持新发展理念), so it
//! never ends in a fragment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::analyzer::normalize;
use crate::concordance::{Occurrence, Occurrences};

/// Variants listed, by first year, then most occurrences.
pub const MAX_VARIANTS: usize = 500;

#[derive(Debug, Clone, Serialize)]
pub struct Variants {
    pub query: String,
    /// Occurrences of the query.
    pub total: usize,
    /// Those the table counts: all of them, or the first `MAX_KEPT` by year.
    pub counted: usize,
    /// Distinct forms, before `MAX_VARIANTS` is applied.
    pub distinct: usize,
    /// The years of the archive's matching reports, for the strips' span.
    pub first_year: i64,
    pub last_year: i64,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    /// The form as most often written.
    pub text: String,
    /// Its concordance.
    pub query: String,
    pub count: usize,
    pub reports: usize,
    pub bodies: usize,
    /// The bodies that wrote it most, at most three.
    pub top_bodies: Vec<String>,
    pub first_year: i64,
    pub last_year: i64,
    /// Occurrences per year, ascending, years without any (and year 0,
    /// not known yet) left out.
    pub years: Vec<(i64, usize)>,
}

#[derive(Default)]
struct Tally<'a> {
    count: usize,
    written: HashMap<String, usize>,
    reports: BTreeSet<u32>,
    bodies: HashMap<&'a str, usize>,
    years: BTreeMap<i64, usize>,
}

pub fn variants(found: &Occurrences) -> Variants {
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for occurrence in &found.items {
        let report = found.report(occurrence);
        let form = whole_form(occurrence).to_owned();
        let tally = tallies.entry(normalize(&form)).or_default();
        tally.count += 1;
        *tally.written.entry(form).or_default() += 1;
        tally.reports.insert(occurrence.report);
        *tally.bodies.entry(report.body.as_str()).or_default() += 1;
        // Year 0 is "not known yet" (an import awaiting review), not a year.
        if report.year > 0 {
            *tally.years.entry(report.year).or_default() += 1;
        }
    }
    let distinct = tallies.len();
    let mut variants: Vec<Variant> = tallies
        .into_values()
        .map(|tally| {
            let text = most(&tally.written).to_owned();
            let mut bodies: Vec<(&str, usize)> = tally.bodies.iter().map(|(b, n)| (*b, *n)).collect();
            bodies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            Variant {
                query: match found.wording.as_slice() {
                    // The query with the form for the gap: its filters still apply.
                    [wording] => found.query.replacen(wording.as_str(), &text, 1),
                    _ => format!("\"{text}\""),
                },
                count: tally.count,
                reports: tally.reports.len(),
                bodies: bodies.len(),
                top_bodies: bodies.iter().take(3).map(|(b, _)| b.to_string()).collect(),
                first_year: tally.years.keys().next().copied().unwrap_or_default(),
                last_year: tally.years.keys().next_back().copied().unwrap_or_default(),
                years: tally.years.into_iter().collect(),
                text,
            }
        })
        .collect();
    // Oldest first; forms found only where the year is not known, last.
    let order = |v: &Variant| (v.first_year == 0, v.first_year, std::cmp::Reverse(v.count), v.text.clone());
    variants.sort_by_key(order);
    variants.truncate(MAX_VARIANTS);
    let years = found.reports.iter().map(|r| r.year).filter(|&y| y > 0);
    Variants {
        query: found.query.clone(),
        total: found.total,
        counted: found.items.len(),
        distinct,
        first_year: years.clone().min().unwrap_or_default(),
        last_year: years.max().unwrap_or_default(),
        variants,
    }
}

/// The most frequent key, the smallest of equals.
fn most(counts: &HashMap<String, usize>) -> &str {
    counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or("", |(k, _)| k)
}

/// At most this many characters are taken in on each side to finish a word.
const WORD_REST: usize = 6;

/// The last `WORD_REST` characters of a clause before the match.
fn last_chars(clause: &str) -> &str {
    let from = clause.char_indices().rev().nth(WORD_REST - 1).map_or(0, |(at, _)| at);
    &clause[from..]
}

/// The first `WORD_REST` characters of a clause after the match.
fn first_chars(clause: &str) -> &str {
    let to = clause.char_indices().nth(WORD_REST).map_or(clause.len(), |(at, _)| at);
    &clause[..to]
}

/// The match grown to whole words of its clause: to the nearest cut at or
/// before its start and at or after its end, at most `WORD_REST`
/// characters away (the match itself where there is none).
fn whole_form(occurrence: &Occurrence) -> String {
    let (left, matched, right) = (&occurrence.left, &occurrence.matched, &occurrence.right);
    let (start, end) = (left.len(), left.len() + matched.len());
    let earliest = start - last_chars(occurrence.clause_left()).len();
    let latest = end + first_chars(occurrence.clause_right()).len();
    let cuts = &occurrence.cuts;
    let from = cuts.iter().rev().find(|&&at| at <= start && at >= earliest).copied().unwrap_or(start);
    let to = cuts.iter().find(|&&at| at >= end && at <= latest).copied().unwrap_or(end);
    format!("{}{matched}{}", &left[from..], &right[..to - end])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An occurrence cut where `|` stands in `left|matched|right` text.
    fn occurrence(marked: &str, matched: &str) -> Occurrence {
        let text = marked.replace('|', "");
        let mut cuts = Vec::new();
        let mut at = 0;
        for c in marked.chars() {
            if c == '|' {
                cuts.push(at);
            } else {
                at += c.len_utf8();
            }
        }
        let start = text.find(matched).unwrap();
        Occurrence {
            report: 0,
            left: text[..start].to_owned(),
            matched: matched.to_owned(),
            right: text[start + matched.len()..].to_owned(),
            anchor: String::new(),
            offset: 0,
            passage_key: None,
            cuts,
        }
    }

    #[test]
    fn a_form_ending_inside_a_word_takes_in_the_rest_of_it() {
        let form = |marked, matched| whole_form(&occurrence(marked, matched));
        assert_eq!(form("|我们|坚持|以|人民|为|中心|的", "坚持以人"), "坚持以人民");
        assert_eq!(form("|坚持|以|人民|为|中心", "坚持以人民"), "坚持以人民");
        assert_eq!(form("|坚持|", "坚持"), "坚持");
        // Not past the clause, nor beyond `WORD_REST` characters.
        assert_eq!(form("|发展|，|坚持|发展", "展，坚持"), "发展，坚持");
        assert_eq!(form("|坚持|以人民为中心的发展思想|", "坚持以人"), "坚持以人");
        assert_eq!(last_chars("坚持以人民为中心"), "以人民为中心");
        assert_eq!(first_chars("理念推动改革开放"), "理念推动改革");
    }
}
