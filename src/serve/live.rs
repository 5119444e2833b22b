//! The live site: the last good build, held in memory and updated in place as
//! sources change.
//!
//! A change to one brief re-reads that brief in every language, swaps it into the
//! model and re-renders only the pages [`Site::pages_affected_by`] names, so an edit
//! costs a few pages, not the whole site. A change to the config or the theme
//! rebuilds everything. Either way the result is byte for byte what `build` would
//! write for the same sources (tests compare the two).
//!
//! A change that does not build never replaces what is served: the problem is kept
//! beside the last good site until a later change fixes it. Problems are kept per
//! source file, so fixing one brief clears its errors while another brief's remain.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, BRIEFS_DIR, CONTENT_DIR, display_path, is_brief_path, parse_brief_file};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::model::{self, BriefVersion, PageId, Site};
use crate::output::OutputFile;
use crate::pipeline::{self, BuildOptions};
use crate::render::Renderer;
use crate::render::exports;
use crate::search::KeptIndex;

/// The folder of site themes, watched for template and stylesheet edits.
pub const THEMES_DIR: &str = "themes";

/// Output path (`en/briefs/x/index.html`) → its bytes, shared with the HTTP
/// threads (an `Arc`, so they are kept where they are, never copied).
pub type Files = HashMap<String, Arc<Stored>>;

/// A served file, kept LZ4-compressed: the pages and search index of an archive
/// of 10,000 bilingual briefs are 1.5 GB as written and about a quarter of that
/// packed, and unpacking one for a request takes microseconds. Packing is
/// deterministic, so two files are equal exactly when their packed bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored(Vec<u8>);

impl Stored {
    pub fn new(bytes: &[u8]) -> Stored {
        Stored(model::packed::pack_bytes(bytes))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        model::packed::unpack_bytes(&self.0)
    }
}

/// Output path → the source file under `content/` it is served from.
pub type Assets = HashMap<String, PathBuf>;

/// The last build that succeeded.
struct Good {
    site: Site,
    renderer: Arc<Renderer>,
    files: Arc<Files>,
    assets: Arc<Assets>,
}

/// What a rebuild changed, for live reload and the terminal line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Everything may have changed (a full rebuild, or an asset that any page may show).
    pub everything: bool,
    /// Output paths that changed, appeared or disappeared.
    pub paths: BTreeSet<String>,
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    /// Whether this was a full rebuild.
    pub full: bool,
    /// Warnings found on the way (errors are kept in the live site, see [`LiveSite::errors`]).
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn is_change(&self) -> bool {
        self.everything || !self.paths.is_empty()
    }
}

/// Source paths sorted by what a change to them requires.
#[derive(Debug, Default)]
struct Plan {
    full: bool,
    briefs: BTreeSet<PathBuf>,
    assets: BTreeSet<PathBuf>,
}

/// The site as `serve` holds it.
pub struct LiveSite {
    options: BuildOptions,
    good: Option<Good>,
    /// Errors of the last full build, when it failed; every change then rebuilds fully.
    build_errors: Vec<Diagnostic>,
    /// Errors per brief file (as shown in messages), from incremental rebuilds.
    file_errors: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Pages that include briefs edited since the last [`LiveSite::catch_up`].
    pending: BTreeSet<PageId>,
    /// The site as it was before the first edit whose listings are not yet worked
    /// out, and the edits since: [`LiveSite::next_job`] turns them into `pending`.
    listings_since: Option<Site>,
    pending_edits: Vec<model::listing::Edit>,
    /// Languages whose search index lags behind their briefs.
    search_stale: BTreeSet<String>,
    /// Each language's search index as last made, to update after an edit
    /// instead of making it anew (taken while a job updates it).
    search_index: BTreeMap<String, Arc<KeptIndex>>,
    /// Per language, the briefs edited since its index was made, as they were
    /// then; `None` when an edit added or removed a version in the language (the
    /// index is then made anew).
    search_changed: BTreeMap<String, Option<BTreeMap<String, Arc<BriefVersion>>>>,
    /// Errors rendering the pending pages, until they render.
    render_errors: Vec<Diagnostic>,
    /// Counts full rebuilds: work started before the last one is dropped.
    epoch: u64,
}

