//! Stage 3: a brief's Markdown body, as blocks ready to assemble.
//!
//! The body is not rendered to one HTML string: it becomes a list of top-level
//! [`Block`]s, each knowing whether it is numbered paragraph *n*, a heading, or
//! something else. The brief page assembles all of them with `id="p-n"` anchors; a
//! topic page assembles only one topic's section, with the numbers linking back to
//! the brief. Rendering once and assembling twice keeps topic pages cheap.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// What a top-level block of the body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// Numbered paragraph `n` (1-based); `html` is its inner HTML, without `<p>`.
    Paragraph(u32),
    /// A heading; `html` is the whole element, with its `id`.
    Heading { level: u8, id: String },
    /// A list, table, quote, rule or code block: not numbered.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub html: String,
}

/// A topic section of the body: blocks `start..end` follow its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub topic: String,
    pub heading_index: usize,
    pub end: usize,
}

/// A link written in the body, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    pub href: String,
    /// Byte offset in the body text, to report the source line.
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedBody {
    pub blocks: Vec<Block>,
    pub paragraphs: u32,
    pub sections: Vec<Section>,
    /// Footnote list HTML (`<li>` items), placed at the end of the brief.
    pub footnotes: Vec<(String, String)>,
    /// Plain text of paragraph 1, the default summary.
    pub first_paragraph_text: String,
    pub links: Vec<BodyLink>,
    /// Heading ids that look like a misspelt topic key: (id, offset).
    pub heading_ids: Vec<(String, usize)>,
}

impl RenderedBody {
    pub fn heading_ids(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match &b.kind {
            BlockKind::Heading { id, .. } => Some(id.as_str()),
            _ => None,
        })
    }
}

pub struct MarkdownOptions<'a> {
    pub raw_html: bool,
    /// Keys of `[topics]`: a heading with one of these ids opens a topic section.
    pub topics: &'a [&'a str],
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// True for characters of Chinese, Japanese and Korean scripts and their punctuation,
/// between which a line break must not become a space.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3190..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// A heading id from its text: lowercase, letters and digits of any script kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn is_container_start(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// Renders `body` into blocks. Never fails: Markdown has no syntax errors.
pub fn render(body: &str, options: &MarkdownOptions<'_>) -> RenderedBody {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(body, parser_options()).into_offset_iter().collect();
    let events = join_cjk_soft_breaks(events);

    let mut out = RenderedBody::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut footnote_defs: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        // Gather one top-level block: a start tag and everything up to its end.
        let start = i;
        let mut depth = 0usize;
        loop {
            match &events[i].0 {
                Event::Start(tag) if is_container_start(tag) => depth += 1,
                Event::End(end)
                    if !matches!(
                        end,
                        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
                    ) =>
                {
                    depth = depth.saturating_sub(1)
                }
                _ => {}
            }
            i += 1;
            if depth == 0 || i >= events.len() {
                break;
            }
        }
        let block = &events[start..i];
        let offset = block[0].1.start;
        for (event, range) in block {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
                out.links.push(BodyLink {
                    href: dest_url.to_string(),
                    offset: range.start,
                });
            }
            // Links in raw HTML are the drafter's too: `check` reports them here.
            if let Event::Html(html) | Event::InlineHtml(html) = event
                && options.raw_html
            {
                let at = if body.get(range.start..).is_some_and(|rest| rest.starts_with(&**html)) {
                    range.start
                } else {
                    range.start + body.get(range.clone()).and_then(|r| r.find('<')).unwrap_or(0)
                };
                for (href, offset) in crate::links::raw_html_links(html) {
                    out.links.push(BodyLink {
                        href,
                        offset: at + offset,
                    });
                }
            }
        }
        match &block[0].0 {
            Event::Start(Tag::Paragraph) => {
                out.paragraphs += 1;
                let inner = &block[1..block.len().saturating_sub(1)];
                if out.paragraphs == 1 {
                    out.first_paragraph_text = plain_text(inner);
                }
                let html = to_html(inner, options.raw_html, &mut footnote_numbers);
                out.blocks.push(Block {
                    kind: BlockKind::Paragraph(out.paragraphs),
                    html,
                });
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let text = plain_text(&block[1..block.len().saturating_sub(1)]);
                let wanted = id.as_ref().map_or_else(|| slugify(&text), |id| id.to_string());
                let id = unique_id(&wanted, &mut used_ids);
                out.heading_ids.push((id.clone(), offset));
                let mut events: Vec<Event<'_>> = block.iter().map(|(e, _)| e.clone()).collect();
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[0] {
                    *slot = Some(CowStr::from(id.clone()));
                }
                let html = events_to_html(events, options.raw_html, &mut footnote_numbers);
                out.blocks.push(Block {
                    kind: BlockKind::Heading {
                        level: heading_level(*level),
                        id,
                    },
                    html,
                });
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let inner = &block[1..block.len().saturating_sub(1)];
                let html = to_html(inner, options.raw_html, &mut footnote_numbers);
                footnote_defs.insert(label.to_string(), html);
            }
            _ => {
                let html = to_html(block, options.raw_html, &mut footnote_numbers);
                out.blocks.push(Block {
                    kind: BlockKind::Other,
                    html,
                });
            }
        }
    }
    out.sections = topic_sections(&out.blocks, options.topics);
    let mut numbered: Vec<(&String, &usize)> = footnote_numbers.iter().collect();
    numbered.sort_by_key(|(_, n)| **n);
    out.footnotes = numbered
        .into_iter()
        .map(|(label, _)| {
            (
                note_id(label, &footnote_numbers),
                footnote_defs.remove(label).unwrap_or_default(),
            )
        })
        .collect();
    out
}

