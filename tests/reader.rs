//! What a reader sees of the sample site (issue #18): on phones, on paper, in
//! Chinese, in the search results, in the papers index, and what a page says
//! about itself to a site that shares it. The browser tests run Debian's Chromium
//! (`tests/common/browser.rs`) on a build of the repository's own sample site.

mod common;

use std::time::Duration;

use common::browser::{self, Browser, Page};
use common::http::static_server;
use common::{TestSite, stderr};

const WAIT: Duration = Duration::from_secs(30);

/// The sample site, built into `public/`.
fn sample_built() -> TestSite {
    let site = TestSite::sample();
    site.build_ok();
    site
}

/// Every kind of page a reader of a language reaches, by its path under the site.
fn pages_of(lang: &str) -> Vec<String> {
    [
        "",
        "briefs/digital-government-smart-city/",
        "briefs/smart-lampposts-pilot/",
        // An updated brief: its versions list, and what changed.
        "briefs/digital-government-smart-city-2026/",
        "briefs/digital-government-smart-city-2026/compare/digital-government-smart-city/",
        "search/?q=",
        "papers/",
        "papers/terms/7/",
        "topics/",
        "topics/smart-government/",
        // The 2026 update (term 8) supersedes the 2025 brief on topic pages.
        "topics/smart-government/terms/8/",
        "committees/",
        "committees/itb/",
        "committees/itb/terms/7/",
        "terms/",
        "terms/7/",
    ]
    .iter()
    .map(|p| format!("/{lang}/{p}"))
    .collect()
}

/// Every element that lies (partly) left or right of the viewport, described;
/// the page's own width beside the viewport's. Hidden and visually hidden
/// elements (1 × 1 px) take no room and are left out.
const BEYOND: &str = r#"(() => {
  const width = document.documentElement.clientWidth;
  const beyond = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.width <= 1 && r.height <= 1)) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      beyond.push(`${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : ''} [${Math.round(r.left)}, ${Math.round(r.right)}] “${(e.textContent || '').trim().slice(0, 40)}”`);
    }
  }
  return { width, scroll: document.documentElement.scrollWidth, beyond };
})()"#;

fn open_at(browser: &Browser, url: &str, width: u32) -> Page {
    let page = browser.open("about:blank");
    page.set_viewport(width, 740);
    page.tab()
        .navigate_to(url)
        .and_then(|t| t.wait_until_navigated())
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    page
}

