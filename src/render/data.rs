//! Briefs as open data: `<lang>/briefs/<slug>/index.json` beside every brief
//! page, the record the bulk exports' parts hold one a line (`exports`), and the
//! papers parts' CSV rows. The shapes are `schemas/brief.schema.json` and
//! `schemas/papers.schema.json` (DESIGN.md §4): change them together.

use serde::Serialize;

use super::Renderer;
use super::context::PageContext;
use crate::diagnostics::Diagnostic;
use crate::links::Linker;
use crate::markdown::BlockKind;
use crate::model::{BriefVersion, PageId, Site};
use crate::search::index::html_to_text;

/// The version of the record's shape, bumped when a field changes meaning.
pub const SCHEMA: &str = "legbrief-brief/2";

#[derive(Serialize)]
pub struct KeyName {
    pub key: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct Heading {
    pub id: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct Paragraph {
    /// `p-12`: the anchor on the brief's page.
    pub id: String,
    pub number: u32,
    /// The heading the paragraph stands under.
    pub section: Option<Heading>,
    /// The topic section it is in (a key of `[topics]`).
    pub topic: Option<String>,
    /// Its text, with that of any list, table or quote that follows it. The
    /// markup is the page's, at `url#id`: a record does not carry it twice.
    pub text: String,
}

#[derive(Serialize)]
pub struct PaperRecord {
    /// A committee key, or the body's name as written ("Council meeting").
    pub body: String,
    pub body_name: String,
    pub date: String,
    pub title: String,
    pub url: Option<String>,
    pub kind: &'static str,
    pub date_note: Option<String>,
}

#[derive(Serialize)]
pub struct Related {
    pub slug: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Translation {
    pub lang: String,
    pub url: String,
    pub data: String,
}

#[derive(Serialize)]
pub struct BriefRecord {
    pub schema: &'static str,
    pub slug: String,
    pub lang: String,
    pub url: String,
    pub title: String,
    pub paper_no: Option<String>,
    pub file_ref: Option<String>,
    pub source_url: Option<String>,
    pub committee: KeyName,
    pub meeting: String,
    pub issued: String,
    pub issuer: String,
    pub term: Option<u32>,
    pub summary: String,
    pub topics: Vec<KeyName>,
    pub paragraphs: Vec<Paragraph>,
    pub papers: Vec<PaperRecord>,
    pub translations: Vec<Translation>,
    pub supersedes: Option<Related>,
    pub superseded_by: Option<Related>,
}

impl PageContext<'_> {
    /// The record of brief `v`; `self.page` is its page, so links come out as there.
    pub fn brief_record(&self, v: &BriefVersion) -> BriefRecord {
        let config = self.config();
        let code = self.code();
        let front = &v.source.front;
        let name_of = |names: &crate::config::Names| names.get(code, &config.default_language).to_string();
        let lineage = self.site.lineage();
        let related = |slug: Option<&str>| {
            let slug = slug?;
            let other = self.site.brief(slug)?;
            let version = other.version(code).or_else(|| other.versions.first())?;
            Some(Related {
                slug: slug.to_string(),
                title: version.source.front.title.clone(),
                url: Renderer::absolute_url(config, &PageId::Brief(version.lang().to_string(), slug.to_string())),
            })
        };
        BriefRecord {
            schema: SCHEMA,
            slug: v.slug().to_string(),
            lang: code.to_string(),
            url: Renderer::absolute_url(config, &PageId::Brief(code.to_string(), v.slug().to_string())),
            title: front.title.clone(),
            paper_no: front.paper_no.clone(),
            file_ref: front.file_ref.clone(),
            source_url: front.source_url.clone(),
            committee: KeyName {
                key: front.committee.clone(),
                name: config
                    .committee(&front.committee)
                    .map_or(front.committee.clone(), |c| name_of(&c.names)),
            },
            meeting: front.meeting.to_string(),
            issued: front.issued.to_string(),
            issuer: front.issuer.clone().unwrap_or_else(|| self.lang.issuer.clone()),
            term: v.term,
            summary: v.summary().to_string(),
            topics: v
                .topics
                .iter()
                .filter_map(|key| config.topic(key))
                .map(|t| KeyName {
                    key: t.key.clone(),
                    name: name_of(&t.names),
                })
                .collect(),
            paragraphs: self.paragraphs(v),
            papers: v
                .papers()
                .iter()
                .map(|p| PaperRecord {
                    body: p.body.clone(),
                    body_name: config.committee(&p.body).map_or(p.body.clone(), |c| name_of(&c.names)),
                    date: p.date.to_string(),
                    title: p.title.clone(),
                    url: p.url.clone(),
                    kind: p.kind.key(),
                    date_note: p.date_note.clone(),
                })
                .collect(),
            translations: self
                .site
                .brief(v.slug())
                .map(|b| {
                    b.versions
                        .iter()
                        .filter(|o| o.lang() != code)
                        .map(|o| Translation {
                            lang: o.lang().to_string(),
                            url: Renderer::absolute_url(
                                config,
                                &PageId::Brief(o.lang().to_string(), o.slug().to_string()),
                            ),
                            data: Renderer::absolute_url(
                                config,
                                &PageId::BriefData(o.lang().to_string(), o.slug().to_string()),
                            ),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            supersedes: related(lineage.supersedes(v.slug())),
            superseded_by: related(lineage.superseded_by(v.slug())),
        }
    }

    fn paragraphs(&self, v: &BriefVersion) -> Vec<Paragraph> {
        // In a build the HTML is packed: `body()` gives it back.
        let body = v.body();
        let mut out: Vec<Paragraph> = Vec::with_capacity(body.paragraphs as usize);
        let mut heading: Option<(String, String)> = None;
        // Whether the last block was a paragraph or belongs to one.
        let mut open = false;
        for (i, block) in body.blocks.iter().enumerate() {
            match &block.kind {
                BlockKind::Heading { id, .. } => {
                    heading = Some((id.clone(), html_to_text(&block.html)));
                    open = false;
                }
                BlockKind::Paragraph(n) => {
                    let topic = body
                        .sections
                        .iter()
                        .find(|s| s.heading_index < i && i < s.end)
                        .map(|s| s.topic.clone());
                    out.push(Paragraph {
                        id: format!("p-{n}"),
                        number: *n,
                        section: heading.as_ref().map(|(id, title)| Heading {
                            id: id.clone(),
                            title: title.clone(),
                        }),
                        topic,
                        text: html_to_text(&block.html),
                    });
                    open = true;
                }
                BlockKind::Other => {
                    if open && let Some(last) = out.last_mut() {
                        let more = html_to_text(&block.html);
                        if !more.is_empty() {
                            last.text.push(' ');
                            last.text.push_str(&more);
                        }
                    }
                }
            }
        }
        out
    }
}

/// `<lang>/briefs/<slug>/index.json`: the record, compact, on one line ending in
/// `\n`: byte for byte its line of its term's `data/briefs-term-<t>.jsonl.gz`,
/// which a build therefore assembles from the files it wrote instead of making
/// every record twice.
pub fn brief_json(site: &Site, renderer: &Renderer, lang: &str, slug: &str) -> Result<Vec<u8>, Diagnostic> {
    let record = record(site, renderer, lang, slug)?;
    let mut bytes = serde_json::to_vec(&record).map_err(|e| Diagnostic::error(format!("cannot write JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn record(site: &Site, renderer: &Renderer, lang: &str, slug: &str) -> Result<BriefRecord, Diagnostic> {
    let language = site
        .config
        .language(lang)
        .ok_or_else(|| Diagnostic::error(format!("no language `{lang}`")))?;
    let version = site
        .brief(slug)
        .and_then(|b| b.version(lang))
        .ok_or_else(|| Diagnostic::error(format!("no brief `{slug}` in `{lang}`")))?;
    let page = PageId::Brief(lang.to_string(), slug.to_string());
    let linker = Linker::new(&renderer.mode, &page.path());
    let cx = PageContext {
        site,
        renderer,
        page: &page,
        lang: language,
        linker: &linker,
    };
    Ok(cx.brief_record(version))
}

/// The columns of the papers parts, `data/papers-term-<t>.csv.gz`.
pub const PAPER_COLUMNS: [&str; 10] = [
    "lang",
    "body",
    "body_name",
    "date",
    "title",
    "kind",
    "url",
    "date_note",
    "cited_by",
    "cited_by_paper_no",
];

/// Appends one CSV row to `out` (RFC 4180, CRLF). A field that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is written `"'…"` (a quote character
/// before it, the cell quoted), as OWASP recommends against CSV injection, so
/// that no spreadsheet runs it as a formula; fields holding a comma, quote or
/// line break are quoted.
pub(super) fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            // A spreadsheet runs such a cell as a formula (OWASP "CSV injection"):
            // a leading `'` makes it text, and the cell is quoted.
            out.push_str("\"'");
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}
