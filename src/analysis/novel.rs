//! New and dropped formulations: the phrases of 4 to 12 characters that one
//! report uses and another does not (新提法 / 不再出现的提法). Consecutive
//! government work reports share few sentences (about 3%), so a sentence
//! diff says little; which formulations came and went says much.
//!
//! A formulation is wording the report repeats: a phrase of Han characters
//! (within a clause: punctuation, numbers and Latin words end it) that
//! occurs at least twice in the report and not at all in the other one.
//! Numbers are left out by construction (and the units after them: 年, 万,
//! 亿), and so is most stock phrasing, which both reports share; a phrase
//! does not begin or end with a particle (的, 和, 与 …). Of nested phrases only the longest with the
//! same count is kept (新质生产力, not 新质生产 and 质生产力 too). Most
//! repeated first, then longest.
//!
//! Cost is one pass over each text with 4-character windows in hash sets,
//! then one pass per phrase length over the places where shorter phrases
//! repeat: about a millisecond for two reports of 10,000 characters, linear
//! in the text, with memory for the repeated phrases only.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::words;
use wenku_engine::analyzer::{Class, for_each_normalized};

/// Phrase lengths, in characters.
pub const MIN_CHARS: usize = 4;
pub const MAX_CHARS: usize = 12;
/// A formulation occurs at least this often in its report.
pub(super) const MIN_COUNT: usize = 2;
/// Formulations listed each way.
pub const MAX_LISTED: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formulation {
    pub text: String,
    /// Occurrences in the report that has it.
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Novel {
    /// In the newer report, not in the older.
    pub added: Vec<Formulation>,
    /// In the older report, not in the newer.
    pub dropped: Vec<Formulation>,
}

impl Novel {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.dropped.is_empty()
    }
}

/// Comparisons made, by the digests of the two reports' texts (older,
/// newer): a report's page and its comparison page show one, and a build
/// from the state (`rebuild::state`) keeps them, so a page rewritten for
/// another reason (its passage markers) does not compare again.
#[derive(Debug, Default)]
pub struct Compared(std::sync::Mutex<HashMap<(u64, u64), std::sync::Arc<Novel>>>);

impl Compared {
    /// `compare` of the two texts, made once.
    pub fn get_or_compare(&self, digests: (u64, u64), compare: impl FnOnce() -> Novel) -> std::sync::Arc<Novel> {
        if let Some(novel) = self.lock().get(&digests) {
            return novel.clone();
        }
        // Made without the lock: pages render in parallel.
        let novel = std::sync::Arc::new(compare());
        self.lock().entry(digests).or_insert(novel).clone()
    }

    /// Keeps only the comparisons of `pairs`.
    pub fn retain(&self, pairs: &std::collections::HashSet<(u64, u64)>) {
        self.lock().retain(|key, _| pairs.contains(key));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u64, u64), std::sync::Arc<Novel>>> {
        self.0.lock().expect("no comparison panics while holding the lock")
    }
}

impl Serialize for Compared {
    fn serialize<S: serde::Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        let all = self.lock();
        let all: Vec<((u64, u64), &Novel)> = all.iter().map(|(key, novel)| (*key, &**novel)).collect();
        all.serialize(to)
    }
}

impl<'de> Deserialize<'de> for Compared {
    fn deserialize<D: serde::Deserializer<'de>>(from: D) -> Result<Compared, D::Error> {
        let all = Vec::<((u64, u64), Novel)>::deserialize(from)?;
        Ok(Compared(std::sync::Mutex::new(
            all.into_iter().map(|(key, novel)| (key, std::sync::Arc::new(novel))).collect(),
        )))
    }
}

/// What `new` says that `old` does not, and the reverse. Each is the text
/// of a report's blocks.
pub fn compare<'a>(old: impl IntoIterator<Item = &'a str>, new: impl IntoIterator<Item = &'a str>) -> Novel {
    let old = Runs::of(old);
    let new = Runs::of(new);
    Novel { added: formulations(&new, &old), dropped: formulations(&old, &new) }
}

