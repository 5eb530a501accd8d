//! The static index's files, written by `wenku build` into `public/_search/`
//! and read by the engine (natively in tests, as WebAssembly in the browser).
//!
//! The index is a set of immutable segments and one small manifest, as
//! Lucene and Tantivy keep theirs. A publish writes one new segment (the
//! reports added or changed, and those of any segments merged into it) and
//! marks the reports it replaces or removes deleted in the older segments;
//! nothing already written changes.
//!
//! - `manifest.json`: the live segments, oldest first, with their deleted
//!   reports; the live archive's counts and BM25 statistics; the value
//!   tables. The only file rewritten under its name: the page asks for it
//!   afresh (`no-cache`), and every other file is named by its segment.
//! - `<segment>/docs.bin`: per report of the segment, in date order, its
//!   year, body, level, period and field norm, in columns; then where its
//!   reports fall in each older segment's date order (so that reports of
//!   different segments sort without their dates).
//! - `<segment>/t/<shard>.bin`: the dictionary, one file per hash shard of
//!   the keys. A key is an index term (the tokens Tantivy indexes), `#` + a
//!   frequent Han string of 3 or more characters (its reports and counts, so
//!   that a common phrase needs no positions), `*` + a Han character (every
//!   report holding it: the one-letter query) or [`SENTENCE_END_KEY`] (the
//!   positions of the separator runs that end a sentence, so that wording
//!   with gaps is checked with positions). Each entry holds its postings
//!   inline when small, else names its own files:
//! - `<segment>/l/<id>.bin`: the postings (report, count) of a larger
//!   entry, then its positions when they are few;
//! - `<segment>/p/<id>-<block>.bin`: the positions of a common term, in
//!   blocks of about `BLOCK_BYTES` each: a phrase downloads the blocks of
//!   candidate reports only;
//! - `<segment>/d/<doc>.bin`: a report's title, address and text, for
//!   snippets and for checking wording with gaps whose parts have no
//!   positions (one letter), and where its words begin (one bit per
//!   character, `words`), for the research tables' whole units;
//! - `<segment>/x/<name>-<shard>.bin`: how many of the segment's deleted
//!   reports hold each term, so that BM25's document frequencies count live
//!   reports only (a fresh build's statistics, whatever was published).
//! - `<segment>/sizes.bin`: each report's size in positions (as the server
//!   stores it), for the research tables' per-10,000 figures; only they
//!   read it.
//! - `<segment>/state.bin`: the writer's own record of the segment (each
//!   report's id, digest, date order and length); the engine never reads it.
//!
//! Numbers are LEB128 varints; report numbers in postings are deltas. Every
//! file but `manifest.json` is compressed with DEFLATE ([`pack`]): hosts
//! send `.bin` files as they are, and report texts shrink to less than half.

use serde::{Deserialize, Serialize};

use crate::results::StoredReport;

/// Bumped whenever a file's layout changes; the engine refuses others.
pub const FORMAT: u32 = 6;
/// Entries whose postings and positions together are at most this many
/// bytes stay inline in their shard…
pub const INLINE_BYTES: usize = 4096;
/// …others get their own file, with their positions when these are at most
/// this many bytes, else split into blocks of about this size.
pub const BLOCK_BYTES: usize = 16 * 1024;

pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The site's `language`: messages are worded in it.
    pub language: String,
    /// Live reports over all segments…
    pub docs: u32,
    /// …and their tokens (BM25's average length is this over `docs`).
    pub total_tokens: u64,
    /// Tantivy's field-norm table: the length each one-byte norm stands for.
    pub fieldnorms: Vec<u32>,
    /// The values the live reports have, sorted: a filter naming another
    /// one is an error, as on the server.
    pub bodies: Vec<String>,
    pub levels: Vec<String>,
    pub periods: Vec<String>,
    /// Frequent Han strings have their own entries up to this many characters.
    pub phrase_max_chars: u32,
    /// Oldest first.
    pub segments: Vec<SegmentMeta>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SegmentMeta {
    /// Its folder's name, never used twice.
    pub id: String,
    /// Reports written into it, deleted ones included (numbered `0..docs`).
    pub docs: u32,
    pub shards: u32,
    /// Its own value tables, which `docs.bin` numbers.
    pub bodies: Vec<String>,
    pub levels: Vec<String>,
    pub periods: Vec<String>,
    /// Han strings in at least this many of its reports have their own entry.
    pub phrase_min_docs: u32,
    /// Its `d/` files together, as written: what checking texts costs.
    pub doc_bytes: u64,
    /// Its reports that later publishes replaced or removed, ascending.
    pub deleted: Vec<u32>,
    /// The deleted reports' terms (`x/<name>-<shard>.bin`), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_terms: Option<DeletedTerms>,
    /// The older segments whose date order `docs.bin` places its reports
    /// in: every segment listed before it when it was written.
    pub placed_in: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeletedTerms {
    pub name: String,
    pub shards: u32,
}

impl SegmentMeta {
    /// A file of this segment, by its path inside it.
    pub fn path(&self, inside: &str) -> String {
        format!("{}/{inside}", self.id)
    }

    pub fn deleted_terms_path(&self, key: &str) -> Option<String> {
        let terms = self.deleted_terms.as_ref()?;
        Some(self.path(&format!("x/{}-{}.bin", terms.name, shard_of(key, terms.shards))))
    }
}

/// One `x/` file: (key, how many deleted reports hold it), in any order.
pub fn put_deleted_terms(out: &mut Vec<u8>, terms: &[(&str, u32)]) {
    for (key, count) in terms {
        put_str(out, key);
        put_varint(out, u64::from(*count));
    }
}

/// How many deleted reports the `x/` file `bytes` says hold `key`; `None`
/// for a damaged file.
pub fn deleted_count(bytes: &[u8], key: &str) -> Option<u32> {
    let mut reader = Reader::new(bytes);
    while !reader.is_empty() {
        let found = reader.str()?;
        let count = reader.u32()?;
        if found == key {
            return Some(count);
        }
    }
    Some(0)
}

/// What `docs.bin` holds of one report. Reports are numbered oldest
/// first (by date, then by the hash of their path, as the server sorts), so
/// a report's number is its place in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocRow {
    pub year: u16,
    pub body: u16,
    pub level: u16,
    pub period: u16,
    pub fieldnorm: u8,
}

impl DocRow {
    /// Column after column (every year, then every body…): in date order
    /// the columns repeat themselves, and compress to a third of rows.
    /// Then, for each older segment, where each report falls in its date
    /// order (see [`Placements`]), as rising deltas.
    pub fn encode_all(rows: &[DocRow], placements: &[Vec<u32>]) -> Vec<u8> {
        let mut out = Vec::with_capacity(rows.len() * 9);
        for column in [|r: &DocRow| r.year, |r: &DocRow| r.body, |r: &DocRow| r.level, |r: &DocRow| r.period] {
            out.extend(rows.iter().flat_map(|r| column(r).to_le_bytes()));
        }
        out.extend(rows.iter().map(|r| r.fieldnorm));
        for places in placements {
            let mut last = 0;
            for &place in places {
                put_varint(&mut out, u64::from(place - last));
                last = place;
            }
        }
        out
    }

