//! The build pipeline: config → content → markdown → model → render → output.
//!
//! Each stage lives in its own module and hands plain data to the next; this module
//! only wires them and decides when problems stop the build. Every command prepares
//! the site the same way ([`prepare`]), so the same warnings come from each; `build`,
//! `check`, `--term N` and each term of `--all-terms` then take the one publishing
//! path ([`publish`]), which renders page by page into a [`Sink`] (a folder of a
//! staging area, or nowhere for `check`) and lets a [`Gate`] decide on the link
//! check's findings. `serve` holds the site in memory instead
//! ([`build_in_memory_as`]), rendered by the same functions.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::LinkMode;
use crate::model::{PageId, Site};
use crate::output::{self, OutputFile};
use crate::render::Renderer;
use crate::theme::STATIC_DIR;
use crate::theme::Theme;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Build only this term, as a self-contained archive.
    pub term: Option<u32>,
    /// Show progress on the terminal.
    pub progress: bool,
    /// Publish even if internal links or `#anchors` are broken (they become warnings).
    pub allow_broken_links: bool,
    /// Where to write the list of files added, changed and removed against the
    /// previous output (`--changes`), outside the output.
    pub changes: Option<PathBuf>,
}

/// A site rendered in memory; each file as `F` (by default the file itself; dev
/// mode keeps it compressed).
pub struct BuiltSite<F = OutputFile> {
    pub site: Site,
    pub renderer: Renderer,
    pub files: Vec<F>,
    /// Files copied as they are: (source on disk, output path).
    pub copies: Vec<(PathBuf, String)>,
    pub diagnostics: Diagnostics,
    /// Each language's search index, for dev mode to update after an edit
    /// (empty where nothing keeps it).
    pub indexes: Vec<crate::search::KeptIndex>,
}

/// Loads the config and applies command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<(Config, Diagnostics), Diagnostics> {
    let (mut config, diags) = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        if let Err(problem) = crate::config::check_base_url(url) {
            return Err([Diagnostic::error(format!("--base-url `{url}` {problem}"))
                .help(crate::config::BASE_URL_HELP.replace("base_url = ", "--base-url "))]
            .into_iter()
            .collect());
        }
        config.base_url = url.trim_end_matches('/').to_string();
    }
    if let Some(term) = options.term
        && config.term(term).is_none()
    {
        let known: Vec<String> = config
            .terms
            .iter()
            .map(|t| format!("{} ({} to {})", t.number, t.start, t.end))
            .collect();
        return Err([Diagnostic::error(format!(
            "unknown term {term}; the config defines: {}",
            if known.is_empty() {
                "no terms".to_string()
            } else {
                known.join(", ")
            }
        ))]
        .into_iter()
        .collect());
    }
    Ok((config, diags))
}

/// Per-stage wall times on stderr when `LEGBRIEF_TIMINGS` is set, to see where a
/// build's time goes on a large site without a profiler.
pub struct StageClock {
    on: bool,
    last: Instant,
}

