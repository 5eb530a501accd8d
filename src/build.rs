//! One full build: config, content, theme, render in parallel, write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::analysis::overview::{KeptWindows, Overview, OverviewParts};
use crate::analysis::passages::Passages;
use crate::content::config::Config;
use crate::content::theme::Theme;
use crate::content::{self, Library};
use crate::output::journal::Journal;
use crate::output::{NullSink, Sink, Staging};
use crate::render::{Page, Site};
use crate::search::{IndexSummary, indexer, static_index};
use crate::shared::diagnostics::Problem;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder: `wenku.yaml`, `content/`, `templates/`, `static/`.
    pub root: PathBuf,
    /// Overrides the config's `output_dir`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub reports: usize,
    pub pages: usize,
    /// Loading and writing the site, without the index.
    pub elapsed: Duration,
    pub output: PathBuf,
    /// What the search index update did (not for `check`).
    pub index: Option<(PathBuf, IndexSummary)>,
    /// Reports whose `review:` lists fields still to check (source path, fields).
    pub awaiting_review: Vec<(PathBuf, Vec<crate::content::Review>)>,
    /// A run stopped while changing the site (its journal was left behind),
    /// and this build made pages and indexes agree again.
    pub repaired: bool,
    /// When the build started from the last one's state: how many report
    /// files had changed, come or gone since (`pages` is then the files it
    /// wrote).
    pub read_again: Option<usize>,
    /// The files where the site written differs from the site before last
    /// (a full build's: it writes over that site's folder), for the next
    /// build from the state (`output::Copy`).
    pub differing_from_before_last: Vec<String>,
}

/// Everything loaded from a site folder, ready to render.
pub struct LoadedSite {
    pub config: Config,
    pub library: Library,
    pub theme: Theme,
    /// Empty unless `recurring_passages` is on.
    pub passages: Passages,
    /// A year's new and a body's key formulations, for their pages…
    pub overview: Overview,
    /// …and the parts it was made of, reused when it is made again.
    pub overview_parts: OverviewParts,
    /// Reports compared with their predecessors (their pages show it).
    pub compared: crate::analysis::novel::Compared,
}

impl LoadedSite {
    pub fn renderer(&self) -> Site<'_> {
        Site::new(&self.library, &self.theme, &self.config, &self.passages)
            .with_overview(&self.overview)
            .with_compared(&self.compared)
    }
}

/// Loads a site and finds its passages.
pub fn load(root: &Path, drafts: bool) -> Result<LoadedSite> {
    let mut site = load_without_passages(root, drafts)?;
    site.passages = find_passages(&site);
    (site.overview, site.overview_parts) = find_overview(&site, None);
    Ok(site)
}

/// Config, content and theme, with no passages found yet.
fn load_without_passages(root: &Path, drafts: bool) -> Result<LoadedSite> {
    let config = Config::load(root)?;
    // Both are read before either fails: a broken template and broken
    // reports are reported in one run.
    let (library, theme) = match (content::load(&root.join("content"), &config, drafts), Theme::load(root, &config)) {
        (Ok(library), Ok(theme)) => (library, theme),
        (Err(mut problems), Err(theme_error)) => {
            let templates = root.join("templates");
            let message = theme_error.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
            problems.0.push(crate::shared::diagnostics::Diagnostic::new(&templates, Problem::Template { message }));
            return Err(problems.into());
        }
        (Err(problems), Ok(_)) => return Err(problems.into()),
        (Ok(_), Err(theme_error)) => return Err(theme_error),
    };
    let site = LoadedSite {
        config,
        library,
        theme,
        passages: Passages::default(),
        overview: Overview::default(),
        overview_parts: OverviewParts::default(),
        compared: Default::default(),
    };
    let clashes = crate::render::owners::problems(&site.renderer(), &root.join("content"));
    if !clashes.is_empty() {
        return Err(crate::shared::diagnostics::Diagnostics(clashes).into());
    }
    Ok(site)
}

