//! `legbrief serve`: build, serve, watch, rebuild, live-reload.
//!
//! The site is built in memory and served from there ([`http`]); nothing is ever
//! written into the site or its `public/`. A watcher ([`watch`]) turns bursts of
//! file events into batches; the live site ([`live`]) rebuilds only what a batch
//! touches; pages open in a browser hear about it over server-sent events
//! ([`livereload`]) and reload, or show the errors of a change that does not build
//! while the last good site stays served.
//!
//! Threads: one that accepts connections, one per open connection ([`wire`]
//! bounds how many, and how much each may send; an open event stream is one of
//! them), the watcher's, and one that rebuilds. The rebuild thread alone changes
//! the site; it publishes each result as a new [`Snapshot`] that the HTTP threads
//! read without waiting.
//!
//! Bound to a loopback address (the default), only requests that name this
//! machine in `Host` are answered, so a web page whose name is made to point at
//! 127.0.0.1 (DNS rebinding) cannot read the site, drafts included.

pub mod http;
pub mod live;
pub mod livereload;
pub mod watch;
pub mod wire;

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::pipeline::BuildOptions;
use live::{Assets, Files, Job, JobDone, LiveSite, Outcome};
use watch::{Batch, WatchHandle};

/// What `legbrief serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Poll the files instead of waiting for file system events.
    pub poll: bool,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            drafts: false,
            open: false,
            poll: false,
        }
    }
}

/// What the HTTP threads serve: one consistent state of the site.
#[derive(Default)]
pub struct Snapshot {
    pub files: Arc<Files>,
    /// The site the files were made from: the bulk exports are made from it
    /// when asked for ([`live::made_on_request`]).
    pub site: Option<crate::model::Site>,
    /// What renders the data pages made on request.
    pub renderer: Option<Arc<crate::render::Renderer>>,
    pub assets: Arc<Assets>,
    /// Counts the changes published so far; pages are served with it.
    pub generation: u64,
    /// The current errors, as the terminal shows them.
    pub errors: Arc<Vec<String>>,
    /// Whether pages that list or quote the last edits are still being redone.
    pub catching_up: bool,
}

/// When each URL path last changed, so a page that connects late still reloads.
#[derive(Default)]
struct Changes {
    everything_at: u64,
    at: HashMap<String, u64>,
}

/// State shared between the rebuild thread and the HTTP threads.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    changes: Mutex<Changes>,
    pub hub: livereload::Hub,
    /// Tells this run of `serve` from an earlier one, so pages left open across a
    /// restart reload.
    pub instance: String,
    /// Bound to loopback: answer only requests whose `Host` is this machine.
    pub loopback_only: bool,
}

impl Shared {
    /// The current snapshot (cheap: a reference count).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn publish(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// Whether the page at URL `path` changed after `generation`.
    pub fn changed_since(&self, path: &str, generation: u64) -> bool {
        match self.changes.lock() {
            Ok(changes) => changes.everything_at > generation || changes.at.get(path).is_some_and(|&g| g > generation),
            Err(_) => true,
        }
    }

    fn record_changes(&self, generation: u64, outcome: &Outcome) {
        if let Ok(mut changes) = self.changes.lock() {
            if outcome.everything {
                changes.everything_at = generation;
            }
            for path in &outcome.paths {
                changes.at.insert(livereload::url_path(path), generation);
            }
        }
    }
}

