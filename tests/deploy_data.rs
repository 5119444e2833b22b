//! The bulk exports as a static host takes them (DESIGN.md §4, *Open data*):
//! gzip parts per term, none over the size bound, the same bytes on every build,
//! listed by `data/catalogue.json` and by a data page per language, and served
//! by `serve` exactly as built.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use assert_cmd::Command;
use common::schema::validate;
use common::{CONFIG, TestSite, gunzip, stderr};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A brief with one paper of its own date, and a body of `words` words that
/// hardly compress (so a few briefs fill a small part).
fn brief_text(title: &str, meeting: &str, paper_date: &str, seed: u64, words: usize) -> String {
    let mut x = seed.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(3_037_000_493);
    let mut body = String::new();
    for i in 0..words {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let len = 3 + (x >> 61) as usize;
        let word: String = (0..len)
            .map(|k| (b'a' + ((x >> (5 * k + 3)) % 26) as u8) as char)
            .collect();
        body.push_str(&word);
        body.push(if i % 12 == 11 { '.' } else { ' ' });
    }
    format!(
        "+++\ntitle = \"{title}\"\ncommittee = \"itb\"\nmeeting = {meeting}\n\n\
         [[papers]]\nbody = \"itb\"\ndate = {paper_date}\ntitle = \"Paper for {title}\"\n+++\n\
         ## Purpose\n\n{body}\n\n{title} ends here.\n"
    )
}

/// Briefs in term 6, term 7 (one in both languages) and in no configured term.
fn site() -> TestSite {
    TestSite::new()
        .write("legbrief.toml", CONFIG)
        .write(
            "content/briefs/old-plan.en.md",
            &brief_text("Old plan", "2018-03-05", "2018-02-01", 1, 40),
        )
        .write(
            "content/briefs/lamp-posts.en.md",
            &brief_text("Lamp posts", "2023-05-08", "2023-04-03", 2, 40),
        )
        .write(
            "content/briefs/lamp-posts.zh-hk.md",
            &brief_text("智慧燈柱", "2023-05-08", "2023-04-03", 3, 40),
        )
        .write(
            "content/briefs/fares.en.md",
            &brief_text("Fares", "2022-02-14", "2022-01-10", 4, 40),
        )
        .write(
            "content/briefs/early.en.md",
            &brief_text("Early", "2014-06-02", "2014-05-05", 5, 40),
        )
}

/// `legbrief build --output OUT`, with `LEGBRIEF_PART_BOUND` if given.
fn build(site: &TestSite, out: &str, bound: Option<u64>) {
    let mut command = Command::cargo_bin("legbrief").expect("binary");
    command.current_dir(site.root()).args(["build", "--output", out]);
    if let Some(bound) = bound {
        command.env("LEGBRIEF_PART_BOUND", bound.to_string());
    }
    let output = command.output().expect("run");
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
}

fn schema(name: &str) -> Value {
    let path = format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every `index.json` of `out`, by its path.
fn records(site: &TestSite, out: &str) -> BTreeMap<String, Value> {
    site.files_under(out)
        .into_iter()
        .filter(|f| f.ends_with("/index.json") && f.contains("/briefs/"))
        .map(|f| {
            let record = serde_json::from_str(&site.read(&format!("{out}/{f}"))).unwrap();
            (f, record)
        })
        .collect()
}

fn data_files(site: &TestSite, out: &str) -> BTreeMap<String, Vec<u8>> {
    site.files_under(&format!("{out}/data"))
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.path(&format!("{out}/data/{f}"))).unwrap();
            (format!("data/{f}"), bytes)
        })
        .collect()
}

