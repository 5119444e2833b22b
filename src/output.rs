//! Stage 6: writing the site to disk, atomically, and only where legbrief may.
//!
//! A build replaces its output folder whole, so before anything is rendered
//! [`Target::check`] makes sure the folder is one legbrief may replace: absent,
//! empty, or marked as a legbrief output by the file [`MARKER`] at its root — and
//! never the site's folder, its sources, a folder holding them, or the home
//! folder, whatever it holds.
//!
//! The whole site is then written into a hidden sibling of the output folder,
//! unique to the build and marked too, and only then swapped into place, so
//! readers of the old site and drafters whose build failed never see a
//! half-written site. A lock file beside the output ([`Target::lock`]) keeps two
//! builds into one output from interleaving: the second waits for the first. On
//! Linux the swap is one atomic step (`renameat2` with `RENAME_EXCHANGE`), after
//! which the old tree, now under the temporary name, is removed; elsewhere it is
//! two renames, and a build interrupted between them is repaired by the next
//! build, which also removes the marked leftovers of killed builds.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
}

/// The file at the root of every output that names it a legbrief output.
pub const MARKER: &str = ".legbrief-output";

/// The marker's contents; a folder is ours if its marker starts with the first line.
pub const MARKER_TEXT: &str = "legbrief output\n\
This folder was written by legbrief, which replaces it whole at every build.\n\
Keep nothing else in it.\n";

/// The comment of every zip legbrief writes, by which it knows the zip is its own.
pub const ZIP_COMMENT: &str = "legbrief output";

/// The field of the errors that refuse an output folder, so a report can say
/// that nothing was written.
pub const OUTPUT_FIELD: &str = "--output";

/// The field of the errors that refuse a zip.
pub const ZIP_FIELD: &str = "--zip";

/// The field of the errors that refuse a `--changes` file.
pub const CHANGES_FIELD: &str = "--changes";

/// How the errors of a failed build left the output, for the report's last line.
pub fn after_failure(diags: &Diagnostics) -> &'static str {
    let mut errors = diags.iter().filter(|d| d.is_error()).peekable();
    if diags.iter().any(|d| d.message.contains(MOVED_ASIDE)) {
        "the previous output was moved aside (see above)"
    } else if diags
        .iter()
        .any(|d| d.message.contains(NEW_IN_PLACE) || d.message.contains(CHANGES_NOT_WRITTEN))
    {
        "the new output is in place (see above)"
    } else if errors.peek().is_some()
        && errors.all(|d| matches!(d.field.as_deref(), Some(OUTPUT_FIELD | ZIP_FIELD | CHANGES_FIELD)))
    {
        "nothing was written"
    } else {
        "the previous output is untouched"
    }
}

/// Words of the error of a swap cut between its two renames.
const MOVED_ASIDE: &str = "the previous output is now in";

/// Words of the error of a zip not written after its archive was put in place.
const NEW_IN_PLACE: &str = "the new archive is in place";

/// Words of the error of a `--changes` file not written after the swap.
const CHANGES_NOT_WRITTEN: &str = "the new output is in place, but the list of its changes";

/// The first line of [`MARKER_TEXT`], which a marker must start with.
fn marker_first_line() -> &'static [u8] {
    MARKER_TEXT
        .split_inclusive('\n')
        .next()
        .unwrap_or(MARKER_TEXT)
        .as_bytes()
}

/// Whether `folder` carries the marker of a legbrief output.
pub fn is_marked(folder: &Path) -> bool {
    let marker = folder.join(MARKER);
    fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file())
        && fs::read(&marker).is_ok_and(|text| text.starts_with(marker_first_line()))
}

/// `path` made absolute with `..`, `.` and symbolic links resolved. Of a path
/// that does not exist yet, its nearest existing ancestor is resolved and the
/// rest appended.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            // What is resolved so far has no links, so its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if let Ok(real) = fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

/// Why legbrief never replaces `output`, whatever it holds: it is or holds the
/// site's folder or its sources, or is or holds a home folder. All paths resolved.
fn protected(output: &Path, root: Option<&Path>, homes: &[PathBuf]) -> Option<String> {
    for home in homes {
        if output == home {
            return Some("it is the home folder".to_string());
        }
        if home.starts_with(output) {
            return Some(format!("it holds the home folder {}", home.display()));
        }
    }
    let root = root?;
    if output == root {
        return Some("it is the site's folder, which holds legbrief.toml and the sources".to_string());
    }
    if root.starts_with(output) {
        return Some(format!("it holds the site's folder {}", root.display()));
    }
    for (dir, holds) in [
        ("content", "the sources"),
        ("themes", "the themes"),
        ("seeds", "the briefs as published"),
        (".git", "the site's history"),
    ] {
        let lexical = root.join(dir);
        for folder in [fs::canonicalize(&lexical).ok(), Some(lexical)].into_iter().flatten() {
            if output == folder {
                return Some(format!("it is the site's {dir}/ folder, which holds {holds}"));
            }
            if output.starts_with(&folder) {
                return Some(format!("it is inside the site's {dir}/ folder, which holds {holds}"));
            }
            if folder.starts_with(output) {
                return Some(format!("it holds the site's {dir}/ folder"));
            }
        }
    }
    None
}

/// The home folders of the user running the build: `$HOME` and the one the
/// password database names, resolved.
fn home_folders() -> Vec<PathBuf> {
    let mut homes: Vec<PathBuf> = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .chain(password_home())
        .filter_map(|h| fs::canonicalize(h).ok())
        .collect();
    homes.dedup();
    homes
}

/// The home folder `/etc/passwd` gives the current user.
#[cfg(unix)]
fn password_home() -> Option<PathBuf> {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() }.to_string();
    let passwd = fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 6 && fields[2] == uid).then(|| PathBuf::from(fields[5]))
    })
}

#[cfg(not(unix))]
fn password_home() -> Option<PathBuf> {
    None
}

/// What is at an output's place now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Absent,
    Empty,
    /// A folder with the marker.
    Ours,
    /// A folder with other things in it.
    NotOurs,
    /// A file or something else that is not a folder.
    NotAFolder,
}

