//! The query language:
//!
//! | syntax | meaning |
//! | --- | --- |
//! | `打通供应链 疫情` | every word must appear (each word as written, contiguous) |
//! | `"疫情 防控"` | the exact phrase, spaces and punctuation included |
//! | `-扶贫`, `-"…"` | reports with this wording are left out |
//! | `疫情防控 OR 新冠` | either one |
//! | `坚持*发展`, `坚持{0,6}发展` | wording with a gap in one sentence (see [`super::pattern`]) |
//! | `year:2020`, `year:2018..2021`, `year:2018..`, `year:..2019` | years |
//! | `body:…`, `level:…`, `period:…` (value may be quoted) | exact metadata |
//!
//! A filter given twice for the same field means either value (a report
//! has one year). Parsing never panics; every mistake is a `QueryError`
//! naming the problem and how to fix it.

use std::ops::Bound;

use crate::analyzer::phrase_terms;
use crate::messages::{self, Language, Problem};
use crate::pattern::Pattern;

/// Longest query a person may type, in characters: the same on the command
/// line, in the API's `q` and on the page (`typed_length`).
pub const MAX_QUERY_CHARS: usize = 1000;

/// Longest text `parse` reads: the typed query and the filter values the
/// API's parameters add (`year`, `body`, `level`, `period`, each bounded
/// as the query is), so that a query within the limit is never refused
/// for the filters around it.
const MAX_PARSED_CHARS: usize = 5 * (MAX_QUERY_CHARS + 16);

/// A typed query (or filter value) within `MAX_QUERY_CHARS`, counted
/// without the white space around it.
pub fn typed_length(text: &str) -> Result<(), Problem> {
    let chars = text.trim().chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Problem::TooLong { chars, max: MAX_QUERY_CHARS });
    }
    Ok(())
}

/// A query that cannot be run: what is wrong, in English for the command
/// line, and the problem itself, for wording it in a site's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}\n  = help: {help}")]
pub struct QueryError {
    pub message: String,
    pub help: String,
    pub problem: Problem,
}

impl From<Problem> for QueryError {
    fn from(problem: Problem) -> QueryError {
        let (message, help) = messages::text(&problem, Language::English);
        QueryError { message, help, problem }
    }
}

impl QueryError {
    /// The message and its help in `language`.
    pub fn worded(&self, language: Language) -> (String, String) {
        messages::text(&self.problem, language)
    }
}

fn error(problem: Problem) -> QueryError {
    problem.into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Year,
    Body,
    Level,
    Period,
}

impl FilterField {
    const ALL: [FilterField; 4] = [Self::Year, Self::Body, Self::Level, Self::Period];

    pub fn name(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Body => "body",
            Self::Level => "level",
            Self::Period => "period",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Wording to find, as typed (normalized later by the analyzer).
    Text(String),
    Years(Bound<i64>, Bound<i64>),
    Value(FilterField, String),
}

/// A parsed query: all of `required` (each an OR of alternatives), none of
/// `excluded`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub required: Vec<Vec<Clause>>,
    pub excluded: Vec<Clause>,
}

impl ParsedQuery {
    /// The query's body, level and period filters alone: which part of the
    /// archive the wording is looked for in, whatever the wording and years.
    pub fn scope(&self) -> ParsedQuery {
        let is_value = |c: &Clause| matches!(c, Clause::Value(..));
        ParsedQuery {
            required: self.required.iter().filter(|group| group.iter().all(is_value)).cloned().collect(),
            excluded: self.excluded.iter().filter(|c| is_value(c)).cloned().collect(),
        }
    }

    /// The query's filters alone, years included: the part of the archive
    /// it looks in (research statistics count against it).
    pub fn filters(&self) -> ParsedQuery {
        let is_filter = |c: &Clause| !matches!(c, Clause::Text(_));
        ParsedQuery {
            required: self.required.iter().filter(|group| group.iter().all(is_filter)).cloned().collect(),
            excluded: self.excluded.iter().filter(|c| is_filter(c)).cloned().collect(),
        }
    }