#[test]
fn parts_per_term_are_gzip_and_hold_exactly_that_terms_records() {
    let site = site();
    build(&site, "public", None);
    let files = data_files(&site, "public");
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "data/briefs-term-6.jsonl.gz",
            "data/briefs-term-7.jsonl.gz",
            "data/briefs-term-other.jsonl.gz",
            "data/catalogue.json",
            "data/papers-term-6.csv.gz",
            "data/papers-term-7.csv.gz",
            "data/papers-term-other.csv.gz",
        ]
    );
    assert!(!site.exists("public/data/briefs.jsonl") && !site.exists("public/data/papers.csv"));
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".gz")) {
        // gzip, deflate, no flags (no file name), no time, unknown system.
        assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255], "{name}");
    }
    let all = records(&site, "public");
    let mut seen = BTreeSet::new();
    for (term, segment) in [(Value::from(6), "6"), (Value::from(7), "7"), (Value::Null, "other")] {
        let text = gunzip(&files[&format!("data/briefs-term-{segment}.jsonl.gz")]);
        let mut meetings = Vec::new();
        for line in text.lines() {
            let record: Value = serde_json::from_str(line).expect("a JSON line");
            assert_eq!(record["term"], term, "{line}");
            let path = format!(
                "{}/briefs/{}/index.json",
                record["lang"].as_str().unwrap(),
                record["slug"].as_str().unwrap()
            );
            // Byte for byte the page's record.
            assert_eq!(site.read(&format!("public/{path}")), format!("{line}\n"));
            meetings.push(record["meeting"].as_str().unwrap().to_string());
            assert!(seen.insert(path));
        }
        let mut sorted = meetings.clone();
        sorted.sort();
        assert_eq!(meetings, sorted, "term {segment}: oldest first");
        // Every record of that term is in its part.
        let expected = all.values().filter(|r| r["term"] == term).count();
        assert_eq!(text.lines().count(), expected, "term {segment}");
    }
    assert_eq!(seen.len(), all.len(), "every record is in one part");
    // Term 7: fares (2022) before lamp-posts (2023), English before Chinese.
    let seven = gunzip(&files["data/briefs-term-7.jsonl.gz"]);
    let order: Vec<(String, String)> = seven
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| {
            (
                r["slug"].as_str().unwrap().to_string(),
                r["lang"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("fares".into(), "en".into()),
            ("lamp-posts".into(), "en".into()),
            ("lamp-posts".into(), "zh-hk".into())
        ]
    );
    // Papers: a header in every part, and only the papers dated in its term.
    let papers = gunzip(&files["data/papers-term-7.csv.gz"]);
    let lines: Vec<&str> = papers.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "lang,body,body_name,date,title,kind,url,date_note,cited_by,cited_by_paper_no"
    );
    assert_eq!(lines.len(), 1 + 3, "{papers}");
    assert!(
        lines[1].contains(",2022-01-10,") && lines[1].contains("fares"),
        "{papers}"
    );
    assert!(papers.contains("Paper for 智慧燈柱"));
    assert!(gunzip(&files["data/papers-term-other.csv.gz"]).contains(",2014-05-05,"));
    // No record repeats its paragraphs' markup.
    assert!(!seven.contains("\"html\""));
}

#[test]
fn the_catalogue_lists_every_part_with_its_bytes_digest_and_records() {
    let site = site();
    build(&site, "public", None);
    let catalogue = site.catalogue("public");
    let errors = validate(&schema("catalogue.schema.json"), &catalogue);
    assert!(
        errors.is_empty(),
        "the catalogue breaks its schema:\n{}",
        errors.join("\n")
    );
    assert_eq!(catalogue["schema"], "legbrief-catalogue/1");
    let files = data_files(&site, "public");
    let parts = catalogue["parts"].as_array().unwrap();
    let listed: BTreeSet<&str> = parts.iter().map(|p| p["name"].as_str().unwrap()).collect();
    let on_disk: BTreeSet<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|n| n.ends_with(".gz"))
        .collect();
    assert_eq!(listed, on_disk, "the catalogue lists exactly the parts written");
    let order: Vec<(&str, Value)> = parts
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["term"].clone()))
        .collect();
    assert_eq!(
        order,
        [
            ("briefs", Value::from(6)),
            ("briefs", Value::from(7)),
            ("briefs", Value::Null),
            ("papers", Value::from(6)),
            ("papers", Value::from(7)),
            ("papers", Value::Null),
        ]
    );
    for part in parts {
        let name = part["name"].as_str().unwrap();
        let bytes = &files[name];
        assert_eq!(part["bytes"], bytes.len() as u64, "{name}");
        let digest: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(part["sha256"], digest, "{name}");
        let text = gunzip(bytes);
        let records = if part["kind"] == "briefs" {
            text.lines().count()
        } else {
            text.split("\r\n").filter(|l| !l.is_empty()).count() - 1
        };
        assert_eq!(part["records"], records as u64, "{name}");
    }
}

