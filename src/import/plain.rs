//! Plain extracted text: what `pdftotext` prints from a paper, in its default reading order
//! or with `-layout`, with no markup at all.
//!
//! The pages are cleaned first (running page numbers and repeated page headers removed,
//! footnotes taken from the page bottoms), then the header and body lines are given the
//! little markup the Markdown-flavoured reader expects: header lines become bold runs, and
//! headings as printed (short lines between paragraphs) become `##` / `###` headings. The
//! appendix lines are left as they are, for [`super::table`] to read by position or by
//! reading order. Every line keeps its number in the input, so warnings point at it.
//!
//! Text laid out from a PDF ([`super::pdf`]) marks its bold runs `**…**`: paragraphs keep
//! them as emphasis, while the header, the headings and the appendix lose them (they are
//! bold by layout). Text from `pdftotext` has no marks, so this changes nothing for it.

use super::markup::section_id;
use super::markup::{collapse_ws, is_cjk, norm, unbold};
use super::{ImportNames, Warnings, dates, key_for};

/// A cleaned line: its 1-based number in the input, its page, and its text.
#[derive(Debug, Clone)]
pub(super) struct PLine {
    pub no: usize,
    pub page: usize,
    pub text: String,
}

/// The text prepared for the readers.
#[derive(Debug, Default)]
pub(super) struct Prepared {
    /// Header and body lines with markup added, then the appendix lines as printed.
    pub lines: Vec<PLine>,
    /// Footnotes in order: (number, text).
    pub notes: Vec<(usize, String)>,
    /// Whether the text was laid out by position (`pdftotext -layout`): table columns are
    /// then read by position.
    pub layout: bool,
}

/// Whether a text carries none of the Markdown-flavoured markup of `seeds/`: no heading
/// line, no bold run, no tab-separated table row.
pub(super) fn is_plain(text: &str) -> bool {
    !text.lines().any(|l| {
        l.trim_start().starts_with("# ") || l.trim_start().starts_with("## ") || l.contains("**") || l.contains('\t')
    })
}

/// Cleans the pages and marks up header and body. See the module docs.
pub(super) fn prepare(text: &str, names: &ImportNames, w: &mut Warnings) -> Prepared {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pages: Vec<Vec<PLine>> = vec![Vec::new()];
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let mut rest = raw;
        // A form feed starts a new page (pdftotext puts it before the page's first line).
        while let Some(at) = rest.find('\u{c}') {
            let before = rest.get(..at).unwrap_or_default();
            if !before.trim().is_empty() {
                push(&mut pages, i + 1, before);
            }
            pages.push(Vec::new());
            rest = rest.get(at + 1..).unwrap_or_default();
        }
        push(&mut pages, i + 1, rest);
    }
    let layout = looks_laid_out(&pages);
    for (k, page) in pages.iter_mut().enumerate() {
        strip_page_number(page, k + 1);
    }
    strip_repeated_headers(&mut pages);
    let mut notes = Vec::new();
    for page in &mut pages {
        take_footnotes(page, &mut notes);
    }
    let lines: Vec<PLine> = pages.into_iter().flatten().collect();
    let lines = mark_up(lines, names, w);
    Prepared { lines, notes, layout }
}

fn push(pages: &mut [Vec<PLine>], no: usize, text: &str) {
    let page = pages.len();
    if let Some(last) = pages.last_mut() {
        last.push(PLine {
            no,
            page,
            text: text.trim_end().to_string(),
        });
    }
}

/// `-layout` text keeps the hanging paragraph numbers on the line of their text
/// ("2.        The Administration …"); the default reading order puts them alone.
fn looks_laid_out(pages: &[Vec<PLine>]) -> bool {
    let (mut alone, mut inline) = (0, 0);
    for l in pages.iter().flatten() {
        let t = l.text.trim();
        if let Some((n, rest)) = split_number(t) {
            let _ = n;
            if rest.is_empty() {
                alone += 1;
            } else if l.text.trim_start().len() > rest.len() + 4 && t.contains("   ") {
                inline += 1;
            }
        }
    }
    inline > alone
}