/// A running `serve`: stop it with [`Server::stop`], or let [`run`] wait forever.
pub struct Server {
    url: String,
    /// Where to connect to wake the accepting thread when stopping.
    wake: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    watch: Option<WatchHandle>,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Server {
    /// Builds the site, starts watching and serving, and returns once requests are
    /// answered. Problems in the sources do not stop it: they are shown until fixed.
    pub fn start(options: &ServeOptions) -> Result<Server, StartError> {
        let root = options
            .root
            .canonicalize()
            .map_err(|e| StartError(format!("cannot serve {}: {e}", options.root.display())))?;
        if !root.join(CONFIG_FILE).is_file() {
            return Err(StartError(format!(
                "{} has no {CONFIG_FILE}: is it a legbrief site? `legbrief init DIR` creates one",
                options.root.display()
            )));
        }
        let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|e| {
            StartError(format!(
                "cannot listen on {}: {e}; try another --port (0 picks a free one)",
                SocketAddr::new(options.bind, options.port)
            ))
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError(format!("the server has no address: {e}")))?;
        let url = site_url(address);
        let wake = SocketAddr::new(local_ip(address.ip()), address.port());

        // Watch before building, so an edit made during the first build is seen.
        let (batch_tx, batch_rx) = mpsc::channel();
        let watch = watch::start(&root, options.poll, batch_tx)
            .map_err(|e| StartError(format!("cannot watch {}: {e}; try --poll", root.display())))?;

        let build_options = BuildOptions {
            root: root.clone(),
            base_url: Some(url.trim_end_matches('/').to_string()),
            drafts: options.drafts,
            progress: true,
            ..BuildOptions::default()
        };
        let (live, outcome) = LiveSite::build(build_options);
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            changes: Mutex::new(Changes::default()),
            hub: livereload::Hub::default(),
            instance: instance_id(),
            loopback_only: address.ip().is_loopback(),
        });
        let mut rebuilder = Rebuilder {
            live,
            shared: shared.clone(),
            generation: 0,
            errors: Vec::new(),
            catching_up: None,
            in_flight: false,
        };
        rebuilder.report_start(&outcome, &serving_line(address, &url));
        if let Some(warning) = exposure_warning(address, options.drafts) {
            eprintln!("{warning}");
        }

        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        let (http_shared, http_stop) = (shared.clone(), stop.clone());
        threads.push(spawn("legbrief-accept", move || {
            wire::accept_loop(&listener, &http_stop, move |request| {
                http::handle(request, &http_shared)
            })
        })?);
        // Batches from the watcher and finished background work arrive on one
        // channel, so the rebuild thread waits on both at once.
        let (msg_tx, msg_rx) = mpsc::channel();
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let forward = msg_tx.clone();
        threads.push(spawn("legbrief-batches", move || {
            for batch in batch_rx {
                if forward.send(Msg::Batch(batch)).is_err() {
                    return;
                }
            }
        })?);
        threads.push(spawn("legbrief-background", move || run_jobs(&job_rx, &msg_tx))?);
        let rebuild_stop = stop.clone();
        threads.push(spawn("legbrief-rebuild", move || {
            rebuilder.run(&msg_rx, &job_tx, &rebuild_stop)
        })?);
        if options.open {
            open_in_browser(&url);
        }
        Ok(Server {
            url,
            wake,
            shared,
            stop,
            threads,
            watch: Some(watch),
        })
    }

    /// The site's address, e.g. `http://127.0.0.1:1111/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        for thread in self.threads {
            let _ = thread.join();
        }
    }

    /// Stops watching and serving, and waits for the threads to end.
    pub fn stop(mut self) {
        self.watch.take();
        self.stop.store(true, Ordering::Relaxed);
        self.shared.hub.close_all();
        // The accepting thread waits for a connection: make one so it sees `stop`.
        let _ = TcpStream::connect_timeout(&self.wake, Duration::from_secs(1));
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, StartError> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| StartError(format!("cannot start a thread: {e}")))
}

/// The URL to build links for: an unspecified bind address (`0.0.0.0`, `::`) is
/// reached at loopback from this machine.
fn site_url(address: SocketAddr) -> String {
    let ip = local_ip(address.ip());
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}/", address.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", address.port()),
    }
}

