//! The concordance and the tables as files people open in Excel or WPS:
//! CSV in UTF-8 with a byte-order mark (without it Excel reads Chinese as
//! mojibake), and XLSX. Both start with the query and the date of export, so
//! that a file found later still says what it is.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::Occurrences;
use super::clusters::Clusters;
use super::collocates::Collocates;
use super::concordance::{self, View};
use super::continuations::Continuations;
use super::frequency::{ByBody, ByYear};
use super::keyness::Keyness;
use super::variants::Variants;
use crate::search::messages::Language;

pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<f64> for Cell {
    /// Scores, to two decimals as the tables show them.
    fn from(n: f64) -> Cell {
        Cell::Number((n * 100.0).round() / 100.0)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}

/// Rows under a header, with what they are about.
pub struct Table {
    /// What the table is: 语境 / concordance …
    pub name: String,
    pub query: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn words(language: Language, chinese: &[&str], english: &[&str]) -> Vec<String> {
    let chosen = if language == Language::Chinese { chinese } else { english };
    chosen.iter().map(|s| s.to_string()).collect()
}

/// Every line of the concordance as `view` orders it (all pages).
pub fn concordance_table(found: &Occurrences, view: &View, language: Language) -> Table {
    let lines = concordance::lines(found, view);
    Table {
        name: pick(language, "语境", "concordance"),
        query: found.query.clone(),
        headers: words(
            language,
            &["左侧", "匹配", "右侧", "次数", "篇数", "年份", "发文机关", "层级", "报告期", "标题", "链接"],
            &["left", "match", "right", "occurrences", "reports", "year", "body", "level", "period", "title", "url"],
        ),
        rows: lines
            .into_iter()
            .map(|l| {
                vec![
                    l.left.into(),
                    l.matched.into(),
                    l.right.into(),
                    l.count.into(),
                    l.report_count.into(),
                    crate::content::stored_year_label(l.year).into(),
                    l.body.into(),
                    l.level.into(),
                    l.period.into(),
                    l.title.into(),
                    l.url.into(),
                ]
            })
            .collect(),
    }
}

pub fn continuations_table(table: &Continuations, language: Language) -> Table {
    let right = table.side == super::continuations::Side::Right;
    Table {
        name: match (right, language) {
            (true, Language::Chinese) => "后接".into(),
            (false, Language::Chinese) => "前接".into(),
            (true, Language::English) => "what follows".into(),
            (false, Language::English) => "what precedes".into(),
        },
        query: table.query.clone(),
        headers: words(
            language,
            &["词串", "次数", "篇数", "发文机关数", "最早", "最晚", "查询"],
            &["string", "occurrences", "reports", "bodies", "first year", "last year", "query"],
        ),
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.text.as_str().into(),
                    r.count.into(),
                    r.reports.into(),
                    r.bodies.into(),
                    crate::content::stored_year_label(r.first_year).into(),
                    crate::content::stored_year_label(r.last_year).into(),
                    r.query.as_str().into(),
                ]
            })
            .collect(),
    }
}

pub fn variants_table(table: &Variants, language: Language) -> Table {
    Table {
        name: pick(language, "提法演变", "variants"),
        query: table.query.clone(),
        headers: words(
            language,
            &["提法", "次数", "篇数", "发文机关数", "最早", "最晚", "主要发文机关", "各年次数"],
            &["form", "occurrences", "reports", "bodies", "first year", "last year", "main bodies", "per year"],
        ),
        rows: table
            .variants
            .iter()
            .map(|v| {
                let years: Vec<String> = v.years.iter().map(|(y, n)| format!("{y}:{n}")).collect();
                vec![
                    v.text.as_str().into(),
                    v.count.into(),
                    v.reports.into(),
                    v.bodies.into(),
                    crate::content::stored_year_label(v.first_year).into(),
                    crate::content::stored_year_label(v.last_year).into(),
                    v.top_bodies.join("、").into(),
                    years.join(" ").into(),
                ]
            })
            .collect(),
    }
}

