//! A report's front matter from the evidence its text holds: the dateline,
//! the session it was delivered at, the speaker, the title, the opening.
//! Each field is a value found by evidence, or unknown; a field that is
//! unknown, contradicted or outside the archive's vocabularies is listed for
//! review with what was (or was not) found, in words a person can check in
//! a minute. Nothing is guessed: a target year (2035年远景目标), a plan
//! period (十四五), a salutation (各位代表) or a self-reference (我局, 本单位)
//! is never a value.

use crate::content::config::{Config, Vocabulary};

/// One inferred field: its value (`None`: unknown), and the reason to
/// review it, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: Option<T>,
    pub review: Option<String>,
}

impl<T> Field<T> {
    fn found(value: T) -> Field<T> {
        Field { value: Some(value), review: None }
    }

    fn unknown(why: impl Into<String>) -> Field<T> {
        Field { value: None, review: Some(why.into()) }
    }

    fn flagged(value: T, why: impl Into<String>) -> Field<T> {
        Field { value: Some(value), review: Some(why.into()) }
    }
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub body: Option<String>,
    pub level: Option<String>,
    pub year: Option<i32>,
    pub period: Option<String>,
    /// Fields to check by hand, in front-matter order, with the evidence.
    pub review: Vec<(String, String)>,
    /// `YYYY-MM-DD`, from the dateline (`——2025年1月14日在…会议上`) or a
    /// date closing the report.
    pub date: Option<String>,
}

/// What the user forced on the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub body: Option<String>,
    pub level: Option<String>,
    pub year: Option<i32>,
    pub period: Option<String>,
}

/// What a document shows about itself, in simplified characters (a report
/// in traditional ones is judged by the same words).
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Its title line as written, if it has one.
    pub written_title: Option<String>,
    title: Option<String>,
    /// The lines before its running text: dateline, speaker, salutation.
    front: Vec<String>,
    /// The first paragraphs: where a report says who speaks and where.
    opening: String,
    /// Its last few non-blank lines, where a signature and a date stand.
    closing: Vec<String>,
    /// The file's name without its extension: a hint, never evidence.
    stem: String,
}

impl Evidence {
    /// The evidence of a document: its title, the lines before its text,
    /// and its text's lines.
    pub fn new(title: Option<&str>, front: &[String], text: &[String], stem: &str) -> Evidence {
        let simplified = |s: &str| hanconv::t2s(s);
        let mut opening = String::new();
        for line in text {
            if opening.chars().count() >= 1500 {
                break;
            }
            opening.push_str(line);
            opening.push('\n');
        }
        let opening: String = opening.chars().take(1500).collect();
        let closing = text.iter().rev().filter(|l| !l.trim().is_empty()).take(3).map(|l| simplified(l)).collect();
        Evidence {
            written_title: title.map(str::to_owned),
            title: title.map(simplified),
            front: front.iter().map(|l| simplified(l)).collect(),
            opening: simplified(&opening),
            closing,
            stem: stem.to_owned(),
        }
    }

    fn opening(&self) -> String {
        self.opening.clone()
    }

    /// The first sentence of the text.
    fn first_sentence(&self) -> &str {
        let text = self.opening.trim_start();
        let end = text.find(['。', '！', '？', '\n']).unwrap_or(text.len());
        &text[..end]
    }

    fn closing(&self) -> Vec<&str> {
        self.closing.iter().map(String::as_str).collect()
    }
}

/// A year written `2020`, `２０２０` or `二〇二〇`, followed by 年, and the
/// index (in characters) where it starts.
fn years_in(text: &str) -> Vec<(usize, i32)> {
    let chars: Vec<char> = text.chars().collect();
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        '〇' | '零' | 'О' | '○' => Some(0),
        _ => "一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32 + 1),
    };
    let mut found = Vec::new();
    for i in 0..chars.len().saturating_sub(4) {
        let after_digit = i > 0 && digit(chars[i - 1]).is_some() && !"一二三四五六七八九".contains(chars[i - 1]);
        if chars[i + 4] != '年' || after_digit {
            continue;
        }
        let digits: Option<Vec<u32>> = chars[i..i + 4].iter().map(|&c| digit(c)).collect();
        if let Some(d) = digits {
            let year = (d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]) as i32;
            if (1900..=2100).contains(&year) {
                found.push((i, year));
            }
        }
    }
    found
}

/// A year named as a goal or a plan's horizon, not as the report's own:
/// `到2035年`, `2035年远景目标`, `2030年前`, `力争2025年`.
fn is_target_year(text: &str, at: usize) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let before: String = chars[at.saturating_sub(4)..at].iter().collect();
    let after: String = chars[(at + 5).min(chars.len())..(at + 9).min(chars.len())].iter().collect();
    let goal_before = ["到", "至", "力争", "展望", "预计", "确保"].iter().any(|w| before.ends_with(w));
    // `2030年前` is a deadline; `2020年前三季度` is a time of that year.
    let deadline = after.starts_with('前') && !after[3..].starts_with(|c: char| "一二三两四五六七八九半".contains(c));
    let goal_after =
        ["远景", "以前", "之前", "目标", "愿景", "基本实现", "全面建成"].iter().any(|w| after.starts_with(w));
    goal_before || deadline || goal_after
}

/// The years a text names as its own (targets left out).
fn own_years(text: &str) -> Vec<i32> {
    years_in(text).into_iter().filter(|&(at, _)| !is_target_year(text, at)).map(|(_, y)| y).collect()
}

/// The value of a number written in Arabic digits or Chinese numerals
/// (`14`, `十四`, `二十`, `一`).
fn number_value(text: &str) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', d] => Some(10 * digit(*t)? + digit(*d)?),
        _ => None,
    }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "〇一二三四五六七八九十百零".contains(c)
}

