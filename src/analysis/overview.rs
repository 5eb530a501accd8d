//! What a year's page and a body's page say about wording, made at build
//! time from the library (no index needed, so they work on static hosting):
//!
//! - a year's **new formulations** (新提法): phrases its reports repeat that
//!   none of the five years before uses at all, most widely used first;
//! - a body's **key formulations** (关键提法): phrases it uses more than all
//!   other bodies together would lead one to expect, by Dunning's
//!   log-likelihood.
//!
//! A phrase is what the comparison pages call a formulation (`novel`): 4 to
//! 12 Han characters within a clause, not begun or ended by a particle,
//! repeated, the longest of nested phrases with the same count, and shown
//! only when it is whole words of its clause. Sizes are counted in Han
//! characters. The full statistics of any two parts are the search page's
//! keyness view (`wenku keywords`), which these pages link to.
//!
//! Cost: every report's text is read twice (with its body, with its year)
//! in linear passes; only the stretches of a year around windows the five
//! years before lack are searched for phrases; memory holds the windows of
//! six years and the texts of one year and of a body per thread.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::novel::{self, BREAK, KeyMap, Runs};
use super::stats;
use crate::content::Library;

/// Rows each page shows.
pub const MAX_ROWS: usize = 20;
/// A year is compared with this many years before it.
pub const YEARS_BEFORE: i32 = 5;
/// Phrases of a body whose counts are taken over the whole archive, its
/// most repeated first…
const BODY_CANDIDATES: usize = 100;
/// …and as many after them, counted too though not shown: when a publish
/// moves a phrase into a body's first hundred, its counts are likely kept
/// already, and the archive is not read again for it.
const BODY_RESERVE: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub years: BTreeMap<i32, YearNew>,
    pub bodies: BTreeMap<String, BodyKeys>,
}

impl Overview {
    pub const EMPTY: Overview = Overview { years: BTreeMap::new(), bodies: BTreeMap::new() };
}

/// A year against the five before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YearNew {
    /// The years compared with (`year − 5` to `year − 1`) and how many
    /// reports of the archive they hold: with none there is nothing to say.
    pub from: i32,
    pub to: i32,
    pub reference_reports: usize,
    pub rows: Vec<NewRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRow {
    pub text: String,
    /// Occurrences in the year's reports, and how many reports.
    pub count: u32,
    pub reports: u32,
}

/// A body against all other bodies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BodyKeys {
    pub rows: Vec<KeyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub text: String,
    /// Occurrences in the body's reports, how many of them, and the
    /// occurrences in all other bodies' reports.
    pub count: u32,
    pub reports: u32,
    pub elsewhere: u32,
    pub log_likelihood: f64,
    pub log_ratio: f64,
}

/// The parts the last overview was made of, each with a digest of the
/// reports it was found from: an overview made again finds only the parts
/// whose reports changed (a publish: its year, its body and their counts).
/// Kept between runs in the build state (`rebuild::state`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OverviewParts {
    bodies: HashMap<String, (u64, BodyCandidates)>,
    years: HashMap<i32, (u64, YearNew)>,
    /// The phrases counted in every year: the bodies' candidates and
    /// reserves when the archive was last counted whole…
    counted: Vec<String>,
    /// …and each year's counts of them and size, by the year's digest.
    counts: HashMap<Option<i32>, (u64, Vec<u32>, u64)>,
}

/// For some phrases, which reports may hold one of them (by position in
/// the library; more may be marked than do): the search index knows, when
/// it is current. `None` when it cannot tell.
pub type Holders<'a> = &'a (dyn Fn(&[String]) -> Option<Vec<bool>> + Sync);

/// Where the windows of the newest years are kept between runs, by year
/// and the digest of the year's reports: a publish into the newest year
/// then reads the five years before it from there, not from their texts
/// (at 10,000 reports, a third of a second of a two-second publish).
pub trait KeptWindows: Sync {
    /// The bytes kept for the year with these reports, if any.
    fn get(&self, year: i32, digest: u64) -> Option<Vec<u8>>;
    /// Keeps them, and none of the years before `oldest`.
    fn keep(&self, year: i32, digest: u64, bytes: &[u8], oldest: i32);
}

