//! Where words begin and end, for the units the research views show
//! (后接/前接 rows, new formulations): 以人民为中心, not 以人 or 人民为中.
//!
//! Search and counts stay character-exact; a segmenter only decides where a
//! shown unit may start and end. jieba-rs (its dictionary and HMM for words
//! it lacks) cuts the unit's own sentence, so a boundary is judged in
//! context. `benches/whole_units.py` measures the units against an
//! independent segmenter (THULAC) on the real corpus.

use std::sync::{LazyLock, Mutex};

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the segmenter's dictionary on a thread of its own (a fifth of a
/// second), for a caller that will cut words after work that leaves a core
/// idle: reading the build state, say.
pub fn load_in_background() {
    std::thread::spawn(|| LazyLock::force(&JIEBA));
}

/// Text longer than this is cut in pieces of this many bytes (at a
/// character boundary) before segmenting: a clause never comes near it,
/// but a report without punctuation would make one huge sentence.
const PIECE_BYTES: usize = 4096;

/// The ends of jieba's words in `clause` (byte offsets, in order): the
/// segmenter `wenku_engine::words` cuts clauses with.
pub fn segment(clause: &str) -> Vec<usize> {
    let mut found = boundaries(clause);
    found.remove(0);
    found
}

/// Where words begin and end in a report's text, clause by clause, as the
/// static index stores them (`wenku_engine::words::encode`). A paragraph
/// many reports share (a recurring passage) is cut once per thread.
pub fn stored_cuts(text: &str) -> Vec<u8> {
    let chars = text.chars().count();
    let mut bits = vec![0u8; chars.div_ceil(8)];
    let mut first = 0;
    for line in text.split('\n') {
        let length = line.chars().count();
        let mut set = |line_bits: &[u8]| {
            for n in (0..=length).filter(|n| line_bits[n / 8] & (1 << (n % 8)) != 0) {
                let at = first + n;
                if at < chars {
                    bits[at / 8] |= 1 << (at % 8);
                }
            }
        };
        if length < CACHED_CHARS {
            set(&line_cuts(line));
        } else {
            let key = wenku_engine::hash::hash_bytes(line.as_bytes());
            LINE_CUTS.with_borrow_mut(|cache| {
                if cache.len() >= CACHED_LINES {
                    cache.clear();
                }
                set(cache.entry(key).or_insert_with(|| line_cuts(line)))
            });
        }
        first += length + 1;
    }
    bits
}

/// [`stored_cuts`] worked out once for both indexes of a build: the static
/// index stores them beside each report's text, Tantivy beside its
/// document, so that the research views read them instead of segmenting
/// at query time. Segmenting is a good part of either writer's work: the
/// first to ask for a text's cuts works them out and leaves them here, the
/// second takes them (keyed by the text, which both make alike).
#[derive(Default)]
pub struct SharedCuts {
    /// Whether a second index will ask: otherwise nothing is left here.
    kept: bool,
    left: Mutex<rustc_hash::FxHashMap<(usize, u64), Vec<u8>>>,
}

impl SharedCuts {
    /// Cuts for two indexes written one after the other (`kept`), or for one.
    pub fn new(kept: bool) -> SharedCuts {
        SharedCuts { kept, left: Mutex::default() }
    }

