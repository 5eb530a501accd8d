//! Splitting a report into YAML front matter and Markdown, and turning the
//! YAML into a typed `FrontMatter`, with every problem located in the file.
//!
//! Fields are checked one by one rather than in a single serde call, so that a
//! file with an unknown key *and* a mistyped year reports both at once.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::content::config::{Config, Vocabulary};
use crate::shared::diagnostics::{Diagnostic, Problem, Shown, closest};
use crate::shared::yaml::{self, Mapping, Value};

/// A report's fields. `body`, `level`, `year` and `period` are `None` only
/// while they are unknown and listed under `review:` (an import found no
/// evidence for them): shown as 年份不详, 发文机关不详 …, never as a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: String,
    /// The issuing body, e.g. 某区人大常委会党组.
    pub body: Option<String>,
    /// 国家级 / 省级 / 市级 / 区县级 …
    pub level: Option<String>,
    pub year: Option<i32>,
    /// 年度 / 上半年 / 下半年 / 第一季度 … / 工作要点
    pub period: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub draft: bool,
    /// Where the report came from (a file name, a URL, an import checksum).
    pub source: Option<String>,
    /// Fields a person still has to check, with the evidence an import
    /// found (or did not find) for each.
    pub review: Vec<Review>,
    /// Lines an import removed from the source as clutter, each with the
    /// rule that removed it: nothing of a report is lost unaccounted for.
    pub removed: Vec<RemovedLine>,
}

/// One field awaiting review: `review: [year]` or `review: {year: "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Review {
    pub field: String,
    /// What the import found: `没有日期行；标题无年份`.
    pub evidence: Option<String>,
}

/// A line `wenku import` removed: `{line: 3, rule: widget, text: "打印"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedLine {
    /// 1-based line (or paragraph, for Word and web pages) of the source.
    pub line: usize,
    pub rule: String,
    pub text: String,
}

/// How an unknown field reads wherever it is shown.
pub use wenku_engine::export::UNKNOWN_YEAR;
pub const UNKNOWN_BODY: &str = "发文机关不详";
pub const UNKNOWN_LEVEL: &str = "层级不详";
pub const UNKNOWN_PERIOD: &str = "报告期不详";

/// A year as the search index stores it (0: unknown), as readers see it.
pub use wenku_engine::export::year_label as stored_year_label;

impl RemovedLine {
    /// Why the line was removed, as the review page says it.
    pub fn rule_label(&self) -> &str {
        match self.rule.as_str() {
            "widget" => "网页控件",
            "breadcrumb" => "网页导航",
            "page-meta" => "网页信息（来源、时间、编辑等）",
            "promotion" => "推广或网站标识",
            "contact" => "联系方式",
            "page-furniture" => "页码或页眉页脚",
            "separator" => "分隔线",
            "related" => "相关文章列表",
            "end-marker" => "结束标记",
            "licence" => "版权或许可声明",
            "caption" => "图片说明",
            "duplicate" => "重复的行",
            "shared-across-files" => "多个文件共有的横幅",
            "sample-label" => "范文网站的标签",
            "before-title" => "标题之前的网页内容",
            "editor-note" => "编者按等转载者的话",
            other => other,
        }
    }
}

impl FrontMatter {
    /// `2021`, or 年份不详.
    pub fn year_label(&self) -> String {
        self.year.map_or_else(|| UNKNOWN_YEAR.to_owned(), |y| y.to_string())
    }

    /// `2021年`, or 年份不详: a year in running text.
    pub fn year_in_text(&self) -> String {
        self.year.map_or_else(|| UNKNOWN_YEAR.to_owned(), |y| format!("{y}年"))
    }

    pub fn body_label(&self) -> &str {
        self.body.as_deref().unwrap_or(UNKNOWN_BODY)
    }

    pub fn level_label(&self) -> &str {
        self.level.as_deref().unwrap_or(UNKNOWN_LEVEL)
    }

    pub fn period_label(&self) -> &str {
        self.period.as_deref().unwrap_or(UNKNOWN_PERIOD)
    }

    /// Whether `field` is listed under `review:`.
    pub fn awaits_review(&self, field: &str) -> bool {
        self.review.iter().any(|r| r.field == field)
    }
}

const REQUIRED: &[(&str, &str)] = &[
    ("title", "title: 2021年度工作总结"),
    ("body", "body: 某区人大常委会党组"),
    ("level", "level: 区县级"),
    ("year", "year: 2021"),
    ("period", "period: 年度"),
];
const OPTIONAL: &[&str] = &["date", "summary", "tags", "slug", "draft", "source", "review", "review_notes", "removed"];

pub const EXAMPLE: &str =
    "---\ntitle: 2021年度工作总结\nbody: 某区人大常委会党组\nlevel: 区县级\nyear: 2021\nperiod: 年度\n---";

