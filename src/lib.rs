//! legbrief: a static site generator for legislative committee background briefs.
//!
//! The build is a pipeline of stages, each a module that owns one step and hands
//! plain data to the next (see `ARCHITECTURE.md`):
//!
//! config → content → markdown → model → render (+ feeds) → output
//!
//! [`pipeline`] wires the stages for the `build` command.

pub mod archive;
pub mod body_links;
pub mod check;
pub mod config;
pub mod content;
pub mod date_forms;
pub mod diagnostics;
pub mod import;
pub mod init;
pub mod links;
pub mod markdown;
pub mod minify;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
pub mod toml_fields;
