//! Problems found in a site's files, reported like a compiler's errors.
//!
//! Loading never stops at the first problem: every file is checked and every
//! problem becomes a `Diagnostic`, so a user fixes them all in one pass.

mod problem;

use std::fmt;
use std::path::{Path, PathBuf};

use problem::Words;
pub use problem::{Both, Problem, Shown, both};

/// One problem in one file, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line, shown under the location: at most
    /// `MAX_QUOTED_CHARS` of it, around the column.
    pub source_line: Option<String>,
    /// The column within `source_line`, where the caret goes.
    source_column: usize,
    /// The message and hint in Chinese, for a Chinese site's command line
    /// and browser overlay.
    /// Boxed: most diagnostics travel as `Err`, and stay small that way.
    pub chinese: Box<Chinese>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chinese {
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// The problem's diagnostic, worded in both languages by the catalogue.
    pub fn new(path: &Path, problem: Problem) -> Self {
        let Words { message, hint } = problem.words();
        Diagnostic {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: message.en,
            hint: hint.as_ref().map(|h| h.en.clone()),
            source_line: None,
            source_column: 0,
            chinese: Box::new(Chinese { message: message.zh, hint: hint.map(|h| h.zh) }),
        }
    }

    /// The message and hint in the site's language: Chinese for a Chinese
    /// site (`zh`, `zh-CN` …), else English.
    pub fn text(&self, language: &str) -> (String, Option<String>) {
        if language.starts_with("zh") {
            (self.chinese.message.clone(), self.chinese.hint.clone())
        } else {
            (self.message.clone(), self.hint.clone())
        }
    }

    /// Points the diagnostic at `line:column` of `text`, quoting that line.
    pub fn at(self, text: &str, line: usize, column: usize) -> Self {
        match text.lines().nth(line.saturating_sub(1)) {
            Some(source_line) => self.at_line(line, column, source_line),
            None => Self { line, column: column.max(1), ..self },
        }
    }

    /// Points the diagnostic at `line:column`, quoting `source_line` (the
    /// part around the column of a long one).
    pub fn at_line(mut self, line: usize, column: usize, source_line: &str) -> Self {
        self.line = line;
        self.column = column.max(1);
        let (quoted, source_column) = excerpt(source_line, self.column);
        self.source_line = Some(quoted);
        self.source_column = source_column;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, false)
    }
}

impl Diagnostic {
    /// The problem as a compiler prints it, in Chinese or English.
    pub fn write(&self, f: &mut dyn fmt::Write, chinese: bool) -> fmt::Result {
        let (message, hint) = if chinese { self.text("zh") } else { (self.message.clone(), self.hint.clone()) };
        let (error, help) = if chinese { ("错误：", "提示：") } else { ("error: ", "help: ") };
        writeln!(f, "{error}{message}")?;
        let path = self.path.strip_prefix(".").unwrap_or(&self.path).display();
        if self.line == 0 {
            writeln!(f, "  --> {path}")?;
        } else {
            writeln!(f, "  --> {path}:{}:{}", self.line, self.column)?;
        }
        if let Some(source) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {source}")?;
            // Wide (CJK) characters take two terminal cells.
            let offset: usize = source.chars().take(self.source_column.saturating_sub(1)).map(display_width).sum();
            writeln!(f, "{pad} | {}^", " ".repeat(offset))?;
        }
        if let Some(hint) = &hint {
            // Continuation lines (an example, say) line up under the hint.
            writeln!(f, "  = {help}{}", hint.replace('\n', "\n          "))?;
        }
        Ok(())
    }
}

/// The most of a line a diagnostic quotes: a 200 KB line of YAML is not
/// printed whole.
const MAX_QUOTED_CHARS: usize = 120;

/// The part of `line` a diagnostic quotes, around the 1-based `column`,
/// with … where it was cut, and the column within it.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= MAX_QUOTED_CHARS {
        return (line.to_owned(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(MAX_QUOTED_CHARS / 3).min(length - MAX_QUOTED_CHARS);
    let end = start + MAX_QUOTED_CHARS;
    let mut quoted: String = line.chars().skip(start).take(MAX_QUOTED_CHARS).collect();
    if end < length {
        quoted.push('…');
    }
    if start > 0 {
        return (format!("…{quoted}"), column - start + 1);
    }
    (quoted, column)
}

fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// All the problems of one run; the error a failed load returns.
#[derive(Debug, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, false)
    }
}

impl Diagnostics {
    /// Every problem, then the count, in Chinese or English.
    pub fn write(&self, f: &mut dyn fmt::Write, chinese: bool) -> fmt::Result {
        for diagnostic in &self.0 {
            diagnostic.write(f, chinese)?;
            writeln!(f)?;
        }
        let files: std::collections::BTreeSet<_> = self.0.iter().map(|d| &d.path).collect();
        if chinese {
            return write!(f, "共 {} 个问题，涉及 {} 个文件；没有写出任何文件", self.0.len(), files.len());
        }
        write!(
            f,
            "{} problem{} in {} file{}; nothing was written",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" },
            files.len(),
            if files.len() == 1 { "" } else { "s" },
        )
    }

    /// The report in Chinese or English, as the command line prints it.
    pub fn to_text(&self, chinese: bool) -> String {
        let mut out = String::new();
        let _ = self.write(&mut out, chinese);
        out
    }
}

pub use wenku_engine::closest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_around_its_column() {
        let line = format!("{}错{}", "a".repeat(100_000), "b".repeat(100_000));
        let diagnostic = Diagnostic::new(Path::new("x.md"), Problem::FrontMatterNotClosed).at_line(3, 100_001, &line);
        let quoted = diagnostic.source_line.clone().unwrap();
        assert!(quoted.starts_with('…') && quoted.ends_with('…') && quoted.contains('错'), "{quoted}");
        assert!(quoted.chars().count() <= MAX_QUOTED_CHARS + 2);
        let text = diagnostic.to_string();
        let caret_line = text.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
        let quoted_line = text.lines().find(|l| l.contains('错')).unwrap();
        // The caret is under 错 (a-s and b-s are one cell wide).
        assert_eq!(caret_line.find('^'), quoted_line.chars().position(|c| c == '错'));
        // Short lines are quoted whole; the end of a long one too.
        assert_eq!(excerpt("短行", 2), ("短行".to_owned(), 2));
        let (tail, column) = excerpt(&line, 200_001);
        assert!(tail.starts_with('…') && !tail.ends_with('…'));
        assert_eq!(column, tail.chars().count());
    }
}
