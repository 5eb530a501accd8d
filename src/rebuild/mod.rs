//! Incremental rebuilds: after an edit, re-parse only the files that changed,
//! rewrite only the pages they affect and re-index only those reports.
//!
//! The rule that keeps this honest (tested in `tests/testsuite/incremental.rs`): after
//! any sequence of edits the output folder and the search index hold exactly
//! what a clean full build of the same files produces.
//!
//! What a page depends on:
//! - a report page: the report itself, and its previous/next report (title,
//!   year, period, URL), and its predecessor (which it names, with the share
//!   of sentences they have in common and the formulations that came and
//!   went, when it has no comparison page);
//! - a comparison page: the report and its predecessor (same body and
//!   period, the nearest earlier year); it exists only while they share
//!   enough sentences, so a text edit can make it come or go (and the
//!   sitemap, which lists it, with it);
//! - a report page's passage markers: the other reports with the same or
//!   nearly the same paragraph (`Passages::update` says which changed);
//! - the recurring-passages page: the passages and the reports they name
//!   (rewritten when a recurring passage changed, or a report came, went or
//!   changed its front matter);
//! - a term's list pages: the reports of that term, in archive order;
//! - home, the taxonomy overviews, the feed, the sitemap and 404: everything
//!   (they are few, so they are always rewritten);
//! - static files and the search page: the theme only.
//!
//! A template edit re-renders every page without re-parsing; a config edit
//! reloads everything.
//!
//! `affected` works out which pages an edit reaches (pure, unit-tested);
//! `LiveSite` here loads the changed files, applies the edit to the library
//! and the passages, and writes the pages, the index and the static index.
//! What a file event is to the site is decided beside the watcher
//! (`serve::events`).

mod affected;
pub mod state;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use crate::analysis::overview::{Overview, OverviewParts};
use crate::analysis::words::SharedCuts;
use crate::build::{self, BuildOptions, BuildSummary, LoadedSite};
use crate::content::theme::Theme;
use crate::content::{self, Library, Report, ReportId, TaxonomyKind};
use crate::output::journal::Journal;
use crate::output::lock::SiteLock;
use crate::output::{InPlace, Sink, Staging};
use crate::render::{Page, Site};
use crate::search::{IndexDoc, IndexError, IndexWriter, indexer, static_index};
use crate::shared::diagnostics::{Diagnostic, Diagnostics};
use crate::shared::site::Output;

/// What changed on disk since the last rebuild, sorted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paths under `content/` (files or folders; existing or gone).
    pub content: BTreeSet<PathBuf>,
    pub templates: bool,
    pub static_files: bool,
    pub config: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.templates && !self.static_files && !self.config
    }

    fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.templates |= other.templates;
        self.static_files |= other.static_files;
        self.config |= other.config;
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// URLs of the pages rewritten (`/2021/%E6%80%BB%E7%BB%93/`,
    /// `/static/style.css`), or `None` when every page was.
    pub pages: Option<Vec<String>>,
    pub written: usize,
    pub removed: usize,
    pub reparsed: usize,
    pub reindexed: usize,
    pub elapsed: Duration,
}

/// `wenku build`: from the state the last build left (`state.rs`), only
/// what the report files changed since then reach is read and rewritten;
/// without one, the site is built whole (replaced only on success).
pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let lock = SiteLock::acquire(&options.root, "wenku build")?;
    LiveSite::open(options.clone(), lock, "wenku build").map(|(_, summary)| summary)
}

/// A site kept loaded between rebuilds, with its output folder and index.
pub struct LiveSite {
    options: BuildOptions,
    pub site: LoadedSite,
    pub output: PathBuf,
    pub index_dir: PathBuf,
    /// Every file of the output folder, relative to it.
    outputs: BTreeSet<String>,
    /// Held open between rebuilds: opening a writer and waiting for its
    /// merges costs seconds on a large index; a commit costs milliseconds.
    /// Tantivy merges segments in the background meanwhile.
    index: Option<IndexWriter>,
    /// Changes that could not be applied (the site had errors): tried again
    /// with the next change, so an error stays reported until it is fixed.
    pending: Changes,
    /// Reports changed since the static search index was last made.
    static_index_stale: bool,
    /// Reports changed since the overview (a year's new, a body's key
    /// formulations) was last found: like the static index, it depends on
    /// every report and is found again when edits pause.
    overview_stale: bool,
    /// Open from the first page an edit changes until pages, index and
    /// static index agree again.
    /// (Behind a lock: the static index is remade, and the journal closed,
    /// on another thread while the watcher waits for the next edit.)
    journal: std::sync::Mutex<Option<Journal>>,
    /// Held for as long as this process may rebuild the site…
    _lock: SiteLock,
    /// …which is this command (named in the journal).
    what: &'static str,
    /// The texts file of the build state the site was read from, if it was.
    texts: Option<state::Texts>,
    /// A build from the state writes into a copy of the site, swapped in
    /// whole at the end (`output::Copy`); watch mode writes in place.
    copy: Copying,
}

