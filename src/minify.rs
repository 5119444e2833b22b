//! HTML minification of rendered pages, large pages a piece at a time.
//!
//! `minify-html` parses a whole page into a tree before writing it out again, and
//! that tree takes about forty times the page's size. Most pages are small, but a
//! topic page of an archive of 10,000 briefs quotes thousands of sections (27 MB of
//! HTML), and its tree alone would be a gigabyte. So a large page is minified the
//! way `minify-html` itself proceeds, element by element, without building the
//! whole tree:
//!
//! 1. A light scan outlines the page's elements (start and end of each), the way
//!    `minify-html`'s parser finds them.
//! 2. A large element whose children cannot change how it is parsed (a `main`,
//!    `section`, `ul`… see [`SPLITTABLE`]) is minified as a *frame*: its own tags
//!    and the text between its children, each child replaced by a placeholder
//!    element. Each child is then minified on its own (recursively, if it is large
//!    and splittable itself) and put where its placeholder came out.
//!
//! This gives the same bytes as minifying the page whole because, with the closing
//! tags kept (our configuration), `minify-html` writes an element from its own
//! subtree alone; the parent only decides the whitespace of the text between
//! children, which the frame still holds, and a placeholder is an element just as
//! the child it stands for. Whenever the page is not what the scan can vouch for
//! (unbalanced tags, a self-closed `div/`, a second `<body>`, a processing
//! instruction…), or the frame does not come out with exactly one placeholder per
//! child, the page is minified whole, as before.

use std::sync::LazyLock;

/// Pages up to this size are minified whole; above it, in pieces of about this size.
pub const PIECE: usize = 256 * 1024;

/// The element that stands for a child in its parent's frame; a page that contains
/// the name is minified whole.
const PLACEHOLDER: &[u8] = b"<x-legbrief-hole></x-legbrief-hole>";
const PLACEHOLDER_NAME: &[u8] = b"x-legbrief-hole";

/// Elements whose children are minified separately: no start tag of a child
/// closes them implicitly (they have no tag-omission rule in `minify-html`), and
/// they are neither raw text, nor whitespace-preserving, nor foreign (SVG, MathML).
const SPLITTABLE: &[&[u8]] = &[
    b"html",
    b"body",
    b"main",
    b"section",
    b"article",
    b"div",
    b"header",
    b"footer",
    b"nav",
    b"aside",
    b"ul",
    b"ol",
    b"dl",
    b"blockquote",
];

/// Elements `minify-html` never gives content or a closing tag.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"keygen", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// Elements taken whole, up to their first closing tag: raw text, and SVG, whose
/// elements may close themselves (`<path/>`).
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"textarea", b"title", b"svg"];

/// Start tags that close the open element implicitly in `minify-html`'s parser
/// (open element, the start tags that close it). The scan gives up on a page where
/// this happens: what follows would belong to another parent than it seems.
const CLOSED_BY: &[(&[u8], &[&[u8]])] = &[
    (b"head", &[b"body"]),
    (b"li", &[b"li"]),
    (b"dt", &[b"dt", b"dd"]),
    (b"dd", &[b"dd", b"dt"]),
    (
        b"p",
        &[
            b"address",
            b"article",
            b"aside",
            b"blockquote",
            b"details",
            b"div",
            b"dl",
            b"fieldset",
            b"figcaption",
            b"figure",
            b"footer",
            b"form",
            b"h1",
            b"h2",
            b"h3",
            b"h4",
            b"h5",
            b"h6",
            b"header",
            b"hgroup",
            b"hr",
            b"main",
            b"menu",
            b"nav",
            b"ol",
            b"p",
            b"pre",
            b"section",
            b"table",
            b"ul",
        ],
    ),
    (b"rt", &[b"rt", b"rp"]),
    (b"rp", &[b"rt", b"rp"]),
    (b"optgroup", &[b"optgroup"]),
    (b"option", &[b"option", b"optgroup"]),
    (b"thead", &[b"tbody", b"tfoot"]),
    (b"tbody", &[b"tbody", b"tfoot"]),
    (b"tr", &[b"tr"]),
    (b"td", &[b"td", b"th"]),
    (b"th", &[b"td", b"th"]),
];

fn closes_implicitly(open: &[u8], start: &[u8]) -> bool {
    CLOSED_BY
        .iter()
        .any(|(name, by)| open.eq_ignore_ascii_case(name) && by.contains(&start))
}

