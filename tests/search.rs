//! Search: the index files a build writes, read back as the browser reads them,
//! and the search page driven in a real headless Chromium over HTTP and from disk.
//!
//! Every browser wait polls for the expected state with a generous timeout;
//! nothing sleeps a fixed time and nothing asserts on how long a step took.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::browser::{self, Browser, Page};
use common::http::static_server;
use common::{TestSite, stderr};
use legbrief::search::shards::{Layout, decode_postings, fnv1a};
use legbrief::search::tokenize::{Piece, index_tokens, is_indexed_word, pieces, shard_key, stem};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(60);

// ---- reading an index back -----------------------------------------------------

/// The data an index file registers: `LegbriefSearch.add(kind, name, data);`.
fn registered(path: &Path) -> (String, String, Value) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let inner = text
        .trim()
        .strip_prefix("LegbriefSearch.add(")
        .and_then(|t| t.strip_suffix(");"))
        .unwrap_or_else(|| panic!("{} is not a registration call", path.display()));
    let args: Vec<Value> =
        serde_json::from_str(&format!("[{inner}]")).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let [kind, name, data] = <[Value; 3]>::try_from(args).expect("three arguments");
    (
        kind.as_str().expect("kind").to_string(),
        name.as_str().expect("name").to_string(),
        data,
    )
}

/// One hit as a reader sees it: brief slug and paragraph number.
type Hit = (String, u32);

/// A language's index decoded from its files under `<output>/<lang>/search/`,
/// its segments joined as the browser joins them.
struct Index {
    meta: Value,
    /// Token → documents (numbered across segments, oldest brief first), from
    /// every shard of every segment.
    postings: BTreeMap<String, Vec<u32>>,
    /// Document → (slug, paragraph number, text, brief number oldest first).
    documents: Vec<(String, u32, String, usize)>,
    /// Each brief's texts file, oldest first.
    texts: Vec<PathBuf>,
}

impl Index {
    fn read(output: &Path, lang: &str) -> Index {
        let folder = output.join(lang).join("search");
        let (kind, _, meta) = registered(&folder.join("meta.js"));
        assert_eq!(kind, "meta");
        let briefs = meta["briefs"].as_array().expect("briefs");
        let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut documents = Vec::new();
        let mut texts = Vec::new();
        for segment in meta["segments"].as_array().expect("segments") {
            let name = segment["name"].as_str().expect("name");
            let seg_folder = folder.join(name);
            let first_doc = documents.len() as u32;
            let layout = Layout {
                buckets: segment["buckets"].as_u64().expect("buckets") as u32,
                split: segment["split"]
                    .as_object()
                    .expect("split")
                    .iter()
                    .map(|(b, s)| (b.parse().unwrap(), s.as_u64().unwrap() as u32))
                    .collect(),
            };
            let mut shards = 0;
            for entry in std::fs::read_dir(seg_folder.join("t")).expect("token shards") {
                let path = entry.unwrap().path();
                let (kind, registered_as, data) = registered(&path);
                assert_eq!(kind, "t");
                let file = path.file_name().unwrap().to_string_lossy().to_string();
                assert_eq!(registered_as, format!("{name}/{}", file.trim_end_matches(".js")));
                shards += 1;
                for (token, encoded) in data.as_object().expect("a shard is an object") {
                    // The browser looks a token up in exactly one file of a segment, by this rule.
                    assert_eq!(
                        layout.file_of(token),
                        format!("t/{file}"),
                        "token {token} is in the wrong shard"
                    );
                    let docs = decode_postings(encoded.as_str().unwrap()).expect("valid postings");
                    assert!(docs.windows(2).all(|w| w[0] < w[1]), "postings of {token} ascend");
                    assert!(
                        docs.iter()
                            .all(|&d| u64::from(d) < segment["documents"].as_u64().unwrap())
                    );
                    postings
                        .entry(token.clone())
                        .or_default()
                        .extend(docs.iter().map(|d| d + first_doc));
                }
            }
            let expected: u32 = (0..layout.buckets).map(|b| layout.subs(b)).sum();
            assert_eq!(shards, expected, "every shard of {name} is written");
            for i in 0..segment["briefs"].as_u64().expect("briefs") as usize {
                let path = seg_folder.join(format!("d/{i}.js"));
                let (_, registered_as, data) = registered(&path);
                assert_eq!(registered_as, format!("{name}/{i}"));
                let brief = &briefs[texts.len()];
                let paragraphs = data["paragraphs"].as_array().expect("paragraphs");
                assert_eq!(paragraphs.len() as u64, brief[3].as_u64().unwrap());
                for (n, text) in paragraphs.iter().enumerate() {
                    let slug = data["slug"].as_str().unwrap().to_string();
                    documents.push((slug, n as u32 + 1, text.as_str().unwrap().to_string(), texts.len()));
                }
                texts.push(path);
            }
            assert_eq!(
                documents.len() as u32 - first_doc,
                segment["documents"].as_u64().unwrap() as u32
            );
        }
        assert_eq!(texts.len(), briefs.len());
        assert_eq!(meta["documents"].as_u64(), Some(documents.len() as u64));
        Index {
            meta,
            postings,
            documents,
            texts,
        }
    }

