//! Every page of a site as a value: what it shows ([`PageId`]), where it is
//! written ([`PageId::path`]) and which kind of page it is ([`PageKind`], which
//! names its template). Render, check, serve and the sitemap all ask here, so a
//! page's address and template are written down once.

use std::fmt;

/// The legislative term a listing page is cut by: a configured term, or the
/// briefs (and papers) whose date falls in none.
///
/// Listings are grouped by term before they are paginated, so the pages of a
/// closed term never change again when new briefs are added: their addresses
/// stay good for citations and search engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    Term(u32),
    /// Dated outside every configured term (or the site has no terms).
    Other,
}

impl Bucket {
    /// The URL segment: the term's number, or `other`.
    pub fn segment(&self) -> String {
        match self {
            Bucket::Term(n) => n.to_string(),
            Bucket::Other => "other".to_string(),
        }
    }

    /// The bucket a URL segment names.
    pub fn parse(segment: &str) -> Option<Bucket> {
        if segment == "other" {
            return Some(Bucket::Other);
        }
        // Only the canonical spelling: `07` is not term 7's address.
        let n: u32 = segment.parse().ok()?;
        (n.to_string() == segment).then_some(Bucket::Term(n))
    }

    pub fn of(term: Option<u32>) -> Bucket {
        term.map_or(Bucket::Other, Bucket::Term)
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segment())
    }
}

/// Every page of a site, by what it shows. Paginated listings carry their page
/// number, from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    Landing,
    NotFound,
    /// `sitemap.xml`: the sitemap, or the index of its parts when one file would
    /// pass the protocol's limits.
    Sitemap,
    /// `sitemap-<n>.xml`, from 1, when the sitemap is split.
    SitemapPart(usize),
    Home(String),
    Brief(String, String),
    /// A brief's data beside its page: `<lang>/briefs/<slug>/index.json`.
    BriefData(String, String),
    /// What changed from an earlier version (the third field) to a brief that
    /// supersedes it (the second).
    Compare(String, String, String),
    /// `data/catalogue.json`, standing for the bulk exports it lists: the parts
    /// `data/briefs-term-<t>.jsonl.gz` and `data/papers-term-<t>.csv.gz`
    /// (`render::exports`), written with it.
    Catalogue,
    /// `<lang>/data/`: the bulk exports' parts listed for people, with how to
    /// read them.
    Data(String),
    Topics(String),
    /// A topic's overview: its newest sections and its terms.
    Topic(String, String),
    /// One page of a topic's sections in one term.
    TopicTerm(String, String, Bucket, usize),
    Committees(String),
    /// A committee's overview: its newest briefs and its terms.
    Committee(String, String),
    /// One page of a committee's briefs in one term.
    CommitteeTerm(String, String, Bucket, usize),
    Terms(String),
    /// One page of a term's briefs.
    Term(String, Bucket, usize),
    /// The papers index's overview: per term, its bodies and where they start.
    Papers(String),
    /// One page of the papers of one term.
    PapersTerm(String, Bucket, usize),
    /// The search page of a language; its index files live beside it.
    Search(String),
    Feed(String),
}

/// What kind of page a [`PageId`] is: one template (or generator) per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    Landing,
    NotFound,
    Sitemap,
    Feed,
    Home,
    Brief,
    BriefData,
    Compare,
    Export,
    Data,
    Topics,
    Topic,
    TopicTerm,
    Committees,
    Committee,
    CommitteeTerm,
    Terms,
    Term,
    Papers,
    PapersTerm,
    Search,
}

