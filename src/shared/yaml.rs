//! The one place that touches the YAML parser.
//!
//! serde_yaml 0.9 is what the project was specified with; it is marked
//! deprecated upstream but stable. Keeping every call behind these functions
//! makes a switch to a maintained fork a one-line change.

use serde::de::DeserializeOwned;

pub use serde_yaml::{Mapping, Value};

/// A YAML problem with its 1-based position inside the parsed text, if the
/// parser knows it.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub located: bool,
    /// Aliases expanded past the parser's limit (a "billion laughs").
    pub too_many_aliases: bool,
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location().map(|l| (l.line(), l.column()));
        let message = strip_location(&e.to_string());
        YamlError {
            too_many_aliases: message.contains("repetition limit exceeded"),
            message,
            line: location.map_or(1, |l| l.0),
            column: location.map_or(1, |l| l.1),
            located: location.is_some(),
        }
    })
}

pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_yaml::from_value(value).map_err(|e| strip_location(&e.to_string()))
}

/// serde_yaml appends " at line X column Y"; we show the position ourselves.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
