//! Recurring passages: paragraphs that recur, verbatim or nearly, across
//! reports ("what was carried over").
//!
//! Every paragraph of at least `MIN_CHARS` characters is a candidate. Equal
//! texts (ignoring whitespace) are one *text*; texts whose MinHash
//! signatures say they are at least 0.7 alike are linked, and the connected
//! groups of linked texts are the *passages*. A passage that appears in two
//! or more reports recurs.
//!
//! The same `update` builds the passages of a whole site and keeps them
//! current after an edit: it re-reads only the changed reports, regroups
//! only the texts whose groups they touch, and says which other reports'
//! pages show a changed passage. Groups are connected components, which do
//! not depend on the order texts were added in, so an updated `Passages`
//! equals one found from scratch.

mod located;
mod minhash;

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::content::markdown::{BlockKind, Rendered};
use crate::content::{Report, ReportId};
pub use located::{Located, PlaceIn, Spread};
use minhash::Signature;

/// Shorter paragraphs ("同志们！", "现将有关情况报告如下：") recur by nature.
pub const MIN_CHARS: usize = wenku_engine::concordance::PASSAGE_MIN_CHARS;

/// A paragraph of a report: its number (`p-7` is 7) and its text's key.
type Paragraph = (u32, u64);

/// Kept between runs in the build state (`rebuild::state`).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Passages {
    /// Each report's paragraphs that are long enough to match, by id.
    paragraphs: Vec<Vec<Paragraph>>,
    texts: KeyMap<Text>,
    /// LSH buckets: texts by the key of one band of their signature.
    buckets: KeyMap<Bucket>,
    groups: KeyMap<Group>,
    /// Groups found in two reports or more: most reports first, then id.
    ranking: BTreeSet<(Reverse<usize>, u64)>,
}

/// One distinct paragraph text and where it is.
#[derive(serde::Serialize, serde::Deserialize)]
struct Text {
    #[serde(with = "minhash::as_slots")]
    signature: Signature,
    /// Report and paragraph number, in no particular order.
    places: Vec<(ReportId, u32)>,
    group: u64,
}

/// A passage: texts linked by similarity. Its id is its smallest text key.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub id: u64,
    /// Text keys, ascending.
    texts: Vec<u64>,
    /// How many different reports have one of the texts.
    pub reports: usize,
}

impl Group {
    pub fn recurs(&self) -> bool {
        self.reports >= 2
    }

    /// How many different wordings it has.
    pub fn variants(&self) -> usize {
        self.texts.len()
    }
}

/// Where a passage is: a report's paragraph, with that paragraph's text key
/// (equal keys: the very same words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub report: ReportId,
    pub paragraph: u32,
    pub key: u64,
}

/// What an `update` changed.
#[derive(Debug, Default)]
pub struct Changed {
    /// Whether a recurring passage appeared, went, or changed its places.
    pub recurring: bool,
    /// The reports, other than those updated, whose pages show such a passage.
    pub other_reports: BTreeSet<ReportId>,
    /// The ids of the recurring passages that went or were made (a passage
    /// whose places change is taken apart and made again).
    pub passages: BTreeSet<u64>,
}

/// Recurring passages taken apart or made while regrouping, and their reports.
#[derive(Default)]
struct Affected {
    reports: HashSet<ReportId>,
    passages: BTreeSet<u64>,
}

#[derive(serde::Serialize, serde::Deserialize)]
enum Bucket {
    One(u64),
    Many(Vec<u64>),
}

impl Passages {
    /// The passages of `reports`, found from scratch.
    pub fn find(reports: &[Report]) -> Passages {
        let mut passages = Passages::default();
        passages.update(&[], &reports.iter().collect::<Vec<_>>());
        passages
    }

