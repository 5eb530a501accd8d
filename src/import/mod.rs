//! `wenku import`: legacy reports (plain text in any of the usual encodings,
//! Word .docx, Markdown without front matter) into Markdown reports with
//! front matter, cleaned of web and watermark clutter.
//!
//! - `decode`: bytes → text (UTF-8, UTF-16, GB18030)
//! - `docx`: Word paragraphs, headings, lists and tables
//! - `lines`: what one line is (sentence, heading, title, clutter)
//! - `clean`: the title is found, what is not the report goes, broken
//!   lines are joined
//! - `structure`: title, dateline, headings → Markdown
//! - `metadata`: year, period, body, level, and what needs review
//!
//! Nothing is overwritten: a file whose checksum is already in the archive
//! (the `source:` field carries it) is skipped unless `--force`, which writes
//! it under a new name. One broken file never stops the others.

pub mod clean;
pub mod convert;
pub mod decode;
pub mod docx;
pub mod html;
pub mod lines;
pub mod metadata;
pub mod odt;
pub mod sniff;
pub mod structure;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::content::config::Config;
use clean::{Line, Removed};
pub use metadata::{Metadata, Overrides};
use sniff::Format;
use wenku_engine::messages::Language;

/// The `review:` entry of a report whose text was read by OCR.
pub const OCR_REVIEW: &str = "ocr";
/// The `review:` entry listing lines kept although they look like clutter.
pub const CLUTTER_REVIEW: &str = "clutter";

/// One block of a source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A Word heading, 1-based.
    Heading(usize, String),
    Paragraph(String),
    ListItem(String),
    Table(Vec<Vec<String>>),
    /// A block of a Markdown file, kept as written.
    Markdown(String),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub inputs: Vec<PathBuf>,
    /// Where the new reports go (under the site's `content/`): each in the
    /// folder of its year.
    pub into: PathBuf,
    /// The site folder whose `content/` is checked for earlier imports.
    pub root: PathBuf,
    pub dry_run: bool,
    pub force: bool,
    pub overrides: Overrides,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// Written (or, with `--dry-run`, would be written) to `path`.
    Imported {
        path: PathBuf,
        meta: Metadata,
        /// What the file was read as: an encoding, or a format and the tool.
        format: String,
        /// The lines removed as clutter, each with its rule.
        removed: Vec<Removed>,
    },
    /// Already imported: its checksum is in `existing`.
    Skipped {
        existing: PathBuf,
    },
    /// Read, but not a report (a readme, a licence, a list of links …).
    NotAReport {
        reason: String,
    },
    Unsupported {
        reason: String,
    },
    Failed {
        reason: String,
    },
}

#[derive(Debug, Clone)]
pub struct FileResult {
    pub input: PathBuf,
    pub outcome: Outcome,
}

/// Why a file was not read.
enum NotRead {
    Unsupported(String),
    NotAReport(String),
    Failed(String),
}

impl NotRead {
    fn reason(self) -> String {
        match self {
            NotRead::Unsupported(reason) | NotRead::NotAReport(reason) | NotRead::Failed(reason) => reason,
        }
    }
}

impl From<NotRead> for Outcome {
    fn from(not_read: NotRead) -> Outcome {
        match not_read {
            NotRead::Unsupported(reason) => Outcome::Unsupported { reason },
            NotRead::NotAReport(reason) => Outcome::NotAReport { reason },
            NotRead::Failed(reason) => Outcome::Failed { reason },
        }
    }
}

/// A file read and cleaned, before it is written.
struct Prepared {
    input: PathBuf,
    checksum: String,
    format: String,
    /// Some of the text was recognised from an image.
    read_by_ocr: bool,
    markdown: String,
    meta: Metadata,
    removed: Vec<Removed>,
}

/// What an import reports while it runs: each file's result as soon as it
/// is written, in input order within the quick and the slow files.
pub trait Progress: Sync {
    fn started(&self, files: usize);
    fn done(&self, result: &FileResult);
}

/// What an import did.
#[derive(Debug)]
pub struct ImportRun {
    /// One result per file, quick files first, each in input order.
    pub results: Vec<FileResult>,
    /// `wenku init`'s example report, removed when the first real report
    /// was written.
    pub removed_example: Option<PathBuf>,
}