/// Loopback for an unspecified address, else the address itself.
fn local_ip(ip: IpAddr) -> IpAddr {
    match ip {
        ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// Where the site is served, as the start line says it: the bound address, and
/// for an unspecified one (`0.0.0.0`, `::`) that it is every interface, with the
/// URL to use on this machine first.
fn serving_line(address: SocketAddr, url: &str) -> String {
    if address.ip().is_unspecified() {
        let bound = match address.ip() {
            IpAddr::V6(v6) => format!("[{v6}]"),
            ip => ip.to_string(),
        };
        format!(
            "on all network interfaces ({bound}:{port}) at {url} on this machine, \
             or http://<this machine's address>:{port}/ from others",
            port = address.port()
        )
    } else {
        format!("at {url}")
    }
}

/// The warning printed when `serve` is reachable from other machines.
fn exposure_warning(address: SocketAddr, drafts: bool) -> Option<String> {
    if address.ip().is_loopback() {
        return None;
    }
    let what = if drafts {
        "the site's pages, drafts included (--drafts),"
    } else {
        "the site's pages"
    };
    Some(format!(
        "warning: serve is bound to {}, not to this machine's loopback: {what} can be read by anyone \
         who can reach it on the network, and requests are answered whatever their Host\n  \
         = help: leave out --bind (it defaults to 127.0.0.1) to preview privately",
        address.ip()
    ))
}

fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", nanos, std::process::id())
}

/// Opens `url` with the system's default browser; failing to is only a warning.
fn open_in_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

/// What the rebuild thread hears about.
enum Msg {
    Batch(Batch),
    Done(JobDone),
}

/// The background thread: runs the work left after edits (see [`LiveSite::next_job`])
/// on its own thread pool, so the edited pages of the next save are rendered on
/// the shared pool without queuing behind it.
fn run_jobs(jobs: &Receiver<Job>, done: &mpsc::Sender<Msg>) {
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|n| format!("legbrief-background-{n}"))
        .build()
        .ok();
    for job in jobs {
        let result = match &pool {
            Some(pool) => pool.install(|| job.run()),
            None => job.run(),
        };
        if done.send(Msg::Done(result)).is_err() {
            return;
        }
    }
}

/// The rebuild thread: applies batches to the live site and publishes the results.
struct Rebuilder {
    live: LiveSite,
    shared: Arc<Shared>,
    generation: u64,
    errors: Vec<String>,
    /// Since when, and how many files, catching up after edits (see [`LiveSite::next_job`]).
    catching_up: Option<(Instant, usize)>,
    /// A job is running in the background.
    in_flight: bool,
}

