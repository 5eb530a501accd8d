//! The build state: what a run leaves for the next one, so that `wenku
//! build` after a publish re-reads and rewrites only what changed instead
//! of building everything again.
//!
//! Kept in `.wenku-state` in the site folder: the reports as loaded
//! (parsed, rendered, packed) with their ids, the recurring passages, the
//! overview and its parts, and a stamp of every report file taken before
//! it was read. It is used only when what it was made from is the same —
//! the same wenku executable, `wenku.yaml`, theme, `--drafts` and output
//! folder (that very folder, not another put in its place) — and no run
//! was left unfinished (a journal); else the build is a full one, which
//! leaves a new state. A report file whose stamp differs, or whose change
//! was too close to its stamp to be told by it, is read again.
//!
//! The state is removed before a run changes the site in place (watch mode
//! does, and it keeps no state), and written again after a build: a state
//! on disk always describes the output beside it.
//!
//! The reports' packed texts, nine tenths of it, are kept apart in a texts
//! file (`.wenku-texts-<id>`), mapped when the state is read (a build reads
//! only those it unpacks) and only appended to when the state is written
//! again (a publish writes the new texts, not all): the state names the
//! file and each text's place in it. When less than half of the file is
//! still used, the texts go to a new file; a file no state names any more
//! is removed once the state naming its successor is in place.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::analysis::novel::Compared;
use crate::analysis::overview::{Overview, OverviewParts};
use crate::analysis::passages::Passages;
use crate::content::{self, Report, ReportIds};
use crate::shared::hash::hash_bytes;

pub const FILE: &str = ".wenku-state";
/// The texts files' names begin so.
const TEXTS_FILE: &str = ".wenku-texts-";
/// The first bytes of the file; another version of the layout is not read.
const MAGIC: &[u8] = b"wenku build state 1\n";
/// A file changed within a tick of the file system's clock before it was
/// stamped may change again in the same tick without its stamp showing it:
/// it is read again. Linux stamps files in nanoseconds from a clock that
/// ticks every 10 ms at most; a file system that keeps whole seconds (its
/// stamps have no fraction; FAT keeps two) may tick every 2 s.
const RACY_NS: i128 = 100_000_000;
const RACY_COARSE_NS: i128 = 2_000_000_000;

/// What a build's output was made from, besides the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// The executable (its size and modification time): another wenku may
    /// render differently.
    executable: (u64, i128),
    config: u64,
    theme: u64,
    drafts: bool,
    output: PathBuf,
    /// The output folder itself (device and inode) and its home page's
    /// stamp, which every build that changes anything rewrites: a folder
    /// put in its place, or emptied, holds other pages.
    output_folder: (u64, u64),
    home: Stamp,
}

impl Inputs {
    /// Those of a build of `root` into `output`, once `output` exists.
    pub fn of(root: &Path, output: &Path, theme: u64, drafts: bool) -> Option<Inputs> {
        let executable = std::env::current_exe().ok().and_then(|exe| std::fs::metadata(exe).ok())?;
        let config = std::fs::read(root.join(crate::content::config::CONFIG_FILE)).unwrap_or_default();
        let output = std::path::absolute(output).ok()?;
        Some(Inputs {
            executable: (executable.len(), modified_ns(&executable)),
            config: hash_bytes(&config),
            theme,
            drafts,
            output_folder: folder_identity(&output)?,
            home: stamp_of(&std::fs::metadata(output.join("index.html")).ok()?),
            output,
        })
    }
}

/// A report file as it was before it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: i128,
    /// Status change time and inode: a file replaced by one of the same
    /// size and modification time (a copy with `cp -p`, a rename) has
    /// other ones.
    changed: i128,
    inode: u64,
}

/// Every report file under `content/` and its stamp, taken now.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stamps {
    /// When they were taken (ns since the epoch).
    taken: i128,
    files: BTreeMap<PathBuf, Stamp>,
}

impl Stamps {
    /// Paths are kept relative to `content_dir`.
    pub fn take(content_dir: &Path) -> Stamps {
        let taken = ns_since_epoch(SystemTime::now());
        // A folder that cannot be read is reported by the load; here it
        // only means no files.
        let files = content::find_reports(content_dir).map(|(files, _)| files).unwrap_or_default();
        let files = files
            .into_iter()
            .filter_map(|file| {
                // Through a link, to the file read (the link's own stamp
                // does not change when that file does).
                let metadata = std::fs::metadata(&file).ok()?;
                Some((file.strip_prefix(content_dir).ok()?.to_path_buf(), stamp_of(&metadata)))
            })
            .collect();
        Stamps { taken, files }
    }

    /// The files added, removed or changed since `before` (or changed too
    /// close to when it was taken to be sure).
    pub fn changed_since(&self, before: &Stamps) -> BTreeSet<PathBuf> {
        let racy = |stamp: &Stamp| {
            let coarse = stamp.modified % 1_000_000_000 == 0;
            stamp.modified.max(stamp.changed) >= before.taken - if coarse { RACY_COARSE_NS } else { RACY_NS }
        };
        let mut changed: BTreeSet<PathBuf> =
            before.files.keys().filter(|f| !self.files.contains_key(*f)).cloned().collect();
        for (file, stamp) in &self.files {
            if before.files.get(file).is_none_or(|old| old != stamp || racy(old)) {
                changed.insert(file.clone());
            }
        }
        changed
    }
}

