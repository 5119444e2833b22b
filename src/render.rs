//! Stage 5: pages from the site model, through the theme's Tera templates.
//!
//! Each page is rendered on its own from a small context that holds only what that
//! page shows (one brief, or the list items of one listing), never the whole site:
//! serializing big contexts is what makes Tera-based generators slow. Links are
//! made here with a [`Linker`], so templates never build URLs themselves and the
//! same templates serve the published site and a term archive.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tera::{Context, Tera};

use crate::body_links::BodyLinks;
use crate::config::{Config, Language};
use crate::content::PaperKind;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::feeds;
use crate::links::{LinkMode, Linker};
use crate::markdown::{Block, BlockKind};
use crate::model::{BriefVersion, PageId, Site};
use crate::theme::Theme;

/// Templates compiled once per build, and the UI strings per language.
pub struct Renderer {
    tera: Tera,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    strings_value: BTreeMap<String, tera::Value>,
    /// Template name → the file it came from, for locating template errors.
    shown: BTreeMap<String, std::path::PathBuf>,
    pub mode: LinkMode,
}

/// The output path of the theme's stylesheet and other static files.
pub const STATIC_DIR: &str = "static/";

impl Renderer {
    pub fn new(theme: &Theme, mode: LinkMode) -> Result<Renderer, Diagnostics> {
        let mut tera = Tera::new();
        let mut diags = Diagnostics::new();
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            match std::str::from_utf8(&file.contents) {
                Ok(text) => sources.push((name.to_string(), text.to_string())),
                Err(_) => {
                    diags.push(Diagnostic::error("template is not UTF-8 text").at(Location::start_of(&file.shown)))
                }
            }
        }
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            diags.push(template_error(theme, &e));
        }
        for required in [
            "base.html",
            "landing.html",
            "home.html",
            "brief.html",
            "topics.html",
            "topic.html",
            "committees.html",
            "committee.html",
            "terms.html",
            "term.html",
            "papers.html",
            "search.html",
            "404.html",
        ] {
            if !tera.contains_template(required) && !diags.has_errors() {
                diags.push(Diagnostic::error(format!(
                    "the theme has no template `templates/{required}`"
                )));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let strings_value = theme
            .strings
            .iter()
            .map(|(lang, map)| (lang.clone(), tera::Value::from_serializable(map)))
            .collect();
        let shown = theme
            .templates()
            .map(|(name, file)| (name.to_string(), file.shown.clone()))
            .collect();
        Ok(Renderer {
            tera,
            strings: theme.strings.clone(),
            strings_value,
            shown,
            mode,
        })
    }

    fn string<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.strings
            .get(lang)
            .and_then(|m| m.get(key))
            .map_or(key, String::as_str)
    }

    /// Renders one page to bytes.
    pub fn render_page(&self, site: &Site, page: &PageId) -> Result<Vec<u8>, Diagnostic> {
        let linker = Linker::new(&self.mode, &page.path());
        match page {
            PageId::Sitemap => return Ok(feeds::sitemap(site, self).into_bytes()),
            PageId::Feed(lang) => return Ok(feeds::rss(site, lang, self).into_bytes()),
            _ => {}
        }
        let lang_code = page.lang().unwrap_or(&site.config.default_language).to_string();
        let Some(lang) = site.config.language(&lang_code) else {
            return Err(Diagnostic::error(format!("no language `{lang_code}`")));
        };
        let cx = PageContext {
            site,
            renderer: self,
            page,
            lang,
            linker: &linker,
        };
        let (template, context) = cx.build()?;
        let html = self.tera.render(template, &context).map_err(|e| {
            Diagnostic::error(format!("cannot render {}: {}", page.file(), tera_message(&e)))
                .at(self.template_location(template, &e))
        })?;
        Ok(html.into_bytes())
    }

    pub fn kind_label(&self, lang: &str, kind: PaperKind) -> &str {
        let key = match kind {
            PaperKind::Agenda => "kind_agenda",
            PaperKind::Minutes => "kind_minutes",
            PaperKind::Report => "kind_report",
            PaperKind::Paper => "kind_paper",
            PaperKind::Motion => "kind_motion",
            PaperKind::ProgressReport => "kind_progress_report",
            PaperKind::Question => "kind_question",
            PaperKind::Other => "kind_other",
        };
        self.string(lang, key)
    }

    /// The index page of `build --all-terms`: every archive of `archives` in every
    /// language, linking to the archive's language home. `site` is the whole site.
    pub fn render_archive_index(&self, site: &Site, archives: &[ArchiveListing]) -> Result<Vec<u8>, Diagnostic> {
        let config = &site.config;
        let lang = config
            .language(&config.default_language)
            .ok_or_else(|| Diagnostic::error(format!("no language `{}`", config.default_language)))?;
        let linker = Linker::new(&LinkMode::Relative, "");
        let cx = PageContext {
            site,
            renderer: self,
            page: &PageId::Landing,
            lang,
            linker: &linker,
        };
        let (template, context) = cx.archive_index(archives);
        let html = self.tera.render(template, &context).map_err(|e| {
            Diagnostic::error(format!(
                "cannot render the index of term archives: {}",
                tera_message(&e)
            ))
            .at(self.template_location(template, &e))
        })?;
        Ok(html.into_bytes())
    }

    /// Where a rendering error of `template` is: the theme file and position Tera
    /// reports (which may be a template it includes or extends), else the start
    /// of `template`'s file.
    fn template_location(&self, template: &str, e: &tera::Error) -> Location {
        let file = |name: &str| {
            self.shown
                .get(name)
                .cloned()
                .unwrap_or_else(|| std::path::PathBuf::from(format!("templates/{name}")))
        };
        match report_of(e) {
            Some(report) if !report.filename().is_empty() => Location {
                path: file(report.filename()),
                line: report.span().start_line.max(1),
                column: report.span().start_col + 1,
            },
            _ => Location::start_of(&file(template)),
        }
    }

    /// The absolute URL of a page, for canonical links, feeds and sitemaps.
    pub fn absolute_url(config: &Config, page: &PageId) -> String {
        format!("{}/{}", config.base_url, page.path())
    }
}

