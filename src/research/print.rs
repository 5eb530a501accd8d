//! Concordances and tables as text for a terminal (`wenku kwic` without
//! `--json`): matches lined up in one column, as KWIC is read.

use std::io::{self, Write};

use super::concordance::Concordance;
use super::continuations::Continuations;
use super::variants::Variants;

pub fn print_concordance(out: &mut dyn Write, c: &Concordance, width: usize, color: bool) -> io::Result<()> {
    write!(out, "{} occurrences in {} reports ({:.1} ms)", c.total, c.reports, c.took_ms)?;
    if c.line_count != c.total {
        write!(out, ", {} lines", c.line_count)?;
    }
    if c.pages > 1 {
        write!(out, ", page {} of {}", c.page, c.pages)?;
    }
    writeln!(out)?;
    if c.truncated {
        writeln!(out, "  (only the first {} occurrences, by year, have lines: narrow the query)", super::MAX_KEPT)?;
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

pub fn print_continuations(out: &mut dyn Write, table: &Continuations) -> io::Result<()> {
    writeln!(
        out,
        "{} occurrences{}; {} strings",
        table.total,
        counted_note(table.total, table.counted),
        table.rows.len()
    )?;
    for row in &table.rows {
        writeln!(
            out,
            "{}  {} times, {} reports, {} bodies, {}–{}",
            row.text, row.count, row.reports, row.bodies, row.first_year, row.last_year
        )?;
    }
    Ok(())
}

pub fn print_variants(out: &mut dyn Write, table: &Variants) -> io::Result<()> {
    writeln!(out, "{} occurrences{}; {} forms", table.total, counted_note(table.total, table.counted), table.distinct)?;
    for v in &table.variants {
        writeln!(
            out,
            "{}–{}  {}  {} times, {} reports, {} bodies",
            v.first_year, v.last_year, v.text, v.count, v.reports, v.bodies
        )?;
    }
    Ok(())
}

/// Says when a table counts only the first occurrences.
fn counted_note(total: usize, counted: usize) -> String {
    if counted < total { format!(" (the table counts the first {counted}, by year)") } else { String::new() }
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