/// Imports every input file (folders recursively). Files that read quickly
/// (text, Word, web pages) are imported first, in input order; files that
/// need a converter (PDF and scans, Word 97–2003, WPS, RTF) follow, each
/// written as soon as it is done.
pub fn import(options: &ImportOptions, config: &Config, progress: &dyn Progress) -> anyhow::Result<ImportRun> {
    let files = collect_inputs(&options.inputs)?;
    progress.started(files.len());
    let limits = Limits::of(config);
    // Sniffed first (the first bytes tell slow formats from quick ones).
    let sniffed: Vec<(PathBuf, Result<Sniffed, NotRead>)> =
        files.par_iter().map(|file| (file.clone(), sniff_file(file, config.max_report_bytes()))).collect();
    let (quick, slow): (Vec<_>, Vec<_>) =
        sniffed.into_iter().partition(|(_, s)| s.as_ref().map_or(true, |s| !s.format.needs_converter()));

    // Quick files are read at once; their lines repeated across files are
    // the collection's boilerplate (the slow ones are judged by it too).
    let read: Vec<(PathBuf, Result<ReadFile, NotRead>)> = quick
        .into_par_iter()
        .map(|(file, sniffed)| {
            let read =
                sniffed.and_then(|s| read_source(s, &limits)).map(|source| ReadFile { lines: source.lines(), source });
            (file, read)
        })
        .collect();
    let texts: Vec<Vec<String>> = read
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .map(|r| r.lines.iter().map(|l| l.text.clone()).collect())
        .collect();
    let texts: Vec<&[String]> = texts.iter().map(Vec::as_slice).collect();
    let repeated = clean::repeated_across_files(&texts);

    let mut written = Written {
        known: known_checksums(&options.root.join("content")),
        example: crate::init::untouched_example(&options.root),
        ..Written::default()
    };
    let mut results = Vec::with_capacity(files.len());
    let mut finish = |input: PathBuf, prepared: Result<Prepared, NotRead>, written: &mut Written| {
        let outcome = match prepared {
            Err(not_read) => not_read.into(),
            Ok(p) => write(p, options, written),
        };
        let result = FileResult { input, outcome };
        progress.done(&result);
        results.push(result);
    };
    // A batch at a time in parallel, written in input order: what is done
    // is on disk even if the run is stopped, and names are the same from
    // run to run.
    let batch = 4 * rayon::current_num_threads();
    let mut read = read.into_iter();
    loop {
        let files: Vec<_> = read.by_ref().take(batch).collect();
        if files.is_empty() {
            break;
        }
        let prepared: Vec<_> = files
            .into_par_iter()
            .map(|(input, read)| {
                let prepared =
                    read.and_then(|r| prepare(&input, r.source, r.lines, &repeated, config, &options.overrides));
                (input, prepared)
            })
            .collect();
        for (input, prepared) in prepared {
            finish(input, prepared, &mut written);
        }
    }
    // Slow files, each converted on a thread of its own and written in
    // input order as soon as it and those before it are done.
    let (sender, receiver) = std::sync::mpsc::channel();
    let slow_count = slow.len();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            slow.into_par_iter().enumerate().for_each_with(sender, |sender, (n, (input, sniffed))| {
                let prepared = sniffed.and_then(|s| read_source(s, &limits)).and_then(|source| {
                    let lines = source.lines();
                    prepare(&input, source, lines, &repeated, config, &options.overrides)
                });
                let _ = sender.send((n, input, prepared));
            });
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        for (n, input, prepared) in receiver.iter() {
            waiting.insert(n, (input, prepared));
            while let Some((input, prepared)) = waiting.remove(&next) {
                finish(input, prepared, &mut written);
                next += 1;
            }
            if next == slow_count {
                break;
            }
        }
    });
    Ok(ImportRun { results, removed_example: written.removed_example })
}

/// Every file under the inputs, sorted, hidden ones skipped.
fn collect_inputs(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let walker = walkdir::WalkDir::new(input).sort_by_file_name().into_iter();
            for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
                let entry = entry.map_err(|e| anyhow::anyhow!("cannot read the folder {}: {e}", input.display()))?;
                if entry.file_type().is_file() {
                    files.push(entry.into_path());
                }
            }
        } else if input.exists() {
            files.push(input.clone());
        } else {
            anyhow::bail!("{} does not exist", input.display());
        }
    }
    Ok(files)
}

/// A file read, with its normalized lines (which cleaning works on).
struct ReadFile {
    source: Source,
    lines: Vec<Line>,
}

/// A file's content, as lines of text or as blocks of a document.
enum Source {
    /// Plain text, and the text of PDFs and scans; `read_by_ocr` when
    /// any of it was recognised from an image.
    Text {
        text: String,
        format: String,
        checksum: String,
        read_by_ocr: bool,
    },
    Markdown {
        text: String,
        format: String,
        checksum: String,
    },
    /// Word, OpenDocument and web pages: paragraphs as the document has them.
    Blocks {
        blocks: Vec<Block>,
        format: String,
        checksum: String,
    },
}

impl Source {
    /// The lines cleaning works on, each numbered by its line (text) or its
    /// block (documents; a table is a block without a line).
    fn lines(&self) -> Vec<Line> {
        match self {
            Source::Text { text, .. } | Source::Markdown { text, .. } => {
                text.lines()
                    .enumerate()
                    // A line of nothing but a zero-width space is what a
                    // link left inside a paragraph, not a break between two.
                    .filter(|(_, l)| !lines::is_only_invisible(l))
                    .map(|(i, l)| Line::new(i + 1, lines::normalize_line(l)))
                    .collect()
            }
            Source::Blocks { blocks, .. } => blocks
                .iter()
                .enumerate()
                .filter_map(|(i, b)| match b {
                    Block::Paragraph(t) | Block::Heading(_, t) | Block::ListItem(t) | Block::Markdown(t) => {
                        Some(Line::new(i + 1, lines::normalize_line(t)))
                    }
                    Block::Table(_) => None,
                })
                .filter(|l| !l.text.is_empty())
                .collect(),
        }
    }