fn inspect(path: &Path) -> io::Result<Existing> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling symbolic link is replaced like an absent folder.
            return Ok(Existing::Absent);
        }
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(Existing::NotAFolder);
    }
    if is_marked(path) {
        return Ok(Existing::Ours);
    }
    if fs::read_dir(path)?.next().is_none() {
        Ok(Existing::Empty)
    } else {
        Ok(Existing::NotOurs)
    }
}

/// The help line of every refusal of an existing folder or zip.
const NOT_OURS_HELP: &str = "choose a new or empty folder with --output; if this is the output of an \
older legbrief (which wrote no marker), delete it once by hand and build again";

/// An output folder checked to be one legbrief may replace.
#[derive(Debug, Clone)]
pub struct Target {
    /// As the user gave it, for messages.
    given: PathBuf,
    /// Resolved: absolute, without `..` or symbolic links.
    path: PathBuf,
}

impl Target {
    /// Checks that `output` may be replaced by a build of the site in `root`,
    /// without writing anything: refuses the site's folder, its sources and any
    /// folder holding them, the home folder, and an existing folder that is not
    /// empty and has no marker.
    pub fn check(root: &Path, output: &Path) -> Result<Target, Diagnostic> {
        Target::check_with(root, output, &home_folders())
    }

    fn check_with(root: &Path, output: &Path, homes: &[PathBuf]) -> Result<Target, Diagnostic> {
        let path = resolve(output).map_err(|e| {
            Diagnostic::error(format!("cannot find where {} is: {e}", output.display())).field(OUTPUT_FIELD)
        })?;
        let target = Target {
            given: output.to_path_buf(),
            path,
        };
        let root = fs::canonicalize(root).ok();
        if let Some(reason) = protected(&target.path, root.as_deref(), homes) {
            return Err(target
                .refusal(&format!("{reason}, and a build replaces its output folder whole"))
                .help(
                    "build into a folder of its own: leave out --output for public/ in the site's folder, \
                 or name a new or empty folder",
                ));
        }
        target.verify_owned()?;
        Ok(target)
    }

    /// Refuses the output unless it is absent, empty or marked.
    fn verify_owned(&self) -> Result<(), Diagnostic> {
        match inspect(&self.path) {
            Ok(Existing::Absent | Existing::Empty | Existing::Ours) => Ok(()),
            Ok(Existing::NotOurs) => Err(self
                .refusal(&format!(
                    "it is not empty and legbrief did not write it (it has no {MARKER} file); \
                     a build replaces its output folder whole"
                ))
                .help(NOT_OURS_HELP)),
            Ok(Existing::NotAFolder) => Err(self
                .refusal("it is a file, not a folder")
                .help("choose a new or empty folder with --output")),
            Err(e) => Err(Diagnostic::error(format!("cannot read {}: {e}", self.describe())).field(OUTPUT_FIELD)),
        }
    }

    fn refusal(&self, reason: &str) -> Diagnostic {
        Diagnostic::error(format!("refusing to build into {}: {reason}", self.describe())).field(OUTPUT_FIELD)
    }

    /// `public (/srv/site/public)`, or the path once when it was given resolved.
    fn describe(&self) -> String {
        if self.given == self.path {
            self.path.display().to_string()
        } else {
            format!("{} ({})", self.given.display(), self.path.display())
        }
    }

    /// The resolved output folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The output folder's name, e.g. `public-term-7`.
    pub fn name(&self) -> String {
        self.path
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().to_string())
    }

    fn parent(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }

    fn sibling(&self, suffix: &str) -> PathBuf {
        self.parent().join(format!(".{}.legbrief-{suffix}", self.name()))
    }

    /// The lock file beside the output; it stays, empty, between builds.
    pub fn lock_file(&self) -> PathBuf {
        self.sibling("lock")
    }

    /// Where the two-rename swap keeps the old output between its renames.
    fn aside(&self) -> PathBuf {
        self.sibling("aside")
    }

    /// The prefix of every build's temporary folder.
    fn temp_prefix(&self) -> String {
        format!(".{}.legbrief-tmp-", self.name())
    }

    /// Checks that the zip at `zip` may be replaced: absent, or a zip legbrief wrote.
    pub fn check_zip(zip: &Path) -> Result<(), Diagnostic> {
        let refusal = |reason: &str| {
            Diagnostic::error(format!("refusing to replace {}: {reason}", zip.display()))
                .field(ZIP_FIELD)
                .help(
                    "move it away or choose another --output (the zip is written beside it); if it \
                     is a zip of an older legbrief (which wrote no marker), delete it once by hand",
                )
        };
        match fs::metadata(zip) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Diagnostic::error(format!("cannot read {}: {e}", zip.display())).field(ZIP_FIELD)),
            Ok(meta) if !meta.is_file() => Err(refusal("it is not a file")),
            Ok(_) if zip_is_ours(zip) => Ok(()),
            Ok(_) => Err(refusal("legbrief did not write it (it lacks legbrief's zip comment)")),
        }
    }

    /// Takes the output's lock, waiting (with a message) while another build
    /// holds it; then repairs what an interrupted build left, removes the marked
    /// leftovers of killed builds, and checks the output again. The lock is held
    /// until the returned [`Lock`] is dropped.
    pub fn lock(&self) -> Result<Lock, Diagnostic> {
        let io_error = |what: &str, path: &Path, e: io::Error| {
            Diagnostic::error(format!("cannot {what} {}: {e}", path.display())).field(OUTPUT_FIELD)
        };
        fs::create_dir_all(self.parent()).map_err(|e| io_error("create", self.parent(), e))?;
        let lock_path = self.lock_file();
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error("create the lock file", &lock_path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another build into {}/ to finish…",
                    self.given.display().to_string().trim_end_matches('/')
                );
                file.lock().map_err(|e| io_error("lock", &lock_path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", &lock_path, e)),
        }
        let notes = self.recover();
        self.verify_owned()?;
        Ok(Lock { _file: file, notes })
    }

    /// Repairs an output left by an interrupted build, holding the lock: puts back
    /// an old output moved aside by a two-rename swap cut between its renames, and
    /// removes every build's temporary folder that carries the marker (or is empty).
    fn recover(&self) -> Diagnostics {
        let mut notes = Diagnostics::new();
        let aside = self.aside();
        if fs::symlink_metadata(&aside).is_ok() && matches!(inspect(&aside), Ok(Existing::Ours | Existing::Empty)) {
            if fs::symlink_metadata(&self.path).is_err() {
                match fs::rename(&aside, &self.path) {
                    Ok(()) => notes.push(Diagnostic::warning(format!(
                        "put back the output {} from {}, where an interrupted build had left it",
                        self.path.display(),
                        aside.display()
                    ))),
                    Err(e) => notes.push(Diagnostic::warning(format!(
                        "an interrupted build left the output in {}; cannot put it back: {e}",
                        aside.display()
                    ))),
                }
            } else if let Err(e) = remove_tree(&aside) {
                notes.push(self.not_removed(&aside, &e));
            }
        }
        let prefix = self.temp_prefix();
        let Ok(entries) = fs::read_dir(self.parent()) else {
            return notes;
        };
        for entry in entries.flatten() {
            let leftover = entry.path();
            if !entry.file_name().to_string_lossy().starts_with(&prefix) || !entry.file_type().is_ok_and(|t| t.is_dir())
            {
                continue;
            }
            let removed = if is_marked(&leftover) {
                remove_tree(&leftover)
            } else {
                // Killed before its marker was written: only an empty one is ours.
                fs::remove_dir(&leftover).or(Ok(()))
            };
            if let Err(e) = removed {
                notes.push(self.not_removed(&leftover, &e));
            }
        }
        notes
    }

    fn not_removed(&self, path: &Path, e: &io::Error) -> Diagnostic {
        Diagnostic::warning(format!(
            "cannot remove {}, an earlier build of {} left it: {e}",
            path.display(),
            self.path.display()
        ))
        .help("remove it by hand")
    }
}