/// The two halves of a report file, with where each starts (1-based lines).
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub markdown: &'a str,
}

/// Splits `text` (BOM stripped, LF line endings) at its `---` fences.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(path, Problem::EmptyFile { example: EXAMPLE.into() }).at(text, 1, 1));
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(Diagnostic::new(path, Problem::NoFrontMatter { example: EXAMPLE.into() }).at(text, 1, 1));
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start;
    for line in text[yaml_start.min(text.len())..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            let markdown = &text[offset + line.len()..];
            return Ok(Split { yaml: &text[yaml_start..offset], yaml_line: 2, markdown });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, Problem::FrontMatterNotClosed).at(text, 1, 1))
}

/// Parses and validates the front matter. `text` is the whole file, for quoting.
pub fn parse(path: &Path, text: &str, split: &Split, config: &Config) -> Result<FrontMatter, Vec<Diagnostic>> {
    let line_offset = split.yaml_line - 1;
    if let Some((line, column)) = too_deeply_nested(split.yaml) {
        return Err(vec![
            Diagnostic::new(path, Problem::NestedTooDeep { max: MAX_NESTING, example: EXAMPLE.into() }).at(
                text,
                line + line_offset,
                column,
            ),
        ]);
    }
    let mapping: Mapping = if split.yaml.trim().is_empty() {
        Mapping::new()
    } else {
        match yaml::from_str::<Value>(split.yaml) {
            Ok(Value::Mapping(m)) => m,
            Ok(_) => {
                return Err(vec![Diagnostic::new(path, Problem::NotKeyValueLines { example: EXAMPLE.into() }).at(
                    text,
                    split.yaml_line,
                    1,
                )]);
            }
            Err(e) if e.too_many_aliases || !e.located => {
                let alias = first_alias(split.yaml);
                let problem = if e.too_many_aliases {
                    Problem::TooManyAliases
                } else {
                    Problem::YamlUnlocated { message: e.message.clone() }
                };
                let diagnostic = Diagnostic::new(path, problem);
                return Err(vec![match alias.filter(|_| e.too_many_aliases) {
                    Some((line, column)) => diagnostic.at(text, line + line_offset, column),
                    None => diagnostic.at(text, split.yaml_line, 1),
                }]);
            }
            Err(e) => {
                // The parser may notice a problem only at the end of the
                // front matter; point at its last line rather than the fence.
                let yaml_lines = split.yaml.lines().count().max(1);
                let (line, column) = if e.line > yaml_lines { (yaml_lines, 1) } else { (e.line, e.column) };
                return Err(vec![Diagnostic::new(path, Problem::InvalidYaml { message: e.message.clone() }).at(
                    text,
                    line + line_offset,
                    column,
                )]);
            }
        }
    };
    let positions = key_positions(split.yaml, line_offset);
    let lines: Vec<&str> = text.lines().collect();
    let mut fields = Fields { path, lines, positions: &positions, mapping: &mapping, errors: Vec::new() };

    fields.check_unknown_keys();
    let review = fields.review();
    let settled = |field: &str| !review.iter().any(|r| r.field == field);
    let title = fields.required::<String>("title", true);
    // A field awaiting review may be left empty: unknown until settled.
    let body = fields.required::<String>("body", settled("body"));
    let level = fields.required::<String>("level", settled("level"));
    let year = fields.required::<i32>("year", settled("year"));
    let period = fields.required::<String>("period", settled("period"));
    let date = fields.optional::<String>("date");
    let summary = fields.optional::<String>("summary");
    let tags = fields.optional::<Vec<String>>("tags").unwrap_or_default();
    let slug = fields.optional::<String>("slug");
    let draft = fields.optional::<bool>("draft").unwrap_or(false);
    let source = fields.optional::<String>("source");
    let removed = fields.optional::<Vec<RemovedLine>>("removed").unwrap_or_default();

    // A value still awaiting review (`review: [body]`, as `wenku import`
    // writes when it could only guess) is not held to the vocabularies: the
    // report builds, and `check` lists it until someone settles it.
    if let Some(level) = level.as_ref().filter(|_| settled("level")) {
        fields.check_vocabulary("level", level, config, Vocabulary::Level);
    }
    if let Some(period) = period.as_ref().filter(|_| settled("period")) {
        fields.check_vocabulary("period", period, config, Vocabulary::Period);
    }
    if let Some(body) = body.as_ref().filter(|_| settled("body")) {
        fields.check_vocabulary("body", body, config, Vocabulary::Body);
    }
    if let (Some(year), Some(range)) = (year, config.years)
        && settled("year")
        && !(range.from..=range.to).contains(&year)
    {
        fields.error("year", Problem::YearOutOfRange { year, from: range.from, to: range.to });
    }
    if let Some(date) = &date
        && !is_iso_date(date)
    {
        fields.error("date", Problem::NotADate { date: date.clone() });
    }
    if let Some(slug) = &slug
        && (slug.trim().is_empty() || slug.contains(['/', '\\']))
    {
        fields.error("slug", Problem::BadSlug { slug: slug.clone() });
    }
    for (name, value) in [("title", &title), ("body", &body), ("level", &level), ("period", &period)] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) && (name == "title" || settled(name)) {
            fields.error(name, Problem::EmptyField { key: name.into(), example: example_of(name).into() });
        }
    }

    if !fields.errors.is_empty() {
        return Err(fields.errors);
    }
    // Every required field is present, or awaits review: a missing one
    // would have been an error.
    let known = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    Ok(FrontMatter {
        title: title.unwrap_or_default().trim().to_owned(),
        body: known(body),
        level: known(level),
        year,
        period: known(period),
        date,
        summary,
        tags,
        slug,
        draft,
        source,
        review,
        removed,
    })
}

