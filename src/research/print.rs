//! Concordances and tables as text for a terminal (`wenku kwic` without
//! `--json`): matches lined up in one column, as KWIC is read.

use std::io::{self, Write};

use super::clusters::Clusters;
use super::collocates::Collocates;
use super::concordance::Concordance;
use super::continuations::Continuations;
use super::frequency::{ByBody, ByYear};
use super::keyness::Keyness;
use super::variants::Variants;
use crate::search::messages::Language;

pub fn print_concordance(
    out: &mut dyn Write,
    c: &Concordance,
    width: usize,
    color: bool,
    language: Language,
) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    if chinese {
        write!(out, "{} 篇报告中共 {} 处（{:.1} 毫秒）", c.reports, c.total, c.took_ms)?;
        if c.line_count != c.total {
            write!(out, "，{} 行", c.line_count)?;
        }
        if c.pages > 1 {
            write!(out, "，第 {} / {} 页", c.page, c.pages)?;
        }
    } else {
        write!(out, "{} occurrences in {} reports ({:.1} ms)", c.total, c.reports, c.took_ms)?;
        if c.line_count != c.total {
            write!(out, ", {} lines", c.line_count)?;
        }
        if c.pages > 1 {
            write!(out, ", page {} of {}", c.page, c.pages)?;
        }
    }
    writeln!(out)?;
    if c.truncated {
        if chinese {
            writeln!(out, "  （按年份只列出前 {} 处：请缩小查询）", super::MAX_KEPT)?;
        } else {
            writeln!(out, "  (only the first {} occurrences, by year, have lines: narrow the query)", super::MAX_KEPT)?;
        }
    }
    let (mark, unmark) = if color { ("\x1b[1;33m", "\x1b[0m") } else { ("[", "]") };
    for line in &c.lines {
        let pad = (2 * width).saturating_sub(columns(&line.left));
        let count = if line.count > 1 { format!(" ×{}", line.count) } else { String::new() };
        writeln!(
            out,
            "{}{} {mark}{}{unmark} {}   ({} · {}{count})",
            " ".repeat(pad),
            line.left,
            line.matched,
            line.right,
            crate::content::stored_year_label(line.year),
            line.body
        )?;
    }
    Ok(())
}

pub fn print_continuations(out: &mut dyn Write, table: &Continuations, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    let note = counted_note(table.total, table.counted, chinese);
    if chinese {
        writeln!(out, "共 {} 处{note}；{} 个词串", table.total, table.rows.len())?;
    } else {
        writeln!(out, "{} occurrences{note}; {} strings", table.total, table.rows.len())?;
    }
    for row in &table.rows {
        let years = year_span(row.first_year, row.last_year);
        if chinese {
            writeln!(out, "{}  {} 次，{} 篇，{} 个机关，{years}", row.text, row.count, row.reports, row.bodies)?;
        } else {
            writeln!(
                out,
                "{}  {} times, {} reports, {} bodies, {years}",
                row.text, row.count, row.reports, row.bodies
            )?;
        }
    }
    Ok(())
}

pub fn print_collocates(out: &mut dyn Write, table: &Collocates, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    let note = counted_note(table.node_freq as usize, table.counted as usize, chinese);
    if chinese {
        writeln!(out, "共 {} 处{note}；左右各 {} 个位置内的搭配词，按 logDice 排序", table.node_freq, table.window)?;
        writeln!(out, "搭配词  共现次数  词频  logDice  MI  对数似然比")?;
    } else {
        writeln!(
            out,
            "{} occurrences{note}; words within {} positions each side, by logDice",
            table.node_freq, table.window
        )?;
        writeln!(out, "word  count  freq  logDice  MI  log-likelihood")?;
    }
    for row in &table.rows {
        writeln!(
            out,
            "{}  {}  {}  {:.2}  {:.2}  {:.1}",
            row.text, row.count, row.freq, row.log_dice, row.mi, row.log_likelihood
        )?;
    }
    Ok(())
}