/// The overview of every year and body of `library`, reusing the parts of
/// `previous` whose reports did not change, and its parts; `None` once
/// `cancel` is set (watch mode, when another edit comes in: checked body
/// by body and year by year). A phrase that becomes a candidate is counted
/// in the unchanged years' reports that `holders` names, when it can.
pub fn overview(
    library: &Library,
    previous: &OverviewParts,
    holders: Option<Holders>,
    kept_windows: Option<&dyn KeptWindows>,
    cancel: &AtomicBool,
) -> Option<(Overview, OverviewParts)> {
    let mut parts = OverviewParts::default();
    // Bodies first: their candidates are counted over the archive while the
    // years read it, one reading of every report fewer.
    let bodies = Bodies::candidates(library, previous, &mut parts, cancel)?;
    let (years, counted) = years(library, &bodies, previous, holders, kept_windows, &mut parts, cancel)?;
    Some((Overview { years, bodies: bodies.keys(&counted) }, parts))
}

/// A digest of the texts of `reports`, in their order.
fn digest_of(library: &Library, reports: &[usize]) -> u64 {
    reports.iter().fold(mix(reports.len() as u64), |digest, &i| mix(digest ^ library.reports[i].text_digest))
}

fn cancelled(cancel: &AtomicBool) -> bool {
    cancel.load(Ordering::Relaxed)
}

/// One part's text: the Han runs of its reports, one after another, and
/// where each report starts in them.
struct Part {
    chars: Vec<char>,
    starts: Vec<usize>,
}

impl Part {
    fn of(library: &Library, reports: &[usize]) -> Part {
        let texts: Vec<Vec<char>> = reports.par_iter().map(|&i| han_runs(library, i)).collect();
        let mut chars = Vec::with_capacity(texts.iter().map(Vec::len).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for text in texts {
            starts.push(chars.len());
            chars.extend(text);
        }
        Part { chars, starts }
    }

    /// Han characters, without the breaks between runs.
    fn size(&self) -> u64 {
        self.chars.iter().filter(|&&c| c != BREAK).count() as u64
    }

    /// Each report's range of `chars`.
    fn reports(&self) -> Vec<Piece> {
        let ends = self.starts.iter().skip(1).copied().chain([self.chars.len()]);
        self.starts.iter().zip(ends).enumerate().map(|(report, (&from, to))| Piece { from, to, report }).collect()
    }
}

/// A stretch of a text and the report it is of.
#[derive(Clone, Copy)]
struct Piece {
    from: usize,
    to: usize,
    report: usize,
}

/// How many reports hold each of `phrases` in `chars`, cut in `pieces`.
fn reports_holding(chars: &[char], pieces: &[Piece], phrases: &[&[char]]) -> Vec<u32> {
    let wanted = Wanted::of(phrases.iter().copied());
    let mut reports = vec![0u32; phrases.len()];
    let mut last = vec![usize::MAX; phrases.len()];
    for piece in pieces {
        wanted.find(&chars[piece.from..piece.to], |phrase| {
            if last[phrase] != piece.report {
                last[phrase] = piece.report;
                reports[phrase] += 1;
            }
        });
    }
    reports
}

/// A report's text as Han runs (see `novel::push_runs`).
fn han_runs(library: &Library, report: usize) -> Vec<char> {
    let rendered = library.reports[report].rendered();
    let mut chars = Vec::new();
    for block in &rendered.blocks {
        novel::push_runs(&mut chars, &block.text);
    }
    chars
}

/// Phrases looked for in a text by their hashes: a place is tried only
/// when its first four characters begin some phrase.
struct Wanted {
    /// A bit for the first window of each phrase (by a hash of 21 bits):
    /// most places are ruled out here, in a table that stays in the cache.
    first_bits: Vec<u64>,
    firsts: KeyMap<()>,
    phrases: KeyMap<usize>,
    lengths: Vec<usize>,
}

impl Wanted {
    fn of<'a>(phrases: impl Iterator<Item = &'a [char]>) -> Wanted {
        let mut wanted = Wanted {
            first_bits: vec![0; Self::FIRST_BITS / 64],
            firsts: KeyMap::default(),
            phrases: KeyMap::default(),
            lengths: Vec::new(),
        };
        for (i, phrase) in phrases.enumerate() {
            let first = novel::key(&phrase[..novel::MIN_CHARS]);
            let bit = Self::first_bit(first);
            wanted.first_bits[bit / 64] |= 1 << (bit % 64);
            wanted.firsts.insert(first, ());
            wanted.phrases.insert(novel::phrase_hash(phrase), i);
            if !wanted.lengths.contains(&phrase.len()) {
                wanted.lengths.push(phrase.len());
            }
        }
        wanted.lengths.sort_unstable();
        wanted
    }