    /// `None` unless `bytes` holds exactly `count` rows and `older`
    /// segments' placements.
    pub fn decode_all(bytes: &[u8], count: usize, older: usize) -> Option<(Vec<DocRow>, Placements)> {
        let columns = bytes.get(..count * 9)?;
        let column =
            |k: usize, i: usize| u16::from_le_bytes([columns[2 * (k * count + i)], columns[2 * (k * count + i) + 1]]);
        let rows = (0..count)
            .map(|i| DocRow {
                year: column(0, i),
                body: column(1, i),
                level: column(2, i),
                period: column(3, i),
                fieldnorm: columns[8 * count + i],
            })
            .collect();
        let mut reader = Reader::new(&bytes[count * 9..]);
        let mut placements = Vec::with_capacity(older);
        for _ in 0..older {
            let mut place = 0u32;
            let places: Option<Vec<u32>> = (0..count)
                .map(|_| {
                    place = place.checked_add(reader.u32()?)?;
                    Some(place)
                })
                .collect();
            placements.push(places?);
        }
        reader.is_empty().then_some((rows, Placements(placements)))
    }
}

/// Where a segment's reports fall among an older segment's: for each older
/// segment (as `placed_in` lists them) and each report, how many of the
/// older segment's reports come before it in date order. Reports within a
/// segment are numbered in date order, so this orders any two reports.
#[derive(Debug, Clone, Default)]
pub struct Placements(pub Vec<Vec<u32>>);

/// A file's bytes as written: raw DEFLATE. The writer (wenku's
/// `search::static_index`) packs with libdeflate, which is faster; this is
/// the same format, for the engine's own tests.
#[cfg(test)]
pub fn pack(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 3)
}

/// A file's bytes as the writer packed them (raw DEFLATE); `None` for a
/// damaged file.
pub fn unpack(bytes: &[u8]) -> Option<Vec<u8>> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, 1 << 30).ok()
}

pub fn shard_path(shard: u32) -> String {
    format!("t/{shard}.bin")
}

pub fn postings_path(id: u32) -> String {
    format!("l/{id}.bin")
}

pub fn positions_path(id: u32, block: usize) -> String {
    format!("p/{id}-{block}.bin")
}

pub fn doc_path(doc: u32) -> String {
    format!("d/{doc}.bin")
}

pub const SIZES: &str = "sizes.bin";

/// Each report's size in positions, in report order.
pub fn encode_sizes(sizes: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(sizes.len() * 3);
    for &size in sizes {
        put_varint(&mut out, size);
    }
    out
}

/// The sizes of a segment's `docs` reports; `None` when damaged.
pub fn read_sizes(bytes: &[u8], docs: u32) -> Option<Vec<u64>> {
    let mut reader = Reader::new(bytes);
    let sizes: Vec<u64> = (0..docs).map(|_| reader.varint()).collect::<Option<_>>()?;
    reader.is_empty().then_some(sizes)
}

/// The shard a key lives in: FNV-1a, stable across platforms and versions.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    (key_hash(key) % u64::from(shards.max(1))) as u32
}

/// The hash [`shard_of`] takes the shard from.
pub fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

pub fn phrase_key(normalized: &str) -> String {
    format!("#{normalized}")
}

pub fn prefix_key(c: char) -> String {
    format!("*{c}")
}

/// The key of the positions where a sentence ends: those of the separator
/// runs (one term, ` `) that hold one of [`crate::pattern::SENTENCE_ENDS`]
/// in the original text. No term is punctuation, so no term is this.
pub const SENTENCE_END_KEY: &str = "。";

pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Reads what `put_varint` and `put_str` wrote; `None` past the end or on
/// malformed input (a damaged file is an error, never a panic).
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.varint().and_then(|v| u32::try_from(v).ok())
    }

    pub fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(slice)
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.varint()? as usize;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    pub fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }
}

/// One dictionary entry as stored in a shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored<'a> {
    /// Postings (report delta, count)… then, for terms, positions: per
    /// report, `count` position deltas.
    Inline { postings: &'a [u8], positions: &'a [u8] },
    /// In `l/<id>.bin` (postings, length first, then positions); when
    /// `firsts` is not empty, the positions are in `p/<id>-<block>.bin`
    /// instead, block `k` starting at report `firsts[k]`.
    External { id: u32, firsts: Vec<u32> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub key: &'a str,
    pub df: u32,
    pub stored: Stored<'a>,
}

const INLINE: u8 = 0;
const EXTERNAL: u8 = 1;