    fn checksum(&self) -> &str {
        match self {
            Source::Text { checksum, .. } | Source::Markdown { checksum, .. } | Source::Blocks { checksum, .. } => {
                checksum
            }
        }
    }

    fn format(&self) -> &str {
        match self {
            Source::Text { format, .. } | Source::Markdown { format, .. } | Source::Blocks { format, .. } => format,
        }
    }
}

fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The text of a draft to check (`wenku draft`, 起草核对), from any format
/// import reads: its paragraphs, one a line, broken lines of plain text
/// joined. Nothing is cleaned away: the draft is the user's own.
pub fn read_draft(file: &Path, config: &Config) -> Result<String, String> {
    let limits = Limits::of(config);
    let sniffed = sniff_file(file, limits.max_report_bytes).map_err(NotRead::reason)?;
    draft_text(sniffed, &limits)
}

/// The same for a draft's bytes (an upload), its kind told by `name`'s
/// extension and its content.
pub fn read_draft_bytes(bytes: Vec<u8>, name: &str, config: &Config) -> Result<String, String> {
    let extension = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let format = sniff::sniff(&bytes, &extension);
    draft_text(Sniffed { bytes, extension, format }, &Limits::of(config))
}

fn draft_text(sniffed: Sniffed, limits: &Limits) -> Result<String, String> {
    let source = read_source(sniffed, limits).map_err(NotRead::reason)?;
    let lines = source.lines();
    let lines = match source {
        Source::Text { .. } => clean::join_broken_lines(lines, lines::stands_alone),
        _ => lines,
    };
    Ok(lines.into_iter().map(|l| l.text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n"))
}

/// A file's bytes and what they are.
struct Sniffed {
    bytes: Vec<u8>,
    extension: String,
    format: Format,
}

fn sniff_file(file: &Path, limit: u64) -> Result<Sniffed, NotRead> {
    let extension = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = read_bounded(file, limit)?;
    let format = sniff::sniff(&bytes, &extension);
    Ok(Sniffed { bytes, extension, format })
}

/// How much a converter may do for one file (`ocr_max_pages`,
/// `ocr_max_seconds` in wenku.yaml).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_report_bytes: u64,
    pub ocr: convert::OcrLimits,
}

impl Limits {
    fn of(config: &Config) -> Limits {
        Limits {
            max_report_bytes: config.max_report_bytes(),
            ocr: convert::OcrLimits {
                max_pages: config.ocr_max_pages,
                max_time: std::time::Duration::from_secs(config.ocr_max_seconds),
            },
        }
    }
}

/// Reads a file as what its content shows it to be.
fn read_source(sniffed: Sniffed, limits: &Limits) -> Result<Source, NotRead> {
    let Sniffed { bytes, extension, format } = sniffed;
    let checksum = checksum(&bytes);
    let failed = NotRead::Failed;
    // Word's XML takes several times the bytes of its text.
    let xml_limit = limits.max_report_bytes.saturating_mul(4);
    let blocks =
        |blocks: Vec<Block>, format: &str| Source::Blocks { blocks, format: format.into(), checksum: checksum.clone() };
    match format {
        Format::Docx => Ok(blocks(docx::read(&bytes, xml_limit).map_err(failed)?, "Word .docx")),
        Format::Odt => Ok(blocks(odt::read(&bytes, xml_limit).map_err(failed)?, "OpenDocument .odt")),
        format @ (Format::WordBinary | Format::Rtf) => {
            let (kind, as_extension) = match format {
                Format::Rtf => ("RTF", "rtf"),
                _ if extension == "wps" => ("WPS", "wps"),
                _ => ("Word 97–2003", "doc"),
            };
            let docx = convert::to_docx(&bytes, as_extension).map_err(failed)?;
            Ok(blocks(docx::read(&docx, xml_limit).map_err(failed)?, &format!("{kind}, via LibreOffice")))
        }
        Format::Html => {
            let (html_blocks, encoding) = html::read_html(&bytes).map_err(failed)?;
            Ok(blocks(html_blocks, &format!("web page, {encoding}")))
        }
        Format::Mht => Ok(blocks(html::read_mht(&bytes).map_err(failed)?, "web archive .mht")),
        Format::Pdf => {
            let pdf = convert::pdf_text(&bytes, &limits.ocr).map_err(failed)?;
            let format = match pdf.ocr_pages {
                0 => "PDF, via pdftotext".to_owned(),
                n => format!("PDF, {n} scanned page(s) read by OCR ({})", convert::OCR_LANGUAGE),
            };
            Ok(Source::Text { text: pdf.lines.join("\n"), format, checksum, read_by_ocr: pdf.ocr_pages > 0 })
        }
        Format::Image => {
            let lines = convert::ocr_image(&bytes, &limits.ocr).map_err(failed)?;
            let format = format!("image read by OCR ({})", convert::OCR_LANGUAGE);
            Ok(Source::Text { text: lines.join("\n"), format, checksum, read_by_ocr: true })
        }
        Format::Other(what) => Err(NotRead::NotAReport(what.to_owned())),
        format @ (Format::Text | Format::Markdown) => {
            if !matches!(extension.as_str(), "txt" | "text" | "md" | "markdown" | "") {
                return Err(NotRead::NotAReport(format!(
                    "a .{extension} file (reports are text, Markdown, Word, WPS, RTF, OpenDocument, web pages, PDF or scans)"
                )));
            }
            read_text(bytes, checksum, format == Format::Markdown)
        }
    }
}

/// Plain text or Markdown in any of the usual encodings.
fn read_text(bytes: Vec<u8>, checksum: String, markdown: bool) -> Result<Source, NotRead> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(NotRead::Failed("the file is empty".into()));
    }
    if Encoding::for_bom(&bytes).is_none() && bytes.contains(&0) {
        return Err(NotRead::Failed("not text: it holds NUL bytes, as binary files do".into()));
    }
    let (text, encoding) = decode::decode(&bytes).map_err(NotRead::Failed)?;
    if !looks_like_text(&text) {
        return Err(NotRead::Failed(format!("not text: read as {encoding}, it is mostly control characters")));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if markdown {
        if text.trim_start_matches('\u{feff}').starts_with("---\n") {
            return Err(NotRead::Unsupported("it already has front matter: copy it into content/ as it is".into()));
        }
        return Ok(Source::Markdown { text, format: encoding.into(), checksum });
    }
    Ok(Source::Text { text, format: encoding.into(), checksum, read_by_ocr: false })
}