/// Checks, before anything is rendered, that the list of changes may be
/// written at `path`: not inside the output (the list is about the output, and
/// the output is replaced whole), not one of the files legbrief keeps beside
/// it, not the config nor inside the sources of the site in `root`, not a
/// folder, and in a folder that exists. Returns the path resolved.
pub fn check_changes_file(root: &Path, target: &Target, path: &Path) -> Result<PathBuf, Diagnostic> {
    let refusal = |reason: &str| {
        Diagnostic::error(format!(
            "refusing to write the list of changes to {}: {reason}",
            path.display()
        ))
        .field(CHANGES_FIELD)
    };
    let resolved = resolve(path).map_err(|e| refusal(&format!("cannot find where it is: {e}")))?;
    if resolved.starts_with(&target.path) {
        return Err(refusal(&format!(
            "it is inside the output {}, which a build replaces whole",
            target.describe()
        ))
        .help("name a file outside the output folder, e.g. beside it"));
    }
    let root = fs::canonicalize(root).ok();
    if let Some(reason) = protected(&resolved, root.as_deref(), &[]) {
        return Err(refusal(&reason).help("name a file outside the site's sources, e.g. beside the output"));
    }
    if root.is_some_and(|root| resolved == root.join("legbrief.toml")) {
        return Err(refusal("it is the site's config").help("name another file, e.g. beside the output"));
    }
    let name = resolved
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    if resolved.parent() == Some(target.parent()) && name.starts_with(&format!(".{}.legbrief-", target.name())) {
        return Err(refusal("legbrief keeps that name beside the output for itself").help("name another file"));
    }
    if fs::metadata(&resolved).is_ok_and(|m| m.is_dir()) {
        return Err(refusal("it is a folder").help("name a file, e.g. changes.txt"));
    }
    if !resolved.parent().is_some_and(Path::is_dir) {
        return Err(refusal("its folder does not exist").help("create the folder first, or name a file in one"));
    }
    Ok(resolved)
}

/// Writes the list of `changes` to `path` (checked by [`check_changes_file`])
/// atomically: beside it first, then renamed over it.
pub fn write_changes(path: &Path, changes: &Changes) -> Result<(), Diagnostic> {
    let name = path
        .file_name()
        .map_or_else(|| "changes".into(), |n| n.to_string_lossy().to_string());
    let temp = path.with_file_name(format!(".{name}.legbrief-tmp-{}", std::process::id()));
    let written = fs::write(&temp, changes.lines()).and_then(|()| fs::rename(&temp, path));
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        Diagnostic::error(format!(
            "{CHANGES_NOT_WRITTEN} cannot be written to {}: {e}",
            path.display()
        ))
    })
}

/// Whether the zip at `path` carries legbrief's comment.
fn zip_is_ours(path: &Path) -> bool {
    fs::File::open(path)
        .ok()
        .and_then(|file| zip::ZipArchive::new(file).ok())
        .is_some_and(|archive| archive.comment() == ZIP_COMMENT.as_bytes())
}

/// The lock on an output, held by a build from before it writes until it is done.
pub struct Lock {
    _file: fs::File,
    notes: Diagnostics,
}

impl Lock {
    /// Warnings about what the lock's recovery repaired or could not remove.
    pub fn notes(&self) -> Diagnostics {
        self.notes.clone()
    }
}

/// Writes a zip beside the zip at `path` with `write`, to be put in place by
/// [`StagedZip::commit`] once its archive is, so a reader never sees half a file;
/// refuses a zip legbrief did not write. Call it holding the lock of the output
/// the zip belongs to.
pub fn stage_zip_with(
    path: &Path,
    _lock: &Lock,
    write: impl FnOnce(fs::File) -> io::Result<()>,
) -> Result<StagedZip, Diagnostic> {
    Target::check_zip(path)?;
    let name = path
        .file_name()
        .map_or_else(|| "archive.zip".into(), |n| n.to_string_lossy().to_string());
    let n = STAGINGS.fetch_add(1, Ordering::Relaxed);
    let staged = StagedZip {
        temp: path.with_file_name(format!(".{name}.legbrief-tmp-{}-{n}", std::process::id())),
        path: path.to_path_buf(),
    };
    fs::File::create(&staged.temp)
        .and_then(write)
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", staged.temp.display())))?;
    Ok(staged)
}

/// A zip written beside its place; dropped uncommitted, it is removed.
pub struct StagedZip {
    temp: PathBuf,
    path: PathBuf,
}

impl StagedZip {
    /// Puts the zip in place, replacing the previous one in one step.
    pub fn commit(self) -> Result<(), Diagnostic> {
        fs::rename(&self.temp, &self.path).map_err(|e| {
            Diagnostic::error(format!(
                "{NEW_IN_PLACE}, but its zip cannot be put at {}: {e}",
                self.path.display()
            ))
        })
    }
}

