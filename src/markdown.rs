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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// Numbered paragraph `n` (1-based); `html` is its inner HTML, without `<p>`.
    Paragraph(u32),
    /// A heading; `html` is the whole element, with its `id`.
    Heading { level: u8, id: String },
    /// A list, table, quote, rule or code block: not numbered.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// What makes the body unpublishable, each at a byte offset of the body: a
    /// heading attribute that is not `#id` or `.class`, nesting past the limits,
    /// an undefined footnote, an explicit heading id used twice. The HTML is still
    /// made, safe (bad attributes dropped, deep levels flattened), so `check` and
    /// `serve` can go on.
    pub errors: Vec<BodyError>,
}

/// One error in a body, for the model to locate in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    /// Byte offset in the body text.
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// How deep block quotes and lists may nest, one inside another. Deeper pages
/// would overflow the stack of the HTML minifier, which recurses per element.
pub const MAX_BLOCK_NESTING: usize = 100;

/// How deep emphasis, strong, strikethrough, links and images may nest.
pub const MAX_INLINE_NESTING: usize = 100;

const ATTRIBUTE_HELP: &str = "a heading's `{…}` block may hold only `#id` (letters and digits of any \
     script, `-`, `_`) and `.class` (ASCII letters, digits, `-`, `_`), such as `{#purpose .note}`";

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

