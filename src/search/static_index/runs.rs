//! Postings gathered in bounded memory: each partition of the terms keeps
//! what it gathered in a hash map until the map reaches its budget, then
//! writes it out sorted by term (a run), as an external sort does. At the
//! end each partition's runs are merged term by term.
//!
//! Reports are added in number order, so a term's postings from one run
//! come before those of every later run, and merging only concatenates.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use wenku_engine::static_index::format;

use super::keys::{Key, PARTITIONS};

/// What all partitions together hold in memory before they write runs.
const BUDGET_BYTES: usize = 64 << 20;

/// One term's postings and positions.
#[derive(Default)]
pub struct Gathered {
    pub postings: Vec<(u32, u32)>,
    /// Each report's positions, deltas, one after the other.
    pub positions: Vec<u8>,
}

/// One partition: what it holds now and the runs it wrote.
pub struct Partition {
    index: usize,
    name: &'static str,
    dir: PathBuf,
    terms: FxHashMap<Key, Gathered>,
    bytes: usize,
    runs: Vec<PathBuf>,
}

impl Partition {
    /// A report's occurrences of `key`, at `positions` (none for entries
    /// that only count). Reports come in increasing order.
    pub fn add(&mut self, key: &Key, doc: u32, count: u32, positions: impl Iterator<Item = u32>) -> Result<()> {
        let slot = match self.terms.get_mut(key) {
            Some(slot) => slot,
            None => {
                self.bytes += 96;
                self.terms.entry(key.clone()).or_default()
            }
        };
        let before = slot.positions.len();
        slot.postings.push((doc, count));
        format::put_positions(&mut slot.positions, positions);
        self.bytes += 8 + slot.positions.len() - before;
        if self.bytes > BUDGET_BYTES / PARTITIONS {
            self.write_run()?;
        }
        Ok(())
    }

    /// Writes what is held as a run, sorted by the term's text.
    fn write_run(&mut self) -> Result<()> {
        if self.terms.is_empty() {
            return Ok(());
        }
        let mut terms: Vec<(String, Gathered)> = self.terms.drain().map(|(key, g)| (key.to_string(), g)).collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let path = self.dir.join(format!("{}-{}-{}", self.name, self.index, self.runs.len()));
        let mut out = BufWriter::new(File::create(&path).with_context(|| format!("cannot create {}", path.display()))?);
        let mut record = Vec::new();
        for (key, gathered) in &terms {
            record.clear();
            format::put_str(&mut record, key);
            format::put_varint(&mut record, gathered.postings.len() as u64);
            format::put_postings(&mut record, &gathered.postings);
            format::put_varint(&mut record, gathered.positions.len() as u64);
            record.extend_from_slice(&gathered.positions);
            out.write_all(&record)?;
        }
        out.flush().with_context(|| format!("cannot write {}", path.display()))?;
        self.runs.push(path);
        self.terms = FxHashMap::default();
        self.bytes = 0;
        Ok(())
    }

    /// Writes what is left and returns every run, oldest first.
    pub fn finish(mut self) -> Result<Vec<PathBuf>> {
        self.write_run()?;
        Ok(self.runs)
    }
}

/// The partitions of one kind of entry (`name` keeps their runs apart).
pub fn partitions(dir: &Path, name: &'static str) -> Vec<Partition> {
    (0..PARTITIONS)
        .map(|index| Partition {
            index,
            name,
            dir: dir.to_owned(),
            terms: FxHashMap::default(),
            bytes: 0,
            runs: Vec::new(),
        })
        .collect()
}