impl Drop for StagedZip {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.temp);
    }
}

/// Every regular file under `dir` but markers, by `/`-separated relative path,
/// sorted. Symbolic links are neither followed nor listed.
fn files_under(dir: &Path) -> io::Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() || entry.file_name() == MARKER {
            continue;
        }
        if let Ok(relative) = entry.path().strip_prefix(dir) {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect();
            files.push(parts.join("/"));
        }
    }
    files.sort_unstable();
    Ok(files)
}

/// Counts the staging folders of this process, so each build's is its own.
static STAGINGS: AtomicUsize = AtomicUsize::new(0);

/// A site being written file by file into the temporary sibling of its output
/// folder. A large site is written while it is rendered, so no build holds every
/// page in memory; only [`Staging::commit`] makes it the output.
pub struct Staging<'a> {
    target: &'a Target,
    dir: PathBuf,
    /// The output this build replaces, when legbrief wrote it: each file whose
    /// bytes are unchanged is hard-linked from it rather than written again.
    previous: Option<PathBuf>,
    /// Cleared at the first link the file system refuses (another file system,
    /// or one without hard links): every later file is written.
    linking: AtomicBool,
    /// What each file written so far is against the previous output, by path.
    seen: Mutex<HashMap<String, Change>>,
    /// Folders known to exist, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    /// Set once the folder is the output or removed, so dropping leaves it be.
    done: bool,
}

/// What a file of the new output is against the previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Changed,
    Same,
}

/// What a build changed against the output it replaced: the paths (relative to
/// the output's root, `/`-separated, sorted) of the files it added, changed and
/// removed. Markers are not counted: they are legbrief's, not the site's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// There was no previous output (absent or empty): every file is added.
    pub first_build: bool,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Files whose bytes are the previous output's.
    pub unchanged: usize,
}

impl Changes {
    /// `first build, 120 files` or `3 files added, 1 changed, 0 removed`.
    pub fn summary(&self) -> String {
        if self.first_build {
            let n = self.added.len();
            return format!("first build, {n} file{}", if n == 1 { "" } else { "s" });
        }
        format!(
            "{} file{} added, {} changed, {} removed",
            self.added.len(),
            if self.added.len() == 1 { "" } else { "s" },
            self.changed.len(),
            self.removed.len()
        )
    }

    /// One line per file, `A path`, `M path` or `D path`, sorted by path.
    pub fn lines(&self) -> String {
        let mut all: Vec<(&str, char)> = self
            .added
            .iter()
            .map(|p| (p.as_str(), 'A'))
            .chain(self.changed.iter().map(|p| (p.as_str(), 'M')))
            .chain(self.removed.iter().map(|p| (p.as_str(), 'D')))
            .collect();
        all.sort_unstable();
        let mut text = String::new();
        for (path, letter) in all {
            text.push(letter);
            text.push(' ');
            text.push_str(path);
            text.push('\n');
        }
        text
    }
}

/// Whether the file at `path` holds exactly `contents`.
fn same_bytes(path: &Path, contents: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut buffer = vec![0; 64 * 1024];
    let mut rest = contents;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty(),
            Ok(n) => {
                if n > rest.len() || buffer[..n] != rest[..n] {
                    return false;
                }
                rest = &rest[n..];
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Whether the files `a` and `b` hold the same bytes (their sizes known equal).
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut x, mut y) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = match a.read(&mut x) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if n == 0 {
            return matches!(b.read(&mut y[..1]), Ok(0));
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// Creates the file at `path`, which must be new: a file already there (which
/// may be a hard link into the previous output) is unlinked first, never
/// written through.
fn create_new(path: &Path) -> io::Result<fs::File> {
    let open = || fs::OpenOptions::new().write(true).create_new(true).open(path);
    match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()
        }
        opened => opened,
    }
}

/// Whether a refused hard link means the file system will refuse every one:
/// another file system, or one without hard links.
fn links_unsupported(e: &io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return matches!(code, libc::EXDEV | libc::EPERM | libc::EOPNOTSUPP | libc::ENOSYS);
    }
    matches!(e.kind(), io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied)
}

