//! Search results as text for a terminal (`wenku search` without `--json`).

use std::io::{self, Write};

use super::messages::Language;
use super::searcher::{SearchResults, ValueCount};

/// Writes the results in `language`; `color` marks matches with bold
/// yellow instead of leaving them unmarked.
pub fn print_results(out: &mut dyn Write, results: &SearchResults, color: bool, language: Language) -> io::Result<()> {
    let chinese = language == Language::Chinese;
    if chinese {
        write!(out, "共 {} 篇报告（{:.1} 毫秒）", results.total, results.took_ms)?;
        if results.pages > 1 {
            write!(out, "，第 {} / {} 页", results.page, results.pages)?;
        }
    } else {
        let noun = if results.total == 1 { "report" } else { "reports" };
        write!(out, "{} {noun} match ({:.1} ms)", results.total, results.took_ms)?;
        if results.pages > 1 {
            write!(out, ", page {} of {}", results.page, results.pages)?;
        }
    }
    writeln!(out)?;
    if results.total == 0 {
        return Ok(());
    }
    let years: Vec<String> = results
        .facets
        .year
        .iter()
        .map(|y| format!("{} ({})", crate::content::stored_year_label(y.year), y.count))
        .collect();
    let labels = if chinese {
        ["  年份：  ", "  发文机关：", "  层级：  ", "  报告期："]
    } else {
        ["  years:   ", "  bodies:  ", "  levels:  ", "  periods: "]
    };
    writeln!(out, "{}{}", labels[0], years.join(" · "))?;
    writeln!(out, "{}{}", labels[1], counts(&results.facets.body, chinese))?;
    writeln!(out, "{}{}", labels[2], counts(&results.facets.level, chinese))?;
    writeln!(out, "{}{}", labels[3], counts(&results.facets.period, chinese))?;
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "{}. {}", (results.page - 1) * results.per_page + i + 1, hit.title)?;
        writeln!(
            out,
            "   {} · {} · {} · {}",
            hit.body,
            hit.level,
            crate::content::stored_year_label(hit.year),
            hit.period
        )?;
        writeln!(out, "   {}", hit.url)?;
        for s in &hit.snippets {
            let mut line = String::new();
            for fragment in &s.snippet.fragments {
                let text = fragment.text.replace('\n', " ");
                if fragment.marked && color {
                    line.push_str(&format!("\x1b[1;33m{text}\x1b[0m"));
                } else {
                    line.push_str(&text);
                }
            }
            writeln!(out, "   {line}")?;
        }
    }
    Ok(())
}

/// `某区 (3) · 某市 (1)`, the first twelve values.
fn counts(values: &[ValueCount], chinese: bool) -> String {
    let mut shown: Vec<String> = values.iter().take(12).map(|v| format!("{} ({})", v.value, v.count)).collect();
    if values.len() > 12 {
        let more = values.len() - 12;
        shown.push(if chinese { format!("另有 {more} 个") } else { format!("and {more} more") });
    }
    shown.join(" · ")
}
