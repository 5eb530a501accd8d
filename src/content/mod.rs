//! Loading a site's reports into a `Library`: walking `content/`, reading and
//! checking each file in parallel, and building the taxonomies staff browse by.

pub mod config;
mod front_matter;
pub use front_matter::is_calendar_date;
mod ids;
mod library;
pub mod markdown;
pub mod packed;
pub mod sentences;
pub mod theme;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::config::Config;
use crate::shared::diagnostics::{Diagnostic, Diagnostics, Problem};
use markdown::Rendered;

pub use front_matter::{
    EXAMPLE, FrontMatter, RemovedLine, Review, UNKNOWN_BODY, UNKNOWN_LEVEL, UNKNOWN_PERIOD, UNKNOWN_YEAR,
    stored_year_label,
};
pub use ids::{ReportId, ReportIds};
pub use library::{Library, Taxonomy, TaxonomyKind, Term};

/// One report, parsed and rendered once.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// Given by the library that takes the report in (`ReportId::NONE`
    /// until then): what pages, passages and rebuilds name it by.
    pub id: ReportId,
    /// Path relative to `content/`: the file it is read from.
    pub source: PathBuf,
    pub meta: FrontMatter,
    /// Output path relative to the site root, without base path: `2021/总结/`.
    pub path: String,
    /// Hashes of its sentences, sorted: how much it shares with another.
    #[serde(with = "crate::shared::as_bytes")]
    pub sentence_hashes: Box<[u64]>,
    /// A hash of its text blocks and their anchors: whether its index
    /// document changed, told without unpacking the text.
    pub text_digest: u64,
    /// The rendered Markdown, compressed: `rendered()` unpacks it. (The
    /// build state keeps it apart, in its texts file.)
    #[serde(skip)]
    text: packed::Packed,
}

impl Report {
    pub fn new(source: PathBuf, meta: FrontMatter, path: String, rendered: &Rendered) -> Report {
        let sentences = crate::content::sentences::report_sentences(rendered);
        let sentence_hashes = crate::content::sentences::sentence_hashes(&sentences).into_boxed_slice();
        let text_digest = rendered.blocks.iter().fold(0, |digest, block| {
            crate::shared::hash::mix(digest ^ crate::shared::hash::hash_bytes(block.anchor.as_bytes()))
                ^ crate::shared::hash::hash_bytes(block.text.as_bytes())
        });
        let text = packed::Packed::new(rendered);
        Report { id: ReportId::NONE, source, meta, path, sentence_hashes, text_digest, text }
    }

    /// The report's HTML, table of contents and text blocks (unpacked anew
    /// on every call: keep the value while it is needed, not longer).
    pub fn rendered(&self) -> Rendered {
        self.text.unpack()
    }

    /// Its packed text, and putting one back (the build state).
    pub fn packed(&self) -> &packed::Packed {
        &self.text
    }

    pub fn set_packed(&mut self, text: packed::Packed) {
        self.text = text;
    }

    /// The report without its text: what its pages' paths depend on.
    pub fn outline(&self) -> Report {
        Report {
            id: self.id,
            source: self.source.clone(),
            meta: self.meta.clone(),
            path: self.path.clone(),
            sentence_hashes: Box::default(),
            text_digest: 0,
            text: Default::default(),
        }
    }
}

/// A report of `body` for `year` (市级, 年度) made from Markdown, titled and
/// addressed by its source: for unit tests that need reports in memory.
#[cfg(test)]
pub(crate) fn report_for_tests(source: &str, body: &str, year: i32, markdown: &str) -> Report {
    let meta = FrontMatter {
        title: source.into(),
        body: Some(body.into()),
        level: Some("市级".into()),
        year: Some(year),
        period: Some("年度".into()),
        date: None,
        summary: None,
        tags: Vec::new(),
        slug: None,
        draft: false,
        source: None,
        review: Vec::new(),
        removed: Vec::new(),
    };
    Report::new(source.into(), meta, format!("{source}/"), &markdown::render(markdown, false))
}

/// Loads every report under `content_dir`. Fails with all problems at once.
pub fn load(content_dir: &Path, config: &Config, include_drafts: bool) -> Result<Library, Diagnostics> {
    let (files, mut walk_problems) = find_reports(content_dir).map_err(|d| Diagnostics(vec![d]))?;
    let results: Vec<Result<Report, Vec<Diagnostic>>> =
        files.par_iter().map(|file| load_report(content_dir, file, config)).collect();

    let mut reports = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    problems.append(&mut walk_problems);
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(mut diagnostics) => problems.append(&mut diagnostics),
        }
    }
    assemble(content_dir, reports, problems, config, include_drafts)
}

/// Makes a library of loaded reports, or fails with `problems` found while
/// loading them and any others: drops drafts unless asked for them and checks
/// that no two reports share an output path.
fn assemble(
    content_dir: &Path,
    mut reports: Vec<Report>,
    mut problems: Vec<Diagnostic>,
    config: &Config,
    include_drafts: bool,
) -> Result<Library, Diagnostics> {
    if !include_drafts {
        reports.retain(|r| !r.meta.draft);
    }
    problems.extend(duplicate_paths(content_dir, &reports));
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(Library::new(reports, config))
}

/// Whether a file is a report: `.md`, in any case (`.MD` from Windows).
pub fn is_report_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
}

