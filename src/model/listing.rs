//! What every listing of a site shows, cut into pages: a term's briefs, a
//! committee's and a topic's briefs per term, and the papers index per term.
//!
//! This is the one place that decides which item is on which page. The render
//! stage shows a page's items, [`Site::pages`] lists the pages that exist, and
//! dev mode compares [`fingerprints`] before and after an edit to learn which pages
//! changed, so what a page shows and when it must be redone cannot drift apart.
//!
//! Listings are grouped by legislative term ([`Bucket`]) before they are cut into
//! pages: a brief added to the current term moves items only on that term's
//! pages, and a closed term's addresses keep their content for good.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use super::page::{Bucket, PageId};
use super::{BriefVersion, Site};
use crate::config::{Config, Paging};
use crate::content::PaperKind;
use crate::links::has_scheme;

/// Every listing of one language. Items are indices into `briefs`.
#[derive(Debug, Default, Clone)]
pub struct LangListings {
    /// The language's briefs, newest meeting first (then by slug).
    pub briefs: Vec<Arc<BriefVersion>>,
    pub by_term: BTreeMap<Bucket, Vec<u32>>,
    pub by_committee: BTreeMap<String, BTreeMap<Bucket, Vec<u32>>>,
    pub by_topic: BTreeMap<String, BTreeMap<Bucket, Vec<u32>>>,
    /// The papers index: each paper once per body, date and title, by the term of
    /// its date, in the order it is shown (see [`IndexedPaper`]). Shared, so
    /// listings carried over an edit (see [`pages_changed`]) do not copy it.
    pub papers: Arc<BTreeMap<Bucket, Vec<IndexedPaper>>>,
}

/// One paper of the papers index, with the briefs that cite it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexedPaper {
    /// A committee key or free text ("Council meeting").
    pub body: String,
    /// The body's position among the term's bodies: committees in config order,
    /// then other bodies by name. Also the anchor of the body's heading.
    pub body_index: usize,
    /// Whether `body` is a configured committee (its heading links to it).
    pub is_committee: bool,
    pub date: Date,
    pub title: String,
    /// The first citing brief's URL for it, and that brief (an index into the
    /// language's `briefs`): a relative URL is written for that brief's page.
    pub url: Option<(String, u32)>,
    pub kind: PaperKind,
    /// Citing briefs, each once, newest first.
    pub citing: Vec<u32>,
}

impl IndexedPaper {
    /// Whether its URL points into the site, so that how it is written depends on
    /// which briefs exist.
    pub fn links_inside(&self) -> bool {
        self.url
            .as_ref()
            .is_some_and(|(url, _)| !has_scheme(url) && !url.starts_with("//"))
    }
}

/// Where a body starts in a term's papers: its first page, and its papers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyStart {
    pub body: String,
    pub body_index: usize,
    pub is_committee: bool,
    pub page: usize,
    pub papers: usize,
}

/// How a listing's pages are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Lists of briefs, shown newest first, where briefs arrive at the newest
    /// end: pages are counted from the oldest, so that a page, once full, keeps
    /// its items for good. `page/1/` holds the oldest `per_page` items, `page/2/`
    /// the next; the listing's own address is the newest page, with the rest (a
    /// full page's worth up to just under two, or all of them when there are
    /// fewer): it is the only page a new brief changes.
    FromOldest,
    /// The papers index, where papers are inserted by date anywhere: pages are
    /// counted in the order shown, the listing's own address being the first and
    /// `page/<n>/` the n-th (n ≥ 2).
    FromFirst,
}

/// A listing of `items` items as cut into pages. A page is named by the number
/// in its address: 0 for the listing's own address, `n` for `…/page/<n>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paged {
    pub items: usize,
    pub per_page: usize,
    pub order: Order,
}

impl Paged {
    pub fn new(items: usize, per_page: usize, order: Order) -> Paged {
        Paged {
            items,
            per_page: per_page.max(1),
            order,
        }
    }

    /// How many full pages come before the newest ([`Order::FromOldest`]).
    fn older_pages(&self) -> usize {
        (self.items / self.per_page).saturating_sub(1)
    }

    /// The number of pages: at least one.
    pub fn count(&self) -> usize {
        match self.order {
            Order::FromOldest => self.older_pages() + 1,
            Order::FromFirst => self.items.div_ceil(self.per_page).max(1),
        }
    }

