//! The text analyzer: how report text and queries become index terms.
//!
//! Users search for past wording, so a phrase must match exactly the reports
//! that contain it. Word segmenters split the same characters differently in
//! different contexts and then miss phrases; Tantivy's n-gram tokenizer puts
//! every gram at position 0 and so finds phrases that are not there. Hence
//! this analyzer:
//!
//! 1. **Normalize** each character: NFKC (full-width letters and digits fold,
//!    U+3000 becomes a space), zero-width characters dropped, Latin lowercased,
//!    traditional Han folded to simplified (OpenCC's character table).
//! 2. **Classify** it: a CJK letter (Han, Kana, Hangul), a word character
//!    (any other letter or digit) or a separator (space, punctuation).
//! 3. **Tokenize**: every CJK letter takes one position and yields the bigram
//!    starting there; the last letter of a run yields its unigram (`控`), the
//!    first one a marked unigram too (`疫^`). A run of word characters is one
//!    token at one position. A run of separators is one token too, a single
//!    space: wording split by punctuation must not match wording written
//!    without it, nor with a letter or word in that place.
//!
//! A query phrase is tokenized the same way but needs fewer terms: the
//! bigrams of a CJK run already fix every character and its neighbour. A lone
//! CJK letter in a phrase sits at the end of a run in the text when something
//! follows it in the phrase (`网` in `网5G`), else at the start of one (`网^`
//! in `5G网`); a query of one letter alone matches every term beginning with
//! it. Unigrams only at run edges keep the index about a third smaller than
//! unigrams everywhere. The result is exact with respect to [`normalize`]: a
//! phrase matches a text iff the normalized phrase occurs in the normalized
//! text without cutting a Latin word or number in two (see [`find_phrase`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Han, Kana, Hangul: written without spaces, indexed as bigrams.
    Cjk,
    /// Other letters and digits: runs of them are words.
    Word,
    /// Spaces, punctuation, symbols.
    Separator,
}

/// One character of normalized text and the bytes of the original text it
/// came from (several normalized characters may share one original range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormChar {
    pub c: char,
    pub class: Class,
    pub from: usize,
    pub to: usize,
}

/// The normalized characters of `text`, separators included.
pub fn normalized_chars(text: &str) -> Vec<NormChar> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for_each_normalized(text, |n| out.push(n));
    out
}

/// Calls `take` with each normalized character of `text`, in order (what
/// [`normalized_chars`] collects, without the list).
pub fn for_each_normalized(text: &str, mut take: impl FnMut(NormChar)) {
    let table = bmp_table();
    let is_mark = |c: char| table.get(c as usize).map_or_else(|| is_combining_mark(c), |info| info.combining);
    let mut chars = text.char_indices().peekable();
    while let Some((from, c)) = chars.next() {
        // A base character and its combining marks normalize together (e + ◌́ = é).
        let mut to = from + c.len_utf8();
        while let Some(&(at, mark)) = chars.peek() {
            if !is_mark(mark) {
                break;
            }
            to = at + mark.len_utf8();
            chars.next();
        }
        if to == from + c.len_utf8()
            && let Some(info) = table.get(c as usize)
        {
            match info.form {
                Form::One => take(NormChar { c: info.c, class: info.class, from, to }),
                Form::Dropped => {}
                Form::Several => slow_path(&text[from..to], from, to, &mut take),
            }
        } else {
            slow_path(&text[from..to], from, to, &mut take);
        }
    }
}

/// Normalizes one character with its combining marks, step by step.
fn slow_path(piece: &str, from: usize, to: usize, take: &mut impl FnMut(NormChar)) {
    for c in normalize_piece(piece) {
        take(NormChar { c, class: classify(c), from, to });
    }
}

/// NFKC, zero-width characters dropped, lowercased, traditional folded.
fn normalize_piece(piece: &str) -> Vec<char> {
    let mut forms = Vec::with_capacity(1);
    for n in piece.nfkc() {
        if is_zero_width(n) {
            continue;
        }
        if n.is_uppercase() {
            forms.extend(n.to_lowercase().map(fold));
        } else {
            forms.push(fold(n));
        }
    }
    forms
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Normalizes to one character, `c`.
    One,
    /// Normalizes to nothing (zero-width characters).
    Dropped,
    /// To several characters (①, ㈠, ﬁ): left to the slow path.
    Several,
}

