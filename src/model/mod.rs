//! Stage 4: the site model — briefs grouped across languages, and which page
//! depends on which brief.
//!
//! The model is plain data built from the loaded sources and rendered bodies. It
//! knows every page of the site as a [`PageId`], so rendering can be done page by
//! page in parallel, and dev mode can ask [`Site::pages_affected_by`] which pages an
//! edit to one brief touches instead of rebuilding everything.

pub mod listing;
pub mod packed;
pub mod page;
pub mod versions;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

pub use listing::Listings;
pub use page::{Bucket, PageId, PageKind};
pub use versions::Lineage;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Asset, BriefSource, Content, Paper};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, MarkdownOptions, RenderedBody};

/// Up to how many addresses the sitemap is one file; past that, parts by term
/// (see [`Site::sitemap_files`]), so that a deployer uploads one part, not the
/// whole sitemap, when a brief is added.
pub const SINGLE_SITEMAP_URLS: usize = 1000;

/// One brief in one language, with its body rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefVersion {
    pub source: BriefSource,
    /// The rendered body. In a build its HTML is packed ([`BriefVersion::pack`]):
    /// read the structure with [`BriefVersion::outline`], the HTML with
    /// [`BriefVersion::body`].
    rendered: RenderedBody,
    /// Topic keys in config order: those in `topics` plus those with a section.
    pub topics: Vec<String>,
    /// The legislative term of the meeting date, if any.
    pub term: Option<u32>,
    /// A hash of each topic section's blocks, heading included, by topic: what a
    /// topic page quotes, to tell whether an edit changed it.
    pub section_prints: Vec<(String, u64)>,
    /// In a build, the HTML of the body's blocks and footnotes, packed (see
    /// [`BriefVersion::pack`]); `rendered` then holds their structure only.
    packed: Option<Vec<u8>>,
    /// The appendix, taken from the front matter.
    papers: Appendix,
}

/// A brief's `[[papers]]`, as read or packed ([`packed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Appendix {
    Plain(Vec<Paper>),
    Packed(Vec<u8>),
}

impl BriefVersion {
    pub fn slug(&self) -> &str {
        &self.source.slug
    }

    /// Frees the Markdown text, which is rendered by now, keeping the locations
    /// messages can cite: body links, heading ids, the body's start.
    pub fn release_body(&mut self) {
        let offsets: Vec<usize> = std::iter::once(0)
            .chain(self.rendered.links.iter().map(|l| l.offset))
            .chain(self.rendered.heading_ids.iter().map(|(_, offset)| *offset))
            .collect();
        self.source.release_body(offsets);
    }

    pub fn lang(&self) -> &str {
        &self.source.lang
    }

    /// Packs the HTML of the body's blocks and footnotes and the appendix
    /// ([`packed`]), leaving the body's structure (kinds, sections, links) in
    /// place; [`BriefVersion::body`] and [`BriefVersion::papers`] unpack them.
    pub fn pack(&mut self) {
        if self.packed.is_none() {
            let strings: Vec<String> = self
                .rendered
                .blocks
                .iter_mut()
                .map(|b| &mut b.html)
                .chain(self.rendered.footnotes.iter_mut().map(|(_, html)| html))
                .map(std::mem::take)
                .collect();
            self.packed = Some(packed::pack_strings(strings.iter().map(String::as_str)));
        }
        if let Appendix::Plain(papers) = &self.papers {
            self.papers = Appendix::Packed(packed::pack_papers(papers));
        }
    }

    /// Whether [`BriefVersion::pack`] packed the body's HTML.
    pub fn is_packed(&self) -> bool {
        self.packed.is_some()
    }