/// The number written just after `at` in `text` (`十二届…` → 12) and the
/// byte offset after it.
fn number_at(text: &str, at: usize) -> Option<(u32, usize)> {
    let digits: usize = text[at..].chars().take_while(|&c| is_numeral(c)).map(char::len_utf8).sum();
    Some((number_value(&text[at..at + digits])?, at + digits))
}

/// The National People's Congress's sessions: the year its term's first
/// session met, and, for the irregular second term, each session's year.
fn npc_session_year(term: u32, session: u32) -> Option<i32> {
    let year = match (term, session) {
        (2, 1) => 1959,
        (2, 2) => 1960,
        (2, 3) => 1962,
        (2, 4) => 1963,
        (3, 1) => 1964,
        (4, 1) => 1975,
        (1, s @ 1..=5) => 1953 + s as i32,
        (5, s @ 1..=5) => 1977 + s as i32,
        (t @ 6..=30, s @ 1..=5) => 1983 + 5 * (t as i32 - 6) + s as i32 - 1,
        _ => return None,
    };
    Some(year)
}

/// The years of the Communist Party of China's national congresses.
fn cpc_congress_year(number: u32) -> Option<i32> {
    const YEARS: [i32; 20] = [
        1921, 1922, 1923, 1925, 1927, 1928, 1945, 1956, 1969, 1973, 1977, 1982, 1987, 1992, 1997, 2002, 2007, 2012,
        2017, 2022,
    ];
    match number {
        1..=20 => Some(YEARS[number as usize - 1]),
        // Every five years since the 12th.
        21..=40 => Some(2022 + 5 * (number as i32 - 20)),
        _ => None,
    }
}

/// A national session a report was delivered at (or adopted by).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Session {
    year: i32,
    kind: SessionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionKind {
    /// The National People's Congress: its term and session.
    Npc(u32, u32),
    /// A national congress of the Communist Party of China.
    Cpc(u32),
}

impl Session {
    /// `第十二届全国人民代表大会第一次会议`, `中国共产党第十二次全国代表大会`.
    fn name(&self) -> String {
        match self.kind {
            SessionKind::Npc(term, session) => {
                format!("第{}届全国人民代表大会第{}次会议", chinese_number(term), chinese_number(session))
            }
            SessionKind::Cpc(number) => format!("中国共产党第{}次全国代表大会", chinese_number(number)),
        }
    }
}

/// 12 → 十二, 20 → 二十.
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n as usize - 10]),
        _ if n % 10 == 0 => format!("{}十", DIGITS[(n / 10 % 10) as usize]),
        _ => format!("{}十{}", DIGITS[(n / 10 % 10) as usize], DIGITS[(n % 10) as usize]),
    }
}

/// The session a report was delivered at: named in its title, its
/// dateline, or as the one it is given to in its opening.
fn delivered_session(evidence: &Evidence) -> Option<Session> {
    evidence
        .title
        .as_deref()
        .and_then(|t| session_in(t, false))
        .or_else(|| evidence.front.iter().find_map(|l| session_in(l, false)))
        .or_else(|| session_in(&evidence.opening, true))
}

/// A national session named in `text`: `第十二届全国人民代表大会第一次会议`
/// (2013), `中国共产党第十二次全国代表大会` (1982), `我代表第十五届中央委员会
/// 向大会作报告` (the 16th congress, 2002). `delivered` asks for a session the
/// text is delivered at (`向…`, `在…上`, or opening the text), not one it
/// looks back on (`…以来`). Two different ones: none.
fn session_in(text: &str, delivered: bool) -> Option<Session> {
    let mut found: Option<Session> = None;
    for (at, _) in text.match_indices('第') {
        let Some((first, after)) = number_at(text, at + '第'.len_utf8()) else { continue };
        let rest = &text[after..];
        let (session, end) = if let Some(rest) = rest.strip_prefix("届全国人民代表大会第") {
            let start = text.len() - rest.len();
            let Some((number, end)) = number_at(text, start) else { continue };
            if !text[end..].starts_with("次会议") {
                continue;
            }
            let year = npc_session_year(first, number);
            (year.map(|year| Session { year, kind: SessionKind::Npc(first, number) }), end + "次会议".len())
        } else if rest.starts_with("次全国代表大会") && party_named_before(text, at) {
            let year = cpc_congress_year(first);
            (year.map(|year| Session { year, kind: SessionKind::Cpc(first) }), after + "次全国代表大会".len())
        } else if rest.starts_with("届中央委员会") && text[..at].ends_with("代表") {
            // The Nth Central Committee reports to the next congress.
            let year = cpc_congress_year(first + 1);
            (year.map(|year| Session { year, kind: SessionKind::Cpc(first + 1) }), after + "届中央委员会".len())
        } else {
            continue;
        };
        let Some(session) = session else { continue };
        if delivered && !is_delivered_at(text, at, end) {
            continue;
        }
        match found {
            Some(other) if other.year != session.year => return None,
            Some(_) => {}
            None => found = Some(session),
        }
    }
    found
}

/// `中国共产党第十二次…`, `党的第十二次…`.
fn party_named_before(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before.ends_with("中国共产党") || before.ends_with("党的") || before.ends_with("中共")
}

/// Whether the session at `at..end` is the one the text is delivered at:
/// the text opens with it (a resolution), or the text is given to it
/// (`向…会议作报告`, `在…会议上`), or its committee reports (`我代表第十五届
/// 中央委员会`). A session looked back on (`…以来`, `在…精神鼓舞下`) is not.
fn is_delivered_at(text: &str, at: usize, end: usize) -> bool {
    let before = text[..at].trim_end_matches("中国共产党").trim_end_matches("党的");
    let after = &text[end..];
    let opens = text[..at].trim().chars().count() <= 2;
    let given_to = before.ends_with('向') && ["作", "提出", "提交", "报告"].iter().any(|w| after.starts_with(w));
    let given_at = before.ends_with('在') && after.starts_with('上');
    let reporting = before.ends_with("代表") && text[at..end].ends_with("中央委员会");
    opens || given_to || given_at || reporting
}