    /// Forgets the reports `removed` and (re)reads `added` (reports with
    /// their ids), and says what that changed.
    pub fn update(&mut self, removed: &[ReportId], added: &[&Report]) -> Changed {
        let (found, signatures) = self.read_paragraphs(added);

        // Which texts gain or lose a place.
        let mut touched = KeySet::default();
        let mut changed: HashSet<ReportId> = HashSet::new();
        let still_there: HashSet<ReportId> = added.iter().map(|r| r.id).collect();
        for &id in removed.iter().filter(|id| !still_there.contains(id)) {
            let old = std::mem::take(self.paragraphs_mut(id));
            self.replace_places(id, &old, &[], &mut touched);
            changed.insert(id);
        }
        for (report, new) in added.iter().zip(found) {
            for &(_, key) in &new {
                if let Some(signature) = signatures.get(&key) {
                    self.add_text(key, *signature);
                }
            }
            let id = report.id;
            assert!(id != ReportId::NONE, "a library gave the report its id");
            let old = std::mem::take(self.paragraphs_mut(id));
            self.replace_places(id, &old, &new, &mut touched);
            *self.paragraphs_mut(id) = new;
            changed.insert(id);
        }

        let mut affected = Affected::default();
        self.regroup(touched, &mut affected);
        Changed {
            // Only recurring passages have reports to show.
            recurring: !affected.reports.is_empty(),
            other_reports: affected.reports.into_iter().filter(|id| !changed.contains(id)).collect(),
            passages: affected.passages,
        }
    }

    /// A report's paragraphs, by id (none for an id not seen yet).
    fn paragraphs_mut(&mut self, id: ReportId) -> &mut Vec<Paragraph> {
        if self.paragraphs.len() <= id.index() {
            self.paragraphs.resize_with(id.index() + 1, Vec::new);
        }
        &mut self.paragraphs[id.index()]
    }

    /// Each report's paragraphs, and the signatures of the texts not known
    /// yet, computed once per text and in parallel. Reports are unpacked a
    /// chunk at a time: the texts of a whole archive are never in memory.
    fn read_paragraphs(&self, reports: &[&Report]) -> (Vec<Vec<Paragraph>>, KeyMap<Signature>) {
        const CHUNK: usize = 512;
        let mut found = Vec::with_capacity(reports.len());
        let mut signatures = KeyMap::default();
        for chunk in reports.chunks(CHUNK) {
            let rendered: Vec<Rendered> = chunk.par_iter().map(|r| r.rendered()).collect();
            let texts: Vec<Vec<(Paragraph, &str)>> = rendered.par_iter().map(paragraphs).collect();
            let mut new: KeyMap<&str> = KeyMap::default();
            for &((_, key), text) in texts.iter().flatten() {
                if !self.texts.contains_key(&key) && !signatures.contains_key(&key) {
                    new.entry(key).or_insert(text);
                }
            }
            let new: Vec<(u64, &str)> = new.into_iter().collect();
            signatures
                .extend(new.into_par_iter().map(|(key, text)| (key, minhash::signature(text))).collect::<Vec<_>>());
            found.extend(texts.into_iter().map(|texts| texts.into_iter().map(|(paragraph, _)| paragraph).collect()));
        }
        (found, signatures)
    }

    fn add_text(&mut self, key: u64, signature: Signature) {
        if self.texts.contains_key(&key) {
            return;
        }
        for band in 0..minhash::BANDS {
            let band_key = minhash::band_key(&signature, band);
            match self.buckets.get_mut(&band_key) {
                None => {
                    self.buckets.insert(band_key, Bucket::One(key));
                }
                Some(Bucket::One(other)) => {
                    let other = *other;
                    self.buckets.insert(band_key, Bucket::Many(vec![other, key]));
                }
                Some(Bucket::Many(keys)) => keys.push(key),
            }
        }
        // Not in a group yet: `regroup` gives it one.
        self.texts.insert(key, Text { signature, places: Vec::new(), group: NO_GROUP });
    }

    fn remove_text(&mut self, key: u64) {
        let Some(text) = self.texts.remove(&key) else { return };
        for band in 0..minhash::BANDS {
            let band_key = minhash::band_key(&text.signature, band);
            let now_empty = match self.buckets.get_mut(&band_key) {
                Some(Bucket::One(_)) => true,
                Some(Bucket::Many(keys)) => {
                    keys.retain(|&k| k != key);
                    keys.is_empty()
                }
                None => false,
            };
            if now_empty {
                self.buckets.remove(&band_key);
            }
        }
    }

