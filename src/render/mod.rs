//! Stage 5: pages from the site model, through the theme's Tera templates.
//!
//! Each page is rendered on its own from a small context that holds only what that
//! page shows (one brief, or one page of a listing), never the whole site:
//! serializing big contexts is what makes Tera-based generators slow. Links are
//! made here with a [`Linker`], so templates never build URLs themselves and the
//! same templates serve the published site and a term archive.
//!
//! One submodule per kind of page: [`brief`], [`listings`] (home, topics,
//! committees, terms and their pages), [`papers`] (the papers index), [`landing`]
//! (landing, 404, the index of term archives) and [`feeds`] (RSS and the sitemap,
//! written as XML without templates). [`context`] holds what every page shares: the
//! page's frame (`page` in templates), list items and the pager. Which items a
//! listing page shows is the model's (`model::listing`); this stage only shows them.

mod brief;
mod compare;
mod context;
pub mod data;
pub mod exports;
pub mod feeds;
mod landing;
mod listings;
mod papers;

use std::collections::BTreeMap;

use tera::Tera;

use crate::config::Config;
use crate::content::PaperKind;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::links::{LinkMode, Linker};
use crate::model::{PageId, PageKind, Site};
use crate::theme::Theme;

use context::PageContext;
pub use context::{fill, join_sentences, strip_ids, strip_tags};
pub use landing::ArchiveListing;

/// Templates compiled once per build, and the UI strings per language.
pub struct Renderer {
    tera: Tera,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    strings_value: BTreeMap<String, tera::Value>,
    /// Template name → the file it came from, for locating template errors.
    shown: BTreeMap<String, std::path::PathBuf>,
    pub mode: LinkMode,
}

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
        for required in PageKind::templates() {
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

    /// Renders one page to bytes. The catalogue and the data pages are made with
    /// the bulk exports they list ([`exports::write_all`], [`Renderer::render_data_page`]).
    pub fn render_page(&self, site: &Site, page: &PageId) -> Result<Vec<u8>, Diagnostic> {
        self.render_with(site, page, None)
    }

    /// `<lang>/data/`, listing the parts of `catalogue`.
    pub fn render_data_page(
        &self,
        site: &Site,
        lang: &str,
        catalogue: &exports::Catalogue,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_with(site, &PageId::Data(lang.to_string()), Some(catalogue))
    }

    fn render_with(
        &self,
        site: &Site,
        page: &PageId,
        catalogue: Option<&exports::Catalogue>,
    ) -> Result<Vec<u8>, Diagnostic> {
        match page {
            PageId::Sitemap | PageId::SitemapPart(_) => return Ok(feeds::sitemap(site, page).into_bytes()),
            PageId::Feed(lang) => return Ok(feeds::rss(site, lang, self.string(lang, "updated_title")).into_bytes()),
            PageId::BriefData(lang, slug) => return data::brief_json(site, self, lang, slug),
            PageId::Catalogue => {
                return Err(Diagnostic::error(format!(
                    "{} is written with the parts it lists",
                    page.file()
                )));
            }
            _ => {}
        }
        let linker = Linker::new(&self.mode, &page.path());
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
        let template = page
            .kind()
            .template()
            .ok_or_else(|| Diagnostic::error(format!("no template renders {}", page.file())))?;
        let mut context = cx.base_context();
        match page {
            PageId::Landing => cx.landing(&mut context),
            PageId::NotFound => cx.not_found(&mut context),
            PageId::Brief(_, slug) => cx.brief(&mut context, slug)?,
            PageId::Compare(_, new, old) => cx.compare(&mut context, new, old)?,
            PageId::Home(_) => cx.home(&mut context),
            PageId::Topics(_) => cx.topics(&mut context),
            PageId::Topic(_, key) | PageId::TopicTerm(_, key, ..) => cx.topic(&mut context, key)?,
            PageId::Committees(_) => cx.committees(&mut context),
            PageId::Committee(_, key) | PageId::CommitteeTerm(_, key, ..) => cx.committee(&mut context, key)?,
            PageId::Terms(_) => cx.terms(&mut context),
            PageId::Term(_, bucket, _) => cx.term(&mut context, *bucket),
            PageId::Papers(_) => cx.papers(&mut context),
            PageId::PapersTerm(_, bucket, _) => cx.papers_term(&mut context, *bucket),
            PageId::Search(_) => cx.search(&mut context),
            PageId::Data(_) => match catalogue {
                Some(catalogue) => cx.data_page(&mut context, catalogue),
                None => {
                    return Err(Diagnostic::error(format!(
                        "{} is rendered with the catalogue of the parts it lists",
                        page.file()
                    )));
                }
            },
            PageId::Sitemap | PageId::SitemapPart(_) | PageId::Feed(_) | PageId::BriefData(..) | PageId::Catalogue => {
                unreachable!("XML and data pages are written above")
            }
        }
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
        feeds::absolute_url(config, page)
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