    const FIRST_BITS: usize = 1 << 21;

    fn first_bit(key: u64) -> usize {
        (mix(key) >> (64 - 21)) as usize
    }

    fn may_begin_one(&self, key: u64) -> bool {
        let bit = Self::first_bit(key);
        self.first_bits[bit / 64] & (1 << (bit % 64)) != 0 && self.firsts.contains_key(&key)
    }

    fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Calls `found` with the number of each phrase at each place it is
    /// in `chars` (overlapping places too).
    fn find(&self, chars: &[char], mut found: impl FnMut(usize)) {
        let Some(&longest) = self.lengths.last() else { return };
        for start in 0..chars.len().saturating_sub(novel::MIN_CHARS - 1) {
            let first = &chars[start..start + novel::MIN_CHARS];
            if first.contains(&BREAK) || !self.may_begin_one(novel::key(first)) {
                continue;
            }
            let mut hash = novel::phrase_hash(&chars[start..start + novel::MIN_CHARS - 1]);
            for end in start + novel::MIN_CHARS..=chars.len().min(start + longest) {
                if chars[end - 1] == BREAK {
                    break;
                }
                hash = novel::extend(hash, chars[end - 1]);
                if self.lengths.binary_search(&(end - start)).is_ok()
                    && let Some(&phrase) = self.phrases.get(&hash)
                {
                    found(phrase);
                }
            }
        }
    }
}

/// Each year's new formulations, the years in order, keeping the windows
/// of the five years before the one at hand (memory for six years, not
/// all); and, read along, the bodies' candidates counted over the whole
/// archive. A year whose reports and five years before are those of
/// `previous` keeps its rows, and its counts while every candidate is one
/// `previous` counted; only the years that are found again are read. The
/// windows of the newest years are kept in `kept_windows`, and taken from
/// there when they are needed again.
fn years(
    library: &Library,
    bodies: &Bodies,
    previous: &OverviewParts,
    holders: Option<Holders>,
    kept_windows: Option<&dyn KeptWindows>,
    parts: &mut OverviewParts,
    cancel: &AtomicBool,
) -> Option<(BTreeMap<i32, YearNew>, Counted)> {
    let mut by_year: BTreeMap<Option<i32>, Vec<usize>> = BTreeMap::new();
    for (i, report) in library.reports.iter().enumerate() {
        by_year.entry(report.meta.year).or_default().push(i);
    }
    let digests: HashMap<Option<i32>, u64> = by_year.iter().map(|(&y, r)| (y, digest_of(library, r))).collect();
    // The years a publish into the newest year compares it with.
    let oldest_kept = by_year.keys().rev().find_map(|&year| year).map_or(i32::MAX, |newest| newest - YEARS_BEFORE);
    let kept_filter = |year: i32| WindowFilter::from_bytes(&kept_windows?.get(year, digests[&Some(year)])?);
    // A year's rows depend on its reports and those of the five before.
    let rows_key = |year: i32| {
        (year - YEARS_BEFORE..=year).fold(0, |key, y| mix(key ^ digests.get(&Some(y)).copied().unwrap_or(0)))
    };
    let kept_rows = |year: i32| previous.years.get(&year).filter(|(key, _)| *key == rows_key(year));
    // A year's windows are needed by the next five years' rows found again.
    let windows_needed =
        |year: i32| (year + 1..=year + YEARS_BEFORE).any(|y| digests.contains_key(&Some(y)) && kept_rows(y).is_none());
    let counting = Counting::plan(&bodies.texts, previous, holders);
    let wanted = std::sync::OnceLock::new();
    let wanted = || wanted.get_or_init(|| Wanted::of(counting.chars.iter().map(Vec::as_slice)));
    let added = std::sync::OnceLock::new();
    let added = || added.get_or_init(|| Wanted::of(counting.chars[counting.kept..].iter().map(Vec::as_slice)));
    let kept_counts = |year: Option<i32>| {
        previous.counts.get(&year).filter(|(digest, _, _)| counting.kept > 0 && *digest == digests[&year])
    };

    let mut counted = Counted { totals: vec![0; bodies.texts.len()], size: 0 };
    let mut before: VecDeque<(i32, usize, Option<WindowFilter>)> = VecDeque::new();
    let mut years = BTreeMap::new();
    for (&year, reports) in &by_year {
        if cancelled(cancel) {
            return None;
        }
        let rows = year.and_then(kept_rows).map(|(_, rows)| rows.clone());
        let counts = kept_counts(year).cloned();
        let windows = year.is_some_and(windows_needed);
        let mut filter = year.filter(|_| windows).and_then(kept_filter);
        let part = (rows.is_none() && year.is_some() || counts.is_none() || windows && filter.is_none())
            .then(|| Part::of(library, reports));
        let (totals, size) = match counts {
            Some((_, mut totals, size)) => {
                if let Some(may_hold) = &counting.may_hold {
                    // The added phrases, in the reports that may hold one.
                    let holding: Vec<usize> = reports.iter().copied().filter(|&i| may_hold[i]).collect();
                    let found = if holding.is_empty() {
                        vec![0; counting.chars.len() - counting.kept]
                    } else {
                        counted_in(&Part::of(library, &holding), added())
                    };
                    totals.extend(found);
                }
                (totals, size)
            }
            None => {
                let part = part.as_ref().expect("read when its counts are not kept");
                (counted_in(part, wanted()), part.size())
            }
        };
        counted.totals.iter_mut().zip(&counting.places).for_each(|(total, &place)| *total += totals[place]);
        counted.size += size;
        parts.counts.insert(year, (digests[&year], totals, size));
        let Some(year) = year else { continue };
        let (from, to) = (year - YEARS_BEFORE, year - 1);
        while before.front().is_some_and(|(y, _, _)| *y < from) {
            before.pop_front();
        }
        let new = rows.unwrap_or_else(|| {
            let part = part.as_ref().expect("read when its rows are not kept");
            let reference_reports = before.iter().map(|(_, n, _)| n).sum();
            let rows = if reference_reports == 0 {
                Vec::new()
            } else {
                // The nearest year first: most windows are found there.
                let reference: Vec<&WindowFilter> = before
                    .iter()
                    .rev()
                    .map(|(_, _, windows)| windows.as_ref().expect("the windows of the years before are kept"))
                    .collect();
                new_rows(part, &reference)
            };
            YearNew { from, to, reference_reports, rows }
        });
        parts.years.insert(year, (rows_key(year), new.clone()));
        years.insert(year, new);
        if windows && filter.is_none() {
            let made = WindowFilter::of(&part.expect("read when its windows are not kept").chars);
            if let Some(kept) = kept_windows.filter(|_| year >= oldest_kept) {
                kept.keep(year, digests[&Some(year)], &made.to_bytes(), oldest_kept);
            }
            filter = Some(made);
        }
        before.push_back((year, reports.len(), filter));
    }
    parts.counted = counting.texts;
    Some((years, counted))
}

