//! Every problem a search can answer with, worded in each interface
//! language, in one place: the command line speaks English, a site's search
//! page speaks the site's `language` (`zh-CN` by default).

/// The languages messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    /// `zh`, `zh-CN`, `zh-Hans` … are Chinese; anything else English.
    pub fn of(code: &str) -> Language {
        if code.to_ascii_lowercase().starts_with("zh") { Language::Chinese } else { Language::English }
    }
}

/// What is wrong with a query or a search request, with what it needs to
/// be said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    TooLong {
        chars: usize,
        max: usize,
    },
    Empty,
    OrNeedsBothSides,
    ExcludedInOr,
    OnlyExcludes,
    DashAlone,
    QuoteInWord {
        word: String,
    },
    QuoteNotClosed {
        rest: String,
    },
    NothingToSearch {
        shown: String,
    },
    /// A concordance of a query with filters only.
    NoWording,
    /// A table of what follows or of variants needs one wording to be about.
    OneWordingOnly,
    UnknownKwicSort {
        sort: String,
    },
    /// A gap (`*`, `{0,6}`) with no wording on one side.
    GapAtEdge {
        wording: String,
    },
    /// Braces that look like a gap but are not a valid one.
    BadGap {
        gap: String,
        /// The widest gap allowed.
        max: usize,
    },
    UnknownFilter {
        name: String,
        suggestion: String,
        filters: String,
    },
    FilterWithoutValue {
        name: String,
    },
    NotYears {
        value: String,
    },
    YearsBackwards {
        value: String,
        from: i64,
        to: i64,
    },
    UnknownSort {
        sort: String,
    },
    PageTooFar {
        page: usize,
        max: usize,
    },
    /// `closest`: the value meant, if one is close; else `known`, the
    /// values when there are few, and `count`, how many there are.
    NoSuchValue {
        name: String,
        value: String,
        closest: Option<String>,
        known: Option<String>,
        count: usize,
    },
    UnreadableParameters,
    ParameterNotAYear {
        value: String,
    },
    QuoteInParameter {
        name: String,
    },
    PerPageTooLarge {
        max: usize,
    },
    WidthTooLarge {
        max: usize,
    },
    WindowTooLarge {
        max: usize,
    },
    /// Keyness and clusters read every unit of the part they list: bounded.
    PartTooLarge {
        reports: usize,
        max: usize,
    },
    /// A draft to check with no sentence in it, or too long to check.
    DraftEmpty,
    DraftTooLong {
        chars: usize,
        max: usize,
    },
    /// A draft file that cannot be read; `why` is the reader's own words.
    DraftUnreadable {
        why: String,
    },
    UnknownParameter {
        name: String,
    },
    NotPositive {
        name: String,
        value: String,
    },
    /// The index cannot be opened; `why` is the system's own words.
    IndexUnavailable {
        why: String,
    },
    Busy,
    TooSlow,
    /// On static hosting, wording with gaps is checked in every report
    /// holding its parts: so many that the reader is asked first.
    GapTooBroadForStatic {
        candidates: usize,
        megabytes: usize,
    },
    /// The concordance or a research table on static hosting reads the
    /// texts of every report the wording is in.
    TextsTooManyForStatic {
        reports: usize,
        megabytes: usize,
    },
    Failed,
    /// The server's own refusals, outside search: a request target that is
    /// not a path, a page that could not be read.
    BadTarget,
    PageUnreadable,
    NotFound,
}

