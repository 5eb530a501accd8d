//! Wording with gaps, for formulations that vary in the middle:
//!
//! | syntax | meaning |
//! | --- | --- |
//! | `坚持*发展` | 坚持, then any characters within the same sentence, then 发展 |
//! | `坚持{0,6}发展` | at most 6 characters between them (`{2,6}`: 2 to 6; `{3}`: exactly 3; `{2,}`: at least 2) |
//!
//! A gap never crosses the end of a sentence (。！？； and their ASCII forms)
//! or of a paragraph. What lies between the parts is counted as the index
//! counts positions: a Han character is one, and so is a Latin word or a
//! number (`2020`) and a run of spaces and punctuation. So the static index
//! can check a gap with positions alone, as the server checks it in the
//! text. When one
//! start could reach several ends, the nearest end is the match, and of
//! starts that reach the same end, the nearest start: `坚持A坚持B发展` gives
//! `坚持B发展`.
//!
//! The index finds the reports that hold every part; the text decides
//! (see [`Pattern::find`]), so matches are exact.

use memchr::memmem::Finder;

use crate::analyzer::{Class, NormChar, classify, find_phrase, for_each_matchable, normalize, phrase_terms};
use crate::messages::Problem;

/// What ends a sentence, so that no gap runs past it.
pub const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n', '\r'];

/// Room between two parts, in index positions (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub min: usize,
    /// `None`: as far as the sentence goes.
    pub max: Option<usize>,
}

/// Wording to find: parts in order, with gaps between them. A plain phrase
/// is one part and no gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Each part normalized, as the text is.
    pub parts: Vec<String>,
    /// One fewer than `parts`.
    pub gaps: Vec<Gap>,
}

/// Text normalized for matching, with the way back to the original bytes.
pub struct Normalized<'a> {
    pub original: &'a str,
    pub text: String,
    origins: Vec<NormChar>,
    /// Byte offset in `text` of each character.
    char_starts: Vec<usize>,
    /// The index position of each character, counted from the first: a
    /// run of word characters (a Latin word, a number) shares one.
    positions: Vec<usize>,
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Normalized<'a> {
        let mut text = String::with_capacity(original.len());
        let mut origins = Vec::with_capacity(original.len() / 2);
        let mut char_starts = Vec::with_capacity(original.len() / 2);
        let mut positions = Vec::with_capacity(original.len() / 2);
        let mut previous_is_word = false;
        for_each_matchable(original, |c, origin| {
            let is_word = classify(c) == Class::Word;
            let position = positions.last().map_or(0, |&p| if is_word && previous_is_word { p } else { p + 1 });
            previous_is_word = is_word;
            positions.push(position);
            char_starts.push(text.len());
            text.push(c);
            origins.push(origin);
        });
        Normalized { original, text, origins, char_starts, positions }
    }

    /// The index position of the character starting at (or after) byte `at`.
    fn position(&self, at: usize) -> usize {
        let index = self.char_index(at);
        self.positions.get(index).copied().unwrap_or_else(|| self.positions.last().map_or(0, |&p| p + 1))
    }

    /// Which character of `text` starts at (or after) byte `at`.
    fn char_index(&self, at: usize) -> usize {
        self.char_starts.partition_point(|&s| s < at)
    }

    /// The bytes of the original text that normalized bytes `start..end` came from.
    pub fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let (first, after) = (self.char_index(start), self.char_index(end));
        (first < after).then(|| (self.origins[first].from, self.origins[after - 1].to))
    }

    /// The original text between the end of one match and the start of the next.
    fn original_between(&self, end: usize, start: usize) -> &str {
        let (last, next) = (self.char_index(end), self.char_index(start));
        let from = if last == 0 { 0 } else { self.origins[last - 1].to };
        let to = self.origins.get(next).map_or(self.original.len(), |n| n.from);
        self.original.get(from..to.max(from)).unwrap_or("")
    }
}

