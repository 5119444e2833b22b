//! Stable output: a generated archive is built, then built again with one more
//! brief (the newest of the newest term), each into a fresh folder, and the two
//! outputs are compared file by file. Only what a reader would expect may
//! change: the new brief's own pages and records, the newest page of each
//! listing that gains it (and a page that fills up), the pages of the papers it
//! cites, the current term's search segment and bulk data, the feeds, the
//! overviews that count briefs, one sitemap part. Every other file keeps its
//! bytes, so a deployer uploads a handful of files, not a third of the site.

mod common;

#[allow(dead_code)]
#[path = "../examples/gen_corpus/corpus/mod.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// No file may pass what Cloudflare Pages accepts.
const MAX_FILE: u64 = 25 * 1024 * 1024;

/// Every file under `root` (legbrief's own marker aside), relative, with its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = common::snapshot(root);
    files.retain(|path, _| !path.starts_with(".legbrief"));
    files
}

fn build(site: &Path, output: &Path) {
    let out = Command::cargo_bin("legbrief")
        .expect("binary")
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run legbrief");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Whether a changed file is one a new brief `slug` may change.
fn expected_to_change(path: &str, slug: &str, added: bool, newest_segment: &str, last_sitemap: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let listing_own_address = |rest: &[&str]| matches!(rest, [_, "index.html"]);
    match parts.as_slice() {
        // Its own pages and records.
        [_, "briefs", s, ..] => *s == slug && added,
        // Overviews, homes, feeds, the landing page: counts and newest items.
        [_, "index.html"] | [_, "feed.xml"] | ["index.html"] => true,
        [_, "terms" | "topics" | "committees" | "papers", "index.html"] => true,
        [_, "topics" | "committees", _, "index.html"] => true,
        // The newest page of each listing that gains it, or a page that fills up.
        [_, "terms", rest @ ..] => listing_own_address(rest) || added,
        [_, "topics" | "committees", _, "terms", rest @ ..] => listing_own_address(rest) || added,
        // The pages of the papers it cites.
        [_, "papers", "terms", ..] => true,
        // The current term's search segment, and the index's table of segments.
        [_, "search", "meta.js"] => true,
        [_, "search", segment, ..] => *segment == newest_segment,
        // The current term's bulk data, the catalogue and the pages that list it.
        ["data", "catalogue.json"] | [_, "data", "index.html"] => true,
        ["data", part] => {
            let term = newest_segment.split('-').next().unwrap_or_default();
            part.starts_with(&format!("briefs-term-{term}")) || part.starts_with(&format!("papers-term-{term}"))
        }
        // One sitemap part; a sitemap small enough to be one file is that part.
        ["sitemap.xml"] => last_sitemap.is_empty(),
        [part] if part.starts_with("sitemap-") => *part == last_sitemap,
        _ => false,
    }
}

#[test]
fn one_new_brief_changes_only_what_a_reader_expects() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = corpus::generate(&corpus::Options {
        briefs: 150,
        seed: 42,
        out: dir.path().join("corpus"),
        hugo: false,
    })
    .expect("the corpus is written");
    let site = written.legbrief_root;
    let briefs = site.join("content/briefs");
    // The newest brief by meeting (then slug), set aside for the first build,
    // then given a meeting after every other's, as a new brief has.
    let mut newest: Option<(String, String)> = None;
    for entry in std::fs::read_dir(&briefs).expect("briefs") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(slug) = name.strip_suffix(".en.md") else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("source");
        let meeting = text
            .lines()
            .find_map(|l| l.strip_prefix("meeting = "))
            .expect("a meeting")
            .to_string();
        let key = (meeting, slug.to_string());
        if newest.as_ref().is_none_or(|n| key > *n) {
            newest = Some(key);
        }
    }
    let (last_meeting, slug) = newest.expect("a brief");
    let aside = dir.path().join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    for lang in ["en", "zh-hk"] {
        let name = format!("{slug}.{lang}.md");
        std::fs::rename(briefs.join(&name), aside.join(&name)).unwrap();
    }
    let before_dir = dir.path().join("before");
    build(&site, &before_dir);
    let later = jiff::civil::Date::strptime("%Y-%m-%d", &last_meeting)
        .expect("a date")
        .checked_add(jiff::Span::new().days(7))
        .unwrap();
    for lang in ["en", "zh-hk"] {
        let name = format!("{slug}.{lang}.md");
        let text = std::fs::read_to_string(aside.join(&name)).unwrap();
        let text = text.replace(&format!("meeting = {last_meeting}"), &format!("meeting = {later}"));
        std::fs::write(briefs.join(&name), text).unwrap();
    }
    let after_dir = dir.path().join("after");
    build(&site, &after_dir);

    let (before, after) = (files(&before_dir), files(&after_dir));
    for (path, bytes) in &after {
        assert!(bytes.len() as u64 <= MAX_FILE, "{path} passes 25 MiB");
    }
    // The segment the new brief joined: the last one named in `meta.js`.
    let meta = String::from_utf8_lossy(&after["en/search/meta.js"]).to_string();
    let newest_segment = meta
        .rsplit("{\"name\":\"")
        .next()
        .and_then(|s| s.split('"').next())
        .expect("a segment")
        .to_string();
    let last_sitemap = after
        .keys()
        .filter(|p| p.starts_with("sitemap-"))
        .max_by_key(|p| {
            p.trim_start_matches("sitemap-")
                .trim_end_matches(".xml")
                .parse::<u32>()
                .unwrap_or(0)
        })
        .cloned()
        .unwrap_or_default();
    let mut unexpected = Vec::new();
    let mut changed = 0;
    for (path, bytes) in &after {
        let added = !before.contains_key(path);
        if added || before[path] != *bytes {
            changed += 1;
            if !expected_to_change(path, &slug, added, &newest_segment, &last_sitemap) {
                unexpected.push(format!("{} {path}", if added { "A" } else { "M" }));
            }
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        unexpected.push(format!("D {path}"));
    }
    assert!(unexpected.is_empty(), "unexpected changes: {unexpected:#?}");
    // What is left is a small share of the site, not a third of it (at this
    // size the overviews, homes and feeds are much of it; bench/changes.sh
    // measures 2,000 and 10,000 briefs).
    assert!(
        changed * 100 <= after.len() * 8,
        "{changed} of {} files changed",
        after.len()
    );
}
