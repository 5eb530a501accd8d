//! What the pipeline's later rooms share about the site's files: one file
//! of the built site (`Output`: rendered pages, the static index's files,
//! the output writes them), and a site path as a URL under the base path.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, `/`-separated: `bodies/国务院/index.html`.
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

/// Characters that must be escaped in a URL path; all non-ASCII is too.
pub const PATH: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// A site path under the base path (`/archive/`), percent-encoded.
pub fn site_url(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", utf8_percent_encode(path, PATH))
}
