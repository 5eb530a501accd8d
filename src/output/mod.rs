//! Where rendered files go: a staging folder swapped in atomically, or memory.
//!
//! A build writes into a hidden folder beside the output and swaps it in only
//! when every file is written, so a failed or killed build leaves the previous
//! site exactly as it was.

pub mod journal;
pub mod lock;
pub mod windows;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::shared::site::Output;

/// Receives the files of a build, from many threads at once.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> Result<()>;
    /// Removes the file of a page that no longer exists, if it is there.
    fn remove(&self, rel_path: &str) -> Result<()>;
    /// Puts the file at `from`, which stays where it is, at `rel_path`: a
    /// file that is never written again under its name (the static search
    /// index's segments), so a hard link to it will do.
    fn keep(&self, rel_path: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
        self.put(Output { rel_path: rel_path.to_owned(), bytes })
    }
    /// The folder this sink writes into in place, if it does: what is
    /// there already need not be kept.
    fn writes_into(&self) -> Option<&Path> {
        None
    }
}

/// Keeps outputs in memory (for `check`, tests and the server).
#[derive(Default)]
pub struct MemorySink {
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn put(&self, output: Output) -> Result<()> {
        self.files.lock().expect("no writer panics while holding the lock").insert(output.rel_path, output.bytes);
        Ok(())
    }

    fn remove(&self, rel_path: &str) -> Result<()> {
        self.files.lock().expect("no writer panics while holding the lock").remove(rel_path);
        Ok(())
    }
}

/// Discards outputs: `check` renders every page to find errors, writes nothing.
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _: Output) -> Result<()> {
        Ok(())
    }

    fn remove(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

/// Replaces files of a folder being served, one by one: each is written
/// beside its place, then renamed over it, so a reader sees the old file or
/// the new one, never half (watch mode's rebuilds).
pub struct InPlace<'a>(pub &'a Path);

