//! The concordance and the tables as files people open in Excel or WPS:
//! CSV (made by the engine's `export`, which the static site shares) and
//! XLSX, each column as wide as its cells. Both start with the query and
//! the date of export, so that a file found later still says what it is.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::search::messages::Language;

pub use wenku_engine::export::{
    Cell, Table, bodies_table, clusters_table, collocates_table, concordance_table, continuations_table, keyness_table,
    pick, variants_table, words, years_table,
};
use wenku_engine::export::{column_widths, formula_like, heading, year_label};

/// A checked draft: one row per flag and per precedent, under its sentence.
pub fn draft_table(checked: &super::draft::DraftCheck, language: Language) -> Table {
    use super::draft::FlagKind;
    let chinese = language == Language::Chinese;
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (number, sentence) in checked.sentences.iter().enumerate() {
        for flag in &sentence.flags {
            let kind = match (flag.kind, chinese) {
                (FlagKind::Outdated, true) => "过时提法",
                (FlagKind::Outdated, false) => "outdated",
                (FlagKind::New, true) => "新提法",
                (FlagKind::New, false) => "new",
            };
            rows.push(vec![
                (number + 1).into(),
                sentence.text.as_str().into(),
                kind.into(),
                flag.text.as_str().into(),
                flag.last_year.map_or(Cell::from(""), Cell::from),
                flag.replaced_by.as_deref().unwrap_or("").into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
            ]);
        }
        for precedent in &sentence.precedents {
            let kind = match (precedent.similarity >= 1.0, chinese) {
                (true, true) => "相同说法",
                (true, false) => "same",
                (false, true) => "相近说法",
                (false, false) => "near",
            };
            rows.push(vec![
                (number + 1).into(),
                sentence.text.as_str().into(),
                kind.into(),
                precedent.text.as_str().into(),
                "".into(),
                "".into(),
                precedent.similarity.into(),
                year_label(precedent.year).into(),
                precedent.body.as_str().into(),
                precedent.title.as_str().into(),
                precedent.url.as_str().into(),
            ]);
        }
    }
    Table {
        name: pick(language, "起草核对", "draft check"),
        query: String::new(),
        headers: words(
            language,
            &[
                "句号",
                "句子",
                "类别",
                "提法或原文",
                "最后使用年份",
                "此后多用",
                "相似度",
                "年份",
                "发文机关",
                "报告",
                "链接",
            ],
            &[
                "sentence no.",
                "sentence",
                "kind",
                "wording or text",
                "last year",
                "since mostly",
                "similarity",
                "year",
                "body",
                "report",
                "link",
            ],
        ),
        rows,
    }
}

/// Today's date (UTC) as `yyyy-mm-dd`.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day())
}

pub fn csv(table: &Table, language: Language) -> Vec<u8> {
    wenku_engine::export::csv(table, language, &today()).into_bytes()
}

/// The file's name without its extension, dated today.
pub fn file_name(table: &Table) -> String {
    wenku_engine::export::file_name(table, &today())
}

pub fn xlsx(table: &Table, language: Language) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&table.name))?;
    let bold = Format::new().set_bold();
    // Excel's hidden apostrophe: the cell is text even when edited.
    let text_only = Format::new().set_quote_prefix();
    for (col, text) in heading(table, language, &today()).iter().enumerate() {
        sheet.write_string(0, col as u16, text)?;
    }
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, header, &bold)?;
    }
    for (i, cells) in table.rows.iter().enumerate() {
        let row = 3 + i as u32;
        for (col, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(s) if formula_like(s) => sheet.write_string_with_format(row, col as u16, s, &text_only)?,
                Cell::Text(s) => sheet.write_string(row, col as u16, s)?,
                Cell::Number(n) => sheet.write_number(row, col as u16, *n)?,
            };
        }
    }
    for (col, width) in column_widths(table).into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    workbook.save_to_buffer()
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "语境".into(),
            query: "\"坚持\"".into(),
            headers: vec!["左侧".into(), "次数".into()],
            rows: vec![vec!["a,\"b\"".into(), 3usize.into()], vec!["=1+1".into(), 1usize.into()]],
        }
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx(&table(), Language::English).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    /// Cells a spreadsheet could read as formulas stay text (the CSV side
    /// is the engine's test).
    #[test]
    fn formulas_are_neutralized_in_xlsx() {
        let risky =
            ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\u{b}=1+1", "\u{a0}=1+1", " =1", "\u{3000}＝1", "\t"];
        let mut table = table();
        table.rows = risky.iter().map(|t| vec![Cell::from(*t), 1usize.into()]).collect();
        let sheet = unzipped(&xlsx(&table, Language::Chinese).unwrap(), "xl/worksheets/sheet1.xml");
        let styles = unzipped(&xlsx(&table, Language::Chinese).unwrap(), "xl/styles.xml");
        assert!(!sheet.contains("<f>"), "no cell is a formula");
        assert!(styles.contains("quotePrefix=\"1\""), "risky text cells keep Excel's hidden apostrophe");
    }

    #[test]
    fn xlsx_columns_have_widths() {
        let sheet = unzipped(&xlsx(&table(), Language::Chinese).unwrap(), "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<cols>") && sheet.contains("customWidth=\"1\""), "{sheet}");
    }

    fn unzipped(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }
}