    /// Moves a report's places from `old` to `new` paragraphs, noting the
    /// texts that gained or lost one. A paragraph that kept its number and
    /// text changes nothing.
    fn replace_places(&mut self, report: ReportId, old: &[Paragraph], new: &[Paragraph], touched: &mut KeySet) {
        let (old_set, new_set): (HashSet<&Paragraph>, HashSet<&Paragraph>) =
            (old.iter().collect(), new.iter().collect());
        for paragraph @ &(number, key) in old {
            if new_set.contains(paragraph) {
                continue;
            }
            touched.insert(key);
            if let Some(text) = self.texts.get_mut(&key) {
                text.places.retain(|&place| place != (report, number));
            }
        }
        for paragraph @ &(number, key) in new {
            if old_set.contains(paragraph) {
                continue;
            }
            touched.insert(key);
            if let Some(text) = self.texts.get_mut(&key) {
                text.places.push((report, number));
            }
        }
    }

    /// Regroups the touched texts, with every text of the groups they were
    /// in (a group that lost a text may fall apart) and of the groups they
    /// join now (a new text may link two groups). Adds the reports shown by
    /// every group removed or made, if it recurs, and those groups, to `affected`.
    fn regroup(&mut self, touched: KeySet, affected: &mut Affected) {
        let mut seeds: Vec<u64> = Vec::new();
        for key in touched {
            let Some(group) = self.texts.get(&key).map(|t| t.group) else { continue };
            if group != NO_GROUP {
                seeds.extend(self.dissolve(group, affected));
            }
            seeds.push(key);
        }
        // Texts no report has any more.
        let unused: Vec<u64> =
            seeds.iter().copied().filter(|k| self.texts.get(k).is_some_and(|t| t.places.is_empty())).collect();
        for key in unused {
            self.remove_text(key);
        }
        seeds.retain(|k| self.texts.contains_key(k));

        let mut grouped = KeySet::default();
        // The texts of each LSH bucket met so far that are in no group yet.
        // A text leaves the list once grouped, so a passage recurring in
        // thousands of slightly different wordings (a number that changes
        // every year) costs a pass over its buckets, not every pair.
        let mut waiting: KeyMap<Vec<u64>> = KeyMap::default();
        for seed in seeds {
            if !grouped.insert(seed) {
                continue;
            }
            // Breadth-first over similar texts: one connected group.
            let mut members = vec![seed];
            let mut next = 0;
            while next < members.len() {
                let key = members[next];
                next += 1;
                for neighbour in self.similar_ungrouped(key, &mut grouped, &mut waiting) {
                    // A text of a group not touched: that group joins this one.
                    let group = self.texts[&neighbour].group;
                    if group != NO_GROUP {
                        self.dissolve(group, affected);
                    }
                    members.push(neighbour);
                }
            }
            self.make_group(members, affected);
        }
    }

    /// The texts not yet `grouped` that share a band with `key`'s signature
    /// and are alike enough; they are marked grouped. `waiting` keeps, per
    /// bucket, the texts still to compare.
    fn similar_ungrouped(&self, key: u64, grouped: &mut KeySet, waiting: &mut KeyMap<Vec<u64>>) -> Vec<u64> {
        let signature = &self.texts[&key].signature;
        let mut out = Vec::new();
        for band in 0..minhash::BANDS {
            let band_key = minhash::band_key(signature, band);
            let Some(Bucket::Many(keys)) = self.buckets.get(&band_key) else { continue };
            let candidates = waiting.entry(band_key).or_insert_with(|| keys.clone());
            candidates.retain(|&other| {
                if grouped.contains(&other) {
                    return false;
                }
                let alike = minhash::similar(signature, &self.texts[&other].signature);
                if alike {
                    grouped.insert(other);
                    out.push(other);
                }
                !alike
            });
        }
        out
    }

