//! What every page's context shares: the frame templates know as `page` (title,
//! language switcher, alternates, navigation, archive banner), list items of
//! briefs, committees, topics and terms, and assembling a brief's blocks.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use crate::body_links::BodyLinks;
use crate::config::{Config, Language};
use crate::links::Linker;
use crate::markdown::{Block, BlockKind};
use crate::model::listing::{Order, Paged};
use crate::model::{BriefVersion, Bucket, PageId, Site};
use crate::theme::STATIC_DIR;

#[derive(Serialize)]
pub struct LangInfo<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub tag: &'a str,
    pub title: &'a str,
}

#[derive(Serialize)]
pub struct Alternate {
    pub tag: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct SwitchItem<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub tag: &'a str,
    pub href: String,
    pub current: bool,
    /// The page has no version in this language; `href` goes to that language's home.
    pub missing: bool,
    /// Said beside the link when `missing`, in the link's language (its reader's).
    pub missing_note: &'a str,
}

#[derive(Serialize)]
pub struct Nav {
    pub home: String,
    pub topics: String,
    pub committees: String,
    pub terms: String,
    pub papers: String,
    pub search: String,
    pub feed: String,
    /// The open-data page.
    pub data: String,
}

#[derive(Serialize)]
pub struct ArchiveInfo {
    pub name: String,
    pub start: String,
    pub end: String,
    /// The banner in the page's language, or in every language on pages that have
    /// none (the landing page and the 404 page).
    pub lines: Vec<ArchiveLine>,
}

#[derive(Serialize)]
pub struct ArchiveLine {
    pub tag: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub site_title: &'a str,
    /// The site's title in every language, for pages that are in none (the
    /// landing page, the 404 page, the index of term archives): their header
    /// speaks to readers of each. Empty on a language's pages.
    pub site_titles: Vec<SiteTitle<'a>>,
    pub lang: LangInfo<'a>,
    pub root: String,
    pub css: String,
    /// The theme's icon (`static/favicon.svg`), so browsers do not ask for a
    /// `/favicon.ico` that no static host has.
    pub icon: String,
    pub canonical: String,
    /// The page's language as Open Graph writes it (`zh_HK`); empty on pages in none.
    pub og_locale: String,
    pub alternates: Vec<Alternate>,
    pub switcher: Vec<SwitchItem<'a>>,
    pub nav: Nav,
    pub archive: Option<ArchiveInfo>,
    /// The pages before and after this one of a paginated listing (`rel=prev/next`).
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct Link {
    pub name: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct SiteTitle<'a> {
    pub tag: &'a str,
    pub title: &'a str,
}

#[derive(Serialize)]
pub struct BriefItem {
    pub title: String,
    pub href: String,
    pub paper_no: Option<String>,
    pub committee: Link,
    pub meeting: String,
    pub meeting_iso: String,
    pub summary: String,
    /// "Updated": the brief updates an earlier one, linked.
    pub updates: Option<Link>,
}

#[derive(Serialize)]
pub struct CountedLink {
    pub name: String,
    pub href: String,
    pub count: usize,
    pub reference: Option<String>,
    /// The term's dates as HTML ([`date_range_html`]).
    pub dates: Option<String>,
}

/// Everything needed to build one page's context.
pub struct PageContext<'a> {
    pub site: &'a Site,
    pub renderer: &'a Renderer,
    pub page: &'a PageId,
    pub lang: &'a Language,
    pub linker: &'a Linker,
}

/// A placeholder in UI strings, e.g. `{n}` in "Paragraph {n}".
pub fn fill(template: &str, key: &str, value: &str) -> String {
    template.replace(&format!("{{{key}}}"), value)
}

/// A BCP 47 tag as Open Graph's `og:locale` wants it: language, then region if
/// the tag has one (`zh-Hant-HK` → `zh_HK`, `en-GB` → `en_GB`, `en` → `en`).
pub fn og_locale(tag: &str) -> String {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let region = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()));
    match region {
        Some(r) => format!("{language}_{}", r.to_ascii_uppercase()),
        None => language,
    }
}

