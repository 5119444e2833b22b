//! Watching the sources: `legbrief.toml`, `content/` and `themes/`.
//!
//! File events only say *where* to look; the rebuild reads what is on disk once the
//! burst of events is over. That is what makes editors' save patterns safe: vim's
//! rename-away-and-write, an atomic write-to-temp-and-rename, a delete followed by
//! a create all end with the file in place, and only that end state is built.
//!
//! The quiet period is short (20 ms) so an edit shows at once. If, when it ends, a
//! source file that was touched is missing, the batch waits a little longer for it
//! to reappear, so a save that deletes and re-creates a file is not shown as a
//! deleted brief in between.
//!
//! `--poll` does not use notify's `PollWatcher`: it compares modification times in
//! whole seconds, so a second save within the same second is missed unless it
//! hashes every file on every pass. [`poll`] compares size, modification time to
//! the nanosecond and inode instead, which costs one `stat` per file per pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::live::THEMES_DIR;
use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;

/// How long the sources must be quiet before a batch is rebuilt. An editor's
/// save (write a temporary file, rename it over the source) raises its events
/// within a millisecond; this wait is most of the time from a save to the page
/// shown, so it is kept short. A file missing at the end waits [`REAPPEAR`].
pub const QUIET: Duration = Duration::from_millis(10);
/// The longer wait when a touched source file is missing at the end of a burst.
pub const REAPPEAR: Duration = Duration::from_millis(120);
/// A batch is rebuilt after this long even if events keep coming (a large copy).
pub const MAX_BATCH: Duration = Duration::from_millis(1500);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// With `--poll`, a missing file may reappear only at the next pass.
const POLL_REAPPEAR: Duration = Duration::from_millis(600);

/// Source paths that changed together.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Absolute paths, sorted.
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (its queue overflowed): rebuild everything.
    pub rescan: bool,
}

/// A running watcher; dropping it stops watching.
pub struct WatchHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts watching the site at `root` (an absolute, canonical path), sending one
/// [`Batch`] per burst of changes to `out`.
pub fn start(root: &Path, poll: bool, out: Sender<Batch>) -> notify::Result<WatchHandle> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<Event>>();
    let stop = Arc::new(AtomicBool::new(false));
    let sources = Sources {
        root: root.to_path_buf(),
        reappear: if poll { POLL_REAPPEAR } else { REAPPEAR },
    };
    let watcher: Option<Box<dyn Watcher + Send>> = if poll {
        let poller = Poller::new(root, raw_tx, stop.clone());
        std::thread::Builder::new()
            .name("legbrief-poll".into())
            .spawn(move || poller.run())?;
        None
    } else {
        let mut watcher: Box<dyn Watcher + Send> = Box::new(notify::recommended_watcher(raw_tx)?);
        // The root itself only for legbrief.toml and for content/ or themes/
        // appearing; never recursively, so output and build folders beside them
        // cost nothing.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        sources.watch_folders(watcher.as_mut());
        Some(watcher)
    };
    let thread_stop = stop.clone();
    let thread = std::thread::Builder::new()
        .name("legbrief-watch".into())
        .spawn(move || sources.run(watcher, &raw_rx, &out, &thread_stop))?;
    Ok(WatchHandle {
        stop,
        thread: Some(thread),
    })
}

struct Sources {
    root: PathBuf,
    /// How long to wait for a touched file that is missing to reappear.
    reappear: Duration,
}

impl Sources {
    /// Watches `content/` and `themes/` recursively, where they exist.
    fn watch_folders(&self, watcher: &mut dyn Watcher) {
        for dir in [CONTENT_DIR, THEMES_DIR] {
            let path = self.root.join(dir);
            if path.is_dir() {
                // Watching a folder already watched is harmless; one that vanished
                // in between is picked up again when it reappears.
                let _ = watcher.watch(&path, RecursiveMode::Recursive);
            }
        }
    }

    /// Whether a path is one the build reads: not an editor's backup, swap or lock
    /// file, nor a dotfile (`content::is_ignored`), which the build leaves out too.
    fn is_source(&self, path: &Path) -> bool {
        is_source(&self.root, path)
    }

    fn run(
        &self,
        mut watcher: Option<Box<dyn Watcher + Send>>,
        raw: &Receiver<notify::Result<Event>>,
        out: &Sender<Batch>,
        stop: &AtomicBool,
    ) {
        while !stop.load(Ordering::Relaxed) {
            let first = match raw.recv_timeout(Duration::from_millis(200)) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut pending = Pending::default();
            pending.add(self, first);
            self.settle(raw, &mut pending);
            if let (true, Some(watcher)) = (pending.new_folders, watcher.as_mut()) {
                self.watch_folders(watcher.as_mut());
            }
            if pending.is_empty() {
                continue;
            }
            let batch = Batch {
                paths: pending.paths.into_iter().collect(),
                rescan: pending.rescan,
            };
            if out.send(batch).is_err() {
                return;
            }
        }
    }