#[test]
fn nothing_lies_beyond_a_phone_screen_on_any_kind_of_page() {
    let Some(browser) = browser::launch() else { return };
    let site = sample_built();
    let base = static_server(site.path("public"));
    let mut problems = Vec::new();
    let mut measured = 0;
    for width in [320, 375] {
        for lang in ["en", "zh-hk"] {
            for path in pages_of(lang) {
                // A word found in many paragraphs, so the results show too.
                let query = if lang == "en" { "smart" } else { "%E6%99%BA%E6%85%A7" };
                let url = format!("{base}{path}{}", if path.ends_with("?q=") { query } else { "" });
                let page = open_at(&browser, &url, width);
                if path.contains("/search/") {
                    // The form shows once the script runs; the results once found.
                    page.wait_for(
                        "document.querySelectorAll('#search-results > li').length > 0",
                        WAIT,
                        "search results",
                        "document.getElementById('search-status').textContent",
                    );
                }
                let seen = page.eval(BEYOND);
                measured += 1;
                let beyond = seen["beyond"].as_array().cloned().unwrap_or_default();
                if !beyond.is_empty() || seen["scroll"] != seen["width"] {
                    problems.push(format!(
                        "{path} at {width} px: page {} px wide; beyond: {}",
                        seen["scroll"],
                        beyond
                            .iter()
                            .take(5)
                            .map(|b| b.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            }
        }
    }
    assert_eq!(measured, 2 * 2 * pages_of("en").len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_appendix_stacks_into_labelled_rows_on_a_phone() {
    let Some(browser) = browser::launch() else { return };
    let site = sample_built();
    let base = static_server(site.path("public"));
    for (lang, label, council) in [
        ("en", "Date of meeting", "Council meeting"),
        ("zh-hk", "會議日期", "立法會會議"),
    ] {
        let page = open_at(
            &browser,
            &format!("{base}/{lang}/briefs/digital-government-smart-city/"),
            375,
        );
        let rows = page.eval(
            "Array.from(document.querySelectorAll('.appendix td.date')).map(td => ({
                display: getComputedStyle(td).display,
                council: !!td.closest('table.council'),
                label: getComputedStyle(td, '::before').content,
                right: td.parentElement.getBoundingClientRect().right,
                papers: td.nextElementSibling.getBoundingClientRect().width
            }))",
        );
        let rows = rows.as_array().expect("appendix rows");
        assert!(rows.len() > 10, "{lang}: {rows:?}");
        assert!(rows.iter().any(|r| r["council"] == true), "{lang}: {rows:?}");
        for row in rows {
            assert_eq!(row["display"], "block", "{lang}: {row}");
            // A Council meeting table's dates are labelled with its heading, as printed.
            let wanted = if row["council"] == true { council } else { label };
            assert_eq!(row["label"], format!("\"{wanted}\""), "{lang}: {row}");
            assert!(row["right"].as_f64().unwrap() <= 375.0, "{lang}: {row}");
            // The papers get the row's whole width, not a sliver beside the date.
            assert!(row["papers"].as_f64().unwrap() > 300.0, "{lang}: {row}");
        }
        // On a desktop it is the table it was.
        let page = open_at(
            &browser,
            &format!("{base}/{lang}/briefs/digital-government-smart-city/"),
            1280,
        );
        assert_eq!(
            page.eval_string("getComputedStyle(document.querySelector('.appendix td.date')).display"),
            "table-cell"
        );
    }
}

/// The text of each page of a PDF, as the importer lays it out.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let laid = legbrief::import::pdf::extract(pdf).expect("the PDF's text");
    let mut pages = vec![String::new(); laid.pages];
    for (i, line) in laid.text.lines().enumerate() {
        let page = laid.line_pages.get(i).copied().unwrap_or(1).max(1);
        pages[page - 1].push_str(line.trim_matches('\u{c}'));
        pages[page - 1].push('\n');
    }
    pages
}

/// Every page's MediaBox, `[x0 y0 x1 y1]` in points.
fn media_boxes(pdf: &[u8]) -> Vec<Vec<f64>> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox [")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest[..rest.find(']').expect("a MediaBox")]
                .split_whitespace()
                .map(|n| n.parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

fn print(page: &Page) -> Vec<u8> {
    page.tab()
        .print_to_pdf(Some(headless_chrome::types::PrintToPdfOptions {
            prefer_css_page_size: Some(true),
            ..Default::default()
        }))
        .expect("printing to PDF")
}

/// The seed brief (LC Paper No. CB(2)848/2025(03)) is 8 pages printed.
const PAPER_PAGES: usize = 8;

#[test]
fn the_seed_brief_prints_on_a4_like_the_paper() {
    let Some(browser) = browser::launch() else { return };
    let site = sample_built();
    let base = static_server(site.path("public"));
    for lang in ["en", "zh-hk"] {
        let page = browser.open(&format!("{base}/{lang}/briefs/digital-government-smart-city/"));
        let pdf = print(&page);
        if let Some(dir) = std::env::var_os("LEGBRIEF_SAVE_PRINT") {
            std::fs::write(std::path::Path::new(&dir).join(format!("seed-{lang}.pdf")), &pdf).expect("saving the PDF");
        }
        // A4 is 595.28 × 841.89 points.
        let boxes = media_boxes(&pdf);
        assert!(!boxes.is_empty());
        for b in &boxes {
            assert!(
                (b[2] - b[0] - 595.3).abs() < 1.5 && (b[3] - b[1] - 841.9).abs() < 1.5,
                "{lang}: not A4: {b:?}"
            );
        }
        let pages = pdf_pages(&pdf);
        assert_eq!(pages.len(), boxes.len());
        if lang == "en" {
            assert!(
                pages.len().abs_diff(PAPER_PAGES) <= 1,
                "{} pages printed, the paper has {PAPER_PAGES}",
                pages.len()
            );
        }
        // The paper's first-page header, no site navigation, and no number on page 1.
        let first = &pages[0];
        assert!(first.contains("Legislative Council"), "{lang}: {first}");
        assert!(!first.contains("- 1 -"), "{lang}: {first}");
        assert!(
            !first.contains("Topic areas") && !first.contains("主題範疇"),
            "{lang}: {first}"
        );
        // "- n -" from page 2 on.
        for (i, text) in pages.iter().enumerate().skip(1) {
            assert!(
                text.contains(&format!("- {} -", i + 1)),
                "{lang} page {}: {text}",
                i + 1
            );
        }
        // The appendix starts a page, as in the paper: the first line under the
        // page number is its label. (CJK fonts map some characters to radicals,
        // `⽂` for `文`, in the PDF's text: "附錄" has none of them.)
        let label = |p: &String| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .nth(1)
                .is_some_and(|l| l.contains("APPENDIX") || l.contains("Appendix") || l.contains("附錄"))
        };
        let appendix = pages
            .iter()
            .position(label)
            .unwrap_or_else(|| panic!("{lang}: no page starts with the appendix: {pages:#?}"));
        assert!(appendix > 0, "{lang}");
    }
}

#[test]
fn chinese_dates_never_break_and_chinese_leads_the_font_stack() {
    let Some(browser) = browser::launch() else { return };
    let site = sample_built();
    let base = static_server(site.path("public"));
    for width in [320, 375] {
        for path in [
            "/zh-hk/",
            "/zh-hk/terms/",
            "/zh-hk/terms/7/",
            "/zh-hk/briefs/digital-government-smart-city/",
        ] {
            let page = open_at(&browser, &format!("{base}{path}"), width);
            let broken = page.eval(
                "Array.from(document.querySelectorAll('time, .date')).filter(e => e.getClientRects().length > 1).map(e => e.textContent)",
            );
            assert_eq!(broken, serde_json::json!([]), "{path} at {width} px");
            let dates = page.eval("document.querySelectorAll('time, .date').length");
            assert!(dates.as_u64().unwrap() > 0, "{path}");
        }
    }
    let page = browser.open(&format!("{base}/zh-hk/briefs/digital-government-smart-city/"));
    let fonts = page.eval(
        "['.np', '.brief-meta, .brief-ids', 'h1'].map(s => getComputedStyle(document.querySelector(s) || document.body).fontFamily)",
    );
    for font in fonts.as_array().unwrap() {
        let font = font.as_str().unwrap();
        assert!(
            font.starts_with("\"Noto Serif TC\"") || font.starts_with("\"Noto Sans TC\""),
            "{font}"
        );
    }
    // No space added between Chinese and numerals; punctuation trimmed where supported.
    let style = page.eval(
        "(() => { const s = getComputedStyle(document.body); return {
            autospace: CSS.supports('text-autospace', 'no-autospace') ? s.getPropertyValue('text-autospace') : 'unsupported',
            trim: CSS.supports('text-spacing-trim', 'trim-start') ? s.getPropertyValue('text-spacing-trim') : 'unsupported' }; })()",
    );
    assert!(
        ["no-autospace", "unsupported"].contains(&style["autospace"].as_str().unwrap()),
        "{style}"
    );
    assert!(
        ["trim-start", "unsupported"].contains(&style["trim"].as_str().unwrap()),
        "{style}"
    );
}

