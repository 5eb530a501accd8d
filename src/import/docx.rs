//! Word (.docx) documents: paragraphs, headings (from Word's heading styles
//! or outline levels), list items and tables, read from `word/document.xml`.
//! The old binary .doc format goes through LibreOffice first (`convert`).

use std::collections::HashMap;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Block, lines};

/// The blocks of a .docx file, in document order. No member is inflated
/// past `limit` bytes: a small archive can unpack to gigabytes.
pub fn read(bytes: &[u8], limit: u64) -> Result<Vec<Block>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word .docx file (it is not a valid zip archive: {e})"))?;
    let document = read_member(&mut archive, "word/document.xml", limit)?
        .ok_or("not a Word .docx file: it has no word/document.xml")?;
    let styles =
        read_member(&mut archive, "word/styles.xml", limit)?.map(|xml| heading_styles(&xml)).unwrap_or_default();
    parse_document(&document, &styles)
}

/// One member of a zip-based document (`.docx`, `.odt`), read to at most
/// `limit` bytes.
pub(super) fn read_member(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<String>, String> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot read {name} in the document: {e}")),
    };
    let too_large = || format!("{name} in the document unpacks to more than {} MB: not a report", limit / 1_000_000);
    // The size the archive declares may lie: the read is bounded as well.
    if file.size() > limit {
        return Err(too_large());
    }
    let mut text = String::new();
    file.take(limit + 1).read_to_string(&mut text).map_err(|e| format!("cannot read {name} in the document: {e}"))?;
    if text.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(text))
}

/// The text of a character or entity reference (`&#20013;`, `&amp;`).
pub(super) fn reference_text(r: &quick_xml::events::BytesRef) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => match r.decode().as_deref() {
            Ok("amp") => "&".into(),
            Ok("lt") => "<".into(),
            Ok("gt") => ">".into(),
            Ok("quot") => "\"".into(),
            Ok("apos") => "'".into(),
            _ => String::new(),
        },
    }
}

pub(super) fn attribute(element: &BytesStart, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Style id → heading level, for styles named "heading N" or "标题 N"
/// (Word and WPS name them so whatever the interface language).
fn heading_styles(xml: &str) -> HashMap<String, usize> {
    let mut reader = Reader::from_str(xml);
    let mut styles = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"style" => current = attribute(&e, b"styleId"),
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"name" => {
                if let (Some(id), Some(name)) = (&current, attribute(&e, b"val")) {
                    let name = name.to_lowercase();
                    let level = name
                        .strip_prefix("heading")
                        .or_else(|| name.strip_prefix("标题"))
                        .and_then(|n| n.trim().parse::<usize>().ok());
                    if let Some(level) = level {
                        styles.insert(id.clone(), level);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return styles,
            _ => {}
        }
    }
}

/// A paragraph's lines broken by a line break: where the line before is
/// one of its own (`来源：江西省人民政府` / the dateline, a sentence, a
/// heading), a paragraph each; inside a sentence, one paragraph.
fn split_at_own_lines(text: &str) -> impl Iterator<Item = String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        match paragraphs.last_mut() {
            Some(last) if open => {
                if last.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line.starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    last.push(' ');
                }
                last.push_str(line);
            }
            _ => paragraphs.push(line.to_owned()),
        }
        let line = lines::normalize_line(line);
        open = !(lines::is_sentence(&line)
            || lines::stands_alone(&line)
            || lines::is_heading_text(&line)
            || lines::is_article_meta(&line));
    }
    paragraphs.into_iter()
}

/// What the paragraph being read is, from its properties.
#[derive(Default)]
struct Paragraph {
    text: String,
    heading: Option<usize>,
    list: bool,
}

