//! Formats read with well-kept outside tools: LibreOffice for Word 97–2003,
//! Kingsoft WPS and RTF (converted to .docx, then read as Word); poppler's
//! `pdftotext` for PDFs, whose paragraphs are rebuilt from its layout; and
//! `tesseract` for scans (PDF pages without text, images).
//!
//! Each call works in its own temporary folder (LibreOffice with its own
//! profile, so calls can run side by side), has a time limit, and checks
//! what the tool wrote. A missing tool is named with its Debian package.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::Event;

/// An outside program the importer may use.
pub struct Tool {
    pub program: &'static str,
    pub package: &'static str,
    pub reads: &'static str,
}

pub const LIBREOFFICE: Tool =
    Tool { program: "soffice", package: "libreoffice-writer-nogui", reads: "Word 97–2003 .doc, Kingsoft .wps, .rtf" };
pub const PDFTOTEXT: Tool =
    Tool { program: "pdftotext", package: "poppler-utils poppler-data", reads: "PDF with text" };
pub const PDFTOPPM: Tool = Tool { program: "pdftoppm", package: "poppler-utils", reads: "scanned PDF pages (for OCR)" };
pub const TESSERACT: Tool = Tool {
    program: "tesseract",
    package: "tesseract-ocr tesseract-ocr-chi-sim",
    reads: "scans: images and PDF pages without text",
};
pub const TOOLS: [&Tool; 4] = [&LIBREOFFICE, &PDFTOTEXT, &PDFTOPPM, &TESSERACT];

/// The language tesseract reads scans in.
pub const OCR_LANGUAGE: &str = "chi_sim";

/// How long one conversion may take.
const TIME_LIMIT: Duration = Duration::from_secs(180);

/// How much OCR one file may take: scanned pages, and time in all.
#[derive(Debug, Clone, Copy)]
pub struct OcrLimits {
    pub max_pages: usize,
    pub max_time: Duration,
}

impl OcrLimits {
    /// The time a step started at `started` may still take.
    fn remaining(&self, started: Instant) -> Result<Duration, String> {
        self.max_time.checked_sub(started.elapsed()).filter(|d| !d.is_zero()).ok_or_else(|| {
            format!(
                "OCR took more than {} s for this file and was stopped (`ocr_max_seconds` in wenku.yaml)",
                self.max_time.as_secs()
            )
        })
    }
}

impl Tool {
    /// Where the program is on `PATH`, if anywhere.
    pub fn find(&self) -> Option<PathBuf> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(self.program)).find(|p| p.is_file())
    }

    fn missing(&self) -> String {
        format!("needs `{}` ({}), which is not installed: apt install {}", self.program, self.reads, self.package)
    }

    fn command(&self) -> Result<Command, String> {
        self.find().map(Command::new).ok_or_else(|| self.missing())
    }
}

/// Whether tesseract has the Chinese model (the package `tesseract-ocr-chi-sim`).
/// Asked once per run: every scanned page needs the answer.
pub fn ocr_language_installed() -> bool {
    static INSTALLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let Ok(mut command) = TESSERACT.command() else { return false };
        command
            .arg("--list-langs")
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == OCR_LANGUAGE))
    })
}

/// A temporary folder, removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<WorkDir, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("wenku-import-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make a temporary folder {}: {e}", dir.display()))?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a command to its end or the time limit; its output goes to files
/// (a pipe that fills up would stall it).
fn run(command: Command, what: &str, work: &Path) -> Result<Vec<u8>, String> {
    run_within(command, what, work, TIME_LIMIT)
}

/// `run` with a time limit of its own.
fn run_within(mut command: Command, what: &str, work: &Path, limit: Duration) -> Result<Vec<u8>, String> {
    let stdout_path = work.join("stdout");
    let stderr_path = work.join("stderr");
    let open = |p: &Path| std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()));
    command.stdin(Stdio::null()).stdout(open(&stdout_path)?).stderr(open(&stderr_path)?);
    let mut child = command.spawn().map_err(|e| format!("cannot start {what}: {e}"))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} took more than {} s and was stopped", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("{what}: {e}")),
        }
    };
    if !status.success() {
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(format!("{what} failed ({status}): {last}"));
    }
    std::fs::read(&stdout_path).map_err(|e| format!("cannot read the output of {what}: {e}"))
}

