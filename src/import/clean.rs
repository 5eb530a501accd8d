//! Cleaning imported text: keep every sentence of the report, drop the rest.
//!
//! A file pasted from a materials website or a PDF holds the report between
//! the site's clutter. The title splits it: the report starts at the line
//! that names a kind of report with a year or a body, and nothing before it
//! survives unless the report's text has already begun. After the last
//! sentence, what only a website writes goes (promotions, contact details,
//! copyright notices, "related articles" lists, end markers). Inside the
//! report only lines with strong evidence go: page furniture, contact lines
//! with advertising, lines repeated as running headers. Lines shared by many
//! files of one import count as clutter around the report.
//!
//! Lines broken in the middle of a sentence (hard line breaks of a PDF copy,
//! wiki links) are joined again; a blank line ends a paragraph.

use std::collections::{HashMap, HashSet};

use super::lines::*;

/// From one of these on (in the last third), the rest of a web page is not
/// the report.
const TAIL_MARKERS: &[&str] =
    &["相关报道", "相关链接", "相关附件", "相关阅读", "相关新闻", "相关文章", "打印本页", "关闭窗口", "【打印本页】"];
/// The Wikisource licence footer starts so.
const LICENCE_FOOTER: &[&str] = &["本作品是中华人民共和国的", "本作品来自", "本作品在全世界都属于公有领域"];
/// How far into a file the title is looked for, in non-blank lines.
const TITLE_SEARCH: usize = 40;

/// A file's report: its title (if one was found) and the lines after it,
/// with blank lines (`""`) where the file had them.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub title: Option<String>,
    pub lines: Vec<String>,
}

/// Short non-sentence lines found in at least three files and in one in
/// fifty: headers, footers, banners of the collection.
pub fn repeated_across_files(files: &[&[String]]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for lines in files {
        let unique: HashSet<&str> = lines.iter().map(String::as_str).collect();
        for line in unique {
            if !line.is_empty() && char_count(line) <= 60 && !ends_a_sentence(line) && !is_structure(line) {
                *counts.entry(line).or_default() += 1;
            }
        }
    }
    let threshold = 3.max(files.len().div_ceil(50));
    counts.into_iter().filter(|&(_, n)| n >= threshold).map(|(line, _)| line.to_owned()).collect()
}

/// Headings, datelines and salutations recur across a collection's files
/// because they are its structure, not its boilerplate.
fn is_structure(line: &str) -> bool {
    is_heading_text(line) || is_dateline(line) || is_salutation(line) || is_speaker_line(line)
}

/// A sentence that the report, not the website around it, would write.
fn is_report_sentence(line: &str) -> bool {
    ends_a_sentence(line) && char_count(line) >= 12 && clutter_score(line) <= 2
}

/// Where the title is: the first title line before the report's text
/// begins (a report sentence ends the search).
pub fn title_position(lines: &[String]) -> Option<usize> {
    for (i, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_empty()).take(TITLE_SEARCH) {
        // `…所作的` / `政府工作报告` / `。会议…`: a piece of a broken sentence.
        let continued = lines.get(i + 1).is_some_and(|next| next.starts_with(CONTINUES));
        if is_title(line) && !continued {
            return Some(i);
        }
        if is_report_sentence(line) {
            return None;
        }
    }
    None
}

/// Clutter in the tail, after the report's last sentence.
fn is_tail_clutter(line: &str, across: &HashSet<String>) -> bool {
    if line.is_empty()
        || is_end_marker(line)
        || is_related_header(line)
        || is_separator(line)
        || is_page_furniture(line)
        || is_article_meta(line)
        || is_widget(line)
    {
        return true;
    }
    let score = clutter_score(line);
    if ends_a_sentence(line) {
        // A closing notice such as `声明：本站资料仅供学习交流，如有侵权请联系删除。`,
        // or a short call to the reader (`喜欢就点个“在看”吧！`).
        (char_count(line) <= 80 && score >= 4) || (char_count(line) <= 20 && score >= 2)
    } else {
        // `1. 2021年度工作总结`: an item of a list of other reports.
        score >= 1 || is_title(without_list_number(line)) || across.contains(line)
    }
}

