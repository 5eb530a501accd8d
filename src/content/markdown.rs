//! Markdown to HTML, plain text, table of contents and paragraph anchors, in
//! one pass over pulldown-cmark's events.
//!
//! Every heading gets an id that keeps its Chinese text (as Hugo does), and
//! every paragraph, list item and table a numbered anchor (`p-3`), so search
//! results can link to the exact place a phrase was found.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// One entry of a report's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A piece of text with the anchor that links to it: what search indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub anchor: String,
    pub text: String,
    pub kind: BlockKind,
}

/// The element a block was rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    /// `<p id="p-3">`
    Paragraph,
    /// `<li id="p-3">` or a table's wrapper `<div id="p-3">`.
    Other,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    pub blocks: Vec<Block>,
}

impl Rendered {
    /// The report's text as one string, blocks separated by newlines.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            out.push_str(&block.text);
            out.push('\n');
        }
        out
    }
}

pub fn render(markdown: &str, allow_html: bool) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let events: Vec<Event> = Parser::new_ext(markdown, options)
        .map(|event| match event {
            // Escaped, not dropped: the reader still sees what the author wrote.
            Event::Html(s) | Event::InlineHtml(s) if !allow_html => Event::Text(s),
            other => other,
        })
        .collect();

    let mut out = Rendered::default();
    let mut used_ids = HeadingIds::default();
    // For each open link and image: whether its tags were dropped (an unsafe
    // URL), so that its end is dropped too and its text stays as text.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut paragraph_count = 0usize;
    // Blocks being filled, innermost last; each is (index in out.blocks).
    let mut open_blocks: Vec<usize> = Vec::new();
    // The heading being read: where its opening tag goes, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());

    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let safe = is_safe_url(dest_url);
                dropped_links.push(!safe);
                if safe {
                    html_events.push(event.clone());
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped_links.pop().unwrap_or(false) {
                    html_events.push(event.clone());
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                // The id needs the heading's whole text: the tag is filled in at its end.
                heading = Some((html_events.len(), String::new()));
                html_events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                let Some((start, text)) = heading.take() else { continue };
                let id = used_ids.unique(heading_id(&text));
                let n = *level as u8;
                html_events[start] = Event::Html(format!("<h{n} id=\"{}\">", crate::escape::escaped(&id)).into());
                html_events.push(Event::Html(format!("</h{n}>\n").into()));
                if (2..=4).contains(&n) {
                    out.toc.push(Heading { level: n, id: id.clone(), text: text.clone() });
                }
                out.blocks.push(Block { anchor: id, text, kind: BlockKind::Heading });
            }
            Event::Start(tag @ (Tag::Paragraph | Tag::Item | Tag::Table(_))) => {
                paragraph_count += 1;
                let anchor = format!("p-{paragraph_count}");
                let opening = match tag {
                    Tag::Paragraph => format!("<p id=\"{anchor}\">"),
                    Tag::Item => format!("<li id=\"{anchor}\">"),
                    // A wrapper carries the anchor and lets wide tables scroll;
                    // on a phone a table of four columns or more says so.
                    Tag::Table(columns) if columns.len() >= 4 => format!(
                        "<div class=\"table-wrap wide\" id=\"{anchor}\"><p class=\"scroll-hint\" aria-hidden=\"true\">左右滑动，查看全表 →</p>"
                    ),
                    _ => format!("<div class=\"table-wrap\" id=\"{anchor}\">"),
                };
                html_events.push(Event::Html(opening.into()));
                if let Tag::Table(_) = tag {
                    // push_html keeps its own table state: pass the start on.
                    html_events.push(event.clone());
                }
                let kind = if let Tag::Paragraph = tag { BlockKind::Paragraph } else { BlockKind::Other };
                open_blocks.push(out.blocks.len());
                out.blocks.push(Block { anchor, text: String::new(), kind });
            }
            Event::End(end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::Table)) => {
                match end {
                    TagEnd::Paragraph => html_events.push(Event::Html("</p>\n".into())),
                    TagEnd::Item => html_events.push(Event::Html("</li>\n".into())),
                    _ => {
                        html_events.push(event.clone());
                        html_events.push(Event::Html("</div>\n".into()));
                    }
                }
                open_blocks.pop();
            }
            Event::Text(text) | Event::Code(text) => {
                append_text(&mut heading, &open_blocks, &mut out.blocks, text);
                html_events.push(event.clone());
            }
            Event::SoftBreak => {
                // A line break between two Chinese characters is not a space:
                // browsers would show one, and phrase search must not see one.
                let joins_cjk = ends_with_cjk(&events[..i]) && starts_with_cjk(&events[i + 1..]);
                if !joins_cjk {
                    append_text(&mut heading, &open_blocks, &mut out.blocks, " ");
                    html_events.push(event.clone());
                }
            }
            Event::HardBreak => {
                append_text(&mut heading, &open_blocks, &mut out.blocks, "\n");
                html_events.push(event.clone());
            }
            Event::Start(Tag::TableCell) => {
                append_text(&mut heading, &open_blocks, &mut out.blocks, " ");
                html_events.push(event.clone());
            }
            _ => html_events.push(event.clone()),
        }
    }
    out.blocks.retain(|b| !b.text.trim().is_empty());
    for block in &mut out.blocks {
        let trimmed = block.text.trim();
        if trimmed.len() != block.text.len() {
            block.text = trimmed.to_owned();
        }
    }
    html::push_html(&mut out.html, html_events.into_iter());
    out
}

