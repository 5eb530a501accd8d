//! Which language the command line speaks: Chinese when the site's
//! `wenku.yaml` says its language is Chinese (the default) or, without a
//! site, when the system's locale is Chinese; English otherwise.
//! `WENKU_LANG=en` or `zh` decides for a run (scripts, tests).

use std::ffi::OsString;
use std::path::PathBuf;

pub use wenku::search::messages::Language;

/// The language of this run, from the environment and the `--root` the
/// arguments name (before clap parses them: `--help` is worded in it too).
pub fn detect(args: &[OsString]) -> Language {
    if let Some(code) = std::env::var_os("WENKU_LANG") {
        return Language::of(&code.to_string_lossy());
    }
    let root = root_in(args).unwrap_or_else(|| PathBuf::from("."));
    if root.join(wenku::content::config::CONFIG_FILE).is_file()
        && let Ok(config) = wenku::content::config::Config::load(&root)
    {
        return Language::of(&config.language);
    }
    locale()
}

/// `--root DIR` or `--root=DIR` among the arguments.
fn root_in(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        if arg == "--root" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--root=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}

/// The system's locale, as `LC_ALL`, `LC_MESSAGES` and `LANG` give it.
fn locale() -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .map_or(Language::English, |value| Language::of(&value))
}

/// English or Chinese, as the run speaks.
pub fn pick<'a>(language: Language, english: &'a str, chinese: &'a str) -> &'a str {
    match language {
        Language::Chinese => chinese,
        Language::English => english,
    }
}

/// `text!(language, "english {}", "中文 {}", value)`: the sentence in the
/// run's language.
#[macro_export]
macro_rules! text {
    ($language:expr, $english:literal, $chinese:literal $(, $arg:expr)* $(,)?) => {
        match $language {
            $crate::cli::language::Language::Chinese => format!($chinese $(, $arg)*),
            $crate::cli::language::Language::English => format!($english $(, $arg)*),
        }
    };
}
