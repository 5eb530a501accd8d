//! The `wenku` command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use wenku::build::{self, BuildOptions};
use wenku::diagnostics::Diagnostics;
use wenku::research::concordance::{KwicSort, View};
use wenku::search::searcher::SearchError;
use wenku::search::{SearchIndex, SearchRequest, Sort};

#[derive(Parser)]
#[command(name = "wenku", version, about = "文库: build a browsable, searchable archive of reports")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default ./public).
    Build {
        /// The site folder (holds content/ and wenku.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; replaced whole when the build succeeds.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// List every report awaiting review, with each field and the evidence found.
        #[arg(long)]
        review: bool,
    },
    /// Build, serve on http://127.0.0.1:8000 with search, rebuild on every
    /// change and reload open pages.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The address to listen on; 0.0.0.0:8080 serves the office network.
        #[arg(long, default_value = "127.0.0.1:8000")]
        bind: std::net::SocketAddr,
        /// Serve without watching the files for changes.
        #[arg(long)]
        no_watch: bool,
        /// Serve the site and index already built, without building first.
        #[arg(long)]
        no_build: bool,
        #[arg(long)]
        drafts: bool,
    },
    /// Import legacy reports as Markdown reports with front matter: text in
    /// UTF-8, UTF-16 or GB18030 (also as pasted from materials websites),
    /// Word .docx and .doc, WPS, RTF, OpenDocument, web pages (.html, .mht),
    /// PDF and scans (OCR); folders are read recursively. Formats are told
    /// by content; `wenku doctor` lists the converters found.
    Import {
        /// Files and folders (read recursively).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where the new reports go, each in the folder of its year
        /// (`content/2024/…`, `content/年份不详/…`).
        #[arg(long, default_value = "content")]
        into: PathBuf,
        /// The site folder (its wenku.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Show what would be written, the inferred metadata, what needs
        /// review and every line that would be removed; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print every removed line and review note (as `--dry-run` does).
        #[arg(long, short)]
        verbose: bool,
        /// Import files already imported again, under new names.
        #[arg(long)]
        force: bool,
        /// Set the issuing body instead of inferring it.
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        period: Option<String>,
    },
    /// Check every report and template; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        /// List every report awaiting review, with each field and the evidence found.
        #[arg(long)]
        review: bool,
    },
    /// List the passages that recur across reports (the same paragraph, or
    /// nearly), found in the most reports first.
    Passages {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How many to list.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR with a commented wenku.yaml and one report.
    Init { dir: PathBuf },
    /// List the outside converters `wenku import` uses and whether each is
    /// installed (LibreOffice, poppler, tesseract with its Chinese model).
    Doctor,
    /// Search the archive's index (written by `wenku build`).
    ///
    /// Words must all appear; "quoted phrases" match exactly; -word excludes;
    /// a OR b; filters year:2020, year:2018..2021, body:…, level:…, period:….
    Search {
        /// The query, e.g. '"疫情防控" year:2020..2021'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The index folder (default: `index_dir` from wenku.yaml, search-index/).
        #[arg(long)]
        index: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "relevance")]
        sort: SortArg,
        /// Hits per page (at most 50, as the API's `per_page`; `--page` for more).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Print the results as JSON: total, facets, hits with snippets.
        #[arg(long)]
        json: bool,
    },
    /// Every occurrence of a phrase in context (a concordance), what follows
    /// or precedes it, and the forms of a gap query.
    ///
    /// The query is in the search language: '"坚持"', '坚持*发展' (a gap within
    /// one sentence), '坚持{0,6}发展' (at most 6 between: a Han character, a
    /// Latin word, a number each count one), with filters.
    Kwic {
        /// The query, e.g. '"坚持" year:2018..'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The index folder (default: `index_dir` from wenku.yaml, search-index/).
        #[arg(long)]
        index: Option<PathBuf>,
        /// What to show.
        #[arg(long, value_enum, default_value = "lines")]
        table: KwicTable,
        /// Characters of context on each side (cut at the paragraph's end).
        #[arg(long, default_value_t = wenku::research::DEFAULT_WIDTH)]
        width: usize,
        #[arg(long, value_enum, default_value = "year")]
        sort: KwicSortArg,
        /// Lines per page.
        #[arg(long, default_value_t = wenku::research::concordance::DEFAULT_PER_PAGE)]
        limit: usize,
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Lines with the same context as one line with a count.
        #[arg(long)]
        group: bool,
        /// Keep occurrences in recurring passages apart (folded into one line by default).
        #[arg(long)]
        no_fold: bool,
        /// Print JSON: for lines, `total` (occurrences) and `lines` (`left`, `match`, `right`, `url`, `title`, `year`, `body` …).
        #[arg(long)]
        json: bool,
        /// Write the whole table (all pages) to FILE, as CSV (UTF-8 with BOM) or XLSX by its extension.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KwicTable {
    /// Every occurrence with its context.
    Lines,
    /// What follows the phrase.
    Next,
    /// What precedes it.
    Before,
    /// The forms a gap query was filled with, oldest first.
    Variants,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KwicSortArg {
    Year,
    Right,
    Left,
    Body,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

fn main() -> ExitCode {
    // Reads `FAILPOINTS` in test builds; nothing otherwise.
    let _fail_points = fail::FailScenario::setup();
    match run() {
        Ok(code) => code,
        Err(error) => {
            if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
                eprintln!("{diagnostics}");
            } else if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            } else {
                eprintln!("error: {error}");
                for cause in error.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
                if wenku::output::is_disk_full(&error) {
                    eprintln!("  = help: the disk is full: free some space and run the command again");
                }
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, drafts, review } => {
            let progress = std::io::stderr().is_terminal();
            let summary = build::build(&BuildOptions { root, output, drafts, progress })?;
            eprintln!(
                "built {} reports into {} files in {:.2} s → {}",
                summary.reports,
                summary.pages,
                summary.elapsed.as_secs_f64(),
                summary.output.display()
            );
            if let Some((dir, index)) = &summary.index {
                let what = if index.rebuilt {
                    format!("indexed {} reports", index.added)
                } else {
                    format!(
                        "index updated: {} added, {} changed, {} removed, {} unchanged",
                        index.added, index.updated, index.removed, index.unchanged
                    )
                };
                eprintln!("{what} in {:.2} s → {}", index.elapsed.as_secs_f64(), dir.display());
            }
            print_awaiting_review(&summary.awaiting_review, review);
        }
        Command::Serve { root, output, bind, no_watch, no_build, drafts } => {
            let progress = std::io::stderr().is_terminal();
            let build = BuildOptions { root, output, drafts, progress };
            wenku::serve::serve(wenku::serve::ServeOptions { build, bind, watch: !no_watch, no_build })?;
        }
        Command::Import { inputs, into, root, dry_run, verbose, force, body, year, level, period } => {
            let config = wenku::config::Config::load(&root)?;
            let into = if into.is_absolute() { into } else { root.join(into) };
            let overrides = wenku::import::Overrides { body, level, year, period };
            let options = wenku::import::ImportOptions { inputs, into, root, dry_run, force, overrides };
            let printer =
                wenku::import::Printer::new(std::io::stdout(), dry_run, dry_run || verbose, std::io::stderr().is_terminal());
            let run = wenku::import::import(&options, &config, &printer)?;
            printer.finish();
            let limits = format!(
                "at most {} scanned pages and {} s per file (`ocr_max_pages`, `ocr_max_seconds` in wenku.yaml)",
                config.ocr_max_pages, config.ocr_max_seconds
            );
            wenku::import::print_summary(&mut std::io::stdout().lock(), &run, &limits, dry_run)?;
            let failed = run.results.iter().any(|r| matches!(r.outcome, wenku::import::Outcome::Failed { .. }));
            return Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS });
        }
        Command::Doctor => {
            print_converters();
        }
        Command::Check { root, drafts, review } => {
            let summary = build::check(&root, drafts)?;
            eprintln!(
                "checked {} reports and {} files in {:.2} s: no problems",
                summary.reports,
                summary.pages,
                summary.elapsed.as_secs_f64()
            );
            print_awaiting_review(&summary.awaiting_review, review);
        }
        Command::Search { query, root, index, sort, limit, page, json } => {
            let index_dir = index_dir_of(&root, index)?;
            let sort = match sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Newest => Sort::Newest,
                SortArg::Oldest => Sort::Oldest,
            };
            let cap = wenku::search::searcher::MAX_PER_PAGE;
            if !(1..=cap).contains(&limit) || page == 0 {
                eprintln!(
                    "error: `--limit` is from 1 to {cap} hits a page, and `--page` from 1\n  = help: ask for fewer hits and use `--page 2`, `--page 3` … for more"
                );
                return Ok(ExitCode::from(2));
            }
            let request = SearchRequest { query, sort, page, per_page: limit };
            let results = match SearchIndex::open(&index_dir) {
                Ok(index) => index.search(&request),
                Err(e) => Err(e.into()),
            };
            let results = match results {
                Ok(results) => results,
                Err(SearchError::Query(e)) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &results)?;
                writeln!(out)?;
            } else {
                wenku::search::print::print_results(&mut out, &results, std::io::stdout().is_terminal())?;
            }
        }
        Command::Kwic { query, root, index, table, width, sort, limit, page, group, no_fold, json, export } => {
            let index_dir = index_dir_of(&root, index)?;
            let cap = wenku::research::concordance::MAX_PER_PAGE;
            if !(1..=cap).contains(&limit) || page == 0 || !(1..=wenku::research::MAX_WIDTH).contains(&width) {
                eprintln!(
                    "error: `--limit` is from 1 to {cap} lines, `--page` from 1 and `--width` from 1 to {}\n  = help: use `--page 2`, `--page 3` … for more lines",
                    wenku::research::MAX_WIDTH
                );
                return Ok(ExitCode::from(2));
            }
            let sort = match sort {
                KwicSortArg::Year => KwicSort::Year,
                KwicSortArg::Right => KwicSort::Right,
                KwicSortArg::Left => KwicSort::Left,
                KwicSortArg::Body => KwicSort::Body,
            };
            let view = View { sort, group, fold: !no_fold, page, per_page: limit };
            let context =
                if table == KwicTable::Lines { width } else { width.max(wenku::research::continuations::MAX_CHARS) };
            return kwic(&index_dir, &query, context, table, view, json, export.as_deref());
        }
        Command::Passages { root, limit, drafts } => {
            let mut site = build::load(&root, drafts)?;
            if !site.config.recurring_passages {
                site.passages = wenku::passages::Passages::find(&site.library.reports);
            }
            print_passages(&mut std::io::stdout().lock(), &site, limit)?;
        }
        Command::Init { dir } => {
            wenku::init::init(&dir)?;
            eprintln!("created a new site in {}; build it with `wenku build --root {}`", dir.display(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `wenku kwic`: the concordance or one of its tables, printed or exported.
fn kwic(
    index_dir: &std::path::Path,
    query: &str,
    width: usize,
    table: KwicTable,
    view: View,
    json: bool,
    export: Option<&std::path::Path>,
) -> Result<ExitCode> {
    use wenku::research::{self, continuations, export as files, print, variants};
    use wenku::search::messages::Language;
    let problem = |problem: wenku::search::messages::Problem| {
        eprintln!("error: {}", wenku::search::QueryError::from(problem));
        Ok(ExitCode::from(2))
    };
    let found = match SearchIndex::open(index_dir)
        .map_err(SearchError::from)
        .and_then(|i| research::occurrences(&i, query, width))
    {
        Ok(found) => found,
        Err(SearchError::Query(e)) => return problem(e.problem),
        Err(e) => return Err(e.into()),
    };
    let mut out = std::io::stdout().lock();
    let language = Language::English;
    let color = std::io::stdout().is_terminal();
    // Printed unless exported: an export writes the whole table instead.
    let printing = export.is_none();
    let file = match table {
        KwicTable::Lines => {
            let page = research::concordance::concordance(&found, &view);
            if printing {
                show(&mut out, json, &page, |out| print::print_concordance(out, &page, width, color))?;
            }
            files::concordance_table(&found, &view, language)
        }
        KwicTable::Next | KwicTable::Before => {
            let side = if table == KwicTable::Next { continuations::Side::Right } else { continuations::Side::Left };
            let rows = match continuations::continuations(&found, side) {
                Ok(rows) => rows,
                Err(p) => return problem(p),
            };
            if printing {
                show(&mut out, json, &rows, |out| print::print_continuations(out, &rows))?;
            }
            files::continuations_table(&rows, language)
        }
        KwicTable::Variants => {
            let rows = variants::variants(&found);
            if printing {
                show(&mut out, json, &rows, |out| print::print_variants(out, &rows))?;
            }
            files::variants_table(&rows, language)
        }
    };
    if let Some(path) = export {
        let bytes = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => files::csv(&file, language),
            Some("xlsx") => files::xlsx(&file, language)?,
            _ => {
                eprintln!("error: cannot tell the format of {}\n  = help: name the file .csv or .xlsx", path.display());
                return Ok(ExitCode::from(2));
            }
        };
        std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {} rows to {}", file.rows.len(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The index folder: `--index`, or `index_dir` from the site's wenku.yaml.
fn index_dir_of(root: &std::path::Path, index: Option<PathBuf>) -> Result<PathBuf> {
    match index {
        Some(dir) => Ok(dir),
        None => Ok(root.join(wenku::config::Config::load(root)?.index_dir)),
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

/// The `limit` most recurring passages: their spread, then their text.
fn print_passages(out: &mut impl Write, site: &build::LoadedSite, limit: usize) -> std::io::Result<()> {
    let located = wenku::passages::Located::new(&site.passages, &site.library);
    writeln!(
        out,
        "{} passages recur in {} reports (paragraphs of at least {} characters, the same or nearly)",
        site.passages.recurring_count(),
        site.library.reports.len(),
        wenku::passages::MIN_CHARS
    )?;
    for (rank, group) in site.passages.most_recurring().take(limit).enumerate() {
        let spread = located.spread(group);
        let known: Vec<i32> = spread.years.iter().filter_map(|y| y.0).collect();
        let years = match (known.first(), known.last()) {
            (Some(first), Some(last)) if first == last => first.to_string(),
            (Some(first), Some(last)) => format!("{first}–{last}"),
            _ => "year unknown".to_owned(),
        };
        let wordings = if group.variants() > 1 { format!(", {} wordings", group.variants()) } else { String::new() };
        let bodies = match spread.bodies.len() {
            1 => "1 body".to_owned(),
            n => format!("{n} bodies"),
        };
        writeln!(out, "\n{:>3}. {} reports, {bodies}, {years}{wordings}", rank + 1, spread.places.len())?;
        writeln!(out, "     {}", spread.text)?;
    }
    Ok(())
}

/// Imported reports whose metadata a person still has to confirm.
/// `wenku doctor`: which formats `wenku import` can read on this machine.
fn print_converters() {
    use wenku::import::convert;
    println!("wenku import reads text, Markdown, .docx, .odt, .html and .mht by itself; for the rest it uses:");
    let mut missing = Vec::new();
    for tool in convert::TOOLS {
        match tool.find() {
            Some(path) => println!("  found    {:<10} {}  ({})", tool.program, path.display(), tool.reads),
            None => {
                println!("  missing  {:<10} {}  (apt install {})", tool.program, tool.reads, tool.package);
                missing.push(tool.package);
            }
        }
    }
    if convert::TESSERACT.find().is_some() {
        if convert::ocr_language_installed() {
            println!("  found    OCR model  {} (Simplified Chinese)", convert::OCR_LANGUAGE);
        } else {
            println!("  missing  OCR model  {} (apt install tesseract-ocr-chi-sim)", convert::OCR_LANGUAGE);
            missing.push("tesseract-ocr-chi-sim");
        }
    }
    if !missing.is_empty() {
        println!("files that need a missing converter are reported as failed; the rest are imported.");
    }
}

/// Reports whose fields await review: every one with `--review` (each
/// field with the evidence found), else the counts and the first few.
fn print_awaiting_review(waiting: &[(PathBuf, Vec<wenku::content::Review>)], all: bool) {
    if waiting.is_empty() {
        return;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, fields) in waiting {
        for r in fields {
            *counts.entry(r.field.as_str()).or_default() += 1;
        }
    }
    let counts: Vec<String> = counts.iter().map(|(field, n)| format!("{field} {n}")).collect();
    eprintln!(
        "{} reports await review ({}); fix each field, then remove it from `review:`:",
        waiting.len(),
        counts.join(", ")
    );
    const SHOWN: usize = 10;
    for (source, fields) in waiting.iter().take(if all { usize::MAX } else { SHOWN }) {
        let names: Vec<&str> = fields.iter().map(|r| r.field.as_str()).collect();
        eprintln!("  content/{}: {}", source.display(), names.join(", "));
        if all {
            for r in fields {
                eprintln!("      {}: {}", r.field, r.evidence.as_deref().unwrap_or("(no note)"));
            }
        }
    }
    if !all && waiting.len() > SHOWN {
        eprintln!(
            "  … {} more: `--review` lists them all with the evidence, and so does the site's page /review/",
            waiting.len() - SHOWN
        );
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let io = e.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        // JSON is written through serde_json, which wraps the I/O error.
        let json = e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
