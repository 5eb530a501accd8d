//! Han strings of 3 to [`PHRASE_MAX_CHARS`] characters found in at least
//! `min_docs` reports, with their postings (report, occurrences, overlapping
//! ones counted): a phrase that common needs no positions in the browser.
//!
//! Grown a character at a time, as Apriori does: a string is only counted
//! where both its shorter halves were frequent, which a bit per character
//! remembers. The reports' Han text waits in a scratch file between the
//! rounds, so memory holds one chunk of it and the bits.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use wenku_engine::analyzer::{Class, for_each_normalized};
use wenku_engine::static_index::format;

use super::keys::{Key, window_key};
use super::runs::Partition;

/// The longest string with an entry of its own: set phrases run long
/// (以习近平新时代中国特色社会主义思想为指导 is 19), and the longer strings
/// cost little, as few are frequent and only those are grown.
pub const PHRASE_MAX_CHARS: usize = 24;
/// Reports read from the scratch file at once.
const CHUNK: usize = 128;

/// Reports a Han string must be in to get its own entry: a string that
/// common is what a position check would cost the most for.
pub fn phrase_min_docs(docs: usize) -> usize {
    (docs / 50).max(20)
}

/// Every report's runs of Han letters (normalized) in a scratch file, as
/// 32-bit letters with a zero after each run.
pub struct HanText {
    path: PathBuf,
    out: BufWriter<File>,
    /// Where each report starts, in letters, and where the last ends.
    starts: Vec<u64>,
}

impl HanText {
    pub fn create(path: PathBuf) -> Result<HanText> {
        let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(HanText { path, out: BufWriter::with_capacity(1 << 20, file), starts: vec![0] })
    }

    /// A report's Han text, encoded (see [`HanText::push`]).
    pub fn encode(text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut in_run = false;
        for_each_normalized(text, |n| {
            if n.class == Class::Cjk {
                out.extend_from_slice(&(n.c as u32).to_le_bytes());
                in_run = true;
            } else if in_run {
                out.extend_from_slice(&0u32.to_le_bytes());
                in_run = false;
            }
        });
        if in_run {
            out.extend_from_slice(&0u32.to_le_bytes());
        }
        out
    }

    /// The next report's text, as [`HanText::encode`] gave it.
    pub fn push(&mut self, encoded: &[u8]) -> Result<()> {
        self.out.write_all(encoded)?;
        self.starts.push(self.starts.last().expect("starts at zero") + (encoded.len() / 4) as u64);
        Ok(())
    }

    fn chunks(&self) -> usize {
        (self.starts.len() - 1).div_ceil(CHUNK)
    }

    /// The letters of one chunk of reports, and where each report starts
    /// in them.
    fn read_chunk(&self, chunk: usize) -> Result<(Vec<char>, Vec<usize>)> {
        let docs = self.starts.len() - 1;
        let (from, to) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(docs));
        let (first, last) = (self.starts[from], self.starts[to]);
        let mut file = File::open(&self.path).with_context(|| format!("cannot read {}", self.path.display()))?;
        file.seek(SeekFrom::Start(first * 4))?;
        let mut bytes = vec![0u8; ((last - first) * 4) as usize];
        file.read_exact(&mut bytes).with_context(|| format!("cannot read {}", self.path.display()))?;
        // Zero (between runs) stays a letter no window may hold.
        let letters = bytes
            .chunks_exact(4)
            .map(|b| char::from_u32(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).unwrap_or('\0'))
            .collect();
        let starts = (from..=to).map(|doc| (self.starts[doc] - first) as usize).collect();
        Ok((letters, starts))
    }
}

