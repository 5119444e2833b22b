//! Stage 4: the site model — briefs grouped across languages, and which page
//! depends on which brief.
//!
//! The model is plain data built from the loaded sources and rendered bodies. It
//! knows every page of the site as a [`PageId`], so rendering can be done page by
//! page in parallel, and dev mode can ask [`Site::pages_affected_by`] which pages an
//! edit to one brief touches instead of rebuilding everything.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Asset, BriefSource, Content};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, MarkdownOptions, RenderedBody};

/// One brief in one language, with its body rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefVersion {
    pub source: BriefSource,
    pub body: RenderedBody,
    /// Topic keys in config order: those in `topics` plus those with a section.
    pub topics: Vec<String>,
    /// The legislative term of the meeting date, if any.
    pub term: Option<u32>,
}

impl BriefVersion {
    pub fn slug(&self) -> &str {
        &self.source.slug
    }

    /// Frees the Markdown text, which is rendered by now, keeping the locations
    /// messages can cite: body links, heading ids, the body's start.
    pub fn release_body(&mut self) {
        let offsets: Vec<usize> = std::iter::once(0)
            .chain(self.body.links.iter().map(|l| l.offset))
            .chain(self.body.heading_ids.iter().map(|(_, offset)| *offset))
            .collect();
        self.source.release_body(offsets);
    }

    pub fn lang(&self) -> &str {
        &self.source.lang
    }

    pub fn summary(&self) -> &str {
        self.source
            .front
            .summary
            .as_deref()
            .unwrap_or(&self.body.first_paragraph_text)
    }
}

/// A brief: the same slug in each language it exists in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    pub slug: String,
    /// In the config's language order.
    pub versions: Vec<Arc<BriefVersion>>,
}

impl Brief {
    pub fn version(&self, lang: &str) -> Option<&Arc<BriefVersion>> {
        self.versions.iter().find(|v| v.lang() == lang)
    }
}

/// Every page of a site, by what it shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    Landing,
    NotFound,
    Sitemap,
    Home(String),
    Brief(String, String),
    Topics(String),
    Topic(String, String),
    Committees(String),
    Committee(String, String),
    Terms(String),
    Term(String, u32),
    Papers(String),
    /// The search page of a language; its index files live beside it.
    Search(String),
    Feed(String),
}

impl PageId {
    /// The output path relative to the site root, `/`-separated; folders end in `/`
    /// and hold an `index.html`.
    pub fn path(&self) -> String {
        match self {
            PageId::Landing => String::new(),
            PageId::NotFound => "404.html".into(),
            PageId::Sitemap => "sitemap.xml".into(),
            PageId::Home(l) => format!("{l}/"),
            PageId::Brief(l, s) => format!("{l}/briefs/{s}/"),
            PageId::Topics(l) => format!("{l}/topics/"),
            PageId::Topic(l, t) => format!("{l}/topics/{t}/"),
            PageId::Committees(l) => format!("{l}/committees/"),
            PageId::Committee(l, c) => format!("{l}/committees/{c}/"),
            PageId::Terms(l) => format!("{l}/terms/"),
            PageId::Term(l, n) => format!("{l}/terms/{n}/"),
            PageId::Papers(l) => format!("{l}/papers/"),
            PageId::Search(l) => format!("{l}/search/"),
            PageId::Feed(l) => format!("{l}/feed.xml"),
        }
    }

    /// The file written for this page.
    pub fn file(&self) -> String {
        let path = self.path();
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }

    pub fn lang(&self) -> Option<&str> {
        match self {
            PageId::Landing | PageId::NotFound | PageId::Sitemap => None,
            PageId::Home(l)
            | PageId::Brief(l, _)
            | PageId::Topics(l)
            | PageId::Topic(l, _)
            | PageId::Committees(l)
            | PageId::Committee(l, _)
            | PageId::Terms(l)
            | PageId::Term(l, _)
            | PageId::Papers(l)
            | PageId::Search(l)
            | PageId::Feed(l) => Some(l),
        }
    }

