//! Links that drafters write inside brief bodies, re-pointed for the page that shows them.
//!
//! A drafter writes a link as it works from the brief's own page on the published
//! site: `[para. 12](../other-brief/#p-12)`, `[Appendix](#appendix)`,
//! `[chart](/files/chart.pdf)`. Two kinds of page show that HTML somewhere else:
//!
//! - a **topic page** quotes the brief's topic section, so a relative link or a bare
//!   `#anchor` would resolve against the topic page instead of the brief;
//! - a **term archive** is opened from disk, where folders do not serve `index.html`
//!   and `/` is the file system root.
//!
//! Every `href` and `src` of such HTML is therefore resolved against the brief's page
//! into a path of the site, then written again through the page's [`Linker`]. In an
//! archive, a target that is not part of the archive (a brief of another term, say)
//! becomes the live site's absolute URL under `base_url`, so it does not dangle.
//! Links with a scheme (`https:`, `mailto:`) are left as they are.

use std::borrow::Cow;

use crate::links::{LinkMode, Linker, has_scheme, percent_decode, resolve_in_folder as resolve};
use crate::model::{Bucket, PageId, Site};

/// Rewrites the links of one brief's HTML for one page.
pub struct BodyLinks<'a> {
    site: &'a Site,
    linker: &'a Linker,
    relative: bool,
    /// Output path of the brief page the HTML was written for (`en/briefs/x/`).
    source: &'a str,
    /// Output path of the page that shows it.
    shown_on: &'a str,
    /// The `base_url`'s path, `/` or `/briefs/`: root-absolute links under it are site links.
    base_path: String,
}

impl<'a> BodyLinks<'a> {
    pub fn new(site: &'a Site, linker: &'a Linker, mode: &LinkMode, source: &'a str, shown_on: &'a str) -> Self {
        BodyLinks {
            site,
            linker,
            relative: *mode == LinkMode::Relative,
            source,
            shown_on,
            base_path: site.config.base_path(),
        }
    }

    /// Whether any link can change: on the brief's own page of a published site
    /// every link already works as written.
    fn needed(&self) -> bool {
        self.relative || self.source != self.shown_on
    }

    /// `html` with every `href`/`src` attribute value re-pointed.
    pub fn rewrite_html<'h>(&self, html: &'h str) -> Cow<'h, str> {
        if !self.needed() || !(html.contains("href=") || html.contains("src=")) {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(html.len() + 32);
        let mut changed = false;
        for piece in AttributeScanner::new(html) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Url { raw, quote } => {
                    let url = unescape_attribute(raw);
                    match self.rewrite_url(&url) {
                        Some(new) => {
                            changed = true;
                            out.push_str(&escape_attribute(&new, quote));
                        }
                        None => out.push_str(raw),
                    }
                }
            }
        }
        if changed { Cow::Owned(out) } else { Cow::Borrowed(html) }
    }

    /// The link to write for `url`, or `None` to keep it as written.
    pub fn rewrite_url(&self, url: &str) -> Option<String> {
        if !self.needed() || url.is_empty() || has_scheme(url) || url.starts_with("//") {
            return None;
        }
        let (path, suffix) = split_suffix(url);
        let site_path = if path.is_empty() {
            self.source.to_string()
        } else if path.starts_with('/') {
            // Outside the site's own path on its host, there is nothing to point to.
            path.strip_prefix(self.base_path.as_str())?.to_string()
        } else {
            resolve(self.source, path)?
        };
        if path.is_empty() && self.source == self.shown_on {
            // `#p-3` on the brief's own page.
            return None;
        }
        let href = match self.locate(&site_path) {
            Some(target) => format!("{}{suffix}", self.linker.to(&target)),
            None if self.relative => {
                format!("{}/{}{suffix}", self.site.config.base_url, site_path)
            }
            None => format!("{}{suffix}", self.linker.to(&site_path)),
        };
        (href != url).then_some(href)
    }

    /// The output path of the page or file at `site_path` if this site has it.
    fn locate(&self, site_path: &str) -> Option<String> {
        if let Some(page) = page_at(self.site, site_path) {
            return Some(page.path());
        }
        let decoded = percent_decode(site_path);
        self.site
            .assets
            .iter()
            .any(|a| a.output == decoded || a.output == site_path)
            .then(|| site_path.to_string())
    }
}