fn find_passages(site: &LoadedSite) -> Passages {
    if site.config.recurring_passages { Passages::find(&site.library.reports) } else { Passages::default() }
}

pub(crate) fn find_overview(site: &LoadedSite, kept_windows: Option<&dyn KeptWindows>) -> (Overview, OverviewParts) {
    find_overview_until(site, None, kept_windows, &std::sync::atomic::AtomicBool::new(false)).expect("never cancelled")
}

/// The overview and its parts (reusing those of `site.overview_parts`
/// whose reports did not change), or `None` once `cancel` is set.
pub(crate) fn find_overview_until(
    site: &LoadedSite,
    holders: Option<crate::analysis::overview::Holders>,
    kept_windows: Option<&dyn KeptWindows>,
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<(Overview, OverviewParts)> {
    if site.config.formulations {
        crate::analysis::overview::overview(&site.library, &site.overview_parts, holders, kept_windows, cancel)
    } else {
        Some((Overview::default(), OverviewParts::default()))
    }
}

/// Builds the whole site into its output folder, replacing it only on
/// success, then brings the search index up to date (only changed
/// reports), and hands back what it loaded (a build from the state, and
/// watch mode, keep it to rebuild only what changes: `rebuild`). The caller
/// holds the site's lock.
pub fn build_and_keep(options: &BuildOptions) -> Result<(BuildSummary, LoadedSite)> {
    let started = Instant::now();
    let repairs = Journal::left_behind(&options.root).is_some();
    let mut site = load_without_passages(&options.root, options.drafts)?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join(&site.config.output_dir));
    refuse_dangerous_output(&options.root, &output)?;
    let index_dir = options.root.join(&site.config.index_dir);
    if index_dir.starts_with(&output) || index_dir.starts_with(options.root.join("content")) {
        bail!(
            "the search index folder {} is inside the site's output or content folder, which builds replace or read\n  = help: set `index_dir` in wenku.yaml to a separate folder such as `search-index`",
            index_dir.display()
        );
    }
    // Everything is checked; from here on pages and indexes change.
    let journal = Journal::open(&options.root, "wenku build")?;
    let staging = Staging::new(&output)?;
    let kept_windows = crate::output::windows::WindowFiles::writing(&options.root);
    let pages = find_passages_and_render(&mut site, &staging, Some(&kept_windows), options.progress)?;
    // The static index's writer works out the word cuts; Tantivy's takes them.
    let cuts = crate::analysis::words::SharedCuts::new(site.config.static_search);
    if site.config.static_search {
        let parent = crate::output::parent_of(&output);
        static_index::write(
            &site.library,
            &site.config,
            &staging,
            &output,
            &parent,
            &cuts,
            &std::sync::atomic::AtomicBool::new(false),
        )?;
    }
    let differing_from_before_last = staging.commit()?;
    let elapsed = started.elapsed();
    let index = indexer::sync(&index_dir, &site.library, &site.config, &cuts)?;
    journal.close()?;
    let summary = BuildSummary {
        repaired: repairs,
        reports: site.library.reports.len(),
        pages,
        elapsed,
        output,
        index: Some((index_dir, index)),
        awaiting_review: awaiting_review(&site.library),
        read_again: None,
        differing_from_before_last,
    };
    Ok((summary, site))
}

/// Loads and renders everything, writes nothing: all errors, no output.
pub fn check(root: &Path, drafts: bool) -> Result<BuildSummary> {
    let started = Instant::now();
    let mut site = load_without_passages(root, drafts)?;
    let pages = find_passages_and_render(&mut site, &NullSink, None, false)?;
    Ok(BuildSummary {
        reports: site.library.reports.len(),
        pages,
        elapsed: started.elapsed(),
        output: PathBuf::new(),
        index: None,
        awaiting_review: awaiting_review(&site.library),
        repaired: false,
        read_again: None,
        differing_from_before_last: Vec::new(),
    })
}

