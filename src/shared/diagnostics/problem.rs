//! Every problem a site's files can have, worded in English and Chinese in
//! one table. A `Problem` is the only way to make a `Diagnostic`, and each
//! arm below must give both languages (`Both` has no other constructor), so
//! a problem without its Chinese does not compile.

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Both {
    pub en: String,
    pub zh: String,
}

/// A text in English and in Chinese.
pub fn both(en: impl Into<String>, zh: impl Into<String>) -> Both {
    Both { en: en.into(), zh: zh.into() }
}

/// A problem's message and the hint on how to fix it.
pub struct Words {
    pub message: Both,
    pub hint: Option<Both>,
}

/// A YAML value as a message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// A scalar, as written (a string quoted).
    Value(String),
    List,
    Mapping,
    Unusual,
}

impl Shown {
    fn words(&self) -> Both {
        match self {
            Shown::Value(value) => both(value, value),
            Shown::List => both("a list", "列表"),
            Shown::Mapping => both("a nested mapping", "嵌套的映射"),
            Shown::Unusual => both("an unusual value", "特殊的值"),
        }
    }
}

/// What is wrong, with what the words need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // wenku.yaml
    CannotReadConfig {
        why: String,
    },
    /// The YAML parser's message; for an unknown key, the closest known one
    /// (`None`: none is close) and all of them.
    ConfigInvalid {
        message: String,
        unknown_key: Option<(Option<String>, Vec<String>)>,
    },
    PaginateZero,
    MaxReportMbZero,
    YearsReversed,
    // templates
    Template {
        message: String,
    },
    // content/ and its files
    ContentFolderMissing,
    CannotReadFolder {
        why: String,
    },
    CannotReadFile {
        why: String,
    },
    LinkOutsideContent,
    NotRegularFile,
    FileTooLarge {
        mb: u64,
    },
    /// Another report is written to the same address.
    SameAddress {
        other: String,
        path: String,
    },
    StrayBytes {
        count: usize,
        first: u8,
    },
    NotUtf8 {
        looks_like: String,
        encoding: String,
    },
    // front matter
    EmptyFile {
        example: String,
    },
    NoFrontMatter {
        example: String,
    },
    FrontMatterNotClosed,
    NestedTooDeep {
        max: usize,
        example: String,
    },
    NotKeyValueLines {
        example: String,
    },
    TooManyAliases,
    /// YAML the parser could not place on a line.
    YamlUnlocated {
        message: String,
    },
    InvalidYaml {
        message: String,
    },
    UnknownField {
        name: String,
        closest: Option<String>,
        known: Vec<String>,
    },
    MissingField {
        key: String,
        example: String,
    },
    ReviewNotesNotMapping,
    /// A value of the wrong type: `year`, `draft`, a list, `removed`, text.
    WrongType {
        key: String,
        shown: Shown,
    },
    NotInList {
        key: String,
        value: String,
        closest: Option<String>,
        allowed: Vec<String>,
    },
    YearOutOfRange {
        year: i32,
        from: i32,
        to: i32,
    },
    NotADate {
        date: String,
    },
    BadSlug {
        slug: String,
    },
    EmptyField {
        key: String,
        example: String,
    },
    // output paths (`owners`): who would be written where, in both languages
    PathTaken {
        owner: Both,
        path: String,
        taken_by: Both,
    },
    NameTooLong {
        owner: Both,
        bytes: usize,
        name: String,
        max: usize,
    },
    CaseClash {
        first: Both,
        first_path: String,
        second: Both,
        second_path: String,
    },
    SamePath {
        first: Both,
        second: Both,
        path: String,
    },
}

const RENAME: (&str, &str) = (
    "give the report a `slug:` or move its file; the top-level names index.html, 404.html, atom.xml, sitemap.xml, web.config, search, review, passages, years, bodies, levels, periods, static, _search, api, compare and __wenku are the site's own",
    "给报告设 `slug:` 或移动文件；顶层名称 index.html、404.html、atom.xml、sitemap.xml、web.config、search、review、passages、years、bodies、levels、periods、static、_search、api、compare 和 __wenku 是站点自用的",
);

