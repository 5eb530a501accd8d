//! Cleaning imported text: keep every word of the report, remove only what
//! evidence shows to be the page's, and account for each removed line.
//!
//! A file pasted from a website holds the report between the site's
//! clutter. Its running text (sentences, long stretches with clause
//! punctuation) splits it in three:
//!
//! - before the text: the title, the dateline, the speaker, the salutation,
//!   and page furniture (widgets, breadcrumbs, `来源：`/`时间：` labels and
//!   their values, posting times, promotion);
//! - the text: only strong evidence removes a line here (page numbers,
//!   separators, running headers, photo credits, contact lines);
//! - after the text: related-article lists, end markers, rights notices,
//!   widgets, labels, a copy of the report's own opening.
//!
//! Each line is judged by its shape, its place and its relation to the
//! report's own lines, so that wording never seen before is told apart too.
//! A line kept in doubt is listed as suspect for review. Every removal is a
//! `Removed` with its rule: the report's words plus the removed lines plus
//! the title give back every letter of the source.

use std::collections::{HashMap, HashSet};

use super::lines::*;

/// One line of a source: its text (normalized; "" for a blank line) and the
/// 1-based number of the source line (or paragraph) it starts at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub at: usize,
    /// Put together from pieces a copy broke inside a sentence.
    pub rejoined: bool,
}

impl Line {
    pub fn new(at: usize, text: impl Into<String>) -> Line {
        Line { text: text.into(), at, rejoined: false }
    }

    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Why a line was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// `打印`, `【字号：`, `分享到`, `扫一扫…`: a control of the page.
    Widget,
    /// `首页 > 政务公开 > …`.
    Breadcrumb,
    /// `来源：…`, `时间：…`, `责任编辑：…`, a posting time, a link id.
    PageMeta,
    /// Promotion, membership, downloads, social calls, site branding.
    Promotion,
    /// A URL, an e-mail address, a QQ, WeChat or phone number offered.
    Contact,
    /// `- 3 -`, `第3页`, a running header or footer.
    PageFurniture,
    /// `======`, `★★★`.
    Separator,
    /// `相关推荐`, `上一篇`, and the titles of other documents listed.
    Related,
    /// `（全文完）`, `END`.
    EndMarker,
    /// A rights or licence notice about the text.
    Licence,
    /// The credit of a photo (`记者 X 摄`) and its caption.
    Caption,
    /// A line that repeats another line of the report (a copied title block,
    /// the opening pasted again after the end).
    Duplicate,
    /// A short line shared by many files of the import: the collection's banner.
    SharedAcrossFiles,
    /// `篇一：`, `【精选】`: a materials site's label before a title.
    SampleLabel,
    /// What a page shows before the document's title: the site's name and
    /// menus, a forum post's words, an encyclopedia's summary.
    BeforeTitle,
    /// `编者按：…`: a note by whoever republished the report.
    EditorNote,
}

impl Rule {
    /// The name written in the report's `removed:` list.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Widget => "widget",
            Rule::Breadcrumb => "breadcrumb",
            Rule::PageMeta => "page-meta",
            Rule::Promotion => "promotion",
            Rule::Contact => "contact",
            Rule::PageFurniture => "page-furniture",
            Rule::Separator => "separator",
            Rule::Related => "related",
            Rule::EndMarker => "end-marker",
            Rule::Licence => "licence",
            Rule::Caption => "caption",
            Rule::Duplicate => "duplicate",
            Rule::SharedAcrossFiles => "shared-across-files",
            Rule::SampleLabel => "sample-label",
            Rule::BeforeTitle => "before-title",
            Rule::EditorNote => "editor-note",
        }
    }
}

/// A line removed from a source, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub at: usize,
    pub rule: Rule,
    pub text: String,
}

/// A file's report: its title line (if one was found), the lines after it
/// with blank lines where the file had them, what was removed, and lines
/// kept although they look like clutter.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub title: Option<Line>,
    pub lines: Vec<Line>,
    pub removed: Vec<Removed>,
    pub suspects: Vec<Line>,
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
/// because they are its structure, not its boilerplate; so do titles.
fn is_structure(line: &str) -> bool {
    is_heading_text(line) || is_dateline(line) || is_salutation(line) || is_speaker_line(line) || is_title(line)
}

/// The cleaning of one file: its lines, each with its fate.
struct Cleaner<'a> {
    lines: Vec<Line>,
    /// Each line as it is judged: in simplified characters when the file is
    /// written in traditional ones (its clutter too: `版權所有`).
    judged: Vec<String>,
    /// `None`: kept; else removed by that rule.
    fate: Vec<Option<Rule>>,
    suspect: Vec<bool>,
    across: &'a HashSet<String>,
    removed_parts: Vec<Removed>,
}

impl Cleaner<'_> {
    fn remove(&mut self, i: usize, rule: Rule) {
        if !self.lines[i].is_blank() && self.fate[i].is_none() {
            self.fate[i] = Some(rule);
        }
    }

    fn kept(&self, i: usize) -> bool {
        self.fate[i].is_none()
    }

    /// The line as it is judged (see `judged`).
    fn text(&self, i: usize) -> &str {
        &self.judged[i]
    }

    /// Replaces a line's text (a title joined, a line moved into the title).
    fn set_text(&mut self, i: usize, text: String) {
        self.judged[i] = if self.judged[i] == self.lines[i].text { text.clone() } else { hanconv::t2s(&text) };
        self.lines[i].text = text;
    }

    /// The next kept non-blank line after `i`.
    fn next_kept(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| self.kept(j) && !self.lines[j].is_blank())
    }

    /// The previous kept non-blank line before `i`.
    fn previous_kept(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| self.kept(j) && !self.lines[j].is_blank())
    }
}

/// Finds the title and removes, with a rule each, what is not the report.
/// `lines` are normalized (blank lines empty); `plain_text` when they come
/// from a text file, whose lines may break sentences.
pub fn clean(lines: Vec<Line>, across: &HashSet<String>, plain_text: bool) -> Cleaned {
    let mut removed_parts = Vec::new();
    let lines = split_glued_widgets(lines, &mut removed_parts);
    let lines = if plain_text { join_certain_breaks(lines) } else { lines };
    let n = lines.len();
    let judged = if written_in_traditional(&lines) {
        lines.iter().map(|l| hanconv::t2s(&l.text)).collect()
    } else {
        lines.iter().map(|l| l.text.clone()).collect()
    };
    let mut c = Cleaner { lines, judged, fate: vec![None; n], suspect: vec![false; n], across, removed_parts };

    remove_from_end_notices(&mut c);
    // Where the report's running text begins and ends.
    let first_text = (0..n).find(|&i| c.kept(i) && is_report_text(c.text(i)));
    let Some(first_text) = first_text else {
        // No running text: nothing is told apart; the caller decides
        // whether this is a report at all.
        return finish(c, None);
    };
    let (title, first_text) = clean_header(&mut c, first_text);
    let title_judged = title.map(|i| c.text(i).to_owned());
    let last_text = clean_footer(&mut c, first_text, title_judged.as_deref());
    clean_inside(&mut c, first_text, last_text, title_judged.as_deref());
    // The title line leaves the text for the front matter.
    let title = title.map(|i| {
        let line = c.lines[i].clone();
        c.set_text(i, String::new());
        line
    });
    finish(c, title)
}

/// Whether a file is written in traditional characters: one character in
/// forty of its opening changes in simplified.
fn written_in_traditional(lines: &[Line]) -> bool {
    let opening: String = lines.iter().map(|l| l.text.as_str()).collect::<String>().chars().take(3000).collect();
    let simplified = hanconv::t2s(&opening);
    let changed = opening.chars().zip(simplified.chars()).filter(|(a, b)| a != b).count();
    changed * 40 >= opening.chars().count().max(1)
}

/// `四川日报【字体：`: the widget glued to a line's end goes, the line stays.
fn split_glued_widgets(lines: Vec<Line>, removed: &mut Vec<Removed>) -> Vec<Line> {
    lines
        .into_iter()
        .map(|mut line| {
            if let Some(at) = glued_widget(&line.text) {
                let widget = line.text.split_off(at);
                removed.push(Removed { at: line.at, rule: Rule::Widget, text: widget });
                line.text = normalize_line(&line.text);
            }
            line
        })
        .collect()
}

