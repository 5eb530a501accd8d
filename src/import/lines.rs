//! What one line of an imported file is, judged on its own: a sentence, a
//! heading, a title, a dateline, or clutter (advertising, contact details,
//! page furniture). `clean` and `structure` both decide with these.
//!
//! Clutter is recognised by its nature, not by one site's phrases: contact
//! details, the vocabulary of promotion, membership, copyright warnings and
//! article metadata, and the shapes of page furniture. Where the line stands
//! (before the title, after the last sentence, inside the report) decides
//! how much evidence is enough; that is `clean`'s part.

/// Sentence-ending punctuation: a line that ends with one is a sentence.
pub const SENTENCE_END: &[char] = &['。', '！', '？', '；', '：', '”', '」', '』', '）', ')', '!', '?', ';', ':', '…'];
/// A line starting with one of these continues the previous line.
pub const CONTINUES: &[char] =
    &['。', '，', '、', '；', '：', '？', '！', '）', '」', '』', '”', '》', ',', '.', ';', ':', ')', ']', '］'];

/// Words that name a kind of report; a title ends with one.
const REPORT_KINDS: &[&str] =
    &["报告", "总结", "要点", "计划", "安排", "决议", "讲话", "意见", "方案", "规划", "汇报", "述职", "纪要", "打算"];

/// Zero-width characters and the BOM, dropped everywhere.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// `\u{200B}` alone: a line with invisible characters and nothing else.
pub fn is_only_invisible(line: &str) -> bool {
    line.chars().any(is_invisible) && line.chars().all(|c| is_invisible(c) || c.is_whitespace())
}

/// One line, without invisible characters and without the spaces around it
/// (ASCII, U+3000 ideographic, NBSP, em spaces used as indents). No letter
/// is dropped: what cleaning removes, it records.
pub fn normalize_line(line: &str) -> String {
    let text: String = line.chars().filter(|&c| !is_invisible(c)).collect();
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}').to_owned()
}

/// Where a font-size widget glued to the end of a line starts:
/// `四川日报【字体：` → the `【字体：` part.
pub fn glued_widget(line: &str) -> Option<usize> {
    line.find("【字体").or_else(|| line.find("【字号")).filter(|&at| at > 0)
}

/// A Han character (CJK ideograph).
pub fn is_han(c: char) -> bool {
    is_cjk(c)
}

pub fn han_count(line: &str) -> usize {
    line.chars().filter(|&c| is_han(c)).count()
}

/// A line of the report's running text: a sentence of some length, or a
/// long stretch of text with clause punctuation (a paragraph that lacks its
/// full stop, or a piece of one broken by a copy). Clutter never counts.
pub fn is_report_text(line: &str) -> bool {
    let han = han_count(line);
    let sentence = ends_a_sentence(line) && han >= 6;
    let clauses = han >= 20 && line.contains(['，', '、', '；', ',']);
    (sentence || clauses) && !looks_like_clutter(line)
}

/// Evidence that a line is the site's, whatever its place: contact details,
/// promotion, page metadata, a rights notice, a widget, an editor's note.
pub fn looks_like_clutter(line: &str) -> bool {
    let words = clutter_words(line);
    let score = 2 * words.strong + words.weak;
    words.contact
        || is_rights_notice(line)
        || is_notice_about_the_text(line)
        || is_widget(line)
        || is_editor_note(line)
        || is_page_metadata(line)
        || label_value(line).is_some_and(|(_, value)| !is_report_text_shape(value))
        || (char_count(line) <= 80 && score >= 4 && words.strong >= 1)
}

/// `编者按：本文为…`, `导读：…`: a note by whoever republished the report.
pub fn is_editor_note(line: &str) -> bool {
    let Some(at) = line.find(['：', ':']) else { return false };
    let label = &line[..at];
    let n = char_count(label);
    (2..=4).contains(&n) && han_count(label) == n && (label.ends_with('按') || label == "导读" || label == "编者的话")
}