/// How often each of `wanted` occurs in `part`'s reports.
fn counted_in(part: &Part, wanted: &Wanted) -> Vec<u32> {
    part.reports()
        .par_iter()
        .fold(
            || vec![0u32; wanted.len()],
            |mut totals, piece| {
                wanted.find(&part.chars[piece.from..piece.to], |phrase| totals[phrase] += 1);
                totals
            },
        )
        .reduce(
            || vec![0u32; wanted.len()],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        )
}

/// Which phrases each year's counts are of, and which of them the years
/// whose reports did not change keep.
struct Counting {
    texts: Vec<String>,
    chars: Vec<Vec<char>>,
    /// The first `kept` are `previous.counted`: an unchanged year keeps its
    /// counts of them (none when 0)…
    kept: usize,
    /// …and the rest are counted, in such a year, only in the reports
    /// marked here.
    may_hold: Option<Vec<bool>>,
    /// Where each candidate is in `texts`.
    places: Vec<usize>,
}

impl Counting {
    fn plan(candidates: &[String], previous: &OverviewParts, holders: Option<Holders>) -> Counting {
        let before: HashMap<&str, usize> =
            previous.counted.iter().enumerate().map(|(i, phrase)| (phrase.as_str(), i)).collect();
        let added: Vec<String> =
            candidates.iter().filter(|text| !before.contains_key(text.as_str())).cloned().collect();
        let kept = previous.counted.len();
        // Phrases no longer candidates are kept counting, up to as many
        // again as there are candidates; then the archive is read whole.
        let may_hold = match holders {
            _ if added.is_empty() => Some(None),
            Some(holders) if kept > 0 && kept + added.len() <= 2 * candidates.len() => holders(&added).map(Some),
            _ => None,
        };
        let (texts, kept, may_hold) = match may_hold {
            Some(may_hold) => ([previous.counted.as_slice(), &added].concat(), kept, may_hold),
            None => (candidates.to_vec(), 0, None),
        };
        let at: HashMap<&str, usize> = texts.iter().enumerate().map(|(i, text)| (text.as_str(), i)).collect();
        let places = candidates.iter().map(|text| at[text.as_str()]).collect();
        let chars = texts.iter().map(|text| text.chars().collect()).collect();
        Counting { texts, chars, kept, may_hold, places }
    }
}