impl Problem {
    pub fn words(&self) -> Words {
        use Problem::*;
        let (message, hint) = match self {
            CannotReadConfig { why } => {
                (both(format!("cannot read the config: {why}"), format!("无法读取配置：{why}")), None)
            }
            ConfigInvalid { message, unknown_key } => (
                both(message, format!("wenku.yaml 有误：{message}")),
                unknown_key.as_ref().map(|(closest, keys)| match closest {
                    Some(k) => both(format!("did you mean `{k}`?"), format!("是不是 `{k}`？")),
                    None => {
                        both(format!("allowed keys: {}", keys.join(", ")), format!("可用的键：{}", keys.join("、")))
                    }
                }),
            ),
            PaginateZero => (
                both("`paginate` must be at least 1", "`paginate` 至少为 1"),
                Some(both(
                    "set `paginate: 50`, or remove the key for the default",
                    "设为 `paginate: 50`，或删去这个键用默认值",
                )),
            ),
            MaxReportMbZero => (
                both("`max_report_mb` must be at least 1", "`max_report_mb` 至少为 1"),
                Some(both(
                    "set `max_report_mb: 64`, or remove the key for the default",
                    "设为 `max_report_mb: 64`，或删去这个键用默认值",
                )),
            ),
            YearsReversed => (
                both("`years.from` is after `years.to`", "`years.from` 晚于 `years.to`"),
                Some(both(
                    "write the earliest year first, e.g. `years: {from: 2015, to: 2026}`",
                    "先写较早的年份，例如 `years: {from: 2015, to: 2026}`",
                )),
            ),
            Template { message } => (
                both(message, format!("模板有误：{message}")),
                Some(both(
                    "fix the template (Tera syntax: {{ value }}, {% if %}…{% endif %}), or delete it to use the theme's",
                    "修正模板（Tera 语法：{{ value }}、{% if %}…{% endif %}），或删去它以使用主题自带的",
                )),
            ),
            ContentFolderMissing => (
                both("the content folder does not exist", "content 文件夹不存在"),
                Some(both(
                    "run wenku in a site folder (one with `content/`), pass `--root SITE`, or create one with `wenku init`",
                    "在站点文件夹（含 `content/`）中运行 wenku，或用 `--root SITE` 指定，或用 `wenku init` 新建一个",
                )),
            ),
            CannotReadFolder { why } => (
                both(format!("cannot read this folder: {why}"), format!("无法读取这个文件夹：{why}")),
                Some(both(
                    "check its permissions and the length of its path; the reports in it are not in the site",
                    "检查它的权限和路径长度；其中的报告不在站点中",
                )),
            ),
            CannotReadFile { why } => (
                both(format!("cannot read the file: {why}"), format!("无法读取文件：{why}")),
                Some(both("check that it exists and that you may read it", "检查文件是否存在、是否有读取权限")),
            ),
            LinkOutsideContent => (
                both(
                    "this is a link to a file outside `content/`; it is not followed",
                    "这是指向 `content/` 以外文件的链接，不会跟随",
                ),
                Some(both(
                    "copy the report into `content/` instead of linking to it",
                    "把报告复制到 `content/` 中，而不是链接过去",
                )),
            ),
            NotRegularFile => (
                both(
                    "this is not a regular file (a named pipe, a device or a socket)",
                    "这不是普通文件（是命名管道、设备或套接字）",
                ),
                Some(both(
                    "remove it from `content/`, or rename it so that it does not end in `.md`",
                    "把它移出 `content/`，或改名使其不以 `.md` 结尾",
                )),
            ),
            FileTooLarge { mb } => (
                both(
                    format!("the file is more than the {mb} MB a report may have"),
                    format!("文件超过了报告允许的 {mb} MB"),
                ),
                Some(both(
                    "split it into several reports, or raise `max_report_mb` in wenku.yaml",
                    "把它拆成几篇报告，或在 wenku.yaml 中调高 `max_report_mb`",
                )),
            ),
            SameAddress { other, path } => (
                both(
                    format!("this report and {other} would both be written to /{path}"),
                    format!("这篇报告与 {other} 会写到同一个地址 /{path}"),
                ),
                Some(both(
                    "give one of them a different `slug:` in its front matter, or rename the file",
                    "给其中一篇在前置元数据中另设 `slug:`，或给文件改名",
                )),
            ),
            StrayBytes { count, first } => (
                both(
                    format!(
                        "the file is UTF-8 except for {count} byte sequence{} that is not a character; the first is 0x{first:02X}",
                        if *count == 1 { "" } else { "s" }
                    ),
                    format!("文件是 UTF-8，但有 {count} 处字节不成字符；第一处是 0x{first:02X}"),
                ),
                Some(both(
                    "retype or delete the character at this place (shown as �): it is probably a stray byte from a copy or a damaged file",
                    "重打或删去此处的字符（显示为 �）：多半是复制时混入的字节或文件损坏",
                )),
            ),
            NotUtf8 { looks_like, encoding } => (
                both(
                    format!("the file is not UTF-8; it looks like {looks_like}"),
                    format!("文件不是 UTF-8 编码，看来是 {looks_like}"),
                ),
                Some(both(
                    format!(
                        "convert it to UTF-8: `wenku import` converts legacy encodings, or `iconv -f {encoding} -t UTF-8`"
                    ),
                    format!("转成 UTF-8：`wenku import` 能转换旧编码，也可用 `iconv -f {encoding} -t UTF-8`"),
                )),
            ),
            EmptyFile { example } => (
                both("the file is empty", "文件是空的"),
                Some(both(
                    format!("a report starts with front matter, then Markdown:\n{example}"),
                    format!("报告以前置元数据开头，其后是 Markdown 正文：\n{example}"),
                )),
            ),
            NoFrontMatter { example } => (
                both("the file has no front matter", "文件没有前置元数据"),
                Some(both(
                    format!("start the file with a `---` line, the report's fields, and another `---`:\n{example}"),
                    format!("文件应以一行 `---` 开头，接着是报告的各字段，再以一行 `---` 结束：\n{example}"),
                )),
            ),
            FrontMatterNotClosed => (
                both("the front matter is never closed", "前置元数据没有结束"),
                Some(both(
                    "add a line with only `---` after the last field, before the report's text",
                    "在最后一个字段之后、正文之前加一行 `---`",
                )),
            ),
            NestedTooDeep { max, example } => (
                both(
                    format!("the front matter nests more than {max} levels deep"),
                    format!("前置元数据嵌套超过 {max} 层"),
                ),
                Some(both(
                    format!("a report's fields are flat `key: value` lines (lists one level deep):\n{example}"),
                    format!("报告的字段是平铺的 `键: 值` 行（列表只有一层）：\n{example}"),
                )),
            ),
            NotKeyValueLines { example } => (
                both("the front matter is not a list of `key: value` lines", "前置元数据不是 `键: 值` 形式的行"),
                Some(both(format!("write one field per line:\n{example}"), format!("每行写一个字段：\n{example}"))),
            ),
            TooManyAliases => (
                both(
                    "the front matter's aliases (`*name`) expand to too many values",
                    "前置元数据的别名（`*名称`）展开后的值太多",
                ),
                Some(both(
                    "a report's fields need no anchors (`&name`) or aliases (`*name`): write each value out",
                    "报告的字段不需要锚点（`&名称`）或别名（`*名称`）：把每个值直接写出来",
                )),
            ),
            YamlUnlocated { message } => (
                both(format!("invalid YAML: {message}"), format!("YAML 格式有误：{message}")),
                Some(both(
                    "check the front matter's lines: one `key: value` per line",
                    "检查前置元数据：每行一个 `键: 值`",
                )),
            ),
            InvalidYaml { message } => (
                both(format!("invalid YAML: {message}"), format!("YAML 格式有误：{message}")),
                Some(both(
                    "check the indentation and quoting on this line; a value with `:` or `#` needs quotes",
                    "检查这一行的缩进和引号；含有 `:` 或 `#` 的值要加引号",
                )),
            ),
            UnknownField { name, closest, known } => (
                both(format!("unknown field `{name}`"), format!("未知字段 `{name}`")),
                Some(match closest {
                    Some(k) => both(
                        format!("did you mean `{k}`? (allowed: {})", known.join(", ")),
                        format!("是不是 `{k}`？（可用字段：{}）", known.join("、")),
                    ),
                    None => both(
                        format!("remove it; allowed fields are {}", known.join(", ")),
                        format!("删去它；可用字段是 {}", known.join("、")),
                    ),
                }),
            ),
            MissingField { key, example } => (
                both(format!("missing required field `{key}`"), format!("缺少必填字段 `{key}`")),
                Some(both(
                    format!("add a line such as `{example}` to the front matter"),
                    format!("在前置元数据中加一行，例如 `{example}`"),
                )),
            ),
            ReviewNotesNotMapping => (
                both("`review_notes` must map each field to a note", "`review_notes` 应为“字段: 说明”的映射"),
                Some(both(
                    "write `review_notes:` and under it `  year: \"…\"`, or delete it",
                    "写成 `review_notes:`，下一行缩进写 `  year: \"…\"`，或删去它",
                )),
            ),
            WrongType { key, shown } => wrong_type(key, &shown.words()),
            NotInList { key, value, closest, allowed } => (
                both(
                    format!("`{key}` value `{value}` is not in the archive's list"),
                    format!("`{key}` 的值 `{value}` 不在文库的列表中"),
                ),
                Some(match closest {
                    Some(best) => both(
                        format!("did you mean `{best}`? allowed in wenku.yaml: {}", allowed.join("、")),
                        format!("是不是 `{best}`？wenku.yaml 允许：{}", allowed.join("、")),
                    ),
                    None => both(
                        format!("use one of {}, or add it to `{key}` lists in wenku.yaml", allowed.join("、")),
                        format!("从 {} 中选一个，或把它加到 wenku.yaml 的列表中", allowed.join("、")),
                    ),
                }),
            ),
            YearOutOfRange { year, from, to } => (
                both(
                    format!("year {year} is outside the archive's range {from}–{to}"),
                    format!("年份 {year} 不在文库的范围 {from}–{to} 内"),
                ),
                Some(both(
                    format!("check the year, or widen `years` in wenku.yaml (now from {from} to {to})"),
                    format!("核对年份，或在 wenku.yaml 中放宽 `years`（现为 {from} 至 {to}）"),
                )),
            ),
            NotADate { date } => (
                both(format!("`date` is not a date: {date:?}"), format!("`date` 不是有效日期：{date:?}")),
                Some(both(
                    "write it as YYYY-MM-DD, e.g. `date: 2021-12-28`",
                    "写成 YYYY-MM-DD，例如 `date: 2021-12-28`",
                )),
            ),
            BadSlug { slug } => (
                both(format!("`slug` cannot be used in a URL: {slug:?}"), format!("`slug` 不能用在网址中：{slug:?}")),
                Some(both(
                    "use a name without `/`, e.g. `slug: 2021-annual`",
                    "用不含 `/` 的名字，例如 `slug: 2021-annual`",
                )),
            ),
            EmptyField { key, example } => (
                both(format!("`{key}` is empty"), format!("`{key}` 是空的")),
                Some(both(format!("give it a value, e.g. `{example}`"), format!("填上值，例如 `{example}`"))),
            ),
            PathTaken { owner, path, taken_by } => (
                both(
                    format!("{} would be written to /{path}/, which belongs to {}", owner.en, taken_by.en),
                    format!("{}会写到 /{path}/，这个地址属于{}", owner.zh, taken_by.zh),
                ),
                Some(both(RENAME.0, RENAME.1)),
            ),
            NameTooLong { owner, bytes, name, max } => (
                both(
                    format!(
                        "{} would be written under a name of {bytes} bytes (“{name}”); file systems allow {max}",
                        owner.en
                    ),
                    format!("{}的文件名会有 {bytes} 字节（“{name}”），文件系统最多允许 {max} 字节", owner.zh),
                ),
                Some(both(
                    "shorten the file name, its `slug:`, or the `body`, `level` or `period` value",
                    "缩短文件名、`slug:`，或 `body`、`level`、`period` 的值",
                )),
            ),
            CaseClash { first, first_path, second, second_path } => (
                both(
                    format!(
                        "{} (/{first_path}) and {} (/{second_path}) differ only in upper and lower case: on Windows or macOS they are one file",
                        first.en, second.en
                    ),
                    format!(
                        "{}（/{first_path}）与{}（/{second_path}）只有大小写不同：在 Windows 或 macOS 上是同一个文件",
                        first.zh, second.zh
                    ),
                ),
                Some(both("rename one of the files, or give one a `slug:`", "给其中一个文件改名，或设 `slug:`")),
            ),
            SamePath { first, second, path } => (
                both(
                    format!("{} and {} would both be written to {path}", first.en, second.en),
                    format!("{}与{}会写到同一个地址 {path}", first.zh, second.zh),
                ),
                Some(both(RENAME.0, RENAME.1)),
            ),
        };
        Words { message, hint }
    }
}

