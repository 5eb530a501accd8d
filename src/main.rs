//! The `wenku` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use wenku::build::{self, BuildOptions};
use wenku::diagnostics::Diagnostics;

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
    },
    /// Check every report and template; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR with a commented wenku.yaml and one report.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
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
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, drafts } => {
            let progress = std::io::stderr().is_terminal();
            let summary = build::build(&BuildOptions { root, output, drafts, progress })?;
            eprintln!(
                "built {} reports into {} files in {:.2} s → {}",
                summary.reports,
                summary.pages,
                summary.elapsed.as_secs_f64(),
                summary.output.display()
            );
        }
        Command::Check { root, drafts } => {
            let summary = build::check(&root, drafts)?;
            eprintln!(
                "checked {} reports and {} files in {:.2} s: no problems",
                summary.reports,
                summary.pages,
                summary.elapsed.as_secs_f64()
            );
        }
        Command::Init { dir } => {
            wenku::init::init(&dir)?;
            eprintln!("created a new site in {}; build it with `wenku build --root {}`", dir.display(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