/// What a page says about the article, whatever its labels: a posting time
/// with its hour (`原创 云溪人社 2024年07月09日 17:32`, `楼主 … 发表于 2024-7-3
/// 21:14:05`), a newspaper's date and weekday (`海南日报 2025年01月21日 星期二`),
/// a news agency's dateline (`新华社北京3月12日电`), or two labelled values
/// on one line (`上传时间：2026-02-10　页数：18页`).
pub fn is_page_metadata(line: &str) -> bool {
    if char_count(line) > 90 || line.contains('。') {
        return false;
    }
    let has_date = {
        let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit()).count();
        (line.contains('年') && line.contains('月') && line.contains('日'))
            || line.split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.' || c == '/')).any(|part| {
                let fields: Vec<&str> = part.split(['-', '.', '/']).filter(|f| !f.is_empty()).collect();
                fields.len() == 3 && digits(fields[0]) == 4
            })
    };
    let has_time = line.char_indices().any(|(i, c)| {
        c == ':'
            && line[..i].ends_with(|d: char| d.is_ascii_digit())
            && line[i + 1..].chars().take(2).all(|d| d.is_ascii_digit())
    }) || (line.contains('时') && line.contains('分') && line.chars().any(|c| c.is_ascii_digit()));
    let weekday = ["星期", "周一", "周二", "周三", "周四", "周五", "周六", "周日"].iter().any(|w| line.contains(w));
    let agency = char_count(line) <= 24 && line.ends_with('电') && line.contains('月') && line.contains('日');
    let labelled = line
        .split(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '|' || c == '丨')
        .filter(|part| label_value(part).is_some_and(|(_, v)| !v.is_empty()))
        .count()
        >= 2;
    (has_date && (has_time || weekday)) || agency || labelled
}

/// A sentence shape, without the clutter test (for a label's value).
fn is_report_text_shape(text: &str) -> bool {
    let han = han_count(text);
    (ends_a_sentence(text) && han >= 12) || (han >= 20 && text.contains(['，', '、', '；']))
}

/// `来源：陕西省人民政府`, `时间：`, `阅读量：1024`: a short label (at most
/// six letters) and a colon, then a short value or nothing. `各位代表：` has
/// the shape too: what follows it tells a salutation from a label.
pub fn label_value(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start_matches(['（', '(', '【', '[']);
    let at = line.find(['：', ':'])?;
    let label = line[..at].trim();
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let plain = label.chars().all(|c| c.is_alphabetic() || c == ' ');
    let value = line[at + line[at..].chars().next().map_or(1, char::len_utf8)..].trim();
    let value = value.trim_end_matches(['）', ')', '】', ']']);
    (plain && (1..=6).contains(&letters) && han_count(label) == letters && char_count(value) <= 40)
        .then_some((label, value))
}

/// `>`, `»`, `/`: a line that only separates the items of a breadcrumb.
pub fn is_crumb_separator(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| ">＞»›→/|丨".contains(c) || c.is_whitespace())
}

/// A note about the text's rights: it names the work itself (本作品, 本文,
/// 本站资料 …) and a right (著作权, 版权, 公有领域, 授权 …).
pub fn is_rights_notice(line: &str) -> bool {
    names_the_text_itself(&line.to_lowercase()) && names_rights(line)
}

/// `著作权`, `公有领域`, `copyright` …: the words of a rights notice.
pub fn names_rights(line: &str) -> bool {
    let lower = line.to_lowercase();
    ["著作权", "版权", "公有领域", "授权", "侵权", "许可协议", "public domain", "copyright", "license"]
        .iter()
        .any(|w| lower.contains(w))
}

/// `本作品来自1949年10月1日（含）之后的中国共产党文件。…` whose rights words
/// come a few lines on (a wiki's notice, cut into pieces by its links): a
/// line that begins by naming the text itself.
pub fn begins_by_naming_the_text(line: &str) -> bool {
    let lower = line.to_lowercase();
    ["本作品", "本文", "本文档", "this work", "本模板"].iter().any(|w| lower.starts_with(w))
}

/// `本文内容仅供参考，请结合实际情况修改使用！`, `声明：资料来源于网络，仅用于
/// 学习交流`: a page's notice about the text it carries, not the text.
pub fn is_notice_about_the_text(line: &str) -> bool {
    let lower = line.to_lowercase();
    let advice = ["仅供", "参考", "学习交流", "请勿", "转载", "下载", "修改使用", "来源于网络", "删除"]
        .iter()
        .filter(|w| lower.contains(*w))
        .count();
    let labelled = ["声明", "免责声明", "温馨提示", "提示", "说明"]
        .iter()
        .any(|l| lower.strip_prefix(l).is_some_and(|rest| rest.starts_with(['：', ':'])));
    char_count(line) <= 80 && ((names_the_text_itself(&lower) && advice >= 1) || (labelled && advice >= 1))
}