fn parse_document(xml: &str, styles: &HashMap<String, usize>) -> Result<Vec<Block>, String> {
    let mut reader = Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut paragraph: Option<Paragraph> = None;
    let mut in_text = false;
    let mut table = Table::default();
    loop {
        let event = reader.read_event().map_err(|e| format!("the .docx text is not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"p" => paragraph = Some(Paragraph::default()),
            Event::Empty(e) if e.local_name().as_ref() == b"p" => {} // an empty paragraph
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tab" => push_text(&mut paragraph, "\t"),
                b"br" | b"cr" => push_text(&mut paragraph, "\n"),
                b"pStyle" => {
                    if let (Some(p), Some(id)) = (&mut paragraph, attribute(&e, b"val")) {
                        p.heading = styles.get(&id).copied();
                    }
                }
                b"outlineLvl" => {
                    let level = attribute(&e, b"val").and_then(|v| v.parse::<usize>().ok());
                    if let (Some(p), Some(level)) = (&mut paragraph, level)
                        && level < 9
                    {
                        p.heading = p.heading.or(Some(level + 1));
                    }
                }
                b"numPr" => {
                    if let Some(p) = &mut paragraph {
                        p.list = true;
                    }
                }
                b"tbl" => table.start(),
                b"tr" => table.start_row(),
                b"tc" => table.start_cell(),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let text = t.decode().map_err(|e| format!("the .docx text cannot be decoded: {e}"))?;
                push_text(&mut paragraph, &text);
            }
            Event::GeneralRef(r) if in_text => {
                push_text(&mut paragraph, &reference_text(&r));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let Some(p) = paragraph.take() else { continue };
                    if !table.takes(&p.text) {
                        match (p.heading, p.list) {
                            (Some(level), _) => blocks.push(Block::Heading(level, p.text)),
                            (None, true) => blocks.push(Block::ListItem(p.text)),
                            (None, false) => blocks.extend(split_at_own_lines(&p.text).map(Block::Paragraph)),
                        }
                    }
                }
                b"tc" => table.end_cell(),
                b"tbl" => blocks.extend(table.end()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

/// The table being read, in a .docx or an .odt: rows of cells, a cell's
/// paragraphs joined. A table nested in a cell adds its text to that cell.
#[derive(Default)]
pub(super) struct Table {
    depth: usize,
    rows: Vec<Vec<String>>,
    cell: Option<String>,
}

impl Table {
    pub(super) fn start(&mut self) {
        self.depth += 1;
    }

    pub(super) fn start_row(&mut self) {
        if self.depth == 1 {
            self.rows.push(Vec::new());
        }
    }

    pub(super) fn start_cell(&mut self) {
        if self.depth == 1 {
            self.cell = Some(String::new());
        }
    }

    /// Adds a paragraph's text to the cell being read; false outside a table.
    pub(super) fn takes(&mut self, text: &str) -> bool {
        let Some(cell) = &mut self.cell else { return false };
        if !cell.is_empty() && !text.trim().is_empty() {
            cell.push(' ');
        }
        cell.push_str(text.trim());
        true
    }

    pub(super) fn end_cell(&mut self) {
        if self.depth == 1
            && let (Some(text), Some(row)) = (self.cell.take(), self.rows.last_mut())
        {
            row.push(text);
        }
    }

    /// The table, once its outermost end is reached.
    pub(super) fn end(&mut self) -> Option<Block> {
        self.depth = self.depth.saturating_sub(1);
        (self.depth == 0 && !self.rows.is_empty()).then(|| Block::Table(std::mem::take(&mut self.rows)))
    }
}

fn push_text(paragraph: &mut Option<Paragraph>, text: &str) {
    if let Some(p) = paragraph {
        p.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::split_at_own_lines;

    #[test]
    fn a_line_break_after_a_line_of_its_own_splits_the_paragraph_and_inside_a_sentence_does_not() {
        let paragraphs: Vec<String> = split_at_own_lines(
            "来源：河北日报\n2025年1月13日在河北省第十四届人民代表大会第三次会议上\n河北省省长 王正谱",
        )
        .collect();
        assert_eq!(
            paragraphs,
            ["来源：河北日报", "2025年1月13日在河北省第十四届人民代表大会第三次会议上", "河北省省长 王正谱"]
        );
        let paragraphs: Vec<String> = split_at_own_lines("全年新增就业\n12万人。GDP\ngrowth 5%。").collect();
        assert_eq!(paragraphs, ["全年新增就业12万人。GDP growth 5%。"]);
    }
}