impl Sink for InPlace<'_> {
    fn writes_into(&self) -> Option<&Path> {
        Some(self.0)
    }

    fn put(&self, output: Output) -> Result<()> {
        let path = self.0.join(&output.rel_path);
        let dir = path.parent().unwrap_or(self.0);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // Named apart per write: writers may share a folder.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = dir.join(format!(".wenku-{}-{write}.tmp", std::process::id()));
        std::fs::write(&temp, &output.bytes).with_context(|| format!("cannot write {}", temp.display()))?;
        std::fs::rename(&temp, &path).with_context(|| format!("cannot replace {}", path.display()))
    }

    /// Removes the file, and the folders it leaves empty.
    fn remove(&self, rel_path: &str) -> Result<()> {
        let path = self.0.join(rel_path);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {}", path.display())),
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.0 || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

/// A folder beside the output that becomes the output on `commit`.
///
/// The folder is the site before last when there is one (kept beside the
/// output as `.public.wenku-previous`): a file whose bytes did not change is
/// left as it is, a changed one is overwritten in place, and files the new
/// site lacks are deleted before the swap. Most of a rebuild's files are
/// the same as before, so most of its disk work goes; and creating fresh
/// files right after deleting the last site's is what costs most on ext4
/// (it searches past recently freed inodes). The price is a second copy of
/// the site on disk.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    /// Files written or found unchanged, relative to the staging folder.
    kept: Mutex<HashSet<PathBuf>>,
    /// Files whose bytes differ from the site before last's, or that it
    /// had and this site lacks: a build from the state brings that site
    /// up to date by them (`Copy`).
    differing: Noted,
    /// What the site before last held, relative to the staging folder:
    /// files, and folders deepest first.
    old_files: Vec<PathBuf>,
    old_folders: Vec<PathBuf>,
    committed: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        if target.is_file() {
            bail!("the output path {} is a file, not a folder", target.display());
        }
        if !is_replaceable(target) {
            bail!(
                "refusing to replace {}: it holds files that wenku did not write\n  = help: remove the folder yourself, or choose another `--output`",
                target.display()
            );
        }
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        remove_stale_staging(target);
        let staging = parent.join(format!("{}{}.tmp", staging_prefix(target), std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).with_context(|| format!("cannot clear {}", staging.display()))?;
        }
        let previous = previous_site(target);
        let (old_files, old_folders) = match contents(&previous) {
            Some(contents) if std::fs::rename(&previous, &staging).is_ok() => contents,
            _ => {
                let _ = std::fs::remove_dir_all(&previous);
                std::fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
                (Vec::new(), Vec::new())
            }
        };
        std::fs::write(
            staging.join(MARKER),
            "This folder is written by `wenku build` and replaced whole on every build.\n",
        )
        .with_context(|| format!("cannot write into {}", staging.display()))?;
        let kept = Mutex::new(HashSet::from([PathBuf::from(MARKER)]));
        let differing = Noted::default();
        Ok(Staging { target: target.to_path_buf(), staging, kept, differing, old_files, old_folders, committed: false })
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Replaces the target with the staged folder in one step where the
    /// system allows it (Linux `renameat2(RENAME_EXCHANGE)`); the old site
    /// is kept aside for the next build to write over. Returns the files
    /// where the new site differs from the site before last (whose folder
    /// it was written into; all, when there was none).
    pub fn commit(mut self) -> Result<Vec<String>> {
        self.remove_files_not_kept()?;
        let previous = previous_site(&self.target);
        if previous.exists() {
            std::fs::remove_dir_all(&previous).with_context(|| format!("cannot remove {}", previous.display()))?;
        }
        if self.target.exists() {
            swap_in(&self.staging, &self.target)?;
        } else {
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()))?;
        }
        self.committed = true;
        Ok(self.differing.take())
    }

    fn note(&self, rel_path: &str) {
        self.differing.note(rel_path);
    }

    /// Deletes what the site before last had and this one does not, and
    /// the folders that leaves empty.
    fn remove_files_not_kept(&self) -> Result<()> {
        let kept = self.kept.lock().expect("no writer panics while holding the lock");
        for rel in self.old_files.iter().filter(|rel| !kept.contains(*rel)) {
            self.note(&rel.to_string_lossy());
            let path = self.staging.join(rel);
            match std::fs::remove_file(&path) {
                // Gone already, or a folder of this site stands there now.
                Err(e) if e.kind() != std::io::ErrorKind::NotFound && !path.is_dir() => {
                    return Err(e).with_context(|| format!("cannot remove {}", path.display()));
                }
                _ => {}
            }
        }
        // Deepest first: a folder emptied of its folders goes too. A folder
        // still holding files stays.
        for rel in &self.old_folders {
            let _ = std::fs::remove_dir(self.staging.join(rel));
        }
        Ok(())
    }
}

/// The files and folders (deepest first) of a site before last, relative to
/// it: `None` if it is not one wenku wrote, cannot be read whole, or holds a
/// symbolic link (writing over the site would then write wherever the link
/// points).
fn contents(site: &Path) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    if !site.join(MARKER).is_file() {
        return None;
    }
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(site).min_depth(1).contents_first(true) {
        let entry = entry.ok()?;
        let rel = entry.path().strip_prefix(site).ok()?.to_path_buf();
        match entry.file_type() {
            t if t.is_symlink() => return None,
            t if t.is_dir() => folders.push(rel),
            _ => files.push(rel),
        }
    }
    Some((files, folders))
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<()> {
        fail::fail_point!("site-write", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
        let path = self.staging.join(&output.rel_path);
        let unchanged = std::fs::read(&path).is_ok_and(|old| old == output.bytes);
        if !unchanged {
            self.note(&output.rel_path);
            if let Some(dir) = path.parent()
                && !dir.is_dir()
            {
                make_folder(&self.staging, dir)?;
            }
            if path.is_dir() {
                // The site before last had a folder where this file goes.
                std::fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            } else if is_linked(&path) {
                // A hard link shares its bytes with the site being served
                // (see `keep`): writing through it would change that site.
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            }
            std::fs::write(&path, &output.bytes).with_context(|| format!("cannot write {}", path.display()))?;
        }
        self.kept.lock().expect("no writer panics while holding the lock").insert(output.rel_path.into());
        Ok(())
    }

    /// A hard link to `from`, unless the site before last holds that very
    /// file already (the segments a build keeps are the same inodes build
    /// after build).
    fn keep(&self, rel_path: &str, from: &Path) -> Result<()> {
        let path = self.staging.join(rel_path);
        if !same_file(&path, from) {
            self.note(rel_path);
            if let Some(dir) = path.parent()
                && !dir.is_dir()
            {
                make_folder(&self.staging, dir)?;
            }
            if path.is_dir() {
                std::fs::remove_dir_all(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            } else if path.exists() {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            }
            if std::fs::hard_link(from, &path).is_err() {
                std::fs::copy(from, &path)
                    .with_context(|| format!("cannot copy {} to {}", from.display(), path.display()))?;
            }
        }
        self.kept.lock().expect("no writer panics while holding the lock").insert(rel_path.into());
        Ok(())
    }

    fn remove(&self, rel_path: &str) -> Result<()> {
        self.note(rel_path);
        self.kept.lock().expect("no writer panics while holding the lock").remove(Path::new(rel_path));
        let path = self.staging.join(rel_path);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove {}", path.display()))
            }
            _ => Ok(()),
        }
    }
}

