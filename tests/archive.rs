//! Term archives (`build --term N`, `build --all-terms`, `--zip`): only the term's
//! briefs, every link relative and resolving to a file inside the archive, links to
//! other terms pointing to the live site, clear errors, byte-identical rebuilds, and
//! an archive that a real browser opens from disk with its styles.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use common::{TestSite, stderr};

const BASE_URL: &str = "https://briefs.example.org";

fn built_term(term: u32) -> TestSite {
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", &term.to_string()]);
    assert!(out.status.success(), "build --term {term} failed:\n{}", stderr(&out));
    site
}

// ---- a small HTML attribute reader, independent of the code under test -------

/// Every start tag of `html` with its attributes (names lowercased, values with
/// the common entities decoded). Handles quoted and unquoted values, as minified
/// HTML has both; skips comments.
fn tags(html: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        if html[lt..].starts_with("<!--") {
            i = html[lt..].find("-->").map_or(bytes.len(), |e| lt + e + 3);
            continue;
        }
        let mut j = lt + 1;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == lt + 1 {
            i = lt + 1;
            continue;
        }
        let name = html[lt + 1..j].to_ascii_lowercase();
        let mut attributes = BTreeMap::new();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let attribute = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..].find(q as char).map_or(bytes.len(), |e| j + 1 + e);
                        value = html[j + 1..end].to_string();
                        j = end + 1;
                    }
                    _ => {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                            j += 1;
                        }
                        value = html[start..j].to_string();
                    }
                }
            }
            attributes.insert(attribute, decode_entities(&value));
        }
        out.push((name, attributes));
        i = (j + 1).min(bytes.len());
    }
    out
}

fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 path")
}

/// The ids of a page: what a `#fragment` may name.
fn ids(html: &str) -> BTreeSet<String> {
    tags(html)
        .into_iter()
        .filter_map(|(_, attributes)| attributes.get("id").cloned())
        .collect()
}

/// `base/relative` with `.` and `..` applied lexically; `None` if it leaves `root`.
fn resolve_inside(root: &Path, from_dir: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = from_dir.to_path_buf();
    for part in Path::new(relative).components() {
        match part {
            Component::ParentDir => {
                if path == root || !path.pop() {
                    return None;
                }
            }
            Component::Normal(p) => path.push(p),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    path.starts_with(root).then_some(path)
}

/// What walking every link of an archive found.
#[derive(Default)]
struct LinkWalk {
    pages: usize,
    /// Internal links checked (href and src values that are not absolute URLs).
    checked: usize,
    /// `(page, link, why)` for each link that does not resolve.
    broken: Vec<(String, String, String)>,
    /// Absolute URLs, e.g. to the live site or to LegCo.
    external: Vec<String>,
}

/// Walks every `href`, `src` and form `action` of every HTML page under `root` and
/// resolves it against the file system as a browser opening the files from disk would.
fn walk_links(root: &Path) -> LinkWalk {
    let root = root.canonicalize().expect("archive folder");
    let mut walk = LinkWalk::default();
    let mut id_cache: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    for page in pages {
        walk.pages += 1;
        let html = std::fs::read_to_string(&page).expect("page text");
        let shown = page.strip_prefix(&root).unwrap().display().to_string();
        for (_, attributes) in tags(&html) {
            for attribute in ["href", "src", "action"] {
                let Some(link) = attributes.get(attribute) else {
                    continue;
                };
                let mut broken = |why: &str| walk.broken.push((shown.clone(), link.clone(), why.to_string()));
                if link.contains("://") || link.starts_with("mailto:") {
                    walk.external.push(link.clone());
                    continue;
                }
                walk.checked += 1;
                if link.starts_with('/') {
                    broken("absolute path: opened from disk it points at the file system root");
                    continue;
                }
                let (path, fragment) = link
                    .split_once('#')
                    .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
                let path = path.split('?').next().unwrap_or_default();
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    match resolve_inside(&root, page.parent().unwrap(), &percent_decode(path)) {
                        Some(target) => target,
                        None => {
                            broken("leaves the archive");
                            continue;
                        }
                    }
                };
                if !target.is_file() {
                    broken(if target.is_dir() {
                        "names a folder: from disk a folder does not open its index.html"
                    } else {
                        "no such file"
                    });
                    continue;
                }
                if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                    let ids = id_cache
                        .entry(target.clone())
                        .or_insert_with(|| ids(&std::fs::read_to_string(&target).unwrap_or_default()));
                    if !ids.contains(&percent_decode(fragment)) {
                        broken("the target file has no element with this id");
                    }
                }
            }
        }
    }
    walk
}

