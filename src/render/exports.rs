//! The bulk exports in parts: `data/briefs-term-<t>.jsonl.gz` (every brief's
//! record of term `t`, one a line, byte for byte each page's `index.json`) and
//! `data/papers-term-<t>.csv.gz` (every appendix paper cited by term `t`'s
//! briefs, with those briefs), `other` for briefs in no configured term; the
//! catalogue that lists them, `data/catalogue.json`; and the page that lists
//! them for people, `<lang>/data/` (DESIGN.md §4, *Open data*).
//!
//! A part closes with its term, so a closed term's parts never change. Parts are
//! gzip files made the same way every time (no time, no file name in the header,
//! one level), so an unchanged part is byte for byte the same from build to
//! build. A part whose compressed size would pass [`PART_BOUND`] is split into
//! `-term-<t>-<k>` parts, filled in order: records are oldest first, so records
//! added at the end of a term leave its full parts as they were.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::Context;

use super::context::PageContext;
use super::data::{PAPER_COLUMNS, push_row};
use crate::diagnostics::Diagnostic;
use crate::model::{BriefVersion, Bucket, PageId, Site};

/// The version of the catalogue's shape, bumped when a field changes meaning.
pub const CATALOGUE_SCHEMA: &str = "legbrief-catalogue/1";

/// No part's file is larger than this: Cloudflare Pages refuses any file over
/// 25 MiB, and the other hosts' limits are larger.
pub const PART_BOUND: u64 = 25 * 1024 * 1024;

/// At most this many records (brief versions: 128 bilingual briefs) in a part
/// of the briefs, so that the part a new brief joins, the only one it changes,
/// stays small (at 10,000 briefs a term's records are some 30 MB compressed).
/// Papers are filed by date, not appended, so their parts are cut by size only.
pub const BRIEF_RECORDS_PER_PART: u64 = 256;

/// The gzip level of every part: `gzip`'s default. Fixed, so that a part's bytes
/// depend on its records only.
const LEVEL: u32 = 6;

/// The bound parts are cut at: [`PART_BOUND`], or in debug builds (the tests')
/// `LEGBRIEF_PART_BOUND` bytes, to split a small site's parts.
pub fn part_bound() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(bound) = std::env::var("LEGBRIEF_PART_BOUND").ok().and_then(|v| v.parse().ok()) {
        return bound;
    }
    PART_BOUND
}

/// What a part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Briefs,
    Papers,
}

impl ExportKind {
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Briefs => "briefs",
            ExportKind::Papers => "papers",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportKind::Briefs => "jsonl",
            ExportKind::Papers => "csv",
        }
    }
}

/// The file of a part: `data/briefs-term-7.jsonl.gz`, or with `number` when the
/// term's records are split, `data/briefs-term-7-2.jsonl.gz`.
pub fn part_name(kind: ExportKind, bucket: Bucket, number: Option<usize>) -> String {
    let number = number.map(|n| format!("-{n}")).unwrap_or_default();
    format!(
        "data/{}-term-{}{number}.{}.gz",
        kind.name(),
        bucket.segment(),
        kind.extension()
    )
}

/// The kind and term a part's file name says, if it names one.
pub fn parse_part_name(name: &str) -> Option<(ExportKind, Bucket)> {
    let rest = name.strip_prefix("data/")?.strip_suffix(".gz")?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("briefs-term-") {
        (ExportKind::Briefs, r.strip_suffix(".jsonl")?)
    } else if let Some(r) = rest.strip_prefix("papers-term-") {
        (ExportKind::Papers, r.strip_suffix(".csv")?)
    } else {
        return None;
    };
    let segment = rest.split_once('-').map_or(rest, |(segment, _)| segment);
    Some((kind, Bucket::parse(segment)?))
}

/// One part as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Its path from the site root, `data/…`.
    pub name: String,
    pub kind: ExportKind,
    /// The term's number; `null` for the records of no configured term.
    pub term: Option<u32>,
    /// Records: JSON lines, or CSV rows after the header.
    pub records: u64,
    /// The file's size.
    pub bytes: u64,
    /// The file's SHA-256, lowercase hex.
    pub sha256: String,
}

impl Part {
    pub fn bucket(&self) -> Bucket {
        Bucket::of(self.term)
    }
}

/// `data/catalogue.json`: every part, briefs then papers, by term (`other` last),
/// then part number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub schema: &'static str,
    pub parts: Vec<Part>,
}