impl Pattern {
    /// The pattern of a query's wording. Wording without gaps is one part.
    pub fn parse(text: &str) -> Result<Pattern, Problem> {
        let chars: Vec<char> = text.chars().collect();
        let mut parts = vec![String::new()];
        let mut gaps = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let gap = match chars[i] {
                '*' | '＊' => Some((Gap { min: 0, max: None }, i + 1)),
                '{' | '｛' => braces(&chars, i)?,
                _ => None,
            };
            match gap {
                Some((gap, end)) => {
                    if parts.last().is_some_and(|p| p.trim().is_empty()) {
                        // `**` is one gap; a gap first is caught below.
                        if let Some(previous) = gaps.last_mut().filter(|_| parts.len() > 1) {
                            *previous = merge(*previous, gap);
                            i = end;
                            continue;
                        }
                    }
                    gaps.push(gap);
                    parts.push(String::new());
                    i = end;
                }
                None => {
                    parts.last_mut().expect("there is always a part").push(chars[i]);
                    i += 1;
                }
            }
        }
        if gaps.is_empty() {
            return Ok(Pattern { parts: vec![normalize(text)], gaps });
        }
        if parts.first().is_some_and(|p| phrase_terms(p).terms.is_empty())
            || parts.last().is_some_and(|p| phrase_terms(p).terms.is_empty())
        {
            return Err(Problem::GapAtEdge { wording: text.to_owned() });
        }
        if let Some(empty) = parts.iter().find(|p| phrase_terms(p).terms.is_empty()) {
            return Err(Problem::NothingToSearch { shown: format!("`{}`", empty.trim()) });
        }
        Ok(Pattern { parts: parts.iter().map(|p| normalize(p)).collect(), gaps })
    }

    pub fn has_gaps(&self) -> bool {
        !self.gaps.is_empty()
    }

    /// Every match in `text`, as byte ranges of the normalized text, in
    /// order. A phrase's occurrences may overlap (`哈哈` twice in `哈哈哈`).
    pub fn find(&self, text: &Normalized) -> Vec<(usize, usize)> {
        let Some(first) = self.parts.first() else { return Vec::new() };
        let starts = find_phrase(&text.text, first);
        if self.gaps.is_empty() {
            return starts;
        }
        let later: Vec<Vec<(usize, usize)>> = self.parts[1..].iter().map(|p| find_phrase(&text.text, p)).collect();
        let mut found = Vec::new();
        for (n, &(start, first_end)) in starts.iter().enumerate() {
            let Some(end) = self.reach(text, first_end, &later) else { continue };
            // A later start that reaches the same end is nearer: let it match.
            let nearer = starts[n + 1..]
                .iter()
                .take_while(|s| s.1 <= end)
                .any(|&(_, e)| self.reach(text, e, &later).is_some_and(|other| other == end));
            if !nearer {
                found.push((start, end));
            }
        }
        found
    }

    /// Where the pattern ends when its first part ends at `at`, taking each
    /// later part at its nearest place that the gap allows.
    fn reach(&self, text: &Normalized, mut at: usize, later: &[Vec<(usize, usize)>]) -> Option<usize> {
        for (gap, places) in self.gaps.iter().zip(later) {
            let from = text.position(at);
            let first = places.partition_point(|p| p.0 < at);
            let &(start, end) = places[first..].iter().find(|p| text.position(p.0) - from >= gap.min)?;
            let between = text.position(start) - from;
            if gap.max.is_some_and(|max| between > max) || text.original_between(at, start).contains(SENTENCE_ENDS) {
                return None;
            }
            at = end;
        }
        Some(at)
    }
}

/// Where a report's matches can be: normalizing a whole report is most of
/// the work, and most of its sentences cannot hold the wording, since they
/// have no character that normalizes to the wording's first one. Wording
/// without spaces never runs over a sentence's end: its parts hold no
/// punctuation, and a gap stops at one (as [`Pattern::find`] checks in the
/// original text), so each sentence can be normalized on its own.
struct Prefilter {
    /// Each first character's raw forms, as UTF-8.
    finders: Vec<Finder<'static>>,
    /// For each pattern, for each of its characters, the raw forms: a
    /// paragraph lacking one of them cannot hold that pattern.
    required: Vec<Vec<Vec<Finder<'static>>>>,
    /// Some wording may run over a paragraph's end (it holds a space or
    /// punctuation): look at the whole text.
    whole_text: bool,
}

impl Prefilter {
    fn new(patterns: &[Pattern]) -> Prefilter {
        let finders_of = |c: char| -> Vec<Finder<'static>> {
            super::analyzer::raw_forms(c).iter().map(|f| Finder::new(f.to_string().as_bytes()).into_owned()).collect()
        };
        let mut firsts: Vec<char> = patterns.iter().filter_map(|p| p.parts.first()?.chars().next()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let required = patterns
            .iter()
            .map(|p| {
                let mut chars: Vec<char> = p.parts.iter().flat_map(|part| part.chars()).collect();
                chars.sort_unstable();
                chars.dedup();
                chars.into_iter().map(finders_of).collect()
            })
            .collect();
        Prefilter {
            finders: firsts.into_iter().flat_map(finders_of).collect(),
            required,
            whole_text: patterns.iter().any(|p| p.parts.iter().any(|part| part.contains(' '))),
        }
    }

