//! Cleaning imported text: keep every sentence of the report, drop the rest.
//!
//! Boilerplate is found by its nature more than by a list of phrases:
//! - web-page chrome and watermarks: a short list of the usual widgets, and
//!   lines that advertise (a phone number, QQ or WeChat with an invitation,
//!   "仅供学习", "禁止外传", subscription notices);
//! - lines repeated across the files of one import, or repeated within one
//!   file (page headers and footers), that are not sentences;
//! - anything before the title that is not a sentence, and everything after
//!   the report's end: from a "related links / print / close" marker on, and
//!   trailing lines that repeat the report's own opening;
//! - the Wikisource licence footer.
//!
//! Lines broken in the middle of a sentence (by wiki links, by copying from
//! a web page) are joined again.

use std::collections::{HashMap, HashSet};

/// Sentence-ending punctuation: a line that ends with one is a sentence.
const SENTENCE_END: &[char] = &['。', '！', '？', '；', '：', '”', '」', '』', '）', ')', '!', '?', ';', ':', '…'];
/// A line starting with one of these continues the previous line.
const CONTINUES: &[char] =
    &['。', '，', '、', '；', '：', '？', '！', '）', '」', '』', '”', '》', ',', '.', ';', ':', ')'];

/// Web-page widgets, matched whole.
const WIDGETS: &[&str] = &[
    "下载",
    "打印",
    "全屏",
    "收藏",
    "【字号：",
    "【字号:",
    "加大",
    "还原",
    "减小",
    "】",
    "关闭",
    "大",
    "中",
    "小",
    "扫一扫在手机打开当前页",
    "相关报道：",
    "相关报道",
    "分享到：",
    "分享到:",
    "分享：",
    "分享:",
    "分享到微信",
    "【打印本页】【关闭窗口】",
    "打印本页",
    "关闭窗口",
    "【关闭窗口】",
    "【打印本页】",
    "返回顶部",
    "Public domain",
    "false",
    "true",
    "责任编辑：",
    "字号",
    "默认",
    "[打印]",
    "[关闭]",
];
/// Lines starting so are page furniture.
const WIDGET_PREFIXES: &[&str] = &[
    "【字号",
    "【字体",
    "您的位置",
    "您现在的位置",
    "当前位置",
    "编辑：",
    "编辑:",
    "责任编辑",
    "来源：中国政府网",
    "分享到",
    "扫一扫",
    "打印本页",
    "关闭窗口",
];
/// From one of these on, the rest of the file is not the report.
const TAIL_MARKERS: &[&str] =
    &["相关报道", "相关链接", "相关附件", "相关阅读", "相关新闻", "相关文章", "打印本页", "关闭窗口", "【打印本页】"];
/// The Wikisource licence footer starts so.
const LICENCE_FOOTER: &[&str] = &["本作品是中华人民共和国的", "本作品来自", "本作品在全世界都属于公有领域"];

/// Zero-width characters and the BOM, dropped everywhere.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// One line, without invisible characters and without the spaces around it
/// (ASCII, U+3000 ideographic, NBSP, em spaces used as indents).
pub fn normalize_line(line: &str) -> String {
    let mut text: String = line.chars().filter(|&c| !is_invisible(c)).collect();
    // `四川日报【字体：`: a font-size widget glued to the end of a line.
    if let Some(at) = text.find("【字体").or_else(|| text.find("【字号")).filter(|&at| at > 0) {
        text.truncate(at);
    }
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}').to_owned()
}

pub fn is_sentence(line: &str) -> bool {
    line.ends_with(SENTENCE_END)
}

fn char_count(line: &str) -> usize {
    line.chars().count()
}

/// Page furniture: widgets, breadcrumbs, editor credits.
pub fn is_widget(line: &str) -> bool {
    WIDGETS.contains(&line)
        || WIDGET_PREFIXES.iter().any(|p| line.starts_with(p))
        || is_link_list_item(line)
        || is_photo_credit(line)
}

/// `…。 贵州日报天眼新闻记者 李森 摄`: the caption of a photo on the page.
fn is_photo_credit(line: &str) -> bool {
    line.chars().count() <= 80
        && (line.ends_with(" 摄") || line.ends_with("摄）"))
        && (line.contains("记者") || line.contains("摄影"))
}

/// `相关链接>>`, `abcd39f1fb7f426d9dfb6bd0fa1f2146:` and the like.
fn is_link_list_item(line: &str) -> bool {
    line.ends_with(">>")
        || line.ends_with("》》")
        || (line.len() >= 24 && line.trim_end_matches([':', '：']).chars().all(|c| c.is_ascii_hexdigit()))
}

/// Advertising and watermark lines: contact numbers, QQ and WeChat
/// promotions, "for study only" banners, subscription notices. A sentence of
/// the report that mentions WeChat is kept: only short lines that invite,
/// or carry a number, count.
pub fn is_promotional(line: &str) -> bool {
    let short = char_count(line) <= 60;
    if !short {
        return false;
    }
    const BANNERS: &[&str] =
        &["仅供学习", "禁止外传", "仅供参考", "版权所有", "转载请注明", "未经授权", "免责声明", "本文来源于网络"];
    if BANNERS.iter().any(|b| line.contains(b)) {
        return true;
    }
    let channel = ["QQ", "qq", "微信", "公众号", "微博", "抖音", "小程序"].iter().any(|c| line.contains(c));
    let invitation = ["关注", "扫码", "添加", "加群", "搜索", "订阅", "咨询", "联系", "客服", "号：", "号:", "群"]
        .iter()
        .any(|c| line.contains(c));
    // A sentence with clauses that mentions WeChat is the report talking.
    if channel && invitation && !line.contains('，') {
        return true;
    }
    let subscription =
        line.contains("订阅") && ["本站", "更多", "点击", "免费", "邮件", "资讯"].iter().any(|c| line.contains(c));
    subscription
        || (has_phone_number(line)
            && ["电话", "热线", "联系", "咨询", "手机", "Tel", "TEL"].iter().any(|c| line.contains(c)))
}

