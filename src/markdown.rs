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
    let mut used_ids = std::collections::HashSet::new();
    let mut paragraph_count = 0usize;
    // Blocks being filled, innermost last; each is (index in out.blocks).
    let mut open_blocks: Vec<usize> = Vec::new();
    // The heading being read: where its opening tag goes, and its text so far.
    let mut heading: Option<(usize, String)> = None;
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len());

    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                // The id needs the heading's whole text: the tag is filled in at its end.
                heading = Some((html_events.len(), String::new()));
                html_events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                let Some((start, text)) = heading.take() else { continue };
                let id = unique_id(heading_id(&text), &mut used_ids);
                let n = *level as u8;
                html_events[start] = Event::Html(format!("<h{n} id=\"{}\">", escape_attr(&id)).into());
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
                    // A wrapper carries the anchor and lets wide tables scroll.
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

fn unique_id(id: String, used: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    candidate
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
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
    fn tables_footnotes_strikethrough() {
        let r = render("| 指标 | 数值 |\n|---|---|\n| GDP | 5% |\n\n~~删除~~[^1]\n\n[^1]: 注释。\n", false);
        assert!(r.html.contains("<table"), "{}", r.html);
        assert!(r.html.contains("<del>删除</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.blocks.iter().any(|b| b.text.contains("GDP") && b.text.contains("5%")));
    }
}
