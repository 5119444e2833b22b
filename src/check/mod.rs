//! `legbrief check`: proves that a site can be published without a broken citation.
//!
//! The site is rendered exactly as `build` renders it, page by page, and nothing
//! is written: each page is scanned and dropped (`Scans`), then the site is read
//! the way a reader meets it: every `href`, `src` and `cite` of
//! every page, and every URL of the feeds and the sitemap, must lead to a file of the
//! site, and every `#anchor` to an `id` on the page it names. Checking the rendered
//! output rather than the sources is what catches links made by the theme, by the
//! topic pages that quote a brief, and by term archives.
//!
//! A reader's broken link is only useful to a drafter with the line to fix, so the
//! links written in a brief (body links and appendix `url`s) are checked at their
//! source first and reported with file, line and column; a broken link that no source
//! wrote is reported with the page and the template that made it.
//!
//! `build` runs the same link check ([`verify_output`]) and refuses to publish a site
//! that fails it. `check` adds what makes a citation ambiguous rather than broken:
//! translations of a brief whose paragraph numbers or topics differ, and one paper
//! number used by two briefs.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Token, Tokenizer};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::display_path;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity, did_you_mean};
use crate::links::{LinkMode, has_scheme, percent_decode, resolve_in_folder};
use crate::model::{BriefVersion, PageId, Site};
use crate::output::OutputFile;

mod tags;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The outcome of [`verify_output`].
#[derive(Debug, Default)]
pub struct SiteCheck {
    pub pages: usize,
    pub links: usize,
    /// Links to missing pages or anchors: `build` refuses these unless told otherwise.
    pub broken_links: Diagnostics,
    /// Problems no flag lets through: links that run scripts, duplicate ids,
    /// files that replace each other, two briefs with one paper number.
    pub other: Diagnostics,
}

/// A site rendered in memory, borrowed: what [`verify_output`] reads.
pub struct Output<'a> {
    pub site: &'a Site,
    /// How the pages link (a term archive links relatively).
    pub mode: &'a LinkMode,
    pub files: &'a [OutputFile],
    /// Files copied as they are: (source on disk, output path).
    pub copies: &'a [(PathBuf, String)],
}

/// Checks every link and anchor of a site rendered in memory, and that no two files
/// of the site land on the same output path. Shared by `build` (through
/// [`crate::pipeline::BuiltSite::verify`]), term archives and `check`.
pub fn verify_output(output: &Output<'_>) -> SiteCheck {
    let scans = Scans::new(output.site);
    output.files.par_iter().for_each(|f| scans.add(&f.path, &f.contents));
    verify_scanned(output.site, output.mode, scans, output.copies)
}

/// What the link check needs of the files a build writes: every path, and the ids
/// and links of each page, feed and sitemap. `build` fills it while it writes
/// each file, so it need not hold the whole site in memory to check it.
pub struct Scans {
    base_url: String,
    found: Mutex<ScansFound>,
    /// Every id and link text once: most recur on thousands of pages (`#p-3`,
    /// the navigation, a brief cited by many), and a large archive has millions.
    strings: Mutex<HashSet<Arc<str>>>,
}

#[derive(Default)]
struct ScansFound {
    paths: Vec<String>,
    /// Index into `paths`, and what the file holds.
    scanned: Vec<(usize, ScannedFile)>,
}

impl Scans {
    pub fn new(site: &Site) -> Scans {
        Scans {
            base_url: site.config.base_url.clone(),
            found: Mutex::new(ScansFound::default()),
            strings: Mutex::new(HashSet::new()),
        }
    }

    /// Records a file of the site; HTML and XML files are read for ids and links.
    pub fn add(&self, path: &str, contents: &[u8]) {
        let text = std::str::from_utf8(contents).ok();
        let mut scanned = match text {
            Some(text) if path.ends_with(".html") => Some(scan_html(text)),
            Some(text) if path.ends_with(".xml") => Some(scan_xml(text)),
            _ => None,
        };
        // Links to other sites are never followed nor counted: keeping them would
        // only hold memory (most links of a brief page are its appendix's).
        if let Some(file) = &mut scanned {
            file.links.retain(|link| !self.is_elsewhere(&link.href));
            self.share_strings(file);
        }
        if let Ok(mut found) = self.found.lock() {
            found.paths.push(path.to_string());
            if let Some(file) = scanned {
                let at = found.paths.len() - 1;
                found.scanned.push((at, file));
            }
        }
    }

    /// Replaces the file's ids and links by the copies already held, if any.
    fn share_strings(&self, file: &mut ScannedFile) {
        let Ok(mut strings) = self.strings.lock() else {
            return;
        };
        let mut share = |text: &Arc<str>| match strings.get(text) {
            Some(held) => Arc::clone(held),
            None => {
                strings.insert(Arc::clone(text));
                Arc::clone(text)
            }
        };
        for link in &mut file.links {
            link.href = share(&link.href);
        }
        file.ids = file.ids.iter().map(&mut share).collect();
    }

    /// Records a file that is not read (an index file, a theme file).
    pub fn add_path(&self, path: &str) {
        self.add(path, b"");
    }