/// What is kept: the loaded site, less its config and theme (read anew).
#[derive(Serialize, Deserialize)]
pub struct State {
    pub inputs: Inputs,
    /// The site before last (its folder's identity) and the files where it
    /// differs from the site (`output::Copy`), when known.
    pub before_last: Option<((u64, u64), Vec<String>)>,
    pub stamps: Stamps,
    pub ids: ReportIds,
    /// Without their texts, which are…
    pub reports: Vec<Report>,
    /// …in this file, each report's at this place.
    texts_file: String,
    texts: Vec<(usize, usize)>,
    pub passages: Passages,
    pub overview: Overview,
    pub overview_parts: OverviewParts,
    pub compared: Compared,
}

/// The same, borrowed from a loaded site, to be written (same layout).
#[derive(Serialize)]
pub struct StateRef<'a> {
    pub inputs: &'a Inputs,
    pub before_last: Option<((u64, u64), &'a [String])>,
    pub stamps: &'a Stamps,
    pub ids: &'a ReportIds,
    pub reports: &'a [Report],
    texts_file: &'a str,
    texts: &'a [(usize, usize)],
    pub passages: &'a Passages,
    pub overview: &'a Overview,
    pub overview_parts: &'a OverviewParts,
    pub compared: &'a Compared,
}

/// What a site to be kept is made of.
pub struct Kept<'a> {
    pub before_last: Option<((u64, u64), &'a [String])>,
    pub inputs: &'a Inputs,
    pub stamps: &'a Stamps,
    pub ids: &'a ReportIds,
    pub reports: &'a [Report],
    pub passages: &'a Passages,
    pub overview: &'a Overview,
    pub overview_parts: &'a OverviewParts,
    pub compared: &'a Compared,
}

/// A texts file as mapped when a state was read: its reports' texts are
/// there, and a state written after it appends only the others.
pub struct Texts {
    name: String,
    file: std::sync::Arc<memmap2::Mmap>,
}

/// The first fields of a state, read without the rest.
#[derive(Deserialize)]
struct Head {
    inputs: Inputs,
    before_last: Option<((u64, u64), Vec<String>)>,
}

/// From the state `root` holds, whatever it was made from: its output
/// folder and where the site before last differs from it, if that folder
/// is still the one the state knew.
pub fn before_last(root: &Path) -> Option<(PathBuf, Vec<String>)> {
    let bytes = std::fs::read(root.join(FILE)).ok()?;
    let (head, _): (Head, _) = postcard::take_from_bytes(bytes.strip_prefix(MAGIC)?).ok()?;
    let (folder, differing) = head.before_last?;
    let previous = crate::output::previous_site(&head.inputs.output);
    (folder_identity(&previous) == Some(folder)).then_some((head.inputs.output, differing))
}

/// The state `root` holds, if it was made from `inputs`, with its texts
/// in place; and its texts file.
pub fn load(root: &Path, inputs: &Inputs) -> Option<(State, Texts)> {
    let file = std::fs::File::open(root.join(FILE)).ok()?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    BufReader::new(file).read_to_end(&mut bytes).ok()?;
    let body = bytes.strip_prefix(MAGIC)?;
    // A state that does not read (cut short, another layout) is not used.
    let mut state: State = postcard::from_bytes(body).ok()?;
    if state.inputs != *inputs || state.texts.len() != state.reports.len() || !is_texts_file(&state.texts_file) {
        return None;
    }
    let texts_file = std::fs::File::open(root.join(&state.texts_file)).ok()?;
    // Safety: the file is only ever appended to (by a run holding the
    // site's lock, as this one does) and removed once no state names it.
    let file = std::sync::Arc::new(unsafe { memmap2::Mmap::map(&texts_file) }.ok()?);
    for (report, &(from, to)) in state.reports.iter_mut().zip(&state.texts) {
        report.set_packed(crate::content::packed::Packed::mapped(&file, from, to)?);
    }
    let texts = Texts { name: std::mem::take(&mut state.texts_file), file };
    Some((state, texts))
}

/// Writes the state: the texts not in `texts` appended to its file (or all
/// to a new one), then the rest to a new file renamed over the old one.
pub fn save(root: &Path, kept: &Kept, texts: Option<&Texts>) -> anyhow::Result<()> {
    let path = root.join(FILE);
    let write = || -> std::io::Result<()> {
        let (texts_file, places) = write_texts(root, kept.reports, texts)?;
        let state = StateRef {
            inputs: kept.inputs,
            before_last: kept.before_last,
            stamps: kept.stamps,
            ids: kept.ids,
            reports: kept.reports,
            texts_file: &texts_file,
            texts: &places,
            passages: kept.passages,
            overview: kept.overview,
            overview_parts: kept.overview_parts,
            compared: kept.compared,
        };
        let partial = root.join(format!("{FILE}.partial"));
        let mut out = BufWriter::new(std::fs::File::create(&partial)?);
        out.write_all(MAGIC)?;
        postcard::to_io(&state, &mut out).map_err(std::io::Error::other)?;
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&partial, &path)?;
        remove_texts_files_but(root, &texts_file);
        Ok(())
    };
    write().map_err(|e| anyhow::anyhow!("cannot write the build state {}: {e}", path.display()))
}