/// Where a build from the state stands with its copy of the site.
enum Copying {
    /// Watch mode: no copy.
    No,
    /// To be made before the first write, knowing (or not) where the site
    /// before last differs from the site in place…
    Before(Option<Vec<String>>),
    /// …made…
    Open(crate::output::Copy),
    /// …and swapped in: where the site differs from the one before it.
    Done(Vec<String>),
}

fn writer_of<'a>(copy: &'a Copying, output: &'a Path) -> Writer<'a> {
    match copy {
        Copying::Open(copy) => Writer::Copy(copy),
        _ => Writer::InPlace(InPlace(output)),
    }
}

/// Where a page goes: into the copy of the site, or in place.
enum Writer<'a> {
    InPlace(InPlace<'a>),
    Copy(&'a crate::output::Copy),
}

impl Sink for Writer<'_> {
    fn put(&self, output: Output) -> Result<()> {
        match self {
            Writer::InPlace(sink) => sink.put(output),
            Writer::Copy(sink) => sink.put(output),
        }
    }

    fn remove(&self, rel_path: &str) -> Result<()> {
        match self {
            Writer::InPlace(sink) => sink.remove(rel_path),
            Writer::Copy(sink) => sink.remove(rel_path),
        }
    }

    fn writes_into(&self) -> Option<&Path> {
        match self {
            Writer::InPlace(sink) => sink.writes_into(),
            Writer::Copy(sink) => sink.writes_into(),
        }
    }
}

impl LiveSite {
    /// The site brought up to date and kept in memory for incremental
    /// rebuilds (watch mode).
    pub fn build(options: BuildOptions) -> Result<LiveSite> {
        let lock = SiteLock::acquire(&options.root, "wenku serve")?;
        let (mut live, summary) = LiveSite::open(options, lock, "wenku serve")?;
        if summary.read_again.is_none() {
            // A full build plans no edits; watch mode does.
            live.outputs = plan_paths(&live.site);
        }
        live.index = Some(IndexWriter::open(&live.index_dir)?);
        Ok(live)
    }

    /// The site as the last build left it (its state, `state.rs`), brought
    /// up to date with the report files changed since; or, without a state
    /// made from the same executable, config, theme and output, built whole.
    /// Leaves the state of the result for the next run. `lock` is held.
    pub fn open(options: BuildOptions, lock: SiteLock, what: &'static str) -> Result<(LiveSite, BuildSummary)> {
        let mut lap = Lap::start();
        // Pages, the static index and the overview cut words: the
        // dictionary loads while the state is read, on one core.
        crate::analysis::words::load_in_background();
        // Taken before any report is read: a file changed while the build
        // reads it is read again by the next one.
        let stamps = state::Stamps::take(&options.root.join("content"));
        lap.done("stamps");
        let resumable = resumable(&options);
        lap.done("state read");
        let (live, summary) = match resumable {
            Some((site, mut state, texts, output)) => {
                let differing = state.before_last.take().and_then(|(folder, differing)| {
                    let previous = crate::output::previous_site(&output);
                    (state::folder_identity(&previous) == Some(folder)).then_some(differing)
                });
                let (mut live, summary) =
                    LiveSite::resume(options, lock, what, site, state, output, differing, &stamps)?;
                live.texts = Some(texts);
                (live, summary)
            }
            None => {
                // Where the site before last differed from the site, if the
                // last state knew and that folder is still the one it knew…
                let known = state::before_last(&options.root);
                // (and none is left while the build changes the site).
                state::remove(&options.root)?;
                let (mut summary, site) = build::build_and_keep(&options)?;
                let index_dir = options.root.join(&site.config.index_dir);
                let output = summary.output.clone();
                let mut live = LiveSite::of(options, lock, what, site, output, index_dir, BTreeSet::new());
                // …the site now differs from the one before it (that site)
                // where either differed from the site before last.
                let written = std::mem::take(&mut summary.differing_from_before_last);
                if let Some((output, mut differing)) = known
                    && std::path::absolute(&live.output).is_ok_and(|now| now == output)
                {
                    differing.extend(written);
                    differing.sort_unstable();
                    differing.dedup();
                    live.copy = Copying::Done(differing);
                }
                (live, summary)
            }
        };
        lap.done("build");
        // A state from which nothing changed stays as it is.
        if summary.read_again != Some(0) {
            live.save_state(stamps)?;
            lap.done("state written");
        }
        Ok((live, summary))
    }