    /// A link [`OutputIndex::resolve`] would call external whatever the page: a
    /// scheme or `//` host that is not the site's own address.
    fn is_elsewhere(&self, href: &str) -> bool {
        let href = href.trim();
        let own = href
            .strip_prefix(self.base_url.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
        let (target, _) = split_fragment(href);
        let path = target.split('?').next().unwrap_or_default();
        !own && (has_scheme(path) || path.starts_with("//"))
    }
}

/// [`verify_output`] over files recorded in `scans` as they were written.
pub fn verify_scanned(site: &Site, mode: &LinkMode, scans: Scans, copies: &[(PathBuf, String)]) -> SiteCheck {
    let found = scans.found.into_inner().unwrap_or_default();
    let index = OutputIndex::from_parts(site, mode, &found.paths, found.scanned, copies);
    let mut check = SiteCheck {
        pages: index.scanned.values().filter(|p| p.html).count(),
        ..SiteCheck::default()
    };
    let reported = check_source_links(&index, &mut check);
    check_page_links(&index, &reported, &mut check);
    check.other.extend(duplicate_ids(&index));
    check
        .other
        .extend(output_collisions(&site.config, &found.paths, copies));
    // Checked here, not only by `check`, so `build` and term archives refuse it too.
    check.other.extend(duplicate_paper_numbers(site));
    check
}

// ---- the output, as a reader's browser sees it ---------------------------

/// A link found in a page: the attribute's value, entities decoded.
struct FoundLink {
    href: Arc<str>,
}

/// The ids and links of one HTML page, or the URLs of a feed or sitemap.
#[derive(Default)]
struct ScannedFile {
    html: bool,
    ids: HashSet<Arc<str>>,
    /// Ids that occur more than once on the page.
    duplicate_ids: BTreeSet<String>,
    links: Vec<FoundLink>,
}

/// Every output file of the site, and what its pages contain.
struct OutputIndex<'a> {
    site: &'a Site,
    mode: &'a LinkMode,
    /// Every output path: rendered pages, theme files and copied assets.
    files: HashSet<&'a str>,
    /// HTML and XML files, by output path.
    scanned: HashMap<&'a str, ScannedFile>,
    /// Which page each rendered file is.
    pages: HashMap<String, PageId>,
}

impl<'a> OutputIndex<'a> {
    fn from_parts(
        site: &'a Site,
        mode: &'a LinkMode,
        paths: &'a [String],
        scanned: Vec<(usize, ScannedFile)>,
        copies: &'a [(PathBuf, String)],
    ) -> OutputIndex<'a> {
        let files: HashSet<&str> = paths
            .iter()
            .map(String::as_str)
            .chain(copies.iter().map(|(_, p)| p.as_str()))
            .collect();
        let scanned = scanned
            .into_iter()
            .map(|(at, file)| (paths[at].as_str(), file))
            .collect();
        let pages = site.pages().into_iter().map(|p| (p.file(), p)).collect();
        OutputIndex {
            site,
            mode,
            files,
            scanned,
            pages,
        }
    }

    fn is_archive(&self) -> bool {
        *self.mode == LinkMode::Relative
    }

    /// Where `href`, written in the page at site path `from`, leads. A drafter's
    /// link is read `as_published`: the renderer adapts it for a term archive.
    fn resolve(&self, from: &str, href: &str, as_published: bool) -> Resolved {
        let href = href.trim();
        let config = &self.site.config;
        let archive = self.is_archive() && !as_published;
        // The site's own absolute URLs (canonical, alternates, feeds): in an archive
        // they lead to the live site, which the archive does not contain.
        let own = href
            .strip_prefix(config.base_url.as_str())
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
        if let Some(rest) = own {
            if archive {
                return Resolved::External;
            }
            let (rest, fragment) = split_fragment(rest);
            let rest = rest.split('?').next().unwrap_or_default();
            return self.lookup(rest.trim_start_matches('/'), fragment, archive);
        }
        let (target, fragment) = split_fragment(href);
        let path = target.split('?').next().unwrap_or_default();
        if has_scheme(path) || path.starts_with("//") {
            return Resolved::External;
        }
        if path.is_empty() {
            // The page itself, whatever form links to it take.
            let file = if from.is_empty() || from.ends_with('/') {
                format!("{from}index.html")
            } else {
                from.to_string()
            };
            return self.lookup(&file, fragment, archive);
        }
        if let Some(absolute) = path.strip_prefix('/') {
            if archive {
                return Resolved::Broken(
                    "a root-relative link does not work in a term archive opened from disk".into(),
                );
            }
            let base_path = config.base_path();
            return match path.strip_prefix(base_path.as_str()) {
                Some(site_path) => self.lookup(site_path, fragment, archive),
                // Elsewhere on the host: not this site's to check.
                None if base_path != "/" => Resolved::External,
                None => self.lookup(absolute, fragment, archive),
            };
        }
        match join(from, path) {
            Some(site_path) => self.lookup(&site_path, fragment, archive),
            None => Resolved::Broken("it climbs above the site's root folder".into()),
        }
    }

    /// The file at `site_path` (as written, percent-encoded) and its anchor.
    fn lookup(&self, site_path: &str, fragment: Option<&str>, archive: bool) -> Resolved {
        let decoded = percent_decode(site_path);
        let fragment = fragment.map(percent_decode);
        let folder = decoded.is_empty() || decoded.ends_with('/');
        let file = if folder {
            format!("{decoded}index.html")
        } else if self.files.contains(decoded.as_str()) {
            decoded.clone()
        } else {
            // `en/topics` for `en/topics/`: hosts redirect, a disk does not.
            let index = format!("{decoded}/index.html");
            if !self.files.contains(index.as_str()) {
                return Resolved::Missing {
                    site_path: decoded,
                    fragment,
                };
            }
            if archive {
                return Resolved::Broken(format!(
                    "`{decoded}` is a folder; opened from disk it needs `{decoded}/index.html`"
                ));
            }
            index
        };
        if !self.files.contains(file.as_str()) {
            return Resolved::Missing {
                site_path: decoded,
                fragment,
            };
        }
        if folder && archive {
            return Resolved::Broken(format!("`{decoded}` is a folder; opened from disk it needs `{file}`"));
        }
        let anchor_ok = match (&fragment, self.scanned.get(file.as_str())) {
            (Some(f), Some(page)) if page.html => f.is_empty() || f == "top" || page.ids.contains(f.as_str()),
            _ => true,
        };
        if anchor_ok {
            Resolved::Found
        } else {
            Resolved::NoAnchor {
                file,
                fragment: fragment.unwrap_or_default(),
            }
        }
    }

    /// Explains a failed resolution, with a hint where one can be guessed.
    fn explain(&self, from: &str, href: &str, resolved: &Resolved) -> Option<(String, Option<String>)> {
        match resolved {
            Resolved::Found | Resolved::External => None,
            Resolved::Broken(reason) => Some((format!("link `{href}` is broken: {reason}"), None)),
            Resolved::Missing { site_path, fragment } => Some((
                format!("link `{href}` leads to `{site_path}`, which is not a page or file of this site"),
                self.suggest_page(from, site_path, fragment.as_deref()),
            )),
            Resolved::NoAnchor { file, fragment } => {
                let mut message = format!("link `{href}`: `{}` has no anchor `#{fragment}`", page_path_of(file));
                let cites_paragraph = fragment.strip_prefix("p-").is_some_and(|n| n.parse::<u32>().is_ok());
                if let Some(count) = self.paragraph_count(file).filter(|_| cites_paragraph) {
                    message.push_str(&match count {
                        0 => " (the brief has no numbered paragraphs)".to_string(),
                        1 => " (the brief has paragraph 1 only)".to_string(),
                        n => format!(" (the brief has paragraphs 1 to {n})"),
                    });
                }
                let help = self.scanned.get(file.as_str()).and_then(|page| {
                    did_you_mean(fragment, page.ids.iter().map(|id| &**id))
                        .map(|best| format!("did you mean `#{best}`?"))
                });
                Some((message, help))
            }
        }
    }

    /// Paragraphs of the brief whose page is `file`.
    fn paragraph_count(&self, file: &str) -> Option<u32> {
        let PageId::Brief(lang, slug) = self.pages.get(file)? else {
            return None;
        };
        Some(self.site.brief(slug)?.version(lang)?.outline().paragraphs)
    }

    /// A likely intended link: the same path climbing to the root first
    /// (`../../zh-hk/…` one level short), or a brief slug one typo away.
    fn suggest_page(&self, from: &str, site_path: &str, fragment: Option<&str>) -> Option<String> {
        let fragment = fragment.map_or_else(String::new, |f| format!("#{f}"));
        let segments: Vec<&str> = site_path.split('/').collect();
        for skip in 1..segments.len() {
            let candidate = segments[skip..].join("/");
            if candidate.is_empty() {
                break;
            }
            if self.exists(&candidate) {
                let depth = folder_of(from).matches('/').count();
                return Some(format!("did you mean `{}{candidate}{fragment}`?", "../".repeat(depth)));
            }
        }
        if let [lang, "briefs", slug, ..] = segments.as_slice()
            && self.site.brief(slug).and_then(|b| b.version(lang)).is_none()
        {
            let slugs = self
                .site
                .briefs
                .iter()
                .filter(|b| b.version(lang).is_some())
                .map(|b| b.slug.as_str());
            if let Some(best) = did_you_mean(slug, slugs) {
                return Some(format!(
                    "is the brief `{best}` meant? (no brief is called `{slug}` in `{lang}`)"
                ));
            }
        }
        None
    }

    fn exists(&self, site_path: &str) -> bool {
        let file = if site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path.to_string()
        };
        self.files.contains(file.as_str())
    }
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    /// A file of the site, and the anchor if any.
    Found,
    /// Another site, a scheme such as `mailto:`, or the host outside the site's path.
    External,
    /// No file at this path.
    Missing {
        site_path: String,
        fragment: Option<String>,
    },
    /// The page exists but has no element with this id.
    NoAnchor { file: String, fragment: String },
    /// Cannot work wherever the site is published.
    Broken(String),
}