    /// Removes a group, returning its texts; they have no group until
    /// `make_group` gives them one.
    fn dissolve(&mut self, id: u64, affected: &mut Affected) -> Vec<u64> {
        let Some(group) = self.groups.remove(&id) else { return Vec::new() };
        self.ranking.remove(&(Reverse(group.reports), id));
        if group.recurs() {
            affected.passages.insert(id);
        }
        for key in &group.texts {
            let text = self.texts.get_mut(key).expect("a group's texts exist");
            text.group = NO_GROUP;
            if group.recurs() {
                affected.reports.extend(text.places.iter().map(|&(report, _)| report));
            }
        }
        group.texts
    }

    fn make_group(&mut self, mut texts: Vec<u64>, affected: &mut Affected) {
        texts.sort_unstable();
        let id = texts[0];
        let mut reports: Vec<ReportId> =
            texts.iter().flat_map(|key| self.texts[key].places.iter().map(|&(report, _)| report)).collect();
        reports.sort_unstable();
        reports.dedup();
        let group = Group { id, reports: reports.len(), texts };
        if group.recurs() {
            affected.reports.extend(reports);
            affected.passages.insert(id);
            self.ranking.insert((Reverse(group.reports), id));
        }
        for key in &group.texts {
            self.texts.get_mut(key).expect("a group's texts exist").group = id;
        }
        self.groups.insert(id, group);
    }

    /// The recurring passages of a report: its paragraph number, that
    /// paragraph's text key and the passage, in paragraph order.
    pub fn of_report(&self, id: ReportId) -> Vec<(u32, u64, &Group)> {
        let Some(paragraphs) = self.paragraphs.get(id.index()) else { return Vec::new() };
        paragraphs
            .iter()
            .filter_map(|&(number, key)| {
                let group = &self.groups[&self.texts[&key].group];
                group.recurs().then_some((number, key, group))
            })
            .collect()
    }

    /// Every place of a passage, in no particular order.
    pub fn places<'a>(&'a self, group: &'a Group) -> impl Iterator<Item = Place> + 'a {
        group.texts.iter().flat_map(move |&key| {
            self.texts[&key].places.iter().map(move |&(report, paragraph)| Place { report, paragraph, key })
        })
    }

    /// The passages found in the most reports, most first.
    pub fn most_recurring(&self) -> impl Iterator<Item = &Group> {
        self.ranking.iter().map(|(_, id)| &self.groups[id])
    }

    /// The key of a passage's wording found in the most places.
    pub fn most_common_text(&self, group: &Group) -> u64 {
        let places = |key: &u64| self.texts[key].places.len();
        *group.texts.iter().max_by(|a, b| places(a).cmp(&places(b)).then(b.cmp(a))).expect("a group has texts")
    }

    /// How many passages recur.
    pub fn recurring_count(&self) -> usize {
        self.ranking.len()
    }

    /// The other reports that share a recurring passage with `id`: their
    /// pages name it, so they change when its title, year or URL does.
    pub fn sharing_with(&self, id: ReportId) -> BTreeSet<ReportId> {
        let mut out = BTreeSet::new();
        for (_, _, group) in self.of_report(id) {
            out.extend(self.places(group).map(|p| p.report).filter(|&report| report != id));
        }
        out
    }
}

/// The text of paragraph `p-{number}` of a report.
pub fn paragraph_text(report: &Report, number: u32) -> String {
    let rendered = report.rendered();
    paragraph_texts(&rendered).find(|&(n, _)| n == number).map_or_else(String::new, |(_, text)| text.to_owned())
}

/// A report's paragraphs (`<p id="p-N">`) with their numbers, in order.
pub fn paragraph_texts(rendered: &Rendered) -> impl Iterator<Item = (u32, &str)> {
    rendered.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).filter_map(|block| {
        let number = block.anchor.strip_prefix("p-")?.parse().ok()?;
        Some((number, block.text.as_str()))
    })
}