#[derive(Clone, Copy)]
struct CharInfo {
    c: char,
    class: Class,
    form: Form,
    combining: bool,
}

/// Every BMP character normalized once, for when no combining mark follows
/// it: almost every character of a report is answered by one lookup.
fn bmp_table() -> &'static [CharInfo] {
    static TABLE: OnceLock<Vec<CharInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x10000)
            .map(|code| {
                let Some(c) = char::from_u32(code) else {
                    return CharInfo { c: ' ', class: Class::Separator, form: Form::Several, combining: false };
                };
                let combining = is_combining_mark(c);
                match normalize_piece(&c.to_string()).as_slice() {
                    [] => CharInfo { c, class: Class::Separator, form: Form::Dropped, combining },
                    [one] => CharInfo { c: *one, class: classify(*one), form: Form::One, combining },
                    _ => CharInfo { c, class: Class::Separator, form: Form::Several, combining },
                }
            })
            .collect()
    })
}

/// Every character that normalizes to `c` or to something holding it
/// (`發` and `发` for 发; `Ａ`, `A` and `a` for a), or begins a sequence
/// that does (`e` for é), astral characters aside: a text without any of
/// these and without astral characters has no `c` once normalized.
pub fn raw_forms(c: char) -> Vec<char> {
    static EXPANSIONS: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    let expansions = EXPANSIONS.get_or_init(|| {
        let mut map: HashMap<char, Vec<char>> = HashMap::new();
        for (code, info) in bmp_table().iter().enumerate() {
            if info.form == Form::Several
                && let Some(raw) = char::from_u32(code as u32)
            {
                for n in normalize_piece(&raw.to_string()) {
                    map.entry(n).or_default().push(raw);
                }
            }
        }
        map
    });
    let mut forms: Vec<char> = bmp_table()
        .iter()
        .enumerate()
        .filter(|(_, info)| info.form == Form::One && info.c == c)
        .filter_map(|(code, _)| char::from_u32(code as u32))
        .collect();
    forms.extend(expansions.get(&c).into_iter().flatten());
    forms.push(c);
    // A base letter followed by combining marks composes into some of these
    // (e + ◌́ = é): the base letter may begin one.
    let bases: Vec<char> = forms.iter().filter_map(|f| f.to_string().nfd().next()).collect();
    forms.extend(bases);
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// The normalized text that phrase matching is defined on: normalized
/// characters, each run of separators as one space, trimmed.
pub fn normalize(text: &str) -> String {
    normalize_with_origins(text).0
}

/// [`normalize`], plus for each character of the result the byte range of
/// `text` it came from, to map matches back to the original.
pub fn normalize_with_origins(text: &str) -> (String, Vec<NormChar>) {
    let mut out = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len() / 2);
    for_each_matchable(text, |c, origin| {
        out.push(c);
        origins.push(origin);
    });
    (out, origins)
}

/// Calls `take` with each character of [`normalize`]'s result and the
/// normalized character it stands for (a space stands for a run of
/// separators, and carries the first one's origin).
pub fn for_each_matchable(text: &str, mut take: impl FnMut(char, NormChar)) {
    let mut started = false;
    let mut pending_space: Option<NormChar> = None;
    for_each_normalized(text, |n| {
        if n.class == Class::Separator {
            if started && pending_space.is_none() {
                pending_space = Some(NormChar { c: ' ', ..n });
            }
        } else {
            if let Some(space) = pending_space.take() {
                take(' ', space);
            }
            take(n.c, n);
            started = true;
        }
    });
}

/// How many index positions `text` holds: a Han character, a Latin word
/// or a number is one (as in gap queries); spaces and punctuation none. The
/// size of a text that per-10,000 figures and corpus statistics divide by.
pub fn count_positions(text: &str) -> u64 {
    let mut positions = Positions::default();
    for_each_matchable(text, |c, _| positions.push(c));
    positions.count
}