    /// Every page, in reading order (the listing's own address first).
    pub fn numbers(&self) -> Vec<usize> {
        let mut out = vec![0];
        match self.order {
            Order::FromOldest => out.extend((1..=self.older_pages()).rev()),
            Order::FromFirst => out.extend(2..=self.count()),
        }
        out
    }

    /// Whether the listing has page `page`.
    pub fn contains(&self, page: usize) -> bool {
        match self.order {
            Order::FromOldest => page <= self.older_pages(),
            Order::FromFirst => page == 0 || (2..=self.count()).contains(&page),
        }
    }

    /// The positions (in the order shown) of page `page`'s items; empty for a
    /// page the listing does not have.
    pub fn range(&self, page: usize) -> std::ops::Range<usize> {
        if !self.contains(page) {
            return 0..0;
        }
        let (items, per) = (self.items, self.per_page);
        match (self.order, page) {
            (Order::FromOldest, 0) => 0..items - self.older_pages() * per,
            (Order::FromOldest, n) => items - n * per..items - (n - 1) * per,
            (Order::FromFirst, n) => {
                let start = n.saturating_sub(1) * per;
                start.min(items)..(start + per).min(items)
            }
        }
    }

    /// The items of page `page`, from the listing's items in the order shown.
    pub fn slice<'a, T>(&self, items: &'a [T], page: usize) -> &'a [T] {
        let range = self.range(page);
        items.get(range).unwrap_or_default()
    }

    /// The page's number as readers see it ("Page 3 of 5"): the number in its
    /// address, the newest page of a list of briefs being the last.
    pub fn ordinal(&self, page: usize) -> usize {
        match (self.order, page) {
            (Order::FromOldest, 0) => self.count(),
            (Order::FromFirst, 0) => 1,
            (_, n) => n,
        }
    }

    /// The page readers number `ordinal`.
    pub fn page_of(&self, ordinal: usize) -> usize {
        match self.order {
            Order::FromOldest if ordinal == self.count() => 0,
            Order::FromFirst if ordinal <= 1 => 0,
            _ => ordinal,
        }
    }
}

/// Buckets as listings show them: the newest term first, `Other` last.
pub fn newest_first<'b>(buckets: impl Iterator<Item = &'b Bucket>) -> Vec<Bucket> {
    let mut list: Vec<Bucket> = buckets.copied().collect();
    list.sort_by_key(|b| match b {
        Bucket::Term(n) => (0, std::cmp::Reverse(*n)),
        Bucket::Other => (1, std::cmp::Reverse(0)),
    });
    list
}

impl LangListings {
    /// `superseded`: whether a brief is superseded by one the language has; a
    /// topic lists only the newest version of a brief.
    fn new(config: &Config, briefs: Vec<Arc<BriefVersion>>, superseded: impl Fn(&str) -> bool) -> LangListings {
        let mut by_term: BTreeMap<Bucket, Vec<u32>> = BTreeMap::new();
        let mut by_committee: BTreeMap<String, BTreeMap<Bucket, Vec<u32>>> = BTreeMap::new();
        let mut by_topic: BTreeMap<String, BTreeMap<Bucket, Vec<u32>>> = BTreeMap::new();
        for (i, v) in briefs.iter().enumerate() {
            let i = i as u32;
            let bucket = Bucket::of(v.term);
            by_term.entry(bucket).or_default().push(i);
            by_committee
                .entry(v.source.front.committee.clone())
                .or_default()
                .entry(bucket)
                .or_default()
                .push(i);
            for topic in v.topics.iter().filter(|_| !superseded(v.slug())) {
                by_topic
                    .entry(topic.clone())
                    .or_default()
                    .entry(bucket)
                    .or_default()
                    .push(i);
            }
        }
        let papers = Arc::new(index_papers(config, &briefs));
        LangListings {
            briefs,
            by_term,
            by_committee,
            by_topic,
            papers,
        }
    }

    pub fn brief(&self, i: u32) -> &Arc<BriefVersion> {
        &self.briefs[i as usize]
    }

    /// Every brief of a committee or topic, newest first, across its terms.
    pub fn all_of(groups: Option<&BTreeMap<Bucket, Vec<u32>>>) -> Vec<u32> {
        let mut all: Vec<u32> = groups.into_iter().flat_map(|g| g.values().flatten().copied()).collect();
        all.sort_unstable();
        all
    }

