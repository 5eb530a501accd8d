//! The concordance and the tables as files people open in Excel or WPS:
//! CSV and XLSX, made by the engine's `export` and `xlsx`, which the static
//! site shares, each column as wide as its cells. Both start with the query and
//! the date of export, so that a file found later still says what it is.

use crate::search::messages::Language;

use wenku_engine::export::year_label;
pub use wenku_engine::export::{
    Cell, Table, bodies_table, clusters_table, collocates_table, concordance_table, continuations_table, keyness_table,
    pick, variants_table, words, years_table,
};

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

/// The table as an XLSX workbook, dated today (`wenku_engine::xlsx`, which
/// the static site's engine writes too).
pub fn xlsx(table: &Table, language: Language) -> Vec<u8> {
    wenku_engine::xlsx::workbook(table, language, &today())
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
        let bytes = xlsx(&table(), Language::English);
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
        let sheet = unzipped(&xlsx(&table, Language::Chinese), "xl/worksheets/sheet1.xml");
        let styles = unzipped(&xlsx(&table, Language::Chinese), "xl/styles.xml");
        assert!(!sheet.contains("<f>"), "no cell is a formula");
        assert!(styles.contains("quotePrefix=\"1\""), "risky text cells keep Excel's hidden apostrophe");
    }

    #[test]
    fn xlsx_columns_have_widths() {
        let sheet = unzipped(&xlsx(&table(), Language::Chinese), "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<cols>") && sheet.contains("customWidth=\"1\""), "{sheet}");
    }

    fn unzipped(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }
}