/// "12." or "12.   text" -> (12, "text").
pub(super) fn split_number(t: &str) -> Option<(usize, &str)> {
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let (num, rest) = t.split_at(digits);
    let rest = rest.strip_prefix(['.', '．'])?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with(is_cjk)) {
        return None;
    }
    Some((num.parse().ok()?, rest.trim()))
}

/// Removes the running page number ("- 2 -") at the top or bottom of page `n`. The default
/// reading order glues it to the page's first line, and reads its last dash as a hyphen:
/// "-2development of …", "-616." (page 6, paragraph 16).
fn strip_page_number(page: &mut Vec<PLine>, n: usize) {
    let number = n.to_string();
    let first = page.iter().position(|l| !l.text.trim().is_empty());
    if let Some(i) = first {
        let t = page[i].text.trim();
        if let Some(rest) = page_number_prefix(t, &number) {
            if rest.is_empty() {
                page.remove(i);
            } else {
                page[i].text = rest.to_string();
            }
            return;
        }
    }
    if let Some(i) = page.iter().rposition(|l| !l.text.trim().is_empty())
        && page_number_prefix(page[i].text.trim(), &number) == Some("")
    {
        page.remove(i);
    }
}

/// `t` without a leading page number "-n-", "- n -", "-n" (with text after), or `None`.
fn page_number_prefix<'a>(t: &'a str, number: &str) -> Option<&'a str> {
    let rest = t.strip_prefix(['-', '–', '—'])?.trim_start();
    let rest = rest.strip_prefix(number)?;
    if rest.is_empty() {
        return Some("");
    }
    let after = rest.trim_start();
    if let Some(after) = after.strip_prefix(['-', '–', '—']) {
        return Some(after.trim_start());
    }
    // "-2development", "-616.": the closing dash was taken for a hyphen and the line joined.
    Some(rest)
}

/// A line that opens every page (a running header, e.g. the paper number repeated) is
/// dropped from every page but the first, where it belongs to the header.
fn strip_repeated_headers(pages: &mut [Vec<PLine>]) {
    let top = |p: &Vec<PLine>| {
        p.iter()
            .find(|l| !l.text.trim().is_empty())
            .map(|l| collapse_ws(&l.text))
    };
    let tops: Vec<Option<String>> = pages.iter().map(top).collect();
    for k in 1..pages.len() {
        let Some(t) = &tops[k] else { continue };
        let repeated = tops.iter().skip(1).filter(|o| o.as_ref() == Some(t)).count() >= 2;
        if repeated
            && !is_table_word_line(t)
            && let Some(i) = pages[k].iter().position(|l| !l.text.trim().is_empty())
        {
            pages[k].remove(i);
        }
    }
}

/// Whether a line is made only of the appendix table's header words (kept: the table reader
/// needs them).
pub(super) fn is_table_word_line(t: &str) -> bool {
    const WORDS: &[&str] = &[
        "committee",
        "date of meeting",
        "paper",
        "papers",
        "council meeting",
        "member's motion",
        "members' motion",
        "question",
        "questions",
        "委員會",
        "會議日期",
        "文件",
        "立法會會議",
        "議員議案",
        "質詢",
    ];
    let word = |p: &str| WORDS.contains(&norm(p).replace('’', "'").as_str());
    let parts: Vec<&str> = t.split("  ").map(str::trim).filter(|p| !p.is_empty()).collect();
    !parts.is_empty() && parts.iter().all(|p| word(p))
}

