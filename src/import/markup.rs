//! The Markdown-like markup of extracted text: headings, emphasis, links and how text broken
//! across lines or pages is joined again (with or without a space, as the script needs).
//!
//! All scanning advances by whole characters or by ASCII delimiters found with `str::find`,
//! so no slice can split a UTF-8 character.

/// Whether `c` is a CJK ideograph (used to tell Chinese text from English).
pub(super) fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Whether `c` is CJK text or CJK/full-width punctuation: Chinese is written without spaces,
/// so a line or page break next to such a character must be joined with nothing.
pub(super) fn is_cjk(c: char) -> bool {
    is_ideograph(c) || matches!(c as u32, 0x2E80..=0x303F | 0x3040..=0x33FF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// The text of a Markdown ATX heading (`## **Purpose**` -> `**Purpose**`), if `t` is one.
pub(super) fn heading(t: &str) -> Option<&str> {
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    // '#' is ASCII, so `hashes` bytes is a character boundary.
    let rest = t.get(hashes..)?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim())
}

/// The inside of a line that is one bold run (`**Meeting on 12 May 2025**`): the extraction
/// prints headings and header lines that way.
pub(super) fn bold_inner(t: &str) -> Option<&str> {
    let inner = t.strip_prefix("**")?.strip_suffix("**")?.trim();
    (!inner.is_empty() && !inner.contains("**")).then_some(inner)
}

/// Text without the `**` marks of bold runs, and nothing else changed: the laid-out text of
/// a PDF ([`super::pdf`]) marks them in every line, and only paragraphs keep them.
pub(super) fn unbold(s: &str) -> String {
    s.replace("**", "")
}

/// Text without emphasis markers and `<b>` tags, whitespace collapsed: for matching printed
/// text against names and keywords, and for front matter strings.
pub(super) fn plain(s: &str) -> String {
    let mut s = strip_tags(s);
    if s.contains('*') {
        s = s.replace("\\*", "").replace('*', "");
    }
    collapse_ws(&s)
}

/// Text without the emphasis tags the extraction leaves in table cells (`<b>…</b>`), but
/// with `*` kept (it marks a date in the appendix).
pub(super) fn strip_tags(s: &str) -> String {
    let mut s = s.to_string();
    if !s.contains('<') {
        return s;
    }
    for tag in ["<b>", "</b>", "<strong>", "</strong>", "<i>", "</i>", "<em>", "</em>"] {
        s = s.replace(tag, " ");
    }
    s
}

/// A key for comparing names: plain, lower case, typographic apostrophes as ASCII, so
/// "Member’s motion" and "Member's motion" are the same name.
pub(super) fn norm(s: &str) -> String {
    plain(s).replace(['\u{2019}', '\u{2018}'], "'").to_lowercase()
}

/// Collapses runs of whitespace to one space and trims.
pub(super) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` without an ASCII prefix, compared case-insensitively.
pub(super) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// Joins a fragment to the text before it: the continuation of a wrapped line or of a
/// paragraph split by a page break. A bold run split by the break (`**…management**` +
/// `**efficiency…**`) becomes one run, and text next to Chinese gets no space.
pub(super) fn join_fragment(prev: &mut String, next: &str) {
    let mut next = next.trim();
    let trimmed_len = prev.trim_end().len();
    prev.truncate(trimmed_len);
    // (Counting the marks costs the paragraph's length; no real paragraph is 64 KB long.)
    if prev.ends_with("**")
        && prev.len() < 65536
        && prev.matches("**").count().is_multiple_of(2)
        && let Some(rest) = next.strip_prefix("**")
    {
        prev.truncate(prev.len() - 2);
        next = rest;
    }
    if next.is_empty() {
        return;
    }
    let before = prev.chars().last();
    let after = next.chars().next();
    // A compound broken at its hyphen at the end of a line ("charging-" / "enabling").
    let hyphen = before == Some('-')
        && prev.chars().rev().nth(1).is_some_and(char::is_alphabetic)
        && after.is_some_and(char::is_alphabetic);
    let tight = before.is_some_and(is_cjk) || after.is_some_and(is_cjk) || hyphen;
    if !prev.is_empty() && !tight {
        prev.push(' ');
    }
    prev.push_str(next);
}

/// Joins lines of a block the way [`join_fragment`] joins fragments, but with `sep` between
/// non-Chinese parts (", " for the issuer lines, " " for wrapped titles).
pub(super) fn join_lines(parts: &[String], sep: &str) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let tight = out.chars().last().is_some_and(is_cjk) && part.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !tight {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// A link as printed: Markdown `[text](href)` or HTML `<a href="…">text</a>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    pub text: String,
    pub href: String,
}

impl Link {
    /// Whether the target was lost in extraction (`#` or nothing): such a link must become
    /// plain text, not a dead link.
    pub fn is_dead(&self) -> bool {
        let h = self.href.trim();
        h.is_empty() || h == "#"
    }
}

/// A link at the start of `rest`, with the number of bytes it spans.
pub(super) fn link_at(rest: &str) -> Option<(Link, usize)> {
    if rest.starts_with('[') {
        markdown_link(rest)
    } else if rest.starts_with("<a ") || rest.starts_with("<a>") {
        html_link(rest)
    } else {
        None
    }
}

/// `[text](href)`; `None` for brackets that are not a link (nested brackets, spaces in the
/// target), which then stay as printed.
fn markdown_link(rest: &str) -> Option<(Link, usize)> {
    // The text holds no bracket and the target no space: each is looked for only up to
    // where it must end, so a line of brackets costs its length, not its square.
    let close = 1 + rest.get(1..)?.find(['[', ']'])?;
    if !rest.get(close..)?.starts_with("](") {
        return None;
    }
    let text = rest.get(1..close)?;
    let after = rest.get(close + 2..)?;
    let end = after.find(|c: char| c == ')' || c.is_whitespace())?;
    if !after.get(end..)?.starts_with(')') {
        return None;
    }
    let href = after.get(..end)?;
    let link = Link {
        text: text.to_string(),
        href: href.to_string(),
    };
    Some((link, close + 2 + end + 1))
}

