//! Publishing the static index: immutable segments and one manifest.
//!
//! A build over a site that already has an index reads its manifest and
//! each segment's `state.bin` (every report's id, digest, date order and
//! length), and then:
//! - keeps every report whose digest did not change where it is;
//! - marks the reports that changed or went away deleted in their segment,
//!   and writes that segment's deleted terms anew (`x/`: how many deleted
//!   reports hold each term, so that document frequencies count live
//!   reports only, as a fresh build's do);
//! - writes one new segment with the reports added or changed and the live
//!   reports of the segments [`plan`] merges into it;
//! - writes the new manifest last.
//!
//! No file is ever written again under its name with other bytes: a
//! segment's name is a hash of what it holds (its reports' ids and digests,
//! the segments it is placed in), the deleted terms' name a hash of the
//! deleted reports. The segments of the manifest before stay one publish
//! longer, so that a page still holding that manifest finds its files.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::{Context, Result};
use wenku_engine::analyzer::Tokens;
use wenku_engine::static_index::format::{self, DeletedTerms, Manifest, SegmentMeta};

use super::{DIR, WEB_CONFIG, pack, shard_count, write_segment};
use crate::analysis::words::SharedCuts;
use crate::content::Library;
use crate::content::config::Config;
use crate::output::Sink;
use crate::search::indexer::IndexDoc;
use crate::shared::site::Output;

/// Every live segment costs each query one dictionary request per term, and
/// every deleted report its postings: the merge policy keeps both small,
/// and a publish's rewriting bounded (`benches/many_publishes.py` measures
/// both). A segment merges into the new one once more than this share of
/// its reports are deleted…
const DELETED_SHARE: f64 = 0.1;
/// …or when it holds fewer reports than this (rewriting them costs a
/// publish about a tenth of a second; a segment of its own would cost every
/// query a request per term)…
const SMALL_SEGMENT: usize = 20;
/// …or at most this many times the reports the new segment gathered so far
/// (newest first): sizes grow geometrically from the newest segment to the
/// oldest, so there are about log₉ of the archive's size…
const MERGE_FACTOR: usize = 8;
/// …and never more than this many.
const MAX_SEGMENTS: usize = 10;

/// What `state.bin` holds of one report: what a later publish needs to
/// know whether it changed and where it sorts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocState {
    pub id: String,
    pub digest: u64,
    /// Its date-order value (`IndexDoc::sort_value`).
    pub order: u64,
    /// Its tokens (BM25's length).
    pub length: u32,
}

impl DocState {
    pub fn encode_all(states: &[DocState]) -> Vec<u8> {
        let mut out = Vec::new();
        for state in states {
            format::put_str(&mut out, &state.id);
            out.extend_from_slice(&state.digest.to_le_bytes());
            out.extend_from_slice(&state.order.to_le_bytes());
            format::put_varint(&mut out, u64::from(state.length));
        }
        out
    }

    fn decode_all(bytes: &[u8]) -> Option<Vec<DocState>> {
        let mut reader = format::Reader::new(bytes);
        let mut states = Vec::new();
        let u64_of = |reader: &mut format::Reader<'_>| {
            reader.bytes(8).map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")))
        };
        while !reader.is_empty() {
            let id = reader.str()?.to_owned();
            let digest = u64_of(&mut reader)?;
            let order = u64_of(&mut reader)?;
            let length = reader.u32()?;
            states.push(DocState { id, digest, order, length });
        }
        Some(states)
    }
}

/// A segment as written, and its reports.
pub struct Written {
    pub meta: SegmentMeta,
    pub states: Vec<DocState>,
}

/// A segment of the index in place.
struct Standing {
    meta: SegmentMeta,
    states: Vec<DocState>,
    /// Its folder in the site as it stands.
    folder: PathBuf,
}

impl Standing {
    fn live(&self) -> usize {
        self.meta.docs as usize - self.meta.deleted.len()
    }
}