/// [`count_positions`] of text already normalized (equal to it on the original).
pub fn count_normalized_positions(normalized: &str) -> u64 {
    let mut positions = Positions::default();
    normalized.chars().for_each(|c| positions.push(c));
    positions.count
}

/// Counts positions one normalized character at a time.
#[derive(Default)]
struct Positions {
    count: u64,
    previous_is_word: bool,
}

impl Positions {
    fn push(&mut self, c: char) {
        let class = classify(c);
        let is_word = class == Class::Word;
        if class != Class::Separator && !(is_word && self.previous_is_word) {
            self.count += 1;
        }
        self.previous_is_word = is_word;
    }
}

/// Where `phrase` (already normalized) occurs in `text` (already normalized),
/// as byte ranges of `text`, overlapping ones included. A match may not start or end inside a word: `5g`
/// is not found in `5gb`, nor `m2` in `pm2`. This is the reference the index is
/// tested against, and what snippets highlight.
pub fn find_phrase(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let (Some(first), Some(last)) = (phrase.chars().next(), phrase.chars().next_back()) else {
        return Vec::new();
    };
    let is_word = |c: char| classify(c) == Class::Word;
    let mut found = Vec::new();
    let finder = memchr::memmem::Finder::new(phrase.as_bytes());
    let mut from = 0;
    while let Some(at) = finder.find(&text.as_bytes()[from..]) {
        let start = from + at;
        let end = start + phrase.len();
        // Overlapping occurrences count: the next one may start one character on.
        from = start + first.len_utf8();
        let cuts_before = is_word(first) && text[..start].chars().next_back().is_some_and(is_word);
        let cuts_after = is_word(last) && text[end..].chars().next().is_some_and(is_word);
        if !cuts_before && !cuts_after {
            found.push((start, end));
        }
    }
    found
}

pub fn classify(c: char) -> Class {
    // Most characters of a report: answered without Unicode's tables (every
    // code point of the common Han block is a letter).
    if is_common_han(c) {
        return Class::Cjk;
    }
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { Class::Word } else { Class::Separator };
    }
    classify_by_tables(c)
}

/// `classify`, asking Unicode's tables for every character.
fn classify_by_tables(c: char) -> Class {
    if !c.is_alphanumeric() {
        Class::Separator
    } else if is_cjk_script(c) {
        Class::Cjk
    } else {
        Class::Word
    }
}

fn is_cjk_script(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF         // Hangul Jamo
        | 0x2E80..=0x2FDF       // radicals
        | 0x3000..=0x303F       // 〇 々 and other letters among CJK symbols
        | 0x3040..=0x31FF       // Kana, Bopomofo, Hangul compatibility Jamo
        | 0x3400..=0x4DBF       // Han extension A
        | 0x4E00..=0x9FFF       // Han
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF       // Hangul syllables
        | 0xF900..=0xFAFF       // Han compatibility
        | 0xFF66..=0xFFDC       // half-width Kana and Hangul
        | 0x1B000..=0x1B16F     // Kana supplement
        | 0x20000..=0x3FFFF) // Han extensions B and later
}

fn is_common_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF)
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Lowercases ASCII and folds traditional Han to simplified.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let table = simplified_table();
    let code = c as usize;
    if code < table.bmp.len() {
        char::from_u32(table.bmp[code]).unwrap_or(c)
    } else {
        table.astral.get(&c).copied().unwrap_or(c)
    }
}

struct SimplifiedTable {
    /// Every BMP code point to its simplified form (itself when none).
    bmp: Vec<u32>,
    astral: HashMap<char, char>,
}

/// OpenCC's traditional → simplified character table, with chains resolved
/// so that folding twice gives the same character (see `simplified.rs`).
fn simplified_table() -> &'static SimplifiedTable {
    static TABLE: OnceLock<SimplifiedTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bmp: Vec<u32> = (0..0x10000).collect();
        let mut astral = HashMap::new();
        for &(t, s) in crate::simplified::PAIRS {
            if (t as usize) < bmp.len() {
                bmp[t as usize] = s as u32;
            } else {
                astral.insert(t, s);
            }
        }
        SimplifiedTable { bmp, astral }
    })
}