    /// The wording to highlight: every positive text clause.
    pub fn wording(&self) -> Vec<&str> {
        self.required
            .iter()
            .flatten()
            .filter_map(|c| match c {
                Clause::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether any positive clause is wording (else ranking means nothing).
    pub fn has_wording(&self) -> bool {
        !self.wording().is_empty()
    }

    /// The required groups of wording, each as its alternatives, when
    /// every required group is wording alone or filters alone: then a report
    /// matches iff the index's candidates include it and each of these
    /// groups has an alternative found in its text. `None` for a group that
    /// mixes the two (`year:2020 OR 坚持*发展`), which only the index can decide.
    pub fn text_groups(&self) -> Option<Vec<Vec<&str>>> {
        let mut groups = Vec::new();
        for group in &self.required {
            let texts: Vec<&str> = group
                .iter()
                .filter_map(|c| match c {
                    Clause::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            if texts.is_empty() {
                continue;
            }
            if texts.len() != group.len() {
                return None;
            }
            groups.push(texts);
        }
        Some(groups)
    }

    pub fn values(&self) -> impl Iterator<Item = (FilterField, &str)> {
        self.required.iter().flatten().chain(&self.excluded).filter_map(|c| match c {
            Clause::Value(field, value) => Some((*field, value.as_str())),
            _ => None,
        })
    }
}

/// One piece of the query string, before `OR` is applied.
#[derive(Debug)]
enum Piece {
    Or,
    Clause { negated: bool, clause: Clause },
}

pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    if query.chars().count() > MAX_PARSED_CHARS {
        return Err(error(Problem::TooLong { chars: query.chars().count(), max: MAX_QUERY_CHARS }));
    }
    let pieces = lex(&ascii_syntax(query))?;
    if pieces.is_empty() {
        return Err(error(Problem::Empty));
    }

    let mut parsed = ParsedQuery::default();
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Or => {
                return Err(error(Problem::OrNeedsBothSides));
            }
            Piece::Clause { negated: true, clause } => {
                if matches!(pieces.get(i + 1), Some(Piece::Or)) {
                    return Err(error(Problem::ExcludedInOr));
                }
                parsed.excluded.push(clause.clone());
                i += 1;
            }
            Piece::Clause { negated: false, clause } => {
                let mut alternatives = vec![clause.clone()];
                i += 1;
                while matches!(pieces.get(i), Some(Piece::Or)) {
                    match pieces.get(i + 1) {
                        Some(Piece::Clause { negated: false, clause }) => alternatives.push(clause.clone()),
                        Some(Piece::Clause { negated: true, .. }) => {
                            return Err(error(Problem::ExcludedInOr));
                        }
                        _ => {
                            return Err(error(Problem::OrNeedsBothSides));
                        }
                    }
                    i += 2;
                }
                parsed.required.push(alternatives);
            }
        }
    }
    merge_repeated_filters(&mut parsed);
    if parsed.required.is_empty() {
        return Err(error(Problem::OnlyExcludes));
    }
    Ok(parsed)
}

/// `year:2020 year:2021` means either year: a report has only one.
fn merge_repeated_filters(parsed: &mut ParsedQuery) {
    let mut merged: Vec<Vec<Clause>> = Vec::new();
    for group in parsed.required.drain(..) {
        let same_field =
            group_field(&group).and_then(|field| merged.iter_mut().find(|g| group_field(g) == Some(field)));
        match same_field {
            Some(existing) => existing.extend(group),
            None => merged.push(group),
        }
    }
    parsed.required = merged;
}

/// The field of a group made only of filters on one field.
fn group_field(group: &[Clause]) -> Option<FilterField> {
    let mut fields = group.iter().map(|c| match c {
        Clause::Years(..) => Some(FilterField::Year),
        Clause::Value(field, _) => Some(*field),
        Clause::Text(_) => None,
    });
    let first = fields.next()??;
    fields.all(|f| f == Some(first)).then_some(first)
}

/// The query with the operators a Chinese input method types in their ASCII
/// forms: full-width －, ＋, ＊, ｛｝, ：, ，, ．and digits (`year:２０２０`,
/// `坚持｛０，６｝发展`). The ideographic space is white space already.
/// Chinese quotes are read by the lexer (`closing_quotes`), which knows
/// where a phrase starts: a “ inside a phrase or a word is text.
pub fn ascii_syntax(query: &str) -> String {
    query
        .chars()
        .map(|c| match c {
            '－' => '-',
            '＋' => '+',
            '＊' => '*',
            '｛' => '{',
            '｝' => '}',
            '：' => ':',
            '，' => ',',
            '．' => '.',
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn lex(query: &str) -> Result<Vec<Piece>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-';
        if negated {
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                return Err(error(Problem::DashAlone));
            }
        }
        let (clause, end) = if let Some(closers) = closing_quotes(chars[i]) {
            let (text, end) = quoted(&chars, i, closers)?;
            (text_clause(text)?, end)
        } else {
            let end = (i..chars.len()).find(|&j| chars[j].is_whitespace()).unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            // `or` and `and` in any case are the operators people type;
            // words are joined by AND anyway. Quote them to find the words.
            if !negated && word.eq_ignore_ascii_case("OR") {
                pieces.push(Piece::Or);
                i = end;
                continue;
            }
            if !negated && word.eq_ignore_ascii_case("AND") {
                i = end;
                continue;
            }
            match filter(&chars, i, end)? {
                Some((clause, end)) => (clause, end),
                None => {
                    if word.contains('"') {
                        return Err(error(Problem::QuoteInWord { word: word.clone() }));
                    }
                    (text_clause(word)?, end)
                }
            }
        };
        pieces.push(Piece::Clause { negated, clause });
        i = end;
    }
    Ok(pieces)
}

/// The text between a quote at `open` and its closing quote.
/// The marks that close a phrase opened by `open`, if `open` opens one: the
/// ASCII quote, and the quotes a Chinese input method types (“…”, 「…」,
/// 『…』, ＂…＂).
fn closing_quotes(open: char) -> Option<&'static [char]> {
    match open {
        '"' => Some(&['"']),
        '＂' => Some(&['＂', '"']),
        '“' => Some(&['”', '"']),
        '「' => Some(&['」']),
        '『' => Some(&['』']),
        _ => None,
    }
}

fn quoted(chars: &[char], open: usize, closers: &[char]) -> Result<(String, usize), QueryError> {
    match (open + 1..chars.len()).find(|&j| closers.contains(&chars[j])) {
        Some(close) => Ok((chars[open + 1..close].iter().collect(), close + 1)),
        None => Err(error(Problem::QuoteNotClosed { rest: chars[open..].iter().collect() })),
    }
}

fn text_clause(text: String) -> Result<Clause, QueryError> {
    Pattern::parse(&text).map_err(error)?;
    if phrase_terms(&text).terms.is_empty() {
        let shown = if text.trim().is_empty() { "\"\"".to_owned() } else { format!("`{text}`") };
        return Err(error(Problem::NothingToSearch { shown }));
    }
    Ok(Clause::Text(text))
}

/// A `field:value` starting at `start`, if the word is one. A word that only
/// looks like a misspelt filter (`yaer:2020`) is an error, not wording.
fn filter(chars: &[char], start: usize, word_end: usize) -> Result<Option<(Clause, usize)>, QueryError> {
    let Some(colon) = (start..word_end).find(|&j| chars[j] == ':' || chars[j] == '：') else {
        return Ok(None);
    };
    let name: String = chars[start..colon].iter().collect();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    let names = FilterField::ALL.map(FilterField::name);
    let Some(field) = FilterField::ALL.into_iter().find(|f| f.name() == name.to_ascii_lowercase()) else {
        return match crate::closest(&name.to_ascii_lowercase(), names) {
            Some(suggestion) => Err(error(Problem::UnknownFilter {
                name,
                suggestion: suggestion.to_owned(),
                filters: names.map(|n| format!("{n}:")).join(", "),
            })),
            None => Ok(None),
        };
    };
    let closers = chars.get(colon + 1).and_then(|&c| closing_quotes(c));
    let (value, end) = if let Some(closers) = closers {
        quoted(chars, colon + 1, closers)?
    } else {
        (chars[colon + 1..word_end].iter().collect(), word_end)
    };
    let value = value.trim().to_owned();
    if value.is_empty() {
        return Err(error(Problem::FilterWithoutValue { name: field.name().to_owned() }));
    }
    let clause = match field {
        FilterField::Year => years(&value)?,
        _ => Clause::Value(field, value),
    };
    Ok(Some((clause, end)))
}

fn years(value: &str) -> Result<Clause, QueryError> {
    let bad = || error(Problem::NotYears { value: value.to_owned() });
    let year = |s: &str| -> Result<Bound<i64>, QueryError> {
        if s.is_empty() {
            return Ok(Bound::Unbounded);
        }
        match s.parse::<i64>() {
            Ok(y) if (0..=9999).contains(&y) => Ok(Bound::Included(y)),
            _ => Err(bad()),
        }
    };
    let Some((from, to)) = value.split_once("..") else {
        let single = year(value)?;
        if single == Bound::Unbounded {
            return Err(bad());
        }
        return Ok(Clause::Years(single, single));
    };
    let (from, to) = (year(from)?, year(to)?);
    if let (Bound::Included(a), Bound::Included(b)) = (from, to)
        && a > b
    {
        return Err(error(Problem::YearsBackwards { value: value.to_owned(), from: a, to: b }));
    }
    if from == Bound::Unbounded && to == Bound::Unbounded {
        return Err(bad());
    }
    Ok(Clause::Years(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Clause {
        Clause::Text(t.into())
    }

    #[test]
    fn words_phrases_exclusions_and_or() {
        let q = parse("打通供应链 \"疫情 防控\" -扶贫 新冠 OR 非典").unwrap();
        assert_eq!(
            q.required,
            vec![vec![text("打通供应链")], vec![text("疫情 防控")], vec![text("新冠"), text("非典")]]
        );
        assert_eq!(q.excluded, vec![text("扶贫")]);
        // Typed in lower case, or with the AND that is implied anyway.
        assert_eq!(parse("新冠 or 非典 and 疫情").unwrap(), parse("新冠 OR 非典 疫情").unwrap());
        assert_eq!(parse("\"or\"").unwrap().required, vec![vec![text("or")]]);
    }

    #[test]
    fn filters() {
        let q = parse("year:2018..2021 body:\"某区 人大\" level：省级 year:2023 period:年度").unwrap();
        assert_eq!(
            q.required,
            vec![
                vec![
                    Clause::Years(Bound::Included(2018), Bound::Included(2021)),
                    Clause::Years(Bound::Included(2023), Bound::Included(2023))
                ],
                vec![Clause::Value(FilterField::Body, "某区 人大".into())],
                vec![Clause::Value(FilterField::Level, "省级".into())],
                vec![Clause::Value(FilterField::Period, "年度".into())],
            ]
        );
        assert_eq!(
            parse("year:..2019").unwrap().required[0],
            vec![Clause::Years(Bound::Unbounded, Bound::Included(2019))]
        );
    }

    #[test]
    fn mistakes_are_named() {
        let message = |q: &str| parse(q).unwrap_err().message;
        assert_eq!(message(""), "the query is empty");
        assert_eq!(message("   "), "the query is empty");
        assert!(message("\"疫情防控").contains("not closed"));
        assert!(message("yaer:2020").contains("unknown filter `yaer:`"));
        assert!(parse("yaer:2020").unwrap_err().help.contains("year:"));
        assert!(message("year:二〇二〇").contains("not a year"));
        assert!(message("year:2021..2018").contains("backwards"));
        assert!(message("year:").contains("no value"));
        assert!(message("-扶贫").contains("only excludes"));
        assert!(message("OR 疫情").contains("OR"));
        assert!(message("疫情 OR").contains("OR"));
        assert!(message("疫情 - 防控").contains("`-`"));
        assert!(message("，。").contains("nothing to search for"));
        assert!(message("疫\"情").contains("quote"));
        assert!(message(&"字".repeat(6000)).contains("too long"));
        assert!(typed_length(&format!("  {}  ", "字".repeat(1000))).is_ok());
        assert_eq!(typed_length(&"字".repeat(1001)), Err(Problem::TooLong { chars: 1001, max: MAX_QUERY_CHARS }));
    }

    /// What a Chinese input method types is the query language's own.
    #[test]
    fn chinese_quotes_and_full_width_operators() {
        let phrase = parse("\"疫情 防控\"").unwrap();
        for typed in ["“疫情 防控”", "「疫情 防控」", "『疫情 防控』", "＂疫情 防控＂"] {
            assert_eq!(parse(typed).unwrap(), phrase, "{typed}");
        }
        assert_eq!(parse("“疫情防控” －扶贫").unwrap(), parse("\"疫情防控\" -扶贫").unwrap());
        assert_eq!(parse("疫情\u{3000}防控").unwrap(), parse("疫情 防控").unwrap());
        assert_eq!(parse("year：２０２０").unwrap(), parse("year:2020").unwrap());
        assert_eq!(parse("坚持｛０，６｝发展").unwrap(), parse("坚持{0,6}发展").unwrap());
        // An unclosed “ is told as an unclosed ".
        assert!(matches!(parse("“疫情防控").unwrap_err().problem, Problem::QuoteNotClosed { .. }));
        // Inside a phrase or a word a Chinese quote is text, as in the reports.
        assert_eq!(parse("\"“疫\"").unwrap().required, vec![vec![text("“疫")]]);
        assert_eq!(parse("坚持“两个确立”").unwrap().required, vec![vec![text("坚持“两个确立”")]]);
        assert_eq!(parse("「“疫情”防控」").unwrap().required, vec![vec![text("“疫情”防控")]]);
    }

    #[test]
    fn words_with_colons_that_are_not_filters_stay_words() {
        assert_eq!(parse("http://example.org").unwrap().required, vec![vec![text("http://example.org")]]);
        assert_eq!(parse("时间:2020").unwrap().required, vec![vec![text("时间:2020")]]);
    }
}