impl LiveSite {
    /// Builds the whole site. A site that does not build yet is still a live site:
    /// it has no pages and reports its errors until a change fixes them.
    ///
    /// `options.term` must be `None`: a term archive is built for disk, not served,
    /// and edits here are not filtered by term.
    pub fn build(options: BuildOptions) -> (LiveSite, Outcome) {
        let mut live = LiveSite {
            options,
            good: None,
            build_errors: Vec::new(),
            file_errors: BTreeMap::new(),
            pending: BTreeSet::new(),
            listings_since: None,
            pending_edits: Vec::new(),
            search_stale: BTreeSet::new(),
            search_index: BTreeMap::new(),
            search_changed: BTreeMap::new(),
            render_errors: Vec::new(),
            epoch: 0,
        };
        let outcome = live.rebuild_all();
        (live, outcome)
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Every page and theme file of the last good build.
    /// The site as it is served (`None` before a build succeeded).
    pub fn site(&self) -> Option<Site> {
        self.good.as_ref().map(|g| g.site.clone())
    }

    /// A file made on request ([`made_on_request`]) as a full build writes it,
    /// made now.
    pub fn export(&self, path: &str) -> Option<Vec<u8>> {
        let good = self.good.as_ref()?;
        export_of(&good.site, &good.renderer, &good.files, path)
    }

    /// The renderer of the last good build, which makes the data pages on request.
    pub fn renderer(&self) -> Option<Arc<Renderer>> {
        self.good.as_ref().map(|g| g.renderer.clone())
    }

    pub fn files(&self) -> Arc<Files> {
        self.good.as_ref().map_or_else(Default::default, |g| g.files.clone())
    }

    /// Every file copied from `content/` in the last good build.
    pub fn assets(&self) -> Arc<Assets> {
        self.good.as_ref().map_or_else(Default::default, |g| g.assets.clone())
    }

    /// Whether any build has succeeded.
    pub fn has_site(&self) -> bool {
        self.good.is_some()
    }

    /// The problems that keep the sources from building, sorted by file and line;
    /// empty when what is served is what the sources say.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let diags: Diagnostics = if self.build_errors.is_empty() {
            self.file_errors
                .values()
                .flatten()
                .chain(&self.render_errors)
                .cloned()
                .collect()
        } else {
            self.build_errors.iter().cloned().collect()
        };
        diags.sorted().into_vec()
    }

    /// Rebuilds everything from the sources.
    pub fn rebuild_all(&mut self) -> Outcome {
        let started = Instant::now();
        let stored = |f: OutputFile| (f.path, Arc::new(Stored::new(&f.contents)));
        match pipeline::build_in_memory_as(&self.options, |p| !made_on_request(p), stored) {
            Ok(built) => {
                let files: Files = built.files.into_iter().collect();
                let assets: Assets = built
                    .copies
                    .into_iter()
                    .map(|(source, output)| (output, source))
                    .collect();
                let rendered = files.len();
                self.good = Some(Good {
                    site: built.site,
                    renderer: Arc::new(built.renderer),
                    files: Arc::new(files),
                    assets: Arc::new(assets),
                });
                self.build_errors.clear();
                self.file_errors.clear();
                self.pending.clear();
                self.listings_since = None;
                self.pending_edits.clear();
                self.search_stale.clear();
                // Kept, so that the first edit updates the index rather than makes it anew.
                self.search_index = built
                    .indexes
                    .into_iter()
                    .map(|kept| (kept.index.lang.clone(), Arc::new(kept)))
                    .collect();
                self.search_changed.clear();
                self.render_errors.clear();
                self.epoch += 1;
                Outcome {
                    everything: true,
                    rendered,
                    full: true,
                    warnings: built.diagnostics.into_vec(),
                    elapsed: started.elapsed(),
                    ..Outcome::default()
                }
            }
            Err(diags) => {
                let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
                    diags.into_vec().into_iter().partition(Diagnostic::is_error);
                self.build_errors = errors;
                Outcome {
                    full: true,
                    warnings,
                    elapsed: started.elapsed(),
                    ..Outcome::default()
                }
            }
        }
    }

    /// Brings the site up to date after the files at `touched` (absolute paths,
    /// in any order, duplicates allowed) were created, changed, renamed or removed.
    pub fn apply(&mut self, touched: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let plan = self.plan(touched);
        if plan.full || (self.good.is_none() || !self.build_errors.is_empty()) && !plan.is_empty() {
            return self.rebuild_all();
        }
        let mut outcome = Outcome::default();
        if !plan.briefs.is_empty() {
            self.apply_briefs(&plan.briefs, &mut outcome);
        }
        if !plan.assets.is_empty() {
            self.apply_assets(&plan.assets, &mut outcome);
        }
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// Sorts touched paths into what they need; paths that no build reads are dropped.
    fn plan(&self, touched: &[PathBuf]) -> Plan {
        let root = &self.options.root;
        let theme = self.good.as_ref().and_then(|g| g.site.config.theme.clone());
        let mut plan = Plan::default();
        for path in touched {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            if relative == Path::new(CONFIG_FILE) {
                plan.full = true;
            } else if let Ok(in_themes) = relative.strip_prefix(THEMES_DIR) {
                // Only the site theme the config names is read; before any good
                // build the config is unknown, so any change is worth a try.
                plan.full |= match &theme {
                    Some(name) => in_themes.as_os_str().is_empty() || in_themes.starts_with(name),
                    None => self.good.is_none(),
                };
            } else if let Ok(in_content) = relative.strip_prefix(CONTENT_DIR) {
                if in_content.as_os_str().is_empty() || in_content == Path::new(BRIEFS_DIR) {
                    // The folder itself appeared, vanished or was renamed.
                    plan.full = true;
                } else if content::is_ignored(in_content) {
                    continue;
                } else if is_brief_path(in_content) {
                    plan.briefs.insert(path.clone());
                } else {
                    plan.assets.insert(path.clone());
                }
            }
        }
        plan
    }

    /// Re-reads every brief that a touched file belongs to and re-renders what
    /// depends on it.
    fn apply_briefs(&mut self, touched: &BTreeSet<PathBuf>, outcome: &mut Outcome) {
        let Some(good) = self.good.as_ref() else {
            return;
        };
        let config = good.site.config.clone();
        let briefs_dir = config.root.join(CONTENT_DIR).join(BRIEFS_DIR);
        let mut by_slug: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
        for path in touched {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let stem = name.strip_suffix(".md").unwrap_or(&name);
            let slug = stem.rsplit_once('.').map_or(stem, |(slug, _)| slug);
            by_slug.entry(slug.to_string()).or_default().insert(path.clone());
        }
        let mut next = good.site.clone();
        let mut gone: BTreeSet<PageId> = BTreeSet::new();
        let mut touched_shown: Vec<PathBuf> = Vec::new();
        let mut slugs: BTreeSet<String> = BTreeSet::new();
        let mut edits = Vec::new();
        let mut stale_langs: BTreeSet<String> = BTreeSet::new();
        for (slug, mut files) in by_slug {
            for lang in &config.languages {
                files.insert(briefs_dir.join(format!("{slug}.{}.md", lang.code)));
            }
            touched_shown.extend(
                files
                    .iter()
                    .filter(|f| touched.contains(*f))
                    .map(|f| display_path(&config, f)),
            );
            let read = read_brief(&config, &slug, &files, self.options.drafts, &mut self.file_errors);
            let Some(after) = read.map(|(versions, warnings)| {
                outcome.warnings.extend(warnings);
                versions
            }) else {
                continue;
            };
            let before: Vec<Arc<BriefVersion>> = next.brief(&slug).map(|b| b.versions.clone()).unwrap_or_default();
            if before.len() == after.len() && before.iter().zip(&after).all(|(a, b)| a == b) {
                continue;
            }
            next.replace_brief(&slug, after.clone());
            slugs.insert(slug.clone());
            for lang in &config.languages {
                let version = |vs: &[Arc<BriefVersion>]| vs.iter().find(|v| v.lang() == lang.code).cloned();
                let (was, now) = (version(&before), version(&after));
                if was != now {
                    stale_langs.insert(lang.code.clone());
                    // What the index holds of the brief: its version before the
                    // first edit since the index was made.
                    let changed = self
                        .search_changed
                        .entry(lang.code.clone())
                        .or_insert_with(|| Some(BTreeMap::new()));
                    match (was, now.is_some(), changed.as_mut()) {
                        (Some(was), true, Some(changed)) => {
                            changed.entry(slug.clone()).or_insert(was);
                        }
                        _ => *changed = None,
                    }
                }
            }
            edits.push((slug.clone(), before.clone(), after.clone()));
            for version in before.iter().filter(|b| !after.iter().any(|a| a.lang() == b.lang())) {
                gone.insert(PageId::Brief(version.lang().to_string(), slug.clone()));
            }
        }
        if edits.is_empty() {
            return;
        }
        // Which brief supersedes which is checked across the site, as a build does:
        // an unknown slug, a loop or a brief superseded twice keeps the edit out.
        let lineage_errors = next.lineage_errors();
        if lineage_errors.has_errors() {
            if let Some(first) = touched_shown.into_iter().next() {
                self.file_errors
                    .entry(first)
                    .or_default()
                    .extend(only_errors(&lineage_errors));
            }
            return;
        }
        // First the edited briefs' own pages (what the drafter looks at), at once;
        // the lists and quotes that include them follow in `catch_up`, which also
        // works out which they are (`model::listing::pages_changed`).
        let first: BTreeSet<PageId> = model::listing::edited_brief_pages(&next, &edits)
            .into_iter()
            .chain(gone)
            .collect();
        let first = first.into_iter().filter(|p| !made_on_request(p)).collect();
        let (render, removed) = split_existing(&next, first);
        let rendered = match pipeline::render_pages(&next, &good.renderer, &render, false) {
            Ok(files) => files,
            Err(diags) => {
                // A page that cannot be rendered keeps the whole edit out; the
                // errors stay until one of the edited files changes again.
                if let Some(first) = touched_shown.into_iter().next() {
                    self.file_errors.insert(first, only_errors(&diags));
                }
                return;
            }
        };
        let Some(good) = self.good.as_mut() else {
            return;
        };
        outcome.rendered += rendered.len();
        update_files(&mut good.files, rendered, &removed, outcome);
        let before = std::mem::replace(&mut good.site, next);
        self.listings_since.get_or_insert(before);
        self.pending_edits.extend(edits);
        self.search_stale.extend(stale_langs);
    }

    /// Whether pages and files that include the last edits (lists, quotes, the
    /// search index) lag behind after [`LiveSite::apply`]; [`LiveSite::catch_up`]
    /// brings them level.
    pub fn is_behind(&self) -> bool {
        !self.search_stale.is_empty() || !self.pending.is_empty() || self.listings_since.is_some()
    }

    /// Brings everything level after [`LiveSite::apply`]: the pages that list or
    /// quote the edited briefs, then the search index. With thousands of briefs
    /// these are large pages and an index made from every brief, far more work than
    /// the edited pages themselves.
    pub fn catch_up(&mut self) -> Outcome {
        let started = Instant::now();
        let mut outcome = Outcome::default();
        while self.is_behind() {
            let step = self.catch_up_step();
            outcome.rendered += step.rendered;
            outcome.paths.extend(step.paths);
        }
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// One piece of [`LiveSite::catch_up`], done here and now.
    pub fn catch_up_step(&mut self) -> Outcome {
        match self.next_job() {
            Some(job) => {
                let done = job.run();
                self.finish(done)
            }
            None => Outcome::default(),
        }
    }

    /// Takes the next piece of the work [`LiveSite::apply`] left: a few pending
    /// pages, or one language's search index. The [`Job`] holds its own copy of
    /// the site, so `serve` runs it on another thread and keeps answering saves;
    /// hand the result to [`LiveSite::finish`].
    pub fn next_job(&mut self) -> Option<Job> {
        /// Pages per job: enough to keep every core busy.
        const PAGES_PER_JOB: usize = 4;
        let good = self.good.as_ref()?;
        if let Some(since) = self.listings_since.take() {
            let edits = std::mem::take(&mut self.pending_edits);
            self.pending.extend(
                model::listing::pages_changed(&since, &good.site, &edits)
                    .into_iter()
                    .filter(|p| !made_on_request(p)),
            );
        }
        let work = if !self.pending.is_empty() {
            let take: Vec<PageId> = self.pending.iter().take(PAGES_PER_JOB).cloned().collect();
            for page in &take {
                self.pending.remove(page);
            }
            Work::Pages(take)
        } else {
            let code = self.search_stale.pop_first()?;
            let previous = self.search_index.remove(&code);
            let changed = self.search_changed.remove(&code).flatten();
            let update = previous
                .zip(changed)
                .map(|(index, changed)| (index, changed.into_values().collect()));
            Work::Search(good.site.config.language(&code)?.clone(), update)
        };
        Some(Job {
            epoch: self.epoch,
            site: good.site.clone(),
            renderer: good.renderer.clone(),
            work,
        })
    }

    /// Takes in the result of a [`Job`]. Results from before a full rebuild are
    /// dropped. Pages rendered from an older copy of the site are still right:
    /// an edit since then that changes them has put them back in the queue.
    pub fn finish(&mut self, done: JobDone) -> Outcome {
        let mut outcome = Outcome::default();
        if done.epoch != self.epoch {
            return outcome;
        }
        let Some(good) = self.good.as_mut() else {
            return outcome;
        };
        match done.result {
            DoneWork::Pages(pages, Ok(rendered)) => {
                self.render_errors.clear();
                // Only pages the site has now: one removed meanwhile stays removed.
                // Asked page by page, as `split_existing` does: listing every page
                // for each job of four pages took most of the catch-up.
                let (keep, removed): (Vec<PageId>, Vec<PageId>) =
                    pages.into_iter().partition(|p| good.site.has_page(p));
                let keep: HashSet<String> = keep.iter().map(PageId::file).collect();
                let rendered: Vec<OutputFile> = rendered.into_iter().filter(|f| keep.contains(&f.path)).collect();
                outcome.rendered += rendered.len();
                update_files(&mut good.files, rendered, &removed, &mut outcome);
            }
            DoneWork::Pages(_, Err(diags)) => self.render_errors = only_errors(&diags),
            DoneWork::Search(folder, lang, index, fresh, kept) => {
                outcome.rendered += fresh.len();
                // An update leaves the files it did not change as they are.
                replace_folder(&mut good.files, &folder, kept.as_deref(), fresh, &mut outcome);
                self.search_index.insert(lang, index);
            }
        }
        outcome.elapsed = done.elapsed;
        outcome
    }

    /// Updates the copied files. An edit to a known file needs no work (it is read
    /// when requested) but every page may show it; a file appearing or vanishing
    /// re-lists `content/` the way a build does.
    fn apply_assets(&mut self, touched: &BTreeSet<PathBuf>, outcome: &mut Outcome) {
        let Some(good) = self.good.as_mut() else {
            return;
        };
        let content_dir = good.site.config.root.join(CONTENT_DIR);
        let mut relist = false;
        for path in touched {
            let Ok(relative) = path.strip_prefix(&content_dir) else {
                continue;
            };
            let output = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let folder = format!("{output}/");
            let known = good.assets.contains_key(&output);
            let known_folder = good.assets.keys().any(|k| k.starts_with(&folder));
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.is_file() && known => {
                    outcome.everything = true;
                    outcome.paths.insert(output);
                }
                Ok(meta) if meta.is_file() || meta.is_dir() => relist = true,
                _ => relist |= known || known_folder,
            }
        }
        if relist {
            let (content, _) = content::load(&good.site.config, self.options.drafts);
            let assets: Assets = content
                .assets
                .iter()
                .map(|a| (a.output.clone(), a.source.clone()))
                .collect();
            for (output, source) in &assets {
                if good.assets.get(output) != Some(source) {
                    outcome.paths.insert(output.clone());
                }
            }
            for output in good.assets.keys() {
                if !assets.contains_key(output) {
                    outcome.paths.insert(output.clone());
                }
            }
            good.site.assets = content.assets;
            good.assets = Arc::new(assets);
            outcome.everything = true;
        }
    }
}