/// Clutter inside the report: only strong evidence counts, as a line here
/// may be a fragment of a sentence broken by the copy.
fn is_body_clutter(line: &str, across: &HashSet<String>) -> bool {
    if is_widget(line) || is_page_furniture(line) || is_separator(line) {
        return true;
    }
    let words = clutter_words(line);
    let score = 2 * words.strong + words.weak + if words.contact { 3 } else { 0 };
    // A line with a full stop inside is the report's text.
    let open = !ends_a_sentence(line) && !line.contains('。');
    (words.contact && (score >= 4 || char_count(line) <= 25) && (open || char_count(line) <= 60))
        || (open && char_count(line) <= 50 && words.strong >= 2 && score >= 5)
        || (open && char_count(line) <= 40 && score >= 1 && across.contains(line))
}

/// Clutter right under the title: page metadata and promotions.
fn is_front_clutter(line: &str, across: &HashSet<String>) -> bool {
    // When the page was posted (`2024-03-01 10:22`), ratings (`★★★★☆`).
    let posted = is_timestamp(line) && line.contains([':', '：', '时']);
    let decorated = !ends_a_sentence(line) && line.contains(['★', '☆', '◆', '◇', '■', '●', '|', '丨']);
    posted
        || decorated
        || is_article_meta(line)
        || across.contains(line)
        || is_separator(line)
        || has_contact_details(line)
        || {
            let words = clutter_words(line);
            let score = 2 * words.strong + words.weak;
            // A full stop inside makes a line the report's, not a promotion.
            if line.contains('。') && !ends_a_sentence(line) {
                false
            } else if ends_a_sentence(line) {
                char_count(line) <= 80 && score >= 4
            } else {
                char_count(line) <= 50 && ((score >= 3 && words.strong >= 1) || words.strong >= 2)
            }
        }
}

