//! A brief's own page: header, numbered body, footnotes, appendix table.

use serde::Serialize;
use tera::Context;

use super::context::{Link, PageContext};
use crate::diagnostics::Diagnostic;
use crate::model::{BriefVersion, Bucket, PageId};

#[derive(Serialize)]
pub struct PaperCell {
    pub title: String,
    pub url: Option<String>,
    pub kind: &'static str,
    pub kind_label: String,
}

#[derive(Serialize)]
pub struct AppendixRow {
    pub date: String,
    pub date_iso: String,
    pub marker: Option<String>,
    pub papers: Vec<PaperCell>,
}

#[derive(Serialize)]
pub struct AppendixGroup {
    pub body: String,
    pub rows: Vec<AppendixRow>,
}

/// One table of the appendix, as the paper prints them: the committees' papers under
/// "Committee | Date of meeting | Paper", then a table of their own for each kind of
/// paper of another body ("Council meeting | Member's motion", "Council meeting |
/// Question"), whose heading names the body and the kind.
#[derive(Serialize)]
pub struct AppendixTable {
    /// For a table of another body than a committee: (body, kind of paper).
    pub council: Option<CouncilHeading>,
    pub groups: Vec<AppendixGroup>,
}

#[derive(Serialize)]
pub struct CouncilHeading {
    pub body: String,
    pub heading: String,
}

#[derive(Serialize)]
pub struct DateNote {
    pub marker: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct BriefPage {
    pub title: String,
    /// The subject the appendix is headed with, as the paper prints it above
    /// "List of relevant papers" ([`subject_of`]).
    pub subject: Option<String>,
    pub paper_no: Option<String>,
    pub file_ref: Option<String>,
    /// The official paper's address (`source_url`): the authoritative version.
    pub source_url: Option<String>,
    pub committee: Link,
    pub meeting: String,
    pub meeting_iso: String,
    pub issued: String,
    pub issued_iso: String,
    pub issuer_lines: Vec<String>,
    pub topics: Vec<Link>,
    pub term: Option<Link>,
    pub body: String,
    pub footnotes: Vec<Footnote>,
    pub appendix: Vec<AppendixTable>,
    pub date_notes: Vec<DateNote>,
    /// The brief that updates this one, when there is one.
    pub superseded_by: Option<VersionLink>,
    /// The newest version, when it is not the one that updates this directly.
    pub newest: Option<VersionLink>,
    /// The versions this one updates, the one it supersedes first.
    pub earlier: Vec<VersionLink>,
    /// This brief's record as JSON (`index.json` beside the page).
    pub data_href: String,
}

/// Another version of a brief, as a brief page lists it.
#[derive(Serialize)]
pub struct VersionLink {
    pub title: String,
    pub href: String,
    pub paper_no: Option<String>,
    pub issued: String,
    pub issued_iso: String,
    /// The comparison page between this page's brief and that version.
    pub compare_href: String,
}

#[derive(Serialize)]
pub struct Footnote {
    pub id: String,
    pub html: String,
}

impl PageContext<'_> {
    pub fn brief(&self, context: &mut Context, slug: &str) -> Result<(), Diagnostic> {
        let code = self.code();
        let version = self
            .site
            .brief(slug)
            .and_then(|b| b.version(code))
            .ok_or_else(|| Diagnostic::error(format!("no brief `{slug}` in `{code}`")))?;
        let brief = self.brief_page(version);
        context.insert("page", &self.meta(brief.title.clone(), version.summary().to_string()));
        context.insert("brief", &brief);
        Ok(())
    }