/// Takes the footnotes off a page: lone numbers that continue the count of notes, each with
/// a marker glued to a word of the page ("2.0\")1 was"), and the last blocks of the page as
/// their texts. The markers become `[^n]`.
fn take_footnotes(page: &mut Vec<PLine>, notes: &mut Vec<(usize, String)>) {
    let mut numbers = Vec::new();
    let mut next = notes.len() + 1;
    for (i, l) in page.iter().enumerate() {
        if l.text.trim() == next.to_string() {
            numbers.push((i, next));
            next += 1;
        }
    }
    // A page prints a few notes; a long count of lone numbers is something else (a list,
    // a table), and matching each against every line would cost their product.
    if numbers.is_empty() || numbers.len() > 60 {
        return;
    }
    // The note texts: the last blocks of the page, split at blank and number lines.
    let number_at: Vec<usize> = numbers.iter().map(|(i, _)| *i).collect();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut end = page.len();
    let mut i = page.len();
    while i > 0 && blocks.len() < numbers.len() {
        i -= 1;
        let blank = page[i].text.trim().is_empty() || number_at.binary_search(&i).is_ok();
        if blank {
            if i + 1 < end {
                blocks.push((i + 1, end));
            }
            end = i;
        }
    }
    if blocks.len() < numbers.len() && i == 0 && end > 0 {
        blocks.push((0, end));
    }
    if blocks.len() != numbers.len() {
        return;
    }
    blocks.reverse();
    let first_block = blocks.first().map_or(0, |b| b.0);
    // Every marker must be in the text above the notes.
    let mut marked = Vec::new();
    for &(_, n) in &numbers {
        let found = page
            .iter()
            .take(first_block)
            .enumerate()
            .filter(|(i, _)| number_at.binary_search(i).is_err())
            .find_map(|(i, l)| marker_at(&l.text, n).map(|at| (i, at)));
        match found {
            Some(m) => marked.push((n, m)),
            None => return,
        }
    }
    for (n, (i, at)) in marked {
        let digits = n.to_string().len();
        let text = &mut page[i].text;
        text.replace_range(at..at + digits, &format!("[^{n}]"));
    }
    for (&(_, n), &(from, to)) in numbers.iter().zip(&blocks) {
        let parts: Vec<String> = page[from..to].iter().map(|l| l.text.trim().to_string()).collect();
        notes.push((n, super::markup::join_lines(&parts, " ")));
    }
    let mut drop: std::collections::HashSet<usize> = number_at.into_iter().collect();
    for &(from, to) in &blocks {
        drop.extend(from..to);
    }
    let mut k = 0;
    page.retain(|_| {
        k += 1;
        !drop.contains(&(k - 1))
    });
}

/// The byte offset of footnote marker `n` in a line: the number glued to the end of a word
/// or closing punctuation, and not part of a longer number.
fn marker_at(text: &str, n: usize) -> Option<usize> {
    let number = n.to_string();
    let mut from = 0;
    while let Some(rel) = text.get(from..)?.find(&number) {
        let at = from + rel;
        // A marker after a bold run follows the run's closing mark ("**…”**1").
        let head = text.get(..at)?;
        let before = head.strip_suffix("**").unwrap_or(head).chars().next_back();
        let after = text.get(at + number.len()..)?.chars().next();
        let glued = before.is_some_and(|c| {
            c.is_alphabetic() && !c.is_ascii_digit()
                || matches!(c, ')' | '"' | '”' | '’' | '」' | '）' | '』' | '》' | '.')
        });
        let ends = after.is_none_or(|c| !c.is_ascii_digit() && c != '.' && !c.is_alphabetic() || is_cjk(c));
        let not_decimal = !(before == Some('.')
            && text
                .get(..at)
                .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit())));
        // After Chinese text the marker is followed by punctuation ("身份2。"), not text
        // ("第7項" is a number).
        let cjk_ok =
            !before.is_some_and(super::markup::is_ideograph) || !after.is_some_and(super::markup::is_ideograph);
        if glued && ends && not_decimal && cjk_ok && before != Some('.') {
            return Some(at);
        }
        from = at + number.len();
    }
    None
}