    /// The appendix, "List of relevant papers", in printed order.
    pub fn papers(&self) -> std::borrow::Cow<'_, [Paper]> {
        match &self.papers {
            Appendix::Plain(papers) => std::borrow::Cow::Borrowed(papers),
            Appendix::Packed(bytes) => std::borrow::Cow::Owned(packed::unpack_papers(bytes)),
        }
    }

    /// The rendered body's structure: its blocks' kinds, sections, paragraph
    /// count, links and footnote ids. Its HTML may be packed: see [`BriefVersion::body`].
    pub fn outline(&self) -> &RenderedBody {
        &self.rendered
    }

    /// The rendered body with its HTML, unpacked if [`BriefVersion::pack`]
    /// packed it.
    pub fn body(&self) -> std::borrow::Cow<'_, RenderedBody> {
        let Some(packed) = &self.packed else {
            return std::borrow::Cow::Borrowed(&self.rendered);
        };
        let mut body = self.rendered.clone();
        let mut html = packed::unpack_strings(packed).into_iter();
        let strings = body
            .blocks
            .iter_mut()
            .map(|b| &mut b.html)
            .chain(body.footnotes.iter_mut().map(|(_, html)| html));
        for (slot, unpacked) in strings.zip(&mut html) {
            *slot = unpacked;
        }
        std::borrow::Cow::Owned(body)
    }

    /// The hash of the section on `topic`, if the body has one.
    pub fn section_print(&self, topic: &str) -> Option<u64> {
        self.section_prints.iter().find(|(t, _)| t == topic).map(|(_, h)| *h)
    }

    pub fn summary(&self) -> &str {
        self.source
            .front
            .summary
            .as_deref()
            .unwrap_or(&self.rendered.first_paragraph_text)
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

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// Sorted by slug.
    pub briefs: Vec<Brief>,
    pub assets: Vec<Asset>,
    /// When set, only briefs of this term are in the site (a term archive).
    pub term: Option<u32>,
    /// The listings of the briefs as they are now, made on first use and shared
    /// by clones; [`Site::replace_brief`] drops them.
    listings: Arc<OnceLock<Arc<Listings>>>,
    /// Which brief supersedes which, made on first use like `listings`.
    lineage: Arc<OnceLock<Arc<Lineage>>>,
}

/// Renders one source's body and derives its topics and term.
pub fn prepare_version(config: &Config, mut source: BriefSource) -> (BriefVersion, Diagnostics) {
    let mut diags = Diagnostics::new();
    let papers = Appendix::Plain(std::mem::take(&mut source.front.appendix));
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
    for (index, (id, offset)) in body.heading_ids.iter().enumerate() {
        if topic_keys.contains(&id.as_str()) {
            continue;
        }
        // `x-1`, the id a heading got because an earlier one has `x` (an explicit
        // id used twice is an error already): not a misspelt topic.
        let renamed = id.rsplit_once('-').is_some_and(|(base, n)| {
            n.bytes().all(|b| b.is_ascii_digit())
                && body.heading_ids[..index].iter().any(|(earlier, _)| earlier == base)
        });
        if renamed {
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
    let section_prints = body
        .sections
        .iter()
        .map(|section| {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            body.blocks.get(section.heading_index..section.end).hash(&mut h);
            (section.topic.clone(), h.finish())
        })
        .collect();
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
            rendered: body,
            topics,
            term,
            section_prints,
            packed: None,
            papers,
        },
        diags,
    )
}

/// One source prepared as the model keeps it, or `None` outside the `term` a
/// term archive is built for.
///
/// The Markdown text is freed once rendered (keeping the locations messages may
/// cite) and the HTML and appendix packed ([`packed`]): nothing reads the text
/// again, and freeing each body as soon as it is rendered, rather than after all
/// are, keeps an archive's sources and their HTML from ever being in memory
/// together (at 10,000 briefs, 380 MB of Markdown). Dev mode too: it tells what
/// an edit changed by comparing what was rendered.
fn prepare_kept(config: &Config, source: BriefSource, term: Option<u32>) -> Option<(BriefVersion, Diagnostics)> {
    if term.is_some() && config.term_of(source.front.meeting).map(|t| t.number) != term {
        return None;
    }
    let (mut version, diags) = prepare_version(config, source);
    version.release_body();
    version.pack();
    Some((version, diags))
}