fn assert_no_broken_links(walk: &LinkWalk) {
    let report: Vec<String> = walk
        .broken
        .iter()
        .map(|(page, link, why)| format!("{page}: {link}: {why}"))
        .collect();
    assert!(
        report.is_empty(),
        "{} of {} links are broken:\n{}",
        report.len(),
        walk.checked,
        report.join("\n")
    );
}

// ---- the tests -----------------------------------------------------------------

#[test]
fn link_walker_catches_what_breaks_an_archive_opened_from_disk() {
    // The walker itself must fail the links that break an archive, or the archive
    // tests below would prove nothing.
    let site = TestSite::new().write("a/index.html", "<p id=here>").write(
        "a/b/index.html",
        "<a href=\"../index.html#here\">ok</a><a href=../index.html#gone>1</a><a href='../'>2</a>\
             <a href=\"/a/index.html\">3</a><img src=../../../outside.png><a href=\"missing.html\">5</a>\
             <a href=\"https://example.org/\">external</a>",
    );
    let walk = walk_links(&site.path("a"));
    assert_eq!(walk.checked, 6);
    let broken: Vec<&str> = walk.broken.iter().map(|(_, link, _)| link.as_str()).collect();
    assert_eq!(
        broken,
        [
            "../index.html#gone",
            "../",
            "/a/index.html",
            "../../../outside.png",
            "missing.html"
        ]
    );
    assert_eq!(walk.external, ["https://example.org/"]);
}

#[test]
fn a_term_archive_holds_only_that_terms_briefs() {
    let site = built_term(7);
    let files = site.files_under("public-term-7");
    let briefs: Vec<&String> = files.iter().filter(|f| f.contains("/briefs/")).collect();
    assert_eq!(
        briefs,
        [
            "en/briefs/alpha/index.html",
            "en/briefs/alpha/index.json",
            "en/briefs/beta/index.html",
            "en/briefs/beta/index.json",
            "zh-hk/briefs/alpha/index.html",
            "zh-hk/briefs/alpha/index.json"
        ]
    );
    // Every term-scoped page of the archive is term 7's (listings are cut by term).
    let other_terms: Vec<&String> = files
        .iter()
        .filter(|f| f.contains("terms/") && !f.contains("terms/7/") && !f.ends_with("/terms/index.html"))
        .collect();
    assert!(other_terms.is_empty(), "{other_terms:?}");
    for page in [
        "en/terms/7/index.html",
        "zh-hk/terms/7/index.html",
        "en/papers/terms/7/index.html",
    ] {
        assert!(files.contains(&page.to_string()), "no {page}: {files:?}");
    }
    assert!(
        files.contains(&"files/chart.svg".to_string()),
        "assets are copied: {files:?}"
    );
    assert!(files.contains(&"static/style.css".to_string()));
    // Listings, feeds, sitemap and the papers index know only the term's briefs.
    for listing in [
        "en/index.html",
        "en/committees/itb/index.html",
        "en/topics/smart-living/index.html",
        "en/papers/index.html",
        "en/papers/terms/7/index.html",
        "en/feed.xml",
        "sitemap.xml",
    ] {
        let text = site.read(&format!("public-term-7/{listing}"));
        assert!(!text.contains("old-brief"), "{listing} mentions a brief of term 6");
        assert!(!text.contains("2019 digital plan"), "{listing} lists a brief of term 6");
    }
    assert!(
        site.read("public-term-7/en/index.html")
            .contains("digital infrastructure plan")
    );
    assert!(
        site.read("public-term-7/en/papers/terms/7/index.html")
            .contains("Agenda Item IV: Digital infrastructure")
    );
    // The export has only the term's records (alpha's text links to old-brief on
    // the published site, as alpha's page does).
    let papers = site.papers_export("public-term-7");
    assert!(
        !papers.contains("old-brief"),
        "the papers export cites a brief of term 6"
    );
    let parts: Vec<String> = site
        .parts("public-term-7", "briefs")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(parts, ["data/briefs-term-7.jsonl.gz"]);
    let records = site.briefs_export("public-term-7");
    assert_eq!(records.lines().count(), 3);
    assert!(!records.contains("\"slug\":\"old-brief\""));
    // Nothing else is written beside the site.
    assert!(!site.exists("public"));

    let six = built_term(6);
    let briefs: Vec<String> = six
        .files_under("public-term-6")
        .into_iter()
        .filter(|f| f.contains("/briefs/"))
        .collect();
    assert_eq!(
        briefs,
        [
            "en/briefs/old-brief/index.html",
            "en/briefs/old-brief/index.json",
            "zh-hk/briefs/old-brief/index.html",
            "zh-hk/briefs/old-brief/index.json"
        ]
    );
}

