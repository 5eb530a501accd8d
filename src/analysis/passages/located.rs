//! Passages read against a library: where their reports stand in it, and a
//! passage's spread over years and bodies (for the passages page and
//! `wenku passages`).

use std::collections::HashMap;

use super::{Group, Passages, paragraph_text};
use crate::content::Library;

/// A place of a passage in a library: report index, paragraph number, and
/// the key of the wording there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceIn {
    pub report: usize,
    pub paragraph: u32,
    pub key: u64,
}

/// Passages with their reports' places in a library.
pub struct Located<'a> {
    pub passages: &'a Passages,
    pub library: &'a Library,
}

/// What the passages page and `wenku passages` say of a passage.
pub struct Spread<'a> {
    /// Its most common wording, and that wording's key.
    pub text: String,
    pub key: u64,
    /// One place per report, oldest year first.
    pub places: Vec<PlaceIn>,
    /// Years with how many of the reports are of that year, in order.
    pub years: Vec<(Option<i32>, usize)>,
    /// Bodies with how many reports, most first: (name, count, a report).
    pub bodies: Vec<(&'a str, usize, usize)>,
}

impl<'a> Located<'a> {
    pub fn new(passages: &'a Passages, library: &'a Library) -> Located<'a> {
        Located { passages, library }
    }

    /// A passage's places, one per report (its first paragraph there),
    /// oldest year first, then in archive order.
    pub fn places(&self, group: &Group) -> Vec<PlaceIn> {
        let mut places: Vec<(Option<i32>, PlaceIn)> = self
            .passages
            .places(group)
            .filter_map(|place| {
                let report = self.library.position(place.report)?;
                let year = self.library.reports[report].meta.year;
                Some((year, PlaceIn { report, paragraph: place.paragraph, key: place.key }))
            })
            .collect();
        // Unknown years after the known ones.
        places.sort_unstable_by_key(|&(year, p)| (year.is_none(), year, p.report, p.paragraph));
        places.dedup_by_key(|(_, p)| p.report);
        places.into_iter().map(|(_, place)| place).collect()
    }

    pub fn spread(&self, group: &Group) -> Spread<'a> {
        let places = self.places(group);
        let key = self.passages.most_common_text(group);
        let shown = places.iter().find(|p| p.key == key).unwrap_or(&places[0]);
        let text = paragraph_text(&self.library.reports[shown.report], shown.paragraph);
        let mut years: Vec<(Option<i32>, usize)> = Vec::new();
        let mut bodies: HashMap<&str, (usize, usize)> = HashMap::new();
        for place in &places {
            let meta = &self.library.reports[place.report].meta;
            match years.last_mut() {
                Some((year, count)) if *year == meta.year => *count += 1,
                _ => years.push((meta.year, 1)),
            }
            bodies.entry(meta.body_label()).or_insert((0, place.report)).0 += 1;
        }
        let mut bodies: Vec<(&str, usize, usize)> =
            bodies.into_iter().map(|(name, (n, first))| (name, n, first)).collect();
        // Most reports first; ties in the order their first report appears.
        bodies.sort_by_key(|&(_, count, first)| (std::cmp::Reverse(count), first));
        Spread { text, key, places, years, bodies }
    }
}