/// A field's value of the wrong type, by what the field wants.
fn wrong_type(key: &str, shown: &Both) -> (Both, Option<Both>) {
    let (en, zh) = (&shown.en, &shown.zh);
    let (message, hint) = match key {
        "year" => (
            both(format!("`year` must be a whole number, found {en}"), format!("`year` 应是整数，现为 {zh}")),
            both("write the year in Arabic digits, e.g. `year: 2020`", "用阿拉伯数字写年份，例如 `year: 2020`"),
        ),
        "draft" => (
            both(
                format!("`draft` must be true or false, found {en}"),
                format!("`draft` 应是 true 或 false，现为 {zh}"),
            ),
            both("write `draft: true` or `draft: false`", "写 `draft: true` 或 `draft: false`"),
        ),
        "tags" | "review" => (
            both(format!("`{key}` must be a list, found {en}"), format!("`{key}` 应是列表，现为 {zh}")),
            both(format!("write `{key}: [第一项, 第二项]`"), format!("写成 `{key}: [第一项, 第二项]`")),
        ),
        "removed" => (
            both(
                format!("`removed` must be a list of removed lines, found {en}"),
                format!("`removed` 应是被删行的列表，现为 {zh}"),
            ),
            both(
                "write each as `- {line: 3, rule: widget, text: \"打印\"}`, or delete the field",
                "每行写成 `- {line: 3, rule: widget, text: \"打印\"}`，或删去这个字段",
            ),
        ),
        _ => (
            both(format!("`{key}` must be text, found {en}"), format!("`{key}` 应是文字，现为 {zh}")),
            both(
                format!("put the value in quotes, e.g. `{key}: \"{}\"`", en.trim_matches('"')),
                format!("给值加上引号，例如 `{key}: \"{}\"`", zh.trim_matches('"')),
            ),
        ),
    };
    (message, Some(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each problem. `kind` has no wildcard: a new problem does not
    /// compile until it has a number here, and the test fails until it has
    /// an example.
    fn examples() -> Vec<Problem> {
        use Problem::*;
        let s = |text: &str| text.to_owned();
        // Values without Han characters: the Chinese must come from the table.
        let owner = || both("the report content/a.md", "content/a.md");
        vec![
            CannotReadConfig { why: s("Permission denied") },
            ConfigInvalid {
                message: s("unknown field `titel`"),
                unknown_key: Some((Some(s("title")), vec![s("title")])),
            },
            PaginateZero,
            MaxReportMbZero,
            YearsReversed,
            Template { message: s("base.html: unexpected end") },
            ContentFolderMissing,
            CannotReadFolder { why: s("Permission denied") },
            CannotReadFile { why: s("Permission denied") },
            LinkOutsideContent,
            NotRegularFile,
            FileTooLarge { mb: 64 },
            SameAddress { other: s("content/b.md"), path: s("2021/a/") },
            StrayBytes { count: 2, first: 0xFF },
            NotUtf8 { looks_like: s("GB18030 (GBK)"), encoding: s("GBK") },
            EmptyFile { example: s("---") },
            NoFrontMatter { example: s("---") },
            FrontMatterNotClosed,
            NestedTooDeep { max: 16, example: s("---") },
            NotKeyValueLines { example: s("---") },
            TooManyAliases,
            YamlUnlocated { message: s("recursion limit") },
            InvalidYaml { message: s("mapping values are not allowed") },
            UnknownField { name: s("yaer"), closest: Some(s("year")), known: vec![s("year")] },
            MissingField { key: s("body"), example: s("body: x") },
            ReviewNotesNotMapping,
            WrongType { key: s("year"), shown: Shown::Value(s("\"x\"")) },
            NotInList { key: s("level"), value: s("x"), closest: Some(s("y")), allowed: vec![s("y")] },
            YearOutOfRange { year: 1900, from: 1949, to: 2030 },
            NotADate { date: s("2021-02-30") },
            BadSlug { slug: s("a/b") },
            EmptyField { key: s("title"), example: s("title: x") },
            PathTaken { owner: owner(), path: s("search"), taken_by: both("the search page", "/search/") },
            NameTooLong { owner: owner(), bytes: 300, name: s("n"), max: 255 },
            CaseClash { first: owner(), first_path: s("a/"), second: owner(), second_path: s("A/") },
            SamePath { first: owner(), second: owner(), path: s("/a/") },
        ]
    }

    fn kind(problem: &Problem) -> usize {
        use Problem::*;
        match problem {
            CannotReadConfig { .. } => 0,
            ConfigInvalid { .. } => 1,
            PaginateZero => 2,
            MaxReportMbZero => 3,
            YearsReversed => 4,
            Template { .. } => 5,
            ContentFolderMissing => 6,
            CannotReadFolder { .. } => 7,
            CannotReadFile { .. } => 8,
            LinkOutsideContent => 9,
            NotRegularFile => 10,
            FileTooLarge { .. } => 11,
            SameAddress { .. } => 12,
            StrayBytes { .. } => 13,
            NotUtf8 { .. } => 14,
            EmptyFile { .. } => 15,
            NoFrontMatter { .. } => 16,
            FrontMatterNotClosed => 17,
            NestedTooDeep { .. } => 18,
            NotKeyValueLines { .. } => 19,
            TooManyAliases => 20,
            YamlUnlocated { .. } => 21,
            InvalidYaml { .. } => 22,
            UnknownField { .. } => 23,
            MissingField { .. } => 24,
            ReviewNotesNotMapping => 25,
            WrongType { .. } => 26,
            NotInList { .. } => 27,
            YearOutOfRange { .. } => 28,
            NotADate { .. } => 29,
            BadSlug { .. } => 30,
            EmptyField { .. } => 31,
            PathTaken { .. } => 32,
            NameTooLong { .. } => 33,
            CaseClash { .. } => 34,
            SamePath { .. } => 35,
        }
    }

    const KINDS: usize = 36;

    /// Every problem has an example, and its Chinese is Chinese: a message
    /// or hint copied from the English fails here.
    #[test]
    fn every_problem_is_worded_in_chinese() {
        let examples = examples();
        let mut seen = [false; KINDS];
        for problem in &examples {
            seen[kind(problem)] = true;
        }
        assert!(seen.iter().all(|&s| s), "a problem without an example: {seen:?}");
        let mut examples = examples;
        // Each kind of value a field wants; each kind of value found.
        for key in ["year", "draft", "tags", "removed", "title"] {
            examples.push(Problem::WrongType { key: key.into(), shown: Shown::Value("1".into()) });
        }
        for shown in [Shown::List, Shown::Mapping, Shown::Unusual] {
            let words = shown.words();
            assert!(words.zh != words.en && words.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
        let han = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for problem in examples {
            let Words { message, hint } = problem.words();
            assert!(han(&message.zh) && message.zh != message.en, "{problem:?}: {}", message.zh);
            if let Some(hint) = hint {
                assert!(han(&hint.zh) && hint.zh != hint.en, "{problem:?}: {}", hint.zh);
            }
        }
    }
}
