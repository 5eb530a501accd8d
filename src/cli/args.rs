//! The command line's arguments, validated where they are declared: ranges
//! by clap's value parsers, sort orders by the library's own `FromStr`, the
//! site's folder and drafts flattened once.

use std::path::PathBuf;

use clap::{Args as ClapArgs, CommandFactory, FromArgMatches, Parser, Subcommand};

use super::language::Language;
use wenku::research::concordance::KwicSort;
use wenku::search::Sort;

#[derive(Parser)]
#[command(name = "wenku", version, about = "文库: build a browsable, searchable archive of reports")]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// The site a command works on.
#[derive(ClapArgs, Clone)]
pub struct Site {
    /// The site folder (holds content/ and wenku.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include reports marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Where a research command finds the search index.
#[derive(ClapArgs, Clone)]
pub struct Index {
    /// The site folder (its wenku.yaml names the index folder).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The index folder (default: `index_dir` from wenku.yaml, search-index/).
    #[arg(long)]
    pub index: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default ./public).
    Build {
        #[command(flatten)]
        site: Site,
        /// Where to write the site; replaced whole when the build succeeds.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// List every report awaiting review, with each field and the evidence found.
        #[arg(long)]
        review: bool,
    },
    /// Build, serve on http://127.0.0.1:8000 with search, rebuild on every
    /// change and reload open pages.
    Serve {
        #[command(flatten)]
        site: Site,
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
    },
    /// Import legacy reports as Markdown reports with front matter: text in
    /// UTF-8, UTF-16 or GB18030 (also as pasted from websites), Word .docx
    /// and .doc, WPS, RTF, OpenDocument, web pages (.html, .mht), PDF and
    /// scans (OCR); folders are read recursively. Formats are told by
    /// content; `wenku doctor` lists the converters found.
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
        /// Set the year instead of inferring it.
        #[arg(long)]
        year: Option<i32>,
        /// Set the level instead of inferring it.
        #[arg(long)]
        level: Option<String>,
        /// Set the period instead of inferring it.
        #[arg(long)]
        period: Option<String>,
    },
    /// Check every report and template; write nothing.
    Check {
        #[command(flatten)]
        site: Site,
        /// List every report awaiting review, with each field and the evidence found.
        #[arg(long)]
        review: bool,
    },
    /// List the passages that recur across reports (the same paragraph, or
    /// nearly), found in the most reports first.
    Passages {
        #[command(flatten)]
        site: Site,
        /// How many to list.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Create a new site in DIR with a commented wenku.yaml and one report.
    Init { dir: PathBuf },
    /// List the outside converters `wenku import` uses and whether each is
    /// installed (LibreOffice, poppler, tesseract with its Chinese model).
    Doctor,
    /// Search the archive's index (written by `wenku build`).
    ///
    /// Words must all appear; "quoted phrases" (also “…” and 「…」) match
    /// exactly; -word excludes; a OR b; filters year:2020, year:2018..2021,
    /// body:…, level:…, period:….
    Search {
        /// The query, e.g. '"疫情防控" year:2020..2021'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        index: Index,
        #[arg(long, default_value = "relevance", value_parser = sort_parser())]
        sort: Sort,
        /// Hits per page (at most 50, as the API's `per_page`; `--page` for more).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=wenku::search::searcher::MAX_PER_PAGE as u64))]
        limit: u64,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        page: u64,
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
        #[command(flatten)]
        index: Index,
        /// What to show.
        #[arg(long, value_enum, default_value = "lines")]
        table: KwicTable,
        /// For collocates: positions on each side of the phrase (a Han character, a Latin word or a number is one).
        #[arg(long, default_value_t = wenku::research::collocates::DEFAULT_WINDOW as u64, value_parser = clap::value_parser!(u64).range(1..=wenku::research::collocates::MAX_WINDOW as u64))]
        window: u64,
        /// Characters of context on each side (cut at the paragraph's end).
        #[arg(long, default_value_t = wenku::research::DEFAULT_WIDTH as u64, value_parser = clap::value_parser!(u64).range(1..=wenku::research::MAX_WIDTH as u64))]
        width: u64,
        #[arg(long, default_value = "year", value_parser = kwic_sort_parser())]
        sort: KwicSort,
        /// Lines per page.
        #[arg(long, default_value_t = wenku::research::concordance::DEFAULT_PER_PAGE as u64, value_parser = clap::value_parser!(u64).range(1..=wenku::research::concordance::MAX_PER_PAGE as u64))]
        limit: u64,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        page: u64,
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
    /// The wording one part of the archive uses more than another (keyness), or uses and the other does not.
    ///
    /// Target and reference are queries: filters ('year:2020', 'year:2015..2019',
    /// 'body:某局'), wording, or both.
    Keywords {
        /// The part looked at, e.g. 'year:2020'.
        #[arg(long, allow_hyphen_values = true)]
        target: String,
        /// The part it is compared with, e.g. 'year:2015..2019'.
        #[arg(long, allow_hyphen_values = true)]
        reference: String,
        /// Only wording the reference never uses (首次出现).
        #[arg(long, conflicts_with = "dropped")]
        new: bool,
        /// Only wording the reference uses and the target never does.
        #[arg(long)]
        dropped: bool,
        #[command(flatten)]
        index: Index,
        /// Print JSON: `target_chars`, `reference_chars` and `rows` (`text`, `target_count`, `reference_count`, `log_likelihood`, `log_ratio`, `reports`, `bodies`, `years`, `dp`).
        #[arg(long)]
        json: bool,
        /// Write the table to FILE, as CSV (UTF-8 with BOM) or XLSX by its extension.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
    /// Check a draft against the archive (起草核对): for each sentence, the archive's sentences most like it,
    /// the formulations it uses that the archive stopped using, and wording no report uses.
    Draft {
        /// The draft: a file of any format `wenku import` reads (.docx, .doc, .wps, .txt, .pdf …).
        file: PathBuf,
        /// Compare with this body's reports only.
        #[arg(long = "body", id = "draft_body")]
        body: Option<String>,
        /// A formulation is outdated when no report of the archive's last N years uses it.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
        recent: u32,
        #[command(flatten)]
        index: Index,
        /// Print JSON: `sentences` (`text`, `precedents` (`url`, `title`, `year`, `body`, `similarity`, `text`), `flags` (`kind`, `text`, `last_year`, `replaced_by`)).
        #[arg(long)]
        json: bool,
        /// Write one row per flag and per precedent to FILE, as CSV (UTF-8 with BOM) or XLSX by its extension.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
    /// The formulations of 4 to 16 characters that recur across reports, bodies and years.
    Clusters {
        /// Which reports: filters or a query, e.g. 'year:2020'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        index: Index,
        /// Print JSON: `rows` (`text`, `count`, `reports`, `bodies`, `years`, `dp`, `first_year`, `last_year`).
        #[arg(long)]
        json: bool,
        /// Write the table to FILE, as CSV (UTF-8 with BOM) or XLSX by its extension.
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KwicTable {
    /// Every occurrence with its context.
    Lines,
    /// What follows the phrase.
    Next,
    /// What precedes it.
    Before,
    /// The forms a gap query was filled with, oldest first.
    Variants,
    /// The words near the phrase (within --window positions), by logDice.
    Collocates,
    /// Occurrences per year, and per 10,000 positions of that year's reports.
    Years,
    /// Occurrences per issuing body and year.
    Bodies,
}

/// The search's sort orders, read by `Sort`'s own `FromStr`.
fn sort_parser() -> impl clap::builder::TypedValueParser<Value = Sort> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["relevance", "newest", "oldest"]).try_map(|s| s.parse::<Sort>())
}

/// The concordance's sort orders, read by `KwicSort`'s own `FromStr`.
fn kwic_sort_parser() -> impl clap::builder::TypedValueParser<Value = KwicSort> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["year", "right", "left", "body"])
        .try_map(|s| s.parse::<KwicSort>().map_err(|p| wenku::search::QueryError::from(p)))
}

/// The arguments of this run, the help worded in `language`.
pub fn parse(language: Language) -> Args {
    let mut command = Args::command();
    if language == Language::Chinese {
        command = super::help_zh::in_chinese(command);
    }
    let matches = command.get_matches();
    Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