fn tera_message(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

/// The file name and span a Tera error carries, in itself or in an error it wraps.
fn report_of(e: &tera::Error) -> Option<&tera::ReportError> {
    let mut error: &(dyn std::error::Error + 'static) = e;
    loop {
        if let Some(tera_error) = error.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) = tera_error.kind()
        {
            return Some(report);
        }
        error = error.source()?;
    }
}

/// A template syntax error, located in the theme file that has it.
fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let file_of = |name: &str| {
        theme.templates().find(|(n, _)| *n == name).map_or_else(
            || std::path::PathBuf::from(format!("templates/{name}")),
            |(_, f)| f.shown.clone(),
        )
    };
    match e.kind() {
        tera::ErrorKind::CircularExtend { tpl: name, .. }
        | tera::ErrorKind::CircularInclude { tpl: name, .. }
        | tera::ErrorKind::MissingParent { current: name, .. } => {
            return Diagnostic::error(format!("template error: {}", tera_message(e)))
                .at(Location::start_of(&file_of(name)));
        }
        _ => {}
    }
    if let tera::ErrorKind::SyntaxError(report) = e.kind() {
        let name = report.filename();
        let shown = theme.templates().find(|(n, _)| *n == name).map_or_else(
            || std::path::PathBuf::from(format!("templates/{name}")),
            |(_, f)| f.shown.clone(),
        );
        let span = report.span();
        return Diagnostic::error(format!("template syntax error: {}", report.message())).at(Location {
            path: shown,
            line: span.start_line,
            column: span.start_col + 1,
        });
    }
    Diagnostic::error(format!("template error: {}", tera_message(e)))
}

// ---- contexts -------------------------------------------------------------

#[derive(Serialize)]
struct LangInfo<'a> {
    code: &'a str,
    name: &'a str,
    tag: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Alternate {
    tag: String,
    href: String,
}

#[derive(Serialize)]
struct SwitchItem<'a> {
    code: &'a str,
    name: &'a str,
    tag: &'a str,
    href: String,
    current: bool,
    /// The page has no version in this language; `href` goes to that language's home.
    missing: bool,
}

#[derive(Serialize)]
struct Nav {
    home: String,
    topics: String,
    committees: String,
    terms: String,
    papers: String,
    search: String,
    feed: String,
}

#[derive(Serialize)]
struct ArchiveInfo {
    name: String,
    start: String,
    end: String,
    /// The banner in the page's language, or in every language on pages that have
    /// none (the landing page and the 404 page).
    lines: Vec<ArchiveLine>,
}

#[derive(Serialize)]
struct ArchiveLine {
    tag: String,
    text: String,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    kind: &'static str,
    title: String,
    description: String,
    site_title: &'a str,
    /// The site's title in every language, for pages that are in none (the
    /// landing page, the 404 page, the index of term archives): their header
    /// speaks to readers of each. Empty on a language's pages.
    site_titles: Vec<SiteTitle<'a>>,
    lang: LangInfo<'a>,
    root: String,
    css: String,
    canonical: String,
    alternates: Vec<Alternate>,
    switcher: Vec<SwitchItem<'a>>,
    nav: Nav,
    archive: Option<ArchiveInfo>,
}

#[derive(Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct SiteTitle<'a> {
    tag: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct BriefItem {
    title: String,
    href: String,
    paper_no: Option<String>,
    committee: Link,
    meeting: String,
    meeting_iso: String,
    summary: String,
}

#[derive(Serialize)]
struct CountedLink {
    name: String,
    href: String,
    count: usize,
    reference: Option<String>,
    dates: Option<String>,
}

#[derive(Serialize)]
struct PaperCell {
    title: String,
    url: Option<String>,
    kind: &'static str,
    kind_label: String,
}

#[derive(Serialize)]
struct AppendixRow {
    date: String,
    date_iso: String,
    marker: Option<String>,
    papers: Vec<PaperCell>,
}

#[derive(Serialize)]
struct AppendixGroup {
    body: String,
    rows: Vec<AppendixRow>,
}

#[derive(Serialize)]
struct DateNote {
    marker: String,
    text: String,
}

#[derive(Serialize)]
struct BriefPage {
    title: String,
    paper_no: Option<String>,
    file_ref: Option<String>,
    committee: Link,
    meeting: String,
    meeting_iso: String,
    issued: String,
    issued_iso: String,
    issuer_lines: Vec<String>,
    topics: Vec<Link>,
    term: Option<Link>,
    body: String,
    footnotes: Vec<Footnote>,
    appendix: Vec<AppendixGroup>,
    date_notes: Vec<DateNote>,
}

#[derive(Serialize)]
struct Footnote {
    id: String,
    html: String,
}

#[derive(Serialize)]
struct TopicEntry {
    brief: BriefItem,
    heading: String,
    section: String,
}

