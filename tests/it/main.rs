//! The integration tests, one binary: each module builds fixture sites in
//! temporary folders with the real `legbrief` binary and inspects what it wrote
//! (HTML, feeds, JSON, exit codes, what a browser shows). One binary links the
//! crate once, where one per file linked it eighteen times.

mod common;

mod archive;
mod archive_scale;
mod bench_smoke;
mod build;
mod check;
mod errors;
mod hostile_content;
mod hostile_markdown;
mod hostile_serve;
mod import;
mod import_pdf;
mod import_plain;
mod output_guard;
mod reader;
mod robustness;
mod search;
mod serve;
mod versions;