fn unique_id(wanted: &str, used: &mut HashSet<String>) -> String {
    let mut id = wanted.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    id
}

pub fn footnote_id(label: &str) -> String {
    format!("fn-{}", slugify(label))
}

/// The id of footnote `label` among the numbered ones: `fn-<slug>`, unless an
/// earlier footnote's label has the same slug (`[^a b]` and `[^a-b]`); then
/// `fn-<slug>_<n>`, which no slug can equal, so ids stay unique.
fn note_id(label: &str, numbers: &HashMap<String, usize>) -> String {
    let id = footnote_id(label);
    let n = numbers.get(label).copied().unwrap_or_default();
    if numbers.iter().any(|(other, m)| *m < n && footnote_id(other) == id) {
        format!("{id}_{n}")
    } else {
        id
    }
}

/// Finds the topic sections: a heading whose id is a topic key runs until the
/// next heading of the same or a higher level.
fn topic_sections(blocks: &[Block], topics: &[&str]) -> Vec<Section> {
    let mut sections = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let BlockKind::Heading { level, id } = &block.kind else {
            continue;
        };
        if !topics.contains(&id.as_str()) {
            continue;
        }
        let end = blocks[index + 1..]
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading { level: l, .. } if l <= *level))
            .map_or(blocks.len(), |p| index + 1 + p);
        sections.push(Section {
            topic: id.clone(),
            heading_index: index,
            end,
        });
    }
    sections
}

/// Drops soft breaks between two CJK characters: Chinese wrapped in the source
/// must not gain spaces on the page.
fn join_cjk_soft_breaks<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::with_capacity(events.len());
    for index in 0..events.len() {
        if matches!(events[index].0, Event::SoftBreak) {
            let before = out.iter().rev().find_map(|(e, _)| last_char(e));
            let after = events[index + 1..].iter().find_map(|(e, _)| first_char(e));
            if let (Some(b), Some(a)) = (before, after)
                && is_cjk(b)
                && is_cjk(a)
            {
                continue;
            }
        }
        out.push(events[index].clone());
    }
    out
}

fn last_char(event: &Event<'_>) -> Option<char> {
    match event {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        Event::SoftBreak | Event::HardBreak => Some(' '),
        _ => None,
    }
}

fn first_char(event: &Event<'_>) -> Option<char> {
    match event {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        Event::SoftBreak | Event::HardBreak => Some(' '),
        _ => None,
    }
}