#[test]
fn search_snippets_are_cut_between_words_and_titles_shown_once() {
    let Some(browser) = browser::launch() else { return };
    let site = sample_built();
    let base = static_server(site.path("public"));
    let page = browser.open(&format!("{base}/en/search/"));
    page.wait_for(
        "window.LegbriefSearch",
        WAIT,
        "the search script",
        "typeof window.LegbriefSearch",
    );

    // The cutting itself, on texts longer than a snippet.
    let english = "The Administration published in December 2017 the Smart City Blueprint for Hong Kong, setting out 76 initiatives under the six areas of Smart Government, Smart Mobility, Smart Living, Smart Environment, Smart People and Smart Economy, with a view to addressing the challenges of city management and improving people's livelihood through innovation and technology. Subsequently, the Smart City Blueprint for Hong Kong 2.0 was released in December 2020, in which more than 130 smart city initiatives were further proposed, and the base station determination followed.";
    let chinese = "政府於2017年12月公布《香港智慧城市藍圖》，提出76項措施，".repeat(12);
    let cases = serde_json::json!([
        { "text": english, "match": "Subsequently" },
        { "text": english, "match": "130" },
        { "text": english, "match": "determination" },
        { "text": english, "match": "" },
        { "text": chinese, "match": "措施" },
        { "text": format!("{}😀{}", "字".repeat(200), "𠀋".repeat(150)), "match": "𠀋" },
    ]);
    let cut = page.eval(&format!(
        "{cases}.map(c => {{
            const at = c.match ? c.text.lastIndexOf(c.match) : -1;
            const x = LegbriefSearch.excerpt(c.text, at >= 0 ? [[at, at + c.match.length]] : []);
            const start = c.text.indexOf(x.text);
            return {{ text: x.text, start, end: start + x.text.length, length: c.text.length,
                      marks: x.ranges.map(r => x.text.slice(r[0], r[1])), before: x.before, after: x.after }};
        }})"
    ));
    let is_word = |c: char| {
        c.is_alphanumeric() && !('\u{2e80}'..='\u{9fff}').contains(&c) && !('\u{20000}'..='\u{2fa1f}').contains(&c)
    };
    for (case, x) in cases.as_array().unwrap().iter().zip(cut.as_array().unwrap()) {
        let text: Vec<char> = case["text"].as_str().unwrap().chars().collect();
        let shown = x["text"].as_str().unwrap();
        assert!(!shown.is_empty() && shown.chars().count() <= 330, "{x}");
        assert!(
            x["start"].as_i64().unwrap() >= 0,
            "the snippet is a piece of the text: {x}"
        );
        assert_eq!(shown.trim(), shown, "no spaces at the edges: {x}");
        assert!(!shown.contains('\u{fffd}'), "no half surrogate pair: {x}");
        // UTF-16 offsets to char indices.
        let utf16: Vec<usize> = text
            .iter()
            .scan(0, |n, c| {
                let at = *n;
                *n += c.len_utf16();
                Some(at)
            })
            .collect();
        let index = |u: i64| utf16.iter().position(|&a| a as i64 == u).unwrap_or(text.len());
        let (start, end) = (index(x["start"].as_i64().unwrap()), index(x["end"].as_i64().unwrap()));
        if start > 0 {
            assert!(
                !(is_word(text[start - 1]) && is_word(text[start])),
                "cut inside a word at the start: {x}"
            );
        }
        if end < text.len() {
            assert!(
                !(is_word(text[end - 1]) && is_word(text[end])),
                "cut inside a word at the end: {x}"
            );
        }
        let wanted = case["match"].as_str().unwrap();
        if !wanted.is_empty() {
            assert_eq!(x["marks"], serde_json::json!([wanted]), "{x}");
        }
    }

    // A query that finds several paragraphs of one brief shows its title once.
    let page = browser.open(&format!("{base}/en/search/?q=smart"));
    page.wait_for(
        "document.querySelectorAll('#search-results > li').length > 2",
        WAIT,
        "results",
        "document.getElementById('search-status').textContent",
    );
    let shown = page.eval(
        "Array.from(document.querySelectorAll('#search-results > li')).map(li => ({
            slug: li.querySelector('h2 a').getAttribute('href').split('/').slice(-2)[0],
            title: Array.from(li.querySelector('h2 a').childNodes)
                .filter(n => !(n.classList && n.classList.contains('visually-hidden')))
                .map(n => n.textContent).join(''),
            same: li.classList.contains('same-brief')
        }))",
    );
    let shown = shown.as_array().unwrap();
    let mut previous = String::new();
    let mut titles = std::collections::BTreeMap::new();
    for r in shown {
        let slug = r["slug"].as_str().unwrap().split('#').next().unwrap().to_string();
        let visible = r["title"].as_str().unwrap();
        assert_eq!(r["same"].as_bool().unwrap(), slug == previous, "{r}");
        if slug == previous {
            assert!(visible.starts_with("Paragraph "), "only the paragraph is shown: {r}");
        } else {
            *titles.entry(slug.clone()).or_insert(0) += 1;
        }
        previous = slug;
    }
    assert!(shown.iter().any(|r| r["same"] == true), "{shown:?}");
    assert!(titles.values().all(|&n| n == 1), "each brief's title once: {titles:?}");
}