/// `<a href="…">text</a>` (any attribute order, either quote).
fn html_link(rest: &str) -> Option<(Link, usize)> {
    // A tag and its text are short: look no further than a few KB (see markdown_link).
    let mut window = rest.len().min(8192);
    while !rest.is_char_boundary(window) {
        window -= 1;
    }
    let near = rest.get(..window)?;
    let gt = 1 + near.get(1..)?.find(['>', '<'])?;
    if !near.get(gt..)?.starts_with('>') {
        return None;
    }
    let attrs = rest.get(2..gt)?;
    let after = near.get(gt + 1..)?;
    let end = after.find("</a>")?;
    let text = after.get(..end)?;
    let link = Link {
        text: plain(text),
        href: attr_value(attrs, "href").unwrap_or_default(),
    };
    Some((link, gt + 1 + end + 4))
}

/// The value of `name="…"` or `name='…'` in an HTML tag's attributes.
fn attr_value(attrs: &str, name: &str) -> Option<String> {
    let at = attrs.find(&format!("{name}="))?;
    let value = attrs.get(at + name.len() + 1..)?;
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = value.get(1..)?;
    let end = value.find(quote)?;
    value.get(..end).map(str::to_string)
}

/// Whether a link text names the brief's appendix ("Appendix", "附錄"): that one link keeps
/// its meaning in the source, pointing at the appendix table.
pub(super) fn is_appendix_label(text: &str) -> bool {
    let t = norm(text);
    t == "appendix" || t.starts_with("appendix ") || t == "附錄" || t.starts_with("附錄 ")
}

/// Inline markup of a body paragraph or heading for the source: dead links become plain
/// text (the appendix link becomes `[Appendix](#appendix)`), live links stay, `<b>` becomes
/// `**`.
pub(super) fn body_inline(s: &str) -> String {
    const BOLD_TAGS: [&str; 4] = ["<b>", "</b>", "<strong>", "</strong>"];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // Only '[' and '<' can start markup; copy the text between them in one go.
    while let Some(at) = rest.find(['[', '<']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let used = if let Some((link, used)) = link_at(from) {
            out.push_str(&render_link(&link));
            used
        } else if let Some(tag) = BOLD_TAGS.iter().find(|t| from.starts_with(**t)) {
            out.push_str("**");
            tag.len()
        } else {
            // '[' and '<' are one byte long.
            out.push_str(from.get(..1).unwrap_or_default());
            1
        };
        rest = from.get(used..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A link as it goes into the body source.
fn render_link(link: &Link) -> String {
    let text = link.text.trim();
    if is_appendix_label(text) && (link.is_dead() || link.href.starts_with('#')) {
        format!("[{text}](#appendix)")
    } else if link.is_dead() {
        text.to_string()
    } else {
        format!("[{text}]({})", link.href.trim())
    }
}

/// Escapes a paragraph start that Markdown would read as a block marker (heading, quote,
/// list item, numbered list), so the paragraph stays a paragraph and keeps its number.
pub(super) fn escape_block_start(line: &str) -> String {
    let first = line.chars().next();
    match first {
        Some('#' | '>' | '=' | '|') => return format!("\\{line}"),
        Some('-' | '+' | '*') if line.chars().nth(1).is_none_or(char::is_whitespace) => {
            return format!("\\{line}");
        }
        _ => {}
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        // Digits are ASCII, so `digits` bytes is a character boundary.
        let (num, rest) = line.split_at(digits);
        for mark in ['.', ')'] {
            if let Some(after) = rest.strip_prefix(mark)
                && after.chars().next().is_none_or(char::is_whitespace)
            {
                return format!("{num}\\{mark}{after}");
            }
        }
    }
    line.to_string()
}

/// A page number line ("- 2 -", "2") left by the extraction: carries nothing.
pub(super) fn is_page_marker(t: &str) -> bool {
    let core = t.trim_matches(|c: char| matches!(c, '-' | '–' | '—') || c.is_whitespace());
    (1..=3).contains(&core.len()) && core.chars().all(|c| c.is_ascii_digit())
}

/// The usual section headings of a brief and stable ids for them, the same in both
/// languages, so a heading can be cited across translations as paragraphs are.
const SECTIONS: &[(&str, &[&str])] = &[
    ("purpose", &["purpose", "目的"]),
    ("background", &["background", "背景"]),
    (
        "major-views",
        &[
            "major views and concerns expressed by members",
            "major views and concerns",
            "deliberations of the panel",
            "deliberations of the committee",
            "議員提出的主要意見及關注",
            "議員提出的主要意見及關注事項",
            "主要意見及關注事項",
            "事務委員會的商議工作",
        ],
    ),
    (
        "latest-developments",
        &["latest development", "latest developments", "最新發展", "最新情況"],
    ),
    (
        "council-questions-and-motions",
        &[
            "council questions and motions",
            "council questions",
            "立法會質詢及議案",
            "立法會質詢",
        ],
    ),
    ("relevant-papers", &["relevant papers", "相關文件"]),
];

/// The id of a usual section heading ("Purpose" -> "purpose"), if `text` is one.
pub(super) fn section_id(text: &str) -> Option<&'static str> {
    let t = norm(text);
    SECTIONS
        .iter()
        .find(|(_, names)| names.contains(&t.as_str()))
        .map(|(id, _)| *id)
}