/// The first full date (`2025年1月14日`, `二〇二五年一月十四日`) in a line.
fn full_date(line: &str) -> Option<String> {
    for (at, year) in years_in(line) {
        let rest: String = line.chars().skip(at + 5).collect();
        let month: String = rest.chars().take_while(|&c| is_numeral(c)).collect();
        let Some(rest) = rest[month.len()..].strip_prefix('月') else { continue };
        let day: String = rest.chars().take_while(|&c| is_numeral(c)).collect();
        if !rest[day.len()..].starts_with(['日', '号']) {
            continue;
        }
        if let (Some(month), Some(day)) = (number_value(&month), number_value(&day))
            && crate::content::is_calendar_date(year as u32, month, day)
        {
            return Some(format!("{year:04}-{month:02}-{day:02}"));
        }
    }
    None
}

/// A line that dates the report where it was delivered or adopted:
/// `——2024年3月5日在…会议上`, `（2022年10月16日）`, `（…第一次会议通过）`.
fn is_date_line(line: &str) -> bool {
    let bare = line.trim_matches(|c: char| "（）()— -－".contains(c) || c.is_whitespace());
    super::lines::is_dateline(line)
        || (line.starts_with(['（', '(']) && (full_date(bare).is_some() && super::lines::char_count(bare) <= 60))
        || (line.starts_with(['（', '(']) && line.contains("通过"))
}

/// The signature's date: a date alone on one of the last lines.
fn signature_date(evidence: &Evidence) -> Option<String> {
    evidence.closing().into_iter().filter(|l| l.chars().count() <= 16).find_map(full_date)
}

/// The report's date: from its dateline, else from its signature.
fn date_of(evidence: &Evidence) -> Option<String> {
    evidence.front.iter().filter(|l| is_date_line(l)).find_map(|l| full_date(l)).or_else(|| signature_date(evidence))
}

/// The year, from the strongest evidence: the dateline, the session the
/// report was delivered at, the title, the signature's date, the opening
/// sentence. Evidence that disagrees by more than a year leaves it unknown.
fn infer_year(evidence: &Evidence) -> Field<i32> {
    let dateline = evidence.front.iter().filter(|l| is_date_line(l)).find_map(|l| own_years(l).first().copied());
    let session = delivered_session(evidence).map(|s| (s.year, s.name()));
    let title = evidence.title.as_deref().and_then(|t| own_years(t).first().copied());
    let signed = signature_date(evidence).and_then(|d| d[..4].parse::<i32>().ok());
    let opening = opening_year(evidence.first_sentence());

    let mut sources: Vec<(i32, String)> = Vec::new();
    if let Some(y) = dateline {
        sources.push((y, format!("日期行写 {y} 年")));
    }
    if let Some((y, name)) = &session {
        sources.push((*y, format!("{name}在 {y} 年")));
    }
    if let Some(y) = title {
        sources.push((y, format!("标题写 {y} 年")));
    }
    if sources.is_empty()
        && let Some(y) = signed
    {
        sources.push((y, format!("文末日期为 {y} 年")));
    }
    if sources.is_empty()
        && let Some(y) = opening
    {
        sources.push((y, format!("正文开头写 {y} 年")));
    }
    let Some(&(year, _)) = sources.first() else {
        let hint = file_name_year(&evidence.stem).map(|y| format!("；文件名是 {y}")).unwrap_or_default();
        return Field::unknown(format!("没有日期行、会议届次、标题或开头写明年份{hint}"));
    };
    // A summary titled 2023 may be dated early 2024: a year apart agrees.
    // Evidence that disagrees: the title's year stands if there is one (it
    // states what the report covers), flagged; else the year is unknown.
    if let Some((_, other)) = sources.iter().find(|(y, _)| (y - year).abs() > 1) {
        let (_, first) = &sources[0];
        let why = format!("{first}，但{other}：请核对");
        return match title {
            Some(title) => Field::flagged(title, why),
            None => Field::unknown(why),
        };
    }
    // A signature's date alone may be the year after the one reported on.
    if dateline.is_none() && session.is_none() && title.is_none() && signed.is_some() {
        return Field::flagged(year, format!("只有文末日期可据（{year} 年）：总结可能写的是上一年"));
    }
    Field::found(year)
}

/// `2023年，我局…`, `2023年以来…`: a year that opens the text (not
/// `刚刚过去的2023年`, the year before a work report's).
fn opening_year(first_sentence: &str) -> Option<i32> {
    let years = years_in(first_sentence);
    let &(at, year) = years.first()?;
    (at == 0 && !is_target_year(first_sentence, at)).then_some(year)
}

/// A year in a file name such as `2021.txt` or `2026_上海市_政府工作报告`:
/// named by whoever saved the file, so only a hint for the reviewer.
fn file_name_year(stem: &str) -> Option<i32> {
    let chars: Vec<char> = stem.chars().collect();
    (0..chars.len().saturating_sub(3)).find_map(|i| {
        let run: String = chars[i..i + 4].iter().collect();
        let before = i == 0 || !chars[i - 1].is_ascii_digit();
        let after = chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let year = run.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))?;
        (before && after).then_some(year)
    })
}

