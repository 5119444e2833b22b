//! Briefs as open data and updated briefs as versions: the JSON beside every brief
//! page (checked against `schemas/brief.schema.json`), the bulk exports, the
//! `supersedes` field with its notices, comparison page and errors, and the
//! citation offered under every paragraph number.

mod common;

use std::collections::BTreeMap;

use common::schema::validate;
use common::{TestSite, front, stderr};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema is JSON")
}

/// Every `<lang>/briefs/<slug>/index.json` of the build in `public/`, by path.
fn brief_records(site: &TestSite, out: &str) -> BTreeMap<String, Value> {
    site.files_under(out)
        .into_iter()
        .filter(|f| f.ends_with("/index.json") && f.contains("/briefs/"))
        .map(|f| {
            let value: Value = serde_json::from_str(&site.read(&format!("{out}/{f}")))
                .unwrap_or_else(|e| panic!("{f} is not JSON: {e}"));
            (f, value)
        })
        .collect()
}

/// RFC 4180 rows (quoted fields with doubled quotes, CRLF line ends).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

fn check_open_data(site: &TestSite, out: &str) -> BTreeMap<String, Value> {
    let brief_schema = schema("brief.schema.json");
    let records = brief_records(site, out);
    assert!(!records.is_empty(), "no brief JSON in {out}");
    for (path, record) in &records {
        // The text is there (a build keeps the HTML packed): all but a lone
        // image have some; the markup is the page's, not carried twice.
        let paragraphs = record["paragraphs"].as_array().unwrap();
        for paragraph in paragraphs {
            assert!(paragraph.get("html").is_none(), "{path}: {paragraph}");
        }
        assert!(
            paragraphs.is_empty() || paragraphs.iter().any(|p| !p["text"].as_str().unwrap().is_empty()),
            "{path}: no paragraph has text"
        );
        let errors = validate(&brief_schema, record);
        assert!(errors.is_empty(), "{path} breaks the schema:\n{}", errors.join("\n"));
        // Beside its page, and naming it.
        let page = path.replace("index.json", "index.html");
        assert!(site.exists(&format!("{out}/{page}")), "{path} has no page beside it");
        let folder = path.trim_end_matches("index.json");
        assert!(
            record["url"].as_str().unwrap().ends_with(folder),
            "{path}: url {} is not its page",
            record["url"]
        );
    }
    // The bulk export: the same records, one a line, each loading on its own.
    let jsonl = site.briefs_export(out);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), records.len(), "one line per brief and language");
    for line in &lines {
        let path = format!(
            "{}/briefs/{}/index.json",
            line["lang"].as_str().unwrap(),
            line["slug"].as_str().unwrap()
        );
        assert_eq!(
            Some(line),
            records.get(&path),
            "the export's record of {path} differs from the page's"
        );
    }
    // Papers: a header, then rows of the schema's columns.
    let papers_schema = schema("papers.schema.json");
    let columns: Vec<String> = papers_schema["x-columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    // Each part starts with the header row.
    for (name, text) in site.parts(out, "papers") {
        assert_eq!(csv_rows(&text)[0], columns, "{name}");
    }
    let rows = csv_rows(&site.papers_export(out));
    assert!(rows.is_empty() || rows[0] == columns);
    let rows = rows.get(1..).unwrap_or_default();
    let slugs: Vec<&str> = lines.iter().map(|l| l["slug"].as_str().unwrap()).collect();
    for row in rows {
        assert_eq!(row.len(), columns.len(), "{row:?}");
        let object: serde_json::Map<String, Value> = columns
            .iter()
            .cloned()
            .zip(row.iter().map(|f| Value::String(f.clone())))
            .collect();
        let errors = validate(&papers_schema, &Value::Object(object));
        assert!(errors.is_empty(), "papers row {row:?}:\n{}", errors.join("\n"));
        for slug in row[8].split(';') {
            assert!(
                slugs.contains(&slug),
                "the papers export cites `{slug}`, which has no record"
            );
        }
    }
    let cited: usize = lines.iter().map(|l| l["papers"].as_array().unwrap().len()).sum();
    assert!(
        !rows.is_empty() || cited == 0,
        "the papers export has no rows but the briefs cite papers"
    );
    records
}

