//! Web pages (`.html`, `.htm`, Word's "web page" `.doc`) and single-file
//! web archives (`.mht`) into blocks: headings, paragraphs, list items and
//! tables. The page's encoding comes from its meta tag, else it is detected.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::Block;

/// The blocks of a web page and the encoding it was read in.
pub fn read_html(bytes: &[u8]) -> Result<(Vec<Block>, &'static str), String> {
    let (text, encoding) = match declared_encoding(bytes) {
        Some(encoding) => {
            let (text, _, _) = encoding.decode(bytes);
            (text.into_owned(), encoding.name())
        }
        None => super::decode::decode(bytes)?,
    };
    Ok((blocks_of(&text), encoding))
}

/// The blocks of the web page inside a `.mht` archive.
pub fn read_mht(bytes: &[u8]) -> Result<Vec<Block>, String> {
    let message = mail_parser::MessageParser::default()
        .parse(bytes)
        .ok_or("not a web archive (.mht): its MIME structure cannot be read")?;
    let html = message
        .parts
        .iter()
        .find_map(|part| match &part.body {
            mail_parser::PartType::Html(html) => Some(html.as_ref()),
            _ => None,
        })
        .ok_or("the web archive (.mht) holds no HTML page")?;
    Ok(blocks_of(html))
}

/// `<meta charset="gbk">` or `<meta http-equiv=Content-Type content="text/html; charset=gb2312">`.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return Some(encoding);
    }
    let head: String = bytes[..bytes.len().min(4096)].iter().map(|&b| (b as char).to_ascii_lowercase()).collect();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    // GBK and GB2312 pages often hold GB18030 characters: read the superset.
    Some(if encoding == encoding_rs::GBK { encoding_rs::GB18030 } else { encoding })
}

const SKIPPED: &[&str] = &["script", "style", "head", "title", "noscript", "template", "svg", "iframe", "object"];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "form",
    "center",
    "address",
    "figure",
    "figcaption",
    "hr",
    "body",
    "tr",
];

/// Walks the page, flushing the text gathered so far at each block edge.
struct Walker {
    blocks: Vec<Block>,
    text: String,
}

fn blocks_of(html: &str) -> Vec<Block> {
    let document = Html::parse_document(html);
    let mut walker = Walker { blocks: Vec::new(), text: String::new() };
    walker.walk(document.tree.root());
    walker.flush(Block::Paragraph);
    walker.blocks
}

impl Walker {
    fn flush(&mut self, make: impl Fn(String) -> Block) {
        // Lines broken by `<br>` are paragraphs of their own.
        let text = collapse_spaces(&self.text);
        self.text.clear();
        for line in text.lines() {
            self.blocks.push(make(line.to_owned()));
        }
    }

    fn walk(&mut self, node: NodeRef<Node>) {
        match node.value() {
            // A line break in the page's source is white space; only
            // `<br>` breaks a line.
            Node::Text(text) => self.text.push_str(&source_breaks_as_spaces(text)),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    return;
                }
                match name {
                    "br" => self.text.push('\n'),
                    "table" if !is_layout_table(node) => {
                        self.flush(Block::Paragraph);
                        let rows = table_rows(node);
                        if !rows.is_empty() {
                            self.blocks.push(Block::Table(rows));
                        }
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" => {
                        self.flush(Block::Paragraph);
                        for child in node.children() {
                            self.walk(child);
                        }
                        // An `<h1>` is usually the title: the cleaner finds it as one.
                        let level = name[1..].parse::<usize>().unwrap_or(0);
                        match name {
                            "li" => self.flush(Block::ListItem),
                            _ if level >= 2 => self.flush(|t| Block::Heading(level - 1, t)),
                            _ => self.flush(Block::Paragraph),
                        }
                    }
                    _ => {
                        let block = BLOCKS.contains(&name) || name == "td" || name == "th" || name == "table";
                        if block {
                            self.flush(Block::Paragraph);
                        }
                        for child in node.children() {
                            self.walk(child);
                        }
                        if block {
                            self.flush(Block::Paragraph);
                        }
                    }
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child);
                }
            }
        }
    }
}

/// A line break of the page's source, told apart from `<br>`'s.
const SOURCE_BREAK: char = '\u{1}';

/// The page source's own line breaks, marked for `collapse_spaces`.
fn source_breaks_as_spaces(text: &str) -> String {
    text.replace(['\n', '\r'], &SOURCE_BREAK.to_string())
}

/// Line breaks (`<br>`) split a paragraph; other runs of white space are one
/// space, except that a run holding a line break of the page's source
/// vanishes between Chinese characters (the source was only wrapped there,
/// often around a link: `落实\n<a>市政府工作报告</a>\n部署`).
fn collapse_spaces(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut run: Option<bool> = None; // in a run of white space: whether it holds a source break
            for c in line.chars() {
                if c.is_whitespace() || c == SOURCE_BREAK {
                    run = Some(run.unwrap_or(false) || c == SOURCE_BREAK);
                    continue;
                }
                if let Some(source_break) = run.take() {
                    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                    if !out.is_empty() && (!source_break || (latin(out.chars().last()) && latin(Some(c)))) {
                        out.push(' ');
                    }
                }
                out.push(c);
            }
            out
        })
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

/// A table that lays out the page (cells holding paragraphs or long text,
/// or one cell a row: a banner, a menu, a footer) is read as its contents,
/// not as a table.
fn is_layout_table(table: NodeRef<Node>) -> bool {
    let one_column = table_rows(table).iter().all(|row| row.iter().filter(|c| !c.is_empty()).count() <= 1);
    one_column
        || table.descendants().any(|n| match n.value() {
            Node::Element(e) => matches!(e.name(), "p" | "div" | "table" | "h1" | "h2" | "h3") && n.id() != table.id(),
            Node::Text(t) => t.chars().count() > 200,
            _ => false,
        })
}

fn table_rows(table: NodeRef<Node>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for row in table.descendants().filter(|n| n.value().as_element().is_some_and(|e| e.name() == "tr")) {
        let cells: Vec<String> = row
            .children()
            .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "td" || e.name() == "th"))
            .map(|cell| {
                let text: String =
                    cell.descendants().filter_map(|n| n.value().as_text().map(|t| t.to_string())).collect();
                collapse_spaces(&text).replace('\n', " ")
            })
            .collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push(cells);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_page_in_gbk() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                    <title>网站标题</title><script>var x;</script></head><body>\
                    <h1>2020年某区工作总结</h1><p>一年来，我们<b>扎实</b>推进各项工作。</p>\
                    <h2>一、主要工作</h2><ul><li>加强学习</li></ul>\
                    <table><tr><td>指标</td><td>数值</td></tr><tr><td>GDP</td><td>120亿元</td></tr></table>\
                    </body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let (blocks, encoding) = read_html(&bytes).unwrap();
        assert_eq!(encoding, "gb18030");
        assert_eq!(
            blocks,
            [
                Block::Paragraph("2020年某区工作总结".into()),
                Block::Paragraph("一年来，我们扎实推进各项工作。".into()),
                Block::Heading(1, "一、主要工作".into()),
                Block::ListItem("加强学习".into()),
                Block::Table(vec![vec!["指标".into(), "数值".into()], vec!["GDP".into(), "120亿元".into()]]),
            ]
        );
    }
}
