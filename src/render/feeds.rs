//! RSS feeds and the sitemap: XML written directly, not through templates, so
//! that escaping, absolute URLs and RFC 822 dates are right whatever the theme does.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::config::Config;
use crate::model::{PageId, Site};

/// The absolute URL of a page, for canonical links, feeds and sitemaps.
pub fn absolute_url(config: &Config, page: &PageId) -> String {
    format!("{}/{}", config.base_url, page.path())
}

/// How many of the newest briefs a feed carries; readers poll feeds, and a feed of
/// an archive's every brief would be megabytes fetched again and again.
pub const FEED_ITEMS: usize = 50;

pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `Wed, 07 May 2025 00:00:00 GMT`: a brief's date as RFC 822 requires.
pub fn rfc822(date: Date) -> String {
    date.strftime("%a, %d %b %Y 00:00:00 GMT").to_string()
}

/// RSS 2.0 of one language's briefs, newest issue first.
///
/// A brief superseded by one the language has is left out: the feed carries the
/// newest version, its title written with `updated` ("Updated: {title}").
pub fn rss(site: &Site, lang: &str, updated: &str) -> String {
    let config = &site.config;
    let language = config.language(lang).expect("feeds are made for configured languages");
    let lineage = site.lineage();
    let has = |slug: &str| site.brief(slug).is_some_and(|b| b.version(lang).is_some());
    let mut versions = site.versions_in(lang);
    versions.retain(|v| !lineage.superseded_by(v.slug()).is_some_and(has));
    versions.sort_by(|a, b| {
        b.source
            .front
            .issued
            .cmp(&a.source.front.issued)
            .then_with(|| a.slug().cmp(b.slug()))
    });
    versions.truncate(FEED_ITEMS);
    let home = absolute_url(config, &PageId::Home(lang.to_string()));
    let self_url = absolute_url(config, &PageId::Feed(lang.to_string()));
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(xml, "<title>{}</title>", escape_xml(&language.title));
    let _ = writeln!(xml, "<link>{}</link>", escape_xml(&home));
    let _ = writeln!(xml, "<description>{}</description>", escape_xml(&language.title));
    let _ = writeln!(
        xml,
        "<language>{}</language>",
        escape_xml(&language.lang_tag.to_lowercase())
    );
    let _ = writeln!(
        xml,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape_xml(&self_url)
    );
    if let Some(newest) = versions.first() {
        let _ = writeln!(
            xml,
            "<lastBuildDate>{}</lastBuildDate>",
            rfc822(newest.source.front.issued)
        );
    }
    for v in versions {
        let url = absolute_url(config, &PageId::Brief(lang.to_string(), v.slug().to_string()));
        let front = &v.source.front;
        xml.push_str("<item>\n");
        let title = match &front.paper_no {
            Some(no) => format!("{} ({no})", front.title),
            None => front.title.clone(),
        };
        let title = match lineage.supersedes(v.slug()) {
            Some(old) if has(old) && !says_updated(&title) => updated.replace("{title}", &title),
            _ => title,
        };
        let _ = writeln!(xml, "<title>{}</title>", escape_xml(&title));
        let _ = writeln!(xml, "<link>{}</link>", escape_xml(&url));
        let _ = writeln!(xml, "<guid isPermaLink=\"true\">{}</guid>", escape_xml(&url));
        let _ = writeln!(xml, "<pubDate>{}</pubDate>", rfc822(front.issued));
        let committee = config
            .committee(&front.committee)
            .map_or(front.committee.as_str(), |c| {
                c.names.get(lang, &config.default_language)
            });
        let _ = writeln!(xml, "<category>{}</category>", escape_xml(committee));
        let _ = writeln!(xml, "<description>{}</description>", escape_xml(v.summary()));
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// The sitemap: every HTML page with its language alternates (`xhtml:link`), as
/// search engines expect for multilingual sites (each version lists all versions,
/// itself included). When one file would pass the protocol's limits (50,000 URLs,
/// 50 MB; see `model::listing::sitemap_urls_per_file`), `sitemap.xml` is an index
/// of `sitemap-<n>.xml` parts, each page in exactly one part; so is a sitemap
/// past a thousand addresses, in parts by term (see `Site::sitemap_files`).
pub fn sitemap(site: &Site, page: &PageId) -> String {
    let pages = site.pages();
    let files = site.sitemap_files(&pages);
    match page {
        PageId::Sitemap if files.len() > 1 => sitemap_index(site, files.len()),
        PageId::SitemapPart(n) => urlset(
            site,
            n.checked_sub(1)
                .and_then(|i| files.get(i))
                .map_or(&[][..], Vec::as_slice),
        ),
        _ => urlset(site, files.first().map_or(&[][..], Vec::as_slice)),
    }
}

fn sitemap_index(site: &Site, parts: usize) -> String {
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for n in 1..=parts {
        let _ = writeln!(
            xml,
            "<sitemap><loc>{}</loc></sitemap>",
            escape_xml(&absolute_url(&site.config, &PageId::SitemapPart(n)))
        );
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

fn urlset(site: &Site, pages: &[&PageId]) -> String {
    let config = &site.config;
    let mut xml = String::new();
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in pages {
        xml.push_str("<url>\n");
        let _ = writeln!(xml, "<loc>{}</loc>", escape_xml(&absolute_url(config, page)));
        if let PageId::Brief(lang, slug) = page
            && let Some(v) = site.brief(slug).and_then(|b| b.version(lang))
        {
            let _ = writeln!(xml, "<lastmod>{}</lastmod>", v.source.front.issued);
        }
        if page.lang().is_some() {
            for lang in &config.languages {
                let other = page.in_lang(&lang.code);
                if site.has_page(&other) {
                    let _ = writeln!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape_xml(&lang.lang_tag),
                        escape_xml(&absolute_url(config, &other))
                    );
                }
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Whether a title already says it is an update ("Updated background brief on …",
/// "有關…的最新背景資料簡介", "更新…"): the feed then does not say it twice.
fn says_updated(title: &str) -> bool {
    let lower = title.trim_start().to_lowercase();
    lower.starts_with("updated") || title.contains("最新背景資料") || title.trim_start().starts_with("更新")
}
