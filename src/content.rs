//! Stage 2: finding and reading the sources under `content/`.
//!
//! Each brief file is read and its front matter checked here, in parallel, into a
//! [`BriefSource`]; everything else under `content/` is an asset copied as it is.
//! All problems of all files are collected so a drafter sees every one in one run.

use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use toml::Spanned;

use crate::config::{Config, is_slug};
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::toml_fields::{TableReader, TomlSource};

pub const CONTENT_DIR: &str = "content";
pub const BRIEFS_DIR: &str = "briefs";

/// What a paper in the appendix is; decides its label and the index grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaperKind {
    Agenda,
    Minutes,
    Report,
    Paper,
    Motion,
    ProgressReport,
    Question,
    Other,
}

impl PaperKind {
    pub const ALL: [(&'static str, PaperKind); 8] = [
        ("agenda", PaperKind::Agenda),
        ("minutes", PaperKind::Minutes),
        ("report", PaperKind::Report),
        ("paper", PaperKind::Paper),
        ("motion", PaperKind::Motion),
        ("progress-report", PaperKind::ProgressReport),
        ("question", PaperKind::Question),
        ("other", PaperKind::Other),
    ];

    pub fn key(self) -> &'static str {
        PaperKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("other", |(name, _)| name)
    }

    pub fn from_key(key: &str) -> Option<PaperKind> {
        PaperKind::ALL.iter().find(|(name, _)| *name == key).map(|(_, k)| *k)
    }
}

/// One entry of a brief's "List of relevant papers".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    /// A committee key, or free text such as "Council meeting".
    pub body: String,
    pub date: Date,
    pub title: String,
    pub url: Option<String>,
    pub kind: PaperKind,
    pub date_note: Option<String>,
    /// Line of the `[[papers]]` header in the source, for `check`.
    pub line: usize,
}

/// A brief's front matter, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    pub committee: String,
    pub meeting: Date,
    /// Line and column of the `meeting` value, for messages about the date.
    pub meeting_at: (usize, usize),
    pub paper_no: Option<String>,
    pub file_ref: Option<String>,
    /// The address of the paper as officially published (its PDF): the authoritative
    /// version, linked from the page. An `http(s)` URL.
    pub source_url: Option<String>,
    pub issued: Date,
    pub issuer: Option<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    /// The `[[papers]]` entries as read. The model takes them when it prepares
    /// the brief (a build keeps them packed): read them with
    /// `BriefVersion::papers`.
    pub appendix: Vec<Paper>,
    /// The slug of the earlier brief this one updates (`supersedes`), with the
    /// line and column of the value, for messages about it.
    pub supersedes: Option<(String, (usize, usize))>,
}

/// One brief in one language, as read from `content/briefs/<slug>.<lang>.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefSource {
    pub slug: String,
    pub lang: String,
    /// Path relative to the site root, as shown in messages.
    pub path: PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Set once `body` has been released: the locations kept for the offsets
    /// messages may still point at, as (offset, line, column).
    pub released: Option<Vec<(usize, usize, usize)>>,
}

impl BriefSource {
    /// The file position of byte `offset` of the body.
    pub fn body_location(&self, offset: usize) -> Location {
        let kept = self
            .released
            .as_ref()
            .and_then(|kept| kept.iter().find(|(at, _, _)| *at == offset));
        match kept {
            Some(&(_, line, column)) => Location {
                path: self.path.clone(),
                line,
                column,
            },
            None => Location::at(&self.path, &self.body, offset, self.body_line),
        }
    }

    /// Frees the body text once it has been rendered, keeping the location of each
    /// of `offsets` for messages. A build of a large archive holds every brief in
    /// memory; the Markdown text is a third of that and is not needed again.
    pub fn release_body(&mut self, offsets: impl IntoIterator<Item = usize>) {
        let lines = crate::diagnostics::LineIndex::new(&self.body);
        let kept = offsets
            .into_iter()
            .map(|offset| {
                let (line, column) = lines.line_col(&self.body, offset);
                (offset, line + self.body_line - 1, column)
            })
            .collect();
        self.released = Some(kept);
        self.body = String::new();
    }
}

/// A file under `content/` that is not a brief, copied to the same relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to the output root, with `/` separators.
    pub output: String,
}

#[derive(Debug, Default)]
pub struct Content {
    /// Sorted by slug, then language order of the config.
    pub briefs: Vec<BriefSource>,
    pub assets: Vec<Asset>,
}

