//! A report's rendered text, kept compressed between the pages that use it.
//!
//! A library holds every report at once, and pages ask for a report's text
//! one at a time (its page, its index document, a comparison). Kept as it
//! is, the text of 100,000 reports (HTML and plain text, about twice the
//! Markdown) would take gigabytes; compressed with zstd, the HTML and the
//! plain text it repeats cost about a quarter of that, and unpacking one
//! report takes microseconds.

use crate::content::markdown::{Block, BlockKind, Heading, Rendered};

/// Level 1: packing runs once per report on every load; higher levels
/// save little on Chinese text and cost several times the time.
const LEVEL: i32 = 1;

thread_local! {
    // A context per thread: making one costs as much as unpacking a report.
    static COMPRESSOR: std::cell::RefCell<zstd::bulk::Compressor<'static>> =
        std::cell::RefCell::new(zstd::bulk::Compressor::new(LEVEL).expect("zstd knows level 1"));
    static DECOMPRESSOR: std::cell::RefCell<zstd::bulk::Decompressor<'static>> =
        std::cell::RefCell::new(zstd::bulk::Decompressor::new().expect("zstd makes a context"));
}

#[derive(Clone, Default)]
pub struct Packed(Bytes);

/// The packed bytes: made in this run, or read from the build state's
/// texts file (mapped: a build from the state reads only what it unpacks).
#[derive(Clone)]
enum Bytes {
    Owned(Box<[u8]>),
    Mapped { file: std::sync::Arc<memmap2::Mmap>, from: usize, to: usize },
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Owned(Box::default())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(bytes) => bytes,
            Bytes::Mapped { file, from, to } => &file[*from..*to],
        }
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

impl Packed {
    /// The bytes at `from..to` of a mapped texts file (checked to be there).
    pub fn mapped(file: &std::sync::Arc<memmap2::Mmap>, from: usize, to: usize) -> Option<Packed> {
        (from <= to && to <= file.len()).then(|| Packed(Bytes::Mapped { file: file.clone(), from, to }))
    }

    /// Where its bytes are in `file`, if they are read from it.
    pub fn place_in(&self, file: &std::sync::Arc<memmap2::Mmap>) -> Option<(usize, usize)> {
        match &self.0 {
            Bytes::Mapped { file: mapped, from, to } if std::sync::Arc::ptr_eq(mapped, file) => Some((*from, *to)),
            _ => None,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Packed {
    pub fn new(rendered: &Rendered) -> Packed {
        if rendered.html.is_empty() && rendered.blocks.is_empty() && rendered.toc.is_empty() {
            return Packed::default();
        }
        let mut raw = Vec::with_capacity(rendered.html.len() * 2);
        put_str(&mut raw, &rendered.html);
        put_len(&mut raw, rendered.toc.len());
        for heading in &rendered.toc {
            raw.push(heading.level);
            put_str(&mut raw, &heading.id);
            put_str(&mut raw, &heading.text);
        }
        put_len(&mut raw, rendered.blocks.len());
        for block in &rendered.blocks {
            raw.push(kind_byte(block.kind));
            put_str(&mut raw, &block.anchor);
            put_str(&mut raw, &block.text);
        }
        let packed = COMPRESSOR.with_borrow_mut(|compressor| compressor.compress(&raw));
        // Compressing into memory fails only if memory does.
        Packed(Bytes::Owned(packed.expect("zstd compresses into memory").into_boxed_slice()))
    }

    /// The rendered text again, exactly as it was packed.
    pub fn unpack(&self) -> Rendered {
        if self.0.is_empty() {
            return Rendered::default();
        }
        let size = zstd::zstd_safe::get_frame_content_size(&self.0).ok().flatten().unwrap_or(0) as usize;
        let raw = DECOMPRESSOR.with_borrow_mut(|decompressor| decompressor.decompress(&self.0, size));
        let raw = raw.expect("a packed text unpacks: it was made by `new`");
        let mut reader = Reader { raw: &raw, at: 0 };
        let html = reader.string();
        let toc = (0..reader.len())
            .map(|_| Heading { level: reader.byte(), id: reader.string(), text: reader.string() })
            .collect();
        let blocks = (0..reader.len())
            .map(|_| {
                let kind = byte_kind(reader.byte());
                Block { anchor: reader.string(), text: reader.string(), kind }
            })
            .collect();
        Rendered { html, toc, blocks }
    }
}

fn put_len(raw: &mut Vec<u8>, len: usize) {
    raw.extend_from_slice(&(len as u32).to_le_bytes());
}

fn put_str(raw: &mut Vec<u8>, text: &str) {
    put_len(raw, text.len());
    raw.extend_from_slice(text.as_bytes());
}

fn kind_byte(kind: BlockKind) -> u8 {
    match kind {
        BlockKind::Heading => 0,
        BlockKind::Paragraph => 1,
        BlockKind::Other => 2,
    }
}

fn byte_kind(byte: u8) -> BlockKind {
    match byte {
        0 => BlockKind::Heading,
        1 => BlockKind::Paragraph,
        _ => BlockKind::Other,
    }
}

/// Reads back what `Packed::new` wrote; the bytes never left the process.
struct Reader<'a> {
    raw: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        self.at += 1;
        self.raw[self.at - 1]
    }

    fn len(&mut self) -> usize {
        let bytes: [u8; 4] = self.raw[self.at..self.at + 4].try_into().expect("four bytes");
        self.at += 4;
        u32::from_le_bytes(bytes) as usize
    }

    fn string(&mut self) -> String {
        let len = self.len();
        // Checked again (the bytes were a String): simdutf8, as std's check
        // of Chinese text cost a fifth of a whole build.
        let text = simdutf8::basic::from_utf8(&self.raw[self.at..self.at + len]).expect("packed from a String");
        self.at += len;
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_was_packed() {
        let rendered = crate::content::markdown::render(
            "# 标题\n\n第一段，2025年。\n\n## 一、小节\n\n- 条目\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            false,
        );
        let unpacked = Packed::new(&rendered).unpack();
        assert_eq!(unpacked.html, rendered.html);
        assert_eq!(unpacked.toc, rendered.toc);
        assert_eq!(unpacked.blocks, rendered.blocks);
        assert!(Packed::new(&Rendered::default()).unpack().blocks.is_empty());
    }
}