/// Joins lines a copy broke inside a sentence, where the break cannot be
/// anything else: the next line starts with closing punctuation (`。会议…`,
/// `》第五条`), or this one ends with an opening bracket or a word that
/// cannot end a line of its own (`…所作的` / `政府工作报告`).
fn join_certain_breaks(lines: Vec<Line>) -> Vec<Line> {
    let lines = attach_footnote_marks(lines);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    // The line after a token joined mid-sentence carries the sentence on.
    let mut pull_next = false;
    // `…已經締結了` / `友好同盟互助條約` / `。蘇聯根據…`: a short piece
    // the next line carries on is a linked word, inside its sentence.
    let inside_a_sentence: Vec<bool> = (0..lines.len())
        .map(|i| {
            let line = &lines[i].text;
            !line.is_empty()
                && char_count(line) <= 20
                && !line.contains(['。', '，', '；', '！', '？'])
                && lines.get(i + 1).is_some_and(|next| starts_mid_sentence(&next.text))
        })
        .collect();
    for (i, line) in lines.into_iter().enumerate() {
        // A page number or footer between two halves of a sentence is
        // cleaned away first; the halves are joined after.
        let furniture = |l: &Line| is_page_furniture(&l.text) || is_separator(&l.text);
        if let Some(previous) = out.last_mut()
            && !previous.is_blank()
            && !line.is_blank()
        {
            // `广义货币M` / `2` / `和社会融资规模…`: a Latin letter's
            // subscript or a linked word of Latin letters.
            let token = is_latin_token(&line.text)
                && (previous.text.ends_with(|c: char| c.is_ascii_alphabetic())
                    || (previous.text.ends_with(is_han) && !furniture(&line)));
            if (furniture(previous) || furniture(&line)) && !token {
                pull_next = false;
                out.push(line);
                continue;
            }
            let linked_word = inside_a_sentence[i] && !is_sentence(&previous.text) && !is_heading_text(&previous.text);
            if starts_mid_sentence(&line.text)
                || ends_mid_sentence(&previous.text)
                || token
                || linked_word
                || (pull_next && !is_heading_text(&line.text))
            {
                pull_next = token;
                // Two Latin words keep the space between them.
                if previous.text.ends_with(|c: char| c.is_ascii_alphabetic())
                    && line.text.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    previous.text.push(' ');
                }
                previous.text.push_str(&line.text);
                previous.rejoined = true;
                continue;
            }
        }
        pull_next = false;
        out.push(line);
    }
    out
}

/// `鄧同志` / `[` / `4` / `]`: a note's mark cut onto lines of its own
/// goes back after the word it marks (`鄧同志[4]`), not taken for a page
/// number.
fn attach_footnote_marks(lines: Vec<Line>) -> Vec<Line> {
    let is_number = |t: &str| (1..=3).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit());
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let text = |k: usize| lines.get(i + k).map_or("", |l| l.text.as_str());
        let cut = ["[", "［"].contains(&text(0)) && is_number(text(1)) && ["]", "］"].contains(&text(2));
        let whole = text(0).strip_prefix('[').and_then(|t| t.strip_suffix(']')).is_some_and(is_number);
        let marks_a_word =
            out.last().is_some_and(|l| l.text.ends_with(|c: char| is_han(c) || "。，；：”）".contains(c)));
        if (cut || whole) && marks_a_word {
            let last = out.last_mut().expect("a line before the mark");
            last.text.push_str(&format!("[{}]", if cut { text(1) } else { &text(0)[1..text(0).len() - 1] }));
            last.rejoined = true;
            i += if cut { 3 } else { 1 };
            continue;
        }
        out.push(lines[i].clone());
        i += 1;
    }
    out
}

/// `M2`, `2.5`, `RCEP`: a short run of Latin letters and digits alone on a
/// line, as a link or a subscript leaves it.
fn is_latin_token(line: &str) -> bool {
    (1..=8).contains(&line.len())
        && line.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !line.chars().all(|c| c.is_ascii_digit() && line.len() > 4)
}

/// `。会议…`, `，以及…`, `》第五条…` (not `》》点击…`, a widget).
pub fn starts_mid_sentence(line: &str) -> bool {
    line.starts_with(CONTINUES) && !line.starts_with("》》")
}

/// `…所作的`, `…依据《`, `…细颗粒物（PM`: a line that cannot stop here
/// (it ends with an opening mark, a comma, 的, or inside brackets).
pub fn ends_mid_sentence(line: &str) -> bool {
    let open_brackets = line.matches(['（', '(']).count() > line.matches(['）', ')']).count();
    // `…成果找市场“双向` / `揭榜` / `挂帅”的简称`: inside quotes, not at a
    // sentence's end (a quote of several paragraphs closes only at its last).
    let open_quote = line.matches('“').count() > line.matches('”').count() && !is_sentence(line);
    (line.ends_with(['《', '“', '（', '(', '「', '『', '、', '，', ',', '[', '［']) && !line.ends_with("《《"))
        || (line.ends_with('的') && char_count(line) >= 5)
        || (open_brackets && char_count(line) >= 8 && !is_heading_text(line))
        || (open_quote && char_count(line) >= 8)
}

/// From a rights notice, a related-articles header or an end marker after
/// the first third on, the rest is not the report, if nothing of the
/// report's own follows: only lines that repeat it, short titles of other
/// pages and the page's furniture.
fn remove_from_end_notices(c: &mut Cleaner) {
    let n = c.lines.len();
    let first_text = (0..n).find(|&i| is_report_text(c.text(i))).unwrap_or(0);
    let from = (n / 3).max(first_text + 1);
    // Replies and comments under a post: a line stamped with its posting
    // time (`沙发 笔杆子老李 | 发表于 2024-7-3 21:30:12`) some way into the
    // text starts another's words.
    let text_lines = |i: usize| (0..i).filter(|&j| is_report_text(c.text(j))).count();
    if let Some(at) = (first_text + 1..n).find(|&i| is_posted(c.text(i)) && text_lines(i) >= 3) {
        for j in at..n {
            c.remove(j, Rule::Related);
        }
    }
    for i in from..n {
        let line = c.text(i);
        // A notice naming the text, whose rights words follow within a few lines.
        let notice_in_pieces =
            || begins_by_naming_the_text(line) && (i..n.min(i + NOTICE_LINES)).any(|j| names_rights(c.text(j)));
        let rule = if is_rights_notice(line) || notice_in_pieces() {
            Rule::Licence
        } else if is_related_header(line) {
            Rule::Related
        } else if is_end_marker(line) {
            Rule::EndMarker
        } else {
            continue;
        };
        let before = report_so_far(c, i);
        let nothing_of_the_report_follows = (i + 1..n).all(|j| {
            let line = c.text(j);
            !is_report_text(line) || before.contains(line) || (char_count(line) <= 40 && !line.contains('。'))
        });
        if rule == Rule::Licence || nothing_of_the_report_follows {
            for j in i..n {
                let own =
                    if before.contains(c.text(j)) && char_count(c.text(j)) >= 10 { Rule::Duplicate } else { rule };
                c.remove(j, own);
            }
            return;
        }
    }
}

/// How far on a rights notice cut into pieces may name the rights.
const NOTICE_LINES: usize = 12;

/// A post's or comment's header: a posting time with its hour.
fn is_posted(line: &str) -> bool {
    is_page_metadata(line) && line.chars().filter(|c| c.is_ascii_digit()).count() >= 8 && line.contains(':')
}

/// The kept text before line `i`, run together: what a copy repeats.
fn report_so_far(c: &Cleaner, i: usize) -> String {
    (0..i).filter(|&j| c.kept(j)).map(|j| c.text(j)).collect()
}