/// A run of 7 or more digits (a phone number), allowing one `-` after an area code.
fn has_phone_number(line: &str) -> bool {
    let mut digits = 0;
    let mut best = 0;
    for c in line.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            best = best.max(digits);
        } else if c != '-' || digits == 0 {
            digits = 0;
        }
    }
    best >= 7
}

/// Short non-sentence lines found in at least three files and in at least
/// a third of them: headers, footers, watermarks of the collection.
pub fn repeated_across_files(files: &[&[String]]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for lines in files {
        let unique: HashSet<&str> = lines.iter().map(String::as_str).collect();
        for line in unique {
            if char_count(line) <= 40 && !is_sentence(line) && !is_structure(line) {
                *counts.entry(line).or_default() += 1;
            }
        }
    }
    let threshold = 3.max(files.len().div_ceil(3));
    counts.into_iter().filter(|&(_, n)| n >= threshold).map(|(line, _)| line.to_owned()).collect()
}

/// Headings, datelines and source lines recur across a collection's files
/// because they are its structure, not its boilerplate.
fn is_structure(line: &str) -> bool {
    use crate::import::structure::{is_dateline, is_heading_text, is_source_line};
    is_heading_text(line) || is_dateline(line) || is_source_line(line)
}

/// Short non-sentence lines seen three times or more in one file: running
/// page headers and footers.
fn repeated_within(lines: &[String]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for line in lines {
        if char_count(line) <= 40 && !is_sentence(line) && !is_structure(line) {
            *counts.entry(line).or_default() += 1;
        }
    }
    counts.into_iter().filter(|&(_, n)| n >= 3).map(|(line, _)| line.to_owned()).collect()
}

/// Drops everything that is not the report. `lines` are normalized and non-empty.
pub fn remove_boilerplate(mut lines: Vec<String>, across_files: &HashSet<String>) -> Vec<String> {
    // The licence footer and everything after it.
    if let Some(at) = lines.iter().position(|l| LICENCE_FOOTER.iter().any(|f| l.starts_with(f))) {
        lines.truncate(at);
    }
    // From a "related links / print / close" marker in the last part on.
    let tail_start = lines.len() * 2 / 3;
    if let Some(at) = lines.iter().skip(tail_start).position(|l| TAIL_MARKERS.iter().any(|m| l.starts_with(m))) {
        lines.truncate(tail_start + at);
    }
    lines.retain(|l| !is_widget(l) && !is_promotional(l));
    let within = repeated_within(&lines);
    // Lines the whole collection repeats count as boilerplate only around
    // the report: before its first sentence (except its title) or after its
    // last. In the text they may be pieces of a sentence broken the same way.
    let first_sentence = lines.iter().position(|l| is_sentence(l)).unwrap_or(lines.len());
    let last_sentence = lines.iter().rposition(|l| is_sentence(l)).unwrap_or(0);
    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let around = (i < first_sentence && !crate::import::structure::names_a_report(line)) || i > last_sentence;
        // A line repeated in one file is a running header unless it carries
        // on a broken sentence (the line before is open, or the next one
        // starts with punctuation).
        let repeated = (across_files.contains(line) && around) || within.contains(line);
        let continues_previous = kept.last().is_some_and(|p| !is_sentence(p) && !is_structure(p));
        let continued = lines.get(i + 1).is_some_and(|n| n.starts_with(CONTINUES));
        if repeated && !continues_previous && !continued {
            continue;
        }
        kept.push(line.clone());
    }
    lines = kept;
    // Trailing lines that repeat lines of the report itself (a copy of its
    // opening pasted after the end).
    while let Some(last) = lines.last() {
        let repeats = lines[..lines.len() - 1].contains(last);
        if repeats {
            lines.pop();
        } else {
            break;
        }
    }
    lines
}

/// Joins lines broken inside a sentence: a line that starts with closing
/// punctuation belongs to the line before; so does a line after one that
/// ends mid-sentence, unless either is a heading or `keep` says the line
/// stands alone (title, dateline).
pub fn join_broken_lines(lines: Vec<String>, stands_alone: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(previous) = out.last_mut() {
            let previous_open = !is_sentence(previous)
                && !stands_alone(previous)
                && !crate::import::structure::is_heading_text(previous);
            let continues = line.starts_with(CONTINUES)
                || (previous_open && !crate::import::structure::is_heading_text(&line) && !stands_alone(&line));
            if continues {
                let needs_space = previous.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line.starts_with(|c: char| c.is_ascii_alphanumeric());
                if needs_space {
                    previous.push(' ');
                }
                previous.push_str(&line);
                continue;
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotions_are_told_from_sentences() {
        assert!(is_promotional("关注微信公众号“某某资料库”获取更多范文"));
        assert!(is_promotional("本资料仅供学习交流 禁止外传"));
        assert!(is_promotional("咨询电话：010-12345678"));
        assert!(is_promotional("加QQ群：123456789 免费下载"));
        assert!(!is_promotional("持续关注民生，推动“微信办事”全覆盖，群众满意度明显提升。"));
        assert!(!is_promotional("全年接听12345热线电话来电120万件，办结率99%，群众满意率持续提升，服务水平不断提高。"));
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
}