/// What a path under `content/` is.
pub enum ContentFile {
    Brief { slug: String, lang: String },
    Asset,
}

/// Reads every source under `root/content`.
pub fn load(config: &Config, include_drafts: bool) -> (Content, Diagnostics) {
    let (briefs, assets, diags) = load_each(config, include_drafts, Some);
    (Content { briefs, assets }, diags)
}

/// Reads every source under `root/content` and hands each brief to `prepare` as
/// soon as it is read, in parallel, keeping what `prepare` returns (`None` drops
/// the brief). A build prepares each brief into what it keeps of it and lets the
/// Markdown text go at once, so an archive's sources are never all in memory
/// together (at 10,000 bilingual briefs, 380 MB). Returns the results sorted by
/// slug, then the config's language order, with the assets and every problem.
pub fn load_each<T: Send>(
    config: &Config,
    include_drafts: bool,
    prepare: impl Fn(BriefSource) -> Option<T> + Sync + Send,
) -> (Vec<T>, Vec<Asset>, Diagnostics) {
    let content_dir = config.root.join(CONTENT_DIR);
    let mut diags = Diagnostics::new();
    let mut brief_paths = Vec::new();
    let mut assets = Vec::new();
    if content_dir.is_dir() {
        walk_content(config, &content_dir, &mut diags, &mut brief_paths, &mut assets);
    } else {
        diags.push(Diagnostic::warning(format!(
            "no {CONTENT_DIR}/ folder: the site has no briefs"
        )));
    }
    let lang_order = |code: &str| {
        config
            .languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    };
    type Keyed<T> = Option<((String, usize), T)>;
    let results: Vec<(Keyed<T>, Diagnostics)> = brief_paths
        .par_iter()
        .map(|path| {
            let shown = display_path(config, path);
            let (brief, file_diags) = match std::fs::read(path) {
                Ok(bytes) => match crate::diagnostics::utf8_text(&shown, bytes) {
                    Ok(text) => parse_brief_file(config, &shown, &text),
                    Err(d) => (None, single(d)),
                },
                Err(e) => (
                    None,
                    single(Diagnostic::error(format!("cannot read the file: {e}")).at(Location::start_of(&shown))),
                ),
            };
            let kept = brief
                .filter(|brief| include_drafts || !brief.front.draft)
                .and_then(|brief| {
                    let key = (brief.slug.clone(), lang_order(&brief.lang));
                    prepare(brief).map(|kept| (key, kept))
                });
            (kept, file_diags)
        })
        .collect();
    let mut kept = Vec::with_capacity(results.len());
    for (brief, file_diags) in results {
        diags.extend(file_diags);
        kept.extend(brief);
    }
    kept.sort_by(|(a, _), (b, _)| a.cmp(b));
    (kept.into_iter().map(|(_, brief)| brief).collect(), assets, diags)
}

fn single(d: Diagnostic) -> Diagnostics {
    [d].into_iter().collect()
}

/// Whether a path under `content/` (or under a theme's folder) is left out of the
/// site: a part starts with `.` (dotfiles and dot-folders: `.git/`, `.DS_Store`,
/// vim's `.x.swp`, Emacs' lock `.#x`), or the file is an editor's backup or
/// autosave (`x~`, `#x#`, `x.bak`, `x.orig`, `x.rej`, `x.tmp`, `x.save`), a swap
/// file (`x.swp`, `x.swo`, `x.swx`, `x.kate-swp`, `x.crswap`, in any case), or a
/// file the OS leaves behind (`Thumbs.db`, `desktop.ini`). Such files are never
/// briefs, never copied, and saving one does not rebuild in dev mode: a draft's
/// text in a backup must not be published.
pub fn is_ignored(relative: &Path) -> bool {
    let mut components = relative.components().peekable();
    while let Some(c) = components.next() {
        let name = c.as_os_str().to_string_lossy();
        if name.starts_with('.') {
            return true;
        }
        if components.peek().is_none() {
            return is_ignored_file_name(&name);
        }
    }
    false
}

fn is_ignored_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".bak",
            ".orig",
            ".rej",
            ".tmp",
            ".save",
            ".kate-swp",
            ".crswap",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || lower == "thumbs.db"
        || lower == "desktop.ini"
}