/// The message and the help for `problem` in `language`.
pub fn text(problem: &Problem, language: Language) -> (String, String) {
    use Language::*;
    use Problem::*;
    let pair = |message: String, help: String| (message, help);
    match (problem, language) {
        (TooLong { chars, max }, English) => {
            pair(format!("the query is too long ({chars} characters)"), format!("search for at most {max} characters"))
        }
        (TooLong { chars, max }, Chinese) => pair(format!("查询太长（{chars} 个字）"), format!("最多 {max} 个字")),
        (Empty, English) => {
            pair("the query is empty".into(), "type a word or phrase, e.g. 疫情防控 or \"打通供应链\"".into())
        }
        (Empty, Chinese) => pair("没有输入查询".into(), "输入词语或短语，例如 疫情防控 或 \"打通供应链\"".into()),
        (OrNeedsBothSides, English) => {
            pair("`OR` needs wording on both sides".into(), "write it between two words: 疫情 OR 新冠".into())
        }
        (OrNeedsBothSides, Chinese) => pair("OR 两边都要有词语".into(), "写在两个词之间：疫情 OR 新冠".into()),
        (ExcludedInOr, English) => pair(
            "an excluded word cannot be part of an `OR`".into(),
            "write the alternatives without `-`, and exclude separately".into(),
        ),
        (ExcludedInOr, Chinese) => {
            pair("排除的词（-词）不能放在 OR 里".into(), "OR 两边写不带 - 的词，排除另外写".into())
        }
        (OnlyExcludes, English) => pair(
            "the query only excludes".into(),
            "add wording or a filter to search within, e.g. 疫情防控 -扶贫 or year:2020 -扶贫".into(),
        ),
        (OnlyExcludes, Chinese) => {
            pair("查询只有排除的词".into(), "再加上要找的词语或筛选，例如 疫情防控 -扶贫 或 year:2020 -扶贫".into())
        }
        (DashAlone, English) => {
            pair("`-` must be followed by the wording to exclude".into(), "write it as -扶贫, without a space".into())
        }
        (DashAlone, Chinese) => pair("- 后面要紧跟要排除的词语".into(), "写成 -扶贫，中间不留空格".into()),
        (QuoteInWord { word }, English) => pair(
            format!("a quote in the middle of `{word}`"),
            "put quotes around the whole phrase: \"疫情防控\"".into(),
        ),
        (QuoteInWord { word }, Chinese) => {
            pair(format!("引号在“{word}”中间"), "把引号加在整个短语两边：\"疫情防控\"".into())
        }
        (QuoteNotClosed { rest }, English) => {
            pair(format!("a quote is not closed: {rest}"), "add the closing \" at the end of the phrase".into())
        }
        (QuoteNotClosed { rest }, Chinese) => pair(format!("引号没有闭合：{rest}"), "在短语末尾补上 \"".into()),
        (NothingToSearch { shown }, English) => pair(
            format!("{shown} has nothing to search for"),
            "search for letters, characters or digits; punctuation alone is ignored".into(),
        ),
        (NothingToSearch { shown }, Chinese) => {
            pair(format!("{shown} 里没有可查的文字"), "请输入汉字、字母或数字；单独的标点不参与查询".into())
        }
        (NoWording, English) => pair(
            "a concordance needs wording to find".into(),
            "add a word or phrase to the filters, e.g. \"坚持\" year:2020".into(),
        ),
        (NoWording, Chinese) => {
            pair("语境检索需要词语".into(), "在筛选条件之外输入词语，例如 \"坚持\" year:2020".into())
        }
        (OneWordingOnly, English) => pair(
            "this table is about one phrase, and the query has several".into(),
            "ask for one phrase, e.g. \"坚持\" or 坚持*发展 (filters may stay)".into(),
        ),
        (OneWordingOnly, Chinese) => pair(
            "此表只针对一个词语，查询里有多个".into(),
            "只输入一个词语，例如 \"坚持\" 或 坚持*发展（筛选条件可以保留）".into(),
        ),
        (UnknownKwicSort { sort }, English) => {
            pair(format!("unknown order `{sort}`"), "sort by right, left, year or body".into())
        }
        (UnknownKwicSort { sort }, Chinese) => pair(
            format!("未知的排序方式 `{sort}`"),
            "可按 right（右侧）、left（左侧）、year（年份）或 body（单位）排序".into(),
        ),
        (GapAtEdge { wording }, English) => pair(
            format!("the gap in `{wording}` has no wording on one side"),
            "put a gap between two pieces of wording: 坚持*发展, 坚持{0,6}发展".into(),
        ),
        (GapAtEdge { wording }, Chinese) => {
            pair(format!("`{wording}` 里的间隔一侧没有文字"), "间隔要写在两段文字之间：坚持*发展、坚持{0,6}发展".into())
        }
        (BadGap { gap, max }, English) => pair(
            format!("`{gap}` is not a gap"),
            format!("write {{m,n}} with m ≤ n ≤ {max}: {{0,6}} for at most 6 characters, {{2,}} for at least 2"),
        ),
        (BadGap { gap, max }, Chinese) => pair(
            format!("`{gap}` 不是有效的间隔"),
            format!("写成 {{m,n}}，m ≤ n ≤ {max}：{{0,6}} 表示最多 6 个字，{{2,}} 表示至少 2 个字"),
        ),
        (UnknownFilter { name, suggestion, filters }, English) => pair(
            format!("unknown filter `{name}:`"),
            format!("did you mean `{suggestion}:`? The filters are {filters}"),
        ),
        (UnknownFilter { name, suggestion, filters }, Chinese) => {
            pair(format!("没有“{name}:”这种筛选"), format!("是不是要写 {suggestion}:？可用的筛选有 {filters}"))
        }
        (FilterWithoutValue { name }, English) if name == "year" => {
            pair("`year:` has no value".into(), "write it as year:2020 or year:2018..2021".into())
        }
        (FilterWithoutValue { name }, English) => pair(
            format!("`{name}:` has no value"),
            format!("write it as {name}:value, or {name}:\"value with spaces\""),
        ),
        (FilterWithoutValue { name }, Chinese) if name == "year" => {
            pair("year: 后面没有年份".into(), "写成 year:2020 或 year:2018..2021".into())
        }
        (FilterWithoutValue { name }, Chinese) => {
            pair(format!("{name}: 后面没有值"), format!("写成 {name}:值，含空格的值加引号：{name}:\"某区 人大\""))
        }
        (NotYears { value }, English) => pair(
            format!("`year:{value}` is not a year or a range of years"),
            "write year:2020, year:2018..2021, year:2018.. or year:..2021".into(),
        ),
        (NotYears { value }, Chinese) => pair(
            format!("year:{value} 不是年份或年份范围"),
            "写成 year:2020、year:2018..2021、year:2018.. 或 year:..2021（阿拉伯数字）".into(),
        ),
        (YearsBackwards { value, from, to }, English) => {
            pair(format!("`year:{value}` runs backwards"), format!("write year:{to}..{from}"))
        }
        (YearsBackwards { value, from, to }, Chinese) => {
            pair(format!("year:{value} 的起止年份颠倒了"), format!("写成 year:{to}..{from}"))
        }
        (UnknownSort { sort }, English) => {
            pair(format!("unknown sort order `{sort}`"), "sort by relevance, newest or oldest".into())
        }
        (UnknownSort { sort }, Chinese) => pair(
            format!("没有“{sort}”这种排序"),
            "可按 relevance（相关度）、newest（最新）或 oldest（最早）排序".into(),
        ),
        (PageTooFar { page, max }, English) => pair(
            format!("page {page} is too far: results past the first {max} are not shown"),
            "narrow the query with more wording or a filter such as year:2020".into(),
        ),
        (PageTooFar { page, max }, Chinese) => pair(
            format!("第 {page} 页太靠后：只显示前 {max} 条结果"),
            "加上更多词语或 year:2020 这样的筛选来缩小范围".into(),
        ),
        (NoSuchValue { name, value, closest, known, count }, English) => pair(
            format!("no report has {name}:{value}"),
            match (closest, known) {
                (Some(closest), _) => format!("did you mean {name}:{closest}?"),
                (None, Some(known)) => format!("the archive has {name}: {known}"),
                (None, None) => format!("values must match exactly; the archive has {count} of them"),
            },
        ),
        (NoSuchValue { name, value, closest, known, count }, Chinese) => pair(
            format!("没有 {name}:{value} 的报告"),
            match (closest, known) {
                (Some(closest), _) => format!("是不是 {name}:{closest}？"),
                (None, Some(known)) => format!("文库中的 {name} 有：{known}"),
                (None, None) => format!("值须完全一致；文库中共有 {count} 个"),
            },
        ),
        (UnreadableParameters, English) => {
            pair("the query string cannot be read".into(), "percent-encode the parameters as UTF-8".into())
        }
        (UnreadableParameters, Chinese) => pair("无法读取查询参数".into(), "参数须以 UTF-8 百分号编码".into()),
        (ParameterNotAYear { value }, English) => pair(
            format!("`year={value}` is not a year"),
            "write a year such as 2020, or a range such as 2018..2021".into(),
        ),
        (ParameterNotAYear { value }, Chinese) => {
            pair(format!("year={value} 不是年份"), "写成 2020 这样的年份，或 2018..2021 这样的范围".into())
        }
        (QuoteInParameter { name }, English) => {
            pair(format!("`{name}` cannot contain a double quote"), "remove the quote".into())
        }
        (QuoteInParameter { name }, Chinese) => pair(format!("{name} 里不能有双引号"), "去掉引号".into()),
        (PerPageTooLarge { max }, English) => {
            pair(format!("`per_page` is at most {max}"), "ask for fewer hits per page and use `page`".into())
        }
        (PerPageTooLarge { max }, Chinese) => {
            pair(format!("per_page 最多为 {max}"), "每页少要一些，用 page 翻页".into())
        }
        (WidthTooLarge { max }, English) => {
            pair(format!("`width` is at most {max} characters"), "ask for less context on each side".into())
        }
        (WidthTooLarge { max }, Chinese) => pair(format!("width 最多为 {max} 个字"), "两侧语境少要一些".into()),
        (WindowTooLarge { max }, English) => {
            pair(format!("`window` is at most {max} positions"), "look at fewer positions on each side".into())
        }
        (PartTooLarge { reports, max }, English) => pair(
            format!("this part of the archive has {reports} reports; formulations are gathered from at most {max}"),
            "narrow it with a year, a range of a few years or a body".into(),
        ),
        (PartTooLarge { reports, max }, Chinese) => pair(
            format!("这部分共有 {reports} 篇报告，提法最多从 {max} 篇中统计"),
            "加上某一年、几年的范围或某个发文机关，缩小范围".into(),
        ),
        (DraftUnreadable { why }, English) => {
            pair(format!("the draft cannot be read: {why}"), "save it as .docx or .txt, or paste its text".into())
        }
        (DraftUnreadable { why }, Chinese) => {
            pair(format!("稿子读不出来：{why}"), "请另存为 .docx 或 .txt，或直接粘贴文字".into())
        }
        (DraftEmpty, English) => {
            pair("the draft has no sentence to check".into(), "give a file or text with Chinese sentences".into())
        }
        (DraftEmpty, Chinese) => pair("稿子里没有可核对的句子".into(), "请给出含中文句子的文件或文字".into()),
        (DraftTooLong { chars, max }, English) => pair(
            format!("the draft has {chars} characters; at most {max} are checked at once"),
            "check it in parts, a chapter at a time".into(),
        ),
        (DraftTooLong { chars, max }, Chinese) => {
            pair(format!("稿子共 {chars} 字，一次最多核对 {max} 字"), "请分几次核对，一次一部分".into())
        }
        (WindowTooLarge { max }, Chinese) => pair(format!("window 最多为 {max} 个位置"), "两侧看的位置少一些".into()),
        (UnknownParameter { name }, English) => pair(
            format!("unknown parameter `{name}`"),
            "use q, year, body, level, period, sort, page and per_page".into(),
        ),
        (UnknownParameter { name }, Chinese) => {
            pair(format!("没有“{name}”这个参数"), "可用 q、year、body、level、period、sort、page 和 per_page".into())
        }
        (NotPositive { name, value }, English) => {
            pair(format!("`{name}={value}` is not a positive number"), format!("write {name}=1, 2, …"))
        }
        (NotPositive { name, value }, Chinese) => {
            pair(format!("{name}={value} 不是正整数"), format!("写成 {name}=1、2……"))
        }
        (IndexUnavailable { why }, English) => {
            pair(format!("search is unavailable: {why}"), "run `wenku build`, then restart the server".into())
        }
        (IndexUnavailable { why }, Chinese) => {
            pair(format!("暂时无法搜索：{why}"), "请运行 wenku build，再重新启动 wenku serve".into())
        }
        (Busy, English) => pair("the server is busy".into(), "try again in a moment".into()),
        (Busy, Chinese) => pair("服务器正忙".into(), "请稍后再试".into()),
        (TooSlow, English) => pair(
            "the search took too long".into(),
            "narrow the query with more wording or a filter such as year:2020".into(),
        ),
        (TooSlow, Chinese) => pair("搜索用时过长".into(), "加上更多词语或 year:2020 这样的筛选来缩小范围".into()),
        (GapTooBroadForStatic { candidates, megabytes }, English) => pair(
            format!(
                "wording with gaps needs {candidates} reports checked in the browser: about {megabytes} MB to download"
            ),
            "add a filter such as year:2020 or body:…, search anyway, or search on a site run by wenku serve".into(),
        ),
        (GapTooBroadForStatic { candidates, megabytes }, Chinese) => pair(
            format!("带间隔的查询要在浏览器里核对 {candidates} 篇报告，约需下载 {megabytes} MB"),
            "加上 year:2020 或 body:… 这样的筛选，或仍然搜索，或在 wenku serve 运行的网站上搜索".into(),
        ),
        (TextsTooManyForStatic { reports, megabytes }, English) => pair(
            format!("this view reads the texts of {reports} reports in the browser: about {megabytes} MB to download"),
            "add a filter such as year:2020 or body:…, go on anyway, or use a site run by wenku serve".into(),
        ),
        (TextsTooManyForStatic { reports, megabytes }, Chinese) => pair(
            format!("这个查看要在浏览器里读取 {reports} 篇报告的全文，约需下载 {megabytes} MB"),
            "加上 year:2020 或 body:… 这样的筛选，或仍然继续，或在 wenku serve 运行的网站上查看".into(),
        ),
        (Failed, English) => pair("the search failed".into(), "try another query".into()),
        (Failed, Chinese) => pair("搜索出错".into(), "请换一个查询再试".into()),
        (BadTarget, English) => {
            pair("the request target is not a path of this site".into(), "ask for a path starting with /".into())
        }
        (BadTarget, Chinese) => pair("请求的地址不是本站的路径".into(), "请求以 / 开头的路径".into()),
        (PageUnreadable, English) => pair("the page could not be read".into(), "reload the page".into()),
        (PageUnreadable, Chinese) => pair("无法读取这个页面".into(), "请刷新页面".into()),
        (NotFound, English) => pair("there is no page at this address".into(), "go to the home page".into()),
        (NotFound, Chinese) => pair("这个地址没有页面".into(), "请回到首页".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_worded_in_both_languages() {
        let problems = [
            Problem::Empty,
            Problem::QuoteNotClosed { rest: "\"疫情".into() },
            Problem::NoSuchValue { name: "body".into(), value: "某局".into(), closest: None, known: None, count: 3 },
        ];
        for problem in problems {
            let (zh, zh_help) = text(&problem, Language::Chinese);
            let (en, en_help) = text(&problem, Language::English);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
            assert!(!zh_help.is_empty() && !en_help.is_empty() && zh != en);
        }
        assert_eq!(Language::of("zh-CN"), Language::Chinese);
        assert_eq!(Language::of("en"), Language::English);
    }
}