    /// The same page in another language.
    pub fn in_lang(&self, lang: &str) -> PageId {
        let l = lang.to_string();
        match self {
            PageId::Home(_) => PageId::Home(l),
            PageId::Brief(_, s) => PageId::Brief(l, s.clone()),
            PageId::Topics(_) => PageId::Topics(l),
            PageId::Topic(_, t) => PageId::Topic(l, t.clone()),
            PageId::Committees(_) => PageId::Committees(l),
            PageId::Committee(_, c) => PageId::Committee(l, c.clone()),
            PageId::Terms(_) => PageId::Terms(l),
            PageId::Term(_, n) => PageId::Term(l, *n),
            PageId::Papers(_) => PageId::Papers(l),
            PageId::Search(_) => PageId::Search(l),
            PageId::Feed(_) => PageId::Feed(l),
            other => other.clone(),
        }
    }
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// Sorted by slug.
    pub briefs: Vec<Brief>,
    pub assets: Vec<Asset>,
    /// When set, only briefs of this term are in the site (a term archive).
    pub term: Option<u32>,
}

/// Renders one source's body and derives its topics and term.
pub fn prepare_version(config: &Config, source: BriefSource) -> (BriefVersion, Diagnostics) {
    let mut diags = Diagnostics::new();
    let topic_keys: Vec<&str> = config.topics.iter().map(|t| t.key.as_str()).collect();
    let mut body = markdown::render(
        &source.body,
        &MarkdownOptions {
            raw_html: config.raw_html,
            topics: &topic_keys,
        },
    );
    // Every body stays in memory for the whole build: no growth slack.
    for block in &mut body.blocks {
        block.html.shrink_to_fit();
    }
    for e in &body.errors {
        diags.push(
            Diagnostic::error(e.message.clone())
                .at(source.body_location(e.offset))
                .help(e.help.clone()),
        );
    }
    for (id, offset) in &body.heading_ids {
        if topic_keys.contains(&id.as_str()) {
            continue;
        }
        if let Some(best) = crate::diagnostics::did_you_mean(id, topic_keys.iter().copied()) {
            diags.push(
                Diagnostic::warning(format!(
                    "heading id `{id}` is not a topic, so its section is on no topic page"
                ))
                .at(source.body_location(*offset))
                .help(format!("did you mean `{{#{best}}}`?")),
            );
        }
    }
    let topics = config
        .topics
        .iter()
        .filter(|t| source.front.topics.contains(&t.key) || body.sections.iter().any(|s| s.topic == t.key))
        .map(|t| t.key.clone())
        .collect();
    let term = config.term_of(source.front.meeting).map(|t| t.number);
    if term.is_none() && !config.terms.is_empty() {
        let (line, column) = source.front.meeting_at;
        diags.push(
            Diagnostic::warning(format!(
                "meeting {} falls in no term of legbrief.toml",
                source.front.meeting
            ))
            .at(crate::diagnostics::Location {
                path: source.path.clone(),
                line,
                column,
            })
            .field("meeting")
            .help("add a [[terms]] entry covering it; until then the brief is on no term page"),
        );
    }
    (
        BriefVersion {
            source,
            body,
            topics,
            term,
        },
        diags,
    )
}

/// Whether the model keeps each brief's Markdown text once it is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Dev mode and `check` keep it: to tell what an edit changed, and to point
    /// at any byte of it.
    Keep,
    /// A build never reads it again. Freeing each body as soon as it is rendered,
    /// rather than after all are, keeps the archive's sources and their HTML from
    /// ever being in memory together (at 10,000 briefs, 360 MB of Markdown).
    Release,
}