impl Rebuilder {
    /// Applies each batch as it comes. Meanwhile the pages that list or quote
    /// earlier edits and the search index are redone in the background a piece at
    /// a time, so a new save is never kept waiting behind them.
    fn run(&mut self, messages: &Receiver<Msg>, jobs: &mpsc::Sender<Job>, stop: &AtomicBool) {
        while !stop.load(Ordering::Relaxed) {
            if !self.in_flight
                && let Some(job) = self.live.next_job()
            {
                self.catching_up.get_or_insert_with(|| (Instant::now(), 0));
                if jobs.send(job).is_err() {
                    return;
                }
                self.in_flight = true;
            }
            match messages.recv_timeout(Duration::from_millis(200)) {
                Ok(Msg::Batch(batch)) => self.rebuild(&batch),
                Ok(Msg::Done(done)) => {
                    self.in_flight = false;
                    self.finish(done);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Whether pages that include the last edits are still being redone.
    fn is_behind(&self) -> bool {
        self.in_flight || self.live.is_behind()
    }

    /// Takes in a piece of background work; a line when it is all done.
    fn finish(&mut self, done: JobDone) {
        let step = self.live.finish(done);
        let errors = self.live.errors();
        let errors_before = self.errors.clone();
        self.publish(&step, &errors);
        if let Some((_, files)) = self.catching_up.as_mut() {
            *files += step.rendered;
        }
        if messages_of(&errors) != errors_before {
            print_errors(&errors);
        }
        if !self.is_behind()
            && let Some((since, files)) = self.catching_up.take()
        {
            eprintln!(
                "[{}] pages that list or quote the edits, and the search index: {files} files up to date in {}",
                clock(),
                format_elapsed(since.elapsed())
            );
        }
    }

    fn report_start(&mut self, outcome: &Outcome, serving: &str) {
        print_warnings(&outcome.warnings);
        let errors = self.live.errors();
        self.publish(outcome, &errors);
        let what = if self.live.has_site() {
            format!(
                "Built {} files in {}",
                self.live.files().len(),
                format_elapsed(outcome.elapsed)
            )
        } else {
            print_errors(&errors);
            format!(
                "The site does not build yet ({} error{}); fix the sources and it will",
                errors.len(),
                plural(errors.len())
            )
        };
        eprintln!(
            "{what}. Serving {} {serving} (Ctrl+C to stop)",
            self.live.root().display()
        );
    }

    fn rebuild(&mut self, batch: &Batch) {
        let errors_before = self.errors.clone();
        let outcome = if batch.rescan {
            self.live.rebuild_all()
        } else {
            self.live.apply(&batch.paths)
        };
        let errors = self.live.errors();
        let errors_changed = messages_of(&errors) != errors_before;
        let touched_sources = batch.paths.iter().any(|p| is_source_file(self.live.root(), p));
        if !outcome.is_change() && !errors_changed && !touched_sources && !outcome.full {
            // Only files no build reads came and went (an editor's temporary files).
            return;
        }
        print_warnings(&outcome.warnings);
        self.publish(&outcome, &errors);
        let mut line = summary(self.live.root(), batch, &outcome, errors.len());
        if self.is_behind() {
            line.push_str("; the pages that list or quote it follow");
        }
        eprintln!("[{}] {line}", clock());
        let errors = self.live.errors();
        if messages_of(&errors) != errors_before {
            print_errors(&errors);
        }
    }

    /// Makes the new state visible to requests, then tells open pages.
    fn publish(&mut self, outcome: &Outcome, errors: &[Diagnostic]) {
        let messages = messages_of(errors);
        let errors_changed = messages != self.errors;
        if outcome.is_change() {
            self.generation += 1;
            self.shared.record_changes(self.generation, outcome);
        }
        self.shared.publish(Snapshot {
            files: self.live.files(),
            site: self.live.site(),
            renderer: self.live.renderer(),
            assets: self.live.assets(),
            generation: self.generation,
            errors: Arc::new(messages.clone()),
            catching_up: self.is_behind(),
        });
        if outcome.is_change() {
            let paths: Vec<String> = if outcome.everything {
                vec!["*".to_string()]
            } else {
                outcome
                    .paths
                    .iter()
                    .map(|p| livereload::url_path(p))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            };
            self.shared
                .hub
                .broadcast(&livereload::reload_event(self.generation, &paths));
        }
        if errors_changed {
            self.shared.hub.broadcast(&livereload::errors_event(&messages));
        }
        self.errors = messages;
    }
}

fn messages_of(errors: &[Diagnostic]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// Whether a path is a brief, the config or a theme file (not an editor's temporary
/// file or an asset).
fn is_source_file(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    relative == Path::new(CONFIG_FILE)
        || relative.starts_with(live::THEMES_DIR)
        || relative
            .strip_prefix(crate::content::CONTENT_DIR)
            .is_ok_and(|r| crate::content::is_brief_path(r) && !crate::content::is_hidden(r))
}

/// The one line printed per rebuild: what changed, what was done, how long it took.
fn summary(root: &Path, batch: &Batch, outcome: &Outcome, errors: usize) -> String {
    // Name the sources, not an editor's temporary files; else the copied files
    // that changed.
    let mut names: Vec<String> = batch
        .paths
        .iter()
        .filter(|p| is_source_file(root, p))
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.display().to_string())
        .collect();
    if names.is_empty() {
        names = outcome
            .paths
            .iter()
            .filter(|p| !p.ends_with(".html") && !p.ends_with(".xml"))
            .map(|p| format!("{}/{p}", crate::content::CONTENT_DIR))
            .collect();
    }
    names.dedup();
    let what = match names.len() {
        0 if batch.rescan => "files changed".to_string(),
        0 => "the sources changed".to_string(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    };
    let done = if errors > 0 {
        format!("{errors} error{}; still serving the last good version", plural(errors))
    } else if outcome.full && outcome.is_change() {
        format!("rebuilt everything ({} files)", outcome.rendered)
    } else if outcome.rendered > 0 || outcome.is_change() {
        format!(
            "{} page{} rendered, {} changed",
            outcome.rendered,
            plural(outcome.rendered),
            outcome.paths.len()
        )
    } else {
        "no page changed".to_string()
    };
    format!("{what}: {done} in {}", format_elapsed(outcome.elapsed))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn format_elapsed(elapsed: Duration) -> String {
    if elapsed < Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.2} s", elapsed.as_secs_f64())
    }
}

/// The local time of day, for the rebuild lines.
fn clock() -> String {
    jiff::ZonedDateTime::now().strftime("%H:%M:%S").to_string()
}

fn print_warnings(warnings: &[Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}");
    }
}

fn print_errors(errors: &[Diagnostic]) {
    for error in errors {
        eprintln!("{error}");
    }
}

/// `legbrief serve`: starts the server and serves until the process is stopped.
/// Returns only if it could not start (exit status 1).
pub fn run(options: &ServeOptions) -> Result<(), StartError> {
    Server::start(options)?.wait();
    Ok(())
}