    /// Hits in the order the browser shows them: newest brief first, each
    /// brief's paragraphs in order.
    fn hits_of_docs(&self, docs: &[u32]) -> Vec<Hit> {
        let mut found: Vec<&(String, u32, String, usize)> = docs.iter().map(|&d| &self.documents[d as usize]).collect();
        found.sort_by_key(|(_, n, _, brief)| (std::cmp::Reverse(*brief), *n));
        found.into_iter().map(|(slug, n, _, _)| (slug.clone(), *n)).collect()
    }

    /// The texts file of `slug`.
    fn texts_of(&self, slug: &str) -> &Path {
        let brief = self.documents.iter().find(|d| d.0 == slug).expect("indexed").3;
        &self.texts[brief]
    }

    /// The documents of `token`, or of every token starting with it.
    fn docs(&self, token: &str, prefix: bool) -> Vec<u32> {
        let mut docs: Vec<u32> = self
            .postings
            .iter()
            .filter(|(t, _)| {
                if prefix {
                    t.starts_with(token)
                } else {
                    t.as_str() == token
                }
            })
            .flat_map(|(_, d)| d.iter().copied())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// The paragraphs matching a finished query, by the rules the browser follows:
    /// every word's stem, every bigram of a Chinese run, and for a one-character
    /// run every token starting with that character.
    fn find(&self, query: &str) -> Vec<Hit> {
        let mut lists: Vec<Vec<u32>> = Vec::new();
        for piece in pieces(query) {
            match piece {
                Piece::Word(word) if is_indexed_word(&word) => lists.push(self.docs(&stem(&word), false)),
                Piece::Word(_) => {}
                Piece::Cjk(run) => {
                    let chars: Vec<char> = run.chars().collect();
                    if chars.len() == 1 {
                        lists.push(self.docs(&run, true));
                    }
                    for pair in chars.windows(2) {
                        lists.push(self.docs(&pair.iter().collect::<String>(), false));
                    }
                }
            }
        }
        let Some(mut hits) = lists.pop() else {
            return Vec::new();
        };
        for list in lists {
            hits.retain(|d| list.contains(d));
        }
        self.hits_of_docs(&hits)
    }

    fn text(&self, slug: &str, n: u32) -> &str {
        &self
            .documents
            .iter()
            .find(|(s, m, _, _)| s == slug && *m == n)
            .unwrap_or_else(|| panic!("no paragraph {slug} {n}"))
            .2
    }

    /// The briefs indexed, newest first as results show them.
    fn slugs(&self) -> Vec<String> {
        let mut slugs: Vec<String> = self.documents.iter().rev().map(|(s, ..)| s.clone()).collect();
        slugs.dedup();
        slugs
    }
}

fn hits(list: &[(&str, u32)]) -> Vec<Hit> {
    list.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

fn built() -> TestSite {
    let site = TestSite::fixture("search");
    site.build_ok();
    site
}

// ---- the index ----------------------------------------------------------------

#[test]
fn english_index_finds_paragraphs_by_stem_newest_meeting_first() {
    let site = built();
    let en = Index::read(&site.path("public"), "en");
    assert_eq!(en.meta["lang"], "en");
    // Newest meeting first; the draft is not published, so it is not searchable.
    assert_eq!(
        en.slugs(),
        ["smart-mobility-roadmap", "tunnel-tolls", "smart-lampposts"]
    );
    assert!(!en.documents.iter().any(|(_, _, t, _)| t.contains("confidential")));
    assert_eq!(
        en.find("lamppost"),
        hits(&[("smart-lampposts", 1), ("smart-lampposts", 2), ("smart-lampposts", 3)])
    );
    assert_eq!(en.find("LAMPPOSTS"), en.find("lamppost"), "case and plural fold");
    // `charging` in a list belongs to the paragraph the list follows.
    assert_eq!(
        en.find("charge"),
        hits(&[("smart-mobility-roadmap", 3), ("smart-lampposts", 4)])
    );
    assert_eq!(
        en.find("traffic data"),
        hits(&[("smart-lampposts", 2), ("smart-lampposts", 4)])
    );
    // Headings are not paragraphs; stop words find nothing.
    assert_eq!(en.find("the"), Vec::<Hit>::new());
    assert!(!en.postings.contains_key("the"));
}

#[test]
fn paragraph_texts_are_plain_text_without_footnote_numbers() {
    let site = built();
    let en = Index::read(&site.path("public"), "en");
    assert_eq!(
        en.text("smart-lampposts", 3),
        "Members asked whether data collected by the lampposts would protect personal privacy."
    );
    assert_eq!(
        en.text("smart-lampposts", 4),
        "The measures include: real-time traffic data for drivers; charging points for electric vehicles."
    );
    // Paragraph numbers match the brief page's anchors.
    let page = site.read("public/en/briefs/smart-lampposts/index.html");
    assert!(page.contains("id=p-5"));
    assert!(
        en.text("smart-lampposts", 5)
            .starts_with("Members urged the Government")
    );
    let (_, _, brief) = registered(en.texts_of("smart-lampposts"));
    assert_eq!(
        brief["title"],
        "Background brief on the Multi-functional Smart Lampposts Pilot Scheme"
    );
    assert_eq!(brief["meeting"], "10 June 2019");
}

#[test]
fn chinese_index_finds_bigrams_single_characters_and_mixed_text() {
    let site = built();
    let zh = Index::read(&site.path("public"), "zh-hk");
    assert_eq!(zh.meta["lang"], "zh-hk");
    assert_eq!(zh.slugs(), ["smart-mobility-roadmap", "smart-lampposts"]);
    // `智慧出行` needs its three bigrams; `出行` alone also finds 「方便市民出行」.
    assert_eq!(zh.find("智慧出行"), hits(&[("smart-mobility-roadmap", 1)]));
    assert_eq!(
        zh.find("出行"),
        hits(&[("smart-mobility-roadmap", 1), ("smart-lampposts", 2)])
    );
    assert_eq!(
        zh.find("燈柱"),
        hits(&[("smart-lampposts", 1), ("smart-lampposts", 2), ("smart-lampposts", 3)])
    );
    // One character: every token starting with it, so `柱` before `，` (a run's
    // last character) and before `試`/`收` are all found.
    assert_eq!(zh.find("柱"), zh.find("燈柱"));
    // Mixed text: the Latin word and the Chinese bigram are both indexed.
    assert_eq!(zh.find("AI 技術"), hits(&[("smart-lampposts", 5)]));
    assert_eq!(zh.find("ai"), hits(&[("smart-lampposts", 5)]));
    // A wrapped Chinese line is joined without a space before indexing.
    assert!(zh.text("smart-lampposts", 2).contains("感應器，方便市民出行"));
    assert_eq!(
        zh.text("smart-lampposts", 3),
        "議員關注燈柱收集的數據會否保障個人私隱。"
    );
}

#[test]
fn term_archive_index_holds_only_that_term() {
    let site = TestSite::fixture("search");
    let out = site.run(&["build", "--term", "7", "--output", "archive"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let en = Index::read(&site.path("archive"), "en");
    assert_eq!(en.slugs(), ["smart-mobility-roadmap", "tunnel-tolls"]);
    assert!(en.find("lamppost").is_empty());
    assert_eq!(en.find("tolls"), hits(&[("tunnel-tolls", 1)]));
    let zh = Index::read(&site.path("archive"), "zh-hk");
    assert_eq!(zh.slugs(), ["smart-mobility-roadmap"]);
    // The search page links results relatively, naming the file.
    let page = site.read("archive/en/search/index.html");
    assert!(
        page.contains("data-brief-href=../../en/briefs/{slug}/index.html"),
        "{page}"
    );
    // Only the archive's term is offered as a filter; with one, there is no filter.
    assert!(!page.contains("id=search-term"));
}

#[test]
fn search_page_and_header_box_work_without_javascript() {
    let site = built();
    let page = site.read("public/zh-hk/search/index.html");
    assert!(page.contains("<html lang=zh-Hant-HK>"));
    assert!(page.contains("<noscript>"));
    assert!(page.contains("搜尋功能在瀏覽器內運作，須使用JavaScript"));
    assert!(page.contains("role=status"));
    assert!(page.contains("<label for=search-q>"));
    // Filters offer what this language's briefs have.
    assert!(page.contains("<option value=tp>交通事務委員會</option>"));
    assert!(page.contains("<option value=6>第六屆立法會</option>"));
    // Every other page has a search form in its header, going to the search page.
    let brief = site.read("public/en/briefs/tunnel-tolls/index.html");
    assert!(brief.contains("action=/en/search/"), "{brief}");
    assert!(brief.contains("name=q"));
    assert!(!page.contains("id=site-search-q"), "the search page has one search box");
    // The bilingual landing page links to each language's search page.
    let landing = site.read("public/index.html");
    assert!(
        landing.contains("<a href=/en/search/ hreflang=en>Search</a>"),
        "{landing}"
    );
    assert!(landing.contains("<a href=/zh-hk/search/ hreflang=zh-Hant-HK>搜尋</a>"));
    // The search page is not in the sitemap.
    assert!(!site.read("public/sitemap.xml").contains("/search/"));
}

#[test]
fn index_files_are_identical_from_build_to_build_and_versioned_by_content() {
    let site = built();
    let first: Vec<(String, String)> = site
        .files_under("public/zh-hk/search")
        .into_iter()
        .map(|f| {
            let text = site.read(&format!("public/zh-hk/search/{f}"));
            (f, text)
        })
        .collect();
    site.build_ok();
    for (file, text) in &first {
        assert_eq!(&site.read(&format!("public/zh-hk/search/{file}")), text, "{file}");
    }
    // A new brief, the newest: it joins the last segment, whose version the
    // browser asks for its files by changes, so no cache serves the old ones;
    // every other file but `meta.js` keeps its bytes and every other segment its
    // version, so a deployer uploads one segment.
    let segments = |site: &TestSite| -> BTreeMap<String, Value> {
        let index = Index::read(&site.path("public"), "zh-hk");
        index.meta["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["name"].as_str().unwrap().to_string(), s["version"].clone()))
            .collect()
    };
    let before = segments(&site);
    assert!(
        before.values().all(|v| v.as_str().is_some_and(|v| v.len() == 16)),
        "{before:?}"
    );
    let site = site.brief(
        "new-brief",
        "zh-hk",
        "title = \"新簡介\"\ncommittee = \"tp\"\nmeeting = 2025-06-02",
        "議員討論電動巴士。\n",
    );
    site.build_ok();
    let after = segments(&site);
    let index = Index::read(&site.path("public"), "zh-hk");
    assert_eq!(index.slugs()[0], "new-brief");
    let joined = index.texts_of("new-brief").parent().unwrap().parent().unwrap();
    let joined = joined.file_name().unwrap().to_string_lossy().to_string();
    assert_ne!(before.get(&joined), after.get(&joined));
    for (name, version) in &before {
        if *name != joined {
            assert_eq!(after.get(name), Some(version), "segment {name} is as it was");
        }
    }
    for (file, text) in &first {
        if file != "meta.js" && !file.starts_with(&format!("{joined}/")) {
            assert_eq!(
                &site.read(&format!("public/zh-hk/search/{file}")),
                text,
                "{file} is as it was"
            );
        }
    }
}

// ---- in the browser -----------------------------------------------------------

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// One result as the page shows it.
#[derive(Debug)]
struct Shown {
    link: String,
    href: String,
    meta: String,
    marks: Vec<String>,
}

fn results(page: &Page) -> Vec<Shown> {
    let value = page.eval(
        "Array.from(document.querySelectorAll('#search-results > li')).map(li => ({
            link: li.querySelector('h2 a').textContent,
            href: li.querySelector('h2 a').getAttribute('href'),
            meta: li.querySelector('.brief-meta').textContent,
            marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent)
        }))",
    );
    value
        .as_array()
        .expect("a list of results")
        .iter()
        .map(|r| Shown {
            link: r["link"].as_str().unwrap_or_default().to_string(),
            href: r["href"].as_str().unwrap_or_default().to_string(),
            meta: r["meta"].as_str().unwrap_or_default().to_string(),
            marks: r["marks"]
                .as_array()
                .map(|m| m.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
        })
        .collect()
}

fn status(page: &Page) -> String {
    page.eval_string("document.getElementById('search-status').textContent")
}

/// Types `query` into the search box and waits until the status announces `expected`.
fn type_query(page: &Page, query: &str, expected: &str) {
    page.wait_for(
        "document.getElementById('search-form') && !document.getElementById('search-form').hidden",
        WAIT,
        "the search form to be shown",
        "document.body.innerText.slice(0, 500)",
    );
    page.tab()
        .find_element("#search-q")
        .and_then(|e| e.click().map(|_| ()))
        .expect("the search box");
    page.tab().type_str(query).expect("typing");
    let literal = serde_json::Value::String(expected.to_string()).to_string();
    page.wait_for(
        &format!("document.getElementById('search-status').textContent === {literal}"),
        WAIT,
        &format!("the status {literal}"),
        "document.getElementById('search-status').textContent",
    );
}

/// From the search box, ArrowDown then Enter: follows the first result with the
/// keyboard and checks the brief opens at paragraph `n`, which contains `word`.
fn follow_first_result_with_the_keyboard(page: &Page, slug: &str, n: u32, word: &str) {
    page.tab().press_key("ArrowDown").expect("ArrowDown");
    page.wait_for(
        "document.activeElement && document.activeElement.closest('#search-results')",
        WAIT,
        "focus on the first result",
        "document.activeElement && document.activeElement.outerHTML",
    );
    page.tab().press_key("Enter").expect("Enter");
    let anchor = format!("#p-{n}");
    page.wait_for(
        &format!(
            "location.pathname.includes('/briefs/{slug}/') && location.hash === '{anchor}' && document.querySelector(':target')"
        ),
        WAIT,
        &format!("brief {slug} at {anchor}"),
        "location.href",
    );
    let target = page.eval_string("document.querySelector(':target').id");
    assert_eq!(target, format!("p-{n}"));
    let text = page.eval_string("document.querySelector(':target').textContent");
    assert!(text.contains(word), "paragraph {n} of {slug} contains {word}: {text}");
}

fn search_in_english(browser: &Browser, search_page: &str, brief_href_start: &str) {
    let page = browser.open(search_page);
    type_query(&page, "lamppost", "3 paragraphs match “lamppost”.");
    let shown = results(&page);
    assert_eq!(shown.len(), 3);
    for (i, r) in shown.iter().enumerate() {
        assert_eq!(
            r.link,
            format!(
                "Background brief on the Multi-functional Smart Lampposts Pilot Scheme Paragraph {}",
                i + 1
            )
        );
        assert!(r.href.starts_with(brief_href_start), "{}", r.href);
        assert!(r.href.ends_with(&format!("#p-{}", i + 1)), "{}", r.href);
        assert_eq!(
            r.meta,
            "Panel on Information Technology and Broadcasting · 10 June 2019"
        );
        assert!(
            r.marks.iter().all(|m| m.to_lowercase().starts_with("lamppost")),
            "{:?}",
            r.marks
        );
        assert!(!r.marks.is_empty());
    }
    follow_first_result_with_the_keyboard(&page, "smart-lampposts", 1, "Lampposts");
}

fn search_in_chinese(browser: &Browser, search_page: &str, query: &str, expected: (&str, u32, &str)) {
    let page = browser.open(search_page);
    let (slug, n, title) = expected;
    type_query(&page, query, &format!("有1個段落符合「{query}」。"));
    let shown = results(&page);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].link, format!("{title} 第{n}段"));
    assert!(shown[0].href.ends_with(&format!("#p-{n}")));
    let marked: String = shown[0].marks.concat();
    for piece in query.split_whitespace() {
        assert!(marked.contains(piece), "{piece} is highlighted in {:?}", shown[0].marks);
    }
    follow_first_result_with_the_keyboard(&page, slug, n, query.split_whitespace().last().unwrap());
}