#[test]
fn every_link_of_a_term_archive_resolves_to_a_file_inside_it() {
    for term in [7, 6] {
        let site = built_term(term);
        let root = site.path(&format!("public-term-{term}"));
        let walk = walk_links(&root);
        eprintln!(
            "term {term}: {} pages, {} links checked, {} broken, {} absolute URLs left as they are",
            walk.pages,
            walk.checked,
            walk.broken.len(),
            walk.external.len()
        );
        assert_no_broken_links(&walk);
        assert!(walk.pages >= 20, "the walk saw every page: {}", walk.pages);
        assert!(
            walk.checked > 10 * walk.pages,
            "the walk saw every link: {}",
            walk.checked
        );
        // Absolute URLs are only to the live site (canonical, hreflang, briefs of
        // other terms) or written by drafters to other hosts.
        for url in &walk.external {
            assert!(
                url.starts_with(BASE_URL) || url.starts_with("https://www.legco.gov.hk/") || url.starts_with("mailto:"),
                "unexpected absolute URL {url}"
            );
        }
    }
}

#[test]
fn every_archive_of_the_sample_site_works_from_disk() {
    let site = TestSite::sample();
    let out = site.run(&["build", "--all-terms"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for folder in ["term-6", "term-7", "term-8", ""] {
        let walk = walk_links(&site.path(&format!("public-terms/{folder}")));
        eprintln!(
            "sample site, {}: {} pages, {} links checked, {} broken",
            if folder.is_empty() {
                "all archives and their index"
            } else {
                folder
            },
            walk.pages,
            walk.checked,
            walk.broken.len()
        );
        assert_no_broken_links(&walk);
    }
    assert!(site.exists("public-terms/term-7/en/briefs/digital-government-smart-city/index.html"));
}

#[test]
fn links_drafters_write_in_bodies_are_rewritten_for_the_archive() {
    let site = built_term(7);
    let alpha = site.read("public-term-7/en/briefs/alpha/index.html");
    let hrefs: Vec<String> = tags(&alpha)
        .into_iter()
        .filter_map(|(_, a)| a.get("href").or_else(|| a.get("src")).cloned())
        .collect();
    for expected in [
        // A brief of the same term: relative, naming the file, keeping the anchor.
        "../../../en/briefs/beta/index.html#p-2",
        "../../../en/briefs/beta/index.html",
        // A brief of another term: the live site.
        "https://briefs.example.org/en/briefs/old-brief/#p-1",
        "https://briefs.example.org/en/briefs/old-brief/",
        // Site pages and files written relative or root-absolute.
        "../../../en/committees/tp/index.html",
        "../../../en/topics/smart-mobility/index.html",
        "../../../en/index.html",
        "../../../files/chart.svg",
        // Anchors on the same page stay as they are.
        "#p-1",
        "#appendix",
        "#fn-budget",
        // Other hosts and schemes stay as they are.
        "https://www.legco.gov.hk/",
        "mailto:briefs@example.org",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "no link `{expected}` in {hrefs:#?}"
        );
    }
    // The zh-hk translation links to the English version of an untranslated brief.
    let zh = site.read("public-term-7/zh-hk/briefs/alpha/index.html");
    assert!(zh.contains("../../../en/briefs/beta/index.html#p-2"));
    // The term-6 archive sends the link to the later brief to the live site.
    let six = built_term(6);
    let old = six.read("public-term-6/en/briefs/old-brief/index.html");
    assert!(old.contains("https://briefs.example.org/en/briefs/alpha/#p-1"), "{old}");
}

#[test]
fn quoted_sections_on_topic_pages_link_to_the_brief() {
    // On a topic page a quoted section's own `#p-1` or `../alpha/` would resolve
    // against the topic page; it must lead to the brief, on the published site too.
    let site = TestSite::fixture("archive");
    site.build_ok();
    let topic = site.read("public/en/topics/smart-mobility/index.html");
    let hrefs: BTreeSet<String> = tags(&topic)
        .into_iter()
        .filter_map(|(_, a)| a.get("href").cloned())
        .collect();
    for expected in [
        "/en/briefs/beta/#p-1",
        "/en/briefs/alpha/#smart-government",
        "/en/briefs/alpha/#p-3",
    ] {
        assert!(hrefs.contains(expected), "no link `{expected}` in {hrefs:#?}");
    }
    let archive = built_term(7);
    let topic = archive.read("public-term-7/en/topics/smart-mobility/index.html");
    assert!(topic.contains("../../../en/briefs/beta/index.html#p-1"));
}

#[test]
fn feeds_and_sitemap_of_an_archive_use_the_live_sites_urls() {
    let site = built_term(7);
    let feed = site.read("public-term-7/en/feed.xml");
    assert!(
        feed.contains("<link>https://briefs.example.org/en/briefs/alpha/</link>"),
        "{feed}"
    );
    let sitemap = site.read("public-term-7/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://briefs.example.org/en/briefs/beta/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("index.html"));
}

#[test]
fn every_page_of_an_archive_says_which_term_it_is_in_its_language() {
    let site = built_term(7);
    let en = site.read("public-term-7/en/briefs/alpha/index.html");
    assert!(en.contains("Archive of the Seventh Legislative Council, 1 January 2022 to 31 December 2025"));
    assert!(!en.contains("第七屆立法會存檔"));
    let zh = site.read("public-term-7/zh-hk/committees/itb/index.html");
    assert!(zh.contains("第七屆立法會存檔（2022年1月1日至2025年12月31日）"));
    assert!(!zh.contains("Archive of the"));
    // The bilingual landing page: the banner in both languages, and per language
    // the term's committees with their numbers of briefs.
    let landing = site.read("public-term-7/index.html");
    assert!(landing.contains("Archive of the Seventh Legislative Council"));
    assert!(landing.contains("第七屆立法會存檔"));
    let text = landing.replace(['\n'], " ");
    for expected in [
        "Panel on Information Technology and Broadcasting</a> <span class=count>1 brief</span>",
        "Panel on Transport</a> <span class=count>1 brief</span>",
        "資訊科技及廣播事務委員會</a> <span class=count>1份簡介</span>",
        "<span class=count>2 briefs</span>",
    ] {
        assert!(text.contains(expected), "landing lacks `{expected}`:\n{text}");
    }
    // No zh-hk brief is with the transport panel, so it is not listed in Chinese.
    assert!(!text.contains("交通事務委員會"));
    // The published site has no banner.
    let live = TestSite::fixture("archive");
    live.build_ok();
    assert!(
        !live
            .read("public/en/briefs/alpha/index.html")
            .contains("archive-banner")
    );
}

#[test]
fn an_unknown_term_is_an_error_that_lists_the_known_terms() {
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", "9"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown term 9"), "{err}");
    assert!(
        err.contains("5 (2012-10-01 to 2016-09-30), 6 (2016-10-01 to 2021-12-31), 7 (2022-01-01 to 2025-12-31)"),
        "{err}"
    );
    assert!(!site.exists("public-term-9"));
}

