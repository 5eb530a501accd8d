//! Sizes the site's pages promise and the server and the draft check
//! enforce: one number, said once, below all three.

/// The largest draft file accepted (a Word file of some fifty pages).
pub const MAX_DRAFT_BYTES: usize = 20 * 1024 * 1024;
/// A draft longer than this is refused (about twenty pages).
pub const MAX_DRAFT_CHARS: usize = 50_000;