    /// Where each body starts among the pages of `bucket`'s papers.
    pub fn body_starts(&self, bucket: Bucket, per_page: usize) -> Vec<BodyStart> {
        let mut starts: Vec<BodyStart> = Vec::new();
        let papers = self.papers.get(&bucket).map_or(&[][..], Vec::as_slice);
        let paged = Paged::new(papers.len(), per_page, Order::FromFirst);
        for (i, paper) in papers.iter().enumerate() {
            match starts.last_mut() {
                Some(last) if last.body_index == paper.body_index => last.papers += 1,
                _ => starts.push(BodyStart {
                    body: paper.body.clone(),
                    body_index: paper.body_index,
                    is_committee: paper.is_committee,
                    page: paged.page_of(i / paged.per_page + 1),
                    papers: 1,
                }),
            }
        }
        starts
    }
}

/// The papers of `briefs`, each once per (body, date, title), grouped by the term
/// of the paper's date, then committees in config order and other bodies by name,
/// newest date first, then by title.
fn index_papers(config: &Config, briefs: &[Arc<BriefVersion>]) -> BTreeMap<Bucket, Vec<IndexedPaper>> {
    // Owned keys: a build keeps each appendix packed, so the papers read here
    // are each brief's own copy, moved into the index.
    type Key = (Bucket, usize, String, std::cmp::Reverse<Date>, String);
    /// The first URL given for the paper (and by which brief), its kind, its citing briefs.
    type Entry = (Option<(String, u32)>, PaperKind, Vec<u32>);
    let mut index: BTreeMap<Key, Entry> = BTreeMap::new();
    for (i, v) in briefs.iter().enumerate() {
        let i = i as u32;
        for paper in v.papers().into_owned() {
            let rank = config
                .committees
                .iter()
                .position(|c| c.key == paper.body)
                .unwrap_or(usize::MAX);
            let bucket = Bucket::of(config.term_of(paper.date).map(|t| t.number));
            let key = (bucket, rank, paper.body, std::cmp::Reverse(paper.date), paper.title);
            let entry = index.entry(key).or_insert_with(|| (None, paper.kind, Vec::new()));
            if entry.0.is_none() {
                entry.0 = paper.url.map(|url| (url, i));
            }
            if entry.2.last() != Some(&i) {
                entry.2.push(i);
            }
        }
    }
    let mut out: BTreeMap<Bucket, Vec<IndexedPaper>> = BTreeMap::new();
    // Keys come sorted by bucket, then body: a body's index counts the bodies
    // before it in its bucket.
    let mut last: Option<(Bucket, usize, String)> = None;
    let mut body_at = 0;
    for ((bucket, rank, body, date, title), (url, kind, citing)) in index {
        match &last {
            Some((b, r, name)) if *b == bucket && *r == rank && *name == body => {}
            Some((b, ..)) if *b == bucket => body_at += 1,
            _ => body_at = 0,
        }
        last = Some((bucket, rank, body.clone()));
        out.entry(bucket).or_default().push(IndexedPaper {
            body,
            body_index: body_at,
            is_committee: rank != usize::MAX,
            date: date.0,
            title,
            url,
            kind,
            citing,
        });
    }
    out
}

/// Every language's listings, made once per state of the site (see
/// [`Site::listings`]).
#[derive(Debug, Default, Clone)]
pub struct Listings {
    pub langs: BTreeMap<String, LangListings>,
}

impl Listings {
    pub fn new(site: &Site) -> Listings {
        let langs = site
            .config
            .languages
            .par_iter()
            .map(|l| {
                let briefs: Vec<Arc<BriefVersion>> = site.versions_in(&l.code).into_iter().cloned().collect();
                let lineage = site.lineage();
                let superseded = |slug: &str| {
                    lineage
                        .superseded_by(slug)
                        .is_some_and(|new| site.brief(new).is_some_and(|b| b.version(&l.code).is_some()))
                };
                (l.code.clone(), LangListings::new(&site.config, briefs, superseded))
            })
            .collect();
        Listings { langs }
    }

    pub fn lang(&self, code: &str) -> &LangListings {
        static EMPTY: std::sync::OnceLock<LangListings> = std::sync::OnceLock::new();
        self.langs
            .get(code)
            .unwrap_or_else(|| EMPTY.get_or_init(LangListings::default))
    }
}