/// Renders `body` into blocks. What cannot be published (see
/// [`RenderedBody::errors`]) is reported, and the HTML made safe regardless.
pub fn render(body: &str, options: &MarkdownOptions<'_>) -> RenderedBody {
    let mut out = RenderedBody::default();
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(body, parser_options()).into_offset_iter().collect();
    let mut events = limit_nesting(events, &mut out.errors);
    if options.raw_html {
        limit_raw_html_nesting(&mut events, &mut out.errors);
    }
    undefined_footnotes(body, &events, &mut out.errors);
    duplicate_footnotes(&events, &mut out.errors);
    let events = join_cjk_soft_breaks(events);

    // Explicit ids are never renamed: a text slug steps aside for them.
    let explicit: HashSet<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) if is_valid_id(id) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut seen_explicit: HashSet<String> = HashSet::new();
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
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let text = plain_text(&block[1..block.len().saturating_sub(1)]);
                let has_block = id.is_some() || !classes.is_empty() || !attrs.is_empty();
                let at = if has_block {
                    attribute_block_offset(body, &block[0].1)
                } else {
                    offset
                };
                for message in attribute_problems(id.as_deref(), classes, attrs) {
                    out.errors.push(BodyError {
                        offset: at,
                        message,
                        help: ATTRIBUTE_HELP.to_string(),
                    });
                }
                let id = match id.as_deref().filter(|id| is_valid_id(id)) {
                    Some(id) if !seen_explicit.insert(id.to_string()) => {
                        out.errors.push(BodyError {
                            offset: at,
                            message: format!("heading id `{id}` is used twice in this brief"),
                            help: format!(
                                "an earlier heading already has `{{#{id}}}`; give each heading its own id, \
                                 so that a link to `#{id}` has one place to go"
                            ),
                        });
                        unique_id(id, &mut used_ids, &explicit)
                    }
                    Some(id) => {
                        used_ids.insert(id.to_string());
                        id.to_string()
                    }
                    None => unique_id(&slugify(&text), &mut used_ids, &explicit),
                };
                out.heading_ids.push((id.clone(), offset));
                let mut events: Vec<Event<'_>> = block.iter().map(|(e, _)| e.clone()).collect();
                if let Event::Start(Tag::Heading {
                    id: slot,
                    classes,
                    attrs,
                    ..
                }) = &mut events[0]
                {
                    *slot = Some(CowStr::from(id.clone()));
                    classes.retain(|c| is_valid_class(c));
                    attrs.clear();
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
            Event::Start(Tag::List(Some(start))) if *start == u64::from(out.paragraphs) + 1 => {
                // Paragraphs typed with their numbers, as pasted from the paper: `1. This
                // paper…`, `2. …`. Each item is the brief's numbered paragraph.
                numbered_items(body, block, options.raw_html, &mut footnote_numbers, &mut out);
            }
            Event::Start(Tag::List(Some(start))) if *start != 1 => {
                let expected = out.paragraphs + 1;
                out.errors.push(BodyError {
                    offset,
                    message: format!(
                        "a list numbered from {start} stands where paragraph {expected} comes: legbrief numbers \
                         the brief's paragraphs itself, 1, 2, 3… in order"
                    ),
                    help: format!(
                        "write the paragraphs without their typed numbers (`This paper…`, not `{start}. This paper…`); \
                         numbers typed 1, 2, 3… from the first paragraph are read as the paragraphs; \
                         a list inside a paragraph starts at 1"
                    ),
                });
                let html = to_html(block, options.raw_html, &mut footnote_numbers);
                out.blocks.push(Block {
                    kind: BlockKind::Other,
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

type Events<'a> = [(Event<'a>, std::ops::Range<usize>)];

/// The top-level children of `events`: each block element (start to end), and each run
/// of inline events (the text of a tight list's item) as one.
fn children(events: &Events<'_>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let start = i;
        match &events[i].0 {
            Event::Start(tag) if is_container_start(tag) => {
                let mut depth = 0usize;
                loop {
                    match &events[i].0 {
                        Event::Start(tag) if is_container_start(tag) => depth += 1,
                        Event::End(end)
                            if !matches!(
                                end,
                                TagEnd::Emphasis
                                    | TagEnd::Strong
                                    | TagEnd::Strikethrough
                                    | TagEnd::Link
                                    | TagEnd::Image
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
            }
            _ => {
                while i < events.len() && !matches!(&events[i].0, Event::Start(tag) if is_container_start(tag)) {
                    i += 1;
                }
            }
        }
        out.push(start..i);
    }
    out
}

/// The number typed before an ordered list item at `offset` (`12.` or `12)`).
fn typed_number(body: &str, offset: usize) -> Option<u64> {
    let rest = body.get(offset..)?.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest.get(..digits)?.parse().ok()
}

/// A top-level ordered list whose numbers continue the body's paragraphs: each item
/// becomes the next numbered paragraph (its first paragraph or text), and what else
/// the item holds (a list, a table, a quote) follows it unnumbered. A number typed out
/// of order is an error at it: the citation `#p-n` must be the paper's paragraph n.
fn numbered_items(
    body: &str,
    list: &Events<'_>,
    raw_html: bool,
    footnotes: &mut HashMap<String, usize>,
    out: &mut RenderedBody,
) {
    let inner = &list[1..list.len().saturating_sub(1)];
    for item in children(inner) {
        let item = &inner[item];
        let item_at = item[0].1.start;
        let content = &item[1..item.len().saturating_sub(1)];
        let parts = children(content);
        let mut rest = parts.as_slice();
        let text: &Events<'_> = match parts.first() {
            Some(first) if matches!(content[first.start].0, Event::Start(Tag::Paragraph)) => {
                rest = &parts[1..];
                &content[first.start + 1..first.end.saturating_sub(1)]
            }
            Some(first) if !matches!(content[first.start].0, Event::Start(_)) => {
                rest = &parts[1..];
                &content[first.clone()]
            }
            _ => &[],
        };
        out.paragraphs += 1;
        let n = out.paragraphs;
        if let Some(typed) = typed_number(body, item_at)
            && typed != u64::from(n)
        {
            out.errors.push(BodyError {
                offset: item_at,
                message: format!(
                    "paragraph typed as `{typed}.` is paragraph {n} of the brief: legbrief numbers the \
                     brief's paragraphs itself, 1, 2, 3… in order"
                ),
                help: format!(
                    "type the numbers as they run ({n}. here), or write the paragraphs without them \
                     (`This paper…`, not `{typed}. This paper…`); a citation of para. {n} must be \
                     the paper's paragraph {n}"
                ),
            });
        }
        if n == 1 {
            out.first_paragraph_text = plain_text(text);
        }
        let html = to_html(text, raw_html, footnotes);
        out.blocks.push(Block {
            kind: BlockKind::Paragraph(n),
            html,
        });
        for part in rest {
            let html = to_html(&content[part.clone()], raw_html, footnotes);
            out.blocks.push(Block {
                kind: BlockKind::Other,
                html,
            });
        }
    }
}

/// `wanted`, or `wanted-1`, `wanted-2`…: the first not used yet and not an
/// explicit `{#id}` of the body (those keep their id even when they come later).
fn unique_id(wanted: &str, used: &mut HashSet<String>, explicit: &HashSet<String>) -> String {
    let mut id = wanted.to_string();
    let mut n = 1;
    while explicit.contains(&id) || !used.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    id
}

/// An explicit heading id: letters and digits of any script (a slug of a Chinese
/// heading is Chinese), `-` and `_`. Nothing that needs escaping in HTML or in a
/// URL fragment.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A heading class: ASCII letters, digits, `-` and `_`, as the theme's CSS names.
pub fn is_valid_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What is wrong with a heading's attribute block: one message per bad part.
/// Only `#id` and `.class` are Markdown here; any other attribute (`onclick=…`,
/// `style=…`) would reach the page as HTML, whether or not raw HTML is allowed.
fn attribute_problems(
    id: Option<&str>,
    classes: &[CowStr<'_>],
    attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(id) = id.filter(|id| !is_valid_id(id)) {
        problems.push(if id.is_empty() {
            "heading id `#` is empty".to_string()
        } else {
            format!("heading id `#{id}` has a character other than a letter, a digit, `-` or `_`")
        });
    }
    for class in classes.iter().filter(|c| !is_valid_class(c)) {
        problems.push(if class.is_empty() {
            "heading class `.` is empty".to_string()
        } else {
            format!("heading class `.{class}` has a character other than an ASCII letter, a digit, `-` or `_`")
        });
    }
    for (name, _) in attrs {
        problems.push(format!("heading attribute `{name}` is not allowed"));
    }
    problems
}

/// The offset of a heading's `{…}` attribute block: the last `{` of the last
/// line of the heading's text that ends in `}` (ATX closing `#`s aside). The
/// heading's start when none is found.
fn attribute_block_offset(body: &str, range: &std::ops::Range<usize>) -> usize {
    let Some(text) = body.get(range.clone()) else {
        return range.start;
    };
    let mut found = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end().trim_end_matches('#').trim_end();
        if trimmed.ends_with('}')
            && let Some(brace) = trimmed.rfind('{')
        {
            found = Some(range.start + line_start + brace);
        }
        line_start += line.len();
    }
    found.unwrap_or(range.start)
}

/// Whether a tag nests as a block container (and counts toward
/// [`MAX_BLOCK_NESTING`]), as an inline one ([`MAX_INLINE_NESTING`]), or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Block,
    /// A list item: kept or dropped with its list, and not counted itself.
    Item,
    Inline,
    None,
}

fn nesting_of(tag: &Tag<'_>) -> Nesting {
    match tag {
        Tag::BlockQuote(_) | Tag::List(_) => Nesting::Block,
        Tag::Item => Nesting::Item,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } => Nesting::Inline,
        _ => Nesting::None,
    }
}

/// Drops the tags nested deeper than the limits, keeping their content, and
/// reports the first place each limit is passed. One pass with a stack on the
/// heap: the HTML made from the events is never deeper than the limits, so no
/// later stage (the writer, the minifier, which recurse per element) can overflow.
fn limit_nesting<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    errors: &mut Vec<BodyError>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    // For each open tag: its kind and whether it was kept.
    let mut open: Vec<(Nesting, bool)> = Vec::new();
    let (mut blocks, mut inlines) = (0usize, 0usize);
    let (mut block_reported, mut inline_reported) = (false, false);
    let mut out = Vec::with_capacity(events.len());
    for (event, range) in events {
        match &event {
            Event::Start(tag) => {
                let kind = nesting_of(tag);
                let keep = match kind {
                    Nesting::Block if blocks >= MAX_BLOCK_NESTING => {
                        if !block_reported {
                            block_reported = true;
                            errors.push(BodyError {
                                offset: range.start,
                                message: format!(
                                    "block quotes and lists are nested more than {MAX_BLOCK_NESTING} levels deep"
                                ),
                                help: format!(
                                    "at most {MAX_BLOCK_NESTING} levels of block quotes and lists may nest, \
                                     one inside another"
                                ),
                            });
                        }
                        false
                    }
                    Nesting::Inline if inlines >= MAX_INLINE_NESTING => {
                        if !inline_reported {
                            inline_reported = true;
                            errors.push(BodyError {
                                offset: range.start,
                                message: format!(
                                    "emphasis, links and strikethrough are nested more than \
                                     {MAX_INLINE_NESTING} levels deep"
                                ),
                                help: format!(
                                    "at most {MAX_INLINE_NESTING} levels of `*`, `_`, `~~` and links may nest, \
                                     one inside another"
                                ),
                            });
                        }
                        false
                    }
                    Nesting::Item => open
                        .iter()
                        .rev()
                        .find(|(k, _)| *k == Nesting::Block)
                        .is_none_or(|(_, kept)| *kept),
                    _ => true,
                };
                if keep {
                    match kind {
                        Nesting::Block => blocks += 1,
                        Nesting::Inline => inlines += 1,
                        _ => {}
                    }
                }
                open.push((kind, keep));
                if keep {
                    out.push((event, range));
                }
            }
            Event::End(_) => {
                let (kind, keep) = open.pop().unwrap_or((Nesting::None, true));
                if keep {
                    match kind {
                        Nesting::Block => blocks -= 1,
                        Nesting::Inline => inlines -= 1,
                        _ => {}
                    }
                    out.push((event, range));
                }
            }
            _ => out.push((event, range)),
        }
    }
    out
}