impl Resolved {
    fn is_broken(&self) -> bool {
        !matches!(self, Resolved::Found | Resolved::External)
    }

    /// What was not found, to recognise the same broken target on other pages.
    fn key(&self) -> Option<String> {
        match self {
            Resolved::Missing { site_path, fragment } => {
                Some(format!("{site_path}#{}", fragment.as_deref().unwrap_or_default()))
            }
            Resolved::NoAnchor { file, fragment } => Some(format!("{file}#{fragment}")),
            _ => None,
        }
    }
}

// ---- links written in the sources -----------------------------------------

/// Checks the links drafters wrote (body links and appendix `url`s) from the page
/// of their brief, reporting each at its source. Returns what was found broken, so
/// pages that show the same link (topic pages) do not report it again.
fn check_source_links(index: &OutputIndex<'_>, check: &mut SiteCheck) -> HashSet<String> {
    let mut reported = HashSet::new();
    for brief in &index.site.briefs {
        for version in &brief.versions {
            let from = PageId::Brief(version.lang().to_string(), version.slug().to_string()).path();
            for SourceLink { href, location, field } in source_links(version) {
                let href: &str = &href;
                check.links += 1;
                if let Some(scheme) = script_scheme(href) {
                    let d = Diagnostic::error(format!(
                        "link `{href}` uses the `{scheme}:` scheme, which runs code in the reader's browser"
                    ))
                    .at(location)
                    .help("link to a page, a file or an http(s) address");
                    check.other.push(match field {
                        Some(field) => d.field(field),
                        None => d,
                    });
                    continue;
                }
                let resolved = index.resolve(&from, href, true);
                // A term archive leaves out other terms' briefs and points links to
                // them at the live site; `check` without `--term` checks those.
                if index.site.term.is_some() && matches!(resolved, Resolved::Missing { .. }) {
                    continue;
                }
                let Some((message, help)) = index.explain(&from, href, &resolved) else {
                    continue;
                };
                if let Some(key) = resolved.key() {
                    reported.insert(key);
                }
                reported.insert(location_key(&location));
                let mut d = Diagnostic::error(message).at(location);
                if let Some(field) = field {
                    d = d.field(field);
                }
                if let Some(help) = help {
                    d = d.help(help);
                }
                check.broken_links.push(d);
            }
        }
    }
    reported
}