    pub fn of(&self, text: &str) -> Vec<u8> {
        if !self.kept {
            return stored_cuts(text);
        }
        let key = (text.len(), wenku_engine::hash::hash_bytes(text.as_bytes()));
        if let Some(bits) = self.lock().remove(&key) {
            return bits;
        }
        let bits = stored_cuts(text);
        self.lock().insert(key, bits.clone());
        bits
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, rustc_hash::FxHashMap<(usize, u64), Vec<u8>>> {
        // A panic elsewhere leaves whole entries: the map is still good.
        self.left.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Paragraphs at least this long are kept, cut, for the next report…
const CACHED_CHARS: usize = 30;
/// …this many per thread (about 60 bytes each; clauses of 15 characters
/// or more are kept as well, their cuts as offsets).
const CACHED_LINES: usize = 1 << 17;

thread_local! {
    static LINE_CUTS: std::cell::RefCell<rustc_hash::FxHashMap<u64, Vec<u8>>> = Default::default();
    static CLAUSE_CUTS: std::cell::RefCell<rustc_hash::FxHashMap<u64, Vec<usize>>> = Default::default();
}

/// The cuts of one line of a text, one bit a character and one more for
/// its end (the line break after it).
fn line_cuts(line: &str) -> Vec<u8> {
    let cuts = wenku_engine::words::text_cuts(line, &mut segment);
    let length = line.chars().count();
    let mut bits = wenku_engine::words::encode(line, &cuts);
    bits.resize((length + 1).div_ceil(8), 0);
    if cuts.last() == Some(&line.len()) && !line.is_empty() {
        bits[length / 8] |= 1 << (length % 8);
    }
    bits
}

/// The cuts of the clauses around `ranges` of `text`: the same as the
/// stored ones there. A clause many reports share (a recurring passage)
/// is segmented once per thread.
pub fn cuts_around(text: &str, ranges: &[(usize, usize)]) -> Vec<usize> {
    wenku_engine::words::cuts_around(text, ranges, &mut segment_remembered)
}

/// [`segment`], remembering the clauses seen on this thread.
fn segment_remembered(clause: &str) -> Vec<usize> {
    if clause.len() < 3 * CACHED_CHARS / 2 {
        return segment(clause);
    }
    let key = wenku_engine::hash::hash_bytes(clause.as_bytes());
    CLAUSE_CUTS.with_borrow_mut(|cache| {
        if cache.len() >= CACHED_LINES {
            cache.clear();
        }
        cache.entry(key).or_insert_with(|| segment(clause)).clone()
    })
}

/// The byte offsets in `text` where a word begins or ends, in order, from 0
/// to `text.len()` inclusive.
pub fn boundaries(text: &str) -> Vec<usize> {
    let mut found = vec![0];
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + PIECE_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        for token in JIEBA.cut(&text[start..end], true) {
            found.push(start + token.byte_end);
        }
        start = end;
    }
    found.dedup();
    found
}

/// Whether `at` (a byte offset into `text`) is where a word begins or ends.
pub fn is_boundary(boundaries: &[usize], at: usize) -> bool {
    boundaries.binary_search(&at).is_ok()
}

/// Whether `text[from..to]` is whole words of `text`.
pub fn is_whole(text: &str, from: usize, to: usize) -> bool {
    let found = boundaries(text);
    is_boundary(&found, from) && is_boundary(&found, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str, unit: &str) -> bool {
        let from = text.find(unit).unwrap();
        is_whole(text, from, from + unit.len())
    }

    #[test]
    fn shared_cuts_are_worked_out_once_for_two_indexes() {
        let text = "标题\n坚持以人民为中心的发展思想，推进5G网络建设。";
        let shared = SharedCuts::new(true);
        let first = shared.of(text);
        assert_eq!(first, stored_cuts(text));
        assert_eq!(shared.lock().len(), 1, "left for the second index");
        assert_eq!(shared.of(text), first);
        assert!(shared.lock().is_empty(), "taken by the second");
        let alone = SharedCuts::new(false);
        assert_eq!(alone.of(text), first);
        assert!(alone.lock().is_empty(), "nothing kept for one index");
    }

    #[test]
    fn units_are_whole_words_in_their_sentence() {
        let sentence = "坚持以人民为中心的发展思想";
        assert!(whole(sentence, "以人民为中心"));
        assert!(!whole(sentence, "以人"));
        assert!(!whole(sentence, "人民为中"));
        assert!(whole("深入推进大气污染治理", "大气污染治理"));
        assert!(!whole("深入推进大气污染治理", "气污染治理"));
        // A Latin word or a number is never cut.
        assert!(!whole("推广5G基站建设", "5"));
    }

    #[test]
    fn stored_cuts_are_the_texts_cuts_line_by_line_and_cached_alike() {
        let paragraph = "坚持以人民为中心的发展思想，深入推进大气污染治理，推广5G基站建设。";
        let text = format!("标题\n{paragraph}\n\n“引文”\n{paragraph}\nGDP增长6.5%");
        let whole = wenku_engine::words::encode(&text, &wenku_engine::words::text_cuts(&text, &mut segment));
        assert_eq!(stored_cuts(&text), whole);
        // Again, from the cache.
        assert_eq!(stored_cuts(&text), whole);
        assert_eq!(stored_cuts(""), Vec::<u8>::new());
    }

    #[test]
    fn boundaries_cover_the_text_in_order() {
        for text in ["", "a", "坚持", &"字".repeat(10_000), "GDP增长6.5%，CPI上涨"] {
            let found = boundaries(text);
            assert_eq!(found.first(), Some(&0));
            assert_eq!(*found.last().unwrap(), text.len());
            assert!(found.windows(2).all(|w| w[0] < w[1] || text.is_empty()));
            assert!(found.iter().all(|&at| text.is_char_boundary(at)));
        }
    }
}