    fn of(
        options: BuildOptions,
        lock: SiteLock,
        what: &'static str,
        site: LoadedSite,
        output: PathBuf,
        index_dir: PathBuf,
        outputs: BTreeSet<String>,
    ) -> LiveSite {
        LiveSite {
            options,
            site,
            output,
            index_dir,
            outputs,
            index: None,
            pending: Changes::default(),
            static_index_stale: false,
            overview_stale: false,
            journal: std::sync::Mutex::new(None),
            _lock: lock,
            what,
            texts: None,
            copy: Copying::No,
        }
    }

    /// The state's site with the files changed since `state` applied: their
    /// pages, the index, the static index and the overview, as watch mode
    /// brings them up to date, but all before returning, into a copy of the
    /// site swapped in at the end (`differing`: where the site before last
    /// differs from it, if known).
    fn resume(
        options: BuildOptions,
        lock: SiteLock,
        what: &'static str,
        site: LoadedSite,
        state: state::State,
        output: PathBuf,
        differing: Option<Vec<String>>,
        stamps: &state::Stamps,
    ) -> Result<(LiveSite, BuildSummary)> {
        let started = Instant::now();
        let content_dir = options.root.join("content");
        let changes = Changes {
            content: stamps.changed_since(&state.stamps).iter().map(|file| content_dir.join(file)).collect(),
            ..Changes::default()
        };
        let index_dir = options.root.join(&site.config.index_dir);
        let outputs = plan_paths(&site);
        let mut live = LiveSite::of(options, lock, what, site, output, index_dir, outputs);
        live.copy = Copying::Before(differing);
        let mut lap = Lap::start();
        let (rebuilt, _) =
            if changes.is_empty() { (Rebuilt::default(), HashSet::new()) } else { live.rebuild_part(&changes)? };
        lap.done("pages");
        // Brought up to date as a full build does, whatever happened to it;
        // then it tells the overview where a phrase may be.
        // Tantivy's writer works out the word cuts; the static index's takes them.
        let cuts = SharedCuts::new(live.static_index_stale);
        let index = indexer::sync(&live.index_dir, &live.site.library, &live.site.config, &cuts)?;
        lap.done("index");
        let never = AtomicBool::new(false);
        // The static index and the overview read the library and write
        // files of their own: made side by side, each using the core the
        // other leaves idle while it reads or writes.
        let shared = &live;
        let (published, found) = std::thread::scope(|scope| {
            let published = scope.spawn(|| match shared.static_index_stale {
                true => {
                    let (library, config) = (&shared.site.library, &shared.site.config);
                    static_index::publish_into(library, config, &shared.writer(), &cuts, &never).map(drop)
                }
                false => Ok(()),
            });
            let found = shared.overview_stale.then(|| {
                let search = crate::search::SearchIndex::open(&shared.index_dir).ok();
                let (library, config) = (&shared.site.library, &shared.site.config);
                let holders = |phrases: &[String]| search.as_ref()?.may_hold_any(library, config, phrases);
                shared.remake_overview_with(Some(&holders), &never)
            });
            (published.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), found)
        });
        published?;
        live.static_index_stale = false;
        if let Some(found) = found {
            (live.site.overview, live.site.overview_parts) = found?.expect("never cancelled");
            live.overview_stale = false;
        }
        lap.done("static index and overview");
        // Pages, static index and overview swapped in whole; then the
        // journal says that pages and indexes agree.
        if let Copying::Open(copy) = std::mem::replace(&mut live.copy, Copying::No) {
            live.copy = Copying::Done(copy.commit()?);
        }
        lap.done("swapped in");
        live.end_changes_if_current()?;
        let summary = BuildSummary {
            reports: live.site.library.reports.len(),
            pages: rebuilt.written,
            elapsed: started.elapsed(),
            output: live.output.clone(),
            index: Some((live.index_dir.clone(), index)),
            awaiting_review: build::awaiting_review(&live.site.library),
            repaired: false,
            read_again: Some(changes.content.len()),
            differing_from_before_last: Vec::new(),
        };
        Ok((live, summary))
    }

    /// Leaves the site's state for the next run (`stamps`: its report files
    /// as they were before they were read).
    fn save_state(&self, stamps: state::Stamps) -> Result<()> {
        let site = &self.site;
        let Some(inputs) = state::Inputs::of(&self.options.root, &self.output, site.theme.digest, self.options.drafts)
        else {
            return Ok(());
        };
        let (ids, reports) = site.library.ids_and_reports();
        // Where the site before last (if kept) differs from the site: known
        // after a build from the state, which noted what it wrote.
        let previous = crate::output::previous_site(&self.output);
        let before_last = match (&self.copy, state::folder_identity(&previous)) {
            (Copying::Done(differing), Some(folder)) => Some((folder, differing.as_slice())),
            _ => None,
        };
        // The comparisons the pages show now, not those of texts gone.
        let library = &site.library;
        let pairs = library
            .predecessors
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (library.reports[p].text_digest, library.reports[i].text_digest)));
        site.compared.retain(&pairs.collect());
        let kept = state::Kept {
            before_last,
            inputs: &inputs,
            stamps: &stamps,
            ids,
            reports,
            passages: &site.passages,
            overview: &site.overview,
            overview_parts: &site.overview_parts,
            compared: &site.compared,
        };
        state::save(&self.options.root, &kept, self.texts.as_ref())
    }

    /// Opens the journal before the first change of an edit's rebuild
    /// (and removes the build state, which no longer describes the output).
    fn begin_changes(&mut self) -> Result<()> {
        let journal = self.journal.get_mut().expect("no panic while holding the lock");
        if journal.is_none() {
            *journal = Some(Journal::open(&self.options.root, self.what)?);
            state::remove(&self.options.root)?;
        }
        if let Copying::Before(differing) = &self.copy {
            self.copy = Copying::Open(crate::output::Copy::open(&self.output, differing.as_deref())?);
        }
        Ok(())
    }

    /// Where pages are written now.
    fn writer(&self) -> Writer<'_> {
        writer_of(&self.copy, &self.output)
    }

    /// Closes the journal once pages, index and static index agree.
    fn end_changes_if_current(&mut self) -> Result<()> {
        if self.static_index_stale || self.overview_stale { Ok(()) } else { self.close_journal() }
    }

    fn close_journal(&self) -> Result<()> {
        match self.journal.lock().expect("no panic while holding the lock").take() {
            Some(journal) => journal.close(),
            None => Ok(()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Applies `changes`. On error nothing is written: the last good site
    /// stays, and the changes are retried with the next call.
    pub fn apply(&mut self, mut changes: Changes) -> Result<Rebuilt> {
        changes.merge(std::mem::take(&mut self.pending));
        let started = Instant::now();
        let result = if changes.config { self.rebuild_everything() } else { self.rebuild_part_and_reindex(&changes) };
        match result {
            Ok(mut rebuilt) => {
                rebuilt.elapsed = started.elapsed();
                Ok(rebuilt)
            }
            Err(e) => {
                self.pending = changes;
                Err(e)
            }
        }
    }

    /// A config edit: load everything again, as `wenku build` would.
    fn rebuild_everything(&mut self) -> Result<Rebuilt> {
        // The build opens the index itself (and may replace it).
        if let Some(writer) = self.index.take() {
            writer.finish()?;
        }
        let (summary, site) = match build::build_and_keep(&self.options) {
            Ok(built) => built,
            Err(e) => {
                self.index = IndexWriter::open(&self.index_dir).ok();
                return Err(e);
            }
        };
        self.site = site;
        self.output = summary.output;
        self.index_dir = self.options.root.join(&self.site.config.index_dir);
        self.index = Some(IndexWriter::open(&self.index_dir)?);
        self.outputs = plan_paths(&self.site);
        self.static_index_stale = false;
        self.overview_stale = false;
        // The build closed the journal: everything agrees.
        *self.journal.get_mut().expect("no panic while holding the lock") = None;
        let reindexed = summary.index.map_or(0, |(_, s)| s.added + s.updated + s.removed);
        Ok(Rebuilt { pages: None, written: summary.pages, reparsed: summary.reports, reindexed, ..Rebuilt::default() })
    }

    fn rebuild_part_and_reindex(&mut self, changes: &Changes) -> Result<Rebuilt> {
        let (mut rebuilt, changed) = self.rebuild_part(changes)?;
        if !changed.is_empty() {
            rebuilt.reindexed = self.reindex(&changed)?;
        }
        self.end_changes_if_current()?;
        Ok(rebuilt)
    }

    /// Applies `changes` to the pages; returns what it did and the reports
    /// that changed, which the indexes are then brought up to date for.
    fn rebuild_part(&mut self, changes: &Changes) -> Result<(Rebuilt, HashSet<ReportId>)> {
        let theme = if changes.templates || changes.static_files {
            Some(Theme::load(&self.options.root, &self.site.config)?)
        } else {
            None
        };
        let mut lap = Lap::start();
        let update = if changes.content.is_empty() { None } else { Some(self.load_changed(&changes.content)?) };
        lap.done("pages: read");
        let text_only = update.as_ref().and_then(|update| self.positions_if_text_only(update));
        if theme.is_some() || (update.is_some() && text_only.is_none()) {
            self.check_owners(theme.as_ref().unwrap_or(&self.site.theme), update.as_ref())?;
        }
        lap.done("pages: checked");

        // Everything is checked: from here on nothing fails for the content,
        // and pages and indexes change.
        self.begin_changes()?;
        lap.done("pages: copy of the site opened");
        if let Some(theme) = theme {
            self.site.theme = theme;
        }
        // From here on the changed reports are named by id (a new file gets
        // its id now, a gone one keeps its own).
        let changed: HashSet<ReportId> = match &update {
            Some(update) => update.sources().iter().map(|source| self.site.library.intern(source)).collect(),
            None => HashSet::new(),
        };
        let mut rebuilt = Rebuilt { reparsed: update.as_ref().map_or(0, |u| u.loaded.len()), ..Rebuilt::default() };
        // After a text edit the site has the same pages, give or take the
        // comparisons of the reports edited and of the next ones.
        let same_pages_but_comparisons = text_only.is_some() && !changes.templates && !changes.static_files;
        let mut pages = match (update, text_only) {
            (Some(update), Some(positions)) if !changes.templates => self.replace_in_place(update, positions),
            (Some(update), _) if !changes.templates => self.reassemble(update, &changed),
            (Some(update), _) => {
                self.reassemble(update, &changed);
                Vec::new()
            }
            (None, _) => Vec::new(),
        };
        lap.done("pages: library and passages found again");

        if changes.templates {
            self.write_everything()?;
            rebuilt.written = self.outputs.len();
        } else {
            if changes.static_files {
                pages.extend(self.site.theme.static_files.keys().cloned().map(Page::Static));
            }
            let renderer = self.site.renderer();
            let (pages, gone) = affected::settle(&renderer, pages, &self.outputs);
            let (written, removed, urls) = self.write_pages(&pages, same_pages_but_comparisons.then_some(&gone))?;
            rebuilt.written = written;
            rebuilt.removed = removed;
            rebuilt.pages = Some(urls);
        }
        if !changed.is_empty() {
            self.static_index_stale = self.site.config.static_search;
            self.overview_stale = self.site.config.formulations;
        }
        Ok((rebuilt, changed))
    }

    /// Where each changed report stands in the library, if none of them
    /// changed its front matter or URL (the common edit: the text). Then the
    /// order, taxonomies and neighbours stay as they are.
    fn positions_if_text_only(&self, update: &Update) -> Option<Vec<usize>> {
        if update.loaded.len() != update.removed.len() {
            return None;
        }
        let library = &self.site.library;
        update
            .loaded
            .iter()
            .map(|new| {
                let i = library.position(library.id_of(&new.source)?)?;
                let old = &library.reports[i];
                (old.meta == new.meta && old.path == new.path).then_some(i)
            })
            .collect()
    }

    /// A text-only edit: only the reports' own pages, their comparisons
    /// with the year before and the next year's with them, the feed (which
    /// quotes a first paragraph when there is no summary), and the pages
    /// showing a recurring passage the edit changed.
    fn replace_in_place(&mut self, update: Update, positions: Vec<usize>) -> Vec<Page> {
        for (report, &i) in update.loaded.into_iter().zip(&positions) {
            self.site.library.replace(i, report);
        }
        let changed: Vec<ReportId> = positions.iter().map(|&i| self.site.library.reports[i].id).collect();
        let mut pages = self.update_passages(&changed, &positions, false);
        pages.extend(affected::after_text_edit(&self.site.library, &positions));
        pages
    }

    /// Any other edit: the library is made again from its reports (sorted,
    /// grouped, linked), and the affected pages are worked out.
    fn reassemble(&mut self, update: Update, changed: &HashSet<ReportId>) -> Vec<Page> {
        let before = affected::Before::of(&self.site.library, changed);
        // The library is made again, its reports keeping their ids.
        let empty = Library::new(Vec::new(), &self.site.config);
        let (ids, mut reports) = std::mem::replace(&mut self.site.library, empty).into_parts();
        reports.retain(|r| !changed.contains(&r.id));
        reports.extend(update.loaded);
        self.site.library = Library::with_ids(ids, reports, &self.site.config);
        let library = &self.site.library;
        let mut loaded: Vec<usize> = changed.iter().filter_map(|&id| library.position(id)).collect();
        loaded.sort_unstable();
        let changed_ids: Vec<ReportId> = changed.iter().copied().collect();
        let mut pages = self.update_passages(&changed_ids, &loaded, true);
        pages.extend(affected::after_edit(&self.site.library, self.site.config.paginate, &before, changed));
        pages
    }

    /// Brings the recurring passages up to date after the reports at
    /// `changed` were edited, added or removed (`loaded`: where those still
    /// present now are). Returns the pages that show a changed passage:
    /// other reports' pages and the passages page. When `renamed`, the
    /// reports' titles, years or URLs may have changed too, which the other
    /// reports sharing a passage with them name.
    fn update_passages(&mut self, changed: &[ReportId], loaded: &[usize], renamed: bool) -> Vec<Page> {
        if !self.site.config.recurring_passages {
            return Vec::new();
        }
        let (library, passages) = (&self.site.library, &mut self.site.passages);
        let added: Vec<&Report> = loaded.iter().map(|&i| &library.reports[i]).collect();
        let updated = passages.update(changed, &added);
        let changed_passages = updated.passages;
        let mut affected = updated.other_reports;
        if renamed {
            for report in &added {
                affected.extend(passages.sharing_with(report.id));
            }
        }
        let mut pages = Vec::new();
        if updated.recurring || renamed {
            pages.push(Page::Passages);
        }
        // The pages of the passages that went or were made (a passage whose
        // places changed is one of them; a page left empty goes), and, when
        // titles, years or URLs may have changed, of every passage naming
        // the reports. (Every passage of every report affected, as before,
        // was every passage page of the site after most edits.)
        pages.extend(changed_passages.iter().map(|&id| Page::Passage(crate::render::passage_shard(id))));
        let renamed_reports = added.iter().filter(|_| renamed).map(|r| r.id);
        for id in renamed_reports {
            let groups = passages.of_report(id).into_iter().map(|(_, _, group)| group);
            let shards =
                groups.filter(|g| crate::render::has_passage_page(g)).map(|g| crate::render::passage_shard(g.id));
            pages.extend(shards.map(Page::Passage));
        }
        pages.extend(affected.into_iter().filter_map(|id| library.position(id)).map(Page::Report));
        pages
    }

    /// Renders `pages` (all or nothing), writes them, and deletes the files
    /// of pages that no longer exist: those of `gone`, when the caller knows
    /// that only these may have gone, else all that the site no longer
    /// plans (working that out costs tens of milliseconds at 100,000
    /// reports). Returns the counts and the pages' URLs.
    fn write_pages(&mut self, pages: &[Page], gone: Option<&Vec<Page>>) -> Result<(usize, usize, Vec<String>)> {
        let site = self.site.renderer();
        let mut lap = Lap::start();
        let outputs: Vec<Output> = pages.par_iter().map(|page| site.render_page(page)).collect::<Result<_>>()?;
        lap.done("pages: rendered");
        let written: Vec<String> = outputs.iter().map(|output| output.rel_path.clone()).collect();
        let writer = writer_of(&self.copy, &self.output);
        for output in outputs {
            writer.put(output)?;
        }
        lap.done("pages: put");
        let stale: Vec<String> = match gone {
            Some(gone) => {
                self.outputs.extend(written.iter().cloned());
                let gone = gone.iter().map(|page| site.rel_path(page));
                gone.filter(|rel_path| self.outputs.remove(rel_path)).collect()
            }
            None => {
                let new_paths = plan_paths(&self.site);
                let stale = self.outputs.difference(&new_paths).cloned().collect();
                self.outputs = new_paths;
                stale
            }
        };
        for rel_path in &stale {
            writer.remove(rel_path)?;
        }
        let urls = pages.iter().map(|p| site.page_url(p)).collect();
        Ok((written.len(), stale.len(), urls))
    }

    /// Loads the changed files, or fails with every problem of every file,
    /// leaving the site as it was.
    fn load_changed(&self, paths: &BTreeSet<PathBuf>) -> Result<Update> {
        let content_dir = self.options.root.join("content");
        let source_of = |path: &Path| path.strip_prefix(&content_dir).unwrap_or(path).to_path_buf();
        let mut removed = BTreeSet::new();
        let mut files = BTreeSet::new();
        let mut problems: Vec<Diagnostic> = Vec::new();
        for path in paths {
            let source = source_of(path);
            // Reports at or under a changed path: gone unless found again below.
            if content::is_report_file(path) {
                removed.insert(source.clone());
            } else {
                let under = self.site.library.reports.iter().filter(|r| r.source.starts_with(&source));
                removed.extend(under.map(|r| r.source.clone()));
            }
            let metadata = std::fs::symlink_metadata(path);
            if metadata.as_ref().is_ok_and(|m| m.is_dir()) {
                let (found, mut walk_problems) = content::find_reports(path).map_err(|d| Diagnostics(vec![d]))?;
                files.extend(found);
                problems.append(&mut walk_problems);
            } else if metadata.is_ok() && content::is_report_file(path) {
                // Whatever it is (a pipe, a link): `load_report` says if it may be read.
                files.insert(path.clone());
            }
        }
        let results: Vec<_> =
            files.par_iter().map(|file| content::load_report(&content_dir, file, &self.site.config)).collect();
        let mut loaded = Vec::new();
        for result in results {
            match result {
                Ok(report) if report.meta.draft && !self.options.drafts => {}
                Ok(report) => loaded.push(report),
                Err(mut diagnostics) => problems.append(&mut diagnostics),
            }
        }
        for file in &files {
            removed.insert(source_of(file));
        }
        if !problems.is_empty() {
            return Err(Diagnostics(problems).into());
        }
        Ok(Update { loaded, removed })
    }

    /// Fails, changing nothing, if the site after `update` with `theme`
    /// would write two pages to one path (or a name too long): checked on
    /// the reports' front matter, before anything is replaced.
    fn check_owners(&self, theme: &Theme, update: Option<&Update>) -> Result<()> {
        let content_dir = self.options.root.join("content");
        let is_kept = |r: &&Report| update.is_none_or(|u| !u.removed.contains(&r.source));
        let loaded = update.map_or(&[][..], |u| u.loaded.as_slice());
        let outline: Vec<Report> =
            self.site.library.reports.iter().filter(is_kept).chain(loaded).map(Report::outline).collect();
        let mut problems = content::duplicate_paths(&content_dir, &outline);
        if problems.is_empty() {
            let library = Library::new(outline, &self.site.config);
            let passages = crate::analysis::passages::Passages::default();
            problems = crate::render::owners::problems(
                &Site::new(&library, theme, &self.site.config, &passages),
                &content_dir,
            );
        }
        if problems.is_empty() { Ok(()) } else { Err(Diagnostics(problems).into()) }
    }

    /// Every page rendered anew and swapped in whole: for template edits.
    fn write_everything(&mut self) -> Result<()> {
        let staging = Staging::new(&self.output)?;
        build::render_all(&self.site, &staging, false)?;
        if self.site.config.static_search {
            let parent = crate::output::parent_of(&self.output);
            let (library, config) = (&self.site.library, &self.site.config);
            let cuts = SharedCuts::default();
            static_index::write(library, config, &staging, &self.output, &parent, &cuts, &AtomicBool::new(false))?;
        }
        staging.commit()?;
        self.outputs = plan_paths(&self.site);
        self.static_index_stale = false;
        Ok(())
    }

    /// Whether reports changed since the static search index was made.
    /// Watch mode remakes it when edits pause ([`LiveSite::remake_static_index`]),
    /// so that a save is served without waiting for it.
    pub fn static_index_is_stale(&self) -> bool {
        self.static_index_stale
    }

    /// Brings the static search index up to date where pages are written
    /// (`static_index::publish_into`). Returns `false`, with nothing
    /// changed, when `cancel` was set first.
    pub fn remake_static_index(&self, cancel: &AtomicBool) -> Result<bool> {
        let cuts = SharedCuts::default();
        if !static_index::publish_into(&self.site.library, &self.site.config, &self.writer(), &cuts, cancel)? {
            return Ok(false);
        }
        // The pages and the index were current before the remake began
        // (edits wait for it): all three agree now, unless the overview's
        // pages wait too.
        if !self.overview_stale {
            self.close_journal()?;
        }
        Ok(true)
    }

    /// Whether reports changed since the overview was found.
    pub fn overview_is_stale(&self) -> bool {
        self.overview_stale
    }

    /// Finds the overview again and writes the year and body pages whose
    /// formulations it changed (the first page of each list). Returns the
    /// new overview for [`LiveSite::overview_remade`], or `None`, with
    /// nothing written, when `cancel` was set first.
    pub fn remake_overview(&self, cancel: &AtomicBool) -> Result<Option<(Overview, OverviewParts)>> {
        self.remake_overview_with(None, cancel)
    }

    /// The same, asking `holders` which reports may hold a phrase that
    /// became a candidate.
    fn remake_overview_with(
        &self,
        holders: Option<crate::analysis::overview::Holders>,
        cancel: &AtomicBool,
    ) -> Result<Option<(Overview, OverviewParts)>> {
        let kept_windows = crate::output::windows::WindowFiles::reading_and_writing(&self.options.root);
        let Some((overview, parts)) = build::find_overview_until(&self.site, holders, Some(&kept_windows), cancel)
        else {
            return Ok(None);
        };
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(None);
        }
        let old = &self.site.overview;
        let library = &self.site.library;
        let mut pages = Vec::new();
        for kind in [TaxonomyKind::Year, TaxonomyKind::Body] {
            for (term, named) in library.taxonomy(kind).terms.iter().enumerate() {
                let changed = match kind {
                    TaxonomyKind::Year => {
                        let year = named.name.parse::<i32>().ok();
                        year.and_then(|y| old.years.get(&y)) != year.and_then(|y| overview.years.get(&y))
                    }
                    _ => old.bodies.get(&named.name) != overview.bodies.get(&named.name),
                };
                if changed {
                    pages.push(Page::TermList { kind, term, page: 1 });
                }
            }
        }
        let site = self.site.renderer().with_overview(&overview);
        let outputs: Vec<Output> = pages.par_iter().map(|page| site.render_page(page)).collect::<Result<_>>()?;
        let writer = self.writer();
        for output in outputs {
            writer.put(output)?;
        }
        Ok(Some((overview, parts)))
    }

    /// Keeps the overview [`LiveSite::remake_overview`] found and wrote.
    pub fn overview_remade(&mut self, (overview, parts): (Overview, OverviewParts)) -> Result<()> {
        self.site.overview = overview;
        self.site.overview_parts = parts;
        self.overview_stale = false;
        self.end_changes_if_current()
    }

    /// Notes that the static search index is current again: pages and
    /// indexes agree.
    pub fn static_index_remade(&mut self) -> Result<()> {
        self.static_index_stale = false;
        self.end_changes_if_current()
    }

    /// Deletes and re-adds the documents of the changed reports, then commits.
    fn reindex(&mut self, changed: &HashSet<ReportId>) -> Result<usize> {
        let written = self.write_to_index(changed);
        if written.is_err() {
            // A writer that failed (a full disk stops its threads) cannot be
            // used again: the retry opens a new one, from the last commit.
            self.index = None;
        }
        written.map_err(|e| indexer::name_a_full_disk(e, &self.index_dir))?;
        Ok(changed.len())
    }

    fn write_to_index(&mut self, changed: &HashSet<ReportId>) -> Result<(), IndexError> {
        let writer = match &mut self.index {
            Some(writer) => writer,
            None => self.index.insert(IndexWriter::open(&self.index_dir)?),
        };
        let library = &self.site.library;
        for &id in changed {
            match library.position(id) {
                Some(i) => writer.upsert(&IndexDoc::from_report(&library.reports[i], &self.site.config))?,
                None => writer.delete(&indexer::index_id(library.source(id))),
            }
        }
        writer.commit()
    }
}

/// The site a build may start from: the state left by the last run, with
/// the config and theme read now, if it was made from them (and no run was
/// left unfinished); the output folder.
fn resumable(options: &BuildOptions) -> Option<(LoadedSite, state::State, state::Texts, PathBuf)> {
    let root = &options.root;
    if Journal::left_behind(root).is_some() {
        return None;
    }
    // Errors here are the full build's to report, with all others.
    let config = crate::content::config::Config::load(root).ok()?;
    let theme = Theme::load(root, &config).ok()?;
    let output = options.output.clone().unwrap_or_else(|| root.join(&config.output_dir));
    let inputs = state::Inputs::of(root, &output, theme.digest, options.drafts)?;
    let (mut state, texts) = state::load(root, &inputs)?;
    let library = Library::with_ids(std::mem::take(&mut state.ids), std::mem::take(&mut state.reports), &config);
    let site = LoadedSite {
        config,
        library,
        theme,
        passages: std::mem::take(&mut state.passages),
        overview: std::mem::take(&mut state.overview),
        overview_parts: std::mem::take(&mut state.overview_parts),
        compared: std::mem::take(&mut state.compared),
    };
    Some((site, state, texts, output))
}

/// `WENKU_BUILD_TIMES=1`: how long each step of a build from the state
/// took, on stderr (for benchmarks).
struct Lap {
    at: Option<Instant>,
}

impl Lap {
    fn start() -> Lap {
        Lap { at: std::env::var_os("WENKU_BUILD_TIMES").map(|_| Instant::now()) }
    }

    fn done(&mut self, step: &str) {
        if let Some(at) = &mut self.at {
            eprintln!("build step {step}: {} ms", at.elapsed().as_millis());
            *at = Instant::now();
        }
    }
}

/// The result of re-reading the changed files.
struct Update {
    loaded: Vec<Report>,
    /// Sources of reports to drop: every changed path, found again or not.
    removed: BTreeSet<PathBuf>,
}

impl Update {
    fn sources(&self) -> HashSet<PathBuf> {
        self.removed.iter().cloned().chain(self.loaded.iter().map(|r| r.source.clone())).collect()
    }
}

/// The output path of every page of the site.
fn plan_paths(site: &LoadedSite) -> BTreeSet<String> {
    let renderer = site.renderer();
    renderer.plan().iter().map(|page| renderer.rel_path(page)).collect()
}