/// Marks the unigram of the first letter of a CJK run (`健^`), as distinct
/// from the unigram of the last letter (`健`). `^` is a separator, so no
/// other term contains it.
pub const RUN_START: char = '^';
/// The term for a run of separators.
const SEPARATOR: char = ' ';

/// Whether `term` is the one that stands for a run of separators.
pub fn is_separator_term(term: &str) -> bool {
    let mut chars = term.chars();
    chars.next() == Some(SEPARATOR) && chars.next().is_none()
}

/// The terms a phrase must match, with their positions relative to the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseTerms {
    /// Empty when the phrase has no letters or digits.
    pub terms: Vec<(usize, String)>,
    /// The phrase is one CJK letter, which may sit anywhere in a run: it
    /// matches every term beginning with it.
    pub is_prefix: bool,
    /// How many positions the phrase covers (its last is `span - 1`).
    pub span: usize,
}

pub fn phrase_terms(phrase: &str) -> PhraseTerms {
    let chars = normalized_chars(phrase);
    let mut terms: Vec<(usize, String)> = Vec::new();
    let mut position = 0usize;
    let mut i = 0;
    // Leading separators take no position: the phrase starts at its first letter.
    while i < chars.len() && chars[i].class == Class::Separator {
        i += 1;
    }
    while i < chars.len() {
        let class = chars[i].class;
        let run_end = (i..chars.len()).find(|&j| chars[j].class != class).unwrap_or(chars.len());
        // Trailing punctuation is trimmed, as in `normalize`.
        let is_last = chars[run_end..].iter().all(|n| n.class == Class::Separator);
        match class {
            Class::Separator if is_last => break,
            Class::Separator => {
                terms.push((position, SEPARATOR.to_string()));
                position += 1;
            }
            Class::Word => {
                terms.push((position, chars[i..run_end].iter().map(|n| n.c).collect()));
                position += 1;
            }
            Class::Cjk => {
                let run = &chars[i..run_end];
                if run.len() > 1 {
                    // Bigrams at 0, 2, 4… and the last one cover every character.
                    let last = run.len() - 2;
                    let mut k = 0;
                    loop {
                        terms.push((position + k, [run[k].c, run[k + 1].c].iter().collect()));
                        if k == last {
                            break;
                        }
                        k = (k + 2).min(last);
                    }
                } else if !is_last {
                    // Something other than a letter follows: the text's run ends here too.
                    terms.push((position, run[0].c.to_string()));
                } else if !terms.is_empty() {
                    // Something other than a letter comes before: the text's run starts here.
                    terms.push((position, format!("{}{RUN_START}", run[0].c)));
                } else {
                    return PhraseTerms { terms: vec![(0, run[0].c.to_string())], is_prefix: true, span: 1 };
                }
                position += run.len();
            }
        }
        if is_last {
            break;
        }
        i = run_end;
    }
    PhraseTerms { terms, is_prefix: false, span: position }
}

/// One index term of a text: its characters, position and the bytes of the
/// original text it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub chars: [char; 2],
    /// 1 or 2 for CJK terms; 0 when the term is `word` characters long.
    pub len: usize,
    pub position: usize,
    pub from: usize,
    pub to: usize,
}

/// The index-time tokenizer (see the module comment), shared by Tantivy's
/// index on the server and the static index the browser searches.
///
/// It normalizes the text a piece at a time (`PIECE_BYTES`), keeping only
/// the characters still needed: a report of 64 MB normalized at once took
/// 24 bytes a character, 770 MB.
pub struct Tokens<'a> {
    text: &'a str,
    /// Where in `text` the next piece to normalize starts.
    read: usize,
    /// Normalized characters `base..base + chars.len()` of the text.
    chars: Vec<NormChar>,
    base: usize,
    /// The next character to read (counted from the text's start).
    next: usize,
    /// The position of the next character.
    position: usize,
    /// Tokens of the last character read still to hand out, last first.
    pending: Vec<Token>,
    /// Bytes of text normalized at a time (`PIECE_BYTES`; tests cut
    /// smaller pieces to cross every boundary).
    piece_bytes: usize,
}

