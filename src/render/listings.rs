//! The listings of a language: its home, the topic, committee and term indexes,
//! each topic's and committee's overview, and the paginated pages of their
//! briefs per term. Which briefs a page shows is `model::listing`'s answer; this
//! module only turns them into template values.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::context::{BriefItem, PageContext, Pager, fill, strip_tags};
use crate::diagnostics::Diagnostic;
use crate::markdown::BlockKind;
use crate::model::listing::{LangListings, briefs_on};
use crate::model::{BriefVersion, Bucket, PageId};

#[derive(Serialize)]
struct TopicEntry {
    brief: BriefItem,
    heading: String,
    section: String,
}

impl PageContext<'_> {
    /// The briefs the page shows, as list items.
    fn items_shown(&self) -> Vec<BriefItem> {
        let listings = self.site.listings();
        let l = listings.lang(self.code());
        briefs_on(self.site, self.page)
            .into_iter()
            .map(|i| self.brief_item(l.brief(i)))
            .collect()
    }

    /// A term-scoped page's title: "<listing>, <term>", and "page n of m" after
    /// the first page, so that every page has a title of its own.
    fn scoped_title(&self, name: &str, bucket: Bucket, pager: Option<&Pager>) -> String {
        let title = fill(
            &fill(self.t("listing_in_term"), "name", name),
            "term",
            &self.bucket_name(bucket),
        );
        match (pager, self.page.page_number()) {
            (Some(pager), Some(n)) if n > 0 => format!("{title} · {}", pager.summary),
            _ => title,
        }
    }

    pub fn home(&self, context: &mut Context) {
        let code = self.code().to_string();
        let versions = self.site.versions_in(&code);
        context.insert("latest", &self.items_shown());
        context.insert("topics", &self.topic_links(&versions));
        // A committee with no brief yet has nothing to show a reader.
        let committees: Vec<_> = self
            .committee_links(&versions)
            .into_iter()
            .filter(|c| c.count > 0)
            .collect();
        context.insert("committees", &committees);
        context.insert("terms", &self.term_links(&versions));
        context.insert("count", &versions.len());
        context.insert(
            "page",
            &self.meta(self.lang.title.clone(), self.t("home_intro").to_string()),
        );
        context.insert("intro", &self.landing_intro(self.lang));
    }

    pub fn topics(&self, context: &mut Context) {
        let versions = self.site.versions_in(self.code());
        context.insert("topics", &self.topic_links(&versions));
        context.insert("page", &self.meta(self.t("topics_title").to_string(), String::new()));
    }

    /// A topic's overview (its newest sections and its terms) or one page of its
    /// sections in one term.
    pub fn topic(&self, context: &mut Context, key: &str) -> Result<(), Diagnostic> {
        let config = self.config();
        let code = self.code().to_string();
        let topic = config
            .topic(key)
            .ok_or_else(|| Diagnostic::error(format!("no topic `{key}`")))?;
        let name = topic.names.get(&code, &config.default_language).to_string();
        let listings = self.site.listings();
        let l = listings.lang(&code);
        let entries: Vec<TopicEntry> = briefs_on(self.site, self.page)
            .into_iter()
            .map(|i| self.topic_entry(l.brief(i), key))
            .collect();
        let overview = PageId::Topic(code.clone(), key.to_string());
        context.insert(
            "topic",
            &BTreeMap::from([
                ("name", name.clone()),
                ("key", key.to_string()),
                ("href", self.href(&overview)),
            ]),
        );
        context.insert("entries", &entries);
        let mut meta = self.meta(name.clone(), String::new());
        match self.page {
            PageId::TopicTerm(_, _, bucket, _) => {
                let pager = self.pager(&mut meta, &name);
                meta.title = self.scoped_title(&name, *bucket, pager.as_ref());
                context.insert("term", &self.term_info(*bucket));
                context.insert("pager", &pager);
            }
            _ => {
                let groups = l.by_topic.get(key);
                let total = LangListings::all_of(groups).len();
                context.insert("count", &total);
                context.insert(
                    "terms",
                    &self.term_groups(
                        groups.into_iter().flatten().map(|(b, items)| (*b, items.len())),
                        config.paging.sections,
                        crate::model::listing::Order::FromOldest,
                        |n| self.count_in(&code, n),
                        |b, p| PageId::TopicTerm(code.clone(), key.to_string(), b, p),
                    ),
                );
            }
        }
        context.insert("page", &meta);
        Ok(())
    }

    pub fn committees(&self, context: &mut Context) {
        let versions = self.site.versions_in(self.code());
        context.insert("committees", &self.committee_links(&versions));
        context.insert(
            "page",
            &self.meta(self.t("committees_title").to_string(), String::new()),
        );
    }

    /// A committee's overview (its newest briefs and its terms) or one page of its
    /// briefs in one term.
    pub fn committee(&self, context: &mut Context, key: &str) -> Result<(), Diagnostic> {
        let config = self.config();
        let code = self.code().to_string();
        let committee = config
            .committee(key)
            .ok_or_else(|| Diagnostic::error(format!("no committee `{key}`")))?;
        let name = committee.names.get(&code, &config.default_language).to_string();
        let overview = PageId::Committee(code.clone(), key.to_string());
        context.insert(
            "committee",
            &BTreeMap::from([
                ("name", Some(name.clone())),
                ("reference", committee.reference.clone()),
                ("href", Some(self.href(&overview))),
            ]),
        );
        context.insert("briefs", &self.items_shown());
        let mut meta = self.meta(name.clone(), String::new());
        match self.page {
            PageId::CommitteeTerm(_, _, bucket, _) => {
                let pager = self.pager(&mut meta, &name);
                meta.title = self.scoped_title(&name, *bucket, pager.as_ref());
                context.insert("term", &self.term_info(*bucket));
                context.insert("pager", &pager);
            }
            _ => {
                let listings = self.site.listings();
                let groups = listings.lang(&code).by_committee.get(key);
                context.insert("count", &LangListings::all_of(groups).len());
                context.insert(
                    "terms",
                    &self.term_groups(
                        groups.into_iter().flatten().map(|(b, items)| (*b, items.len())),
                        config.paging.briefs,
                        crate::model::listing::Order::FromOldest,
                        |n| self.count_in(&code, n),
                        |b, p| PageId::CommitteeTerm(code.clone(), key.to_string(), b, p),
                    ),
                );
            }
        }
        context.insert("page", &meta);
        Ok(())
    }

    pub fn terms(&self, context: &mut Context) {
        let versions = self.site.versions_in(self.code());
        let mut terms = self.term_links(&versions);
        let others = versions.iter().filter(|v| v.term.is_none()).count();
        if others > 0 {
            terms.push(super::context::CountedLink {
                name: self.t("term_other").to_string(),
                href: self.href(&PageId::Term(self.code().to_string(), Bucket::Other, 0)),
                count: others,
                reference: None,
                dates: None,
            });
        }
        context.insert("terms", &terms);
        context.insert("page", &self.meta(self.t("terms_title").to_string(), String::new()));
    }

    /// One page of a term's briefs.
    pub fn term(&self, context: &mut Context, bucket: Bucket) {
        let info = self.term_info(bucket);
        let mut meta = self.meta(info.name.clone(), String::new());
        let pager = self.pager(&mut meta, &info.name);
        if let (Some(pager), Some(n)) = (&pager, self.page.page_number())
            && n > 0
        {
            meta.title = format!("{} · {}", info.name, pager.summary);
        }
        context.insert(
            "term",
            &BTreeMap::from([
                ("name", info.name.clone()),
                ("dates", info.dates.clone().unwrap_or_default()),
                ("number", info.segment.clone()),
            ]),
        );
        context.insert("briefs", &self.items_shown());
        context.insert("pager", &pager);
        context.insert("page", &meta);
    }

    pub fn search(&self, context: &mut Context) {
        context.insert(
            "search",
            &crate::search::page::context(self.site, self.lang, self.linker),
        );
        context.insert("page", &self.meta(self.t("search_title").to_string(), String::new()));
    }

    fn topic_entry(&self, v: &BriefVersion, key: &str) -> TopicEntry {
        let brief = self.brief_item(v);
        let (heading, section) = match v.outline().sections.iter().find(|s| s.topic == key) {
            Some(s) => {
                let body = v.body();
                let heading = match &body.blocks[s.heading_index].kind {
                    BlockKind::Heading { .. } => strip_tags(&body.blocks[s.heading_index].html),
                    _ => String::new(),
                };
                (
                    heading,
                    self.assemble(v, &body.blocks[s.heading_index + 1..s.end], Some(&brief.href)),
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
}