/// A file's bytes, if it is a regular file of at most `limit` bytes.
fn read_bounded(file: &Path, limit: u64) -> Result<Vec<u8>, NotRead> {
    let cannot_read = |e: std::io::Error| NotRead::Failed(format!("cannot read the file: {e}"));
    if !std::fs::metadata(file).map_err(cannot_read)?.is_file() {
        return Err(NotRead::Unsupported("not a regular file (a pipe or a device)".into()));
    }
    crate::content::read_at_most(file, limit).map_err(cannot_read)?.ok_or_else(|| {
        NotRead::Failed(format!(
            "the file is over {} MB, more than a report may have (`max_report_mb` in wenku.yaml)",
            limit / 1_000_000
        ))
    })
}

/// Text has few control characters (random bytes read as GB18030 have one
/// in eight) and no replacement characters.
fn looks_like_text(text: &str) -> bool {
    let (mut all, mut odd) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        odd += usize::from((c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}');
    }
    odd * 100 <= all
}

/// Why a cleaned file is not a report, if it is not: a note in another
/// language, a list of titles or links, a note about files.
fn not_a_report(stem: &str, title: Option<&str>, text_lines: &[String], has_table: bool) -> Option<String> {
    let all: String = text_lines.concat();
    let letters = all.chars().filter(|c| c.is_alphabetic()).count();
    let han = lines::han_count(&all);
    if letters > 0 && han * 10 < letters * 3 {
        return Some("its text is mostly in Latin letters, not a Chinese report (a note or a readme?)".into());
    }
    let running: Vec<&String> = text_lines.iter().filter(|l| lines::is_report_text(l)).collect();
    let running_han: usize = running.iter().map(|l| lines::han_count(l)).sum();
    if running.is_empty() && !has_table {
        return Some("no running text of a report is left once the page's clutter is removed".into());
    }
    if running.len() < 3 && running_han < 150 && title.is_none() && !has_table {
        return Some(format!(
            "too little running text for a report ({running_han} characters in sentences): a list of titles or links?"
        ));
    }
    // A note about the files beside it, named so.
    let lower = stem.to_lowercase();
    let named_as_note = ["readme", "license", "licence", "copying", "changelog", "说明", "目录", "索引", "index"]
        .iter()
        .any(|n| lower.contains(n));
    let report_like =
        title.is_some() || text_lines.iter().any(|l| lines::is_heading_text(l) || lines::is_salutation(l));
    if named_as_note && !report_like && han < 1500 {
        return Some(format!("“{stem}” reads as a note about files, not a report (no title, no headings)"));
    }
    // A note about the folder it is in: it speaks of files and folders,
    // and no title names a kind of report.
    let about_files = ["文件夹", "资料夹", "文件名", "存放", "目录结构", "命名", ".doc", ".pdf", ".txt", ".xls"]
        .iter()
        .filter(|w| all.contains(*w))
        .count();
    if title.is_none() && about_files >= 3 && han < 3000 {
        return Some("it speaks of files and folders, not of work done: a note about the folder (a readme?)".into());
    }
    None
}