/// Whether dev mode makes `page` only when it is asked for: the bulk exports'
/// parts are as large as all the briefs' text, change with every save and are
/// hardly ever opened while drafting (remaking and holding them after each save
/// took seconds and gigabytes at 10,000 briefs); their catalogue and the data
/// pages list their sizes and digests, so they are made with them.
pub fn made_on_request(page: &PageId) -> bool {
    pipeline::made_with_exports(page)
}

/// Whether the file at output `path` is made on request ([`made_on_request`]):
/// a part of the bulk exports, their catalogue, or a language's data page.
pub fn is_made_on_request(site: &Site, path: &str) -> bool {
    path == PageId::Catalogue.file()
        || exports::parse_part_name(path).is_some()
        || site
            .config
            .languages
            .iter()
            .any(|l| PageId::Data(l.code.clone()).file() == path)
}

/// The file at output `path` made on request, from the served site, as a build
/// writes it: a part's JSON lines are the served `index.json` files (each is its
/// line); the papers' rows, the catalogue and the data page are made from the
/// model. `None` for any other path, and for a part the site does not have.
pub fn export_of(site: &Site, renderer: &Renderer, files: &Files, path: &str) -> Option<Vec<u8>> {
    let line = |v: &BriefVersion| {
        let json = PageId::BriefData(v.lang().to_string(), v.slug().to_string()).file();
        files
            .get(&json)
            .map(|f| f.bytes())
            .ok_or_else(|| crate::diagnostics::Diagnostic::error(format!("`{json}` is not served")))
    };
    if let Some((kind, bucket)) = exports::parse_part_name(path) {
        let found = std::sync::Mutex::new(None);
        let sink = |name: &str, bytes: &[u8]| {
            if name == path
                && let Ok(mut found) = found.lock()
            {
                *found = Some(bytes.to_vec());
            }
            Ok::<(), crate::diagnostics::Diagnostic>(())
        };
        exports::write_group(site, kind, bucket, &line, exports::Store::Memory(&sink)).ok()?;
        return found.into_inner().ok()?;
    }
    let catalogue = || exports::write_all(site, &line, exports::Store::Memory(&|_: &str, _: &[u8]| Ok(()))).ok();
    if path == PageId::Catalogue.file() {
        return Some(catalogue()?.to_json());
    }
    let page = site
        .config
        .languages
        .iter()
        .map(|l| PageId::Data(l.code.clone()))
        .find(|p| p.file() == path)?;
    let catalogue = catalogue()?;
    pipeline::render_data_page(site, renderer, &page, &catalogue)
        .ok()
        .map(|f| f.contents)
}