impl StageClock {
    pub fn start() -> StageClock {
        StageClock {
            on: std::env::var_os("LEGBRIEF_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    /// Reports the time since the previous lap as `stage`, with the memory the
    /// process holds now and at most so far (where the system tells).
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!(
                "timing: {stage:<10} {:>8.1} ms{}",
                (now - self.last).as_secs_f64() * 1000.0,
                memory_now().map_or_else(String::new, |(rss, peak)| format!(
                    "  rss {:>6.0} MiB  peak {:>6.0} MiB",
                    rss as f64 / 1024.0,
                    peak as f64 / 1024.0
                ))
            );
            self.last = now;
        }
    }
}

/// Resident and peak resident memory in KiB, from `/proc/self/status` (Linux).
fn memory_now() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// A site loaded and modelled, ready to render: what every command shares.
pub(crate) struct Prepared {
    pub(crate) site: Site,
    pub(crate) renderer: Renderer,
    pub(crate) theme: Arc<Theme>,
    /// The problems of config, theme, sources and model, and the site-wide
    /// warnings every command gives alike (translations that disagree, the
    /// example `base_url`).
    pub(crate) diagnostics: Diagnostics,
}

impl Prepared {
    /// The archive of `term` cut from a site loaded whole (`--all-terms`): that
    /// term's briefs, linked relatively. Its sources are not read again, and
    /// their problems stay with the whole site's diagnostics, reported once.
    pub(crate) fn term(&self, term: u32) -> Result<Prepared, Diagnostics> {
        Ok(Prepared {
            site: self.site.only_term(term),
            renderer: Renderer::new(&self.theme, LinkMode::Relative)?,
            theme: self.theme.clone(),
            diagnostics: Diagnostics::new(),
        })
    }
}

/// Runs every stage but writing; returns all problems if any is an error.
pub fn build_in_memory(options: &BuildOptions) -> Result<BuiltSite, Diagnostics> {
    build_in_memory_as(options, |_| true, |file| file)
}

/// [`build_in_memory`], handing each file to `keep` as soon as it is made and
/// holding what it returns: dev mode keeps every file compressed, so the
/// uncompressed site is never in memory whole.
///
/// Only the pages `wanted` accepts are rendered (dev mode makes the bulk exports
/// when they are asked for).
pub fn build_in_memory_as<F: Send>(
    options: &BuildOptions,
    wanted: impl Fn(&PageId) -> bool + Sync + Send,
    keep: impl Fn(OutputFile) -> F + Sync + Send,
) -> Result<BuiltSite<F>, Diagnostics> {
    let mut clock = StageClock::start();
    let Prepared {
        site,
        renderer,
        theme,
        diagnostics: diags,
    } = prepare(options, Links::ForCommand, &mut clock)?;
    let pages = site.pages();
    clock.lap("listings");
    let pages: Vec<PageId> = pages.into_iter().filter(|page| wanted(page)).collect();
    let mut files = render_pages_as(&site, &renderer, &pages, options.progress, &keep)?;
    clock.lap("render");
    let mut indexes = Vec::new();
    for lang in &site.config.languages {
        let (index, made) = crate::search::language_index_as(&site, lang, &keep);
        files.extend(made);
        indexes.push(index);
    }
    clock.lap("search");
    for (name, file) in theme.static_files() {
        files.push(keep(OutputFile {
            path: format!("{STATIC_DIR}{name}"),
            contents: file.contents.to_vec(),
        }));
    }
    let copies = site_copies(&site);
    Ok(BuiltSite {
        site,
        renderer,
        files,
        copies,
        diagnostics: diags,
        indexes,
    })
}

/// The catalogue among `pages` with the bulk exports' parts it lists, and the
/// data pages among them, each handed to `keep`; the records are made again
/// from the model.
fn exports_in_memory<F: Send>(
    site: &Site,
    renderer: &Renderer,
    pages: &[&PageId],
    keep: &(impl Fn(OutputFile) -> F + Sync),
) -> Result<Vec<F>, Diagnostic> {
    let with_catalogue = pages.contains(&&PageId::Catalogue);
    let kept = std::sync::Mutex::new(Vec::new());
    let sink = |name: &str, bytes: &[u8]| {
        if !with_catalogue {
            return Ok(());
        }
        let file = keep(OutputFile {
            path: name.to_string(),
            contents: bytes.to_vec(),
        });
        kept.lock().map_err(|_| Diagnostic::error("a part failed"))?.push(file);
        Ok::<(), Diagnostic>(())
    };
    let line = |v: &crate::model::BriefVersion| crate::render::data::brief_json(site, renderer, v.lang(), v.slug());
    let catalogue = crate::render::exports::write_all(site, &line, crate::render::exports::Store::Memory(&sink))?;
    let mut files = kept.into_inner().map_err(|_| Diagnostic::error("a part failed"))?;
    if with_catalogue {
        files.push(keep(OutputFile {
            path: PageId::Catalogue.file(),
            contents: catalogue.to_json(),
        }));
    }
    for page in pages.iter().filter(|p| matches!(p, PageId::Data(_))) {
        files.push(keep(render_data_page(site, renderer, page, &catalogue)?));
    }
    Ok(files)
}

/// How the pages of a prepared site link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    /// As the command asks: relative for a term archive (`--term N`), else
    /// absolute under `base_url`'s path.
    ForCommand,
    /// Relative, as every term archive of `--all-terms` links.
    Relative,
}