/// Phrases counted over the archive, and its size in Han characters.
struct Counted {
    totals: Vec<u32>,
    size: u64,
}

/// The phrases of `part` that none of `reference` holds, most reports first.
///
/// Such a phrase holds a window the reference lacks, and so does each of
/// its places: only the stretches around those windows are searched for
/// repeated phrases, a twentieth of the year or less.
fn new_rows(part: &Part, reference: &[&WindowFilter]) -> Vec<NewRow> {
    // On every thread: each window is a cache miss or more, so the nearest
    // year's block for a window a little ahead is asked for early.
    let windows = part.chars.len().saturating_sub(novel::MIN_CHARS - 1);
    let mut novel_at = vec![false; windows];
    novel_at.par_chunks_mut(CHUNK).enumerate().for_each(|(chunk, novel)| {
        for (at, novel) in (chunk * CHUNK..).zip(novel) {
            if let (Some(nearest), Some(key)) = (reference.first(), window_key(&part.chars, at + novel::PREFETCH)) {
                nearest.prefetch(key);
            }
            *novel = window_key(&part.chars, at).is_some_and(|key| !reference.iter().any(|year| year.may_hold(key)));
        }
    });
    let mut around = Around::of(part, |at| novel_at[at]);
    let runs = Runs::from_chars(std::mem::take(&mut around.chars));
    // Where a phrase of the stretches is in the year's text.
    let origin = |phrase: &[char]| around.origin(offset_in(&runs.chars, phrase));
    let kept = novel::maximal_phrases(&runs, novel::MIN_COUNT, |phrase| {
        let at = origin(phrase);
        novel::reads_as_a_phrase(phrase) && novel_at[at..=at + phrase.len() - novel::MIN_CHARS].contains(&true)
    });
    let phrases: Vec<&[char]> = kept.iter().map(|(phrase, _)| *phrase).collect();
    let reports = reports_holding(&runs.chars, &around.pieces, &phrases);
    let mut rows: Vec<(&[char], u32, u32)> =
        kept.iter().zip(reports).map(|(&(phrase, count), reports)| (phrase, count, reports)).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(b.0.len().cmp(&a.0.len())).then(a.0.cmp(b.0)));
    rows.into_iter()
        .filter_map(|(phrase, count, reports)| {
            // Judged whole in its clause of the year's text; every place
            // of it is in the stretches.
            let at = origin(phrase);
            let text = novel::shown_growing_in(&part.chars, &part.chars[at..at + phrase.len()], &runs.chars)?;
            Some(NewRow { text, count, reports })
        })
        .take(MAX_ROWS)
        .collect()
}

/// Where `phrase`, a slice of `chars`, starts in it.
fn offset_in(chars: &[char], phrase: &[char]) -> usize {
    (phrase.as_ptr() as usize - chars.as_ptr() as usize) / size_of::<char>()
}

/// The 4-character windows of a year's reports, as a Bloom filter (16
/// bits and 8 probes a window, all in one 512-bit block: one cache miss a
/// lookup): it never misses a window the year has, and takes fewer than one in
/// 1,000 it lacks for one it has. Such a window is then not new, so a new
/// formulation may be left out (when it holds no other new window), never
/// one listed that the years before used. A tenth of the memory of the
/// windows themselves, and no sorting.
struct WindowFilter {
    blocks: Vec<[u64; 8]>,
    shift: u32,
}

