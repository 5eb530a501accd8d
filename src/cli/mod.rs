//! The command line: its arguments (`args`, `help_zh`), the language it
//! speaks (`language`), and one function per command (`commands`), each
//! printing in that language.

pub mod args;
pub mod commands;
pub mod help_zh;
pub mod language;

use std::process::ExitCode;

use language::Language;
use wenku::search::searcher::SearchError;
use wenku::shared::diagnostics::Diagnostics;

/// Runs the command `args` names.
pub fn run(args: args::Args, language: Language) -> anyhow::Result<ExitCode> {
    use args::Command;
    match args.command {
        Command::Build { site, output, review } => commands::build(site, output, review, language),
        Command::Serve { site, output, bind, no_watch, no_build } => {
            commands::serve(site, output, bind, !no_watch, no_build, language)
        }
        Command::Import { inputs, into, root, dry_run, verbose, force, body, year, level, period } => {
            let overrides = wenku::import::Overrides { body, level, year, period };
            commands::import(inputs, into, root, dry_run, verbose, force, overrides, language)
        }
        Command::Check { site, review } => commands::check(site, review, language),
        Command::Passages { site, limit } => commands::passages(site, limit, language),
        Command::Init { dir } => commands::init(&dir, language),
        Command::Doctor => commands::doctor(language),
        Command::Search { query, index, sort, limit, page, json } => {
            commands::search(query, index, sort, limit as usize, page as usize, json, language)
        }
        Command::Kwic { query, index, table, window, width, sort, limit, page, group, no_fold, json, export } => {
            let view = wenku::research::concordance::View {
                sort,
                group,
                fold: !no_fold,
                page: page as usize,
                per_page: limit as usize,
            };
            let reach = commands::Reach { width: width as usize, window: window as usize };
            commands::kwic(&query, index, table, reach, view, json, export.as_deref(), language)
        }
        Command::Keywords { target, reference, new, dropped, index, json, export } => {
            use wenku::research::keyness::Mode;
            let mode = if new {
                Mode::New
            } else if dropped {
                Mode::Dropped
            } else {
                Mode::Key
            };
            commands::keywords(&target, &reference, mode, index, json, export.as_deref(), language)
        }
        Command::Draft { file, body, recent, index, json, export } => {
            commands::draft(&file, body.as_deref(), recent as usize, index, json, export.as_deref(), language)
        }
        Command::Clusters { query, index, json, export } => {
            commands::clusters(&query, index, json, export.as_deref(), language)
        }
    }
}

/// Prints an error that ended the run: a site's problems like a
/// compiler's, anything else with its causes and, for a full disk, what to do.
pub fn report(error: &anyhow::Error, language: Language) -> ExitCode {
    let chinese = language == Language::Chinese;
    if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
        eprintln!("{}", diagnostics.to_text(chinese));
    } else if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    } else if let Some(locked) = error.downcast_ref::<wenku::output::lock::Locked>().filter(|_| chinese) {
        eprintln!("错误：{}", locked.in_chinese());
    } else if let Some(index) = index_error(error).filter(|_| chinese) {
        eprintln!("错误：{}", index.in_chinese());
    } else {
        eprintln!("{}{error}", language::pick(language, "error: ", "错误："));
        for cause in error.chain().skip(1) {
            eprintln!("  {}{cause}", language::pick(language, "caused by: ", "原因："));
        }
        if wenku::output::is_disk_full(error) {
            eprintln!(
                "  = {}",
                language::pick(
                    language,
                    "help: the disk is full: free some space and run the command again",
                    "提示：磁盘已满：腾出空间后再运行一次"
                )
            );
        }
    }
    ExitCode::FAILURE
}

/// The search index's problem in the error's chain, if that is what it is.
fn index_error(error: &anyhow::Error) -> Option<&wenku::search::IndexError> {
    error.chain().find_map(|e| {
        e.downcast_ref::<wenku::search::IndexError>().or_else(|| match e.downcast_ref::<SearchError>() {
            Some(SearchError::Index(index)) => Some(index),
            _ => None,
        })
    })
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let io = e.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        // JSON is written through serde_json, which wraps the I/O error.
        let json = e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
