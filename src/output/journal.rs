//! The site's journal: a durable note that the pages, the search index
//! and the static index may disagree.
//!
//! It is written (and flushed to disk) before the first of them changes and
//! removed only once the last is current again: after a build's index
//! commit, or after `serve` has rewritten the pages of an edit, committed
//! the index and remade the static index. A process killed in between
//! leaves it behind, and every start (`build`, `serve`, `serve --no-build`)
//! that finds it builds the site whole, which brings all three back in
//! agreement: pages are rewritten, the index is synced by digest, the
//! static index is made again.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// In the site folder, beside the lock: the output folder is replaced
/// whole by builds.
pub const FILE: &str = ".wenku-journal";

/// An open journal: the site is being changed until `close`.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Notes durably that the site at `root` is about to change: the
    /// file and its folder entry are on disk when this returns.
    pub fn open(root: &Path, what: &str) -> Result<Journal> {
        let path = root.join(FILE);
        let note = format!(
            "{what} (process {}) is changing this site's pages and indexes; if this file outlives it, the next wenku start rebuilds the site whole\n",
            std::process::id()
        );
        write_durably(&path, note.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Journal { path })
    }

    /// Notes durably that pages and indexes agree again.
    pub fn close(self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            // A full build in between closed it already.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            removed => removed.with_context(|| format!("cannot remove {}", self.path.display()))?,
        }
        sync_folder(&self.path);
        Ok(())
    }

    /// What a journal left by a stopped process says, if there is one.
    pub fn left_behind(root: &Path) -> Option<String> {
        let path = root.join(FILE);
        path.exists().then(|| std::fs::read_to_string(&path).unwrap_or_default().trim().to_owned())
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    sync_folder(path);
    Ok(())
}

/// Flushes the folder entry of `path` (creation, removal) to disk, where the
/// platform allows it.
fn sync_folder(path: &Path) {
    if let Some(folder) = path.parent()
        && let Ok(folder) = std::fs::File::open(folder)
    {
        let _ = folder.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_not_closed_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Journal::left_behind(dir.path()), None);
        let journal = Journal::open(dir.path(), "wenku build").unwrap();
        assert!(Journal::left_behind(dir.path()).unwrap().starts_with("wenku build (process"));
        journal.close().unwrap();
        assert_eq!(Journal::left_behind(dir.path()), None);
        // Dropped without closing, as a killed process leaves it.
        drop(Journal::open(dir.path(), "wenku serve").unwrap());
        assert!(Journal::left_behind(dir.path()).is_some());
    }
}
