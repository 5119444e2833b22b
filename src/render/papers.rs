//! The papers index, a finding aid: an overview of every term with its bodies
//! (committees, the Council meeting) and the page each starts on, and per term
//! pages of papers by body, then date, each with the briefs that cite it.
//! Grouping and de-duplication are the model's (`model::listing`).

use serde::Serialize;
use tera::Context;

use super::context::{GroupBody, PageContext, body_label, fill};
use crate::model::listing::{IndexedPaper, LangListings, listing_size, page_slice};
use crate::model::{Bucket, PageId};

/// How many citing briefs a paper lists by title; past that, a count. A paper
/// cited by every brief of an archive must not make its page unbounded.
const CITING_SHOWN: usize = 10;

#[derive(Serialize)]
struct IndexBody {
    body: String,
    /// The heading's id, `body-<n>`, that the overview links to.
    id: String,
    /// The committee's page, for a configured committee.
    href: Option<String>,
    /// Its papers began on the page before.
    continued: bool,
    dates: Vec<IndexDate>,
}

#[derive(Serialize)]
struct IndexDate {
    date: String,
    date_iso: String,
    papers: Vec<IndexPaper>,
}

#[derive(Serialize)]
struct IndexPaper {
    title: String,
    url: Option<String>,
    /// The paper's kind, or empty where its title already says it.
    kind_label: String,
    cited_by: Vec<Citing>,
    /// Citing briefs not listed (past [`CITING_SHOWN`]), as text; empty if none.
    more: String,
}

#[derive(Serialize)]
struct Citing {
    title: String,
    href: String,
    paper_no: Option<String>,
}

impl PageContext<'_> {
    fn papers_count(&self, n: usize) -> String {
        if n == 1 {
            self.t("papers_one").to_string()
        } else {
            fill(self.t("papers_other"), "n", &n.to_string())
        }
    }

    /// The overview: every term with its papers' bodies, each linking to where it starts.
    pub fn papers(&self, context: &mut Context) {
        let code = self.code().to_string();
        let listings = self.site.listings();
        let l = listings.lang(&code);
        let per_page = self.config().paging.papers;
        let groups = self.term_groups(
            l.papers.iter().map(|(b, papers)| (*b, papers.len())),
            per_page,
            crate::model::listing::Order::FromFirst,
            |n| self.papers_count(n),
            |b, p| PageId::PapersTerm(code.clone(), b, p),
        );
        let order = crate::model::listing::newest_first(l.papers.keys());
        let mut terms = groups;
        for (group, bucket) in terms.iter_mut().zip(order) {
            group.bodies = l
                .body_starts(bucket, per_page)
                .into_iter()
                .map(|start| GroupBody {
                    name: body_label(self.config(), &start.body, &code),
                    href: format!(
                        "{}#body-{}",
                        self.href(&PageId::PapersTerm(code.clone(), bucket, start.page)),
                        start.body_index
                    ),
                    count: self.papers_count(start.papers),
                })
                .collect();
        }
        context.insert("terms", &terms);
        context.insert("page", &self.meta(self.t("papers_title").to_string(), String::new()));
    }

    /// One page of a term's papers.
    pub fn papers_term(&self, context: &mut Context, bucket: Bucket) {
        let code = self.code().to_string();
        let listings = self.site.listings();
        let l = listings.lang(&code);
        let all = l.papers.get(&bucket).map_or(&[][..], Vec::as_slice);
        let shown = page_slice(self.site, self.page, all);
        let first = listing_size(self.site, self.page)
            .map_or(0, |paged| paged.range(self.page.page_number().unwrap_or(0)).start);
        let before = first.checked_sub(1).and_then(|i| all.get(i));
        let mut bodies: Vec<IndexBody> = Vec::new();
        for paper in shown {
            if bodies
                .last()
                .is_none_or(|b| b.id != format!("body-{}", paper.body_index))
            {
                bodies.push(IndexBody {
                    body: body_label(self.config(), &paper.body, &code),
                    id: format!("body-{}", paper.body_index),
                    href: paper
                        .is_committee
                        .then(|| self.href(&PageId::Committee(code.clone(), paper.body.clone()))),
                    continued: bodies.is_empty() && before.is_some_and(|b| b.body_index == paper.body_index),
                    dates: Vec::new(),
                });
            }
            let body = bodies.last_mut().expect("a body was just pushed");
            let date_iso = paper.date.to_string();
            if body.dates.last().is_none_or(|d| d.date_iso != date_iso) {
                body.dates.push(IndexDate {
                    date: self.date(paper.date),
                    date_iso,
                    papers: Vec::new(),
                });
            }
            let paper = self.index_paper(l, paper);
            body.dates
                .last_mut()
                .expect("a date was just pushed")
                .papers
                .push(paper);
        }
        let info = self.term_info(bucket);
        let title = self.t("papers_title").to_string();
        let mut meta = self.meta(title.clone(), String::new());
        let pager = self.pager(&mut meta, &info.name);
        meta.title = fill(&fill(self.t("listing_in_term"), "name", &title), "term", &info.name);
        if let (Some(pager), true) = (&pager, self.page.page_number().is_some_and(|n| n > 0)) {
            meta.title = format!("{} · {}", meta.title, pager.summary);
        }
        context.insert("term", &info);
        context.insert("bodies", &bodies);
        context.insert("pager", &pager);
        context.insert("overview", &self.href(&PageId::Papers(code)));
        context.insert("page", &meta);
    }

    fn index_paper(&self, l: &LangListings, paper: &IndexedPaper) -> IndexPaper {
        // A paper's URL is written for the page of the brief it came from.
        let url = paper.url.as_ref().map(|(url, from)| {
            self.with_body_links(l.brief(*from), |links| links.rewrite_url(url))
                .unwrap_or_else(|| url.clone())
        });
        let cited_by = paper
            .citing
            .iter()
            .take(CITING_SHOWN)
            .map(|i| {
                let v = l.brief(*i);
                Citing {
                    title: v.source.front.title.clone(),
                    href: self.href(&PageId::Brief(v.lang().to_string(), v.slug().to_string())),
                    paper_no: v.source.front.paper_no.clone(),
                }
            })
            .collect();
        let hidden = paper.citing.len().saturating_sub(CITING_SHOWN);
        IndexPaper {
            title: paper.title.clone(),
            url,
            kind_label: kind_shown(&paper.title, self.renderer.kind_label(self.code(), paper.kind)),
            cited_by,
            more: if hidden > 0 {
                fill(self.t("cited_more"), "n", &hidden.to_string())
            } else {
                String::new()
            },
        }
    }
}

/// The kind's label to show after a paper's title, or none where the title already
/// says it ("Minutes of meeting", not "Minutes of meeting Minutes").
fn kind_shown(title: &str, label: &str) -> String {
    if title.to_lowercase().contains(&label.to_lowercase()) {
        String::new()
    } else {
        label.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::kind_shown;

    #[test]
    fn a_kind_the_title_already_names_is_not_repeated() {
        assert_eq!(kind_shown("Minutes of meeting", "Minutes"), "");
        assert_eq!(kind_shown("Agenda Item III: Enhancing digital services", "Agenda"), "");
        assert_eq!(kind_shown("會議紀要", "會議紀要"), "");
        assert_eq!(kind_shown("Administration's paper on smart city", "Paper"), "");
        assert_eq!(kind_shown("Question 18 : Development of AI", "Question"), "");
        assert_eq!(kind_shown("Item I: Update on smart city", "Agenda"), "Agenda");
        assert_eq!(kind_shown("第III項：加強數碼服務", "議程"), "議程");
    }
}