/// A Word binary, WPS or RTF document converted to .docx by LibreOffice.
pub fn to_docx(bytes: &[u8], extension: &str) -> Result<Vec<u8>, String> {
    let mut command = LIBREOFFICE.command()?;
    let work = WorkDir::new()?;
    let input = work.0.join(format!("input.{extension}"));
    std::fs::write(&input, bytes).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    let profile = work.0.join("profile");
    command
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--nologo", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML"])
        .arg("--outdir")
        .arg(&work.0)
        .arg(&input);
    run(command, "LibreOffice", &work.0)?;
    let output = work.0.join("input.docx");
    match std::fs::read(&output) {
        Ok(docx) if !docx.is_empty() => Ok(docx),
        _ => Err("LibreOffice could not convert it (it wrote no document): is the file damaged?".into()),
    }
}

/// The text of a PDF as lines (paragraphs rebuilt, `""` between blocks that
/// stand alone), and how many of its pages were read by OCR.
pub struct PdfText {
    pub lines: Vec<String>,
    pub ocr_pages: usize,
}

pub fn pdf_text(bytes: &[u8], limits: &OcrLimits) -> Result<PdfText, String> {
    let started = Instant::now();
    let mut command = PDFTOTEXT.command()?;
    let work = WorkDir::new()?;
    let input = work.0.join("input.pdf");
    std::fs::write(&input, bytes).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    command.args(["-bbox-layout", "-enc", "UTF-8", "-q"]).arg(&input).arg("-");
    let layout = run(command, "pdftotext", &work.0)?;
    let layout = String::from_utf8_lossy(&layout);
    let pages = parse_layout(&layout)?;
    // A scanned page has no text layer to speak of.
    let scanned =
        |page: &Vec<String>| page.iter().map(|l| l.chars().filter(|c| c.is_alphanumeric()).count()).sum::<usize>() < 10;
    let scans = pages.iter().filter(|p| scanned(p)).count();
    if scans > limits.max_pages {
        return Err(format!(
            "{scans} of its {} pages are scans without text, more than the {} pages OCR reads in one file (`ocr_max_pages` in wenku.yaml): split the file, or raise the limit",
            pages.len(),
            limits.max_pages
        ));
    }
    let mut text = PdfText { lines: Vec::new(), ocr_pages: 0 };
    for (number, page) in pages.into_iter().enumerate() {
        if scanned(&page) {
            let remaining = limits.remaining(started)?;
            text.lines.extend(ocr_pdf_page(&input, number + 1, &work.0, remaining)?);
            text.lines.push(String::new());
            text.ocr_pages += 1;
        } else {
            text.lines.extend(page);
        }
    }
    Ok(text)
}

/// The lines of an image read by OCR.
pub fn ocr_image(bytes: &[u8], limits: &OcrLimits) -> Result<Vec<String>, String> {
    let work = WorkDir::new()?;
    let image = work.0.join("image");
    std::fs::write(&image, bytes).map_err(|e| format!("cannot write {}: {e}", image.display()))?;
    ocr(&image, &work.0, limits.max_time.min(TIME_LIMIT))
}