/// A text's runs of Han characters (normalized: traditional folded), each
/// a clause or part of one, in one list with `BREAK` between them (one
/// allocation, not one per clause).
pub(super) struct Runs {
    pub(super) chars: Vec<char>,
    /// Every 4-character window, with how often it occurs.
    pub(super) windows: Windows,
}

/// A text's 4-character windows: every one (sorted keys, 8 bytes each; a
/// hash map of them took 40 bytes a window, 1.1 GB for a 64 MB report of
/// distinct windows), and those that repeat with their counts, for the
/// lookups of every place (binary searches over the sorted keys would miss
/// the cache at each step).
pub(super) struct Windows {
    keys: Vec<u64>,
    repeated: KeyMap<u32>,
}

impl Windows {
    fn of(chars: &[char]) -> Windows {
        let mut keys: Vec<u64> = chars.windows(MIN_CHARS).filter(|w| !w.contains(&BREAK)).map(key).collect();
        keys.sort_unstable();
        let mut repeated = KeyMap::default();
        for run in keys.chunk_by(|a, b| a == b).filter(|run| run.len() >= MIN_COUNT) {
            repeated.insert(run[0], run.len() as u32);
        }
        keys.dedup();
        keys.shrink_to_fit();
        Windows { keys, repeated }
    }

    /// Whether a window occurs `min_count` (at least `MIN_COUNT`) times or more.
    fn repeats(&self, key: u64, min_count: usize) -> bool {
        self.repeated.get(&key).is_some_and(|&n| n as usize >= min_count)
    }

    pub(super) fn contains(&self, key: u64) -> bool {
        self.keys.binary_search(&key).is_ok()
    }

    /// Whether any 4-character window of `phrase` is missing here: then the
    /// phrase occurs nowhere in the text.
    pub(super) fn lack_part_of(&self, phrase: &[char]) -> bool {
        phrase.windows(MIN_CHARS).any(|window| !self.contains(key(window)))
    }
}

/// Counts of windows by a hash of a few bits, never less than a window's
/// own count: cheaper than sorting every window when only the windows
/// that cannot repeat often enough are to be ruled out.
pub(super) struct Sketch(Vec<u8>, u32);

impl Sketch {
    pub(super) fn of(chars: &[char]) -> Sketch {
        let bits = (2 * chars.len()).next_power_of_two().trailing_zeros().max(10);
        let mut sketch = Sketch(vec![0; 1 << bits], 64 - bits);
        for (at, window) in chars.windows(MIN_CHARS).enumerate() {
            if let Some(ahead) = chars.get(at + PREFETCH..at + PREFETCH + MIN_CHARS) {
                sketch.prefetch(key(ahead));
            }
            if !window.contains(&BREAK) {
                let slot = sketch.slot(key(window));
                sketch.0[slot] = sketch.0[slot].saturating_add(1);
            }
        }
        sketch
    }

    /// Asks for a window's slot a few windows before it is counted.
    fn prefetch(&self, key: u64) {
        prefetch(&self.0[self.slot(key)]);
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.1) as usize
    }

    /// Whether the window may occur `min_count` times or more.
    pub(super) fn may_reach(&self, key: u64, min_count: usize) -> bool {
        self.0[self.slot(key)] as usize >= min_count.min(u8::MAX as usize)
    }
}

/// How many windows ahead a table's slot is fetched (`prefetch`): enough
/// for the memory to answer in time, not so many that it leaves the cache.
pub(super) const PREFETCH: usize = 16;