pub fn put_entry(out: &mut Vec<u8>, entry: &Entry<'_>) {
    put_str(out, entry.key);
    put_varint(out, u64::from(entry.df));
    match &entry.stored {
        Stored::Inline { postings, positions } => {
            out.push(INLINE);
            put_varint(out, postings.len() as u64);
            out.extend_from_slice(postings);
            put_varint(out, positions.len() as u64);
            out.extend_from_slice(positions);
        }
        Stored::External { id, firsts } => {
            out.push(EXTERNAL);
            put_varint(out, u64::from(*id));
            put_varint(out, firsts.len() as u64);
            let mut last = 0;
            for &first in firsts {
                put_varint(out, u64::from(first - last));
                last = first;
            }
        }
    }
}

/// The entry for `key` in a shard's bytes, if the shard has it.
pub fn find_entry<'a>(shard: &'a [u8], key: &str) -> Option<Entry<'a>> {
    let mut reader = Reader::new(shard);
    while !reader.is_empty() {
        let entry_key = reader.str()?;
        let df = reader.u32()?;
        let stored = match reader.byte()? {
            INLINE => {
                let len = reader.varint()? as usize;
                let postings = reader.bytes(len)?;
                let len = reader.varint()? as usize;
                Stored::Inline { postings, positions: reader.bytes(len)? }
            }
            EXTERNAL => {
                let id = reader.u32()?;
                let blocks = reader.varint()? as usize;
                let mut firsts = Vec::with_capacity(blocks.min(1 << 16));
                let mut last = 0u32;
                for _ in 0..blocks {
                    last = last.checked_add(reader.u32()?)?;
                    firsts.push(last);
                }
                Stored::External { id, firsts }
            }
            _ => return None,
        };
        if entry_key == key {
            return Some(Entry { key: entry_key, df, stored });
        }
    }
    None
}

/// Postings as (report, count) pairs.
pub fn put_postings(out: &mut Vec<u8>, postings: &[(u32, u32)]) {
    let mut last = 0;
    for &(doc, tf) in postings {
        put_varint(out, u64::from(doc - last));
        put_varint(out, u64::from(tf));
        last = doc;
    }
}

pub fn read_postings(bytes: &[u8]) -> Option<Vec<(u32, u32)>> {
    let mut reader = Reader::new(bytes);
    let mut out = Vec::new();
    let mut doc = 0u32;
    while !reader.is_empty() {
        doc = doc.checked_add(reader.u32()?)?;
        out.push((doc, reader.u32()?));
    }
    Some(out)
}

/// `l/<id>.bin`: postings (length first), then positions unless in blocks.
pub fn put_external(out: &mut Vec<u8>, postings: &[u8], positions: &[u8]) {
    put_varint(out, postings.len() as u64);
    out.extend_from_slice(postings);
    out.extend_from_slice(positions);
}

pub fn split_external(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut reader = Reader::new(bytes);
    let len = reader.varint()? as usize;
    let postings = reader.bytes(len)?;
    Some((postings, &bytes[reader.at..]))
}

/// A report's positions of one term, as deltas.
pub fn put_positions(out: &mut Vec<u8>, positions: impl IntoIterator<Item = u32>) {
    let mut last = 0;
    for p in positions {
        put_varint(out, u64::from(p - last));
        last = p;
    }
}

/// Reads `counts.len()` reports' positions, each `count` long.
pub fn read_positions(bytes: &[u8], counts: &[u32]) -> Option<Vec<Vec<u32>>> {
    let mut reader = Reader::new(bytes);
    let mut out = Vec::with_capacity(counts.len());
    for &count in counts {
        let mut positions = Vec::with_capacity(count as usize);
        let mut at = 0u32;
        for _ in 0..count {
            at = at.checked_add(reader.u32()?)?;
            positions.push(at);
        }
        out.push(positions);
    }
    Some(out)
}

