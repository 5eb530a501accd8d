//! Full-text search over the archive: a Tantivy index on disk.
//!
//! One Tantivy document per report. A report is the unit people look for and
//! count ("which bodies wrote this, since when?"), all words of a query must
//! appear in the same report, and filters and facets are per report. The
//! paragraph a match sits in is found when the snippet is cut, from stored
//! block offsets, so results still link to the exact paragraph.
//!
//! - `analyzer`: normalization and the CJK bigram tokenizer
//! - `indexer`: writing: full builds, and updates of single reports
//! - `query`: the query language, parsed and turned into Tantivy queries
//! - `pattern`: wording with gaps (`坚持*发展`), matched exactly against the text
//! - `verified`: the Tantivy query for wording with gaps, checked against the text
//! - `messages`: every problem a search can answer with, in each language
//! - `searcher`: running a query: hits, facets, pages
//! - `counts`: how often units occur in a part of the archive, from the postings
//! - `snippet`: cutting snippets around the matched wording

pub mod analyzer;
pub mod counts;
pub mod indexer;
pub mod print;
pub mod query;
pub mod searcher;
pub mod static_index;
pub mod verified;

pub use wenku_engine::{messages, pattern, snippet};

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexSettings};

pub use indexer::{IndexDoc, IndexSummary, IndexWriter};
pub use query::QueryError;
pub use searcher::{SearchIndex, SearchRequest, SearchResults, Sort};

/// Bumped whenever the schema or the analyzer changes: an index written by
/// another version is rebuilt, never misread.
pub const SCHEMA_VERSION: u32 = 5;

/// The folder inside the index folder that holds this version's index.
pub fn version_dir(index_dir: &Path) -> PathBuf {
    index_dir.join(format!("v{SCHEMA_VERSION}"))
}

/// Written with every commit; checked when the index is opened.
fn commit_payload() -> String {
    format!("wenku-index-v{SCHEMA_VERSION}")
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("there is no search index in {0}\n  = help: run `wenku build` to create it")]
    Missing(PathBuf),
    #[error(
        "the search index in {0} was written by another version of wenku\n  = help: run `wenku build` to rebuild it"
    )]
    Incompatible(PathBuf),
    #[error("cannot read the search index in {path}: {message}\n  = help: run `wenku build` to rebuild it")]
    Unreadable { path: PathBuf, message: String },
    #[error(
        "the search index in {0} is being written by another wenku process\n  = help: wait for it to finish, or stop `wenku serve` while building"
    )]
    Busy(PathBuf),
    #[error("search index error in {path}: {source}")]
    Tantivy { path: PathBuf, source: tantivy::TantivyError },
    /// Carries a `StorageFull` I/O error, so that a full disk is told
    /// apart in the error chain as any other write's is.
    #[error("cannot write the search index in {path}: the disk is full ({free_mb} MB free)")]
    DiskFull { path: PathBuf, free_mb: u64, source: std::io::Error },
    #[error("cannot write the search index in {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl IndexError {
    /// The problem and what to do, in Chinese.
    pub fn in_chinese(&self) -> String {
        match self {
            IndexError::Missing(path) => {
                format!("{} 中没有搜索索引\n  = 提示：运行 `wenku build` 生成索引", path.display())
            }
            IndexError::Incompatible(path) => {
                format!("{} 中的搜索索引由另一个版本的 wenku 写成\n  = 提示：运行 `wenku build` 重建", path.display())
            }
            IndexError::Unreadable { path, message } => {
                format!("无法读取 {} 中的搜索索引：{message}\n  = 提示：运行 `wenku build` 重建", path.display())
            }
            IndexError::Busy(path) => format!(
                "{} 中的搜索索引正由另一个 wenku 进程写入\n  = 提示：等它写完，或在生成时先停下 `wenku serve`",
                path.display()
            ),
            IndexError::Tantivy { path, source } => format!("{} 中的搜索索引出错：{source}", path.display()),
            IndexError::DiskFull { path, free_mb, .. } => {
                format!("无法写入 {} 中的搜索索引：磁盘已满（剩余 {free_mb} MB）", path.display())
            }
            IndexError::Io { path, source } => format!("无法写入 {} 中的搜索索引：{source}", path.display()),
        }
    }
}

/// The index's fields. `text` holds the title and every block of the report,
/// one per line; `anchors` maps byte offsets in it to paragraph anchors.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub digest: Field,
    pub url: Field,
    pub title: Field,
    pub text: Field,
    pub anchors: Field,
    pub body: Field,
    pub level: Field,
    pub period: Field,
    pub year: Field,
    pub date: Field,
    pub sort_key: Field,
    /// The text's size in index positions (`count_positions`): what
    /// per-10,000 figures and corpus statistics divide by.
    pub positions: Field,
    /// Where words begin in `text`, one bit a character
    /// (`analysis::words::stored_cuts`): the research views' units.
    pub cuts: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer::TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED | FAST),
        digest: builder.add_u64_field("digest", FAST),
        url: builder.add_text_field("url", STORED),
        title: builder.add_text_field("title", STORED),
        text: builder.add_text_field("text", TextOptions::default().set_indexing_options(text_indexing).set_stored()),
        anchors: builder.add_text_field("anchors", STORED),
        body: builder.add_text_field("body", STRING | STORED | FAST),
        level: builder.add_text_field("level", STRING | STORED | FAST),
        period: builder.add_text_field("period", STRING | STORED | FAST),
        year: builder.add_i64_field("year", INDEXED | STORED | FAST),
        date: builder.add_text_field("date", STORED),
        sort_key: builder.add_u64_field("sort_key", FAST),
        positions: builder.add_u64_field("positions", FAST),
        cuts: builder.add_bytes_field("cuts", STORED),
    };
    (builder.build(), fields)
}

fn settings() -> IndexSettings {
    IndexSettings {
        // Concordances and gap queries read the stored text of thousands of
        // reports per query: LZ4 unpacks it about three times as fast as
        // zstd did, for an index 13% larger (254 MB against 225 MB at 10,000
        // reports).
        docstore_compression: tantivy::store::Compressor::Lz4,
        ..IndexSettings::default()
    }
}

fn register_tokenizer(index: &Index) {
    index.tokenizers().register(analyzer::TOKENIZER, TextAnalyzer::from(analyzer::CjkTokenizer::default()));
}

/// Opens this version's index in `index_dir`, checking that wenku wrote it.
fn open_index(index_dir: &Path) -> Result<(Index, Fields), IndexError> {
    let dir = version_dir(index_dir);
    if !dir.join("meta.json").is_file() {
        let other_version = std::fs::read_dir(index_dir).into_iter().flatten().flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with('v') && name[1..].parse::<u32>().is_ok() && entry.path().join("meta.json").is_file()
        });
        return Err(if other_version {
            IndexError::Incompatible(index_dir.to_path_buf())
        } else {
            IndexError::Missing(index_dir.to_path_buf())
        });
    }
    let unreadable = |e: tantivy::TantivyError| IndexError::Unreadable { path: dir.clone(), message: e.to_string() };
    let index = Index::open_in_dir(&dir).map_err(unreadable)?;
    let metas = index.load_metas().map_err(unreadable)?;
    let (schema, fields) = schema();
    if metas.payload.as_deref() != Some(commit_payload().as_str()) || index.schema() != schema {
        return Err(IndexError::Incompatible(index_dir.to_path_buf()));
    }
    register_tokenizer(&index);
    Ok((index, fields))
}