    /// The sentences of `text` (byte ranges, without the character that
    /// ends them) that may hold a match, in order; `None` when the whole
    /// text must be read.
    fn sentences(&self, text: &str) -> Option<Vec<(usize, usize)>> {
        // Astral characters normalize on the slow path; do not guess.
        if self.whole_text || text.bytes().any(|b| b >= 0xF0) {
            return None;
        }
        let bytes = text.as_bytes();
        let mut sentences = Vec::new();
        for finder in &self.finders {
            let mut from = 0;
            while let Some(found) = finder.find(&bytes[from..]) {
                let at = from + found;
                let before = text[..at].char_indices().rev().find(|(_, c)| SENTENCE_ENDS.contains(c));
                let start = before.map_or(0, |(i, c)| i + c.len_utf8());
                let end = text[at..].find(SENTENCE_ENDS).map_or(text.len(), |i| at + i);
                sentences.push((start, end));
                from = end;
            }
        }
        sentences.sort_unstable();
        sentences.dedup();
        let holds = |sentence: &[u8], forms: &Vec<Finder<'static>>| forms.iter().any(|f| f.find(sentence).is_some());
        sentences.retain(|&(start, end)| {
            let sentence = &bytes[start..end];
            self.required.iter().any(|chars| chars.iter().all(|forms| holds(sentence, forms)))
        });
        Some(sentences)
    }
}

/// Several patterns (a query's wording) to find in original text.
pub struct Matcher {
    patterns: Vec<Pattern>,
    prefilter: Prefilter,
}

impl Matcher {
    pub fn new(patterns: Vec<Pattern>) -> Matcher {
        let prefilter = Prefilter::new(&patterns);
        Matcher { patterns, prefilter }
    }

    /// Where the patterns match in `text`: which pattern (its place in the
    /// list given to `new`) and the byte range of the original text, in no
    /// particular order.
    pub fn find(&self, text: &str) -> Vec<(usize, (usize, usize))> {
        let mut found = Vec::new();
        self.each(text, &mut |pattern, range| {
            found.push((pattern, range));
            true
        });
        found
    }

    pub fn is_match(&self, text: &str) -> bool {
        let mut found = false;
        self.each(text, &mut |_, _| {
            found = true;
            false
        });
        found
    }

    /// Calls `take` with each match until it returns false.
    fn each(&self, text: &str, take: &mut dyn FnMut(usize, (usize, usize)) -> bool) {
        let mut look = |piece: &str, offset: usize| -> bool {
            let normalized = Normalized::new(piece);
            for (n, pattern) in self.patterns.iter().enumerate() {
                for (start, end) in pattern.find(&normalized) {
                    if let Some((from, to)) = normalized.original_range(start, end)
                        && !take(n, (offset + from, offset + to))
                    {
                        return false;
                    }
                }
            }
            true
        };
        match self.prefilter.sentences(text) {
            Some(sentences) => {
                for (start, end) in sentences {
                    if !look(&text[start..end], start) {
                        return;
                    }
                }
            }
            None => {
                look(text, 0);
            }
        }
    }
}

fn merge(a: Gap, b: Gap) -> Gap {
    Gap { min: a.min + b.min, max: a.max.zip(b.max).map(|(x, y)| x + y) }
}

/// A `{m,n}` gap at `open`, and where it ends; `None` when the braces hold
/// something else, which is then wording like any punctuation.
fn braces(chars: &[char], open: usize) -> Result<Option<(Gap, usize)>, Problem> {
    let Some(close) = (open + 1..chars.len()).find(|&j| matches!(chars[j], '}' | '｝')) else {
        return Ok(None);
    };
    let inside: String = chars[open + 1..close].iter().collect::<String>().replace('，', ",");
    let inside = inside.trim();
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let gap = match inside.split_once(',') {
        None => number(inside).map(|n| Gap { min: n, max: Some(n) }),
        Some((min, max)) => {
            let min = if min.trim().is_empty() { Some(0) } else { number(min) };
            let max = if max.trim().is_empty() { Some(None) } else { number(max).map(Some) };
            min.zip(max).map(|(min, max)| Gap { min, max })
        }
    };
    let Some(gap) = gap else {
        if inside.chars().all(|c| c.is_ascii_digit() || c == ',' || c.is_whitespace()) {
            return Err(Problem::BadGap { gap: chars[open..=close].iter().collect(), max: MAX_GAP });
        }
        return Ok(None);
    };
    if gap.max.is_some_and(|max| max < gap.min) || gap.min > MAX_GAP || gap.max.is_some_and(|max| max > MAX_GAP) {
        return Err(Problem::BadGap { gap: chars[open..=close].iter().collect(), max: MAX_GAP });
    }
    Ok(Some((gap, close + 1)))
}