fn plain_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn to_html(
    events: &[(Event<'_>, std::ops::Range<usize>)],
    raw_html: bool,
    footnotes: &mut HashMap<String, usize>,
) -> String {
    events_to_html(events.iter().map(|(e, _)| e.clone()).collect(), raw_html, footnotes)
}

/// Renders events to HTML, escaping raw HTML unless allowed and numbering footnote
/// references across the whole body (pulldown-cmark would restart at 1 per block).
fn events_to_html(events: Vec<Event<'_>>, raw_html: bool, footnotes: &mut HashMap<String, usize>) -> String {
    let events = events.into_iter().map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) if !raw_html => Event::Text(html),
        Event::FootnoteReference(label) => {
            let next = footnotes.len() + 1;
            // Only the first reference is the note's back-link target: ids are unique.
            let first = !footnotes.contains_key(label.as_ref());
            let n = *footnotes.entry(label.to_string()).or_insert(next);
            let id = note_id(&label, footnotes);
            let anchor = if first {
                format!(" id=\"ref-{id}\"")
            } else {
                String::new()
            };
            let mut html = String::new();
            let _ = write!(html, "<sup class=\"fn-ref\"><a href=\"#{id}\"{anchor}>{n}</a></sup>");
            Event::InlineHtml(CowStr::from(html))
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_plain(body: &str) -> RenderedBody {
        render(
            body,
            &MarkdownOptions {
                raw_html: false,
                topics: &["smart-mobility"],
            },
        )
    }

    #[test]
    fn numbers_top_level_paragraphs_only() {
        let body = "One.\n\n- a list\n\n  nested para\n\n> quote\n\nTwo.\n\n| a |\n|---|\n| b |\n\nThree.\n";
        let out = render_plain(body);
        assert_eq!(out.paragraphs, 3);
        let numbered: Vec<_> = out
            .blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Paragraph(n) => Some((n, b.html.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            numbered,
            vec![(1, "One.".into()), (2, "Two.".into()), (3, "Three.".into())]
        );
    }

    #[test]
    fn headings_get_explicit_or_slug_ids_and_open_topic_sections() {
        let body = "## Intro\n\nA.\n\n### Smart Mobility {#smart-mobility}\n\nB.\n\nC.\n\n## Other\n\nD.\n";
        let out = render_plain(body);
        let ids: Vec<_> = out.heading_ids().collect();
        assert_eq!(ids, ["intro", "smart-mobility", "other"]);
        assert_eq!(out.sections.len(), 1);
        let s = &out.sections[0];
        assert_eq!(&out.blocks[s.heading_index + 1..s.end].len(), &2);
    }

    #[test]
    fn cjk_soft_breaks_join_without_space() {
        let out = render_plain("議員關注智慧\n出行的發展，\nand English\nwords.\n");
        assert_eq!(out.blocks[0].html, "議員關注智慧出行的發展，\nand English\nwords.");
    }

    #[test]
    fn raw_html_is_escaped_unless_enabled() {
        let body = "Hello <script>alert(1)</script> world.\n\n<div>block</div>\n";
        let escaped = render_plain(body);
        assert!(escaped.blocks[0].html.contains("&lt;script&gt;"));
        assert!(escaped.blocks[1].html.contains("&lt;div&gt;"));
        let raw = render(
            body,
            &MarkdownOptions {
                raw_html: true,
                topics: &[],
            },
        );
        assert!(raw.blocks[0].html.contains("<script>"));
    }

    #[test]
    fn footnotes_are_numbered_across_the_body() {
        let body = "A[^x].\n\nB[^y] and again[^x].\n\n[^x]: Note x.\n[^y]: Note y.\n";
        let out = render_plain(body);
        assert!(out.blocks[0].html.contains(">1</a>"));
        assert!(out.blocks[1].html.contains(">2</a>"));
        assert_eq!(out.footnotes.len(), 2);
        assert_eq!(out.footnotes[0].0, "fn-x");
        assert!(out.footnotes[1].1.contains("Note y."));
    }

    #[test]
    fn duplicate_heading_ids_are_made_unique() {
        let out = render_plain("## A\n\n## A\n");
        let ids: Vec<_> = out.heading_ids().collect();
        assert_eq!(ids, ["a", "a-1"]);
    }
}