/// Line and value column of each top-level key, for pointing at it.
fn key_positions(yaml: &str, line_offset: usize) -> HashMap<String, (usize, usize)> {
    let mut positions = HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim().trim_matches(['"', '\'']).to_owned();
            let after = &line[colon + 1..];
            let value_start = colon + 1 + (after.len() - after.trim_start().len());
            let column = line[..value_start].chars().count() + 1;
            positions.entry(key).or_insert((i + 1 + line_offset, column));
        }
    }
    positions
}

struct Fields<'a> {
    path: &'a Path,
    /// The file's lines, for quoting: split once, since a file may have
    /// thousands of problems.
    lines: Vec<&'a str>,
    positions: &'a HashMap<String, (usize, usize)>,
    mapping: &'a Mapping,
    errors: Vec<Diagnostic>,
}

impl Fields<'_> {
    /// The problem, pointed at `key`'s value.
    fn error(&mut self, key: &str, problem: Problem) {
        let (line, column) = self.positions.get(key).copied().unwrap_or((1, 1));
        let diagnostic = self.located(problem, line, column);
        self.errors.push(diagnostic);
    }

    fn located(&self, problem: Problem, line: usize, column: usize) -> Diagnostic {
        let source_line = self.lines.get(line.saturating_sub(1)).copied().unwrap_or("");
        Diagnostic::new(self.path, problem).at_line(line, column, source_line)
    }

    fn check_unknown_keys(&mut self) {
        let known: Vec<&str> = REQUIRED.iter().map(|(k, _)| *k).chain(OPTIONAL.iter().copied()).collect();
        for key in self.mapping.keys() {
            let name = match key {
                Value::String(s) => s.clone(),
                other => yaml_display(other),
            };
            if known.contains(&name.as_str()) {
                continue;
            }
            let closest = closest(&name, known.iter().copied()).map(str::to_owned);
            let (line, _) = self.positions.get(&name).copied().unwrap_or((1, 1));
            let known = known.iter().map(|k| (*k).to_owned()).collect();
            let diagnostic = self.located(Problem::UnknownField { name, closest, known }, line, 1);
            self.errors.push(diagnostic);
        }
    }

    /// A required field; `needed` is false for one awaiting review, which
    /// may be left empty.
    fn required<T: DeserializeOwned>(&mut self, key: &str, needed: bool) -> Option<T> {
        let empty = |v: &Value| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
        if !needed && self.mapping.get(key).is_none_or(empty) {
            return None;
        }
        if self.mapping.get(key).is_none_or(Value::is_null) {
            let diagnostic =
                self.located(Problem::MissingField { key: key.into(), example: example_of(key).into() }, 1, 1);
            self.errors.push(diagnostic);
            return None;
        }
        self.optional(key)
    }

    /// `review:` as a list of fields (`[year, body]`) or as a mapping of
    /// each field to the evidence found (`{year: "…"}`); `review_notes:`
    /// holds the evidence for a list's fields.
    fn review(&mut self) -> Vec<Review> {
        let mut review = self.review_fields();
        if let Some(Value::Mapping(notes)) = self.mapping.get("review_notes") {
            for r in &mut review {
                if r.evidence.is_none()
                    && let Some(Value::String(note)) = notes.get(r.field.as_str())
                {
                    r.evidence = Some(note.clone());
                }
            }
        } else if self.mapping.get("review_notes").is_some_and(|v| !v.is_null()) {
            self.error("review_notes", Problem::ReviewNotesNotMapping);
        }
        review
    }

    fn review_fields(&mut self) -> Vec<Review> {
        match self.mapping.get("review") {
            Some(Value::Mapping(fields)) => fields
                .iter()
                .map(|(field, evidence)| Review {
                    field: field.as_str().map_or_else(|| yaml_display(field), str::to_owned),
                    evidence: match evidence {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => Some(yaml_display(other)),
                    },
                })
                .collect(),
            _ => self
                .optional::<Vec<String>>("review")
                .unwrap_or_default()
                .into_iter()
                .map(|field| Review { field, evidence: None })
                .collect(),
        }
    }

    fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let value = self.mapping.get(key).filter(|v| !v.is_null())?.clone();
        let shown = shown(&value);
        match yaml::from_value::<T>(value) {
            Ok(v) => Some(v),
            Err(_) => {
                self.error(key, Problem::WrongType { key: key.into(), shown });
                None
            }
        }
    }

    fn check_vocabulary(&mut self, key: &str, value: &str, config: &Config, vocabulary: Vocabulary) {
        let allowed = config.allowed(vocabulary);
        if allowed.is_empty() || allowed.iter().any(|a| a == value) {
            return;
        }
        let closest = closest(value, allowed.iter().map(String::as_str)).map(str::to_owned);
        let problem = Problem::NotInList { key: key.into(), value: value.into(), closest, allowed: allowed.to_vec() };
        self.error(key, problem);
    }
}