/// The configuration of every page: closing tags and the `html`/`head` start tags
/// are kept, which is also what makes minifying in pieces exact.
static CFG: LazyLock<minify_html::Cfg> = LazyLock::new(|| {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg
});

/// Minifies one rendered HTML page.
pub fn minify(html: &[u8]) -> Vec<u8> {
    minify_in_pieces(html, PIECE)
}

fn whole(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &CFG)
}

/// [`minify`] with pieces of at most `piece` bytes where the page allows it.
pub fn minify_in_pieces(html: &[u8], piece: usize) -> Vec<u8> {
    if html.len() <= piece || contains(html, PLACEHOLDER_NAME) {
        return whole(html);
    }
    let Some(outline) = Outline::scan(html) else {
        return whole(html);
    };
    let mut out = Vec::with_capacity(html.len());
    match outline.write(html, 0, piece, &mut out) {
        Some(()) => {
            out.shrink_to_fit();
            out
        }
        None => whole(html),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// One element of the page (or the page itself, node 0).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Byte range of the whole element, tags included.
    start: usize,
    end: usize,
    /// Byte range of its name in the start tag (empty for the page).
    name: (usize, usize),
    first_child: Option<usize>,
    last_child: Option<usize>,
    next_sibling: Option<usize>,
}

/// The elements of a page, as `minify-html`'s parser delimits them.
struct Outline {
    nodes: Vec<Node>,
}

fn is_tag_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b':' || b == b'-'
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

fn find_ignoring_case(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|at| from + at)
}

/// The end of a tag whose name ends at `at`, as `minify-html`'s `parse_tag` reads
/// attributes: the position after `>` and whether `/` came right before it.
/// `None` at the end of the page.
fn tag_end(src: &[u8], mut at: usize) -> Option<(usize, bool)> {
    loop {
        let mut last = None;
        while at < src.len() && (is_space(src[at]) || src[at] == b'/') {
            last = Some(src[at]);
            at += 1;
        }
        if at >= src.len() {
            return None;
        }
        if src[at] == b'>' {
            return Some((at + 1, last == Some(b'/')));
        }
        // An attribute name: one character of anything, then up to a separator.
        at += 1;
        while at < src.len() && !(is_space(src[at]) || matches!(src[at], b'/' | b'=' | b'>')) {
            at += 1;
        }
        while at < src.len() && is_space(src[at]) {
            at += 1;
        }
        if at < src.len() && src[at] == b'=' {
            at += 1;
            while at < src.len() && is_space(src[at]) {
                at += 1;
            }
            match src.get(at) {
                Some(&quote @ (b'"' | b'\'')) => at = find(src, at + 1, &[quote])? + 1,
                _ => {
                    while at < src.len() && !(is_space(src[at]) || src[at] == b'>') {
                        at += 1;
                    }
                }
            }
        }
    }
}

impl Outline {
    /// Outlines `src`, or `None` if the page has anything the scan cannot vouch for.
    fn scan(src: &[u8]) -> Option<Outline> {
        let mut nodes = vec![Node {
            start: 0,
            end: src.len(),
            name: (0, 0),
            first_child: None,
            last_child: None,
            next_sibling: None,
        }];
        let mut open: Vec<usize> = vec![0];
        let mut seen_document_tags: Vec<Vec<u8>> = Vec::new();
        let mut at = 0;
        while let Some(lt) = src.get(at..).and_then(|rest| memchr(b'<', rest)).map(|i| at + i) {
            let rest = &src[lt..];
            if rest.starts_with(b"<!--") {
                at = find(src, lt + 4, b"-->")? + 3;
            } else if rest.starts_with(b"<?") {
                return None;
            } else if rest.starts_with(b"<!") {
                at = find(src, lt + 2, b">")? + 1;
            } else if rest.starts_with(b"</") {
                let name_start = lt + 2;
                let name_end = name_end(src, name_start);
                let (end, _) = tag_end(src, name_end)?;
                let current = *open.last()?;
                let (open_start, open_end) = nodes[current].name;
                if current == 0 || !src[name_start..name_end].eq_ignore_ascii_case(&src[open_start..open_end]) {
                    return None;
                }
                nodes[current].end = end;
                open.pop();
                at = end;
            } else if rest.get(1).copied().is_some_and(is_tag_name_char) {
                let name = (lt + 1, name_end(src, lt + 1));
                let (end, self_closing) = tag_end(src, name.1)?;
                let lower = src[name.0..name.1].to_ascii_lowercase();
                let parent = *open.last()?;
                if closes_implicitly(&src[nodes[parent].name.0..nodes[parent].name.1], &lower) {
                    return None;
                }
                let node = add_child(&mut nodes, parent, lt, name);
                if VOID.contains(&lower.as_slice()) {
                    nodes[node].end = end;
                    at = end;
                    continue;
                }
                if self_closing {
                    return None;
                }
                if matches!(lower.as_slice(), b"html" | b"head" | b"body") {
                    if seen_document_tags.contains(&lower) {
                        return None;
                    }
                    seen_document_tags.push(lower.clone());
                }
                if RAW_TEXT.contains(&lower.as_slice()) {
                    let mut closing = b"</".to_vec();
                    closing.extend_from_slice(&lower);
                    let close = find_ignoring_case(src, end, &closing)?;
                    let (close_end, _) = tag_end(src, close + closing.len())?;
                    nodes[node].end = close_end;
                    at = close_end;
                    continue;
                }
                open.push(node);
                at = end;
            } else {
                at = lt + 1;
            }
        }
        (open.len() == 1).then_some(Outline { nodes })
    }

