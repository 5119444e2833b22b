//! A synthetic archive of bilingual background briefs, for benchmarks.
//!
//! Every brief is made from its own pseudo-random stream, seeded from the corpus
//! seed and the brief's number, so a corpus is the same on every machine and any
//! brief can be made without making the ones before it. The corpus is written
//! four times: as a legbrief site ([`legbrief`]); as two plain Hugo sites, the
//! ones a Hugo user would build from the same briefs, which the benchmark compares
//! with first: [`hugo_plain`], whose appendix a template makes from front matter,
//! and [`hugo_lean`], whose appendix and paragraph numbers are text in the
//! content; and as a Hugo site whose theme emulates legbrief's pages ([`hugo`]),
//! so that the two generators do the same work.

pub mod hugo;
pub mod hugo_lean;
pub mod hugo_plain;
pub mod legbrief;
pub mod vocab;

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};

use vocab::{BACKGROUND, COMMITTEES, HEADINGS, ROMAN, SENTENCES, SUBJECTS, TOPICS};

/// SplitMix64: small, fast and good enough to pick words; no crate needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len as u64) as usize
    }

    /// `count` different numbers below `len`, in random order.
    pub fn distinct(&mut self, len: usize, count: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..len).collect();
        for i in 0..count.min(len) {
            let j = i + self.index(len - i);
            all.swap(i, j);
        }
        all.truncate(count);
        all
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// A stable hash of a few numbers: the same paper gets the same title in every
/// brief that cites it, so the papers index has papers cited by many briefs.
fn mix(parts: &[u64]) -> u64 {
    let mut rng = Rng::new(0x5EED);
    for part in parts {
        rng.0 ^= *part;
        rng.next_u64();
    }
    rng.next_u64()
}

/// What to generate.
pub struct Options {
    pub briefs: usize,
    pub seed: u64,
    pub out: PathBuf,
    /// Also write the three Hugo sites: plain, lean plain and emulating.
    pub hugo: bool,
}

/// What was written.
pub struct Written {
    pub legbrief_root: PathBuf,
    /// The Hugo site whose theme emulates legbrief's pages.
    pub hugo_root: Option<PathBuf>,
    /// The plain Hugo site.
    pub hugo_plain_root: Option<PathBuf>,
    /// The lean plain Hugo site: appendix and paragraph numbers as text.
    pub hugo_lean_root: Option<PathBuf>,
    pub briefs: usize,
    /// Bytes of brief sources written for legbrief, both languages.
    pub source_bytes: u64,
}

/// Text of one language version.
pub struct Text {
    pub title: String,
    pub summary: String,
    pub body: String,
}

/// Where a paper was tabled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Body {
    Committee(usize),
    Council,
}

/// One row entry of a brief's appendix.
pub struct Paper {
    pub body: Body,
    pub date: Date,
    pub kind: &'static str,
    pub en: String,
    pub zh: String,
    pub url: Option<String>,
    pub date_note: bool,
}

/// One brief in both languages.
pub struct Brief {
    pub slug: String,
    pub committee: usize,
    pub meeting: Date,
    pub issued: Date,
    pub paper_no: String,
    pub file_ref: String,
    /// Indexes into [`TOPICS`], in that order.
    pub topics: Vec<usize>,
    pub papers: Vec<Paper>,
    pub en: Text,
    pub zh: Text,
}

/// The first and last meeting dates of the corpus.
pub const FIRST_MEETING: Date = date(2016, 10, 3);
pub const LAST_MEETING: Date = date(2026, 6, 30);

/// Legislative terms: number, start, end, English and Chinese names.
pub const TERMS: [(u32, Date, Date, &str, &str); 3] = [
    (
        6,
        date(2016, 10, 1),
        date(2021, 12, 31),
        "Sixth Legislative Council",
        "第六屆立法會",
    ),
    (
        7,
        date(2022, 1, 1),
        date(2025, 12, 31),
        "Seventh Legislative Council",
        "第七屆立法會",
    ),
    (
        8,
        date(2026, 1, 1),
        date(2029, 12, 31),
        "Eighth Legislative Council",
        "第八屆立法會",
    ),
];

