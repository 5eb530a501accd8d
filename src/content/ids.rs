//! A report's identity: its source path, interned once into a small number.
//!
//! The library gives every report its id when it takes the report in, and
//! keeps the ids between watch mode's edits: a report keeps its id through
//! edits, a removed one keeps it too (the same file coming back gets it
//! again). Pages, passages and the incremental path all name reports by it;
//! where a report stands in archive order is `Library::position`, which
//! changes when the order does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ReportId(u32);

impl ReportId {
    /// The id of a report no library has taken in yet.
    pub const NONE: ReportId = ReportId(u32::MAX);

    /// A number below `ReportIds::len()`: for tables indexed by id.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Ids by source path, and back.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<PathBuf>", into = "Vec<PathBuf>")]
pub struct ReportIds {
    by_source: HashMap<PathBuf, ReportId>,
    sources: Vec<PathBuf>,
}

impl ReportIds {
    /// The id of `source`, given one if it has none.
    pub fn intern(&mut self, source: &Path) -> ReportId {
        if let Some(&id) = self.by_source.get(source) {
            return id;
        }
        let id = ReportId(u32::try_from(self.sources.len()).expect("fewer than 4 billion reports"));
        self.by_source.insert(source.to_path_buf(), id);
        self.sources.push(source.to_path_buf());
        id
    }

    pub fn get(&self, source: &Path) -> Option<ReportId> {
        self.by_source.get(source).copied()
    }

    pub fn source(&self, id: ReportId) -> &Path {
        &self.sources[id.index()]
    }

    /// How many ids were given: every id's `index()` is below.
    pub(crate) fn len(&self) -> usize {
        self.sources.len()
    }
}

/// Kept in the build state as the sources alone, in id order.
impl From<ReportIds> for Vec<PathBuf> {
    fn from(ids: ReportIds) -> Vec<PathBuf> {
        ids.sources
    }
}

impl From<Vec<PathBuf>> for ReportIds {
    fn from(sources: Vec<PathBuf>) -> ReportIds {
        let by_source = sources.iter().enumerate().map(|(i, s)| (s.clone(), ReportId(i as u32))).collect();
        ReportIds { by_source, sources }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_keeps_its_id_and_ids_are_dense() {
        let mut ids = ReportIds::default();
        let a = ids.intern(Path::new("2021/a.md"));
        let b = ids.intern(Path::new("2021/b.md"));
        assert_eq!(ids.intern(Path::new("2021/a.md")), a);
        assert_eq!((a.index(), b.index(), ids.len()), (0, 1, 2));
        assert_eq!(ids.source(b), Path::new("2021/b.md"));
        assert_eq!(ids.get(Path::new("2021/c.md")), None);
    }
}