/// Calls `each` for every term of `runs` in the order of their text, with
/// all its postings and positions.
pub fn merge(runs: &[PathBuf], mut each: impl FnMut(&str, &Gathered) -> Result<()>) -> Result<()> {
    let mut readers: Vec<RunReader> = runs.iter().map(|path| RunReader::open(path)).collect::<Result<_>>()?;
    let mut next: BinaryHeap<Reverse<(String, usize)>> = BinaryHeap::new();
    for (index, reader) in readers.iter_mut().enumerate() {
        if let Some(key) = reader.next_key()? {
            next.push(Reverse((key, index)));
        }
    }
    let mut gathered = Gathered::default();
    while let Some(Reverse((key, index))) = next.pop() {
        gathered.postings.clear();
        gathered.positions.clear();
        let mut from = index;
        loop {
            readers[from].read_rest(&mut gathered)?;
            if let Some(k) = readers[from].next_key()? {
                next.push(Reverse((k, from)));
            }
            // The same term in later runs: the heap gives them in run order.
            match next.peek() {
                Some(Reverse((k, other))) if *k == key => from = *other,
                _ => break,
            }
            next.pop();
        }
        each(&key, &gathered)?;
    }
    for path in runs {
        std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// Reads a run back record by record.
struct RunReader {
    path: PathBuf,
    input: BufReader<File>,
    bytes: Vec<u8>,
}

impl RunReader {
    fn open(path: &Path) -> Result<RunReader> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(RunReader { path: path.to_owned(), input: BufReader::with_capacity(1 << 16, file), bytes: Vec::new() })
    }

    fn damaged(&self) -> anyhow::Error {
        anyhow::anyhow!("the search index's scratch file {} is damaged", self.path.display())
    }

    /// The next record's term, or `None` at the end.
    fn next_key(&mut self) -> Result<Option<String>> {
        if self.input.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let len = self.varint()? as usize;
        self.read_exact(len)?;
        Ok(Some(String::from_utf8(std::mem::take(&mut self.bytes)).map_err(|_| self.damaged())?))
    }

    /// The rest of the record whose key was just read, added to `gathered`.
    fn read_rest(&mut self, gathered: &mut Gathered) -> Result<()> {
        let count = self.varint()? as usize;
        let mut doc = 0u32;
        gathered.postings.reserve(count);
        for _ in 0..count {
            doc += self.varint()? as u32;
            let tf = self.varint()? as u32;
            gathered.postings.push((doc, tf));
        }
        let len = self.varint()? as usize;
        self.read_exact(len)?;
        gathered.positions.extend_from_slice(&self.bytes);
        Ok(())
    }

    fn read_exact(&mut self, len: usize) -> Result<()> {
        self.bytes.resize(len, 0);
        self.input.read_exact(&mut self.bytes).map_err(|_| self.damaged())
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let mut byte = [0u8];
            self.input.read_exact(&mut byte).map_err(|_| self.damaged())?;
            value |= u64::from(byte[0] & 0x7f) << shift;
            if byte[0] < 0x80 {
                return Ok(value);
            }
        }
        Err(self.damaged())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_into_each_terms_postings_in_report_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut partition = partitions(dir.path(), "test").remove(0);
        let (a, b) = (Key::of("发展"), Key::of("经济"));
        partition.add(&b, 0, 1, [3].into_iter()).unwrap();
        partition.add(&a, 0, 2, [1, 5].into_iter()).unwrap();
        partition.write_run().unwrap();
        partition.add(&a, 4, 1, [7].into_iter()).unwrap();
        let runs = partition.finish().unwrap();
        assert_eq!(runs.len(), 2);
        let mut seen = Vec::new();
        merge(&runs, |key, g| {
            seen.push((key.to_owned(), g.postings.clone(), g.positions.clone()));
            Ok(())
        })
        .unwrap();
        let mut positions_a = Vec::new();
        format::put_positions(&mut positions_a, [1, 5]);
        format::put_positions(&mut positions_a, [7]);
        let mut positions_b = Vec::new();
        format::put_positions(&mut positions_b, [3]);
        assert_eq!(
            seen,
            vec![
                ("发展".to_owned(), vec![(0, 2), (4, 1)], positions_a),
                ("经济".to_owned(), vec![(0, 1)], positions_b)
            ]
        );
        assert!(runs.iter().all(|run| !run.exists()), "merged runs are removed");
    }
}
