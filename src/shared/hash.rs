//! Fast 64-bit hashes of text that stay the same from build to build: the
//! engine's (`wenku_engine::hash`), which the browser cuts concordances with.

pub use wenku_engine::hash::{hash_bytes, mix};
