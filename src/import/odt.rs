//! OpenDocument text (`.odt`, written by LibreOffice and WPS): headings,
//! paragraphs, list items and tables from `content.xml`.

use std::io::Cursor;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Block;
use super::docx::{Table, attribute, read_member, reference_text};

/// The blocks of an .odt file, in document order. No member is inflated
/// past `limit` bytes.
pub fn read(bytes: &[u8], limit: u64) -> Result<Vec<Block>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not an OpenDocument .odt file (not a valid zip archive: {e})"))?;
    let content = read_member(&mut archive, "content.xml", limit)?
        .ok_or("not an OpenDocument .odt file: it has no content.xml")?;
    parse_content(&content)
}

/// What the paragraph being read is.
struct Paragraph {
    text: String,
    heading: Option<usize>,
}

fn parse_content(xml: &str) -> Result<Vec<Block>, String> {
    let mut reader = Reader::from_str(xml);
    let mut blocks = Vec::new();
    // Paragraphs nest (a note's text inside a paragraph): only the outermost counts.
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut list_depth = 0;
    let mut table = Table::default();
    let mut in_note = 0;
    loop {
        let event = reader.read_event().map_err(|e| format!("the .odt text is not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"p" | b"h" => {
                    let heading = (e.local_name().as_ref() == b"h")
                        .then(|| attribute(&e, b"outline-level").and_then(|l| l.parse().ok()).unwrap_or(1));
                    paragraphs.push(Paragraph { text: String::new(), heading });
                }
                b"list" => list_depth += 1,
                b"note" => in_note += 1,
                b"table" => table.start(),
                b"table-row" => table.start_row(),
                b"table-cell" => table.start_cell(),
                _ => {}
            },
            Event::Empty(e) => {
                let text = match e.local_name().as_ref() {
                    b"s" => " ".repeat(attribute(&e, b"c").and_then(|c| c.parse().ok()).unwrap_or(1).min(100)),
                    b"tab" => "\t".into(),
                    b"line-break" => "\n".into(),
                    _ => String::new(),
                };
                if let Some(p) = paragraphs.last_mut()
                    && in_note == 0
                {
                    p.text.push_str(&text);
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| format!("the .odt text cannot be decoded: {e}"))?;
                if let Some(p) = paragraphs.last_mut()
                    && in_note == 0
                {
                    p.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(p) = paragraphs.last_mut()
                    && in_note == 0
                {
                    p.text.push_str(&reference_text(&r));
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"p" | b"h" => {
                    let Some(p) = paragraphs.pop() else { continue };
                    if let Some(outer) = paragraphs.last_mut() {
                        outer.text.push_str(&p.text);
                    } else if !table.takes(&p.text) {
                        blocks.push(match (p.heading, list_depth > 0) {
                            (Some(level), _) => Block::Heading(level, p.text),
                            (None, true) => Block::ListItem(p.text),
                            (None, false) => Block::Paragraph(p.text),
                        });
                    }
                }
                b"list" => list_depth -= 1,
                b"note" => in_note -= 1,
                b"table-cell" => table.end_cell(),
                b"table" => blocks.extend(table.end()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_lists_and_tables() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="b"><office:body><office:text>
            <text:h text:outline-level="1">一、主要工作</text:h>
            <text:p>全年<text:span>完成</text:span>投资<text:s/>3亿元。<text:note><text:note-body><text:p>注释</text:p></text:note-body></text:note></text:p>
            <text:list><text:list-item><text:p>加强学习</text:p></text:list-item></text:list>
            <table:table><table:table-row><table:table-cell><text:p>指标</text:p></table:table-cell><table:table-cell><text:p>数值</text:p></table:table-cell></table:table-row></table:table>
            </office:text></office:body></office:document-content>"#;
        assert_eq!(
            parse_content(xml).unwrap(),
            [
                Block::Heading(1, "一、主要工作".into()),
                Block::Paragraph("全年完成投资 3亿元。".into()),
                Block::ListItem("加强学习".into()),
                Block::Table(vec![vec!["指标".into(), "数值".into()]]),
            ]
        );
    }
}
