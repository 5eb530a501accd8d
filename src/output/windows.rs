//! The four-character windows of the newest years, kept between builds in
//! files beside the build state, for the overview (`overview::KeptWindows`).

use std::path::{Path, PathBuf};

use crate::analysis::overview::KeptWindows;

/// The windows of the newest years (`overview::KeptWindows`), in files
/// `.wenku-windows-<year>-<digest>` beside the state. They are named by
/// what they were made from, so they need not agree with the state: a
/// build from nothing only writes them (they may be of another wenku), a
/// build from the state and watch mode read them too.
pub struct WindowFiles {
    root: PathBuf,
    read: bool,
}

const WINDOWS_FILE: &str = ".wenku-windows-";

impl WindowFiles {
    pub fn writing(root: &Path) -> WindowFiles {
        WindowFiles { root: root.to_path_buf(), read: false }
    }

    pub fn reading_and_writing(root: &Path) -> WindowFiles {
        WindowFiles { root: root.to_path_buf(), read: true }
    }

    fn name(year: i32, digest: u64) -> String {
        format!("{WINDOWS_FILE}{year}-{digest:016x}")
    }
}

impl KeptWindows for WindowFiles {
    fn get(&self, year: i32, digest: u64) -> Option<Vec<u8>> {
        if !self.read {
            return None;
        }
        std::fs::read(self.root.join(Self::name(year, digest))).ok()
    }

    fn keep(&self, year: i32, digest: u64, bytes: &[u8], oldest: i32) {
        // Only a cache: a file that cannot be written is made again next time.
        let name = Self::name(year, digest);
        let partial = self.root.join(format!("{name}.partial"));
        if std::fs::write(&partial, bytes).is_err() || std::fs::rename(&partial, self.root.join(&name)).is_err() {
            let _ = std::fs::remove_file(&partial);
            return;
        }
        // The year's windows as they were, and those of years no longer newest.
        let Ok(entries) = std::fs::read_dir(&self.root) else { return };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some((kept_year, _)) = file.strip_prefix(WINDOWS_FILE).and_then(|rest| rest.split_once('-')) else {
                continue;
            };
            let stale = kept_year.parse::<i32>().map_or(true, |kept| kept < oldest || kept == year && file != name);
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_windows_are_read_back_only_when_reading_and_only_the_newest_years_are_kept() {
        let root = tempfile::tempdir().unwrap();
        let files = || {
            let names = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap());
            let mut names: Vec<String> = names.collect();
            names.sort();
            names
        };
        let writing = WindowFiles::writing(root.path());
        writing.keep(2020, 1, b"a", 2019);
        writing.keep(2021, 2, b"b", 2019);
        assert_eq!(writing.get(2020, 1), None, "a build from nothing reads none");
        let both = WindowFiles::reading_and_writing(root.path());
        assert_eq!(both.get(2020, 1).as_deref(), Some(&b"a"[..]));
        assert_eq!(both.get(2020, 2), None, "the year's reports changed");
        both.keep(2020, 3, b"c", 2019);
        assert_eq!(files(), [WindowFiles::name(2020, 3), WindowFiles::name(2021, 2)], "the year's old windows went");
        both.keep(2026, 4, b"d", 2021);
        assert_eq!(files(), [WindowFiles::name(2021, 2), WindowFiles::name(2026, 4)], "years before the oldest went");
    }
}