/// Elements whose end tag may be left out: they do not nest when it is.
const OPTIONAL_END: [&str; 18] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption",
    "rb", "rt", "rtc", "rp",
];
const VOID: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// With raw HTML allowed, its elements nest too: past [`MAX_BLOCK_NESTING`] open
/// elements (counted over the body's HTML in order; void elements, those whose end
/// tag may be left out, and `<…/>` not counted), the error is reported and that
/// HTML and all after it is shown as text, so the page stays shallow.
fn limit_raw_html_nesting(events: &mut [(Event<'_>, std::ops::Range<usize>)], errors: &mut Vec<BodyError>) {
    let mut depth = 0usize;
    let mut exceeded = false;
    for (event, range) in events.iter_mut() {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        if !exceeded && raw_html_exceeds(html, &mut depth) {
            exceeded = true;
            errors.push(BodyError {
                offset: range.start,
                message: format!("raw HTML elements are nested more than {MAX_BLOCK_NESTING} levels deep"),
                help: format!("at most {MAX_BLOCK_NESTING} HTML elements may nest, one inside another"),
            });
        }
        if exceeded {
            *event = Event::Text(html.clone());
        }
    }
}

/// Follows the open elements of `html` from `depth`; true once past the limit.
fn raw_html_exceeds(html: &str, depth: &mut usize) -> bool {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let at = i + p + 1;
        i = at;
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = if closing { at + 1 } else { at };
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| name_start + n);
        if name_end == name_start || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) {
            continue;
        }
        if closing {
            *depth = depth.saturating_sub(1);
            continue;
        }
        let self_closing = html[name_end..]
            .find('>')
            .is_some_and(|end| html[..name_end + end].ends_with('/'));
        if !self_closing {
            *depth += 1;
            if *depth > MAX_BLOCK_NESTING {
                return true;
            }
        }
    }
    false
}