impl PageKind {
    /// The theme template that renders this kind, or `None` for the XML pages,
    /// which are written directly (`render::feeds`).
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            PageKind::Landing => "landing.html",
            PageKind::NotFound => "404.html",
            PageKind::Home => "home.html",
            PageKind::Brief => "brief.html",
            PageKind::Compare => "compare.html",
            PageKind::Topics => "topics.html",
            PageKind::Topic => "topic.html",
            PageKind::TopicTerm => "topic-term.html",
            PageKind::Committees => "committees.html",
            PageKind::Committee => "committee.html",
            PageKind::CommitteeTerm => "committee-term.html",
            PageKind::Terms => "terms.html",
            PageKind::Term => "term.html",
            PageKind::Papers => "papers.html",
            PageKind::PapersTerm => "papers-term.html",
            PageKind::Search => "search.html",
            PageKind::Data => "data.html",
            PageKind::Sitemap | PageKind::Feed | PageKind::BriefData | PageKind::Export => return None,
        })
    }

    /// Every template a theme must have.
    pub fn templates() -> impl Iterator<Item = &'static str> {
        [
            PageKind::Landing,
            PageKind::NotFound,
            PageKind::Home,
            PageKind::Brief,
            PageKind::Compare,
            PageKind::Topics,
            PageKind::Topic,
            PageKind::TopicTerm,
            PageKind::Committees,
            PageKind::Committee,
            PageKind::CommitteeTerm,
            PageKind::Terms,
            PageKind::Term,
            PageKind::Papers,
            PageKind::PapersTerm,
            PageKind::Search,
            PageKind::Data,
        ]
        .into_iter()
        .filter_map(PageKind::template)
        .chain(["base.html"])
    }

    /// What made a page of this kind, for messages about what it contains.
    pub fn made_by(self) -> String {
        match self.template() {
            Some(template) => format!("template `{template}`"),
            None if self == PageKind::Sitemap => "the sitemap generator".to_string(),
            None if matches!(self, PageKind::BriefData | PageKind::Export) => "the data export".to_string(),
            None => "the feed generator".to_string(),
        }
    }

    /// The `page.kind` templates see (the `<body>` class): kebab-case.
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Landing => "landing",
            PageKind::NotFound => "not-found",
            PageKind::Sitemap => "sitemap",
            PageKind::Feed => "feed",
            PageKind::Home => "home",
            PageKind::Brief => "brief",
            PageKind::BriefData => "brief-data",
            PageKind::Compare => "compare",
            PageKind::Export => "export",
            PageKind::Data => "data",
            PageKind::Topics => "topics",
            PageKind::Topic => "topic",
            PageKind::TopicTerm => "topic-term",
            PageKind::Committees => "committees",
            PageKind::Committee => "committee",
            PageKind::CommitteeTerm => "committee-term",
            PageKind::Terms => "terms",
            PageKind::Term => "term",
            PageKind::Papers => "papers",
            PageKind::PapersTerm => "papers-term",
            PageKind::Search => "search",
        }
    }
}

/// `prefix` for page 0 (the listing's own address), `prefix` + `page/<n>/` for
/// page `n` (see `listing::Paged`).
fn paged(prefix: String, page: usize) -> String {
    if page == 0 {
        prefix
    } else {
        format!("{prefix}page/{page}/")
    }
}

impl PageId {
    pub fn kind(&self) -> PageKind {
        match self {
            PageId::Landing => PageKind::Landing,
            PageId::NotFound => PageKind::NotFound,
            PageId::Sitemap | PageId::SitemapPart(_) => PageKind::Sitemap,
            PageId::Feed(_) => PageKind::Feed,
            PageId::Home(_) => PageKind::Home,
            PageId::Brief(..) => PageKind::Brief,
            PageId::BriefData(..) => PageKind::BriefData,
            PageId::Compare(..) => PageKind::Compare,
            PageId::Catalogue => PageKind::Export,
            PageId::Data(_) => PageKind::Data,
            PageId::Topics(_) => PageKind::Topics,
            PageId::Topic(..) => PageKind::Topic,
            PageId::TopicTerm(..) => PageKind::TopicTerm,
            PageId::Committees(_) => PageKind::Committees,
            PageId::Committee(..) => PageKind::Committee,
            PageId::CommitteeTerm(..) => PageKind::CommitteeTerm,
            PageId::Terms(_) => PageKind::Terms,
            PageId::Term(..) => PageKind::Term,
            PageId::Papers(_) => PageKind::Papers,
            PageId::PapersTerm(..) => PageKind::PapersTerm,
            PageId::Search(_) => PageKind::Search,
        }
    }

    /// The output path relative to the site root, `/`-separated; folders end in `/`
    /// and hold an `index.html`.
    pub fn path(&self) -> String {
        match self {
            PageId::Landing => String::new(),
            PageId::NotFound => "404.html".into(),
            PageId::Sitemap => "sitemap.xml".into(),
            PageId::SitemapPart(n) => format!("sitemap-{n}.xml"),
            PageId::Home(l) => format!("{l}/"),
            PageId::Brief(l, s) => format!("{l}/briefs/{s}/"),
            PageId::BriefData(l, s) => format!("{l}/briefs/{s}/index.json"),
            PageId::Compare(l, new, old) => format!("{l}/briefs/{new}/compare/{old}/"),
            PageId::Catalogue => "data/catalogue.json".into(),
            PageId::Data(l) => format!("{l}/data/"),
            PageId::Topics(l) => format!("{l}/topics/"),
            PageId::Topic(l, t) => format!("{l}/topics/{t}/"),
            PageId::TopicTerm(l, t, b, p) => paged(format!("{l}/topics/{t}/terms/{b}/"), *p),
            PageId::Committees(l) => format!("{l}/committees/"),
            PageId::Committee(l, c) => format!("{l}/committees/{c}/"),
            PageId::CommitteeTerm(l, c, b, p) => paged(format!("{l}/committees/{c}/terms/{b}/"), *p),
            PageId::Terms(l) => format!("{l}/terms/"),
            PageId::Term(l, b, p) => paged(format!("{l}/terms/{b}/"), *p),
            PageId::Papers(l) => format!("{l}/papers/"),
            PageId::PapersTerm(l, b, p) => paged(format!("{l}/papers/terms/{b}/"), *p),
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
            PageId::Landing | PageId::NotFound | PageId::Sitemap | PageId::SitemapPart(_) | PageId::Catalogue => None,
            PageId::Home(l)
            | PageId::Brief(l, _)
            | PageId::BriefData(l, _)
            | PageId::Compare(l, ..)
            | PageId::Topics(l)
            | PageId::Topic(l, _)
            | PageId::TopicTerm(l, ..)
            | PageId::Committees(l)
            | PageId::Committee(l, _)
            | PageId::CommitteeTerm(l, ..)
            | PageId::Terms(l)
            | PageId::Term(l, ..)
            | PageId::Papers(l)
            | PageId::PapersTerm(l, ..)
            | PageId::Search(l)
            | PageId::Data(l)
            | PageId::Feed(l) => Some(l),
        }
    }

