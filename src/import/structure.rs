//! The shape of a report: its title, the lines under it (dateline, source,
//! speaker), its headings (一、 → `##`, （一） → `###`, 1. and （1） → `####`)
//! and its paragraphs, written out as Markdown.

use super::Block;
use super::lines::*;

/// The title and the lines that stand under it.
#[derive(Debug, Default, Clone)]
pub struct Front {
    pub title: Option<String>,
    /// `——2026年2月3日在…会议上` and speaker lines, kept as written.
    pub lines: Vec<String>,
}

/// Takes the dateline and speaker lines from under the title (the cleaner
/// has found the title and dropped the page's metadata). Returns the front
/// and the body lines.
pub fn split_front(title: Option<String>, mut rest: Vec<String>) -> (Front, Vec<String>) {
    let mut front = Front { title, lines: Vec::new() };
    let mut taken = 0;
    while taken < rest.len() && taken < 6 {
        let line = &rest[taken];
        if is_dateline(line) || is_speaker_line(line) || is_timestamp(line) {
            let mut line = line.clone();
            // `国务院总理` with the name on the next line.
            if is_speaker_line(&line) && rest.get(taken + 1).is_some_and(|n| char_count(n) <= 4 && !is_sentence(n)) {
                line = format!("{line} {}", rest[taken + 1]);
                taken += 1;
            }
            // A dateline broken before `…会议上`.
            if is_dateline(&line)
                && !line.ends_with('上')
                && !line.ends_with("上）")
                && rest
                    .get(taken + 1)
                    .is_some_and(|next| char_count(next) <= 40 && !is_sentence(next) && next.contains('上'))
            {
                line.push_str(&rest[taken + 1]);
                taken += 1;
            }
            front.lines.push(line);
            taken += 1;
        } else {
            break;
        }
    }
    rest.drain(..taken);
    (front, rest)
}

/// A line of text made safe as a Markdown paragraph: characters that would
/// start a heading, quote, list or table are escaped.
fn escape_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    if text.starts_with(['#', '>', '-', '+', '*', '|', '=', '`', '~']) {
        out.push('\\');
    }
    // `1. 加强…` would become an ordered list starting at 1.
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        out.push_str(&text[..digits]);
        out.push('\\');
        out.push_str(&text[digits..]);
        return out;
    }
    out.push_str(text);
    out
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The report body as Markdown.
pub fn to_markdown(front: &Front, blocks: &[Block]) -> String {
    let mut parts: Vec<String> = front.lines.iter().map(|l| escape_paragraph(l)).collect();
    for block in blocks {
        let part = match block {
            Block::Heading(level, text) => format!("{} {}", "#".repeat((level + 1).clamp(2, 6)), text.trim()),
            Block::Paragraph(text) => match heading_level(text) {
                Some(level) => format!("{} {}", "#".repeat(level), text),
                None => escape_paragraph(text),
            },
            Block::ListItem(text) => format!("- {}", text.trim()),
            Block::Table(rows) => {
                let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
                let row = |cells: &Vec<String>| {
                    let mut cells: Vec<String> = cells.iter().map(|c| table_cell(c)).collect();
                    cells.resize(width, String::new());
                    format!("| {} |", cells.join(" | "))
                };
                let mut lines = vec![row(&rows[0]), format!("|{}", " --- |".repeat(width))];
                lines.extend(rows[1..].iter().map(row));
                lines.join("\n")
            }
            Block::Markdown(text) => text.clone(),
        };
        parts.push(part);
    }
    // List items stay together; other blocks are separated by a blank line.
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let both_items = part.starts_with("- ") && parts[i - 1].starts_with("- ");
            out.push_str(if both_items { "\n" } else { "\n\n" });
        }
        out.push_str(part);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_under_the_title() {
        let lines = ["——2026年1月26日在广东省第十四届", "人民代表大会第五次会议上", "广东省省长 王伟中", "各位代表："]
            .map(String::from)
            .to_vec();
        let (front, rest) = split_front(Some("2026年广东省政府工作报告".into()), lines);
        assert_eq!(front.title.as_deref(), Some("2026年广东省政府工作报告"));
        assert_eq!(front.lines, ["——2026年1月26日在广东省第十四届人民代表大会第五次会议上", "广东省省长 王伟中"]);
        assert_eq!(rest, ["各位代表："]);
    }
}