/// Reports each `[^label]` left as text: a footnote reference whose note is not
/// defined (pulldown-cmark makes a reference only of a defined label). Text in
/// code is not looked at, nor `\[^label]`, which asks for the brackets as text.
fn undefined_footnotes(body: &str, events: &[(Event<'_>, std::ops::Range<usize>)], errors: &mut Vec<BodyError>) {
    let mut reported: HashSet<&str> = HashSet::new();
    let mut in_code = 0usize;
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(_) if in_code == 0 => {
                // A run of text events: the source between them is all text.
                let start = events[i].1.start;
                let mut end = events[i].1.end;
                while let Some((Event::Text(_), range)) = events.get(i + 1) {
                    end = end.max(range.end);
                    i += 1;
                }
                let Some(text) = body.get(start..end) else {
                    i += 1;
                    continue;
                };
                let mut from = 0;
                while let Some(p) = text[from..].find("[^") {
                    let at = from + p;
                    let rest = &text[at + 2..];
                    from = at + 2;
                    let Some(close) = rest.find([']', '[', '\n']) else {
                        continue;
                    };
                    if !rest[close..].starts_with(']') {
                        continue;
                    }
                    let label = &rest[..close];
                    from += close + 1;
                    let escaped = start + at > 0 && body.as_bytes()[start + at - 1] == b'\\';
                    if label.trim().is_empty() || escaped || !reported.insert(label) {
                        continue;
                    }
                    errors.push(BodyError {
                        offset: start + at,
                        message: format!("footnote `[^{label}]` is not defined"),
                        help: format!(
                            "add the note on a line of its own, `[^{label}]: …`, or write `\\[^{label}]` \
                             to show the brackets as text"
                        ),
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Reports a footnote defined a second time (`[^1]: First.` then `[^1]: Second.`):
/// only one of the two could be shown, and which one the drafter meant is unknown.
fn duplicate_footnotes(events: &[(Event<'_>, std::ops::Range<usize>)], errors: &mut Vec<BodyError>) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (event, range) in events {
        let Event::Start(Tag::FootnoteDefinition(label)) = event else {
            continue;
        };
        let label: &str = label.as_ref();
        if !seen.insert(label) {
            errors.push(BodyError {
                offset: range.start,
                message: format!("footnote `[^{label}]` is defined a second time here: only one note can be shown"),
                help: format!("keep one `[^{label}]: …` definition, or give this note a label of its own"),
            });
        }
    }
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

    fn numbered(out: &RenderedBody) -> Vec<(u32, String)> {
        out.blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Paragraph(n) => Some((n, b.html.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn paragraphs_typed_with_their_numbers_are_the_numbered_paragraphs() {
        // As pasted from the paper: loose (blank lines) or tight, across headings.
        for body in [
            "1. This paper summarizes.\n\n2. The *Fare* Adjustment.\n\n### Background\n\n3. In 2025.\n",
            "1. This paper summarizes.\n2. The *Fare* Adjustment.\n\n### Background\n\n3. In 2025.\n",
            "This paper summarizes.\n\n2. The *Fare* Adjustment.\n\n### Background\n\n3. In 2025.\n",
        ] {
            let out = render_plain(body);
            assert!(out.errors.is_empty(), "{body}: {:?}", out.errors);
            assert_eq!(out.paragraphs, 3, "{body}");
            let paragraphs = numbered(&out);
            assert_eq!(
                paragraphs[1],
                (2, "The <em>Fare</em> Adjustment.".to_string()),
                "{body}"
            );
            assert_eq!(paragraphs[2].0, 3);
            assert_eq!(out.first_paragraph_text, "This paper summarizes.");
            assert!(out.blocks.iter().all(|b| !b.html.contains("<ol")), "{body}");
        }
    }

    #[test]
    fn a_numbered_paragraph_keeps_its_sub_list_unnumbered() {
        let out = render_plain("1. The measures are:\n\n   - one\n   - two\n\n2. Next.\n");
        assert_eq!(out.paragraphs, 2);
        assert_eq!(out.blocks.len(), 3);
        assert_eq!(out.blocks[1].kind, BlockKind::Other);
        assert!(out.blocks[1].html.starts_with("<ul>"), "{}", out.blocks[1].html);
    }

    #[test]
    fn a_list_inside_the_text_stays_a_list() {
        let out = render_plain("The Government proposed:\n\n1. a fare cap;\n2. a review.\n\nNext.\n");
        assert!(out.errors.is_empty());
        assert_eq!(out.paragraphs, 2);
        assert!(out.blocks[1].html.starts_with("<ol>"));
    }

    #[test]
    fn typed_numbers_out_of_step_are_errors_at_them() {
        let body = "1. One.\n\n2. Two.\n\n4. Four.\n";
        let out = render_plain(body);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert_eq!(out.errors[0].offset, body.find("4.").unwrap());
        assert!(
            out.errors[0]
                .message
                .starts_with("paragraph typed as `4.` is paragraph 3")
        );
        let body = "One.\n\nTwo.\n\n5. Five.\n";
        let out = render_plain(body);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert_eq!(out.errors[0].offset, body.find("5.").unwrap());
        assert!(out.errors[0].message.contains("numbers the brief's paragraphs itself"));
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

    fn messages(out: &RenderedBody) -> Vec<(usize, &str)> {
        out.errors.iter().map(|e| (e.offset, e.message.as_str())).collect()
    }

    #[test]
    fn ids_and_classes_of_a_safe_character_set_are_valid() {
        for id in ["purpose", "smart-mobility", "p_2", "目的", "A1"] {
            assert!(is_valid_id(id), "{id}");
        }
        for id in ["", "a b", "a\"b", "x>y", "a#b", "a.b", "a/b", "a'b"] {
            assert!(!is_valid_id(id), "{id}");
        }
        assert!(is_valid_class("note-2_x"));
        for class in ["", "\"a", "a;b", "目的", "a=b"] {
            assert!(!is_valid_class(class), "{class}");
        }
    }

    #[test]
    fn attribute_problems_name_each_bad_part() {
        let attrs = vec![
            (CowStr::from("onclick"), Some(CowStr::from("alert(1)"))),
            (CowStr::from("hidden"), None),
        ];
        let classes = vec![CowStr::from("ok"), CowStr::from("\"a")];
        let problems = attribute_problems(Some("x y"), &classes, &attrs);
        assert_eq!(
            problems,
            [
                "heading id `#x y` has a character other than a letter, a digit, `-` or `_`",
                "heading class `.\"a` has a character other than an ASCII letter, a digit, `-` or `_`",
                "heading attribute `onclick` is not allowed",
                "heading attribute `hidden` is not allowed",
            ]
        );
        assert!(attribute_problems(Some("ok"), &[CowStr::from("a")], &[]).is_empty());
    }

    #[test]
    fn attribute_block_offset_is_its_brace() {
        let body = "Intro.\n\n## X {#x onclick=a}\n";
        assert_eq!(attribute_block_offset(body, &(8..body.len())), 13);
        let setext = "Title {#t}\n===\n";
        assert_eq!(attribute_block_offset(setext, &(0..setext.len())), 6);
        let closed = "## T {#t} ##\n";
        assert_eq!(attribute_block_offset(closed, &(0..closed.len())), 5);
        assert_eq!(attribute_block_offset("## T\n", &(0..5)), 0);
    }

    #[test]
    fn event_handlers_in_heading_attributes_are_errors_and_dropped() {
        for raw_html in [false, true] {
            let body = "## X {#x onmouseover=alert(1) style=position:fixed;inset:0}\n\n## D {#d class=\"a onclick=alert(1)\"}\n";
            let out = render(body, &MarkdownOptions { raw_html, topics: &[] });
            let html: String = out.blocks.iter().map(|b| b.html.as_str()).collect();
            assert!(!html.contains("onmouseover"), "{html}");
            assert!(!html.contains("onclick"), "{html}");
            assert!(!html.contains("style"), "{html}");
            assert!(html.contains("<h2 id=\"x\">"), "{html}");
            let found = messages(&out);
            assert!(
                found.contains(&(5, "heading attribute `onmouseover` is not allowed")),
                "{found:?}"
            );
            assert!(
                found.contains(&(5, "heading attribute `style` is not allowed")),
                "{found:?}"
            );
            assert!(
                found.iter().any(|(at, m)| *at == 66 && m.contains("`onclick`")),
                "{found:?}"
            );
        }
    }

    #[test]
    fn an_id_and_classes_render() {
        let out = render_plain("## Purpose {#purpose .note .wide}\n");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(
            out.blocks[0].html,
            "<h2 id=\"purpose\" class=\"note wide\">Purpose</h2>\n"
        );
    }

    fn max_depth(out: &RenderedBody) -> usize {
        let html: String = out.blocks.iter().map(|b| b.html.as_str()).collect();
        let (mut depth, mut max) = (0usize, 0usize);
        let mut rest = html.as_str();
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            if rest.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !rest.starts_with("br") && !rest.starts_with("hr") && !rest.starts_with("img") {
                depth += 1;
                max = max.max(depth);
            }
        }
        max
    }

    #[test]
    fn deep_block_quotes_are_an_error_and_flattened() {
        let body = format!("{} deep\n", ">".repeat(3000));
        let out = render_plain(&body);
        assert_eq!(
            messages(&out),
            [(100, "block quotes and lists are nested more than 100 levels deep")]
        );
        assert!(max_depth(&out) <= MAX_BLOCK_NESTING + 1, "{}", max_depth(&out));
        assert!(out.blocks[0].html.contains("deep"));
    }

    #[test]
    fn deep_lists_are_an_error_and_flattened() {
        let body: String = (0..500)
            .map(|level| format!("{}- item {level}\n", "  ".repeat(level)))
            .collect();
        let out = render_plain(&body);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        let (line, column) = crate::diagnostics::line_col(&body, out.errors[0].offset);
        assert_eq!((line, column), (101, 201));
        // A list and its item per level.
        assert!(max_depth(&out) <= 2 * MAX_BLOCK_NESTING, "{}", max_depth(&out));
        assert!(out.blocks[0].html.contains("item 499"));
    }

    #[test]
    fn nesting_at_the_limits_is_allowed() {
        let quotes = format!("{} a\n", ">".repeat(MAX_BLOCK_NESTING));
        assert!(render_plain(&quotes).errors.is_empty());
        let mut emphasis = String::new();
        for n in 0..MAX_INLINE_NESTING {
            emphasis.push_str(if n % 2 == 0 { "*a " } else { "_a " });
        }
        emphasis.push('x');
        for n in (0..MAX_INLINE_NESTING).rev() {
            emphasis.push_str(if n % 2 == 0 { " a*" } else { " a_" });
        }
        let out = render_plain(&emphasis);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(max_depth(&out), MAX_INLINE_NESTING);
        emphasis.insert_str(0, "*a ");
        emphasis.push_str(" a*");
        let out = render_plain(&emphasis);
        assert_eq!(
            messages(&out),
            [(
                300,
                "emphasis, links and strikethrough are nested more than 100 levels deep"
            )]
        );
    }

    #[test]
    fn many_delimiters_are_fast_and_shallow() {
        let stars = "*".repeat(20_000);
        let body = format!(
            "{stars}x{stars}\n\n{}\n\n{}\n",
            "[".repeat(100_000),
            "[a](".repeat(20_000)
        );
        let started = std::time::Instant::now();
        let out = render_plain(&body);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        assert!(max_depth(&out) <= MAX_INLINE_NESTING + 1);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    }

    #[test]
    fn deep_raw_html_is_an_error_and_shown_as_text() {
        let raw = |body: &str| {
            render(
                body,
                &MarkdownOptions {
                    raw_html: true,
                    topics: &[],
                },
            )
        };
        let ok = format!(
            "{}x{}<ul><li>a<li>b</ul><br><img src=a.png/><p>",
            "<div>".repeat(100),
            "</div>".repeat(100)
        );
        assert!(raw(&ok).errors.is_empty(), "{:?}", raw(&ok).errors);
        let deep = format!("Text.\n\n{}x\n\nMore <span>t</span>.\n", "<div>".repeat(3000));
        let out = raw(&deep);
        assert_eq!(
            messages(&out),
            [(7, "raw HTML elements are nested more than 100 levels deep")]
        );
        let html: String = out.blocks.iter().map(|b| b.html.as_str()).collect();
        assert!(!html.contains("<div>"), "{html}");
        assert!(html.contains("&lt;span&gt;"), "{html}");
        assert!(render_plain(&deep).errors.is_empty());
    }

    #[test]
    fn undefined_footnotes_are_errors_once_each() {
        let body =
            "A[^gone] B[^gone] C[^ok].\n\n`[^code]` \\[^escaped] [^] [^a\nb]\n\n```\n[^block]\n```\n\n[^ok]: Note.\n";
        let out = render_plain(body);
        assert_eq!(messages(&out), [(1, "footnote `[^gone]` is not defined")]);
        assert!(out.errors[0].help.contains("`\\[^gone]`"));
    }

    #[test]
    fn a_footnote_defined_twice_is_an_error_at_the_second() {
        let out = render_plain("A[^1].\n\n[^1]: First.\n\n[^1]: Second.\n");
        assert_eq!(
            messages(&out),
            [(
                22,
                "footnote `[^1]` is defined a second time here: only one note can be shown"
            )]
        );
    }

    #[test]
    fn a_duplicate_explicit_id_is_an_error_and_still_unique() {
        let out = render_plain("## A {#purpose}\n\n## B {#purpose}\n");
        assert_eq!(
            messages(&out),
            [(22, "heading id `purpose` is used twice in this brief")]
        );
        let ids: Vec<_> = out.heading_ids().collect();
        assert_eq!(ids, ["purpose", "purpose-1"]);
    }

    #[test]
    fn explicit_ids_are_never_renamed_for_a_slug() {
        let out = render_plain("## Purpose\n\n## Aim {#purpose}\n\n## Purpose\n");
        assert!(out.errors.is_empty());
        let ids: Vec<_> = out.heading_ids().collect();
        assert_eq!(ids, ["purpose-1", "purpose", "purpose-2"]);
    }

    #[test]
    fn duplicate_heading_ids_are_made_unique() {
        let out = render_plain("## A\n\n## A\n");
        let ids: Vec<_> = out.heading_ids().collect();
        assert_eq!(ids, ["a", "a-1"]);
    }
}
