//! Snippets: short passages around the matched wording, with the paragraph
//! they come from.
//!
//! Tantivy's snippet generator counts bytes (a Chinese character is three)
//! and highlights single bigrams. Here the wording is found in the normalized
//! text with the same rule as phrase search, mapped back to the original
//! characters, and the window is measured in characters.

use serde::Serialize;

use crate::pattern::{Normalized, Pattern};

/// Characters shown per snippet.
pub const SNIPPET_CHARS: usize = 80;
/// Characters shown before the first match in a snippet.
const CONTEXT_BEFORE: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The paragraph's anchor in the report page; empty for the title.
    pub anchor: String,
    /// The passage, HTML-escaped, with matches in `<mark>`.
    pub html: String,
    #[serde(skip)]
    pub fragments: Vec<Fragment>,
}

/// A piece of a snippet's text, matched or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub marked: bool,
}

/// Up to `max` snippets of `text` (title and blocks, one per line) around
/// `wording`, from different paragraphs, best first by how many different
/// words a paragraph holds, then shown in reading order. Without wording, or
/// when it is not found, the start of the first paragraph.
pub fn snippets(text: &str, anchors: &[(usize, String)], wording: &[&str], max: usize) -> Vec<Snippet> {
    let blocks = blocks(text, anchors);
    let matches = find_all(text, wording);
    if matches.is_empty() {
        return blocks.iter().find(|b| !b.anchor.is_empty()).map(|b| cut(text, b, &[])).into_iter().collect();
    }
    // Score each block: different words matched, then matches.
    let mut scored: Vec<(usize, usize, usize)> = Vec::new(); // (block, distinct, count)
    for (index, block) in blocks.iter().enumerate() {
        let inside: Vec<&Match> = matches.iter().filter(|m| m.from >= block.from && m.to <= block.to).collect();
        if inside.is_empty() {
            continue;
        }
        let mut words: Vec<usize> = inside.iter().map(|m| m.word).collect();
        words.sort_unstable();
        words.dedup();
        scored.push((index, words.len(), inside.len()));
    }
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    scored.truncate(max);
    scored.sort_by_key(|s| s.0);
    scored
        .into_iter()
        .map(|(index, ..)| {
            let block = &blocks[index];
            let inside: Vec<(usize, usize)> =
                matches.iter().filter(|m| m.from >= block.from && m.to <= block.to).map(|m| (m.from, m.to)).collect();
            cut(text, block, &inside)
        })
        .collect()
}

struct Block {
    anchor: String,
    from: usize,
    to: usize,
}

/// The title (anchor "") and each block, as byte ranges of `text`.
fn blocks(text: &str, anchors: &[(usize, String)]) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(anchors.len() + 1);
    let mut starts = vec![(0, String::new())];
    starts
        .extend(anchors.iter().filter(|(offset, _)| *offset <= text.len() && text.is_char_boundary(*offset)).cloned());
    for (i, (from, anchor)) in starts.iter().enumerate() {
        // Each block ends at the newline before the next one.
        let to = starts.get(i + 1).map_or(text.len(), |(next, _)| next.saturating_sub(1).max(*from));
        blocks.push(Block { anchor: anchor.clone(), from: *from, to });
    }
    blocks
}

struct Match {
    from: usize,
    to: usize,
    /// Which of the wording matched.
    word: usize,
}

/// Every occurrence of each wording, as byte ranges of the original text.
fn find_all(text: &str, wording: &[&str]) -> Vec<Match> {
    let normalized = Normalized::new(text);
    let mut matches = Vec::new();
    for (word, w) in wording.iter().enumerate() {
        let Ok(pattern) = Pattern::parse(w) else { continue };
        for (start, end) in pattern.find(&normalized) {
            if let Some((from, to)) = normalized.original_range(start, end) {
                matches.push(Match { from, to, word });
            }
        }
    }
    matches.sort_by_key(|m| (m.from, m.to));
    matches
}

