//! Numbers kept as little-endian bytes in the build state
//! (`rebuild::state`): hashes are random, so the compact encoding of one
//! number at a time saves nothing and reads several times slower.

use serde::{Deserialize, Deserializer, Serializer, de::Error};

pub fn serialize<S: Serializer>(numbers: &[u64], to: S) -> Result<S::Ok, S::Error> {
    let bytes: Vec<u8> = numbers.iter().flat_map(|n| n.to_le_bytes()).collect();
    to.serialize_bytes(&bytes)
}

pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Box<[u64]>, D::Error> {
    let bytes = <&[u8]>::deserialize(from)?;
    if bytes.len() % 8 != 0 {
        return Err(D::Error::custom("hashes are 8 bytes each"));
    }
    Ok(bytes.chunks_exact(8).map(|chunk| u64::from_le_bytes(chunk.try_into().expect("eight bytes"))).collect())
}