/// Brings the cache line of `at` into the cache without waiting for it:
/// the tables of windows are megabytes, and each window a cache miss.
pub(super) fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((at as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Stands between runs: no window or phrase holds it.
pub(super) const BREAK: char = '\0';

impl Runs {
    fn of<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Runs {
        let mut chars = Vec::new();
        for block in blocks {
            push_runs(&mut chars, block);
        }
        Runs::from_chars(chars)
    }

    /// Runs from characters put together by `push_runs`.
    pub(super) fn from_chars(chars: Vec<char>) -> Runs {
        let windows = Windows::of(&chars);
        Runs { chars, windows }
    }
}

/// Appends the runs of Han characters of `block` (normalized), each ended
/// by `BREAK`. The character right after an Arabic number is its unit or
/// measure word (2021年, 10件, 3项), which belongs to the number: it is
/// left out like the number.
pub(super) fn push_runs(chars: &mut Vec<char>, block: &str) {
    let mut after_digit = false;
    for_each_normalized(block, |n| {
        if n.class == Class::Cjk && !after_digit {
            chars.push(n.c);
        } else if chars.last().is_some_and(|&c| c != BREAK) {
            chars.push(BREAK);
        }
        after_digit = n.c.is_ascii_digit();
    });
    if chars.last().is_some_and(|&c| c != BREAK) {
        chars.push(BREAK);
    }
}

/// The formulations of `text` that `other` lacks.
///
/// Phrases are counted one length at a time, from 4 characters up: a phrase
/// of n characters can repeat only where both of its phrases of n − 1
/// characters repeat, so each length counts only those places. Time is
/// linear in the text, and memory is the repeated phrases, never every
/// phrase of every length (a 20 MB report without punctuation took 5 GB
/// counted all at once).
fn formulations(text: &Runs, other: &Runs) -> Vec<Formulation> {
    let chars = &text.chars;
    // A formulation holds a window that `other` lacks.
    let mut kept =
        maximal_phrases(text, MIN_COUNT, |phrase| reads_as_a_phrase(phrase) && other.windows.lack_part_of(phrase));
    kept.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.len().cmp(&a.0.len())).then(a.0.cmp(b.0)));
    // Whole words only (气污染治理 is no formulation), judged in the clause
    // of the phrase's first place: only for the phrases that may be listed.
    kept.into_iter()
        .filter_map(|(phrase, count)| {
            let text = shown(chars, phrase)?;
            Some(Formulation { text, count: count as usize })
        })
        .take(MAX_LISTED)
        .collect()
}

/// The phrases of `text` repeated `min_count` times or more for which
/// `keep` holds, with their counts: of nested phrases only the longest with
/// the same count (a phrase one character longer with as many occurrences
/// replaces it), and a phrase longer than the limit as its first
/// `MAX_CHARS` characters, not as every `MAX_CHARS` characters of it.
pub(super) fn maximal_phrases(text: &Runs, min_count: usize, keep: impl Fn(&[char]) -> bool) -> Vec<(&[char], u32)> {
    let min_count = min_count.max(MIN_COUNT);
    maximal_phrases_in(&text.chars, |key| text.windows.repeats(key, min_count), min_count, keep)
}

/// `maximal_phrases` of characters put together by `push_runs`, whose
/// windows are told apart by `may_repeat`: false only for a window that
/// occurs fewer than `min_count` times (a `Sketch` is enough).
pub(super) fn maximal_phrases_in(
    chars: &[char],
    may_repeat: impl Fn(u64) -> bool,
    min_count: usize,
    keep: impl Fn(&[char]) -> bool,
) -> Vec<(&[char], u32)> {
    let levels = repeated_phrases(chars, may_repeat, min_count.max(MIN_COUNT));
    let count_of = |phrase: &[char]| {
        levels
            .get(phrase.len().wrapping_sub(MIN_CHARS))
            .and_then(|level| level.get(&phrase_hash(phrase)))
            .map_or(0, |p| p.count)
    };
    let mut kept: Vec<(&[char], u32)> = Vec::new();
    for (level, phrases) in levels.iter().enumerate().take(MAX_CHARS - MIN_CHARS + 1) {
        let length = MIN_CHARS + level;
        for p in phrases.values() {
            let (start, end) = (p.start as usize, p.start as usize + length);
            let phrase = &chars[start..end];
            let at_limit = length == MAX_CHARS;
            let longer_right =
                !at_limit && chars.get(end).is_some_and(|&c| c != BREAK) && count_of(&chars[start..end + 1]) == p.count;
            let longer_left = start > 0 && chars[start - 1] != BREAK && count_of(&chars[start - 1..end]) == p.count;
            if !longer_right && !longer_left && keep(phrase) {
                kept.push((phrase, p.count));
            }
        }
    }
    kept
}

/// The phrase as listed, grown to what always follows it when cut at the
/// limit, if it is whole words of its clause.
pub(super) fn shown(chars: &[char], phrase: &[char]) -> Option<String> {
    shown_growing_in(chars, phrase, chars)
}