/// Loads config, theme and sources and builds the model: every stage before
/// rendering. Returns all problems if any is an error.
pub(crate) fn prepare(options: &BuildOptions, links: Links, clock: &mut StageClock) -> Result<Prepared, Diagnostics> {
    let (config, mut diags) = load_config(options)?;
    let mode = if options.term.is_some() || links == Links::Relative {
        LinkMode::Relative
    } else {
        LinkMode::Absolute {
            base_path: config.base_path(),
        }
    };
    // Theme and content do not depend on each other: report both sets of problems.
    let config = Arc::new(config);
    let (theme, (site, site_diags)) = rayon::join(
        || Theme::load(&config),
        || Site::load(config.clone(), options.drafts, options.term),
    );
    clock.lap("load");
    diags.extend(site_diags);
    let theme = match theme {
        Ok(theme) => Some(theme),
        Err(theme_diags) => {
            diags.extend(theme_diags);
            None
        }
    };
    let renderer = match theme.as_ref().map(|t| Renderer::new(t, mode)) {
        Some(Ok(renderer)) => Some(renderer),
        Some(Err(template_diags)) => {
            diags.extend(template_diags);
            None
        }
        None => None,
    };
    if let Some(term) = options.term
        && site.briefs.is_empty()
        && !diags.has_errors()
    {
        let with_briefs: Vec<String> = site_terms_with_briefs(options, &config)
            .into_iter()
            .map(|n| n.to_string())
            .collect();
        diags.push(Diagnostic::error(format!(
            "term {term} has no briefs; terms with briefs: {}",
            if with_briefs.is_empty() {
                "none".to_string()
            } else {
                with_briefs.join(", ")
            }
        )));
    }
    let (Some(renderer), Some(theme)) = (renderer, theme) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    // The warnings about the site as a whole, the same whichever command runs.
    diags.extend(check::translation_mismatches(&site));
    // Only the config's own `base_url`: one given with `--base-url` is meant.
    if options.base_url.is_none()
        && let Some(warning) = crate::config::example_base_url_warning(&site.config)
    {
        diags.push(warning);
    }
    Ok(Prepared {
        site,
        renderer,
        theme: Arc::new(theme),
        diagnostics: diags,
    })
}

/// The files copied as they are: (source on disk, output path).
fn site_copies(site: &Site) -> Vec<(PathBuf, String)> {
    site.assets
        .iter()
        .map(|a| (a.source.clone(), a.output.clone()))
        .collect()
}

fn site_terms_with_briefs(options: &BuildOptions, config: &Arc<Config>) -> Vec<u32> {
    let (site, _) = Site::load(config.clone(), options.drafts, None);
    site.terms_with_briefs().into_iter().collect()
}

/// Renders `pages` in parallel, minifying HTML when the config asks for it.
pub fn render_pages(
    site: &Site,
    renderer: &Renderer,
    pages: &[PageId],
    progress: bool,
) -> Result<Vec<OutputFile>, Diagnostics> {
    render_pages_as(site, renderer, pages, progress, &|file| file)
}

/// [`render_pages`], each file handed to `keep` as soon as it is rendered and
/// what it returns held; every rendering error if any. The catalogue among
/// `pages` brings the bulk exports' parts with it, and the data pages are made
/// with it ([`exports_in_memory`]).
fn render_pages_as<F: Send>(
    site: &Site,
    renderer: &Renderer,
    pages: &[PageId],
    progress: bool,
    keep: &(impl Fn(OutputFile) -> F + Sync),
) -> Result<Vec<F>, Diagnostics> {
    let progress = Progress::new(progress, pages.len());
    let (with_exports, pages): (Vec<&PageId>, Vec<&PageId>) = pages.iter().partition(|p| made_with_exports(p));
    let mut results: Vec<Result<F, Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let rendered = render_one(site, renderer, page).map(keep);
            progress.step();
            rendered
        })
        .collect();
    if !with_exports.is_empty() {
        match exports_in_memory(site, renderer, &with_exports, keep) {
            Ok(files) => results.extend(files.into_iter().map(Ok)),
            Err(e) => results.push(Err(e)),
        }
    }
    let mut diags = Diagnostics::new();
    let mut files = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(files) }
}