/// A link written in a brief's source: body links and appendix `url`s.
struct SourceLink<'v> {
    href: std::borrow::Cow<'v, str>,
    location: Location,
    field: Option<String>,
}

fn source_links(version: &BriefVersion) -> impl Iterator<Item = SourceLink<'_>> {
    let body = version.outline().links.iter().map(|l| SourceLink {
        href: std::borrow::Cow::Borrowed(l.href.as_str()),
        location: version.source.body_location(l.offset),
        field: None,
    });
    // A build keeps the appendix packed: its URLs are unpacked here, owned.
    let papers: Vec<SourceLink<'_>> = version
        .papers()
        .iter()
        .enumerate()
        .filter_map(|(i, paper)| {
            paper.url.as_deref().map(|url| SourceLink {
                href: std::borrow::Cow::Owned(url.to_string()),
                location: Location {
                    path: version.source.path.clone(),
                    line: paper.line,
                    column: 1,
                },
                field: Some(format!("papers[{i}].url")),
            })
        })
        .collect();
    body.chain(papers)
}

/// Whether a link of a page is the one a source wrote: Markdown percent-encodes
/// what it writes into `href` (`/files/圖表.svg` becomes `/files/%E5%9C%96…`).
fn same_url(written: &str, shown: &str) -> bool {
    written == shown || percent_decode(written.trim()) == percent_decode(shown)
}

fn location_key(location: &Location) -> String {
    format!("{}:{}:{}", location.path.display(), location.line, location.column)
}

/// The brief versions whose links a page shows: a brief page its own, a listing
/// the briefs it quotes or whose papers it lists (`model::listing::briefs_on`).
fn versions_shown(site: &Site, page: Option<&PageId>) -> Vec<Arc<BriefVersion>> {
    match page {
        Some(PageId::Brief(lang, slug)) => site
            .brief(slug)
            .and_then(|b| b.version(lang))
            .map(|v| vec![v.clone()])
            .unwrap_or_default(),
        Some(page @ (PageId::Topic(..) | PageId::TopicTerm(..) | PageId::PapersTerm(..))) => {
            let listings = site.listings();
            let lang = listings.lang(page.lang().unwrap_or_default());
            crate::model::listing::briefs_on(site, page)
                .into_iter()
                .map(|i| lang.brief(i).clone())
                .collect()
        }
        _ => Vec::new(),
    }
}

// ---- links of every page ---------------------------------------------------

/// The template (or generator) that made a page, for links no source wrote.
fn made_by(page: Option<&PageId>) -> String {
    page.map_or_else(|| "no template".to_string(), |p| p.kind().made_by())
}

/// The site path a file's relative links resolve from: `en/` for `en/index.html`.
fn page_path_of(file: &str) -> String {
    file.strip_suffix("index.html").unwrap_or(file).to_string()
}

fn check_page_links(index: &OutputIndex<'_>, reported: &HashSet<String>, check: &mut SiteCheck) {
    let mut files: Vec<(&&str, &ScannedFile)> = index.scanned.iter().collect();
    files.sort_by_key(|(path, _)| **path);
    let results: Vec<(usize, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|(file, scanned)| {
            let page = index.pages.get(*file as &str);
            let from = page.map_or_else(|| page_path_of(file), PageId::path);
            let mut count = 0;
            let mut diags = Vec::new();
            let mut seen = HashSet::new();
            for link in &scanned.links {
                let resolved = index.resolve(&from, &link.href, false);
                if resolved != Resolved::External {
                    count += 1;
                }
                if !resolved.is_broken()
                    || resolved.key().is_some_and(|k| reported.contains(&k))
                    || !seen.insert(&*link.href)
                {
                    continue;
                }
                let Some((message, help)) = index.explain(&from, &link.href, &resolved) else {
                    continue;
                };
                // A link kept as the drafter wrote it is the drafter's to fix.
                let shown = versions_shown(index.site, page);
                let origin = shown
                    .iter()
                    .find_map(|v| source_links(v).find(|s| same_url(&s.href, &link.href)));
                let mut d = match origin {
                    Some(origin) if reported.contains(&location_key(&origin.location)) => continue,
                    Some(origin) => {
                        let d = Diagnostic::error(format!("{message} (on page `{file}`)")).at(origin.location);
                        match origin.field {
                            Some(field) => d.field(field),
                            None => d,
                        }
                    }
                    None => Diagnostic::error(format!("{message} (on page `{file}`, made by {})", made_by(page))),
                };
                if let Some(help) = help {
                    d = d.help(help);
                }
                diags.push(d);
            }
            (count, diags)
        })
        .collect();
    for (count, diags) in results {
        check.links += count;
        for d in diags {
            check.broken_links.push(d);
        }
    }
}

/// An id given twice on a page makes `#id` ambiguous; a heading written
/// `{#p-3}` would even take over a paragraph's citation.
fn duplicate_ids(index: &OutputIndex<'_>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut files: Vec<(&&str, &ScannedFile)> = index
        .scanned
        .iter()
        .filter(|(_, s)| !s.duplicate_ids.is_empty())
        .collect();
    files.sort_by_key(|(path, _)| **path);
    for (file, scanned) in files {
        let page = index.pages.get(*file as &str);
        let version = match page {
            Some(PageId::Brief(lang, slug)) => index.site.brief(slug).and_then(|b| b.version(lang)),
            _ => None,
        };
        for id in &scanned.duplicate_ids {
            let heading = version.and_then(|v| {
                v.outline()
                    .heading_ids
                    .iter()
                    .find(|(h, _)| h == id)
                    .map(|(_, offset)| v.source.body_location(*offset))
            });
            let d = match heading {
                Some(location) => Diagnostic::error(format!(
                    "the heading id `{id}` is also used by another element of the brief's page, so `#{id}` is ambiguous"
                ))
                .at(location)
                .help("choose another id with `{#…}`; `p-<n>` ids belong to numbered paragraphs"),
                None => Diagnostic::error(format!(
                    "page `{file}` has more than one element with id `{id}` (made by {})",
                    made_by(page)
                )),
            };
            diags.push(d);
        }
    }
    diags
}