/// About `SNIPPET_CHARS` characters of the block around its first match.
fn cut(text: &str, block: &Block, matches: &[(usize, usize)]) -> Snippet {
    let body = &text[block.from..block.to];
    let char_starts: Vec<usize> = body.char_indices().map(|(i, _)| block.from + i).chain([block.to]).collect();
    let chars = char_starts.len() - 1;
    let first = matches.first().map_or(0, |m| char_starts.partition_point(|&s| s < m.0));
    let mut start = first.saturating_sub(CONTEXT_BEFORE);
    let end = (start + SNIPPET_CHARS).min(chars);
    if end - start < SNIPPET_CHARS {
        start = end.saturating_sub(SNIPPET_CHARS);
    }
    let (from, to) = (char_starts[start], char_starts[end]);

    let mut fragments = Vec::new();
    if start > 0 {
        fragments.push(Fragment { text: "…".into(), marked: false });
    }
    let mut at = from;
    for &(m_from, m_to) in matches {
        let (m_from, m_to) = (m_from.max(at), m_to.min(to));
        if m_from >= m_to {
            continue;
        }
        if m_from > at {
            fragments.push(Fragment { text: text[at..m_from].into(), marked: false });
        }
        fragments.push(Fragment { text: text[m_from..m_to].into(), marked: true });
        at = m_to;
    }
    if at < to {
        fragments.push(Fragment { text: text[at..to].into(), marked: false });
    }
    if end < chars {
        fragments.push(Fragment { text: "…".into(), marked: false });
    }
    let html = fragments
        .iter()
        .map(|f| {
            let escaped = crate::escape::escaped(&f.text);
            if f.marked { format!("<mark>{escaped}</mark>") } else { escaped }
        })
        .collect();
    Snippet { anchor: block.anchor.clone(), html, fragments }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, blocks: &[&str]) -> (String, Vec<(usize, String)>) {
        let mut text = title.to_owned();
        let mut anchors = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            text.push('\n');
            anchors.push((text.len(), format!("p-{}", i + 1)));
            text.push_str(b);
        }
        (text, anchors)
    }

    #[test]
    fn marks_the_wording_in_its_paragraph() {
        let (text, anchors) = doc("年度总结", &["第一段没有。", "我们坚持疫情防控，打通供应链。"]);
        let s = snippets(&text, &anchors, &["疫情防控"], 3);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].anchor, "p-2");
        assert_eq!(s[0].html, "我们坚持<mark>疫情防控</mark>，打通供应链。");
    }

    #[test]
    fn matches_traditional_and_full_width_in_the_original_text() {
        let (text, anchors) = doc("t", &["PM２.５濃度與報告"]);
        let s = snippets(&text, &anchors, &["pm2.5", "报告"], 3);
        assert_eq!(s[0].html, "<mark>PM２.５</mark>濃度與<mark>報告</mark>");
    }

    #[test]
    fn cuts_long_paragraphs_on_characters_with_ellipses() {
        let long = format!("{}疫情防控{}", "前".repeat(100), "后".repeat(100));
        let (text, anchors) = doc("t", &[&long]);
        let s = snippets(&text, &anchors, &["疫情防控"], 3);
        let shown: String = s[0].fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(shown.chars().count(), SNIPPET_CHARS + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert!(s[0].html.contains(&format!("{}<mark>疫情防控</mark>", "前".repeat(CONTEXT_BEFORE))));
    }

    #[test]
    fn prefers_paragraphs_with_more_words_and_keeps_reading_order() {
        let (text, anchors) = doc("t", &["疫情", "供应链", "疫情与供应链", "别的", "疫情"]);
        let s = snippets(&text, &anchors, &["疫情", "供应链"], 2);
        let shown: Vec<&str> = s.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(shown, ["p-1", "p-3"]);
    }

    #[test]
    fn marks_wording_with_gaps_whole() {
        let (text, anchors) = doc("t", &["我们坚持以人民为中心的发展思想。"]);
        let s = snippets(&text, &anchors, &["坚持*发展"], 3);
        assert_eq!(s[0].html, "我们<mark>坚持以人民为中心的发展</mark>思想。");
    }

    #[test]
    fn without_a_match_shows_the_first_paragraph_escaped() {
        let (text, anchors) = doc("t", &["<b>一</b> & 二"]);
        let s = snippets(&text, &anchors, &[], 3);
        assert_eq!(s[0].html, "&lt;b&gt;一&lt;/b&gt; &amp; 二");
    }
}