/// `shown`, with the places a phrase cut at the limit grows by looked for
/// in `places` (a text that holds every place of it, with what follows).
pub(super) fn shown_growing_in(chars: &[char], phrase: &[char], places: &[char]) -> Option<String> {
    // `phrase` is a slice of `chars`: its place.
    let start = (phrase.as_ptr() as usize - chars.as_ptr() as usize) / size_of::<char>();
    let from =
        chars[..start].iter().rposition(|&c| c == BREAK).map_or(0, |at| at + 1).max(start.saturating_sub(CONTEXT));
    let to = chars[start..]
        .iter()
        .position(|&c| c == BREAK)
        .map_or(chars.len(), |at| start + at)
        .min(start + SHOWN_CHARS.max(phrase.len()) + CONTEXT);
    let clause: String = chars[from..to].iter().collect();
    let byte = |at: usize| chars[from..at].iter().map(|c| c.len_utf8()).sum::<usize>();
    let cuts = words::boundaries(&clause);
    if !words::is_boundary(&cuts, byte(start)) {
        return None;
    }
    // Only now the (costlier) look at every place of a phrase cut at the limit.
    let length = whole(places, phrase);
    // The longest whole form up to the shown length.
    (phrase.len()..=length)
        .rev()
        .find(|&n| words::is_boundary(&cuts, byte(start + n)))
        .map(|n| chars[start..start + n].iter().collect())
}

/// Characters of the clause on each side of a phrase that its segmenting sees.
const CONTEXT: usize = 32;

/// The phrases of the text that occur `min_count` times or more, by length
/// (from `MIN_CHARS` to one past `MAX_CHARS`, which tells a phrase cut at
/// the limit from one that ends there), each by hash with its count and
/// first place.
fn repeated_phrases(chars: &[char], may_repeat: impl Fn(u64) -> bool, min_count: usize) -> Vec<KeyMap<Phrase>> {
    let mut levels = Vec::new();
    // The places, in order, where the phrase of the last length repeats
    // (at first: where the window may repeat; its phrases are counted
    // exactly like the others). Only these are visited, not every place.
    let mut repeating: Vec<u32> = (0..(chars.len() + 1).saturating_sub(MIN_CHARS))
        .filter(|&start| {
            let window = &chars[start..start + MIN_CHARS];
            !window.contains(&BREAK) && may_repeat(key(window))
        })
        .map(|start| start as u32)
        .collect();
    // Each such place's hash, grown by one character a length.
    let mut hash_at: Vec<u64> = vec![0; repeating.len()];
    for length in MIN_CHARS..=MAX_CHARS + 1 {
        // At the first length every such window counts; after it, a place
        // counts where the two shorter phrases inside it repeat: it and
        // the place after it.
        let (counted, hashes): (Vec<u32>, Vec<u64>) = if length == MIN_CHARS {
            let hashes = repeating.iter().map(|&start| phrase_hash(&chars[start as usize..][..length])).collect();
            (repeating, hashes)
        } else {
            repeating
                .iter()
                .zip(&hash_at)
                .zip(repeating.iter().skip(1))
                .filter(|&((&start, _), &next)| next == start + 1 && start as usize + length <= chars.len())
                .map(|((&start, &hash), _)| (start, extend(hash, chars[start as usize + length - 1])))
                .unzip()
        };
        // Counted by sorting the places' hashes (8 bytes a place), not in a
        // map of every phrase: equal phrases end up side by side.
        let mut sorted = hashes.clone();
        sorted.sort_unstable();
        let mut phrases: KeyMap<Phrase> = KeyMap::default();
        for run in sorted.chunk_by(|a, b| a == b).filter(|run| run.len() >= min_count) {
            phrases.insert(run[0], Phrase { count: run.len() as u32, start: u32::MAX });
        }
        drop(sorted);
        // Where each repeated phrase is first, and where repeated phrases are.
        (repeating, hash_at) = counted
            .into_iter()
            .zip(hashes)
            .filter(|&(start, hash)| {
                phrases.get_mut(&hash).is_some_and(|p| {
                    p.start = p.start.min(start);
                    true
                })
            })
            .unzip();
        let done = phrases.is_empty();
        levels.push(phrases);
        if done {
            break;
        }
    }
    levels
}