/// A copied file of `content/` that lands where the site writes a page (or a theme
/// file) would silently replace it; two names that differ only in case replace each
/// other on case-insensitive hosts, and two that differ only in Unicode
/// normalisation (`é` as one code point or as `e` and an accent) look the same and
/// are one file on hosts that normalise names (macOS).
fn output_collisions(config: &Config, paths: &[String], copies: &[(PathBuf, String)]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let generated: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut by_case: BTreeMap<String, Vec<(&str, Option<PathBuf>)>> = BTreeMap::new();
    for path in paths {
        by_case.entry(name_key(path)).or_default().push((path, None));
    }
    for (source, output) in copies {
        let shown = display_path(config, source);
        if generated.contains(output.as_str()) {
            diags.push(
                Diagnostic::error(format!(
                    "this file would be published as `{output}`, replacing the page or theme file legbrief makes there"
                ))
                .at(Location::start_of(&shown))
                .help("move or rename the file"),
            );
        }
        by_case.entry(name_key(output)).or_default().push((output, Some(shown)));
    }
    for entries in by_case.values().filter(|e| e.len() > 1) {
        let names: BTreeSet<&str> = entries.iter().map(|(n, _)| *n).collect();
        if names.len() < 2 {
            continue;
        }
        let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let mut d = Diagnostic::warning(format!(
            "{list} differ only in letter case or Unicode normalisation: on a case-insensitive or normalising host one replaces the other"
        ));
        if let Some(shown) = entries.iter().find_map(|(_, s)| s.clone()) {
            d = d.at(Location::start_of(&shown));
        }
        diags.push(d);
    }
    diags
}

/// What a host that ignores case and Unicode normalisation sees of a file name.
fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect::<String>().to_lowercase()
}

// ---- citations that would mean different things ------------------------------

/// Translations of one brief must number the same paragraphs and cover the same
/// topics: `#p-12` cites the same paragraph in every language only if they do.
pub fn translation_mismatches(site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for brief in &site.briefs {
        let Some((first, others)) = brief.versions.split_first() else {
            continue;
        };
        for other in others {
            if first.outline().paragraphs != other.outline().paragraphs {
                diags.push(
                    Diagnostic::warning(format!(
                        "`{}` has {} numbered paragraph{} but its translation `{}` has {}: a citation `#p-n` would point to different text in each language",
                        other.source.path.display(),
                        other.outline().paragraphs,
                        plural(other.outline().paragraphs as usize),
                        first.source.path.display(),
                        first.outline().paragraphs,
                    ))
                    .at(other.source.body_location(0))
                    .help("keep the same paragraphs in every language (lists, tables and quotes are not numbered)"),
                );
            }
            topic_differences(site, first, other, &mut diags);
            topic_differences(site, other, first, &mut diags);
        }
    }
    diags
}

/// Topics of `has` that `lacks` does not have, located where `has` declares them.
fn topic_differences(site: &Site, has: &BriefVersion, lacks: &BriefVersion, diags: &mut Diagnostics) {
    for topic in has.topics.iter().filter(|t| !lacks.topics.contains(t)) {
        let location = has
            .outline()
            .heading_ids
            .iter()
            .find(|(id, _)| id == topic)
            .map(|(_, offset)| has.source.body_location(*offset))
            .or_else(|| front_matter_location(site, has, "topics"))
            .unwrap_or_else(|| Location::start_of(&has.source.path));
        diags.push(
            Diagnostic::warning(format!(
                "topic `{topic}` is in `{}` but not in its translation `{}`",
                has.source.path.display(),
                lacks.source.path.display()
            ))
            .at(location)
            .help(format!(
                "give both languages the same topics, with the same heading id `{{#{topic}}}`"
            )),
        );
    }
}

/// Two briefs with one paper number: a citation of that paper would be ambiguous,
/// and one of them is usually a copy-paste slip. Both languages of a brief share it.
pub fn duplicate_paper_numbers(site: &Site) -> Diagnostics {
    let mut by_number: BTreeMap<&str, Vec<&BriefVersion>> = BTreeMap::new();
    for brief in &site.briefs {
        for version in &brief.versions {
            if let Some(no) = version.source.front.paper_no.as_deref().map(str::trim)
                && !no.is_empty()
            {
                by_number.entry(no).or_default().push(version);
            }
        }
    }
    let mut diags = Diagnostics::new();
    for (number, versions) in by_number {
        let Some(first) = versions.first() else { continue };
        for version in versions.iter().filter(|v| v.slug() != first.slug()) {
            let location = front_matter_location(site, version, "paper_no")
                .unwrap_or_else(|| Location::start_of(&version.source.path));
            diags.push(
                Diagnostic::error(format!(
                    "paper number `{number}` is also the paper number of `{}`",
                    first.source.path.display()
                ))
                .at(location)
                .field("paper_no")
                .help("each brief has its own paper number; check which brief this number belongs to"),
            );
        }
    }
    diags
}

/// Where `key = …` is written in a brief's front matter, found by reading the file
/// again (front matter keeps no spans once checked).
fn front_matter_location(site: &Site, version: &BriefVersion, key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(site.config.root.join(&version.source.path)).ok()?;
    let front_end = version.source.body_line.saturating_sub(1);
    text.lines().enumerate().take(front_end).find_map(|(i, line)| {
        let rest = line.trim_start().strip_prefix(key)?;
        let value = rest.trim_start().strip_prefix('=')?;
        let column = line.chars().count() - value.trim_start().chars().count() + 1;
        Some(Location {
            path: version.source.path.clone(),
            line: i + 1,
            column,
        })
    })
}