/// The collocates, by logDice.
pub fn collocates_table(table: &Collocates, language: Language) -> Table {
    Table {
        name: pick(language, "搭配", "collocates"),
        query: table.query.clone(),
        headers: words(
            language,
            &["搭配词", "共现次数", "词频", "logDice", "互信息MI", "对数似然比", "查询"],
            &["word", "count", "freq", "logDice", "MI", "log-likelihood", "query"],
        ),
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.text.as_str().into(),
                    r.count.into(),
                    r.freq.into(),
                    r.log_dice.into(),
                    r.mi.into(),
                    r.log_likelihood.into(),
                    r.query.as_str().into(),
                ]
            })
            .collect(),
    }
}

/// The phrase per year, absolute and per 10,000 positions.
pub fn years_table(table: &ByYear, language: Language) -> Table {
    Table {
        name: pick(language, "逐年频次", "by year"),
        query: table.query.clone(),
        headers: words(
            language,
            &["年份", "次数", "篇数", "总位置数", "每万位置次数"],
            &["year", "count", "reports", "positions", "per 10,000"],
        ),
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    crate::content::stored_year_label(r.year).into(),
                    r.count.into(),
                    r.reports.into(),
                    r.chars.into(),
                    r.per_10k.into(),
                ]
            })
            .collect(),
    }
}

/// The phrase per body and year.
pub fn bodies_table(table: &ByBody, language: Language) -> Table {
    let mut headers = words(language, &["发文机关", "次数", "篇数"], &["body", "count", "reports"]);
    headers.extend(table.years.iter().map(|&y| crate::content::stored_year_label(y)));
    Table {
        name: pick(language, "各发文机关", "by body"),
        query: table.query.clone(),
        headers,
        rows: table
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<Cell> = vec![r.body.as_str().into(), r.count.into(), r.reports.into()];
                cells.extend(r.by_year.iter().map(|&n| Cell::from(n)));
                cells
            })
            .collect(),
    }
}

/// Key, new or dropped wording of a target against a reference.
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
                crate::content::stored_year_label(precedent.year).into(),
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

pub fn keyness_table(table: &Keyness, language: Language) -> Table {
    use super::keyness::Mode;
    let name = match table.mode {
        Mode::Key => pick(language, "关键提法", "keywords"),
        Mode::New => pick(language, "首次出现的提法", "new wording"),
        Mode::Dropped => pick(language, "不再出现的提法", "dropped wording"),
    };
    Table {
        name,
        query: format!("{} / {}", table.target, table.reference),
        headers: words(
            language,
            &["提法", "目标次数", "参照次数", "对数似然比", "对数比", "篇数", "发文机关数", "年数", "DP", "年份"],
            &[
                "wording",
                "target",
                "reference",
                "log-likelihood",
                "log ratio",
                "reports",
                "bodies",
                "years",
                "DP",
                "year",
            ],
        ),
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.text.as_str().into(),
                    r.target_count.into(),
                    r.reference_count.into(),
                    r.log_likelihood.into(),
                    r.log_ratio.into(),
                    r.reports.into(),
                    r.bodies.into(),
                    r.years.into(),
                    r.dp.into(),
                    crate::content::stored_year_label(r.year).into(),
                ]
            })
            .collect(),
    }
}

/// Recurring formulations with their spread.
pub fn clusters_table(table: &Clusters, language: Language) -> Table {
    Table {
        name: pick(language, "固定提法", "clusters"),
        query: table.query.clone(),
        headers: words(
            language,
            &["提法", "次数", "篇数", "发文机关数", "年数", "DP", "最早", "最晚"],
            &["formulation", "count", "reports", "bodies", "years", "DP", "first year", "last year"],
        ),
        rows: table
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.text.as_str().into(),
                    r.count.into(),
                    r.reports.into(),
                    r.bodies.into(),
                    r.years.into(),
                    r.dp.into(),
                    crate::content::stored_year_label(r.first_year).into(),
                    crate::content::stored_year_label(r.last_year).into(),
                ]
            })
            .collect(),
    }
}