/// One page as the file it is written to, minified when the config asks for it.
fn render_one(site: &Site, renderer: &Renderer, page: &PageId) -> Result<OutputFile, Diagnostic> {
    let path = page.file();
    renderer.render_page(site, page).map(|bytes| OutputFile {
        contents: if site.config.minify && path.ends_with(".html") {
            minify(&bytes)
        } else {
            bytes
        },
        path,
    })
}

/// "Rendering pages n/total" on a terminal, for sites large enough to wait for.
struct Progress {
    show: bool,
    done: AtomicUsize,
    total: usize,
}

impl Progress {
    fn new(wanted: bool, total: usize) -> Progress {
        Progress {
            show: wanted && total > 200 && std::io::stderr().is_terminal(),
            done: AtomicUsize::new(0),
            total,
        }
    }

    fn step(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.show && (n.is_multiple_of(500) || n == self.total) {
            eprint!("\rRendering pages {n}/{}", self.total);
            if n == self.total {
                eprintln!();
            }
        }
    }
}

/// Minifies a rendered page (large pages a piece at a time, see [`crate::minify`]).
pub fn minify(html: &[u8]) -> Vec<u8> {
    crate::minify::minify(html)
}

/// The outcome of a build, for the summary line.
pub struct BuildReport {
    pub pages: usize,
    pub languages: usize,
    pub warnings: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub diagnostics: Diagnostics,
    /// What changed against the previous output.
    pub changes: output::Changes,
}

impl BuildReport {
    /// `Built 41 pages in 2 languages with 1 warning in 0.12 s into public; 1
    /// file added, 3 changed, 0 removed`.
    pub fn summary(&self) -> String {
        format!(
            "Built {} pages in {} languages with {} warning{} in {:.2} s into {}; {}",
            self.pages,
            self.languages,
            self.warnings,
            if self.warnings == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            self.output.display(),
            self.changes.summary()
        )
    }
}

/// Checks a `--changes` file before anything is rendered (see
/// [`output::check_changes_file`]); `None` without the option.
pub(crate) fn check_changes(options: &BuildOptions, target: &output::Target) -> Result<Option<PathBuf>, Diagnostics> {
    options
        .changes
        .as_deref()
        .map(|path| output::check_changes_file(&options.root, target, path))
        .transpose()
        .map_err(|d| Diagnostics::from_iter([d]))
}

/// Puts the staged site in place, then writes the list of its changes where
/// `--changes` asked; returns the changes, or every problem so far and the
/// error.
pub(crate) fn commit(
    staging: output::Staging<'_>,
    changes_file: Option<&Path>,
    diagnostics: &mut Diagnostics,
    clock: &mut StageClock,
) -> Result<output::Changes, Diagnostics> {
    let failed = |diagnostics: &Diagnostics, error: Diagnostic| {
        let mut all = diagnostics.clone();
        all.push(error);
        all.sorted()
    };
    let changes = staging.compare().map_err(|e| failed(diagnostics, e))?;
    clock.lap("compare");
    let committed = staging.commit_with(changes).map_err(|e| failed(diagnostics, e))?;
    clock.lap("swap");
    diagnostics.extend(committed.warnings);
    if let Some(path) = changes_file {
        output::write_changes(path, &committed.changes).map_err(|e| failed(diagnostics, e))?;
    }
    Ok(committed.changes)
}