/// `page` with markers inserted, each right after the paragraph
/// `<p id="p-N">` it belongs to. `markers` holds them one after the other;
/// `ends` says, in paragraph order, which paragraph each is for and where in
/// `markers` it ends.
pub fn insert_markers(page: &[u8], markers: &str, ends: &[(u32, usize)]) -> Vec<u8> {
    static PARAGRAPH: std::sync::LazyLock<memchr::memmem::Finder> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"<p id=\"p-"));
    let mut out = Vec::with_capacity(page.len() + markers.len());
    let (mut rest, mut start) = (page, 0);
    let mut ends = ends.iter().peekable();
    while let Some(&&(number, end)) = ends.peek() {
        let Some(at) = PARAGRAPH.find(rest) else { break };
        let digits = &rest[at + 9..];
        let length = digits.iter().take_while(|b| b.is_ascii_digit()).count();
        let found: Option<u32> = std::str::from_utf8(&digits[..length]).ok().and_then(|n| n.parse().ok());
        let after = at + 9 + length;
        if found != Some(number) {
            out.extend_from_slice(&rest[..after]);
            rest = &rest[after..];
            continue;
        }
        let Some(close) = memchr::memmem::find(&rest[after..], b"</p>") else { break };
        let mut cut = after + close + "</p>".len();
        if rest.get(cut) == Some(&b'\n') {
            cut += 1;
        }
        out.extend_from_slice(&rest[..cut]);
        out.extend_from_slice(&markers.as_bytes()[start..end]);
        rest = &rest[cut..];
        start = end;
        ends.next();
    }
    out.extend_from_slice(rest);
    out
}

/// Marks a text between leaving a group and joining a new one.
const NO_GROUP: u64 = u64::MAX;

/// A report's paragraphs long enough to match, each with its text.
fn paragraphs(rendered: &Rendered) -> Vec<(Paragraph, &str)> {
    let mut out = Vec::new();
    let mut buffer = Vec::new();
    for (number, text) in paragraph_texts(rendered) {
        if text.len() < MIN_CHARS {
            continue;
        }
        if let Some(key) = minhash::text_key(text, MIN_CHARS, &mut buffer) {
            out.push(((number, key), text));
        }
    }
    out
}

