//! MinHash signatures of paragraphs, for finding near-identical ones.
//!
//! A paragraph is cut into overlapping 5-character shingles; two paragraphs'
//! Jaccard similarity (shared shingles over all shingles) is estimated by
//! how many of `SLOTS` independent minimum hashes they agree on. Locality-
//! sensitive hashing over bands of the signature finds the candidates
//! without comparing every pair (Broder 1997; Leskovec et al., *Mining of
//! Massive Datasets*, ch. 3).

use crate::shared::hash::{hash_bytes, mix};

/// Characters per shingle. A changed character changes up to five shingles,
/// so one edit in a 60-character paragraph keeps its similarity near 0.85.
const SHINGLE: usize = 5;

/// Minimum hashes per signature. The estimate of a similarity `s` from `n`
/// slots is off by about sqrt(s(1-s)/n): 0.05 with 64 (32 would often put
/// paragraphs 0.8 alike below the threshold).
pub const SLOTS: usize = 64;

/// Signature slots per LSH band: two texts are candidates when all slots of
/// some band agree. With 16 bands of 4, texts 0.7 alike are found 98% of
/// the time, 0.5 alike 64% (and then rejected), 0.3 alike 12%.
pub const BAND: usize = 4;
pub const BANDS: usize = SLOTS / BAND;

/// Two texts agreeing on at least this many slots (an estimated similarity
/// of 0.7) are the same passage, nearly.
const SIMILAR_SLOTS: usize = 45;

pub type Signature = [u32; SLOTS];

/// The text that signatures are made of: without whitespace (line breaks
/// and spaces between Chinese characters mean nothing) and with Latin
/// letters in lower case.
fn normalize(text: &str) -> Vec<char> {
    text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// The identity of a text of at least `min_chars` characters, without the
/// whitespace around it and the ASCII whitespace and control characters
/// inside it (what Markdown line breaks and spaces leave): equal texts,
/// equal keys. `buffer` is scratch space, reused between calls. Every
/// paragraph of a site goes through here, so the usual case, a paragraph
/// with no space inside, is hashed where it lies, and the loops are ones the
/// compiler vectorizes.
pub fn text_key(text: &str, min_chars: usize, buffer: &mut Vec<u8>) -> Option<u64> {
    let text = text.trim();
    let has_space = text.bytes().fold(false, |found, b| found | (b <= b' '));
    let bytes = if has_space {
        buffer.clear();
        buffer.extend(text.bytes().filter(|&b| b > b' '));
        buffer.as_slice()
    } else {
        text.as_bytes()
    };
    // A character is at most four bytes; count them only when it matters.
    if bytes.len() < min_chars * 4 && char_count(bytes) < min_chars {
        return None;
    }
    Some(hash_bytes(bytes))
}

/// Characters in UTF-8: every byte but continuation bytes.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

pub fn signature(text: &str) -> Signature {
    let chars = normalize(text);
    let mut signature = [u32::MAX; SLOTS];
    for shingle in chars.windows(SHINGLE.min(chars.len()).max(1)) {
        let mut hash = 0u64;
        for &c in shingle {
            hash = (hash.rotate_left(21) ^ c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        let hash = mix(hash);
        // Each slot's hash function: multiply-shift with its own constants.
        for (slot, min) in signature.iter_mut().enumerate() {
            let (a, b) = SLOT_CONSTANTS[slot];
            let value = (hash.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
            *min = (*min).min(value);
        }
    }
    signature
}

/// The key of one band of a signature, for the LSH buckets.
pub fn band_key(signature: &Signature, band: usize) -> u64 {
    let mut hash = band as u64;
    for &value in &signature[band * BAND..(band + 1) * BAND] {
        hash = mix(hash ^ value as u64);
    }
    hash
}

pub fn similar(a: &Signature, b: &Signature) -> bool {
    a.iter().zip(b).filter(|(x, y)| x == y).count() >= SIMILAR_SLOTS
}

/// Odd multipliers and offsets for the slots' hash functions, fixed so that
/// every build finds the same passages.
const SLOT_CONSTANTS: [(u64, u64); SLOTS] = {
    let mut constants = [(0u64, 0u64); SLOTS];
    let mut i = 0;
    while i < SLOTS {
        constants[i] = (mix(2 * i as u64 + 1) | 1, mix(2 * i as u64 + 2));
        i += 1;
    }
    constants
};

/// A signature in the build state (`rebuild::state`), as its bytes: serde
/// stops at arrays of 32, and a number at a time reads several times slower.
pub mod as_slots {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::{SLOTS, Signature};

    pub fn serialize<S: Serializer>(signature: &Signature, to: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = signature.iter().flat_map(|slot| slot.to_le_bytes()).collect();
        to.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Signature, D::Error> {
        let bytes = <&[u8]>::deserialize(from)?;
        if bytes.len() != SLOTS * 4 {
            return Err(D::Error::custom(format!("a signature has {SLOTS} slots")));
        }
        let mut signature = [0; SLOTS];
        for (slot, chunk) in signature.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes(chunk.try_into().expect("four bytes"));
        }
        Ok(signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        signature(text)
    }

    #[test]
    fn whitespace_does_not_count() {
        let key = |text: &str| text_key(text, 6, &mut Vec::new());
        assert_eq!(key("坚持 稳中求进\n工作总基调"), key("坚持稳中求进工作总基调"));
        assert_eq!(key("\u{3000}\u{3000}坚持稳中求进 "), key("坚持稳中求进"), "indents and trailing spaces");
        assert_eq!(key("PM2.5 fell"), key("PM2.5fell"));
        assert_ne!(key("坚持稳中求进"), key("坚持稳中求进。"));
        assert!(key("坚持稳中求进").is_some());
        assert_eq!(key("坚持 稳中求"), None, "five characters are too few");
        assert_eq!(key("Ａ 股\t市场"), None);
    }

    #[test]
    fn one_changed_character_is_still_similar() {
        let a = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入稳步增长，基本公共服务水平不断提高，社会保障体系更加健全。";
        let b = "坚持以人民为中心的发展思想，着力保障和改善民生，城乡居民收入较快增长，基本公共服务水平不断提高，社会保障体系更加健全。";
        let c =
            "全年粮食产量创历史新高，工业增加值增长百分之六，进出口总额突破四千亿元，新增城镇就业人数超过预期目标。";
        assert!(similar(&sig(a), &sig(b)));
        assert!(!similar(&sig(a), &sig(c)));
        assert!(similar(&sig(a), &sig(a)));
    }
}