pub(crate) fn awaiting_review(library: &Library) -> Vec<(PathBuf, Vec<crate::content::Review>)> {
    let mut waiting: Vec<_> = library
        .reports
        .iter()
        .filter(|r| !r.meta.review.is_empty())
        .map(|r| (r.source.clone(), r.meta.review.clone()))
        .collect();
    waiting.sort_by(|a, b| a.0.cmp(&b.0));
    waiting
}

/// Renders every page in parallel into `sink`; returns how many.
pub fn render_all(site: &LoadedSite, sink: &dyn Sink, progress: bool) -> Result<usize> {
    let plan = site.renderer().plan();
    let bar = progress_bar(progress, plan.len());
    render_pages(site, &plan, sink, &bar)?;
    bar.finish_and_clear();
    Ok(plan.len())
}

/// Finds the site's passages and overview and renders every page into
/// `sink`; returns how many. Each finding runs beside the rendering of the
/// pages that do not wait for it: the passages beside the lists and
/// comparisons, the overview beside the reports' pages (the most work).
fn find_passages_and_render(
    site: &mut LoadedSite,
    sink: &dyn Sink,
    kept_windows: Option<&dyn KeptWindows>,
    progress: bool,
) -> Result<usize> {
    let plan = site.renderer().plan();
    let (overview_pages, rest): (Vec<Page>, Vec<Page>) = plan.into_iter().partition(Page::shows_overview);
    let (mut passage_pages, now): (Vec<Page>, Vec<Page>) = rest.into_iter().partition(Page::shows_passages);
    let bar = progress_bar(progress, overview_pages.len() + passage_pages.len() + now.len());
    let (passages, rendered) = rayon::join(|| find_passages(site), || render_pages(site, &now, sink, &bar));
    rendered?;
    site.passages = passages;
    // Which passages have pages of their own is known only now.
    if site.config.recurring_passages {
        passage_pages.extend(site.renderer().passage_pages());
        bar.set_length((overview_pages.len() + passage_pages.len() + now.len()) as u64);
    }
    let (overview, rendered) =
        rayon::join(|| find_overview(site, kept_windows), || render_pages(site, &passage_pages, sink, &bar));
    rendered?;
    (site.overview, site.overview_parts) = overview;
    render_pages(site, &overview_pages, sink, &bar)?;
    bar.finish_and_clear();
    Ok(overview_pages.len() + passage_pages.len() + now.len())
}

fn render_pages(site: &LoadedSite, pages: &[Page], sink: &dyn Sink, bar: &indicatif::ProgressBar) -> Result<()> {
    let renderer = site.renderer();
    pages.par_iter().try_for_each(|page| {
        sink.put(renderer.render_page(page)?)?;
        bar.inc(1);
        Ok(())
    })
}

/// A bar on the terminal for builds long enough to wait for.
fn progress_bar(progress: bool, pages: usize) -> indicatif::ProgressBar {
    if !progress || pages < 2000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}")
            .expect("the template is valid"),
    );
    bar
}

/// The output folder is replaced whole: never let it be the site itself.
fn refuse_dangerous_output(root: &Path, output: &Path) -> Result<()> {
    let root = root.canonicalize().with_context(|| format!("cannot open the site folder {}", root.display()))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let resolved = match parent.canonicalize() {
        Ok(p) => p.join(output.file_name().unwrap_or_default()),
        Err(_) => return Ok(()), // a new folder somewhere new cannot hold the site
    };
    if root.starts_with(&resolved) || resolved.as_os_str().is_empty() || output.file_name().is_none() {
        bail!(
            "refusing to write the site to {}: that folder holds the site's own files and would be replaced\n  = help: pick a separate output folder, e.g. `--output public`",
            output.display()
        );
    }
    for kept in ["content", "templates", "static", "themes"] {
        if resolved == root.join(kept) {
            bail!("refusing to write the site into {}: it is the site's `{kept}/` folder", output.display());
        }
    }
    Ok(())
}