#[test]
fn a_term_without_briefs_is_an_error_that_lists_the_terms_with_briefs() {
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", "5"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("term 5 has no briefs"), "{err}");
    assert!(err.contains("terms with briefs: 6, 7"), "{err}");
    assert!(!site.exists("public-term-5"));
}

#[test]
fn malformed_archive_flags_are_usage_errors() {
    let site = TestSite::fixture("archive");
    for args in [
        &["build", "--term", "seven"][..],
        &["build", "--term"],
        &["build", "--term", "7", "--all-terms"],
        &["build", "--zip"],
    ] {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(
        site.files_under("")
            .iter()
            .all(|f| f.starts_with("content/") || f == "legbrief.toml")
    );
}

#[test]
fn archives_and_their_zips_are_byte_identical_across_builds() {
    let site = TestSite::fixture("archive");
    for output in ["first/t7", "second/t7"] {
        let out = site.run(&["build", "--term", "7", "--zip", "--output", output]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("{output}.zip")));
    }
    let first = site.files_under("first/t7");
    assert_eq!(first, site.files_under("second/t7"));
    for file in &first {
        let a = std::fs::read(site.path(&format!("first/t7/{file}"))).unwrap();
        let b = std::fs::read(site.path(&format!("second/t7/{file}"))).unwrap();
        assert!(a == b, "{file} differs between two builds");
    }
    let zip_a = std::fs::read(site.path("first/t7.zip")).unwrap();
    let zip_b = std::fs::read(site.path("second/t7.zip")).unwrap();
    assert!(zip_a == zip_b, "the zips differ between two builds");
}

