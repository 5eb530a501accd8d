//! The concordance (KWIC): made by the engine (`wenku_engine::concordance`),
//! which the static index's engine cuts it with too.

pub use wenku_engine::concordance::{
    Concordance, DEFAULT_PER_PAGE, KwicSort, Line, MAX_PER_PAGE, View, concordance, lines, read_param,
};