/// `d/<doc>.bin`: the report, then its word cuts (`words::encode`).
pub fn put_doc(out: &mut Vec<u8>, report: &StoredReport, cuts: &[u8]) {
    for field in [&report.id, &report.url, &report.title, &report.body, &report.level, &report.period, &report.date] {
        put_str(out, field);
    }
    put_varint(out, report.year as u64);
    put_str(out, &report.text);
    put_varint(out, report.anchors.len() as u64);
    for (offset, anchor) in &report.anchors {
        put_varint(out, *offset as u64);
        put_str(out, anchor);
    }
    put_varint(out, cuts.len() as u64);
    out.extend_from_slice(cuts);
}

/// The report of a `d/<doc>.bin`; `None` when damaged.
pub fn read_doc(bytes: &[u8]) -> Option<StoredReport> {
    read_doc_and_cut_bits(bytes).map(|(report, _)| report)
}

/// The report of a `d/<doc>.bin` and where words begin in its text, one
/// bit a character (`words::encode`); `None` when damaged.
pub fn read_doc_and_cut_bits(bytes: &[u8]) -> Option<(StoredReport, &[u8])> {
    let mut r = Reader::new(bytes);
    let mut next = || r.str().map(str::to_owned);
    let (id, url, title, body, level, period, date) = (next()?, next()?, next()?, next()?, next()?, next()?, next()?);
    let year = r.varint()? as i64;
    let text = r.str()?.to_owned();
    let count = r.varint()? as usize;
    let mut anchors = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let offset = r.varint()? as usize;
        anchors.push((offset, r.str()?.to_owned()));
    }
    let len = r.varint()? as usize;
    let bits = r.bytes(len)?;
    if bits.len() != text.chars().count().div_ceil(8) {
        return None;
    }
    Some((StoredReport { id, title, url, body, level, year, period, date, text, anchors }, bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_rows_round_trip_in_columns() {
        let rows = [
            DocRow { year: 2020, body: 3, level: 1, period: 0, fieldnorm: 200 },
            DocRow { year: 2021, body: 0, level: 2, period: 1, fieldnorm: 7 },
        ];
        let placements = vec![vec![0, 5], vec![2, 2]];
        let bytes = DocRow::encode_all(&rows, &placements);
        let (decoded, placed) = DocRow::decode_all(&bytes, 2, 2).unwrap();
        assert_eq!((decoded.as_slice(), placed.0), (&rows[..], placements));
        assert!(DocRow::decode_all(&bytes, 2, 1).is_none(), "bytes left over");
        assert!(DocRow::decode_all(&bytes, 3, 0).is_none());
    }

    #[test]
    fn entries_round_trip() {
        let mut postings = Vec::new();
        put_postings(&mut postings, &[(3, 2), (9, 1)]);
        let mut positions = Vec::new();
        put_positions(&mut positions, [4, 10]);
        put_positions(&mut positions, [7]);
        let mut shard = Vec::new();
        let inline =
            Entry { key: "发展", df: 2, stored: Stored::Inline { postings: &postings, positions: &positions } };
        let external =
            Entry { key: "#经济发展", df: 900, stored: Stored::External { id: 7, firsts: vec![0, 70, 140] } };
        put_entry(&mut shard, &inline);
        put_entry(&mut shard, &external);
        assert_eq!(find_entry(&shard, "发展"), Some(inline));
        assert_eq!(find_entry(&shard, "#经济发展"), Some(external));
        assert_eq!(find_entry(&shard, "经济"), None);
        assert_eq!(read_postings(&postings), Some(vec![(3, 2), (9, 1)]));
        assert_eq!(read_positions(&positions, &[2, 1]), Some(vec![vec![4, 10], vec![7]]));
        // Damaged input is an answer, not a panic.
        assert_eq!(find_entry(&shard[..shard.len() - 3], "#经济发展"), None);
        assert_eq!(read_positions(&positions, &[2, 5]), None);
    }
}