/// Bytes of text normalized at a time.
const PIECE_BYTES: usize = 16 * 1024;

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Tokens<'a> {
        Tokens::in_pieces(text, PIECE_BYTES)
    }

    fn in_pieces(text: &'a str, piece_bytes: usize) -> Tokens<'a> {
        let pending = Vec::with_capacity(3);
        Tokens { text, read: 0, chars: Vec::new(), base: 0, next: 0, position: 0, pending, piece_bytes }
    }

    /// The normalized character at `at` (counted from the text's start),
    /// normalizing more of the text if needed. Characters before `keep`
    /// are no longer needed.
    fn char_at(&mut self, at: usize, keep: usize) -> Option<NormChar> {
        while at >= self.base + self.chars.len() && self.read < self.text.len() {
            let drop = keep.saturating_sub(self.base).min(self.chars.len());
            self.chars.drain(..drop);
            self.base += drop;
            self.normalize_piece();
        }
        at.checked_sub(self.base).and_then(|i| self.chars.get(i)).copied()
    }

    /// Normalizes the next piece of the text: at least `PIECE_BYTES`, to a
    /// character boundary that no combining mark follows (a base character
    /// and its marks normalize together).
    fn normalize_piece(&mut self) {
        let rest = &self.text[self.read..];
        let mut end = self.piece_bytes.max(1).min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        while let Some(c) = rest[end..].chars().next().filter(|&c| is_combining_mark(c)) {
            end += c.len_utf8();
        }
        let offset = self.read;
        let chars = &mut self.chars;
        for_each_normalized(&rest[..end], |n| chars.push(NormChar { from: n.from + offset, to: n.to + offset, ..n }));
        self.read += end;
    }

    /// The next term, its text written into `text` (cleared first).
    pub fn next_into(&mut self, text: &mut String) -> Option<Token> {
        text.clear();
        if let Some(t) = self.pending.pop() {
            text.extend(t.chars.into_iter().take(t.len));
            return Some(t);
        }
        let start = self.next;
        // The character before is looked back at (does a CJK run start here?).
        let keep = start.saturating_sub(1);
        let here = self.char_at(start, keep)?;
        let position = self.position;
        self.position += 1;
        if here.class == Class::Cjk {
            self.next += 1;
            self.queue_cjk(here, start, position);
            return self.next_into(text);
        }
        // A run of separators or of word characters is one token.
        let mut last = here;
        if here.class == Class::Separator {
            text.push(SEPARATOR);
        } else {
            text.push(here.c);
        }
        self.next += 1;
        // Read as it goes: a run of any length holds no more characters.
        while let Some(n) = self.char_at(self.next, self.next - 1).filter(|n| n.class == here.class) {
            if here.class != Class::Separator {
                text.push(n.c);
            }
            last = n;
            self.next += 1;
        }
        Some(Token { chars: [' ', ' '], len: 0, position, from: here.from, to: last.to })
    }

    /// Queues a CJK letter's tokens: run-start unigram, bigram, run-end unigram.
    fn queue_cjk(&mut self, here: NormChar, at: usize, position: usize) {
        let keep = at.saturating_sub(1);
        let starts_run = at == 0 || self.char_at(at - 1, keep).is_none_or(|before| before.class != Class::Cjk);
        let next = self.char_at(at + 1, keep).filter(|n| n.class == Class::Cjk);
        let one = |chars, len| Token { chars, len, position, from: here.from, to: here.to };
        match next {
            None => self.pending.push(one([here.c, ' '], 1)),
            Some(after) => self.pending.push(Token { to: after.to, ..one([here.c, after.c], 2) }),
        }
        if starts_run {
            self.pending.push(one([here.c, RUN_START], 2));
        }
    }
}