/// Brings the static index of the site in `current` (its output folder as
/// it stands, which may have none) up to date with `library`, writing into
/// `sink`: a new segment for what changed, the files of the segments that
/// stay (hard links), and the manifest. `scratch` is a folder on the
/// output's disk for the writer's scratch files.
pub fn write(
    library: &Library,
    config: &Config,
    sink: &dyn Sink,
    current: &Path,
    scratch: &Path,
    cuts: &SharedCuts,
    cancel: &AtomicBool,
) -> Result<()> {
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(anyhow::Error::new(super::Cancelled));
    }
    let started = std::time::Instant::now();
    let dir = current.join(DIR);
    // The manifest before, even when its segments cannot be built on (they
    // stay one publish longer all the same).
    let previous = read_manifest(&dir);
    let mut standing = previous
        .as_ref()
        .filter(|manifest| manifest.language == config.language)
        .and_then(|manifest| read_standing(&dir, manifest))
        .unwrap_or_default();
    // Watch mode writes into the site it publishes from: what stays is there.
    let in_place = sink.writes_into() == Some(current);

    // The archive now, oldest first, as the server sorts it.
    let mut outlines: Vec<(IndexDoc, usize)> =
        library.reports.iter().enumerate().map(|(i, r)| (IndexDoc::without_text(r, config), i)).collect();
    outlines.sort_by_key(|(doc, _)| doc.sort_value());
    let digests: HashMap<&str, u64> = outlines.iter().map(|(doc, _)| (doc.id.as_str(), doc.digest())).collect();

    // What stays where it is, and what is deleted now.
    let mut placed: HashSet<String> = HashSet::new();
    let mut newly_deleted: Vec<Vec<u32>> = Vec::new();
    for segment in &mut standing {
        let mut deleted_now = Vec::new();
        for (doc, state) in segment.states.iter().enumerate() {
            let doc = doc as u32;
            if segment.meta.deleted.binary_search(&doc).is_ok() {
                continue;
            }
            if digests.get(state.id.as_str()) == Some(&state.digest) && placed.insert(state.id.clone()) {
                continue;
            }
            deleted_now.push(doc);
        }
        segment.meta.deleted.extend(&deleted_now);
        segment.meta.deleted.sort_unstable();
        newly_deleted.push(deleted_now);
    }
    let adding = outlines.iter().filter(|(doc, _)| !placed.contains(&doc.id)).count();
    let sizes: Vec<(usize, usize)> = standing.iter().map(|s| (s.live(), s.meta.docs as usize)).collect();
    let merged = plan(&sizes, adding);

    // The new segment: what was added or changed, and the merged segments'
    // live reports (unchanged, so the library has them as they were).
    let mut joining: HashSet<String> =
        outlines.iter().map(|(d, _)| &d.id).filter(|id| !placed.contains(*id)).cloned().collect();
    for (segment, _) in standing.iter().zip(&merged).filter(|(_, merge)| **merge) {
        for (doc, state) in segment.states.iter().enumerate() {
            if segment.meta.deleted.binary_search(&(doc as u32)).is_err() {
                joining.insert(state.id.clone());
            }
        }
    }
    let kept: Vec<(Standing, Vec<u32>)> = standing
        .into_iter()
        .zip(newly_deleted)
        .zip(&merged)
        .filter(|((segment, _), merge)| !**merge && segment.live() > 0)
        .map(|(pair, _)| pair)
        .collect();
    let mut segments: Vec<SegmentMeta> = Vec::new();
    let mut lengths: u64 = 0;
    let deleted_total: usize = kept.iter().map(|(_, now)| now.len()).sum();
    for (segment, deleted_now) in &kept {
        let mut meta = segment.meta.clone();
        // Its deleted terms as they were stay too: the manifest before
        // names them.
        if !in_place {
            carry_over(sink, segment)?;
        }
        if !deleted_now.is_empty() {
            meta.deleted_terms = Some(write_deleted_terms(sink, segment, deleted_now)?);
        }
        lengths += segment
            .states
            .iter()
            .enumerate()
            .filter(|(doc, _)| meta.deleted.binary_search(&(*doc as u32)).is_err())
            .map(|(_, state)| u64::from(state.length))
            .sum::<u64>();
        segments.push(meta);
    }
    if !joining.is_empty() {
        let chosen: Vec<(IndexDoc, usize)> =
            outlines.iter().filter(|(doc, _)| joining.contains(&doc.id)).cloned().collect();
        let older: Vec<(String, Vec<u64>)> = kept
            .iter()
            .map(|(segment, _)| (segment.meta.id.clone(), segment.states.iter().map(|s| s.order).collect()))
            .collect();
        let id = segment_id(config, &chosen, &older);
        let written = write_segment(library, config, &chosen, &id, &older, sink, scratch, cuts, cancel)?;
        lengths += written.states.iter().map(|s| u64::from(s.length)).sum::<u64>();
        segments.push(written.meta);
    }
    // The manifest before stays usable one publish longer.
    if let Some(previous) = previous.as_ref().filter(|_| !in_place) {
        let live: HashSet<&str> = segments.iter().map(|s| s.id.as_str()).collect();
        for old in previous.segments.iter().filter(|s| !live.contains(s.id.as_str())) {
            let folder = dir.join(&old.id);
            if folder.is_dir() {
                let states = Vec::new();
                carry_over(sink, &Standing { meta: old.clone(), states, folder })?;
            }
        }
    }

    let values = |of: fn(&IndexDoc) -> &String| -> Vec<String> {
        let mut all: Vec<String> = outlines.iter().map(|(d, _)| of(d).clone()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let manifest = Manifest {
        format: format::FORMAT,
        language: config.language.clone(),
        docs: outlines.len() as u32,
        total_tokens: lengths,
        fieldnorms: (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect(),
        bodies: values(|d| &d.body),
        levels: values(|d| &d.level),
        periods: values(|d| &d.period),
        phrase_max_chars: super::phrases::PHRASE_MAX_CHARS as u32,
        segments,
    };
    // IIS serves no file type it has no MIME type for, and older versions
    // know no `.wasm`: the site says both (removed first, so that a server
    // that does know them does not refuse a duplicate).
    sink.put(Output { rel_path: "web.config".into(), bytes: WEB_CONFIG.as_bytes().to_vec() })?;
    // Last: until it is in place, readers see the index as it was.
    sink.put(Output { rel_path: format!("{DIR}/{}", format::MANIFEST), bytes: serde_json::to_vec_pretty(&manifest)? })?;
    // `WENKU_STATIC_TIMES=1`: what the publish did, for benchmarks.
    if std::env::var_os("WENKU_STATIC_TIMES").is_some() {
        eprintln!(
            "static publish: {:.2?}: {} segments kept, {} reports written into a new one, {deleted_total} marked deleted",
            started.elapsed(),
            kept.len(),
            joining.len()
        );
    }
    Ok(())
}

/// Publishes into the folder `sink` writes into in place (the live site in
/// watch mode, or a copy of it to be swapped in whole): a new segment for
/// what changed, written beside the others, then the manifest that names
/// it, swapped in by a rename like every file `InPlace` writes (readers see
/// the index before or after, never half), then whatever no manifest names
/// removed through `sink` (a stopped publish leaves such files). Returns
/// `false`, with nothing changed, when `cancel` was set first.
pub fn publish_into(
    library: &Library,
    config: &Config,
    sink: &dyn Sink,
    cuts: &SharedCuts,
    cancel: &AtomicBool,
) -> Result<bool> {
    let output = sink.writes_into().expect("a sink that writes into a folder in place");
    let before = read_manifest(&output.join(DIR));
    let scratch = crate::output::parent_of(output);
    let written = write(library, config, sink, output, &scratch, cuts, cancel);
    remove_unnamed(sink, output, before.as_ref())?;
    match written {
        Err(e) if e.is::<super::Cancelled>() => Ok(false),
        result => result.map(|()| true),
    }
}

/// Removes what neither the manifest of `current`'s index nor `before`
/// names: segment folders and deleted terms (in-place publishing: watch
/// mode), such as a stopped publish leaves.
fn remove_unnamed(sink: &dyn Sink, current: &Path, before: Option<&Manifest>) -> Result<()> {
    let dir = current.join(DIR);
    let Some(now) = read_manifest(&dir) else { return Ok(()) };
    let mut named: HashMap<&str, HashSet<String>> = HashMap::new();
    for segment in now.segments.iter().chain(before.iter().flat_map(|m| &m.segments)) {
        let terms = named.entry(segment.id.as_str()).or_default();
        terms.extend(segment.deleted_terms.iter().map(|t| format!("{}-", t.name)));
    }
    // Through the sink, file by file: a copy of the site notes what it removes.
    let remove = |path: &Path| -> Result<()> {
        let files = walkdir::WalkDir::new(path).into_iter().flatten().filter(|e| !e.file_type().is_dir());
        for file in files {
            let rel = file.path().strip_prefix(current).unwrap_or(file.path());
            sink.remove(&rel.to_string_lossy())?;
        }
        if path.is_dir() {
            // Emptied: its files are gone.
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(())
    };
    for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() {
            // The files of an index of an older format.
            if name != format::MANIFEST {
                remove(&entry.path())?;
            }
            continue;
        }
        let Some(terms) = named.get(name.as_str()) else {
            remove(&entry.path())?;
            continue;
        };
        let Ok(files) = std::fs::read_dir(entry.path().join("x")) else { continue };
        for file in files.flatten() {
            let file_name = file.file_name().to_string_lossy().into_owned();
            if !terms.iter().any(|t| file_name.starts_with(t.as_str())) {
                remove(&file.path())?;
            }
        }
    }
    Ok(())
}

/// The manifest in `dir`, if it is one this version of wenku reads.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(dir.join(format::MANIFEST)).ok()?).ok()?;
    (manifest.format == format::FORMAT).then_some(manifest)
}

/// The segments `manifest` names, with their reports' states; `None` when
/// a state file is missing or damaged: the publish then writes everything
/// anew.
fn read_standing(dir: &Path, manifest: &Manifest) -> Option<Vec<Standing>> {
    let mut standing = Vec::new();
    for meta in &manifest.segments {
        let folder = dir.join(&meta.id);
        let bytes = format::unpack(&std::fs::read(folder.join("state.bin")).ok()?)?;
        let states = DocState::decode_all(&bytes)?;
        if states.len() != meta.docs as usize {
            return None;
        }
        standing.push(Standing { meta: meta.clone(), states, folder });
    }
    Some(standing)
}

/// Which standing segments (oldest first, each `(live, written)` reports)
/// merge into the new segment, which gathers `adding` reports besides.
fn plan(sizes: &[(usize, usize)], adding: usize) -> Vec<bool> {
    let mut merged: Vec<bool> = sizes
        .iter()
        .map(|&(live, written)| live > 0 && (written - live) as f64 > DELETED_SHARE * written as f64)
        .collect();
    let mut gathered = adding + sizes.iter().zip(&merged).filter(|(_, m)| **m).map(|(s, _)| s.0).sum::<usize>();
    if gathered == 0 {
        return merged;
    }
    let remaining = |merged: &[bool]| sizes.iter().zip(merged).filter(|((live, _), m)| *live > 0 && !**m).count();
    for k in (0..sizes.len()).rev() {
        let (live, _) = sizes[k];
        if merged[k] || live == 0 {
            continue;
        }
        // One place is the new segment's.
        if live < SMALL_SEGMENT || live <= MERGE_FACTOR * gathered || remaining(&merged) + 1 > MAX_SEGMENTS {
            merged[k] = true;
            gathered += live;
        } else {
            break;
        }
    }
    merged
}

/// Bumped whenever the writer would write other bytes for the same
/// reports (shard sizes, string thresholds), so that a segment's name
/// never stands for two contents across versions of wenku.
const WRITER: u64 = 1;

/// A name for a new segment, from what it holds: the same reports placed
/// in the same segments give the same files, so a name never stands for
/// two contents.
fn segment_id(config: &Config, chosen: &[(IndexDoc, usize)], older: &[(String, Vec<u64>)]) -> String {
    let mut bytes = Vec::new();
    format::put_varint(&mut bytes, u64::from(format::FORMAT));
    format::put_varint(&mut bytes, WRITER);
    format::put_str(&mut bytes, &config.language);
    for (id, _) in older {
        format::put_str(&mut bytes, id);
    }
    for (doc, _) in chosen {
        format::put_str(&mut bytes, &doc.id);
        bytes.extend_from_slice(&doc.digest().to_le_bytes());
    }
    format!("{:016x}", crate::shared::hash::hash_bytes(&bytes))
}

/// Puts a standing segment's files into the new site (hard links: they
/// never change), with the deleted terms its manifest names.
fn carry_over(sink: &dyn Sink, segment: &Standing) -> Result<()> {
    let deleted_terms = segment.meta.deleted_terms.as_ref().map(|t| format!("{}-", t.name));
    for entry in walkdir::WalkDir::new(&segment.folder).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", segment.folder.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let inside = entry.path().strip_prefix(&segment.folder).expect("walked from the folder");
        let inside = inside.to_string_lossy().replace('\\', "/");
        if let Some(name) = inside.strip_prefix("x/")
            && !deleted_terms.as_deref().is_some_and(|t| name.starts_with(t))
        {
            continue;
        }
        sink.keep(&format!("{DIR}/{}/{inside}", segment.meta.id), entry.path())?;
    }
    Ok(())
}