    fn children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[node].first_child, |&c| self.nodes[c].next_sibling)
    }

    /// Writes node `index` minified into `out`; `None` if the frame did not come out
    /// as the outline predicts (then the caller minifies the page whole).
    fn write(&self, src: &[u8], index: usize, piece: usize, out: &mut Vec<u8>) -> Option<()> {
        let node = self.nodes[index];
        let text = &src[node.start..node.end];
        let splittable = index == 0
            || SPLITTABLE
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&src[node.name.0..node.name.1]));
        if text.len() <= piece || !splittable || node.first_child.is_none() {
            out.extend_from_slice(&whole(text));
            return Some(());
        }
        let mut frame = Vec::new();
        let mut cursor = node.start;
        let mut holes = Vec::new();
        for child in self.children(index) {
            frame.extend_from_slice(&src[cursor..self.nodes[child].start]);
            frame.extend_from_slice(PLACEHOLDER);
            cursor = self.nodes[child].end;
            holes.push(child);
        }
        frame.extend_from_slice(&src[cursor..node.end]);
        let framed = whole(&frame);
        drop(frame);
        let mut pieces = split(&framed, PLACEHOLDER);
        if pieces.len() != holes.len() + 1 {
            return None;
        }
        out.extend_from_slice(pieces.remove(0));
        for (hole, after) in holes.into_iter().zip(pieces) {
            self.write(src, hole, piece, out)?;
            out.extend_from_slice(after);
        }
        Some(())
    }
}

fn name_end(src: &[u8], mut at: usize) -> usize {
    while at < src.len() && is_tag_name_char(src[at]) {
        at += 1;
    }
    at
}

