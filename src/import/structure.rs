//! The shape of a report: its title, the lines under it (dateline, source,
//! speaker), its headings (一、 → `##`, （一） → `###`, 1. and （1） → `####`)
//! and its paragraphs, written out as Markdown.

use super::Block;
use super::clean::is_sentence;

/// Words that name a kind of report: a line with one near the top is its title.
const REPORT_KINDS: &[&str] =
    &["报告", "总结", "要点", "计划", "决议", "讲话", "意见", "方案", "规划", "汇报", "述职", "纪要"];

/// The title and the lines that stand under it.
#[derive(Debug, Default, Clone)]
pub struct Front {
    pub title: Option<String>,
    /// `——2026年2月3日在…会议上`, speaker and source lines, kept as written.
    pub lines: Vec<String>,
}

fn starts_with_chinese_number(line: &str, suffix: char) -> bool {
    let digits: String = line.chars().take_while(|c| "一二三四五六七八九十百零〇".contains(*c)).collect();
    !digits.is_empty() && line[digits.len()..].starts_with(suffix)
}

/// The heading level a numbered line gets, if it is a heading: short and
/// not a sentence (a long `（一）…。` is a numbered paragraph).
pub fn heading_level(line: &str) -> Option<usize> {
    let short = line.chars().count() <= 40 && !line.trim_end().ends_with('。');
    if !short {
        return None;
    }
    if starts_with_chinese_number(line, '、') {
        return Some(2);
    }
    if let Some(rest) = line.strip_prefix(['（', '(']) {
        if starts_with_chinese_number(rest, '）') || starts_with_chinese_number(rest, ')') {
            return Some(3);
        }
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && rest[digits..].starts_with(['）', ')']) && line.chars().count() <= 30 {
            return Some(4);
        }
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && line[digits..].starts_with(['.', '．', '、']) && line.chars().count() <= 30 {
        return Some(4);
    }
    None
}

pub fn is_heading_text(line: &str) -> bool {
    heading_level(line).is_some()
}

/// A line naming the date and occasion: `——2025年1月15日在…会议上`.
pub fn is_dateline(line: &str) -> bool {
    let dashed = line.starts_with(['—', '-', '－']);
    let occasion =
        line.contains("会议上") || line.contains("大会上") || (line.contains("日在") && line.contains("会议"));
    (dashed && line.chars().count() <= 80) || (occasion && !is_sentence(line) && line.chars().count() <= 80)
}

/// `来源：解放日报`, `时间：2026-02-09`, `（来源：青海日报）`.
pub fn is_source_line(line: &str) -> bool {
    let line = line.trim_start_matches(['（', '(']);
    ["来源：", "来源:", "时间：", "时间:", "发布时间", "发布日期", "作者："].iter().any(|p| line.starts_with(p))
}

/// `上海市市长 龚 正`, `国务院总理 李强`: a short line naming an office.
pub fn is_speaker_line(line: &str) -> bool {
    let offices = ["市长", "省长", "主席", "总理", "区长", "县长", "书记", "主任", "州长", "盟长"];
    line.chars().count() <= 24 && !is_sentence(line) && offices.iter().any(|o| line.contains(o))
}

/// `2026年02月10日 07时41分`, `2026-02-09 10:30`: when a page was posted.
pub fn is_timestamp(line: &str) -> bool {
    line.chars().count() <= 25
        && line.chars().any(|c| c.is_ascii_digit())
        && line.chars().all(|c| c.is_ascii_digit() || " 年月日时分秒:：-/.".contains(c))
}

/// `各位代表：`, `同志们！`: a salutation opens the speech.
pub fn is_salutation(line: &str) -> bool {
    line.chars().count() <= 10 && line.ends_with(['：', ':', '！', '!'])
}

/// Lines of the front that never run on into the next line.
pub fn stands_alone(line: &str) -> bool {
    is_dateline(line) || is_source_line(line) || is_speaker_line(line) || is_timestamp(line) || is_salutation(line)
}

/// Where the title is: the first line above the first sentence that names
/// a kind of report (a numbered heading never is the title).
pub fn title_position(lines: &[String]) -> Option<usize> {
    lines
        .iter()
        .take(8)
        .take_while(|l| !is_sentence(l))
        .position(|l| names_a_report(l) && !is_dateline(l) && !is_source_line(l) && !is_heading_text(l))
}

pub fn names_a_report(line: &str) -> bool {
    line.chars().count() <= 60 && !is_sentence(line) && REPORT_KINDS.iter().any(|k| line.contains(k))
}

/// Finds the title among the first lines and the dateline, source and
/// speaker lines around it. Lines before the title that are not sentences
/// are page furniture and are dropped. Returns the front and the body lines.
pub fn split_front(lines: Vec<String>) -> (Front, Vec<String>) {
    let mut front = Front::default();
    let title_at = title_position(&lines);
    let mut rest: Vec<String> = match title_at {
        Some(at) => {
            let mut iter = lines.into_iter();
            let before: Vec<String> = iter.by_ref().take(at).collect();
            front.title = iter.next();
            // Before the title only sentences survive (none, usually).
            before.into_iter().filter(|l| is_sentence(l)).chain(iter).collect()
        }
        None => lines,
    };
    // The lines under the title: dateline (maybe broken over two lines),
    // source, time, speaker, in any order.
    let mut taken = 0;
    while taken < rest.len() && taken < 6 {
        let line = &rest[taken];
        if is_dateline(line) || is_source_line(line) || is_speaker_line(line) || is_timestamp(line) {
            let mut line = line.clone();
            // `国务院总理` with the name on the next line.
            if is_speaker_line(&line) && rest.get(taken + 1).is_some_and(|n| n.chars().count() <= 4 && !is_sentence(n))
            {
                line = format!("{line} {}", rest[taken + 1]);
                taken += 1;
            }
            // `来源:` with the source on the next line.
            if is_source_line(&line)
                && line.ends_with([':', '：'])
                && taken + 1 < rest.len()
                && !is_sentence(&rest[taken + 1])
            {
                line.push_str(&rest[taken + 1]);
                taken += 1;
            }
            // A dateline broken before `…会议上`.
            if is_dateline(&line)
                && !line.ends_with('上')
                && !line.ends_with("上）")
                && rest
                    .get(taken + 1)
                    .is_some_and(|next| next.chars().count() <= 40 && !is_sentence(next) && next.contains('上'))
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
    fn numbered_lines_become_headings_when_short() {
        assert_eq!(heading_level("一、2025年工作回顾"), Some(2));
        assert_eq!(heading_level("（三）打通供应链堵点"), Some(3));
        assert_eq!(heading_level("1. 加强组织领导"), Some(4));
        assert_eq!(heading_level("（2）强化督导"), Some(4));
        assert_eq!(heading_level("（一）坚持党的领导。全年召开党组会议12次，研究重大事项35项。"), None);
        assert_eq!(heading_level("十年来，我们坚持稳中求进"), None);
    }

    #[test]
    fn the_title_and_the_lines_under_it() {
        let lines = [
            "收藏",
            "2026年广东省政府工作报告",
            "——2026年1月26日在广东省第十四届",
            "人民代表大会第五次会议上",
            "来源：南方日报",
            "各位代表：",
        ]
        .map(String::from)
        .to_vec();
        let (front, rest) = split_front(lines);
        assert_eq!(front.title.as_deref(), Some("2026年广东省政府工作报告"));
        assert_eq!(front.lines, ["——2026年1月26日在广东省第十四届人民代表大会第五次会议上", "来源：南方日报"]);
        assert_eq!(rest, ["各位代表："]);
    }
}
