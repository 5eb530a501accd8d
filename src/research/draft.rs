//! Checking a draft against the archive (公文校核): for each sentence of the
//! draft, the archive's sentences most like it (precedents), the
//! formulations it uses that the archive stopped using (outdated), and the
//! wording no report of the archive uses (new).
//!
//! One pass counts, in every report of the scope, every unit of the draft
//! (runs of whole words of 4 to 16 Han characters, as the research views
//! show them) and every clause (the probes that find near sentences), by the
//! search's rule (`scope`). The flags come from those counts; precedents are
//! read in the reports a sentence's clauses occur in. Nothing of the draft
//! is kept.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde::Serialize;

use super::{scope, units, variants};
use crate::analysis::words;
use crate::search::SearchIndex;
use crate::search::analyzer::{Class, classify, normalize};
use crate::search::messages::Problem;
use crate::search::query;
use crate::search::searcher::{SearchError, StoredReport, anchored};
use crate::shared::limits::MAX_DRAFT_CHARS;

/// The last years a formulation must be absent from to be outdated.
pub const DEFAULT_RECENT: usize = 5;
/// The shortest unit flagged, in characters.
const MIN_UNIT_CHARS: usize = 4;
/// An outdated formulation was used in at least this many reports.
const MIN_REPORTS: usize = 3;
/// Precedents shown for a sentence.
const MAX_PRECEDENTS: usize = 5;
/// Reports read for a sentence's precedents: those holding most of its clauses.
const MAX_REPORTS_READ: usize = 12;
/// A near sentence at least this alike (see `similarity`).
const MIN_SIMILARITY: f64 = 0.5;
/// A clause shorter than this finds too much to be a probe.
const MIN_PROBE_CHARS: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct DraftCheck {
    pub sentences: Vec<SentenceCheck>,
    /// The latest year of the reports checked against; the `recent` years up
    /// to it are the ones an outdated formulation is absent from.
    pub latest_year: Option<i64>,
    pub recent: usize,
    /// Reports checked against (all, or the body's).
    pub reports: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentenceCheck {
    pub text: String,
    pub precedents: Vec<Precedent>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Precedent {
    /// The report page, at the paragraph.
    pub url: String,
    pub title: String,
    pub year: i64,
    pub body: String,
    /// 1 for the same sentence; else how much of both the longest common
    /// run of characters covers (2·LCS / (a + b)).
    pub similarity: f64,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    Outdated,
    New,
}

#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub text: String,
    /// Outdated: the last year a report used it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_year: Option<i64>,
    /// Outdated: the form of the same frame used most since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Outdated: the reports that used it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<usize>,
}

/// The sentences of a draft: cut after 。！？； (and at line ends), each
/// with at least two Han characters.
pub fn sentences(draft: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in draft.lines() {
        let mut sentence = String::new();
        for c in line.chars() {
            sentence.push(c);
            if "。！？；!?;".contains(c) {
                push_sentence(&mut found, &mut sentence);
            }
        }
        push_sentence(&mut found, &mut sentence);
    }
    found
}

fn push_sentence(found: &mut Vec<String>, sentence: &mut String) {
    let text = sentence.trim();
    if text.chars().filter(|&c| classify(c) == Class::Cjk).count() >= 2 {
        found.push(text.to_owned());
    }
    sentence.clear();
}

/// Checks `draft` against the reports of the archive (of `body` only, if
/// given); `recent`: the last years an outdated formulation is absent from.
pub fn check(index: &SearchIndex, draft: &str, body: Option<&str>, recent: usize) -> Result<DraftCheck, SearchError> {
    check_with(index, draft, body, recent, &Mutex::new(Memory::default()))
}

/// What checks learnt of one scope of one index generation: the year of
/// each report and which reports hold each unit and clause asked about. A
/// drafter checks, edits a few sentences and checks again: the next check
/// looks up only what is new, in the index, instead of reading every
/// report again.
#[derive(Default)]
pub struct Memory {
    /// The index (its address), its generation and the scope.
    key: Option<(usize, u64, String)>,
    years: Vec<i64>,
    holders: HashMap<String, Vec<u32>>,
}

/// Patterns a warm check looks up one by one in the index; beyond this it
/// reads every report once (as a cold check does).
const MAX_LOOKUPS: usize = 150;
/// Patterns remembered at most; beyond this the memory starts again.
const MAX_REMEMBERED: usize = 200_000;

/// [`check`] with what earlier checks remembered (`wenku serve` keeps one).
pub fn check_with(
    index: &SearchIndex,
    draft: &str,
    body: Option<&str>,
    recent: usize,
    memory: &Mutex<Memory>,
) -> Result<DraftCheck, SearchError> {
    let chars = draft.chars().count();
    if chars > MAX_DRAFT_CHARS {
        return Err(query::QueryError::from(Problem::DraftTooLong { chars, max: MAX_DRAFT_CHARS }).into());
    }
    let sentences = sentences(draft);
    if sentences.is_empty() {
        return Err(query::QueryError::from(Problem::DraftEmpty).into());
    }
    let recent = recent.max(1);
    let scope_query = body.map(|b| format!("body:{b}")).unwrap_or_default();
    let filters = match body {
        Some(_) => query::parse(&scope_query).map_err(SearchError::from)?.filters(),
        None => query::ParsedQuery::default(),
    };
    let (searcher, docs) = index.in_scope(&filters)?;

    // Every unit and clause of the draft.
    let per_sentence: Vec<(Vec<String>, Vec<String>)> =
        sentences.iter().map(|s| (units_of_sentence(s), probes_of_sentence(s))).collect();
    let mut patterns: Vec<String> = Vec::new();
    let mut seen: HashSet<&String> = HashSet::new();
    for (units, probes) in &per_sentence {
        for pattern in units.iter().chain(probes) {
            if seen.insert(pattern) {
                patterns.push(pattern.clone());
            }
        }
    }
    let mut memory = memory.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let key = (index as *const SearchIndex as usize, index.generation(), scope_query.clone());
    if memory.key.as_ref() != Some(&key) || memory.holders.len() > MAX_REMEMBERED {
        *memory = Memory { key: Some(key), ..Memory::default() };
    }
    let unknown: Vec<String> = patterns.iter().filter(|p| !memory.holders.contains_key(*p)).cloned().collect();
    if memory.years.is_empty() || unknown.len() > MAX_LOOKUPS {
        // One pass over every report of the scope.
        let counted = scope::count_in(index, &searcher, &docs, &unknown)?;
        memory.years = counted.reports.iter().map(|r| r.year).collect();
        let mut holders: Vec<Vec<u32>> = vec![Vec::new(); unknown.len()];
        for (report, counts) in counted.counts.iter().enumerate() {
            for &(pattern, _) in counts {
                holders[pattern as usize].push(report as u32);
            }
        }
        memory.holders.extend(unknown.into_iter().zip(holders));
    } else {
        // A few: each looked up in the index as an exact phrase.
        let number: HashMap<tantivy::DocAddress, u32> =
            docs.iter().enumerate().map(|(i, &address)| (address, i as u32)).collect();
        for pattern in unknown {
            let matching = index.matching(&format!("\"{pattern}\" {scope_query}"))?;
            let mut holders: Vec<u32> =
                matching.docs.iter().filter_map(|address| number.get(address).copied()).collect();
            holders.sort_unstable();
            memory.holders.insert(pattern, holders);
        }
    }
    let years = &memory.years;
    let holders = &memory.holders;
    let latest_year = years.iter().copied().filter(|&y| y > 0).max();
    let mut read: HashMap<u32, StoredReport> = HashMap::new();
    let mut checked = Vec::with_capacity(sentences.len());
    for (sentence, (units, probes)) in sentences.iter().zip(&per_sentence) {
        let holders_of = |pattern: &String| &holders[pattern];
        // New wording: a unit no report uses that begins and ends with words
        // of content (智慧河湖一网统管); a pronoun or an auxiliary meeting a
        // common phrase (我们要全面建设, 我局坚持) is no new wording.
        let coined = |unit: &String| holders_of(unit).is_empty() && has_content_edges(unit);
        let mut flags = new_wording(&normalize(sentence), units, coined);
        if let Some(latest) = latest_year {
            let years_of = |unit: &String| -> Vec<i64> {
                holders_of(unit).iter().map(|&r| years[r as usize]).filter(|&y| y > 0).collect()
            };
            for (unit, last_year, reports) in outdated(units, years_of, latest, recent) {
                let replaced_by = replacement(index, &scope_query, &unit, last_year)?;
                flags.push(Flag {
                    kind: FlagKind::Outdated,
                    text: unit,
                    last_year: Some(last_year),
                    replaced_by,
                    reports: Some(reports),
                });
            }
        }
        let precedents = precedents(index, &searcher, &docs, years, sentence, probes, &holders_of, &mut read)?;
        checked.push(SentenceCheck { text: sentence.clone(), precedents, flags });
    }
    Ok(DraftCheck { sentences: checked, latest_year, recent, reports: docs.len() })
}

/// The units of a sentence: runs of whole words of 4 to 16 Han characters
/// in a clause, not begun or ended by a particle (normalized).
fn units_of_sentence(sentence: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    for clause in sentence.split(|c: char| classify(c) != Class::Cjk) {
        if clause.chars().count() < MIN_UNIT_CHARS {
            continue;
        }
        let cuts = words::boundaries(clause);
        for (i, &from) in cuts.iter().enumerate() {
            for &to in &cuts[i + 1..] {
                let length = clause[from..to].chars().count();
                if length > units::MAX_CHARS {
                    break;
                }
                let unit = normalize(&clause[from..to]);
                let chars: Vec<char> = unit.chars().collect();
                if length >= MIN_UNIT_CHARS
                    && crate::analysis::novel::reads_as_a_phrase(&chars)
                    && seen.insert(unit.clone())
                {
                    found.push(unit);
                }
            }
        }
    }
    found
}

/// Words of grammar, not of content: pronouns, auxiliaries, prepositions,
/// conjunctions and adverbs of degree or time (a closed class of the
/// language). A unit that begins or ends with one is a junction, not a term.
const FUNCTION_WORDS: &[&str] = &[
    "我",
    "我们",
    "你",
    "你们",
    "他",
    "他们",
    "它",
    "其",
    "这",
    "那",
    "此",
    "该",
    "各",
    "每",
    "我局",
    "本局",
    "我市",
    "本市",
    "我省",
    "本省",
    "我区",
    "本区",
    "我县",
    "本县",
    "本单位",
    "要",
    "将",
    "会",
    "能",
    "应",
    "应当",
    "应该",
    "可",
    "可以",
    "必须",
    "需要",
    "把",
    "被",
    "让",
    "使",
    "对",
    "向",
    "在",
    "从",
    "以",
    "为",
    "与",
    "和",
    "及",
    "并",
    "而",
    "又",
    "也",
    "都",
    "还",
    "就",
    "才",
    "再",
    "更",
    "很",
    "最",
    "已",
    "已经",
    "正在",
    "的",
    "地",
    "得",
    "了",
    "着",
    "过",
    "是",
    "有",
    "等",
    "于",
    "由",
    "之",
    "所",
    "如",
    "若",
    "则",
    "但",
    "或",
];

/// Whether `unit`'s first and last words carry content (see `FUNCTION_WORDS`).
fn has_content_edges(unit: &str) -> bool {
    let cuts = words::boundaries(unit);
    let (Some(first), Some(last)) = (cuts.get(1), cuts.len().checked_sub(2).and_then(|i| cuts.get(i))) else {
        return false;
    };
    let content = |word: &str| !FUNCTION_WORDS.contains(&word);
    content(&unit[..*first]) && content(&unit[*last..])
}

/// The clauses that find a sentence's precedents: those of six characters
/// or more (normalized), or the sentence itself if it has none.
fn probes_of_sentence(sentence: &str) -> Vec<String> {
    // Runs of Han characters, letters and digits: a clause without its
    // quotes and brackets, as an exact phrase finds it.
    let normalized = normalize(sentence);
    let runs =
        || normalized.split(|c: char| classify(c) != Class::Cjk && !c.is_alphanumeric()).filter(|r| !r.is_empty());
    let mut probes: Vec<String> =
        runs().filter(|run| run.chars().count() >= MIN_PROBE_CHARS).map(str::to_owned).collect();
    if probes.is_empty() {
        probes.extend(
            runs()
                .max_by_key(|run| run.chars().count())
                .filter(|run| run.chars().count() >= MIN_UNIT_CHARS)
                .map(str::to_owned),
        );
    }
    probes.dedup();
    probes
}

/// The units no report uses, shortest kept (a unit holding another new
/// one is not listed: the new part is the shorter), and those that overlap or touch
/// in the sentence shown as one stretch (`友好型滨水` + `型滨水空间`).
fn new_wording(sentence: &str, units: &[String], unused: impl Fn(&String) -> bool) -> Vec<Flag> {
    let new: Vec<&String> = units.iter().filter(|u| unused(u)).collect();
    let mut spans: Vec<(usize, usize)> = new
        .iter()
        .filter(|unit| !new.iter().any(|other| other.len() < unit.len() && unit.contains(other.as_str())))
        .filter_map(|unit| sentence.find(unit.as_str()).map(|at| (at, at + unit.len())))
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
        .into_iter()
        .map(|(from, to)| Flag {
            kind: FlagKind::New,
            text: sentence[from..to].to_owned(),
            last_year: None,
            replaced_by: None,
            reports: None,
        })
        .collect()
}

/// The units used in at least `MIN_REPORTS` reports of known year, none of
/// them in the `recent` years up to `latest`: `(unit, last year, reports)`,
/// longest first kept (one inside another listed is not listed).
fn outdated(
    units: &[String],
    years_of: impl Fn(&String) -> Vec<i64>,
    latest: i64,
    recent: usize,
) -> Vec<(String, i64, usize)> {
    let since = latest - recent as i64;
    let found: Vec<(String, i64, usize)> = units
        .iter()
        .filter_map(|unit| {
            let years = years_of(unit);
            let last = *years.iter().max()?;
            (years.len() >= MIN_REPORTS && last <= since).then(|| (unit.clone(), last, years.len()))
        })
        .collect();
    found
        .iter()
        .filter(|(unit, ..)| !found.iter().any(|(other, ..)| other.len() > unit.len() && other.contains(unit.as_str())))
        .cloned()
        .collect()
}

/// What took an outdated unit's place: the form most used since its last
/// year that keeps its first two and last two characters and changes what
/// is between (全面建设小康社会 → 全面建成小康社会).
fn replacement(index: &SearchIndex, scope: &str, unit: &str, last_year: i64) -> Result<Option<String>, SearchError> {
    let chars: Vec<char> = unit.chars().collect();
    if chars.len() < 4 {
        return Ok(None);
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    // Up to as many characters between as the unit has in all; a form that
    // keeps at least two thirds of them (not 构建老年友好型社会 for
    // 构建社会主义和谐社会, which keeps its frame only).
    let gap = chars.len();
    let query = format!("{head}{{0,{gap}}}{tail} year:{}..9999 {scope}", last_year + 1);
    let found = match super::occurrences(index, &query, super::DEFAULT_WIDTH) {
        Ok(found) => found,
        Err(SearchError::Query(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let unit = normalize(unit);
    // The same frame: about as long (全面建成小康社会 for 全面建设小康社会).
    let about_as_long = |text: &str| text.chars().count().abs_diff(chars.len()) <= 2;
    let best = variants::variants(&found)
        .variants
        .into_iter()
        .filter(|v| {
            let text = normalize(&v.text);
            // The same frame: its head and tail (not a longer phrase the gap ran into).
            text != unit
                && text.starts_with(&head)
                && text.ends_with(&tail)
                && v.reports >= 2
                && about_as_long(&text)
                && common_chars(&chars, &text) * 3 >= chars.len() * 2
        })
        // Most of its characters kept, in order; then the most used.
        .max_by_key(|v| (common_chars(&chars, &v.text), v.count, std::cmp::Reverse(v.text.clone())));
    Ok(best.map(|v| v.text))
}

/// The archive's sentences most like `sentence`, read in the reports that
/// hold most of its probes: the same sentence first, then by similarity and
/// recency.
#[allow(clippy::too_many_arguments)]
fn precedents<'a>(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    docs: &[tantivy::DocAddress],
    years: &[i64],
    sentence: &str,
    probes: &[String],
    holders_of: &impl Fn(&String) -> &'a Vec<u32>,
    read: &mut HashMap<u32, StoredReport>,
) -> Result<Vec<Precedent>, SearchError> {
    let mut hits: HashMap<u32, usize> = HashMap::new();
    for probe in probes {
        for &report in holders_of(probe) {
            *hits.entry(report).or_default() += 1;
        }
    }
    let mut reports: Vec<(u32, usize)> = hits.into_iter().collect();
    let year = |r: u32| years[r as usize];
    reports.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| year(b.0).cmp(&year(a.0))).then(a.0.cmp(&b.0)));
    reports.truncate(MAX_REPORTS_READ);
    let wanted = comparable(sentence);
    let mut found: Vec<Precedent> = Vec::new();
    for (report, _) in reports {
        if let std::collections::hash_map::Entry::Vacant(slot) = read.entry(report) {
            slot.insert(index.stored(searcher, docs[report as usize])?);
        }
        let stored = &read[&report];
        let mut best: Option<(f64, usize, &str)> = None;
        for (offset, candidate) in sentences_with_offsets(&stored.text) {
            let normalized = normalize(candidate);
            if !probes.iter().any(|p| normalized.contains(p.as_str())) {
                continue;
            }
            // The run of the sentence's clauses most like the draft's (a
            // long sentence may say it among other things).
            for (score, span) in
                clause_runs(candidate, wanted.len()).map(|span| (similarity(&wanted, &comparable(span)), span))
            {
                if score >= MIN_SIMILARITY && best.is_none_or(|(b, ..)| score > b) {
                    best = Some((score, offset, span));
                }
            }
        }
        if let Some((score, offset, text)) = best {
            found.push(Precedent {
                url: anchored(&stored.url, super::anchor_at(stored, offset)),
                title: stored.title.clone(),
                year: stored.year,
                body: stored.body.clone(),
                similarity: (score * 1000.0).round() / 1000.0,
                text: text.to_owned(),
            });
        }
    }
    found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then_with(|| b.year.cmp(&a.year)));
    found.truncate(MAX_PRECEDENTS);
    Ok(found)
}

/// The sentences of a report's text (one paragraph a line) with their byte
/// offsets.
fn sentences_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        if c == '\n' || "。！？；!?;".contains(c) {
            let piece = &text[start..if c == '\n' { at } else { end }];
            if !piece.trim().is_empty() {
                found.push((start, piece.trim()));
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        found.push((start, text[start..].trim()));
    }
    found
}

/// The runs of consecutive clauses of `sentence` (cut after ，；：、) from
/// half to twice `length` characters long, and the whole sentence.
fn clause_runs(sentence: &str, length: usize) -> impl Iterator<Item = &str> {
    let mut ends: Vec<usize> =
        sentence.char_indices().filter(|(_, c)| "，；：、,;:".contains(*c)).map(|(at, c)| at + c.len_utf8()).collect();
    ends.push(sentence.len());
    ends.dedup();
    let starts: Vec<usize> = std::iter::once(0).chain(ends.iter().copied().filter(|&e| e < sentence.len())).collect();
    let fits = move |span: &str| {
        let n = span.chars().count();
        n * 2 >= length && n <= length * 2
    };
    let runs: Vec<&str> = starts
        .iter()
        .flat_map(|&from| ends.iter().filter(move |&&to| to > from).map(move |&to| &sentence[from..to]))
        .filter(|span| fits(span))
        .collect();
    runs.into_iter().chain(std::iter::once(sentence))
}

/// A sentence as compared: normalized, its Han characters, letters and
/// digits only (punctuation does not make two sentences differ).
fn comparable(sentence: &str) -> Vec<char> {
    normalize(sentence).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The characters `text` has in common with `unit`, in order (the LCS).
fn common_chars(unit: &[char], text: &str) -> usize {
    let text: Vec<char> = text.chars().collect();
    (similarity(unit, &text) * (unit.len() + text.len()) as f64 / 2.0).round() as usize
}

/// 2·LCS / (|a| + |b|) over characters, where LCS is the longest common
/// subsequence: 1 for the same sentence; a clause inserted or a few
/// characters changed keep it high.
pub fn similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut previous = vec![0u32; b.len() + 1];
    let mut current = vec![0u32; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            current[j + 1] = if x == y { previous[j] + 1 } else { current[j].max(previous[j + 1]) };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    2.0 * previous[b.len()] as f64 / (a.len() + b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_cut_into_sentences_with_han_characters() {
        let draft = "一、总体情况\n今年以来，我们坚持稳中求进。全面推进改革！OK\n\n  ";
        assert_eq!(sentences(draft), ["一、总体情况", "今年以来，我们坚持稳中求进。", "全面推进改革！"]);
    }

    #[test]
    fn similarity_is_one_for_the_same_and_high_for_a_clause_inserted() {
        let a = comparable("坚持稳中求进工作总基调。");
        assert_eq!(similarity(&a, &a), 1.0);
        let b = comparable("坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。");
        assert!(similarity(&a, &b) > 0.55, "{}", similarity(&a, &b));
        assert!(similarity(&a, &comparable("扎实推进乡村振兴。")) < 0.3);
    }

    #[test]
    fn units_are_whole_words_of_four_characters_or_more() {
        let units = units_of_sentence("全面建设小康社会，坚持以人民为中心。");
        assert!(units.contains(&"全面建设小康社会".to_owned()), "{units:?}");
        assert!(units.contains(&"以人民为中心".to_owned()), "{units:?}");
        assert!(!units.iter().any(|u| u == "以人民为" || u == "民为中心"), "{units:?}");
    }

    #[test]
    fn a_unit_begun_or_ended_by_a_word_of_grammar_is_a_junction() {
        assert!(has_content_edges("智慧河湖"));
        assert!(!has_content_edges("我们要全面建设"));
        assert!(!has_content_edges("全面建设的"));
        assert!(!has_content_edges("要全面建设"));
    }

    #[test]
    fn new_wording_keeps_the_shortest_and_outdated_the_longest() {
        let units: Vec<String> = ["甲乙丙丁", "甲乙丙丁戊", "子丑寅卯"].iter().map(|s| s.to_string()).collect();
        let new: Vec<String> =
            new_wording("甲乙丙丁戊，子丑寅卯", &units, |u| u.starts_with('甲')).into_iter().map(|f| f.text).collect();
        assert_eq!(new, ["甲乙丙丁"]);
        let overlapping: Vec<String> = ["友好型滨水", "型滨水空间"].iter().map(|s| s.to_string()).collect();
        let new: Vec<String> =
            new_wording("打造青年友好型滨水空间。", &overlapping, |_| true).into_iter().map(|f| f.text).collect();
        assert_eq!(new, ["友好型滨水空间"]);
        let years = |u: &String| if u.starts_with('甲') { vec![2001, 2003, 2005] } else { vec![2001, 2024] };
        let old: Vec<String> = outdated(&units, years, 2024, 5).into_iter().map(|(u, ..)| u).collect();
        assert_eq!(old, ["甲乙丙丁戊"]);
    }
}