/// The older name of [`is_ignored`].
pub fn is_hidden(relative: &Path) -> bool {
    is_ignored(relative)
}

/// Lists the briefs and assets under `content_dir`, leaving out what
/// [`is_ignored`] names. A symbolic link is followed only if what it points to
/// lies inside the site's root folder; one that leads outside, points at
/// nothing, or loops is not followed, with a warning at the link.
fn walk_content(
    config: &Config,
    content_dir: &Path,
    diags: &mut Diagnostics,
    brief_paths: &mut Vec<PathBuf>,
    assets: &mut Vec<Asset>,
) {
    let root = config.root.canonicalize().unwrap_or_else(|_| config.root.clone());
    let link_warning = |path: &Path, message: String, help: &str| {
        Diagnostic::warning(message)
            .at(Location::start_of(&display_path(config, path)))
            .help(help.to_string())
    };
    const LINK_HELP: &str = "copy the file into the site, or link only to files inside the site folder";
    if let Ok(real) = content_dir.canonicalize()
        && !real.starts_with(&root)
    {
        diags.push(link_warning(
            content_dir,
            format!(
                "{CONTENT_DIR}/ is a symbolic link to {}, outside the site: nothing in it is read",
                real.display()
            ),
            LINK_HELP,
        ));
        return;
    }
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir);
                let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
                if path.strip_prefix(content_dir).is_ok_and(is_ignored) {
                    continue;
                }
                let loops = e.loop_ancestor().is_some()
                    || (is_link
                        && path
                            .canonicalize()
                            .is_err_and(|e| format!("{e:?}").contains("FilesystemLoop")));
                if loops {
                    diags.push(link_warning(
                        path,
                        "this symbolic link loops (it leads back to itself or to a folder it is in) and is not followed"
                            .into(),
                        "remove the link, or point it at a file or folder inside the site",
                    ));
                } else if is_link {
                    diags.push(link_warning(
                        path,
                        "this symbolic link points to nothing and is not copied".into(),
                        "remove the link or fix its target",
                    ));
                } else {
                    diags.push(Diagnostic::error(format!(
                        "cannot read {}: {e}",
                        display_path(config, path).display()
                    )));
                }
                continue;
            }
        };
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(content_dir) else {
            continue;
        };
        if is_ignored(relative) && !(entry.file_type().is_file() && stray_in_briefs(relative)) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            let outside = match path.canonicalize() {
                Ok(real) if real.starts_with(&root) => None,
                Ok(real) => Some(real),
                Err(_) => Some(path.to_path_buf()),
            };
            if let Some(real) = outside {
                let what = if entry.file_type().is_dir() { "folder" } else { "file" };
                diags.push(link_warning(
                    path,
                    format!(
                        "this symbolic link points outside the site (to {}) and is not followed: the {what} is not published",
                        real.display()
                    ),
                    LINK_HELP,
                ));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_brief_path(relative) {
            brief_paths.push(path.to_path_buf());
        } else if stray_in_briefs(relative) {
            diags.push(stray_brief_warning(&display_path(config, path)));
        } else {
            if relative.extension().is_some_and(|e| e == "md") {
                diags.push(
                    Diagnostic::warning("this Markdown file is not a brief and is copied as it is")
                        .at(Location::start_of(&display_path(config, path)))
                        .help(format!(
                            "briefs live directly in {CONTENT_DIR}/{BRIEFS_DIR}/ as <slug>.<lang>.md"
                        )),
                );
            }
            let output = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            assets.push(Asset {
                source: path.to_path_buf(),
                output,
            });
        }
    }
}

/// Whether a file at `relative` (under `content/`) lies in `briefs/` without being
/// a brief: `x.en.MD`, `x.markdown`, `x.en.md.orig`, `x.en.md~`, a subfolder's
/// file. Such a file is never published (a draft saved under another name must not
/// go out verbatim); the build warns about each one, naming it. Dotfiles there
/// (vim's `.x.swp`, `.DS_Store`) stay silently ignored.
pub fn stray_in_briefs(relative: &Path) -> bool {
    let mut components = relative.components();
    components.next().is_some_and(|dir| dir.as_os_str() == BRIEFS_DIR)
        && components.all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        && !is_brief_path(relative)
}