pub fn term_of(day: Date) -> Option<u32> {
    TERMS.iter().find(|t| t.1 <= day && day <= t.2).map(|t| t.0)
}

/// Numbered paragraphs per language: purpose 1, background 2, topics 14, papers 1.
pub const PARAGRAPHS: usize = 18;
const TOPIC_PARAGRAPHS: usize = PARAGRAPHS - 4;

/// Makes brief number `i` of the corpus seeded `seed`.
pub fn brief(seed: u64, i: usize) -> Brief {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let days = (LAST_MEETING - FIRST_MEETING).get_days() as u64;
    let meeting = FIRST_MEETING
        .checked_add((rng.range(0, days) as i64).days())
        .unwrap_or(FIRST_MEETING);
    let issued = meeting.checked_sub((rng.range(3, 7) as i64).days()).unwrap_or(meeting);
    let committee = rng.index(COMMITTEES.len());
    // Four to six topics, in config order.
    let mut topics: Vec<usize> = (0..TOPICS.len()).collect();
    for _ in 0..rng.range(0, 2) {
        topics.remove(rng.index(topics.len()));
    }
    let lead = topics[rng.index(topics.len())];
    let subject = rng.index(SUBJECTS[lead].len());
    let (subject_en, subject_zh) = SUBJECTS[lead][subject];
    let slug = format!("{}-{}", slugify(subject_en), i + 1);
    let paper_no = paper_number(meeting, i);
    let file_ref = format!("CB2/{}", COMMITTEES[committee].reference);
    let papers = appendix(&mut rng, committee, meeting);
    let term_name = term_of(meeting)
        .and_then(|n| TERMS.iter().find(|t| t.0 == n))
        .map_or(("Legislative Council", "立法會"), |t| (t.3, t.4));
    let mut bodies = Bodies::default();
    bodies.purpose(subject_en, subject_zh, term_name);
    bodies.background(&mut rng, subject_en, subject_zh);
    bodies.views(&mut rng, &topics);
    bodies.closing();
    Brief {
        en: Text {
            title: format!("Background brief on {subject_en}"),
            summary: bodies.summary_en,
            body: bodies.en,
        },
        zh: Text {
            title: format!("有關{subject_zh}的背景資料簡介"),
            summary: bodies.summary_zh,
            body: bodies.zh,
        },
        slug,
        committee,
        meeting,
        issued,
        paper_no,
        file_ref,
        topics,
        papers,
    }
}

