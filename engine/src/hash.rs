//! Fast 64-bit hashes of text that stay the same from build to build (the
//! standard library's SipHash is made for hash tables facing hostile keys;
//! these hash every paragraph and sentence of a site, with no attacker).

/// A hash of `bytes`: eight bytes per step (FxHash's), then a finalizer.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().expect("chunks of eight"));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    for &byte in words.remainder() {
        hash = (hash.rotate_left(5) ^ byte as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    mix(hash)
}

/// A 64-bit finalizer (splitmix64's): every input bit affects every output bit.
pub const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
