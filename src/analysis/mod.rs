//! What is found in the loaded reports before pages are rendered, with no
//! index: recurring passages, year-over-year comparisons, and formulations
//! (`novel`: what one report says that another does not; `overview`: a
//! year's new and a body's key formulations), with the word boundaries
//! (`words`) and statistics (`stats`) they and the research views use.

pub mod compare;
pub mod novel;
pub mod overview;
pub mod passages;
pub use wenku_engine::stats;
pub mod words;