/// The listing pages of `lang`, in a stable order.
pub fn listing_pages(site: &Site, lang: &str, out: &mut Vec<PageId>) {
    let paging = site.config.paging;
    let listings = site.listings();
    let l = listings.lang(lang);
    let code = || lang.to_string();
    for topic in &site.config.topics {
        out.push(PageId::Topic(code(), topic.key.clone()));
        for (bucket, items) in l.by_topic.get(&topic.key).into_iter().flatten() {
            for p in Paged::new(items.len(), paging.sections, Order::FromOldest).numbers() {
                out.push(PageId::TopicTerm(code(), topic.key.clone(), *bucket, p));
            }
        }
    }
    for committee in &site.config.committees {
        out.push(PageId::Committee(code(), committee.key.clone()));
        for (bucket, items) in l.by_committee.get(&committee.key).into_iter().flatten() {
            for p in Paged::new(items.len(), paging.briefs, Order::FromOldest).numbers() {
                out.push(PageId::CommitteeTerm(code(), committee.key.clone(), *bucket, p));
            }
        }
    }
    for bucket in term_buckets(site, l) {
        let items = l.by_term.get(&bucket).map_or(0, Vec::len);
        for p in Paged::new(items, paging.briefs, Order::FromOldest).numbers() {
            out.push(PageId::Term(code(), bucket, p));
        }
    }
    for (bucket, papers) in l.papers.iter() {
        for p in Paged::new(papers.len(), paging.papers, Order::FromFirst).numbers() {
            out.push(PageId::PapersTerm(code(), *bucket, p));
        }
    }
}

/// The terms with a page of their own: every configured term (only its own in a
/// term archive), and `Other` when some brief is in no term.
pub fn term_buckets(site: &Site, l: &LangListings) -> Vec<Bucket> {
    let mut buckets: BTreeSet<Bucket> = site
        .config
        .terms
        .iter()
        .filter(|t| site.term.is_none_or(|n| n == t.number))
        .map(|t| Bucket::Term(t.number))
        .collect();
    if l.by_term.contains_key(&Bucket::Other) {
        buckets.insert(Bucket::Other);
    }
    newest_first(buckets.iter())
}

/// How the whole listing a paginated page belongs to (its term's briefs,
/// sections or papers) is cut into pages; `None` for other pages.
pub fn listing_size(site: &Site, page: &PageId) -> Option<Paged> {
    let paging = site.config.paging;
    let listings = site.listings();
    let len = |items: Option<&Vec<u32>>| items.map_or(0, Vec::len);
    let briefs = |items, per_page| Paged::new(items, per_page, Order::FromOldest);
    Some(match page {
        PageId::TopicTerm(l, t, b, _) => briefs(
            len(listings.lang(l).by_topic.get(t).and_then(|g| g.get(b))),
            paging.sections,
        ),
        PageId::CommitteeTerm(l, c, b, _) => briefs(
            len(listings.lang(l).by_committee.get(c).and_then(|g| g.get(b))),
            paging.briefs,
        ),
        PageId::Term(l, b, _) => briefs(len(listings.lang(l).by_term.get(b)), paging.briefs),
        PageId::PapersTerm(l, b, _) => Paged::new(
            listings.lang(l).papers.get(b).map_or(0, Vec::len),
            paging.papers,
            Order::FromFirst,
        ),
        _ => return None,
    })
}

/// The number of pages of the listing `page` belongs to.
pub fn pages_of(site: &Site, page: &PageId) -> usize {
    listing_size(site, page).map_or(1, |paged| paged.count())
}

/// The items of `page` (a page of a listing of `items`, as [`listing_size`] cuts it).
pub fn page_slice<'a, T>(site: &Site, page: &PageId, items: &'a [T]) -> &'a [T] {
    match (listing_size(site, page), page.page_number()) {
        (Some(paged), Some(n)) => paged.slice(items, n),
        _ => items,
    }
}