/// Splits `pages` into those `site` has (to render) and those it no longer has (to
/// remove).
/// Asks page by page: for a brief's page that is a look-up, where listing every
/// page of a large site first (its listings made anew after an edit) took a
/// quarter of a second at 10,000 briefs, on the path of the drafter's edit.
fn split_existing(site: &Site, pages: BTreeSet<PageId>) -> (Vec<PageId>, Vec<PageId>) {
    pages.into_iter().partition(|p| site.has_page(p))
}

fn only_errors(diags: &Diagnostics) -> Vec<Diagnostic> {
    diags.iter().filter(|d| d.is_error()).cloned().collect()
}

/// Puts rendered files in place and takes removed pages out, noting what changed.
fn update_files(files: &mut Arc<Files>, rendered: Vec<OutputFile>, removed: &[PageId], outcome: &mut Outcome) {
    let files = Arc::make_mut(files);
    for file in rendered {
        let stored = Stored::new(&file.contents);
        if files.get(&file.path).is_none_or(|old| **old != stored) {
            outcome.paths.insert(file.path.clone());
            files.insert(file.path, Arc::new(stored));
        }
    }
    for page in removed {
        if files.remove(&page.file()).is_some() {
            outcome.paths.insert(page.file());
        }
    }
}

/// A piece of the work left after an edit, with what it needs to run anywhere.
pub struct Job {
    epoch: u64,
    site: Site,
    renderer: Arc<Renderer>,
    work: Work,
}