/// The widest gap a `{m,n}` may ask for: a sentence is rarely longer.
pub const MAX_GAP: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let pattern = Pattern::parse(pattern).unwrap();
        let normalized = Normalized::new(text);
        pattern
            .find(&normalized)
            .into_iter()
            .map(|(s, e)| {
                let (from, to) = normalized.original_range(s, e).unwrap();
                text[from..to].to_owned()
            })
            .collect()
    }

    #[test]
    fn parses_gaps() {
        let p = Pattern::parse("坚持{0,6}发展").unwrap();
        assert_eq!(p.parts, ["坚持", "发展"]);
        assert_eq!(p.gaps, [Gap { min: 0, max: Some(6) }]);
        assert_eq!(Pattern::parse("坚持*發展").unwrap().parts, ["坚持", "发展"]);
        assert_eq!(Pattern::parse("a{3}b").unwrap().gaps, [Gap { min: 3, max: Some(3) }]);
        assert_eq!(Pattern::parse("a{2,}b").unwrap().gaps, [Gap { min: 2, max: None }]);
        assert_eq!(Pattern::parse("a{,4}b").unwrap().gaps, [Gap { min: 0, max: Some(4) }]);
        assert_eq!(Pattern::parse("a**b").unwrap().gaps, [Gap { min: 0, max: None }]);
        assert!(!Pattern::parse("疫情防控").unwrap().has_gaps());
        assert!(matches!(Pattern::parse("*发展"), Err(Problem::GapAtEdge { .. })));
        assert!(matches!(Pattern::parse("坚持*"), Err(Problem::GapAtEdge { .. })));
        assert!(matches!(Pattern::parse("坚持{6,2}发展"), Err(Problem::BadGap { .. })));
        assert!(matches!(Pattern::parse("坚持{1,2,3}发展"), Err(Problem::BadGap { .. })));
        assert!(matches!(Pattern::parse("坚持{0,999}发展"), Err(Problem::BadGap { .. })));
        assert!(matches!(Pattern::parse("坚持*，*发展"), Err(Problem::NothingToSearch { .. })));
        // Braces around wording are punctuation, as before.
        assert!(!Pattern::parse("{疫情}").unwrap().has_gaps());
    }

    #[test]
    fn gaps_stay_within_a_sentence_and_their_width() {
        let text = "坚持高质量发展。坚持，发展！坚持以人民为中心的发展思想";
        assert_eq!(matches("坚持*发展", text), ["坚持高质量发展", "坚持，发展", "坚持以人民为中心的发展"]);
        assert_eq!(matches("坚持{0,3}发展", text), ["坚持高质量发展", "坚持，发展"]);
        assert_eq!(matches("坚持{4,}发展", text), ["坚持以人民为中心的发展"]);
        assert!(matches("坚持*发展", "坚持。发展").is_empty());
        assert!(matches("坚持*发展", "坚持\n发展").is_empty());
    }

    #[test]
    fn a_word_or_number_between_counts_as_one_position() {
        assert_eq!(matches("坚持{3}发展", "坚持在2020年发展"), ["坚持在2020年发展"]);
        assert_eq!(matches("坚持{4}发展", "坚持用 AI 发展"), ["坚持用 AI 发展"]);
        assert!(matches("坚持{0,2}发展", "坚持在2020年发展").is_empty());
        assert_eq!(matches("5g{1}网络", "5g的网络"), ["5g的网络"]);
    }

    #[test]
    fn nearest_start_and_end_win() {
        assert_eq!(matches("坚持*发展", "坚持改革坚持创新发展和发展"), ["坚持创新发展"]);
        assert_eq!(matches("a*b", "a x b a y b"), ["a x b", "a y b"]);
        assert_eq!(matches("坚持{0,2}发展", "坚持坚持发展"), ["坚持发展"]);
    }

    proptest::proptest! {
        /// Reading only the sentences that may hold the wording finds what
        /// normalizing the whole text finds, across sentence ends, commas,
        /// traditional and full-width forms, zero-width characters and
        /// Latin words.
        #[test]
        fn sentences_alone_find_what_the_whole_text_holds(
            text in "[坚堅持发發展的，、。！？；;!?\n\r 5gGｇa\u{200b}\u{301}]{0,50}",
            query in proptest::sample::select(vec!["坚持", "堅持", "坚持*发展", "坚持{0,3}发展", "持{1,}展", "5g", "g*展", "发展"]),
        ) {
            let pattern = Pattern::parse(query).unwrap();
            let normalized = Normalized::new(&text);
            let mut whole: Vec<(usize, usize)> =
                pattern.find(&normalized).into_iter().filter_map(|(s, e)| normalized.original_range(s, e)).collect();
            whole.sort_unstable();
            let mut found: Vec<(usize, usize)> =
                Matcher::new(vec![pattern]).find(&text).into_iter().map(|(_, range)| range).collect();
            found.sort_unstable();
            proptest::prop_assert_eq!(found, whole);
        }
    }

    #[test]
    fn phrases_overlap_and_respect_words() {
        assert_eq!(matches("哈哈", "哈哈哈").len(), 2);
        assert_eq!(matches("5g*网络", "5gb网络 5g的网络"), ["5g的网络"]);
    }
}
