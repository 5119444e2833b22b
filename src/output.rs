//! Stage 6: writing the site to disk, atomically.
//!
//! The whole site is written into a hidden sibling of the output folder and only
//! then swapped into place, so readers of the old site and drafters whose build
//! failed never see a half-written site. A failed build removes its temporary
//! folder and leaves the previous output as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
}

/// The temporary sibling a build writes into before swapping.
fn staging_dir(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().to_string());
    output.with_file_name(format!(".{name}.legbrief-tmp"))
}

/// Writes `files` and the copied assets as the complete new contents of `output`.
pub fn write_site(output: &Path, files: &[OutputFile], copies: &[(PathBuf, String)]) -> io::Result<()> {
    let staging = staging_dir(output);
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    let result = write_all(&staging, files, copies).and_then(|()| swap_into_place(&staging, output));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[OutputFile], copies: &[(PathBuf, String)]) -> io::Result<()> {
    fs::create_dir_all(staging)?;
    // Create every folder first, in order, then write files in parallel.
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(copies.iter().map(|(_, p)| p.as_str()))
        .filter_map(|p| Path::new(p).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        fs::create_dir_all(staging.join(dir))?;
    }
    files
        .par_iter()
        .try_for_each(|f| fs::write(staging.join(&f.path), &f.contents))?;
    copies
        .par_iter()
        .try_for_each(|(from, to)| fs::copy(from, staging.join(to)).map(|_| ()))?;
    Ok(())
}

/// Replaces `output` with `staging`: the old output is moved aside first, so at
/// every instant one complete site is in place.
fn swap_into_place(staging: &Path, output: &Path) -> io::Result<()> {
    if output.exists() {
        let old = staging.with_extension("old");
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        fs::rename(output, &old)?;
        if let Err(e) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(e);
        }
        fs::remove_dir_all(&old)?;
    } else {
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(staging, output)?;
    }
    Ok(())
}
