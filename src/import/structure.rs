//! The shape of a report: its title, the lines under it (dateline, source,
//! speaker), its headings (一、 → `##`, （一） → `###`, 1. and （1） → `####`)
//! and its paragraphs, written out as Markdown.

use super::Block;
use super::lines::*;

/// The lines that stand before the report's running text (the document's
/// own title line under a page's headline, the dateline, the speaker, the
/// salutation), kept as written; a speaker's name on its own line is put
/// beside the office, a dateline broken before `…会议上` is joined.
#[derive(Debug, Default, Clone)]
pub struct Front {
    pub lines: Vec<String>,
}

/// Takes the paragraphs before the first line of running text (or the
/// first heading) from `blocks`.
pub fn split_front(blocks: Vec<Block>) -> (Front, Vec<Block>) {
    let mut front = Front::default();
    let mut rest = std::collections::VecDeque::from(blocks);
    let paragraph = |b: Option<&Block>| match b {
        Some(Block::Paragraph(t)) if !is_report_text(t) && !is_heading_text(t) => Some(t.clone()),
        _ => None,
    };
    while front.lines.len() < 12
        && let Some(mut line) = paragraph(rest.front())
    {
        rest.pop_front();
        // `国务院总理` with the name on the next line.
        if is_speaker_line(&line)
            && let Some(name) = paragraph(rest.front()).filter(|n| char_count(n) <= 4 && !is_sentence(n))
        {
            line = format!("{} {name}", line.trim_end());
            rest.pop_front();
        }
        // A dateline broken before `…会议上`.
        if is_dateline(&line)
            && !line.ends_with('上')
            && !line.ends_with("上）")
            && let Some(next) = paragraph(rest.front())
                .filter(|n| char_count(n) <= 40 && !is_sentence(n) && n.contains('上') && !is_speaker_line(n))
        {
            line.push_str(&next);
            rest.pop_front();
        }
        front.lines.push(line);
    }
    (front, rest.into())
}

/// Splits a line where the source's own numbering starts a new item inside
/// it: `二、积极履行主体责任（一）扎实做好深化改革。…` → the heading, then
/// `（一）扎实做好深化改革。…`. A marker counts when the document's lines
/// also start with the next or previous number of its kind, and what stands
/// before it ends a sentence or is a short heading (not `包括（一）…`, an
/// enumeration inside a sentence).
pub fn split_run_in_numbering(lines: Vec<String>) -> Vec<String> {
    let starts: std::collections::HashSet<(char, u32)> =
        lines.iter().filter_map(|l| numbering_at(l, 0).map(|(kind, n, _)| (kind, n))).collect();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let mut rest = line.as_str();
        loop {
            let split = rest.char_indices().skip(1).find_map(|(at, _)| {
                let (kind, n, _) = numbering_at(rest, at)?;
                let sequence = starts.contains(&(kind, n + 1)) || (n > 1 && starts.contains(&(kind, n - 1)));
                let before = &rest[..at];
                let clause_start = before.rfind(['。', '；', '！', '？']).map_or(0, |i| i + 3);
                let clause = &before[clause_start..];
                // After a full stop, or after a numbered heading of its own
                // (`二、积极履行主体责任`), not inside a sentence (`包括（一）…`).
                let heading_before = clause.is_empty()
                    || (numbering_at(clause, 0).is_some()
                        && char_count(clause) <= 30
                        && !clause.contains(['，', '：', ',']));
                (sequence && heading_before && !before.ends_with(['：', '，', '、'])).then_some(at)
            });
            match split {
                Some(at) => {
                    out.push(rest[..at].to_owned());
                    rest = &rest[at..];
                }
                None => break,
            }
        }
        out.push(rest.to_owned());
    }
    out
}

/// A numbering marker at byte `at`: `（一）` (kind `（`), `一、` (kind `、`),
/// with its number and length.
fn numbering_at(line: &str, at: usize) -> Option<(char, u32, usize)> {
    let rest = &line[at..];
    let numeral = |s: &str| -> Option<(u32, usize)> {
        let len: usize = s.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).map(char::len_utf8).sum();
        let value = match s[..len].chars().collect::<Vec<_>>().as_slice() {
            ['十'] => 10,
            [d] => "一二三四五六七八九".chars().position(|x| x == *d)? as u32 + 1,
            ['十', d] => 11 + "一二三四五六七八九".chars().position(|x| x == *d)? as u32,
            _ => return None,
        };
        Some((value, len))
    };
    if let Some(inner) = rest.strip_prefix(['（', '(']) {
        let (n, len) = numeral(inner)?;
        inner[len..].starts_with(['）', ')']).then(|| ('（', n, rest.len() - inner.len() + len + 3))
    } else {
        let (n, len) = numeral(rest)?;
        // `一、` starts an item; `一是`, `十分` do not.
        (rest[len..].starts_with('、') && (at == 0 || !line[..at].ends_with(|c: char| "第".contains(c)))).then_some((
            '、',
            n,
            len + 3,
        ))
    }
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
        let blocks = [
            "——2026年1月26日在广东省第十四届",
            "人民代表大会第五次会议上",
            "广东省省长 王伟中",
            "各位代表：",
            "现在，我代表省人民政府，向大会报告工作，请予审议。",
        ]
        .map(|t| Block::Paragraph(t.into()))
        .to_vec();
        let (front, rest) = split_front(blocks);
        assert_eq!(
            front.lines,
            ["——2026年1月26日在广东省第十四届人民代表大会第五次会议上", "广东省省长 王伟中", "各位代表："]
        );
        assert_eq!(rest, [Block::Paragraph("现在，我代表省人民政府，向大会报告工作，请予审议。".into())]);
    }

    #[test]
    fn a_heading_run_into_its_paragraph_is_split_where_the_numbering_shows() {
        let lines = [
            "二、积极履行主体责任（一）扎实做好深化改革。全年召开会议12次。",
            "（二）持续抓好作风建设。坚持问题导向。",
            "工作主要包括（一）学习、（二）调研两项。",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            split_run_in_numbering(lines),
            [
                "二、积极履行主体责任",
                "（一）扎实做好深化改革。全年召开会议12次。",
                "（二）持续抓好作风建设。坚持问题导向。",
                "工作主要包括（一）学习、（二）调研两项。",
            ]
        );
    }
}
