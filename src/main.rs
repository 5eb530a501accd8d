//! The `wenku` command line: the language it speaks, the arguments, one
//! command run (see `cli`).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Reads `FAILPOINTS` in test builds; nothing otherwise.
    let _fail_points = fail::FailScenario::setup();
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let language = cli::language::detect(&arguments);
    let args = cli::args::parse(language);
    match cli::run(args, language) {
        Ok(code) => code,
        Err(error) => cli::report(&error, language),
    }
}