impl Site {
    /// Builds the model from loaded content, rendering every body in parallel.
    pub fn new(config: Arc<Config>, content: Content, term: Option<u32>) -> (Site, Diagnostics) {
        // Versions are checked against every brief loaded, a term archive's too.
        let claims: Vec<versions::Claim> = content.briefs.iter().map(versions::Claim::of).collect();
        let prepared: Vec<(BriefVersion, Diagnostics)> = content
            .briefs
            .into_par_iter()
            .filter_map(|source| prepare_kept(&config, source, term))
            .collect();
        Site::from_prepared(config, prepared, content.assets, term, &claims)
    }

    /// Reads the sources under `content/` and builds the model, rendering each
    /// body as soon as its file is read ([`crate::content::load_each`]): no more
    /// than a few sources are in memory at a time.
    /// Returns the problems of the sources and of the model together.
    pub fn load(config: Arc<Config>, drafts: bool, term: Option<u32>) -> (Site, Diagnostics) {
        // Each source leaves its claim (what it supersedes) whether the model keeps
        // it or not: versions are checked against every brief loaded.
        let (loaded, assets, mut diags) = crate::content::load_each(&config, drafts, |source| {
            let claim = versions::Claim::of(&source);
            Some((claim, prepare_kept(&config, source, term)))
        });
        let (claims, prepared): (Vec<versions::Claim>, Vec<Option<(BriefVersion, Diagnostics)>>) =
            loaded.into_iter().unzip();
        let prepared = prepared.into_iter().flatten().collect();
        let (site, model_diags) = Site::from_prepared(config, prepared, assets, term, &claims);
        diags.extend(model_diags);
        (site, diags)
    }