fn add_child(nodes: &mut Vec<Node>, parent: usize, start: usize, name: (usize, usize)) -> usize {
    let index = nodes.len();
    nodes.push(Node {
        start,
        end: start,
        name,
        first_child: None,
        last_child: None,
        next_sibling: None,
    });
    match nodes[parent].last_child {
        Some(last) => nodes[last].next_sibling = Some(index),
        None => nodes[parent].first_child = Some(index),
    }
    nodes[parent].last_child = Some(index);
    index
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// `text` cut at every occurrence of `separator`.
fn split<'t>(text: &'t [u8], separator: &[u8]) -> Vec<&'t [u8]> {
    let mut pieces = Vec::new();
    let mut from = 0;
    while let Some(at) = find(text, from, separator) {
        pieces.push(&text[from..at]);
        from = at + separator.len();
    }
    pieces.push(&text[from..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces as small as an element, so every page below is split wherever it can be.
    fn same_in_pieces(html: &str) {
        let expected = whole(html.as_bytes());
        for piece in [0, 16, 64, 256] {
            assert_eq!(
                String::from_utf8_lossy(&minify_in_pieces(html.as_bytes(), piece)),
                String::from_utf8_lossy(&expected),
                "piece {piece} of:\n{html}"
            );
        }
    }

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A &amp; B · Site</title>
<link rel="stylesheet" href="/static/style.css">
<style> body { color: red } </style>
</head>
<body class="page-topic">
<a class="skip" href="#main">Skip</a>
<header class="site-header"><div class="wrap header-row"><a class="site-title" href="/en/">Briefs</a>
<nav class="lang-switch" aria-label="Language"><ul>
<li><span aria-current="true" lang="en">English</span></li>
<li><a href="/zh-hk/" lang="zh-Hant-HK" hreflang="zh-Hant-HK">繁體中文</a> <span class="missing">(not here)</span></li>
</ul></nav></div></header>
<main id="main" class="wrap">
<h1>Smart Mobility</h1>
<article class="topic-entry">
<h2><a href="/en/briefs/a/">Brief   A</a></h2>
<p class="brief-meta"><span class="paper-no">CB(2)848/2025(03)</span> · <a href="/en/committees/itb/">Panel</a> · <time datetime="2025-05-12">12 May 2025</time></p>
<blockquote class="brief-body quoted" cite="/en/briefs/a/">
<p class="np"><a class="pn" href="/en/briefs/a/#p-7" aria-label="Paragraph 7">7</a> Members <strong>urged</strong> the Administration to x &lt; y &amp;&amp; <em>z</em>.</p>
<ul>
<li>one</li>
<li>two <code>a  b</code></li>
</ul>
<pre><code>  keep
   this   </code></pre>
<table><thead><tr><th>a</th></tr></thead><tbody><tr><td> b </td></tr></tbody></table>
</blockquote>
</article>
<!-- a comment -->
<article class="topic-entry">
<h2><a href='/en/briefs/b/' data-x="a > b">Brief B</a></h2>
<p>議員促請政府<strong>加強</strong>推動<br>智慧出行。</p>
<script>if (a < b && "</div>") { x(); }</script>
<dl class="papers-index"><dt><time datetime="2024-01-24">24 January 2024</time></dt>
<dd><ul><li><span class="paper-title"><a href="https://www.legco.gov.hk/x.htm">Q 18</a></span> <span class="kind">Question</span><br><span class="cited">Cited in: <a href="/en/briefs/a/">CB(2)1</a>, <a href="/en/briefs/b/">CB(2)2</a></span></li></ul></dd>
</dl>
<svg viewBox="0 0 10 10"><title>x</title><path d="M0 0L10 10"/></svg>
<p>text with a literal < sign and a self-closed <br/> break</p>
</article>
  text at the end of main
</main>
<footer class="site-footer"><div class="wrap"><p>Briefs · <a href="/en/feed.xml">RSS</a></p></div></footer>
<script src="/static/search.js"></script>
</body>
</html>
"##;

    #[test]
    fn a_page_in_pieces_is_the_page_minified_whole() {
        assert!(
            Outline::scan(PAGE.as_bytes()).is_some(),
            "the page is outlined, so it is split"
        );
        same_in_pieces(PAGE);
    }

    #[test]
    fn pages_the_scan_cannot_vouch_for_are_minified_whole() {
        // Unbalanced, self-closed non-void, a second body, an instruction, a
        // placeholder name in the text, and a tag cut by the end of the page.
        for page in [
            "<main><p>one<p>two</main>",
            "<main><div/><p>x</p></main>",
            "<body><main><body>x</body></main></body>",
            "<main><?php echo 1 ?><p>x</p></main>",
            "<main><p>x-legbrief-hole</p><p>y</p></main>",
            "<main><p>x</p><a href=\"x",
            "<main><ul><li>a<li>b</ul></main>",
            "<div><p>a<div>b</div></p></div>",
            "<main><p>a <1> b</p><p>c</p></main>",
            "<main><svg><svg></svg></svg><p>c</p></main>",
        ] {
            same_in_pieces(page);
        }
    }

    #[test]
    fn a_large_page_is_split_into_many_pieces_and_stays_the_same() {
        let entry = PAGE
            .split("<main id=\"main\" class=\"wrap\">")
            .nth(1)
            .and_then(|rest| rest.split("</main>").next())
            .expect("the page has a main");
        let mut page = String::from("<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><main>\n");
        while page.len() < 3 * PIECE {
            page.push_str(entry);
        }
        page.push_str("</main></body></html>\n");
        assert_eq!(minify(page.as_bytes()), whole(page.as_bytes()));
    }
}