/// The briefs a page shows or quotes, by index into its language's `briefs`, in
/// the order shown. Brief pages and pages that show no brief give none.
pub fn briefs_on(site: &Site, page: &PageId) -> Vec<u32> {
    let paging = site.config.paging;
    let listings = site.listings();
    let get = |groups: Option<&BTreeMap<Bucket, Vec<u32>>>, b: &Bucket| -> Vec<u32> {
        groups.and_then(|g| g.get(b)).cloned().unwrap_or_default()
    };
    match page {
        PageId::Home(l) => (0..listings.lang(l).briefs.len().min(paging.latest) as u32).collect(),
        PageId::Topic(l, t) => {
            let mut all = LangListings::all_of(listings.lang(l).by_topic.get(t));
            all.truncate(paging.sections);
            all
        }
        PageId::Committee(l, c) => {
            let mut all = LangListings::all_of(listings.lang(l).by_committee.get(c));
            all.truncate(paging.briefs);
            all
        }
        PageId::TopicTerm(l, t, b, _) => page_slice(site, page, &get(listings.lang(l).by_topic.get(t), b)).to_vec(),
        PageId::CommitteeTerm(l, c, b, _) => {
            page_slice(site, page, &get(listings.lang(l).by_committee.get(c), b)).to_vec()
        }
        PageId::Term(l, b, _) => page_slice(
            site,
            page,
            listings.lang(l).by_term.get(b).map_or(&[][..], Vec::as_slice),
        )
        .to_vec(),
        PageId::PapersTerm(l, b, _) => {
            let listing = listings.lang(l);
            let mut seen: BTreeSet<u32> = BTreeSet::new();
            page_slice(site, page, listing.papers.get(b).map_or(&[][..], Vec::as_slice))
                .iter()
                .flat_map(|paper| paper.citing.iter().copied())
                .filter(|i| seen.insert(*i))
                .collect()
        }
        _ => Vec::new(),
    }
}

// ---- fingerprints -----------------------------------------------------------

/// A hash of what each page other than a brief's shows, for dev mode to tell which
/// pages an edit changed: a page is redone when its fingerprint changed, made when
/// it appeared and dropped when it vanished. Lists and quotes hash the items they
/// show (and their place among the pages); the small site-wide pages (landing,
/// indexes, homes, search, feeds, sitemap) hash the front matter of every brief.
pub fn fingerprints(site: &Site) -> BTreeMap<PageId, u64> {
    let frame = frame_print(site);
    let listings = site.listings();
    // In parallel: in dev mode this runs after every edit, over every page.
    let pages = site.pages();
    let prints: Vec<u64> = pages
        .par_iter()
        .map(|page| match page {
            // A brief's own page and data change with the brief (see
            // `edited_brief_pages`) and with the versions it links to.
            PageId::Brief(_, slug) | PageId::BriefData(_, slug) => versions_print(site, slug),
            PageId::Compare(l, new, old) => compare_print(site, l, new, old),
            // Every record is in them: redone on any edit (`pages_changed`).
            PageId::Catalogue | PageId::Data(_) => 0,
            PageId::Topic(..)
            | PageId::TopicTerm(..)
            | PageId::Committee(..)
            | PageId::CommitteeTerm(..)
            | PageId::Term(..)
            | PageId::PapersTerm(..)
            | PageId::Papers(..) => listing_print(site, &listings, page),
            _ => frame,
        })
        .collect();
    pages.into_iter().zip(prints).collect()
}

/// What a brief's page and data show of its other versions: their titles, paper
/// numbers and dates, and which supersedes which.
fn versions_print(site: &Site, slug: &str) -> u64 {
    let lineage = site.lineage();
    let related = lineage.related(slug);
    if related.is_empty() {
        return 0;
    }
    let mut h = DefaultHasher::new();
    lineage.supersedes(slug).hash(&mut h);
    lineage.superseded_by(slug).hash(&mut h);
    for other in related {
        other.hash(&mut h);
        for v in site.brief(other).map(|b| b.versions.as_slice()).unwrap_or_default() {
            let front = &v.source.front;
            (v.lang(), &front.title, &front.paper_no, front.issued).hash(&mut h);
        }
    }
    h.finish()
}

/// What a comparison page shows: both versions' headers and paragraphs.
fn compare_print(site: &Site, lang: &str, new: &str, old: &str) -> u64 {
    let mut h = DefaultHasher::new();
    for slug in [new, old] {
        if let Some(v) = site.brief(slug).and_then(|b| b.version(lang)) {
            let front = &v.source.front;
            (&front.title, &front.paper_no, front.issued).hash(&mut h);
            v.body().blocks.hash(&mut h);
        }
    }
    h.finish()
}

/// What a list item shows of the brief an item updates ("Updated · Updates …").
fn hash_updates(site: &Site, v: &BriefVersion, h: &mut DefaultHasher) {
    let lineage = site.lineage();
    let old = lineage.supersedes(v.slug());
    old.hash(h);
    if let Some(old) = old {
        site.brief(old)
            .and_then(|b| b.version(v.lang()))
            .map(|o| &o.source.front.title)
            .hash(h);
    }
    lineage.superseded_by(v.slug()).hash(h);
}