/// Calls `take` with every term of `text` and its position.
pub fn for_each_token(text: &str, mut take: impl FnMut(&str, usize)) {
    let mut tokens = Tokens::new(text);
    let mut term = String::new();
    while let Some(token) = tokens.next_into(&mut term) {
        take(&term, token.position);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_token(text, |term, position| out.push((position, term.to_owned())));
        out
    }

    fn owned(items: &[(usize, &str)]) -> Vec<(usize, String)> {
        items.iter().map(|(p, t)| (*p, t.to_string())).collect()
    }

    #[test]
    fn positions_count_han_characters_words_and_numbers() {
        assert_eq!(count_positions(""), 0);
        assert_eq!(count_positions("坚持发展"), 4);
        // 6.5 is two numbers, as the index reads it.
        assert_eq!(count_positions("推广5G基站，GDP增长6.5%"), 10);
        assert_eq!(count_positions("  ，。"), 0);
    }

    #[test]
    fn the_table_agrees_with_the_slow_path_on_every_bmp_character() {
        for c in ('\0'..='\u{ffff}').filter(|c| !is_combining_mark(*c)) {
            let fast: Vec<char> = normalized_chars(&c.to_string()).iter().map(|n| n.c).collect();
            assert_eq!(fast, normalize_piece(&c.to_string()), "{c:?}");
        }
    }

    #[test]
    fn raw_forms_are_everything_that_normalizes_to_a_character() {
        let forms = raw_forms('发');
        assert!(forms.contains(&'发') && forms.contains(&'發') && forms.contains(&'髮'), "{forms:?}");
        let forms = raw_forms('a');
        assert!(forms.contains(&'a') && forms.contains(&'A') && forms.contains(&'Ａ'), "{forms:?}");
        assert!(raw_forms('1').contains(&'①'));
        assert!(raw_forms('é').contains(&'e'));
    }

    #[test]
    fn the_fast_paths_of_classify_agree_with_unicode() {
        for c in ('\0'..='\u{7f}').chain('\u{4e00}'..='\u{9fff}') {
            assert_eq!(classify(c), classify_by_tables(c), "{c:?}");
        }
    }

    /// The tokens of `text` as made before pieces: every character
    /// normalized first, then read.
    fn tokens_all_at_once(text: &str) -> Vec<(usize, String, usize, usize)> {
        let chars = normalized_chars(text);
        let mut out = Vec::new();
        let mut at = 0;
        let mut position = 0;
        while at < chars.len() {
            let here = chars[at];
            if here.class == Class::Cjk {
                let starts_run = at == 0 || chars[at - 1].class != Class::Cjk;
                if starts_run {
                    out.push((position, format!("{}{RUN_START}", here.c), here.from, here.to));
                }
                match chars.get(at + 1).filter(|n| n.class == Class::Cjk) {
                    Some(after) => out.push((position, format!("{}{}", here.c, after.c), here.from, after.to)),
                    None => out.push((position, here.c.to_string(), here.from, here.to)),
                }
                at += 1;
            } else {
                let start = at;
                while chars.get(at).is_some_and(|n| n.class == here.class) {
                    at += 1;
                }
                let term = if here.class == Class::Separator {
                    SEPARATOR.to_string()
                } else {
                    chars[start..at].iter().map(|n| n.c).collect()
                };
                out.push((position, term, here.from, chars[at - 1].to));
            }
            position += 1;
        }
        out
    }

    fn tokens_in_pieces(text: &str, piece_bytes: usize) -> Vec<(usize, String, usize, usize)> {
        let mut tokens = Tokens::in_pieces(text, piece_bytes);
        let mut term = String::new();
        let mut out = Vec::new();
        while let Some(t) = tokens.next_into(&mut term) {
            out.push((t.position, term.clone(), t.from, t.to));
        }
        out
    }

    proptest::proptest! {
        /// Pieces of any size, cut anywhere (inside a run of letters, of
        /// separators, of Han characters, before a combining mark), give
        /// the tokens of the whole text.
        #[test]
        fn normalizing_in_pieces_changes_no_token(
            text in "[疫情防控發展aBc1２ ，。\u{301}\u{200b}①ﬁ]{0,60}",
            piece_bytes in 1usize..24,
        ) {
            proptest::prop_assert_eq!(tokens_in_pieces(&text, piece_bytes), tokens_all_at_once(&text));
        }
    }

    #[test]
    fn a_long_text_is_read_in_pieces_as_a_whole() {
        let text = format!("{}{}", "疫情防控abc，e\u{301}".repeat(5_000), "x".repeat(40_000));
        assert_eq!(tokens_in_pieces(&text, PIECE_BYTES), tokens_all_at_once(&text));
    }

    #[test]
    fn cjk_runs_give_bigrams_and_a_final_unigram() {
        assert_eq!(tokens("疫情防控"), owned(&[(0, "疫^"), (0, "疫情"), (1, "情防"), (2, "防控"), (3, "控")]));
        assert_eq!(tokens("a网"), owned(&[(0, "a"), (1, "网^"), (1, "网")]));
    }

    #[test]
    fn words_are_lowercased_and_separators_take_one_position() {
        assert_eq!(tokens("PM2.5，5G"), owned(&[(0, "pm2"), (1, " "), (2, "5"), (3, " "), (4, "5g")]));
        assert_eq!(tokens("  a ,; b"), owned(&[(0, " "), (1, "a"), (2, " "), (3, "b")]));
    }

    #[test]
    fn normalization_folds_width_case_zero_width_and_traditional() {
        assert_eq!(normalize("ＰＭ２．５"), "pm2 5");
        assert_eq!(normalize("疫情\u{200B}防控"), "疫情防控");
        assert_eq!(normalize("工作\u{3000}报告"), "工作 报告");
        assert_eq!(normalize("報告"), "报告");
        assert_eq!(normalize("“十四五”规划"), "十四五 规划");
        assert_eq!(normalize("二〇二〇年"), "二〇二〇年");
        assert_eq!(normalize("cafe\u{301} Café"), "café café");
    }

    #[test]
    fn phrase_terms_skip_redundant_bigrams() {
        let terms = |p: &str| phrase_terms(p).terms;
        assert_eq!(terms("打通供应链"), owned(&[(0, "打通"), (2, "供应"), (3, "应链")]));
        assert_eq!(terms("十四五"), owned(&[(0, "十四"), (1, "四五")]));
        assert_eq!(terms("防控，打通"), owned(&[(0, "防控"), (2, " "), (3, "打通")]));
        assert!(terms("，。！").is_empty());
        let span = |p: &str| phrase_terms(p).span;
        assert_eq!((span("打通供应链"), span("防控，打通"), span("网5G"), span("“2020年。”")), (5, 5, 2, 2));
    }

    #[test]
    fn lone_letters_match_run_edges_or_any_term() {
        assert_eq!(phrase_terms("的"), PhraseTerms { terms: owned(&[(0, "的")]), is_prefix: true, span: 1 });
        assert_eq!(phrase_terms("的。").terms, owned(&[(0, "的")]));
        assert_eq!(phrase_terms("“5G网”").terms, owned(&[(0, "5g"), (1, "网^")]));
        assert_eq!(phrase_terms("网5G").terms, owned(&[(0, "网"), (1, "5g")]));
        assert_eq!(phrase_terms("管理，健").terms, owned(&[(0, "管理"), (2, " "), (3, "健^")]));
        assert!(!phrase_terms("疫情").is_prefix);
    }

    #[test]
    fn find_phrase_respects_word_boundaries() {
        assert_eq!(find_phrase("pm2 5 下降", "pm2 5"), vec![(0, 5)]);
        assert!(find_phrase("pm2 5", "m2 5").is_empty());
        assert!(find_phrase("5gb", "5g").is_empty());
        assert_eq!(find_phrase("建设5g网络", "5g"), vec![(6, 8)]);
        assert_eq!(find_phrase("网络网络", "络网"), vec![(3, 9)]);
        assert_eq!(find_phrase("哈哈哈", "哈哈"), vec![(0, 6), (3, 9)]);
    }

    #[test]
    fn table_folds_traditional_consistently() {
        for c in ['報', '與', '發', '裡', '乾'] {
            assert_eq!(fold(fold(c)), fold(c));
        }
        assert_eq!(fold('后'), '后');
        assert_eq!(fold('後'), '后');
    }
}