// ---- reading pages ------------------------------------------------------------

/// Attributes whose value is a URL a reader (or a search engine) follows.
const LINK_ATTRIBUTES: [&str; 4] = ["href", "src", "cite", "poster"];

fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// Ids and links of an HTML page, parsed as a browser tokenizes it (minified,
/// unquoted attributes and entities included): by [`tags`] when it can vouch
/// for the page, which is nearly always, otherwise by html5gum.
fn scan_html(html: &str) -> ScannedFile {
    let mut scanned = ScannedFile {
        html: true,
        ..ScannedFile::default()
    };
    let keep = |name: &[u8], is_anchor: bool| {
        if name == b"id" {
            Some(tags::Kept::Id { is_id: true })
        } else if is_anchor && name == b"name" {
            Some(tags::Kept::Id { is_id: false })
        } else if LINK_ATTRIBUTES.iter().any(|a| a.as_bytes() == name) {
            Some(tags::Kept::Link)
        } else {
            None
        }
    };
    let read = tags::each_kept(html, keep, |kind, value| match kind {
        tags::Kept::Id { is_id } => {
            if !scanned.ids.insert(value.into()) && is_id {
                scanned.duplicate_ids.insert(value.to_string());
            }
        }
        tags::Kept::Link => scanned.links.push(FoundLink { href: value.into() }),
    });
    match read {
        Some(()) => scanned,
        None => scan_html_fully(html),
    }
}

/// [`scan_html`] by html5gum's tokenizer, for any page.
///
/// Events rather than tokens: every page of the site passes through here, and
/// html5gum's tokens allocate each text run and attribute, which made this a sixth
/// of a large build. As in a browser (and html5gum's tokens), only the first of
/// two attributes of the same name counts.
fn scan_html_fully(html: &str) -> ScannedFile {
    struct Tag {
        is_anchor: bool,
        /// Names of the attributes read so far.
        names: Vec<Vec<u8>>,
        /// The attribute being read, if it is one we keep: (name, value).
        pending: Option<(Vec<u8>, Vec<u8>)>,
        /// Attributes kept, counted once the tag closes (a tag cut off by the end
        /// of the file is no tag).
        kept: Vec<(Vec<u8>, Vec<u8>)>,
    }
    impl Tag {
        fn open(&mut self, is_anchor: bool) {
            self.is_anchor = is_anchor;
            self.names.clear();
            self.pending = None;
            self.kept.clear();
        }
        fn end_attribute(&mut self) {
            if let Some(attribute) = self.pending.take() {
                self.kept.push(attribute);
            }
        }
        fn close(&mut self, scanned: &mut ScannedFile) {
            self.end_attribute();
            for (name, value) in self.kept.drain(..) {
                if name == b"id" || (self.is_anchor && name == b"name") {
                    let id = text(&value);
                    if !scanned.ids.insert(id.as_str().into()) && name == b"id" {
                        scanned.duplicate_ids.insert(id);
                    }
                } else {
                    scanned.links.push(FoundLink {
                        href: text(&value).into(),
                    });
                }
            }
        }
    }
    let mut scanned = ScannedFile {
        html: true,
        ..ScannedFile::default()
    };
    let mut tag = Tag {
        is_anchor: false,
        names: Vec::new(),
        pending: None,
        kept: Vec::new(),
    };
    let mut in_start_tag = false;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _span: Span<()>| -> Option<()> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                in_start_tag = true;
                tag.open(name == b"a");
            }
            CallbackEvent::AttributeName { name } if in_start_tag => {
                tag.end_attribute();
                if tag.names.iter().any(|seen| seen == name) {
                    return None;
                }
                tag.names.push(name.to_vec());
                let kept = name == b"id"
                    || (tag.is_anchor && name == b"name")
                    || LINK_ATTRIBUTES.iter().any(|a| a.as_bytes() == name);
                if kept {
                    tag.pending = Some((name.to_vec(), Vec::new()));
                }
            }
            CallbackEvent::AttributeValue { value } if in_start_tag => {
                if let Some((_, pending)) = &mut tag.pending {
                    pending.extend_from_slice(value);
                }
            }
            CallbackEvent::CloseStartTag { .. } if in_start_tag => {
                tag.close(&mut scanned);
                in_start_tag = false;
            }
            CallbackEvent::EndTag { .. } => in_start_tag = false,
            _ => {}
        }
        None
    });
    let mut emitter = emitter;
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html, emitter) {}
    scanned
}

/// URLs of a feed or sitemap: `href` attributes and the text of `loc`, `link`
/// and `guid` elements.
fn scan_xml(xml: &str) -> ScannedFile {
    let mut scanned = ScannedFile::default();
    let mut in_url_element = false;
    let mut current = String::new();
    for token in Tokenizer::new(xml).flatten() {
        match token {
            Token::StartTag(tag) => {
                if let Some(href) = tag.attributes.get(b"href".as_slice()) {
                    scanned.links.push(FoundLink {
                        href: text(&href.value).into(),
                    });
                }
                in_url_element = matches!(tag.name.as_slice(), b"loc" | b"link" | b"guid") && !tag.self_closing;
                current.clear();
            }
            Token::String(s) if in_url_element => current.push_str(&text(&s.value)),
            Token::EndTag(_) => {
                if in_url_element && !current.trim().is_empty() {
                    scanned.links.push(FoundLink {
                        href: current.trim().into(),
                    });
                }
                in_url_element = false;
                current.clear();
            }
            _ => {}
        }
    }
    scanned
}

// ---- URL pieces -----------------------------------------------------------------