#[test]
fn pages_carry_open_graph_metadata() {
    let site = sample_built();
    // As the minifier writes them (attributes sorted, quotes only where needed).
    let brief = site.read("public/en/briefs/digital-government-smart-city/index.html");
    for wanted in [
        "<meta content=article property=og:type>",
        "<meta content=\"Background brief on digital government and smart city development\" property=og:title>",
        "<meta content=\"LegCo Background Briefs\" property=og:site_name>",
        "<meta content=https://briefs.example.org/en/briefs/digital-government-smart-city/ property=og:url>",
        "<meta content=en property=og:locale>",
        "<meta content=\"A summary of Members' discussions since the Seventh Legislative Council",
    ] {
        assert!(brief.contains(wanted), "{wanted}");
    }
    let topics = site.read("public/zh-hk/topics/index.html");
    for wanted in [
        "<meta content=website property=og:type>",
        "<meta content=主題範疇 property=og:title>",
        "<meta content=立法會背景資料簡介 property=og:site_name>",
        "<meta content=https://briefs.example.org/zh-hk/topics/ property=og:url>",
        "<meta content=zh_HK property=og:locale>",
    ] {
        assert!(topics.contains(wanted), "{wanted}");
    }
    // A page that is not there is not for sharing.
    assert!(!site.read("public/404.html").contains("og:"));
}