    /// The same page in another language. (A page number may not exist there:
    /// [`crate::model::Site::has_page`] tells.)
    pub fn in_lang(&self, lang: &str) -> PageId {
        let l = lang.to_string();
        match self {
            PageId::Home(_) => PageId::Home(l),
            PageId::Brief(_, s) => PageId::Brief(l, s.clone()),
            PageId::BriefData(_, s) => PageId::BriefData(l, s.clone()),
            PageId::Compare(_, new, old) => PageId::Compare(l, new.clone(), old.clone()),
            PageId::Topics(_) => PageId::Topics(l),
            PageId::Topic(_, t) => PageId::Topic(l, t.clone()),
            PageId::TopicTerm(_, t, b, p) => PageId::TopicTerm(l, t.clone(), *b, *p),
            PageId::Committees(_) => PageId::Committees(l),
            PageId::Committee(_, c) => PageId::Committee(l, c.clone()),
            PageId::CommitteeTerm(_, c, b, p) => PageId::CommitteeTerm(l, c.clone(), *b, *p),
            PageId::Terms(_) => PageId::Terms(l),
            PageId::Term(_, b, p) => PageId::Term(l, *b, *p),
            PageId::Papers(_) => PageId::Papers(l),
            PageId::PapersTerm(_, b, p) => PageId::PapersTerm(l, *b, *p),
            PageId::Search(_) => PageId::Search(l),
            PageId::Feed(_) => PageId::Feed(l),
            PageId::Data(_) => PageId::Data(l),
            other => other.clone(),
        }
    }

    /// The page number of a paginated listing, else `None`.
    pub fn page_number(&self) -> Option<usize> {
        match self {
            PageId::TopicTerm(.., p)
            | PageId::CommitteeTerm(.., p)
            | PageId::Term(.., p)
            | PageId::PapersTerm(.., p) => Some(*p),
            _ => None,
        }
    }

    /// The same listing at page `n`; other pages are returned unchanged.
    pub fn at_page(&self, n: usize) -> PageId {
        match self {
            PageId::TopicTerm(l, t, b, _) => PageId::TopicTerm(l.clone(), t.clone(), *b, n),
            PageId::CommitteeTerm(l, c, b, _) => PageId::CommitteeTerm(l.clone(), c.clone(), *b, n),
            PageId::Term(l, b, _) => PageId::Term(l.clone(), *b, n),
            PageId::PapersTerm(l, b, _) => PageId::PapersTerm(l.clone(), *b, n),
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pages_have_the_listing_address_and_later_ones_a_page_folder() {
        let en = || "en".to_string();
        assert_eq!(PageId::Term(en(), Bucket::Term(7), 0).path(), "en/terms/7/");
        assert_eq!(PageId::Term(en(), Bucket::Term(7), 3).path(), "en/terms/7/page/3/");
        assert_eq!(
            PageId::TopicTerm(en(), "smart-living".into(), Bucket::Other, 2).file(),
            "en/topics/smart-living/terms/other/page/2/index.html"
        );
        assert_eq!(
            PageId::PapersTerm(en(), Bucket::Term(6), 0).path(),
            "en/papers/terms/6/"
        );
        assert_eq!(PageId::SitemapPart(2).file(), "sitemap-2.xml");
    }

    #[test]
    fn buckets_parse_only_their_own_spelling() {
        assert_eq!(Bucket::parse("7"), Some(Bucket::Term(7)));
        assert_eq!(Bucket::parse("other"), Some(Bucket::Other));
        assert_eq!(Bucket::parse("07"), None);
        assert_eq!(Bucket::parse("+7"), None);
        assert_eq!(Bucket::parse("seven"), None);
    }

    #[test]
    fn every_html_kind_names_a_template_and_the_xml_ones_a_generator() {
        assert_eq!(PageKind::PapersTerm.template(), Some("papers-term.html"));
        assert_eq!(PageKind::Sitemap.made_by(), "the sitemap generator");
        assert_eq!(PageKind::templates().count(), 18);
        assert_eq!(
            PageId::Compare("zh-hk".into(), "b-2026".into(), "b".into()).file(),
            "zh-hk/briefs/b-2026/compare/b/index.html"
        );
        assert_eq!(
            PageId::BriefData("en".into(), "b".into()).file(),
            "en/briefs/b/index.json"
        );
    }
}