/// Puts every report's text in a texts file; returns its name and the places.
fn write_texts(
    root: &Path,
    reports: &[Report],
    texts: Option<&Texts>,
) -> std::io::Result<(String, Vec<(usize, usize)>)> {
    let kept = |report: &Report| texts.and_then(|t| report.packed().place_in(&t.file));
    let used: usize = reports.iter().filter_map(kept).map(|(from, to)| to - from).sum();
    let (name, mut at, file) = match texts {
        // Appended to while at least half of it is still used.
        Some(texts) if used * 2 >= texts.file.len() => {
            let file = std::fs::OpenOptions::new().append(true).open(root.join(&texts.name))?;
            let at = file.metadata()?.len() as usize;
            (texts.name.clone(), at, file)
        }
        _ => {
            let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
            let name = format!("{TEXTS_FILE}{:x}-{:x}", now.as_nanos(), std::process::id());
            let file = std::fs::File::create_new(root.join(&name))?;
            (name, 0, file)
        }
    };
    let appending = at > 0;
    let mut out = BufWriter::new(file);
    let mut places = Vec::with_capacity(reports.len());
    for report in reports {
        match kept(report).filter(|_| appending) {
            Some(place) => places.push(place),
            None => {
                let bytes = report.packed().bytes();
                out.write_all(bytes)?;
                places.push((at, at + bytes.len()));
                at += bytes.len();
            }
        }
    }
    out.into_inner().map_err(|e| e.into_error())?;
    Ok((name, places))
}

fn is_texts_file(name: &str) -> bool {
    name.starts_with(TEXTS_FILE) && !name.contains(['/', '\\'])
}

/// Removes the texts files other than `current` (those of older states).
fn remove_texts_files_but(root: &Path, current: &str) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_texts_file(&name) && name != current {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes the state: the site is about to change in place.
pub fn remove(root: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(root.join(FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow::anyhow!("cannot remove the build state {}: {e}", root.join(FILE).display()))
        }
        _ => Ok(()),
    }
}

fn ns_since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

fn modified_ns(metadata: &std::fs::Metadata) -> i128 {
    metadata.modified().map_or(0, ns_since_epoch)
}

#[cfg(unix)]
fn stamp_of(metadata: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let changed = i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec());
    Stamp { len: metadata.len(), modified: modified_ns(metadata), changed, inode: metadata.ino() }
}

#[cfg(not(unix))]
fn stamp_of(metadata: &std::fs::Metadata) -> Stamp {
    Stamp { len: metadata.len(), modified: modified_ns(metadata), changed: 0, inode: 0 }
}

#[cfg(unix)]
pub fn folder_identity(folder: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(folder).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub fn folder_identity(folder: &Path) -> Option<(u64, u64)> {
    // No inode: the folder's creation time tells one put in its place.
    std::fs::metadata(folder).ok().and_then(|m| m.created().ok()).map(|t| (0, ns_since_epoch(t) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(len: u64, modified: i128) -> Stamp {
        Stamp { len, modified, changed: modified, inode: 1 }
    }

    #[test]
    fn a_file_is_read_again_when_added_removed_changed_or_changed_too_close_to_its_stamp() {
        let second = 1_000_000_000;
        let before = Stamps {
            taken: 100 * second,
            files: BTreeMap::from([
                ("same.md".into(), stamp(10, 50 * second)),
                ("edited.md".into(), stamp(10, 50 * second)),
                ("gone.md".into(), stamp(10, 50 * second)),
                ("coarse.md".into(), stamp(10, 99 * second)),
                ("fine.md".into(), stamp(10, 99 * second + 1)),
                ("racy-fine.md".into(), stamp(10, 100 * second - 1)),
            ]),
        };
        let now = Stamps {
            taken: 200 * second,
            files: BTreeMap::from([
                ("same.md".into(), stamp(10, 50 * second)),
                ("edited.md".into(), stamp(11, 50 * second)),
                ("coarse.md".into(), stamp(10, 99 * second)),
                ("fine.md".into(), stamp(10, 99 * second + 1)),
                ("racy-fine.md".into(), stamp(10, 100 * second - 1)),
                ("new.md".into(), stamp(10, 150 * second)),
            ]),
        };
        let changed: Vec<PathBuf> = now.changed_since(&before).into_iter().collect();
        let names: Vec<&str> = changed.iter().map(|p| p.to_str().unwrap()).collect();
        // A second before the stamp: read again only where stamps are whole
        // seconds; a nanosecond before: read again.
        assert_eq!(names, ["coarse.md", "edited.md", "gone.md", "new.md", "racy-fine.md"]);
    }
}
