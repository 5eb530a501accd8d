//! Inferring a report's front matter from its title, the lines under it,
//! its file name and its text. Every value says where it came from; a value
//! that is a guess (taken from the running text, or a default) is marked for
//! review instead of being passed off as known.

use crate::config::{Config, Vocabulary};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred<T> {
    pub value: T,
    /// False when the value is a guess a person should check.
    pub sure: bool,
}

fn sure<T>(value: T) -> Option<Inferred<T>> {
    Some(Inferred { value, sure: true })
}

fn guess<T>(value: T) -> Option<Inferred<T>> {
    Some(Inferred { value, sure: false })
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub body: String,
    pub level: String,
    pub year: i32,
    pub period: String,
    /// Fields to check by hand, in front-matter order.
    pub review: Vec<String>,
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

/// The provinces' short names as titles use them.
const SHORT_PROVINCES: &[(&str, &str)] = &[
    ("宁夏", "宁夏回族自治区"),
    ("广西", "广西壮族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("西藏", "西藏自治区"),
    ("内蒙古", "内蒙古自治区"),
];

/// A year written `2020`, `２０２０` (already folded) or `二〇二〇`, followed by 年.
fn years_in(text: &str) -> Vec<(usize, i32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 4 < chars.len() + 1 {
        let window = &chars[i..(i + 4).min(chars.len())];
        if window.len() == 4 && chars.get(i + 4) == Some(&'年') && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let digits: Option<String> = window
                .iter()
                .map(|&c| match c {
                    '0'..='9' => Some(c),
                    '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10),
                    '〇' | '零' | 'О' => Some('0'),
                    '一' => Some('1'),
                    '二' => Some('2'),
                    '三' => Some('3'),
                    '四' => Some('4'),
                    '五' => Some('5'),
                    '六' => Some('6'),
                    '七' => Some('7'),
                    '八' => Some('8'),
                    '九' => Some('9'),
                    _ => None,
                })
                .collect();
            if let Some(year) = digits.and_then(|d| d.parse::<i32>().ok())
                && (1900..=2100).contains(&year)
            {
                found.push((i, year));
            }
        }
        i += 1;
    }
    found
}

fn first_year(text: &str) -> Option<i32> {
    years_in(text).first().map(|&(_, y)| y)
}

/// A year in a file name such as `2021.txt` or `2026_上海市_政府工作报告`.
fn year_in_file_name(stem: &str) -> Option<i32> {
    let bytes: Vec<char> = stem.chars().collect();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let run: String = bytes[i..i + 4].iter().collect();
        let before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after = bytes.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let year = run.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))?;
        (before && after).then_some(year)
    })
}

fn infer_year(title: Option<&str>, front: &[String], stem: &str, text: &str) -> Option<Inferred<i32>> {
    if let Some(year) = title.and_then(first_year) {
        return sure(year);
    }
    if let Some(year) = front.iter().find_map(|l| first_year(l)) {
        return sure(year);
    }
    if let Some(year) = year_in_file_name(stem) {
        return sure(year);
    }
    // The year the opening text mentions most.
    let opening: String = text.chars().take(3000).collect();
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for (_, year) in years_in(&opening) {
        *counts.entry(year).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(year, n)| (n, year)).and_then(|(year, _)| guess(year))
}

fn infer_period(title: Option<&str>) -> Option<Inferred<String>> {
    let title = title?;
    for quarter in ["第一季度", "第二季度", "第三季度", "第四季度"] {
        if title.contains(quarter) {
            return sure(quarter.into());
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
            return sure(period.into());
        }
    }
    None
}