/// Text keys and band keys are hashes already: used as they are.
type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;
type KeySet = HashSet<u64, BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ReportIds;
    use std::cell::RefCell;
    use std::path::Path;

    thread_local! {
        /// The ids a library would give the tests' reports, by name.
        static IDS: RefCell<ReportIds> = RefCell::default();
    }

    fn id(source: &str) -> ReportId {
        IDS.with(|ids| ids.borrow_mut().intern(Path::new(source)))
    }

    fn source_name(id: ReportId) -> String {
        IDS.with(|ids| ids.borrow().source(id).display().to_string())
    }

    const A: &str = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入稳步增长，基本公共服务水平不断提高。";
    const A2: &str = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入较快增长，基本公共服务水平不断提高。";
    const B: &str = "全年粮食产量创历史新高，工业增加值增长百分之六，进出口总额突破四千亿元，新增城镇就业超过预期。";
    const C: &str = "深入推进依法行政，政府立法、规范性文件审查和行政复议工作不断加强，法治政府建设取得新成效。";
    const D: &str = "本局全年开展执法检查二十余次，查处各类违法案件一百余起，罚没款项全部上缴国库，执法水平明显提升。";

    fn report(source: &str, paragraphs: &[&str]) -> Report {
        let mut report = crate::content::report_for_tests(source, "某局", 2021, &paragraphs.join("\n\n"));
        report.id = id(source);
        report
    }

    /// Every report's recurring paragraphs and where else they are.
    fn describe(passages: &Passages, sources: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for source in sources {
            for (number, _, group) in passages.of_report(id(source)) {
                let mut places: Vec<String> =
                    passages.places(group).map(|p| format!("{}#{}", source_name(p.report), p.paragraph)).collect();
                places.sort();
                out.push(format!("{source}#{number}: {}", places.join(" ")));
            }
        }
        out.push(format!("recurring: {}", passages.recurring_count()));
        out
    }

    #[test]
    fn groups_exact_and_near_copies_and_skips_copies_within_one_report() {
        let reports = [report("x", &[A, B]), report("y", &[C, A2]), report("z", &[D, D])];
        let passages = Passages::find(&reports);
        assert_eq!(describe(&passages, &["x", "y", "z"]), ["x#1: x#1 y#2", "y#2: x#1 y#2", "recurring: 1"]);
    }

    /// The groups, as sets of text keys, by the definition: connected
    /// components of the pairs that share a band and are alike, every pair
    /// compared.
    fn groups_by_every_pair(passages: &Passages) -> BTreeSet<Vec<u64>> {
        let keys: Vec<u64> = passages.texts.keys().copied().collect();
        let mut component: HashMap<u64, usize> = keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        let signature = |k: &u64| &passages.texts[k].signature;
        let shares_band = |a: &u64, b: &u64| {
            (0..minhash::BANDS)
                .any(|band| minhash::band_key(signature(a), band) == minhash::band_key(signature(b), band))
        };
        for a in &keys {
            for b in &keys {
                if a < b && shares_band(a, b) && minhash::similar(signature(a), signature(b)) {
                    let (from, to) = (component[b], component[a]);
                    for c in component.values_mut() {
                        if *c == from {
                            *c = to;
                        }
                    }
                }
            }
        }
        let mut groups: HashMap<usize, Vec<u64>> = HashMap::new();
        for (key, c) in component {
            groups.entry(c).or_default().push(key);
        }
        groups
            .into_values()
            .map(|mut g| {
                g.sort_unstable();
                g
            })
            .collect()
    }

    #[test]
    fn groups_are_the_components_of_every_alike_pair() {
        // A paragraph whose numbers change from report to report (the
        // boilerplate of a real archive), near copies of two others, and
        // unrelated text: several groups, some texts alone.
        let mut reports = Vec::new();
        for i in 0..300 {
            let counted = format!(
                "全年共组织党组理论学习中心组集中学习{}次，开展专题研讨{}次，党员干部的理论水平进一步提高。",
                i * 7 + 3,
                i % 11
            );
            let edited = if i % 3 == 0 { A.replacen("稳步", &format!("{}", i % 10), 1) } else { A2.to_owned() };
            let other = format!(
                "本单位第{i}号专项工作按计划推进，具体情况另行报告，各项指标均已完成年度目标任务的{}成。",
                i % 10
            );
            let texts = [counted.as_str(), edited.as_str(), other.as_str(), if i % 2 == 0 { B } else { C }];
            reports.push(report(&format!("r{i}"), &texts));
        }
        let passages = Passages::find(&reports);
        let found: BTreeSet<Vec<u64>> = passages.groups.values().map(|g| g.texts.clone()).collect();
        assert!(found.len() > 3 && found.iter().any(|g| g.len() > 100), "{} groups", found.len());
        assert_eq!(found, groups_by_every_pair(&passages));
    }

    #[test]
    fn updates_end_where_a_fresh_start_does() {
        let first = [report("x", &[A, B]), report("y", &[C]), report("z", &[B, C])];
        let mut passages = Passages::find(&first);
        // y now has A's near copy, z is gone, w is new with A; x loses B.
        let edited = [report("y", &[C, A2]), report("w", &[A]), report("x", &[A])];
        let changed = passages.update(&[id("y"), id("z"), id("w"), id("x")], &edited.iter().collect::<Vec<_>>());
        let fresh = Passages::find(&edited);
        let sources = ["w", "x", "y", "z"];
        assert_eq!(describe(&passages, &sources), describe(&fresh, &sources));
        assert_eq!(
            describe(&fresh, &sources),
            ["w#1: w#1 x#1 y#2", "x#1: w#1 x#1 y#2", "y#2: w#1 x#1 y#2", "recurring: 1"]
        );
        assert!(changed.recurring);
        assert!(changed.other_reports.is_empty(), "every report that shows a passage was updated itself");

        // A report that keeps its paragraphs changes nothing else.
        let same = [report("w", &[A])];
        let changed = passages.update(&[id("w")], &same.iter().collect::<Vec<_>>());
        assert!(!changed.recurring && changed.other_reports.is_empty(), "{changed:?}");

        // Removing the paragraph from one report changes the others' markers.
        let without = [report("w", &[C])];
        let changed = passages.update(&[id("w")], &without.iter().collect::<Vec<_>>());
        assert!(changed.recurring);
        assert_eq!(changed.other_reports, BTreeSet::from([id("x"), id("y")]));
    }
}