/// Before the running text: finds the title, keeps the dateline, speaker and
/// salutation, removes the page's furniture and what the page shows before
/// the title. Returns the title's line and where the running text starts
/// (later than `first_text` when the document's title block stands after
/// a page's preamble: a forum post, an encyclopedia's summary).
fn clean_header(c: &mut Cleaner, first_text: usize) -> (Option<usize>, usize) {
    mark_breadcrumbs(c, 0, first_text);
    join_broken_title(c, first_text);
    let mut first_text = first_text;
    let mut title: Option<usize> = None;
    let mut i = 0;
    while i < first_text {
        if c.lines[i].is_blank() || !c.kept(i) {
            i += 1;
            continue;
        }
        let line = c.text(i).to_owned();
        let next = c.next_kept(i);
        let next_is_text = next == Some(first_text);
        if let Some(rule) = chrome_rule(c, i, Zone::Header) {
            c.remove(i, rule);
            // `来源：` with its value on the next line.
            if rule == Rule::PageMeta
                && label_value(&line).is_some_and(|(_, value)| value.is_empty())
                && let Some(j) = next.filter(|&j| j < first_text && is_value(c.text(j)))
            {
                c.remove(j, Rule::PageMeta);
            }
        } else if is_salutation(&line) && !next_is_text && label_value(&line).is_some() {
            // A bare label (`发表时间：`) is no salutation: a salutation is
            // followed by the speech.
            c.remove(i, Rule::PageMeta);
            if let Some(j) = next.filter(|&j| j < first_text && is_value(c.text(j))) {
                c.remove(j, Rule::PageMeta);
            }
        } else if is_title(&line) {
            match title {
                None => title = Some(i),
                Some(t) if title_text(c.text(t)) == title_text(&line) => c.remove(i, Rule::Duplicate),
                // Another title line (the document's own under the page's
                // headline): kept as the report's first line.
                Some(_) => {}
            }
        } else if header_repeats(c, i, first_text) {
            c.remove(i, Rule::Duplicate);
        } else if !is_front_line(&line) && !is_heading_text(&line) && !is_report_text(&line) && !after_speaker(c, i) {
            c.suspect[i] = true;
        }
        i += 1;
    }
    if title.is_none() {
        title = slogan_title(c, first_text);
    }
    // The document's title block after a preamble of the page's.
    if let Some(block) = title_block_after(c, first_text, title) {
        let from = title.map_or(0, |t| t + 1);
        for j in from..block {
            if c.kept(j) && !is_document_header(c.text(j)) {
                c.remove(j, Rule::BeforeTitle);
            }
        }
        if title.is_none() {
            title = Some(block);
        }
        first_text = (block + 1..c.lines.len()).find(|&j| c.kept(j) && is_report_text(c.text(j))).unwrap_or(block + 1);
    }
    // A speech starts at its salutation: a caption or lead the page put
    // between the title block and it goes (`省长赵刚作政府工作报告`).
    if let Some(t) = title
        && let Some(start) = captions_before_salutation(c, t)
    {
        first_text = first_text.max(start);
    }
    // Before the title: the page's, not the document's (but for the marks
    // of an official document: `X政发〔2023〕12号`, `…人民政府文件`).
    if let Some(t) = title {
        for j in 0..t {
            if c.kept(j) && !c.lines[j].is_blank() && !is_document_header(c.text(j)) {
                c.suspect[j] = false;
                c.remove(j, Rule::BeforeTitle);
            }
        }
    }
    (title, first_text)
}

/// A label pages put on their metadata, not a salutation's address.
fn is_page_label(label: &str) -> bool {
    ["时间", "来源", "作者", "编辑", "日期", "发布", "阅读", "浏览", "点击", "分享", "当前位置", "位置"]
        .iter()
        .any(|w| label.contains(w))
}

/// Removes the few short lines between a speech's title block (title,
/// dateline, speaker) and its salutation: a photo's caption, a lead. Returns
/// where the running text starts after the salutation.
fn captions_before_salutation(c: &mut Cleaner, title: usize) -> Option<usize> {
    let window: Vec<usize> =
        (title + 1..c.lines.len()).filter(|&i| c.kept(i) && !c.lines[i].is_blank()).take(12).collect();
    let at = window.iter().position(|&i| {
        is_salutation(c.text(i)) && label_value(c.text(i)).is_none_or(|(label, _)| !is_page_label(label))
    })?;
    // `省长赵刚作政府工作报告`: someone gives the report (not its title).
    let delivers = |line: &str| {
        let line = line.trim_end_matches('。');
        let before = ["政府工作报告", "工作报告", "报告", "讲话"].iter().find_map(|k| line.strip_suffix(k));
        before.is_some_and(|before| before.ends_with('作') && char_count(before) >= 2)
    };
    let mut between: Vec<usize> = window[..at]
        .iter()
        .copied()
        .filter(|&i| {
            let line = c.text(i);
            !is_front_line(line) && !after_speaker(c, i) && (!is_title(line) || delivers(line))
        })
        .collect();
    // The page's metadata there goes whatever else is around it
    // (`来源：河北日报` under the lead `…省长王正谱作政府工作报告。`).
    between.retain(|&i| {
        let meta = is_article_meta(c.text(i)) || is_page_metadata(c.text(i));
        if meta {
            c.remove(i, Rule::PageMeta);
        }
        !meta
    });
    let captions = between.iter().all(|&i| char_count(c.text(i)) <= 40 && !is_heading_text(c.text(i)));
    if between.is_empty() || between.len() > 3 || !captions {
        return None;
    }
    for &i in &between {
        c.suspect[i] = false;
        c.remove(i, Rule::Caption);
    }
    (window[at] + 1..c.lines.len()).find(|&j| c.kept(j) && is_report_text(c.text(j)))
}

/// The marks an official document (公文) carries above its title: its
/// issuer's banner (`XX县人民政府文件`), its number (`X政发〔2023〕12号`),
/// its signer (`签发人：…`), its urgency or secrecy.
fn is_document_header(line: &str) -> bool {
    let number = line.contains('〔') && line.contains('〕') && line.ends_with('号');
    let banner = line.ends_with("文件") && char_count(line) <= 24;
    number
        || banner
        || line.starts_with("签发人")
        || ["特急", "加急", "急件", "密级"].iter().any(|w| line.starts_with(w))
}

/// A title standing a few lines into what looked like running text, with
/// the report starting under it (its dateline, speaker, salutation, a
/// heading or its text): the lines before it were a page's preamble. With
/// a title already found before the text, only the same document named
/// again with its dateline or salutation counts.
fn title_block_after(c: &Cleaner, first_text: usize, title: Option<usize>) -> Option<usize> {
    // A salutation already said: the speech has begun.
    if (0..first_text)
        .any(|j| c.kept(j) && is_salutation(c.text(j)) && label_value(c.text(j)).is_none_or(|(l, _)| !is_page_label(l)))
    {
        return None;
    }
    let candidates: Vec<usize> =
        (first_text..c.lines.len()).filter(|&i| c.kept(i) && !c.lines[i].is_blank()).take(10).collect();
    // The preamble is a few lines of someone else's (a forum post, a
    // summary): once a salutation or a heading is passed, the report has begun.
    let (mut lines, mut letters) = (0, 0);
    for &i in &candidates {
        let line = c.text(i);
        if is_front_line(line) || is_heading_text(line) {
            return None;
        }
        if is_report_text(line) {
            lines += 1;
            letters += han_count(line);
            if lines > 3 || letters > 200 {
                return None;
            }
            continue;
        }
        if !is_title(line) || continues_sentence(c, i) {
            continue;
        }
        // The next line of the report's own, past the page's notes under a title.
        let next = (i + 1..c.lines.len()).find(|&j| {
            c.kept(j)
                && !c.lines[j].is_blank()
                && chrome_rule(c, j, Zone::Header).is_none()
                && !looks_like_clutter(c.text(j))
        });
        let Some(next) = next else { continue };
        let after = c.text(next);
        let starts_report = match title {
            None => is_front_line(after) || is_heading_text(after) || is_report_text(after),
            Some(t) => {
                let (named, again) = (title_text(c.text(t)), title_text(line));
                (named.contains(again) || again.contains(named)) && is_front_line(after)
            }
        };
        if starts_report {
            return Some(i);
        }
    }
    None
}

/// `政府工作报` / `告`: a title broken before its last letters is joined
/// (no letter moves but the break).
fn join_broken_title(c: &mut Cleaner, first_text: usize) {
    for i in 0..first_text.saturating_sub(1) {
        let Some(j) = c.next_kept(i).filter(|&j| j < first_text && j == i + 1) else { continue };
        let joined = format!("{}{}", c.text(i), c.text(j));
        if c.kept(i) && !is_title(c.text(i)) && char_count(c.text(j)) <= 3 && is_title(&joined) {
            let original = format!("{}{}", c.lines[i].text, c.lines[j].text);
            c.set_text(i, original);
            c.set_text(j, String::new());
        }
    }
}