/// Where the appendix starts: its label or heading alone on a line.
fn is_appendix_marker(t: &str) -> bool {
    let n = norm(t);
    matches!(
        n.as_str(),
        "appendix" | "附錄" | "list of relevant papers" | "相關文件一覽表"
    ) || (n.starts_with("appendix ") && n.len() <= 14)
}

/// The header is the lines before the first section heading or numbered paragraph. Each of
/// its printed lines (a `-layout` line may hold two, e.g. the masthead and the paper number)
/// becomes a line of its own, committee, meeting and title lines in bold. Bold runs marked
/// in the text are kept in paragraph lines only (see the module docs).
fn mark_up(lines: Vec<PLine>, names: &ImportNames, w: &mut Warnings) -> Vec<PLine> {
    let _ = w;
    let bare = |l: &PLine| PLine {
        text: unbold(&l.text),
        ..l.clone()
    };
    let lines: Vec<(PLine, PLine)> = lines.into_iter().map(|l| (bare(&l), l)).collect();
    let body_at = lines
        .iter()
        .position(|(l, _)| {
            let t = l.text.trim();
            section_id(t).is_some() || split_number(t).is_some()
        })
        .unwrap_or(lines.len());
    let mut out: Vec<PLine> = Vec::with_capacity(lines.len());
    for (l, _) in lines.iter().take(body_at) {
        for part in l.text.split("   ").map(str::trim).filter(|p| !p.is_empty()) {
            let plain = is_masthead_part(part)
                || part.starts_with("LC Paper")
                || part.starts_with("Ref")
                || part.starts_with("檔號")
                || (part.starts_with("立法會") && part.ends_with("號文件"));
            let text = if plain { part.to_string() } else { format!("**{part}**") };
            out.push(PLine {
                no: l.no,
                page: l.page,
                text,
            });
        }
    }
    let rest = lines.get(body_at..).unwrap_or_default();
    let appendix_at = rest
        .iter()
        .position(|(l, _)| is_appendix_marker(l.text.trim()))
        .unwrap_or(rest.len());
    let (body, marked): (Vec<PLine>, Vec<PLine>) = rest.get(..appendix_at).unwrap_or_default().iter().cloned().unzip();
    let body = body.as_slice();
    let mut i = 0;
    let mut after_break = true;
    while let Some(l) = body.get(i) {
        let t = l.text.trim();
        if t.is_empty() {
            out.push(l.clone());
            i += 1;
            continue;
        }
        // "3." alone, then (after blank lines) its text: one line again.
        if let Some((n, "")) = split_number(t)
            && let Some(j) = (i + 1..body.len()).find(|&j| !body[j].text.trim().is_empty())
            && split_number(body[j].text.trim()).is_none()
            && heading_kind(body, j, names).is_none()
        {
            out.push(PLine {
                no: l.no,
                page: l.page,
                text: link_appendix(&format!("{n}. {}", marked[j].text.trim())),
            });
            after_break = ends_paragraph(&body[j].text);
            i = j + 1;
            continue;
        }
        if after_break && let Some(level) = heading_kind(body, i, names) {
            let hashes = if level == 2 { "##" } else { "###" };
            out.push(PLine {
                no: l.no,
                page: l.page,
                text: format!("{hashes} {}", collapse_ws(t)),
            });
            i += 1;
            continue;
        }
        after_break = ends_paragraph(t);
        out.push(PLine {
            no: l.no,
            page: l.page,
            text: link_appendix(marked[i].text.trim()),
        });
        i += 1;
    }
    out.extend(
        rest.get(appendix_at..)
            .unwrap_or_default()
            .iter()
            .map(|(l, _)| l.clone()),
    );
    out
}