/// What the site-wide pages show of every brief.
fn frame_print(site: &Site) -> u64 {
    let mut h = DefaultHasher::new();
    for brief in &site.briefs {
        for v in &brief.versions {
            v.lang().hash(&mut h);
            hash_item(v, &mut h);
            hash_updates(site, v, &mut h);
            v.source.front.issued.hash(&mut h);
            v.topics.hash(&mut h);
            v.term.hash(&mut h);
        }
    }
    h.finish()
}

/// What a list item shows of a brief.
fn hash_item(v: &BriefVersion, h: &mut DefaultHasher) {
    let front = &v.source.front;
    v.slug().hash(h);
    front.title.hash(h);
    front.paper_no.hash(h);
    front.committee.hash(h);
    front.meeting.hash(h);
    v.summary().hash(h);
}

fn listing_print(site: &Site, listings: &Listings, page: &PageId) -> u64 {
    let mut h = DefaultHasher::new();
    let Some(lang) = page.lang() else {
        return 0;
    };
    let l = listings.lang(lang);
    let paging = site.config.paging;
    page.page_number().hash(&mut h);
    pages_of(site, page).hash(&mut h);
    // The language switcher and alternates link the page in each language that has it.
    for other in &site.config.languages {
        site.has_page(&page.in_lang(&other.code)).hash(&mut h);
    }
    let topic = match page {
        PageId::Topic(_, t) | PageId::TopicTerm(_, t, ..) => Some(t.as_str()),
        _ => None,
    };
    for i in briefs_on(site, page) {
        let v = l.brief(i);
        hash_item(v, &mut h);
        hash_updates(site, v, &mut h);
        if let Some(topic) = topic {
            v.section_print(topic).hash(&mut h);
        }
    }
    // Overviews show their terms with the number of pages each has.
    let groups = match page {
        PageId::Topic(_, t) => l.by_topic.get(t),
        PageId::Committee(_, c) => l.by_committee.get(c),
        _ => None,
    };
    for (bucket, items) in groups.into_iter().flatten() {
        (bucket, items.len()).hash(&mut h);
    }
    match page {
        PageId::PapersTerm(_, b, _) => {
            let papers = l.papers.get(b).map_or(&[][..], Vec::as_slice);
            let shown = page_slice(site, page, papers);
            shown.hash(&mut h);
            // A body continued from the page before is headed "continued".
            let first = listing_size(site, page).map_or(0, |paged| paged.range(page.page_number().unwrap_or(0)).start);
            first
                .checked_sub(1)
                .and_then(|i| papers.get(i))
                .map(|p| p.body_index)
                .hash(&mut h);
        }
        PageId::Papers(_) => {
            for (bucket, papers) in l.papers.iter() {
                (bucket, papers.len()).hash(&mut h);
                l.body_starts(*bucket, paging.papers).hash(&mut h);
            }
        }
        _ => {}
    }
    h.finish()
}

/// One brief edited: its slug, its versions before and after.
pub type Edit = (String, Vec<Arc<BriefVersion>>, Vec<Arc<BriefVersion>>);

fn languages(versions: &[Arc<BriefVersion>]) -> BTreeSet<&str> {
    versions.iter().map(|v| v.lang()).collect()
}

/// The edited briefs' own pages: each version that changed, and every version of
/// a brief whose languages changed (the language switcher says which exist).
pub fn edited_brief_pages(site: &Site, edits: &[Edit]) -> BTreeSet<PageId> {
    let mut pages = BTreeSet::new();
    for (slug, old, new) in edits {
        let changed_langs = languages(old) != languages(new);
        for lang in &site.config.languages {
            let version = |vs: &[Arc<BriefVersion>]| vs.iter().find(|v| v.lang() == lang.code).cloned();
            if changed_langs || version(old) != version(new) {
                pages.insert(PageId::Brief(lang.code.clone(), slug.clone()));
                pages.insert(PageId::BriefData(lang.code.clone(), slug.clone()));
            }
        }
    }
    pages
}

/// The bulk exports, their catalogue and the data pages listing them hold every
/// brief's record: any edit changes them.
fn insert_exports(site: &Site, pages: &mut BTreeSet<PageId>) {
    pages.insert(PageId::Catalogue);
    for lang in &site.config.languages {
        pages.insert(PageId::Data(lang.code.clone()));
    }
}