#[test]
fn with_the_bound_lowered_a_term_is_split_in_order_and_no_file_passes_it() {
    const BOUND: u64 = 6_000;
    let mut site = site();
    for n in 0..12 {
        site = site.write(
            &format!("content/briefs/item-{n:02}.en.md"),
            &brief_text(
                &format!("Item {n}"),
                &format!("2024-{:02}-10", n % 9 + 1),
                "2024-01-02",
                100 + n,
                160,
            ),
        );
    }
    build(&site, "public", Some(BOUND));
    let files = data_files(&site, "public");
    for (name, bytes) in &files {
        assert!(bytes.len() as u64 <= BOUND, "{name} is {} bytes", bytes.len());
    }
    let catalogue = site.catalogue("public");
    let sevens: Vec<&Value> = catalogue["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "briefs" && p["term"] == 7)
        .collect();
    assert!(sevens.len() > 2, "{catalogue}");
    for (k, part) in sevens.iter().enumerate() {
        assert_eq!(part["name"], format!("data/briefs-term-7-{}.jsonl.gz", k + 1));
    }
    // Filled in order: the parts joined are the term's records, oldest first.
    let joined: String = sevens
        .iter()
        .map(|p| gunzip(&files[p["name"].as_str().unwrap()]))
        .collect();
    let meetings: Vec<String> = joined
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["meeting"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(meetings.len(), 12 + 3);
    let mut sorted = meetings.clone();
    sorted.sort();
    assert_eq!(meetings, sorted);
    // The other terms still fit in one part each.
    assert!(files.contains_key("data/briefs-term-6.jsonl.gz"));
    let page = site.read("public/en/data/index.html");
    for part in &sevens {
        assert!(page.contains(part["name"].as_str().unwrap()));
    }

    // A brief added at the end of the term leaves the full parts as they were.
    let site = site.write(
        "content/briefs/item-late.en.md",
        &brief_text("Late item", "2025-11-03", "2025-10-01", 999, 160),
    );
    build(&site, "public-2", Some(BOUND));
    let after = data_files(&site, "public-2");
    for part in &sevens[..sevens.len() - 1] {
        let name = part["name"].as_str().unwrap();
        assert_eq!(
            files[name], after[name],
            "{name} changed when a brief was added after it"
        );
    }
    for name in ["data/briefs-term-6.jsonl.gz", "data/briefs-term-other.jsonl.gz"] {
        assert_eq!(files[name], after[name], "{name} of a closed term changed");
    }
}

#[test]
fn two_builds_give_identical_parts() {
    let site = site();
    build(&site, "public", None);
    // Later, so that a part that recorded a time would differ.
    std::thread::sleep(Duration::from_millis(1_100));
    build(&site, "public-again", None);
    assert_eq!(data_files(&site, "public"), data_files(&site, "public-again"));
}

/// Whether `html` links `href`, its attribute quoted or (minified) not.
fn links(html: &str, href: &str) -> bool {
    html.contains(&format!("href=\"{href}\""))
        || html.contains(&format!("href={href}>"))
        || html.contains(&format!("href={href} "))
}

#[test]
fn the_data_page_exists_in_both_languages_and_links_every_part() {
    let site = site();
    build(&site, "public", None);
    let catalogue = site.catalogue("public");
    let parts = catalogue["parts"].as_array().unwrap();
    for (lang, title) in [("en", "Open data"), ("zh-hk", "開放數據")] {
        let page = site.read(&format!("public/{lang}/data/index.html"));
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{lang}: {page}");
        assert!(links(&page, "/data/catalogue.json"), "{lang}");
        for part in parts {
            let name = part["name"].as_str().unwrap();
            assert!(links(&page, &format!("/{name}")), "{lang} does not link {name}");
            assert!(
                page.contains(part["sha256"].as_str().unwrap()),
                "{lang}: {name}'s digest"
            );
        }
        // How to read them: a loop over the catalogue.
        assert!(
            page.contains("catalogue[&quot;parts&quot;]") || page.contains("catalogue[\"parts\"]"),
            "{lang}"
        );
        let text = page.replace("&#x2F;", "/").replace("&#47;", "/");
        assert!(text.contains("base = \"https://briefs.example.org/\""), "{lang}");
        // Every page's footer links it.
        let home = site.read(&format!("public/{lang}/index.html"));
        assert!(links(&home, &format!("/{lang}/data/")), "{lang}: no footer link");
    }
    let zh = site.read("public/zh-hk/data/index.html");
    assert!(zh.contains("讀取方法") && zh.contains("項記錄"), "{zh}");
    // The link check follows the data pages' links: `check` passes.
    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

/// One `GET` over HTTP/1.1: the status and the body.
fn get(url: &str, target: &str) -> (u16, Vec<u8>) {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header");
    let status = String::from_utf8_lossy(&raw[..split])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, raw[split + 4..].to_vec())
}

#[test]
fn serve_serves_the_parts_and_catalogue_a_build_writes() {
    let site = site();
    let serve = common::serve::Serve::start(site.root(), &[]);
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    let base = serve.url.trim_end_matches('/').to_string();
    let built = site.run(&["build", "--base-url", &base, "--output", output.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(output.join("data")).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&output)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (status, body) = get(&serve.url, &format!("/{name}"));
        assert_eq!(status, 200, "{name}");
        assert!(
            body == std::fs::read(entry.path()).unwrap(),
            "{name} differs from the build"
        );
        compared += 1;
    }
    assert_eq!(compared, 7);
    let (status, page) = get(&serve.url, "/zh-hk/data/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("briefs-term-7.jsonl.gz"));
    assert_eq!(get(&serve.url, "/data/briefs-term-8.jsonl.gz").0, 404);
}