    fn brief_page(&self, v: &BriefVersion) -> BriefPage {
        let config = self.config();
        let front = &v.source.front;
        let issuer = front.issuer.as_deref().unwrap_or(&self.lang.issuer);
        let (appendix, date_notes) = self.appendix(v);
        let code = self.code().to_string();
        let lineage = self.site.lineage();
        let version_link = |slug: &str, compare: PageId| {
            let other = self.site.brief(slug)?.version(&code)?;
            let front = &other.source.front;
            Some(VersionLink {
                title: front.title.clone(),
                href: self.href(&PageId::Brief(code.clone(), slug.to_string())),
                paper_no: front.paper_no.clone(),
                issued: self.date(front.issued),
                issued_iso: front.issued.to_string(),
                compare_href: self.href(&compare),
            })
        };
        let superseded_by = lineage.superseded_by(v.slug()).and_then(|new| {
            version_link(
                new,
                PageId::Compare(code.clone(), new.to_string(), v.slug().to_string()),
            )
        });
        let newest = Some(lineage.newest(v.slug()))
            .filter(|n| *n != v.slug() && Some(*n) != lineage.superseded_by(v.slug()))
            .and_then(|new| {
                version_link(
                    new,
                    PageId::Compare(code.clone(), new.to_string(), v.slug().to_string()),
                )
            });
        let earlier = lineage
            .earlier(v.slug())
            .into_iter()
            .filter_map(|old| {
                version_link(
                    old,
                    PageId::Compare(code.clone(), v.slug().to_string(), old.to_string()),
                )
            })
            .collect();
        let body = v.body();
        BriefPage {
            title: front.title.clone(),
            subject: subject_of(&front.title),
            paper_no: front.paper_no.clone(),
            file_ref: front.file_ref.clone(),
            source_url: front.source_url.clone(),
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
                href: self.href(&PageId::Term(self.code().to_string(), Bucket::Term(t.number), 0)),
            }),
            body: self.assemble_cited(v, &body.blocks),
            footnotes: self.with_body_links(v, |links| {
                body.footnotes
                    .iter()
                    .map(|(id, html)| Footnote {
                        id: id.clone(),
                        html: links.rewrite_html(html).into_owned(),
                    })
                    .collect()
            }),
            appendix,
            date_notes,
            superseded_by,
            newest,
            earlier,
            data_href: self
                .linker
                .to(&PageId::BriefData(code.clone(), v.slug().to_string()).path()),
        }
    }

    /// The appendix as printed: consecutive papers of one body form a group, and
    /// consecutive papers of one date a row; date notes become `*` markers.
    /// Committees' groups share a table; another body's rows (the Council
    /// meeting's) go in a table per kind of paper, a row's kind being its first
    /// paper's (a motion's progress report stays in the motion's row).
    fn appendix(&self, v: &BriefVersion) -> (Vec<AppendixTable>, Vec<DateNote>) {
        let config = self.config();
        let mut notes: Vec<DateNote> = Vec::new();
        let mut tables: Vec<AppendixTable> = Vec::new();
        let mut last_body: Option<&str> = None;
        let mut last_date = None;
        let papers = v.papers();
        for paper in papers.iter() {
            let committee = config.committee(&paper.body);
            let body_name = committee.map_or(paper.body.as_str(), |c| {
                c.names.get(self.code(), &config.default_language)
            });
            let new_row = last_body != Some(paper.body.as_str()) || last_date != Some(paper.date);
            let council = match committee {
                Some(_) => None,
                None => Some(CouncilHeading {
                    body: body_name.to_string(),
                    heading: self.council_heading(paper.kind),
                }),
            };
            let same_table = tables.last().is_some_and(|t| match (&t.council, &council) {
                (None, None) => true,
                (Some(a), Some(b)) => a.body == b.body && (a.heading == b.heading || !new_row),
                _ => false,
            });
            if !same_table {
                tables.push(AppendixTable {
                    council,
                    groups: Vec::new(),
                });
                last_body = None;
            }
            let groups = &mut tables.last_mut().expect("a table was just pushed").groups;
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
        (tables, notes)
    }

    /// The heading of a table of the Council meeting's papers of `kind`: "Member's
    /// motion" for motions (and their progress reports), "Question" for questions,
    /// else the kind's own label.
    fn council_heading(&self, kind: crate::content::PaperKind) -> String {
        match kind.key() {
            "motion" | "progress-report" => self.t("appendix_motions").to_string(),
            "question" => self.t("appendix_questions").to_string(),
            _ => self.renderer.kind_label(self.code(), kind).to_string(),
        }
    }
}

/// The subject of a brief, from its title as the Secretariat words it:
/// "Background brief on digital government and smart city development" (also
/// "Updated background brief on …") gives "Digital government and smart city
/// development"; "數碼政府及智慧城市發展的背景資料簡介" (also "有關…的背景資料簡介")
/// gives "數碼政府及智慧城市發展". Another title gives none, rather than a guess.
pub fn subject_of(title: &str) -> Option<String> {
    let title = title.trim();
    for prefix in ["updated background brief on ", "background brief on "] {
        if let Some(rest) = title
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| title[prefix.len()..].trim())
        {
            let mut chars = rest.chars();
            let first = chars.next()?;
            return Some(first.to_uppercase().chain(chars).collect());
        }
    }
    let rest = title
        .strip_suffix("的最新背景資料簡介")
        .or_else(|| title.strip_suffix("的背景資料簡介"))?;
    let rest = rest.strip_prefix("有關").unwrap_or(rest).trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

#[cfg(test)]
mod subject_tests {
    use super::subject_of;

    #[test]
    fn the_subject_is_the_title_without_its_kind_of_paper() {
        assert_eq!(
            subject_of("Background brief on digital government and smart city development").as_deref(),
            Some("Digital government and smart city development")
        );
        assert_eq!(
            subject_of("Updated background brief on smart lampposts").as_deref(),
            Some("Smart lampposts")
        );
        assert_eq!(
            subject_of("數碼政府及智慧城市發展的背景資料簡介").as_deref(),
            Some("數碼政府及智慧城市發展")
        );
        assert_eq!(subject_of("有關智慧燈柱的背景資料簡介").as_deref(), Some("智慧燈柱"));
        assert_eq!(subject_of("Minutes of the meeting"), None);
        assert_eq!(subject_of("Background brief on "), None);
        assert_eq!(subject_of("的背景資料簡介"), None);
    }
}
