//! Briefs as open data: `<lang>/briefs/<slug>/index.json` beside every brief
//! page, and the bulk exports of a build, `data/briefs.jsonl` (the same records,
//! one a line) and `data/papers.csv` (every appendix paper with the briefs citing
//! it). The shapes are `schemas/brief.schema.json` and `schemas/papers.schema.json`
//! (DESIGN.md §4): change them together.

use serde::Serialize;

use super::Renderer;
use super::context::PageContext;
use crate::diagnostics::Diagnostic;
use crate::links::Linker;
use crate::markdown::BlockKind;
use crate::model::{BriefVersion, PageId, Site};
use crate::search::index::html_to_text;

/// The version of the record's shape, bumped when a field changes meaning.
pub const SCHEMA: &str = "legbrief-brief/1";

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
    pub text: String,
    /// Its HTML as on the brief's page, with any list, table or quote that follows
    /// it; relative links resolve against the record's `url`.
    pub html: String,
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
        self.with_body_links(v, |links| {
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
                        let html = links.rewrite_html(&block.html).into_owned();
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
                            text: html_to_text(&html),
                            html,
                        });
                        open = true;
                    }
                    BlockKind::Other => {
                        if open && let Some(last) = out.last_mut() {
                            let html = links.rewrite_html(&block.html);
                            let more = html_to_text(&html);
                            last.html.push_str(&html);
                            if !more.is_empty() {
                                last.text.push(' ');
                                last.text.push_str(&more);
                            }
                        }
                    }
                }
            }
            out
        })
    }
}

/// `<lang>/briefs/<slug>/index.json`: the record, compact, on one line ending in
/// `\n`: byte for byte its line of `data/briefs.jsonl`, which a build therefore
/// assembles from the files it wrote instead of making every record twice.
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

/// `data/briefs.jsonl`: every brief's record in every language, by slug then
/// language, one compact JSON object a line.
pub fn briefs_jsonl(site: &Site, renderer: &Renderer) -> Result<Vec<u8>, Diagnostic> {
    let mut out = Vec::new();
    write_briefs_jsonl(site, renderer, &mut out)?;
    Ok(out)
}

/// Writes `data/briefs.jsonl` to `out` a record at a time: a build streams it into
/// its file, as the export of a large archive is the size of all its text.
pub fn write_briefs_jsonl(site: &Site, renderer: &Renderer, out: &mut impl std::io::Write) -> Result<(), Diagnostic> {
    let failed =
        |e: &dyn std::fmt::Display| Diagnostic::error(format!("cannot write {}: {e}", PageId::BriefsExport.file()));
    for brief in &site.briefs {
        for v in &brief.versions {
            let record = record(site, renderer, v.lang(), &brief.slug)?;
            serde_json::to_writer(&mut *out, &record).map_err(|e| failed(&e))?;
            out.write_all(b"\n").map_err(|e| failed(&e))?;
        }
    }
    out.flush().map_err(|e| failed(&e))
}

/// The columns of `data/papers.csv`.
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

/// `data/papers.csv`: every appendix paper, once per language, body, date, title
/// and URL, with the slugs (and paper numbers) of the briefs citing it, `;`-separated,
/// in slug order. RFC 4180: a header row, CRLF line ends, fields quoted where they
/// hold a comma, quote or line break. A field that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return is written `"'…"` (a quote character before it, the
/// cell quoted), as OWASP recommends against CSV injection, so that no spreadsheet
/// runs it as a formula.
pub fn papers_csv(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_papers_csv(site, &mut out);
    out
}

/// [`papers_csv`] written to `out` a language at a time, each language's rows as
/// soon as they are known: at 10,000 bilingual briefs the CSV is 60 MB and its
/// rows as parsed several times that, so neither is ever held whole.
pub fn write_papers_csv(site: &Site, out: &mut impl std::io::Write) -> std::io::Result<()> {
    use std::collections::BTreeMap;
    /// Body, date, title, URL, kind: one paper of a language.
    type Key = (String, jiff::civil::Date, String, Option<String>, &'static str);
    /// A paper's date note, and the citing briefs' slugs and paper numbers.
    type Row<'a> = (Option<String>, Vec<(&'a str, Option<&'a str>)>);
    let config = &site.config;
    let mut line = String::new();
    push_row(&mut line, PAPER_COLUMNS.iter().map(|c| c.to_string()));
    out.write_all(line.as_bytes())?;
    for lang in &config.languages {
        let mut rows: BTreeMap<Key, Row<'_>> = BTreeMap::new();
        for brief in &site.briefs {
            let Some(v) = brief.version(&lang.code) else {
                continue;
            };
            // A build keeps the appendix packed: `papers()` gives it back.
            for p in v.papers().into_owned() {
                let key = (p.body, p.date, p.title, p.url, p.kind.key());
                let row = rows.entry(key).or_insert_with(|| (p.date_note, Vec::new()));
                if !row.1.iter().any(|(s, _)| *s == brief.slug) {
                    row.1.push((&brief.slug, v.source.front.paper_no.as_deref()));
                }
            }
        }
        for ((body, date, title, url, kind), (note, citing)) in rows {
            let body_name = config.committee(&body).map_or(body.clone(), |c| {
                c.names.get(&lang.code, &config.default_language).to_string()
            });
            line.clear();
            push_row(
                &mut line,
                [
                    lang.code.clone(),
                    body,
                    body_name,
                    date.to_string(),
                    title,
                    kind.to_string(),
                    url.unwrap_or_default(),
                    note.unwrap_or_default(),
                    citing.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(";"),
                    citing
                        .iter()
                        .map(|(_, n)| n.unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(";"),
                ]
                .into_iter(),
            );
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
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
