//! The research tables as rows under headers in the site's language, and as
//! CSV that Excel and WPS open: UTF-8 with a byte-order mark (without it
//! Excel reads Chinese as mojibake), starting with the query and the date
//! of export, so that a file found later still says what it is.
//!
//! The server and the static engine export the tables both can make from
//! here; the server adds XLSX and the draft check's table.

use crate::clusters::Clusters;
use crate::collocates::Collocates;
use crate::concordance::{self, Occurrences, View};
use crate::continuations::{Continuations, Side};
use crate::frequency::{ByBody, ByYear};
use crate::keyness::Keyness;
use crate::messages::Language;
use crate::variants::Variants;

/// How an unknown year reads wherever it is shown.
pub const UNKNOWN_YEAR: &str = "年份不详";

/// A year as the indexes store it (0: unknown), as readers see it.
pub fn year_label(year: i64) -> String {
    if year > 0 { year.to_string() } else { UNKNOWN_YEAR.to_owned() }
}

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

impl Cell {
    /// As a CSV field or a column's width reads it.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }
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

pub fn words(language: Language, chinese: &[&str], english: &[&str]) -> Vec<String> {
    let chosen = if language == Language::Chinese { chinese } else { english };
    chosen.iter().map(|s| s.to_string()).collect()
}

pub fn pick(language: Language, chinese: &str, english: &str) -> String {
    if language == Language::Chinese { chinese.into() } else { english.into() }
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
                    year_label(l.year).into(),
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
    let right = table.side == Side::Right;
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
                    year_label(r.first_year).into(),
                    year_label(r.last_year).into(),
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
                    year_label(v.first_year).into(),
                    year_label(v.last_year).into(),
                    v.top_bodies.join("、").into(),
                    years.join(" ").into(),
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
                vec![year_label(r.year).into(), r.count.into(), r.reports.into(), r.chars.into(), r.per_10k.into()]
            })
            .collect(),
    }
}

/// The phrase per body and year.
pub fn bodies_table(table: &ByBody, language: Language) -> Table {
    let mut headers = words(language, &["发文机关", "次数", "篇数"], &["body", "count", "reports"]);
    headers.extend(table.years.iter().map(|&y| year_label(y)));
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

/// Key, new or dropped wording of a target against a reference.
pub fn keyness_table(table: &Keyness, language: Language) -> Table {
    use crate::keyness::Mode;
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
                    year_label(r.year).into(),
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
                    year_label(r.first_year).into(),
                    year_label(r.last_year).into(),
                ]
            })
            .collect(),
    }
}

/// The first line of every export: what was asked, and when (`date`,
/// `yyyy-mm-dd`: the browser's engine has no clock of its own).
pub fn heading(table: &Table, language: Language, date: &str) -> [String; 4] {
    match language {
        Language::Chinese => ["查询".into(), table.query.clone(), format!("{}，导出于", table.name), date.into()],
        Language::English => ["query".into(), table.query.clone(), format!("{}, exported", table.name), date.into()],
    }
}

/// The file's name without its extension: `wenku-语境-2026-12-07`.
pub fn file_name(table: &Table, date: &str) -> String {
    format!("wenku-{}-{date}", table.name)
}

pub fn csv(table: &Table, language: Language, date: &str) -> String {
    let mut out = String::from("\u{feff}");
    let mut row = |cells: &mut dyn Iterator<Item = String>| {
        let fields: Vec<String> = cells.map(|c| csv_field(&c)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    row(&mut heading(table, language, date).into_iter());
    row(&mut std::iter::empty());
    row(&mut table.headers.iter().cloned());
    for cells in &table.rows {
        row(&mut cells.iter().map(Cell::text));
    }
    out
}

/// Each column's width in a spreadsheet's units (a Latin letter is one, a
/// Han character two), from its header and its longest cell, within
/// bounds: long contexts wrap at a readable width instead of running off.
pub fn column_widths(table: &Table) -> Vec<f64> {
    let width = |text: &str| -> usize { text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
    (0..table.headers.len())
        .map(|col| {
            let longest = table.rows.iter().filter_map(|row| row.get(col)).map(|cell| width(&cell.text())).max();
            let widest = longest.unwrap_or(0).max(width(&table.headers[col]));
            (widest as f64 + 2.0).clamp(6.0, 60.0)
        })
        .collect()
}

/// Whether a spreadsheet could read the text as a formula (OWASP's CSV
/// injection rules): it starts with `=`, `+`, `-`, `@`, TAB or CR, or has
/// one of `=+-@` after leading white space or control characters, which
/// spreadsheets skip (`\t=1+1`, `\u{a0}=1+1`). Full-width forms count too:
/// East Asian Excel reads `＝` as `=`.
pub fn formula_like(text: &str) -> bool {
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
        let text = csv(&table(), Language::Chinese, "2026-12-07");
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "查询,\"\"\"坚持\"\"\",语境，导出于,2026-12-07");
        assert_eq!(lines[2], "左侧,次数");
        assert_eq!(lines[3], "\"a,\"\"b\"\"\",3");
        assert_eq!(lines[4], "'=1+1,1");
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
    }

    #[test]
    fn columns_are_as_wide_as_their_longest_cell_within_bounds() {
        let mut table = table();
        table.rows.push(vec!["坚".repeat(100).into(), 12345usize.into()]);
        // 左侧 is 4 wide, "a,\"b\"" 5, a hundred Han characters 200: capped.
        assert_eq!(column_widths(&table), vec![60.0, 7.0]);
        table.rows.clear();
        assert_eq!(column_widths(&table), vec![6.0, 6.0]);
    }
}