/// The issuing body named in a title (or a file name): what stands before
/// the year, or what is left when the year and the kind of report are
/// taken away. `政府工作报告` names a government: `上海市政府`.
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
    let kinds = ["政府工作报告", "工作报告", "工作总结", "工作要点", "工作计划", "报告", "总结"];
    let (at, kind) = kinds.iter().filter_map(|k| after.find(k).map(|at| (at, *k))).min().unwrap_or((after.len(), ""));
    let trim = |s: &str| {
        let s = s.trim_matches(|c: char| c.is_whitespace() || "《》“”\"_".contains(c));
        s.strip_prefix("关于").unwrap_or(s).trim_end_matches('的').to_owned()
    };
    // `XX局`: a masked name counts its letters.
    let is_name = |s: &str| {
        s.chars()
            .filter(|&c| {
                c.is_ascii_alphabetic() || crate::search::analyzer::classify(c) == crate::search::analyzer::Class::Cjk
            })
            .count()
            >= 2
    };
    // `X会议关于Y的决议`: the meeting's body issued it.
    if let Some(at) = title.find("关于").filter(|&at| at > 0) {
        let issuer = organ_of_session(&trim(&title[..at]));
        if is_name(&issuer) && years_in(&issuer).is_empty() {
            return Some(full_body_name(&issuer));
        }
    }
    // What stands before the year names the body; without it, what stands
    // before the kind of report (`国务院政府工作报告`).
    let mut body = trim(&before);
    if body.is_empty() {
        body = trim(&after[..at]);
    }
    if !is_name(&body) {
        return None;
    }
    if kind == "政府工作报告" && !body.ends_with("政府") {
        body.push_str("政府");
    }
    Some(full_body_name(&organ_of_session(&body)))
}

/// `第十四届全国人民代表大会第二次会议` → `全国人民代表大会`: the body
/// without the term and the session.
fn organ_of_session(name: &str) -> String {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十百零〇".contains(c);
    let mut name = name;
    // `第十四届…`, `十三届…`.
    let rest = name.strip_prefix('第').unwrap_or(name);
    let digits: usize = rest.chars().take_while(|&c| numeral(c)).map(char::len_utf8).sum();
    if digits > 0 && rest[digits..].starts_with('届') {
        name = &rest[digits + '届'.len_utf8()..];
    }
    for ending in ["全体会议", "会议"] {
        if let Some(before) = name.strip_suffix(ending)
            && let Some(at) = before.rfind('第')
            && before[at + '第'.len_utf8()..].trim_end_matches('次').chars().all(numeral)
        {
            name = &before[..at];
            break;
        }
    }
    name.to_owned()
}

/// The body named where a text without a title opens: `第十四届全国人民
/// 代表大会第二次会议听取和审议了…` (a resolution).
fn body_of_opening_session(opening: &str) -> Option<String> {
    let first: String = opening.chars().take(60).collect();
    let at = first.find("会议")?;
    let organ = organ_of_session(&first[..at + "会议".len()]);
    (organ.chars().count() >= 4 && organ != first[..at + "会议".len()]).then_some(organ)
}

/// The body of a report that names none, until someone fills it in.
pub const UNNAMED_BODY: &str = "（未注明）";

/// `区级部门`, `某单位`, `本单位`, `机关`: words that stand for a body
/// without naming it.
pub fn is_unnamed_body(body: &str) -> bool {
    const VAGUE: &[&str] = &[
        "某", "本", "该", "我", "各", "全", "下属", "所属", "直属", "局属", "区级", "市级", "县级", "省级", "乡镇",
        "基层", "有关", "相关",
    ];
    const GENERIC: &[&str] =
        &["单位", "部门", "机关", "系统", "公司", "企业", "组织", "支部", "党支部", "科室", "机构"];
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
    rest.is_empty() || GENERIC.contains(&rest)
}

/// `上海市政府` → `上海市人民政府`; `宁夏政府` → `宁夏回族自治区人民政府`.
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