fn stray_brief_warning(shown: &Path) -> Diagnostic {
    let name = shown.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let name = crate::diagnostics::escape_controls(&name);
    let markdown_like = name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["md", "markdown", "mkd", "mdown", "mkdn", "txt"].contains(&ext.to_ascii_lowercase().as_str())
    });
    let help = if markdown_like {
        "to publish it, rename it `<slug>.<lang>.md` (lower-case `.md`), directly in content/briefs/"
    } else {
        "a backup or another copy of a brief: move it out of the site or delete it"
    };
    Diagnostic::warning(format!(
        "`{name}` is not a brief (`<slug>.<lang>.md`) and is not published: nothing else in {CONTENT_DIR}/{BRIEFS_DIR}/ is copied"
    ))
    .at(Location::start_of(shown))
    .help(help)
}

/// `briefs/<anything>.md` directly in `content/briefs/`.
pub fn is_brief_path(relative: &Path) -> bool {
    let mut components = relative.components();
    matches!(
        (components.next(), components.next(), components.next()),
        (Some(dir), Some(_), None) if dir.as_os_str() == BRIEFS_DIR
    ) && relative.extension().is_some_and(|e| e == "md")
}

/// A warning when `path` is a symbolic link whose target lies outside the site
/// root: such a file is never read, by a build or by serve after an edit.
pub fn link_out_of_site(config: &Config, path: &Path) -> Option<Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return None;
    }
    let root = config.root.canonicalize().unwrap_or_else(|_| config.root.clone());
    match path.canonicalize() {
        Ok(real) if real.starts_with(&root) => None,
        Ok(real) => Some(
            Diagnostic::warning(format!(
                "this symbolic link points outside the site (to {}) and is not followed: the file is not published",
                real.display()
            ))
            .at(Location::start_of(&display_path(config, path)))
            .help("copy the file into the site, or link only to files inside the site folder"),
        ),
        Err(_) => None,
    }
}

pub fn display_path(config: &Config, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root).unwrap_or(path).to_path_buf()
}

/// Reads one brief file's text; `shown` is its path relative to the site root.
pub fn parse_brief_file(config: &Config, shown: &Path, text: &str) -> (Option<BriefSource>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let file_name = shown
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let name_ok = parse_file_name(config, shown, &file_name, &mut diags);

    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((front_text, body, body_line)) = split_front_matter(shown, text, &mut diags) else {
        return (None, diags);
    };
    // Control characters: TOML rejects them raw in front matter with a vaguer
    // message, so a front matter that has any is not parsed further.
    if crate::diagnostics::report_forbidden_chars(shown, front_text, 2, &mut diags) {
        crate::diagnostics::report_forbidden_chars(shown, body, body_line, &mut diags);
        return (None, diags);
    }
    crate::diagnostics::report_forbidden_chars(shown, body, body_line, &mut diags);
    let lines = crate::diagnostics::LineIndex::new(front_text);
    let source = TomlSource {
        path: shown,
        text: front_text,
        first_line: 2,
        lines: &lines,
    };
    let Some(doc) = source.parse(&mut diags) else {
        return (None, diags);
    };
    let front = read_front_matter(config, source, doc.get_ref(), &mut diags);
    match (name_ok, front) {
        (Some((slug, lang)), Some(front)) if !diags.has_errors() => (
            Some(BriefSource {
                slug,
                lang,
                path: shown.to_path_buf(),
                front,
                body: body.to_string(),
                body_line,
                released: None,
            }),
            diags,
        ),
        _ => (None, diags),
    }
}

fn parse_file_name(
    config: &Config,
    shown: &Path,
    file_name: &str,
    diags: &mut Diagnostics,
) -> Option<(String, String)> {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let Some((slug, lang)) = stem.rsplit_once('.') else {
        diags.push(
            Diagnostic::error(format!(
                "`{}` does not name its language",
                crate::diagnostics::escape_controls(file_name)
            ))
            .at(Location::start_of(shown))
            .help(format!(
                "name brief files <slug>.<lang>.md, e.g. {stem}.{}.md",
                config.default_language
            )),
        );
        return None;
    };
    let mut ok = true;
    if !codes.contains(&lang) {
        diags.push(
            Diagnostic::error(format!(
                "unknown language suffix `.{}` (configured: {})",
                crate::diagnostics::escape_controls(lang),
                codes.join(", ")
            ))
            .at(Location::start_of(shown))
            .suggest(lang, codes.iter().copied()),
        );
        ok = false;
    }
    if !is_slug(slug) {
        diags.push(
            Diagnostic::error(format!(
                "`{}` is not a valid slug: use lowercase ASCII letters, digits and single dashes",
                crate::diagnostics::escape_controls(slug)
            ))
            .at(Location::start_of(shown))
            .help(format!("rename the file, e.g. to {}.{lang}.md", suggest_slug(slug))),
        );
        ok = false;
    }
    ok.then(|| (slug.to_string(), lang.to_string()))
}

