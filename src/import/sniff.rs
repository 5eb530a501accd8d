//! What a file really is, from its first bytes rather than its extension:
//! offices save web pages as `.doc`, Kingsoft WPS writes Word binaries as
//! `.wps`, and scans arrive as `.pdf` or as images.

/// The formats `wenku import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
    Odt,
    /// Word 97–2003 or a Kingsoft WPS document (an OLE2 compound file).
    WordBinary,
    Rtf,
    Html,
    /// A web page saved as one file (`.mht`, `.mhtml`, Word's "single file web page").
    Mht,
    Pdf,
    Image,
    /// Some other binary format, named for the message.
    Other(&'static str),
}

impl Format {
    /// Whether reading it takes an outside converter (and may be slow).
    pub fn needs_converter(self) -> bool {
        matches!(self, Format::WordBinary | Format::Rtf | Format::Pdf | Format::Image)
    }
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format of a file, from its first bytes; the extension only tells
/// Markdown from plain text.
pub fn sniff(bytes: &[u8], extension: &str) -> Format {
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"PK\x03\x04") {
        return zip_format(bytes);
    }
    if head.starts_with(OLE2) {
        return Format::WordBinary;
    }
    if head.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if find(head, b"%PDF-").is_some_and(|at| at < 1024) {
        return Format::Pdf;
    }
    let images: &[&[u8]] = &[b"\x89PNG", b"\xFF\xD8\xFF", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM"];
    if images.iter().any(|magic| head.starts_with(magic)) && !(head.starts_with(b"BM") && extension != "bmp") {
        return Format::Image;
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Format::Image;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if find(&lower, b"mime-version:").is_some() && find(&lower, b"multipart/").is_some() {
        return Format::Mht;
    }
    // A web page (UTF-16 ones aside, its markup is ASCII).
    let markup =
        [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<meta ", b"<?xml", b"<p>", b"<div", b"<table"];
    let trimmed = lower.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if let Some(start) = trimmed
        && lower[start] == b'<'
        && markup.iter().any(|m| find(&lower, m).is_some())
        && (find(&lower, b"<?xml").is_none() || find(&lower, b"<html").is_some())
    {
        return Format::Html;
    }
    if head.starts_with(b"\x1F\x8B") || head.starts_with(b"7z\xBC\xAF") || head.starts_with(b"Rar!") {
        return Format::Other("a compressed archive: unpack it and import its files");
    }
    match extension {
        "md" | "markdown" => Format::Markdown,
        _ => Format::Text,
    }
}

/// A zip is a .docx, an .odt, or something else.
fn zip_format(bytes: &[u8]) -> Format {
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Format::Docx; // the Word reader says what is wrong with it
    };
    let names: Vec<&str> = archive.file_names().collect();
    if names.contains(&"word/document.xml") {
        Format::Docx
    } else if names.contains(&"content.xml") && names.contains(&"mimetype") {
        Format::Odt
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        Format::Other("an Excel workbook, not a report")
    } else if names.iter().any(|n| n.starts_with("ppt/")) {
        Format::Other("a PowerPoint presentation, not a report")
    } else {
        Format::Other("a zip archive: unpack it and import its files")
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(sniff(b"<html><head><meta charset=gbk></head><body>x</body></html>", "doc"), Format::Html);
        assert_eq!(sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related;", "doc"), Format::Mht);
        assert_eq!(sniff(OLE2, "wps"), Format::WordBinary);
        assert_eq!(sniff(b"{\\rtf1\\ansi", "doc"), Format::Rtf);
        assert_eq!(sniff(b"%PDF-1.7\n", "txt"), Format::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n", "pdf"), Format::Image);
        assert_eq!(sniff("2020年工作总结\n一、".as_bytes(), "txt"), Format::Text);
        assert_eq!(sniff(b"# title", "md"), Format::Markdown);
        assert_eq!(sniff(b"<3 is less than four", "txt"), Format::Text);
    }
}