impl Site {
    /// Builds the model from loaded content, rendering every body in parallel.
    pub fn new(config: Arc<Config>, content: Content, term: Option<u32>, bodies: Bodies) -> (Site, Diagnostics) {
        let prepared: Vec<(BriefVersion, Diagnostics)> = content
            .briefs
            .into_par_iter()
            .filter(|b| term.is_none() || config.term_of(b.front.meeting).map(|t| t.number) == term)
            .map(|source| {
                let (mut version, diags) = prepare_version(&config, source);
                if bodies == Bodies::Release {
                    version.release_body();
                }
                (version, diags)
            })
            .collect();
        let mut diags = Diagnostics::new();
        let mut briefs: Vec<Brief> = Vec::new();
        for (version, version_diags) in prepared {
            diags.extend(version_diags);
            match briefs.last_mut() {
                Some(brief) if brief.slug == version.source.slug => brief.versions.push(Arc::new(version)),
                _ => briefs.push(Brief {
                    slug: version.source.slug.clone(),
                    versions: vec![Arc::new(version)],
                }),
            }
        }
        let site = Site {
            config,
            briefs,
            assets: content.assets,
            term,
        };
        (site, diags)
    }

    pub fn brief(&self, slug: &str) -> Option<&Brief> {
        self.briefs
            .binary_search_by(|b| b.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.briefs[i])
    }

    /// Replaces (or removes, with no versions) one brief; dev mode's edit path.
    pub fn replace_brief(&mut self, slug: &str, versions: Vec<Arc<BriefVersion>>) {
        match self.briefs.binary_search_by(|b| b.slug.as_str().cmp(slug)) {
            Ok(i) if versions.is_empty() => {
                self.briefs.remove(i);
            }
            Ok(i) => self.briefs[i].versions = versions,
            Err(_) if versions.is_empty() => {}
            Err(i) => self.briefs.insert(
                i,
                Brief {
                    slug: slug.to_string(),
                    versions,
                },
            ),
        }
    }

    /// The briefs in `lang`, newest meeting first (then by slug, for a stable order).
    pub fn versions_in(&self, lang: &str) -> Vec<&Arc<BriefVersion>> {
        let mut list: Vec<&Arc<BriefVersion>> = self.briefs.iter().filter_map(|b| b.version(lang)).collect();
        list.sort_by(|a, b| {
            b.source
                .front
                .meeting
                .cmp(&a.source.front.meeting)
                .then_with(|| a.slug().cmp(b.slug()))
        });
        list
    }