/// The provinces' short names as titles use them.
const SHORT_PROVINCES: &[(&str, &str)] = &[
    ("宁夏", "宁夏回族自治区"),
    ("广西", "广西壮族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("西藏", "西藏自治区"),
    ("内蒙古", "内蒙古自治区"),
];

/// `上海市政府` → `上海市人民政府`; `宁夏政府` → `宁夏回族自治区人民政府`;
/// `中华人民共和国国务院` → `国务院`.
fn full_body_name(body: &str) -> String {
    let mut body = body.strip_prefix("中华人民共和国").filter(|rest| *rest == "国务院").unwrap_or(body).to_owned();
    for (short, full) in SHORT_PROVINCES {
        if body.starts_with(short) && !body.starts_with(full) {
            body = format!("{full}{}", &body[short.len()..]);
        }
    }
    if body.ends_with("政府") && !body.ends_with("人民政府") {
        body.insert_str(body.len() - "政府".len(), "人民");
    }
    body
}

/// `第十四届全国人民代表大会第二次会议` → `全国人民代表大会`: the body
/// without the term and the session.
fn organ_of_session(name: &str) -> String {
    let mut name = name;
    // `第十四届…`, `十三届…`.
    let rest = name.strip_prefix('第').unwrap_or(name);
    let digits: usize = rest.chars().take_while(|&c| is_numeral(c)).map(char::len_utf8).sum();
    if digits > 0 && rest[digits..].starts_with('届') {
        name = &rest[digits + '届'.len_utf8()..];
    }
    // `陕西省第十四届人民代表大会…` → `陕西省人民代表大会`.
    let owned;
    if let Some(at) = name.find('第')
        && at > 0
        && let Some((_, after)) = number_at(name, at + '第'.len_utf8())
        && name[after..].starts_with('届')
    {
        owned = format!("{}{}", &name[..at], &name[after + '届'.len_utf8()..]);
        name = &owned;
    }
    let mut name = name.to_owned();
    for ending in ["全体会议", "会议"] {
        if let Some(before) = name.strip_suffix(ending)
            && let Some(at) = before.rfind('第')
            && before[at + '第'.len_utf8()..].trim_end_matches('次').chars().all(is_numeral)
        {
            name = before[..at].to_owned();
            break;
        }
    }
    name
}

/// Words that stand for a body without naming it: a self-reference (我局,
/// 本单位, 该单位), a vague one (区级部门, 某单位, 机关), a salutation.
pub fn is_unnamed_body(body: &str) -> bool {
    const VAGUE: &[&str] = &[
        "某", "本", "该", "我", "各", "全", "下属", "所属", "直属", "局属", "区级", "市级", "县级", "省级", "乡镇",
        "基层", "有关", "相关", "我们", "你们",
    ];
    const GENERIC: &[&str] = &[
        "单位",
        "部门",
        "机关",
        "系统",
        "公司",
        "企业",
        "组织",
        "支部",
        "党支部",
        "科室",
        "机构",
        "局",
        "委",
        "办",
        "院",
        "处",
        "科",
        "所",
        "站",
        "中心",
        "党组",
        "政府",
        "们",
        "",
    ];
    if body.contains(['：', ':', '，', '。', '！']) || body.starts_with("各位") || body.chars().count() > 30 {
        return true;
    }
    let mut rest = body;
    loop {
        let before = rest;
        for prefix in VAGUE {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if rest == before {
            break;
        }
    }
    GENERIC.contains(&rest)
}

/// The issuing body a title names: what stands before the year, or what is
/// left when the year and the kind of report are taken away. A session's
/// resolution is its organ's (`…会议关于…的决议` → 全国人民代表大会).
fn body_in_title(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    let (before, after): (String, String) = match years_in(title).first() {
        Some(&(at, _)) => (chars[..at].iter().collect(), chars[at + 5..].iter().collect()),
        None => (String::new(), title.to_owned()),
    };
    let mut after = after.trim_start_matches(['度', ' ', '_']).to_owned();
    for period in ["年度", "上半年", "下半年", "第一季度", "第二季度", "第三季度", "第四季度"] {
        after = after.trim_start_matches(period).to_owned();
    }
    let kinds = ["政府工作报告", "工作报告", "工作总结", "工作要点", "工作计划", "报告", "总结", "要点", "计划"];
    let (at, kind) = kinds.iter().filter_map(|k| after.find(k).map(|at| (at, *k))).min().unwrap_or((after.len(), ""));
    // A title naming no kind of report and no year is a slogan, not a body.
    if kind.is_empty() && before.is_empty() && !title.contains("关于") {
        return None;
    }
    let trim = |s: &str| {
        let s = s.trim_matches(|c: char| c.is_whitespace() || "《》“”\"_".contains(c));
        s.strip_prefix("关于").unwrap_or(s).trim_end_matches('的').to_owned()
    };
    let is_name = |s: &str| {
        s.chars().filter(|&c| c.is_ascii_alphabetic() || super::lines::is_han(c)).count() >= 2 && !is_unnamed_body(s)
    };
    if let Some(at) = title.find("关于").filter(|&at| at > 0) {
        let issuer = organ_of_session(&trim(&title[..at]));
        if is_name(&issuer) && years_in(&issuer).is_empty() {
            return Some(full_body_name(&issuer));
        }
    }
    let mut body = trim(&before);
    if body.is_empty() {
        body = trim(&after[..at]);
    }
    if !is_name(&body) {
        return None;
    }
    // `上海市` + 政府工作报告 → 上海市人民政府 (but `国务院政府工作报告` → 国务院).
    let place = ["省", "市", "区", "县", "州", "盟", "旗"].iter().any(|e| body.ends_with(e))
        || SHORT_PROVINCES.iter().any(|(short, _)| body == *short);
    if kind == "政府工作报告" && (place || body.ends_with("人民")) {
        // `四川省人民` + 政府工作报告: 四川省人民政府.
        body.push_str("政府");
    }
    // A 述职报告 is a person's: `乡镇党委书记个人` names no body.
    if after.contains("述职") {
        return None;
    }
    Some(full_body_name(&organ_of_session(&body)))
}

/// What a title names without naming a body (`区级部门2023年…总结`): the
/// vague words, for the reviewer.
fn vague_body_in_title(title: &str) -> Option<String> {
    let at = years_in(title).first()?.0;
    let before: String = title.chars().take(at).collect();
    let before = before.trim().trim_start_matches("关于").to_owned();
    (!before.is_empty() && is_unnamed_body(&before)).then_some(before)
}

/// The place a session or a speaker names: `陕西省第十四届人民代表大会…`
/// → 陕西省, `四川省人民政府省长 施小琳` → 四川省.
fn place_in(line: &str) -> Option<String> {
    let head: String = line.trim_start_matches(['—', '-', '－', ' ', '（', '(']).chars().take(24).collect();
    // Skip a date: `2026年1月27日在陕西省…`.
    let head = match head.find('在') {
        Some(at) if full_date(&head[..at]).is_some() => head[at + '在'.len_utf8()..].to_owned(),
        _ => head,
    };
    // Provinces and cities first: `贵州省` is no `贵州` prefecture.
    let earliest = |ends: &[&str]| ends.iter().filter_map(|end| head.find(end).map(|at| at + end.len())).min();
    let stop = earliest(&["自治区", "省", "市"]).or_else(|| earliest(&["自治州", "州", "盟", "县", "区", "旗"]))?;
    let place = &head[..stop];
    let named = (2..=12).contains(&place.chars().count())
        && place.chars().all(super::lines::is_han)
        && !place.starts_with(['自', '省', '市', '区', '县']);
    named.then(|| full_body_name(place))
}

/// `陕西省` + `省人民政府` → `陕西省人民政府`: a generic organ named by a
/// speech (`我代表省人民政府`) placed where its session or speaker is.
fn placed(place: &str, organ: &str) -> Option<String> {
    for level in ["自治区", "省", "市", "区", "县", "州", "盟", "旗"] {
        if let Some(rest) = organ.strip_prefix(level) {
            return place.ends_with(level).then(|| full_body_name(&format!("{place}{rest}")));
        }
    }
    None
}

/// Whether a name is an organ a speech could be given for.
fn is_organ(name: &str) -> bool {
    let ends = ["国务院", "政府", "委员会", "常委会", "党组", "党委", "代表大会", "办公室", "中央", "政务院"];
    ends.iter().any(|e| name.ends_with(e)) || name.ends_with(['局', '委', '厅', '部', '院', '办'])
}

/// The organ the text speaks for: `我代表国务院`, `受全国人大常委会委托`,
/// `中华人民共和国国务院向…会议提出…`, `我代表第十九届中央委员会`. A
/// generic organ (`省人民政府`) is placed with `place`; one that cannot be
/// (`局党组`) names nobody.
fn organ_speaking(evidence: &Evidence, place: Option<&str>) -> Option<String> {
    let opening = evidence.opening();
    let mut candidates: Vec<String> = Vec::new();
    for (at, _) in opening.match_indices("代表") {
        if !opening[..at].ends_with('我') {
            continue;
        }
        let rest = &opening[at + "代表".len()..];
        let end = rest.find(['，', ',', '向', '作', '。', '；', '\n', '、', '：']).unwrap_or(rest.len());
        candidates.push(rest[..end].trim().to_owned());
    }
    for (at, _) in opening.match_indices('受') {
        let rest = &opening[at + '受'.len_utf8()..];
        if let Some(end) = rest.find("委托").filter(|&e| e <= 60) {
            candidates.push(rest[..end].trim().to_owned());
        }
    }
    // `中华人民共和国国务院向第一届全国人民代表大会第二次会议提出…`.
    let first = evidence.first_sentence();
    if let Some(at) = first.find('向').filter(|&at| at > 0 && at <= 60) {
        let named = first[..at].trim();
        // A name alone, not a clause (`2025年1月14日在…会议上`).
        if !named.contains(['，', ',', '在', '：']) && !named.chars().any(|c| c.is_ascii_digit()) {
            candidates.push(named.to_owned());
        }
    }
    let party = opening.contains("中国共产党")
        || opening.contains("党的")
        || evidence.title.as_ref().is_some_and(|t| t.contains("共产党"))
        || evidence.front.iter().any(|l| l.contains("共产党"));
    for named in candidates {
        if named.chars().count() < 2 || named.chars().count() > 30 || !is_organ(&named) {
            continue;
        }
        let organ = organ_of_session(&named);
        if organ == "中央委员会" && party {
            return Some("中国共产党中央委员会".into());
        }
        if organ.starts_with(['省', '市', '区', '县', '州', '盟', '旗', '自']) {
            if let Some(body) = place.and_then(|p| placed(p, &organ)) {
                return Some(body);
            }
            continue;
        }
        if is_unnamed_body(&organ) {
            continue;
        }
        return Some(full_body_name(&organ));
    }
    None
}

/// The organ that signs the report: a name alone on one of its last lines
/// (`云溪区发展和改革局` above `2025年1月6日`).
fn organ_signing(evidence: &Evidence) -> Option<String> {
    evidence.closing().into_iter().find_map(|line| {
        let line = line.trim();
        let named = line.chars().count() <= 30
            && !line.contains(['，', '。', '：', '；', '！', ' ', '\u{3000}'])
            && is_organ(line)
            && !is_unnamed_body(line)
            && !line.starts_with(['省', '市', '区', '县', '局', '委']);
        named.then(|| full_body_name(line))
    })
}

/// `国务院总理 李强` → 国务院; `陕西省省长 赵刚` → 陕西省人民政府.
fn organ_of_speaker(front: &[String], place: Option<&str>) -> Option<String> {
    for line in front.iter().filter(|l| super::lines::is_speaker_line(l) || l.contains("总理")) {
        if line.contains("国务院总理") {
            return Some("国务院".into());
        }
        let heads = ["省长", "市长", "区长", "县长", "州长", "盟长", "主席"];
        if heads.iter().any(|h| line.contains(h)) && (line.contains("人民政府") || !line.contains("主席")) {
            let place = place_in(line).or_else(|| place.map(str::to_owned))?;
            return Some(full_body_name(&format!("{place}人民政府")));
        }
    }
    None
}

/// A resolution opens with the session that adopts it: its organ.
fn organ_of_opening_session(evidence: &Evidence) -> Option<String> {
    let first = evidence.first_sentence();
    let at = first.find("会议")?;
    let session = &first[..at];
    // The sentence starts with the session (`第十四届…`, `陕西省第十四届…`).
    let place = &session[..session.find('第')?];
    let placed = place.is_empty()
        || (place.chars().count() <= 12
            && ["省", "市", "区", "县", "州", "盟", "旗"].iter().any(|e| place.ends_with(e)));
    if !placed || session.chars().count() > 40 || !session.contains('届') || session.contains(['，', '、', '：', ','])
    {
        return None;
    }
    let organ = organ_of_session(&first[..at + "会议".len()]);
    (organ.chars().count() >= 4 && organ.ends_with("代表大会") || organ.ends_with("常务委员会")).then_some(organ)
}

/// Two names of one body: `陕西省人民政府` and `陕西省政府`, or one
/// holding the other.
fn same_body(a: &str, b: &str) -> bool {
    let bare = |s: &str| s.replace("人民政府", "政府").replace("中华人民共和国", "");
    let (a, b) = (bare(a), bare(b));
    a == b || a.contains(&b) || b.contains(&a)
}

/// The issuing body: named by the title, or by the text (`我代表…`, a
/// resolution's session, the speaker). A salutation, a self-reference or a
/// vague word is never a body; two bodies that disagree leave it unknown.
fn infer_body(evidence: &Evidence) -> Field<String> {
    // Where the report was given: the dateline's session, the title, the speaker.
    let place = evidence
        .front
        .iter()
        .filter(|l| is_date_line(l) || super::lines::is_speaker_line(l))
        .find_map(|l| place_in(l))
        .or_else(|| evidence.title.as_deref().and_then(place_in));
    let from_title = evidence.title.as_deref().and_then(body_in_title);
    let signed = organ_signing(evidence);
    // The signature names the title's body in full (`区发展和改革局` →
    // `云溪区发展和改革局`).
    let from_title = match (from_title, &signed) {
        (Some(t), Some(s)) if same_body(&t, s) && s.chars().count() > t.chars().count() => Some(s.clone()),
        (t, _) => t,
    };
    let from_text = organ_speaking(evidence, place.as_deref())
        .or_else(|| organ_of_opening_session(evidence))
        .or_else(|| organ_of_speaker(&evidence.front, place.as_deref()))
        .or(signed);
    match (from_title, from_text) {
        // The title names the body; the text naming another is flagged.
        (Some(t), Some(x)) if !same_body(&t, &x) => {
            Field::flagged(t.clone(), format!("标题写“{t}”，正文却写“{x}”：请核对"))
        }
        (Some(t), Some(x)) => Field::found(if x.chars().count() > t.chars().count() { x } else { t }),
        (Some(t), None) => Field::found(t),
        // `区级部门2023年…总结` whose text names another organ: flagged.
        (None, Some(x)) => match evidence.title.as_deref().and_then(vague_body_in_title) {
            Some(vague) => Field::flagged(x.clone(), format!("标题只写了“{vague}”，正文写“{x}”：请核对")),
            None => Field::found(x),
        },
        (None, None) => {
            let why = match evidence.title.as_deref().and_then(vague_body_in_title) {
                Some(vague) => format!("标题只写了“{vague}”，没有写明是哪个机关"),
                None => "标题和正文都没有写明发文机关（“我局”“我们”“各位代表”之类不算）".to_owned(),
            };
            Field::unknown(why)
        }
    }
}

/// The level of a body: the configured rules, else the built-in ones.
pub fn level_of(body: &str, config: &Config) -> Option<String> {
    if !config.level_rules.is_empty() {
        return config.level_rules.iter().find(|r| body.contains(&r.contains)).map(|r| r.level.clone());
    }
    let national =
        ["国务院", "全国", "中共中央", "中央", "国家", "中华人民共和国", "中国共产党中央", "中国共产党全国", "政务院"];
    if national.iter().any(|n| body.starts_with(n)) {
        return Some("国家级".into());
    }
    let without_region = body.replace("自治区", "");
    let township = ["街道", "镇人民政府", "乡人民政府", "镇政府", "乡政府", "镇党委", "乡党委"];
    if township.iter().any(|t| body.contains(t)) {
        return Some("乡镇级".into());
    }
    if without_region.contains('区') || without_region.contains('县') || body.contains('旗') {
        return Some("区县级".into());
    }
    let municipalities = ["北京", "上海", "天津", "重庆"];
    if body.contains('省') || body.contains("自治区") || municipalities.iter().any(|m| body.starts_with(m)) {
        return Some("省级".into());
    }
    if body.contains('市') || body.contains('州') || body.contains('盟') {
        return Some("市级".into());
    }
    None
}

/// The kind a title ends with (`…工作总结` → 总结, `…的决议` → 决议).
fn kind_of_title(title: &str) -> Option<&'static str> {
    let core = match title.rfind(['（', '(']) {
        Some(at) if title.ends_with(['）', ')']) && at > 0 => &title[..at],
        _ => title,
    };
    const KINDS: &[&str] = &[
        "报告", "总结", "要点", "计划", "安排", "决议", "讲话", "意见", "方案", "规划", "汇报", "述职", "纪要", "打算",
    ];
    KINDS.iter().copied().find(|k| core.trim_end().ends_with(k))
}

/// The period a title names; a text that reports on the government's work
/// (`向大会报告政府工作`) is an annual report. A resolution, a speech or a
/// plan has none.
fn infer_period(evidence: &Evidence) -> Field<String> {
    if let Some(title) = evidence.title.as_deref() {
        if let Some(kind @ ("决议" | "讲话" | "意见" | "方案" | "规划" | "纪要")) = kind_of_title(title) {
            return Field::unknown(format!("这是{kind}，不是定期报告：报告期请按文库的习惯填写"));
        }
        for quarter in ["第一季度", "第二季度", "第三季度", "第四季度"] {
            if title.contains(quarter) {
                return Field::found(quarter.into());
            }
        }
        for (word, period) in [
            ("上半年", "上半年"),
            ("下半年", "下半年"),
            ("工作要点", "工作要点"),
            ("工作计划", "工作计划"),
            ("年度", "年度"),
            ("工作总结", "年度"),
            ("工作报告", "年度"),
        ] {
            if title.contains(word) {
                return Field::found(period.into());
            }
        }
    }
    if evidence.title.is_none() && kind_of_text(evidence) == "决议" {
        return Field::unknown("这是决议，不是定期报告：报告期请按文库的习惯填写");
    }
    if reports_on_government_work(evidence) {
        return Field::found("年度".into());
    }
    Field::unknown(if evidence.title.is_some() {
        "标题没有写明报告期（年度、上半年、第三季度、工作要点……）"
    } else {
        "没有标题，正文也没有写明报告期"
    })
}

/// `现在，我代表国务院，向大会报告政府工作`, `…会议作政府工作报告`: a
/// clause of the opening says the text itself is a government work report
/// (not `国务院在政府工作报告中提出…`, which cites another).
fn reports_on_government_work(evidence: &Evidence) -> bool {
    let opening: String = evidence.opening().chars().take(400).collect();
    opening.split(['。', '，', '；', '\n']).any(|clause| {
        let reports_on = clause.find("报告").zip(clause.rfind("政府工作")).is_some_and(|(r, g)| r < g);
        let gives = clause.find("政府工作报告").is_some_and(|g| clause[..g].ends_with('作'));
        reports_on || gives
    })
}

/// What a document is, by its opening, when it has no title: a government
/// work report, a resolution (`…会议听取和审议了…决定批准…`), or a report.
fn kind_of_text(evidence: &Evidence) -> &'static str {
    let first = evidence.first_sentence();
    if organ_of_opening_session(evidence).is_some() && (first.contains("听取") || first.contains("审议")) {
        return "决议";
    }
    if reports_on_government_work(evidence) {
        return "政府工作报告";
    }
    "报告"
}