fn names_the_text_itself(lower: &str) -> bool {
    ["本作品", "本文", "本资料", "本文档", "本站", "本网", "this work", "本模板", "本范文", "以上内容", "以上资料"]
        .iter()
        .any(|w| lower.contains(w))
}

/// A line of Latin letters only (`Public domain`, `false`) in a report
/// written in Chinese: markup or page furniture, not its text.
pub fn is_latin_only(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && han_count(line) == 0 && char_count(line) <= 40 && !line.contains(['。', '，'])
}

/// `abcd39f1fb7f426d9dfb6bd0fa1f2146:`, a link's id left by a page.
pub fn is_hex_id(line: &str) -> bool {
    line.len() >= 16 && line.trim_end_matches([':', '：']).chars().all(|c| c.is_ascii_hexdigit())
}

/// `2026-02-02 09:20`, `2026年02月10日 07时41分`: when a page was posted,
/// with the time of day (a report's own date has none).
pub fn is_posting_time(line: &str) -> bool {
    is_timestamp(line) && (line.contains([':', '：', '时']) || (line.contains('-') && !line.contains('年')))
}

pub fn char_count(line: &str) -> usize {
    line.chars().count()
}

pub fn is_sentence(line: &str) -> bool {
    line.ends_with(SENTENCE_END)
}

/// A sentence as a report ends one: 。！？ or ；, not a colon or a bracket.
pub fn ends_a_sentence(line: &str) -> bool {
    line.ends_with(['。', '！', '？', '；', '!', '?', ';', '…'])
}

fn starts_with_chinese_number(line: &str, suffix: char) -> bool {
    let digits: String = line.chars().take_while(|c| "一二三四五六七八九十百零〇".contains(*c)).collect();
    !digits.is_empty() && line[digits.len()..].starts_with(suffix)
}

/// The heading level a numbered line gets, if it is a heading: short and
/// not a sentence (a long `（一）…。` is a numbered paragraph).
pub fn heading_level(line: &str) -> Option<usize> {
    // A `（一）…。` with a full stop inside is a numbered paragraph.
    let short = char_count(line) <= 40 && !line.contains('。');
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
        if digits > 0 && rest[digits..].starts_with(['）', ')']) && char_count(line) <= 30 {
            return Some(4);
        }
    }
    // `1. 加强…`, `2、…`, but not `6.5%`.
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    let mut after = line[digits..].chars();
    if digits > 0
        && matches!(after.next(), Some('.' | '．' | '、'))
        && after.next().is_some_and(|c| !c.is_ascii_digit())
        && char_count(line) <= 30
    {
        return Some(4);
    }
    None
}

/// `一、…`, `一是…`, `（二）…`, `3.…`, `——…`: a line that starts an item of
/// a list, whatever its length.
pub fn starts_an_item(line: &str) -> bool {
    let numbered = without_list_number(line) != line
        || starts_with_chinese_number(line, '、')
        || starts_with_chinese_number(line, '是')
        || line.starts_with('第') && line.chars().nth(1).is_some_and(|c| "一二三四五六七八九十".contains(c));
    numbered || line.starts_with(['—', '（', '(']) || is_heading_text(line)
}

pub fn is_heading_text(line: &str) -> bool {
    heading_level(line).is_some()
}

/// A line naming the date and occasion: `——2025年1月15日在…会议上`.
pub fn is_dateline(line: &str) -> bool {
    // `（2026年1月27日在贵州省…会议上）`: the same in brackets.
    let inner = line.strip_prefix(['（', '(']).and_then(|l| l.strip_suffix(['）', ')']));
    let bracketed = inner.is_some();
    let line = inner.unwrap_or(line);
    // `——2025年1月15日在…`, `——在…会议上的讲话`; not a `——经济运行稳中有进。…`
    // paragraph of a list.
    let dashed = line.starts_with(['—', '-', '－'])
        && !line.contains('。')
        && ["年", "日", "会", "在"].iter().any(|w| line.contains(w));
    let occasion =
        line.contains("会议上") || line.contains("大会上") || (line.contains("日在") && line.contains("会议"));
    // `（2017年10月18日）` under a speech's title: the date alone, in brackets.
    if bracketed && is_full_date(line) {
        return true;
    }
    (dashed && char_count(line) <= 80 && !is_page_furniture(line))
        || (occasion && !is_sentence(line) && char_count(line) <= 80)
}

