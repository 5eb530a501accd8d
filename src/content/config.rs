//! `wenku.yaml`: the site's settings. Every key is optional, so a folder with
//! only `content/` builds with the defaults.

use std::path::Path;

use serde::Deserialize;

use crate::shared::diagnostics::{Diagnostic, Diagnostics, Problem, closest};
use crate::shared::yaml;

pub const CONFIG_FILE: &str = "wenku.yaml";

/// Display order used when `wenku.yaml` lists no levels or periods. Unlike a
/// configured list it does not restrict values; unknown ones sort last.
const DEFAULT_LEVELS: &[&str] = &["国家级", "省级", "市级", "区县级", "乡镇级"];
const DEFAULT_PERIODS: &[&str] =
    &["年度", "上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度", "工作要点", "工作计划"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Shown in the header and the feed.
    pub title: String,
    pub description: String,
    /// Where the site is published: a full URL or a path such as `/archive/`.
    pub base_url: String,
    /// `<html lang>`.
    pub language: String,
    /// Theme folder under `themes/`; `default` is built into the binary.
    pub theme: String,
    /// Reports per list page.
    pub paginate: usize,
    /// Entries in the Atom feed.
    pub feed_limit: usize,
    /// Raw HTML in Markdown is escaped unless this is set.
    pub allow_html: bool,
    /// Allowed values and their display order; empty means any value.
    pub levels: Vec<String>,
    pub periods: Vec<String>,
    pub bodies: Vec<String>,
    pub years: Option<YearRange>,
    /// Where `build` writes the site, relative to the site root.
    pub output_dir: String,
    /// Where `build` writes the search index, relative to the site root.
    pub index_dir: String,
    /// How `wenku import` infers a level from a body's name: the first rule
    /// whose `contains` is in the name wins. Empty: the built-in rules.
    pub level_rules: Vec<LevelRule>,
    /// A comparison page for each report with one of the year before.
    pub compare_pages: bool,
    /// Markers on paragraphs found in other reports, and a page of the most
    /// recurring ones.
    pub recurring_passages: bool,
    /// A year's new formulations on its page, a body's key formulations on
    /// its page (`analysis::overview`).
    pub formulations: bool,
    /// Write the static search index (`_search/`) with the site, so that
    /// search works on a plain web server. On by default; off makes the
    /// build faster where the site is only ever served by `wenku serve`.
    pub static_search: bool,
    /// The largest report file read, in megabytes (10^6 bytes).
    pub max_report_mb: u64,
    /// `wenku import`: the most scanned pages OCR reads in one file, and
    /// the most seconds it spends on one; a file over either is reported.
    pub ocr_max_pages: usize,
    pub ocr_max_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    pub contains: String,
    pub level: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "文库".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "zh-CN".into(),
            theme: "default".into(),
            paginate: 50,
            feed_limit: 20,
            allow_html: false,
            levels: Vec::new(),
            periods: Vec::new(),
            bodies: Vec::new(),
            years: None,
            output_dir: "public".into(),
            index_dir: "search-index".into(),
            level_rules: Vec::new(),
            compare_pages: true,
            recurring_passages: true,
            formulations: true,
            static_search: true,
            max_report_mb: 64,
            ocr_max_pages: 50,
            ocr_max_seconds: 600,
        }
    }
}

/// Which list of allowed values a front-matter field is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    Level,
    Period,
    Body,
}

impl Config {
    /// Reads `wenku.yaml` from `root`, or the defaults when there is none.
    /// A problem comes as `Diagnostics`, as the reports' do, so that every
    /// command prints it the same way.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        Self::read(root).map_err(|problem| Diagnostics(vec![problem]))
    }

    fn read(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Diagnostic::new(&path, Problem::CannotReadConfig { why: e.to_string() }));
            }
        };
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config = yaml::from_str(text).map_err(|e| {
            let unknown_key = unknown_key(&e.message, CONFIG_KEYS)
                .map(|closest| (closest, CONFIG_KEYS.iter().map(|k| (*k).to_owned()).collect()));
            Diagnostic::new(&path, Problem::ConfigInvalid { message: e.message.clone(), unknown_key })
                .at(text, e.line, e.column)
        })?;
        config.validate(&path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<(), Diagnostic> {
        if self.paginate == 0 {
            return Err(Diagnostic::new(path, Problem::PaginateZero));
        }
        if self.max_report_mb == 0 {
            return Err(Diagnostic::new(path, Problem::MaxReportMbZero));
        }
        if let Some(range) = self.years
            && range.from > range.to
        {
            return Err(Diagnostic::new(path, Problem::YearsReversed));
        }
        Ok(())
    }

    pub fn allowed(&self, vocabulary: Vocabulary) -> &[String] {
        match vocabulary {
            Vocabulary::Level => &self.levels,
            Vocabulary::Period => &self.periods,
            Vocabulary::Body => &self.bodies,
        }
    }

    /// Sort key of a value: its place in the configured (or default) order,
    /// then the value itself so that unknown values still sort stably.
    pub fn order_of(&self, vocabulary: Vocabulary, value: &str) -> usize {
        let configured = self.allowed(vocabulary);
        let position = if configured.is_empty() {
            let defaults = match vocabulary {
                Vocabulary::Level => DEFAULT_LEVELS,
                Vocabulary::Period => DEFAULT_PERIODS,
                Vocabulary::Body => &[],
            };
            defaults.iter().position(|d| *d == value)
        } else {
            configured.iter().position(|d| d == value)
        };
        position.unwrap_or(usize::MAX)
    }

    pub fn max_report_bytes(&self) -> u64 {
        self.max_report_mb.saturating_mul(1_000_000)
    }

    /// The path prefix every internal link starts with, e.g. `/` or `/archive/`.
    pub fn base_path(&self) -> String {
        let without_scheme = match self.base_url.find("://") {
            Some(i) => {
                let rest = &self.base_url[i + 3..];
                rest.find('/').map(|j| &rest[j..]).unwrap_or("/")
            }
            None => self.base_url.as_str(),
        };
        let trimmed = without_scheme.trim_matches('/');
        if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") }
    }

    /// The absolute URL prefix for feeds and sitemaps (no trailing slash).
    pub fn absolute_base(&self) -> String {
        self.base_url.trim_end_matches('/').to_owned()
    }
}

const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "paginate",
    "feed_limit",
    "allow_html",
    "levels",
    "periods",
    "bodies",
    "years",
    "output_dir",
    "index_dir",
    "level_rules",
    "compare_pages",
    "recurring_passages",
    "formulations",
    "static_search",
    "max_report_mb",
    "ocr_max_pages",
    "ocr_max_seconds",
];

/// For serde's "unknown field `x`" errors: the key that was probably meant
/// (`Some(None)`: none is close), or `None` for any other error.
pub fn unknown_key(message: &str, keys: &[&str]) -> Option<Option<String>> {
    let rest = message.strip_prefix("unknown field `")?;
    let key = &rest[..rest.find('`')?];
    Some(closest(key, keys.iter().copied()).map(str::to_owned))
}