/// A copy of the site in place, made from the site before last, that a
/// build writes its changes into and then swaps in whole (a build from the
/// state, `rebuild`): the served site changes all at once or not at all.
///
/// The site before last differs from the site in place only by the files
/// the last build wrote or removed, which the state keeps: those are
/// linked from the site in place (their bytes shared, never written
/// through: every write makes a new file and renames it over its place),
/// and the copy is the site in place. Without that list (after a full
/// build, or with no site before last) every file is linked. The files
/// this build writes or removes are noted, for the next.
pub struct Copy {
    target: PathBuf,
    staging: PathBuf,
    noted: Noted,
    committed: bool,
}

impl Copy {
    /// `differing`: where the site before last differs from the site in
    /// place, if known.
    pub fn open(target: &Path, differing: Option<&[String]>) -> Result<Copy> {
        if !target.join(MARKER).is_file() {
            bail!("{} is not a site wenku built", target.display());
        }
        remove_stale_staging(target);
        let parent = parent_of(target);
        let staging = parent.join(format!("{}{}.tmp", staging_prefix(target), std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).with_context(|| format!("cannot clear {}", staging.display()))?;
        }
        let previous = previous_site(target);
        let from_previous = differing.filter(|_| previous.join(MARKER).is_file());
        let differing: Vec<String> = match from_previous {
            Some(differing) if std::fs::rename(&previous, &staging).is_ok() => differing.to_vec(),
            _ => {
                if previous.exists() {
                    std::fs::remove_dir_all(&previous)
                        .with_context(|| format!("cannot remove {}", previous.display()))?;
                }
                std::fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
                let files = walkdir::WalkDir::new(target).min_depth(1).into_iter().flatten();
                let files = files.filter(|e| e.file_type().is_file());
                files.filter_map(|e| Some(e.path().strip_prefix(target).ok()?.to_string_lossy().into_owned())).collect()
            }
        };
        let copy = Copy { target: target.to_path_buf(), staging, noted: Noted::default(), committed: false };
        // Most are a file in both sites, in a folder both have: those are
        // linked on every thread at once (none touches another's path); the
        // rest, where a file and a folder trade places, in order after.
        let linked: Vec<bool> = differing.par_iter().map(|rel| copy.link_if_plain(rel)).collect::<Result<_>>()?;
        for (rel, _) in differing.iter().zip(linked).filter(|(_, linked)| !linked) {
            copy.link_from_target(rel)?;
        }
        Ok(copy)
    }