impl WindowFilter {
    fn of(chars: &[char]) -> WindowFilter {
        use std::sync::atomic::AtomicU64;
        let blocks = (chars.len() * 16 / 512).next_power_of_two().max(1);
        let shape = WindowFilter { blocks: Vec::new(), shift: 64 - blocks.trailing_zeros() };
        // Filled by every thread at once: almost every window is a cache
        // miss in a table of megabytes, so the threads' misses overlap.
        let shared: Vec<[AtomicU64; 8]> = (0..blocks).map(|_| Default::default()).collect();
        let windows = chars.len().saturating_sub(novel::MIN_CHARS - 1);
        (0..windows.div_ceil(CHUNK)).into_par_iter().for_each(|chunk| {
            for at in chunk * CHUNK..windows.min((chunk + 1) * CHUNK) {
                if let Some(key) = window_key(chars, at + novel::PREFETCH) {
                    novel::prefetch(&shared[shape.block(key)]);
                }
                if let Some(key) = window_key(chars, at) {
                    let (block, bits) = shape.probes(key);
                    for bit in bits {
                        shared[block][bit / 64].fetch_or(1 << (bit % 64), Ordering::Relaxed);
                    }
                }
            }
        });
        let blocks = shared.into_iter().map(|block| block.map(AtomicU64::into_inner)).collect();
        WindowFilter { blocks, ..shape }
    }

    /// The block of a key's bits.
    fn block(&self, key: u64) -> usize {
        mix(key).checked_shr(self.shift).unwrap_or(0) as usize
    }

    /// Asks for a key's block ahead of `may_hold`.
    fn prefetch(&self, key: u64) {
        novel::prefetch(&self.blocks[self.block(key)]);
    }

    /// The block of a key, and its 8 bits there (9 bits of a hash each).
    fn probes(&self, key: u64) -> (usize, impl Iterator<Item = usize> + use<>) {
        let first = mix(key);
        let block = self.block(key);
        let second = mix(first);
        let bits = (0..7).map(move |i| (second >> (i * 9)) as usize % 512).chain([first as usize % 512]);
        (block, bits)
    }

    /// As kept between runs: the layout's version, `shift`, the blocks.
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(Self::MAGIC.len() + 4 + self.blocks.len() * 64);
        bytes.extend_from_slice(Self::MAGIC);
        bytes.extend_from_slice(&self.shift.to_le_bytes());
        for word in self.blocks.iter().flatten() {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes
    }

    /// `None` for bytes of another layout, or cut short.
    fn from_bytes(bytes: &[u8]) -> Option<WindowFilter> {
        let rest = bytes.strip_prefix(Self::MAGIC)?;
        let (shift, words) = rest.split_first_chunk::<4>()?;
        let shift = u32::from_le_bytes(*shift);
        let blocks = words.len() / 64;
        if words.len() % 64 != 0 || !blocks.is_power_of_two() || shift != 64 - blocks.trailing_zeros() {
            return None;
        }
        let word = |at: &[u8]| u64::from_le_bytes(at.try_into().expect("8 bytes"));
        let blocks = words.chunks_exact(64).map(|block| std::array::from_fn(|i| word(&block[i * 8..i * 8 + 8])));
        Some(WindowFilter { blocks: blocks.collect(), shift })
    }

    const MAGIC: &[u8] = b"wenku windows 1\n";