/// Every entry of a zip: (name, modification time as the zip stores it, bytes).
fn zip_entries(bytes: &[u8]) -> Vec<(String, Option<zip::DateTime>, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a readable zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("an entry");
            let mut contents = Vec::new();
            file.read_to_end(&mut contents).expect("entry bytes");
            (
                file.name().expect("a UTF-8 name").to_string(),
                file.last_modified(),
                contents,
            )
        })
        .collect()
}

#[test]
fn the_zip_holds_the_archive_sorted_with_fixed_dates() {
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", "7", "--zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let entries = zip_entries(&std::fs::read(site.path("public-term-7.zip")).unwrap());
    let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries are sorted");
    let files = site.files_under("public-term-7");
    let expected: Vec<String> = files.iter().map(|f| format!("public-term-7/{f}")).collect();
    assert_eq!(
        names, expected,
        "the zip holds exactly the archive, under its folder name"
    );
    for (name, modified, contents) in &entries {
        let on_disk = std::fs::read(site.path(name)).unwrap();
        assert!(contents == &on_disk, "{name} differs from the folder");
        assert_eq!(*modified, Some(zip::DateTime::default()), "{name} has a fixed date");
    }
}

#[test]
fn all_terms_builds_each_archive_and_an_index_of_them() {
    let site = TestSite::fixture("archive").brief(
        "stray",
        "en",
        &common::front("Background brief from before the terms", "itb", "2001-01-08"),
        "A brief whose meeting is in no configured term.\n",
    );
    let out = site.run(&["build", "--all-terms", "--zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("1 brief has its meeting date in no configured term"),
        "{err}"
    );
    assert!(err.contains("stray"), "{err}");
    let files = site.files_under("public-terms");
    for expected in [
        "index.html",
        "static/style.css",
        "term-6/index.html",
        "term-6/en/briefs/old-brief/index.html",
        "term-7/index.html",
        "term-7/en/briefs/alpha/index.html",
        "term-6.zip",
        "term-7.zip",
    ] {
        assert!(files.iter().any(|f| f == expected), "no {expected} in {files:?}");
    }
    assert!(!files.iter().any(|f| f.starts_with("term-5")), "term 5 has no briefs");
    assert!(!files.iter().any(|f| f.contains("stray")));
    // Each archive is the same as one built alone.
    let alone = built_term(7);
    for file in alone.files_under("public-term-7") {
        assert!(
            std::fs::read(alone.path(&format!("public-term-7/{file}"))).unwrap()
                == std::fs::read(site.path(&format!("public-terms/term-7/{file}"))).unwrap(),
            "term-7/{file} differs from the archive built alone"
        );
    }
    // The index links to each archive in each language and to its zip.
    let index = site.read("public-terms/index.html");
    let hrefs: Vec<String> = tags(&index)
        .into_iter()
        .filter_map(|(_, a)| a.get("href").cloned())
        .collect();
    for expected in [
        "term-6/en/index.html",
        "term-7/en/index.html",
        "term-6/zh-hk/index.html",
        "term-7/zh-hk/index.html",
        "term-7.zip",
        "static/style.css",
    ] {
        assert!(hrefs.iter().any(|h| h == expected), "no link `{expected}` in {hrefs:?}");
    }
    assert!(index.contains("Seventh Legislative Council") && index.contains("第六屆立法會"));
    assert!(index.contains("Term archives") && index.contains("屆別存檔"));
    // The whole output works from disk as well.
    let walk = walk_links(&site.path("public-terms"));
    assert_no_broken_links(&walk);
    // And each zip holds its archive.
    let entries = zip_entries(&std::fs::read(site.path("public-terms/term-6.zip")).unwrap());
    assert!(entries.iter().all(|(n, _, _)| n.starts_with("term-6/")));
    assert!(
        entries
            .iter()
            .any(|(n, _, _)| n == "term-6/en/briefs/old-brief/index.html")
    );
}

#[test]
fn all_terms_fails_when_no_term_has_briefs() {
    let site = TestSite::new().brief(
        "stray",
        "en",
        &common::front("Background brief from before the terms", "itb", "2001-01-08"),
        "A brief whose meeting is in no configured term.\n",
    );
    let out = site.run(&["build", "--all-terms"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no term has briefs"), "{err}");
    assert!(
        err.contains("6 (2016-10-01 to 2021-12-31), 7 (2022-01-01 to 2025-12-31)"),
        "{err}"
    );
    assert!(!site.exists("public-terms"));
}

/// Regression: archive builds skipped the broken-link gate that `build` applies,
/// so a term archive could ship a citation to a paragraph that does not exist.
#[test]
fn a_term_archive_with_a_broken_citation_is_refused_like_the_live_site() {
    let site = TestSite::new().brief(
        "cited",
        "en",
        &common::front("Background brief citing a missing paragraph", "itb", "2023-03-13"),
        "Members asked about lampposts (see [paragraph 9](#p-9)).\n",
    );
    for args in [&["build", "--term", "7"][..], &["build", "--all-terms"][..]] {
        let out = site.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("refusing to publish a site with 1 broken internal link"),
            "{err}"
        );
        assert!(
            err.contains("content/briefs/cited.en.md:"),
            "the source line is named: {err}"
        );
        assert!(
            !site.exists("public-term-7") && !site.exists("public-terms"),
            "{args:?}"
        );
    }
    let out = site.run(&["build", "--term", "7", "--allow-broken-links"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning"), "{}", stderr(&out));
    assert!(site.exists("public-term-7/en/briefs/cited/index.html"));
}

// ---- in a real browser, from disk ---------------------------------------------

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("a file").display())
}

/// Clicks the first element matching `selector` and waits for the page at a URL
/// ending in `path` to load.
fn follow(page: &common::browser::Page, selector: &str, path: &str) {
    let selector_js = serde_json::Value::String(selector.to_string()).to_string();
    let path_js = serde_json::Value::String(path.to_string()).to_string();
    let clicked = page.eval(&format!(
        "(() => {{ const a = document.querySelector({selector_js}); if (!a) return false; a.click(); return true; }})()"
    ));
    assert_eq!(
        clicked,
        serde_json::Value::Bool(true),
        "no `{selector}` on {}",
        page.url()
    );
    page.wait_for(
        &format!("location.href.endsWith({path_js}) && document.readyState === 'complete'"),
        common::browser::STEP_TIMEOUT,
        &format!("the page {path}"),
        "location.href",
    );
}

/// The computed style `property` of the first element matching `selector`.
fn style(page: &common::browser::Page, selector: &str, property: &str) -> String {
    let selector_js = serde_json::Value::String(selector.to_string()).to_string();
    page.eval_string(&format!(
        "getComputedStyle(document.querySelector({selector_js})).getPropertyValue('{property}')"
    ))
}

#[test]
fn a_browser_opens_the_archive_from_disk_with_styles_and_language_switch() {
    let Some(browser) = common::browser::launch() else {
        return;
    };
    let site = built_term(7);
    let page = browser.open(&file_url(&site.path("public-term-7/index.html")));
    assert!(page.url().starts_with("file://"));
    // The theme's header colour (#0b3d6b) shows that the stylesheet loaded.
    assert_eq!(style(&page, ".site-header", "background-color"), "rgb(11, 61, 107)");
    assert!(page.text().contains("Archive of the Seventh Legislative Council"));

    follow(&page, "a.button[hreflang=en]", "/public-term-7/en/index.html");
    follow(
        &page,
        ".brief-list a[href*='briefs/alpha']",
        "/en/briefs/alpha/index.html",
    );
    assert_eq!(style(&page, ".site-header", "background-color"), "rgb(11, 61, 107)");
    assert_eq!(style(&page, ".archive-banner", "display"), "block");
    assert!(page.text().contains("digital infrastructure plan"));

    follow(&page, ".brief-topics a", "/en/topics/smart-government/index.html");
    assert_eq!(style(&page, "blockquote.quoted", "border-left-style"), "solid");
    assert!(page.text().contains("e-government services"));

    // The language switch goes to the same page in Chinese.
    follow(
        &page,
        ".lang-switch a[hreflang='zh-Hant-HK']",
        "/zh-hk/topics/smart-government/index.html",
    );
    assert_eq!(page.eval_string("document.documentElement.lang"), "zh-Hant-HK");
    assert!(page.text().contains("智慧政府"));
    assert!(page.text().contains("第七屆立法會存檔"));
    assert_eq!(style(&page, ".site-header", "background-color"), "rgb(11, 61, 107)");
    // A quoted paragraph number leads to the brief's paragraph, from disk too.
    follow(&page, "blockquote.quoted a.pn", "/zh-hk/briefs/alpha/index.html#p-3");
    assert_eq!(
        page.eval("document.getElementById('p-3') !== null"),
        serde_json::Value::Bool(true)
    );
}

/// One broken citation is one error, however many commands refuse it: the
/// refusal sums the errors up as a note.
#[test]
fn one_broken_citation_counts_as_one_error_in_every_command() {
    let site = TestSite::new().brief(
        "cited",
        "en",
        &common::front("Background brief citing a missing paragraph", "itb", "2023-03-13"),
        "Members asked about lampposts (see [paragraph 40](#p-40)).\n",
    );
    for args in [
        &["build"][..],
        &["build", "--term", "7"][..],
        &["build", "--all-terms"][..],
    ] {
        let err = stderr(&site.run(args));
        assert!(
            err.contains("note: refusing to publish a site with 1 broken internal link"),
            "{err}"
        );
        assert!(err.contains("Build failed with 1 error and"), "{args:?}: {err}");
    }
    let err = stderr(&site.run(&["check"]));
    assert!(err.trim_end().contains(": 1 error,"), "{err}");
}

/// `--term N --zip` makes its zip from what it wrote, as `--all-terms --zip` does
/// for each term: the same entries, byte for byte, under each one's folder.
#[test]
fn a_term_zipped_alone_holds_what_all_terms_zips_for_it() {
    let alone = TestSite::fixture("archive");
    let out = alone.run(&["build", "--term", "7", "--zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = TestSite::fixture("archive");
    let out = all.run(&["build", "--all-terms", "--zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let strip = |entries: Vec<(String, Option<zip::DateTime>, Vec<u8>)>, prefix: &str| {
        entries
            .into_iter()
            .map(|(name, date, bytes)| (name.strip_prefix(prefix).map(str::to_string), date, bytes))
            .collect::<Vec<_>>()
    };
    let one = strip(
        zip_entries(&std::fs::read(alone.path("public-term-7.zip")).unwrap()),
        "public-term-7/",
    );
    let each = strip(
        zip_entries(&std::fs::read(all.path("public-terms/term-7.zip")).unwrap()),
        "term-7/",
    );
    assert!(one.iter().all(|(name, _, _)| name.is_some()));
    assert!(one.len() > 20, "{} entries", one.len());
    assert!(one == each, "the two zips of term 7 differ");
}