enum Work {
    Pages(Vec<PageId>),
    /// A language's index: made anew, or updated from the one kept and the
    /// briefs edited since (as they were then).
    Search(
        crate::config::Language,
        Option<(Arc<KeptIndex>, Vec<Arc<BriefVersion>>)>,
    ),
}

/// What a [`Job`] made.
pub struct JobDone {
    epoch: u64,
    result: DoneWork,
    elapsed: Duration,
}

enum DoneWork {
    Pages(Vec<PageId>, Result<Vec<OutputFile>, Diagnostics>),
    /// The search folder (`en/search/`), its index's language and the index,
    /// the index files made, and which files not made are kept: `None` when
    /// every file was made; after an update, every file but those under the
    /// token-shard folders it remade whole.
    Search(
        String,
        String,
        Arc<KeptIndex>,
        Vec<(String, Stored)>,
        Option<Vec<String>>,
    ),
}

impl Job {
    /// Does the work: renders the pages the site has, or writes one language's
    /// search index.
    pub fn run(self) -> JobDone {
        let started = Instant::now();
        let result = match self.work {
            Work::Pages(pages) => {
                let render: Vec<PageId> = pages.iter().filter(|p| self.site.has_page(p)).cloned().collect();
                let rendered = pipeline::render_pages(&self.site, &self.renderer, &render, false);
                DoneWork::Pages(pages, rendered)
            }
            Work::Search(lang, update) => {
                let folder = PageId::Search(lang.code.clone()).path();
                let keep = |f: OutputFile| (f.path, Stored::new(&f.contents));
                let updated = update.and_then(|(previous, changed)| {
                    crate::search::update_language_index(&self.site, &lang, &previous, &changed, keep)
                });
                let (index, files, kept) = match updated {
                    Some(updated) => (updated.kept, updated.files, Some(updated.remade)),
                    None => {
                        let (index, files) = crate::search::language_index_as(&self.site, &lang, keep);
                        (index, files, None)
                    }
                };
                DoneWork::Search(folder, lang.code, Arc::new(index), files, kept)
            }
        };
        JobDone {
            epoch: self.epoch,
            result,
            elapsed: started.elapsed(),
        }
    }
}