/// The page of `site` at an output path, accepting `x/`, `x` and `x/index.html`
/// for folder pages; `None` if the site has no such page (for a term archive: if
/// the page belongs to another term).
pub fn page_at(site: &Site, path: &str) -> Option<PageId> {
    let config = &site.config;
    let trimmed = path.strip_suffix("index.html").unwrap_or(path);
    let folder = trimmed.trim_end_matches('/');
    match path {
        "404.html" => return Some(PageId::NotFound),
        "sitemap.xml" => return Some(PageId::Sitemap),
        _ => {}
    }
    if let Some(n) = path
        .strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .and_then(page_number)
    {
        let page = PageId::SitemapPart(n);
        return site.has_page(&page).then_some(page);
    }
    if folder.is_empty() {
        return Some(PageId::Landing);
    }
    let parts: Vec<&str> = folder.split('/').collect();
    let lang = config.language(parts[0])?.code.clone();
    // A listing page: `…/terms/<bucket>/` is the listing's own address (page 0),
    // `…/page/<n>/` the others (which exist, `has_page` says).
    let paged = |rest: &[&str]| -> Option<(Bucket, usize)> {
        match rest {
            [bucket] => Some((Bucket::parse(bucket)?, 0)),
            [bucket, "page", n] => Some((Bucket::parse(bucket)?, page_number(n)?)),
            _ => None,
        }
    };
    let page = match parts[1..] {
        [] => PageId::Home(lang),
        ["feed.xml"] if path == folder => PageId::Feed(lang),
        ["briefs", slug] => PageId::Brief(lang, slug.to_string()),
        ["topics"] => PageId::Topics(lang),
        ["topics", key] => PageId::Topic(lang, config.topic(key)?.key.clone()),
        ["topics", key, "terms", ref rest @ ..] => {
            let (bucket, n) = paged(rest)?;
            PageId::TopicTerm(lang, config.topic(key)?.key.clone(), bucket, n)
        }
        ["committees"] => PageId::Committees(lang),
        ["committees", key] => PageId::Committee(lang, config.committee(key)?.key.clone()),
        ["committees", key, "terms", ref rest @ ..] => {
            let (bucket, n) = paged(rest)?;
            PageId::CommitteeTerm(lang, config.committee(key)?.key.clone(), bucket, n)
        }
        ["terms"] => PageId::Terms(lang),
        ["terms", ref rest @ ..] => {
            let (bucket, n) = paged(rest)?;
            PageId::Term(lang, bucket, n)
        }
        ["papers"] => PageId::Papers(lang),
        ["papers", "terms", ref rest @ ..] => {
            let (bucket, n) = paged(rest)?;
            PageId::PapersTerm(lang, bucket, n)
        }
        ["search"] => PageId::Search(lang),
        _ => return None,
    };
    site.has_page(&page).then_some(page)
}

/// A page number as written in an address: digits, no leading zero.
fn page_number(text: &str) -> Option<usize> {
    let n: usize = text.parse().ok()?;
    (n >= 1 && n.to_string() == text).then_some(n)
}

/// Splits `path?query#fragment` into the path and the rest.
fn split_suffix(url: &str) -> (&str, &str) {
    let at = url.find(['?', '#']).unwrap_or(url.len());
    url.split_at(at)
}