    /// Links `rel` from the site in place, as `link_from_target` does, when
    /// it is a file there and a file or nothing in a folder of the copy;
    /// else `false`, with nothing done.
    fn link_if_plain(&self, rel: &str) -> Result<bool> {
        refuse_links_on_the_way(&self.staging, rel)?;
        let (from, to) = (self.target.join(rel), self.staging.join(rel));
        let source = match std::fs::symlink_metadata(&from) {
            Ok(source) if source.is_file() => source,
            _ => return Ok(false),
        };
        match std::fs::symlink_metadata(&to) {
            Ok(there) if there.is_file() => {
                if same_inode(&source, &there) {
                    return Ok(true);
                }
                std::fs::remove_file(&to).with_context(|| format!("cannot remove {}", to.display()))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            _ => return Ok(false),
        }
        match std::fs::hard_link(&from, &to) {
            Ok(()) => Ok(true),
            // No folder for it yet: made in order, after.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(_) => {
                std::fs::copy(&from, &to)
                    .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
                Ok(true)
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The copy's `rel` made the site in place's: a link to its file, or
    /// nothing where it has none.
    fn link_from_target(&self, rel: &str) -> Result<()> {
        refuse_links_on_the_way(&self.staging, rel)?;
        let (from, to) = (self.target.join(rel), self.staging.join(rel));
        if to.is_dir() {
            std::fs::remove_dir_all(&to).with_context(|| format!("cannot remove {}", to.display()))?;
        }
        if !std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
            return InPlace(&self.staging).remove(rel);
        }
        if same_file(&from, &to) {
            return Ok(());
        }
        if let Some(dir) = to.parent() {
            make_folder(&self.staging, dir)?;
        }
        match std::fs::remove_file(&to) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {}", to.display()));
            }
            _ => {}
        }
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
        }
        Ok(())
    }

    /// Swaps the copy in, keeping the site it replaces as the site before
    /// last; returns the files where the two differ.
    pub fn commit(mut self) -> Result<Vec<String>> {
        swap_in(&self.staging, &self.target)?;
        self.committed = true;
        Ok(self.noted.take())
    }
}

/// Puts the folder `staging` in the place of the site `target`, whose
/// folder becomes the site before last: in one step where the system
/// allows it (Linux `renameat2(RENAME_EXCHANGE)`), else in two renames.
fn swap_in(staging: &Path, target: &Path) -> Result<()> {
    let previous = previous_site(target);
    if exchange(staging, target).is_ok() {
        // The old site now sits in the staging path.
        std::fs::rename(staging, &previous)
            .with_context(|| format!("cannot keep the previous site at {}", previous.display()))
    } else {
        std::fs::rename(target, &previous).with_context(|| format!("cannot move {} aside", target.display()))?;
        std::fs::rename(staging, target).with_context(|| format!("cannot move the new site to {}", target.display()))
    }
}

/// Relative paths noted by writers on many threads.
#[derive(Default)]
struct Noted(Mutex<std::collections::BTreeSet<String>>);

impl Noted {
    fn note(&self, rel_path: &str) {
        self.0.lock().expect("no writer panics while holding the lock").insert(rel_path.to_owned());
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("no writer panics while holding the lock")).into_iter().collect()
    }
}

impl Sink for Copy {
    fn put(&self, output: Output) -> Result<()> {
        fail::fail_point!("site-write", |_| std::process::exit(crate::STOPPED_AT_FAIL_POINT));
        refuse_links_on_the_way(&self.staging, &output.rel_path)?;
        // A page rendered again is often the same as before: left as it is,
        // it costs no write here, and no link in the next build's copy.
        if std::fs::read(self.staging.join(&output.rel_path)).is_ok_and(|old| old == output.bytes) {
            return Ok(());
        }
        self.noted.note(&output.rel_path);
        InPlace(&self.staging).put(output)
    }

    fn remove(&self, rel_path: &str) -> Result<()> {
        refuse_links_on_the_way(&self.staging, rel_path)?;
        self.noted.note(rel_path);
        InPlace(&self.staging).remove(rel_path)
    }

    fn writes_into(&self) -> Option<&Path> {
        Some(&self.staging)
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        if !self.committed {
            // A copy part-way: the next build starts from the site in place.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Fails if a folder on the way from `root` to `rel` is a symbolic link:
/// writing there would write wherever it points. (A site before last is
/// checked where it is written, not walked whole.)
fn refuse_links_on_the_way(root: &Path, rel: &str) -> Result<()> {
    let mut at = root.to_path_buf();
    let folders = Path::new(rel).parent().into_iter().flat_map(Path::components);
    for folder in folders {
        at.push(folder);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "{} is a symbolic link: wenku writes its sites' folders itself, and will not write through one",
                at.display()
            );
        }
    }
    Ok(())
}

/// Whether `a` and `b` are one file (hard links of each other).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => same_inode(&a, &b),
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Whether the file at `path` has other names (hard links).
#[cfg(unix)]
fn is_linked(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.nlink() > 1)
}

#[cfg(not(unix))]
fn is_linked(_: &Path) -> bool {
    false
}