pub fn print_years(out: &mut dyn Write, table: &ByYear, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    if chinese {
        writeln!(out, "共 {} 处\n年份  次数  篇数  总位置数  每万位置", table.total)?;
    } else {
        writeln!(out, "{} occurrences\nyear  count  reports  positions  per 10,000", table.total)?;
    }
    for row in &table.rows {
        let year = crate::content::stored_year_label(row.year);
        writeln!(out, "{year}  {}  {}  {}  {:.2}", row.count, row.reports, row.chars, row.per_10k)?;
    }
    Ok(())
}

pub fn print_bodies(out: &mut dyn Write, table: &ByBody, language: Language) -> io::Result<()> {
    let years: Vec<String> = table.years.iter().map(|&y| crate::content::stored_year_label(y)).collect();
    if language == Language::Chinese {
        writeln!(out, "共 {} 处\n发文机关  次数  篇数  {}", table.total, years.join("  "))?;
    } else {
        writeln!(out, "{} occurrences\nbody  count  reports  {}", table.total, years.join("  "))?;
    }
    for row in &table.rows {
        let by_year: Vec<String> = row.by_year.iter().map(|n| n.to_string()).collect();
        writeln!(out, "{}  {}  {}  {}", row.body, row.count, row.reports, by_year.join("  "))?;
    }
    Ok(())
}

pub fn print_keyness(out: &mut dyn Write, table: &Keyness, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    let (target, reference) = (&table.target, &table.reference);
    if chinese {
        writeln!(
            out,
            "目标 {target}（{} 篇，{} 个位置）对参照 {reference}（{} 篇，{} 个位置）：{} 条",
            table.target_reports,
            table.target_chars,
            table.reference_reports,
            table.reference_chars,
            table.rows.len()
        )?;
        writeln!(out, "措辞  目标次数  参照次数  对数似然比  对数比  篇数  发文机关数  年数  DP")?;
    } else {
        writeln!(
            out,
            "target {target} ({} reports, {} positions) against reference {reference} ({} reports, {} positions): {} rows",
            table.target_reports,
            table.target_chars,
            table.reference_reports,
            table.reference_chars,
            table.rows.len()
        )?;
        writeln!(out, "wording  target  reference  log-likelihood  log ratio  reports  bodies  years  DP")?;
    }
    for r in &table.rows {
        writeln!(
            out,
            "{}  {}  {}  {:.1}  {:.2}  {}  {}  {}  {:.2}",
            r.text,
            r.target_count,
            r.reference_count,
            r.log_likelihood,
            r.log_ratio,
            r.reports,
            r.bodies,
            r.years,
            r.dp
        )?;
    }
    Ok(())
}

pub fn print_clusters(out: &mut dyn Write, table: &Clusters, language: Language) -> io::Result<()> {
    if language == Language::Chinese {
        writeln!(out, "{}（{} 篇）：{} 个固定提法", table.query, table.reports, table.rows.len())?;
        writeln!(out, "提法  次数  篇数  发文机关数  年数  DP  年份")?;
    } else {
        writeln!(out, "{} ({} reports): {} formulations", table.query, table.reports, table.rows.len())?;
        writeln!(out, "formulation  count  reports  bodies  years  DP  years")?;
    }
    for r in &table.rows {
        let years = year_span(r.first_year, r.last_year);
        writeln!(out, "{}  {}  {}  {}  {}  {:.2}  {years}", r.text, r.count, r.reports, r.bodies, r.years, r.dp)?;
    }
    Ok(())
}

pub fn print_variants(out: &mut dyn Write, table: &Variants, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    let note = counted_note(table.total, table.counted, chinese);
    if chinese {
        writeln!(out, "共 {} 处{note}；{} 种写法", table.total, table.distinct)?;
    } else {
        writeln!(out, "{} occurrences{note}; {} forms", table.total, table.distinct)?;
    }
    for v in &table.variants {
        let years = year_span(v.first_year, v.last_year);
        if chinese {
            writeln!(out, "{years}  {}  {} 次，{} 篇，{} 个机关", v.text, v.count, v.reports, v.bodies)?;
        } else {
            writeln!(out, "{years}  {}  {} times, {} reports, {} bodies", v.text, v.count, v.reports, v.bodies)?;
        }
    }
    Ok(())
}

