//! A research table as an XLSX workbook (Office Open XML, what Excel and
//! WPS open): the query and date of export on top, bold headers, text that
//! a spreadsheet could run as a formula kept as text (Excel's hidden
//! apostrophe), each column as wide as its cells and the headers frozen.
//!
//! Written here, without a clock or a file system, so that the server and
//! the browser's engine make the same file: one sheet of inline strings
//! and numbers, six small XML parts in a ZIP archive. The parts are stored,
//! not compressed: a compressor would add a tenth to the engine every
//! static search downloads, for files that are saved, not sent often.

use crate::export::{Cell, Table, column_widths, formula_like, heading};
use crate::messages::Language;

/// The workbook of `table`, exported on `date` (`yyyy-mm-dd`).
pub fn workbook(table: &Table, language: Language, date: &str) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("xl/workbook.xml", workbook_xml(&sheet_name(&table.name))),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_owned()),
        ("xl/styles.xml", STYLES.to_owned()),
        ("xl/worksheets/sheet1.xml", sheet_xml(table, language, date)),
    ];
    zip(&parts, date)
}

/// Styles by their place in `STYLES`' cell formats.
const BOLD: u8 = 1;
const TEXT_ONLY: u8 = 2;

fn sheet_xml(table: &Table, language: Language, date: &str) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
        "<cols>"
    ));
    for (col, width) in column_widths(table).into_iter().enumerate() {
        xml.push_str(&format!(r#"<col min="{0}" max="{0}" width="{width:.1}" customWidth="1"/>"#, col + 1));
    }
    xml.push_str("</cols><sheetData>");
    let heading: Vec<Cell> = heading(table, language, date).into_iter().map(Cell::Text).collect();
    let headers: Vec<Cell> = table.headers.iter().map(|h| Cell::Text(h.clone())).collect();
    row(&mut xml, 1, &heading, None);
    row(&mut xml, 3, &headers, Some(BOLD));
    for (i, cells) in table.rows.iter().enumerate() {
        row(&mut xml, 4 + i, cells, None);
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// Row `number` (from 1) of `cells`, all in `style` if given.
fn row(xml: &mut String, number: usize, cells: &[Cell], style: Option<u8>) {
    xml.push_str(&format!(r#"<row r="{number}">"#));
    for (col, cell) in cells.iter().enumerate() {
        let at = format!("{}{number}", column_name(col));
        match cell {
            Cell::Number(n) if n.is_finite() => {
                let style = style.map(|s| format!(r#" s="{s}""#)).unwrap_or_default();
                xml.push_str(&format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#));
            }
            Cell::Number(n) => text_cell(xml, &at, &n.to_string(), style),
            Cell::Text(text) => text_cell(xml, &at, text, style),
        }
    }
    xml.push_str("</row>");
}

fn text_cell(xml: &mut String, at: &str, text: &str, style: Option<u8>) {
    let style = style.or(formula_like(text).then_some(TEXT_ONLY));
    let style = style.map(|s| format!(r#" s="{s}""#)).unwrap_or_default();
    xml.push_str(&format!(
        r#"<c r="{at}"{style} t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
        escape(text)
    ));
}

/// A, B, … Z, AA, AB, …
fn column_name(col: usize) -> String {
    let mut name = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        name.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Text as XML character data: markup escaped, and the control characters
/// XML 1.0 cannot hold left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if name.is_empty() { "wenku".to_owned() } else { name }
}

fn workbook_xml(sheet: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        escape(sheet)
    )
}

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    "</Types>"
);

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    "</Relationships>"
);

const WORKBOOK_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    "</Relationships>"
);

/// Cell formats: 0 plain, 1 (`BOLD`) the headers, 2 (`TEXT_ONLY`) text
/// that must stay text when edited.
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    "</styleSheet>"
);

/// A ZIP archive of `parts` (name, text), stored, dated `date`
/// (`yyyy-mm-dd`; 1980-01-01 when unreadable).
fn zip(parts: &[(&str, String)], date: &str) -> Vec<u8> {
    let dos_date = dos_date(date);
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, text) in parts {
        let data = text.as_bytes();
        let crc = crc32(data);
        let offset = out.len() as u32;
        // The fields both headers share, from "version needed" on.
        let mut common = Vec::new();
        common.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
        common.extend_from_slice(&0x0800u16.to_le_bytes()); // names in UTF-8
        common.extend_from_slice(&0u16.to_le_bytes()); // stored
        common.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
        common.extend_from_slice(&dos_date.to_le_bytes());
        common.extend_from_slice(&crc.to_le_bytes());
        common.extend_from_slice(&(data.len() as u32).to_le_bytes());
        common.extend_from_slice(&(data.len() as u32).to_le_bytes());
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes()); // made by: 2.0
        directory.extend_from_slice(&common);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let (start, size) = (out.len() as u32, directory.len() as u32);
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // no comment
    out
}

/// `yyyy-mm-dd` as MS-DOS packs a date.
fn dos_date(date: &str) -> u16 {
    let mut fields = date.split('-').map(|f| f.parse::<u16>().ok());
    match (fields.next().flatten(), fields.next().flatten(), fields.next().flatten()) {
        (Some(year), Some(month), Some(day))
            if (1980..2108).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day) =>
        {
            ((year - 1980) << 9) | (month << 5) | day
        }
        _ => (1 << 5) | 1,
    }
}

/// The CRC-32 a ZIP entry carries (IEEE, reflected).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_and_column_names_are_the_standard_ones() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(dos_date("2026-12-07"), (46 << 9) | (12 << 5) | 7);
        assert_eq!(dos_date("soon"), (1 << 5) | 1);
    }

    #[test]
    fn text_is_escaped_and_formulas_stay_text() {
        let table = Table {
            name: "语境".into(),
            query: "\"坚持\"".into(),
            headers: vec!["左侧".into(), "次数".into()],
            rows: vec![vec!["a<b & \u{1}c".into(), 3usize.into()], vec!["=1+1".into(), 1.5f64.into()]],
        };
        let sheet = sheet_xml(&table, Language::Chinese, "2026-12-07");
        assert!(sheet.contains(">a&lt;b &amp; c<"), "{sheet}");
        assert!(sheet.contains(r#"<c r="A5" s="2" t="inlineStr">"#), "{sheet}");
        assert!(sheet.contains(r#"<c r="B5"><v>1.5</v></c>"#), "{sheet}");
        assert!(sheet.contains(r#"<c r="A3" s="1" t="inlineStr">"#), "headers bold: {sheet}");
        assert!(!sheet.contains("<f>"));
        let bytes = workbook(&table, Language::Chinese, "2026-12-07");
        assert_eq!(&bytes[..4], b"PK\x03\x04");
    }
}