/// A speech's title is often a slogan, not a kind of report: the short
/// lines above its subtitle `——在…大会上的报告`. They become the title
/// (joined with a space, as such titles are printed).
fn slogan_title(c: &mut Cleaner, first_text: usize) -> Option<usize> {
    let kept: Vec<usize> = (0..first_text).filter(|&i| c.kept(i) && !c.lines[i].is_blank()).collect();
    let subtitle = kept.iter().position(|&i| {
        let line = c.text(i);
        line.starts_with(['—', '-']) && line.contains('在') && (line.contains("上的") || line.contains("讲话"))
    })?;
    let lines = &kept[..subtitle];
    let slogan = |i: &usize| {
        let line = c.text(*i);
        char_count(line) <= 30 && !line.contains(['。', '，', '：', '！', '？']) && !is_front_line(line)
    };
    if lines.is_empty() || lines.len() > 3 || !lines.iter().all(slogan) {
        return None;
    }
    let text = lines.iter().map(|&i| c.lines[i].text.as_str()).collect::<Vec<_>>().join(" ");
    for &i in &lines[1..] {
        c.set_text(i, String::new());
    }
    c.set_text(lines[0], text);
    Some(lines[0])
}

/// A line that stands before a speech: dateline, speaker, salutation.
fn is_front_line(line: &str) -> bool {
    is_dateline(line) || is_speaker_line(line) || is_salutation(line)
}

/// Whether line `i` is a speaker's name under an office or a dateline
/// (`国务院总理` / `李　强`).
fn after_speaker(c: &Cleaner, i: usize) -> bool {
    is_short_name(c.text(i)) && c.previous_kept(i).is_some_and(|p| is_speaker_line(c.text(p)) || is_dateline(c.text(p)))
}

/// `李　强`: a name under a speaker line.
fn is_short_name(line: &str) -> bool {
    let letters: String = line.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    (2..=4).contains(&char_count(&letters)) && han_count(&letters) == char_count(&letters)
}

/// A label's value on the next line: short, not a sentence.
fn is_value(line: &str) -> bool {
    char_count(line) <= 30 && !ends_a_sentence(line) && !is_title(line) && !is_front_line(line) || is_timestamp(line)
}

/// A header line that repeats another header line kept before it (a page
/// that shows its title block twice).
fn header_repeats(c: &Cleaner, i: usize, first_text: usize) -> bool {
    char_count(c.text(i)) >= 6 && (0..i).any(|j| j < first_text && c.kept(j) && c.text(j) == c.text(i))
}

/// Lines between `>` separators (`首页` / `>` / `政务公开` / `>` / …), and
/// the `当前位置：` label before them.
fn mark_breadcrumbs(c: &mut Cleaner, from: usize, to: usize) {
    let separators: Vec<usize> = (from..to).filter(|&i| is_crumb_separator(c.text(i))).collect();
    for &s in &separators {
        c.remove(s, Rule::Breadcrumb);
        for j in [s.checked_sub(1), Some(s + 1)].into_iter().flatten() {
            if j < to && is_crumb_item(c.text(j)) {
                c.remove(j, Rule::Breadcrumb);
                // `当前位置：` / `首页` / `>`: the label before the first item.
                if let Some(k) = j.checked_sub(1)
                    && k >= from
                    && label_value(c.text(k)).is_some_and(|(_, v)| v.is_empty())
                    && !is_salutation_before_text(c, k)
                {
                    c.remove(k, Rule::Breadcrumb);
                }
            }
        }
    }
}

fn is_salutation_before_text(c: &Cleaner, i: usize) -> bool {
    c.next_kept(i).is_some_and(|j| is_report_text(c.text(j)))
}

