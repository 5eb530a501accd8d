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

use crate::config::Config;
pub use metadata::{Metadata, Overrides};
use sniff::Format;

/// The `review:` entry of a report whose text was read by OCR.
pub const OCR_REVIEW: &str = "ocr";

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
    /// Where the new reports go (under the site's `content/`).
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
    },
    /// Already imported: its checksum is in `existing`.
    Skipped {
        existing: PathBuf,
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
    Failed(String),
}

impl From<NotRead> for Outcome {
    fn from(not_read: NotRead) -> Outcome {
        match not_read {
            NotRead::Unsupported(reason) => Outcome::Unsupported { reason },
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
}

/// Imports every input file (folders recursively). Returns one result per
/// file, in input order.
pub fn import(options: &ImportOptions, config: &Config) -> anyhow::Result<Vec<FileResult>> {
    let files = collect_inputs(&options.inputs)?;
    // Read every file in parallel; unsupported and unreadable ones are kept
    // as results.
    let read: Vec<(PathBuf, Result<ReadFile, NotRead>)> = files
        .par_iter()
        .map(|file| {
            let read =
                read_source(file, config.max_report_bytes()).map(|source| ReadFile { lines: source.lines(), source });
            (file.clone(), read)
        })
        .collect();

    // Lines repeated across the files of this import are its boilerplate.
    let texts: Vec<&[String]> = read.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|r| r.lines.as_slice()).collect();
    let repeated = clean::repeated_across_files(&texts);

    // Prepared a batch at a time in parallel and written in input order
    // (names stay the same from run to run): what is done is on disk even
    // if the run is stopped, and only a batch of reports is held at once.
    let mut written = Written { known: known_checksums(&options.root.join("content")), ..Written::default() };
    let mut results = Vec::with_capacity(read.len());
    let batch = 4 * rayon::current_num_threads();
    let mut read = read.into_iter();
    loop {
        let files: Vec<(PathBuf, Result<ReadFile, NotRead>)> = read.by_ref().take(batch).collect();
        if files.is_empty() {
            break;
        }
        let prepared: Vec<(PathBuf, Result<Prepared, NotRead>)> = files
            .into_par_iter()
            .map(|(input, read)| {
                let result =
                    read.and_then(|r| prepare(&input, r.source, r.lines, &repeated, config, &options.overrides));
                (input, result)
            })
            .collect();
        for (input, prepared) in prepared {
            let outcome = match prepared {
                Err(not_read) => not_read.into(),
                Ok(p) => write(p, options, &mut written),
            };
            results.push(FileResult { input, outcome });
        }
    }
    Ok(results)
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
    lines: Vec<String>,
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
    /// The cleanable lines, for finding lines repeated across files.
    fn lines(&self) -> Vec<String> {
        let raw: Vec<String> = match self {
            Source::Text { text, .. } | Source::Markdown { text, .. } => text.lines().map(str::to_owned).collect(),
            Source::Blocks { blocks, .. } => blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(t) | Block::Heading(_, t) | Block::ListItem(t) => Some(t.clone()),
                    _ => None,
                })
                .collect(),
        };
        // Blank lines stay (as "") where a text file has them: they end paragraphs.
        let mut lines: Vec<String> = raw.iter().map(|l| lines::normalize_line(l)).collect();
        if matches!(self, Source::Blocks { .. }) {
            lines.retain(|l| !l.is_empty());
        }
        lines.dedup();
        lines
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

/// Reads a file as what its content shows it to be.
fn read_source(file: &Path, limit: u64) -> Result<Source, NotRead> {
    let extension = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = read_bounded(file, limit)?;
    let checksum = checksum(&bytes);
    let failed = NotRead::Failed;
    // Word's XML takes several times the bytes of its text.
    let xml_limit = limit.saturating_mul(4);
    let blocks =
        |blocks: Vec<Block>, format: &str| Source::Blocks { blocks, format: format.into(), checksum: checksum.clone() };
    match sniff::sniff(&bytes, &extension) {
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
            let pdf = convert::pdf_text(&bytes).map_err(failed)?;
            let format = match pdf.ocr_pages {
                0 => "PDF, via pdftotext".to_owned(),
                n => format!("PDF, {n} scanned page(s) read by OCR ({})", convert::OCR_LANGUAGE),
            };
            Ok(Source::Text { text: pdf.lines.join("\n"), format, checksum, read_by_ocr: pdf.ocr_pages > 0 })
        }
        Format::Image => {
            let lines = convert::ocr_image(&bytes).map_err(failed)?;
            let format = format!("image read by OCR ({})", convert::OCR_LANGUAGE);
            Ok(Source::Text { text: lines.join("\n"), format, checksum, read_by_ocr: true })
        }
        Format::Other(what) => Err(NotRead::Unsupported(format!("not a report: {what}"))),
        format @ (Format::Text | Format::Markdown) => {
            if !matches!(extension.as_str(), "txt" | "text" | "md" | "markdown" | "") {
                return Err(NotRead::Unsupported(
                    "not a report file (text, Markdown, Word, WPS, RTF, OpenDocument, web page, PDF or scan)".into(),
                ));
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

/// Whether a cleaned report still has a sentence: a line of at least eight
/// letters (a Chinese character is one), or of four that ends like a
/// sentence. Page widgets (`【下载】【打印】【关闭】`) are neither.
fn has_sentence(text: &str) -> bool {
    text.lines().any(|line| {
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 8 || (letters >= 4 && line.trim_end().ends_with(['。', '！', '？', '；', '.', '!', '?']))
    })
}

/// Cleans, structures and infers the metadata of one file.
fn prepare(
    input: &Path,
    source: Source,
    source_lines: Vec<String>,
    repeated: &HashSet<String>,
    config: &Config,
    overrides: &Overrides,
) -> Result<Prepared, NotRead> {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (checksum, format) = (source.checksum().to_owned(), source.format().to_owned());
    let read_by_ocr = matches!(source, Source::Text { read_by_ocr: true, .. });
    let cleaned = clean::remove_boilerplate(source_lines, repeated);
    // Plain text was often broken mid-sentence: join it again.
    let body_lines = if matches!(source, Source::Text { .. }) {
        clean::join_broken_lines(cleaned.lines, lines::stands_alone)
    } else {
        cleaned.lines.into_iter().filter(|l| !l.is_empty()).collect()
    };
    let (front, body_lines) = structure::split_front(cleaned.title, body_lines);
    let kept: HashSet<&str> = body_lines.iter().map(String::as_str).collect();
    let blocks: Vec<Block> = match source {
        Source::Text { .. } => body_lines.iter().cloned().map(Block::Paragraph).collect(),
        Source::Markdown { .. } => body_lines.iter().map(|l| markdown_block(l)).collect(),
        Source::Blocks { blocks, .. } => {
            blocks.into_iter().filter_map(|block| keep_document_block(block, &kept)).collect()
        }
    };
    let text: String = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(t) | Block::Heading(_, t) | Block::ListItem(t) | Block::Markdown(t) => Some(t.as_str()),
            Block::Table(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let has_table = blocks.iter().any(|b| matches!(b, Block::Table(_)));
    if !has_sentence(&text) && !has_table {
        return Err(NotRead::Failed("no sentence of a report is left once the clutter is removed".into()));
    }
    let mut meta = metadata::infer(front.title.as_deref(), &front.lines, &stem, &text, config, overrides);
    if read_by_ocr {
        // Recognised text has misread characters: a person compares it with the scan.
        meta.review.push(OCR_REVIEW.to_owned());
    }
    let markdown = structure::to_markdown(&front, &blocks);
    if markdown.len() as u64 > config.max_report_bytes() {
        return Err(NotRead::Failed(format!(
            "the report would be {:.0} MB, more than the {} MB a report may have (`max_report_mb` in wenku.yaml)",
            markdown.len() as f64 / 1e6,
            config.max_report_mb
        )));
    }
    Ok(Prepared { input: input.to_path_buf(), checksum, format, read_by_ocr, markdown, meta })
}

/// A document's block survives if cleaning kept its text; tables always do.
fn keep_document_block(block: Block, kept: &HashSet<&str>) -> Option<Block> {
    let keep_text = |t: &str| kept.contains(lines::normalize_line(t).as_str());
    match block {
        Block::Paragraph(t) => keep_text(&t).then(|| Block::Paragraph(lines::normalize_line(&t))),
        Block::Heading(level, t) => keep_text(&t).then(|| Block::Heading(level, lines::normalize_line(&t))),
        Block::ListItem(t) => keep_text(&t).then(|| Block::ListItem(lines::normalize_line(&t))),
        other => Some(other),
    }
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

fn yaml_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn front_matter(p: &Prepared) -> String {
    let meta = &p.meta;
    let file_name = p.input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(&meta.title)));
    out.push_str(&format!("body: {}\n", yaml_string(&meta.body)));
    out.push_str(&format!("level: {}\n", yaml_string(&meta.level)));
    out.push_str(&format!("year: {}\n", meta.year));
    out.push_str(&format!("period: {}\n", yaml_string(&meta.period)));
    if let Some(date) = &meta.date {
        out.push_str(&format!("date: {}\n", yaml_string(date)));
    }
    let ocr = if p.read_by_ocr { format!(" ocr:{}", convert::OCR_LANGUAGE) } else { String::new() };
    out.push_str(&format!("source: {}\n", yaml_string(&format!("{file_name} sha256:{}{ocr}", p.checksum))));
    if !meta.review.is_empty() {
        out.push_str(&format!("review: [{}]\n", meta.review.join(", ")));
    }
    out.push_str("---\n\n");
    out
}

/// Writes one report under a name no other file has, unless already imported.
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
}

/// A report's title, year and body.
type ReportKey = (String, i32, String);

/// The hashes of a report's paragraphs (of ten characters or more).
fn paragraph_hashes(markdown: &str) -> HashSet<u64> {
    markdown
        .split("\n\n")
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|p| p.chars().count() >= 10)
        .map(|p| crate::hash::hash_bytes(p.as_bytes()))
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
    // every import (at most 60 characters, so that paths stay short).
    let title: String = p.meta.title.chars().take(60).collect();
    let stem = crate::content::url_segment(&title);
    let folder =
        if p.meta.year > 0 { options.into.join(p.meta.year.to_string()) } else { options.into.join("unknown-year") };
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
    }
    let key = (p.meta.title.clone(), p.meta.year, p.meta.body.clone());
    written.reports.entry(key).or_default().push((path.clone(), paragraphs));
    Outcome::Imported { path, meta: p.meta, format: p.format }
}

/// The table `wenku import` prints: one line per file, then the totals.
pub fn print_report(out: &mut impl std::io::Write, results: &[FileResult], dry_run: bool) -> std::io::Result<()> {
    let (mut imported, mut skipped, mut failed, mut unsupported) = (0, 0, 0, 0);
    let mut review_counts: std::collections::BTreeMap<String, usize> = Default::default();
    for result in results {
        let input = result.input.display();
        match &result.outcome {
            Outcome::Imported { path, meta, format } => {
                imported += 1;
                for field in &meta.review {
                    *review_counts.entry(field.clone()).or_default() += 1;
                }
                let review = if meta.review.is_empty() {
                    String::new()
                } else {
                    format!("  review: {}", meta.review.join(", "))
                };
                writeln!(
                    out,
                    "{} {input} ({format})\n    → {}\n    {} | {} | {} | {} | {}{review}",
                    if dry_run { "would import" } else { "imported" },
                    path.display(),
                    meta.year,
                    meta.period,
                    meta.level,
                    meta.body,
                    meta.title
                )?;
            }
            Outcome::Skipped { existing } => {
                skipped += 1;
                writeln!(
                    out,
                    "skipped {input}: already imported as {} (--force imports it again)",
                    existing.display()
                )?;
            }
            Outcome::Unsupported { reason } => {
                unsupported += 1;
                writeln!(out, "unsupported {input}: {reason}")?;
            }
            Outcome::Failed { reason } => {
                failed += 1;
                writeln!(out, "failed {input}: {reason}")?;
            }
        }
    }
    let verb = if dry_run { "would import" } else { "imported" };
    writeln!(out, "\n{verb} {imported}, skipped {skipped}, unsupported {unsupported}, failed {failed}")?;
    if !review_counts.is_empty() {
        let fields: Vec<String> = review_counts.iter().map(|(f, n)| format!("{f} {n}")).collect();
        writeln!(out, "to review (`review:` in the front matter): {}", fields.join(", "))?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}
