#!/usr/bin/env python3
"""Validates the RSS feeds and the sitemap of built sites against their formats.

usage: feeds.py SITE_DIR BASE_URL [SITE_DIR BASE_URL ...]

RSS 2.0 (every <lang>/feed.xml): well-formed XML; <rss version="2.0"> with one
<channel> holding title, link and description; every item has a title or a
description, a link, a permalink guid and a pubDate; dates are RFC 822; links are
absolute URLs under the site's base URL and lead to a page that was built.

Sitemap (sitemap.xml): well-formed XML in the sitemaps.org namespace; every <url>
has an absolute <loc> under the base URL that leads to a built page; <lastmod> is
a W3C date; xhtml:link alternates are absolute, each url lists itself among them,
and the alternates are symmetric (if A names B, B names A, with the same hreflang
sets) as search engines require.

Prints the counts and exits 1 on any problem.
"""

import email.utils
import os
import re
import sys
import xml.etree.ElementTree as ET

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
RFC822_DAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), "
RFC822 = re.compile(RFC822_DAY + r"\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UT|[+-]\d{4})$")
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2}))?$")


class Report:
    def __init__(self):
        self.problems = []
        self.feeds = 0
        self.items = 0
        self.urls = 0
        self.alternates = 0

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")


def page_file(site_dir, base_url, url):
    """The built file a URL of the site leads to, or None if it is not under base_url."""
    if not url.startswith(base_url + "/") and url != base_url:
        return None
    path = url[len(base_url):].split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return os.path.join(site_dir, *path.split("/"))


def check_url(report, where, site_dir, base_url, url, what):
    if not re.match(r"^https?://", url or ""):
        report.problem(where, f"{what} `{url}` is not an absolute URL")
        return
    target = page_file(site_dir, base_url, url)
    if target is None:
        report.problem(where, f"{what} `{url}` is not under the base URL {base_url}")
    elif not os.path.isfile(target):
        report.problem(where, f"{what} `{url}` leads to no built page")


def parse(report, path):
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as e:
        report.problem(path, f"not well-formed XML: {e}")
        return None


def check_feed(report, site_dir, base_url, path):
    root = parse(report, path)
    if root is None:
        return
    report.feeds += 1
    if root.tag != "rss" or root.get("version") != "2.0":
        report.problem(path, "the root element is not <rss version=\"2.0\">")
        return
    channels = root.findall("channel")
    if len(channels) != 1:
        report.problem(path, f"expected one <channel>, found {len(channels)}")
        return
    channel = channels[0]
    for required in ("title", "link", "description"):
        element = channel.find(required)
        if element is None or not (element.text or "").strip():
            report.problem(path, f"<channel> has no <{required}>")
    link = channel.findtext("link")
    if link:
        check_url(report, path, site_dir, base_url, link.strip(), "channel link")
    language = channel.findtext("language")
    if language is not None and not re.match(r"^[a-z]{2,3}(-[a-z0-9]+)*$", language):
        report.problem(path, f"<language> `{language}` is not a lowercase language tag")
    for self_link in channel.findall(f"{{{ATOM_NS}}}link"):
        if self_link.get("rel") == "self":
            check_url(report, path, site_dir, base_url, self_link.get("href"), "atom:link self")
    for date_element in ("pubDate", "lastBuildDate"):
        value = channel.findtext(date_element)
        if value is not None:
            check_date(report, path, value, date_element)
    for index, item in enumerate(channel.findall("item"), start=1):
        report.items += 1
        where = f"{path} item {index}"
        if not (item.findtext("title") or item.findtext("description")):
            report.problem(where, "an item needs a <title> or a <description>")
        link = (item.findtext("link") or "").strip()
        if not link:
            report.problem(where, "no <link>")
        else:
            check_url(report, where, site_dir, base_url, link, "link")
        guid = item.find("guid")
        if guid is None:
            report.problem(where, "no <guid>")
        elif guid.get("isPermaLink", "true") == "true":
            check_url(report, where, site_dir, base_url, (guid.text or "").strip(), "permalink guid")
        pub = item.findtext("pubDate")
        if pub is None:
            report.problem(where, "no <pubDate>")
        else:
            check_date(report, where, pub, "pubDate")


def check_date(report, where, value, what):
    value = value.strip()
    if not RFC822.match(value) or email.utils.parsedate_tz(value) is None:
        report.problem(where, f"<{what}> `{value}` is not an RFC 822 date")


def check_sitemap(report, site_dir, base_url, path):
    root = parse(report, path)
    if root is None:
        return
    if root.tag != f"{{{SITEMAP_NS}}}urlset":
        report.problem(path, "the root element is not a sitemaps.org <urlset>")
        return
    alternates = {}
    for index, url in enumerate(root.findall(f"{{{SITEMAP_NS}}}url"), start=1):
        report.urls += 1
        loc = (url.findtext(f"{{{SITEMAP_NS}}}loc") or "").strip()
        where = f"{path} url {index} ({loc})"
        if not loc:
            report.problem(where, "no <loc>")
            continue
        check_url(report, where, site_dir, base_url, loc, "loc")
        lastmod = url.findtext(f"{{{SITEMAP_NS}}}lastmod")
        if lastmod is not None and not W3C_DATE.match(lastmod.strip()):
            report.problem(where, f"<lastmod> `{lastmod}` is not a W3C date")
        links = {}
        for link in url.findall(f"{{{XHTML_NS}}}link"):
            report.alternates += 1
            href, lang = link.get("href"), link.get("hreflang")
            if link.get("rel") != "alternate" or not href or not lang:
                report.problem(where, "an xhtml:link needs rel=\"alternate\", hreflang and href")
                continue
            check_url(report, where, site_dir, base_url, href, "alternate")
            if lang in links and links[lang] != href:
                report.problem(where, f"two alternates for hreflang `{lang}`")
            links[lang] = href
        if links:
            if loc not in links.values():
                report.problem(where, "its alternates do not include the url itself")
            if loc in alternates:
                report.problem(where, "listed twice")
            alternates[loc] = links
    for loc, links in alternates.items():
        for lang, href in links.items():
            if href == loc:
                continue
            other = alternates.get(href)
            if other is None:
                report.problem(path, f"{loc} names {href} ({lang}) as an alternate, but the sitemap has no alternates for it")
            elif other != links:
                report.problem(path, f"alternates of {loc} and {href} are not symmetric: {sorted(links.items())} vs {sorted(other.items())}")


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    report = Report()
    for site_dir, base_url in zip(argv[0::2], argv[1::2]):
        base_url = base_url.rstrip("/")
        feeds = sorted(
            os.path.join(site_dir, name, "feed.xml")
            for name in os.listdir(site_dir)
            if os.path.isfile(os.path.join(site_dir, name, "feed.xml"))
        )
        if not feeds:
            report.problem(site_dir, "no <lang>/feed.xml")
        for feed in feeds:
            check_feed(report, site_dir, base_url, feed)
        sitemap = os.path.join(site_dir, "sitemap.xml")
        if os.path.isfile(sitemap):
            check_sitemap(report, site_dir, base_url, sitemap)
        else:
            report.problem(site_dir, "no sitemap.xml")
    for problem in report.problems:
        print(f"feeds: {problem}", file=sys.stderr)
    print(
        f"feeds: {report.feeds} feeds with {report.items} items, sitemaps with {report.urls} urls "
        f"and {report.alternates} alternates validated, {len(report.problems)} problem(s)"
    )
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
