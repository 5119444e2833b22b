//! The pages in no language or in all of them: the bilingual landing page, the
//! 404 page, and the index of term archives beside `build --all-terms`.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::context::{Link, PageContext};
use crate::config::Language;
use crate::model::PageId;

#[derive(Serialize)]
pub struct LandingLanguage<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub tag: &'a str,
    pub title: &'a str,
    pub href: String,
    pub count: usize,
    /// What the site is and how many briefs it has, in this language.
    pub intro: String,
    /// The language's main listings (topics, committees, terms, papers).
    pub sections: Vec<Link>,
    /// In a term archive: the term and its committees, in this language.
    pub archive: Option<LandingArchive>,
}

#[derive(Serialize)]
pub struct LandingArchive {
    pub term: String,
    pub dates: String,
    pub briefs: String,
    pub committees_heading: String,
    pub committees: Vec<LandingCommittee>,
}

#[derive(Serialize)]
pub struct LandingCommittee {
    pub name: String,
    pub href: String,
    pub briefs: String,
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
pub struct ArchivesLanguage<'a> {
    pub code: &'a str,
    pub tag: &'a str,
    pub heading: &'a str,
    pub download: &'a str,
    pub archives: Vec<ArchiveItem>,
}

#[derive(Serialize)]
pub struct ArchiveItem {
    pub name: String,
    pub href: String,
    pub dates: String,
    pub briefs: String,
    pub zip: Option<String>,
}

impl PageContext<'_> {
    /// A language as the landing page (`full`) or the 404 page (name and home only) shows it.
    fn landing_language<'l>(&self, l: &'l Language, full: bool) -> LandingLanguage<'l> {
        LandingLanguage {
            code: &l.code,
            name: &l.name,
            tag: &l.lang_tag,
            title: &l.title,
            href: self.href(&PageId::Home(l.code.clone())),
            count: if full {
                self.site.briefs.iter().filter(|b| b.version(&l.code).is_some()).count()
            } else {
                0
            },
            intro: if full { self.landing_intro(l) } else { String::new() },
            sections: if full { self.landing_sections(l) } else { Vec::new() },
            archive: if full { self.landing_archive(l) } else { None },
        }
    }

    pub fn landing(&self, context: &mut Context) {
        let config = self.config();
        let languages: Vec<LandingLanguage<'_>> = config
            .languages
            .iter()
            .map(|l| self.landing_language(l, true))
            .collect();
        context.insert("languages", &languages);
        let titles: Vec<&str> = config.languages.iter().map(|l| l.title.as_str()).collect();
        context.insert("page", &self.meta(titles.join(" · "), config.title.clone()));
    }

    pub fn not_found(&self, context: &mut Context) {
        let config = self.config();
        let languages: Vec<LandingLanguage<'_>> = config
            .languages
            .iter()
            .map(|l| self.landing_language(l, false))
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
        context.insert("page", &self.meta(self.t("not_found_title").to_string(), String::new()));
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
    pub fn archive_index(&self, archives: &[ArchiveListing]) -> (&'static str, Context) {
        let config = self.config();
        let mut context = self.base_context();
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
        let mut meta = self.meta(titles.join(" · "), config.title.clone());
        // The index exists only beside the archives, never on the live site, and
        // its header leads back to itself, not to a language home.
        meta.canonical = String::new();
        meta.nav.home = self.linker.to("");
        context.insert("page", &meta);
        ("archives.html", context)
    }
}