#[test]
fn every_brief_of_the_fixture_sites_has_json_that_matches_the_schema() {
    for name in ["basic", "archive", "check", "search"] {
        let site = TestSite::fixture(name);
        if !site.exists("legbrief.toml") {
            continue;
        }
        let out = site.build();
        if !out.status.success() {
            // Some fixtures are broken on purpose (the link check's).
            continue;
        }
        let records = check_open_data(&site, "public");
        if name == "basic" {
            assert!(
                !records.keys().any(|k| k.contains("draft-brief")),
                "a draft has no JSON"
            );
            assert!(!site.briefs_export("public").contains("draft-brief"));
            assert!(!site.papers_export("public").contains("draft-brief"));
        }
    }
    let sample = TestSite::sample();
    sample.build_ok();
    let records = check_open_data(&sample, "public");
    let seed = &records["en/briefs/digital-government-smart-city/index.json"];
    assert_eq!(seed["paper_no"], "CB(2)848/2025(03)");
    assert_eq!(seed["paragraphs"][0]["id"], "p-1");
    assert_eq!(seed["paragraphs"][0]["section"]["id"], "purpose");
    assert_eq!(seed["superseded_by"]["slug"], "digital-government-smart-city-2026");
    assert_eq!(
        seed["translations"][0]["url"],
        "https://briefs.example.org/zh-hk/briefs/digital-government-smart-city/"
    );
    let update = &records["zh-hk/briefs/digital-government-smart-city-2026/index.json"];
    assert_eq!(update["supersedes"]["slug"], "digital-government-smart-city");
    assert_eq!(update["lang"], "zh-hk");
}