/// "… is in the Appendix." / "…載於附錄。": the one link a brief's body keeps, pointing at
/// the appendix table (the Markdown-flavoured text has it as a link already).
fn link_appendix(t: &str) -> String {
    for (word, linked) in [
        (" the Appendix", " the [Appendix](#appendix)"),
        ("於附錄", "於[附錄](#appendix)"),
    ] {
        if let Some(at) = t.find(word) {
            let after = t.get(at + word.len()..).unwrap_or_default();
            if after.is_empty() || after.starts_with(['.', '。', ',', '，', ' ']) {
                let mut out = t.to_string();
                out.replace_range(at..at + word.len(), linked);
                return out;
            }
        }
    }
    t.to_string()
}

fn is_masthead_part(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower
        .replace("立法會", "")
        .replace("legislative council", "")
        .trim()
        .is_empty()
}

/// Whether text ends a paragraph (a finished sentence), so a short line after it may be a
/// heading.
fn ends_paragraph(t: &str) -> bool {
    let t = t.trim_end().trim_end_matches(['"', '”', '」', ')', '）', '’']);
    let t = t.trim_end_matches(|c: char| c == ']' || c == '^' || c.is_ascii_digit() || c == '[');
    t.ends_with(['.', '。', ':', '：', ';', '；', '!', '！', '?', '？'])
}

/// Whether line `i` is a heading as printed: short, not a sentence, and a section or topic
/// name, or followed by a numbered paragraph (or by another heading that is). `Some(2)` for
/// a section heading, `Some(3)` for a sub-heading.
fn heading_kind(lines: &[PLine], i: usize, names: &ImportNames) -> Option<u8> {
    heading_kind_at(lines, i, names, 0)
}

/// [`heading_kind`], `depth` headings down a run of headings (a section heading over a
/// sub-heading over a paragraph): looking further would make a long run of short lines cost
/// the square of its length.
fn heading_kind_at(lines: &[PLine], i: usize, names: &ImportNames, depth: usize) -> Option<u8> {
    let t = collapse_ws(lines.get(i)?.text.trim());
    let short = if t.chars().any(is_cjk) {
        t.chars().count() <= 30
    } else {
        t.chars().count() <= 90
    };
    if !short || t.is_empty() || ends_paragraph(&t) || split_number(&t).is_some() || dates::parse(&t).is_some() {
        return None;
    }
    if section_id(&t).is_some() {
        return Some(2);
    }
    if key_for(&names.topics, &t).is_some() {
        return Some(3);
    }
    if t.starts_with(|c: char| c.is_lowercase()) || t.contains("[^") {
        return None;
    }
    let next = (i + 1..lines.len()).find(|&j| !lines[j].text.trim().is_empty())?;
    let nt = lines[next].text.trim();
    if split_number(nt).is_some()
        || (next < i + 4 && depth < 3 && heading_kind_at(lines, next, names, depth + 1).is_some())
    {
        return Some(3);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_glued_by_the_default_reading_order() {
        assert_eq!(page_number_prefix("-2development of", "2"), Some("development of"));
        assert_eq!(page_number_prefix("-616.", "6"), Some("16."));
        assert_eq!(page_number_prefix("- 3 -", "3"), Some(""));
        assert_eq!(page_number_prefix("-4-", "4"), Some(""));
        assert_eq!(page_number_prefix("2. Text", "2"), None);
    }

    #[test]
    fn footnote_markers_are_glued_numbers() {
        assert_eq!(marker_at("Hong Kong 2.0 (\"Blueprint 2.0\")2 was", 2), Some(31));
        assert_eq!(marker_at("in the community1, Members", 1), Some(16));
        assert_eq!(marker_at("Question 1 : x", 1), None);
        assert_eq!(marker_at("Blueprint 2.0 was", 2), None);
        assert!(marker_at("《藍圖2.0》」）1，進一步", 1).is_some());
        // After a bold run of a PDF's text.
        assert_eq!(marker_at("**\"Blueprint 2.0\"**1 was", 1), Some(19));
        assert_eq!(marker_at("**Question** 1", 1), None);
    }
}