/// The title as written; without one, a title made of what is known
/// (`2013年国务院政府工作报告`, `第十二届全国人民代表大会第一次会议关于政府
/// 工作报告的决议`), never changing the kind of document, flagged.
fn make_title(evidence: &Evidence, body: Option<&str>, year: Option<i32>) -> Field<String> {
    if let Some(title) = &evidence.written_title {
        return Field::found(title.clone());
    }
    let made = match kind_of_text(evidence) {
        "决议" => {
            let first = evidence.first_sentence();
            let session = &first[..first.find("会议").map_or(0, |at| at + "会议".len())];
            let subject = if first.contains("政府工作报告") { "政府工作报告" } else { "工作报告" };
            format!("{session}关于{subject}的决议")
        }
        kind => match delivered_session(evidence) {
            // `在中国共产党第十二次全国代表大会上的报告`.
            Some(session @ Session { kind: SessionKind::Cpc(_), .. }) => format!("在{}上的报告", session.name()),
            _ => {
                let year = year.map(|y| format!("{y}年")).unwrap_or_default();
                format!("{year}{}{kind}", body.unwrap_or(""))
            }
        },
    };
    Field::flagged(made, "文件没有标题：这个标题是按已知的年份、机关和文种拼成的")
}

/// Everything inferred for one document; overrides win and are never
/// listed for review.
pub fn infer(evidence: &Evidence, config: &Config, overrides: &Overrides) -> Metadata {
    let year = match overrides.year {
        Some(year) => Field::found(year),
        None => infer_year(evidence),
    };
    let body = match &overrides.body {
        Some(body) => Field::found(body.clone()),
        None => infer_body(evidence),
    };
    let period = match &overrides.period {
        Some(period) => Field::found(period.clone()),
        None => infer_period(evidence),
    };
    let level = match (&overrides.level, &body.value) {
        (Some(level), _) => Field::found(level.clone()),
        (None, Some(name)) => match level_of(name, config) {
            Some(level) => Field::found(level),
            None => Field::unknown(format!("从“{name}”看不出层级")),
        },
        (None, None) => Field::unknown("发文机关不详，无法判断层级"),
    };
    let title = make_title(evidence, body.value.as_deref(), year.value);

    let mut review = Vec::new();
    let mut note = |field: &str, why: Option<String>| {
        if let Some(why) = why {
            review.push((field.to_owned(), why));
        }
    };
    note("title", title.review.clone());
    note("body", body.review.clone().or_else(|| outside(config, Vocabulary::Body, body.value.as_deref())));
    note("level", level.review.clone().or_else(|| outside(config, Vocabulary::Level, level.value.as_deref())));
    note("year", year.review.clone().or_else(|| year.value.and_then(|y| outside_years(config, y))));
    note("period", period.review.clone().or_else(|| outside(config, Vocabulary::Period, period.value.as_deref())));
    Metadata {
        title: title.value.unwrap_or_default(),
        body: body.value,
        level: level.value,
        year: year.value,
        period: period.value,
        review,
        date: date_of(evidence),
    }
}