fn pick(language: Language, chinese: &str, english: &str) -> String {
    if language == Language::Chinese { chinese.into() } else { english.into() }
}

/// The first line of every export: what was asked, and when.
fn heading(table: &Table, language: Language) -> [String; 4] {
    let date = today();
    match language {
        Language::Chinese => ["查询".into(), table.query.clone(), format!("{}，导出于", table.name), date],
        Language::English => ["query".into(), table.query.clone(), format!("{}, exported", table.name), date],
    }
}

/// Today's date (UTC) as `yyyy-mm-dd`.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day())
}

pub fn csv(table: &Table, language: Language) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut row = |cells: &mut dyn Iterator<Item = String>| {
        let fields: Vec<String> = cells.map(|c| csv_field(&c)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    row(&mut heading(table, language).into_iter());
    row(&mut std::iter::empty());
    row(&mut table.headers.iter().cloned());
    for cells in &table.rows {
        row(&mut cells.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }));
    }
    out.into_bytes()
}

/// Whether a spreadsheet could read the text as a formula (OWASP's CSV
/// injection rules): it starts with `=`, `+`, `-`, `@`, TAB or CR, or has
/// one of `=+-@` after leading white space or control characters, which
/// spreadsheets skip (`\t=1+1`, `\u{a0}=1+1`). Full-width forms count too:
/// East Asian Excel reads `＝` as `=`.
fn formula_like(text: &str) -> bool {
    const FORMULA: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    text.starts_with(['\t', '\r'])
        || text.trim_start_matches(|c: char| c.is_whitespace() || c.is_control()).starts_with(FORMULA)
}

/// Quoted when it must be (RFC 4180). Text a spreadsheet could run as a
/// formula is kept from it by a leading apostrophe.
fn csv_field(field: &str) -> String {
    let field = if formula_like(field) { format!("'{field}") } else { field.to_owned() };
    if field.contains([',', '"', '\n', '\r']) { format!("\"{}\"", field.replace('"', "\"\"")) } else { field }
}

pub fn xlsx(table: &Table, language: Language) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&table.name))?;
    let bold = Format::new().set_bold();
    // Excel's hidden apostrophe: the cell is text even when edited.
    let text_only = Format::new().set_quote_prefix();
    for (col, text) in heading(table, language).iter().enumerate() {
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
    fn csv_has_a_bom_the_query_and_quotes_what_needs_it() {
        let text = String::from_utf8(csv(&table(), Language::Chinese)).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[0].starts_with("查询,\"\"\"坚持\"\"\",语境"), "{}", lines[0]);
        assert_eq!(lines[2], "左侧,次数");
        assert_eq!(lines[3], "\"a,\"\"b\"\"\",3");
        assert_eq!(lines[4], "'=1+1,1");
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx(&table(), Language::English).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    /// OWASP's rules: a formula character after any leading white space or
    /// control character is still a formula to a spreadsheet.
    #[test]
    fn formulas_are_neutralized_after_leading_space_and_control_characters() {
        let risky =
            ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\u{b}=1+1", "\u{a0}=1+1", " =1", "\u{3000}＝1", "\t"];
        for text in risky {
            assert!(csv_field(text).trim_start_matches('"').starts_with('\''), "{text:?} → {:?}", csv_field(text));
        }
        for text in ["坚持", "1-2", "a=b", "（一）"] {
            assert_eq!(csv_field(text), text);
        }
        let mut table = table();
        table.rows = risky.iter().map(|t| vec![Cell::from(*t), 1usize.into()]).collect();
        let sheet = unzipped(&xlsx(&table, Language::Chinese).unwrap(), "xl/worksheets/sheet1.xml");
        let styles = unzipped(&xlsx(&table, Language::Chinese).unwrap(), "xl/styles.xml");
        assert!(!sheet.contains("<f>"), "no cell is a formula");
        assert!(styles.contains("quotePrefix=\"1\""), "risky text cells keep Excel's hidden apostrophe");
    }

    fn unzipped(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    }
}