/// `2017年10月18日` and nothing else.
fn is_full_date(text: &str) -> bool {
    let text = text.trim();
    let Some((year, rest)) = text.split_once('年') else { return false };
    let Some((month, rest)) = rest.split_once('月') else { return false };
    let Some(day) = rest.strip_suffix('日') else { return false };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_digit())
    };
    digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)
}

/// The metadata a web page puts under a title: `来源：解放日报`,
/// `时间：2026-02-09`, `（来源：X  编辑：小王）`, `发布时间：… 浏览次数：…`.
pub fn is_article_meta(line: &str) -> bool {
    let line = line.trim_start_matches(['（', '(', '【', '[']);
    const LABELS: &[&str] = &[
        "来源",
        "文章来源",
        "信息来源",
        "时间",
        "发布时间",
        "发布日期",
        "更新时间",
        "日期",
        "作者",
        "编辑",
        "责任编辑",
        "浏览",
        "浏览次数",
        "阅读",
        "阅读量",
        "阅读次数",
        "点击",
        "点击数",
        "点击量",
        "字数",
        "供稿",
        "投稿",
        "出处",
    ];
    let labelled = |text: &str| LABELS.iter().any(|l| text.starts_with(l) && text[l.len()..].starts_with([':', '：']));
    labelled(line)
        || (char_count(line) <= 80 && line.split([' ', '\u{3000}', '|', '丨']).filter(|p| labelled(p)).count() >= 2)
}

/// `上海市市长 龚 正`, `国务院总理 李强`: a short line naming an office
/// (not `省长赵刚作政府工作报告`, a caption saying what the speaker did).
pub fn is_speaker_line(line: &str) -> bool {
    let offices = ["市长", "省长", "主席", "总理", "区长", "县长", "书记", "主任", "州长", "盟长"];
    char_count(line) <= 24
        && !is_sentence(line)
        && offices.iter().any(|o| line.contains(o))
        && !line.contains("报告")
        && !line.contains("讲话")
}

/// `2026年02月10日 07时41分`, `2026-02-09 10:30`: when a page was posted.
pub fn is_timestamp(line: &str) -> bool {
    char_count(line) <= 25
        && line.chars().any(|c| c.is_ascii_digit())
        && line.chars().all(|c| c.is_ascii_digit() || " 年月日时分秒:：-/.".contains(c))
}

/// `各位代表：`, `同志们！`: a salutation opens the speech.
pub fn is_salutation(line: &str) -> bool {
    char_count(line) <= 10 && line.ends_with(['：', ':', '！', '!'])
}

/// Lines of the front that never run on into the next line.
pub fn stands_alone(line: &str) -> bool {
    is_dateline(line) || is_article_meta(line) || is_speaker_line(line) || is_timestamp(line) || is_salutation(line)
}

/// A line naming a kind of report somewhere (file names, loose titles).
pub fn names_a_report(line: &str) -> bool {
    char_count(line) <= 60 && !is_sentence(line) && REPORT_KINDS.iter().any(|k| line.contains(k))
}

/// A title: a short line that ends with a kind of report (`…工作总结`,
/// `…情况的报告`, `…工作安排`, perhaps followed by `（草案）`) and names a
/// year or what issued it, without sentence punctuation or advertising.
pub fn is_title(line: &str) -> bool {
    let line = title_text(line);
    // A title has no sentence punctuation, and no colon (`01_国家级：…报告`
    // is an item of a list; a label before a title is taken off above).
    if char_count(line) > 60 || char_count(line) < 4 || line.contains(['。', '！', '？', '，', '!', '?', '：', ':'])
    {
        return false;
    }
    if is_heading_text(line)
        || is_dateline(line)
        || is_article_meta(line)
        || is_widget(line)
        || clutter_score(line) >= 2
    {
        return false;
    }
    // `（草案）`, `（2020年）`: a note in brackets may close a title.
    let core = match line.rfind(['（', '(']) {
        Some(at) if line.ends_with(['）', ')']) && at > 0 => &line[..at],
        _ => line,
    };
    let Some(kind) = REPORT_KINDS.iter().find(|k| core.ends_with(*k)) else { return false };
    let before = &core[..core.len() - kind.len()];
    let before = before.trim_end_matches("工作").trim_end_matches('的');
    let names = before.chars().filter(|c| is_cjk(*c) || c.is_ascii_alphabetic()).count();
    before.chars().any(|c| c.is_ascii_digit() || "〇一二三四五六七八九".contains(c)) && before.contains('年')
        || names >= 2
}