/// Short non-sentence lines seen three times or more in one file's body,
/// or twice with a word of advertising: running page headers and footers.
/// (A wiki link's text broken onto its own line repeats too: see
/// `is_running_header`.)
fn repeated_within(lines: &[String]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in lines {
        if !line.is_empty() && char_count(line) <= 40 && !ends_a_sentence(line) && !is_structure(line) {
            *counts.entry(line).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|&(line, n)| n >= 3 || (n == 2 && clutter_score(line) >= 1))
        .map(|(line, _)| line.to_owned())
        .collect()
}

/// A repeated line is a running header unless it carries on a broken
/// sentence: the line before is open, or the next starts with punctuation.
fn is_running_header(lines: &[String], i: usize) -> bool {
    let before = lines[..i].iter().rev().find(|l| !l.is_empty());
    let continues_previous = before.is_some_and(|p| !is_sentence(p) && !is_structure(p) && !is_title(p));
    let continued = lines.get(i + 1).is_some_and(|n| n.starts_with(CONTINUES));
    !continues_previous && !continued
}

/// Finds the title and drops everything that is not the report. `lines`
/// are normalized; empty ones stand for blank lines.
pub fn remove_boilerplate(mut lines: Vec<String>, across: &HashSet<String>) -> Cleaned {
    // The licence footer and everything after it.
    if let Some(at) = lines.iter().position(|l| LICENCE_FOOTER.iter().any(|f| l.starts_with(f))) {
        lines.truncate(at);
    }
    // From a "related links / print / close" marker in the last part on.
    let tail_start = lines.len() * 2 / 3;
    if let Some(at) = lines.iter().skip(tail_start).position(|l| TAIL_MARKERS.iter().any(|m| l.starts_with(m))) {
        lines.truncate(tail_start + at);
    }
    lines.retain(|l| l.is_empty() || !(is_widget(l) || is_page_furniture(l) || is_separator(l)));

    // Before the title: nothing (the title search stops where the report's
    // text begins, so no sentence of it is lost). Without a title: what the
    // collection repeats and what advertises, before the first sentence.
    let title = match title_position(&lines) {
        Some(at) => {
            let title = title_text(&lines[at]).to_owned();
            lines.drain(..=at);
            Some(title)
        }
        None => {
            let first_sentence = lines.iter().position(|l| is_report_sentence(l)).unwrap_or(lines.len());
            // The speaker's name under `国务院总理` is no boilerplate,
            // however many reports of theirs the import holds.
            let keep: Vec<bool> = (0..lines.len())
                .map(|i| {
                    let l = &lines[i];
                    let after_speaker =
                        lines[..i].iter().rev().find(|p| !p.is_empty()).is_some_and(|p| is_speaker_line(p));
                    i >= first_sentence
                        || is_structure(l)
                        || (after_speaker && char_count(l) <= 4)
                        || !(across.contains(l) || clutter_score(l) >= 2)
                })
                .collect();
            let mut flags = keep.into_iter();
            lines.retain(|_| flags.next().unwrap_or(true));
            None
        }
    };

    // Right under the title: the site's metadata and promotions.
    let mut front_end = 0;
    while front_end < lines.len().min(8) {
        let line = &lines[front_end];
        let after_speaker = lines[..front_end].iter().rev().find(|p| !p.is_empty()).is_some_and(|p| is_speaker_line(p));
        if is_dateline(line) || is_speaker_line(line) || (after_speaker && char_count(line) <= 4 && !line.is_empty()) {
            front_end += 1;
        } else if is_front_clutter(line, across) {
            // `来源：` with the source on the next line.
            let value_follows = is_article_meta(line) && line.ends_with([':', '：']);
            lines.remove(front_end);
            if value_follows && lines.get(front_end).is_some_and(|n| char_count(n) <= 20 && !is_sentence(n)) {
                lines.remove(front_end);
            }
        } else if line.is_empty() || is_timestamp(line) {
            front_end += 1;
        } else {
            break;
        }
    }

    // After the last sentence of the report: a "related" list or an end
    // marker closes it; then clutter is peeled off from the end.
    if let Some(last) = lines.iter().rposition(|l| is_report_sentence(l))
        && let Some(at) = lines[last + 1..].iter().position(|l| is_related_header(l) || is_end_marker(l))
    {
        lines.truncate(last + 1 + at);
    }
    while lines.last().is_some_and(|l| is_tail_clutter(l, across)) {
        lines.pop();
    }

    // Inside: strong clutter, running headers and repeats of the title.
    let within = repeated_within(&lines);
    let keep: Vec<bool> = (0..lines.len())
        .map(|i| {
            let l = &lines[i];
            let header = (within.contains(l) || title.as_deref() == Some(l.as_str())) && is_running_header(&lines, i);
            l.is_empty() || !(is_body_clutter(l, across) || header)
        })
        .collect();
    let mut flags = keep.into_iter();
    lines.retain(|_| flags.next().unwrap_or(true));

    // Trailing lines that repeat lines of the report itself (a copy of its
    // opening pasted after the end).
    while let Some(last) = lines.last() {
        if last.is_empty() || (char_count(last) >= 10 && lines[..lines.len() - 1].contains(last)) {
            lines.pop();
        } else {
            break;
        }
    }
    Cleaned { title, lines }
}

/// Joins lines broken inside a sentence: a line that starts with closing
/// punctuation belongs to the line before; so does a line after one that
/// ends mid-sentence, unless either is a heading, `stands_alone` says the
/// line stands alone (dateline, salutation), or a blank line is between
/// them. A file with a blank line after nearly every line, many of them
/// breaking sentences, uses them as line spacing, not as paragraph breaks.
pub fn join_broken_lines(lines: Vec<String>, stands_alone: impl Fn(&str) -> bool) -> Vec<String> {
    let text_lines = lines.iter().filter(|l| !l.is_empty()).count();
    let blank_lines = lines.iter().filter(|l| l.is_empty()).count();
    // Line spacing shows in long lines broken mid-sentence before a blank;
    // paragraphs end with a sentence (or are short headings).
    let broken_before_blank =
        lines.windows(2).filter(|w| w[1].is_empty() && !is_sentence(&w[0]) && char_count(&w[0]) >= 25).count();
    let spaced = text_lines > 4 && blank_lines * 10 >= text_lines * 8 && broken_before_blank * 10 >= blank_lines * 3;
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut after_blank = false;
    for line in lines {
        if line.is_empty() {
            after_blank = !spaced;
            continue;
        }
        if let Some(previous) = out.last_mut() {
            let previous_open = !is_sentence(previous) && !stands_alone(previous) && !is_heading_text(previous);
            let continues = line.starts_with(CONTINUES)
                || (previous_open && !after_blank && !is_heading_text(&line) && !stands_alone(&line));
            if continues {
                // Latin words broken at a line end get their space back; a
                // number broken (`超2` / `000个`) does not.
                let needs_space = previous.ends_with(|c: char| c.is_ascii_alphabetic())
                    && line.starts_with(|c: char| c.is_ascii_alphabetic());
                if needs_space {
                    previous.push(' ');
                }
                previous.push_str(&line);
                after_blank = false;
                continue;
            }
        }
        out.push(line);
        after_blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(normalize_line).collect()
    }

    #[test]
    fn broken_lines_are_joined() {
        let lines =
            ["李克强所作的", "政府工作报告", "。", "一、工作回顾", "过去一年", "很不平凡。"].map(String::from).to_vec();
        assert_eq!(
            join_broken_lines(lines, |_| false),
            ["李克强所作的政府工作报告。", "一、工作回顾", "过去一年很不平凡。"]
        );
    }

    #[test]
    fn a_blank_line_ends_a_paragraph() {
        let lines = ["加强组织领导", "", "全年召开会议12次。"].map(String::from).to_vec();
        assert_eq!(join_broken_lines(lines, |_| false), ["加强组织领导", "全年召开会议12次。"]);
    }

    /// Clutter worded unlike the benchmark's generator goes too.
    #[test]
    fn clutter_of_other_sites_goes_and_every_sentence_stays() {
        let text = "\
★ 精品公文资料 尽在写作大师网 ★
本文档为付费内容，购买后可下载完整版
   
扫码添加小助手，免费领取写作资料包！
【独家】内部资料 严禁外传】
2023年度某县农业农村局工作总结
作者：老李 | 阅读：1024 | 时间：2023-12-30

2023年，我局认真贯彻落实县委县政府决策部署，全面推进乡村振兴，
各项工作取得明显成效。现将有关情况总结如下：
一、主要工作
（一）粮食生产稳中有增。全年粮食播种面积
32.5万亩，总产量14.2万吨。
写作大师网 www.xiezuo.example
通过政务微信公众号发布农技信息260条，群众关注度明显提升。
二、下一步打算
持续抓好粮食生产，确保全年任务完成。
——全文完——
以上就是小编为大家整理的2023年度工作总结，希望对您有所帮助！
点击下载完整Word文档
猜你喜欢：
2024年农业农村局工作计划
2023年上半年工作总结
";
        let cleaned = remove_boilerplate(lines(text), &HashSet::new());
        assert_eq!(cleaned.title.as_deref(), Some("2023年度某县农业农村局工作总结"));
        let body = join_broken_lines(cleaned.lines, stands_alone);
        assert_eq!(
            body,
            [
                "2023年，我局认真贯彻落实县委县政府决策部署，全面推进乡村振兴，各项工作取得明显成效。现将有关情况总结如下：",
                "一、主要工作",
                "（一）粮食生产稳中有增。全年粮食播种面积32.5万亩，总产量14.2万吨。",
                "通过政务微信公众号发布农技信息260条，群众关注度明显提升。",
                "二、下一步打算",
                "持续抓好粮食生产，确保全年任务完成。",
            ]
        );
    }
}