/// One paper of the papers index. `cited_by` holds the template's `{title, href,
/// paper_no}` of each citing brief as a Tera value made once per brief and shared
/// (Tera values are reference-counted): an archive of 10,000 briefs has 300,000
/// citations per language, and serializing made a map and strings for each.
struct IndexPaper {
    title: String,
    url: Option<String>,
    kind_label: String,
    cited_by: Vec<tera::Value>,
}

struct IndexDate {
    date: String,
    date_iso: String,
    papers: Vec<IndexPaper>,
}

struct IndexBody {
    body: String,
    href: Option<String>,
    dates: Vec<IndexDate>,
}

/// A template map, with the keys and values serializing a struct would give.
fn map_value(fields: impl IntoIterator<Item = (&'static str, tera::Value)>) -> tera::Value {
    tera::Value::from(fields.into_iter().collect::<BTreeMap<&'static str, tera::Value>>())
}

impl IndexBody {
    /// The template's `bodies` entry: `{body, href, dates: [{date, date_iso, papers:
    /// [{title, url, kind_label, cited_by}]}]}`.
    fn into_value(self) -> tera::Value {
        let dates: Vec<tera::Value> = self
            .dates
            .into_iter()
            .map(|d| {
                let papers: Vec<tera::Value> = d
                    .papers
                    .into_iter()
                    .map(|p| {
                        map_value([
                            ("title", p.title.into()),
                            ("url", p.url.into()),
                            ("kind_label", p.kind_label.into()),
                            ("cited_by", p.cited_by.into()),
                        ])
                    })
                    .collect();
                map_value([
                    ("date", d.date.into()),
                    ("date_iso", d.date_iso.into()),
                    ("papers", papers.into()),
                ])
            })
            .collect();
        map_value([
            ("body", self.body.into()),
            ("href", self.href.into()),
            ("dates", dates.into()),
        ])
    }
}

#[derive(Serialize)]
struct LandingLanguage<'a> {
    code: &'a str,
    name: &'a str,
    tag: &'a str,
    title: &'a str,
    href: String,
    count: usize,
    /// What the site is and how many briefs it has, in this language.
    intro: String,
    /// The language's main listings (topics, committees, terms, papers).
    sections: Vec<Link>,
    /// In a term archive: the term and its committees, in this language.
    archive: Option<LandingArchive>,
}

#[derive(Serialize)]
struct LandingArchive {
    term: String,
    dates: String,
    briefs: String,
    committees_heading: String,
    committees: Vec<LandingCommittee>,
}

#[derive(Serialize)]
struct LandingCommittee {
    name: String,
    href: String,
    briefs: String,
}

/// One term's archive, as the index page of `build --all-terms` lists it.
pub struct ArchiveListing {
    pub term: u32,
    /// Its folder beside the index page, e.g. `term-7`.
    pub folder: String,
    /// Its number of briefs per language code.
    pub briefs: BTreeMap<String, usize>,
    /// Its zip file beside the index page, if one was written.
    pub zip: Option<String>,
}

#[derive(Serialize)]
struct ArchivesLanguage<'a> {
    code: &'a str,
    tag: &'a str,
    heading: &'a str,
    download: &'a str,
    archives: Vec<ArchiveItem>,
}

#[derive(Serialize)]
struct ArchiveItem {
    name: String,
    href: String,
    dates: String,
    briefs: String,
    zip: Option<String>,
}

/// Everything needed to build one page's context.
struct PageContext<'a> {
    site: &'a Site,
    renderer: &'a Renderer,
    page: &'a PageId,
    lang: &'a Language,
    linker: &'a Linker,
}

/// A placeholder in UI strings, e.g. `{n}` in "Paragraph {n}".
pub fn fill(template: &str, key: &str, value: &str) -> String {
    template.replace(&format!("{{{key}}}"), value)
}

