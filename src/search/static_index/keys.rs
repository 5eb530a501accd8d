//! Terms and Han strings as numbers while they are gathered, so that
//! gathering hundreds of millions of them allocates nothing.

use wenku_engine::analyzer::{Class, classify};

/// Terms gathered in this many groups, each on its own thread and with its
/// own sorted runs on disk.
pub const PARTITIONS: usize = 64;

/// A term as gathered: packed into a number when short (every CJK term),
/// else its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Packed(u128),
    Long(String),
}

/// Characters per packed key: 21 bits each, plus one so that no packed
/// character is zero.
const PACKED_CHARS: usize = 6;

fn pack(chars: impl Iterator<Item = char>) -> Option<u128> {
    let mut key = 0u128;
    for (i, c) in chars.enumerate() {
        if i == PACKED_CHARS {
            return None;
        }
        key = (key << 21) | (c as u128 + 1);
    }
    Some(key)
}

fn unpack(mut key: u128) -> String {
    let mut chars = Vec::with_capacity(PACKED_CHARS);
    while key != 0 {
        chars.push(char::from_u32((key & 0x1f_ffff) as u32 - 1).expect("packed from a char"));
        key >>= 21;
    }
    chars.iter().rev().collect()
}

impl Key {
    pub fn of(term: &str) -> Key {
        pack(term.chars()).map_or_else(|| Key::Long(term.to_owned()), Key::Packed)
    }

    /// Which of the [`PARTITIONS`] the term is gathered in.
    pub fn partition(&self) -> u8 {
        let hash = match self {
            Key::Packed(key) => (*key as u64 ^ (*key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            Key::Long(s) => {
                s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
            }
        };
        (hash >> 58) as u8
    }

    /// Two Han letters: the strings that frequent Han strings grow from.
    pub fn han_pair(term: &str) -> Option<u128> {
        let mut chars = term.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(a), Some(b), None) if classify(a) == Class::Cjk && classify(b) == Class::Cjk => {
                pack([a, b].into_iter())
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Packed(key) => f.write_str(&unpack(*key)),
            Key::Long(s) => f.write_str(s),
        }
    }
}

/// A string of Han letters as a number: packed exactly up to
/// [`PACKED_CHARS`] characters, beyond that two 64-bit hashes (a collision,
/// about one chance in 2^100 here, would merge two strings' counts).
pub fn window_key(window: &[char]) -> u128 {
    if let Some(packed) = pack(window.iter().copied()) {
        return packed;
    }
    let hash = |seed: u64, multiplier: u64| {
        window.iter().fold(seed, |h, &c| (h ^ u64::from(c)).wrapping_mul(multiplier).rotate_left(29))
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325, 0x0100_0000_01b3), hash(0x9e37_79b9_7f4a_7c15, 0xff51_afd7_ed55_8ccd));
    // The top bit marks a hash, which no packed string of six letters sets.
    (1u128 << 127) | (u128::from(a) << 63) | u128::from(b >> 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_pack_short_terms_and_keep_long_ones() {
        for term in ["的", "发展", "abc", "经济发展质量", "x"] {
            assert!(matches!(Key::of(term), Key::Packed(_)), "{term}");
            assert_eq!(Key::of(term).to_string(), term);
        }
        let long = "全面建成小康社会";
        assert_eq!(Key::of(long), Key::Long(long.to_owned()));
        assert_eq!(Key::han_pair("发展"), Some(window_key(&['发', '展'])));
        assert_eq!(Key::han_pair("ab"), None);
        assert_eq!(Key::han_pair("发"), None);
    }

    #[test]
    fn window_keys_of_long_strings_differ() {
        let a: Vec<char> = "全面建成小康社会".chars().collect();
        let b: Vec<char> = "全面建成小康社区".chars().collect();
        assert_ne!(window_key(&a), window_key(&b));
        assert_ne!(window_key(&a[..6]), window_key(&a[..7]));
    }
}