/// Where the one publishing path puts each file it renders.
#[derive(Clone, Copy)]
pub(crate) enum Sink<'a> {
    /// Nowhere: `check` renders and scans every file and keeps none.
    Nowhere,
    /// A folder of a staging area (`""`, its root): `build`, `--term N` and
    /// each term of `--all-terms`.
    Folder(&'a output::Staging<'a>, &'a str),
}

/// What the link check's findings decide.
#[derive(Clone, Copy)]
pub(crate) enum Gate {
    /// The site is to be published: broken links refuse it unless allowed
    /// ([`check::gate`]).
    Publish { allow_broken_links: bool },
    /// `check`: every finding is reported as it is; nothing is published.
    Report,
}

/// What the publishing path rendered.
pub(crate) struct Published {
    pub(crate) site: Site,
    /// HTML pages rendered.
    pub(crate) pages: usize,
    /// HTML pages and internal links the link check followed.
    pub(crate) checked_pages: usize,
    pub(crate) links: usize,
    pub(crate) diagnostics: Diagnostics,
}

/// The one publishing path, shared by `build`, `check`, `--term N` and each term
/// of `--all-terms`: renders every page of `prepared` into `sink` as it goes,
/// keeping only what the link check needs ([`check::Scans`]), then checks every
/// link and lets `gate` decide. Returns every problem when a page cannot be
/// rendered or written, or when the gate refuses the site (the caller then
/// abandons its staging area).
pub(crate) fn publish(
    prepared: Prepared,
    sink: Sink<'_>,
    gate: Gate,
    progress: bool,
    clock: &mut StageClock,
) -> Result<Published, Diagnostics> {
    let Prepared {
        site,
        renderer,
        theme,
        mut diagnostics,
    } = prepared;
    let copies = site_copies(&site);
    let into = match sink {
        Sink::Nowhere => None,
        Sink::Folder(staging, folder) => Some((staging, folder)),
    };
    let (scans, pages) = match stream_site(&site, &renderer, &theme, into, &copies, progress, clock) {
        Ok(streamed) => streamed,
        Err(errors) => {
            diagnostics.extend(errors);
            return Err(diagnostics.sorted());
        }
    };
    let verified = check::verify_scanned(&site, &renderer.mode, scans, &copies);
    clock.lap("check");
    let (checked_pages, links) = (verified.pages, verified.links);
    match gate {
        Gate::Report => {
            diagnostics.extend(verified.broken_links);
            diagnostics.extend(verified.other);
        }
        Gate::Publish { allow_broken_links } => match check::gate(verified, allow_broken_links) {
            Ok(warnings) => diagnostics.extend(warnings),
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(diagnostics.sorted());
            }
        },
    }
    Ok(Published {
        site,
        pages,
        checked_pages,
        links,
        diagnostics,
    })
}

/// Builds the site and writes it to `output` atomically: the publishing path
/// into a staging folder, swapped into place only if the check passes.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut clock = StageClock::start();
    // Before anything is rendered: is `output` a folder legbrief may replace?
    let target = output::Target::check(&options.root, output).map_err(|d| Diagnostics::from_iter([d]))?;
    let changes_file = check_changes(options, &target)?;
    let mut prepared = prepare(options, Links::ForCommand, &mut clock)?;
    let lock = match target.lock() {
        Ok(lock) => lock,
        Err(error) => {
            prepared.diagnostics.push(error);
            return Err(prepared.diagnostics);
        }
    };
    prepared.diagnostics.extend(lock.notes());
    let staging = match output::Staging::begin(&target, &lock) {
        Ok(staging) => staging,
        Err(error) => {
            prepared.diagnostics.push(error);
            return Err(prepared.diagnostics);
        }
    };
    let gate = Gate::Publish {
        allow_broken_links: options.allow_broken_links,
    };
    let published = match publish(prepared, Sink::Folder(&staging, ""), gate, options.progress, &mut clock) {
        Ok(published) => published,
        Err(errors) => {
            staging.abandon();
            return Err(errors);
        }
    };
    let mut diagnostics = published.diagnostics;
    let changes = commit(staging, changes_file.as_deref(), &mut diagnostics, &mut clock)?;
    drop(lock);
    Ok(BuildReport {
        pages: published.pages,
        languages: published.site.config.languages.len(),
        warnings: diagnostics.warning_count(),
        elapsed: started.elapsed(),
        output: output.to_path_buf(),
        diagnostics,
        changes,
    })
}