/// Replaces the files under `folder` (its `index.html` page aside) with
/// `fresh`; with `stale_only_under`, a file not in `fresh` is dropped only
/// under one of those folders (an update that made only what it changed).
fn replace_folder(
    files: &mut Arc<Files>,
    folder: &str,
    stale_only_under: Option<&[String]>,
    fresh: Vec<(String, Stored)>,
    outcome: &mut Outcome,
) {
    let fresh_paths: HashSet<&str> = fresh.iter().map(|(path, _)| path.as_str()).collect();
    let files = Arc::make_mut(files);
    let stale: Vec<String> = files
        .keys()
        .filter(|k| {
            k.strip_prefix(folder).is_some_and(|rest| rest != "index.html")
                && stale_only_under.is_none_or(|under| under.iter().any(|u| k.starts_with(u.as_str())))
                && !fresh_paths.contains(k.as_str())
        })
        .cloned()
        .collect();
    for key in stale {
        files.remove(&key);
        outcome.paths.insert(key);
    }
    for (path, stored) in fresh {
        if files.get(&path).is_none_or(|old| **old != stored) {
            outcome.paths.insert(path.clone());
            files.insert(path, Arc::new(stored));
        }
    }
}

impl Plan {
    fn is_empty(&self) -> bool {
        !self.full && self.briefs.is_empty() && self.assets.is_empty()
    }
}