fn is_cjk(c: char) -> bool {
    wenku_engine::analyzer::classify(c) == wenku_engine::analyzer::Class::Cjk
}

/// The title a line holds: without a Markdown level-one heading mark, and
/// without a materials site's label (`without_sample_label`).
pub fn title_text(line: &str) -> &str {
    without_sample_label(line.strip_prefix("# ").unwrap_or(line).trim_start())
}

/// A title without the label a materials site puts before it:
/// `篇一：2020年工作总结`, `范文3：…`, `【精选】…` → the title itself.
pub fn without_sample_label(title: &str) -> &str {
    let mut rest = title;
    // `【精选】…`, `（两会受权发布）…`: a tag in brackets before the title.
    for (open, close) in [('【', '】'), ('（', '）'), ('[', ']')] {
        if let Some(after) = rest.strip_prefix(open).and_then(|r| r.split_once(close)).map(|(_, after)| after)
            && char_count(after) >= 4
        {
            rest = after;
        }
    }
    for label in ["范文", "篇", "例文", "文章", "材料", "样文"] {
        if let Some(after) = rest.strip_prefix(label) {
            let number: usize = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
                .map(char::len_utf8)
                .sum();
            if let Some(title) = after[number..].strip_prefix(['：', ':', '、', ' ']) {
                return title.trim_start();
            }
        }
    }
    rest
}

/// A line without its list number: `1. 2021年度工作总结` → `2021年度工作总结`.
pub fn without_list_number(line: &str) -> &str {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    match line[digits..].strip_prefix(['.', '．', '、', ')', '）']) {
        Some(rest) if digits > 0 && digits <= 2 => rest.trim_start(),
        _ => line,
    }
}

/// A line without a letter, digit or Chinese character: `======`, `★★★`,
/// `—— · ——`.
pub fn is_separator(line: &str) -> bool {
    let decorative = |c: char| "=-_*~#+.·•…—─━═～☆★◆◇■□●○※→←↓↑>|/\\".contains(c) || c.is_whitespace();
    !line.is_empty()
        && !line.chars().any(char::is_alphanumeric)
        && !line.starts_with(CONTINUES)
        && (char_count(line) >= 3 || line.chars().all(decorative))
}

/// Page numbers and running footers: `- 3 -`, `第 3 页`, `第3页 共12页`,
/// `3 / 12`, `Page 3`, `某某文库 第3页`.
pub fn is_page_furniture(line: &str) -> bool {
    if char_count(line) > 30 {
        return false;
    }
    // `—— 某某文库 ——`, `※ 内部资料 ※`: a short name between rules.
    let rule = |c: char| "—-－=~～·•※*★☆◆◇■□".contains(c);
    if line.starts_with(rule) && line.ends_with(rule) && !is_end_marker(line) {
        let inner = line.trim_matches(|c: char| rule(c) || c.is_whitespace());
        if !inner.is_empty() && char_count(inner) <= 15 {
            return true;
        }
    }
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let bare = squeezed.trim_matches(|c: char| "-—–－_·.•()（）[]【】".contains(c));
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if number(bare) {
        return true;
    }
    if let Some((a, b)) = bare.split_once('/')
        && number(a)
        && number(b)
    {
        return true;
    }
    let lower = bare.to_lowercase();
    if lower.strip_prefix("page").is_some_and(|rest| rest.chars().next().is_some_and(|c| c.is_ascii_digit())) {
        return true;
    }
    // `第3页`, `共12页`, `第 3 页 共 12 页`, `某某文库 第3页`: a page number,
    // perhaps after a short name; not a note citing a page
    // (`③ 毛泽东：《实践论》，…第285页。`).
    let chars: Vec<char> = squeezed.chars().collect();
    let numbered = chars.windows(3).any(|w| (w[0] == '第' || w[0] == '共') && w[1].is_ascii_digit())
        && chars.windows(2).any(|w| w[0].is_ascii_digit() && w[1] == '页');
    numbered && !squeezed.contains(['，', '。', '《', '》', '：', '；', '、'])
}

/// Web-page widgets, matched whole or as the start of a line.
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
    "相关报道：",
    "相关报道",
    "分享到：",
    "分享到:",
    "分享：",
    "分享:",
    "Public domain",
    "false",
    "true",
    "字号",
    "默认",
    "[打印]",
    "[关闭]",
    "返回顶部",
];
const WIDGET_PREFIXES: &[&str] = &[
    "【字号",
    "【字体",
    "您的位置",
    "您现在的位置",
    "当前位置",
    "分享到",
    "扫一扫",
    "打印本页",
    "关闭窗口",
    "【打印本页】",
    "【关闭窗口】",
];