/// Renders every page, the search index, the theme's files and the copied assets
/// into `staging` (or nowhere, for `check`), recording each for the link check and
/// dropping it. Returns the scans and the number of HTML pages, or every rendering
/// and writing error.
fn stream_site(
    site: &Site,
    renderer: &Renderer,
    theme: &Theme,
    into: Option<(&output::Staging<'_>, &str)>,
    copies: &[(PathBuf, String)],
    progress: bool,
    clock: &mut StageClock,
) -> Result<(check::Scans, usize), Diagnostics> {
    let scans = check::Scans::new(site);
    let staging = into.map(|(staging, _)| staging);
    // A term archive of `--all-terms` goes into its folder of the staging area.
    let at = |path: &str| match into {
        Some((_, folder)) if !folder.is_empty() => format!("{folder}/{path}"),
        _ => path.to_string(),
    };
    let write = |path: &str, contents: &[u8]| {
        let Some(staging) = staging else {
            return Ok(());
        };
        staging.write(&at(path), contents).map_err(|e| {
            Diagnostic::error(format!(
                "cannot write `{path}` into {}: {e}",
                staging.folder().display()
            ))
        })
    };
    // The search index first: its working set and the pages' never meet.
    let failed = std::sync::Mutex::new(Vec::new());
    crate::search::each_index_file(site, &|file| {
        scans.add_path(&file.path);
        if let (Err(e), Ok(mut failed)) = (write(&file.path, &file.contents), failed.lock()) {
            failed.push(e);
        }
    });
    let mut errors: Diagnostics = failed.into_inner().unwrap_or_default().into_iter().collect();
    clock.lap("search");
    let pages = site.pages();
    clock.lap("listings");
    let progress = Progress::new(progress, pages.len());
    let render = |page: &PageId| {
        let written = render_one(site, renderer, page).and_then(|file| {
            scans.add(&file.path, &file.contents);
            write(&file.path, &file.contents)
        });
        progress.step();
        written.err()
    };
    // Every page is bounded (listings are paginated), so all render in parallel;
    // the bulk exports, written a record at a time, and the catalogue and data
    // pages that list them come after.
    let failed: Vec<Diagnostic> = pages
        .par_iter()
        .filter(|p| !made_with_exports(p))
        .filter_map(render)
        .collect();
    errors.extend(failed.into_iter().collect());
    clock.lap("render");
    if pages.contains(&PageId::Catalogue) {
        // Each part straight into its file, named when it closes; `check` makes
        // them in memory and drops them.
        let create = |path: &str| match staging {
            Some(staging) => staging.create(&at(path)),
            None => Err(std::io::Error::other("nowhere to write")),
        };
        // Named, a part unchanged since the previous output is its file again.
        let rename = |from: &str, to: &str| match staging {
            Some(staging) => {
                scans.add_path(to);
                std::fs::rename(staging.folder().join(at(from)), staging.folder().join(at(to)))?;
                staging.finish(&at(to))
            }
            None => Ok(()),
        };
        let files = crate::render::exports::FileStore {
            create: &create,
            rename: &rename,
        };
        let discard = |name: &str, _: &[u8]| {
            scans.add_path(name);
            Ok(())
        };
        let store = match staging {
            Some(_) => crate::render::exports::Store::Files(&files),
            None => crate::render::exports::Store::Memory(&discard),
        };
        // The JSON lines are the `index.json` files just written (each is its
        // line, byte for byte), so no record is made twice; `check`, which
        // writes nothing, makes them again.
        let line = |v: &crate::model::BriefVersion| {
            let json = PageId::BriefData(v.lang().to_string(), v.slug().to_string()).file();
            match staging {
                Some(staging) => std::fs::read(staging.folder().join(at(&json)))
                    .map_err(|e| Diagnostic::error(format!("cannot read `{json}` back: {e}"))),
                None => crate::render::data::brief_json(site, renderer, v.lang(), v.slug()),
            }
        };
        match crate::render::exports::write_all(site, &line, store) {
            Ok(catalogue) => {
                let path = PageId::Catalogue.file();
                scans.add_path(&path);
                if let Err(e) = write(&path, &catalogue.to_json()) {
                    errors.push(e);
                }
                for page in pages.iter().filter(|p| matches!(p, PageId::Data(_))) {
                    let written = render_data_page(site, renderer, page, &catalogue).and_then(|file| {
                        scans.add(&file.path, &file.contents);
                        write(&file.path, &file.contents)
                    });
                    if let Err(e) = written {
                        errors.push(e);
                    }
                    progress.step();
                }
            }
            Err(e) => errors.push(e),
        }
        progress.step();
    }
    clock.lap("exports");
    if errors.has_errors() {
        return Err(errors);
    }
    for (name, file) in theme.static_files() {
        let path = format!("{STATIC_DIR}{name}");
        scans.add(&path, &file.contents);
        if let Err(e) = write(&path, &file.contents) {
            errors.push(e);
        }
    }
    let failed: Vec<Diagnostic> = copies
        .par_iter()
        .filter(|_| staging.is_some())
        .filter_map(|(from, to)| {
            staging?
                .copy(from, &at(to))
                .map_err(|e| Diagnostic::error(format!("cannot copy {} to `{to}`: {e}", from.display())))
                .err()
        })
        .collect();
    errors.extend(failed.into_iter().collect());
    let html = pages.iter().filter(|p| p.file().ends_with(".html")).count();
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok((scans, html))
    }
}