/// `我代表国务院，向大会报告…`, the office in a speaker line, or the
/// national government the text names most.
fn body_in_text(front: &[String], text: &str) -> Option<String> {
    let opening: String = text.chars().take(3000).collect();
    for (at, _) in opening.match_indices("代表") {
        let rest = &opening[at + "代表".len()..];
        let end = rest.find(['，', ',', '向', '作', '。', '；', '\n']).unwrap_or(rest.len());
        let named = rest[..end].trim();
        let is_government = named.ends_with("国务院") || named.ends_with("政府");
        // `我代表第十五届中央委员会向大会作报告`.
        let is_committee = named.ends_with("委员会");
        if (is_government || is_committee) && (2..=20).contains(&named.chars().count()) {
            let organ = organ_of_session(named);
            return Some(if organ == "中央委员会" {
                "中国共产党中央委员会".into()
            } else {
                full_body_name(&organ)
            });
        }
    }
    if let Some(organ) = body_of_opening_session(&opening) {
        return Some(organ);
    }
    if front.iter().any(|l| l.contains("总理")) {
        return Some("国务院".to_owned());
    }
    ["国务院", "中央人民政府"]
        .into_iter()
        .map(|name| (text.matches(name).count(), name))
        .filter(|&(n, _)| n >= 2)
        .max()
        .map(|(_, name)| name.to_owned())
}