/// One bit per letter of a chunk.
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    /// The letters `i` in `from..to` marked together with `i + 1`: where a
    /// string one letter longer has both halves marked (and so fits in its
    /// run). Word by word, so that letters without marks cost nothing.
    fn both(&self, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        (from / 64..to.div_ceil(64)).flat_map(move |w| {
            let next = self.0.get(w + 1).map_or(0, |&word| word << 63);
            let mut word = self.0[w] & ((self.0[w] >> 1) | next);
            // Only letters of this range.
            if w == from / 64 {
                word &= !0u64 << (from % 64);
            }
            if w == (to - 1) / 64 && to % 64 != 0 {
                word &= !0u64 >> (64 - to % 64);
            }
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros() as usize;
                    word &= word - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

/// The start of each window of `n` letters inside one run of `letters`.
fn windows(letters: &[char], n: usize) -> impl Iterator<Item = usize> + '_ {
    let mut run_end = 0;
    (0..letters.len()).filter(move |&i| {
        if run_end <= i {
            run_end = i + letters[i..].iter().position(|&c| c == '\0').unwrap_or(letters.len() - i);
        }
        i + n <= run_end
    })
}

/// Finds the frequent strings and adds their postings to `partitions`
/// under their phrase key. `pairs` are the frequent two-letter terms.
///
/// Strings are counted in a fixed table of counters by hash, so memory does
/// not grow with the archive. Strings that share a counter may pass
/// together: what is added is a few more strings than the frequent ones,
/// never fewer, and the merge keeps only those in `min_docs` reports.
pub fn gather(
    mut text: HanText,
    min_docs: usize,
    pairs: &FxHashSet<u128>,
    partitions: &mut [Partition],
    go_on: &(dyn Fn() -> Result<()> + Sync),
) -> Result<()> {
    text.out.flush().with_context(|| format!("cannot write {}", text.path.display()))?;
    let chunks = text.chunks();
    let min_docs = min_docs as u32;
    // Bit i: the string of the last length starting at letter i passed.
    let mut marks: Vec<Bits> = Vec::with_capacity(chunks);
    let mut counts = Counters::new();
    for_batches(chunks, go_on, |batch| {
        let done: Vec<(Bits, Vec<u32>)> = batch
            .into_par_iter()
            .map(|chunk| {
                go_on()?;
                let (letters, starts) = text.read_chunk(chunk)?;
                let mut bits = Bits::new(letters.len());
                for i in windows(&letters, 2) {
                    if pairs.contains(&window_key(&letters[i..i + 2])) {
                        bits.set(i);
                    }
                }
                let seen = candidates(&letters, &starts, &bits, 3);
                anyhow::Ok((bits, seen))
            })
            .collect::<Result<_>>()?;
        for (bits, seen) in done {
            marks.push(bits);
            counts.add(&seen);
        }
        Ok(())
    })?;
    for n in 3..=PHRASE_MAX_CHARS {
        // One pass per length: the marks move on to it, its strings'
        // postings are added, and the next length is counted.
        let passing = std::mem::replace(&mut counts, Counters::new());
        let mut keys: FxHashMap<u128, (Key, usize)> = FxHashMap::default();
        for_batches(chunks, go_on, |batch| {
            let first = batch.start;
            let done: Vec<(Vec<(u32, u128, u32)>, FxHashMap<u128, String>, Vec<u32>)> = marks[batch]
                .par_iter_mut()
                .enumerate()
                .map(|(offset, bits)| {
                    go_on()?;
                    let chunk = first + offset;
                    let (letters, starts) = text.read_chunk(chunk)?;
                    let passes = |key: u128| passing.at_least(key, min_docs);
                    let (postings, names) = mark(&letters, &starts, bits, n, passes, chunk * CHUNK);
                    let seen =
                        if n < PHRASE_MAX_CHARS { candidates(&letters, &starts, bits, n + 1) } else { Vec::new() };
                    anyhow::Ok((postings, names, seen))
                })
                .collect::<Result<_>>()?;
            for (_, names, seen) in &done {
                counts.add(seen);
                for (key, name) in names {
                    keys.entry(*key).or_insert_with(|| {
                        let key = Key::of(&format::phrase_key(name));
                        let partition = usize::from(key.partition());
                        (key, partition)
                    });
                }
            }
            // Each partition takes its strings' postings, in report order.
            let mut by_partition: Vec<Vec<(&Key, u32, u32)>> = vec![Vec::new(); partitions.len()];
            for (postings, _, _) in &done {
                for &(doc, key, occurrences) in postings {
                    let (key, partition) = &keys[&key];
                    by_partition[*partition].push((key, doc, occurrences));
                }
            }
            partitions.par_iter_mut().zip(&mut by_partition).try_for_each(|(partition, postings)| {
                for (key, doc, occurrences) in postings.drain(..) {
                    partition.add(key, doc, occurrences, std::iter::empty())?;
                }
                anyhow::Ok(())
            })
        })?;
        if keys.is_empty() {
            break;
        }
    }
    drop(text.out);
    std::fs::remove_file(&text.path).with_context(|| format!("cannot remove {}", text.path.display()))?;
    Ok(())
}

/// Chunks handled a few at a time, so that what they find is added before
/// the next ones are read.
fn for_batches(
    chunks: usize,
    go_on: &dyn Fn() -> Result<()>,
    mut each: impl FnMut(std::ops::Range<usize>) -> Result<()>,
) -> Result<()> {
    let batch = 2 * rayon::current_num_threads();
    (0..chunks).step_by(batch).try_for_each(|first| {
        go_on()?;
        each(first..(first + batch).min(chunks))
    })
}

/// Reports counted per string, in a table of counters by the string's hash
/// (a string's count is at least its number of reports, up to the most a
/// counter holds). Small enough to stay mostly in the processor's cache.
struct Counters(Vec<u16>);

/// Counters in the table: 8 MB.
const COUNTERS_BITS: u32 = 22;

impl Counters {
    fn new() -> Counters {
        Counters(vec![0; 1 << COUNTERS_BITS])
    }

    fn slot(key: u128) -> usize {
        ((key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - COUNTERS_BITS)) as usize
    }

    /// Adds one report to each string's counter (slots from [`candidates`]).
    fn add(&mut self, slots: &[u32]) {
        for &slot in slots {
            self.0[slot as usize] = self.0[slot as usize].saturating_add(1);
        }
    }

    fn at_least(&self, key: u128, min: u32) -> bool {
        u32::from(self.0[Counters::slot(key)]) >= min.min(u32::from(u16::MAX))
    }
}

/// The counter slots of the strings of `n` letters whose two halves of
/// `n - 1` letters are marked, once per report.
fn candidates(letters: &[char], starts: &[usize], bits: &Bits, n: usize) -> Vec<u32> {
    let mut all = Vec::new();
    let mut seen: Vec<u128> = Vec::new();
    for doc in starts.windows(2) {
        seen.clear();
        let (from, to) = (doc[0], doc[1]);
        if from == to {
            continue;
        }
        seen.extend(bits.both(from, to).map(|i| window_key(&letters[i..i + n])));
        seen.sort_unstable();
        seen.dedup();
        all.extend(seen.iter().map(|&key| Counters::slot(key) as u32));
    }
    all
}

/// Moves the marks on to strings of `n` letters: marked where both halves
/// were and the string `passes`. Returns each report's passing strings as
/// (report, string, occurrences), and each string's text.
fn mark(
    letters: &[char],
    starts: &[usize],
    bits: &mut Bits,
    n: usize,
    passes: impl Fn(u128) -> bool,
    first_doc: usize,
) -> (Vec<(u32, u128, u32)>, FxHashMap<u128, String>) {
    let mut postings = Vec::new();
    let mut names: FxHashMap<u128, String> = FxHashMap::default();
    let mut keys: Vec<(u128, usize)> = Vec::new();
    let mut marked = Bits::new(letters.len());
    for (offset, doc) in starts.windows(2).enumerate() {
        let (from, to) = (doc[0], doc[1]);
        keys.clear();
        if from == to {
            continue;
        }
        for i in bits.both(from, to) {
            let key = window_key(&letters[i..i + n]);
            if passes(key) {
                keys.push((key, i));
                marked.set(i);
            }
        }
        keys.sort_unstable();
        let doc = (first_doc + offset) as u32;
        for same in keys.chunk_by(|a, b| a.0 == b.0) {
            let (key, at) = same[0];
            names.entry(key).or_insert_with(|| letters[at..at + n].iter().collect());
            postings.push((doc, key, same.len() as u32));
        }
    }
    *bits = marked;
    (postings, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_finds_each_mark_followed_by_a_mark_within_the_range() {
        let len = 200;
        let marked = |i: usize| i % 3 != 0 || i == 63 || i == 64 || i == 127;
        let mut bits = Bits::new(len);
        (0..len).filter(|&i| marked(i)).for_each(|i| bits.set(i));
        for (from, to) in [(0, len), (5, 70), (63, 65), (64, 128), (130, 131), (0, 64)] {
            let naive: Vec<usize> = (from..to).filter(|&i| marked(i) && i + 1 < len && marked(i + 1)).collect();
            assert_eq!(bits.both(from, to).collect::<Vec<_>>(), naive, "{from}..{to}");
        }
    }

    #[test]
    fn windows_stay_inside_runs() {
        let letters: Vec<char> = "经济发展\0改革\0".chars().collect();
        assert_eq!(windows(&letters, 2).collect::<Vec<_>>(), vec![0, 1, 2, 5]);
        assert_eq!(windows(&letters, 3).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(windows(&letters, 5).count(), 0);
    }
}