#[test]
fn build_warns_while_base_url_is_an_example_host() {
    let site = TestSite::sample();
    let out = site.build_ok();
    let err = stderr(&out);
    let line = std::fs::read_to_string(site.path("legbrief.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("base_url"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "legbrief.toml:{line}:12: warning in `base_url`: `https://briefs.example.org` is an example address"
        )),
        "{err}"
    );
    assert!(err.contains("with 1 warning"), "{err}");
    // Named on the command line, the address is meant: no warning.
    let out = site.run(&["build", "--base-url", "https://www.example.org/briefs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("with 0 warnings"), "{}", stderr(&out));
    // A real host: no warning.
    let site = TestSite::sample();
    let config = site
        .read("legbrief.toml")
        .replace("https://briefs.example.org", "https://briefs.legco.gov.hk");
    let site = site.write("legbrief.toml", &config);
    let out = site.build_ok();
    assert!(stderr(&out).contains("with 0 warnings"), "{}", stderr(&out));
    // `check` gives every warning `build` gives, this one included.
    let out = TestSite::sample().run(&["check"]);
    assert!(stderr(&out).contains("example address"), "{}", stderr(&out));
}

#[test]
fn the_papers_index_names_each_paper_s_kind_once_and_links_citing_briefs() {
    let site = sample_built();
    let en = site.read("public/en/papers/terms/7/index.html");
    assert!(
        !en.contains("Minutes of meeting</span> <span class=kind>Minutes"),
        "kind repeated"
    );
    assert!(!en.contains("Minutes of meeting Minutes"));
    assert!(en.contains("Minutes of meeting"), "the sample's minutes are listed");
    // Citing briefs by title, linked.
    assert!(
        en.contains("<a href=/en/briefs/digital-government-smart-city/>Background brief on digital government and smart city development</a>"),
        "citing briefs linked by title"
    );
    let zh = site.read("public/zh-hk/papers/terms/7/index.html");
    assert!(
        zh.contains("<a href=/zh-hk/briefs/digital-government-smart-city/>"),
        "citing briefs linked"
    );
}

#[test]
fn a_missing_translation_is_noted_in_the_reader_s_language() {
    let site = sample_built();
    // The EV charging brief is in English only: its switcher tells a Chinese reader, in Chinese.
    let en = site.read("public/en/briefs/ev-charging-network/index.html");
    assert!(
        en.contains("<span class=missing lang=zh-Hant-HK>（沒有此語言版本）</span>"),
        "{}",
        &en[en.find("lang-switch").unwrap()..][..400]
    );
    for file in site.files_under("public/zh-hk") {
        if file.ends_with(".html") {
            let html = site.read(&format!("public/zh-hk/{file}"));
            assert!(!html.contains("not available in this language"), "{file}");
        }
    }
}

#[test]
fn the_council_meeting_s_motions_and_questions_have_tables_of_their_own() {
    let site = sample_built();
    for (lang, committee_head, motions, questions) in [
        (
            "en",
            "Committee",
            "<th scope=col>Council meeting</th><th scope=col>Member's motion</th>",
            "<th scope=col>Council meeting</th><th scope=col>Question</th>",
        ),
        (
            "zh-hk",
            "委員會",
            "<th scope=col>立法會會議</th><th scope=col>議員議案</th>",
            "<th scope=col>立法會會議</th><th scope=col>質詢</th>",
        ),
    ] {
        let html = site.read(&format!(
            "public/{lang}/briefs/digital-government-smart-city/index.html"
        ));
        let appendix = &html[html.find("id=appendix").expect("an appendix")..];
        let heads: Vec<&str> = appendix
            .split("<thead>")
            .skip(1)
            .map(|t| &t[..t.find("</thead>").unwrap_or(t.len())])
            .collect();
        assert_eq!(heads.len(), 3, "{lang}: {heads:?}");
        assert!(heads[0].contains(committee_head), "{lang}: {heads:?}");
        assert!(heads[1].contains(motions), "{lang}: {heads:?}");
        assert!(heads[2].contains(questions), "{lang}: {heads:?}");
        // A motion's progress report stays in the motion's row; every paper is shown once.
        assert_eq!(appendix.matches("<table class=council>").count(), 2, "{lang}");
        assert_eq!(appendix.matches("<li class=kind-").count(), 33, "{lang}");
        let motions_table = &appendix[appendix.find(motions).unwrap()..];
        let motions_table = &motions_table[..motions_table.find("</table>").unwrap()];
        assert_eq!(motions_table.matches("class=kind-motion").count(), 3, "{lang}");
        assert_eq!(motions_table.matches("class=kind-progress-report").count(), 2, "{lang}");
        assert!(!motions_table.contains("class=kind-question"), "{lang}");
    }
}

#[test]
fn the_appendix_is_headed_with_the_briefs_subject_as_the_paper_prints_it() {
    let site = sample_built();
    let en = site.read("public/en/briefs/digital-government-smart-city/index.html");
    assert!(
        en.contains(
            "<span class=appendix-subject>Digital government and smart city development</span> List of relevant papers"
        ),
        "the seed's appendix reads: Appendix / Digital government and smart city development / List of relevant papers"
    );
    let zh = site.read("public/zh-hk/briefs/digital-government-smart-city/index.html");
    assert!(zh.contains("<span class=appendix-subject>數碼政府及智慧城市發展</span> 相關文件一覽表"));
}
