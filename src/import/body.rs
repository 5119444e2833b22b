//! The body of a printed brief: headings, numbered paragraphs (rejoined across page breaks)
//! and the closing block (issuer and date of issue).
//!
//! The printed paragraph numbers are dropped: the renderer numbers every top-level paragraph
//! in order, so the source must have exactly the printed paragraphs, no more (fragments a
//! page break split off are joined back) and no fewer (paragraph 1, printed without a
//! number, is kept).

use jiff::civil::Date;

use super::markup::{bold_inner, heading, is_cjk, is_page_marker, join_fragment, join_lines, plain, section_id};
use super::{ImportNames, Line, Warnings, appendix, dates, key_for};

/// A block of the Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    Heading {
        level: u8,
        text: String,
        id: Option<String>,
    },
    /// A numbered paragraph; lines after the first are sub-items ("(a) …").
    Paragraph(String),
    /// A bulleted list (not numbered by the renderer).
    List(Vec<String>),
}

/// The closing block: "Council Business Divisions / Legislative Council Secretariat /
/// 7 May 2025".
#[derive(Debug, Clone)]
pub(super) struct Closing {
    pub issuer: Option<String>,
    pub issued: Date,
}

/// The body, and where the appendix starts (index into the lines given).
#[derive(Debug, Clone, Default)]
pub(super) struct Body {
    pub blocks: Vec<Block>,
    pub paragraphs: usize,
    /// Topic keys of the topic headings, in order of appearance.
    pub topics: Vec<String>,
    pub closing: Option<Closing>,
    pub end: usize,
}

/// Reads the body from the first line after the header; it ends at the closing block or at
/// the appendix. With `bold_headings`, a short line that is one bold run is a heading (the
/// Markdown-flavoured extraction prints headings so); plain text has its headings marked
/// `##` by [`super::plain`], and a bold line in it is emphasis.
pub(super) fn parse(lines: &[Line], names: &ImportNames, bold_headings: bool, w: &mut Warnings) -> Body {
    let mut b = Builder {
        names,
        bold_headings,
        body: Body::default(),
    };
    let mut i = 0;
    let mut block_start = true;
    while let Some(line) = lines.get(i) {
        let t = line.trimmed();
        if t.is_empty() || is_page_marker(t) {
            block_start = true;
            i += 1;
            continue;
        }
        if appendix::starts_at(lines, i) {
            break;
        }
        if (block_start || b.after_sentence())
            && let Some((closing, next)) = closing_at(lines, i)
        {
            b.body.closing = Some(closing);
            i = next;
            break;
        }
        b.line(line.no, t, w);
        block_start = matches!(b.body.blocks.last(), Some(Block::Heading { .. }));
        i += 1;
    }
    b.body.end = i;
    b.body
}

/// The closing block starting at `i`, if the block there is one: up to three short issuer
/// lines and a date, alone. Returns it and the index after it.
fn closing_at(lines: &[Line], i: usize) -> Option<(Closing, usize)> {
    let mut parts = Vec::new();
    let mut j = i;
    while let Some(line) = lines.get(j) {
        let t = line.trimmed();
        if t.is_empty() {
            break;
        }
        // A closing line is short (the issuer's lines take at most 60 characters).
        if t.len() > 4 * 60 {
            return None;
        }
        parts.push(plain(t));
        j += 1;
        if parts.len() > 4 {
            return None;
        }
    }
    let (last, issuer) = parts.split_last()?;
    let issued = dates::parse(last)?;
    if !issuer.iter().all(|p| is_issuer_line(p)) {
        return None;
    }
    let issuer: Vec<String> = issuer
        .iter()
        .map(|p| p.trim_end_matches([',', '，', '、']).to_string())
        .collect();
    let issuer = (!issuer.is_empty()).then(|| join_lines(&issuer, ", "));
    Some((Closing { issuer, issued }, j))
}

/// Whether a line can be part of the issuer ("Legislative Council Secretariat"): short, not a
/// sentence, not a heading or numbered paragraph.
fn is_issuer_line(t: &str) -> bool {
    t.chars().count() <= 60 && heading(t).is_none() && numbered(t).is_none() && !t.contains('[') && !ends_sentence(t)
}

/// Whether text ends like a finished sentence or clause (so what follows is not a fragment
/// of it).
fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end().trim_end_matches(['*', '"', '”', '」', ')', '）']);
    t.ends_with(['.', '。', ':', '：', ';', '；', '!', '！', '?', '？'])
}

/// A numbered paragraph: "2. Text" (or "2.\tText", "2．Text") -> (2, "Text").
fn numbered(t: &str) -> Option<(usize, &str)> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    // Digits are ASCII, so `digits` bytes is a character boundary.
    let (num, rest) = t.split_at(digits);
    let rest = rest.strip_prefix(['.', '．'])?;
    if !rest.starts_with(char::is_whitespace) && !rest.starts_with(is_cjk) {
        return None;
    }
    let text = rest.trim();
    let n = num.parse().ok()?;
    (!text.is_empty()).then_some((n, text))
}

