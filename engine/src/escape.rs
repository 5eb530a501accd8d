//! The one escaper for text put into HTML and XML: pages, feeds, the
//! sitemap, snippets, comparison rows and Tera's `{{ value }}`. `&`, `<`,
//! `>`, `"` and `'` become entities (`&#39;`, which HTML 4 knows and XML
//! too); control characters XML 1.0 forbids are dropped. `/` is left alone:
//! Tera's own escaping of it made every URL unreadable and protected nothing.

/// `s` escaped.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped. Plain runs are copied whole.
pub fn push_escaped(out: &mut String, s: &str) {
    let mut run = 0;
    for (i, byte) in s.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' | b'\r' | b'\t' => continue,
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(replacement);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_controls() {
        assert_eq!(escaped("<a href=\"x\">R&D's</a>"), "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
        assert_eq!(escaped("一\u{1}二\n三/四"), "一二\n三/四");
    }
}
