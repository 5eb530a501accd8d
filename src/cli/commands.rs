//! One function per command: it calls the library and prints what the
//! library returns, in the run's language.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use super::args::{Index, KwicTable, Site};
use super::language::{Language, pick};
use crate::text;
use wenku::build::{self, BuildOptions};
use wenku::research::concordance::View;
use wenku::search::searcher::SearchError;
use wenku::search::{SearchIndex, SearchRequest, Sort};

fn options(site: Site, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions { root: site.root, output, drafts: site.drafts, progress: std::io::stderr().is_terminal() }
}

pub fn build(site: Site, output: Option<PathBuf>, review: bool, language: Language) -> Result<ExitCode> {
    let summary = wenku::rebuild::build(&options(site, output))?;
    if summary.repaired {
        eprintln!(
            "{}",
            text!(
                language,
                "the last run stopped while changing the site; its pages and indexes agree again",
                "上次运行在改动站点时中断；页面和索引已重新一致"
            )
        );
    }
    let built = match summary.read_again {
        None => text!(
            language,
            "built {} reports into {} files in {:.2} s → {}",
            "已生成 {} 篇报告，共 {} 个文件，用时 {:.2} 秒 → {}",
            summary.reports,
            summary.pages,
            summary.elapsed.as_secs_f64(),
            summary.output.display()
        ),
        Some(read_again) => text!(
            language,
            "brought {} reports up to date ({} report files changed, {} files written) in {:.2} s → {}",
            "已更新 {} 篇报告的站点（{} 个报告文件有变动，写入 {} 个文件），用时 {:.2} 秒 → {}",
            summary.reports,
            read_again,
            summary.pages,
            summary.elapsed.as_secs_f64(),
            summary.output.display()
        ),
    };
    eprintln!("{built}");
    if let Some((dir, index)) = &summary.index {
        let what = if index.rebuilt {
            text!(language, "indexed {} reports", "已为 {} 篇报告建立索引", index.added)
        } else {
            text!(
                language,
                "index updated: {} added, {} changed, {} removed, {} unchanged",
                "索引已更新：新增 {}，改动 {}，删除 {}，未变 {}",
                index.added,
                index.updated,
                index.removed,
                index.unchanged
            )
        };
        eprintln!(
            "{}",
            text!(
                language,
                "{} in {:.2} s → {}",
                "{}，用时 {:.2} 秒 → {}",
                what,
                index.elapsed.as_secs_f64(),
                dir.display()
            )
        );
    }
    print_awaiting_review(&summary.awaiting_review, review, language);
    Ok(ExitCode::SUCCESS)
}