#[test]
fn a_term_archive_carries_only_its_terms_data() {
    let site = TestSite::fixture("archive");
    let out = site.run(&["build", "--term", "7"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let records = check_open_data(&site, "public-term-7");
    for record in records.values() {
        assert_eq!(record["term"], 7, "{record}");
    }
    let jsonl = site.briefs_export("public-term-7");
    assert!(
        !jsonl.contains("\"old-brief\""),
        "a brief of term 6 is in term 7's export"
    );
    assert!(!site.papers_export("public-term-7").contains("old-brief"));
}

/// Pandas reads the papers and Python's `json` the records line by line, where
/// both are installed (`pip install pandas`); otherwise the test says so and
/// passes, except in CI (`CI` set), which installs them and must run it.
#[test]
fn python_reads_the_exports() {
    let has_pandas = std::process::Command::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_pandas {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with pandas is missing but CI is set: .ci/run installs it"
        );
        eprintln!("python3 with pandas not found: skipped");
        return;
    }
    let site = TestSite::sample();
    site.build_ok();
    // As the data page says: a loop over the catalogue.
    let script = "import gzip, json, sys, pandas\n\
        catalogue = json.load(open('public/data/catalogue.json', encoding='utf-8'))\n\
        n = 0\n\
        frames = []\n\
        for part in catalogue['parts']:\n\
        \x20   path = 'public/' + part['name']\n\
        \x20   if part['kind'] == 'briefs':\n\
        \x20       for line in gzip.open(path, 'rt', encoding='utf-8'):\n\
        \x20           json.loads(line); n += 1\n\
        \x20   else:\n\
        \x20       frames.append(pandas.read_csv(path, dtype=str, keep_default_na=False))\n\
        df = pandas.concat(frames)\n\
        assert list(df.columns)[:3] == ['lang', 'body', 'body_name'], df.columns\n\
        assert len(df) > 0\n\
        print(n, len(df))\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .current_dir(site.root())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

// ---- updated briefs ------------------------------------------------------------

const OLD_EN: &str = "## Background {#background}\n\n\
The scheme began in 2024 with ten sites.\n\n\
### Smart Mobility {#smart-mobility}\n\n\
Members asked about the privacy of the data collected.\n\n\
Members asked when the trial would end.\n";
const NEW_EN: &str = "## Background {#background}\n\n\
The scheme began in 2024 with forty sites.\n\n\
### Smart Mobility {#smart-mobility}\n\n\
Members asked about the privacy of the data collected.\n\n\
A wholly new paragraph on the review of 2026 and its findings.\n";
const OLD_ZH: &str = "## 背景 {#background}\n\n計劃於2024年在十個地點展開。\n\n\
### 智慧出行 {#smart-mobility}\n\n議員關注所收集數據的私隱。\n\n議員詢問試驗何時結束。\n";
const NEW_ZH: &str = "## 背景 {#background}\n\n計劃於2024年在四十個地點展開。\n\n\
### 智慧出行 {#smart-mobility}\n\n議員關注所收集數據的私隱。\n\n全新段落：二零二六年檢討及其結果如下。\n";

fn versioned_site() -> TestSite {
    let old = |title: &str| {
        format!(
            "{}paper_no = \"CB(2)100/2024(01)\"\n",
            front(title, "itb", "2024-05-13")
        )
    };
    let new = |title: &str| {
        format!(
            "{}paper_no = \"CB(2)200/2025(02)\"\nsupersedes = \"lamps\"\n",
            front(title, "itb", "2025-05-12")
        )
    };
    // Unminified, so the tests can read attributes as written.
    TestSite::new()
        .write(
            "legbrief.toml",
            &format!("{}\n[build]\nminify = false\n", common::CONFIG),
        )
        .brief("lamps", "en", &old("Background brief on lamps"), OLD_EN)
        .brief("lamps", "zh-hk", &old("燈柱背景資料簡介"), OLD_ZH)
        .brief("lamps-2025", "en", &new("Updated background brief on lamps"), NEW_EN)
        .brief("lamps-2025", "zh-hk", &new("燈柱最新背景資料簡介"), NEW_ZH)
}

#[test]
fn an_updated_brief_links_both_ways_and_compares_paragraph_by_paragraph() {
    let site = versioned_site();
    site.build_ok();
    for (lang, changed, ins, del) in [
        (
            "en",
            "Updated background brief on lamps",
            "<ins>forty</ins>",
            "<del>ten</del>",
        ),
        ("zh-hk", "燈柱最新背景資料簡介", "<ins>四</ins>", ""),
    ] {
        let old = site.read(&format!("public/{lang}/briefs/lamps/index.html"));
        assert!(old.contains("version-notice"), "{lang}: the older page has a notice");
        assert!(old.contains(changed), "{lang}: the notice names the newer brief");
        assert!(
            old.contains(&format!("/{lang}/briefs/lamps-2025/\"")),
            "{lang}: and links it"
        );
        assert!(old.contains(&format!("/{lang}/briefs/lamps-2025/compare/lamps/")));
        let new = site.read(&format!("public/{lang}/briefs/lamps-2025/index.html"));
        assert!(
            new.contains("id=\"versions-title\""),
            "{lang}: the newer lists earlier versions"
        );
        assert!(new.contains(&format!("/{lang}/briefs/lamps/\"")));
        let compare = site.read(&format!("public/{lang}/briefs/lamps-2025/compare/lamps/index.html"));
        assert!(compare.contains(ins), "{lang}: {compare}");
        assert!(compare.contains(del), "{lang}");
        assert!(compare.contains("compare-entry changed"));
        assert!(compare.contains("compare-entry added"));
        assert!(compare.contains("compare-entry removed"));
        assert!(
            compare.contains("<details class=\"compare-same\""),
            "unchanged paragraphs fold"
        );
        assert!(!compare.contains("<script"), "readable without JavaScript");
        // Topic pages and feeds show the newest version, marked as updated.
        let topic = site.read(&format!("public/{lang}/topics/smart-mobility/index.html"));
        assert!(topic.contains("lamps-2025/"), "{lang}: the topic shows the update");
        assert!(
            !topic.contains("/briefs/lamps/\"><"),
            "{lang}: not the older version as an entry"
        );
        assert!(topic.contains("class=\"updated\""));
        let feed = site.read(&format!("public/{lang}/feed.xml"));
        assert!(feed.contains("lamps-2025/"));
        // The title says it is an update already: the feed does not say it twice.
        let (updated, doubled) = if lang == "en" {
            ("<title>Updated background brief on lamps", "Updated: Updated")
        } else {
            ("<title>燈柱最新背景資料簡介", "已更新：")
        };
        assert!(feed.contains(updated), "{lang}: the feed says it was updated");
        assert!(!feed.contains(doubled), "{lang}: not twice");
        let list = site.read(&format!("public/{lang}/terms/7/index.html"));
        let earlier = if lang == "en" {
            "· earlier version: <a href="
        } else {
            "· 較早版本：《<a href="
        };
        assert!(
            list.contains(earlier),
            "{lang}: the listing names the earlier version once: {list}"
        );
        assert!(!list.contains("Updates ") && !list.contains("更新《"), "{lang}");
        assert!(
            !feed.contains("/briefs/lamps/<"),
            "{lang}: the feed leaves out the older version"
        );
    }
    // Chinese is compared by character: one character added, one removed.
    let compare = site.read("public/zh-hk/briefs/lamps-2025/compare/lamps/index.html");
    assert!(
        compare.contains("在<del>十</del><ins>四十</ins>個") || compare.contains("在<ins>四</ins>十個"),
        "{compare}"
    );
    let records = check_open_data(&site, "public");
    assert_eq!(
        records["en/briefs/lamps/index.json"]["superseded_by"]["slug"],
        "lamps-2025"
    );
    assert_eq!(
        records["en/briefs/lamps-2025/index.json"]["supersedes"]["slug"],
        "lamps"
    );
}

#[test]
fn every_paragraph_number_offers_a_citation_in_the_papers_form() {
    let site = versioned_site();
    site.build_ok();
    let en = site.read("public/en/briefs/lamps-2025/index.html");
    assert!(en.contains("LC Paper No. CB(2)200/2025(02), para. 2"), "{en}");
    assert!(en.contains("https://briefs.example.org/en/briefs/lamps-2025/#p-2"));
    assert!(en.contains("<details class=\"cite\"><summary>"));
    let zh = site.read("public/zh-hk/briefs/lamps-2025/index.html");
    assert!(zh.contains("立法會CB(2)200/2025(02)號文件第2段"), "{zh}");
}

fn failing(site: &TestSite) -> String {
    let out = site.build();
    assert_eq!(out.status.code(), Some(1), "expected exit 1:\n{}", stderr(&out));
    stderr(&out)
        .lines()
        .filter(|l| !l.starts_with("Build failed"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn supersedes_naming_no_brief_is_an_error_at_the_field() {
    let site = TestSite::new()
        .brief("lamps", "en", &front("A", "itb", "2024-05-13"), "Text.\n")
        .brief(
            "lamps-2025",
            "en",
            &format!("{}supersedes = \"lampz\"", front("B", "itb", "2025-05-12")),
            "Text.\n",
        );
    insta::assert_snapshot!(failing(&site), @r"
    content/briefs/lamps-2025.en.md:5:14: error in `supersedes`: no brief has the slug `lampz`
      help: did you mean `lamps`?
    ");
}

#[test]
fn a_brief_that_supersedes_itself_or_translations_that_disagree_are_errors() {
    let site = TestSite::new()
        .brief("a", "en", &front("A", "itb", "2024-05-13"), "Text.\n")
        .brief("b", "en", &front("B", "itb", "2024-05-13"), "Text.\n")
        .brief(
            "c",
            "en",
            &format!("{}supersedes = \"c\"", front("C", "itb", "2025-05-12")),
            "Text.\n",
        )
        .brief(
            "d",
            "en",
            &format!("{}supersedes = \"a\"", front("D", "itb", "2025-05-12")),
            "Text.\n",
        )
        .brief(
            "d",
            "zh-hk",
            &format!("{}supersedes = \"b\"", front("丁", "itb", "2025-05-12")),
            "Text.\n",
        );
    insta::assert_snapshot!(failing(&site), @r"
    content/briefs/c.en.md:5:14: error in `supersedes`: brief `c` supersedes itself
      help: name the earlier brief this one updates, or remove the field
    content/briefs/d.zh-hk.md:5:14: error in `supersedes`: this translation supersedes `b`, but content/briefs/d.en.md supersedes `a`
      help: every language of a brief updates the same earlier brief
    ");
}

#[test]
fn versions_that_loop_are_an_error() {
    let site = TestSite::new()
        .brief(
            "a",
            "en",
            &format!("{}supersedes = \"b\"", front("A", "itb", "2024-05-13")),
            "Text.\n",
        )
        .brief(
            "b",
            "en",
            &format!("{}supersedes = \"a\"", front("B", "itb", "2025-05-12")),
            "Text.\n",
        );
    insta::assert_snapshot!(failing(&site), @r"
    content/briefs/a.en.md:5:14: error in `supersedes`: the versions form a loop: `a` → `b` → `a` (each supersedes the next)
      help: the oldest brief of a line of versions supersedes none; remove its field
    ");
}

#[test]
fn a_brief_superseded_twice_is_an_error_at_the_second() {
    let site = TestSite::new()
        .brief("old", "en", &front("Old", "itb", "2024-05-13"), "Text.\n")
        .brief(
            "new-a",
            "en",
            &format!("{}supersedes = \"old\"", front("A", "itb", "2025-05-12")),
            "Text.\n",
        )
        .brief(
            "new-b",
            "en",
            &format!("{}supersedes = \"old\"", front("B", "itb", "2025-06-09")),
            "Text.\n",
        );
    insta::assert_snapshot!(failing(&site), @r"
    content/briefs/new-b.en.md:5:14: error in `supersedes`: brief `old` is already superseded by `new-a`; a brief has one newer version
      help: let this brief supersede `new-a` instead, which continues the line of versions
    ");
    // `check` refuses the same.
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("new-b.en.md:5:14"), "{}", stderr(&out));
}