#[test]
fn search_over_http_finds_chinese_and_english_and_opens_the_paragraph() {
    let Some(browser) = browser::launch() else { return };
    let site = built();
    let base = static_server(site.path("public"));
    search_in_english(&browser, &format!("{base}/en/search/"), "/en/briefs/smart-lampposts/");
    search_in_chinese(
        &browser,
        &format!("{base}/zh-hk/search/"),
        "智慧出行",
        ("smart-mobility-roadmap", 1, "智慧出行路線圖的背景資料簡介"),
    );

    // The header box of any page leads to the search page with its results.
    let page = browser.open(&format!("{base}/en/briefs/tunnel-tolls/"));
    page.tab()
        .find_element("#site-search-q")
        .and_then(|e| e.click().map(|_| ()))
        .expect("the header search box");
    page.tab().type_str("charging").expect("typing");
    page.tab().press_key("Enter").expect("Enter");
    page.wait_for(
        "document.getElementById('search-status') && document.getElementById('search-status').textContent === '2 paragraphs match “charging”.'",
        WAIT,
        "results on the search page",
        "location.href + ' ' + (document.getElementById('search-status') || {}).textContent",
    );
    assert_eq!(
        page.eval_string("document.getElementById('search-q').value"),
        "charging"
    );

    // Filters narrow the results, and the count is announced again.
    page.eval("(() => { const s = document.getElementById('search-committee'); s.value = 'tp'; s.dispatchEvent(new Event('change')); })()");
    page.wait_for(
        "document.getElementById('search-status').textContent === '1 paragraph matches “charging”.'",
        WAIT,
        "the committee filter",
        "document.getElementById('search-status').textContent",
    );
    assert_eq!(results(&page)[0].meta, "Panel on Transport · 11 March 2024");

    // Index files are asked for by their segment's version, `meta.js` afresh.
    let requested: Vec<String> = serde_json::from_value(
        page.eval("performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/search/'))"),
    )
    .expect("resource names");
    let versions: BTreeMap<String, String> = Index::read(&site.path("public"), "en").meta["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        requested.iter().any(|n| n.contains("/en/search/meta.js?")),
        "{requested:?}"
    );
    let shards: Vec<&String> = requested
        .iter()
        .filter(|n| n.contains("/t/") || n.contains("/d/"))
        .collect();
    assert!(!shards.is_empty());
    // A query looks its tokens up in every segment.
    for (name, version) in &versions {
        assert!(
            shards.iter().any(|n| n.contains(&format!("/en/search/{name}/t/"))),
            "{name}: {shards:?}"
        );
        assert!(
            shards
                .iter()
                .filter(|n| n.contains(&format!("/en/search/{name}/")))
                .all(|n| n.ends_with(&format!(".js?v={version}"))),
            "{shards:?}"
        );
    }
}

