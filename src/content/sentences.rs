//! A report's sentences, split when it is loaded: their hashes say what two
//! reports share (the "相同句子" line, whether a comparison page is worth
//! making) without unpacking either; `analysis::compare` aligns them.

/// The sentences of a report's text blocks (see `sentences`).
pub fn report_sentences(rendered: &super::markdown::Rendered) -> Vec<&str> {
    sentences(rendered.blocks.iter().map(|b| b.text.as_str()))
}

/// The sentences of a text, each with its closing punctuation (and a
/// closing quote or bracket right after it). Blocks never share a sentence.
/// Found by searching the bytes for the punctuation's first byte (every
/// comparison page splits two whole reports).
pub fn sentences<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for block in blocks {
        let bytes = block.as_bytes();
        let (mut start, mut from) = (0, 0);
        // `?` is rare in Chinese text: looked for once, and again only when passed.
        let mut question = memchr::memchr(b'?', bytes);
        loop {
            let main = memchr::memchr3(0xE3, 0xEF, b'!', &bytes[from..]).map(|i| from + i);
            if question.is_some_and(|q| q < from) {
                question = memchr::memchr(b'?', &bytes[from..]).map(|i| from + i);
            }
            let Some(at) = main.into_iter().chain(question).min() else { break };
            let Some(length) = terminator(&bytes[at..]) else {
                from = at + 1;
                continue;
            };
            let mut end = at + length;
            while let Some(length) = closer(&bytes[end..]) {
                end += length;
            }
            push_sentence(&mut out, &block[start..end]);
            (start, from) = (end, end);
        }
        push_sentence(&mut out, &block[start..]);
    }
    out
}

/// The length of the sentence-ending mark `bytes` starts with: 。！？；!?
fn terminator(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xE3, 0x80, 0x82, ..] | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B, ..] => Some(3),
        [b'!' | b'?', ..] => Some(1),
        _ => None,
    }
}

/// The length of the closing quote or bracket `bytes` starts with: ”’」』）)
fn closer(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xE2, 0x80, 0x9D | 0x99, ..] | [0xE3, 0x80, 0x8D | 0x8F, ..] | [0xEF, 0xBC, 0x89, ..] => Some(3),
        [b')', ..] => Some(1),
        _ => None,
    }
}

fn push_sentence<'a>(out: &mut Vec<&'a str>, sentence: &'a str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence);
    }
}

/// A sentence's hash, as `sentence_hashes` and comparisons take it.
pub fn hash(sentence: &str) -> u64 {
    crate::shared::hash::hash_bytes(sentence.as_bytes())
}

/// Reports sharing fewer of their sentences than this were rewritten
/// rather than revised: a sentence-by-sentence comparison would list both
/// texts whole, and cost the most to compute. `compare` is not run for them.
pub const MIN_SHARED: f32 = 0.1;

/// A text's sentence hashes, sorted: what `shared` compares. Made once per
/// report, since most reports are compared twice (with the year before and
/// the year after).
pub fn sentence_hashes(sentences: &[&str]) -> Vec<u64> {
    let mut hashes: Vec<u64> = sentences.iter().map(|s| hash(s)).collect();
    hashes.sort_unstable();
    hashes
}

/// The share of the shorter text's sentences that the other text has too,
/// from both texts' `sentence_hashes`.
pub fn shared(old: &[u64], new: &[u64]) -> f32 {
    let (shorter, longer) = if old.len() <= new.len() { (old, new) } else { (new, old) };
    if shorter.is_empty() {
        return 0.0;
    }
    // Both sorted: one walk through each.
    let mut rest = longer;
    let mut common = 0;
    for hash in shorter {
        let skipped = rest.partition_point(|h| h < hash);
        rest = &rest[skipped..];
        common += usize::from(rest.first() == Some(hash));
    }
    common as f32 / shorter.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences([text])
    }

    #[test]
    fn shared_counts_the_shorter_texts_sentences_found_in_the_longer() {
        let shared_of = |a: &str, b: &str| shared(&sentence_hashes(&split(a)), &sentence_hashes(&split(b)));
        assert_eq!(shared_of("甲。乙。丙。丁。", "乙。戊。甲。"), 2.0 / 3.0);
        assert_eq!(shared_of("甲。甲。", "丙。乙。甲。"), 1.0, "a repeated sentence counts each time");
        assert_eq!(shared_of("甲。乙。", "丙。丁。戊。"), 0.0);
        assert_eq!(shared_of("", "甲。"), 0.0);
    }

    #[test]
    fn sentences_end_with_their_punctuation() {
        assert_eq!(split("他说：“好。”然后走了！还有吗？最后；"), ["他说：“好。”", "然后走了！", "还有吗？", "最后；"]);
        assert_eq!(sentences(["没有句号的标题", "正文。"]), ["没有句号的标题", "正文。"]);
        assert_eq!(split("Is it? Yes! 是的（对）。「好」『好』"), ["Is it?", "Yes!", "是的（对）。", "「好」『好』"]);
        assert_eq!(split("他问：“真的？”她说：‘是！’（完）"), ["他问：“真的？”", "她说：‘是！’", "（完）"]);
    }

    /// The plain character-by-character reading of `sentences`' rule.
    fn sentences_by_chars(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let (mut start, mut chars) = (0, text.char_indices().peekable());
        while let Some((_, c)) = chars.next() {
            if matches!(c, '。' | '！' | '？' | '；' | '!' | '?') {
                while chars.next_if(|&(_, n)| matches!(n, '”' | '’' | '」' | '』' | '）' | ')')).is_some() {}
                let end = chars.peek().map_or(text.len(), |&(i, _)| i);
                push_sentence(&mut out, &text[start..end]);
                start = end;
            }
        }
        push_sentence(&mut out, &text[start..]);
        out
    }

    proptest::proptest! {
        #[test]
        fn byte_search_splits_as_characters_do(text in "[。！？；!?”’」』）)「，、：a 中文\u{3000}\u{e000}]{0,40}") {
            proptest::prop_assert_eq!(split(&text), sentences_by_chars(&text));
        }
    }
}
