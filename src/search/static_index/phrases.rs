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

/// The longest string with an entry of its own.
pub const PHRASE_MAX_CHARS: usize = 12;
/// Reports read from the scratch file at once.
const CHUNK: usize = 256;

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
    fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn set(&mut self, i: usize, on: bool) {
        if on {
            self.0[i / 64] |= 1 << (i % 64);
        } else {
            self.0[i / 64] &= !(1 << (i % 64));
        }
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
pub fn gather(mut text: HanText, min_docs: usize, pairs: &FxHashSet<u128>, partitions: &mut [Partition]) -> Result<()> {
    text.out.flush().with_context(|| format!("cannot write {}", text.path.display()))?;
    let chunks = text.chunks();
    // Bit i: the string of the last length starting at letter i is frequent.
    let mut marks: Vec<Bits> = Vec::with_capacity(chunks);
    let mut counts = Counts::default();
    for_batches(chunks, |batch| {
        let done: Vec<(Bits, Counts)> = batch
            .into_par_iter()
            .map(|chunk| {
                let (letters, starts) = text.read_chunk(chunk)?;
                let mut bits = Bits::new(letters.len());
                for i in windows(&letters, 2) {
                    bits.set(i, pairs.contains(&window_key(&letters[i..i + 2])));
                }
                let counts = count(&letters, &starts, &bits, 3);
                anyhow::Ok((bits, counts))
            })
            .collect::<Result<_>>()?;
        for (bits, chunk_counts) in done {
            marks.push(bits);
            counts.add(chunk_counts);
        }
        Ok(())
    })?;
    for n in 3..=PHRASE_MAX_CHARS {
        let frequent: FxHashSet<u128> =
            counts.0.into_iter().filter(|&(_, df)| df as usize >= min_docs).map(|(k, _)| k).collect();
        counts = Counts::default();
        if frequent.is_empty() {
            break;
        }
        // One pass per length: the marks move on to it, its frequent
        // strings' postings are added, and the next length is counted.
        let mut keys: FxHashMap<u128, (Key, usize)> = FxHashMap::default();
        for_batches(chunks, |batch| {
            let first = batch.start;
            let done: Vec<(Vec<(u32, u128, u32)>, FxHashMap<u128, String>, Counts)> = marks[batch]
                .par_iter_mut()
                .enumerate()
                .map(|(offset, bits)| {
                    let chunk = first + offset;
                    let (letters, starts) = text.read_chunk(chunk)?;
                    let (postings, names) = mark(&letters, &starts, bits, n, &frequent, chunk * CHUNK);
                    let counts =
                        if n < PHRASE_MAX_CHARS { count(&letters, &starts, bits, n + 1) } else { Counts::default() };
                    anyhow::Ok((postings, names, counts))
                })
                .collect::<Result<_>>()?;
            for (postings, names, chunk_counts) in done {
                counts.add(chunk_counts);
                for (key, name) in names {
                    keys.entry(key).or_insert_with(|| {
                        let key = Key::of(&format::phrase_key(&name));
                        let partition = usize::from(key.partition());
                        (key, partition)
                    });
                }
                for (doc, key, occurrences) in postings {
                    let (key, partition) = &keys[&key];
                    partitions[*partition].add(key, doc, occurrences, std::iter::empty())?;
                }
            }
            Ok(())
        })?;
    }
    drop(text.out);
    std::fs::remove_file(&text.path).with_context(|| format!("cannot remove {}", text.path.display()))?;
    Ok(())
}

/// Chunks handled a few at a time, so that what they find is added before
/// the next ones are read.
fn for_batches(chunks: usize, mut each: impl FnMut(std::ops::Range<usize>) -> Result<()>) -> Result<()> {
    let batch = 4 * rayon::current_num_threads();
    (0..chunks).step_by(batch).try_for_each(|first| each(first..(first + batch).min(chunks)))
}

/// Strings and the number of reports they are in.
#[derive(Default)]
struct Counts(FxHashMap<u128, u32>);

impl Counts {
    /// Adds `other`'s counts, the smaller map into the larger.
    fn add(&mut self, other: Counts) {
        let (mut into, from) =
            if self.0.len() >= other.0.len() { (std::mem::take(self), other) } else { (other, std::mem::take(self)) };
        for (key, n) in from.0 {
            *into.0.entry(key).or_insert(0) += n;
        }
        *self = into;
    }
}

/// Counts, per report once, the strings of `n` letters whose two halves of
/// `n - 1` letters are marked frequent.
fn count(letters: &[char], starts: &[usize], bits: &Bits, n: usize) -> Counts {
    let mut counts = Counts::default();
    let mut seen: Vec<u128> = Vec::new();
    for doc in starts.windows(2) {
        seen.clear();
        let (from, to) = (doc[0], doc[1]);
        for i in windows(&letters[from..to], n).map(|i| from + i) {
            if bits.get(i) && bits.get(i + 1) {
                seen.push(window_key(&letters[i..i + n]));
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for &key in &seen {
            *counts.0.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

/// Moves the marks on to strings of `n` letters: marked where both halves
/// were and the string is `frequent`. Returns each report's frequent
/// strings as (report, string, occurrences), and each string's text.
fn mark(
    letters: &[char],
    starts: &[usize],
    bits: &mut Bits,
    n: usize,
    frequent: &FxHashSet<u128>,
    first_doc: usize,
) -> (Vec<(u32, u128, u32)>, FxHashMap<u128, String>) {
    let mut postings = Vec::new();
    let mut names: FxHashMap<u128, String> = FxHashMap::default();
    let mut keys: Vec<u128> = Vec::new();
    for (offset, doc) in starts.windows(2).enumerate() {
        let (from, to) = (doc[0], doc[1]);
        keys.clear();
        let mut next_unmarked = from;
        for i in windows(&letters[from..to], n).map(|i| from + i) {
            // A letter that starts no string of this length is unmarked
            // (the halves read at i and i + 1 are still the last length's).
            for gap in next_unmarked..i {
                bits.set(gap, false);
            }
            next_unmarked = i + 1;
            let key = window_key(&letters[i..i + n]);
            let is_frequent = bits.get(i) && bits.get(i + 1) && frequent.contains(&key);
            bits.set(i, is_frequent);
            if is_frequent {
                keys.push(key);
                names.entry(key).or_insert_with(|| letters[i..i + n].iter().collect());
            }
        }
        for gap in next_unmarked..to {
            bits.set(gap, false);
        }
        keys.sort_unstable();
        let doc = (first_doc + offset) as u32;
        postings.extend(keys.chunk_by(|a, b| a == b).map(|same| (doc, same[0], same.len() as u32)));
    }
    (postings, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_stay_inside_runs() {
        let letters: Vec<char> = "经济发展\0改革\0".chars().collect();
        assert_eq!(windows(&letters, 2).collect::<Vec<_>>(), vec![0, 1, 2, 5]);
        assert_eq!(windows(&letters, 3).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(windows(&letters, 5).count(), 0);
    }
}
