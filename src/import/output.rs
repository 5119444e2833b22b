//! Writing the source: TOML front matter (with a small string escaper of our own, so every
//! printed title is a valid TOML string whatever quotes or backslashes it holds), the
//! Markdown body, and the slug.

use std::fmt::Write as _;

use super::Warnings;
use super::appendix::Paper;
use super::body::{Block, Body};
use super::header::Header;
use super::markup::{body_inline, escape_block_start, is_ideograph};

/// The complete source: `+++`, front matter, `+++`, blank line, body.
pub(super) fn source(head: &Header, body: &Body, papers: &[Paper], notes: &[(usize, String)]) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&front_matter(head, body));
    for paper in papers {
        out.push('\n');
        out.push_str(&paper_table(paper));
    }
    out.push_str("+++\n\n");
    out.push_str(&render_body(&body.blocks));
    // Footnotes as printed at the page bottoms, after the body.
    if !notes.is_empty() {
        out.push('\n');
        for (n, text) in notes {
            let _ = writeln!(out, "[^{n}]: {}", body_inline(text));
        }
    }
    out
}

/// The top-level fields, in the order of DESIGN §2.
fn front_matter(head: &Header, body: &Body) -> String {
    let mut fm = String::new();
    field(&mut fm, "title", &toml_string(&head.title));
    field(&mut fm, "committee", &toml_string(&head.committee));
    field(&mut fm, "meeting", &head.meeting.to_string());
    if let Some(p) = &head.paper_no {
        field(&mut fm, "paper_no", &toml_string(p));
    }
    if let Some(r) = &head.file_ref {
        field(&mut fm, "file_ref", &toml_string(r));
    }
    if let Some(closing) = &body.closing {
        field(&mut fm, "issued", &closing.issued.to_string());
        if let Some(issuer) = &closing.issuer {
            field(&mut fm, "issuer", &toml_string(issuer));
        }
    }
    if !body.topics.is_empty() {
        let keys: Vec<String> = body.topics.iter().map(|k| toml_string(k)).collect();
        field(&mut fm, "topics", &format!("[{}]", keys.join(", ")));
    }
    fm
}

/// One `[[papers]]` table.
fn paper_table(paper: &Paper) -> String {
    let mut t = String::from("[[papers]]\n");
    field(&mut t, "body", &toml_string(&paper.body));
    field(&mut t, "date", &paper.date.to_string());
    if let Some(note) = &paper.date_note {
        field(&mut t, "date_note", &toml_string(note));
    }
    field(&mut t, "title", &toml_string(&paper.title));
    if let Some(url) = &paper.url {
        field(&mut t, "url", &toml_string(url));
    }
    field(&mut t, "kind", &toml_string(paper.kind));
    t
}

fn field(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {value}");
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Markdown body: blocks separated by blank lines.
fn render_body(blocks: &[Block]) -> String {
    let mut parts = Vec::with_capacity(blocks.len());
    for block in blocks {
        parts.push(match block {
            Block::Heading { level, text, id } => {
                let hashes = "#".repeat(usize::from(*level));
                match id {
                    Some(id) => format!("{hashes} {text} {{#{id}}}"),
                    None => format!("{hashes} {text}"),
                }
            }
            Block::Paragraph(text) => body_inline(text)
                .lines()
                .map(escape_block_start)
                .collect::<Vec<_>>()
                .join("\n"),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}", body_inline(i)))
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// Whether `s` is a valid slug: `^[a-z0-9]+(-[a-z0-9]+)*$`.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// The slug: `--slug` (made valid, with a warning, if it is not), else from the English
/// title, else from the paper number, else from the meeting date.
pub(super) fn choose_slug(given: Option<&str>, head: &Header, lang: &str, w: &mut Warnings) -> String {
    if let Some(given) = given {
        if is_slug(given) {
            return given.to_string();
        }
        let fixed = words_slug(&ascii_words(given), usize::MAX);
        if !fixed.is_empty() {
            w.add(0, format!("--slug \"{given}\" is not a valid slug; using \"{fixed}\""));
            return fixed;
        }
        w.add(
            0,
            format!("--slug \"{given}\" is not a valid slug; derived one instead"),
        );
    }
    let chinese = lang.starts_with("zh") || head.title.chars().any(is_ideograph);
    (!chinese)
        .then(|| slug_from_title(&head.title))
        .flatten()
        .or_else(|| head.paper_no.as_deref().and_then(slug_from_paper_no))
        .unwrap_or_else(|| format!("brief-{}", head.meeting))
}

/// "Background brief on digital government and smart city development" ->
/// "digital-government-smart-city-development": the subject's significant words, at most six,
/// so the slug is short and the same title always gives the same slug.
pub(super) fn slug_from_title(title: &str) -> Option<String> {
    const PREFIXES: &[&str] = &[
        "updated background brief on ",
        "updated background brief prepared by the legislative council secretariat for the meeting on ",
        "background brief prepared by the legislative council secretariat for the meeting on ",
        "background brief on ",
        "background brief ",
        "information note on ",
    ];
    const STOP: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on", "or", "the", "their", "to",
        "with",
    ];
    let lower = title.to_lowercase();
    let subject = PREFIXES.iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
    let words: Vec<String> = ascii_words(subject)
        .into_iter()
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect();
    let slug = words_slug(&words, 6);
    (!slug.is_empty()).then_some(slug)
}

/// "CB(2)848/2025(03)" -> "cb2-848-2025-03"; "CB(4)1234/18-19(03)" -> "cb4-1234-18-19-03".
pub(super) fn slug_from_paper_no(paper_no: &str) -> Option<String> {
    let mut words = ascii_words(paper_no);
    if let [first, second, ..] = words.as_slice()
        && first.chars().all(|c| c.is_ascii_lowercase())
        && second.chars().all(|c| c.is_ascii_digit())
    {
        let merged = format!("{first}{second}");
        words.splice(0..2, [merged]);
    }
    let slug = words_slug(&words, usize::MAX);
    (!slug.is_empty()).then_some(slug)
}

/// The runs of ASCII letters and digits, lower case.
fn ascii_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// At most `max` words joined with hyphens.
fn words_slug(words: &[String], max: usize) -> String {
    words.iter().take(max).cloned().collect::<Vec<_>>().join("-")
}