/// Whether `page` is made with the bulk exports: their catalogue, and the data
/// pages that list the parts.
pub(crate) fn made_with_exports(page: &PageId) -> bool {
    matches!(page, PageId::Catalogue | PageId::Data(_))
}

/// The data page `page` (`PageId::Data`), listing the parts of `catalogue`,
/// minified as every page is.
pub(crate) fn render_data_page(
    site: &Site,
    renderer: &Renderer,
    page: &PageId,
    catalogue: &crate::render::exports::Catalogue,
) -> Result<OutputFile, Diagnostic> {
    let lang = page.lang().unwrap_or(&site.config.default_language);
    let path = page.file();
    renderer
        .render_data_page(site, lang, catalogue)
        .map(|bytes| OutputFile {
            contents: if site.config.minify { minify(&bytes) } else { bytes },
            path,
        })
}

// ---- `legbrief check` ------------------------------------------------------

/// What `legbrief check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// HTML pages whose links and anchors were checked.
    pub pages: usize,
    /// Internal links checked, in pages, feeds, the sitemap and the sources.
    pub links: usize,
    pub diagnostics: Diagnostics,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// `Checked 12 pages, 340 links: 0 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let errors = self.diagnostics.error_count();
        let warnings = self.diagnostics.warning_count();
        format!(
            "Checked {} page{}, {} link{}: {} error{}, {} warning{}",
            self.pages,
            plural(self.pages),
            self.links,
            plural(self.links),
            errors,
            plural(errors),
            warnings,
            plural(warnings)
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Builds the site as `build` would and reports every problem of sources, config,
/// templates, links and translations: the publishing path with nowhere to write
/// and nothing to publish.
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut clock = StageClock::start();
    // Sources that do not load cannot be rendered, so links cannot be followed;
    // the report still lists every source problem at once.
    let published = prepare(options, Links::ForCommand, &mut clock)
        .and_then(|prepared| publish(prepared, Sink::Nowhere, Gate::Report, options.progress, &mut clock));
    match published {
        Ok(published) => CheckReport {
            pages: published.checked_pages,
            links: published.links,
            diagnostics: published.diagnostics.sorted(),
        },
        Err(diagnostics) => CheckReport {
            diagnostics: diagnostics.sorted(),
            ..CheckReport::default()
        },
    }
}