fn suggest_slug(slug: &str) -> String {
    let mut out = String::new();
    for c in slug.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "brief".to_string()
    } else {
        out.to_string()
    }
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns the TOML, the body and the body's first line.
fn split_front_matter<'t>(shown: &Path, text: &'t str, diags: &mut Diagnostics) -> Option<(&'t str, &'t str, usize)> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        diags.push(
            Diagnostic::error("the file does not start with front matter")
                .at(Location::start_of(shown))
                .help("begin the file with a line `+++`, the TOML fields (title, committee, meeting…), then another `+++`"),
        );
        return None;
    }
    let front_start = (first_line_end + 1).min(text.len());
    let mut line_start = front_start;
    let mut line_no = 2;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "+++" {
            let body_start = (line_end + 1).min(text.len());
            return Some((&text[front_start..line_start], &text[body_start..], line_no + 1));
        }
        line_start = line_end + 1;
        line_no += 1;
    }
    diags.push(
        Diagnostic::error("the front matter opened on line 1 is never closed")
            .at(Location::start_of(shown))
            .help("add a line `+++` after the last front matter field"),
    );
    None
}

fn read_front_matter(
    config: &Config,
    source: TomlSource<'_>,
    doc: &toml::de::DeTable<'_>,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let mut r = TableReader::new(source, doc, 0..0, "", diags);
    let title = r.required_string("title");
    let committee = r.required_string("committee");
    let meeting = r.required_date("meeting");
    let paper_no = r.string("paper_no").map(Spanned::into_inner);
    let file_ref = r.string("file_ref").map(Spanned::into_inner);
    let source_url = r.string("source_url");
    let issued = r.date("issued").map(Spanned::into_inner);
    let issuer = r.string("issuer").map(Spanned::into_inner);
    let topics = r.string_array("topics").unwrap_or_default();
    let summary_at = r.string("summary");
    let summary = summary_at.clone().map(Spanned::into_inner);
    let draft = r.bool("draft").unwrap_or(false);
    let supersedes = r.string("supersedes");
    let paper_tables = r.tables("papers");
    r.finish();

    if let Some(committee) = &committee
        && config.committee(committee.get_ref()).is_none()
    {
        unknown_key(
            diags,
            source,
            committee,
            "committee",
            config.committees.iter().map(|c| c.key.as_str()),
        );
    }
    for topic in &topics {
        if config.topic(topic.get_ref()).is_none() {
            unknown_key(
                diags,
                source,
                topic,
                "topics",
                config.topics.iter().map(|t| t.key.as_str()),
            );
        }
    }
    for (field, value) in [("title", &title), ("summary", &summary_at)] {
        if let Some(value) = value
            && let Some(at) = value.get_ref().find(crate::diagnostics::is_bidi_control)
        {
            let c = value.get_ref()[at..].chars().next().unwrap_or_default();
            diags.push(
                Diagnostic::warning(format!(
                    "the {field} holds the invisible bidi control U+{:04X}, which shows the text after it in another order than it is written",
                    c as u32
                ))
                .at(source.location(&value.span()))
                .field(field)
                .help("delete the control character; lists, feeds and search show the text in its stored order"),
            );
        }
    }
    if let Some(title) = &title
        && title.get_ref().trim().is_empty()
    {
        diags.push(
            Diagnostic::error("the title is empty")
                .at(source.location(&title.span()))
                .field("title"),
        );
    }

    let supersedes = match supersedes {
        Some(value) if !is_slug(value.get_ref()) => {
            diags.push(
                Diagnostic::error(format!("`{}` is not a brief's slug", value.get_ref()))
                    .at(source.location(&value.span()))
                    .field("supersedes")
                    .help("name the earlier brief by its file name without language and `.md`, e.g. supersedes = \"smart-lampposts-pilot\""),
            );
            None
        }
        Some(value) => {
            let at = source.location(&value.span());
            Some((value.into_inner(), (at.line, at.column)))
        }
        None => None,
    };

    let source_url = source_url.and_then(|url| match check_source_url(url.get_ref()) {
        Ok(()) => Some(url.into_inner()),
        Err(problem) => {
            diags.push(
                Diagnostic::error(format!("`{}` {problem}", url.get_ref()))
                    .at(source.location(&url.span()))
                    .field("source_url")
                    .help("write the address of the official paper as published, e.g. source_url = \"https://www.legco.gov.hk/yr2025/english/panels/itb/papers/itb20250512cb2-848-3-e.pdf\""),
            );
            None
        }
    });

    let mut papers = Vec::new();
    for (i, (table, span)) in paper_tables.into_iter().enumerate() {
        if let Some(paper) = read_paper(source, table, span, i, diags) {
            papers.push(paper);
        }
    }

    let meeting = meeting?;
    let meeting_location = source.location(&meeting.span());
    let meeting = meeting.into_inner();
    Some(FrontMatter {
        title: title?.into_inner(),
        committee: committee?.into_inner(),
        meeting,
        meeting_at: (meeting_location.line, meeting_location.column),
        paper_no,
        file_ref,
        source_url,
        issued: issued.unwrap_or(meeting),
        issuer,
        topics: topics.into_iter().map(Spanned::into_inner).collect(),
        summary,
        draft,
        appendix: papers,
        supersedes,
    })
}