/// Page widgets, breadcrumbs, photo captions, link-list items.
pub fn is_widget(line: &str) -> bool {
    // `↑返回顶部`, `【下载】`: the same widgets with arrows or brackets around.
    let bare = line.trim_matches(|c: char| "↑↓←→⇧⇩▲▼△▽^[]<>()（）|·•*#【】 ".contains(c));
    let bare = if bare.is_empty() || bare == line { line } else { bare };
    WIDGETS.contains(&line)
        || WIDGETS.contains(&bare)
        || is_breadcrumb(line)
        || WIDGET_PREFIXES.iter().any(|p| line.starts_with(p))
        || line.ends_with(">>")
        || line.ends_with("》》")
        || (line.len() >= 24 && line.trim_end_matches([':', '：']).chars().all(|c| c.is_ascii_hexdigit()))
        || is_photo_credit(line)
        || is_hex_id(line)
        || is_button_row(line)
}

/// `[打印] [关闭]`, `字号：[大] [中] [小]`, `【收藏】【打印】`: a row of short
/// bracketed words (buttons), perhaps after a short label.
fn is_button_row(line: &str) -> bool {
    let rest = match line.split_once(['：', ':']) {
        Some((label, rest)) if char_count(label) <= 4 => rest,
        _ => line,
    };
    let mut buttons = 0;
    let mut rest = rest.trim();
    while let Some(open) = rest.chars().next().filter(|c| "[【［".contains(*c)) {
        let close = match open {
            '[' => ']',
            '【' => '】',
            _ => '］',
        };
        let Some(end) = rest.find(close) else { return false };
        let word = &rest[open.len_utf8()..end];
        if !(1..=4).contains(&char_count(word)) {
            return false;
        }
        buttons += 1;
        rest = rest[end + close.len_utf8()..].trim_start();
    }
    rest.is_empty() && buttons >= 2
}

/// `首页 > 工作总结`, `首页 » 政务公开 » 计划总结`: where a page sits.
fn is_breadcrumb(line: &str) -> bool {
    char_count(line) <= 60
        && (line.starts_with("首页") || line.starts_with("网站首页") || line.contains(['>', '＞', '»', '›']))
        && !ends_a_sentence(line)
}

/// `…。 贵州日报天眼新闻记者 李森 摄`, `（本报记者 戴冰摄）`, `摄影：王五`:
/// the credit of a photo on the page, which ends its caption.
pub fn is_photo_credit(line: &str) -> bool {
    let bare = line.trim_end_matches(['）', ')', '。', ' ']);
    char_count(line) <= 120
        && ((bare.ends_with('摄') && (line.contains("记者") || line.contains("摄影") || bare.ends_with(" 摄")))
            || bare.starts_with("摄影：")
            || bare.starts_with("图片来源"))
}

/// `（全文完）`, `—完—`, `（节选完）`, `END`: the page says the text is over.
pub fn is_end_marker(line: &str) -> bool {
    let bare: String = line.chars().filter(|c| c.is_alphanumeric()).collect();
    let lower = bare.to_lowercase();
    matches!(lower.as_str(), "end" | "the end" | "全文结束" | "结束")
        || (lower.ends_with('完') && char_count(&lower) <= 4 && char_count(line) <= 10)
}

/// `相关推荐：`, `猜你喜欢`, `上一篇：…`: the start of a list of other pages.
pub fn is_related_header(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "相关",
        "推荐阅读",
        "推荐文章",
        "推荐范文",
        "猜你喜欢",
        "延伸阅读",
        "热门",
        "精彩推荐",
        "更多推荐",
        "上一篇",
        "下一篇",
        "热点",
        "最新文章",
        "往期",
        "看了",
        "大家都在看",
        "为你推荐",
        "精彩回顾",
    ];
    // `▼往期精彩回顾▼`, `▍相关阅读`: the same under decorations.
    let bare = line.trim_matches(|c: char| !c.is_alphanumeric());
    char_count(line) <= 40
        && !ends_a_sentence(line)
        && (STARTS.iter().any(|s| bare.starts_with(s))
            || (char_count(bare) <= 12
                && ["还喜欢", "推荐", "相关新闻", "相关文章", "相关阅读"].iter().any(|w| bare.ends_with(w))))
}