    /// Collects events until the sources have been quiet for [`QUIET`] (longer if a
    /// touched file is missing, see the module doc), or for at most [`MAX_BATCH`].
    fn settle(&self, raw: &Receiver<notify::Result<Event>>, pending: &mut Pending) {
        let started = Instant::now();
        let mut quiet = QUIET;
        let mut waited_for_missing = false;
        loop {
            match raw.recv_timeout(quiet) {
                Ok(event) => pending.add(self, event),
                Err(RecvTimeoutError::Timeout) => {
                    if !waited_for_missing && pending.has_missing_file() {
                        waited_for_missing = true;
                        quiet = self.reappear;
                        continue;
                    }
                    return;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() > MAX_BATCH {
                return;
            }
        }
    }
}

/// Whether `path` (absolute, under `root`) is one the build reads, so a change to
/// it is worth a rebuild.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    if relative == Path::new(CONFIG_FILE) {
        return true;
    }
    [CONTENT_DIR, THEMES_DIR].iter().any(|dir| {
        relative
            .strip_prefix(dir)
            .is_ok_and(|inside| !crate::content::is_ignored(inside))
    })
}

/// Events gathered for one batch.
#[derive(Default)]
struct Pending {
    paths: BTreeSet<PathBuf>,
    rescan: bool,
    new_folders: bool,
}

impl Pending {
    fn add(&mut self, sources: &Sources, event: notify::Result<Event>) {
        let Ok(event) = event else {
            // The watcher failed (for example, too many folders to watch): build
            // everything so nothing is missed.
            self.rescan = true;
            return;
        };
        if event.need_rescan() {
            self.rescan = true;
        }
        // Opening and reading files (the rebuild itself does) changes nothing.
        if matches!(event.kind, EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write)) {
            return;
        }
        for path in event.paths {
            if !sources.is_source(&path) {
                continue;
            }
            if [CONTENT_DIR, THEMES_DIR].iter().any(|d| path == sources.root.join(d)) {
                self.new_folders = true;
            }
            self.paths.insert(path);
        }
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Whether a touched source file (one with an extension) does not exist now.
    fn has_missing_file(&self) -> bool {
        self.paths
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "md" || e == "toml" || e == "html") && !p.exists())
    }
}

/// What a pass of the poller knows about one file: changes in any of these mean
/// the file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
    is_dir: bool,
}

/// `--poll`: looks at every source file's metadata on each pass and reports the
/// differences as file events.
struct Poller {
    root: PathBuf,
    events: Sender<notify::Result<Event>>,
    stop: Arc<AtomicBool>,
}

impl Poller {
    fn new(root: &Path, events: Sender<notify::Result<Event>>, stop: Arc<AtomicBool>) -> Poller {
        Poller {
            root: root.to_path_buf(),
            events,
            stop,
        }
    }

    fn run(self) {
        let mut known = self.scan();
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::sleep(POLL_INTERVAL);
            let now = self.scan();
            let changed = known
                .iter()
                .filter(|(path, stamp)| now.get(*path) != Some(*stamp))
                .map(|(path, _)| path)
                .chain(now.keys().filter(|path| !known.contains_key(*path)));
            let mut event = Event::new(EventKind::Any);
            for path in changed {
                event = event.add_path(path.clone());
            }
            if !event.paths.is_empty() && self.events.send(Ok(event)).is_err() {
                return;
            }
            known = now;
        }
    }

    /// The config, and everything under `content/` and `themes/` (links not followed).
    fn scan(&self) -> std::collections::HashMap<PathBuf, Stamp> {
        let mut found = std::collections::HashMap::new();
        let config = self.root.join(CONFIG_FILE);
        if let Some(stamp) = stamp_of(&config) {
            found.insert(config, stamp);
        }
        for dir in [CONTENT_DIR, THEMES_DIR] {
            for entry in walkdir::WalkDir::new(self.root.join(dir)).into_iter().flatten() {
                if !is_source(&self.root, entry.path()) {
                    continue;
                }
                if let Ok(meta) = entry.metadata() {
                    found.insert(entry.into_path(), stamp_from(&meta));
                }
            }
        }
        found
    }
}

fn stamp_of(path: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(path).ok().map(|m| stamp_from(&m))
}

/// A folder's stamp says only that it exists: its time changes whenever a file in
/// it does, and that file is reported itself.
fn stamp_from(meta: &std::fs::Metadata) -> Stamp {
    if meta.is_dir() {
        return Stamp {
            len: 0,
            modified: None,
            inode: 0,
            is_dir: true,
        };
    }
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
        is_dir: meta.is_dir(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_dotfiles_trigger_no_rebuild() {
        let root = Path::new("/site");
        for source in [
            "legbrief.toml",
            "content",
            "content/briefs/x.en.md",
            "content/images/map.png",
            "themes/mine/templates/base.html",
        ] {
            assert!(is_source(root, &root.join(source)), "{source}");
        }
        for ignored in [
            "content/briefs/x.en.md~",
            "content/briefs/.#x.en.md",
            "content/briefs/#x.en.md#",
            "content/briefs/.x.en.md.swp",
            "content/briefs/x.en.md.swo",
            "content/briefs/x.en.md.bak",
            "content/.DS_Store",
            "content/images/Thumbs.db",
            "content/.git/index",
            "themes/mine/static/style.css~",
            "public/index.html",
            "legbrief.toml~",
        ] {
            assert!(!is_source(root, &root.join(ignored)), "{ignored}");
        }
    }
}
