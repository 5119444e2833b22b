//! Stage 6: writing the site to disk, atomically.
//!
//! The whole site is written into a hidden sibling of the output folder and only
//! then swapped into place, so readers of the old site and drafters whose build
//! failed never see a half-written site. A failed build removes its temporary
//! folder and leaves the previous output as it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    let staging = Staging::begin(output)?;
    let written = files
        .par_iter()
        .try_for_each(|f| staging.write(&f.path, &f.contents))
        .and_then(|()| copies.par_iter().try_for_each(|(from, to)| staging.copy(from, to)));
    match written {
        Ok(()) => staging.commit(),
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// A site being written file by file into the temporary sibling of its output
/// folder. A large site is written while it is rendered, so no build holds every
/// page in memory; only [`Staging::commit`] makes it the output.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders known to exist, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Starts a new staging folder for `output`, removing one a failed build left.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        let dir = staging_dir(output);
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            made: Mutex::new(HashSet::new()),
        })
    }

    /// The staging folder, for messages.
    pub fn folder(&self) -> &Path {
        &self.dir
    }

    /// Writes one file at `path` (relative, `/`-separated).
    pub fn write(&self, path: &str, contents: &[u8]) -> io::Result<()> {
        let target = self.dir.join(path);
        self.make_parent(&target)?;
        fs::write(target, contents)
    }

    /// Copies the file `from` to `to` (relative, `/`-separated).
    pub fn copy(&self, from: &Path, to: &str) -> io::Result<()> {
        let target = self.dir.join(to);
        self.make_parent(&target)?;
        fs::copy(from, target).map(|_| ())
    }

    fn make_parent(&self, target: &Path) -> io::Result<()> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        let known = self.made.lock().is_ok_and(|made| made.contains(parent));
        if !known {
            fs::create_dir_all(parent)?;
            if let Ok(mut made) = self.made.lock() {
                made.insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    /// Makes the staged site the output, atomically (see [`swap_into_place`]).
    pub fn commit(self) -> io::Result<()> {
        let result = swap_into_place(&self.dir, &self.output);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }

    /// Removes the staged files; the output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
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