/// The pages an edit changed, from the site before and after it and the briefs
/// edited (slug, versions before, versions after): the edited briefs' own pages,
/// every page whose [`fingerprints`] differ (or that appeared or vanished), and
/// the pages that write links to the edited briefs when one appeared or went.
pub fn pages_changed(before: &Site, after: &Site, edits: &[Edit]) -> BTreeSet<PageId> {
    if let Some(pages) = body_only_changes(before, after, edits) {
        return pages;
    }
    let mut pages = edited_brief_pages(after, edits);
    // The exports hold every brief's record.
    if !edits.is_empty() {
        insert_exports(after, &mut pages);
    }
    let languages_changed = edits.iter().any(|(_, old, new)| languages(old) != languages(new));
    let old = fingerprints(before);
    let new = fingerprints(after);
    for (page, print) in &new {
        if old.get(page) != Some(print) {
            pages.insert(page.clone());
        }
    }
    pages.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    // Other briefs' links to an edited one are written differently once it exists
    // (see `body_links`): where their text is quoted, on topic pages, where a
    // paper's URL points into the site, and in a term archive on their own pages.
    // Links are not tracked per brief, so a brief or translation appearing or
    // going redoes all of those.
    if languages_changed {
        let listings = after.listings();
        for page in new.keys() {
            let redo = match page {
                PageId::Topic(..) | PageId::TopicTerm(..) => true,
                PageId::PapersTerm(l, b, _) => page_slice(
                    after,
                    page,
                    listings.lang(l).papers.get(b).map_or(&[][..], Vec::as_slice),
                )
                .iter()
                .any(IndexedPaper::links_inside),
                _ => false,
            };
            if redo {
                pages.insert(page.clone());
            }
        }
        if after.term.is_some() {
            for lang in &after.config.languages {
                for brief in after.briefs.iter().filter(|b| b.version(&lang.code).is_some()) {
                    pages.insert(PageId::Brief(lang.code.clone(), brief.slug.clone()));
                    pages.insert(PageId::BriefData(lang.code.clone(), brief.slug.clone()));
                }
            }
        }
    }
    pages
}

/// [`pages_changed`] for the common edit in dev mode, a change to the text of
/// some paragraphs, without making every page's fingerprint twice and the
/// listings anew (at 10,000 briefs a third of a second after every save). It
/// applies when each edited brief has the same versions before and after, each
/// the same in everything a listing shows or groups by (front matter, summary,
/// topics, term, appendix): then the listings are those of `before` with the
/// new versions in place (`after` gets them), and the pages changed are the
/// briefs' own pages, their comparison pages, the bulk exports and the topic
/// pages quoting a section the edit changed. `None` for any other edit.
fn body_only_changes(before: &Site, after: &Site, edits: &[Edit]) -> Option<BTreeSet<PageId>> {
    let slugs: BTreeSet<&str> = edits.iter().map(|(slug, _, _)| slug.as_str()).collect();
    let mut swapped: Vec<Arc<BriefVersion>> = Vec::new();
    // (language, slug, topic) whose quoted section changed.
    let mut quoted: Vec<(&str, &str, &str)> = Vec::new();
    for slug in &slugs {
        let (was, now) = (before.brief(slug)?, after.brief(slug)?);
        if was.versions.len() != now.versions.len() {
            return None;
        }
        for (old, new) in was.versions.iter().zip(&now.versions) {
            let same = old.lang() == new.lang()
                && old.source.front == new.source.front
                && old.summary() == new.summary()
                && old.topics == new.topics
                && old.term == new.term
                && old.papers() == new.papers();
            if !same {
                return None;
            }
            for topic in &new.topics {
                if old.section_print(topic) != new.section_print(topic) {
                    quoted.push((new.lang(), new.slug(), topic.as_str()));
                }
            }
            swapped.push(Arc::clone(new));
        }
    }
    let carried = before.listings();
    let mut failed = false;
    after.listings_or(|| {
        let mut listings = (*carried).clone();
        for v in &swapped {
            let at = listings
                .langs
                .get_mut(v.lang())
                .and_then(|l| l.briefs.iter().position(|b| b.slug() == v.slug()).map(|i| (l, i)));
            match at {
                Some((l, i)) => l.briefs[i] = Arc::clone(v),
                None => failed = true,
            }
        }
        listings
    });
    if failed {
        return None;
    }
    let listings = after.listings();
    let mut pages = edited_brief_pages(after, edits);
    insert_exports(after, &mut pages);
    for page in after.pages() {
        let redo = match &page {
            PageId::Compare(_, new, old) => slugs.contains(new.as_str()) || slugs.contains(old.as_str()),
            PageId::Topic(l, t) | PageId::TopicTerm(l, t, ..) => {
                let on_page = briefs_on(after, &page);
                quoted
                    .iter()
                    .filter(|(ql, _, qt)| ql == l && qt == t)
                    .any(|(_, slug, _)| {
                        let briefs = &listings.lang(l).briefs;
                        on_page
                            .iter()
                            .any(|&i| briefs.get(i as usize).is_some_and(|b| b.slug() == *slug))
                    })
            }
            _ => false,
        };
        if redo {
            pages.insert(page);
        }
    }
    Some(pages)
}