/// Lower-case words joined by hyphens, at most five of them.
fn slugify(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Both eras' forms: `CB(2)1587/18-19(05)` up to 2021, `CB(2)848/2025(03)` after.
/// Unique per brief: the serial and item come from the brief's number.
fn paper_number(meeting: Date, i: usize) -> String {
    let serial = 100 + i % 2000;
    let item = 1 + i / 2000;
    let year = meeting.year();
    if year >= 2022 {
        format!("CB(2){serial}/{year}({item:02})")
    } else {
        let start = if meeting.month() >= 10 { year } else { year - 1 };
        format!("CB(2){serial}/{:02}-{:02}({item:02})", start % 100, (start + 1) % 100)
    }
}

/// Both language bodies, built paragraph by paragraph.
#[derive(Default)]
struct Bodies {
    en: String,
    zh: String,
    summary_en: String,
    summary_zh: String,
}

impl Bodies {
    fn heading(&mut self, level: usize, (en, zh): (&str, &str), id: &str) {
        let hashes = "#".repeat(level);
        let _ = write!(self.en, "{hashes} {en} {{#{id}}}\n\n");
        let _ = write!(self.zh, "{hashes} {zh} {{#{id}}}\n\n");
    }

    fn paragraph(&mut self, en: &str, zh: &str) {
        self.en.push_str(en);
        self.en.push_str("\n\n");
        self.zh.push_str(&wrap_cjk(zh, 40));
        self.zh.push_str("\n\n");
    }

    fn purpose(&mut self, subject_en: &str, subject_zh: &str, (term_en, term_zh): (&str, &str)) {
        self.heading(2, HEADINGS[0], "purpose");
        let en = format!("This paper summarizes Members' past discussions on {subject_en} since the {term_en}.");
        let zh = format!("本文件綜述自{term_zh}以來，議員過往就{subject_zh}進行的討論。");
        self.summary_en = en.clone();
        self.summary_zh = zh.clone();
        self.paragraph(&en, &zh);
    }

    fn background(&mut self, rng: &mut Rng, subject_en: &str, subject_zh: &str) {
        self.heading(2, HEADINGS[1], "background");
        for _ in 0..2 {
            let (mut en, mut zh) = (String::new(), String::new());
            for p in rng.distinct(BACKGROUND.len(), 3) {
                let pattern = BACKGROUND[p];
                let slots = Slots::new(rng, (subject_en, subject_zh), (subject_en, subject_zh));
                sentence(&mut en, &mut zh, pattern, &slots);
            }
            self.paragraph(&en, &zh);
        }
    }

    /// Fourteen paragraphs shared among the brief's topic sections, at least two each.
    fn views(&mut self, rng: &mut Rng, topics: &[usize]) {
        self.heading(2, HEADINGS[2], "major-views");
        let mut counts = vec![2; topics.len()];
        for _ in 0..TOPIC_PARAGRAPHS - 2 * topics.len() {
            counts[rng.index(topics.len())] += 1;
        }
        for (&topic, &count) in topics.iter().zip(&counts) {
            let (key, en_name, zh_name) = TOPICS[topic];
            self.heading(3, (en_name, zh_name), key);
            for _ in 0..count {
                let (mut en, mut zh) = (String::new(), String::new());
                let count = rng.range(4, 5) as usize;
                for p in rng.distinct(SENTENCES.len(), count) {
                    let s = SUBJECTS[topic][rng.index(SUBJECTS[topic].len())];
                    let t = SUBJECTS[topic][rng.index(SUBJECTS[topic].len())];
                    let slots = Slots::new(rng, s, t);
                    let pattern = SENTENCES[p];
                    sentence(&mut en, &mut zh, pattern, &slots);
                }
                self.paragraph(&en, &zh);
            }
        }
    }

    fn closing(&mut self) {
        self.heading(2, HEADINGS[3], "relevant-papers");
        self.paragraph(
            "A list of relevant papers available on the LegCo website is in the [Appendix](#appendix).",
            "立法會網站的相關文件一覽表載於[附錄](#appendix)。",
        );
    }
}

/// Values for a sentence pattern's slots.
struct Slots<'a> {
    s: (&'a str, &'a str),
    t: (&'a str, &'a str),
    n: String,
    y: String,
    z: String,
    m: String,
}

impl<'a> Slots<'a> {
    fn new(rng: &mut Rng, s: (&'a str, &'a str), t: (&'a str, &'a str)) -> Slots<'a> {
        Slots {
            s,
            t,
            n: rng.range(3, 480).to_string(),
            y: rng.range(2014, 2025).to_string(),
            z: rng.range(2025, 2030).to_string(),
            m: rng.range(1, 12).to_string(),
        }
    }
}

/// Appends one sentence in each language, separated from the previous one.
fn sentence(en: &mut String, zh: &mut String, (pattern_en, pattern_zh): (&str, &str), slots: &Slots<'_>) {
    let fill = |pattern: &str, english: bool| {
        let pick = |pair: (&str, &str)| if english { pair.0 } else { pair.1 }.to_string();
        pattern
            .replace("{s}", &pick(slots.s))
            .replace("{t}", &pick(slots.t))
            .replace("{n}", &slots.n)
            .replace("{y}", &slots.y)
            .replace("{z}", &slots.z)
            .replace("{m}", &slots.m)
    };
    if !en.is_empty() {
        en.push(' ');
    }
    en.push_str(&fill(pattern_en, true));
    zh.push_str(&fill(pattern_zh, false));
}