/// A span of dates, `template` (the theme's `term_dates`, "{start} to {end}") with
/// both filled in, as HTML: each date in a `<span class="date">` that the stylesheet
/// never breaks across lines ("2021年12月31 / 日"). Templates print it `| safe`.
pub fn date_range_html(template: &str, start: &str, end: &str) -> String {
    let date = |d: &str| format!("<span class=\"date\">{}</span>", super::feeds::escape_xml(d));
    fill(
        &fill(&super::feeds::escape_xml(template), "start", &date(start)),
        "end",
        &date(end),
    )
}

impl<'a> PageContext<'a> {
    pub fn config(&self) -> &'a Config {
        &self.site.config
    }

    pub fn code(&self) -> &'a str {
        &self.lang.code
    }

    pub fn t(&self, key: &'a str) -> &'a str {
        self.renderer.string(&self.lang.code, key)
    }

    pub fn href(&self, page: &PageId) -> String {
        self.linker.to(&page.path())
    }

    pub fn date(&self, date: jiff::civil::Date) -> String {
        self.lang.format_date(date)
    }

    pub fn exists(&self, page: &PageId) -> bool {
        self.site.has_page(page)
    }

    /// A fresh template context with the page language's UI strings as `t`.
    pub fn base_context(&self) -> Context {
        let mut context = Context::new();
        if let Some(strings) = self.renderer.strings_value.get(self.code()) {
            context.insert_value("t", strings.clone());
        }
        context
    }

    pub fn meta(&self, title: String, description: String) -> PageMeta<'a> {
        let kind = self.page.kind().name();
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
                        missing_note: if missing {
                            self.renderer.string(&l.code, "translation_missing")
                        } else {
                            ""
                        },
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
            icon: self.linker.to(&format!("{STATIC_DIR}favicon.svg")),
            canonical: Renderer::absolute_url(config, self.page),
            og_locale: if in_lang {
                og_locale(&self.lang.lang_tag)
            } else {
                String::new()
            },
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
                data: self.href(&PageId::Data(code())),
            },
            archive,
            prev: None,
            next: None,
        }
    }

    /// The landing page's introduction in language `l`: what a brief is, and how many.
    pub fn landing_intro(&self, l: &Language) -> String {
        let count = self.site.briefs.iter().filter(|b| b.version(&l.code).is_some()).count();
        let counted = fill(
            self.renderer.string(&l.code, "all_briefs_count"),
            "n",
            &count.to_string(),
        );
        join_sentences(self.renderer.string(&l.code, "home_intro"), &counted)
    }

    /// Links to language `l`'s listings, named in that language.
    pub fn landing_sections(&self, l: &Language) -> Vec<Link> {
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

    pub fn committee_link(&self, key: &str) -> Link {
        let config = self.config();
        let name = config
            .committee(key)
            .map_or(key, |c| c.names.get(self.code(), &config.default_language));
        Link {
            name: name.to_string(),
            href: self.href(&PageId::Committee(self.code().to_string(), key.to_string())),
        }
    }

    pub fn brief_item(&self, v: &BriefVersion) -> BriefItem {
        let front = &v.source.front;
        BriefItem {
            title: front.title.clone(),
            href: self.href(&PageId::Brief(v.lang().to_string(), v.slug().to_string())),
            paper_no: front.paper_no.clone(),
            committee: self.committee_link(&front.committee),
            meeting: self.date(front.meeting),
            meeting_iso: front.meeting.to_string(),
            summary: v.summary().to_string(),
            updates: self.updates(v),
        }
    }

    /// The earlier brief `v` updates, as a link in this page's language (when it
    /// has that brief).
    pub fn updates(&self, v: &BriefVersion) -> Option<Link> {
        let lineage = self.site.lineage();
        let old = lineage.supersedes(v.slug())?;
        let version = self.site.brief(old)?.version(self.code())?;
        Some(Link {
            name: version.source.front.title.clone(),
            href: self.href(&PageId::Brief(self.code().to_string(), old.to_string())),
        })
    }

    /// Links a drafter wrote in `v`'s body, re-pointed for this page (see [`BodyLinks`]).
    pub fn with_body_links<R>(&self, v: &BriefVersion, f: impl FnOnce(&BodyLinks<'_>) -> R) -> R {
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
    pub fn assemble(&self, v: &BriefVersion, blocks: &[Block], target: Option<&str>) -> String {
        self.with_body_links(v, |links| self.assemble_with(links, blocks, target, None))
    }

    /// The body of `v` (its `blocks`) on its own page: every paragraph with its citation.
    pub fn assemble_cited(&self, v: &BriefVersion, blocks: &[Block]) -> String {
        self.with_body_links(v, |links| self.assemble_with(links, blocks, None, Some(v)))
    }

    /// How paragraph `n` of `v` is cited, in the paper's own form: "LC Paper No.
    /// CB(2)848/2025(03), para. 12" (the title stands in for a missing number).
    pub fn citation(&self, v: &BriefVersion, n: &str) -> String {
        let front = &v.source.front;
        match &front.paper_no {
            Some(no) => fill(&fill(self.t("cite_paper"), "paper_no", no), "n", n),
            None => fill(&fill(self.t("cite_title"), "title", &front.title), "n", n),
        }
    }

    /// `cited`: the brief whose own page this is, to give each paragraph number
    /// a citation to copy (a `<details>` after the paragraph, no script needed).
    pub fn assemble_with(
        &self,
        links: &BodyLinks<'_>,
        blocks: &[Block],
        target: Option<&str>,
        cited: Option<&BriefVersion>,
    ) -> String {
        let page_url = cited.map(|v| {
            Renderer::absolute_url(
                self.config(),
                &PageId::Brief(v.lang().to_string(), v.slug().to_string()),
            )
        });
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
                        None => {
                            html.push_str(&format!(
                                "<p class=\"np\" id=\"p-{n}\"><a class=\"pn\" href=\"#p-{n}\" aria-label=\"{aria}\">{n}</a> {block_html}</p>\n",
                            ));
                            if let (Some(v), Some(url)) = (cited, &page_url) {
                                let cite = escape_html(&self.citation(v, &n));
                                let summary = fill(self.t("cite_summary"), "n", &n);
                                let url = escape_html(&format!("{url}#p-{n}"));
                                html.push_str(&format!(
                                    "<details class=\"cite\"><summary>{summary}</summary><p class=\"cite-text\">{cite}<br><a href=\"{url}\">{url}</a></p></details>\n"
                                ));
                            }
                        }
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

    pub fn topic_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
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

    pub fn committee_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
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
    pub fn count_in(&self, lang: &str, n: usize) -> String {
        if n == 1 {
            self.renderer.string(lang, "briefs_one").to_string()
        } else {
            fill(self.renderer.string(lang, "briefs_other"), "n", &n.to_string())
        }
    }

    /// `term` from `start` to `end`, in `lang`.
    pub fn term_dates_in(&self, lang: &Language, term: &crate::config::Term) -> String {
        date_range_html(
            self.renderer.string(&lang.code, "term_dates"),
            &lang.format_date(term.start),
            &lang.format_date(term.end),
        )
    }

    /// The archive banner in the page's language, or in each language where the
    /// page has none, so the bilingual landing page says it in both.
    pub fn archive_lines(&self, term: &crate::config::Term) -> Vec<ArchiveLine> {
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

    /// The terms, newest first, as every listing of terms orders them.
    pub fn term_links(&self, versions: &[&std::sync::Arc<BriefVersion>]) -> Vec<CountedLink> {
        let config = self.config();
        let mut terms: Vec<_> = config.terms.iter().collect();
        terms.sort_by_key(|t| std::cmp::Reverse(t.number));
        terms
            .into_iter()
            .filter(|t| self.site.term.is_none_or(|n| n == t.number))
            .map(|t| CountedLink {
                name: t.names.get(self.code(), &config.default_language).to_string(),
                href: self.href(&PageId::Term(self.code().to_string(), Bucket::Term(t.number), 0)),
                count: versions.iter().filter(|v| v.term == Some(t.number)).count(),
                reference: None,
                dates: Some(date_range_html(
                    self.t("term_dates"),
                    &self.date(t.start),
                    &self.date(t.end),
                )),
            })
            .collect()
    }

    /// A term's name in the page's language; `Other` is named by the theme.
    pub fn bucket_name(&self, bucket: Bucket) -> String {
        let config = self.config();
        match bucket {
            Bucket::Term(n) => config.term(n).map_or_else(
                || n.to_string(),
                |t| t.names.get(self.code(), &config.default_language).to_string(),
            ),
            Bucket::Other => self.t("term_other").to_string(),
        }
    }

    /// A term's dates in the page's language; none for `Other`.
    pub fn bucket_dates(&self, bucket: Bucket) -> Option<String> {
        let Bucket::Term(n) = bucket else {
            return None;
        };
        let t = self.config().term(n)?;
        Some(date_range_html(
            self.t("term_dates"),
            &self.date(t.start),
            &self.date(t.end),
        ))
    }

    /// `{name, dates, number}` of a term, as term-scoped pages show it.
    pub fn term_info(&self, bucket: Bucket) -> TermInfo {
        TermInfo {
            name: self.bucket_name(bucket),
            dates: self.bucket_dates(bucket),
            segment: bucket.segment(),
        }
    }

    /// A listing's terms, each with its count and a link to every one of its
    /// pages: what an overview page offers, so that any page of any term is one
    /// click away (and every brief within a few of its language home).
    pub fn term_groups(
        &self,
        groups: impl Iterator<Item = (Bucket, usize)>,
        per_page: usize,
        order: Order,
        count: impl Fn(usize) -> String,
        page_of: impl Fn(Bucket, usize) -> PageId,
    ) -> Vec<TermGroup> {
        let mut groups: Vec<(Bucket, usize)> = groups.collect();
        let newest_first = crate::model::listing::newest_first(groups.iter().map(|(b, _)| b));
        groups.sort_by_key(|(b, _)| newest_first.iter().position(|o| o == b));
        groups
            .into_iter()
            .map(|(bucket, items)| {
                let paged = Paged::new(items, per_page, order);
                TermGroup {
                    name: self.bucket_name(bucket),
                    dates: self.bucket_dates(bucket),
                    count: count(items),
                    href: self.href(&page_of(bucket, 0)),
                    // In reading order, each page named by its number.
                    pages: if paged.count() > 1 {
                        paged
                            .numbers()
                            .into_iter()
                            .map(|page| {
                                let n = paged.ordinal(page);
                                PagerItem {
                                    number: n,
                                    href: Some(self.href(&page_of(bucket, page))),
                                    current: false,
                                    label: fill(self.t("page_n"), "n", &n.to_string()),
                                }
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    bodies: Vec::new(),
                }
            })
            .collect()
    }

    /// The pager of a paginated listing page, `None` when it has one page; sets
    /// `rel=prev/next` in `meta`.
    pub fn pager(&self, meta: &mut PageMeta<'_>, name: &str) -> Option<Pager> {
        let paged = crate::model::listing::listing_size(self.site, self.page)?;
        let current = paged.ordinal(self.page.page_number()?);
        let total = paged.count();
        if total <= 1 {
            return None;
        }
        // Pages are named by their numbers; lists of briefs are read from the
        // newest page, the last, down to page 1.
        let href = |n: usize| self.href(&self.page.at_page(paged.page_of(n)));
        let (first_n, last_n, step_back): (usize, usize, bool) = match paged.order {
            Order::FromFirst => (1, total, false),
            Order::FromOldest => (total, 1, true),
        };
        let before = |n: usize| if step_back { n + 1 } else { n - 1 };
        let after = |n: usize| if step_back { n - 1 } else { n + 1 };
        let prev = (current != first_n).then(|| href(before(current)));
        let next = (current != last_n).then(|| href(after(current)));
        let mut window = pager_window(current, total);
        if step_back {
            window.reverse();
        }
        meta.prev = prev.clone();
        meta.next = next.clone();
        Some(Pager {
            label: fill(self.t("pager_label"), "name", name),
            summary: fill(
                &fill(self.t("page_of"), "n", &current.to_string()),
                "total",
                &total.to_string(),
            ),
            first: (current != first_n).then(|| href(first_n)),
            prev,
            next,
            last: (current != last_n).then(|| href(last_n)),
            items: window
                .into_iter()
                .map(|n| match n {
                    Some(n) => PagerItem {
                        number: n,
                        // The current page links to itself, marked: a link with no
                        // address would be no link at all to assistive technology.
                        href: Some(href(n)),
                        current: n == current,
                        label: fill(self.t("page_n"), "n", &n.to_string()),
                    },
                    None => PagerItem {
                        number: 0,
                        href: None,
                        current: false,
                        label: String::new(),
                    },
                })
                .collect(),
        })
    }
}

/// The page numbers a pager shows: all of them up to 7 pages, else the first, the
/// last and two either side of the current one, `None` marking each gap.
pub fn pager_window(current: usize, total: usize) -> Vec<Option<usize>> {
    if total <= 7 {
        return (1..=total).map(Some).collect();
    }
    let low = current.saturating_sub(2).max(2);
    let high = (current + 2).min(total - 1);
    let mut out = vec![Some(1)];
    if low > 2 {
        out.push(None);
    }
    out.extend((low..=high).map(Some));
    if high < total - 1 {
        out.push(None);
    }
    out.push(Some(total));
    out
}

/// `term` in the templates of term-scoped pages.
#[derive(Serialize)]
pub struct TermInfo {
    pub name: String,
    pub dates: Option<String>,
    pub segment: String,
}

/// One term of an overview: its name, dates, count, first page and every page.
#[derive(Serialize)]
pub struct TermGroup {
    pub name: String,
    pub dates: Option<String>,
    pub count: String,
    pub href: String,
    /// Every page when there are several, else empty.
    pub pages: Vec<PagerItem>,
    /// On the papers overview: the term's bodies, each linking to where it starts.
    pub bodies: Vec<GroupBody>,
}

#[derive(Serialize)]
pub struct GroupBody {
    pub name: String,
    pub href: String,
    pub count: String,
}

/// `pager` in the templates: numbered links with first, previous, next and last.
#[derive(Serialize)]
pub struct Pager {
    /// The navigation landmark's name ("Pages of …").
    pub label: String,
    /// "Page 2 of 5".
    pub summary: String,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
    /// The page numbers shown; `number` 0 is a gap.
    pub items: Vec<PagerItem>,
}

#[derive(Serialize)]
pub struct PagerItem {
    pub number: usize,
    /// `None` for gaps.
    pub href: Option<String>,
    pub current: bool,
    /// "Page 3", for screen readers.
    pub label: String,
}

pub fn body_label(config: &Config, body: &str, lang: &str) -> String {
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

/// Text made safe in HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

#[cfg(test)]
mod tests {
    use super::{date_range_html, og_locale, pager_window};

    #[test]
    fn a_span_of_dates_keeps_each_date_whole() {
        assert_eq!(
            date_range_html("{start}至{end}", "2022年1月1日", "2025年12月31日"),
            "<span class=\"date\">2022年1月1日</span>至<span class=\"date\">2025年12月31日</span>"
        );
        assert_eq!(
            date_range_html("<{start}> & {end}", "1 May", "2 <June>"),
            "&lt;<span class=\"date\">1 May</span>&gt; &amp; <span class=\"date\">2 &lt;June&gt;</span>"
        );
    }

    #[test]
    fn open_graph_locales() {
        assert_eq!(og_locale("zh-Hant-HK"), "zh_HK");
        assert_eq!(og_locale("en-gb"), "en_GB");
        assert_eq!(og_locale("en"), "en");
    }

    #[test]
    fn the_pager_shows_every_page_of_a_short_listing() {
        assert_eq!(pager_window(2, 5), vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn the_pager_of_a_long_listing_keeps_ends_and_neighbours() {
        assert_eq!(
            pager_window(10, 40),
            vec![
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(40)
            ]
        );
        assert_eq!(pager_window(1, 40), vec![Some(1), Some(2), Some(3), None, Some(40)]);
        assert_eq!(pager_window(40, 40), vec![Some(1), None, Some(38), Some(39), Some(40)]);
        assert_eq!(
            pager_window(3, 40),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), None, Some(40)]
        );
    }
}