impl<'a> PageContext<'a> {
    fn config(&self) -> &'a Config {
        &self.site.config
    }

    fn code(&self) -> &'a str {
        &self.lang.code
    }

    fn t(&self, key: &'a str) -> &'a str {
        self.renderer.string(&self.lang.code, key)
    }

    fn href(&self, page: &PageId) -> String {
        self.linker.to(&page.path())
    }

    fn date(&self, date: jiff::civil::Date) -> String {
        self.lang.format_date(date)
    }

    fn exists(&self, page: &PageId) -> bool {
        match page {
            PageId::Brief(lang, slug) => self.site.brief(slug).is_some_and(|b| b.version(lang).is_some()),
            _ => true,
        }
    }

    fn meta(&self, kind: &'static str, title: String, description: String) -> PageMeta<'a> {
        let config = self.config();
        let in_lang = self.page.lang().is_some();
        let alternates = if in_lang {
            config
                .languages
                .iter()
                .map(|l| (l, self.page.in_lang(&l.code)))
                .filter(|(_, p)| self.exists(p))
                .map(|(l, p)| Alternate {
                    tag: l.lang_tag.clone(),
                    href: Renderer::absolute_url(config, &p),
                })
                .collect()
        } else {
            Vec::new()
        };
        let switcher = if in_lang {
            config
                .languages
                .iter()
                .map(|l| {
                    let target = self.page.in_lang(&l.code);
                    let missing = !self.exists(&target);
                    let href = if missing {
                        self.href(&PageId::Home(l.code.clone()))
                    } else {
                        self.href(&target)
                    };
                    SwitchItem {
                        code: &l.code,
                        name: &l.name,
                        tag: &l.lang_tag,
                        href,
                        current: l.code == self.lang.code,
                        missing,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let code = || self.lang.code.clone();
        let archive = self.site.term.and_then(|n| config.term(n)).map(|term| ArchiveInfo {
            name: term.names.get(self.code(), &config.default_language).to_string(),
            start: self.date(term.start),
            end: self.date(term.end),
            lines: self.archive_lines(term),
        });
        PageMeta {
            kind,
            title,
            description,
            site_title: &self.lang.title,
            site_titles: if in_lang {
                Vec::new()
            } else {
                config
                    .languages
                    .iter()
                    .map(|l| SiteTitle {
                        tag: &l.lang_tag,
                        title: &l.title,
                    })
                    .collect()
            },
            lang: LangInfo {
                code: &self.lang.code,
                name: &self.lang.name,
                tag: &self.lang.lang_tag,
                title: &self.lang.title,
            },
            root: self.linker.to(""),
            css: self.linker.to(&format!("{STATIC_DIR}style.css")),
            canonical: Renderer::absolute_url(config, self.page),
            alternates,
            switcher,
            nav: Nav {
                home: self.href(&PageId::Home(code())),
                topics: self.href(&PageId::Topics(code())),
                committees: self.href(&PageId::Committees(code())),
                terms: self.href(&PageId::Terms(code())),
                papers: self.href(&PageId::Papers(code())),
                search: self.href(&PageId::Search(code())),
                feed: self.linker.to(&PageId::Feed(code()).path()),
            },
            archive,
        }
    }

    /// The landing page's introduction in language `l`: what a brief is, and how many.
    fn landing_intro(&self, l: &Language) -> String {
        let count = self.site.briefs.iter().filter(|b| b.version(&l.code).is_some()).count();
        let counted = fill(
            self.renderer.string(&l.code, "all_briefs_count"),
            "n",
            &count.to_string(),
        );
        join_sentences(self.renderer.string(&l.code, "home_intro"), &counted)
    }

    /// Links to language `l`'s listings, named in that language.
    fn landing_sections(&self, l: &Language) -> Vec<Link> {
        let code = || l.code.clone();
        [
            ("nav_topics", PageId::Topics(code())),
            ("nav_committees", PageId::Committees(code())),
            ("nav_terms", PageId::Terms(code())),
            ("nav_papers", PageId::Papers(code())),
            ("search_title", PageId::Search(code())),
        ]
        .into_iter()
        .map(|(key, page)| Link {
            name: self.renderer.string(&l.code, key).to_string(),
            href: self.href(&page),
        })
        .collect()
    }

    fn committee_link(&self, key: &str) -> Link {
        let config = self.config();
        let name = config
            .committee(key)
            .map_or(key, |c| c.names.get(self.code(), &config.default_language));
        Link {
            name: name.to_string(),
            href: self.href(&PageId::Committee(self.code().to_string(), key.to_string())),
        }
    }

    /// The page language's briefs that `keep` selects, newest first, as list items:
    /// a committee's or a term's page.
    fn brief_items(&self, keep: impl Fn(&BriefVersion) -> bool) -> Vec<BriefItem> {
        self.site
            .versions_in(self.code())
            .into_iter()
            .filter(|v| keep(v))
            .map(|v| self.brief_item(v))
            .collect()
    }

    fn brief_item(&self, v: &BriefVersion) -> BriefItem {
        let front = &v.source.front;
        BriefItem {
            title: front.title.clone(),
            href: self.href(&PageId::Brief(v.lang().to_string(), v.slug().to_string())),
            paper_no: front.paper_no.clone(),
            committee: self.committee_link(&front.committee),
            meeting: self.date(front.meeting),
            meeting_iso: front.meeting.to_string(),
            summary: v.summary().to_string(),
        }
    }

    /// Links a drafter wrote in `v`'s body, re-pointed for this page (see [`BodyLinks`]).
    fn with_body_links<R>(&self, v: &BriefVersion, f: impl FnOnce(&BodyLinks<'_>) -> R) -> R {
        let source = PageId::Brief(v.lang().to_string(), v.slug().to_string()).path();
        let shown = self.page.path();
        f(&BodyLinks::new(
            self.site,
            self.linker,
            &self.renderer.mode,
            &source,
            &shown,
        ))
    }

    /// Assembles body blocks of `v`; `target` is the brief page for paragraph links when
    /// quoting elsewhere (then paragraphs carry no ids of their own).
    fn assemble(&self, v: &BriefVersion, blocks: &[Block], target: Option<&str>) -> String {
        self.with_body_links(v, |links| self.assemble_with(links, blocks, target))
    }

    fn assemble_with(&self, links: &BodyLinks<'_>, blocks: &[Block], target: Option<&str>) -> String {
        let label = self.t("paragraph_label");
        let mut html = String::new();
        for block in blocks {
            let block_html = links.rewrite_html(&block.html);
            // A quote's anchors belong to the brief's own page, and two quoted briefs
            // may share a heading or footnote id.
            let block_html = match target {
                Some(_) => std::borrow::Cow::Owned(strip_ids(&block_html)),
                None => block_html,
            };
            match block.kind {
                BlockKind::Paragraph(n) => {
                    let n = n.to_string();
                    let aria = fill(label, "n", &n);
                    match target {
                        None => html.push_str(&format!(
                            "<p class=\"np\" id=\"p-{n}\"><a class=\"pn\" href=\"#p-{n}\" aria-label=\"{aria}\">{n}</a> {block_html}</p>\n",
                        )),
                        Some(target) => html.push_str(&format!(
                            "<p class=\"np\"><a class=\"pn\" href=\"{target}#p-{n}\" aria-label=\"{aria}\">{n}</a> {block_html}</p>\n",
                        )),
                    }
                }
                _ => html.push_str(&block_html),
            }
        }
        html
    }

    fn build(&self) -> Result<(&'static str, Context), Diagnostic> {
        let mut context = Context::new();
        if let Some(strings) = self.renderer.strings_value.get(self.code()) {
            context.insert_value("t", strings.clone());
        }
        let config = self.config();
        let code = self.code().to_string();
        let template = match self.page {
            PageId::Landing => {
                let languages: Vec<LandingLanguage<'_>> = config
                    .languages
                    .iter()
                    .map(|l| LandingLanguage {
                        code: &l.code,
                        name: &l.name,
                        tag: &l.lang_tag,
                        title: &l.title,
                        href: self.href(&PageId::Home(l.code.clone())),
                        count: self.site.briefs.iter().filter(|b| b.version(&l.code).is_some()).count(),
                        intro: self.landing_intro(l),
                        sections: self.landing_sections(l),
                        archive: self.landing_archive(l),
                    })
                    .collect();
                context.insert("languages", &languages);
                let titles: Vec<&str> = config.languages.iter().map(|l| l.title.as_str()).collect();
                context.insert("page", &self.meta("landing", titles.join(" · "), config.title.clone()));
                "landing.html"
            }
            PageId::NotFound => {
                let languages: Vec<LandingLanguage<'_>> = config
                    .languages
                    .iter()
                    .map(|l| LandingLanguage {
                        code: &l.code,
                        name: &l.name,
                        tag: &l.lang_tag,
                        title: &l.title,
                        href: self.href(&PageId::Home(l.code.clone())),
                        count: 0,
                        intro: String::new(),
                        sections: Vec::new(),
                        archive: None,
                    })
                    .collect();
                let messages: Vec<BTreeMap<&str, &str>> = config
                    .languages
                    .iter()
                    .map(|l| {
                        BTreeMap::from([
                            ("tag", l.lang_tag.as_str()),
                            ("title", self.renderer.string(&l.code, "not_found_title")),
                            ("text", self.renderer.string(&l.code, "not_found_text")),
                        ])
                    })
                    .collect();
                context.insert("languages", &languages);
                context.insert("messages", &messages);
                context.insert(
                    "page",
                    &self.meta("not-found", self.t("not_found_title").to_string(), String::new()),
                );
                "404.html"
            }
            PageId::Home(_) => {
                let versions = self.site.versions_in(&code);
                let latest: Vec<BriefItem> = versions.iter().take(10).map(|v| self.brief_item(v)).collect();
                context.insert("latest", &latest);
                context.insert("topics", &self.topic_links(&versions));
                context.insert("committees", &self.committee_links(&versions));
                context.insert("terms", &self.term_links(&versions));
                context.insert("count", &versions.len());
                context.insert(
                    "page",
                    &self.meta("home", self.lang.title.clone(), self.t("home_intro").to_string()),
                );
                context.insert("intro", &self.landing_intro(self.lang));
                "home.html"
            }
            PageId::Brief(_, slug) => {
                let version = self
                    .site
                    .brief(slug)
                    .and_then(|b| b.version(&code))
                    .ok_or_else(|| Diagnostic::error(format!("no brief `{slug}` in `{code}`")))?;
                let brief = self.brief_page(version);
                context.insert(
                    "page",
                    &self.meta("brief", brief.title.clone(), version.summary().to_string()),
                );
                context.insert("brief", &brief);
                "brief.html"
            }
            PageId::Topics(_) => {
                let versions = self.site.versions_in(&code);
                context.insert("topics", &self.topic_links(&versions));
                context.insert(
                    "page",
                    &self.meta("topics", self.t("topics_title").to_string(), String::new()),
                );
                "topics.html"
            }
            PageId::Topic(_, key) => {
                let topic = config
                    .topic(key)
                    .ok_or_else(|| Diagnostic::error(format!("no topic `{key}`")))?;
                let name = topic.names.get(&code, &config.default_language).to_string();
                // Each entry becomes a template value as it is made: a topic page of a
                // large archive quotes thousands of sections, held once, not twice.
                let entries: Vec<tera::Value> = self
                    .site
                    .versions_in(&code)
                    .into_iter()
                    .filter(|v| v.topics.contains(key))
                    .map(|v| tera::Value::try_from_serializable(&self.topic_entry(v, key)))
                    .collect::<Result<_, _>>()
                    .map_err(|e| {
                        Diagnostic::error(format!("cannot quote the topic's sections: {}", tera_message(&e)))
                    })?;
                context.insert("topic", &BTreeMap::from([("name", name.clone()), ("key", key.clone())]));
                context.insert_value("entries", entries.into());
                context.insert("page", &self.meta("topic", name, String::new()));
                "topic.html"
            }
            PageId::Committees(_) => {
                let versions = self.site.versions_in(&code);
                context.insert("committees", &self.committee_links(&versions));
                context.insert(
                    "page",
                    &self.meta("committees", self.t("committees_title").to_string(), String::new()),
                );
                "committees.html"
            }
            PageId::Committee(_, key) => {
                let committee = config
                    .committee(key)
                    .ok_or_else(|| Diagnostic::error(format!("no committee `{key}`")))?;
                let name = committee.names.get(&code, &config.default_language).to_string();
                let briefs = self.brief_items(|v| &v.source.front.committee == key);
                context.insert(
                    "committee",
                    &BTreeMap::from([("name", Some(name.clone())), ("reference", committee.reference.clone())]),
                );
                context.insert("briefs", &briefs);
                context.insert("page", &self.meta("committee", name, String::new()));
                "committee.html"
            }
            PageId::Terms(_) => {
                let versions = self.site.versions_in(&code);
                context.insert("terms", &self.term_links(&versions));
                context.insert(
                    "page",
                    &self.meta("terms", self.t("terms_title").to_string(), String::new()),
                );
                "terms.html"
            }
            PageId::Term(_, number) => {
                let term = config
                    .term(*number)
                    .ok_or_else(|| Diagnostic::error(format!("no term {number}")))?;
                let name = term.names.get(&code, &config.default_language).to_string();
                let briefs = self.brief_items(|v| v.term == Some(*number));
                let dates = fill(
                    &fill(self.t("term_dates"), "start", &self.date(term.start)),
                    "end",
                    &self.date(term.end),
                );
                context.insert(
                    "term",
                    &BTreeMap::from([("name", name.clone()), ("dates", dates), ("number", number.to_string())]),
                );
                context.insert("briefs", &briefs);
                context.insert("page", &self.meta("term", name, String::new()));
                "term.html"
            }
            PageId::Papers(_) => {
                let bodies: Vec<tera::Value> = self.papers_index().into_iter().map(IndexBody::into_value).collect();
                context.insert_value("bodies", bodies.into());
                context.insert(
                    "page",
                    &self.meta("papers", self.t("papers_title").to_string(), String::new()),
                );
                "papers.html"
            }
            PageId::Search(_) => {
                context.insert(
                    "search",
                    &crate::search::page::context(self.site, self.lang, self.linker),
                );
                context.insert(
                    "page",
                    &self.meta("search", self.t("search_title").to_string(), String::new()),
                );
                "search.html"
            }
            PageId::Sitemap | PageId::Feed(_) => unreachable!("XML pages are rendered by feeds"),
        };
        Ok((template, context))
    }

    fn brief_page(&self, v: &BriefVersion) -> BriefPage {
        let config = self.config();
        let front = &v.source.front;
        let issuer = front.issuer.as_deref().unwrap_or(&self.lang.issuer);
        let (appendix, date_notes) = self.appendix(v);
        BriefPage {
            title: front.title.clone(),
            paper_no: front.paper_no.clone(),
            file_ref: front.file_ref.clone(),
            committee: self.committee_link(&front.committee),
            meeting: self.date(front.meeting),
            meeting_iso: front.meeting.to_string(),
            issued: self.date(front.issued),
            issued_iso: front.issued.to_string(),
            issuer_lines: issuer.split(", ").map(str::to_string).collect(),
            topics: v
                .topics
                .iter()
                .filter_map(|key| config.topic(key))
                .map(|t| Link {
                    name: t.names.get(self.code(), &config.default_language).to_string(),
                    href: self.href(&PageId::Topic(self.code().to_string(), t.key.clone())),
                })
                .collect(),
            term: v.term.and_then(|n| config.term(n)).map(|t| Link {
                name: t.names.get(self.code(), &config.default_language).to_string(),
                href: self.href(&PageId::Term(self.code().to_string(), t.number)),
            }),
            body: self.assemble(v, &v.body.blocks, None),
            footnotes: self.with_body_links(v, |links| {
                v.body
                    .footnotes
                    .iter()
                    .map(|(id, html)| Footnote {
                        id: id.clone(),
                        html: links.rewrite_html(html).into_owned(),
                    })
                    .collect()
            }),
            appendix,
            date_notes,
        }
    }

    /// The appendix as printed: consecutive papers of one body form a group, and
    /// consecutive papers of one date a row; date notes become `*` markers.
    fn appendix(&self, v: &BriefVersion) -> (Vec<AppendixGroup>, Vec<DateNote>) {
        let config = self.config();
        let mut notes: Vec<DateNote> = Vec::new();
        let mut groups: Vec<AppendixGroup> = Vec::new();
        let mut last_body: Option<&str> = None;
        let mut last_date = None;
        for paper in &v.source.front.papers {
            let body_name = config.committee(&paper.body).map_or(paper.body.as_str(), |c| {
                c.names.get(self.code(), &config.default_language)
            });
            if last_body != Some(paper.body.as_str()) || groups.is_empty() {
                groups.push(AppendixGroup {
                    body: body_name.to_string(),
                    rows: Vec::new(),
                });
                last_body = Some(&paper.body);
                last_date = None;
            }
            let group = groups.last_mut().expect("a group was just pushed");
            if last_date != Some(paper.date) || group.rows.is_empty() {
                group.rows.push(AppendixRow {
                    date: self.date(paper.date),
                    date_iso: paper.date.to_string(),
                    marker: None,
                    papers: Vec::new(),
                });
                last_date = Some(paper.date);
            }
            let row = group.rows.last_mut().expect("a row was just pushed");
            if let Some(note) = &paper.date_note {
                let marker = match notes.iter().find(|n| &n.text == note) {
                    Some(n) => n.marker.clone(),
                    None => {
                        let marker = "*".repeat(notes.len() + 1);
                        notes.push(DateNote {
                            marker: marker.clone(),
                            text: note.clone(),
                        });
                        marker
                    }
                };
                row.marker = Some(marker);
            }
            row.papers.push(PaperCell {
                title: paper.title.clone(),
                url: paper.url.as_ref().map(|url| {
                    self.with_body_links(v, |links| links.rewrite_url(url))
                        .unwrap_or_else(|| url.clone())
                }),
                kind: paper.kind.key(),
                kind_label: self.renderer.kind_label(self.code(), paper.kind).to_string(),
            });
        }
        (groups, notes)
    }

    fn topic_entry(&self, v: &BriefVersion, key: &str) -> TopicEntry {
        let brief = self.brief_item(v);
        let (heading, section) = match v.body.sections.iter().find(|s| s.topic == key) {
            Some(s) => {
                let heading = match &v.body.blocks[s.heading_index].kind {
                    BlockKind::Heading { .. } => strip_tags(&v.body.blocks[s.heading_index].html),
                    _ => String::new(),
                };
                (
                    heading,
                    self.assemble(v, &v.body.blocks[s.heading_index + 1..s.end], Some(&brief.href)),
                )
            }
            None => (String::new(), String::new()),
        };
        TopicEntry {
            brief,
            heading,
            section,
        }
    }

    fn topic_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
        let config = self.config();
        config
            .topics
            .iter()
            .map(|t| CountedLink {
                name: t.names.get(self.code(), &config.default_language).to_string(),
                href: self.href(&PageId::Topic(self.code().to_string(), t.key.clone())),
                count: versions.iter().filter(|v| v.topics.contains(&t.key)).count(),
                reference: None,
                dates: None,
            })
            .collect()
    }

    fn committee_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
        let config = self.config();
        config
            .committees
            .iter()
            .map(|c| CountedLink {
                name: c.names.get(self.code(), &config.default_language).to_string(),
                href: self.href(&PageId::Committee(self.code().to_string(), c.key.clone())),
                count: versions.iter().filter(|v| v.source.front.committee == c.key).count(),
                reference: c.reference.clone(),
                dates: None,
            })
            .collect()
    }

    /// "1 brief", "3 briefs" in `lang`, whatever the page's language.
    fn count_in(&self, lang: &str, n: usize) -> String {
        if n == 1 {
            self.renderer.string(lang, "briefs_one").to_string()
        } else {
            fill(self.renderer.string(lang, "briefs_other"), "n", &n.to_string())
        }
    }

    /// `term` from `start` to `end`, in `lang`.
    fn term_dates_in(&self, lang: &Language, term: &crate::config::Term) -> String {
        fill(
            &fill(
                self.renderer.string(&lang.code, "term_dates"),
                "start",
                &lang.format_date(term.start),
            ),
            "end",
            &lang.format_date(term.end),
        )
    }

    /// The archive banner in the page's language, or in each language where the
    /// page has none, so the bilingual landing page says it in both.
    fn archive_lines(&self, term: &crate::config::Term) -> Vec<ArchiveLine> {
        let config = self.config();
        let languages: Vec<&Language> = if self.page.lang().is_some() {
            vec![self.lang]
        } else {
            config.languages.iter().collect()
        };
        languages
            .into_iter()
            .map(|l| {
                let text = fill(
                    &fill(
                        &fill(
                            self.renderer.string(&l.code, "archive_banner"),
                            "term",
                            term.names.get(&l.code, &config.default_language),
                        ),
                        "start",
                        &l.format_date(term.start),
                    ),
                    "end",
                    &l.format_date(term.end),
                );
                ArchiveLine {
                    tag: l.lang_tag.clone(),
                    text,
                }
            })
            .collect()
    }

    /// What an archive's landing page says in `lang`: the term, its dates, and its
    /// committees with their numbers of briefs. `None` outside an archive.
    fn landing_archive(&self, lang: &Language) -> Option<LandingArchive> {
        let config = self.config();
        let term = config.term(self.site.term?)?;
        let versions = self.site.versions_in(&lang.code);
        let committees = config
            .committees
            .iter()
            .map(|c| (c, versions.iter().filter(|v| v.source.front.committee == c.key).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| LandingCommittee {
                name: c.names.get(&lang.code, &config.default_language).to_string(),
                href: self.href(&PageId::Committee(lang.code.clone(), c.key.clone())),
                briefs: self.count_in(&lang.code, n),
            })
            .collect();
        Some(LandingArchive {
            term: term.names.get(&lang.code, &config.default_language).to_string(),
            dates: self.term_dates_in(lang, term),
            briefs: self.count_in(&lang.code, versions.len()),
            committees_heading: self.renderer.string(&lang.code, "committees_title").to_string(),
            committees,
        })
    }

    /// The index page of `build --all-terms`, with each archive in each language.
    fn archive_index(&self, archives: &[ArchiveListing]) -> (&'static str, Context) {
        let config = self.config();
        let mut context = Context::new();
        if let Some(strings) = self.renderer.strings_value.get(self.code()) {
            context.insert_value("t", strings.clone());
        }
        let languages: Vec<ArchivesLanguage<'_>> = config
            .languages
            .iter()
            .map(|l| ArchivesLanguage {
                code: &l.code,
                tag: &l.lang_tag,
                heading: self.renderer.string(&l.code, "archives_title"),
                download: self.renderer.string(&l.code, "archive_download"),
                archives: archives
                    .iter()
                    .filter_map(|a| {
                        let term = config.term(a.term)?;
                        Some(ArchiveItem {
                            name: term.names.get(&l.code, &config.default_language).to_string(),
                            href: format!("{}/{}/index.html", a.folder, l.code),
                            dates: self.term_dates_in(l, term),
                            briefs: self.count_in(&l.code, a.briefs.get(&l.code).copied().unwrap_or(0)),
                            zip: a.zip.clone(),
                        })
                    })
                    .collect(),
            })
            .collect();
        context.insert("languages", &languages);
        let titles: Vec<&str> = config
            .languages
            .iter()
            .map(|l| self.renderer.string(&l.code, "archives_title"))
            .collect();
        let mut meta = self.meta("landing", titles.join(" · "), config.title.clone());
        // The index exists only beside the archives, never on the live site, and
        // its header leads back to itself, not to a language home.
        meta.canonical = String::new();
        meta.nav.home = self.linker.to("");
        context.insert("page", &meta);
        ("archives.html", context)
    }

    fn term_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
        let config = self.config();
        config
            .terms
            .iter()
            .filter(|t| self.site.term.is_none_or(|n| n == t.number))
            .map(|t| CountedLink {
                name: t.names.get(self.code(), &config.default_language).to_string(),
                href: self.href(&PageId::Term(self.code().to_string(), t.number)),
                count: versions.iter().filter(|v| v.term == Some(t.number)).count(),
                reference: None,
                dates: Some(fill(
                    &fill(self.t("term_dates"), "start", &self.date(t.start)),
                    "end",
                    &self.date(t.end),
                )),
            })
            .collect()
    }

    /// Every paper once per body, date and title, with the briefs citing it.
    /// Committees come in config order, other bodies after them by name; dates newest first.
    fn papers_index(&self) -> Vec<IndexBody> {
        let config = self.config();
        type Key<'k> = (usize, &'k str, std::cmp::Reverse<jiff::civil::Date>, &'k str);
        let mut index: BTreeMap<Key<'_>, (Option<String>, PaperKind, Vec<&BriefVersion>)> = BTreeMap::new();
        let versions = self.site.versions_in(self.code());
        for v in &versions {
            for paper in &v.source.front.papers {
                let rank = config
                    .committees
                    .iter()
                    .position(|c| c.key == paper.body)
                    .unwrap_or(usize::MAX);
                let key = (
                    rank,
                    paper.body.as_str(),
                    std::cmp::Reverse(paper.date),
                    paper.title.as_str(),
                );
                // Written for the brief's page: re-pointed for this one, as there.
                let url = paper.url.as_ref().map(|url| {
                    self.with_body_links(v, |links| links.rewrite_url(url))
                        .unwrap_or_else(|| url.clone())
                });
                let entry = index
                    .entry(key)
                    .or_insert_with(|| (url.clone(), paper.kind, Vec::new()));
                if entry.0.is_none() {
                    entry.0 = url;
                }
                if !entry.2.iter().any(|c| c.slug() == v.slug()) {
                    entry.2.push(v);
                }
            }
        }
        let mut bodies: Vec<IndexBody> = Vec::new();
        let mut citations: HashMap<&str, tera::Value> = HashMap::new();
        for ((rank, body, date, title), (url, kind, citing)) in index {
            let date = date.0;
            if bodies
                .last()
                .is_none_or(|b| b.body != body_label(config, body, self.code()))
            {
                bodies.push(IndexBody {
                    body: body_label(config, body, self.code()),
                    href: (rank != usize::MAX)
                        .then(|| self.href(&PageId::Committee(self.code().to_string(), body.to_string()))),
                    dates: Vec::new(),
                });
            }
            let group = bodies.last_mut().expect("a body was just pushed");
            if group.dates.last().is_none_or(|d| d.date_iso != date.to_string()) {
                group.dates.push(IndexDate {
                    date: self.date(date),
                    date_iso: date.to_string(),
                    papers: Vec::new(),
                });
            }
            let cited_by = citing
                .iter()
                .map(|v| {
                    citations
                        .entry(v.slug())
                        .or_insert_with(|| {
                            map_value([
                                ("title", v.source.front.title.as_str().into()),
                                (
                                    "href",
                                    self.href(&PageId::Brief(self.code().to_string(), v.slug().to_string()))
                                        .into(),
                                ),
                                ("paper_no", v.source.front.paper_no.as_deref().into()),
                            ])
                        })
                        .clone()
                })
                .collect();
            // A paper's URL is written for a brief page; all of them are at the same depth.
            let url = match (url, citing.first()) {
                (Some(url), Some(v)) => Some(self.with_body_links(v, |links| links.rewrite_url(&url)).unwrap_or(url)),
                (url, _) => url,
            };
            group
                .dates
                .last_mut()
                .expect("a date was just pushed")
                .papers
                .push(IndexPaper {
                    title: title.to_string(),
                    url,
                    kind_label: self.renderer.kind_label(self.code(), kind).to_string(),
                    cited_by,
                });
        }
        bodies
    }
}

fn body_label(config: &Config, body: &str, lang: &str) -> String {
    config
        .committee(body)
        .map_or(body, |c| c.names.get(lang, &config.default_language))
        .to_string()
}

/// `html` without its `id="…"` attributes, for sections quoted on another page.
pub fn strip_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        out.push_str(&rest[..at]);
        let value = &rest[at + " id=\"".len()..];
        match value.find('"') {
            Some(end) => rest = &value[end + 1..],
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Two sentences as one text: a space after Latin punctuation, none after a
/// Chinese full stop (Chinese sets sentences without spaces).
pub fn join_sentences(first: &str, second: &str) -> String {
    match first.chars().last() {
        Some(c) if crate::markdown::is_cjk(c) => format!("{first}{second}"),
        Some(_) => format!("{first} {second}"),
        None => second.to_string(),
    }
}

/// Text of an HTML fragment, for headings reused as plain labels.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}