/// The length of `phrase` as shown: if cut at the limit, with
/// the characters that always follow it (up to `SHOWN_CHARS`):
/// 统筹疫情防控和经济社会发展, not …经济社会发.
fn whole(chars: &[char], phrase: &[char]) -> usize {
    if phrase.len() < MAX_CHARS {
        return phrase.len();
    }
    // Every place the phrase is, then as long as the next character is the
    // same in all of them.
    let places: Vec<usize> =
        chars.windows(phrase.len()).enumerate().filter(|(_, w)| *w == phrase).map(|(at, _)| at).collect();
    let mut length = phrase.len();
    while length < SHOWN_CHARS {
        let mut next = places.iter().map(|at| chars.get(at + length).filter(|&&c| c != BREAK));
        let Some(Some(first)) = next.next() else { break };
        if !next.all(|c| c == Some(first)) {
            break;
        }
        length += 1;
    }
    length
}

/// How long a phrase cut at `MAX_CHARS` may grow when shown.
const SHOWN_CHARS: usize = 16;

/// Particles do not begin or end a formulation (高质量发展的 is 高质量发展;
/// 和小微企业 is 小微企业): the rule the research views' units follow too.
pub(crate) use wenku_engine::units::reads_as_a_phrase;

/// A phrase's count and the first place it is (its length is its level's).
struct Phrase {
    count: u32,
    start: u32,
}

pub(super) fn phrase_hash(chars: &[char]) -> u64 {
    // Not from 0: a leading character 0 would leave 0 and vanish.
    chars.iter().fold(0x243F_6A88_85A3_08D3, |hash, &c| extend(hash, c))
}

