//! The integration tests, as one suite (one binary to build and link, as
//! mdBook's `tests/testsuite`): each module is one area, `common` the site
//! builder they share (`TestSite`: a temporary site from a fixture or the
//! sample, built, changed and built again through the real `wenku` binary).

mod atomic;
mod browser;
mod build;
mod command_line;
mod common;
mod compare;
mod crash;
mod diagnostics;
mod draft;
mod hardening;
mod import;
mod import_formats;
mod import_truth;
mod incremental;
mod kwic;
mod overview;
mod passages;
mod publish;
mod search;
mod search_exact;
mod serve;
mod static_search;
mod statistics;