/// The segment's deleted terms with `deleted_now` added: the ones written
/// before, read back, and the terms of the reports deleted now, read from
/// their stored texts.
fn write_deleted_terms(sink: &dyn Sink, segment: &Standing, deleted_now: &[u32]) -> Result<DeletedTerms> {
    let unreadable =
        |path: &Path| format!("the static index file {} is damaged: remove the folder and build again", path.display());
    let mut counts: HashMap<String, u32> = HashMap::new();
    if let Some(terms) = &segment.meta.deleted_terms {
        for shard in 0..terms.shards {
            let path = segment.folder.join(format!("x/{}-{shard}.bin", terms.name));
            let bytes =
                std::fs::read(&path).ok().and_then(|b| format::unpack(&b)).with_context(|| unreadable(&path))?;
            let mut reader = format::Reader::new(&bytes);
            while !reader.is_empty() {
                let (key, count) = reader.str().zip(reader.u32()).with_context(|| unreadable(&path))?;
                *counts.entry(key.to_owned()).or_insert(0) += count;
            }
        }
    }
    for &doc in deleted_now {
        let path = segment.folder.join(format::doc_path(doc));
        let report = std::fs::read(&path)
            .ok()
            .and_then(|b| format::unpack(&b))
            .and_then(|b| format::read_doc(&b))
            .with_context(|| unreadable(&path))?;
        let mut terms: HashSet<String> = HashSet::new();
        let mut tokens = Tokens::new(&report.text);
        let mut term = String::new();
        while tokens.next_into(&mut term).is_some() {
            if !terms.contains(&term) {
                terms.insert(term.clone());
            }
        }
        for term in terms {
            *counts.entry(term).or_insert(0) += 1;
        }
    }
    let mut name_bytes = Vec::new();
    for doc in &segment.meta.deleted {
        format::put_varint(&mut name_bytes, u64::from(*doc));
    }
    let name = format!("{:016x}", crate::shared::hash::hash_bytes(&name_bytes));
    let total: usize = counts.keys().map(|k| k.len() + 3).sum();
    // Small shards: a query reads one per term.
    let shards = shard_count(total, 0);
    let mut files: Vec<Vec<(&str, u32)>> = vec![Vec::new(); shards as usize];
    let mut sorted: Vec<(&String, &u32)> = counts.iter().collect();
    sorted.sort_unstable();
    for (key, &count) in sorted {
        files[format::shard_of(key, shards) as usize].push((key, count));
    }
    for (shard, terms) in files.iter().enumerate() {
        let mut bytes = Vec::new();
        format::put_deleted_terms(&mut bytes, terms);
        sink.put(Output { rel_path: format!("{DIR}/{}/x/{name}-{shard}.bin", segment.meta.id), bytes: pack(&bytes) })?;
    }
    Ok(DeletedTerms { name, shards })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        let states = vec![
            DocState { id: "2020/a.md".into(), digest: 7, order: 1 << 40, length: 12 },
            DocState { id: "b.md".into(), digest: u64::MAX, order: 0, length: 0 },
        ];
        assert_eq!(DocState::decode_all(&DocState::encode_all(&states)), Some(states));
        assert_eq!(DocState::decode_all(&[3, b'a']), None);
    }

    /// (live, written) sizes, oldest first; the reports added; which merge.
    #[test]
    fn the_plan_merges_small_newest_segments_and_those_with_many_deleted() {
        let cases: &[(&[(usize, usize)], usize, &[bool])] = &[
            (&[], 5, &[]),
            // One report into a large archive: a segment of its own.
            (&[(10_000, 10_000)], 1, &[false]),
            // Small newest segments join the new one, up to a large one.
            (&[(10_000, 10_000), (400, 400), (15, 15)], 1, &[false, false, true]),
            (&[(10_000, 10_000), (100, 100), (15, 15)], 1, &[false, true, true]),
            // Sizes grow geometrically: a segment no more than eight times
            // what the new one gathered joins it.
            (&[(100_000, 100_000), (2_000, 2_000), (300, 300)], 1, &[false, false, false]),
            (&[(100_000, 100_000), (2_000, 2_000), (300, 300)], 200, &[false, true, true]),
            // A segment with more than a tenth deleted merges, even with
            // nothing added.
            (&[(850, 1000), (5, 5)], 0, &[true, true]),
            (&[(950, 1000), (500, 500)], 0, &[false, false]),
            // Nothing added, nothing to merge: no new segment.
            (&[(100, 100)], 0, &[false]),
        ];
        for (sizes, adding, expected) in cases {
            assert_eq!(plan(sizes, *adding), *expected, "{sizes:?} + {adding}");
        }
        // Never more than MAX_SEGMENTS, the new one included.
        let many: Vec<(usize, usize)> = (0..12).map(|k| (100_000 >> k, 100_000 >> k)).collect();
        let merged = plan(&many, 1);
        assert!(merged.iter().filter(|m| !**m).count() < MAX_SEGMENTS, "{merged:?}");
    }
}