/// Creates `dir` inside `staging`, replacing a file of the site before
/// last that stands where one of its folders goes.
fn make_folder(staging: &Path, dir: &Path) -> Result<()> {
    if std::fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    for ancestor in dir.ancestors().take_while(|a| a.starts_with(staging) && *a != staging) {
        if ancestor.is_file() {
            std::fs::remove_file(ancestor).with_context(|| format!("cannot remove {}", ancestor.display()))?;
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Half-written, but its files are compared before reuse: it
            // serves the next build as the site before last would.
            let previous = previous_site(&self.target);
            if previous.exists() || std::fs::rename(&self.staging, &previous).is_err() {
                let _ = std::fs::remove_dir_all(&self.staging);
            }
        }
    }
}

/// `.public.wenku-previous`: the site before the current one, kept for the
/// next build to write over.
pub fn previous_site(target: &Path) -> PathBuf {
    parent_of(target).join(format!("{}previous", staging_prefix(target)))
}

/// Written into every build, so a later build knows the folder is its own.
const MARKER: &str = ".wenku-build";

/// A build replaces its output folder whole: only an empty folder or one an
/// earlier build wrote may be replaced, never someone's documents.
fn is_replaceable(target: &Path) -> bool {
    match std::fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none() || target.join(MARKER).exists(),
        Err(_) => true, // missing: nothing to lose
    }
}

pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.public.wenku-`: staged folders are hidden and named after their target.
fn staging_prefix(target: &Path) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    format!(".{name}.wenku-")
}

/// A killed build leaves its staging folder behind; remove those whose
/// process is gone.
fn remove_stale_staging(target: &Path) {
    let prefix = staging_prefix(target);
    let Ok(entries) = std::fs::read_dir(parent_of(target)) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else { continue };
        let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && !process_alive(pid)
        {
            // A killed build's folder serves as the site before last if
            // there is none (its files are compared before reuse).
            let previous = previous_site(target);
            if previous.exists() || std::fs::rename(entry.path(), &previous).is_err() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

pub(crate) fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new(&format!("/proc/{pid}")).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; the call only renames.
    let result =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if result == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("atomic exchange is Linux-only"))
}

/// The bytes an unprivileged process may still write on the file system
/// holding `path` (or its nearest existing parent).
#[cfg(unix)]
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let existing = path.ancestors().find(|p| p.exists())?;
    let name = std::ffi::CString::new(existing.as_os_str().as_bytes()).ok()?;
    let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `name` is a valid C string and `stats` is written on success.
    if unsafe { libc::statvfs(name.as_ptr(), stats.as_mut_ptr()) } != 0 {
        return None;
    }
    let stats = unsafe { stats.assume_init() };
    // The fields' types differ between systems.
    #[allow(clippy::unnecessary_cast)]
    Some(stats.f_bavail as u64 * stats.f_frsize as u64)
}

#[cfg(not(unix))]
pub fn free_bytes(_: &Path) -> Option<u64> {
    None
}

/// Whether `error` comes from a full disk (`ENOSPC`).
pub fn is_disk_full(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of a site folder with their bytes, the marker aside.
    fn files_of(site: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(site)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e.path().strip_prefix(site).unwrap().to_string_lossy().into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    fn put(sink: &dyn Sink, rel_path: &str, text: &str) {
        sink.put(Output { rel_path: rel_path.into(), bytes: text.as_bytes().to_vec() }).unwrap();
    }

    #[test]
    fn a_copy_is_the_site_in_place_then_its_writes_swapped_in_whole_and_noted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // Two full builds: the site before last, and the site.
        for text in ["one", "two"] {
            let staging = Staging::new(&target).unwrap();
            put(&staging, "a/index.html", text);
            put(&staging, "same.html", "same");
            if text == "one" {
                put(&staging, "gone/index.html", "gone");
            } else {
                put(&staging, "b/index.html", "new");
            }
            // With no site before last, every file it wrote differs.
            let differing = staging.commit().unwrap();
            if text == "one" {
                assert_eq!(differing, ["a/index.html", "gone/index.html", "same.html"]);
            }
        }
        let site = files_of(&target);

        // Dropped part-way: the site as it was.
        let copy = Copy::open(&target, None).unwrap();
        assert_eq!(files_of(copy.path()), site, "the copy is the site in place");
        put(&copy, "a/index.html", "three");
        drop(copy);
        assert_eq!(files_of(&target), site);

        // With nothing known of the site before last, every file is linked.
        let copy = Copy::open(&target, None).unwrap();
        assert_eq!(files_of(copy.path()), site);
        put(&copy, "a/index.html", "three");
        put(&copy, "same.html", "same");
        copy.remove("b/index.html").unwrap();
        let differing = copy.commit().unwrap();
        assert_eq!(differing, ["a/index.html", "b/index.html"], "what it wrote or removed, not what stayed the same");
        assert_eq!(
            files_of(&target),
            BTreeMap::from([("a/index.html".into(), "three".into()), ("same.html".into(), "same".into())])
        );
        assert_eq!(files_of(&previous_site(&target)), site, "the site it replaced is the site before last");

        // The next copy, from the site before last and what differs.
        let copy = Copy::open(&target, Some(&differing)).unwrap();
        assert_eq!(files_of(copy.path()), files_of(&target));
        drop(copy);
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        std::fs::write(target.join(MARKER), "").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.put(Output { rel_path: "a/new.html".into(), bytes: b"new".to_vec() }).unwrap();
        drop(staging);
        assert!(target.join("old.html").exists(), "an abandoned build must not touch the output");

        let staging = Staging::new(&target).unwrap();
        staging.put(Output { rel_path: "a/new.html".into(), bytes: b"new".to_vec() }).unwrap();
        staging.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read(target.join("a/new.html")).unwrap(), b"new");
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.wenku-previous", "public"], "the old site is kept for the next build");
    }

    #[test]
    fn a_build_over_the_site_before_last_keeps_unchanged_files_and_drops_gone_ones() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let build = |files: &[(&str, &str)]| {
            let staging = Staging::new(&target).unwrap();
            for (path, text) in files {
                staging.put(Output { rel_path: (*path).into(), bytes: text.as_bytes().to_vec() }).unwrap();
            }
            staging.commit().unwrap();
        };
        build(&[("a/index.html", "a"), ("b/index.html", "b"), ("c", "file")]);
        build(&[("a/index.html", "a"), ("b/index.html", "b2"), ("c", "file")]);
        let kept_aside = dir.path().join(".public.wenku-previous/a/index.html");
        let unchanged = std::fs::metadata(kept_aside).unwrap().modified().unwrap();
        // Written over the first build's folder: `a` is the same, `b` changed,
        // `c` became a folder, `d` is new.
        build(&[("a/index.html", "a"), ("b/index.html", "b3"), ("c/index.html", "now a page"), ("d/x.html", "d")]);
        let read = |path: &str| std::fs::read_to_string(target.join(path)).unwrap();
        assert_eq!(read("a/index.html"), "a");
        assert_eq!(read("b/index.html"), "b3");
        assert_eq!(read("c/index.html"), "now a page");
        assert_eq!(read("d/x.html"), "d");
        assert_eq!(std::fs::metadata(target.join("a/index.html")).unwrap().modified().unwrap(), unchanged);
        build(&[("a/index.html", "a")]);
        let mut files: Vec<_> = walkdir::WalkDir::new(&target)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| e.path().strip_prefix(&target).unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, [MARKER, "a", "a/index.html"], "files and folders of gone pages are removed");
    }

    #[cfg(unix)]
    #[test]
    fn a_site_before_last_holding_a_link_is_not_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "keep me").unwrap();
        let build = |text: &str| {
            let staging = Staging::new(&target).unwrap();
            staging.put(Output { rel_path: "a.html".into(), bytes: text.as_bytes().to_vec() }).unwrap();
            staging.commit().unwrap();
        };
        build("one");
        build("two");
        // Someone links a file of the kept site elsewhere.
        let kept = dir.path().join(".public.wenku-previous/a.html");
        std::fs::remove_file(&kept).unwrap();
        std::os::unix::fs::symlink(&outside, &kept).unwrap();
        build("three");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "keep me", "nothing is written through the link");
        assert_eq!(std::fs::read_to_string(target.join("a.html")).unwrap(), "three");
    }

    #[test]
    fn a_folder_wenku_did_not_write_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("documents");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("工作总结.docx"), "precious").unwrap();
        let error = Staging::new(&target).err().expect("must refuse").to_string();
        assert!(error.contains("did not write"), "{error}");
        assert_eq!(std::fs::read(target.join("工作总结.docx")).unwrap(), b"precious");
    }
}
