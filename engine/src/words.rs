//! Where words begin and end, so that a unit the research views show is
//! whole (以人民为中心, not 以人 or 人民为中): the *cuts* of a text.
//!
//! Search and counts stay character-exact; cuts only decide where a shown
//! unit may start and end. The segmenter itself (jieba-rs, with its
//! dictionary) lives in the server crate: it cuts a report's text clause by
//! clause when the static index is written, and the clauses around a
//! query's occurrences when the server answers. A clause is a run of
//! characters between separators (punctuation, spaces, line ends), cut in
//! its normalized form, so both ways give the same cuts and the static
//! index's tables equal the server's.

use crate::analyzer::{Class, classify, normalize_with_origins};

/// A segmenter: the byte offsets where words end in a normalized clause.
pub type Segment<'a> = dyn FnMut(&str) -> Vec<usize> + 'a;

/// The byte range of the clause of `text` that holds `from..to` (a match
/// may itself hold separators: then from its first clause to its last).
pub fn clause_around(text: &str, from: usize, to: usize) -> (usize, usize) {
    let start =
        text[..from].rfind(is_separator).map_or(0, |at| at + text[at..].chars().next().map_or(1, char::len_utf8));
    let end = text[to..].find(is_separator).map_or(text.len(), |at| to + at);
    (start, end)
}

/// Punctuation, spaces, line ends: what ends a clause.
pub fn is_separator(c: char) -> bool {
    classify(c) == Class::Separator
}

/// The cuts of one clause (byte offsets into it, in order, 0 and its end
/// included): `segment` cuts its normalized form, mapped back onto the
/// original characters. A Latin word or a number is never cut.
pub fn clause_cuts(clause: &str, segment: &mut Segment<'_>) -> Vec<usize> {
    if clause.is_empty() {
        return Vec::new();
    }
    let (normalized, origins) = normalize_with_origins(clause);
    // The original offset each normalized byte offset stands for.
    let mut at_byte = vec![clause.len(); normalized.len() + 1];
    for ((offset, _), origin) in normalized.char_indices().zip(&origins) {
        at_byte[offset] = origin.from;
    }
    let mut cuts = vec![0];
    for end in segment(&normalized) {
        let at = at_byte.get(end).copied().unwrap_or(clause.len());
        if at > *cuts.last().unwrap_or(&0) && !inside_a_word(clause, at) {
            cuts.push(at);
        }
    }
    if cuts.last() != Some(&clause.len()) {
        cuts.push(clause.len());
    }
    cuts
}

/// Whether `at` falls between two letters or digits (inside 5G, 2035).
fn inside_a_word(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    matches!((before, after), (Some(a), Some(b)) if classify(a) == Class::Word && classify(b) == Class::Word)
}