impl<'a> Staging<'a> {
    /// Starts a new staging folder for the locked `target`, marked from the start.
    pub fn begin(target: &'a Target, _lock: &'a Lock) -> Result<Staging<'a>, Diagnostic> {
        let n = STAGINGS.fetch_add(1, Ordering::Relaxed);
        let dir = target
            .parent()
            .join(format!("{}{}-{n}", target.temp_prefix(), std::process::id()));
        // Held under the lock, so the previous output stays as it is meanwhile.
        let previous = matches!(inspect(&target.path), Ok(Existing::Ours)).then(|| target.path.clone());
        let mut staging = Staging {
            target,
            dir,
            previous,
            linking: AtomicBool::new(true),
            seen: Mutex::new(HashMap::new()),
            made: Mutex::new(HashSet::new()),
            done: true,
        };
        fs::create_dir(&staging.dir).map_err(|e| staging.write_error(&e))?;
        staging.done = false;
        staging
            .write(MARKER, MARKER_TEXT.as_bytes())
            .map_err(|e| staging.write_error(&e))?;
        Ok(staging)
    }

    /// The staging folder, for messages.
    pub fn folder(&self) -> &Path {
        &self.dir
    }

    /// A failed write or copy, as the error a user sees.
    pub fn write_error(&self, e: &io::Error) -> Diagnostic {
        Diagnostic::error(format!("cannot write the site to {}: {e}", self.dir.display()))
    }

    /// Writes one file at `path` (relative, `/`-separated); when the previous
    /// output holds the same bytes there, hard-links its file instead, keeping
    /// its inode and modification time.
    pub fn write(&self, path: &str, contents: &[u8]) -> io::Result<()> {
        let target = self.dir.join(path);
        self.make_parent(&target)?;
        let change = match self.previous_file(path) {
            None => Change::Added,
            Some((old, meta)) if meta.len() == contents.len() as u64 && same_bytes(&old, contents) => {
                if self.link(&old, &target)? {
                    self.record(path, Change::Same);
                    return Ok(());
                }
                Change::Same
            }
            Some(_) => Change::Changed,
        };
        io::Write::write_all(&mut create_new(&target)?, contents)?;
        self.record(path, change);
        Ok(())
    }

    /// Creates the file at `path` (relative, `/`-separated), for a file written a
    /// piece at a time; once it is closed, [`Staging::finish`] links the previous
    /// output's file in its place if the bytes are the same.
    pub fn create(&self, path: &str) -> io::Result<fs::File> {
        let target = self.dir.join(path);
        self.make_parent(&target)?;
        create_new(&target)
    }

    /// For a file made with [`Staging::create`] and closed: when the previous
    /// output holds the same bytes at `path`, puts a hard link to its file in
    /// place of the one written (link beside it, then rename over it).
    pub fn finish(&self, path: &str) -> io::Result<()> {
        let target = self.dir.join(path);
        let Some((old, meta)) = self.previous_file(path) else {
            self.record(path, Change::Added);
            return Ok(());
        };
        let same = fs::metadata(&target).is_ok_and(|m| m.len() == meta.len()) && same_files(&old, &target);
        if !same {
            self.record(path, Change::Changed);
            return Ok(());
        }
        let name = target
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        let beside = target.with_file_name(format!(".{name}.legbrief-link"));
        if self.link(&old, &beside)?
            && let Err(e) = fs::rename(&beside, &target)
        {
            let _ = fs::remove_file(&beside);
            return Err(e);
        }
        self.record(path, Change::Same);
        Ok(())
    }

    /// Copies the file `from` to `to` (relative, `/`-separated); when the
    /// previous output holds the same bytes with the same permissions there,
    /// hard-links its file instead.
    pub fn copy(&self, from: &Path, to: &str) -> io::Result<()> {
        let target = self.dir.join(to);
        self.make_parent(&target)?;
        let source = fs::metadata(from)?;
        let change = match self.previous_file(to) {
            None => Change::Added,
            Some((old, meta))
                if meta.len() == source.len()
                    && meta.permissions() == source.permissions()
                    && same_files(&old, from) =>
            {
                if self.link(&old, &target)? {
                    self.record(to, Change::Same);
                    return Ok(());
                }
                Change::Same
            }
            Some(_) => Change::Changed,
        };
        // `fs::copy` truncates a file already there: never one linked in.
        match fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        fs::copy(from, &target)?;
        self.record(to, change);
        Ok(())
    }

    /// The previous output's regular file at `path` (not a link), if any.
    fn previous_file(&self, path: &str) -> Option<(PathBuf, fs::Metadata)> {
        let old = self.previous.as_ref()?.join(path);
        let meta = fs::symlink_metadata(&old).ok()?;
        meta.is_file().then_some((old, meta))
    }

    /// Hard-links `old` (a file of the previous output) at `new` in the staging
    /// folder. `Ok(false)` when the file system refuses, so the caller writes
    /// the file instead; after a refusal that will recur, no link is tried again.
    fn link(&self, old: &Path, new: &Path) -> io::Result<bool> {
        if !self.linking.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let mut result = fs::hard_link(old, new);
        if matches!(&result, Err(e) if e.kind() == io::ErrorKind::AlreadyExists) {
            fs::remove_file(new)?;
            result = fs::hard_link(old, new);
        }
        match result {
            Ok(()) => Ok(true),
            Err(e) => {
                if links_unsupported(&e) {
                    self.linking.store(false, Ordering::Relaxed);
                }
                Ok(false)
            }
        }
    }

    fn record(&self, path: &str, change: Change) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path.to_string(), change);
        }
    }

    /// What the staged site changes against the previous output: every staged
    /// file by what was recorded as it was written (or, for one written
    /// otherwise, by comparing bytes), and every file of the previous output
    /// the staged site lacks. Markers are left out.
    pub fn changes(&self) -> io::Result<Changes> {
        let seen = self.seen.lock().map(|seen| seen.clone()).unwrap_or_default();
        let mut changes = Changes {
            first_build: self.previous.is_none(),
            ..Changes::default()
        };
        let staged = files_under(&self.dir)?;
        for path in &staged {
            let change = match seen.get(path) {
                Some(change) => *change,
                None => match self.previous_file(path) {
                    None => Change::Added,
                    Some((old, meta)) => {
                        let new = self.dir.join(path);
                        if fs::metadata(&new).is_ok_and(|m| m.len() == meta.len()) && same_files(&old, &new) {
                            Change::Same
                        } else {
                            Change::Changed
                        }
                    }
                },
            };
            match change {
                Change::Added => changes.added.push(path.clone()),
                Change::Changed => changes.changed.push(path.clone()),
                Change::Same => changes.unchanged += 1,
            }
        }
        if let Some(previous) = &self.previous {
            let staged: HashSet<&String> = staged.iter().collect();
            changes.removed = files_under(previous)?
                .into_iter()
                .filter(|path| !staged.contains(path))
                .collect();
        }
        Ok(changes)
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

    /// Makes the staged site the output (see [`swap_into_place`]). Returns what
    /// changed against the previous output, and warnings: the new site is in
    /// place but the old could not be removed. On an error the staged site is
    /// removed.
    pub fn commit(self) -> Result<Committed, Diagnostic> {
        let changes = self.compare()?;
        self.commit_with(changes)
    }

    /// [`Staging::changes`], as the error a user sees.
    pub fn compare(&self) -> Result<Changes, Diagnostic> {
        self.changes().map_err(|e| {
            Diagnostic::error(format!(
                "cannot compare the new site in {} with the previous output {}: {e}",
                self.dir.display(),
                self.target.path.display()
            ))
        })
    }

    /// [`Staging::commit`] with the `changes` [`Staging::compare`] found.
    pub fn commit_with(mut self, changes: Changes) -> Result<Committed, Diagnostic> {
        self.done = true;
        let result = swap_into_place(&self.dir, &self.target.path, &self.target.aside());
        let committed = |warnings| Committed { warnings, changes };
        match result {
            Ok(Swapped::Fresh) => Ok(committed(Diagnostics::new())),
            Ok(Swapped::Replaced { old }) => Ok(committed(match remove_tree(&old) {
                Ok(()) => Diagnostics::new(),
                Err(e) => Diagnostics::from_iter([Diagnostic::warning(format!(
                    "the new site is in place in {}, but the previous output, now in {}, cannot be \
                     removed: {e}",
                    self.target.path.display(),
                    old.display()
                ))
                .help("the next build removes it; or remove it by hand")]),
            })),
            Err(SwapError::Untouched(e)) => {
                let _ = remove_tree(&self.dir);
                Err(Diagnostic::error(format!(
                    "cannot put the new site in place of {}: {e}",
                    self.target.path.display()
                )))
            }
            Err(SwapError::MovedAside { aside, error }) => {
                let _ = remove_tree(&self.dir);
                Err(Diagnostic::error(format!(
                    "cannot put the new site in place of {}: {error}; {MOVED_ASIDE} {}, and the next \
                     build puts it back",
                    self.target.path.display(),
                    aside.display()
                )))
            }
        }
    }

    /// Removes the staged files; the output stays as it was.
    pub fn abandon(mut self) {
        self.done = true;
        let _ = remove_tree(&self.dir);
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// What [`Staging::commit`] did: the new site is in place.
#[derive(Debug)]
pub struct Committed {
    /// The previous output could not be removed.
    pub warnings: Diagnostics,
    /// What changed against the previous output.
    pub changes: Changes,
}

/// How the new site got into place.
#[derive(Debug, PartialEq, Eq)]
enum Swapped {
    /// There was no output before.
    Fresh,
    /// The previous output is now at `old`, to be removed.
    Replaced { old: PathBuf },
}

#[derive(Debug)]
enum SwapError {
    /// Nothing changed: the previous output is in place.
    Untouched(io::Error),
    /// The previous output was moved to `aside` and could not be moved back.
    MovedAside { aside: PathBuf, error: io::Error },
}

/// Puts `staging` in place of `output`. An existing output is exchanged with the
/// staged site in one step where the system can ([`exchange`]), else moved to
/// `aside` first, so at every instant one complete site is in place or aside.
fn swap_into_place(staging: &Path, output: &Path, aside: &Path) -> Result<Swapped, SwapError> {
    if fs::symlink_metadata(output).is_err() {
        fs::rename(staging, output).map_err(SwapError::Untouched)?;
        return Ok(Swapped::Fresh);
    }
    if exchange(staging, output).map_err(SwapError::Untouched)? {
        return Ok(Swapped::Replaced {
            old: staging.to_path_buf(),
        });
    }
    swap_by_renames(staging, output, aside)
}

/// The swap in two renames, for systems without an atomic exchange: a build cut
/// between them leaves the old output in `aside`, which the next build puts back
/// ([`Target::lock`]).
fn swap_by_renames(staging: &Path, output: &Path, aside: &Path) -> Result<Swapped, SwapError> {
    fs::rename(output, aside).map_err(SwapError::Untouched)?;
    match fs::rename(staging, output) {
        Ok(()) => Ok(Swapped::Replaced {
            old: aside.to_path_buf(),
        }),
        Err(error) => match fs::rename(aside, output) {
            Ok(()) => Err(SwapError::Untouched(error)),
            Err(_) => Err(SwapError::MovedAside {
                aside: aside.to_path_buf(),
                error,
            }),
        },
    }
}

/// Exchanges the folders `a` and `b` atomically. `Ok(false)` when the system or
/// file system cannot, so the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(error),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes a tree legbrief wrote, its marker last, so a removal cut short leaves
/// a tree the next build still knows as its own.
fn remove_tree(dir: &Path) -> io::Result<()> {
    match remove_entries(dir, 2, true) {
        Err(e) if e.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(dir).is_err() => return Ok(()),
        removed => removed?,
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Removes what `dir` holds (but its marker when `keep_marker`), the folders of
/// its first `depth` levels in parallel, as a site's tree of thousands of files
/// is removed at every build; symbolic links are removed, never followed.
fn remove_entries(dir: &Path, depth: usize, keep_marker: bool) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries
        .par_iter()
        .filter(|entry| !(keep_marker && entry.file_name() == MARKER))
        .try_for_each(|entry| {
            let path = entry.path();
            if !entry.file_type()?.is_dir() {
                fs::remove_file(path)
            } else if depth > 0 {
                remove_entries(&path, depth - 1, false)?;
                fs::remove_dir(path)
            } else {
                fs::remove_dir_all(path)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn mark(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
    }

    /// A site folder with the folders the guard protects.
    fn site(tmp: &Path) -> PathBuf {
        let root = tmp.join("site");
        for dir in ["content/briefs", "themes", "seeds"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("legbrief.toml"), "").unwrap();
        root.canonicalize().unwrap()
    }

    fn refused(root: &Path, output: &Path, homes: &[PathBuf]) -> String {
        match Target::check_with(root, output, homes) {
            Ok(t) => panic!("{} was accepted", t.path.display()),
            Err(d) => {
                assert_eq!(d.field.as_deref(), Some(OUTPUT_FIELD));
                d.message
            }
        }
    }

    #[test]
    fn resolves_relative_dotdot_trailing_slash_and_missing_tails() {
        let tmp = temp();
        let base = tmp.path().canonicalize().unwrap();
        fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(resolve(&base.join("a/b/../b/")).unwrap(), base.join("a/b"));
        assert_eq!(resolve(&base.join("a/new/deeper")).unwrap(), base.join("a/new/deeper"));
        assert_eq!(resolve(&base.join("a/new/../b")).unwrap(), base.join("a/b"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
            assert_eq!(resolve(&base.join("link")).unwrap(), base.join("a/b"));
            assert_eq!(resolve(&base.join("link/new")).unwrap(), base.join("a/b/new"));
        }
    }

    #[test]
    fn sources_site_root_and_their_ancestors_are_refused_whatever_the_marker() {
        let tmp = temp();
        let root = site(tmp.path());
        for (output, why) in [
            (root.clone(), "the site's folder"),
            (root.join("content"), "the site's content/ folder"),
            (root.join("content/briefs"), "inside the site's content/ folder"),
            (root.join("content/briefs/../"), "the site's content/ folder"),
            (root.join("themes"), "the site's themes/ folder"),
            (root.join("seeds/new"), "inside the site's seeds/ folder"),
            (root.parent().unwrap().to_path_buf(), "it holds the site's folder"),
            (PathBuf::from("/"), "it holds the site's folder"),
        ] {
            mark(&root.join("content"));
            mark(&root);
            let message = refused(&root, &output, &[]);
            assert!(message.contains(why), "{}: {message}", output.display());
        }
    }

    #[test]
    fn a_symlink_to_the_sources_is_refused() {
        let tmp = temp();
        let root = site(tmp.path());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), tmp.path().join("out")).unwrap();
            let message = refused(&root, &tmp.path().join("out"), &[]);
            assert!(message.contains("content/ folder"), "{message}");
        }
    }

    #[test]
    fn home_folders_and_their_ancestors_are_refused_even_marked_or_empty() {
        let tmp = temp();
        let root = site(tmp.path());
        let home = tmp.path().canonicalize().unwrap().join("home/user");
        fs::create_dir_all(&home).unwrap();
        let homes = [home.clone()];
        assert!(refused(&root, &home, &homes).contains("it is the home folder"));
        mark(&home);
        assert!(refused(&root, &home, &homes).contains("it is the home folder"));
        assert!(refused(&root, home.parent().unwrap(), &homes).contains("it holds the home folder"));
        assert!(Target::check_with(&root, &home.join("public"), &homes).is_ok());
    }

    #[test]
    fn absent_empty_and_marked_folders_are_accepted_others_refused() {
        let tmp = temp();
        let root = site(tmp.path());
        let out = tmp.path().join("out");
        assert!(Target::check_with(&root, &out, &[]).is_ok(), "absent");
        fs::create_dir(&out).unwrap();
        assert!(Target::check_with(&root, &out, &[]).is_ok(), "empty");
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let message = refused(&root, &out, &[]);
        assert!(message.contains("legbrief did not write it"), "{message}");
        fs::write(out.join(MARKER), "something else\n").unwrap();
        refused(&root, &out, &[]);
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(Target::check_with(&root, &out, &[]).is_ok(), "marked");
        let file = tmp.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(refused(&root, &file, &[]).contains("it is a file"));
    }

    #[test]
    fn zips_are_replaced_only_when_legbrief_wrote_them() {
        let tmp = temp();
        let zip = tmp.path().join("a.zip");
        assert!(Target::check_zip(&zip).is_ok());
        fs::write(&zip, "not a zip").unwrap();
        assert!(Target::check_zip(&zip).is_err());
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer.set_comment(ZIP_COMMENT).unwrap();
        fs::write(&zip, writer.finish().unwrap().into_inner()).unwrap();
        assert!(Target::check_zip(&zip).is_ok());
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let tmp = temp();
        let root = site(tmp.path());
        let target = Target::check_with(&root, &tmp.path().join("out"), &[]).unwrap();
        let lock = target.lock().unwrap();
        let other = fs::OpenOptions::new().write(true).open(target.lock_file()).unwrap();
        assert!(matches!(other.try_lock(), Err(fs::TryLockError::WouldBlock)));
        drop(lock);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn each_build_stages_in_its_own_marked_folder_and_swaps_atomically() {
        let tmp = temp();
        let root = site(tmp.path());
        let target = Target::check_with(&root, &tmp.path().join("out"), &[]).unwrap();
        let lock = target.lock().unwrap();
        let one = Staging::begin(&target, &lock).unwrap();
        let two = Staging::begin(&target, &lock).unwrap();
        assert_ne!(one.folder(), two.folder());
        assert!(is_marked(one.folder()));
        two.abandon();
        one.write("index.html", b"one").unwrap();
        assert!(one.commit().unwrap().warnings.is_empty());
        let three = Staging::begin(&target, &lock).unwrap();
        three.write("index.html", b"three").unwrap();
        assert!(three.commit().unwrap().warnings.is_empty());
        assert_eq!(fs::read(target.path().join("index.html")).unwrap(), b"three");
        assert!(is_marked(target.path()));
        drop(lock);
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, [".out.legbrief-lock", "out", "site"]);
    }

    #[test]
    fn the_two_rename_swap_keeps_one_site_in_place_or_aside() {
        let tmp = temp();
        let (new, output, aside) = (tmp.path().join("new"), tmp.path().join("out"), tmp.path().join("aside"));
        mark(&new);
        mark(&output);
        fs::write(output.join("old"), "").unwrap();
        assert_eq!(
            swap_by_renames(&new, &output, &aside).unwrap(),
            Swapped::Replaced { old: aside.clone() }
        );
        assert!(aside.join("old").exists() && !output.join("old").exists());
        // A staged site that is gone: the old output is put back.
        assert!(matches!(
            swap_by_renames(&tmp.path().join("gone"), &output, &tmp.path().join("aside2")),
            Err(SwapError::Untouched(_))
        ));
        assert!(is_marked(&output));
    }

    #[test]
    fn an_interrupted_swap_is_put_back_and_marked_leftovers_removed() {
        let tmp = temp();
        let root = site(tmp.path());
        let target = Target::check_with(&root, &tmp.path().join("out"), &[]).unwrap();
        // Cut between the two renames: no output, the old one aside.
        mark(&target.aside());
        fs::write(target.aside().join("index.html"), "old").unwrap();
        // Killed builds: a marked staging folder, an empty one, and an unmarked one.
        let marked = tmp.path().join(".out.legbrief-tmp-1-0");
        mark(&marked.join("en"));
        fs::write(marked.join(MARKER), MARKER_TEXT).unwrap();
        let empty = tmp.path().join(".out.legbrief-tmp-2-0");
        fs::create_dir(&empty).unwrap();
        let foreign = tmp.path().join(".out.legbrief-tmp-3-0");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep"), "").unwrap();
        let lock = target.lock().unwrap();
        assert_eq!(fs::read_to_string(target.path().join("index.html")).unwrap(), "old");
        assert!(lock.notes().iter().any(|d| d.message.contains("put back the output")));
        assert!(!target.aside().exists() && !marked.exists() && !empty.exists());
        assert!(foreign.join("keep").exists(), "an unmarked folder is not ours");
        drop(lock);
        // Both trees there: the aside one is the stale old output.
        mark(&target.aside());
        let lock = target.lock().unwrap();
        assert!(!target.aside().exists());
        assert!(target.path().join("index.html").exists());
        drop(lock);
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_output_and_never_written_through() {
        let tmp = temp();
        let root = site(tmp.path());
        let target = Target::check_with(&root, &tmp.path().join("out"), &[]).unwrap();
        let lock = target.lock().unwrap();
        let first = Staging::begin(&target, &lock).unwrap();
        for (path, text) in [
            ("a.html", "same"),
            ("b/c.html", "old"),
            ("gone.html", "x"),
            ("d.csv", "rows"),
        ] {
            first.write(path, text.as_bytes()).unwrap();
        }
        let asset = tmp.path().join("asset.txt");
        fs::write(&asset, "asset").unwrap();
        first.copy(&asset, "files/asset.txt").unwrap();
        let changes = first.commit().unwrap().changes;
        assert!(changes.first_build);
        assert_eq!(changes.added.len(), 5, "{changes:?}");
        let out = target.path().to_path_buf();
        let before: Vec<u64> = ["a.html", "b/c.html", "d.csv", "files/asset.txt"]
            .iter()
            .map(|p| inode(&out.join(p)))
            .collect();

        let second = Staging::begin(&target, &lock).unwrap();
        second.write("a.html", b"same").unwrap();
        assert_eq!(inode(&second.folder().join("a.html")), before[0], "linked");
        // Written again at the same path: the link is unlinked, not written through.
        second.write("a.html", b"other").unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"same");
        second.write("a.html", b"same").unwrap();
        second.write("b/c.html", b"new").unwrap();
        second.write("new.html", b"n").unwrap();
        {
            let mut file = second.create("d.csv").unwrap();
            io::Write::write_all(&mut file, b"rows").unwrap();
        }
        second.finish("d.csv").unwrap();
        assert_eq!(
            inode(&second.folder().join("d.csv")),
            before[2],
            "a streamed file linked once closed"
        );
        second.copy(&asset, "files/asset.txt").unwrap();
        assert_eq!(inode(&second.folder().join("files/asset.txt")), before[3]);
        let changes = second.commit().unwrap().changes;
        assert!(!changes.first_build);
        assert_eq!(changes.added, ["new.html"]);
        assert_eq!(changes.changed, ["b/c.html"]);
        assert_eq!(changes.removed, ["gone.html"]);
        assert_eq!(changes.unchanged, 3);
        assert_eq!(changes.lines(), "M b/c.html\nD gone.html\nA new.html\n");
        assert_eq!(changes.summary(), "1 file added, 1 changed, 1 removed");
        assert_eq!(inode(&out.join("a.html")), before[0]);
        assert_eq!(fs::read(out.join("b/c.html")).unwrap(), b"new");
        assert!(!out.join("gone.html").exists());

        // Where links are refused, the same bytes are written instead.
        let third = Staging::begin(&target, &lock).unwrap();
        third.linking.store(false, Ordering::Relaxed);
        third.write("a.html", b"same").unwrap();
        assert_ne!(inode(&third.folder().join("a.html")), before[0]);
        assert_eq!(fs::read(third.folder().join("a.html")).unwrap(), b"same");
        let changes = third.changes().unwrap();
        assert!(changes.added.is_empty() && changes.changed.is_empty(), "{changes:?}");
        third.abandon();
    }

    #[test]
    fn a_changes_file_inside_the_output_is_refused() {
        let tmp = temp();
        let root = site(tmp.path());
        let target = Target::check_with(&root, &tmp.path().join("out"), &[]).unwrap();
        for inside in ["out", "out/changes.txt", "out/x/../y.txt"] {
            let d = check_changes_file(&root, &target, &tmp.path().join(inside)).unwrap_err();
            assert_eq!(d.field.as_deref(), Some(CHANGES_FIELD));
            assert!(d.message.contains("inside the output"), "{}", d.message);
        }
        assert!(check_changes_file(&root, &target, &tmp.path().join(".out.legbrief-lock")).is_err());
        for source in ["content/briefs/a.en.md", "themes/x", "legbrief.toml"] {
            let d = check_changes_file(&root, &target, &root.join(source)).unwrap_err();
            assert!(d.message.contains("the site's"), "{source}: {}", d.message);
        }
        assert!(check_changes_file(&root, &target, &tmp.path().join("changes.txt")).is_ok());
        let path = tmp.path().join("changes.txt");
        let changes = Changes {
            added: vec!["b".into()],
            removed: vec!["a".into()],
            ..Changes::default()
        };
        write_changes(&path, &changes).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "D a\nA b\n");
    }

    #[test]
    fn removing_a_tree_removes_its_marker_last() {
        let tmp = temp();
        let dir = tmp.path().join("t");
        mark(&dir.join("a/b"));
        mark(&dir);
        #[cfg(unix)]
        {
            // A link to a folder elsewhere is removed, not followed.
            let elsewhere = tmp.path().join("elsewhere");
            mark(&elsewhere);
            std::os::unix::fs::symlink(&elsewhere, dir.join("a/b/link")).unwrap();
            std::os::unix::fs::symlink(&elsewhere, dir.join("link")).unwrap();
        }
        remove_tree(&dir).unwrap();
        assert!(!dir.exists());
        #[cfg(unix)]
        assert!(is_marked(&tmp.path().join("elsewhere")));
        assert!(remove_tree(&dir).is_ok(), "an absent tree is removed");
    }

    #[test]
    fn the_failure_line_says_what_happened() {
        let refused = Diagnostics::from_iter([Diagnostic::error("refusing").field(OUTPUT_FIELD)]);
        assert_eq!(after_failure(&refused), "nothing was written");
        let refused = Diagnostics::from_iter([Diagnostic::error("refusing").field(ZIP_FIELD)]);
        assert_eq!(after_failure(&refused), "nothing was written");
        let zip = Diagnostics::from_iter([Diagnostic::error(format!("{NEW_IN_PLACE}, but"))]);
        assert_eq!(after_failure(&zip), "the new output is in place (see above)");
        let broken = Diagnostics::from_iter([Diagnostic::error("broken link")]);
        assert_eq!(after_failure(&broken), "the previous output is untouched");
        let moved = Diagnostics::from_iter([Diagnostic::error(format!("x; {MOVED_ASIDE} y"))]);
        assert_eq!(after_failure(&moved), "the previous output was moved aside (see above)");
    }
}