/// The hash of a phrase one character longer.
pub(super) fn extend(hash: u64, c: char) -> u64 {
    (hash.rotate_left(21) ^ c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

pub(super) fn key(window: &[char]) -> u64 {
    // Four characters fit in 84 bits; two of them in each half, folded.
    let a = (window[0] as u64) << 21 | window[1] as u64;
    let b = (window[2] as u64) << 21 | window[3] as u64;
    a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b
}

pub(super) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Keys are already mixed: hashing them again is wasted work.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct OldPhrase {
        count: u32,
        start: u32,
        end: u32,
    }

    /// The formulations as they were counted before, all lengths at once:
    /// the reference the length-by-length count must agree with.
    fn formulations_all_at_once(text: &Runs, other: &Runs) -> Vec<Formulation> {
        let chars = &text.chars;
        // Windows that occur twice or more: every formulation is made of them.
        let window_counts = &text.windows;
        // For the window starting at each place: repeated here, and missing
        // from `other` (looked up once, not once per phrase length).
        const REPEATED: u8 = 1;
        const NOVEL: u8 = 2;
        let flags: Vec<u8> = chars
            .windows(MIN_CHARS)
            .map(|window| {
                if window.contains(&BREAK) {
                    return 0;
                }
                let key = key(window);
                if !window_counts.repeats(key, MIN_COUNT) {
                    0
                } else if other.windows.contains(key) {
                    REPEATED
                } else {
                    REPEATED | NOVEL
                }
            })
            .collect();

        // Count every phrase of 4 to 12 characters made of repeated windows
        // and holding one that `other` lacks, by the hash of its characters,
        // with one place it occurs.
        let mut phrases: KeyMap<OldPhrase> =
            KeyMap::with_capacity_and_hasher(window_counts.keys.len(), Default::default());
        for start in 0..flags.len() {
            if flags[start] & REPEATED == 0 {
                continue;
            }
            let mut novel = false;
            let mut hash = phrase_hash(&chars[start..start + MIN_CHARS - 1]);
            // One character past the limit, only to tell a phrase cut at the
            // limit from one that ends there (see below).
            for end in start + MIN_CHARS..=chars.len().min(start + MAX_CHARS + 1) {
                let window = flags[end - MIN_CHARS];
                if window & REPEATED == 0 {
                    break;
                }
                hash = extend(hash, chars[end - 1]);
                novel |= window & NOVEL != 0;
                if novel {
                    phrases
                        .entry(hash)
                        .or_insert(OldPhrase { count: 0, start: start as u32, end: end as u32 })
                        .count += 1;
                }
            }
        }
        // Of nested phrases, the longest with the same count: a phrase one
        // character longer with as many occurrences replaces it.
        let count_of = |chars: &[char]| phrases.get(&phrase_hash(chars)).map_or(0, |p| p.count);
        let mut kept: Vec<(&[char], u32)> = phrases
            .values()
            .filter(|p| p.count as usize >= MIN_COUNT && (p.end - p.start) as usize <= MAX_CHARS)
            .filter_map(|p| {
                let (start, end) = (p.start as usize, p.end as usize);
                let phrase = &chars[start..end];
                // A phrase longer than the limit is kept as its first 12
                // characters (shown whole), not as every 12 characters of it.
                let at_limit = phrase.len() == MAX_CHARS;
                let longer_right = !at_limit
                    && chars.get(end).is_some_and(|&c| c != BREAK)
                    && count_of(&chars[start..end + 1]) == p.count;
                let longer_left = start > 0 && chars[start - 1] != BREAK && count_of(&chars[start - 1..end]) == p.count;
                let worth = !longer_right && !longer_left && reads_as_a_phrase(phrase);
                worth.then_some((phrase, p.count))
            })
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.len().cmp(&a.0.len())).then(a.0.cmp(b.0)));
        kept.into_iter()
            .filter_map(|(phrase, count)| Some(Formulation { text: shown(chars, phrase)?, count: count as usize }))
            .take(MAX_LISTED)
            .collect()
    }

    proptest::proptest! {
        /// Texts of few characters repeat much: every length is exercised.
        #[test]
        fn counting_length_by_length_finds_what_counting_all_at_once_did(
            old in "[发展改革创新，。稳中求进]{0,300}",
            new in "[发展改革创新，。稳中求进质]{0,300}",
        ) {
            let (old, new) = (Runs::of([old.as_str()]), Runs::of([new.as_str()]));
            let listed = |f: Vec<Formulation>| f.into_iter().map(|f| (f.text, f.count)).collect::<Vec<_>>();
            proptest::prop_assert_eq!(listed(formulations(&new, &old)), listed(formulations_all_at_once(&new, &old)));
            proptest::prop_assert_eq!(listed(formulations(&old, &new)), listed(formulations_all_at_once(&old, &new)));
        }
    }

    #[test]
    fn lists_repeated_phrases_one_report_has_and_the_other_lacks() {
        let old = ["坚持稳中求进工作总基调。推进供给侧结构性改革，深化供给侧结构性改革。2019年增长6%。"];
        let new =
            ["坚持稳中求进工作总基调。发展新质生产力，培育新质生产力，壮大新质生产力。2024年增长5%，2024年增长5%。"];
        let novel = compare(old, new);
        assert_eq!(novel.added, [Formulation { text: "新质生产力".into(), count: 3 }]);
        assert_eq!(novel.dropped, [Formulation { text: "供给侧结构性改革".into(), count: 2 }]);
    }

    #[test]
    fn shared_wording_and_single_uses_are_not_formulations() {
        let text = ["加快建设现代化产业体系，加快建设现代化产业体系。提出一次的说法。"];
        assert!(compare(text, text).is_empty());
        let once = compare(["别的内容别的内容"], ["提出一次的新说法。"]);
        assert!(once.added.is_empty());
    }

    #[test]
    fn the_unit_after_a_number_belongs_to_the_number() {
        let novel = compare(["别的内容别的内容"], ["办好10件惠民实事，再办5件惠民实事。"]);
        assert_eq!(novel.added, [Formulation { text: "惠民实事".into(), count: 2 }]);
    }

    #[test]
    fn traditional_characters_are_the_same_wording() {
        let novel = compare(["發展新質生產力，發展新質生產力。"], ["发展新质生产力，发展新质生产力。"]);
        assert!(novel.is_empty(), "{novel:?}");
    }
}