/// `2019–2024`, `2021`, or 年份不详.
fn year_span(first: i64, last: i64) -> String {
    match (first, last) {
        (0, _) => crate::content::UNKNOWN_YEAR.to_owned(),
        (f, l) if f == l => f.to_string(),
        (f, l) => format!("{f}–{l}"),
    }
}

/// Says when a table counts only the first occurrences.
fn counted_note(total: usize, counted: usize, chinese: bool) -> String {
    match (counted < total, chinese) {
        (false, _) => String::new(),
        (true, true) => format!("（表中按年份只计前 {counted} 处）"),
        (true, false) => format!(" (the table counts the first {counted}, by year)"),
    }
}

/// Terminal columns of `text`: East Asian characters take two.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// A draft checked against the archive, like a linter: each sentence with
/// its flags under it, then its closest precedents; in colour on a terminal.
pub fn print_draft(
    out: &mut dyn Write,
    check: &super::draft::DraftCheck,
    color: bool,
    language: Language,
) -> io::Result<()> {
    use super::draft::FlagKind;
    let chinese = language == Language::Chinese;
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let recent = check.recent;
    for (number, sentence) in check.sentences.iter().enumerate() {
        if sentence.flags.is_empty() && sentence.precedents.is_empty() {
            continue;
        }
        writeln!(out, "{} {}", paint("1", &format!("{}.", number + 1)), sentence.text)?;
        for flag in &sentence.flags {
            let line = match (flag.kind, chinese) {
                (FlagKind::Outdated, true) => format!(
                    "  {} “{}”：{} 篇用过，最后一次在 {} 年，近 {recent} 年没有再用{}",
                    paint("33", "过时提法"),
                    flag.text,
                    flag.reports.unwrap_or(0),
                    flag.last_year.unwrap_or(0),
                    flag.replaced_by.as_ref().map(|r| format!("；此后多用“{r}”")).unwrap_or_default()
                ),
                (FlagKind::Outdated, false) => format!(
                    "  {} \"{}\": used in {} reports, last in {}, not in the last {recent} years{}",
                    paint("33", "outdated"),
                    flag.text,
                    flag.reports.unwrap_or(0),
                    flag.last_year.unwrap_or(0),
                    flag.replaced_by.as_ref().map(|r| format!("; since then mostly \"{r}\"")).unwrap_or_default()
                ),
                (FlagKind::New, true) => format!("  {} “{}”：文库中没有报告用过", paint("36", "新提法"), flag.text),
                (FlagKind::New, false) => {
                    format!("  {} \"{}\": no report of the archive uses it", paint("36", "new"), flag.text)
                }
            };
            writeln!(out, "{line}")?;
        }
        for precedent in &sentence.precedents {
            let kind = match (precedent.similarity >= 1.0, chinese) {
                (true, true) => "原句".to_owned(),
                (true, false) => "same".to_owned(),
                (false, _) => format!("{:.0}%", precedent.similarity * 100.0),
            };
            writeln!(
                out,
                "  {} {} {} {}：{}",
                paint("32", &kind),
                if precedent.year > 0 { precedent.year.to_string() } else { "?".into() },
                precedent.body,
                precedent.title,
                precedent.text
            )?;
            writeln!(out, "      {}", precedent.url)?;
        }
    }
    let flagged = check.sentences.iter().filter(|s| !s.flags.is_empty()).count();
    let said = check.sentences.iter().filter(|s| !s.precedents.is_empty()).count();
    if chinese {
        writeln!(
            out,
            "共 {} 句：{said} 句文库中有相同或相近的说法，{flagged} 句有需要核对的提法（对照 {} 篇报告{}）",
            check.sentences.len(),
            check.reports,
            check.latest_year.map(|y| format!("，最新 {y} 年")).unwrap_or_default()
        )
    } else {
        writeln!(
            out,
            "{} sentences: {said} said before or nearly, {flagged} with wording to check (against {} reports{})",
            check.sentences.len(),
            check.reports,
            check.latest_year.map(|y| format!(", latest {y}")).unwrap_or_default()
        )
    }
}