/// Markdown files under `dir`, sorted, skipping hidden files (editor swap
/// files, `.git`), and the problems met on the way: a folder that cannot be
/// read is one more problem, and the walk goes on past it. Whether each file
/// may be read (a regular file, not too large) is `load_report`'s to say.
pub fn find_reports(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    if !dir.is_dir() {
        return Err(Diagnostic::new(dir, Problem::ContentFolderMissing));
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
        match entry {
            Ok(entry) if is_report_file(entry.path()) && !entry.file_type().is_dir() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let why = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                problems.push(Diagnostic::new(&path, Problem::CannotReadFolder { why: why.to_string() }));
            }
        }
    }
    Ok((files, problems))
}

/// The bytes of a report file, read only if it is a regular file inside
/// `content/` (a link is followed only to such a file) of at most
/// `limit` bytes: a named pipe would block the build, a link to
/// `/dev/zero` fill the memory, one to `/etc/passwd` publish it.
fn read_report_file(content_dir: &Path, file: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let cannot_read = |e: std::io::Error| Diagnostic::new(file, Problem::CannotReadFile { why: e.to_string() });
    let mut metadata = std::fs::symlink_metadata(file).map_err(cannot_read)?;
    if metadata.file_type().is_symlink() {
        let target = file.canonicalize().map_err(cannot_read)?;
        if !content_dir.canonicalize().is_ok_and(|content| target.starts_with(content)) {
            return Err(Diagnostic::new(file, Problem::LinkOutsideContent));
        }
        metadata = std::fs::metadata(file).map_err(cannot_read)?;
    }
    if !metadata.is_file() {
        return Err(Diagnostic::new(file, Problem::NotRegularFile));
    }
    let too_large = || Diagnostic::new(file, Problem::FileTooLarge { mb: limit / 1_000_000 });
    read_at_most(file, limit).map_err(cannot_read)?.ok_or_else(too_large)
}

/// The bytes of a regular file, or `None` if it holds more than `limit`
/// (checked on the open file and while reading, so a file that grows
/// meanwhile is caught too). Opened without blocking: a pipe that took the
/// file's place cannot stall the caller.
pub fn read_at_most(file: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let opened = options.open(file)?;
    let size = opened.metadata()?.len();
    if size > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    opened.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads, checks and renders one report file.
pub fn load_report(content_dir: &Path, file: &Path, config: &Config) -> Result<Report, Vec<Diagnostic>> {
    let bytes = read_report_file(content_dir, file, config.max_report_bytes()).map_err(|d| vec![d])?;
    let text = decode_utf8(file, bytes).map_err(|d| vec![d])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_owned() };

    let split = front_matter::split(file, &text).map_err(|d| vec![d])?;
    let meta = front_matter::parse(file, &text, &split, config)?;
    let rendered = markdown::render(split.markdown, config.allow_html);
    let source = file.strip_prefix(content_dir).unwrap_or(file).to_path_buf();
    let path = output_path(&source, meta.slug.as_deref());
    Ok(Report::new(source, meta, path, &rendered))
}

/// `2021/年度总结.md` → `2021/年度总结/`; a slug replaces the file name.
fn output_path(source: &Path, slug: Option<&str>) -> String {
    let mut segments: Vec<String> = source
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| url_segment(&c.as_os_str().to_string_lossy()))
        .collect();
    let stem = source.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    segments.push(url_segment(slug.unwrap_or(&stem)));
    let mut path = segments.join("/");
    path.push('/');
    path
}

/// A file or folder name made safe for a URL path segment. Chinese is kept:
/// browsers and static servers percent-encode and decode it.
pub fn url_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if !c.is_control() && !"/\\?#%\"<>|^`{}[]".contains(c) {
            out.push(c);
        }
    }
    if out.is_empty() || out == "." || out == ".." { "_".into() } else { out }
}

/// A path as messages show it: without a leading `./`.
fn shown(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

/// Reports whose output paths collide would overwrite each other.
pub fn duplicate_paths<'a>(content_dir: &Path, reports: impl IntoIterator<Item = &'a Report>) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&str, &Report> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for report in reports {
        if let Some(first) = seen.insert(&report.path, report) {
            problems.push(Diagnostic::new(
                &content_dir.join(&report.source),
                Problem::SameAddress { other: shown(&content_dir.join(&first.source)), path: report.path.clone() },
            ));
            seen.insert(&first.path, first);
        }
    }
    problems
}

/// The file as UTF-8 text, or a diagnostic: where the bad byte is, when the
/// file is UTF-8 but for a few bytes; else the encoding it looks like.
fn decode_utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let bytes = e.as_bytes();
    let valid = &bytes[..e.utf8_error().valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
    let line_text = bytes[line_start..].split(|&b| b == b'\n').next().unwrap_or_default();
    let quoted = String::from_utf8_lossy(line_text);

    // A file in another encoding breaks at nearly every Chinese character;
    // a UTF-8 file with a stray byte, at a few places among many good ones.
    let (mut bad, mut good_wide) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good_wide += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    if bad <= 3 || bad * 20 <= good_wide {
        let byte = bytes[valid.len()];
        return Err(
            Diagnostic::new(path, Problem::StrayBytes { count: bad, first: byte }).at_line(line, column, &quoted)
        );
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let looks_like = if encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030 {
        "GB18030 (GBK)".to_owned()
    } else {
        encoding.name().to_owned()
    };
    let mut d = Diagnostic::new(path, Problem::NotUtf8 { looks_like, encoding: encoding.name().to_owned() });
    d.line = line;
    d.column = column;
    Err(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_keep_chinese_and_honour_slugs() {
        assert_eq!(output_path(Path::new("2021/年度 总结.md"), None), "2021/年度-总结/");
        assert_eq!(output_path(Path::new("2021/a.md"), Some("工作要点")), "2021/工作要点/");
        assert_eq!(output_path(Path::new("x?.md"), None), "x/");
    }
}