fn unescape_attribute(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    raw.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn escape_attribute(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            '\'' if quote == '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// A stretch of HTML: text to copy, or the raw (still escaped) value of an
/// `href` or `src` attribute.
enum Piece<'h> {
    Text(&'h str),
    Url { raw: &'h str, quote: char },
}

/// Walks the tags of an HTML fragment and yields the values of their `href` and
/// `src` attributes between the text around them. Comments are copied whole;
/// unquoted attribute values are copied as text (Markdown never writes them).
struct AttributeScanner<'h> {
    html: &'h str,
    pos: usize,
    /// Inside a tag, at this byte offset (after `<name`).
    in_tag: bool,
    pending: Option<Piece<'h>>,
}

impl<'h> AttributeScanner<'h> {
    fn new(html: &'h str) -> Self {
        AttributeScanner {
            html,
            pos: 0,
            in_tag: false,
            pending: None,
        }
    }

    /// From `pos` outside a tag: the text up to and including the next tag's name.
    fn text_to_next_tag(&mut self) -> &'h str {
        let rest = &self.html[self.pos..];
        let Some(lt) = rest.find('<') else {
            self.pos = self.html.len();
            return rest;
        };
        if rest[lt..].starts_with("<!--") {
            let end = rest[lt..].find("-->").map_or(rest.len(), |e| lt + e + 3);
            self.pos += end;
            return &rest[..end];
        }
        let name_end = rest[lt + 1..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(rest.len(), |e| lt + 1 + e);
        self.pos += name_end;
        self.in_tag = name_end < rest.len() && lt + 1 < name_end;
        &rest[..name_end]
    }

    /// From `pos` inside a tag: the text up to the next link attribute's value,
    /// with the value kept pending, or to the end of the tag.
    fn text_in_tag(&mut self) -> &'h str {
        let start = self.pos;
        let bytes = self.html.as_bytes();
        let mut i = self.pos;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => {
                    self.in_tag = false;
                    self.pos = i + 1;
                    return &self.html[start..self.pos];
                }
                c if c.is_ascii_alphabetic() => {
                    let name_start = i;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b':' | b'_'))
                    {
                        i += 1;
                    }
                    let name = &self.html[name_start..i];
                    let mut j = i;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if j >= bytes.len() || bytes[j] != b'=' {
                        continue;
                    }
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    let Some(&quote) = bytes.get(j).filter(|q| matches!(q, b'"' | b'\'')) else {
                        // Unquoted value: skip to the next space or `>`.
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                            j += 1;
                        }
                        i = j;
                        continue;
                    };
                    let value_start = j + 1;
                    let value_end = self.html[value_start..]
                        .find(quote as char)
                        .map_or(self.html.len(), |e| value_start + e);
                    let is_link = name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src");
                    if is_link && value_end < self.html.len() {
                        self.pending = Some(Piece::Url {
                            raw: &self.html[value_start..value_end],
                            quote: quote as char,
                        });
                        self.pos = value_end;
                        return &self.html[start..value_start];
                    }
                    i = (value_end + 1).min(bytes.len());
                }
                _ => i += 1,
            }
        }
        self.in_tag = false;
        self.pos = bytes.len();
        &self.html[start..]
    }
}

impl<'h> Iterator for AttributeScanner<'h> {
    type Item = Piece<'h>;

    fn next(&mut self) -> Option<Piece<'h>> {
        if let Some(piece) = self.pending.take() {
            return Some(piece);
        }
        if self.pos >= self.html.len() {
            return None;
        }
        let text = if self.in_tag {
            self.text_in_tag()
        } else {
            self.text_to_next_tag()
        };
        Some(Piece::Text(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<String> {
        AttributeScanner::new(html)
            .filter_map(|p| match p {
                Piece::Url { raw, .. } => Some(raw.to_string()),
                Piece::Text(_) => None,
            })
            .collect()
    }

    fn roundtrip(html: &str) -> String {
        AttributeScanner::new(html)
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Url { raw, .. } => raw.to_string(),
            })
            .collect()
    }

    #[test]
    fn scanner_finds_link_attributes_and_keeps_everything_else() {
        let html = "See <a href=\"../x/#p-2\" title=\"a > b\">x</a> and <img src='a.png' alt=\"href=&quot;no&quot;\"> \
                    <!-- <a href=\"c\"> --> text href=\"not-a-tag\"";
        assert_eq!(urls(html), ["../x/#p-2", "a.png"]);
        assert_eq!(roundtrip(html), html);
    }

    #[test]
    fn scanner_survives_broken_html() {
        for html in [
            "<a href=\"unterminated",
            "<",
            "<a",
            "a < b",
            "<a href=>x</a>",
            "<a href=x>y</a>",
            "<!-- open",
        ] {
            assert_eq!(roundtrip(html), html, "{html}");
        }
    }

    #[test]
    fn relative_paths_resolve_against_the_brief_page() {
        let base = "en/briefs/x/";
        assert_eq!(resolve(base, "../y/").as_deref(), Some("en/briefs/y/"));
        assert_eq!(resolve(base, "../y").as_deref(), Some("en/briefs/y"));
        assert_eq!(resolve(base, "../../topics/t/").as_deref(), Some("en/topics/t/"));
        assert_eq!(resolve(base, "chart.png").as_deref(), Some("en/briefs/x/chart.png"));
        assert_eq!(resolve(base, "../../../").as_deref(), Some(""));
        assert_eq!(resolve(base, "../../../../"), None);
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("../x/#p-1:2"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("#p-1"));
    }

    #[test]
    fn attribute_escapes_roundtrip() {
        let raw = "a?x=1&amp;y=&#x27;2&#x27;";
        let url = unescape_attribute(raw);
        assert_eq!(url, "a?x=1&y='2'");
        assert_eq!(escape_attribute(&url, '"'), "a?x=1&amp;y='2'");
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
    }
}