impl Catalogue {
    /// The catalogue as written: pretty-printed JSON ending in `\n`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// Where each finished part goes when parts are made in memory: its name and bytes.
pub type PartSink<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// Parts written straight into files, so that a build never holds one: `create`
/// makes the file at a path (the part's name and `.partial` while it is written),
/// `rename` gives it its name once it is closed.
pub struct FileStore<'a> {
    pub create: &'a (dyn Fn(&str) -> std::io::Result<std::fs::File> + Sync),
    pub rename: &'a (dyn Fn(&str, &str) -> std::io::Result<()> + Sync),
}

/// Where parts go.
#[derive(Clone, Copy)]
pub enum Store<'a> {
    Memory(&'a PartSink<'a>),
    Files(&'a FileStore<'a>),
}

/// A brief's record line (its `index.json`), from wherever the caller has it.
pub type RecordLine<'a> = dyn Fn(&BriefVersion) -> Result<Vec<u8>, Diagnostic> + Sync + 'a;

/// The kinds and terms that have records, in catalogue order.
pub fn groups(site: &Site) -> Vec<(ExportKind, Bucket)> {
    use std::collections::BTreeSet;
    let briefs: BTreeSet<Bucket> = site
        .briefs
        .iter()
        .flat_map(|b| b.versions.iter().map(|v| Bucket::of(v.term)))
        .collect();
    // Papers are filed under the term of the briefs citing them, so that a
    // term's part closes with the term: a new brief changes its own term's part.
    let papers: BTreeSet<Bucket> = site
        .briefs
        .iter()
        .flat_map(|b| b.versions.iter())
        .filter(|v| !v.papers().is_empty())
        .map(|v| Bucket::of(v.term))
        .collect();
    briefs
        .into_iter()
        .map(|b| (ExportKind::Briefs, b))
        .chain(papers.into_iter().map(|b| (ExportKind::Papers, b)))
        .collect()
}

/// Writes every part into `store` (the groups in parallel) and returns the
/// catalogue. `line` gives each brief's record line.
pub fn write_all(site: &Site, line: &RecordLine<'_>, store: Store<'_>) -> Result<Catalogue, Diagnostic> {
    let groups = groups(site);
    let parts: Vec<Vec<Part>> = groups
        .par_iter()
        .map(|&(kind, bucket)| write_group(site, kind, bucket, line, store))
        .collect::<Result<_, _>>()?;
    Ok(Catalogue {
        schema: CATALOGUE_SCHEMA,
        parts: parts.into_iter().flatten().collect(),
    })
}

/// Writes the parts of one kind and term into `store`.
pub fn write_group(
    site: &Site,
    kind: ExportKind,
    bucket: Bucket,
    line: &RecordLine<'_>,
    store: Store<'_>,
) -> Result<Vec<Part>, Diagnostic> {
    let header = match kind {
        ExportKind::Briefs => Vec::new(),
        ExportKind::Papers => {
            let mut header = String::new();
            push_row(&mut header, PAPER_COLUMNS.iter().map(|c| c.to_string()));
            header.into_bytes()
        }
    };
    let mut parts = Parts::new(kind, bucket, header, part_bound(), store);
    match kind {
        ExportKind::Briefs => {
            for v in briefs_of(site, bucket) {
                parts.push(&line(v)?)?;
            }
        }
        ExportKind::Papers => {
            let mut row = String::new();
            for fields in paper_rows(site, bucket) {
                row.clear();
                push_row(&mut row, fields.into_iter());
                parts.push(row.as_bytes())?;
            }
        }
    }
    parts.finish()
}

/// The brief versions of a term, oldest first: by meeting date, then slug, then
/// language (config order).
fn briefs_of(site: &Site, bucket: Bucket) -> Vec<&BriefVersion> {
    let order = |lang: &str| site.config.languages.iter().position(|l| l.code == lang);
    let mut versions: Vec<&BriefVersion> = site
        .briefs
        .iter()
        .flat_map(|b| b.versions.iter().map(|v| &**v))
        .filter(|v| Bucket::of(v.term) == bucket)
        .collect();
    versions.sort_by(|a, b| {
        (a.source.front.meeting, a.slug(), order(a.lang())).cmp(&(b.source.front.meeting, b.slug(), order(b.lang())))
    });
    versions
}

