//! Where rendered files go: a staging folder swapped in atomically, or memory.
//!
//! A build writes into a hidden folder beside the output and swaps it in only
//! when every file is written, so a failed or killed build leaves the previous
//! site exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

use crate::render::Output;

/// Receives the files of a build, from many threads at once.
pub trait Sink: Sync {
    fn put(&self, output: Output) -> Result<()>;
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
}

/// Discards outputs: `check` renders every page to find errors, writes nothing.
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _: Output) -> Result<()> {
        Ok(())
    }
}

/// A folder beside the output that becomes the output on `commit`.
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
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
        std::fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        std::fs::write(
            staging.join(MARKER),
            "This folder is written by `wenku build` and replaced whole on every build.\n",
        )
        .with_context(|| format!("cannot write into {}", staging.display()))?;
        Ok(Staging { target: target.to_path_buf(), staging, committed: false })
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Replaces the target with the staged folder in one step where the
    /// system allows it (Linux `renameat2(RENAME_EXCHANGE)`).
    pub fn commit(mut self) -> Result<()> {
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()))?;
        } else if exchange(&self.staging, &self.target).is_ok() {
            // The old site now sits in the staging path.
            std::fs::remove_dir_all(&self.staging)
                .with_context(|| format!("cannot remove the previous site at {}", self.staging.display()))?;
        } else {
            let old =
                parent_of(&self.target).join(format!("{}{}.old", staging_prefix(&self.target), std::process::id()));
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move {} aside", self.target.display()))?;
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()))?;
            std::fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<()> {
        let path = self.staging.join(&output.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, &output.bytes).with_context(|| format!("cannot write {}", path.display()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Written into every build, so a later build knows the folder is its own.
const MARKER: &str = ".wenku-build";

/// Present in the output while `wenku serve` replaces some of its pages one
/// by one: a server killed meanwhile leaves a site mixing old and new pages,
/// which `serve --no-build` then refuses to serve.
pub const UPDATING: &str = ".wenku-updating";

/// Fails if a rebuild stopped half-way through the output folder.
pub fn check_whole(output: &Path) -> Result<()> {
    if output.join(UPDATING).exists() {
        bail!(
            "the site in {} was left half-updated: a `wenku serve` stopped while it was replacing pages\n  = help: run `wenku build` (or `wenku serve` without `--no-build`) to write it whole again",
            output.display()
        );
    }
    Ok(())
}

/// A build replaces its output folder whole: only an empty folder or one an
/// earlier build wrote may be replaced, never someone's documents.
fn is_replaceable(target: &Path) -> bool {
    match std::fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none() || target.join(MARKER).exists(),
        Err(_) => true, // missing: nothing to lose
    }
}

fn parent_of(path: &Path) -> PathBuf {
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
            let _ = std::fs::remove_dir_all(entry.path());
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
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