/// How many URLs one sitemap file holds: the configured number, fewer if that
/// many could pass the protocol's 50 MB, given the longest address the site has.
pub fn sitemap_urls_per_file(site: &Site) -> usize {
    const MAX_BYTES: usize = 50 * 1000 * 1000 - 1000;
    let paging: Paging = site.config.paging;
    let longest_key = site
        .briefs
        .iter()
        .map(|b| b.slug.len())
        .chain(site.config.topics.iter().map(|t| t.key.len()))
        .chain(site.config.committees.iter().map(|c| c.key.len()))
        .max()
        .unwrap_or(0);
    // `<url><loc>…</loc><lastmod>…</lastmod>` and one `xhtml:link` per language,
    // each with the base URL, a language code and a path of at most the longest
    // key and 64 bytes more (escaping may triple an `&`; keys are slugs).
    let url = site.config.base_url.len() * 3 + longest_key + 64;
    let entry = 100 + url + site.config.languages.len() * (80 + url);
    paging.sitemap_urls.min(MAX_BYTES / entry).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_pages_are_cut_in_the_order_shown_and_never_empty() {
        let paged = |n| Paged::new(n, 50, Order::FromFirst);
        assert_eq!(paged(0).count(), 1);
        assert_eq!(paged(50).count(), 1);
        assert_eq!(paged(51).count(), 2);
        let items: Vec<u32> = (0..120).collect();
        assert_eq!(paged(120).numbers(), [0, 2, 3]);
        assert_eq!(paged(120).slice(&items, 0), &items[..50]);
        assert_eq!(paged(120).slice(&items, 3), &items[100..]);
        assert!(paged(120).slice(&items, 4).is_empty());
        assert!(!paged(120).contains(1), "there is no page/1/");
        assert_eq!((paged(120).ordinal(0), paged(120).page_of(1)), (1, 0));
    }

    #[test]
    fn lists_of_briefs_are_counted_from_the_oldest_so_full_pages_never_change() {
        let paged = |n| Paged::new(n, 20, Order::FromOldest);
        // Fewer than two pages' worth: all on the listing's own address.
        assert_eq!(paged(0).numbers(), [0]);
        assert_eq!(paged(39).numbers(), [0]);
        assert_eq!(paged(39).range(0), 0..39);
        // Then `page/1/` holds the oldest 20, and the newest page the rest.
        assert_eq!(paged(40).numbers(), [0, 1]);
        assert_eq!(paged(40).range(0), 0..20);
        assert_eq!(paged(40).range(1), 20..40);
        assert_eq!(paged(75).numbers(), [0, 2, 1]);
        assert_eq!(
            (paged(75).range(0), paged(75).range(2), paged(75).range(1)),
            (0..35, 35..55, 55..75)
        );
        assert_eq!(
            (paged(75).ordinal(0), paged(75).ordinal(2), paged(75).page_of(3)),
            (3, 2, 0)
        );
        // Items shown newest first: one more at the newest end leaves every
        // older page's items as they were.
        for n in 0..200 {
            let before: Vec<usize> = (0..n).rev().collect();
            let after: Vec<usize> = (0..=n).rev().collect();
            for page in paged(n).numbers().into_iter().filter(|&p| p > 0) {
                assert_eq!(
                    paged(n).slice(&before, page),
                    paged(n + 1).slice(&after, page),
                    "{n} {page}"
                );
            }
            let newest = paged(n + 1).range(0).len();
            assert!(newest <= 39 && (n + 1 < 20 || newest >= 20), "{n}");
        }
    }

    #[test]
    fn the_newest_term_comes_first_and_other_last() {
        let buckets = [Bucket::Other, Bucket::Term(6), Bucket::Term(8), Bucket::Term(7)];
        assert_eq!(
            newest_first(buckets.iter()),
            vec![Bucket::Term(8), Bucket::Term(7), Bucket::Term(6), Bucket::Other]
        );
    }
}