/// A sub-item of a paragraph: "(a) …", "(iv) …", "（a）…".
fn is_sub_item(t: &str) -> bool {
    let Some(rest) = t.strip_prefix(['(', '（']) else {
        return false;
    };
    let label = rest.chars().take_while(char::is_ascii_alphanumeric).count();
    let after = rest.chars().nth(label);
    (1..=4).contains(&label) && matches!(after, Some(')' | '）'))
}

/// A bullet list item: "- text", "• text" -> "text".
fn bullet(t: &str) -> Option<&str> {
    ["- ", "• ", "· ", "* ", "•\t", "-\t"]
        .iter()
        .find_map(|b| t.strip_prefix(b))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Builds the body line by line.
struct Builder<'n> {
    names: &'n ImportNames,
    bold_headings: bool,
    body: Body,
}

impl Builder<'_> {
    /// Takes one non-blank body line.
    fn line(&mut self, no: usize, t: &str, w: &mut Warnings) {
        if let Some(h) = heading(t) {
            let (text, bold) = bold_inner(h).map_or((h, false), |inner| (inner, true));
            self.heading(no, text, bold, w);
        } else if let Some(inner) = bold_inner(t).filter(|i| self.bold_line_is_heading(i)) {
            self.heading(no, inner, true, w);
        } else if let Some((n, text)) = numbered(t) {
            self.numbered(no, (n, text), t, w);
        } else if is_sub_item(t) && self.append_sub_item(t) {
            // Kept in its paragraph, on a line of its own.
        } else if let Some(item) = bullet(t) {
            self.bullet(item);
        } else if !self.continue_open(t) {
            if self.body.paragraphs > 0 {
                w.add(
                    no,
                    "unnumbered text not following a paragraph; kept as a paragraph of its own (check the numbering)",
                );
            }
            self.paragraph(t);
        }
    }

    /// Whether the last block is a paragraph that ends a sentence: a closing block may follow
    /// it directly, while text after an unfinished paragraph continues it.
    fn after_sentence(&self) -> bool {
        matches!(self.body.blocks.last(), Some(Block::Paragraph(p)) if ends_sentence(p))
    }

    /// A line that is one bold run is a heading when it is short and does not continue an
    /// unfinished paragraph (where it would be a bold fragment split by a page break).
    fn bold_line_is_heading(&self, inner: &str) -> bool {
        let short = inner.chars().count() <= 80 && !ends_sentence(inner);
        let after_finished = match self.body.blocks.last() {
            Some(Block::Paragraph(p)) => ends_sentence(p),
            _ => true,
        };
        self.bold_headings && short && after_finished
    }

    /// A heading: a topic heading gets the topic's key as id; bold headings are sections
    /// (`##`), plain ones sub-sections (`###`), as the papers print them.
    fn heading(&mut self, no: usize, text: &str, bold: bool, w: &mut Warnings) {
        let text = plain(text);
        let (level, id) = if let Some(key) = key_for(&self.names.topics, &text) {
            if !self.body.topics.iter().any(|k| k == key) {
                self.body.topics.push(key.to_string());
            }
            (3, Some(key.to_string()))
        } else if let Some(id) = section_id(&text) {
            (2, Some(id.to_string()))
        } else if bold {
            (2, None)
        } else {
            w.add(
                no,
                format!("sub-heading \"{text}\" matches no topic of the config; kept without a topic id"),
            );
            (3, None)
        };
        self.body.blocks.push(Block::Heading { level, text, id });
    }

    /// A numbered paragraph. The printed number is checked against the count, since a
    /// mismatch means the source would number paragraphs differently from the print.
    fn numbered(&mut self, no: usize, (n, text): (usize, &str), line: &str, w: &mut Warnings) {
        let expected = self.body.paragraphs + 1;
        if n != expected && n >= 100 && self.continue_open(line) {
            // A figure or year that starts a page-break fragment ("2025. The …"), not a number.
            return;
        }
        if n != expected {
            w.add(
                no,
                format!(
                    "paragraph printed as {n}. is paragraph {expected} of the source (paragraphs are numbered in order)"
                ),
            );
        }
        self.paragraph(text);
    }

    fn paragraph(&mut self, text: &str) {
        self.body.blocks.push(Block::Paragraph(text.trim().to_string()));
        self.body.paragraphs += 1;
    }

    fn bullet(&mut self, item: &str) {
        match self.body.blocks.last_mut() {
            Some(Block::List(items)) => items.push(item.to_string()),
            _ => self.body.blocks.push(Block::List(vec![item.to_string()])),
        }
    }

    /// Appends a sub-item ("(a) …") to the open paragraph with a hard line break, as printed;
    /// `false` when no paragraph is open.
    fn append_sub_item(&mut self, t: &str) -> bool {
        match self.body.blocks.last_mut() {
            Some(Block::Paragraph(p)) => {
                p.push_str("\\\n");
                p.push_str(t);
                true
            }
            _ => false,
        }
    }

    /// Joins unnumbered text to the paragraph or list item before it: a wrapped line or a
    /// fragment split off by a page break. `false` when there is nothing open.
    fn continue_open(&mut self, t: &str) -> bool {
        let open = match self.body.blocks.last_mut() {
            Some(Block::Paragraph(p)) => Some(p),
            Some(Block::List(items)) => items.last_mut(),
            _ => None,
        };
        match open {
            Some(prev) => {
                join_fragment(prev, t);
                true
            }
            None => false,
        }
    }
}