    fn from_prepared(
        config: Arc<Config>,
        prepared: Vec<(BriefVersion, Diagnostics)>,
        assets: Vec<Asset>,
        term: Option<u32>,
        claims: &[versions::Claim],
    ) -> (Site, Diagnostics) {
        let mut diags = versions::check(claims);
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
            assets,
            term,
            listings: Arc::default(),
            lineage: Arc::default(),
        };
        (site, diags)
    }

    /// The site of one term's archive, cut from a site loaded whole: the
    /// versions whose meeting is in `term`, sharing their packed bodies, as
    /// [`Site::load`] with that term would make them without reading a source again.
    pub fn only_term(&self, term: u32) -> Site {
        let briefs = self
            .briefs
            .iter()
            .filter_map(|brief| {
                let versions: Vec<Arc<BriefVersion>> = brief
                    .versions
                    .iter()
                    .filter(|v| v.term == Some(term))
                    .cloned()
                    .collect();
                (!versions.is_empty()).then(|| Brief {
                    slug: brief.slug.clone(),
                    versions,
                })
            })
            .collect();
        Site {
            config: self.config.clone(),
            briefs,
            assets: self.assets.clone(),
            term: Some(term),
            listings: Arc::default(),
            lineage: Arc::default(),
        }
    }

    pub fn brief(&self, slug: &str) -> Option<&Brief> {
        self.briefs
            .binary_search_by(|b| b.slug.as_str().cmp(slug))
            .ok()
            .map(|i| &self.briefs[i])
    }

    /// The listings of the site as it is now (made once, then shared).
    pub fn listings(&self) -> Arc<Listings> {
        self.listings.get_or_init(|| Arc::new(Listings::new(self))).clone()
    }

    /// [`Site::listings`], made by `make` if they are not made yet: dev mode
    /// carries the listings over an edit that cannot change them.
    pub fn listings_or(&self, make: impl FnOnce() -> Listings) -> Arc<Listings> {
        self.listings.get_or_init(|| Arc::new(make())).clone()
    }

    /// Which brief supersedes which, among the site's briefs (made once, then shared).
    pub fn lineage(&self) -> Arc<Lineage> {
        self.lineage
            .get_or_init(|| Arc::new(Lineage::new(&self.briefs)))
            .clone()
    }

    /// The problems of the `supersedes` fields of the site's briefs as they are
    /// now (dev mode's check after an edit; a build checks them in [`Site::new`]).
    pub fn lineage_errors(&self) -> Diagnostics {
        let claims: Vec<versions::Claim> = self
            .briefs
            .iter()
            .flat_map(|b| b.versions.iter().map(|v| versions::Claim::of(&v.source)))
            .collect();
        versions::check(&claims)
    }

    /// Replaces (or removes, with no versions) one brief; dev mode's edit path.
    pub fn replace_brief(&mut self, slug: &str, versions: Vec<Arc<BriefVersion>>) {
        self.listings = Arc::default();
        self.lineage = Arc::default();
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
            pages.push(PageId::Data(l()));
            listing::listing_pages(self, &lang.code, &mut pages);
            let lineage = self.lineage();
            for brief in &self.briefs {
                if brief.version(&lang.code).is_some() {
                    pages.push(PageId::Brief(l(), brief.slug.clone()));
                    pages.push(PageId::BriefData(l(), brief.slug.clone()));
                    for old in lineage.earlier(&brief.slug) {
                        if self.brief(old).is_some_and(|b| b.version(&lang.code).is_some()) {
                            pages.push(PageId::Compare(l(), brief.slug.clone(), old.to_string()));
                        }
                    }
                }
            }
        }
        pages.push(PageId::Catalogue);
        let parts = self.sitemap_parts(&pages);
        if parts > 1 {
            pages.extend((1..=parts).map(PageId::SitemapPart));
        }
        pages
    }

    /// Whether the sitemap lists `page` (a search page has nothing to index).
    pub fn in_sitemap(page: &PageId) -> bool {
        !matches!(
            page,
            PageId::NotFound
                | PageId::Sitemap
                | PageId::SitemapPart(_)
                | PageId::Feed(_)
                | PageId::Search(_)
                | PageId::BriefData(..)
                | PageId::Compare(..)
                | PageId::Catalogue
        )
    }

    /// How many files the sitemap of `pages` needs: 1 for a single
    /// `sitemap.xml`, else the number of `sitemap-<n>.xml` parts.
    pub fn sitemap_parts(&self, pages: &[PageId]) -> usize {
        self.sitemap_files(pages).len().max(1)
    }

    /// The pages of each file of the sitemap of `pages`: one file while it holds
    /// at most [`SINGLE_SITEMAP_URLS`] addresses within the protocol's limits;
    /// else parts by term, so that a new brief changes one part: the site-wide
    /// pages first, then pages of briefs on no term, then each term's, oldest
    /// first, each group cut in files of at most the protocol's limit. The
    /// newest term comes last, so its growing never renumbers another part.
    pub fn sitemap_files<'p>(&self, pages: &'p [PageId]) -> Vec<Vec<&'p PageId>> {
        let listed: Vec<&PageId> = pages.iter().filter(|p| Site::in_sitemap(p)).collect();
        let per_file = listing::sitemap_urls_per_file(self);
        if listed.len() <= per_file.min(SINGLE_SITEMAP_URLS) {
            return vec![listed];
        }
        let group = |page: &PageId| -> (u8, u32) {
            let bucket = match page {
                PageId::Brief(lang, slug) => self
                    .brief(slug)
                    .and_then(|b| b.version(lang))
                    .map(|v| page::Bucket::of(v.term)),
                PageId::TopicTerm(_, _, b, _)
                | PageId::CommitteeTerm(_, _, b, _)
                | PageId::Term(_, b, _)
                | PageId::PapersTerm(_, b, _) => Some(*b),
                _ => None,
            };
            match bucket {
                None => (0, 0),
                Some(page::Bucket::Other) => (1, 0),
                Some(page::Bucket::Term(n)) => (2, n),
            }
        };
        let mut groups: BTreeMap<(u8, u32), Vec<&PageId>> = BTreeMap::new();
        for page in listed {
            groups.entry(group(page)).or_default().push(page);
        }
        groups
            .into_values()
            .flat_map(|pages| pages.chunks(per_file).map(<[&PageId]>::to_vec).collect::<Vec<_>>())
            .collect()
    }

    /// Whether the site has `page`: a brief in that language, a listing page
    /// within its listing's pages.
    pub fn has_page(&self, page: &PageId) -> bool {
        match page {
            PageId::Brief(lang, slug) | PageId::BriefData(lang, slug) => {
                self.brief(slug).is_some_and(|b| b.version(lang).is_some())
            }
            PageId::Compare(lang, new, old) => {
                let has = |slug: &str| self.brief(slug).is_some_and(|b| b.version(lang).is_some());
                has(new) && has(old) && self.lineage().earlier(new).contains(&old.as_str())
            }
            PageId::SitemapPart(n) => {
                let parts = self.sitemap_parts(&self.pages());
                parts > 1 && (1..=parts).contains(n)
            }
            // A configured term has its page even with no briefs; other listings
            // have pages only for the terms they have items in.
            PageId::Term(l, b, p) => {
                let listings = self.listings();
                listing::term_buckets(self, listings.lang(l)).contains(b)
                    && listing::listing_size(self, page).is_some_and(|paged| paged.contains(*p))
            }
            _ => match listing::listing_size(self, page) {
                Some(paged) => paged.items > 0 && page.page_number().is_some_and(|p| paged.contains(p)),
                None => true,
            },
        }
    }

    /// The pages whose content depends on brief `slug`, given its versions before
    /// and after an edit: its own pages, and every page whose lists or quotes
    /// change with it (see [`listing::pages_changed`]). `self` is the site before
    /// the edit.
    pub fn pages_affected_by(
        &self,
        slug: &str,
        before: &[Arc<BriefVersion>],
        after: &[Arc<BriefVersion>],
    ) -> BTreeSet<PageId> {
        let mut old = self.clone();
        old.replace_brief(slug, before.to_vec());
        let mut new = self.clone();
        new.replace_brief(slug, after.to_vec());
        listing::pages_changed(&old, &new, &[(slug.to_string(), before.to_vec(), after.to_vec())])
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A build packs each body's HTML; everything that reads it must get back
    /// exactly what was rendered, footnotes and headings included.
    #[test]
    fn a_packed_body_unpacks_to_the_body_as_rendered() {
        let root = env!("CARGO_MANIFEST_DIR");
        let config_text = std::fs::read_to_string(Path::new(root).join("legbrief.toml")).unwrap();
        let (config, _) = Config::parse(Path::new(root), Path::new("legbrief.toml"), &config_text).unwrap();
        let brief = "+++\ntitle = \"T\"\ncommittee = \"itb\"\nmeeting = 2025-05-12\n\n\
             [[papers]]\nbody = \"itb\"\ndate = 2024-04-08\ntitle = \"Agenda\"\nkind = \"agenda\"\n+++\n\n\
             ## Purpose {#purpose}\n\nOne[^1] **bold** &amp; 中文。\n\n- a list\n\n\
             ### Smart Mobility {#smart-mobility}\n\nTwo.\n\n[^1]: A note.\n";
        let (source, diags) = crate::content::parse_brief_file(&config, Path::new("content/briefs/t.en.md"), brief);
        assert!(!diags.has_errors(), "{diags:?}");
        let (version, _) = prepare_version(&config, source.unwrap());
        let mut packed = version.clone();
        packed.pack();
        assert!(packed.rendered.blocks.iter().all(|b| b.html.is_empty()));
        assert!(packed.is_packed());
        assert_eq!(*packed.body(), version.rendered);
        assert_eq!(packed.papers(), version.papers());
        assert!(!version.rendered.footnotes.is_empty() && version.rendered.blocks.len() > 3);
    }
}