/// The level of a body: the configured rules, else the built-in ones.
pub fn level_of(body: &str, config: &Config) -> Option<String> {
    if !config.level_rules.is_empty() {
        return config.level_rules.iter().find(|r| body.contains(&r.contains)).map(|r| r.level.clone());
    }
    let national = ["国务院", "全国", "中共中央", "中央", "国家", "中华人民共和国", "中国共产党中央", "中国共产党全国"];
    if national.iter().any(|n| body.starts_with(n)) {
        return Some("国家级".into());
    }
    let without_region = body.replace("自治区", "");
    if without_region.contains('区') || without_region.contains('县') || body.contains("旗") {
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

/// Everything inferred for one document; overrides win and are never
/// marked for review.
pub fn infer(
    title_line: Option<&str>,
    front: &[String],
    stem: &str,
    text: &str,
    config: &Config,
    overrides: &Overrides,
) -> Metadata {
    let mut review = Vec::new();
    let mut note = |field: &str, sure: bool| {
        if !sure {
            review.push(field.to_owned());
        }
    };

    let year = match overrides.year {
        Some(year) => Inferred { value: year, sure: true },
        None => infer_year(title_line, front, stem, text).unwrap_or(Inferred { value: 0, sure: false }),
    };
    let body = match &overrides.body {
        Some(body) => Inferred { value: body.clone(), sure: true },
        // `区级部门…`, `某单位…`: kept as the title words it, for review.
        None => title_line
            .and_then(body_in_title)
            .map(|body| Inferred { sure: !is_unnamed_body(&body), value: body })
            .or_else(|| {
                // `我代表省人民政府` names no place; a file name like
                // `2026_青海省_政府工作报告` may.
                let from_text = body_in_text(front, text);
                let generic = from_text.as_deref().is_some_and(|b| b.starts_with(['省', '市', '区', '县', '州']));
                let name: String = stem.chars().filter(|c| !c.is_ascii_digit() && !"_- ".contains(*c)).collect();
                let from_name = super::lines::names_a_report(&name).then(|| body_in_title(&name)).flatten();
                match (from_text, from_name) {
                    (Some(t), Some(n)) if generic => guess(n).filter(|_| !t.is_empty()),
                    (Some(t), _) => guess(t),
                    (None, Some(n)) => guess(n),
                    (None, None) => None,
                }
            })
            // Nothing names the body: a placeholder no one takes for a
            // name, awaiting review.
            .unwrap_or(Inferred { value: UNNAMED_BODY.into(), sure: false }),
    };
    let period = match &overrides.period {
        Some(period) => Inferred { value: period.clone(), sure: true },
        None => infer_period(title_line).unwrap_or(Inferred { value: "年度".into(), sure: false }),
    };
    let level = match &overrides.level {
        Some(level) => Inferred { value: level.clone(), sure: true },
        None => match level_of(&body.value, config) {
            Some(level) => Inferred { value: level, sure: body.sure },
            None => Inferred { value: "区县级".into(), sure: false },
        },
    };
    let title = make_title(title_line, &body, &year, text);

    note("title", title.sure);
    note("body", body.sure && in_vocabulary(config, Vocabulary::Body, &body.value));
    note("level", level.sure && in_vocabulary(config, Vocabulary::Level, &level.value));
    note("year", year.sure && year_allowed(config, year.value));
    note("period", period.sure && in_vocabulary(config, Vocabulary::Period, &period.value));
    Metadata {
        title: title.value,
        body: body.value,
        level: level.value,
        year: year.value,
        period: period.value,
        review,
        date: date_in(front, text),
    }
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

/// The first full date (`2025年1月14日`, `二〇二五年一月十四日`) in a line.
fn full_date(line: &str) -> Option<String> {
    let numeral = |c: char| c.is_ascii_digit() || "〇一二三四五六七八九十".contains(c);
    for (at, year) in years_in(line) {
        let rest: String = line.chars().skip(at + 5).collect();
        let month: String = rest.chars().take_while(|&c| numeral(c)).collect();
        let Some(rest) = rest[month.len()..].strip_prefix('月') else { continue };
        let day: String = rest.chars().take_while(|&c| numeral(c)).collect();
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

/// The report's date: from its dateline, else from a date standing alone
/// in its last lines (where a signature puts it).
fn date_in(front: &[String], text: &str) -> Option<String> {
    if let Some(date) = front.iter().find_map(|l| full_date(l)) {
        return Some(date);
    }
    let last: Vec<&str> = text.lines().rev().take(3).collect();
    last.into_iter().filter(|l| l.chars().count() <= 16).find_map(full_date)
}

/// The title line as written when it names the body and the year; else a
/// title made of what is known (`2021年国务院政府工作报告`), as sure as its parts.
fn make_title(title_line: Option<&str>, body: &Inferred<String>, year: &Inferred<i32>, text: &str) -> Inferred<String> {
    let opening: String = text.chars().take(3000).collect();
    let title = match title_line {
        Some(title) => title.to_owned(),
        None if opening.contains("政府工作报告") || opening.contains("报告政府工作") => {
            "政府工作报告".into()
        }
        None => {
            ["工作报告", "工作总结", "工作要点"].into_iter().find(|k| opening.contains(k)).unwrap_or("工作报告").into()
        }
    };
    let names_body = title_line.is_some_and(|t| body_in_title(t).is_some());
    let names_year = title_line.is_some_and(|t| first_year(t).is_some());
    // `2026年政府工作报告` → `2026年` + body + `政府工作报告`.
    let (year_prefix, rest) = match years_in(&title).first() {
        Some(&(0, _)) => {
            let at = title.char_indices().nth(5).map_or(title.len(), |(i, _)| i);
            (title[..at].to_owned(), title[at..].to_owned())
        }
        _ if names_year || year.value == 0 => (String::new(), title.clone()),
        _ => (format!("{}年", year.value), title.clone()),
    };
    let body_part = match body.value.strip_suffix("人民政府") {
        _ if names_body => "",
        Some(place) if rest.starts_with("政府") => place,
        _ => &body.value,
    };
    // Sure when the title is the document's own, and what was added is known.
    let added_year_sure = names_year || year.value == 0 || year.sure;
    let added_body_sure = names_body || body.sure;
    let sure = title_line.is_some() && added_year_sure && added_body_sure;
    Inferred { value: format!("{year_prefix}{body_part}{rest}"), sure }
}

fn in_vocabulary(config: &Config, vocabulary: Vocabulary, value: &str) -> bool {
    let allowed = config.allowed(vocabulary);
    allowed.is_empty() || allowed.iter().any(|a| a == value)
}

fn year_allowed(config: &Config, year: i32) -> bool {
    year > 0 && config.years.is_none_or(|r| (r.from..=r.to).contains(&year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(t: &str) -> Metadata {
        infer(Some(t), &[], "x", "", &Config::default(), &Overrides::default())
    }

    #[test]
    fn dates_from_datelines_and_signatures() {
        let front = ["——2025年1月14日在北京市第十六届人民代表大会第三次会议上".to_owned()];
        assert_eq!(date_in(&front, "").as_deref(), Some("2025-01-14"));
        let front = ["——二〇二五年一月十四日在某区人民代表大会上".to_owned()];
        assert_eq!(date_in(&front, "").as_deref(), Some("2025-01-14"));
        assert_eq!(date_in(&[], "全年工作完成。\n某区人大常委会党组\n2020年12月30日").as_deref(), Some("2020-12-30"));
        assert_eq!(date_in(&[], "2020年2月30日"), None);
        assert_eq!(date_in(&[], "2020年全年完成投资。"), None);
    }

    #[test]
    fn from_titles() {
        let m = title("2026年上海市政府工作报告");
        assert_eq!(
            (m.year, m.body.as_str(), m.level.as_str(), m.period.as_str()),
            (2026, "上海市人民政府", "省级", "年度")
        );
        assert!(m.review.is_empty(), "{:?}", m.review);
        let m = title("某区人大常委会党组2021年上半年工作总结");
        assert_eq!(
            (m.year, m.body.as_str(), m.level.as_str(), m.period.as_str()),
            (2021, "某区人大常委会党组", "区县级", "上半年")
        );
        let m = title("2025年宁夏政府工作报告");
        assert_eq!(m.body, "宁夏回族自治区人民政府");
        assert_eq!(m.level, "省级");
        let m = title("区委直属机关工委2024年工作要点");
        assert_eq!((m.body.as_str(), m.level.as_str(), m.period.as_str()), ("区委直属机关工委", "区县级", "工作要点"));
        let m = title("第十三届全国人民代表大会第四次会议关于政府工作报告的决议");
        assert_eq!(m.body, "全国人民代表大会");
        let m = title("关于X县人民政府2019年第三季度工作情况的报告");
        assert_eq!((m.body.as_str(), m.period.as_str()), ("X县人民政府", "第三季度"));
        assert_eq!(organ_of_session("第十四届全国人民代表大会常务委员会第五次会议"), "全国人民代表大会常务委员会");
        let m = title("二〇二六年甘肃省政府工作报告");
        assert_eq!(m.year, 2026);
        let m = title("某市生态环境局第三季度工作总结");
        assert_eq!((m.year, m.level.as_str(), m.period.as_str()), (0, "市级", "第三季度"));
        assert_eq!(m.review, ["year"]);
    }

    #[test]
    fn level_rules_from_the_config_replace_the_built_in_ones() {
        let config: Config = crate::yaml::from_str(
            "level_rules:\n  - {contains: 街道, level: 乡镇级}\n  - {contains: 局, level: 市级}\n",
        )
        .expect("valid config");
        assert_eq!(level_of("某区某街道办事处", &config).as_deref(), Some("乡镇级"));
        assert_eq!(level_of("某区教育局", &config).as_deref(), Some("市级"));
        assert_eq!(level_of("国务院", &config), None);
    }

    #[test]
    fn values_outside_the_vocabularies_are_flagged() {
        let config: Config = crate::yaml::from_str(
            "levels: [国家级, 省级, 市级, 区县级]\nbodies: [某区人大常委会党组]\nyears: {from: 2015, to: 2026}\n",
        )
        .expect("valid config");
        let m = infer(Some("某区人大常委会党组2021年度工作总结"), &[], "x", "", &config, &Overrides::default());
        assert!(m.review.is_empty(), "{:?}", m.review);
        let m = infer(Some("某县农业农村局2010年度工作总结"), &[], "x", "", &config, &Overrides::default());
        assert_eq!(m.review, ["body", "year"]);
    }

    #[test]
    fn without_a_title() {
        let text = "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2020年工作回顾";
        let m = infer(None, &[], "2021", text, &Config::default(), &Overrides::default());
        assert_eq!((m.year, m.body.as_str(), m.title.as_str()), (2021, "国务院", "2021年国务院政府工作报告"));
        assert_eq!(m.review, ["title", "body", "level", "period"]);
    }
}