/// Reads the files of one brief, with the warnings found; `None` (with the errors
/// recorded in `file_errors`) if any of them has an error, so the last good
/// versions stay.
fn read_brief(
    config: &Config,
    slug: &str,
    files: &BTreeSet<PathBuf>,
    drafts: bool,
    file_errors: &mut BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> Option<(Vec<Arc<BriefVersion>>, Vec<Diagnostic>)> {
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    let mut ok = true;
    for path in files {
        let shown = display_path(config, path);
        file_errors.remove(&shown);
        // The same rule as a full build's loader: a link out of the site is not read.
        if let Some(warning) = crate::content::link_out_of_site(config, path) {
            warnings.push(warning);
            continue;
        }
        let diags = match read_text(path, &shown) {
            Ok(None) => continue,
            Ok(Some(text)) => {
                let (source, diags) = parse_brief_file(config, &shown, &text);
                sources.extend(source);
                diags
            }
            Err(d) => [d].into_iter().collect(),
        };
        let (errors, file_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diags.into_vec().into_iter().partition(Diagnostic::is_error);
        warnings.extend(file_warnings);
        if !errors.is_empty() {
            ok = false;
            file_errors.insert(shown, errors);
        }
    }
    if !ok {
        return None;
    }
    sources.retain(|s| s.slug == slug && (drafts || !s.front.draft));
    let order = |code: &str| config.languages.iter().position(|l| l.code == code);
    sources.sort_by_key(|s| order(&s.lang));
    let mut versions = Vec::new();
    for source in sources {
        // An error of the body (a bad heading attribute, nesting too deep) keeps
        // the last good version, as an error of the file does.
        let shown = source.path.clone();
        let (mut version, diags) = model::prepare_version(config, source);
        // Kept as the startup build keeps it, so an unchanged save compares equal.
        version.release_body();
        version.pack();
        let (errors, body_warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diags.into_vec().into_iter().partition(Diagnostic::is_error);
        warnings.extend(body_warnings);
        if !errors.is_empty() {
            ok = false;
            file_errors.entry(shown).or_default().extend(errors);
        }
        versions.push(Arc::new(version));
    }
    if !ok {
        return None;
    }
    Some((versions, warnings))
}

/// A file's text; `Ok(None)` if it does not exist (deleted, or renamed away).
fn read_text(path: &Path, shown: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read(path) {
        Ok(bytes) => crate::diagnostics::utf8_text(shown, bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::error(format!("cannot read the file: {e}")).at(Location::start_of(shown))),
    }
}