    /// False only for a window the year does not have.
    fn may_hold(&self, key: u64) -> bool {
        let (block, mut bits) = self.probes(key);
        let block = &self.blocks[block];
        bits.all(|bit| block[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

/// Windows a thread takes at a time.
const CHUNK: usize = 1 << 16;

/// The key of the window at `at` of `chars`, if there is one there and it
/// crosses no break.
fn window_key(chars: &[char], at: usize) -> Option<u64> {
    let window = chars.get(at..at + novel::MIN_CHARS)?;
    (!window.contains(&BREAK)).then(|| novel::key(window))
}

/// SplitMix64's finalizer: every bit of the result depends on every bit of `x`.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The stretches of a part around some places, each a piece of its own
/// (and of one report), with `BREAK` between them.
struct Around {
    chars: Vec<char>,
    /// Each piece's place in `chars`, with the report it is of…
    pieces: Vec<Piece>,
    /// …and where it starts in the part.
    origins: Vec<usize>,
}

impl Around {
    /// Reaches far enough that a phrase of the longest length plus one
    /// holding a marked window lies wholly in its stretch.
    const REACH: usize = novel::MAX_CHARS + 1;

    fn of(part: &Part, marked: impl Fn(usize) -> bool) -> Around {
        let mut around = Around { chars: Vec::new(), pieces: Vec::new(), origins: Vec::new() };
        for report in part.reports() {
            let mut stretch: Option<(usize, usize)> = None;
            let last = report.to.saturating_sub(novel::MIN_CHARS - 1);
            for at in (report.from..last).filter(|&at| marked(at)) {
                let (from, to) = (
                    at.saturating_sub(Self::REACH).max(report.from),
                    (at + novel::MIN_CHARS + Self::REACH).min(report.to),
                );
                stretch = match stretch {
                    Some((start, end)) if from <= end => Some((start, to)),
                    Some(done) => {
                        around.push(part, done, report.report);
                        Some((from, to))
                    }
                    None => Some((from, to)),
                };
            }
            if let Some(done) = stretch {
                around.push(part, done, report.report);
            }
        }
        around
    }

    fn push(&mut self, part: &Part, (from, to): (usize, usize), report: usize) {
        let start = self.chars.len();
        self.chars.extend_from_slice(&part.chars[from..to]);
        self.chars.push(BREAK);
        self.pieces.push(Piece { from: start, to: self.chars.len(), report });
        self.origins.push(from);
    }

    /// The place in the part of place `at` of `chars`.
    fn origin(&self, at: usize) -> usize {
        let piece = self.pieces.partition_point(|p| p.from <= at) - 1;
        self.origins[piece] + (at - self.pieces[piece].from)
    }
}

/// Each body's candidates, before their counts over the archive.
struct Bodies {
    bodies: Vec<BodyCandidates>,
    /// Every body's candidates and reserve at once, by number.
    texts: Vec<String>,
    numbers: HashMap<Vec<char>, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BodyCandidates {
    body: String,
    reports: usize,
    size: u64,
    /// Shown text (whole words), its characters, count and reports in the body.
    phrases: Vec<(String, Vec<char>, u32, u32)>,
    /// The shown text of the next most repeated phrases.
    reserve: Vec<String>,
}

impl Bodies {
    /// Found again for the bodies whose reports changed since `previous`.
    fn candidates(
        library: &Library,
        previous: &OverviewParts,
        parts: &mut OverviewParts,
        cancel: &AtomicBool,
    ) -> Option<Bodies> {
        let taxonomy = library.taxonomy(crate::content::TaxonomyKind::Body);
        let bodies: Option<Vec<(u64, BodyCandidates)>> = taxonomy
            .terms
            .par_iter()
            .map(|term| {
                let key =
                    mix(digest_of(library, &term.reports) ^ crate::shared::hash::hash_bytes(term.name.as_bytes()));
                match previous.bodies.get(&term.name).filter(|(kept, _)| *kept == key) {
                    Some((_, kept)) => Some((key, kept.clone())),
                    None => (!cancelled(cancel)).then(|| (key, body_candidates(library, &term.name, &term.reports))),
                }
            })
            .collect();
        let bodies = bodies?;
        let mut numbers: HashMap<Vec<char>, usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        for (_, body) in &bodies {
            let shown = body.phrases.iter().map(|(text, _, _, _)| text);
            for text in shown.chain(&body.reserve) {
                numbers.entry(text.chars().collect()).or_insert_with(|| {
                    texts.push(text.clone());
                    texts.len() - 1
                });
            }
        }
        parts.bodies = bodies.iter().map(|(key, body)| (body.body.clone(), (*key, body.clone()))).collect();
        let bodies = bodies.into_iter().map(|(_, body)| body).collect();
        Some(Bodies { bodies, texts, numbers })
    }

    /// Each body's key formulations, from the candidates' counts over the archive.
    fn keys(&self, counted: &Counted) -> BTreeMap<String, BodyKeys> {
        self.bodies
            .iter()
            .map(|body| {
                let rest = counted.size.saturating_sub(body.size);
                let mut rows: Vec<KeyRow> = body
                    .phrases
                    .iter()
                    .map(|(text, chars, count, reports)| {
                        let elsewhere = counted.totals[self.numbers[chars]].saturating_sub(*count);
                        let (a, b) = (*count as u64, elsewhere as u64);
                        KeyRow {
                            text: text.clone(),
                            count: *count,
                            reports: *reports,
                            elsewhere,
                            log_likelihood: stats::log_likelihood(a, body.size, b, rest),
                            log_ratio: stats::log_ratio(a, body.size, b, rest),
                        }
                    })
                    // Used more than elsewhere, and by more than one report
                    // when the body has more than one.
                    .filter(|row| row.log_ratio > 0.0 && row.reports as usize >= body.reports.min(2))
                    .collect();
                rows.sort_by(|a, b| b.log_likelihood.total_cmp(&a.log_likelihood).then_with(|| a.text.cmp(&b.text)));
                rows.truncate(MAX_ROWS);
                (body.body.clone(), BodyKeys { rows })
            })
            .collect()
    }
}

/// A body's most repeated phrases, shown whole.
fn body_candidates(library: &Library, body: &str, reports: &[usize]) -> BodyCandidates {
    let part = Part::of(library, reports);
    let size = part.size();
    let pieces = part.reports();
    let chars = part.chars;
    // A key formulation is used often enough for its statistic to mean
    // something (about once per 10,000 characters of the body, three times
    // at least); the bar also spares counting rare phrases.
    let min_count = (size / 10_000).max(3) as usize;
    let sketch = novel::Sketch::of(&chars);
    let may_repeat = |key| sketch.may_reach(key, min_count);
    let mut kept = novel::maximal_phrases_in(&chars, may_repeat, min_count, novel::reads_as_a_phrase);
    let most_repeated_first =
        |a: &(&[char], u32), b: &(&[char], u32)| b.1.cmp(&a.1).then(b.0.len().cmp(&a.0.len())).then(a.0.cmp(b.0));
    let with_reserve = BODY_CANDIDATES + BODY_RESERVE;
    if kept.len() > with_reserve {
        kept.select_nth_unstable_by(with_reserve, most_repeated_first);
        kept.truncate(with_reserve);
    }
    kept.sort_by(most_repeated_first);
    let reserve = kept.split_off(kept.len().min(BODY_CANDIDATES));
    let mut seen = std::collections::HashSet::new();
    let shown: Vec<(String, Vec<char>, u32)> = kept
        .into_iter()
        .filter_map(|(phrase, count)| {
            let text = novel::shown(&chars, phrase)?;
            // Two phrases cut at the limit may grow into one.
            if !seen.insert(text.clone()) {
                return None;
            }
            let chars = text.chars().collect();
            Some((text, chars, count))
        })
        .collect();
    let reserve = reserve
        .into_iter()
        .filter_map(|(phrase, _)| novel::shown(&chars, phrase))
        .filter(|text| seen.insert(text.clone()));
    let reserve = reserve.collect();
    let phrases: Vec<&[char]> = shown.iter().map(|(_, chars, _)| chars.as_slice()).collect();
    let reports_holding = reports_holding(&chars, &pieces, &phrases);
    BodyCandidates {
        body: body.to_owned(),
        reports: reports.len(),
        size,
        reserve,
        phrases: shown
            .into_iter()
            .zip(reports_holding)
            .map(|((text, chars, count), reports)| (text, chars, count, reports))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pseudo-random Han text: every window distinct, like a year's text.
    fn text(seed: u64, len: usize) -> Vec<char> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = mix(x);
                char::from_u32(0x4E00 + (x % 20_000) as u32).unwrap()
            })
            .collect()
    }

    #[test]
    fn the_window_filter_holds_every_window_and_takes_few_others_for_them() {
        let year = text(1, 200_000);
        let filter = WindowFilter::of(&year);
        assert!(year.windows(novel::MIN_CHARS).all(|w| filter.may_hold(novel::key(w))), "never misses one");
        let other = text(2, 200_000);
        let taken = other.windows(novel::MIN_CHARS).filter(|w| filter.may_hold(novel::key(w))).count();
        assert!(taken < other.len() / 500, "{taken} of {} taken for the year's", other.len());
    }

    #[test]
    fn a_window_filter_kept_between_runs_reads_back_the_same_and_other_bytes_do_not_read() {
        let filter = WindowFilter::of(&text(3, 50_000));
        let bytes = filter.to_bytes();
        let read = WindowFilter::from_bytes(&bytes).expect("its own bytes read");
        assert_eq!((read.blocks, read.shift), (filter.blocks, filter.shift));
        assert!(WindowFilter::from_bytes(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(WindowFilter::from_bytes(&bytes[1..]).is_none(), "another layout");
        let mut other_shift = bytes.clone();
        other_shift[WindowFilter::MAGIC.len()] ^= 1;
        assert!(WindowFilter::from_bytes(&other_shift).is_none(), "a shift that does not fit its blocks");
    }
}