fn ocr_pdf_page(pdf: &Path, page: usize, work: &Path, limit: Duration) -> Result<Vec<String>, String> {
    let mut command = PDFTOPPM.command()?;
    let prefix = work.join(format!("page-{page}"));
    command
        .args(["-r", "300", "-gray", "-png", "-singlefile", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(&prefix);
    run_within(command, "pdftoppm", work, limit.min(TIME_LIMIT))?;
    let image = prefix.with_extension("png");
    // pdftoppm may refuse a page (too large, damaged) and still exit 0,
    // leaving no image or a 1×1 one: that page was not read, and saying
    // "no sentence left" would blame the text.
    let rendered = std::fs::read(&image).ok().and_then(|png| png_size(&png)).is_some_and(|(w, h)| w >= 16 && h >= 16);
    if !rendered {
        let said = std::fs::read_to_string(work.join("stderr")).unwrap_or_default();
        let said = said.lines().rev().find(|l| !l.trim().is_empty()).map(|l| format!(" (pdftoppm: {})", l.trim()));
        return Err(format!(
            "pdftoppm could not render page {page} as an image{}: the page may be damaged or too large",
            said.unwrap_or_default()
        ));
    }
    ocr(&image, work, limit.min(TIME_LIMIT))
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || !png.starts_with(b"\x89PNG\r\n\x1a\n") || &png[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    Some((number(16), number(20)))
}

fn ocr(image: &Path, work: &Path, limit: Duration) -> Result<Vec<String>, String> {
    let mut command = TESSERACT.command()?;
    if !ocr_language_installed() {
        return Err(format!(
            "needs tesseract's Chinese model `{OCR_LANGUAGE}`, which is not installed: apt install tesseract-ocr-chi-sim"
        ));
    }
    // One thread per page: files are read side by side already, and
    // tesseract's own threads only contend with them.
    command.arg(image).arg("stdout").args(["-l", OCR_LANGUAGE]).env("OMP_THREAD_LIMIT", "1");
    let text = run_within(command, "tesseract", work, limit)?;
    let mut lines = Vec::new();
    for line in String::from_utf8_lossy(&text).lines() {
        // Wide gaps separate the cells of a table row: the row stands alone.
        let cells: Vec<String> = line
            .split("   ")
            .map(|cell| ocr_punctuation(&join_words(cell.split_whitespace())))
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() > 1 {
            lines.extend([String::new(), cells.join(" "), String::new()]);
        } else {
            lines.push(cells.concat());
        }
    }
    Ok(lines)
}

/// OCR reads Chinese punctuation as its ASCII look-alike: `(一)稳增长`,
/// `工作:`. Next to a Chinese character it is the full-width one.
fn ocr_punctuation(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let chinese = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphanumeric());
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        let (before, after) = (i.checked_sub(1).and_then(|j| chars.get(j)), chars.get(i + 1));
        let wide = match c {
            '(' if chinese(after) => '（',
            ')' if chinese(before) || chinese(after) => '）',
            ':' if chinese(before) => '：',
            ';' if chinese(before) => '；',
            ',' if chinese(before) => '，',
            '?' if chinese(before) => '？',
            '!' if chinese(before) => '！',
            other => other,
        };
        out.push(wide);
    }
    out
}

/// Words of one line joined as Chinese is written: no space between
/// Chinese characters, or between them and digits (`2025 年` → `2025年`);
/// a space between two Latin words or numbers.
fn join_words<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut line = String::new();
    for word in words {
        let latin_before = line.ends_with(|c: char| c.is_ascii_graphic());
        let latin_after = word.starts_with(|c: char| c.is_ascii_graphic());
        if latin_before && latin_after {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// One line of a PDF page as pdftotext laid it out.
struct LayoutLine {
    text: String,
    left: f64,
    right: f64,
    top: f64,
    height: f64,
}

/// Each page's lines, paragraphs rebuilt from the layout: the lines of a
/// block are joined, a new paragraph starts at an indented line or after a
/// line that ends a sentence short of the block's right edge. A block of
/// one short line (a heading, a page number) stands alone.
fn parse_layout(xml: &str) -> Result<Vec<Vec<String>>, String> {
    let mut reader = Reader::from_str(xml);
    let mut pages: Vec<Vec<Vec<LayoutLine>>> = Vec::new();
    let mut block: Vec<LayoutLine> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut line_box = (0.0, 0.0, 0.0, 0.0);
    let mut in_word = false;
    let number = |e: &quick_xml::events::BytesStart, name: &[u8]| {
        super::docx::attribute(e, name).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
    };
    loop {
        match reader.read_event().map_err(|e| format!("pdftotext's layout cannot be read: {e}"))? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"page" => pages.push(Vec::new()),
                b"line" => {
                    words.clear();
                    line_box = (number(&e, b"xMin"), number(&e, b"xMax"), number(&e, b"yMin"), number(&e, b"yMax"));
                }
                b"word" => {
                    in_word = true;
                    words.push(String::new());
                }
                _ => {}
            },
            // A word's text may come in pieces around `&amp;` and the like.
            Event::Text(t) if in_word => {
                let text = t.decode().map_err(|e| format!("pdftotext's text cannot be decoded: {e}"))?;
                words.last_mut().expect("a word was started").push_str(&text);
            }
            Event::GeneralRef(r) if in_word => {
                words.last_mut().expect("a word was started").push_str(&super::docx::reference_text(&r));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"word" => in_word = false,
                b"line" => {
                    let (left, right, top, bottom) = line_box;
                    let text = join_words(words.iter().map(String::as_str));
                    block.push(LayoutLine { text, left, right, top, height: bottom - top });
                }
                b"block" => {
                    if let Some(page) = pages.last_mut() {
                        page.push(std::mem::take(&mut block));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages.iter().map(|blocks| page_paragraphs(blocks)).collect())
}

/// The paragraphs of a page, measured against its text's left and right
/// edges (a block may be narrower than the text column).
fn page_paragraphs(blocks: &[Vec<LayoutLine>]) -> Vec<String> {
    let all = blocks.iter().flatten();
    let left = all.clone().map(|l| l.left).fold(f64::MAX, f64::min);
    let right = all.map(|l| l.right).fold(f64::MIN, f64::max);
    blocks.iter().flat_map(|block| paragraphs_of_block(block, left, right)).collect()
}

/// The paragraphs of one block, each followed by a blank line, except a
/// last one that runs to the right edge without ending its sentence: it
/// goes on in the next block or on the next page.
fn paragraphs_of_block(block: &[LayoutLine], left: f64, right: f64) -> Vec<String> {
    let Some(first) = block.first() else { return Vec::new() };
    let ends_short = |line: &LayoutLine| line.right < right - 2.0 * line.height.max(1.0);
    let mut lines: Vec<String> = vec![first.text.clone()];
    for pair in block.windows(2) {
        let (previous, line) = (&pair[0], &pair[1]);
        // In justified text only a paragraph's last line ends short; a new
        // one may also start indented.
        let em = line.height.max(1.0);
        let indented = line.left - left > 1.2 * em;
        // A cell of a table row, beside the one before.
        let same_row = (line.top - previous.top).abs() < 0.5 * em && line.left > previous.right;
        if same_row {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(&line.text);
            }
        } else if indented || ends_short(previous) {
            lines.push(String::new());
            lines.push(line.text.clone());
        } else if let Some(last) = lines.last_mut() {
            if last.ends_with(|c: char| c.is_ascii_graphic())
                && line.text.starts_with(|c: char| c.is_ascii_alphabetic())
            {
                last.push(' ');
            }
            last.push_str(&line.text);
        }
    }
    let last = &block[block.len() - 1];
    let runs_on = block.len() > 1 && !ends_short(last) && !super::lines::is_sentence(&last.text);
    if !runs_on {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_joined_as_chinese_is_written() {
        assert_eq!(join_words(["2025", "年", "全省", "GDP", "增长", "5.2%"].into_iter()), "2025年全省GDP增长5.2%");
        assert_eq!(join_words(["Made", "in", "China", "2025"].into_iter()), "Made in China 2025");
        assert_eq!(join_words(["营商环境", "&", "服务", "R", "&", "D"].into_iter()), "营商环境&服务R & D");
    }

    #[test]
    fn ocr_punctuation_is_made_chinese() {
        assert_eq!(ocr_punctuation("(一)稳增长"), "（一）稳增长");
        assert_eq!(ocr_punctuation("重点推进三项工作:"), "重点推进三项工作：");
        assert_eq!(ocr_punctuation("GDP (2021): 5.2%"), "GDP (2021): 5.2%");
    }

    #[test]
    fn paragraphs_are_rebuilt_from_the_layout() {
        let xml = r#"<doc><page width="595" height="842"><flow>
          <block xMin="72" yMin="70" xMax="300" yMax="90"><line xMin="150" yMin="70" xMax="300" yMax="90"><word>2025</word><word>年R&amp;D工作总结</word></line></block>
          <block xMin="72" yMin="100" xMax="523" yMax="160">
            <line xMin="96" yMin="100" xMax="523" yMax="112"><word>一年来，我们坚持稳中求进，</word></line>
            <line xMin="72" yMin="114" xMax="400" yMax="126"><word>各项工作取得新进展。</word></line>
            <line xMin="96" yMin="128" xMax="523" yMax="140"><word>全年完成投资</word><word>3</word><word>亿元。</word></line>
          </block></flow></page></doc>"#;
        assert_eq!(
            parse_layout(xml).unwrap(),
            [vec![
                "2025年R&D工作总结",
                "",
                "一年来，我们坚持稳中求进，各项工作取得新进展。",
                "",
                "全年完成投资3亿元。",
                ""
            ]]
        );
    }
}