/// Chinese source is wrapped like the printed papers' extracted text: a line break
/// every `width` characters, which must not become a space in the page.
fn wrap_cjk(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, c) in text.chars().enumerate() {
        // Break only between two CJK characters, never inside Markdown syntax.
        if i > 0 && i.is_multiple_of(width) && is_cjk(c) && out.chars().last().is_some_and(is_cjk) {
            out.push('\n');
        }
        out.push(c);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Meetings of committee `c`: every four weeks, each committee on its own day.
fn committee_meetings(c: usize, after: Date, before: Date) -> Vec<Date> {
    let first = date(2014, 10, 6).checked_add((c as i64).days()).unwrap_or(after);
    let mut out = Vec::new();
    let mut day = first;
    while day < before {
        if day > after {
            out.push(day);
        }
        match day.checked_add(28.days()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// The Council meets on Wednesdays.
fn council_meetings(after: Date, before: Date) -> Vec<Date> {
    let mut day = after;
    while day.weekday() != Weekday::Wednesday {
        day = day.tomorrow().unwrap_or(day);
    }
    let mut out = Vec::new();
    while day < before {
        out.push(day);
        match day.checked_add(7.days()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// A subject for a paper, the same for every brief that cites the paper.
fn paper_subject(parts: &[u64]) -> (&'static str, &'static str) {
    let h = mix(parts);
    let topic = &SUBJECTS[(h % 6) as usize];
    topic[((h / 6) % topic.len() as u64) as usize]
}

fn day_number(d: Date) -> u64 {
    (d - FIRST_MEETING).get_days().unsigned_abs() as u64
}

/// The "List of relevant papers": 25 to 35 papers of the brief's committee over the
/// two years before the meeting, then Council meeting papers, as printed.
fn appendix(rng: &mut Rng, committee: usize, meeting: Date) -> Vec<Paper> {
    let target = rng.range(25, 35) as usize;
    let from = meeting.checked_sub(730.days()).unwrap_or(meeting);
    let until = meeting.checked_sub(7.days()).unwrap_or(meeting);
    let mut papers = Vec::with_capacity(target);
    let key = COMMITTEES[committee].key;
    let mut meetings = committee_meetings(committee, from, until);
    // About two thirds of the appendix is the committee's own papers.
    let wanted = (target * 2 / 3).max(1);
    while meetings.len() > wanted.div_ceil(2) {
        meetings.remove(rng.index(meetings.len()));
    }
    let mut report_written = false;
    for day in meetings {
        if papers.len() >= wanted {
            break;
        }
        if !report_written && day.month() >= 7 && rng.chance(15) {
            report_written = true;
            let (en, zh) = paper_subject(&[committee as u64, day.year() as u64, 99]);
            papers.push(Paper {
                body: Body::Committee(committee),
                date: day,
                kind: "report",
                en: format!("Report on the work of the Panel, including {en}"),
                zh: format!("事務委員會工作報告（包括{zh}）"),
                url: None,
                date_note: true,
            });
            continue;
        }
        let items = rng.range(1, 2);
        for item in 0..items {
            let number = 2 + item + mix(&[committee as u64, day_number(day)]) % 2;
            let (en, zh) = paper_subject(&[committee as u64, day_number(day), number]);
            let roman = ROMAN[number as usize % ROMAN.len()];
            papers.push(Paper {
                body: Body::Committee(committee),
                date: day,
                kind: "agenda",
                en: format!("Agenda Item {roman}: {}", capitalize(en)),
                zh: format!("議程第{roman}項：{zh}"),
                url: Some(legco_url(key, day, "agenda", "htm")),
                date_note: false,
            });
        }
        papers.push(Paper {
            body: Body::Committee(committee),
            date: day,
            kind: "minutes",
            en: "Minutes of meeting".into(),
            zh: "會議紀要".into(),
            url: Some(legco_url(key, day, "minutes", "pdf")),
            date_note: false,
        });
    }
    let mut council = council_meetings(from, until);
    while papers.len() < target && !council.is_empty() {
        let day = council.remove(rng.index(council.len()));
        let d = day_number(day);
        if mix(&[d, 7]).is_multiple_of(4) {
            let (en, zh) = paper_subject(&[d, 1000]);
            papers.push(council_paper(
                day,
                "motion",
                format!("Members' motion: Promoting {en}"),
                format!("議員議案：推動{zh}"),
            ));
            papers.push(council_paper(
                day,
                "progress-report",
                "Progress report".into(),
                "進度報告".into(),
            ));
        } else {
            let q = 1 + mix(&[d, 11]) % 22;
            let (en, zh) = paper_subject(&[d, q]);
            papers.push(council_paper(
                day,
                "question",
                format!("Question {q}: {}", capitalize(en)),
                format!("第{q}項質詢：{zh}"),
            ));
        }
    }
    // The Council's papers are printed in date order after the committee's.
    let split = papers
        .iter()
        .position(|p| p.body == Body::Council)
        .unwrap_or(papers.len());
    papers[split..].sort_by_key(|p| (p.date, p.kind != "motion"));
    papers.truncate(target.max(split));
    papers
}

fn council_paper(day: Date, kind: &'static str, en: String, zh: String) -> Paper {
    Paper {
        body: Body::Council,
        date: day,
        kind,
        en,
        zh,
        url: Some(legco_url("cm", day, "counmtg", "htm")),
        date_note: false,
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An address in the style of the Council's website.
fn legco_url(key: &str, day: Date, folder: &str, ext: &str) -> String {
    let start = if day.month() >= 10 { day.year() } else { day.year() - 1 };
    format!(
        "https://www.legco.gov.hk/yr{:02}-{:02}/english/{folder}/{key}{}.{ext}",
        start % 100,
        (start + 1) % 100,
        day.strftime("%Y%m%d")
    )
}

/// A TOML basic string.
pub fn toml_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the corpus under `options.out`: `legbrief/` and, if asked, `hugo-plain/`,
/// `hugo-lean/` and `hugo/`.
pub fn generate(options: &Options) -> io::Result<Written> {
    use rayon::prelude::*;
    let legbrief_root = options.out.join("legbrief");
    let hugo_root = options.hugo.then(|| options.out.join("hugo"));
    let hugo_plain_root = options.hugo.then(|| options.out.join("hugo-plain"));
    let hugo_lean_root = options.hugo.then(|| options.out.join("hugo-lean"));
    legbrief::write_site(&legbrief_root)?;
    if let Some(root) = &hugo_root {
        hugo::write_site(root)?;
    }
    if let Some(root) = &hugo_plain_root {
        hugo_plain::write_site(root)?;
    }
    if let Some(root) = &hugo_lean_root {
        hugo_lean::write_site(root)?;
    }
    let source_bytes = (0..options.briefs)
        .into_par_iter()
        .map(|i| {
            let b = brief(options.seed, i);
            let bytes = legbrief::write_brief(&legbrief_root, &b)?;
            if let Some(root) = &hugo_root {
                hugo::write_brief(root, &b)?;
            }
            if let Some(root) = &hugo_plain_root {
                hugo_plain::write_brief(root, &b)?;
            }
            if let Some(root) = &hugo_lean_root {
                hugo_lean::write_brief(root, &b)?;
            }
            Ok(bytes)
        })
        .collect::<io::Result<Vec<u64>>>()?
        .into_iter()
        .sum();
    Ok(Written {
        legbrief_root,
        hugo_root,
        hugo_plain_root,
        hugo_lean_root,
        briefs: options.briefs,
        source_bytes,
    })
}

/// Creates the parent folder of `path` and writes `contents` to it.
pub fn write_file(path: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}