fn append_text(heading: &mut Option<(usize, String)>, open: &[usize], blocks: &mut [Block], text: &str) {
    if let Some((_, heading_text)) = heading {
        heading_text.push_str(text);
    } else if let Some(&index) = open.last() {
        blocks[index].text.push_str(text);
    }
}

fn ends_with_cjk(before: &[Event]) -> bool {
    match before.last() {
        Some(Event::Text(t)) | Some(Event::Code(t)) => t.chars().last().is_some_and(is_cjk),
        _ => false,
    }
}

fn starts_with_cjk(after: &[Event]) -> bool {
    match after.first() {
        Some(Event::Text(t)) | Some(Event::Code(t)) => t.chars().next().is_some_and(is_cjk),
        _ => false,
    }
}

/// Han, Kana, Hangul and CJK punctuation: scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// A heading's id: its letters and digits (Chinese kept), spaces as `-`,
/// punctuation dropped, Latin lowercased. `一、总体情况` → `一总体情况`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() { "section".into() } else { id }
}

/// The heading ids given so far, and for each base id the next suffix to
/// try: 20,000 equal headings cost 20,000 steps, not 200 million.
#[derive(Default)]
struct HeadingIds {
    used: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, id: String) -> String {
        if self.used.insert(id.clone()) {
            return id;
        }
        let n = self.next_suffix.entry(id.clone()).or_insert(1);
        loop {
            // `一-1` may already be taken by a heading written that way.
            let candidate = format!("{id}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// URL schemes a link or image may use; any other (`javascript:`,
/// `vbscript:`, `data:` …) would run or show content the archive did not
/// write, so such a link is shown as its text.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether a browser would open `url` as http(s), mailto, or a path or
/// fragment of this site. Read as a browser reads it: entities are already
/// decoded by the parser; percent-escapes, tabs and line breaks inside, and
/// controls and spaces in front are all looked through.
pub fn is_safe_url(url: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let seen: String =
        decoded.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let scheme = match seen.find([':', '/', '?', '#', '\\']) {
        Some(at) if seen[at..].starts_with(':') => &seen[..at],
        // No scheme: a relative path or a fragment.
        _ => return true,
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    // `第一章:说明` is a relative path to a browser, not a scheme.
    !is_scheme || SAFE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_chinese_and_are_unique() {
        let r = render("## 一、总体情况\n\n## 一、总体情况\n\n### Work Plan 2021\n", false);
        assert_eq!(r.toc[0].id, "一总体情况");
        assert_eq!(r.toc[1].id, "一总体情况-1");
        assert_eq!(r.toc[2].id, "work-plan-2021");
        assert!(r.html.contains("<h2 id=\"一总体情况\">一、总体情况</h2>"));
    }

    #[test]
    fn paragraphs_get_anchors_and_plain_text() {
        let r = render("第一段。\n\n第二段，\n继续。\n", false);
        assert!(r.html.contains("<p id=\"p-1\">第一段。</p>"), "{}", r.html);
        assert!(r.html.contains("<p id=\"p-2\">第二段，继续。</p>"), "{}", r.html);
        assert_eq!(
            r.blocks[1],
            Block { anchor: "p-2".into(), text: "第二段，继续。".into(), kind: BlockKind::Paragraph }
        );
    }

    #[test]
    fn latin_line_breaks_stay_spaces() {
        let r = render("PM2.5\nfell\n", false);
        assert_eq!(r.blocks[0].text, "PM2.5 fell");
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let escaped = render("<script>alert(1)</script>\n\n文字<b>粗</b>\n", false);
        assert!(!escaped.html.contains("<script>"));
        assert!(escaped.html.contains("&lt;script&gt;"));
        assert!(escaped.html.contains("&lt;b&gt;"));
        let allowed = render("文字<b>粗</b>\n", true);
        assert!(allowed.html.contains("<b>粗</b>"));
    }

    #[test]
    fn only_safe_link_schemes_reach_href_or_src() {
        let hostile = [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](java%09script:alert(1))",
            "[x](%6Aavascript:alert(1))",
            "[x]( \u{1}javascript:alert(1))",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "![x](javascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox(1))",
            "[![img](javascript:a)](javascript:b)",
        ];
        for markdown in hostile {
            let html = render(markdown, false).html;
            let lower = html.to_lowercase();
            assert!(!lower.contains("href=") && !lower.contains("src="), "{markdown:?} gave {html}");
            assert!(html.contains('x') || html.contains("img") || html.contains("alert"), "its text stays: {html}");
        }
        let fine = [
            ("[x](https://example.org/a)", "href=\"https://example.org/a\""),
            ("[x](mailto:a@example.org)", "href=\"mailto:a@example.org\""),
            ("[x](../2020/报告/)", "href=\"../2020/%E6%8A%A5%E5%91%8A/\""),
            ("[x](#p-3)", "href=\"#p-3\""),
            ("[x](第一章:说明)", "href=\""),
            ("正文[^1]\n\n[^1]: 注。", "href=\"#1\""),
        ];
        for (markdown, expected) in fine {
            let html = render(markdown, false).html;
            assert!(html.contains(expected), "{markdown:?} gave {html}");
        }
    }

    #[test]
    fn many_equal_headings_get_unique_ids_in_linear_time() {
        let markdown = "## 一、总体情况\n\n## 一、总体情况-1\n\n".to_owned() + &"## 一、总体情况\n\n".repeat(20_000);
        let started = std::time::Instant::now();
        let r = render(&markdown, false);
        let ids: std::collections::HashSet<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 20_002, "every heading has its own id");
        assert_eq!(r.toc[1].id, "一总体情况-1");
        assert_eq!(r.toc[2].id, "一总体情况-2", "a suffix already taken is skipped");
        // Quadratic suffixes took over a minute here; linear takes milliseconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let r = render("| 指标 | 数值 |\n|---|---|\n| GDP | 5% |\n\n~~删除~~[^1]\n\n[^1]: 注释。\n", false);
        assert!(r.html.contains("<table"), "{}", r.html);
        assert!(r.html.contains("<del>删除</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.blocks.iter().any(|b| b.text.contains("GDP") && b.text.contains("5%")));
    }
}
