//! Text files in the encodings old reports come in: UTF-8 (with or without
//! a BOM), UTF-16 with a BOM, and GB18030/GBK, told apart by chardetng.

use encoding_rs::Encoding;

/// The text of `bytes` and the name of the encoding it was read as.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if had_errors {
            return Err(format!(
                "the file starts with a {} byte-order mark but is not valid {}",
                encoding.name(),
                encoding.name()
            ));
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // GBK is a subset of GB18030: reading as GB18030 loses nothing. A
    // detector can mistake GB18030's four-byte characters for another
    // encoding, so GB18030 is always tried too, and the reading with more
    // common Chinese characters wins.
    let candidates = [encoding_rs::GB18030, if guess == encoding_rs::GBK { encoding_rs::GB18030 } else { guess }];
    let best = candidates
        .iter()
        .filter_map(|&encoding| {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            (!had_errors).then(|| (common_han(&text), encoding, text.into_owned()))
        })
        .max_by_key(|(score, _, _)| *score);
    match best {
        Some((_, encoding, text)) => {
            Ok((text, if encoding == encoding_rs::GB18030 { "GB18030" } else { encoding.name() }))
        }
        None => Err(format!(
            "the file is neither UTF-8, UTF-16 nor GB18030; it looks most like {}, but does not decode cleanly",
            guess.name()
        )),
    }
}

/// Characters of the basic CJK block: many in right readings, few in wrong ones.
fn common_han(text: &str) -> usize {
    text.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_encoding() {
        let text = "某区人大常委会党组2020年度工作总结\n一、主要工作";
        assert_eq!(decode(text.as_bytes()).unwrap(), (text.to_owned(), "UTF-8"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap().0, text);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk).unwrap(), (text.to_owned(), "GB18030"));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16).unwrap(), (text.to_owned(), "UTF-16LE"));
    }
}