pub fn serve(
    site: Site,
    output: Option<PathBuf>,
    bind: std::net::SocketAddr,
    watch: bool,
    no_build: bool,
    language: Language,
) -> Result<ExitCode> {
    let build = options(site, output);
    wenku::serve::serve(wenku::serve::ServeOptions { build, bind, watch, no_build, language })?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(site: Site, review: bool, language: Language) -> Result<ExitCode> {
    let summary = build::check(&site.root, site.drafts)?;
    eprintln!(
        "{}",
        text!(
            language,
            "checked {} reports and {} files in {:.2} s: no problems",
            "已检查 {} 篇报告和 {} 个文件，用时 {:.2} 秒：没有问题",
            summary.reports,
            summary.pages,
            summary.elapsed.as_secs_f64()
        )
    );
    print_awaiting_review(&summary.awaiting_review, review, language);
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
pub fn import(
    inputs: Vec<PathBuf>,
    into: PathBuf,
    root: PathBuf,
    dry_run: bool,
    verbose: bool,
    force: bool,
    overrides: wenku::import::Overrides,
    language: Language,
) -> Result<ExitCode> {
    let config = wenku::content::config::Config::load(&root)?;
    let into = if into.is_absolute() { into } else { root.join(into) };
    let options = wenku::import::ImportOptions { inputs, into, root, dry_run, force, overrides };
    let printer = wenku::import::Printer::new(
        std::io::stdout(),
        dry_run,
        dry_run || verbose,
        std::io::stderr().is_terminal(),
        language,
    );
    let run = wenku::import::import(&options, &config, &printer)?;
    printer.finish();
    wenku::import::print_summary(&mut std::io::stdout().lock(), &run, &config, dry_run, language)?;
    let failed = run.results.iter().any(|r| matches!(r.outcome, wenku::import::Outcome::Failed { .. }));
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

pub fn init(dir: &Path, language: Language) -> Result<ExitCode> {
    wenku::init::init(dir)?;
    eprintln!(
        "{}",
        text!(
            language,
            "created a new site in {}; build it with `wenku build --root {}`",
            "已在 {} 新建站点；用 `wenku build --root {}` 生成",
            dir.display(),
            dir.display()
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// `wenku doctor`: which formats `wenku import` can read on this machine.
pub fn doctor(language: Language) -> Result<ExitCode> {
    use wenku::import::convert;
    println!(
        "{}",
        pick(
            language,
            "wenku import reads text, Markdown, .docx, .odt, .html and .mht by itself; for the rest it uses:",
            "wenku import 自己读取文本、Markdown、.docx、.odt、.html 和 .mht；其他格式用到："
        )
    );
    let (found, missing_word) = (pick(language, "found  ", "已安装"), pick(language, "missing", "未安装"));
    let mut missing = Vec::new();
    for tool in convert::TOOLS {
        match tool.find() {
            Some(path) => println!("  {found}  {:<10} {}  ({})", tool.program, path.display(), tool.reads),
            None => {
                println!("  {missing_word}  {:<10} {}  (apt install {})", tool.program, tool.reads, tool.package);
                missing.push(tool.package);
            }
        }
    }
    if convert::TESSERACT.find().is_some() {
        if convert::ocr_language_installed() {
            println!(
                "  {found}  {:<10} {} ({})",
                pick(language, "OCR model", "OCR 模型"),
                convert::OCR_LANGUAGE,
                pick(language, "Simplified Chinese", "简体中文")
            );
        } else {
            println!(
                "  {missing_word}  {:<10} {} (apt install tesseract-ocr-chi-sim)",
                pick(language, "OCR model", "OCR 模型"),
                convert::OCR_LANGUAGE
            );
            missing.push("tesseract-ocr-chi-sim");
        }
    }
    if !missing.is_empty() {
        println!(
            "{}",
            pick(
                language,
                "files that need a missing converter are reported as failed; the rest are imported.",
                "需要未安装工具的文件会报告为失败，其余照常导入。"
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(
    query: String,
    index: Index,
    sort: Sort,
    limit: usize,
    page: usize,
    json: bool,
    language: Language,
) -> Result<ExitCode> {
    if let Err(problem) = wenku::search::query::typed_length(&query) {
        query_problem(&problem, language);
        return Ok(ExitCode::from(2));
    }
    let index_dir = index_dir_of(&index)?;
    let request = SearchRequest { query, sort, page, per_page: limit };
    let results = match SearchIndex::open(&index_dir) {
        Ok(index) => index.search(&request),
        Err(e) => Err(e.into()),
    };
    let results = match results {
        Ok(results) => results,
        Err(SearchError::Query(e)) => {
            query_problem(&e.problem, language);
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    } else {
        wenku::search::print::print_results(&mut out, &results, std::io::stdout().is_terminal(), language)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A query's problem, said as the API says it, in the run's language.
fn query_problem(problem: &wenku::search::messages::Problem, language: Language) {
    let (message, help) = wenku::search::messages::text(problem, language);
    eprintln!("{}{message}", pick(language, "error: ", "错误："));
    if !help.is_empty() {
        eprintln!("  = {}{help}", pick(language, "help: ", "提示："));
    }
}

/// How far `wenku kwic` looks: characters of context for lines, positions
/// each side for collocates.
pub struct Reach {
    pub width: usize,
    pub window: usize,
}

/// `wenku kwic`: the concordance or one of its tables, printed or exported.
#[allow(clippy::too_many_arguments)]
pub fn kwic(
    query: &str,
    index: Index,
    table: KwicTable,
    Reach { width, window }: Reach,
    view: View,
    json: bool,
    export: Option<&Path>,
    language: Language,
) -> Result<ExitCode> {
    use wenku::research::{self, collocates, continuations, export as files, frequency, print, variants};
    if let Err(problem) = wenku::search::query::typed_length(query) {
        query_problem(&problem, language);
        return Ok(ExitCode::from(2));
    }
    let index_dir = index_dir_of(&index)?;
    let context = match table {
        KwicTable::Lines => width,
        KwicTable::Collocates => collocates::context_width(window),
        _ => width.max(continuations::MAX_CHARS),
    };
    let search_index = SearchIndex::open(&index_dir)?;
    let found = match table {
        KwicTable::Next | KwicTable::Before | KwicTable::Variants | KwicTable::Collocates => {
            research::occurrences_in_words(&search_index, query, context)
        }
        KwicTable::Lines | KwicTable::Years | KwicTable::Bodies => research::occurrences(&search_index, query, context),
    };
    let found = match answered(found, language)? {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let mut out = std::io::stdout().lock();
    let color = std::io::stdout().is_terminal();
    // Printed unless exported: an export writes the whole table instead.
    let printing = export.is_none();
    let file = match table {
        KwicTable::Lines => {
            let page = research::concordance::concordance(&found, &view);
            if printing {
                show(&mut out, json, &page, |out| print::print_concordance(out, &page, width, color, language))?;
            }
            files::concordance_table(&found, &view, language)
        }
        KwicTable::Next | KwicTable::Before => {
            let side = if table == KwicTable::Next { continuations::Side::Right } else { continuations::Side::Left };
            let rows = match continuations::continuations(&found, side) {
                Ok(rows) => rows,
                Err(problem) => {
                    query_problem(&problem, language);
                    return Ok(ExitCode::from(2));
                }
            };
            if printing {
                show(&mut out, json, &rows, |out| print::print_continuations(out, &rows, language))?;
            }
            files::continuations_table(&rows, language)
        }
        KwicTable::Collocates => {
            let rows = match answered(collocates::collocates(&search_index, &found, window), language)? {
                Ok(rows) => rows,
                Err(code) => return Ok(code),
            };
            if printing {
                show(&mut out, json, &rows, |out| print::print_collocates(out, &rows, language))?;
            }
            files::collocates_table(&rows, language)
        }
        KwicTable::Years => {
            let rows = match answered(frequency::by_year(&search_index, &found), language)? {
                Ok(rows) => rows,
                Err(code) => return Ok(code),
            };
            if printing {
                show(&mut out, json, &rows, |out| print::print_years(out, &rows, language))?;
            }
            files::years_table(&rows, language)
        }
        KwicTable::Bodies => {
            let rows = frequency::by_body(&found);
            if printing {
                show(&mut out, json, &rows, |out| print::print_bodies(out, &rows, language))?;
            }
            files::bodies_table(&rows, language)
        }
        KwicTable::Variants => {
            let rows = variants::variants(&found);
            if printing {
                show(&mut out, json, &rows, |out| print::print_variants(out, &rows, language))?;
            }
            files::variants_table(&rows, language)
        }
    };
    write_export(export, &file, language)
}

/// Writes `file` to `export` (CSV or XLSX by its extension), if asked.
fn write_export(export: Option<&Path>, file: &wenku::research::export::Table, language: Language) -> Result<ExitCode> {
    use wenku::research::export as files;
    let Some(path) = export else { return Ok(ExitCode::SUCCESS) };
    let bytes = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => files::csv(file, language),
        Some("xlsx") => files::xlsx(file, language),
        _ => {
            eprintln!(
                "{}",
                text!(
                    language,
                    "error: cannot tell the format of {}\n  = help: name the file .csv or .xlsx",
                    "错误：看不出 {} 是什么格式\n  = 提示：文件名以 .csv 或 .xlsx 结尾",
                    path.display()
                )
            );
            return Ok(ExitCode::from(2));
        }
    };
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    eprintln!("{}", text!(language, "wrote {} rows to {}", "已把 {} 行写入 {}", file.rows.len(), path.display()));
    Ok(ExitCode::SUCCESS)
}

/// A research command's result, or the exit code of a bad query (told).
fn answered<T>(result: Result<T, SearchError>, language: Language) -> Result<Result<T, ExitCode>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(SearchError::Query(e)) => {
            query_problem(&e.problem, language);
            Ok(Err(ExitCode::from(2)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `wenku keywords`: what a part of the archive says more than another, or
/// says and the other does not.
pub fn keywords(
    target: &str,
    reference: &str,
    mode: wenku::research::keyness::Mode,
    index: Index,
    json: bool,
    export: Option<&Path>,
    language: Language,
) -> Result<ExitCode> {
    use wenku::research::{export as files, keyness, print};
    for query in [target, reference] {
        if let Err(problem) = wenku::search::query::typed_length(query) {
            query_problem(&problem, language);
            return Ok(ExitCode::from(2));
        }
    }
    let search_index = SearchIndex::open(&index_dir_of(&index)?)?;
    let table = match answered(keyness::keyness(&search_index, target, reference, mode), language)? {
        Ok(table) => table,
        Err(code) => return Ok(code),
    };
    if export.is_none() {
        let mut out = std::io::stdout().lock();
        show(&mut out, json, &table, |out| print::print_keyness(out, &table, language))?;
    }
    write_export(export, &files::keyness_table(&table, language), language)
}

/// `wenku draft`: a draft's sentences checked against the archive.
pub fn draft(
    file: &Path,
    body: Option<&str>,
    recent: usize,
    index: Index,
    json: bool,
    export: Option<&Path>,
    language: Language,
) -> Result<ExitCode> {
    use wenku::research::{draft, export as files, print};
    let config = wenku::content::config::Config::load(&index.root).unwrap_or_default();
    let text = match wenku::import::read_draft(file, &config) {
        Ok(text) => text,
        Err(reason) => {
            eprintln!("{}{}: {reason}", pick(language, "error: ", "错误："), file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let search_index = SearchIndex::open(&index_dir_of(&index)?)?;
    let checked = match answered(draft::check(&search_index, &text, body, recent), language)? {
        Ok(checked) => checked,
        Err(code) => return Ok(code),
    };
    if export.is_none() {
        let mut out = std::io::stdout().lock();
        let color = std::io::stdout().is_terminal();
        show(&mut out, json, &checked, |out| print::print_draft(out, &checked, color, language))?;
    }
    write_export(export, &files::draft_table(&checked, language), language)
}

/// `wenku clusters`: the formulations a part of the archive repeats across reports.
pub fn clusters(query: &str, index: Index, json: bool, export: Option<&Path>, language: Language) -> Result<ExitCode> {
    use wenku::research::{clusters, export as files, print};
    if let Err(problem) = wenku::search::query::typed_length(query) {
        query_problem(&problem, language);
        return Ok(ExitCode::from(2));
    }
    let search_index = SearchIndex::open(&index_dir_of(&index)?)?;
    let table = match answered(clusters::clusters(&search_index, query), language)? {
        Ok(table) => table,
        Err(code) => return Ok(code),
    };
    if export.is_none() {
        let mut out = std::io::stdout().lock();
        show(&mut out, json, &table, |out| print::print_clusters(out, &table, language))?;
    }
    write_export(export, &files::clusters_table(&table, language), language)
}

/// The index folder: `--index`, or `index_dir` from the site's wenku.yaml.
fn index_dir_of(index: &Index) -> Result<PathBuf> {
    match &index.index {
        Some(dir) => Ok(dir.clone()),
        None => Ok(index.root.join(wenku::content::config::Config::load(&index.root)?.index_dir)),
    }
}

/// Prints `value` as JSON, or as text with `print`.
fn show<T: serde::Serialize>(
    out: &mut impl Write,
    json: bool,
    value: &T,
    print: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, value)?;
        writeln!(out)?;
    } else {
        print(out)?;
    }
    Ok(())
}

/// `wenku passages`: the `limit` most recurring passages, their spread,
/// then their text.
pub fn passages(site: Site, limit: usize, language: Language) -> Result<ExitCode> {
    let mut loaded = build::load(&site.root, site.drafts)?;
    if !loaded.config.recurring_passages {
        loaded.passages = wenku::analysis::passages::Passages::find(&loaded.library.reports);
    }
    let out = &mut std::io::stdout().lock();
    let located = wenku::analysis::passages::Located::new(&loaded.passages, &loaded.library);
    writeln!(
        out,
        "{}",
        text!(
            language,
            "{} passages recur in {} reports (paragraphs of at least {} characters, the same or nearly)",
            "{} 个段落在 {} 篇报告中重复出现（至少 {} 字，一字不差或几乎相同）",
            loaded.passages.recurring_count(),
            loaded.library.reports.len(),
            wenku::analysis::passages::MIN_CHARS
        )
    )?;
    for (rank, group) in loaded.passages.most_recurring().take(limit).enumerate() {
        let spread = located.spread(group);
        let known: Vec<i32> = spread.years.iter().filter_map(|y| y.0).collect();
        let years = match (known.first(), known.last()) {
            (Some(first), Some(last)) if first == last => first.to_string(),
            (Some(first), Some(last)) => format!("{first}–{last}"),
            _ => wenku::content::UNKNOWN_YEAR.to_owned(),
        };
        let wordings = if group.variants() > 1 {
            text!(language, ", {} wordings", "，{} 种写法", group.variants())
        } else {
            String::new()
        };
        let summary = text!(
            language,
            "{} reports, {} bodies, {}{}",
            "{} 篇报告，{} 个机关，{}{}",
            spread.places.len(),
            spread.bodies.len(),
            years,
            wordings
        );
        writeln!(out, "\n{:>3}. {summary}", rank + 1)?;
        writeln!(out, "     {}", spread.text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reports whose fields await review: every one with `--review` (each
/// field with the evidence found), else the counts and the first few.
fn print_awaiting_review(waiting: &[(PathBuf, Vec<wenku::content::Review>)], all: bool, language: Language) {
    if waiting.is_empty() {
        return;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, fields) in waiting {
        for r in fields {
            *counts.entry(r.field.as_str()).or_default() += 1;
        }
    }
    let label = |field: &str| -> String {
        if language != Language::Chinese {
            return field.to_owned();
        }
        match field {
            "title" => "标题",
            "body" => "发文机关",
            "level" => "层级",
            "year" => "年份",
            "period" => "报告期",
            "clutter" => "疑似网页杂项",
            "ocr" => "OCR 文字",
            other => other,
        }
        .to_owned()
    };
    let counts: Vec<String> = counts.iter().map(|(field, n)| format!("{} {n}", label(field))).collect();
    eprintln!(
        "{}",
        text!(
            language,
            "{} reports await review ({}); fix each field, then remove it from `review:`:",
            "{} 篇报告待核对（{}）；改好一个字段，就从 `review:` 中删去它：",
            waiting.len(),
            counts.join(", ")
        )
    );
    const SHOWN: usize = 10;
    for (source, fields) in waiting.iter().take(if all { usize::MAX } else { SHOWN }) {
        let names: Vec<&str> = fields.iter().map(|r| r.field.as_str()).collect();
        eprintln!("  content/{}: {}", source.display(), names.join(", "));
        if all {
            for r in fields {
                let none = pick(language, "(no note)", "（无说明）");
                eprintln!("      {}: {}", r.field, r.evidence.as_deref().unwrap_or(none));
            }
        }
    }
    if !all && waiting.len() > SHOWN {
        eprintln!(
            "{}",
            text!(
                language,
                "  … {} more: `--review` lists them all with the evidence, and so does the site's page /review/",
                "  ……另有 {} 篇：加 `--review` 逐篇列出并附依据，站点的 /review/ 页面也列出全部",
                waiting.len() - SHOWN
            )
        );
    }
}