/// The scheme of a URL that runs code when followed (`javascript:`, `vbscript:`,
/// `data:` other than an image), read as browsers read it: ignoring case, leading
/// spaces and control characters, and tabs or line breaks anywhere.
fn script_scheme(url: &str) -> Option<&'static str> {
    let normalized: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if normalized.starts_with("javascript:") {
        Some("javascript")
    } else if normalized.starts_with("vbscript:") {
        Some("vbscript")
    } else if normalized.starts_with("data:") && !normalized.starts_with("data:image/") {
        Some("data")
    } else {
        None
    }
}

/// `path#fragment` → (`path`, `Some("fragment")`).
fn split_fragment(href: &str) -> (&str, Option<&str>) {
    match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (href, None),
    }
}

/// The folder part of a site path: `en/briefs/x/` for itself, `` for `404.html`.
fn folder_of(page_path: &str) -> &str {
    page_path.rfind('/').map_or("", |i| &page_path[..=i])
}

/// Resolves relative `path` from the page at `page_path`; `None` if it climbs
/// above the site's root.
fn join(page_path: &str, path: &str) -> Option<String> {
    resolve_in_folder(folder_of(page_path), path)
}

/// The publishing gate every build passes, whole site or term archive: a
/// published brief is cited by paragraph for years, so no broken link ships unless
/// the publisher says so (`allow_broken_links`), and problems no flag lets through
/// (links that run scripts, duplicate ids, colliding files, a paper number given
/// to two briefs) never do. Returns the
/// warnings to report with the build, or every error.
pub fn gate(verified: SiteCheck, allow_broken_links: bool) -> Result<Diagnostics, Diagnostics> {
    let refused = verified.broken_links.has_errors() && !allow_broken_links;
    if refused || verified.other.has_errors() {
        let mut errors = Diagnostics::new();
        if refused {
            let count = verified.broken_links.error_count();
            errors.push(Diagnostic::note(format!(
                "refusing to publish a site with {count} broken internal link{}; fix them, or build with --allow-broken-links",
                if count == 1 { "" } else { "s" }
            )));
        }
        errors.extend(verified.broken_links);
        errors.extend(verified.other);
        return Err(errors);
    }
    let mut warnings = as_warnings(verified.broken_links);
    warnings.extend(verified.other);
    Ok(warnings)
}