/// Cleans, structures and infers the metadata of one file.
fn prepare(
    input: &Path,
    source: Source,
    source_lines: Vec<Line>,
    repeated: &HashSet<String>,
    config: &Config,
    overrides: &Overrides,
) -> Result<Prepared, NotRead> {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (checksum, format) = (source.checksum().to_owned(), source.format().to_owned());
    let read_by_ocr = matches!(source, Source::Text { read_by_ocr: true, .. });
    let plain_text = matches!(source, Source::Text { .. });
    let mut cleaned = clean::clean(source_lines, repeated, plain_text);
    let title = cleaned.title.as_ref().map(|t| t.text.clone());
    // Plain text was often broken mid-sentence: join it again.
    let kept: Vec<Line> = if plain_text {
        clean::join_broken_lines(cleaned.lines, lines::stands_alone)
    } else {
        cleaned.lines.into_iter().filter(|l| !l.text.is_empty()).collect()
    };
    let blocks: Vec<Block> = match source {
        Source::Text { .. } => {
            let texts = kept.into_iter().map(|l| l.text).collect();
            structure::split_run_in_numbering(texts).into_iter().map(Block::Paragraph).collect()
        }
        Source::Markdown { .. } => kept.iter().map(|l| markdown_block(&l.text)).collect(),
        Source::Blocks { blocks, .. } => {
            // A block survives if cleaning kept its line; a table, if it
            // comes after the report's first line (one before it is the
            // page's: its index of 索引号 and 发布机构, its menu).
            let kept: std::collections::HashMap<usize, String> = kept.into_iter().map(|l| (l.at, l.text)).collect();
            // (A file of tables alone keeps them all.)
            let report_starts = kept.keys().min().copied().unwrap_or(0);
            blocks
                .into_iter()
                .enumerate()
                .filter_map(|(i, block)| match block {
                    Block::Table(rows) if i + 1 < report_starts => {
                        let text = table_line(&rows);
                        cleaned.removed.push(clean::Removed { at: i + 1, rule: clean::Rule::BeforeTitle, text });
                        None
                    }
                    Block::Table(rows) => Some(Block::Table(rows)),
                    Block::Heading(level, _) => kept.get(&(i + 1)).map(|t| Block::Heading(level, t.clone())),
                    Block::ListItem(_) => kept.get(&(i + 1)).map(|t| Block::ListItem(t.clone())),
                    Block::Paragraph(_) | Block::Markdown(_) => kept.get(&(i + 1)).map(|t| Block::Paragraph(t.clone())),
                })
                .collect()
        }
    };
    cleaned.removed.sort_by_key(|r| r.at);
    // The lines before the running text: dateline, speaker, salutation.
    let (front, blocks) = structure::split_front(blocks);
    let text_lines: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(t) | Block::Heading(_, t) | Block::ListItem(t) | Block::Markdown(t) => Some(t.clone()),
            Block::Table(_) => None,
        })
        .collect();
    let has_table = blocks.iter().any(|b| matches!(b, Block::Table(_)));
    if let Some(reason) = not_a_report(&stem, title.as_deref(), &text_lines, has_table) {
        return Err(NotRead::NotAReport(reason));
    }
    let evidence = metadata::Evidence::new(title.as_deref(), &front.lines, &text_lines, &stem);
    let mut meta = metadata::infer(&evidence, config, overrides);
    if !cleaned.suspects.is_empty() {
        let lines: Vec<String> = cleaned.suspects.iter().take(8).map(|l| format!("第{}行“{}”", l.at, l.text)).collect();
        let more =
            if cleaned.suspects.len() > 8 { format!("等 {} 行", cleaned.suspects.len()) } else { String::new() };
        meta.review.push((CLUTTER_REVIEW.to_owned(), format!("{}{more}像网页杂项，已保留，请核对", lines.join("、"))));
    }
    if read_by_ocr {
        // Recognised text has misread characters: a person compares it with the scan.
        meta.review.push((OCR_REVIEW.to_owned(), "文字由 OCR 识别，可能有错字，请对照原件".to_owned()));
    }
    let markdown = structure::to_markdown(&front, &blocks);
    if markdown.len() as u64 > config.max_report_bytes() {
        return Err(NotRead::Failed(format!(
            "the report would be {:.0} MB, more than the {} MB a report may have (`max_report_mb` in wenku.yaml)",
            markdown.len() as f64 / 1e6,
            config.max_report_mb
        )));
    }
    Ok(Prepared { input: input.to_path_buf(), checksum, format, read_by_ocr, markdown, meta, removed: cleaned.removed })
}