/// Checks a `source_url`: an absolute `http://` or `https://` address with a host, and
/// no space, control character, quote or angle bracket (it is written into the page's
/// links and the data). `Err` says what is wrong, to follow the URL in a message.
pub fn check_source_url(url: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("is not an absolute http(s) address (it must start with https:// or http://)");
    };
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return Err("is not an http(s) address (it must start with https:// or http://)");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err("contains a space, quote, angle bracket or control character");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("has a user name or password in it");
    }
    let host = authority.rsplit_once(':').map_or(authority, |(host, _)| host);
    if host.is_empty() || host.starts_with('.') || host.ends_with('.') && host.len() == 1 {
        return Err("has no host");
    }
    Ok(())
}

fn unknown_key<'a>(
    diags: &mut Diagnostics,
    source: TomlSource<'_>,
    found: &Spanned<String>,
    field: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) {
    let what = if field == "committee" { "committee" } else { "topic" };
    let section = if field == "committee" { "committees" } else { "topics" };
    let list: Vec<&str> = known.clone().collect();
    let diagnostic = Diagnostic::error(format!("unknown {what} `{}`", found.get_ref()))
        .at(source.location(&found.span()))
        .field(field)
        .suggest(found.get_ref(), known);
    let diagnostic = if diagnostic.help.is_none() {
        diagnostic.help(format!(
            "use a key of [{section}] in legbrief.toml: {}",
            list.join(", ")
        ))
    } else {
        diagnostic
    };
    diags.push(diagnostic);
}

fn read_paper(
    source: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    span: Range<usize>,
    index: usize,
    diags: &mut Diagnostics,
) -> Option<Paper> {
    let mut r = TableReader::new(source, table, span.clone(), format!("papers[{index}]"), diags);
    let body = r.required_string("body");
    let date = r.required_date("date");
    let title = r.required_string("title");
    let url = r.string("url").map(Spanned::into_inner);
    let kind = r.string("kind");
    let date_note = r.string("date_note").map(Spanned::into_inner);
    let line = r.table_location().line;
    let kind = match kind {
        None => Some(PaperKind::Other),
        Some(kind) => match PaperKind::from_key(kind.get_ref()) {
            Some(k) => Some(k),
            None => {
                let names: Vec<&str> = PaperKind::ALL.iter().map(|(n, _)| *n).collect();
                let location = r.location(&kind.span());
                let field = r.field_name("kind");
                r.diags.push(
                    Diagnostic::error(format!(
                        "unknown paper kind `{}` (expected one of: {})",
                        kind.get_ref(),
                        names.join(", ")
                    ))
                    .at(location)
                    .field(field)
                    .suggest(kind.get_ref(), names.iter().copied()),
                );
                None
            }
        },
    };
    r.finish();
    Some(Paper {
        body: body?.into_inner(),
        date: date?.into_inner(),
        title: title?.into_inner(),
        url,
        kind: kind?,
        date_note,
        line,
    })
}