/// The cuts of a whole text (byte offsets, in order): every clause cut by
/// `segment`, and every clause's edges.
pub fn text_cuts(text: &str, segment: &mut Segment<'_>) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut start = None;
    let mut push_clause = |from: usize, to: usize, cuts: &mut Vec<usize>| {
        for at in clause_cuts(&text[from..to], segment) {
            if cuts.last() != Some(&(from + at)) {
                cuts.push(from + at);
            }
        }
    };
    for (at, c) in text.char_indices() {
        match (is_separator(c), start) {
            (true, Some(from)) => {
                push_clause(from, at, &mut cuts);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        push_clause(from, text.len(), &mut cuts);
    }
    cuts
}

/// The cuts of the clauses around `ranges` of `text` (sorted byte
/// offsets): what the research views read, without cutting the rest.
pub fn cuts_around(text: &str, ranges: &[(usize, usize)], segment: &mut Segment<'_>) -> Vec<usize> {
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    for &(from, to) in ranges {
        let (start, end) = clause_around(text, from, to);
        // A match holding separators spans clauses: each is cut on its own.
        let mut clause_start = start;
        for (at, c) in text[start..end].char_indices().filter(|&(_, c)| is_separator(c)) {
            clauses.push((clause_start, start + at));
            clause_start = start + at + c.len_utf8();
        }
        clauses.push((clause_start, end));
    }
    clauses.sort_unstable();
    clauses.dedup();
    let mut cuts: Vec<usize> = clauses
        .into_iter()
        .filter(|(start, end)| end > start)
        .flat_map(|(start, end)| clause_cuts(&text[start..end], segment).into_iter().map(move |at| start + at))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// The cuts as stored beside a report's text: one bit per character, set
/// where a word begins there (or where the text ends after it, for the
/// last one: a bit past the end is never needed since the end is a cut).
pub fn encode(text: &str, cuts: &[usize]) -> Vec<u8> {
    let mut bits = vec![0u8; text.chars().count().div_ceil(8)];
    let mut next = cuts.iter().peekable();
    for (n, (at, _)) in text.char_indices().enumerate() {
        while next.next_if(|&&cut| cut < at).is_some() {}
        if next.peek() == Some(&&at) {
            bits[n / 8] |= 1 << (n % 8);
        }
    }
    bits
}

/// The cuts [`encode`] stored (the text's end included); `None` when the
/// bits do not fit the text.
pub fn decode(text: &str, bits: &[u8]) -> Option<Vec<usize>> {
    if bits.len() != text.chars().count().div_ceil(8) {
        return None;
    }
    let mut cuts: Vec<usize> = text
        .char_indices()
        .enumerate()
        .filter(|(n, _)| bits[n / 8] & (1 << (n % 8)) != 0)
        .map(|(_, (at, _))| at)
        .collect();
    if !text.is_empty() {
        cuts.push(text.len());
    }
    Some(cuts)
}

/// The cuts [`decode`] gives that a reading of `width` characters around
/// each of `ranges` (sorted byte ranges of `text`) can see: the research
/// views' occurrences, without decoding the rest of a long text. `None`
/// when the bits do not fit the text.
pub fn decode_around(text: &str, bits: &[u8], ranges: &[(usize, usize)], width: usize) -> Option<Vec<usize>> {
    if bits.len() != text.chars().count().div_ceil(8) {
        return None;
    }
    // A character is at most four bytes: the spans hold every context.
    let reach = 4 * width;
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for &(from, to) in ranges {
        let (start, end) = (floor_boundary(text, from.saturating_sub(reach)), ceil_boundary(text, to + reach));
        match spans.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => spans.push((start, end)),
        }
    }
    let mut cuts = Vec::new();
    // Where the walk is: a byte offset and the character starting there.
    let (mut at, mut n) = (0, 0);
    for (start, end) in spans {
        n += text[at..start].chars().count();
        for (offset, _) in text[start..end].char_indices() {
            if bits[n / 8] & (1 << (n % 8)) != 0 {
                cuts.push(start + offset);
            }
            n += 1;
        }
        at = end;
        if end == text.len() && !text.is_empty() {
            cuts.push(text.len());
        }
    }
    Some(cuts)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in segmenter: words of two characters.
    fn pairs(clause: &str) -> Vec<usize> {
        let ends: Vec<usize> = clause.char_indices().map(|(at, c)| at + c.len_utf8()).collect();
        ends.iter().skip(1).step_by(2).copied().chain(ends.last().copied()).collect()
    }

    #[test]
    fn a_text_is_cut_clause_by_clause() {
        let text = "坚持发展，推广5G网络。\n深化改革";
        let cuts = text_cuts(text, &mut pairs);
        let pieces: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
        // Clause edges are cuts; 5G is never cut in two.
        assert_eq!(pieces, ["坚持", "发展", "，", "推广", "5G", "网络", "。\n", "深化", "改革"]);
        // Cutting only around a match gives the same cuts there.
        let at = text.find("网络").unwrap();
        let around = cuts_around(text, &[(at, at + 6)], &mut pairs);
        let clause = clause_around(text, at, at + 6);
        assert_eq!(&text[clause.0..clause.1], "推广5G网络");
        assert_eq!(around, cuts.iter().copied().filter(|&c| c >= clause.0 && c <= clause.1).collect::<Vec<_>>());
        // A match across a comma: both clauses, each cut on its own.
        let at = text.find("展，推").unwrap();
        let around = cuts_around(text, &[(at, at + 9)], &mut pairs);
        let end = text.find("。").unwrap();
        assert_eq!(around, cuts.iter().copied().filter(|&c| c <= end).collect::<Vec<_>>());
    }

    #[test]
    fn traditional_text_is_cut_as_its_simplified_form() {
        let mut seen = Vec::new();
        let mut segment = |clause: &str| {
            seen.push(clause.to_owned());
            pairs(clause)
        };
        let cuts = text_cuts("堅持發展", &mut segment);
        assert_eq!(seen, ["坚持发展"]);
        assert_eq!(cuts, [0, 6, 12]);
    }

    #[test]
    fn stored_cuts_round_trip() {
        for text in ["", "坚持", "坚持发展，推广5G网络。\n深化改革", "a", "“坚持”"] {
            let mut cuts = text_cuts(text, &mut pairs);
            if !text.is_empty() && cuts.last() != Some(&text.len()) {
                cuts.push(text.len());
            }
            assert_eq!(decode(text, &encode(text, &cuts)).unwrap(), cuts, "{text}");
        }
        assert_eq!(decode("坚持", &[]), None);
    }

    #[test]
    fn decoding_around_places_gives_the_cuts_their_contexts_see() {
        let text = "坚持发展，推广5G网络。\n深化改革开放，坚持以人民为中心的发展思想，建设ABC项目";
        let mut all = text_cuts(text, &mut pairs);
        all.push(text.len());
        all.dedup();
        let bits = encode(text, &all);
        let places: Vec<(usize, usize)> = text.match_indices("坚持").map(|(at, m)| (at, at + m.len())).collect();
        for width in [1, 2, 5, 40] {
            let around = decode_around(text, &bits, &places, width).unwrap();
            // Only true cuts, in order…
            assert!(around.iter().all(|cut| all.contains(cut)), "{width}");
            assert!(around.windows(2).all(|w| w[0] < w[1]), "{width}");
            // …and each within `width` characters of a place.
            for &(from, to) in &places {
                let start = text[..from].char_indices().rev().nth(width - 1).map_or(0, |(i, _)| i);
                let end = text[to..].char_indices().nth(width).map_or(text.len(), |(i, _)| to + i);
                let seen: Vec<usize> = all.iter().copied().filter(|&c| c >= start && c <= end).collect();
                assert!(seen.iter().all(|cut| around.contains(cut)), "{width}: {seen:?} in {around:?}");
            }
        }
        assert_eq!(decode_around(text, &bits, &[], 3).unwrap(), Vec::<usize>::new());
        assert_eq!(decode_around(text, &[], &places, 3), None);
    }
}