/// A table's cells on one line, as the list of removed lines records it.
fn table_line(rows: &[Vec<String>]) -> String {
    rows.iter().flatten().map(|cell| cell.trim()).filter(|cell| !cell.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A line of a Markdown file without front matter: headings stay headings.
fn markdown_block(line: &str) -> Block {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Block::Heading(hashes.max(2) - 1, line[hashes..].trim().to_owned())
    } else {
        Block::Markdown(line.to_owned())
    }
}

/// Every `sha256:` checksum in the `source:` lines of the archive's reports.
fn known_checksums(content: &Path) -> std::collections::HashMap<String, PathBuf> {
    let mut known = std::collections::HashMap::new();
    for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
        if !crate::content::is_report_file(entry.path()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        for line in text.lines().take(30).filter(|l| l.starts_with("source:")) {
            if let Some(at) = line.find("sha256:") {
                let sum: String = line[at + 7..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
                known.insert(sum, entry.path().to_path_buf());
            }
        }
    }
    known
}

/// A YAML double-quoted string: quotes, backslashes and control characters
/// escaped.
fn yaml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key: "value"`, or `key:` (empty, awaiting review) when unknown.
fn field_line(key: &str, value: Option<&str>) -> String {
    match value {
        Some(value) => format!("{key}: {}\n", yaml_string(value)),
        None => format!("{key}:\n"),
    }
}

fn front_matter(p: &Prepared) -> String {
    let meta = &p.meta;
    let file_name = p.input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = String::from("---\n");
    out.push_str(&field_line("title", Some(&meta.title)));
    out.push_str(&field_line("body", meta.body.as_deref()));
    out.push_str(&field_line("level", meta.level.as_deref()));
    out.push_str(&match meta.year {
        Some(year) => format!("year: {year}\n"),
        None => "year:\n".to_owned(),
    });
    out.push_str(&field_line("period", meta.period.as_deref()));
    if let Some(date) = &meta.date {
        out.push_str(&format!("date: {}\n", yaml_string(date)));
    }
    let ocr = if p.read_by_ocr { format!(" ocr:{}", convert::OCR_LANGUAGE) } else { String::new() };
    out.push_str(&format!("source: {}\n", yaml_string(&format!("{file_name} sha256:{}{ocr}", p.checksum))));
    if !meta.review.is_empty() {
        // The fields to check (remove one once it is right), and what the
        // import found for each.
        let fields: Vec<&str> = meta.review.iter().map(|(f, _)| f.as_str()).collect();
        out.push_str(&format!("review: [{}]\n", fields.join(", ")));
        out.push_str("review_notes:\n");
        for (field, why) in &meta.review {
            out.push_str(&format!("  {field}: {}\n", yaml_string(why)));
        }
    }
    if !p.removed.is_empty() {
        // Every line the import removed from the source, with its rule.
        out.push_str("removed:\n");
        for r in &p.removed {
            out.push_str(&format!("  - {{line: {}, rule: {}, text: {}}}\n", r.at, r.rule.id(), yaml_string(&r.text)));
        }
    }
    out.push_str("---\n\n");
    out
}

/// What this import has written so far, and what the archive held.
#[derive(Default)]
struct Written {
    /// Checksum of a source file → the report imported from it.
    known: std::collections::HashMap<String, PathBuf>,
    /// Paths given out in this run.
    taken: HashSet<PathBuf>,
    /// Reports of this run by title, year and body, with their paragraphs'
    /// hashes: one report held as both .docx and .txt is imported once.
    reports: std::collections::HashMap<ReportKey, Vec<(PathBuf, HashSet<u64>)>>,
    /// `wenku init`'s example report, untouched, until the first report
    /// is written: it is removed then, so that it stays out of the archive.
    example: Option<PathBuf>,
    /// The example report this import removed.
    removed_example: Option<PathBuf>,
}

/// A report's title, year and body.
type ReportKey = (String, Option<i32>, Option<String>);

/// The hashes of a report's paragraphs (of ten characters or more).
fn paragraph_hashes(markdown: &str) -> HashSet<u64> {
    markdown
        .split("\n\n")
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|p| p.chars().count() >= 10)
        .map(|p| crate::shared::hash::hash_bytes(p.as_bytes()))
        .collect()
}

/// The report of this run that has the same title, year and body and
/// mostly the same paragraphs, if any.
fn same_report<'a>(written: &'a Written, p: &Prepared, paragraphs: &HashSet<u64>) -> Option<&'a PathBuf> {
    let key = (p.meta.title.clone(), p.meta.year, p.meta.body.clone());
    written.reports.get(&key)?.iter().find_map(|(path, other)| {
        let shared = paragraphs.intersection(other).count();
        let smaller = paragraphs.len().min(other.len()).max(1);
        (shared * 10 >= smaller * 8).then_some(path)
    })
}

/// The folder of a year under `into`: `2024`, or 年份不详.
pub fn year_folder(year: Option<i32>) -> String {
    year.map_or_else(|| crate::content::UNKNOWN_YEAR.to_owned(), |y| y.to_string())
}

/// A file name from a title that `build` reads and that stays in its
/// folder: no leading dot (hidden files are ignored), no path separators,
/// at most 60 characters.
pub fn report_file_stem(title: &str) -> String {
    let title: String = title.chars().take(60).collect();
    let stem = crate::content::url_segment(&title);
    let stem = stem.trim_start_matches(['.', '-', '~']).trim_end_matches('.');
    if stem.is_empty() { "报告".to_owned() } else { stem.to_owned() }
}

/// Writes one report under a name no other file has, unless already imported.
fn write(p: Prepared, options: &ImportOptions, written: &mut Written) -> Outcome {
    if let Some(existing) = written.known.get(&p.checksum)
        && !options.force
    {
        return Outcome::Skipped { existing: existing.clone() };
    }
    let paragraphs = paragraph_hashes(&p.markdown);
    if let Some(existing) = same_report(written, &p, &paragraphs)
        && !options.force
    {
        return Outcome::Skipped { existing: existing.clone() };
    }
    // Named after the title, whatever the source's name: one style for
    // every import, in the folder of its year.
    let stem = report_file_stem(&p.meta.title);
    let folder = options.into.join(year_folder(p.meta.year));
    let mut path = folder.join(format!("{stem}.md"));
    let mut n = 2;
    while path.exists() || written.taken.contains(&path) {
        path = folder.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    written.taken.insert(path.clone());
    let text = front_matter(&p) + &p.markdown;
    if !options.dry_run {
        let result = std::fs::create_dir_all(&folder).and_then(|()| {
            // `create_new`: never replace a file that appeared meanwhile.
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            file.write_all(text.as_bytes())
        });
        if let Err(e) = result {
            return Outcome::Failed { reason: format!("cannot write {}: {e}", path.display()) };
        }
        written.known.insert(p.checksum.clone(), path.clone());
        // The first real report replaces `wenku init`'s example.
        if let Some(example) = written.example.take()
            && std::fs::remove_file(&example).is_ok()
        {
            crate::init::remove_empty_parents(&example, &options.root.join("content"));
            written.removed_example = Some(example);
        }
    }
    let key = (p.meta.title.clone(), p.meta.year, p.meta.body.clone());
    written.reports.entry(key).or_default().push((path.clone(), paragraphs));
    Outcome::Imported { path, meta: p.meta, format: p.format, removed: p.removed }
}

/// Prints each file's result as it is written, under a progress bar when
/// the terminal shows one (the command line's progress).
pub struct Printer<W: std::io::Write + Send> {
    out: std::sync::Mutex<W>,
    bar: Option<indicatif::ProgressBar>,
    language: Language,
    dry_run: bool,
    /// Every removed line and review note, not only the counts
    /// (`--dry-run`, `--verbose`).
    show_removed: bool,
}

impl<W: std::io::Write + Send> Printer<W> {
    pub fn new(out: W, dry_run: bool, show_removed: bool, bar: bool, language: Language) -> Printer<W> {
        let bar = bar.then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Printer { out: std::sync::Mutex::new(out), bar, language, dry_run, show_removed }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl<W: std::io::Write + Send> Progress for Printer<W> {
    fn started(&self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(files as u64);
        }
    }

    fn done(&self, result: &FileResult) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let mut print = || {
            let _ = print_result(&mut *out, result, self.dry_run, self.show_removed, self.language);
            let _ = out.flush();
        };
        match &self.bar {
            Some(bar) => {
                bar.suspend(print);
                bar.inc(1);
            }
            None => print(),
        }
    }
}

/// One file's lines of the table `wenku import` prints, in `language`.
pub fn print_result(
    out: &mut impl std::io::Write,
    result: &FileResult,
    dry_run: bool,
    show_removed: bool,
    language: Language,
) -> std::io::Result<()> {
    let chinese = language == Language::Chinese;
    let input = result.input.display();
    match &result.outcome {
        Outcome::Imported { path, meta, format, removed } => {
            let review = if meta.review.is_empty() {
                String::new()
            } else {
                let fields: Vec<&str> = meta.review.iter().map(|(f, _)| f.as_str()).collect();
                if chinese {
                    format!("  待核对：{}", fields.join("、"))
                } else {
                    format!("  review: {}", fields.join(", "))
                }
            };
            let unknown =
                |v: Option<&str>, label: &'static str| v.map(str::to_owned).unwrap_or_else(|| label.to_owned());
            let verb = match (dry_run, chinese) {
                (true, true) => "将导入",
                (false, true) => "已导入",
                (true, false) => "would import",
                (false, false) => "imported",
            };
            writeln!(
                out,
                "{verb} {input} ({format})\n    → {}\n    {} | {} | {} | {} | {}{review}",
                path.display(),
                meta.year.map_or_else(|| crate::content::UNKNOWN_YEAR.to_owned(), |y| y.to_string()),
                unknown(meta.period.as_deref(), crate::content::UNKNOWN_PERIOD),
                unknown(meta.level.as_deref(), crate::content::UNKNOWN_LEVEL),
                unknown(meta.body.as_deref(), crate::content::UNKNOWN_BODY),
                meta.title
            )?;
            if !removed.is_empty() {
                if chinese {
                    writeln!(out, "    删去网页杂项 {} 行", removed.len())?;
                } else {
                    writeln!(out, "    removed {} line(s) as clutter", removed.len())?;
                }
            }
            if show_removed {
                for r in removed {
                    writeln!(out, "      line {:>4} {:<20} {}", r.at, r.rule.id(), r.text)?;
                }
                for (field, why) in &meta.review {
                    writeln!(out, "      review {field}: {why}")?;
                }
            }
        }
        Outcome::Skipped { existing } => {
            if chinese {
                writeln!(out, "跳过 {input}：已导入为 {}（--force 可再导入一次）", existing.display())?;
            } else {
                writeln!(
                    out,
                    "skipped {input}: already imported as {} (--force imports it again)",
                    existing.display()
                )?;
            }
        }
        Outcome::NotAReport { reason } => {
            if chinese {
                writeln!(out, "跳过 {input}：不是报告（not a report: {reason}）")?;
            } else {
                writeln!(out, "skipped {input}: not a report: {reason}")?;
            }
        }
        Outcome::Unsupported { reason } => {
            if chinese {
                writeln!(out, "不支持 {input}：{reason}")?;
            } else {
                writeln!(out, "unsupported {input}: {reason}")?;
            }
        }
        Outcome::Failed { reason } => {
            if chinese {
                writeln!(out, "失败 {input}：{reason}")?;
            } else {
                writeln!(out, "failed {input}: {reason}")?;
            }
        }
    }
    Ok(())
}

/// The totals `wenku import` prints after the files, in `language`.
pub fn print_summary(
    out: &mut impl std::io::Write,
    run: &ImportRun,
    config: &Config,
    dry_run: bool,
    language: Language,
) -> std::io::Result<()> {
    let chinese = language == Language::Chinese;
    let results = &run.results;
    let (mut imported, mut skipped, mut not_reports, mut failed, mut unsupported, mut removed) = (0, 0, 0, 0, 0, 0);
    let mut review_counts: std::collections::BTreeMap<String, usize> = Default::default();
    for result in results {
        match &result.outcome {
            Outcome::Imported { meta, removed: lines, .. } => {
                imported += 1;
                removed += lines.len();
                for (field, _) in &meta.review {
                    *review_counts.entry(field.clone()).or_default() += 1;
                }
            }
            Outcome::Skipped { .. } => skipped += 1,
            Outcome::NotAReport { .. } => not_reports += 1,
            Outcome::Unsupported { .. } => unsupported += 1,
            Outcome::Failed { .. } => failed += 1,
        }
    }
    if chinese {
        let verb = if dry_run { "将导入" } else { "已导入" };
        writeln!(
            out,
            "\n{verb} {imported} 篇，已导入过 {skipped} 篇，不是报告 {not_reports} 个，不支持 {unsupported} 个，失败 {failed} 个"
        )?;
    } else {
        let verb = if dry_run { "would import" } else { "imported" };
        writeln!(
            out,
            "\n{verb} {imported}, already imported {skipped}, not reports {not_reports}, unsupported {unsupported}, failed {failed}"
        )?;
    }
    if removed > 0 {
        if chinese {
            let how = if dry_run { "（--dry-run 已逐行列出）" } else { "" };
            writeln!(out, "删去网页杂项共 {removed} 行，每篇报告前置元数据的 `removed:` 逐行记录{how}")?;
        } else {
            let how = if dry_run { " (listed above, line by line)" } else { "" };
            writeln!(out, "{removed} line(s) removed as clutter, each listed under `removed:` in its report{how}")?;
        }
    }
    if !review_counts.is_empty() {
        let fields: Vec<String> = review_counts.iter().map(|(f, n)| format!("{f} {n}")).collect();
        if chinese {
            writeln!(out, "待核对（前置元数据的 `review:`，及站点的 /review/ 页面）：{}", fields.join("、"))?;
        } else {
            writeln!(
                out,
                "to review (`review:` in the front matter, and the site's /review/ page): {}",
                fields.join(", ")
            )?;
        }
    }
    let ocr_used =
        results.iter().any(|r| matches!(&r.outcome, Outcome::Imported { format, .. } if format.contains("OCR")))
            || results.iter().any(|r| matches!(&r.outcome, Outcome::Failed { reason } if reason.contains("OCR")));
    if ocr_used {
        if chinese {
            writeln!(
                out,
                "OCR 限制：每个文件最多 {} 页扫描页、{} 秒（wenku.yaml 的 `ocr_max_pages`、`ocr_max_seconds`）",
                config.ocr_max_pages, config.ocr_max_seconds
            )?;
        } else {
            writeln!(
                out,
                "OCR limits: at most {} scanned pages and {} s per file (`ocr_max_pages`, `ocr_max_seconds` in wenku.yaml)",
                config.ocr_max_pages, config.ocr_max_seconds
            )?;
        }
    }
    if let Some(example) = &run.removed_example {
        if chinese {
            writeln!(out, "已删去 `wenku init` 写的示例报告（{}）：文库里只有导入的报告", example.display())?;
        } else {
            writeln!(
                out,
                "removed the example report that `wenku init` wrote ({}): the archive holds only imported reports",
                example.display()
            )?;
        }
    }
    if dry_run {
        writeln!(out, "{}", if chinese { "试运行：没有写出任何文件" } else { "dry run: nothing was written" })?;
    }
    Ok(())
}