#[test]
fn search_from_disk_in_a_term_archive() {
    let Some(browser) = browser::launch() else { return };
    let site = TestSite::fixture("search");
    let out = site.run(&["build", "--term", "6", "--output", "archive"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let archive = site.path("archive");
    search_in_english(
        &browser,
        &file_url(&archive.join("en/search/index.html")),
        "../../en/briefs/smart-lampposts/index.html",
    );
    search_in_chinese(
        &browser,
        &file_url(&archive.join("zh-hk/search/index.html")),
        "AI 技術",
        ("smart-lampposts", 5, "多功能智慧燈柱試驗計劃的背景資料簡介"),
    );
    // The roadmap brief is of term 7: not in this archive's index.
    let page = browser.open(&file_url(&archive.join("zh-hk/search/index.html")));
    type_query(&page, "智慧出行", "沒有段落符合「智慧出行」。");
    assert!(results(&page).is_empty());
    assert_eq!(status(&page), "沒有段落符合「智慧出行」。");
}

#[test]
fn browser_tokenizer_agrees_with_the_index_builder() {
    let Some(browser) = browser::launch() else { return };
    let site = built();
    let base = static_server(site.path("public"));
    let page = browser.open(&format!("{base}/en/search/"));
    page.wait_for(
        "window.LegbriefSearch && window.LegbriefSearch.tokens",
        WAIT,
        "the search script",
        "typeof window.LegbriefSearch",
    );
    let samples = [
        "Smart LAMPPOSTS and the Government's charging points",
        "Members’ views on e-government, 5G and AI",
        "智慧出行、智慧燈柱試驗計劃",
        "使用AI技術 in Hong Kong；ＡＩ與５Ｇ",
        "Crème brûlée café, İstanbul, ΣΊΣΥΦΟΣ, naïve",
        "𠀋𠀌 a 〇 ｶﾀｶﾅ 한국어 ひらがな",
        "studied studies planning planned buses statuses analyses agreed using uses",
        "CB(2)848/2025(03) and CB(2)1587/18-19(05)",
        "",
    ];
    for sample in samples {
        let literal = serde_json::Value::String(sample.to_string()).to_string();
        let js = page.eval(&format!("LegbriefSearch.tokens({literal})"));
        let js: Vec<String> = serde_json::from_value(js).expect("a list of tokens");
        assert_eq!(js, index_tokens(sample), "tokens of {sample:?}");
        for token in &js {
            let literal = serde_json::Value::String(token.clone()).to_string();
            let js_key = page.eval_string(&format!("String(LegbriefSearch.keyHash({literal}))"));
            assert_eq!(js_key, fnv1a(shard_key(token)).to_string(), "shard key of {token}");
        }
    }
    for word in [
        "lampposts",
        "charging",
        "policies",
        "falling",
        "meetings",
        "class",
        "buses",
        "agreed",
    ] {
        let literal = serde_json::Value::String(word.to_string()).to_string();
        assert_eq!(page.eval_string(&format!("LegbriefSearch.stem({literal})")), stem(word));
    }
}