/// Why a value needs review when the archive's list does not hold it.
fn outside(config: &Config, vocabulary: Vocabulary, value: Option<&str>) -> Option<String> {
    let value = value?;
    let allowed = config.allowed(vocabulary);
    (!allowed.is_empty() && !allowed.iter().any(|a| a == value))
        .then(|| format!("“{value}”不在 wenku.yaml 的列表中（{}）", allowed.join("、")))
}

fn outside_years(config: &Config, year: i32) -> Option<String> {
    let range = config.years?;
    (!(range.from..=range.to).contains(&year))
        .then(|| format!("{year} 年不在 wenku.yaml 的年份范围 {}–{} 内", range.from, range.to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_from(title: Option<&str>, front: &[&str], text: &str) -> Metadata {
        let front: Vec<String> = front.iter().map(|l| l.to_string()).collect();
        let text: Vec<String> = text.lines().map(str::to_owned).collect();
        let evidence = Evidence::new(title, &front, &text, "x");
        infer(&evidence, &Config::default(), &Overrides::default())
    }

    fn flagged(m: &Metadata) -> Vec<&str> {
        m.review.iter().map(|(f, _)| f.as_str()).collect()
    }

    #[test]
    fn a_target_year_is_never_the_reports() {
        let m = infer_from(
            Some("高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗"),
            &["——在中国共产党第二十次全国代表大会上的报告", "（2022年10月16日）"],
            "同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n到2035年，我国发展的总体目标是……二〇三五年远景目标。",
        );
        assert_eq!(m.year, Some(2022));
        assert_eq!(m.date.as_deref(), Some("2022-10-16"));
        assert_eq!(m.body.as_deref(), Some("中国共产党中央委员会"));
        assert_eq!(m.level.as_deref(), Some("国家级"));
        // A title naming no kind of report and no year names no body either.
        assert!(!flagged(&m).contains(&"body"), "{:?}", m.review);
    }

    #[test]
    fn a_session_dates_a_resolution_and_names_its_body() {
        let m = infer_from(
            None,
            &[],
            "第十二届全国人民代表大会第一次会议听取和审议了国务院总理温家宝所作的政府工作报告。会议决定批准这个报告。",
        );
        assert_eq!(m.year, Some(2013));
        assert_eq!(m.body.as_deref(), Some("全国人民代表大会"));
        // A resolution stays a resolution, flagged; it has no period.
        assert_eq!(m.title, "第十二届全国人民代表大会第一次会议关于政府工作报告的决议");
        assert_eq!(m.period, None);
        assert_eq!(flagged(&m), ["title", "period"]);
    }

    #[test]
    fn a_salutation_or_a_self_reference_is_never_a_body() {
        let m = infer_from(
            None,
            &["各位代表："],
            "我现在根据国务院的决定，向第二届全国人民代表大会第一次会议作政府工作报告。",
        );
        assert_eq!(m.year, Some(1959));
        assert_eq!(m.body, None);
        assert_eq!(m.period.as_deref(), Some("年度"));
        assert!(flagged(&m).contains(&"body"));
        let m = infer_from(Some("我局2023年工作总结"), &[], "2023年，我局认真贯彻落实各项决策部署。");
        assert_eq!((m.body, m.year), (None, Some(2023)));
        let m = infer_from(Some("2020年上半年工作总结"), &[], "上半年，本单位全面完成各项任务。");
        assert_eq!(m.title, "2020年上半年工作总结", "the title as written");
        assert_eq!((m.year, m.period.as_deref(), m.body.as_deref()), (Some(2020), Some("上半年"), None));
        assert_eq!(flagged(&m), ["body", "level"]);
    }

    #[test]
    fn who_speaks_names_the_body() {
        let m = infer_from(
            None,
            &["各位代表："],
            "从去年９月第五届全国人民代表大会第三次会议到现在，根据人大常委会的决定，本次会议讨论经济工作。\n现在，我代表国务院，向大会报告政府工作。",
        );
        assert_eq!(m.body.as_deref(), Some("国务院"));
        // A session looked back on does not date the report.
        assert_eq!(m.year, None);
        let m = infer_from(
            Some("2026年陕西省政府工作报告"),
            &["——2026年1月27日在陕西省第十四届人民代表大会第四次会议上", "陕西省省长 赵刚"],
            "现在，我代表省人民政府向大会报告工作，请予审议。",
        );
        assert_eq!(m.body.as_deref(), Some("陕西省人民政府"));
        assert_eq!(m.level.as_deref(), Some("省级"));
        assert!(m.review.is_empty(), "{:?}", m.review);
    }

    #[test]
    fn levels_from_the_bodys_name() {
        let config = Config::default();
        assert_eq!(level_of("云溪区住房和城乡建设局", &config).as_deref(), Some("区县级"));
        assert_eq!(level_of("XX镇人民政府", &config).as_deref(), Some("乡镇级"));
        assert_eq!(level_of("宁夏回族自治区人民政府", &config).as_deref(), Some("省级"));
        assert_eq!(level_of("市委政法委", &config).as_deref(), Some("市级"));
        assert_eq!(level_of("国务院", &config).as_deref(), Some("国家级"));
        assert_eq!(level_of("办公室", &config), None);
    }
}