/// The rows of the papers cited by a term's briefs, oldest first: by date, then
/// language (config order), body, title, URL and kind; each paper once per
/// language, with the slugs and paper numbers of the term's briefs citing it in
/// slug order. A paper cited in two terms is in both terms' parts, each with
/// its own term's briefs.
fn paper_rows(site: &Site, bucket: Bucket) -> Vec<Vec<String>> {
    use std::collections::BTreeMap;
    /// Date, language, body, title, URL, kind: one paper of a language.
    type Key = (jiff::civil::Date, usize, String, String, Option<String>, &'static str);
    /// A paper's date note, and the citing briefs' slugs and paper numbers.
    type Row<'a> = (Option<String>, Vec<(&'a str, Option<&'a str>)>);
    let config = &site.config;
    let mut rows: BTreeMap<Key, Row<'_>> = BTreeMap::new();
    for (index, lang) in config.languages.iter().enumerate() {
        for brief in &site.briefs {
            let Some(v) = brief.version(&lang.code).filter(|v| Bucket::of(v.term) == bucket) else {
                continue;
            };
            // A build keeps the appendix packed: `papers()` gives it back.
            for p in v.papers().into_owned() {
                let key = (p.date, index, p.body, p.title, p.url, p.kind.key());
                let row = rows.entry(key).or_insert_with(|| (p.date_note, Vec::new()));
                if !row.1.iter().any(|(s, _)| *s == brief.slug) {
                    row.1.push((&brief.slug, v.source.front.paper_no.as_deref()));
                }
            }
        }
    }
    rows.into_iter()
        .map(|((date, index, body, title, url, kind), (note, citing))| {
            let lang = &config.languages[index];
            let body_name = config.committee(&body).map_or(body.clone(), |c| {
                c.names.get(&lang.code, &config.default_language).to_string()
            });
            vec![
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
        })
        .collect()
}

/// At most the size of `n` bytes deflated, whatever they are: stored blocks cost
/// 5 bytes each, and no literal costs more than 9 bits.
fn deflated_at_most(n: u64) -> u64 {
    n + n / 8 + 5 * (n / 16_384 + 1) + 512
}

/// The gzip trailer (CRC-32 and length) and the last, empty block, with room.
const CLOSING: u64 = 32;

/// The parts of one kind and term being written: each a gzip stream, cut before
/// the record that could take it past the bound.
///
/// Deflate holds back what it has not yet coded, so the size so far is known
/// exactly only after a sync flush. Parts are flushed only when the records
/// since the last flush, at their worst, could pass the bound; the flushes (and
/// so the bytes) depend on the records alone.
struct Parts<'a> {
    kind: ExportKind,
    bucket: Bucket,
    /// Written at the start of every part (the CSV header).
    header: Vec<u8>,
    bound: u64,
    store: Store<'a>,
    encoder: Option<GzEncoder<Tally>>,
    /// Bytes of the part as of its last flush.
    flushed: u64,
    /// Bytes written into the encoder since.
    pending: u64,
    records: u64,
    /// The most records a part holds.
    max_records: u64,
    written: Vec<Part>,
}

impl<'a> Parts<'a> {
    fn new(kind: ExportKind, bucket: Bucket, header: Vec<u8>, bound: u64, store: Store<'a>) -> Self {
        let max_records = match kind {
            ExportKind::Briefs => BRIEF_RECORDS_PER_PART,
            ExportKind::Papers => u64::MAX,
        };
        Parts {
            max_records,
            kind,
            bucket,
            header,
            bound,
            store,
            encoder: None,
            flushed: 0,
            pending: 0,
            records: 0,
            written: Vec::new(),
        }
    }

    fn failed(&self, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(format!(
            "cannot compress {}: {e}",
            part_name(self.kind, self.bucket, None)
        ))
    }

    /// Where a part is written until it is closed and named.
    fn partial(&self) -> String {
        format!("{}.partial", part_name(self.kind, self.bucket, None))
    }

    fn fits(&self, more: u64) -> bool {
        self.flushed + deflated_at_most(self.pending + more) + CLOSING <= self.bound
    }

    fn push(&mut self, record: &[u8]) -> Result<(), Diagnostic> {
        let n = record.len() as u64;
        if self.encoder.is_some() && self.records >= self.max_records {
            self.close(false)?;
        }
        if self.encoder.is_some() && !self.fits(n) {
            if self.pending > 0 {
                let encoder = self.encoder.as_mut().expect("an open part");
                let flushed = encoder.flush().map(|()| encoder.get_ref().bytes);
                self.flushed = flushed.map_err(|e| self.failed(&e))?;
                self.pending = 0;
            }
            // A record alone larger than the bound still has a part: records are
            // never cut.
            if !self.fits(n) && self.records > 0 {
                self.close(false)?;
            }
        }
        if self.encoder.is_none() {
            let out = match self.store {
                // Never more than the bound: reserved once, so the buffer is never
                // copied into a larger one (only the pages written are resident).
                Store::Memory(_) => Out::Memory(Vec::with_capacity(self.bound.min(PART_BOUND) as usize)),
                Store::Files(files) => {
                    let file = (files.create)(&self.partial()).map_err(|e| self.failed(&e))?;
                    Out::File(std::io::BufWriter::with_capacity(1 << 16, file))
                }
            };
            let tally = Tally {
                out,
                bytes: 0,
                digest: Sha256::new(),
            };
            let mut encoder = GzBuilder::new()
                .mtime(0)
                .operating_system(255)
                .write(tally, Compression::new(LEVEL));
            encoder.write_all(&self.header).map_err(|e| self.failed(&e))?;
            self.encoder = Some(encoder);
            self.flushed = 0;
            self.pending = self.header.len() as u64;
            self.records = 0;
        }
        let encoder = self.encoder.as_mut().expect("an open part");
        let written = encoder.write_all(record);
        written.map_err(|e| self.failed(&e))?;
        self.pending += n;
        self.records += 1;
        Ok(())
    }

    /// Closes the open part; `last` when no other part follows it.
    fn close(&mut self, last: bool) -> Result<(), Diagnostic> {
        let Some(encoder) = self.encoder.take() else {
            return Ok(());
        };
        let tally = encoder.finish().map_err(|e| self.failed(&e))?;
        let number = self.written.len() + 1;
        let name = part_name(self.kind, self.bucket, (!last || number > 1).then_some(number));
        let (bytes, digest) = (tally.bytes, tally.digest.finalize());
        match (tally.out, self.store) {
            (Out::Memory(data), Store::Memory(sink)) => sink(&name, &data)?,
            (Out::File(file), Store::Files(files)) => {
                // Written out and closed before it is named.
                drop(file.into_inner().map_err(|e| self.failed(e.error()))?);
                (files.rename)(&self.partial(), &name).map_err(|e| self.failed(&e))?;
            }
            _ => unreachable!("a part is written where its store says"),
        }
        self.written.push(Part {
            name,
            kind: self.kind,
            term: match self.bucket {
                Bucket::Term(n) => Some(n),
                Bucket::Other => None,
            },
            records: self.records,
            bytes,
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        });
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<Part>, Diagnostic> {
        self.close(true)?;
        Ok(self.written)
    }
}

/// Where a part's compressed bytes go.
enum Out {
    Memory(Vec<u8>),
    File(std::io::BufWriter<std::fs::File>),
}

/// [`Out`], counting and hashing what is written into it.
struct Tally {
    out: Out,
    bytes: u64,
    digest: Sha256,
}

impl Write for Tally {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match &mut self.out {
            Out::Memory(data) => data.write(buf)?,
            Out::File(file) => file.write(buf)?,
        };
        self.bytes += n as u64;
        self.digest.update(&buf[..n]);
        Ok(n)
    }

    /// The size so far is counted already: nothing needs to reach the disk.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A part as the data page lists it.
#[derive(Serialize)]
struct PartRow {
    href: String,
    name: String,
    file: String,
    records: String,
    size: String,
    bytes: u64,
    sha256: String,
}

/// A kind's parts, by term, as the data page lists them.
#[derive(Serialize)]
struct PartTerm {
    term: String,
    parts: Vec<PartRow>,
}

impl PageContext<'_> {
    /// `<lang>/data/`: the catalogue's parts, briefs then papers, by term.
    pub fn data_page(&self, context: &mut Context, catalogue: &Catalogue) {
        let title = self.t("data_title").to_string();
        let mut sections = Vec::new();
        for kind in [ExportKind::Briefs, ExportKind::Papers] {
            let mut terms: Vec<PartTerm> = Vec::new();
            for part in catalogue.parts.iter().filter(|p| p.kind == kind) {
                let term = self.bucket_name(part.bucket());
                let row = PartRow {
                    href: self.linker.to(&part.name),
                    name: part.name.clone(),
                    file: part.name.rsplit('/').next().unwrap_or_default().to_string(),
                    records: if part.records == 1 {
                        self.t("records_one").to_string()
                    } else {
                        super::context::fill(self.t("records_other"), "n", &part.records.to_string())
                    },
                    size: human_size(part.bytes),
                    bytes: part.bytes,
                    sha256: part.sha256.clone(),
                };
                match terms.last_mut() {
                    Some(last) if last.term == term => last.parts.push(row),
                    _ => terms.push(PartTerm { term, parts: vec![row] }),
                }
            }
            let heading = match kind {
                ExportKind::Briefs => self.t("data_briefs"),
                ExportKind::Papers => self.t("data_papers"),
            };
            sections.push(serde_json::json!({ "kind": kind.name(), "heading": heading, "terms": terms }));
        }
        let base = format!("{}/", self.config().base_url.trim_end_matches('/'));
        context.insert(
            "data",
            &serde_json::json!({
                "sections": sections,
                "catalogue": self.linker.to(&PageId::Catalogue.path()),
                "catalogue_url": format!("{base}{}", PageId::Catalogue.path()),
                "base": base,
            }),
        );
        context.insert("page", &self.meta(title, self.t("data_intro").to_string()));
    }
}

/// `1.2 MB`, `340 kB`, `812 B`: decimal units, as file managers show them.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else if bytes >= 1_000 {
        format!("{} kB", bytes.div_ceil(1_000))
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_say_their_kind_and_term() {
        let name = part_name(ExportKind::Briefs, Bucket::Term(7), None);
        assert_eq!(name, "data/briefs-term-7.jsonl.gz");
        assert_eq!(parse_part_name(&name), Some((ExportKind::Briefs, Bucket::Term(7))));
        let name = part_name(ExportKind::Papers, Bucket::Other, Some(2));
        assert_eq!(name, "data/papers-term-other-2.csv.gz");
        assert_eq!(parse_part_name(&name), Some((ExportKind::Papers, Bucket::Other)));
        assert_eq!(parse_part_name("data/briefs-term-07.jsonl.gz"), None);
        assert_eq!(parse_part_name("data/catalogue.json"), None);
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).expect("gzip");
        out
    }

    #[test]
    fn parts_stay_within_the_bound_and_earlier_parts_do_not_change_when_records_follow() {
        let written = std::sync::Mutex::new(Vec::new());
        let sink = |name: &str, bytes: &[u8]| {
            written.lock().unwrap().push((name.to_string(), bytes.to_vec()));
            Ok::<(), Diagnostic>(())
        };
        // Records that hardly compress, so that a few fill a part.
        let record = |i: u64| {
            let mut x = i.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let mut line: Vec<u8> = (0..3_000)
                .map(|_| {
                    x = x
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    b'a' + (x >> 59) as u8
                })
                .collect();
            line.push(b'\n');
            line
        };
        let run = |count: u64| {
            written.lock().unwrap().clear();
            let mut parts = Parts::new(
                ExportKind::Briefs,
                Bucket::Term(7),
                Vec::new(),
                10_000,
                Store::Memory(&sink),
            );
            for i in 0..count {
                parts.push(&record(i)).unwrap();
            }
            let parts = parts.finish().unwrap();
            (parts, written.lock().unwrap().clone())
        };
        let (parts, files) = run(20);
        assert!(parts.len() > 2, "{parts:?}");
        assert_eq!(parts[0].name, "data/briefs-term-7-1.jsonl.gz");
        let mut all = Vec::new();
        for ((name, bytes), part) in files.iter().zip(&parts) {
            assert!(bytes.len() as u64 <= 10_000, "{name}: {} bytes", bytes.len());
            assert_eq!(part.bytes, bytes.len() as u64);
            all.extend(gunzip(bytes));
        }
        let expected: Vec<u8> = (0..20).flat_map(record).collect();
        assert_eq!(all, expected);
        let (_, more) = run(25);
        for (before, after) in files[..files.len() - 1].iter().zip(&more) {
            assert_eq!(before, after, "a full part changed when records followed it");
        }
        let (one, files) = run(1);
        assert_eq!(one[0].name, "data/briefs-term-7.jsonl.gz");
        // A part of briefs holds at most so many records, however small.
        let mut parts = Parts::new(
            ExportKind::Briefs,
            Bucket::Term(8),
            Vec::new(),
            PART_BOUND,
            Store::Memory(&sink),
        );
        for i in 0..BRIEF_RECORDS_PER_PART * 2 + 1 {
            parts.push(format!("{{\"n\":{i}}}\n").as_bytes()).unwrap();
        }
        let counts: Vec<u64> = parts.finish().unwrap().iter().map(|p| p.records).collect();
        assert_eq!(counts, [BRIEF_RECORDS_PER_PART, BRIEF_RECORDS_PER_PART, 1]);
        // No time, no name, unknown system: the header is the same on every build.
        assert_eq!(&files[0].1[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    }
}