    /// Terms that have at least one brief (in any language).
    pub fn terms_with_briefs(&self) -> BTreeSet<u32> {
        self.briefs
            .iter()
            .flat_map(|b| b.versions.iter().filter_map(|v| v.term))
            .collect()
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<PageId> {
        let mut pages = vec![PageId::Landing, PageId::NotFound, PageId::Sitemap];
        for lang in &self.config.languages {
            let l = || lang.code.clone();
            pages.push(PageId::Home(l()));
            pages.push(PageId::Topics(l()));
            pages.push(PageId::Committees(l()));
            pages.push(PageId::Terms(l()));
            pages.push(PageId::Papers(l()));
            pages.push(PageId::Search(l()));
            pages.push(PageId::Feed(l()));
            for topic in &self.config.topics {
                pages.push(PageId::Topic(l(), topic.key.clone()));
            }
            for committee in &self.config.committees {
                pages.push(PageId::Committee(l(), committee.key.clone()));
            }
            for term in &self.config.terms {
                if self.term.is_none_or(|t| t == term.number) {
                    pages.push(PageId::Term(l(), term.number));
                }
            }
            for brief in &self.briefs {
                if brief.version(&lang.code).is_some() {
                    pages.push(PageId::Brief(l(), brief.slug.clone()));
                }
            }
        }
        pages
    }

    /// The pages whose content depends on brief `slug`, given its versions before
    /// and after an edit: its own pages, and every list or quote it appears in.
    pub fn pages_affected_by(
        &self,
        slug: &str,
        before: &[Arc<BriefVersion>],
        after: &[Arc<BriefVersion>],
    ) -> BTreeSet<PageId> {
        if let Some(pages) = self.pages_affected_by_body_edit(slug, before, after) {
            return pages;
        }
        let mut pages = BTreeSet::from([PageId::Landing, PageId::Sitemap]);
        for lang in &self.config.languages {
            let l = || lang.code.clone();
            // The brief page of every language: the language switcher depends on
            // which translations exist.
            pages.insert(PageId::Brief(l(), slug.to_string()));
            pages.insert(PageId::Home(l()));
            pages.insert(PageId::Topics(l()));
            pages.insert(PageId::Committees(l()));
            pages.insert(PageId::Terms(l()));
            pages.insert(PageId::Papers(l()));
            // Its filters list the committees, topics and terms that have briefs.
            pages.insert(PageId::Search(l()));
            pages.insert(PageId::Feed(l()));
            for version in before.iter().chain(after) {
                for topic in &version.topics {
                    pages.insert(PageId::Topic(l(), topic.clone()));
                }
                pages.insert(PageId::Committee(l(), version.source.front.committee.clone()));
                if let Some(term) = version.term {
                    pages.insert(PageId::Term(l(), term));
                }
            }
        }
        // Other briefs' links to this one are written differently once it exists
        // (see `body_links`): where their text is quoted, on topic pages, and in a
        // term archive on their own pages too. Links are not tracked per brief, so
        // a brief or translation appearing or going redoes all of those pages.
        let langs =
            |versions: &[Arc<BriefVersion>]| versions.iter().map(|v| v.lang().to_string()).collect::<BTreeSet<_>>();
        if langs(before) != langs(after) {
            for lang in &self.config.languages {
                for topic in &self.config.topics {
                    pages.insert(PageId::Topic(lang.code.clone(), topic.key.clone()));
                }
                if self.term.is_some() {
                    for brief in self.briefs.iter().filter(|b| b.version(&lang.code).is_some()) {
                        pages.insert(PageId::Brief(lang.code.clone(), brief.slug.clone()));
                    }
                }
            }
        }
        pages
    }

    /// The pages an edit of the body alone touches (same languages, front matter,
    /// topics and term): the edited versions' pages, the topic pages whose section
    /// of the brief changed and, when the summary (paragraph 1 unless the front
    /// matter sets one) changed, the lists that show it. Most edits while drafting
    /// are of this kind, and on a large site they spare the big pages (the papers
    /// index, untouched topic pages). `None` for any other edit.
    fn pages_affected_by_body_edit(
        &self,
        slug: &str,
        before: &[Arc<BriefVersion>],
        after: &[Arc<BriefVersion>],
    ) -> Option<BTreeSet<PageId>> {
        let same_frame = |b: &Arc<BriefVersion>, a: &Arc<BriefVersion>| {
            b.lang() == a.lang() && b.source.front == a.source.front && b.topics == a.topics && b.term == a.term
        };
        if before.is_empty() || before.len() != after.len() || !before.iter().zip(after).all(|(b, a)| same_frame(b, a))
        {
            return None;
        }
        let mut pages = BTreeSet::new();
        for (b, a) in before.iter().zip(after).filter(|(b, a)| b != a) {
            let l = || a.lang().to_string();
            pages.insert(PageId::Brief(l(), slug.to_string()));
            let summary_changed = b.summary() != a.summary();
            for topic in &a.topics {
                if summary_changed || topic_section(b, topic) != topic_section(a, topic) {
                    pages.insert(PageId::Topic(l(), topic.clone()));
                }
            }
            if summary_changed {
                pages.insert(PageId::Home(l()));
                pages.insert(PageId::Feed(l()));
                pages.insert(PageId::Committee(l(), a.source.front.committee.clone()));
                if let Some(term) = a.term {
                    pages.insert(PageId::Term(l(), term));
                }
            }
        }
        Some(pages)
    }
}

/// The blocks of `v`'s section on `topic` (heading included), as its topic page
/// quotes them.
fn topic_section<'a>(v: &'a BriefVersion, topic: &str) -> Option<&'a [crate::markdown::Block]> {
    v.body
        .sections
        .iter()
        .find(|s| s.topic == topic)
        .and_then(|s| v.body.blocks.get(s.heading_index..s.end))
}