/// Contact details: a URL, an e-mail address, or a QQ, WeChat or phone
/// number given as such.
pub fn has_contact_details(line: &str) -> bool {
    let lower = line.to_lowercase();
    if ["www.", "http://", "https://", ".com", ".cn", ".net", ".org", ".cc"].iter().any(|u| lower.contains(u)) {
        return true;
    }
    if lower.contains('@') && lower.split('@').nth(1).is_some_and(|d| d.contains('.')) {
        return true;
    }
    // A label followed, after at most a colon and spaces, by an id or number.
    const LABELS: &[&str] =
        &["qq", "微信", "wechat", "vx", "wx", "电话", "手机", "热线", "tel", "邮箱", "客服", "群号", "联系"];
    LABELS.iter().any(|label| {
        lower.match_indices(label).any(|(at, _)| {
            let rest = lower[at + label.len()..].trim_start_matches(['号', '：', ':', ' ', '\u{3000}', '群']);
            let id: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            let digits = id.chars().filter(|c| c.is_ascii_digit()).count();
            // QQ numbers have 5 digits or more, phone numbers 7 (a hotline
            // such as 12345 is not a contact line); WeChat ids have letters.
            let enough = if *label == "qq" || label.starts_with('群') { 5 } else { 7 };
            digits >= enough || (["微信", "wechat", "vx", "wx"].contains(label) && id.len() >= 5)
        })
    })
}

/// How much a line sounds like the site around a report rather than the
/// report: words of self-promotion, membership, downloads, copyright and
/// article metadata. Strong words count 2, weak ones 1; contact details 3.
/// Reports use some of these words too (`关注民生`, `版权保护`), so a score
/// means little on its own: `clean` weighs it by where the line stands.
pub fn clutter_score(line: &str) -> u32 {
    let words = clutter_words(line);
    2 * words.strong + words.weak + if words.contact { 3 } else { 0 }
}

/// The evidence `clutter_score` sums.
pub struct ClutterWords {
    pub strong: u32,
    pub weak: u32,
    pub contact: bool,
}

