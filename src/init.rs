//! `legbrief init`: a new site that builds at once.
//!
//! The starter files are written in both languages so a secretariat sees the
//! bilingual shape (same slug, same paragraph numbers, same topic ids) from day one.

use std::fs;
use std::io;
use std::path::Path;

const CONFIG: &str = include_str!("init/legbrief.toml");
const BRIEF_EN: &str = include_str!("init/example-brief.en.md");
const BRIEF_ZH: &str = include_str!("init/example-brief.zh-hk.md");

/// Creates a site in `dir`, which must be absent or empty: nothing is overwritten.
pub fn init(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a folder", dir.display()),
            ));
        }
        if fs::read_dir(dir)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is not empty; choose a new or empty folder", dir.display()),
            ));
        }
    }
    let briefs = dir.join("content").join("briefs");
    fs::create_dir_all(&briefs)?;
    fs::write(dir.join("legbrief.toml"), CONFIG)?;
    fs::write(briefs.join("example-brief.en.md"), BRIEF_EN)?;
    fs::write(briefs.join("example-brief.zh-hk.md"), BRIEF_ZH)?;
    fs::write(
        dir.join(".gitignore"),
        "/public/\n/public-term-*/\n# the lock file a build leaves beside its output, and what a killed build left\n/.public.legbrief-*\n/.public-term-*.legbrief-*\n",
    )?;
    Ok(())
}