fn example_of(key: &str) -> &'static str {
    REQUIRED.iter().find(|(k, _)| *k == key).map(|(_, e)| *e).unwrap_or("")
}

/// A value as a type problem shows it.
fn shown(value: &Value) -> Shown {
    match value {
        Value::Sequence(_) => Shown::List,
        Value::Mapping(_) => Shown::Mapping,
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Shown::Value(yaml_display(value)),
        _ => Shown::Unusual,
    }
}

fn yaml_display(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a nested mapping".into(),
        _ => "an unusual value".into(),
    }
}

/// Deeper than this, front matter is not a report's (whose fields are flat):
/// checked before the YAML parser, which takes minutes on 100,000 levels.
const MAX_NESTING: usize = 32;

/// Where the YAML first nests deeper than `MAX_NESTING` (1-based line and
/// column), by brackets (`[[[…`), indentation or `- - -` runs. Quoted text
/// is looked through only roughly: a false alarm needs 32 brackets in quotes.
/// The line and column of the first alias (`*name`) in the front matter.
fn first_alias(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len()).find_map(|j| {
            let starts_value = j == 0 || matches!(chars[j - 1], ' ' | '\t' | '[' | ',' | '{' | ':' | '-');
            let named = chars.get(j + 1).is_some_and(|c| c.is_alphanumeric() || *c == '_');
            (chars[j] == '*' && starts_value && named).then_some((i + 1, j + 1))
        })
    })
}

fn too_deeply_nested(yaml: &str) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut brackets = 0usize;
    for (number, line) in yaml.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if brackets == 0 {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let dashes = content.split_inclusive("- ").take_while(|part| part.trim() == "-").count();
            if indents.len() + dashes > MAX_NESTING {
                return Some((number + 1, indent + 1));
            }
        }
        let mut quote: Option<char> = None;
        for (byte, c) in line.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                // A comment: ` #` to the end of the line.
                (None, '#') if byte == 0 || line[..byte].ends_with(' ') => break,
                (None, '[' | '{') => {
                    brackets += 1;
                    if brackets > MAX_NESTING {
                        return Some((number + 1, line[..byte].chars().count() + 1));
                    }
                }
                (None, ']' | '}') => brackets = brackets.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// `YYYY-MM-DD` naming a day that exists (no 2021-02-30).
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(ok(y, 4) && ok(m, 2) && ok(d, 2)) {
        return false;
    }
    is_calendar_date(y.parse().unwrap_or(0), m.parse().unwrap_or(0), d.parse().unwrap_or(0))
}

/// Whether the day exists in that month of that year (leap years counted).
pub fn is_calendar_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        for good in ["2021-12-28", "2020-02-29", "2000-02-29", "2021-04-30"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in ["2021-02-30", "2021-02-29", "1900-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-1-5"] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_found_before_parsing() {
        assert_eq!(too_deeply_nested("title: 正常\ntags: [a, b]\n"), None);
        let brackets = format!("title: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(too_deeply_nested(&brackets), Some((1, 8 + MAX_NESTING)));
        let indented: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert_eq!(too_deeply_nested(&indented), Some((MAX_NESTING + 1, MAX_NESTING + 1)));
        let dashes = format!("tags: \n{}a\n", "- ".repeat(100));
        assert!(too_deeply_nested(&dashes).is_some());
        assert_eq!(
            too_deeply_nested("title: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n"),
            None,
            "brackets in quotes"
        );
    }
}