/// An item of a breadcrumb: a short name, not a sentence.
fn is_crumb_item(line: &str) -> bool {
    !line.is_empty() && char_count(line) <= 20 && !ends_a_sentence(line) && !line.contains('，')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Zone {
    Header,
    Footer,
}

/// The rule that removes line `i` before or after the running text, if
/// its shape shows it is the page's.
fn chrome_rule(c: &Cleaner, i: usize, zone: Zone) -> Option<Rule> {
    let line = c.text(i);
    // A speaker's name under their office is the report's, however many
    // files share it (李克强 under 国务院总理 in five years' reports).
    if after_speaker(c, i) {
        return None;
    }
    if is_separator(line) {
        return Some(Rule::Separator);
    }
    if is_editor_note(line) {
        return Some(Rule::EditorNote);
    }
    if is_photo_credit(line) {
        return Some(Rule::Caption);
    }
    if is_widget(line) || (is_bracketed(line) && char_count(line) <= 12) {
        return Some(Rule::Widget);
    }
    if is_page_furniture(line) {
        return Some(Rule::PageFurniture);
    }
    if is_posting_time(line) || is_hex_id(line) || is_article_meta(line) || is_page_metadata(line) {
        return Some(Rule::PageMeta);
    }
    if has_contact_details(line) {
        return Some(Rule::Contact);
    }
    if c.across.contains(line) && !ends_a_sentence(line) {
        return Some(Rule::SharedAcrossFiles);
    }
    if is_promotion(line) || is_notice_about_the_text(line) {
        return Some(Rule::Promotion);
    }
    if is_latin_only(line) {
        return Some(Rule::Widget);
    }
    // Labelled page metadata: `索引号：…`, `发布机构：…`, `阅读量：` —
    // a label whose value is no sentence. `各位代表：` before the speech is
    // a salutation, not a label.
    if let Some((_, value)) = label_value(line)
        && !is_report_text(value)
        && !(zone == Zone::Header && is_salutation_before_text(c, i))
        && !value.is_empty()
    {
        return Some(Rule::PageMeta);
    }
    // A control's name, alone on a line (`大`, `收藏`): one or two letters.
    if char_count(line) <= 2 && !line.chars().any(|ch| ch.is_ascii_digit()) && !after_speaker(c, i) {
        return Some(Rule::Widget);
    }
    // A forum's floor: `1楼`, `2楼　沙发`.
    if is_forum_floor(line) {
        return Some(Rule::PageMeta);
    }
    None
}

/// `1楼`, `2楼　沙发`, `3#`, `回复 2# 求真务实：…`: a reply's place in a
/// forum thread.
fn is_forum_floor(line: &str) -> bool {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    let reply = line.strip_prefix("回复").is_some_and(|rest| rest.trim_start().chars().take(4).any(|c| c == '#'));
    (digits > 0 && line[digits..].starts_with(['楼', '#']) && char_count(line) <= 12) || reply
}

/// `【打印本页】`, `[关闭]`: a control in brackets.
fn is_bracketed(line: &str) -> bool {
    (line.starts_with('【') && line.ends_with('】')) || (line.starts_with('[') && line.ends_with(']'))
}

/// The vocabulary of promotion, membership and social calls, in a line that
/// is not the report's sentence (a sentence needs strong words to count).
fn is_promotion(line: &str) -> bool {
    let words = clutter_words(line);
    let score = 2 * words.strong + words.weak;
    if words.strong >= 2 && char_count(line) <= 120 && !line.contains('。') {
        return true;
    }
    if ends_a_sentence(line) {
        (char_count(line) <= 80 && score >= 4 && words.strong >= 1) || (char_count(line) <= 20 && score >= 2)
    } else {
        char_count(line) <= 50 && ((score >= 3 && words.strong >= 1) || words.strong >= 2)
    }
}

/// After the running text: lists of other documents, labels, widgets,
/// promotion and a copy of the report's opening. Returns the last line of
/// running text.
fn clean_footer(c: &mut Cleaner, first_text: usize, title: Option<&str>) -> usize {
    let n = c.lines.len();
    let mut last_text = first_text;
    // From the end back: what is clutter goes; the first line of the
    // report's own running text stops the walk.
    let mut i = n;
    while i > first_text + 1 {
        i -= 1;
        if c.lines[i].is_blank() || !c.kept(i) {
            continue;
        }
        let line = c.text(i).to_owned();
        // The end of a sentence broken off the running text (`…2.5万亿` / `元。`).
        let ends_text = c.previous_kept(i).is_some_and(|p| is_report_text(c.text(p)) && !is_sentence(c.text(p)))
            && !c.lines[i - 1].is_blank()
            && !looks_like_clutter(&line);
        let rule = if repeats_report(c, i, first_text, title) {
            Some(Rule::Duplicate)
        } else if is_report_text(&line) || ends_text || is_the_reports_own_label(c, i, first_text) {
            last_text = i;
            break;
        } else if let Some(rule) = chrome_rule(c, i, Zone::Footer) {
            Some(rule)
        } else if is_title(without_list_number(&line)) && !is_signature(&line) {
            // The titles of other documents listed under the report.
            Some(Rule::Related)
        } else if !ends_a_sentence(&line) && char_count(&line) <= 20 && clutter_score(&line) >= 1 {
            // `…出品 必属精品`: a site's brand line.
            Some(Rule::Promotion)
        } else if !ends_a_sentence(&line)
            && char_count(&line) <= 24
            && !is_signature(&line)
            && !is_heading_text(&line)
            && (removed_around(c, i) || is_related_item(&line))
        {
            // `重庆市人民政府网` among the footer's links and notices.
            Some(Rule::PageFurniture)
        } else {
            if !is_signature(&line) && !is_heading_text(&line) {
                c.suspect[i] = true;
            }
            None
        };
        if let Some(rule) = rule {
            c.remove(i, rule);
            // `责任编辑：` / `李莎莎`: a bare label's value after it.
            if label_value(&line).is_some_and(|(_, v)| v.is_empty())
                && let Some(j) = c.next_kept(i).filter(|&j| is_value(c.text(j)) && !is_signature(c.text(j)))
            {
                c.remove(j, Rule::PageMeta);
            }
            // `责任编辑：` / `李莎莎`: the label before a removed value.
            if let Some(p) = c.previous_kept(i)
                && p > first_text
                && label_value(c.text(p)).is_some_and(|(_, v)| v.is_empty())
            {
                c.remove(p, Rule::PageMeta);
            }
        }
    }
    if i <= first_text + 1 && is_report_text(c.text(first_text)) {
        last_text = last_text.max(first_text);
    }
    last_text
}

/// `主办单位：省交通运输厅…` under the last of a list's items, each of which
/// ends so (the 2025 Yunnan report's 惠民实事): a label that the report
/// itself puts under its own sentences, twice or more above, is the
/// report's wherever it stands. A site's `主办单位：` under the last
/// paragraph has no such evidence, and a list of other pages' `来源：` lines
/// stands under titles, not under sentences.
fn is_the_reports_own_label(c: &Cleaner, i: usize, first_text: usize) -> bool {
    let Some((label, value)) = label_value(c.text(i)) else { return false };
    let under_a_sentence = |j: usize| c.previous_kept(j).is_some_and(|p| is_report_text(c.text(p)));
    let same_label = |j: usize| label_value(c.text(j)).is_some_and(|(other, _)| other == label);
    !value.is_empty()
        && under_a_sentence(i)
        && (first_text..i).filter(|&j| c.kept(j) && same_label(j) && under_a_sentence(j)).nth(1).is_some()
}

/// Whether the kept lines around `i` (the next, or the one before and the
/// one after) were removed: a line amid the page's footer.
fn removed_around(c: &Cleaner, i: usize) -> bool {
    let removed = |j: Option<usize>| j.is_none_or(|j| c.fate[j].is_some());
    let after = (i + 1..c.lines.len()).find(|&j| !c.lines[j].is_blank());
    let before = (0..i).rev().find(|&j| !c.lines[j].is_blank());
    removed(after) && removed(before)
}

/// `▶ 2023年度…公示`, `· 关于…的通知`: an item of a list of links.
fn is_related_item(line: &str) -> bool {
    line.starts_with(['▶', '►', '▪', '·', '•', '●', '◆', '■', '>']) && !ends_a_sentence(line)
}

/// A line after the running text that repeats the report: its title, or
/// one of its lines (or the start of one), as a page that pastes its
/// opening again after the end.
fn repeats_report(c: &Cleaner, i: usize, first_text: usize, title: Option<&str>) -> bool {
    let line = c.text(i);
    if title.is_some_and(|t| title_text(t) == title_text(line)) {
        return true;
    }
    // A signature names the body the report named before: no copy.
    if is_signature(line) || char_count(line) < 10 {
        return false;
    }
    let earlier = || (first_text..i).filter(|&j| c.kept(j) && !c.lines[j].is_blank());
    earlier().count() >= 3
        && (earlier().any(|j| c.text(j) == line) || (is_report_text(line) && report_so_far(c, i).contains(line)))
}

/// `XX区住房和城乡建设局`, `2023年12月28日`: who signs the report, and when.
fn is_signature(line: &str) -> bool {
    let organ = ["局", "委", "会", "院", "府", "室", "部", "厅", "处", "组", "办", "司", "署", "所", "中心", "公司"];
    (char_count(line) <= 30 && organ.iter().any(|o| line.ends_with(o)) && !line.contains(['，', '。']))
        || (is_timestamp(line) && line.contains('年'))
        || is_dateline(line)
}

/// Inside the running text only strong evidence removes a line.
fn clean_inside(c: &mut Cleaner, first_text: usize, last_text: usize, title: Option<&str>) {
    // What the page repeats, counted over the whole file (a button under
    // the title counts as well as those under each heading).
    let lines: Vec<String> = (0..c.lines.len()).map(|i| c.text(i).to_owned()).collect();
    let within = repeated_within(&lines);
    // Where blank lines set paragraphs apart, a line that leads straight
    // into more text of its block is part of that paragraph: a lead word
    // cut onto a line of its own (`一是` / `发行…`, `——` / `改革开放` /
    // `深入推进。`), however often the file repeats it.
    let in_blocks = paragraphs_set_apart_by_blank_lines(&c.lines);
    let goes_on_in_its_block = |c: &Cleaner, i: usize| in_blocks && c.lines.get(i + 1).is_some_and(|n| !n.is_blank());
    // (Not into more repeated short lines: those are a row of buttons.)
    let leads_into_its_block = |c: &Cleaner, i: usize| goes_on_in_its_block(c, i) && !within.contains(c.text(i + 1));
    for i in first_text..=last_text {
        if c.lines[i].is_blank() || !c.kept(i) {
            continue;
        }
        let line = c.text(i).to_owned();
        let in_sentence = continues_sentence(c, i);
        let dash = !line.is_empty() && line.chars().all(|c| c == '—') && char_count(&line) <= 2;
        let rule = if is_page_furniture(&line) {
            Some(Rule::PageFurniture)
        } else if is_separator(&line) && !(dash && goes_on_in_its_block(c, i)) {
            Some(Rule::Separator)
        } else if is_photo_credit(&line) {
            Some(Rule::Caption)
        } else if is_widget(&line) && !in_sentence {
            Some(Rule::Widget)
        } else if is_body_contact(&line) {
            Some(Rule::Contact)
        } else if is_page_metadata(&line) && !is_report_text(&line) {
            // `沙发　笔杆子老李　|　发表于 2024-7-3 21:30:12`.
            Some(Rule::PageMeta)
        } else if is_body_promotion(&line, c.across) {
            Some(Rule::Promotion)
        } else if (title
            .is_some_and(|t| title_text(t) == line || (within.contains(&line) && t.contains(line.as_str())))
            || (within.contains(&line)
                && (!in_sentence || buttons_ending_a_block(c, i, &within))
                && !leads_into_its_block(c, i)
                && !is_structure(&line)))
            && !starts_mid_sentence(c.next_kept(i).map_or("", |n| c.text(n)))
        {
            // A running header or footer of the pages (`某某文库 第3页`,
            // the title at each page's top).
            Some(Rule::PageFurniture)
        } else {
            if clutter_score(&line) >= 3 && !is_report_text(&line) {
                c.suspect[i] = true;
            }
            None
        };
        if let Some(rule) = rule {
            c.remove(i, rule);
        }
    }
}

/// Whether line `i` carries on the sentence of the line before (which is
/// open) or is carried on by the next (which starts with punctuation).
fn continues_sentence(c: &Cleaner, i: usize) -> bool {
    let before = c.previous_kept(i).map(|p| c.text(p));
    let after = c.next_kept(i).map(|n| c.text(n));
    before.is_some_and(|p| !is_sentence(p) && !is_structure(p) && !is_title(p) && i > 0 && !c.lines[i - 1].is_blank())
        || after.is_some_and(starts_mid_sentence)
}

/// Contact details in the text: only with promotion, or alone on a short line.
fn is_body_contact(line: &str) -> bool {
    let words = clutter_words(line);
    let score = 2 * words.strong + words.weak + 3;
    let open = !ends_a_sentence(line) && !line.contains('。');
    words.contact && (score >= 4 || char_count(line) <= 25) && (open || char_count(line) <= 60)
}

/// Promotion in the text: an open line with strong words, or a short line
/// the collection repeats and that has a word of it.
fn is_body_promotion(line: &str, across: &HashSet<String>) -> bool {
    let words = clutter_words(line);
    let score = 2 * words.strong + words.weak;
    let open = !ends_a_sentence(line) && !line.contains('。');
    // `【立即开通】…`, `……此处隐藏1260字，开通VIP会员后可查看全文……`.
    let tagged = line.starts_with('【') && words.strong >= 1 && char_count(line) <= 40;
    (open && char_count(line) <= 50 && words.strong >= 2 && score >= 5)
        || (char_count(line) <= 80 && words.strong >= 3)
        || tagged
        || (open && char_count(line) <= 40 && score >= 1 && across.contains(line))
}

/// Short non-sentence lines seen three times or more in one file's text,
/// or twice with a word of advertising: running page headers and footers.
/// `报告全文` / `播报` / `编辑` / blank: short words the page repeats, on
/// lines of their own up to the end of a block, are its buttons, not a
/// link inside a sentence (`正式明确` / `习近平` / `总书记的…` goes on).
fn buttons_ending_a_block(c: &Cleaner, i: usize, within: &HashSet<String>) -> bool {
    let n = c.lines.len();
    let mut j = i;
    while j < n && within.contains(c.text(j)) && char_count(c.text(j)) <= 6 {
        j += 1;
    }
    j > i && (j == n || c.lines[j].is_blank() || is_structure(c.text(j)))
}

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

/// The kept lines, the removed ones with their rules, and the suspects.
fn finish(c: Cleaner, title: Option<Line>) -> Cleaned {
    let mut removed = c.removed_parts;
    let mut lines = Vec::new();
    let mut suspects = Vec::new();
    for ((line, fate), suspect) in c.lines.into_iter().zip(c.fate).zip(c.suspect) {
        match fate {
            Some(rule) => removed.push(Removed { at: line.at, rule, text: line.text }),
            None => {
                // A line emptied by taking it into the title is nothing to review.
                if suspect && !line.text.trim().is_empty() {
                    suspects.push(line.clone());
                }
                lines.push(line);
            }
        }
    }
    // A sample label before the title (`篇一：`) is removed with a record.
    let title = title.map(|mut t| {
        let bare = title_text(&t.text);
        if bare.len() < t.text.len() {
            let label = t.text[..t.text.len() - bare.len()].trim_start_matches("# ").trim().to_owned();
            if !label.is_empty() {
                removed.push(Removed { at: t.at, rule: Rule::SampleLabel, text: label });
            }
            t.text = bare.to_owned();
        }
        t
    });
    removed.sort_by_key(|r| r.at);
    Cleaned { title, lines, removed, suspects }
}

/// Joins lines broken inside a sentence by a copy's line width: a line that
/// starts with closing punctuation belongs to the line before; so does a
/// line after an open one broken at the width the file wraps at. A short
/// open line (`上半年主要工作`) stands alone: a heading, not a broken line.
/// Headings, the front's lines (`stands_alone`) and blank lines are never
/// joined. A file with a blank line after nearly every line, many of them
/// breaking sentences, uses them as line spacing, not as paragraph breaks.
pub fn join_broken_lines(lines: Vec<Line>, stands_alone: impl Fn(&str) -> bool) -> Vec<Line> {
    let text_lines = lines.iter().filter(|l| !l.is_blank()).count();
    let blank_lines = lines.iter().filter(|l| l.is_blank()).count();
    let broken_before_blank = lines
        .windows(2)
        .filter(|w| w[1].is_blank() && !is_sentence(&w[0].text) && char_count(&w[0].text) >= 25)
        .count();
    let spaced = text_lines > 4 && blank_lines * 10 >= text_lines * 8 && broken_before_blank * 10 >= blank_lines * 3;
    let width = wrap_width(&lines, spaced);
    let in_blocks = !spaced && paragraphs_set_apart_by_blank_lines(&lines);
    let links_cut_out = links_on_lines_of_their_own(&lines);
    // What follows each line directly, if anything (a blank line is nothing).
    let next: Vec<Option<String>> =
        (0..lines.len()).map(|i| lines.get(i + 1).filter(|l| !l.is_blank()).map(|l| l.text.clone())).collect();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut after_blank = false;
    let mut previous_stood_alone = true;
    // Whether the last line kept is a heading inside a block.
    let mut previous_heading_in_block = false;
    for (i, line) in lines.into_iter().enumerate() {
        if line.is_blank() {
            after_blank = !spaced;
            continue;
        }
        // A short line after a sentence, inside a block, is a heading,
        // unless the file shows pieces of links and this one leads into
        // more text.
        let heading_in_block = in_blocks
            && !after_blank
            && out.last().is_some_and(|p| is_sentence(&p.text))
            && is_short_and_open(&line.text)
            && (!links_cut_out || next[i].as_deref().is_none_or(|n| is_structure(n) || starts_an_item(n)));
        if let Some(previous) = out.last_mut() {
            let open =
                !is_sentence(&previous.text) && !stands_alone(&previous.text) && !is_heading_text(&previous.text);
            // A line as wide as the file's lines, one that cannot end there,
            // or a long one with a sentence inside that breaks off without
            // a stop (`…改革。认真落实` / `区政府工作报告` / `确定的…`).
            let broken_off = char_count(&previous.text) >= 15 && previous.text.contains(['。', '，', '；']);
            let wrapped = width.is_some_and(|w| char_count(&previous.text) * 10 >= w * 6)
                || ends_mid_sentence(&previous.text)
                || broken_off;
            let short_alone = previous_stood_alone && !wrapped;
            let may_continue = open && !after_blank && !is_heading_text(&line.text) && !stands_alone(&line.text);
            // A sentence already broken once that still has not ended goes
            // on (`…发展的` / `主要目标` / `是：…`, a source's bold words).
            let still_broken = previous.rejoined && !is_title(&previous.text);
            // Where blank lines set paragraphs apart, lines without one
            // between them are one paragraph: a wiki page's links on lines
            // of their own (`…发展。` / `党的十八届六中全会` / `正式明确` /
            // `习近平` / `总书记的…`), a bold lead (`必须…中心。` / `社会…`).
            let same_block = in_blocks
                && !after_blank
                && !heading_in_block
                && !previous_heading_in_block
                && !is_structure(&previous.text)
                && !stands_alone(&previous.text)
                && !is_structure(&line.text)
                && !stands_alone(&line.text)
                && !starts_an_item(&line.text);
            // `…增加到二千四百万` / (blank) / `人，其中…`: no paragraph begins
            // with a clause of one character, so a paragraph broken off
            // without a stop goes on there, even across a blank line.
            let one_character_clause = line.text.chars().nth(1).is_some_and(|c| "，、；：".contains(c))
                && line.text.chars().next().is_some_and(is_han);
            let continues = starts_mid_sentence(&line.text)
                || same_block
                || (open
                    && broken_off
                    && one_character_clause
                    && !starts_an_item(&line.text)
                    && !stands_alone(&line.text))
                || (may_continue && (wrapped && !short_alone || still_broken));
            if continues {
                // Latin words broken at a line end get their space back; a
                // number broken (`超2` / `000个`) does not.
                let needs_space = previous.text.ends_with(|c: char| c.is_ascii_alphabetic())
                    && line.text.starts_with(|c: char| c.is_ascii_alphabetic());
                if needs_space {
                    previous.text.push(' ');
                }
                previous.text.push_str(&line.text);
                after_blank = false;
                previous.rejoined = true;
                continue;
            }
        }
        // Whether this line starts a paragraph of its own: what follows a
        // sentence, a heading or a blank line does.
        previous_stood_alone =
            out.last().is_none_or(|p| is_sentence(&p.text) || is_heading_text(&p.text)) || after_blank;
        previous_heading_in_block = heading_in_block;
        out.push(line);
        after_blank = false;
    }
    out
}

/// Whether a blank line follows nearly every sentence that ends a
/// paragraph-long line: the file's paragraphs are set apart.
fn paragraphs_set_apart_by_blank_lines(lines: &[Line]) -> bool {
    let ends: Vec<bool> = lines
        .windows(2)
        .filter(|w| is_sentence(&w[0].text) && char_count(&w[0].text) >= 40)
        .map(|w| w[1].is_blank())
        .collect();
    let apart = ends.iter().filter(|&&b| b).count();
    ends.len() >= 5 && apart * 10 >= ends.len() * 8
}

/// Whether links were cut out of the text onto lines of their own: lines
/// were broken where nothing else could break them (`“` / `十三五` /
/// `”实现了…`), or a word of one or two characters stands on a line (`在`).
fn links_on_lines_of_their_own(lines: &[Line]) -> bool {
    lines.iter().any(|l| l.rejoined)
        || lines.windows(2).any(|w| {
            let word = &w[0].text;
            (1..=2).contains(&char_count(word)) && word.chars().all(is_han) && !w[1].is_blank()
        })
}

/// `上半年主要工作`, `党的十八届六中全会`: a short line without punctuation.
fn is_short_and_open(line: &str) -> bool {
    char_count(line) <= 20 && !line.contains(['。', '，', '；', '：', '！', '？', ',', ';', ':'])
}

/// The width a file's lines are wrapped at (the median length of its open
/// lines followed by more text), if it wraps at all.
fn wrap_width(lines: &[Line], spaced: bool) -> Option<usize> {
    let mut widths: Vec<usize> = lines
        .windows(2)
        .filter(|w| {
            !w[0].is_blank() && (!w[1].is_blank() || spaced) && !is_sentence(&w[0].text) && !is_heading_text(&w[0].text)
        })
        .map(|w| char_count(&w[0].text))
        .filter(|&n| n >= 12)
        .collect();
    if widths.len() < 3 {
        return None;
    }
    widths.sort_unstable();
    let median = widths[widths.len() / 2];
    // Wrapped lines share their width (at least three of them, and most
    // open lines); a few open lines of any length (titles, labels, a
    // source's own stray breaks) are no wrapping.
    let near = widths.iter().filter(|&&n| n * 10 >= median * 8 && n * 10 <= median * 12).count();
    (near >= 3 && near * 2 >= widths.len()).then_some(median)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().enumerate().map(|(i, l)| Line::new(i + 1, normalize_line(l))).collect()
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).filter(|t| !t.is_empty()).collect()
    }

    fn han(text: &str) -> usize {
        han_count(text)
    }

    /// Every Han character of the source is in the kept lines, the removed
    /// lines or the title.
    fn assert_conserved(source: &str, cleaned: &Cleaned) {
        let kept: usize = cleaned.lines.iter().map(|l| han(&l.text)).sum();
        let removed: usize = cleaned.removed.iter().map(|r| han(&r.text)).sum();
        let title = cleaned.title.as_ref().map_or(0, |t| han(&t.text));
        assert_eq!(han(source), kept + removed + title, "{cleaned:#?}");
    }

    #[test]
    fn broken_lines_are_joined() {
        let input = lines(
            "听取了国务院总理李克强所作的\n政府工作报告\n。\n一、工作回顾\n细颗粒物（PM\n2.5\n）浓度下降，广义货币M\n2\n和社会融资规模增长。",
        );
        let joined = join_broken_lines(join_certain_breaks(input), |_| false);
        assert_eq!(
            texts(&joined),
            [
                "听取了国务院总理李克强所作的政府工作报告。",
                "一、工作回顾",
                "细颗粒物（PM2.5）浓度下降，广义货币M2和社会融资规模增长。"
            ]
        );
    }

    #[test]
    fn a_short_open_line_is_a_heading_not_a_broken_line() {
        let text = "\
全年工作取得明显成效，各项任务圆满完成，群众满意度持续提升，较上年提高了五个百分点以上。
上半年主要工作
一是完善制度机制，出台了一批管用的办法，推动各项工作规范化、制度化、程序化运行，取得
了良好效果，受到上级部门肯定和基层干部群众好评，为全年工作打下了坚实基础。
下半年工作安排
持续抓好落实。";
        let joined = join_broken_lines(lines(text), stands_alone);
        assert_eq!(
            texts(&joined),
            [
                "全年工作取得明显成效，各项任务圆满完成，群众满意度持续提升，较上年提高了五个百分点以上。",
                "上半年主要工作",
                "一是完善制度机制，出台了一批管用的办法，推动各项工作规范化、制度化、程序化运行，取得了良好效果，受到上级部门肯定和基层干部群众好评，为全年工作打下了坚实基础。",
                "下半年工作安排",
                "持续抓好落实。",
            ]
        );
    }

    #[test]
    fn a_file_of_one_paragraph_per_line_joins_only_what_is_broken() {
        // No wrap width: the few open lines (titles, labels, the source's own
        // breaks) differ in length, and a file of one paragraph per line
        // joins only what is broken.
        let text = "\
2026年是“十五五”第一年，开好局起好步十分重要。今年经济
社会发展的主要预期目标是：增长5%左右。
——2026年1月26日在广东省第十四届
“十五五”时期经济社会发展的
主要目标
是：地区生产总值年均增长5%左右，高质量发展取得显著成效。
各位代表！奋进正当其时，实干成就未来。
我国同伟大的和平堡垒苏联已经缔结了
友好同盟互助条约
。苏联根据友好互助的精神，已经将中国长春铁路移交我国。
附件1
2026年省十件民生实事
坚持民生为大，以更大力度投资于人，扎扎实实办好十件民生实事。";
        let joined = join_broken_lines(join_certain_breaks(lines(text)), stands_alone);
        assert_eq!(
            texts(&joined),
            [
                "2026年是“十五五”第一年，开好局起好步十分重要。今年经济社会发展的主要预期目标是：增长5%左右。",
                "——2026年1月26日在广东省第十四届",
                "“十五五”时期经济社会发展的主要目标是：地区生产总值年均增长5%左右，高质量发展取得显著成效。",
                "各位代表！奋进正当其时，实干成就未来。",
                "我国同伟大的和平堡垒苏联已经缔结了友好同盟互助条约。苏联根据友好互助的精神，已经将中国长春铁路移交我国。",
                "附件1",
                "2026年省十件民生实事",
                "坚持民生为大，以更大力度投资于人，扎扎实实办好十件民生实事。",
            ]
        );
    }

    #[test]
    fn where_blank_lines_set_paragraphs_apart_a_block_is_one_paragraph() {
        let paragraph = "这是一段完整的句子，用来说明这个文件的每一个段落之间都有一个空行分开，全文没有一处例外。\n\n";
        let wiki = format!(
            "{}过去一年，我国发展面临诸多矛盾，我们迎难而上，推动经济社会持续健康发展。\n党的十八届六中全会\n正式明确\n\
             习近平\n总书记的核心地位，全年主要目标任务圆满完成，“\n十三五\n”实现了良好开局。\n\n在\n工资制度和价格改革\n\
             上迈出重要的步子。\n\n",
            paragraph.repeat(5)
        );
        let joined = join_broken_lines(join_certain_breaks(lines(&wiki)), stands_alone);
        assert_eq!(
            &texts(&joined)[5..],
            [
                "过去一年，我国发展面临诸多矛盾，我们迎难而上，推动经济社会持续健康发展。党的十八届六中全会正式明确习近平总书记的核心地位，全年主要目标任务圆满完成，“十三五”实现了良好开局。",
                "在工资制度和价格改革上迈出重要的步子。",
            ]
        );
        // Without pieces of links, a short line under a sentence is a heading.
        let pasted = format!(
            "{}全年工作取得明显成效，群众满意度持续提升。\n上半年主要工作\n今年以来，我们完善制度机制。\n\n",
            paragraph.repeat(5)
        );
        let joined = join_broken_lines(join_certain_breaks(lines(&pasted)), stands_alone);
        assert_eq!(
            &texts(&joined)[5..],
            ["全年工作取得明显成效，群众满意度持续提升。", "上半年主要工作", "今年以来，我们完善制度机制。"]
        );
    }

    #[test]
    fn a_note_mark_and_a_quote_cut_onto_lines_of_their_own_go_back_into_the_sentence() {
        let text = "鄧同志\n[\n4\n]\n在唐山礦工罷工時犯了錯誤。\n7.“双向揭榜挂帅”：企业找技术、成果找市场“双向\n揭榜\n挂帅”的简称。";
        let joined = join_broken_lines(join_certain_breaks(lines(text)), stands_alone);
        assert_eq!(texts(&joined)[0], "鄧同志[4]在唐山礦工罷工時犯了錯誤。");
        assert_eq!(*texts(&joined).last().unwrap(), "7.“双向揭榜挂帅”：企业找技术、成果找市场“双向揭榜挂帅”的简称。");
    }

    #[test]
    fn a_paragraph_broken_off_goes_on_at_a_clause_of_one_character_across_a_blank_line() {
        // Paragraphs set apart by blank lines, most of them ending as
        // sentences do (not a file wrapped with a blank between lines).
        let text = "这一年的工作取得了新的进展。\n\n各项事业全面发展。\n\n人民生活继续改善。\n\n\
                    社会保持稳定。\n\n年末，国家机关、公私企业和事业共有职工大约八百万人，1956年末增加到二千四百万\n\n人，其中有私营企业转为国营的人员。\n\n五年来，在改革开放的推动下，我国国民经济持续发展，总的形势是很好的\n\n国家经济实力继续得到显著增强。\n\n我们一定要继续发扬积极探索、开拓前进的精神\n\n四、坚持独立自主的和平外交政策";
        let joined = join_broken_lines(join_certain_breaks(lines(text)), stands_alone);
        assert_eq!(
            texts(&joined)[4..],
            [
                "年末，国家机关、公私企业和事业共有职工大约八百万人，1956年末增加到二千四百万人，其中有私营企业转为国营的人员。",
                "五年来，在改革开放的推动下，我国国民经济持续发展，总的形势是很好的",
                "国家经济实力继续得到显著增强。",
                "我们一定要继续发扬积极探索、开拓前进的精神",
                "四、坚持独立自主的和平外交政策",
            ]
        );
    }

    #[test]
    fn a_blank_line_ends_a_paragraph() {
        let joined = join_broken_lines(lines("加强组织领导\n\n全年召开会议12次。"), |_| false);
        assert_eq!(texts(&joined), ["加强组织领导", "全年召开会议12次。"]);
    }

    #[test]
    fn a_word_on_a_line_of_its_own_inside_a_sentence_stays() {
        let text = "\
第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的
政府工作报告
。会议充分肯定国务院过去一年的工作，决定批准这个报告。

本作品来自中华人民共和国全国人民代表大会及其常务委员会的决定、决议。依据《
中华人民共和国著作权法
》第五条，本作品不适用于该法，所以属于
公有领域
。
Public domain
false";
        let cleaned = clean(lines(text), &HashSet::new(), true);
        assert_eq!(cleaned.title, None);
        assert_eq!(
            texts(&cleaned.lines),
            [
                "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，决定批准这个报告。"
            ]
        );
        assert!(cleaned.removed.iter().all(|r| r.rule == Rule::Licence), "{:?}", cleaned.removed);
        assert_conserved(text, &cleaned);
    }

    /// A note citing a page is the report's; a page number is not.
    #[test]
    fn a_footnote_citing_a_page_stays() {
        assert!(!is_page_furniture("③ 毛泽东：《实践论》，《毛泽东选集》第1卷，第285页。"));
        assert!(is_page_furniture("公文素材库 第3页"));
    }

    /// A government site's page: widgets, breadcrumb, labels with their
    /// values on the next line, a repeated title block, a caption.
    #[test]
    fn page_furniture_of_a_government_site_goes() {
        let text = "\
分享:
陕西省2026年政府工作报告
2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚
首页
>
政府信息公开
>
省政府工作报告
陕西省2026年政府工作报告
2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚
时间：
2026-02-02 09:20
来源：
陕西省人民政府
各位代表：
现在，我代表省人民政府向大会报告工作，请予审议。
各位代表！蓝图鼓舞人心，实干谱写华章，让我们团结奋斗
扫一扫在手机打开当前页
责任编辑：
李莎莎
相关链接>>
abcd39f1fb7f426d9dfb6bd0fa1f2146:
四川省第十四届人民代表大会第五次会议关于政府工作报告的决议
打印本页
关闭窗口";
        let cleaned = clean(lines(text), &HashSet::new(), true);
        assert_eq!(cleaned.title.as_ref().map(|t| t.text.as_str()), Some("陕西省2026年政府工作报告"));
        assert_eq!(
            texts(&cleaned.lines),
            [
                "2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚",
                "各位代表：",
                "现在，我代表省人民政府向大会报告工作，请予审议。",
                "各位代表！蓝图鼓舞人心，实干谱写华章，让我们团结奋斗",
            ]
        );
        assert_conserved(text, &cleaned);
    }

    /// Wikisource cuts bold lead words and links onto lines of their own:
    /// `一是` repeated by every list, a `——` leading an item, stay words of
    /// their paragraph (gwr/2000.txt, gwr/2017.txt).
    #[test]
    fn a_lead_word_on_a_line_of_its_own_stays_however_often_it_repeats() {
        let sentence =
            "我们坚持稳中求进工作总基调，统筹推进各项工作，经济社会发展取得新的成效，人民生活水平进一步提高。";
        let mut text = format!("政府工作报告\n\n{sentence}\n\n{sentence}\n\n");
        for (i, field) in ["工业", "农业", "外贸"].iter().enumerate() {
            text += &format!(
                "{field}方面的措施包括以下几个方面：\n\n　　\n一是\n扩大{field}投资{i}亿元。\n\n　　\n二是\n稳定{field}就业。\n\n{field}{sentence}\n\n"
            );
        }
        text += &format!("——\n改革开放\n深入推进。\n\n今年{sentence}\n\n明年{sentence}\n");
        let cleaned = clean(lines(&text), &HashSet::new(), true);
        let kept = texts(&cleaned.lines);
        assert_eq!(kept.iter().filter(|l| **l == "一是").count(), 3, "{kept:?} {:?}", cleaned.removed);
        assert!(kept.contains(&"——"), "{:?}", cleaned.removed);
        assert_conserved(&text, &cleaned);
    }

    /// Clutter worded unlike the benchmark's generator goes too, and the
    /// last paragraph stays although it lacks its full stop.
    #[test]
    fn clutter_of_other_sites_goes_and_every_sentence_stays() {
        let text = "\
★ 精品公文资料 尽在写作大师网 ★
本文档为付费内容，购买后可下载完整版

扫码添加小助手，免费领取写作资料包！
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
持续抓好粮食生产，确保全年任务完成，推动农业农村现代化迈出新步伐
——全文完——
以上就是小编为大家整理的2023年度工作总结，希望对您有所帮助！
喜欢本文请点赞、收藏、转发！
公文写作大师网出品 必属精品
猜你喜欢：
2024年农业农村局工作计划
2023年上半年工作总结
";
        let cleaned = clean(lines(text), &HashSet::new(), true);
        assert_eq!(cleaned.title.as_ref().map(|t| t.text.as_str()), Some("2023年度某县农业农村局工作总结"));
        let body = join_broken_lines(cleaned.lines.clone(), stands_alone);
        assert_eq!(
            texts(&body),
            [
                "2023年，我局认真贯彻落实县委县政府决策部署，全面推进乡村振兴，各项工作取得明显成效。现将有关情况总结如下：",
                "一、主要工作",
                "（一）粮食生产稳中有增。全年粮食播种面积32.5万亩，总产量14.2万吨。",
                "通过政务微信公众号发布农技信息260条，群众关注度明显提升。",
                "二、下一步打算",
                "持续抓好粮食生产，确保全年任务完成，推动农业农村现代化迈出新步伐",
            ]
        );
        assert_conserved(text, &cleaned);
    }
}