pub fn clutter_words(line: &str) -> ClutterWords {
    const STRONG: &[&str] = &[
        "本站",
        "本网",
        "本平台",
        "小编",
        "站长",
        "网友",
        "会员",
        "vip",
        "年卡",
        "充值",
        "积分",
        "侵权",
        "转载",
        "倒卖",
        "盗版",
        "未经授权",
        "版权归",
        "版权所有",
        "下载",
        "原版",
        "可编辑",
        "word",
        "公众号",
        "回复",
        "获取",
        "领取",
        "范文",
        "模板",
        "精选",
        "合集",
        "大全",
        "客服",
        "售后",
        "打赏",
        "点赞",
        "订阅",
        "扫码",
        "二维码",
        "专享",
        "免费",
        "优惠",
        "低价",
        "代写",
        "写作服务",
        "购买",
        "付费",
        "独家",
        "出处",
        "转发请",
        "私信",
        "在看",
        "一键三连",
        "评论区",
        "留言区",
        "关注我们",
        "点击上方",
        "蓝字",
        "长按",
        "阅读原文",
        "阅读全文",
        "查看全文",
        "此处隐藏",
        "立即开通",
        "icp备",
        "公网安备",
        "网站标识码",
        "技术支持",
        "主办单位",
        "承办单位",
    ];
    const WEAK: &[&str] = &[
        "整理",
        "上传",
        "发布",
        "浏览",
        "编辑",
        "来源",
        "分享",
        "收藏",
        "推荐",
        "更新",
        "精品",
        "原创",
        "首发",
        "仅供",
        "参考",
        "学习交流",
        "资料",
        "材料",
        "本文",
        "文章",
        "文档",
        "全站",
        "平台",
        "关注",
        "交流群",
        "加群",
        "联系",
        "删除",
        "声明",
        "提示",
        "欢迎",
        "点击",
        "链接",
        "阅读",
        "网站",
        "全文共",
        "字数",
        "感谢",
        "文库",
        "素材",
        "写作",
        "分享给",
        "大家",
        "开通",
        "仅需",
        "首月",
        "全文",
        "出品",
        "门户",
    ];
    let lower = line.to_lowercase();
    ClutterWords {
        strong: STRONG.iter().filter(|w| lower.contains(*w)).count() as u32,
        weak: WEAK.iter().filter(|w| lower.contains(*w)).count() as u32,
        contact: has_contact_details(line),
    }
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
        assert_eq!(heading_level("6.5%"), None);
        assert!(is_dateline("——2025年1月15日在北京市第十六届人民代表大会第三次会议上"));
        assert!(!is_dateline("——经济运行稳中有进。地区生产总值超过2.5万亿元"));
    }

    #[test]
    fn titles_name_a_kind_of_report_and_a_year_or_body() {
        for title in [
            "2020年度X区人大常委会党组工作总结",
            "区委直属机关工委2020年工作总结和2021年工作安排",
            "XX局2020年上半年党建工作总结",
            "关于X县人民政府2019年第三季度工作情况的报告",
            "市委政法委2023年工作要点",
            "2026年上海市政府工作报告",
            "政府工作报告",
            "某市2021年工作计划（草案）",
            "篇一：2020年度X区人大常委会党组工作总结",
            "【精选】市委政法委2023年工作要点",
        ] {
            assert!(is_title(title), "{title}");
        }
        for line in [
            "关注公众号“材料帮”，回复“总结”获取更多范文",
            "2020年度机关党建工作总结范文（精选5篇）",
            "工作总结",
            "一、2020年工作总结",
            "首页 > 工作总结",
            "全年工作取得新进展，现将有关情况报告如下。",
        ] {
            assert!(!is_title(line), "{line}");
        }
    }

    #[test]
    fn sample_labels_are_not_part_of_the_title() {
        assert_eq!(
            without_sample_label("篇一：2020年度X区人大常委会党组工作总结"),
            "2020年度X区人大常委会党组工作总结"
        );
        assert_eq!(without_sample_label("范文3：XX局2021年工作要点"), "XX局2021年工作要点");
        assert_eq!(without_sample_label("【精选】市委政法委2023年工作要点"), "市委政法委2023年工作要点");
        assert_eq!(without_sample_label("篇章结构调整工作总结"), "篇章结构调整工作总结");
    }

    #[test]
    fn a_row_of_buttons_is_a_widget_a_bracketed_note_is_not() {
        for row in ["[打印] [关闭]", "字号：[大] [中] [小]", "【收藏】【打印】【关闭窗口】"] {
            assert!(is_widget(row), "{row}");
        }
        for line in ["[1]", "【解读】2024年政府工作报告", "注：[1] 数据来自统计局", "[ 打印本页面上所有的内容 ] [x]"]
        {
            assert!(!is_widget(line), "{line}");
        }
    }

    #[test]
    fn page_furniture_and_contact_details() {
        for line in
            ["- 3 -", "— 12 —", "第3页", "公文素材库 第3页", "第 2 页 共 9 页", "3/12", "Page 4", "—— 秘书在线 ——"]
        {
            assert!(is_page_furniture(line), "{line}");
        }
        for line in ["第三季度工作总结", "全年完成投资3.5亿元", "2020"] {
            assert!(!is_page_furniture(line) || line == "2020", "{line}");
        }
        for line in [
            "客服微信：wx12345",
            "售后QQ：123456789",
            "www.abcd.com 专业公文写作",
            "邮箱 a@b.cn",
            "联系电话 010-12345678",
        ] {
            assert!(has_contact_details(line), "{line}");
        }
        for line in ["开通12345政务服务便民热线", "政务微信公众号发布信息1.2万条。", "全年接听热线电话来电120万件"]
        {
            assert!(!has_contact_details(line), "{line}");
        }
    }

    #[test]
    fn advertising_scores_high_and_report_sentences_low() {
        for line in [
            "本资料仅供博文范文网会员学习参考，请勿转载传播",
            "开通年卡会员，全站12万篇材料免费下载",
            "以上内容由材料帮整理发布，如需原版Word请联系客服wx12345",
            "声明：本站资料仅供学习交流，如有侵权请联系删除。",
            "打赏作者  收藏本文  分享到朋友圈",
        ] {
            assert!(clutter_score(line) >= 4, "{line}: {}", clutter_score(line));
        }
        for line in [
            "持续关注民生，推动“微信办事”全覆盖，群众满意度明显提升。",
            "加强知识产权保护，全年查处侵权假冒案件320起。",
            "坚持以人民为中心的发展思想，扎实推进共同富裕。",
        ] {
            assert!(clutter_score(line) <= 3, "{line}: {}", clutter_score(line));
        }
    }
}