/// Turns errors into warnings: what `build --allow-broken-links` publishes anyway.
pub fn as_warnings(diags: Diagnostics) -> Diagnostics {
    diags
        .into_vec()
        .into_iter()
        .map(|mut d| {
            d.severity = Severity::Warning;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What html5gum's tokens say a page holds: the reference `scan_html` must match.
    fn scan_with_tokens(html: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let mut emitter = html5gum::DefaultEmitter::default();
        emitter.naively_switch_states(true);
        let (mut ids, mut duplicates, mut links) = (Vec::new(), Vec::new(), Vec::new());
        for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
            let Token::StartTag(tag) = token else { continue };
            for (name, value) in &tag.attributes {
                let name = name.as_slice();
                if name == b"id" || (tag.name.as_slice() == b"a" && name == b"name") {
                    if ids.contains(&text(&value.value)) && name == b"id" {
                        duplicates.push(text(&value.value));
                    }
                    ids.push(text(&value.value));
                } else if LINK_ATTRIBUTES.iter().any(|a| a.as_bytes() == name) {
                    links.push(text(&value.value));
                }
            }
        }
        ids.sort();
        ids.dedup();
        duplicates.sort();
        duplicates.dedup();
        (ids, duplicates, links)
    }

    fn scanned(html: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let file = scan_html(html);
        let mut ids: Vec<String> = file.ids.iter().map(|id| id.to_string()).collect();
        ids.sort();
        let duplicates = file.duplicate_ids.into_iter().collect();
        let links = file.links.iter().map(|l| l.href.to_string()).collect();
        (ids, duplicates, links)
    }

    #[test]
    fn pages_are_read_as_html5gum_tokenizes_them() {
        let pages = [
            r#"<!doctype html><html lang=en><a href=/x/ name=top id=a>x</a><p id=a id=b>t</p>"#,
            r#"<img src="a&amp;b.png" alt=""><a href='#p-1' href=/ignored/>1</a><q cite=/c/>q</q>"#,
            r#"<script>var s = "<a href='/not/'>";</script><a href="">empty</a><p id="">"#,
            r#"<!-- <a href=/commented/> --><textarea><a href=/raw/></textarea><video poster=/v.png>"#,
            r#"<a href=/cut/ id=cut"#,
            r#"<div id=x></div id=y><A HREF=/upper/ ID=Upper>u</A><p id=x>"#,
            r#"<a href=/a/ title="x"/><svg><a href=/in-svg/ /></svg>"#,
        ];
        for page in pages {
            assert_eq!(scanned(page), scan_with_tokens(page), "{page}");
        }
    }

    /// The fast reader either gives up or reads what html5gum reads, on pages
    /// pieced together from fragments that exercise every state it models.
    #[test]
    fn the_fast_reader_reads_as_html5gum_or_gives_up() {
        const PIECES: &[&str] = &[
            "<a href=/x/>",
            "<a href=\"/q p/\">",
            "<a href='/s/'>",
            "<p id=a>",
            "<p id=\"b c\">",
            "</p>",
            "</a>",
            "text ",
            "中文",
            " < ",
            "<3",
            "</>",
            "</",
            "<",
            ">",
            "<br/>",
            "<img src=/i.png/>",
            "<a name=n>",
            "<div id=a id=b>",
            "<q cite=/c/ cite=/d/>",
            "<a href=/e/ title=\"a>b\">",
            "<x =y href=/z/>",
            "<a href>",
            "<a href=>",
            "<a href = /sp/ >",
            "<a/href=/sl/>",
            "<a href=\"/n/\"id=m>",
            "<!-- c -->",
            "<!-- <a href=/no/> -->",
            "<!-->",
            "<!--->",
            "<!-- a --!>",
            "<!doctype html>",
            "<!DOCTYPE html>",
            "<script>if (a<b) x = '</scriptx>';</script>",
            "<script>a<!--b</script>",
            "<style>a{}</style >",
            "<textarea><a href=/raw/></textarea>",
            "<title>t</TITLE>",
            "<![CDATA[ x ]]>",
            "<?pi?>",
            "&amp;",
            "<a href=/a&amp;b/>",
            "<a href=\"/a&b\">",
            "<p title=\"&lt;\" id=t>",
            "<svg><a href=/s/ /></svg>",
            "<A HREF=/up/>",
            "<P ID=Up>",
            "\n",
            "\t",
            "<a\nhref=/nl/\nid=nl>",
            "<plaintext>",
            "<iframe>",
            "</iframe>",
            "<noscript><a href=/ns/></noscript>",
            "</div id=q>",
            "</p \"x>\">",
            "<a href=\"",
            "<a href='",
            "<a href=/cut",
            "<a id=",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut fast = 0;
        for _ in 0..20_000 {
            let len = (next() % 8) as usize + 1;
            let page: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let mut links = Vec::new();
            let mut ids = Vec::new();
            let mut duplicates = Vec::new();
            let keep = |name: &[u8], is_anchor: bool| match name {
                b"id" => Some(tags::Kept::Id { is_id: true }),
                b"name" if is_anchor => Some(tags::Kept::Id { is_id: false }),
                _ if LINK_ATTRIBUTES.iter().any(|a| a.as_bytes() == name) => Some(tags::Kept::Link),
                _ => None,
            };
            let read = tags::each_kept(&page, keep, |kind, value| match kind {
                tags::Kept::Id { is_id } => {
                    if ids.iter().any(|i| i == value) && is_id {
                        duplicates.push(value.to_string());
                    }
                    ids.push(value.to_string());
                }
                tags::Kept::Link => links.push(value.to_string()),
            });
            if read.is_none() {
                continue;
            }
            fast += 1;
            ids.sort();
            ids.dedup();
            duplicates.sort();
            duplicates.dedup();
            // html5gum's tokens hold a tag's attributes sorted by name.
            links.sort();
            let (token_ids, token_duplicates, mut token_links) = scan_with_tokens(&page);
            token_links.sort();
            assert_eq!(
                (ids, duplicates, links),
                (token_ids, token_duplicates, token_links),
                "{page:?}"
            );
        }
        // Most pieced pages are within what the fast reader models.
        assert!(fast > 5_000, "only {fast} pages read fast");
    }

    #[test]
    fn relative_links_resolve_from_the_page_folder() {
        assert_eq!(join("en/briefs/x/", "../y/").as_deref(), Some("en/briefs/y/"));
        assert_eq!(
            join("en/briefs/x/", "../../../zh-hk/briefs/x/").as_deref(),
            Some("zh-hk/briefs/x/")
        );
        assert_eq!(
            join("en/briefs/x/", "../../zh-hk/briefs/x/").as_deref(),
            Some("en/zh-hk/briefs/x/")
        );
        assert_eq!(join("404.html", "en/").as_deref(), Some("en/"));
        assert_eq!(join("en/briefs/x/", "../../../../"), None);
        assert_eq!(join("en/", "chart.pdf").as_deref(), Some("en/chart.pdf"));
    }

    #[test]
    fn minified_pages_are_read_like_a_browser_reads_them() {
        let page = scan_html(
            "<p id=p-1><a href=../x/#p-2>x</a><a href=\"a?b=1&amp;c=2\">y</a></p><p id=p-1></p>\
             <script>let s = '<a href=\"nope\">';</script><!-- <a href=gone> -->",
        );
        let hrefs: Vec<&str> = page.links.iter().map(|l| &*l.href).collect();
        assert_eq!(hrefs, ["../x/#p-2", "a?b=1&c=2"]);
        assert!(page.ids.contains("p-1"));
        assert!(page.duplicate_ids.contains("p-1"));
    }

    #[test]
    fn feeds_yield_their_urls() {
        let feed = scan_xml(
            "<rss><channel><link>https://e.org/en/</link><atom:link href=\"https://e.org/en/feed.xml\"/>\
             <item><title>T &amp; U</title><guid isPermaLink=\"true\">https://e.org/en/briefs/a/</guid></item></channel></rss>",
        );
        let hrefs: Vec<&str> = feed.links.iter().map(|l| &*l.href).collect();
        assert_eq!(
            hrefs,
            [
                "https://e.org/en/",
                "https://e.org/en/feed.xml",
                "https://e.org/en/briefs/a/"
            ]
        );
    }

    #[test]
    fn script_urls_are_recognised_as_browsers_read_them() {
        assert_eq!(script_scheme("javascript:alert(1)"), Some("javascript"));
        assert_eq!(script_scheme(" \u{1}JaVa\tScRipt:x"), Some("javascript"));
        assert_eq!(script_scheme("vbscript:x"), Some("vbscript"));
        assert_eq!(script_scheme("data:text/html,<b>"), Some("data"));
        assert_eq!(script_scheme("data:image/png;base64,AA"), None);
        assert_eq!(script_scheme("../javascript:x/"), None);
        assert_eq!(script_scheme("https://e.org/javascript:"), None);
    }

    #[test]
    fn schemes_and_fragments() {
        assert!(has_scheme("mailto:a@b.org"));
        assert!(has_scheme("https://e.org"));
        assert!(!has_scheme("../x/#p-1"));
        assert!(!has_scheme("a/b:c"));
        assert_eq!(split_fragment("../x/#p-2"), ("../x/", Some("p-2")));
        assert_eq!(percent_decode("%E6%99%BA"), "智");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
